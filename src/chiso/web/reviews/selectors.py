"""Reads of review data: the answers that count, the live scores, the reviewers' queues and
the history of a criterion. Every score comes from chiso.core through submissions.scoring."""

from __future__ import annotations

import datetime
import hashlib
from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import astuple, dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import NamedTuple, Protocol

from django.db.models import Count, Exists, OuterRef, Q, QuerySet

from chiso.core import Framework, Status, UnitData, UnitResult
from chiso.core.scoring import score_unit
from chiso.web.accounts.models import User
from chiso.web.audit.kept import Reads, kept
from chiso.web.audit.models import Action
from chiso.web.cycles.models import Cycle, Participation, Unit
from chiso.web.reviews.access import Scope
from chiso.web.reviews.models import Assignment, Response, ResponseFile, Review, Stage, Verdict
from chiso.web.submissions.models import Answer, Evidence, Submission, SubmissionState
from chiso.web.submissions.scoring import (
    ANSWER_FIELDS,
    AnswerLike,
    AnswerRow,
    Reader,
    answer_rows,
    evidence_by_submission,
    unit_data,
)


def review_of(cycle: Cycle) -> Review | None:
    return Review.objects.filter(cycle=cycle).first()


def reviewable_codes(framework: Framework, block: str) -> list[str]:
    """The criteria a reviewer decides on, in framework order: the leaves, and the groups a
    unit may declare not applicable."""
    maxima = framework.max_for(block)
    return [
        node.code
        for root in framework.criteria
        for node in root.walk()
        if node.code in maxima and (node.is_leaf or node.not_applicable)
    ]


class VerdictLike(AnswerLike, Protocol):
    @property
    def round(self) -> int: ...

    @property
    def verified(self) -> bool: ...


class VerdictRow(NamedTuple):
    """A verdict read as a tuple, as a whole cycle's verdicts are read."""

    round: int
    verified: bool
    code: str
    value: str
    denominator: Decimal | None
    not_applicable: bool


def as_answer(verdict: AnswerLike) -> AnswerRow:
    """A verdict in the form of a self-assessment answer, for submissions.scoring."""
    return AnswerRow(verdict.code, verdict.value, verdict.denominator, verdict.not_applicable)


def merged_answers(
    answers: Iterable[AnswerLike], verdicts: Iterable[VerdictLike], rounds: Iterable[int]
) -> list[AnswerLike]:
    """The submitted answers, each replaced by the verified answer of the latest of
    ``rounds`` that gave one."""
    rows: dict[str, AnswerLike] = {answer.code: answer for answer in answers}
    wanted = set(rounds)
    for verdict in sorted(verdicts, key=lambda v: v.round):
        if verdict.verified and verdict.round in wanted:
            rows[verdict.code] = as_answer(verdict)
    return list(rows.values())


def _unit_data(
    framework: Framework,
    participation: Participation,
    submission: Submission,
    verdicts: Iterable[Verdict],
    response_codes: Iterable[str],
    rounds: Iterable[int],
    status: Status | None = None,
) -> UnitData:
    evidence = [e.code for e in submission.evidence.all() if e.removed_at is None]
    answers = merged_answers(submission.answers.all(), verdicts, rounds)
    return unit_data(framework, participation, answers, [*evidence, *response_codes], status=status)


