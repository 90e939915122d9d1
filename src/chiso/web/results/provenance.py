"""Where a number of the results came from: a unit's total, a group's points, a criterion's
points or its rank, traced to the framework version and its rule, the answers given and
verified, their evidence, who decided and when (the audit trail and the review rounds).

The numbers are read, never computed: a published revision's scorecard part (or the draft's,
for those who see drafts) gives the total, the groups and the criteria where the unit lost
points; the results' JSON text of the same revision gives the criteria the unit declared not
applicable. A criterion the unit was scored on and did not lose points on has its maximum.
The answer, the verdicts and the response are those of the publication shown, read back from
the audit trail (results.as_published), each later change marked; the draft shows today's.

What a person is shown follows what they may read today: the published numbers and the
framework as far as they see the scorecard; the answers, verdicts and evidence names to those
who read the unit's review history (:func:`reviews.access.get_participation_for_history`: the
assessor and the unit's reviewers every round; the unit's people and viewers the closed ones);
evidence links to those who download files (:func:`roles.reads_files`); people's names and
the audit trail's entries to those who read the trail (the assessor and viewers).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from decimal import Decimal
from typing import Any

from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _

from chiso.core import Framework
from chiso.core.numbers import round_half_up
from chiso.reports.scorecard import Scorecard
from chiso.web.accounts import roles
from chiso.web.audit.models import AuditEntry
from chiso.web.cycles.models import Participation, Unit
from chiso.web.results import refresh
from chiso.web.results.access import Shown, sees_drafts
from chiso.web.results.as_published import StepThen, steps_then
from chiso.web.results.snapshot import results_data
from chiso.web.reviews.access import get_participation_for_history
from chiso.web.reviews.selectors import History, histories, review_of

__all__ = [
    "CriterionLine",
    "CriterionTrail",
    "Decision",
    "EvidenceFile",
    "GroupLine",
    "LaterChange",
    "Provenance",
    "RankingRule",
    "TrailEntry",
    "provenance",
]

RANK = "rank"


@dataclass(frozen=True)
class CriterionLine:
    """A most detailed criterion of a group, with its rule and its points as published."""

    code: str
    name: str
    rule: dict[str, Any]
    """The rule as the framework file writes it: its ``type`` and its points."""
    maximum: Decimal
    points: Decimal | None
    how: str
    """``full`` (scored, no point lost), ``lost`` (among the criteria where the unit lost
    points), ``not_applicable`` (declared and taken out), ``in_group`` (its group's points
    were given as one number), ``no_data`` (the unit has no result)."""


@dataclass(frozen=True)
class GroupLine:
    code: str
    name: str
    top: bool
    score: Decimal | None
    """As published; None for a group below the published depth (a part of a part)."""
    maximum: Decimal
    percent: Decimal | None
    """As the scorecard prints it: rounded half up to the published places."""
    percent_exact: Decimal | None
    tier: str | None
    not_scored: bool
    criteria: tuple[CriterionLine, ...]


@dataclass(frozen=True)
class LaterChange:
    """A change of a step after the publication of the revision shown."""

    at: datetime.datetime
    by: str | None
    """Who, for those who read the audit trail; None otherwise."""
    old: str
    new: str


@dataclass(frozen=True)
class Decision:
    """One step of a criterion's answer: the self-assessment, a review round's verdict, the
    unit's response."""

    step: str
    """``self_assessed``, ``round_1``, ``response``, ``round_2``."""
    value: str
    denominator: Decimal | None
    not_applicable: bool
    verified: bool
    """For a verdict: a verified answer is given (else only a comment or a request)."""
    comment: str
    by: str | None
    """Who, for those who read the audit trail; None otherwise."""
    at: datetime.datetime | None
    counts: bool
    """The answer the results count (the latest closed round's verified answer, else the
    self-assessed one)."""
    given: bool = True
    """Whether the step existed when the revision shown was published."""
    changed_after: tuple[LaterChange, ...] = ()
    """Its changes after that publication (the values above are those before them)."""


