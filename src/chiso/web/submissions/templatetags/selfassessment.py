"""Numbers on the self-assessment pages, written the Vietnamese way (decimal comma)."""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from django import template
from django.utils.formats import get_format

from chiso import format as fmt

register = template.Library()


@register.filter
def number(value: object) -> str:
    """An exact number as typed back into a field: "12.5" → "12,5"; text stays as it is."""
    if value is None or value == "":
        return ""
    try:
        decimal = Decimal(str(value))
    except InvalidOperation:
        return str(value)
    return fmt.plain(decimal, get_format("DECIMAL_SEPARATOR"))


@register.filter
def points(value: Decimal | None, decimals: int = 2) -> str:
    """Points rounded half up to at most ``decimals`` places: 3.75 → "3,75", 13 → "13"."""
    if value is None:
        return "–"
    return fmt.points(value, decimals, get_format("DECIMAL_SEPARATOR"))
