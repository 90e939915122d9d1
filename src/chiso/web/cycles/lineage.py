"""The assessor's unit lineage: which units of earlier years each of its units continues
(renamed, merged, split), added one link at a time or from a lineage file in the format of
``chiso score --lineage`` (docs/frameworks.md section 13), and the merge policy of a cycle.

Every change is in the audit trail. A link is the assessor's, not a cycle's: a change counts
as a change of each of the assessor's cycles, whose results are computed from it
(results.drafts keeps draft results until their cycle's count changes)."""

from __future__ import annotations

import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chiso.core.lineage import Lineage, LineageError, Link, carry
from chiso.core.lineage import MergePolicy as CorePolicy
from chiso.core.messages import say
from chiso.core.tiers import normalize_name
from chiso.io.lineage import read_lineage
from chiso.io.tables import DataError
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import count_changes, describe, record
from chiso.web.cycles.models import Cycle, CycleState, MergePolicy, Organisation, Unit, UnitLink
from chiso.web.cycles.services import file_problem, message_language, table_upload_problem

__all__ = [
    "MAX_BYTES",
    "DescribedLink",
    "LineageRefused",
    "add_link",
    "change_link",
    "core_lineage",
    "described_links",
    "import_lineage",
    "lineage_problem",
    "link_problem",
    "remove_link",
    "set_merge_policy",
]

MAX_BYTES = 2 * 1024 * 1024
"""A lineage file holds a line per link: a few thousand communes fit in far less."""


class LineageRefused(Exception):
    """A link or a file that cannot be stored; the message is for people (file, row, field).
    ``field``: the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def core_lineage(organisation_id: int, policy: str) -> Lineage:
    """The assessor's links as the core follows them, under the cycle's ``policy``."""
    links = UnitLink.objects.filter(unit__organisation_id=organisation_id).select_related("unit")
    return Lineage(
        tuple(Link(link.year, link.unit.name, link.earlier, link.weight) for link in links),
        CorePolicy(policy),
    )


@dataclass(frozen=True)
class DescribedLink:
    link: UnitLink
    kind: str
    """``renamed``, ``merged`` (several links into the unit in its year) or ``split`` (one
    earlier unit continued by several units in its year)."""
    carries: bool
    """Whether it carries an earlier result into the cycle: some earlier year of the cycle is
    before the link's year, and it is not the unit's only link of its year, to itself."""


def described_links(links: list[UnitLink], years: Collection[int]) -> list[DescribedLink]:
    """Each link with what it is, for a cycle whose earlier years are ``years``."""
    into: dict[tuple[int, int], int] = {}
    out: dict[tuple[int, str], int] = {}
    for link in links:
        into[link.unit_id, link.year] = into.get((link.unit_id, link.year), 0) + 1
        key = (link.year, normalize_name(link.earlier))
        out[key] = out.get(key, 0) + 1
    described = []
    for link in links:
        if into[link.unit_id, link.year] > 1:
            kind = "merged"
        elif out[link.year, normalize_name(link.earlier)] > 1:
            kind = "split"
        else:
            kind = "renamed"
        alone = into[link.unit_id, link.year] == 1
        itself = alone and normalize_name(link.earlier) == normalize_name(link.unit.name)
        idle = itself or not any(year < link.year for year in years)
        described.append(DescribedLink(link, kind, not idle))
    return described


@transaction.atomic
def add_link(unit: Unit, *, year: int, earlier: str, weight: Decimal | None, by: Any) -> UnitLink:
    """From ``year`` on, ``unit`` continues the earlier unit ``earlier``."""
    _check_assessor(by)
    link = _store(UnitLink(), unit, year, earlier, weight)
    _record(Action.ADDED, link, by=by, new=_text(link))
    return link


@transaction.atomic
def change_link(
    link: UnitLink, *, unit: Unit, year: int, earlier: str, weight: Decimal | None, by: Any
) -> UnitLink:
    """A link corrected (its unit, year, earlier unit or weight), as one change."""
    _check_assessor(by)
    stored = UnitLink.objects.select_related("unit").get(pk=link.pk)
    old, target = _text(stored), describe(stored)
    link = _store(stored, unit, year, earlier, weight)
    if (new := _text(link)) != old:
        _record(Action.CHANGED, link, by=by, old=old, new=new, target=target)
    return link


def link_problem(
    unit: Unit, *, year: int, earlier: str, weight: Decimal | None, link: UnitLink | None = None
) -> LineageRefused | None:
    """What :func:`add_link` (or :func:`change_link` of ``link``) would refuse, found without
    keeping anything: the change is tried in a savepoint that is rolled back."""
    try:
        with transaction.atomic():
            stored = UnitLink.objects.get(pk=link.pk) if link and link.pk else UnitLink()
            _store(stored, unit, year, earlier, weight)
            raise _Tried
    except LineageRefused as refused:
        return refused
    except _Tried:
        return None


class _Tried(Exception):
    """A change tried and rolled back (link_problem)."""


def _store(link: UnitLink, unit: Unit, year: int, earlier: str, weight: Decimal | None) -> UnitLink:
    """``link`` saved with these values, unless the unit continues the earlier unit from that
    year already or the assessor's cycles cannot follow the links then (LineageRefused; the
    caller's transaction drops the change)."""
    earlier = earlier.strip()
    if any(
        other.pk != link.pk
        and other.year == year
        and normalize_name(other.earlier) == normalize_name(earlier)
        for other in unit.lineage.all()
    ):
        raise LineageRefused(
            _("%(unit)s already continues %(earlier)s from %(year)s.")
            % {"unit": unit.name, "earlier": earlier, "year": year}
        )
    organisations = {unit.organisation_id}
    if link.pk is not None:
        organisations.add(link.unit.organisation_id)
    link.unit, link.year, link.earlier, link.weight = unit, year, earlier, weight
    link.save()
    for organisation_id in sorted(organisations):
        if problem := _policy_problem(organisation_id):
            raise LineageRefused(problem, "weight")
    return link


