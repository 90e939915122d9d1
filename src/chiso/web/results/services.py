"""Results of a cycle: computed by the core from the final answers, with earlier years from the
cycle history or an imported file; publication and corrections as frozen revisions."""

from __future__ import annotations

import hashlib
import json
import logging
import tempfile
from collections.abc import Callable
from dataclasses import astuple, dataclass
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any, Protocol, TypeVar

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chiso.core import (
    CycleResult,
    Framework,
    InvalidData,
    PreviousResult,
    Status,
    UnitData,
    score,
)
from chiso.core.lineage import Carry, Lineage, LineageError, carry
from chiso.core.overclaim import OverClaim
from chiso.io.cells import has_control_characters
from chiso.io.data import FLOAT_DIGITS, read_previous
from chiso.io.results import json_text
from chiso.io.tables import DataError
from chiso.reports.crosswalk import YearComparison
from chiso.reports.data import build_report
from chiso.reports.overclaim import TITLE as OVERCLAIM_TITLE
from chiso.reports.publication import Publication, build_publication
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import record
from chiso.web.cycles.lineage import core_lineage, lineage_problem
from chiso.web.cycles.models import Cycle, CycleState, Unit
from chiso.web.cycles.services import (
    TransitionNotAllowed,
    change_state,
    file_problem,
)
from chiso.web.notifications.models import Kind
from chiso.web.notifications.services import notify, people_by_unit
from chiso.web.results import crosswalk, documents, drafts, models, snapshot
from chiso.web.results.ranges import draft_robustness
from chiso.web.reviews import selectors as reviews
from chiso.web.reviews.overclaim import cycle_overclaim, reviewed

logger = logging.getLogger(__name__)

__all__ = [
    "AlreadyPublished",
    "CorrectionFacts",
    "Progress",
    "PublicationFacts",
    "ResultsError",
    "StalePublication",
    "cached_draft",
    "check_correction",
    "check_previous_upload",
    "check_publication",
    "compute",
    "correct",
    "correction_facts",
    "earlier_years",
    "import_previous",
    "previous_results",
    "publication_facts",
    "publish",
    "review_comments",
    "unmatched_previous",
    "write_draft",
    "year_comparison",
]


class ResultsError(Exception):
    """Results that cannot be computed, imported or published; the message is for people."""


Progress = Callable[[int, str], None]
"""How far a job got (percent) and what it does now, for its job's page."""


def _quiet(percent: int, message: str) -> None:
    pass


class StalePublication(ResultsError):
    """The results changed since the confirmation of their publication was shown."""


@dataclass(frozen=True)
class PublicationFacts:
    """What publishing now would freeze, counted for its confirmation page; publishing is
    refused when these changed since the page was shown (``seen``)."""

    stage: str
    """The review's stage ("" when no review took place)."""
    ranked: int
    not_ranked: int
    """Units with results that are not ranked (voluntary, below the lowest tier)."""
    no_data: int
    """Units that did not submit: listed without results."""
    digest: str
    """Of the results' JSON text: any change of a score, rank or tier changes it."""

    @property
    def seen(self) -> str:
        return ",".join(map(str, astuple(self)))


def _facts(cycle: Cycle, framework: Framework, result: CycleResult) -> PublicationFacts:
    units = [unit for block in result.blocks for unit in block.units]
    no_data = sum(unit.status == Status.NO_DATA for unit in units)
    ranked = sum(unit.rank is not None for unit in units)
    digest = hashlib.sha256(json_text(framework, result).encode()).hexdigest()[:16]
    stage = reviews.stage_of(cycle)
    return PublicationFacts(stage or "", ranked, len(units) - ranked - no_data, no_data, digest)


def publication_facts(cycle: Cycle) -> PublicationFacts:
    """The results publishing would freeze now, counted (ResultsError when they cannot be
    computed)."""
    framework, result, _units = _score(cycle)
    return _facts(cycle, framework, result)


