"""From stored answers to the core's values, and back to the core for every score.

Nothing here computes a score: it converts rows into :class:`chiso.core.UnitData` and calls
:func:`chiso.core.score`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import NamedTuple, Protocol

from django.db.models import StringAgg, Value
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.core import Answer as CoreAnswer
from chiso.core import CycleResult, Framework, Status, UnitData, UnitResult, score
from chiso.core.framework import (
    RATIO_RULES,
    ChoiceRule,
    CountRule,
    InfoRule,
    Node,
    PointsRule,
    YesNoEvidenceRule,
    YesNoRule,
)
from chiso.core.numbers import (
    MAX_DIGITS,
    MAX_INTEGER_DIGITS,
    NumberOutOfBounds,
    parse_answer_number,
    parse_decimal,
)
from chiso.core.rules import answer_problem
from chiso.core.scoring import score_unit
from chiso.io.cells import has_control_characters
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.submissions.models import (
    ANSWERED,
    DENOMINATOR_DECIMALS,
    MAX_TEXT_ANSWER,
    Answer,
    Evidence,
    Submission,
    SubmissionState,
)


class AnswerLike(Protocol):
    """What scoring and completeness read of an answer: a stored one, a verdict's, a row."""

    @property
    def code(self) -> str: ...

    @property
    def value(self) -> str: ...

    @property
    def denominator(self) -> Decimal | None: ...

    @property
    def not_applicable(self) -> bool: ...


class AnswerRow(NamedTuple):
    """An answer read as a tuple: a whole cycle's answers are read this way (600,000 model
    objects take ten times as long to build)."""

    code: str
    value: str
    denominator: Decimal | None
    not_applicable: bool


ANSWER_FIELDS = ("code", "value", "denominator", "not_applicable")


def answer_rows(
    cycle: Cycle, submission_ids: Iterable[int] | None = None
) -> dict[int, list[AnswerRow]]:
    """The answers of the cycle (or of these of its submissions, whose ids the caller took from
    the cycle), per submission: one query."""
    found: dict[int, list[AnswerRow]] = defaultdict(list)
    rows = Answer.objects.filter(submission__participation__cycle=cycle)
    if submission_ids is not None:  # by the ids alone: the index of the submission
        rows = Answer.objects.filter(submission_id__in=submission_ids)
    make = AnswerRow._make
    for row in rows.values_list("submission_id", *ANSWER_FIELDS):
        found[row[0]].append(make(row[1:]))
    return found


def answered_codes(
    cycle: Cycle, submission_ids: Iterable[int] | None = None
) -> dict[int, list[str]]:
    """The criteria each submission of the cycle (or each of these of its submissions, whose
    ids the caller took from the cycle) has answered (a value, or not applicable): one query,
    the database joining each submission's codes (a code has no space); none for no ids."""
    rows = Answer.objects.filter(ANSWERED, submission__participation__cycle=cycle).order_by()
    if submission_ids is not None:  # by the ids alone: the index of the submission
        submission_ids = list(submission_ids)
        if not submission_ids:
            return {}
        rows = Answer.objects.filter(ANSWERED, submission_id__in=submission_ids).order_by()
    joined = rows.values("submission_id").annotate(codes=StringAgg("code", Value(" ")))
    return {pk: codes.split(" ") for pk, codes in joined.values_list("submission_id", "codes")}


def evidence_by_submission(
    cycle: Cycle, submission_ids: Iterable[int] | None = None
) -> dict[int, set[str]]:
    """The criteria with a current evidence file, per submission of the cycle (one query)."""
    found: dict[int, set[str]] = defaultdict(set)
    rows = Evidence.objects.current().filter(submission__participation__cycle=cycle)
    if submission_ids is not None:
        rows = Evidence.objects.current().filter(submission_id__in=submission_ids)
    for submission_id, code in rows.values_list("submission_id", "code"):
        found[submission_id].add(code)
    return found


class AnswerError(ValueError):
    """An answer that the criterion's rule cannot take; the message is for the form field
    ``field`` (the value, or the note beside it)."""

    def __init__(self, message: str, field: str = "value") -> None:
        super().__init__(message)
        self.field = field