@transaction.atomic
def remove_link(link: UnitLink, *, by: Any) -> None:
    _check_assessor(by)
    text, target = _text(link), describe(link)
    _record(Action.DELETED, link, by=by, old=text, target=target)
    link.delete()


@transaction.atomic
def import_lineage(organisation: Organisation, name: str, data: bytes, *, by: Any) -> int:
    """Add the links of a lineage file (CSV or XLSX); the links it holds that are stored
    already stay as they are. Returns the number added. A bad file adds nothing and raises
    LineageRefused naming the file, row and column."""
    _check_assessor(by)
    name = PurePath(name or "lineage.csv").name
    if problem := table_upload_problem(name, data, limit=MAX_BYTES):
        raise LineageRefused(problem)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            found = read_lineage(path)
        except DataError as error:
            raise LineageRefused(file_problem(name, error)) from None
    units = {normalize_name(unit.name): unit for unit in organisation.units.all()}
    stored = {
        (link.unit_id, link.year, normalize_name(link.earlier))
        for link in UnitLink.objects.filter(unit__organisation=organisation)
    }
    added = 0
    for link, row in zip(found.lineage.links, found.rows, strict=True):
        unit = units.get(normalize_name(link.unit))
        if unit is None:
            message = _("no unit of the assessor is named %(unit)s") % {"unit": link.unit}
            raise LineageRefused(file_problem(name, DataError(name, message, row, "unit")))
        key = (unit.pk, link.year, normalize_name(link.earlier))
        if key in stored:
            continue
        stored.add(key)
        new = UnitLink.objects.create(
            unit=unit, year=link.year, earlier=link.earlier, weight=link.weight
        )
        _record(Action.ADDED, new, by=by, new=_text(new), note=name)
        added += 1
    if problem := _policy_problem(organisation.pk):
        raise LineageRefused(f"{name}: {problem}")  # the atomic block drops the links
    return added


