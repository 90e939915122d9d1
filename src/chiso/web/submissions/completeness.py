"""How complete a self-assessment is: required criteria left unanswered, evidence missing.

One function for every page that shows it (the self-assessment form, the assessor's
dashboard): it reads answers and evidence codes, never the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chiso.core import Framework
from chiso.core.framework import InfoRule, Node, YesNoEvidenceRule, YesNoRule
from chiso.web.submissions.scoring import AnswerLike


@dataclass(frozen=True)
class Completeness:
    required: int
    """Criteria (leaves of the unit's block, info criteria excepted) the unit must answer."""
    unanswered: tuple[str, ...]
    """Required criteria with no answer (an answered or not-applicable group covers its parts)."""
    evidence_missing: tuple[str, ...]
    """Answered criteria that need evidence and have none (:func:`needs_evidence`), outside
    groups declared not applicable."""

    @property
    def answered(self) -> int:
        return self.required - len(self.unanswered)

    @property
    def is_complete(self) -> bool:
        return not self.unanswered and not self.evidence_missing


def completeness(
    framework: Framework, block: str, answers: Iterable[AnswerLike], evidence_codes: Iterable[str]
) -> Completeness:
    given = {a.code: a for a in answers if a.value or a.not_applicable}
    with_evidence = set(evidence_codes)
    maxima = framework.max_for(block)
    required = 0
    unanswered: list[str] = []
    missing: list[str] = []

    def visit(node: Node, covered: bool, inactive: bool) -> None:
        nonlocal required
        if node.code not in maxima:
            return
        answer = given.get(node.code)
        if not inactive and needs_evidence(node, answer) and node.code not in with_evidence:
            missing.append(node.code)
        covered = covered or answer is not None
        if node.is_leaf:
            if not isinstance(node.effective_rule, InfoRule):
                required += 1
                if not covered:
                    unanswered.append(node.code)
            return
        inactive = inactive or (answer is not None and answer.not_applicable)
        for child in node.children:
            visit(child, covered, inactive)

    for root in framework.criteria:
        visit(root, False, False)
    return Completeness(required, tuple(unanswered), tuple(missing))


def needs_evidence(node: Node, answer: AnswerLike | None) -> bool:
    """An answer that needs a file: the criterion asks for evidence, or its yes counts only
    with evidence. A criterion not answered yet is missing its answer, not its evidence; a "no"
    to a yes/no question and a criterion declared not applicable need none."""
    if answer is None or answer.not_applicable or not answer.value:
        return False
    value = answer.value
    rule = node.effective_rule if node.is_leaf else None
    if isinstance(rule, YesNoEvidenceRule) and value == "1":
        return True
    if isinstance(rule, (YesNoRule, YesNoEvidenceRule)) and value == "0":
        return False
    return node.evidence_required