@dataclass(frozen=True)
class Parsed:
    """An answer in its stored form: canonical text and an optional denominator."""

    value: str
    denominator: Decimal | None = None


def takes_text(node: Node) -> bool:
    return node.is_leaf and isinstance(node.effective_rule, (ChoiceRule, InfoRule))


def parse_answer(
    framework: Framework,
    block: str,
    code: str,
    value: str,
    denominator: str = "",
) -> Parsed:
    """Check a typed answer against its criterion's rule; raise AnswerError with the reason."""
    node = framework.node(code)
    maximum = framework.max_for(block)[code]
    value, denominator = value.strip(), denominator.strip()
    if not value and not denominator:
        return Parsed("")
    if takes_text(node):
        if len(value) > MAX_TEXT_ANSWER:
            raise AnswerError(_("Enter at most %(count)s characters.") % {"count": MAX_TEXT_ANSWER})
        if has_control_characters(value):
            raise AnswerError(_("Enter the text without control characters."))
        core = CoreAnswer(
            _number_or_text(value) if isinstance(node.effective_rule, InfoRule) else value
        )
    else:
        try:
            number = parse_answer_number(value.removesuffix("%"))
            ratio = parse_answer_number(denominator) if denominator else None
        except NumberOutOfBounds:
            raise AnswerError(
                _(
                    "Enter a number with at most %(whole)s digits before the decimal comma"
                    " and at most %(digits)s digits in all."
                )
                % {"whole": MAX_INTEGER_DIGITS, "digits": MAX_DIGITS}
            ) from None
        except ValueError:
            raise AnswerError(_("Enter a number (decimals with a comma, e.g. 12,5).")) from None
        if ratio is not None and not isinstance(node.effective_rule, RATIO_RULES):
            raise AnswerError(_("This criterion takes no denominator."))
        if ratio is not None and ratio != round(ratio, DENOMINATOR_DECIMALS):
            raise AnswerError(
                _("The denominator takes at most %(decimals)s decimals.")
                % {"decimals": DENOMINATOR_DECIMALS}
            )
        core = CoreAnswer(number, ratio)
    if node.is_leaf and answer_problem(node.effective_rule, maximum, core):
        raise AnswerError(_problem(node.effective_rule, maximum, core))
    if isinstance(core.value, Decimal) and not takes_text(node):
        # only a number within bounds and checked by its rule is written out in full
        return Parsed(_canonical(core.value), core.denominator)
    return Parsed(value)


def _problem(rule: object, maximum: Decimal, answer: CoreAnswer) -> str:
    """What the person should enter, for an answer that the core refused under ``rule``."""
    if isinstance(rule, (YesNoRule, YesNoEvidenceRule)):
        return _("Choose yes or no.")
    if isinstance(rule, ChoiceRule):
        return _("Choose one of the options.")
    if isinstance(rule, PointsRule):
        return _("Enter points from 0 to %(max)s.") % {"max": fmt.plain(maximum)}
    if isinstance(rule, CountRule):
        return _("Enter a whole number, 0 or more.")
    if isinstance(rule, RATIO_RULES):
        if answer.denominator is None:
            return _("Enter a percentage from 0 to 100, or the numerator and the denominator.")
        if answer.denominator <= 0:
            return _("The denominator must be greater than 0.")
        return _("The numerator must be from 0 up to the denominator.")
    return _("Enter a number, 0 or more.")


def _number_or_text(value: str) -> Decimal | str:
    try:
        return parse_decimal(value)
    except ValueError:
        return value


