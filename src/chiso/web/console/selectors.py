"""Reads of the dashboard of a cycle: the state of every unit taking part, the counts per
block and state, and the units a search, the filters and a sort choose."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass, replace
from typing import Any

from django.db.models import F, OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from chiso.core.tiers import name_sort_key
from chiso.web.audit.kept import Reads, kept
from chiso.web.audit.models import Action
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.results.display import fold
from chiso.web.reviews.selectors import reviewed_participations
from chiso.web.submissions.completeness import Completeness, Required, completeness
from chiso.web.submissions.models import Evidence, SubmissionState
from chiso.web.submissions.scoring import answer_rows, answered_codes, evidence_by_submission

NOTHING = "nothing"
REOPENED = "reopened"
REVIEWED = "reviewed"
UNIT_STATES = (
    (NOTHING, _("Not started")),
    (SubmissionState.DRAFT.value, SubmissionState.DRAFT.label),
    (SubmissionState.SUBMITTED.value, SubmissionState.SUBMITTED.label),
    (REOPENED, pgettext_lazy("a self-assessment's state", "Reopened")),
    (REVIEWED, pgettext_lazy("a self-assessment's state", "Reviewed")),
)
"""A unit's state on the dashboard, in the order of the cycle: reopened is a draft that was
submitted before; reviewed, a submitted unit whose review is done
(:func:`chiso.web.reviews.selectors.reviewed_participations`)."""
HAS_SUBMITTED = (SubmissionState.SUBMITTED.value, REVIEWED)
PAGE_LIMIT = 200
"""Up to this many units, their answers are read by their ids; beyond, the cycle's."""

SORTS = (
    ("name", _("Name")),
    ("state", _("State")),
    ("activity", _("Last activity")),
    ("missing", _("Missing answers")),
)


@dataclass(frozen=True)
class UnitRow:
    """A unit taking part, as the dashboard lists it: read as a tuple for every unit of the
    cycle (a national cycle's 4,000 models took a quarter of a second to build per view),
    with its models for the rows a page shows."""

    pk: int
    """The participation's id."""
    unit_name: str
    block: str
    block_name: str
    state: str
    last_activity: datetime.datetime | None
    late: bool
    signed_scan: bool
    submission_pk: int | None
    completeness: Completeness | None = None
    """Read for the rows shown, not for every unit of the cycle (:func:`with_completeness`)."""
    missing: int | None = None
    """How many criteria the unit has left unanswered, for the sort (:func:`with_missing`)."""
    participation: Participation | None = None
    """The participation with its unit, read for the rows shown (:func:`with_completeness`)."""

    @property
    def state_label(self) -> str:
        return str(dict(UNIT_STATES)[self.state])

    @property
    def locked(self) -> bool:
        return self.state in HAS_SUBMITTED


def unit_rows(cycle: Cycle, today: datetime.date) -> list[UnitRow]:
    """Each participating unit's state, last activity and lateness, in the framework's order
    of blocks and by name (at most seven queries whatever the number of units); their
    completeness and models are read for the rows a page shows (:func:`with_completeness`)."""
    framework = cycle.framework.framework
    latest = Evidence.objects.current().filter(submission=OuterRef("submission"))
    updated = F("submission__updated_at")
    upload = Subquery(latest.order_by("-uploaded_at").values("uploaded_at")[:1])
    participations = cycle.participations.order_by().annotate(
        last_activity=Greatest(
            updated, Coalesce("submission__submitted_at", updated), Coalesce(upload, updated)
        )
    )
    reviewed = reviewed_participations(cycle)
    past_deadline = cycle.deadline is not None and today > cycle.deadline
    names = {block.code: block.name for block in framework.blocks}
    rows = []
    for pk, block, unit_name, submission_pk, state, submitted_at, scan, last in (
        participations.values_list(
            "pk", "block", "unit__name", "submission__pk", "submission__state",
            "submission__submitted_at", "submission__signed_scan", "last_activity",
        )
    ):  # fmt: skip
        if submission_pk is None:
            row_state, last, scan = NOTHING, None, False
        else:
            row_state = _state(state, submitted_at, pk in reviewed)
        late = past_deadline and row_state not in HAS_SUBMITTED
        name = names.get(block, block)
        row = UnitRow(pk, unit_name, block, name, row_state, last, late, bool(scan), submission_pk)
        rows.append(row)
    order = {block.code: position for position, block in enumerate(framework.blocks)}
    return sorted(rows, key=lambda r: (order.get(r.block, 0), _name_key(r)))


def with_completeness(cycle: Cycle, rows: Iterable[UnitRow]) -> list[UnitRow]:
    """The rows with their completeness and their participation with its unit: the answers
    and evidence of their units only (three queries)."""
    rows = list(rows)
    framework = cycle.framework.framework
    ids: list[int] | None = [row.submission_pk for row in rows if row.submission_pk is not None]
    if len(ids or ()) > PAGE_LIMIT:  # the whole cycle is read faster than a long list of ids
        ids = None
    answers, evidence = answer_rows(cycle, ids), evidence_by_submission(cycle, ids)
    shown = cycle.participations.select_related("unit").in_bulk([row.pk for row in rows])
    return [
        replace(
            row,
            completeness=completeness(
                framework,
                row.block,
                answers.get(row.submission_pk or 0, []),
                evidence.get(row.submission_pk or 0, ()),
            ),
            participation=shown[row.pk],
        )
        for row in rows
        if row.pk in shown  # not one taken out of the cycle since its row was read
    ]


def with_missing(cycle: Cycle, rows: Iterable[UnitRow]) -> list[UnitRow]:
    """The rows with their unit's count of unanswered criteria (:func:`missing_answers`)."""
    counts = missing_answers(cycle)
    return [replace(row, missing=counts.get(row.pk, 0)) for row in rows]