def previous_results(cycle: Cycle) -> list[PreviousResult]:
    """Earlier years for the year-over-year columns: the imported rows of a year, else that
    year's published results in the cycle history (units matched by unit, not by name),
    carried through the assessor's unit lineage under the cycle's merge policy (a renamed,
    merged or split unit's rows are marked as carried). The imported rows that no unit
    continues stay, so that their year is said to be incomplete."""
    rows, imported = _earlier(cycle)
    lineage = core_lineage(cycle.organisation_id, cycle.merge_policy)
    if not lineage.links:
        names = set(_unit_ids(cycle))
        return [row for index, row in enumerate(rows) if index < imported or row.unit in names]
    found = _carry(cycle, rows, lineage)
    return found.results + [rows[index] for index in found.unused if index < imported]


def unmatched_previous(cycle: Cycle) -> list[PreviousResult]:
    """The earlier results that no unit of the cycle has or continues (through the lineage):
    listed, so that no unit silently loses its history."""
    rows, _imported = _earlier(cycle)
    found = _carry(cycle, rows, core_lineage(cycle.organisation_id, cycle.merge_policy))
    return sorted((rows[index] for index in found.unused), key=lambda r: (-r.year, r.unit))


def earlier_years(cycle: Cycle) -> set[int]:
    """The years of the earlier results the cycle has (imported or of its history)."""
    return {row.year for row in _earlier(cycle)[0]}


def _carry(cycle: Cycle, rows: list[PreviousResult], lineage: Lineage) -> Carry:
    try:
        return carry(list(_unit_ids(cycle)), rows, lineage)
    except LineageError as error:
        problem = lineage_problem(lineage, error, cycle.name)
        raise ResultsError(_("Unit lineage: %(problem)s") % {"problem": problem}) from None


def _earlier(cycle: Cycle) -> tuple[list[PreviousResult], int]:
    """The imported rows, then the cycle history's rows of the years not imported (every
    unit's, under the name it has now or, gone since, the name it was published under), and
    how many rows were imported."""
    imported = [
        PreviousResult(
            unit=row.unit,
            block=row.block,
            year=row.year,
            rank=row.rank,
            score=_decimal(row.score or None),
            percent=_decimal(row.percent or None),
            tier=row.tier or None,
        )
        for row in cycle.previous_results.all()
    ]
    years = {row.year for row in imported}
    names = dict(
        Unit.objects.filter(organisation_id=cycle.organisation_id).values_list("pk", "name")
    )
    names.update(cycle.participations.values_list("unit_id", "unit__name"))
    history: list[PreviousResult] = []
    for revision in _history(cycle):
        if revision.cycle.year in years:
            continue
        years.add(revision.cycle.year)
        history += _from_revision(revision, names)
    return imported + history, len(imported)


def _history(cycle: Cycle) -> list[models.ResultRevision]:
    """The latest revision of each earlier published cycle of the organisation, newest first."""
    revisions = (
        models.ResultRevision.objects.filter(
            cycle__organisation_id=cycle.organisation_id,
            cycle__year__lt=cycle.year,
            cycle__state=CycleState.PUBLISHED,
        )
        .select_related("cycle")
        .order_by("-cycle__year", "-published_at", "-number")
    )
    latest: dict[int, models.ResultRevision] = {}
    for revision in revisions:
        latest.setdefault(revision.cycle_id, revision)
    return list(latest.values())


def _from_revision(revision: models.ResultRevision, names: dict[int, str]) -> list[PreviousResult]:
    """The revision's results, exactly as published, under the units' names of now."""
    stored = snapshot.Stored(revision)
    ids = {name: pk for name, pk in stored.units()}
    # a revision converted from the form that held floats: its scores are known to 15 digits
    digits = FLOAT_DIGITS if revision.data.get("from_floats") else None
    results = []
    for block in snapshot.results_data(stored)["blocks"]:
        for unit in block["units"]:
            name = names.get(ids.get(unit["unit"], 0), unit["unit"])
            results.append(
                PreviousResult(
                    unit=name,
                    block=block["block"],
                    year=revision.cycle.year,
                    rank=unit["rank"],
                    score=_decimal(unit["total"]),
                    percent=_decimal(unit["percent"]),
                    tier=unit["tier"],
                    score_digits=digits,
                )
            )
    return results


def _decimal(value: Decimal | int | str | None) -> Decimal | None:
    return None if value is None else Decimal(value)


def _text(value: Decimal | None) -> str:
    """A decimal as stored: its exact text, "" for none."""
    return "" if value is None else str(value)


