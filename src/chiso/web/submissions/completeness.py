"""How complete a self-assessment is: required criteria left unanswered, evidence missing.

One function for every page that shows it (the self-assessment form, the assessor's
dashboard): it reads answers and evidence codes, never the database.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from chiso.core import Framework
from chiso.core.framework import InfoRule, Node, YesNoEvidenceRule
from chiso.web.submissions.models import Answer


@dataclass(frozen=True)
class Completeness:
    required: int
    """Criteria (leaves of the unit's block, info criteria excepted) the unit must answer."""
    unanswered: tuple[str, ...]
    """Required criteria with no answer (an answered or not-applicable group covers its parts)."""
    evidence_missing: tuple[str, ...]
    """Answered criteria that need evidence and have none: ``evidence_required`` ones (not
    declared not applicable) and ``yes_no_evidence`` ones answered yes."""

    @property
    def answered(self) -> int:
        return self.required - len(self.unanswered)

    @property
    def is_complete(self) -> bool:
        return not self.unanswered and not self.evidence_missing


def completeness(
    framework: Framework, block: str, answers: Iterable[Answer], evidence_codes: Iterable[str]
) -> Completeness:
    given = {a.code: a for a in answers if a.value or a.not_applicable}
    with_evidence = set(evidence_codes)
    maxima = framework.max_for(block)
    required = 0
    unanswered: list[str] = []
    missing: list[str] = []

    def visit(node: Node, covered: bool) -> None:
        nonlocal required
        if node.code not in maxima:
            return
        answer = given.get(node.code)
        needs = answer is not None and _needs_evidence(node, answer)
        if needs and node.code not in with_evidence:
            missing.append(node.code)
        covered = covered or answer is not None
        if node.is_leaf:
            if not isinstance(node.effective_rule, InfoRule):
                required += 1
                if not covered:
                    unanswered.append(node.code)
            return
        for child in node.children:
            visit(child, covered)

    for root in framework.criteria:
        visit(root, False)
    return Completeness(required, tuple(unanswered), tuple(missing))


def _needs_evidence(node: Node, answer: Answer) -> bool:
    if answer.not_applicable:
        return False
    if isinstance(node.effective_rule, YesNoEvidenceRule) and node.is_leaf:
        return answer.value == "1"
    return node.evidence_required
