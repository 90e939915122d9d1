"""How one answer becomes points, for each rule type."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

from chiso.core.framework import (
    Band,
    BandsRule,
    ChoiceRule,
    CountRule,
    InfoRule,
    PointsRule,
    ProportionalRule,
    RelativeRule,
    YesNoEvidenceRule,
    YesNoRule,
)
from chiso.core.model import Answer
from chiso.core.numbers import HUNDRED, ZERO

__all__ = [
    "AnswerProblem",
    "answer_problem",
    "judge",
    "leaf_points",
    "ratio_percent",
    "relative_points",
]

_ONE = Decimal(1)


def ratio_percent(answer: Answer) -> Decimal:
    """The answer as a percentage: numerator/denominator × 100, or the percentage given."""
    assert isinstance(answer.value, Decimal)
    if answer.denominator is None:
        return answer.value
    return answer.value * HUNDRED / answer.denominator


def answer_problem(rule: Any, maximum: Decimal, answer: Answer) -> str | None:
    """Why ``answer`` cannot be scored under ``rule``, or None when it is fine."""
    value = answer.value
    if value is None:
        return None
    kind = type(rule)
    if kind is ChoiceRule:
        values = [option.value for option in rule.options]
        if str(value).casefold() not in [v.casefold() for v in values]:
            return f"{value!r} is not one of the options ({', '.join(values)})"
        return None
    if kind is InfoRule:
        return None
    if type(value) is not Decimal:
        return f"{value!r} is not a number"
    return _PROBLEMS[kind](rule, maximum, value, answer.denominator)


def _points_problem(rule: Any, maximum: Decimal, value: Decimal, _: Decimal | None) -> str | None:
    if ZERO <= value <= maximum:
        return None
    return f"{value} is outside 0..{maximum} points"


def _yes_no_problem(rule: Any, maximum: Decimal, value: Decimal, _: Decimal | None) -> str | None:
    if value in (ZERO, _ONE):
        return None
    return f"{value} is not a yes/no answer (1 or 0, có or không)"


def _ratio_problem(
    rule: Any, maximum: Decimal, value: Decimal, denominator: Decimal | None
) -> str | None:
    if denominator is not None:
        if denominator <= 0:
            return f"the denominator {denominator} must be greater than 0"
        if value < 0:
            return f"the numerator {value} must not be negative"
        if value > denominator:
            return f"{value}/{denominator} is more than 100 %"
    elif not ZERO <= value <= HUNDRED:
        return f"{value} is not a percentage between 0 and 100"
    return None


def _count_problem(rule: Any, maximum: Decimal, value: Decimal, _: Decimal | None) -> str | None:
    if value < 0 or value != value.to_integral_value():
        return f"{value} is not a count (a whole number, 0 or more)"
    return None


def _relative_problem(rule: Any, maximum: Decimal, value: Decimal, _: Decimal | None) -> str | None:
    return f"{value} must not be negative" if value < 0 else None


_PROBLEMS: dict[type[Any], Callable[[Any, Decimal, Decimal, Decimal | None], str | None]] = {
    PointsRule: _points_problem,
    YesNoRule: _yes_no_problem,
    YesNoEvidenceRule: _yes_no_problem,
    BandsRule: _ratio_problem,
    ProportionalRule: _ratio_problem,
    CountRule: _count_problem,
    RelativeRule: _relative_problem,
}


def leaf_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    """Points of a checked answer; relative rules are scored by :func:`relative_points`."""
    if answer.value is None:
        return ZERO
    return _POINTS[type(rule)](rule, maximum, answer)


def _given_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    assert isinstance(answer.value, Decimal)
    return answer.value


def _no_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    return ZERO


def _choice_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    wanted = str(answer.value).casefold()
    points: Decimal = next(o.points for o in rule.options if o.value.casefold() == wanted)
    return points


def _yes_no_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    return maximum if answer.value == _ONE else ZERO


def _yes_no_evidence_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    return maximum if answer.value == _ONE and answer.evidence else ZERO


def _bands_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    return _band_points(rule.bands, ratio_percent(answer))


def _proportional_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    full_at: Decimal = rule.full_at
    return maximum * min(ratio_percent(answer), full_at) / full_at


def _count_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    assert isinstance(answer.value, Decimal)
    if rule.thresholds is not None:
        return _band_points(rule.thresholds, answer.value)
    per_item: Decimal = rule.per_item
    return min(answer.value * per_item, maximum)


_POINTS: dict[type[Any], Callable[[Any, Decimal, Answer], Decimal]] = {
    PointsRule: _given_points,
    InfoRule: _no_points,
    RelativeRule: _no_points,
    ChoiceRule: _choice_points,
    YesNoRule: _yes_no_points,
    YesNoEvidenceRule: _yes_no_evidence_points,
    BandsRule: _bands_points,
    ProportionalRule: _proportional_points,
    CountRule: _count_points,
}


def relative_points(maximum: Decimal, value: Decimal | None, best: Decimal) -> Decimal:
    """max × value / best value of the block; 0 when nobody scored."""
    if value is None or best <= 0:
        return ZERO
    return maximum * value / best


def _band_points(bands: list[Band], value: Decimal) -> Decimal:
    points = ZERO
    for band in bands:
        if value >= band.min:
            points = band.points
    return points


class AnswerProblem(ValueError):
    """An answer that cannot be scored under its rule; the message says why."""


Judge = Callable[[Answer], Decimal]


def judge(rule: Any, maximum: Decimal) -> Judge:
    """Check an answer and give its points in one call, with the rule's dispatch done once:
    what :func:`answer_problem` and :func:`leaf_points` say (a relative rule gives 0 here:
    it is scored against the best of the block). Raises :class:`AnswerProblem`."""
    kind = type(rule)
    points = _POINTS[kind]
    problem = _PROBLEMS.get(kind)
    if problem is None:  # choice and info answers are texts

        def judge_text(answer: Answer) -> Decimal:
            found = answer_problem(rule, maximum, answer)
            if found is not None:
                raise AnswerProblem(found)
            return ZERO if answer.value is None else points(rule, maximum, answer)

        return judge_text
    check = problem
    if kind is BandsRule or kind is ProportionalRule:
        return _judge_ratio(rule, maximum, check)

    def judge_number(answer: Answer) -> Decimal:
        value = answer.value
        if value is None:
            return ZERO
        if type(value) is not Decimal:
            raise AnswerProblem(f"{value!r} is not a number")
        found = check(rule, maximum, value, answer.denominator)
        if found is not None:
            raise AnswerProblem(found)
        return points(rule, maximum, answer)

    return judge_number


def _ten_power(value: Decimal) -> int | None:
    """-k when ``value`` is 10^k (k ≥ 0), else None."""
    if value <= 0 or value != value.to_integral_value():
        return None
    digits = str(int(value))
    return -(len(digits) - 1) if digits == "1" + "0" * (len(digits) - 1) else None


def _judge_ratio(
    rule: Any,
    maximum: Decimal,
    check: Callable[[Any, Decimal, Decimal, Decimal | None], str | None],
) -> Judge:
    """:func:`judge` of the ratio rules, in one call: a national cycle has about 100,000
    distinct ratios. Computes what :func:`_ratio_problem` and the rule's points function
    compute, the same way."""
    bands = [(band.min, band.points) for band in rule.bands] if type(rule) is BandsRule else None
    full_at: Decimal = ZERO if bands is not None else rule.full_at
    # dividing by a power of ten (full at 100 %) is exact: a shift of the exponent
    shift = _ten_power(full_at)

    def judge_ratio(answer: Answer) -> Decimal:
        value = answer.value
        if value is None:
            return ZERO
        if type(value) is not Decimal:
            raise AnswerProblem(f"{value!r} is not a number")
        denominator = answer.denominator
        if denominator is None:
            if not ZERO <= value <= HUNDRED:
                raise AnswerProblem(check(rule, maximum, value, None))
            share = value
        elif denominator > 0 and ZERO <= value <= denominator:
            share = value * HUNDRED / denominator
        else:
            raise AnswerProblem(check(rule, maximum, value, denominator))
        if bands is None:
            points = maximum * (full_at if full_at < share else share)  # min()
            return points / full_at if shift is None else points.scaleb(shift)
        got = ZERO
        for least, band_points in bands:
            if share >= least:
                got = band_points
        return got

    return judge_ratio