def missing_answers(cycle: Cycle) -> dict[int, int]:
    """How many criteria each unit taking part (by its participation's id) has left
    unanswered, as :func:`chiso.web.submissions.completeness.completeness` counts them:
    counted once per change of the cycle (a national cycle's half a million answers), from
    its answers and units, which change only with an entry in its trail; after a change of
    some units, counted again for them alone (:func:`chiso.web.audit.kept.kept`)."""
    return kept(
        cycle, "missing", count_missing, dict,
        reads=Reads.CYCLE, recount=count_missing, passes=MISSING_PASSES,
    )  # fmt: skip


MISSING_PASSES = frozenset(
    {Action.CYCLE_STATE, Action.ROUND, Action.ASSIGNMENT, Action.PUBLISHED,
     Action.PREVIOUS_IMPORTED}
)  # fmt: skip
"""The changes of a whole cycle that leave its missing answers as they are: they change no
answer, no unit taking part and not the framework."""


def count_missing(
    cycle: Cycle, before: dict[int, int] | None = None, units: set[int] | None = None
) -> dict[int, int]:
    """The counts of :func:`missing_answers`, read whole; or ``before``'s, read again for the
    units (by their ids) taking part that changed since, and for those that joined (those
    that left drop out): the answers of these units alone (two queries, and the framework)."""
    framework = cycle.framework.framework
    rows = cycle.participations.order_by().values_list("pk", "unit_id", "block", "submission__pk")
    kept_counts = {} if before is None else before
    again = [
        (pk, block, submission_pk)
        for pk, unit, block, submission_pk in rows
        if units is None or unit in units or pk not in kept_counts
    ]
    ids = None if units is None else [pk for _pk, _block, pk in again if pk is not None]
    if len(ids or ()) > PAGE_LIMIT:  # the whole cycle is read faster than a long list of ids
        ids = None
    answered = answered_codes(cycle, ids)
    required: dict[str, Required] = {}
    counts = {pk: kept_counts[pk] for pk, _unit, _block, _submission in rows if pk in kept_counts}
    for pk, block, submission_pk in again:
        if block not in required:
            required[block] = Required(framework, block)
        counts[pk] = len(required[block].unanswered(answered.get(submission_pk, ())))
    return counts


def _state(state: str, submitted_at: datetime.datetime | None, reviewed: bool) -> str:
    if state == SubmissionState.SUBMITTED:
        return REVIEWED if reviewed else state
    return REOPENED if submitted_at is not None else state


@dataclass(frozen=True)
class StateCount:
    state: str
    label: str
    count: int


@dataclass(frozen=True)
class Tally:
    """How many units of the cycle (``block`` ""), or of one block, are in each state."""

    block: str
    label: str
    total: int
    states: list[StateCount]

    @property
    def submitted(self) -> int:
        """Units that have submitted, reviewed ones included ("24/32 đã nộp")."""
        return sum(s.count for s in self.states if s.state in HAS_SUBMITTED)


def tallies(cycle: Cycle, rows: Iterable[UnitRow]) -> list[Tally]:
    """The whole cycle's counts, then each block's that has units, in the framework's order."""
    rows = list(rows)
    found = [("", str(_("Whole cycle")), rows)]
    for block in cycle.framework.framework.blocks:
        own = [row for row in rows if row.block == block.code]
        if own:
            found.append((block.code, block.name, own))
    return [
        Tally(
            code,
            label,
            len(chosen),
            [
                StateCount(state, str(name), sum(row.state == state for row in chosen))
                for state, name in UNIT_STATES
            ],
        )
        for code, label, chosen in found
    ]


def _name_key(row: UnitRow) -> Any:
    return name_sort_key(row.unit_name)


def _activity_key(row: UnitRow) -> Any:
    # the latest first; units with nothing done last
    last = row.last_activity
    return (last is None, -last.timestamp() if last else 0, _name_key(row))


_STATE_ORDER = {state: position for position, (state, _label) in enumerate(UNIT_STATES)}
_SORT_KEYS: dict[str, Callable[[UnitRow], Any]] = {
    "name": _name_key,
    "state": lambda row: (_STATE_ORDER[row.state], _name_key(row)),
    "activity": _activity_key,
    "missing": lambda row: (-_missing(row), _name_key(row)),
}


def _missing(row: UnitRow) -> int:
    if row.missing is None:
        raise ValueError("the rows sorted by missing answers need their count (with_missing)")
    return row.missing


def choose(
    rows: Iterable[UnitRow], *, block: str = "", state: str = "", search: str = "", sort: str = ""
) -> list[UnitRow]:
    """The rows of one block and state whose unit's name holds ``search`` (without case or
    accents: "ha noi" finds "Hà Nội"), sorted by ``sort`` (else as given; sorted by missing
    answers, the rows need their count: :func:`with_missing`)."""
    wanted = fold(search)
    chosen = [
        row
        for row in rows
        if (not block or row.block == block)
        and (not state or row.state == state)
        and (not wanted or wanted in fold(row.unit_name))
    ]
    key = _SORT_KEYS.get(sort)
    return sorted(chosen, key=key) if key else chosen


def days_to_deadline(cycle: Cycle, today: datetime.date) -> int | None:
    """Days left to the cycle's deadline (negative: past it) while units still answer; None
    without a deadline, and once the cycle is under review or published (the deadline is
    behind it: what counts is the review)."""
    if cycle.deadline is None or cycle.state not in (CycleState.DRAFT, CycleState.OPEN):
        return None
    return (cycle.deadline - today).days