def _score(cycle: Cycle) -> tuple[Framework, CycleResult, list[UnitData]]:
    framework = cycle.framework.framework
    units = reviews.final_unit_data(cycle)
    try:
        result = score(framework, units, previous_results(cycle), year=cycle.year)
    except InvalidData as error:
        raise ResultsError(f"{error.unit or ''}: {error.message}".lstrip(": ")) from None
    return framework, result, units


def _draft_overclaim(cycle: Cycle) -> OverClaim | None:
    """The over-claims for the draft's table; None, and the draft without it, when the
    self-assessed answers cannot be scored (the over-claim page says why)."""
    try:
        return cycle_overclaim(cycle)
    except InvalidData as error:
        logger.warning("cycle %s: draft without its over-claim table: %s", cycle.pk, error)
        return None


def compute(cycle: Cycle) -> snapshot.Computed:
    """The cycle's results now, from the final answers (not stored): what a draft page shows
    and what publishing freezes; computed once per change of their data (results.drafts)."""
    return drafts.draft(cycle, _compute)


def _compute(cycle: Cycle) -> snapshot.Computed:
    """The draft's publication, with each unit's range of possible ranks (results.ranges);
    what is published has none. Once a review round has closed, each block's table of
    self-assessed against verified points, as a publication may have it: the over-claims
    kept (reviews.overclaim), so that the draft pages never compute them."""
    framework, result, units = _score(cycle)
    found = draft_robustness(cycle, framework, result, units)
    comparison = year_comparison(cycle, result)
    gaps = _draft_overclaim(cycle) if reviewed(cycle) else None
    publication = build_publication(framework, result, found, comparison, gaps)
    return snapshot.Computed(publication, _unit_ids(cycle))


def _unit_ids(cycle: Cycle) -> dict[str, int]:
    return dict(cycle.participations.values_list("unit__name", "unit_id"))


def _draft_digest(cycle: Cycle) -> str:
    """What a draft document is written from, read before its data: the draft results' key
    (the changes of the data they are computed from, the units' names, the code), the
    template and the cycle's name; a change of any makes another file. Read without scoring:
    a page asking for the file computes nothing."""
    source = "\n".join([drafts.draft_key(cycle), cycle.organisation.report_template, cycle.name])
    return hashlib.sha256(source.encode()).hexdigest()


def year_comparison(cycle: Cycle, result: CycleResult) -> YearComparison | None:
    """The cycle's groups (``result``: its results) against the earlier cycle of its
    criteria crosswalk, None without one: computed with the results they come with (the
    draft's job, a publication), kept in their scorecards and tables. ResultsError when the
    crosswalk cannot be followed."""
    try:
        return crosswalk.compare(cycle, result)
    except crosswalk.CrosswalkProblem as error:
        raise ResultsError(str(error)) from None


def cached_draft(cycle: Cycle, fmt: str) -> models.DraftDocument | None:
    """The draft's file in ``fmt`` written from the data as they are now, when a job has
    written it."""
    return cycle.draft_documents.filter(format=fmt, digest=_draft_digest(cycle)).first()


def write_draft(cycle: Cycle, fmt: str, *, progress: Progress = _quiet) -> models.DraftDocument:
    """Write the draft's file in ``fmt`` from the results computed now, marked as a draft, and
    keep it (replacing the files of that format written from earlier results)."""
    digest = _draft_digest(cycle)  # before the data
    if (done := cycle.draft_documents.filter(format=fmt, digest=digest).first()) is not None:
        return done
    progress(5, _("Computing the results"))
    framework, result, units = _score(cycle)
    progress(20, _("Writing the draft document"))
    comparison = year_comparison(cycle, result)
    report = None if comparison is None else build_report(framework, result, comparison=comparison)
    files = documents.write(
        cycle, framework, result, units, draft=True, formats=(fmt,), report=report
    )
    progress(95, _("Storing the draft document"))
    for old in cycle.draft_documents.filter(format=fmt):
        old.file.delete(save=False)
        old.delete()
    name = f"du-thao-ket-qua-{cycle.year}-{digest[:8]}.{fmt}"
    return models.DraftDocument.objects.create(
        cycle=cycle, format=fmt, digest=digest, file=ContentFile(files[fmt], name=name)
    )