@dataclass(frozen=True)
class EvidenceFile:
    name: str
    uploaded_at: datetime.datetime
    by: str | None
    url: str | None
    """Its download, for those who download files; None otherwise."""


@dataclass(frozen=True)
class TrailEntry:
    at: datetime.datetime
    action: str
    by: str
    old: str
    new: str
    note: str
    after_publication: bool


@dataclass(frozen=True)
class CriterionTrail:
    line: CriterionLine
    path: tuple[str, ...]
    """Its groups, from the top-level one down."""
    evidence_required: bool
    answers_shown: bool
    """Whether the person reads the answers (else the lists below are empty)."""
    decisions: tuple[Decision, ...]
    evidence: tuple[EvidenceFile, ...]
    entries: tuple[TrailEntry, ...]
    """The audit trail of the criterion for the unit, oldest first (to those who read it)."""


@dataclass(frozen=True)
class RankingRule:
    """The block's ranking rule as the framework says it, and the unit's place."""

    by: str
    ties: str
    precision: int | None
    tie_breakers: tuple[str, ...]
    percent_decimals: int
    rank: int | None
    ranked: int
    not_ranked: str | None


@dataclass(frozen=True)
class Provenance:
    cycle_id: int
    cycle: str
    year: int
    unit_id: int
    unit: str
    block: str
    draft: bool
    revision: int | None
    published_at: datetime.datetime | None
    framework: str
    framework_version: int
    framework_name: str
    item: str
    """What was asked: "" for the total, ``rank``, or a group's or criterion's code."""
    kind: str
    """``total``, ``rank``, ``group`` or ``criterion``."""
    total: Decimal | None
    maximum: Decimal
    percent: Decimal | None
    """As the results table prints it (on the display scale, a 0–1 index for a ratio):
    rounded half up to ``ranking.percent_decimals``."""
    percent_exact: Decimal | None
    """The exact value, as the results' JSON gives it."""
    tier: str | None
    score_decimals: int
    groups: tuple[GroupLine, ...]
    criterion: CriterionTrail | None
    ranking: RankingRule
    """The block's ranking rule and the unit's rank (the page spells the rule out for the
    total and the rank)."""


def provenance(user: Any, shown: Shown, unit: Unit, item: str = "") -> Provenance:
    """The provenance of ``item`` of ``unit`` in the results ``shown`` (404 when the unit has
    no scorecard there or the framework has no such item for its block; NotYetComputed while
    the draft shown is the last one: the answers of now wait for the draft computed from them)."""
    if shown.draft is not None and shown.draft.pending:
        raise refresh.NotYetComputed(_("The draft results are being computed."))
    card = shown.results.scorecard(unit.pk)
    if card is None:
        raise Http404
    revision = shown.revision
    version = revision.framework if revision is not None else shown.cycle.framework
    framework = version.framework
    maxima = framework.max_for(card.block_code)
    item = item.strip()
    if item and item != RANK and item not in maxima:
        raise Http404(f"{item}: no criterion or group of the block {card.block_code}")
    kind = "total" if not item else RANK if item == RANK else "criterion"
    if kind == "criterion" and not framework.node(item).is_leaf:
        kind = "group"
    groups: tuple[GroupLine, ...] = ()
    criterion = None
    if kind in ("total", "group"):
        lines = _Lines(framework, card, _not_applicable(shown, card))
        codes = [g.code for g in card.groups if g.top] if kind == "total" else [item]
        groups = tuple(lines.group(code) for code in codes)
    elif kind == "criterion":
        line = _Lines(framework, card, _not_applicable(shown, card)).criterion(item)
        criterion = _trail(user, shown, unit, framework, line)
    return Provenance(
        cycle_id=shown.cycle.pk,
        cycle=shown.cycle.name,
        year=card.year,
        unit_id=unit.pk,
        unit=card.unit,
        block=card.block,
        draft=shown.is_draft,
        revision=revision.number if revision is not None else None,
        published_at=revision.published_at if revision is not None else None,
        framework=version.framework_id,
        framework_version=version.version,
        framework_name=version.name,
        item=item,
        kind=kind,
        total=card.total,
        maximum=card.maximum,
        percent=_printed(card.percent, card.percent_decimals),
        percent_exact=card.percent,
        tier=card.tier,
        score_decimals=card.score_decimals,
        groups=groups,
        criterion=criterion,
        ranking=_ranking(framework, card),
    )