def _policy_problem(organisation_id: int) -> str:
    """Why the assessor's links cannot be followed under the merge policy of one of its
    cycles (a merger without weights under ``largest``), or nothing."""
    policies = Cycle.objects.filter(organisation_id=organisation_id).order_by("year", "pk")
    for cycle in policies.exclude(merge_policy=MergePolicy.BEST):
        if problem := _merger_problem(organisation_id, cycle.merge_policy, cycle.name):
            return problem
    return ""


def _merger_problem(organisation_id: int, policy: str, cycle: str) -> str:
    """Why the assessor's links cannot be followed under ``policy`` in the cycle named
    ``cycle``, in the page's language, or nothing."""
    lineage = core_lineage(organisation_id, policy)
    try:
        carry([], [], lineage)
    except LineageError as error:
        problem = lineage_problem(lineage, error, cycle)
        if error.message.startswith("the merger into"):
            return problem
        return _("Unit lineage: %(problem)s") % {"problem": problem}
    return ""


def lineage_problem(lineage: Lineage, error: LineageError, cycle: str) -> str:
    """The core's ``error`` following ``lineage`` in the cycle named ``cycle``, in the page's
    language (a merger without weights under ``largest``: which weight to give)."""
    if error.link is None or not error.message.startswith("the merger into"):
        return str(say(error.message, message_language()))
    link = lineage.links[error.link]
    return _(
        "%(unit)s is merged from several earlier units in %(year)s and the cycle "
        "%(cycle)s keeps the earlier result of the largest: give the weight of %(earlier)s."
    ) % {"unit": link.unit, "year": link.year, "cycle": cycle,
         "earlier": link.earlier}  # fmt: skip


@transaction.atomic
def set_merge_policy(cycle: Cycle, policy: str, *, by: Any) -> None:
    """The cycle's merge policy; ``largest`` needs the weight of every merged predecessor."""
    _check_assessor(by)
    policy = MergePolicy(policy)
    if policy == cycle.merge_policy:
        return
    if problem := _merger_problem(cycle.organisation_id, policy, cycle.name):
        raise LineageRefused(problem)
    old = cycle.merge_policy
    Cycle.objects.filter(pk=cycle.pk).update(merge_policy=policy)
    cycle.merge_policy = policy
    label = _("Merge policy")
    record(Action.CHANGED, actor=by, cycle=cycle, target=describe(cycle),
           old=f"{label}: {MergePolicy(old).label}",
           new=f"{label}: {policy.label}")  # fmt: skip


def _check_assessor(by: Any) -> None:
    if not roles.is_assessor(by):
        raise LineageRefused(_("Only the assessor changes the unit lineage."))


def _text(link: UnitLink) -> str:
    weight = f" ({link.weight.normalize():f})" if link.weight is not None else ""
    return f"{link.year}: {link.unit.name} ← {link.earlier}{weight}"


def _record(
    action: Action, link: UnitLink, *, by: Any, old: str = "", new: str = "",
    note: str = "", target: str = "",
) -> None:  # fmt: skip
    """The entry of a change of a link, in the trail of each of the assessor's cycles not
    published (whose results it changes), and counted as a change of each of its cycles."""
    cycles = Cycle.objects.filter(organisation_id=link.unit.organisation_id)
    open_: list[Cycle | None] = list(cycles.exclude(state=CycleState.PUBLISHED).order_by("pk"))
    for cycle in open_ or [None]:
        record(action, actor=by, cycle=cycle, unit=link.unit, target=target or describe(link),
               old=old, new=new, note=note)  # fmt: skip
    recorded = [cycle.pk for cycle in open_ if cycle is not None]  # record() counted these
    count_changes(list(cycles.exclude(pk__in=recorded).values_list("pk", flat=True)))
