"""What the review pages show, row by row: the criterion, the unit's answer and evidence,
the verdicts of the rounds the reader may see, and each column's points from the core."""

from __future__ import annotations

import datetime
import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from chiso import format as fmt
from chiso.core import UnitResult
from chiso.core.framework import (
    RATIO_RULES,
    ChoiceRule,
    InfoRule,
    Node,
    YesNoEvidenceRule,
    YesNoRule,
)
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.reviews.access import Scope
from chiso.web.reviews.models import Review, Stage, Verdict
from chiso.web.reviews.selectors import (
    History,
    StepFacts,
    histories,
    reviewable_codes,
    scores_of,
)


def number_text(value: str | Decimal | None) -> str:
    """A number as Vietnamese write it (decimal comma), without trailing zeros."""
    return fmt.plain(value)


def anchor(code: str) -> str:
    return "c-" + re.sub(r"[^A-Za-z0-9-]", lambda m: f"_{ord(m.group()):x}_", code)


def kind_of(node: Node) -> str:
    rule = node.effective_rule if node.is_leaf else None
    if isinstance(rule, (YesNoRule, YesNoEvidenceRule)):
        return "yes_no"
    if isinstance(rule, ChoiceRule):
        return "choice"
    if isinstance(rule, RATIO_RULES):
        return "ratio"
    if isinstance(rule, InfoRule):
        return "text"
    return "number" if node.is_leaf else "group"


def answer_text(node: Node, value: str, denominator: Decimal | None, not_applicable: bool) -> str:
    if not_applicable:
        return _("Not applicable")
    if not value:
        return ""
    kind = kind_of(node)
    if kind == "yes_no":
        return _("Yes") if Decimal(value) else _("No")
    if kind == "choice":
        labels = {o.value: o.label or o.value for o in node.effective_rule.options}
        return str(labels.get(value, value))
    if kind == "text":
        return value
    if denominator is not None:
        return f"{number_text(value)}/{number_text(denominator)}"
    return number_text(value) + (" %" if kind == "ratio" else "")


def verdict_text(node: Node, verdict: Verdict | None) -> str:
    if verdict is None or not verdict.verified:
        return ""
    return answer_text(node, verdict.value, verdict.denominator, verdict.not_applicable)


@dataclass(frozen=True)
class Row:
    node: Node
    depth: int
    maximum: Decimal
    reviewable: bool
    editable: bool
    history: History
    points: dict[str, Decimal | None]
    """Points of this criterion per column: "own", "round_1", "round_2", "verified"."""
    verdict: Verdict | None
    """The verdict of the round being worked on (the reviewer's form)."""
    can_accept: bool = False
    """A top-level group whose criteria the reader may accept at once."""

    @property
    def kind(self) -> str:
        return kind_of(self.node)

    @property
    def anchor(self) -> str:
        """An HTML id and CSS selector for the criterion (codes hold dots)."""
        return anchor(self.node.code)

    @property
    def options(self) -> list[tuple[str, str]]:
        if self.kind == "yes_no":
            return [("1", _("Yes")), ("0", _("No"))]
        if self.kind == "choice":
            return [(o.value, o.label or o.value) for o in self.node.effective_rule.options]
        return []

    @property
    def answer(self) -> str:
        answer = self.history.answer
        if answer is None:
            return ""
        return answer_text(self.node, answer.value, answer.denominator, answer.not_applicable)

    @property
    def round_1(self) -> str:
        return verdict_text(self.node, self.history.round_1)

    @property
    def round_2(self) -> str:
        return verdict_text(self.node, self.history.round_2)

    @property
    def current_value(self) -> str:
        """The verdict's value as the form shows it."""
        if self.verdict is None or not self.verdict.verified or self.verdict.not_applicable:
            return ""
        if self.kind in ("yes_no", "choice", "text"):
            return self.verdict.value
        return number_text(self.verdict.value)

    @property
    def current_denominator(self) -> str:
        if self.verdict is None or self.verdict.denominator is None:
            return ""
        return number_text(self.verdict.denominator)


def _points(result: UnitResult | None, code: str) -> Decimal | None:
    if result is None or code not in result.nodes:
        return None
    return result.nodes[code].score


def rows(
    participation: Participation,
    *,
    rounds: Iterable[int],
    scope: Scope | None = None,
    review: Review | None = None,
    results: dict[str, UnitResult] | None = None,
) -> list[Row]:
    """Every criterion of the unit's block in framework order. ``rounds``: the verdicts the
    reader may see; ``scope`` and ``review``: the reviewer's, whose open round is editable."""
    framework = participation.cycle.framework.framework
    maxima = framework.max_for(participation.block)
    reviewable = set(reviewable_codes(framework, participation.block))
    history = histories(participation, rounds=rounds)
    results = results if results is not None else scores_of(participation, rounds)
    working = review.current_round if review else None
    latest = results.get("round_2") or results.get("round_1")
    out = []
    for root in framework.criteria:
        for node in root.walk():
            if node.code not in maxima:
                continue
            item = history[node.code]
            verdict = {1: item.round_1, 2: item.round_2}.get(working or 0)
            covered = bool(working and scope is not None and scope.covers(framework, node.code))
            editable = covered and node.code in reviewable
            depth = len(framework.ancestors(node.code))
            out.append(
                Row(
                    node=node,
                    depth=depth,
                    maximum=maxima[node.code],
                    reviewable=node.code in reviewable,
                    editable=editable,
                    history=item,
                    points={
                        **{key: _points(r, node.code) for key, r in results.items()},
                        "verified": _points(latest, node.code),
                    },
                    verdict=verdict,
                    can_accept=covered and depth == 0,
                )
            )
    return out


