"""Exact numbers and the one rounding rule.

Scores are kept as :class:`~decimal.Decimal` at full precision from input to result: a
published "45,2" is read as exactly 45.2, so sums and threshold comparisons are exact.
Values are rounded only for display and where a methodology decides something on a printed
figure (ties at a precision, a tier on a rounded percentage), always with :func:`round_half_up`:
62.5 → 63, 95.294… → 95.3, 0.125 → 0.13.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Context, Decimal, InvalidOperation

from chiso.core.messages import Message

__all__ = [
    "HUNDRED",
    "MAX_DECIMALS",
    "MAX_DIGITS",
    "MAX_EXACT_DECIMALS",
    "MAX_EXACT_DIGITS",
    "MAX_INTEGER_DIGITS",
    "MAX_NUMBER_TEXT",
    "ZERO",
    "NumberOutOfBounds",
    "bounded",
    "bounded_answer",
    "parse_answer_number",
    "parse_decimal",
    "percent",
    "round_half_up",
    "to_decimal",
]

ZERO = Decimal(0)
HUNDRED = Decimal(100)
_CONTEXT = Context(prec=34)

# Bounds on every number read: no score, count or amount of this domain needs more, and a
# bound here keeps every later step (formatting, storing, arithmetic) small: "1e-200000000" is
# a short text whose digits, written out, would fill 200 MB.
MAX_INTEGER_DIGITS = 15
"""Digits before the decimal point, of any number read."""
MAX_DIGITS = 17
MAX_DECIMALS = 20
"""Significant digits and decimals of an answer (the web, a data file): a spreadsheet's
number read back is at most 17 digits (200/3 is 66.666666666666671)."""
MAX_EXACT_DIGITS = 34
MAX_EXACT_DECIMALS = 40
"""Digits and decimals of any other number read (a results file keeps exact values to 28
digits)."""
MAX_NUMBER_TEXT = 64


class NumberOutOfBounds(ValueError):
    """A number, or a number's text, longer than any answer of this domain needs."""


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


def parse_decimal(
    text: str, decimals: int = MAX_EXACT_DECIMALS, digits: int = MAX_EXACT_DIGITS
) -> Decimal:
    """Parse a number as people type it: ``45.2``, ``45,2`` (Vietnamese), `` 7 ``.

    Raises ValueError for anything else (thousands separators are not accepted: the
    scores of this domain never reach a thousand with decimals, and "1.000" would be
    ambiguous), and NumberOutOfBounds for a number outside the bounds of :func:`bounded`
    (:func:`parse_answer_number` for an answer).
    """
    if len(text) > MAX_NUMBER_TEXT:
        raise NumberOutOfBounds(Message("{start!r}… is too long for a number", start=text[:20]))
    try:
        number = Decimal(text)  # the common case, a plain number ("45.2", " 7 ")
    except InvalidOperation:
        pass
    else:
        if number.is_finite():
            return number if _short(text, number) else bounded(number, decimals, digits)
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
    return number if _short(cleaned, number) else bounded(number, decimals, digits)


def parse_answer_number(text: str) -> Decimal:
    """:func:`parse_decimal` within the bounds of an answer (:data:`MAX_DIGITS` digits, of
    them :data:`MAX_DECIMALS` decimals)."""
    return parse_decimal(text, MAX_DECIMALS, MAX_DIGITS)


def bounded_answer(number: Decimal, text: str) -> Decimal:
    """:func:`bounded` with the bounds of an answer; ``text`` is the number as read."""
    return number if _short(text, number) else bounded(number, MAX_DECIMALS, MAX_DIGITS)


def _short(text: str, number: Decimal) -> bool:
    """Whether ``number``, read from ``text``, is within every bound without looking at its
    digits (the common case, at a twentieth of the cost): 17 characters hold at most 17
    digits, and with the first of them at most 3 places after the point (adjusted > -4) the
    last is at most 19 places after it: within the bounds of an answer, and so of any number."""
    return len(text) <= MAX_DIGITS and -4 < number.adjusted() < MAX_INTEGER_DIGITS


def bounded(
    number: Decimal, decimals: int = MAX_EXACT_DECIMALS, digits: int = MAX_EXACT_DIGITS
) -> Decimal:
    """``number`` when it has at most :data:`MAX_INTEGER_DIGITS` digits before the decimal
    point, ``decimals`` after it and ``digits`` in all (trailing zeros do not count);
    NumberOutOfBounds otherwise.

    Only the number's exponent and digit tuple are looked at, never its written-out digits,
    so the check costs the same for "1e-200000000" as for "7". A zero is returned as 0.
    """
    if not number.is_finite():
        raise ValueError(f"not a number: {number}")
    if not number:
        return ZERO
    _, shown, exponent = number.as_tuple()
    assert isinstance(exponent, int)
    significant = len(bytes(shown).rstrip(b"\0"))
    scale = exponent + len(shown) - significant  # the exponent of the last significant digit
    adjusted = number.adjusted()
    if adjusted >= MAX_INTEGER_DIGITS or scale < -decimals or adjusted - scale + 1 > digits:
        raise NumberOutOfBounds(
            Message(
                "{number} has too many digits (at most {digits}, of them at most {integer}"
                " before the decimal point and {decimals} after it)",
                number=_shown(number),
                digits=digits,
                integer=MAX_INTEGER_DIGITS,
                decimals=decimals,
            )
        )
    return number


def _shown(number: Decimal) -> str:
    """The number as a short text, in scientific notation when its digits would be many."""
    if -30 < number.adjusted() < 30 and len(number.as_tuple().digits) < 30:
        return str(number)
    return f"{number:.3e}"


_QUANTA = {decimals: Decimal(1).scaleb(-decimals) for decimals in range(7)}


def round_half_up(value: Decimal, decimals: int) -> Decimal:
    """The rounding rule: half away from zero at ``decimals`` places."""
    quantum = _QUANTA.get(decimals) or Decimal(1).scaleb(-decimals)
    digits = value.adjusted() + 1 + decimals
    context = _CONTEXT if digits <= _CONTEXT.prec else Context(prec=digits)
    return value.quantize(quantum, rounding=ROUND_HALF_UP, context=context)


def percent(score: Decimal, maximum: Decimal) -> Decimal | None:
    """``score`` as a percentage of ``maximum`` (0–100), or None when nothing applies."""
    if maximum == 0:
        return None
    return _CONTEXT.divide(score * HUNDRED, maximum)