def final_unit_data(cycle: Cycle, rounds: Iterable[int] | None = None) -> list[UnitData]:
    """Every participating unit's answers as the results count them: the verified answers of
    the latest closed review round where a reviewer gave one, else the submitted answers;
    units that did not submit are ``no_data``. Read as tuples, in five queries. ``rounds``:
    the answers as they stood after those rounds only (by default every closed round)."""
    framework = cycle.framework.framework
    if rounds is None:
        review = review_of(cycle)
        rounds = review.closed_rounds if review else ()
    rounds = tuple(rounds)
    participations = cycle.participations.select_related("unit", "submission")
    answers, evidence = answer_rows(cycle), evidence_by_submission(cycle)
    reader = Reader(framework)
    verdicts: dict[int, list[VerdictRow]] = defaultdict(list)
    found = Verdict.objects.filter(participation__cycle=cycle, round__in=rounds, verified=True)
    for pk, *fields in found.values_list("participation_id", "round", "verified", *ANSWER_FIELDS):
        verdicts[pk].append(VerdictRow(*fields))
    responded: dict[int, set[str]] = defaultdict(set)
    files = ResponseFile.objects.filter(response__participation__cycle=cycle)
    for pk, code in files.values_list("response__participation_id", "response__code"):
        responded[pk].add(code)
    units = []
    for participation in participations:
        submission = getattr(participation, "submission", None)
        if submission is None or submission.state != SubmissionState.SUBMITTED:
            units.append(UnitData(participation.unit.name, participation.block, {}, Status.NO_DATA))
            continue
        merged = merged_answers(answers[submission.pk], verdicts[participation.pk], rounds)
        codes = [*evidence[submission.pk], *responded[participation.pk]]
        units.append(unit_data(framework, participation, merged, codes, reader=reader))
    return units


def final_comments(cycle: Cycle, unit: Unit) -> dict[str, str]:
    """The reviewers' comment per criterion of ``unit`` from the latest closed round that has
    one: what the scorecard shows beside the points the unit lost."""
    review = review_of(cycle)
    rounds = review.closed_rounds if review else ()
    verdicts = Verdict.objects.filter(
        participation__cycle=cycle, participation__unit=unit, round__in=rounds
    ).exclude(comment="")
    return {v.code: v.comment for v in sorted(verdicts, key=lambda v: v.round)}


def scores_of(participation: Participation, rounds: Iterable[int]) -> dict[str, UnitResult]:
    """The unit's scores, each computed alone by the core: "own" from the submitted answers,
    "round_1" with round 1's verified answers, "round_2" with round 2's over round 1's (for
    the rounds in ``rounds``). Alone, a criterion scored relative to the block's best is
    relative to the unit itself: its final points come with the cycle's results."""
    framework = participation.cycle.framework.framework
    submission = Submission.objects.prefetch_related("answers", "evidence").get(
        participation=participation
    )
    rounds = tuple(rounds)
    verdicts = list(participation.verdicts.filter(round__in=rounds))
    responded = list(
        ResponseFile.objects.filter(response__participation=participation).values_list(
            "response__code", flat=True
        )
    )
    results = {
        "own": score_unit(
            framework,
            _unit_data(framework, participation, submission, (), (), (), Status.SUBMITTED),
        )
    }
    for number in sorted(rounds):
        data = _unit_data(
            framework,
            participation,
            submission,
            verdicts,
            responded,
            range(1, number + 1),
            Status.SUBMITTED,
        )
        results[f"round_{number}"] = score_unit(framework, data)
    return results


def _codes_of(framework: Framework) -> Callable[[str], list[str]]:
    """:func:`reviewable_codes` of each block, found once (a cycle holds thousands of units)."""
    found: dict[str, list[str]] = {}

    def codes(block: str) -> list[str]:
        if block not in found:
            found[block] = reviewable_codes(framework, block)
        return found[block]

    return codes


class QueueState(StrEnum):
    TODO = "todo"
    IN_PROGRESS = "in_progress"
    DONE = "done"
    NOTHING = "nothing"
    """Nothing to review in this round: in round 2, a unit that responded to nothing."""


@dataclass(frozen=True)
class QueueItem:
    participation: Participation
    scope: Scope
    total: int
    reviewed: int
    earlier: int | None = None
    """In round 2: how many criteria of the scope round 1 verified (0: never reviewed)."""
    earlier_total: int | None = None

    @property
    def groups(self) -> list[str]:
        return sorted(self.scope.groups) if self.scope.groups is not None else []

    @property
    def state(self) -> QueueState:
        if not self.total:
            return QueueState.NOTHING
        if self.reviewed >= self.total:
            return QueueState.DONE
        return QueueState.IN_PROGRESS if self.reviewed else QueueState.TODO


@dataclass(frozen=True)
class Queue:
    round: int
    items: list[QueueItem] = field(default_factory=list)

    def of(self, state: QueueState) -> list[QueueItem]:
        return [item for item in self.items if item.state == state]

    @property
    def counts(self) -> dict[str, int]:
        return {state.value: len(self.of(state)) for state in QueueState}


