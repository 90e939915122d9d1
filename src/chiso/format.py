"""Numbers and dates as the Vietnamese publications write them: "95,3", "1.000,00", "81%",
"+5", "06/12/2026".

Every figure the reports, the audit, the CLI's tables and the web's pages print in Vietnamese
form is written here. A figure shown at a precision is rounded with the one rounding rule,
:func:`chiso.core.numbers.round_half_up` (45.25 at 1 decimal is "45,3"); nothing here decides
a score.

Two minus signs: a rounded figure of a publication takes the typographic minus ("−2,5"), a
value quoted as read or typed (:func:`exact`, :func:`plain`) keeps the hyphen-minus ("-2.5"
read is "-2,5").
"""

from __future__ import annotations

import datetime
from decimal import Decimal

from chiso.core.numbers import round_half_up

__all__ = [
    "DECIMAL_COMMA",
    "MINUS",
    "THOUSANDS_DOT",
    "change",
    "comma",
    "date",
    "exact",
    "mean_decimals",
    "number",
    "percent",
    "plain",
    "points",
]

DECIMAL_COMMA = ","
THOUSANDS_DOT = "."
MINUS = "\u2212"
"""The minus sign of a rounded figure: "−2,5"."""


def comma(text: str, separator: str = DECIMAL_COMMA) -> str:
    """A number's text written with ``separator`` for its decimal point: "2.5" → "2,5"."""
    return text.replace(".", separator)


def number(value: Decimal | float | None, decimals: int, *, grouped: bool = False) -> str:
    """``value`` rounded half up at ``decimals`` places, with a decimal comma: 95.294 → "95,3",
    -2.25 → "−2,3"; with ``grouped``, a dot between thousands: 1000 → "1.000,00". None → "".

    A float (a chart's axis, a stored JSON number) is read as its shortest text: 0.1 is 0.1.
    """
    if value is None:
        return ""
    if isinstance(value, float):
        value = Decimal(float.__repr__(value))
    text = f"{round_half_up(Decimal(value), decimals):f}"
    negative = text.startswith("-")
    whole, point, fraction = text.lstrip("-").partition(".")
    if grouped:
        whole = _grouped(whole)
    return (MINUS if negative else "") + whole + (DECIMAL_COMMA if point else "") + fraction


def _grouped(digits: str) -> str:
    """ "1234567" → "1.234.567"."""
    head = len(digits) % 3 or 3
    groups = [digits[:head]] + [digits[i : i + 3] for i in range(head, len(digits), 3)]
    return THOUSANDS_DOT.join(groups)


def mean_decimals(decimals: int) -> int:
    """The places a mean of points is shown at, for points shown at ``decimals``: at least
    one, since a mean of whole points is rarely whole (12,67 → "12,7", not "13")."""
    return max(decimals, 1)


def percent(value: Decimal | None, decimals: int = 0) -> str:
    """A share as a percentage: 81.25 → "81%" (at 0 decimals); None → ""."""
    return number(value, decimals) + "%" if value is not None else ""


def exact(value: Decimal) -> str:
    """Every digit ``value`` holds, with a decimal comma: 45.10 → "45,10" (the audit quotes a
    published cell as it is printed)."""
    return comma(f"{value:f}")


def plain(value: str | Decimal | None, separator: str = DECIMAL_COMMA) -> str:
    """A number as typed, without trailing zeros: "12.50" → "12,5", 100 → "100"; None or ""
    → ""."""
    if value is None or value == "":
        return ""
    return comma(format(Decimal(value).normalize(), "f"), separator)


def points(value: Decimal, decimals: int, separator: str = DECIMAL_COMMA) -> str:
    """Points rounded half up to at most ``decimals`` places: 3.75 → "3,75", 13.00 → "13"."""
    return plain(round_half_up(value, decimals), separator)


def change(value: int | None) -> str:
    """A change of rank: "+5" (up), "-2" (down), "=" (same); None → ""."""
    if value is None:
        return ""
    if value == 0:
        return "="
    return f"+{value}" if value > 0 else f"-{-value}"


def date(value: datetime.date) -> str:
    """dd/mm/yyyy: 2026-12-06 → "06/12/2026"."""
    return value.strftime("%d/%m/%Y")