def review_comments(cycle: Cycle, unit: Unit) -> dict[str, str]:
    """The reviewers' final comment per criterion code, shown beside the points a unit lost."""
    return reviews.final_comments(cycle, unit)


def check_previous_upload(upload: File[bytes]) -> str:
    """The file's name, once it is known not to be too large (ResultsError otherwise)."""
    name = PurePath(upload.name or "previous.csv").name
    if (upload.size or 0) > settings.EVIDENCE_MAX_BYTES:
        raise ResultsError(
            f"{name}: "
            + _("the file is larger than %(limit)s MB")
            % {"limit": settings.EVIDENCE_MAX_BYTES // (1024 * 1024)}
        )
    return name


@transaction.atomic
def import_previous(cycle: Cycle, upload: File[bytes], *, by: Any) -> int:
    """Store the results of earlier years from a file in the ``chiso score`` previous-results
    format (CSV or XLSX); they replace the imported rows of the years the file holds.
    A bad file raises ResultsError naming the file, row and column."""
    if not roles.is_assessor(by):
        raise ResultsError(_("Only the assessor imports results of earlier years."))
    name = check_previous_upload(upload)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        with path.open("wb") as handle:
            for chunk in upload.chunks():
                handle.write(chunk)
        try:
            rows = read_previous([path], framework=cycle.framework.framework, year=cycle.year)
        except DataError as error:
            raise ResultsError(file_problem(name, error)) from None
    if not rows:
        raise ResultsError(f"{name}: " + _("no results in the file"))
    years = sorted({r.year for r in rows})
    cycle.previous_results.filter(year__in=years).delete()
    models.PreviousResult.objects.bulk_create(
        models.PreviousResult(
            cycle=cycle,
            unit=r.unit,
            block=r.block,
            year=r.year,
            rank=r.rank,
            score=_text(r.score),
            percent=_text(r.percent),
            tier=r.tier or "",
            source_name=name,
            imported_by=by if by.is_authenticated else None,
        )
        for r in rows
    )
    record(
        Action.PREVIOUS_IMPORTED,
        actor=by,
        cycle=cycle,
        new=", ".join(map(str, years)),
        note=f"{name}: {len(rows)}",
    )
    return len(rows)


def publish(
    cycle: Cycle,
    *,
    by: Any,
    seen: str | None = None,
    progress: Progress = _quiet,
    job: int | None = None,
    overclaim: bool = False,
) -> models.ResultRevision:
    """Freeze the results and publish the cycle (its state goes to published). ``seen``: the
    facts its confirmation page stated; StalePublication when the results changed since.
    ``overclaim``: the publication has each block's table of self-assessed against verified
    totals (chiso.web.reviews.overclaim).
    AlreadyPublished, naming the revision, when the cycle is published already (confirmed
    twice): a publication happens once.

    The documents are written outside the transaction (they take the longest); under the
    cycle's lock the results are computed again and must be those the documents show."""
    if not roles.is_assessor(by):
        raise TransitionNotAllowed(_("Only the assessor changes the state of a cycle."))
    cycle = _fresh(cycle)
    _refuse_published(cycle)

    def settle(locked: Cycle) -> Cycle:
        _refuse_published(locked)
        return change_state(locked, CycleState.PUBLISHED, by=by)  # refused unless under review

    return _revise(
        cycle,
        _facts,
        seen,
        settle,
        _tell_published,
        by=by,
        reason="",
        job=job,
        progress=progress,
        overclaim=overclaim,
    )


class AlreadyPublished(ResultsError):
    """The cycle is published already: its latest revision."""

    def __init__(self, revision: models.ResultRevision) -> None:
        super().__init__(
            _("The results are already published (revision %(n)s).") % {"n": revision.number}
        )
        self.revision = revision


def check_publication(cycle: Cycle, seen: str, not_publishable: str) -> None:
    """The confirmation's facts against the results now, before the publication's job
    starts (:func:`publish` checks them again under the cycle's lock): StalePublication when
    they changed, or none were seen; ResultsError(``not_publishable``) when the cycle is not
    under review. A published cycle passes: its job shows the publication done."""
    if not seen:
        raise StalePublication(_("Check what publishing does, then confirm it."))
    if cycle.state == CycleState.PUBLISHED:
        return
    if cycle.state != CycleState.UNDER_REVIEW:
        raise ResultsError(not_publishable)
    if publication_facts(cycle).seen != seen:
        raise _stale()


def _fresh(cycle: Cycle) -> Cycle:
    """The cycle as stored now (the caller's copy may predate a change of its state)."""
    return Cycle.objects.select_related("framework", "organisation").get(pk=cycle.pk)


def _refuse_published(cycle: Cycle) -> None:
    if cycle.state == CycleState.PUBLISHED:
        latest = cycle.revisions.order_by("-number").first()
        if latest is not None:
            raise AlreadyPublished(latest)


def _stale() -> StalePublication:
    return StalePublication(
        _(
            "The results changed since the confirmation was shown: nothing was published. "
            "Check the new numbers and confirm again."
        )
    )


def _tell_published(cycle: Cycle) -> None:
    """Every person of the cycle's units, with the link to their unit's scorecard."""
    units = list(Unit.objects.filter(participations__cycle=cycle))
    people = people_by_unit(unit.pk for unit in units)
    for unit in units:
        notify(
            people.get(unit.pk, []),
            Kind.PUBLISHED,
            gettext_noop(
                "The results of “%(cycle)s” are published: see the scorecard of %(unit)s."
            ),
            {"cycle": cycle.name, "unit": unit},
            link=reverse("results:scorecard", args=[cycle.pk, unit.pk]),
        )


@dataclass(frozen=True)
class CorrectionFacts:
    """What a correction would publish against the latest revision, counted for its
    confirmation page; the correction is refused when these changed since (``seen``)."""

    revision: int
    """The latest revision's number, which the correction follows."""
    totals: int
    ranks: int
    tiers: int
    """Units whose total, rank or tier the correction changes."""
    digest: str

    @property
    def seen(self) -> str:
        return ",".join(map(str, astuple(self)))


def _correction_facts(cycle: Cycle, framework: Framework, result: CycleResult) -> CorrectionFacts:
    latest = cycle.revisions.order_by("-number").first()
    text = json_text(framework, result)
    before = _by_unit(snapshot.results_data(snapshot.Stored(latest))) if latest else {}
    after = _by_unit(json.loads(text, parse_float=Decimal))
    changed = {
        key: sum(before.get(unit, {}).get(key) != row.get(key) for unit, row in after.items())
        for key in ("total", "rank", "tier")
    }
    digest = hashlib.sha256(text.encode()).hexdigest()[:16]
    number = latest.number if latest else 0
    return CorrectionFacts(number, changed["total"], changed["rank"], changed["tier"], digest)


def _by_unit(data: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {unit["unit"]: unit for block in data["blocks"] for unit in block["units"]}


def correction_facts(cycle: Cycle) -> CorrectionFacts:
    """What a correction would change now (ResultsError when the results cannot be computed)."""
    framework, result, _units = _score(cycle)
    return _correction_facts(cycle, framework, result)


def correct(
    cycle: Cycle,
    *,
    reason: str,
    by: Any,
    seen: str | None = None,
    progress: Progress = _quiet,
    job: int | None = None,
) -> models.ResultRevision:
    """A correction of published results: the results computed again from the final answers,
    stored as the next revision with its reason; the earlier revisions stay. ``seen``: the
    facts its confirmation page stated; StalePublication when they changed since. A ``job``
    run again finds the revision it stored (AlreadyPublished) instead of storing another."""
    if not roles.is_assessor(by):
        raise ResultsError(_("Only the assessor corrects published results."))
    _check_reason(reason)
    cycle = _fresh(cycle)
    _refuse_published_by(cycle, job)
    if cycle.state != CycleState.PUBLISHED:
        raise ResultsError(_("Only published results are corrected; publish them first."))

    def settle(locked: Cycle) -> Cycle:
        _refuse_published_by(locked, job)
        return locked

    return _revise(
        cycle,
        _correction_facts,
        seen,
        settle,
        lambda _cycle: None,
        by=by,
        reason=reason.strip(),
        job=job,
        progress=progress,
        overclaim=_has_overclaim(cycle),
    )


def _has_overclaim(cycle: Cycle) -> bool:
    """Whether the cycle's latest revision has the over-claim tables: a correction keeps the
    choice made when publishing."""
    latest = cycle.revisions.order_by("-number").first()
    if latest is None:
        return False
    return any(e.title.startswith(OVERCLAIM_TITLE) for e in snapshot.Stored(latest).contents())


def check_correction(cycle: Cycle, reason: str, seen: str) -> None:
    """What :func:`correct` would refuse at once, refused before its job starts."""
    if not seen:
        raise StalePublication(_("Check what the correction does, then confirm it."))
    if cycle.state != CycleState.PUBLISHED:
        raise ResultsError(_("Only published results are corrected; publish them first."))
    _check_reason(reason)
    if correction_facts(cycle).seen != seen:
        raise _stale()


def _check_reason(reason: str) -> None:
    if not reason.strip():
        raise ResultsError(_("A correction needs its reason."))
    if has_control_characters(reason):  # PostgreSQL stores no NUL; no document prints one
        raise ResultsError(_("The reason holds a control character: remove it."))


def _refuse_published_by(cycle: Cycle, job: int | None) -> None:
    done = cycle.revisions.filter(job_id=job).first() if job is not None else None
    if done is not None:
        raise AlreadyPublished(done)


class _Facts(Protocol):
    @property
    def seen(self) -> str: ...


F = TypeVar("F", bound=_Facts)


def _revise(
    cycle: Cycle,
    facts_of: Callable[[Cycle, Framework, CycleResult], F],
    seen: str | None,
    settle: Callable[[Cycle], Cycle],
    then: Callable[[Cycle], None],
    *,
    by: Any,
    reason: str,
    job: int | None,
    progress: Progress,
    overclaim: bool = False,
) -> models.ResultRevision:
    """The cycle's next revision, for publication and correction alike. The documents are
    written first, outside any lock (they take the longest); then, under the cycle's lock,
    the results are computed again and ``settle`` refuses or changes the cycle's state: the
    results must be those the documents show (``facts_of`` equal), else StalePublication and
    the transaction is rolled back; ``then`` runs in the same transaction once the revision is
    stored. ``seen``: the facts the confirmation page stated."""
    progress(5, _("Computing the results"))
    scored = _score(cycle)
    facts = facts_of(cycle, scored[0], scored[1])
    if seen is not None and seen != facts.seen:
        raise _stale()
    progress(25, _("Writing the decision, its appendix and the workbook"))
    written = _write(cycle, *scored, overclaim=overclaim)
    progress(90, _("Storing the publication"))
    with transaction.atomic():
        cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
        again = _score(cycle)
        cycle = settle(cycle)
        if facts_of(cycle, again[0], again[1]) != facts:
            raise _stale()
        revision = _store(cycle, *written, by=by, reason=reason, job=job)
        then(cycle)
    return revision


def _write(
    cycle: Cycle,
    framework: Framework,
    result: CycleResult,
    units: list[UnitData],
    *,
    overclaim: bool = False,
) -> tuple[Publication, dict[str, bytes]]:
    """The publication and its files (decision, appendix, workbook) of these results; with
    ``overclaim``, the over-claims the review's pages show."""
    publication: Publication = build_publication(
        framework,
        result,
        comparison=year_comparison(cycle, result),
        overclaim=cycle_overclaim(cycle) if overclaim else None,
    )
    files = documents.write(cycle, framework, result, units, draft=False, report=publication.report)
    return publication, files


def _store(
    cycle: Cycle,
    publication: Publication,
    files: dict[str, bytes],
    *,
    by: Any,
    reason: str,
    job: int | None,
) -> models.ResultRevision:
    """Store the results and their publication files as the cycle's next revision."""
    last = cycle.revisions.order_by("-number").first()
    revision = models.ResultRevision.objects.create(
        cycle=cycle,
        number=(last.number + 1) if last else 1,
        framework=cycle.framework,
        data=snapshot.head(publication),
        reason=reason,
        published_by=by if by.is_authenticated else None,
        job_id=job,
    )
    snapshot.store(revision, publication, _unit_ids(cycle))
    documents.store(revision, files)
    record(
        Action.PUBLISHED,
        actor=by,
        cycle=cycle,
        old=str(last.number) if last else "",
        new=str(revision.number),
        note=reason,
    )
    return revision