def queue_round(review: Review) -> int:
    """The round a queue shows: the current one, else the last one worked in."""
    return review.current_round or (2 if review.stage == Stage.FINAL else 1)


def queue(reviewer: User, cycle: Cycle, review: Review) -> Queue:
    """A reviewer's units for the round: in round 1 every criterion of their scope; in round 2
    the criteria the unit responded to. Units that did not submit have nothing to review."""
    round_ = queue_round(review)
    framework = cycle.framework.framework
    block_codes = _codes_of(framework)
    scopes: dict[int, Scope] = {}
    groups: set[str] = set()
    for assignment in Assignment.objects.filter(cycle=cycle, reviewer=reviewer):
        if assignment.participation_id is not None:
            scopes[assignment.participation_id] = Scope()
        else:
            groups.add(assignment.group)
    participations = cycle.participations.select_related("unit").filter(
        submission__state=SubmissionState.SUBMITTED
    )
    if not groups:
        participations = participations.filter(pk__in=scopes)
    group_scope = Scope(frozenset(groups))
    found: dict[tuple[bool, str], frozenset[str]] = {}

    def mine(whole: bool, block: str) -> frozenset[str]:
        """The criteria of a block the reviewer reviews: all of them, or their groups'."""
        if (whole, block) not in found:
            scope = Scope() if whole else group_scope
            covered = (code for code in block_codes(block) if scope.covers(framework, code))
            found[whole, block] = frozenset(covered)
        return found[whole, block]

    # the criteria round 1 verified in each unit, of all and of the reviewer's groups: counted
    # once per change of the cycle for these groups (half a million verdicts)
    first = _round_1_counts(cycle, groups, lambda block: mine(False, block))
    reviewed = _verified(cycle, 2) if round_ == 2 else {}
    responded: dict[int, set[str]] = defaultdict(set)
    if round_ == 2:
        responses = Response.objects.filter(participation__cycle=cycle)
        for pk, code in responses.values_list("participation_id", "code"):
            responded[pk].add(code)
    items = []
    for participation in participations:
        whole = participation.pk in scopes
        scope = Scope() if whole else group_scope
        codes = mine(whole, participation.block)
        earlier = first.get(participation.pk, (0, 0))[0 if whole else 1]
        if round_ == 2:
            todo = codes & responded[participation.pk]
            done = len(todo & reviewed[participation.pk])
            items.append(QueueItem(participation, scope, len(todo), done, earlier, len(codes)))
        else:
            items.append(QueueItem(participation, scope, len(codes), earlier))
    return Queue(round_, items)


def _round_1_counts(
    cycle: Cycle, groups: set[str], of_groups: Callable[[str], frozenset[str]]
) -> dict[int, tuple[int, int]]:
    """Per unit of the cycle, how many of its criteria to review round 1 verified: of all of
    them, and of the ``groups`` (``of_groups``: their criteria in a block). One query, kept
    per change of the cycle and these groups."""

    def count(cycle: Cycle) -> dict[int, tuple[int, int]]:
        framework = cycle.framework.framework
        block_codes = _codes_of(framework)
        reviewable, chosen = Q(), Q(pk__in=[])
        for block in (block.code for block in framework.blocks):
            reviewable |= Q(participation__block=block, code__in=block_codes(block))
            if groups:
                chosen |= Q(participation__block=block, code__in=sorted(of_groups(block)))
        rows = Verdict.objects.filter(
            reviewable, participation__cycle=cycle, round=1, verified=True
        )
        counted = rows.order_by().values("participation_id")  # no join of the units' names
        counted = counted.annotate(every=Count("id"), mine=Count("id", filter=chosen))
        return {
            pk: (every, mine)
            for pk, every, mine in counted.values_list("participation_id", "every", "mine")
        }

    scope = hashlib.sha256(",".join(sorted(groups)).encode()).hexdigest()[:16]  # a short key
    return kept(cycle, f"round-1:{scope}", count, dict, reads=Reads.CYCLE)