def _not_applicable(shown: Shown, card: Scorecard) -> set[str]:
    """The codes the unit declared not applicable (taken out), as the results' JSON says."""
    for block in results_data(shown.results).get("blocks", []):
        if block.get("block") != card.block_code:
            continue
        for unit in block.get("units", []):
            if unit.get("unit") == card.unit:
                return set(unit.get("not_applicable") or [])
    return set()


class _Lines:
    """The published points of a block's groups and criteria for one unit."""

    def __init__(self, framework: Framework, card: Scorecard, excluded: set[str]) -> None:
        self.framework = framework
        self.card = card
        self.maxima = framework.max_for(card.block_code)
        self.lost = {row.code: row for row in card.lost}
        self.excluded = excluded
        self.published = {g.code: g for g in card.groups}

    def criterion(self, code: str) -> CriterionLine:
        node = self.framework.node(code)
        chain = {code, *self.framework.ancestors(code)}
        maximum = self.maxima[code]
        points: Decimal | None
        if not self.card.has_data:
            points, how = None, "no_data"
        elif chain & self.excluded:
            points, how = None, "not_applicable"
        elif code in self.lost:
            points, how = self.lost[code].score, "lost"
        elif chain & set(self.lost):
            points, how = None, "in_group"
        else:
            points, how = maximum, "full"
        rule = node.effective_rule.model_dump(mode="json", exclude_none=True)
        return CriterionLine(code, node.name, rule, maximum, points, how)

    def group(self, code: str) -> GroupLine:
        node = self.framework.node(code)
        leaves = [n.code for n in node.walk() if n.is_leaf and n.code in self.maxima]
        published = self.published.get(code)
        return GroupLine(
            code=code,
            name=node.name,
            top=self.framework.parent(code) is None,
            score=published.score if published else None,
            maximum=published.maximum if published else self.maxima[code],
            percent=_printed(published.percent, self.card.group_percent_decimals)
            if published
            else None,
            percent_exact=published.percent if published else None,
            tier=published.tier if published else None,
            not_scored=published.not_scored if published else False,
            criteria=tuple(self.criterion(leaf) for leaf in leaves),
        )


def _printed(value: Decimal | None, decimals: int) -> Decimal | None:
    return None if value is None else round_half_up(value, decimals)


def _ranking(framework: Framework, card: Scorecard) -> RankingRule:
    rule = framework.ranking_for(card.block_code)
    return RankingRule(
        by=rule.by,
        ties=rule.ties,
        precision=rule.precision,
        tie_breakers=tuple(str(code) for code in rule.tie_breakers),
        percent_decimals=card.percent_decimals,
        rank=card.rank,
        ranked=card.ranked,
        not_ranked=card.not_ranked,
    )