def _canonical(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


def core_answer(node: Node, row: AnswerLike, has_evidence: bool) -> CoreAnswer:
    if row.not_applicable:
        return CoreAnswer(not_applicable=True, evidence=has_evidence)
    if not row.value:
        return CoreAnswer(evidence=has_evidence)
    value: Decimal | str = row.value if takes_text(node) else Decimal(row.value)
    if isinstance(node.effective_rule, InfoRule) and node.is_leaf:
        value = _number_or_text(row.value)
    return CoreAnswer(value, row.denominator, has_evidence)


def unit_data(
    framework: Framework,
    participation: Participation,
    answers: Iterable[AnswerLike],
    evidence_codes: Iterable[str],
    *,
    status: Status | None = None,
    reader: Reader | None = None,
) -> UnitData:
    """A unit's answers as the core reads them; ``reader``: one kept across a cycle's units."""
    reader = reader or Reader(framework)
    with_evidence = set(evidence_codes)
    core = {}
    for row in answers:
        found = reader.answer(row, row.code in with_evidence)
        if found is not None:
            core[row.code] = found
    for code in with_evidence - core.keys():
        if framework.has_node(code):
            core[code] = CoreAnswer(evidence=True)
    if status is None:
        status = Status.VOLUNTARY if participation.voluntary else Status.SUBMITTED
    return UnitData(participation.unit.name, participation.block, core, status)


class Reader:
    """Stored answers into the core's, each distinct answer of a criterion's kind read once
    (a national cycle's 600,000 answers hold a few thousand distinct ones)."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework
        self._nodes: dict[str, tuple[Node, tuple[bool, bool]] | None] = {}
        self._answers: dict[tuple[object, ...], CoreAnswer] = {}

    def answer(self, row: AnswerLike, has_evidence: bool) -> CoreAnswer | None:
        """None for a criterion the framework does not hold."""
        code = row.code
        if code not in self._nodes:
            self._nodes[code] = (
                _kind(self.framework.node(code)) if self.framework.has_node(code) else None
            )
        known = self._nodes[code]
        if known is None:
            return None
        node, kind = known
        key = (kind, row.value, row.denominator, row.not_applicable, has_evidence)
        found = self._answers.get(key)
        if found is None:
            found = self._answers[key] = core_answer(node, row, has_evidence)
        return found


def _kind(node: Node) -> tuple[Node, tuple[bool, bool]]:
    """A criterion, and how its answer text is read: as text, as an information criterion's."""
    return node, (takes_text(node), isinstance(node.effective_rule, InfoRule) and node.is_leaf)


@dataclass(frozen=True)
class Live:
    """A unit's answers and current evidence as stored now, and its scores from them: read
    once by a save, which checks the scores, and used again for the form it answers with."""

    answers: list[Answer]
    evidence: list[Evidence]
    result: UnitResult


def live(submission: Submission, answers: list[Answer] | None = None) -> Live:
    """The unit's scores from its current answers (``answers`` when read already), scored
    alone. A criterion scored relative to the block's best is relative to the unit itself
    here: its final points come with the cycle's results."""
    if answers is None:
        answers = list(submission.answers.all())
    evidence = list(submission.evidence.current().select_related("uploaded_by"))
    result = live_result_of(submission.participation, answers, [e.code for e in evidence])
    return Live(answers, evidence, result)


def live_result(submission: Submission) -> UnitResult:
    """:func:`live`'s scores."""
    return live(submission).result


def live_result_of(
    participation: Participation, answers: Iterable[AnswerLike], evidence_codes: Iterable[str]
) -> UnitResult:
    """:func:`live_result` from answers and evidence already read (or none yet)."""
    framework = participation.cycle.framework.framework
    data = unit_data(framework, participation, answers, evidence_codes, status=Status.SUBMITTED)
    return score_unit(framework, data)


def cycle_data(cycle: Cycle, *, submitted_only: bool = True) -> list[UnitData]:
    """Every participating unit's self-assessed answers; a unit that has not submitted is
    ``no_data`` (with ``submitted_only``) — the export and the results start from this."""
    framework = cycle.framework.framework
    participations = cycle.participations.select_related("unit", "submission")
    answers, evidence = answer_rows(cycle), evidence_by_submission(cycle)
    reader = Reader(framework)
    units = []
    for participation in participations:
        submission = getattr(participation, "submission", None)
        if submission is None or (submitted_only and submission.state != SubmissionState.SUBMITTED):
            units.append(UnitData(participation.unit.name, participation.block, {}, Status.NO_DATA))
            continue
        units.append(
            unit_data(
                framework,
                participation,
                answers[submission.pk],
                evidence[submission.pk],
                reader=reader,
            )
        )
    return units


def score_cycle(cycle: Cycle, *, submitted_only: bool = True) -> CycleResult:
    """The cycle's self-assessed results, of the cycle's year (not its framework's)."""
    units = cycle_data(cycle, submitted_only=submitted_only)
    return score(cycle.framework.framework, units, year=cycle.year)