@dataclass(frozen=True)
class Consequence:
    """One sentence of a confirmation page; ``warn`` marks what the assessor may not want."""

    text: str
    warn: bool = False


def when(days: int) -> str:
    """A date's distance from today, in words: "in 3 days", "today", "2 days ago"."""
    if days == 0:
        return _("today")
    if days > 0:
        return ngettext("in %(n)s day", "in %(n)s days", days) % {"n": days}
    return ngettext("%(n)s day ago", "%(n)s days ago", -days) % {"n": -days}


def _count(message: str, count: int, *, warn: bool = False) -> Consequence:
    """A sentence of ``ngettext(…, count)`` with its count as %(n)s."""
    return Consequence(message % {"n": count}, warn)


def step_consequences(
    step: Stage,
    facts: StepFacts,
    cycle: Cycle,
    response_deadline: datetime.date | None = None,
) -> list[Consequence]:
    """What taking ``step`` does, in the numbers of ``facts``: the confirmation page's list.
    ``response_deadline``: the one closing round 1 sets, or the one round 2 cuts short."""
    if step == Stage.ROUND_1:
        return _opening(facts, cycle)
    if step == Stage.RESPONSES:
        out = []
        if response_deadline is not None:
            days = (response_deadline - timezone.localdate()).days
            text = _(
                "The units see round 1's verified answers, points and comments, and respond "
                "until %(date)s (%(when)s)."
            ) % {"date": fmt.date(response_deadline), "when": when(days)}
            out.append(Consequence(text))
        out += _progress(facts, 1)
        text = _("Round 1 does not open again: its verified answers count in the results.")
        return [*out, Consequence(text)]
    if step == Stage.ROUND_2:
        out = []
        left = facts.response_days
        if left is not None and left >= 0 and response_deadline is not None:
            text = _(
                "The units may respond until %(date)s (%(when)s): opening round 2 now closes "
                "their responses before that."
            ) % {"date": fmt.date(response_deadline), "when": when(left)}
            out.append(Consequence(text, warn=True))
        text = ngettext(
            "%(n)s unit responded, on %(criteria)s criteria in all: round 2 re-reviews them.",
            "%(n)s units responded, on %(criteria)s criteria in all: round 2 re-reviews them.",
            facts.responded,
        ) % {"n": facts.responded, "criteria": facts.responses}
        out.append(Consequence(text, warn=not facts.responded))
        out.append(Consequence(_("The units' responses close and do not open again.")))
        return out
    text = _("The verified answers are final: the results count them, and no round opens again.")
    return [*_progress(facts, 2), Consequence(text)]


def _opening(facts: StepFacts, cycle: Cycle) -> list[Consequence]:
    """Opening round 1: the units' answers are locked as they are."""
    out = []
    if cycle.state == CycleState.OPEN:
        text = _("The cycle goes under review: no unit can change its answers or submit any more.")
        out.append(Consequence(text))
    out.append(
        _count(
            ngettext(
                "%(n)s unit has submitted: it is reviewed.",
                "%(n)s units have submitted: they are reviewed.",
                facts.submitted,
            ),
            facts.submitted,
            warn=not facts.submitted,
        )
    )
    if facts.drafts:
        out.append(
            _count(
                ngettext(
                    "%(n)s unit still in draft is locked without submitting: it is not ranked.",
                    "%(n)s units still in draft are locked without submitting: they are not "
                    "ranked.",
                    facts.drafts,
                ),
                facts.drafts,
                warn=True,
            )
        )
    if facts.empty:
        out.append(
            _count(
                ngettext(
                    "%(n)s unit has entered nothing: it is not ranked.",
                    "%(n)s units have entered nothing: they are not ranked.",
                    facts.empty,
                ),
                facts.empty,
                warn=True,
            )
        )
    if facts.cycle_days is not None and cycle.deadline is not None:
        text = _("The deadline for the self-assessments is %(date)s (%(when)s).") % {
            "date": fmt.date(cycle.deadline),
            "when": when(facts.cycle_days),
        }
        out.append(Consequence(text, warn=facts.cycle_days >= 0))
    if facts.unassigned:
        out.append(
            _count(
                ngettext(
                    "No reviewer is assigned to %(n)s submitted unit.",
                    "No reviewer is assigned to %(n)s submitted units.",
                    facts.unassigned,
                ),
                facts.unassigned,
                warn=True,
            )
        )
    return out


def _progress(facts: StepFacts, round_: int) -> list[Consequence]:
    """How far the round that closes went, unit by unit."""
    out = [
        _count(
            ngettext(
                "%(n)s unit has a verified answer on every criterion to review.",
                "%(n)s units have a verified answer on every criterion to review.",
                facts.reviewed,
            ),
            facts.reviewed,
        )
    ]
    if facts.partly:
        out.append(
            _count(
                ngettext(
                    "%(n)s unit is reviewed in part: its other criteria keep their earlier answer.",
                    "%(n)s units are reviewed in part: their other criteria keep their earlier "
                    "answer.",
                    facts.partly,
                ),
                facts.partly,
                warn=True,
            )
        )
    if facts.never and round_ == 1:
        out.append(
            _count(
                ngettext(
                    "%(n)s unit was never reviewed: its submitted answers count as they are.",
                    "%(n)s units were never reviewed: their submitted answers count as they are.",
                    facts.never,
                ),
                facts.never,
                warn=True,
            )
        )
    elif facts.never:
        out.append(
            _count(
                ngettext(
                    "%(n)s unit that responded was not re-reviewed: round 1's answers count.",
                    "%(n)s units that responded were not re-reviewed: round 1's answers count.",
                    facts.never,
                ),
                facts.never,
                warn=True,
            )
        )
    return out
