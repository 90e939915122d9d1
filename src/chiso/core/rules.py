"""How one answer becomes points, for each rule type."""

from __future__ import annotations

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

__all__ = ["answer_problem", "leaf_points", "ratio_percent", "relative_points"]

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
    if isinstance(rule, ChoiceRule):
        values = [option.value for option in rule.options]
        if str(value).casefold() not in [v.casefold() for v in values]:
            return f"{value!r} is not one of the options ({', '.join(values)})"
        return None
    if isinstance(rule, InfoRule):
        return None
    if not isinstance(value, Decimal):
        return f"{value!r} is not a number"
    if isinstance(rule, (YesNoRule, YesNoEvidenceRule)) and value not in (ZERO, _ONE):
        return f"{value} is not a yes/no answer (1 or 0, có or không)"
    elif isinstance(rule, (BandsRule, ProportionalRule)):
        if answer.denominator is not None:
            if answer.denominator <= 0:
                return f"the denominator {answer.denominator} must be greater than 0"
            if value < 0:
                return f"the numerator {value} must not be negative"
            if value > answer.denominator:
                return f"{value}/{answer.denominator} is more than 100 %"
        elif not ZERO <= value <= HUNDRED:
            return f"{value} is not a percentage between 0 and 100"
    elif isinstance(rule, CountRule):
        if value < 0 or value != value.to_integral_value():
            return f"{value} is not a count (a whole number, 0 or more)"
    elif isinstance(rule, RelativeRule) and value < 0:
        return f"{value} must not be negative"
    elif isinstance(rule, PointsRule) and not ZERO <= value <= maximum:
        return f"{value} is outside 0..{maximum} points"
    return None


def leaf_points(rule: Any, maximum: Decimal, answer: Answer) -> Decimal:
    """Points of a checked answer; relative rules are scored by :func:`relative_points`."""
    value = answer.value
    if value is None or isinstance(rule, (InfoRule, RelativeRule)):
        return ZERO
    if isinstance(rule, ChoiceRule):
        wanted = str(value).casefold()
        return next(o.points for o in rule.options if o.value.casefold() == wanted)
    assert isinstance(value, Decimal)
    if isinstance(rule, YesNoRule):
        return maximum if value == _ONE else ZERO
    if isinstance(rule, YesNoEvidenceRule):
        return maximum if value == _ONE and answer.evidence else ZERO
    if isinstance(rule, BandsRule):
        return _band_points(rule.bands, ratio_percent(answer))
    if isinstance(rule, ProportionalRule):
        share = min(ratio_percent(answer), rule.full_at) / rule.full_at
        return maximum * share
    if isinstance(rule, CountRule):
        if rule.thresholds is not None:
            return _band_points(rule.thresholds, value)
        assert rule.per_item is not None
        return min(value * rule.per_item, maximum)
    return value  # points


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
