"""What the review pages show, row by row: the criterion, the unit's answer and evidence,
the verdicts of the rounds the reader may see, and each column's points from the core."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

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
from chiso.web.cycles.models import Participation
from chiso.web.reviews.access import Scope
from chiso.web.reviews.models import Review, Verdict
from chiso.web.reviews.selectors import History, histories, reviewable_codes, scores_of


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
