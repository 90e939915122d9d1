"""Exact numbers and the one rounding rule.

Scores are kept as :class:`~decimal.Decimal` at full precision from input to result: a
published "45,2" is read as exactly 45.2, so sums and threshold comparisons are exact.
Values are rounded only for display and where a methodology decides something on a printed
figure (ties at a precision, a tier on a rounded percentage), always with :func:`round_half_up`:
62.5 → 63, 95.294… → 95.3, 0.125 → 0.13.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

__all__ = ["HUNDRED", "ZERO", "parse_decimal", "percent", "round_half_up", "to_decimal"]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_CONTEXT = Context(prec=34)


def to_decimal(value: int | float | str | Decimal) -> Decimal:
    """Convert without the binary noise of floats: 100.4 becomes Decimal('100.4')."""
    if isinstance(value, Decimal):
        return value
    if isinstance(value, bool):
        raise TypeError("a boolean is not a number")
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value))
    return parse_decimal(value)


def parse_decimal(text: str) -> Decimal:
    """Parse a number as people type it: ``45.2``, ``45,2`` (Vietnamese), `` 7 ``.

    Raises ValueError for anything else (thousands separators are not accepted: the
    scores of this domain never reach a thousand with decimals, and "1.000" would be
    ambiguous).
    """
    try:
        number = Decimal(text)  # the common case, a plain number ("45.2", " 7 ")
    except InvalidOperation:
        pass
    else:
        if number.is_finite():
            return number
        raise ValueError(f"not a number: {text!r}")
    cleaned = text.strip().replace("\u00a0", "")
    if cleaned.count(",") == 1 and "." not in cleaned:
        cleaned = cleaned.replace(",", ".")
    try:
        number = Decimal(cleaned)
    except InvalidOperation:
        raise ValueError(f"not a number: {text!r}") from None
    if not number.is_finite():
        raise ValueError(f"not a number: {text!r}")
    return number


_QUANTA = {decimals: Decimal(1).scaleb(-decimals) for decimals in range(7)}


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """The rounding rule: half away from zero at ``decimals`` places."""
    quantum = _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=_CONTEXT)


def percent(score: Decimal, maximum: Decimal) -> Decimal | None:
    """``score`` as a percentage of ``maximum`` (0–100), or None when nothing applies."""
    if maximum == 0:
        return None
    return _CONTEXT.divide(score * HUNDRED, maximum)
