"""The self-assessment as the form shows it: the framework's tree for the unit's block, each
criterion with its answer, evidence, input kind and live points, and the completeness.

Points come from the core (:func:`scoring.live_result_of`); nothing here adds them up.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext as _

from chiso.core import Framework, NodeResult, UnitResult
from chiso.core.framework import (
    BandsRule,
    ChoiceRule,
    CountRule,
    InfoRule,
    Node,
    ProportionalRule,
    RelativeRule,
    YesNoEvidenceRule,
    YesNoRule,
)
from chiso.core.rules import ratio_percent
from chiso.web.cycles.models import Participation
from chiso.web.submissions.completeness import completeness, needs_evidence
from chiso.web.submissions.models import Answer, Evidence, Submission
from chiso.web.submissions.scoring import Live, core_answer, live_result_of
from chiso.web.submissions.templatetags.selfassessment import number

KINDS: dict[type, str] = {
    YesNoRule: "yes_no",
    YesNoEvidenceRule: "yes_no_evidence",
    BandsRule: "ratio",
    ProportionalRule: "ratio",
    CountRule: "count",
    ChoiceRule: "choice",
    RelativeRule: "relative",
    InfoRule: "info",
}


@dataclass
class Item:
    """One criterion (or group) of the form."""

    node: Node
    dom_id: str
    depth: int
    maximum: Decimal
    kind: str
    answer: Answer | None
    evidence: list[Evidence]
    covered: bool
    """An enclosing group is declared not applicable: shown, disabled, not required."""
    result: NodeResult | None
    children: list[Item] = field(default_factory=list)

    @property
    def code(self) -> str:
        return self.node.code

    @property
    def is_leaf(self) -> bool:
        return self.node.is_leaf

    @property
    def declared_na(self) -> bool:
        return self.answer is not None and self.answer.not_applicable

    @property
    def inactive(self) -> bool:
        """Not answered on the form: declared not applicable, or inside such a group."""
        return self.covered or self.declared_na

    @property
    def answered(self) -> bool:
        return self.answer is not None and (self.answer.not_applicable or self.answer.value != "")

    @property
    def revision(self) -> int:
        return self.answer.revision if self.answer is not None else 0

    @property
    def needs_evidence(self) -> bool:
        """Evidence is expected: the framework asks for it, or a yes counts only with it."""
        return not self.inactive and needs_evidence(self.node, self.answer)

    @property
    def evidence_missing(self) -> bool:
        return self.needs_evidence and not self.evidence

    @property
    def percent(self) -> Decimal | None:
        """A ratio answer as a percentage (shown beside the numerator and denominator)."""
        if self.kind != "ratio" or self.answer is None or not self.answer.value:
            return None
        return ratio_percent(core_answer(self.node, self.answer, False))

    @property
    def options(self) -> list[tuple[str, str]]:
        rule = self.node.effective_rule
        if not isinstance(rule, ChoiceRule):
            return []
        return [(o.value, o.label or o.value) for o in rule.options]

    @property
    def shown(self) -> str:
        """The answer in words."""
        if self.answer is None:
            return describe(self.node, "")
        answer = self.answer
        return describe(self.node, answer.value, answer.denominator, answer.not_applicable)

    @property
    def hint(self) -> str:
        """How the answer is scored, in a line under the criterion."""
        return rule_hint(self.kind, self.node.effective_rule, self.maximum)

    @property
    def takes_evidence(self) -> bool:
        """Files can be attached: to every criterion, and to a group that asks for them."""
        return self.is_leaf or self.node.evidence_required

    def walk(self) -> Iterable[Item]:
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass(frozen=True)
class Completeness:
    required: int
    answered: int
    unanswered: list[Item]
    evidence_missing: list[Item]

    @property
    def complete(self) -> bool:
        return not self.unanswered and not self.evidence_missing

    @property
    def percent(self) -> int:
        return 100 if not self.required else self.answered * 100 // self.required


@dataclass(frozen=True)
class Page:
    roots: list[Item]
    items: dict[str, Item]
    result: UnitResult
    completeness: Completeness


def kind_of(node: Node) -> str:
    if not node.is_leaf:
        return "group"
    return KINDS.get(type(node.effective_rule), "points")


def page_for(
    participation: Participation, submission: Submission | None, found: Live | None = None
) -> Page:
    """The whole form of ``participation``; ``submission`` is None before the first answer.
    ``found``: its answers, evidence and scores when a save has just read them."""
    framework = participation.cycle.framework.framework
    if found is not None:
        return build(framework, participation.block, found.answers, found.evidence, found.result)
    answers: list[Answer] = []
    evidence: list[Evidence] = []
    if submission is not None and submission.pk is not None:
        answers = list(submission.answers.all())
        evidence = list(submission.evidence.current().select_related("uploaded_by"))
    result = live_result_of(participation, answers, [e.code for e in evidence])
    return build(framework, participation.block, answers, evidence, result)


def build(
    framework: Framework,
    block: str,
    answers: Iterable[Answer],
    evidence: Iterable[Evidence],
    result: UnitResult,
) -> Page:
    maxima = framework.max_for(block)
    by_code = {a.code: a for a in answers}
    files: dict[str, list[Evidence]] = {}
    for item in evidence:
        files.setdefault(item.code, []).append(item)
    ids = {code: f"n{index}" for index, code in enumerate(framework.nodes)}

    def visit(node: Node, depth: int, covered: bool) -> Item:
        answer = by_code.get(node.code)
        item = Item(
            node=node,
            dom_id=ids[node.code],
            depth=depth,
            maximum=maxima[node.code],
            kind=kind_of(node),
            answer=answer,
            evidence=files.get(node.code, []),
            covered=covered,
            result=result.nodes.get(node.code),
        )
        inner = covered or (answer is not None and answer.not_applicable)
        item.children = [
            visit(child, depth + 1, inner) for child in node.children if child.code in maxima
        ]
        return item

    roots = [visit(root, 0, False) for root in framework.criteria if root.code in maxima]
    items = {item.code: item for root in roots for item in root.walk()}
    # the same rule as the assessor's dashboard, with the items to link to
    done = completeness(framework, block, by_code.values(), files)
    return Page(
        roots,
        items,
        result,
        Completeness(
            done.required,
            done.answered,
            [items[code] for code in done.unanswered],
            [items[code] for code in done.evidence_missing],
        ),
    )


def describe(node: Node, value: str, denominator: object = None, na: bool = False) -> str:
    """An answer in words, as the conflict message and the printed form show it."""
    if na:
        return _("Not applicable")
    if value == "":
        return _("(no answer)")
    kind = kind_of(node)
    if kind in ("yes_no", "yes_no_evidence"):
        return _("Yes") if value == "1" else _("No") if value == "0" else value
    if kind == "choice":
        labels = {o.value.casefold(): o.label or o.value for o in node.effective_rule.options}
        return str(labels.get(value.casefold(), value))
    if kind == "ratio":
        if denominator not in (None, ""):
            return f"{number(value)}/{number(denominator)}"
        return f"{number(value)} %"
    return number(value)


def _pts(value: Decimal) -> str:
    return number(value)


def _steps(bands: list[Any], unit: str) -> str:
    return "; ".join(
        _("from %(min)s%(unit)s: %(points)s pt")
        % {"min": _pts(b.min), "unit": unit, "points": _pts(b.points)}
        for b in bands
    )


def rule_hint(kind: str, rule: Any, maximum: Decimal) -> str:
    """What the unit enters and how it becomes points (the rule, in words)."""
    if kind == "yes_no_evidence":
        return _("Yes counts only with evidence attached.")
    if kind == "ratio" and isinstance(rule, BandsRule):
        return _("Ratio: numerator / denominator, or a percentage. Points: %(steps)s.") % {
            "steps": _steps(rule.bands, " %")
        }
    if kind == "ratio":
        return _(
            "Ratio: numerator / denominator, or a percentage. Full points from %(full)s %%."
        ) % {"full": _pts(rule.full_at)}
    if kind == "count" and rule.thresholds is not None:
        return _("A whole number. Points: %(steps)s.") % {"steps": _steps(rule.thresholds, "")}
    if kind == "count":
        return _("A whole number; %(per)s pt each, up to %(max)s.") % {
            "per": _pts(rule.per_item),
            "max": _pts(maximum),
        }
    if kind == "relative":
        return _("A number; the points are set against the best unit of the block.")
    if kind == "info":
        return _("Collected for the report; worth no points.")
    if kind == "points":
        return _("Points from 0 to %(max)s; decimals with a comma (12,5).") % {"max": _pts(maximum)}
    return ""
