"""Vietnamese numbers in result pages: ``{{ value|vn:1 }}`` → "95,3", ``{{ change|rank_change }}``
→ "+2", "-1", "="."""

from __future__ import annotations

from decimal import Decimal

from django import template

from chiso import format as fmt

register = template.Library()


@register.filter
def vn(value: Decimal | int | None, decimals: int = 0) -> str:
    return fmt.number(value, int(decimals))


@register.filter
def rank_change(value: int | None) -> str:
    return fmt.change(value)