def _verified(cycle: Cycle, round_: int) -> dict[int, set[str]]:
    """The criteria with a verified answer in ``round_``, per participation."""
    found: dict[int, set[str]] = defaultdict(set)
    verdicts = Verdict.objects.filter(participation__cycle=cycle, round=round_, verified=True)
    for pk, code in verdicts.values_list("participation_id", "code"):
        found[pk].add(code)
    return found


@dataclass(frozen=True)
class History:
    """Everything about one criterion of one unit, in the order it happened."""

    code: str
    answer: Answer | None
    evidence: list[Evidence]
    round_1: Verdict | None
    response: Response | None
    round_2: Verdict | None


def histories(participation: Participation, *, rounds: Iterable[int]) -> dict[str, History]:
    """The history of every criterion, with the verdicts of ``rounds`` only (a unit reads
    only the closed rounds)."""
    rounds = set(rounds)
    submission = Submission.objects.filter(participation=participation).first()
    answers = {a.code: a for a in submission.answers.all()} if submission else {}
    evidence: dict[str, list[Evidence]] = defaultdict(list)
    if submission:
        for item in submission.evidence.current():
            evidence[item.code].append(item)
    verdicts = {(v.round, v.code): v for v in participation.verdicts.all() if v.round in rounds}
    responses = {r.code: r for r in participation.responses.prefetch_related("files")}
    framework = participation.cycle.framework.framework
    return {
        code: History(
            code,
            answers.get(code),
            evidence.get(code, []),
            verdicts.get((1, code)),
            responses.get(code),
            verdicts.get((2, code)),
        )
        for code in framework.max_for(participation.block)
    }


def stage_of(cycle: Cycle) -> Stage | None:
    review = review_of(cycle)
    return Stage(review.stage) if review else None


@dataclass(frozen=True)
class StepFacts:
    """The review as a step of it finds it, counted: the confirmation page states these
    numbers, and the step is refused when they changed since the page was shown (``seen``)."""

    stage: str
    """The current stage ("" before round 1)."""
    submitted: int
    drafts: int
    empty: int
    """Units that have saved nothing."""
    unassigned: int
    """Submitted units that no reviewer's assignments cover whole."""
    reviewed: int
    """Units of the open round with a verified answer on every criterion to review."""
    partly: int
    never: int
    """Units of the open round with nothing to review verified (round 2: of their responses)."""
    responded: int
    """Units that responded to round 1, and on how many criteria in all."""
    responses: int
    cycle_days: int | None
    """Days from today to the cycle's deadline (negative: past), None without one."""
    response_days: int | None
    """Days from today to the deadline for responses."""
    cycle_state: str
    """The cycle's state: opening round 1 puts an open cycle under review (the page says so)."""

    @property
    def seen(self) -> str:
        return ",".join("" if v is None else str(v) for v in astuple(self))


def step_facts(cycle: Cycle, today: datetime.date) -> StepFacts:
    review = review_of(cycle)
    framework = cycle.framework.framework
    block_codes = _codes_of(framework)
    states = dict(
        cycle.participations.filter(submission__isnull=False).values_list("pk", "submission__state")
    )
    participations = list(cycle.participations.all())
    submitted = [p for p in participations if states.get(p.pk) == SubmissionState.SUBMITTED]
    round_ = review.current_round if review else None
    verified = _verified(cycle, round_) if round_ else {}
    responded: dict[int, set[str]] = defaultdict(set)
    for pk, code in Response.objects.filter(participation__cycle=cycle).values_list(
        "participation_id", "code"
    ):
        responded[pk].add(code)
    done = {"reviewed": 0, "partly": 0, "never": 0}
    for participation in submitted if round_ else ():
        codes = set(block_codes(participation.block))
        if round_ == 2:
            codes &= responded[participation.pk]
        if not codes:
            continue
        count = len(codes & verified[participation.pk])
        done["reviewed" if count == len(codes) else "partly" if count else "never"] += 1
    return StepFacts(
        stage=review.stage if review else "",
        submitted=len(submitted),
        drafts=sum(state == SubmissionState.DRAFT for state in states.values()),
        empty=len(participations) - len(states),
        unassigned=_unassigned(cycle, framework, submitted),
        **done,
        responded=sum(1 for codes in responded.values() if codes),
        responses=sum(len(codes) for codes in responded.values()),
        cycle_days=(cycle.deadline - today).days if cycle.deadline else None,
        response_days=(
            (review.response_deadline - today).days if review and review.response_deadline else None
        ),
        cycle_state=cycle.state,
    )


