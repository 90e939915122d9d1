"""Vietnamese number and change formats: "95,3", "+5", "-2", "="."""

from __future__ import annotations

from decimal import Decimal

from chiso.core.numbers import round_half_up

__all__ = ["vn_change", "vn_number"]


def vn_number(value: Decimal | None, decimals: int) -> str:
    """``value`` rounded half up, with a decimal comma: 95.294 → "95,3"; None → ""."""
    if value is None:
        return ""
    text = f"{round_half_up(value, decimals):f}"
    return text.replace("-", "−").replace(".", ",")


def vn_change(value: int | None) -> str:
    """A change of rank as the reports print it: "+5" (up), "-2" (down), "=" (same)."""
    if value is None:
        return ""
    if value == 0:
        return "="
    return f"+{value}" if value > 0 else f"-{-value}"