def _trail(
    user: Any, shown: Shown, unit: Unit, framework: Framework, line: CriterionLine
) -> CriterionTrail:
    node = framework.node(line.code)
    path = tuple(reversed(framework.ancestors(line.code)))
    cycle = shown.cycle
    participation = Participation.objects.get(cycle=cycle, unit=unit)
    try:  # who reads the unit's review history, and which rounds of it
        participation, open_rounds = get_participation_for_history(user, participation.pk)
    except Http404:
        return CriterionTrail(line, path, node.evidence_required, False, (), (), ())
    review = review_of(cycle)
    closed = review.closed_rounds if review else ()
    rounds = (1, 2) if open_rounds else closed
    history = histories(participation, rounds=rounds).get(line.code)
    names = sees_drafts(user, cycle)
    found = list(
        AuditEntry.objects.filter(cycle=cycle, unit=unit, code=line.code).order_by("at", "id")
    )
    published = shown.revision.published_at if shown.revision is not None else None
    then = steps_then(found, published) if published is not None else {}
    if not open_rounds:  # the rounds the person does not read stay unread, then as now
        then = {step: t for step, t in then.items() if _round_of(step) in (None, *closed)}
    decisions = _decisions(history, closed, names, then) if history else ()
    files = roles.reads_files(user)
    evidence = tuple(
        EvidenceFile(
            name=item.name,
            uploaded_at=item.uploaded_at,
            by=str(item.uploaded_by) if names and item.uploaded_by else None,
            url=reverse("submissions:evidence_file", args=[participation.pk, item.pk])
            if files
            else None,
        )
        for item in (history.evidence if history else [])
    )
    entries = _entries(found, published) if names else ()
    return CriterionTrail(line, path, node.evidence_required, True, decisions, evidence, entries)


def _decisions(
    history: History, closed: tuple[int, ...], names: bool, then: dict[str, StepThen]
) -> tuple[Decision, ...]:
    """The steps as they stood at the publication shown: today's, except those the trail
    says changed since (``then``)."""

    def who(person: Any) -> str | None:
        return str(person) if names and person is not None else None

    steps: dict[str, Decision] = {}
    if history.answer is not None:
        a = history.answer
        steps["self_assessed"] = Decision("self_assessed", a.value, a.denominator,
            a.not_applicable, False, a.comment, who(a.updated_by), a.updated_at, False)  # fmt: skip
    if history.response is not None:
        r = history.response
        steps["response"] = Decision("response", "", None, False, False, r.text,
            who(r.updated_by), r.updated_at, False)  # fmt: skip
    for step, verdict in (("round_1", history.round_1), ("round_2", history.round_2)):
        if verdict is not None:
            steps[step] = Decision(step, verdict.value, verdict.denominator,
                verdict.not_applicable, verdict.verified, verdict.comment,
                who(verdict.updated_by), verdict.updated_at, False)  # fmt: skip
    for step, past in then.items():
        steps[step] = _then(step, past, names, steps.get(step))
    counted = next(
        (
            step
            for step in ("round_2", "round_1")
            if step in steps
            and steps[step].given
            and steps[step].verified
            and _round_of(step) in closed
        ),
        "self_assessed",
    )
    order = ("self_assessed", "round_1", "response", "round_2")
    return tuple(
        replace(steps[step], counts=step == counted and steps[step].given)
        for step in order
        if step in steps
    )


def _then(step: str, past: StepThen, names: bool, today: Decision | None) -> Decision:
    """A step as it stood at the publication, with its later changes: what did not change
    since (its value, its comment) is today's."""
    later = tuple(
        LaterChange(change.at, change.by if names else None, change.old, change.new)
        for change in past.later
    )
    by = (past.by or None) if names else None
    if step == "response":  # its text is its "comment", as today's
        return Decision(step, "", None, False, False, past.value, by, past.at, False,
                        past.given, later)  # fmt: skip
    value = (past.value, past.denominator, past.not_applicable, past.verified)
    if today is not None and not past.value_changed:
        value = (today.value, today.denominator, today.not_applicable, today.verified)
    comment = past.comment if today is None or past.comment_changed else today.comment
    return Decision(step, *value, comment, by, past.at, False, past.given, later)


def _round_of(step: str) -> int | None:
    return int(step.removeprefix("round_")) if step.startswith("round_") else None


def _entries(
    found: list[AuditEntry], published: datetime.datetime | None
) -> tuple[TrailEntry, ...]:
    return tuple(
        TrailEntry(
            at=entry.at,
            action=str(entry.get_action_display()),
            by=entry.actor_name,
            old=entry.old,
            new=entry.new,
            note=entry.note,
            after_publication=published is not None and entry.at > published,
        )
        for entry in found
    )
