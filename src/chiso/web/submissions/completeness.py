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


class Required:
    """What a block asks its units to answer: its criteria (leaves of the block, info criteria
    excepted) in the framework's order, and which of them each answer covers (an answered or
    not-applicable group covers its parts). Found once per block, used for every unit."""

    def __init__(self, framework: Framework, block: str) -> None:
        maxima = framework.max_for(block)
        leaves: list[str] = []
        covers: dict[str, list[str]] = {}

        def visit(node: Node, above: tuple[str, ...]) -> None:
            if node.code not in maxima:
                return
            path = (*above, node.code)
            covers.setdefault(node.code, [])
            if node.is_leaf:
                if not isinstance(node.effective_rule, InfoRule):
                    leaves.append(node.code)
                    for code in path:
                        covers[code].append(node.code)
                return
            for child in node.children:
                visit(child, path)

        for root in framework.criteria:
            visit(root, ())
        self.codes = tuple(leaves)
        self._covers = {code: tuple(covered) for code, covered in covers.items()}

    def unanswered(self, answered: Iterable[str]) -> tuple[str, ...]:
        """The required criteria that the answered codes (a value, or not applicable) leave
        without an answer."""
        covered: set[str] = set()
        for code in answered:
            covered.update(self._covers.get(code, ()))
        return tuple(code for code in self.codes if code not in covered)


def is_answered(answer: AnswerLike) -> bool:
    """An answer counts as given: a value, or the criterion declared not applicable (the
    database's side of the same rule: :data:`chiso.web.submissions.models.ANSWERED`)."""
    return bool(answer.value) or answer.not_applicable


def completeness(
    framework: Framework,
    block: str,
    answers: Iterable[AnswerLike],
    evidence_codes: Iterable[str],
    required: Required | None = None,
) -> Completeness:
    """``required``: the block's :class:`Required`, when the caller found it already."""
    given = {a.code: a for a in answers if is_answered(a)}
    with_evidence = set(evidence_codes)
    maxima = framework.max_for(block)
    missing: list[str] = []

    def visit(node: Node, inactive: bool) -> None:
        if node.code not in maxima:
            return
        answer = given.get(node.code)
        if not inactive and needs_evidence(node, answer) and node.code not in with_evidence:
            missing.append(node.code)
        if node.is_leaf:
            return
        inactive = inactive or (answer is not None and answer.not_applicable)
        for child in node.children:
            visit(child, inactive)

    for root in framework.criteria:
        visit(root, False)
    required = required or Required(framework, block)
    return Completeness(len(required.codes), required.unanswered(given), tuple(missing))


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