def _unassigned(cycle: Cycle, framework: Framework, submitted: list[Participation]) -> int:
    units, groups = set(), set()
    for participation_id, group in Assignment.objects.filter(cycle=cycle).values_list(
        "participation_id", "group"
    ):
        units.add(participation_id)
        groups.add(group)
    if {root.code for root in framework.criteria} <= groups:
        return 0
    return sum(1 for p in submitted if p.pk not in units)


def reviewed_participations(cycle: Cycle) -> set[int]:
    """The submitted units whose review is done where the review stands (the dashboard's
    "reviewed"): in round 1 and while units respond, a verified answer on every criterion to
    review; in round 2, also on every criterion the unit responded to; once final, every
    submitted unit."""
    review = review_of(cycle)
    if review is None:
        return set()
    submitted = cycle.participations.filter(submission__state=SubmissionState.SUBMITTED)
    if review.stage == Stage.FINAL:
        return set(submitted.values_list("pk", flat=True))
    # counted once per change of the cycle (a national cycle's half a million verdicts take
    # the database a second), and after a change of some units for them alone: submissions,
    # verdicts and responses are in its trail under their unit, stages under the cycle's
    return kept(
        cycle,
        "reviewed",
        lambda c: _reviewed(c, review, submitted),
        set,
        reads=Reads.CYCLE,
        recount=lambda c, before, changed: _reviewed(c, review, submitted, before, changed),
        passes=REVIEWED_PASSES,
    )


REVIEWED_PASSES = frozenset(
    {Action.CYCLE_STATE, Action.ASSIGNMENT, Action.PUBLISHED, Action.PREVIOUS_IMPORTED}
)
"""The changes of a whole cycle that leave its units reviewed as they are (not a review
round: round 2 asks for the responses' criteria too)."""


_BY_IDS = 200
"""Up to this many units counted again, their verdicts are read by their ids; beyond, the
cycle's."""


def _reviewed(
    cycle: Cycle,
    review: Review,
    submitted: QuerySet[Participation],
    before: set[int] | None = None,
    changed: set[int] | None = None,
) -> set[int]:
    """:func:`reviewed_participations` in a round, counted by the database: at most three
    queries whatever the number of units; or ``before``'s, counted again for the units (by
    their ids) that ``changed``."""
    framework = cycle.framework.framework
    rows = list(submitted.values_list("pk", "block", "unit_id"))
    units = [(pk, block) for pk, block, unit in rows if changed is None or unit in changed]
    found = {pk for pk, _block, unit in rows if changed is not None and unit not in changed}
    found &= before or set()
    codes = {block: set(reviewable_codes(framework, block)) for block in {b for _pk, b in units}}
    if not codes:
        return found
    own = Q()
    for block, block_codes in codes.items():
        own |= Q(participation__block=block, code__in=block_codes)
    these = Q(participation__cycle=cycle)
    if changed is not None and len(units) <= _BY_IDS:
        these = Q(participation_id__in=[pk for pk, _block in units])
    verified = (
        Verdict.objects.filter(own, these, verified=True)
        .order_by()  # not the units' order: no join of their names
        .values("participation_id")
        .annotate(count=Count("code", distinct=True))
        .values_list("participation_id", "count")
    )
    counts = dict(verified)
    waiting: dict[int, set[str]] = defaultdict(set)  # responded to, not verified in round 2
    if review.stage == Stage.ROUND_2:
        again = Verdict.objects.filter(
            participation=OuterRef("participation"), code=OuterRef("code"), round=2, verified=True
        )
        responses = Response.objects.filter(~Exists(again), these)
        for pk, code in responses.values_list("participation_id", "code"):
            waiting[pk].add(code)
    return found | {
        pk
        for pk, block in units
        if counts.get(pk, 0) == len(codes[block]) and not waiting[pk] & codes[block]
    }
