"""Tiers: which level a score reaches under a classification."""

from __future__ import annotations

from decimal import Decimal

from chiso.core.framework import Classification
from chiso.core.numbers import HUNDRED, round_half_up

__all__ = ["classify", "display_value", "normalize_name"]


def normalize_name(name: str) -> str:
    """How unit names are matched across tables and years: case and spacing do not count."""
    return " ".join(name.split()).casefold()


def display_value(percent_value: Decimal, scale: str) -> Decimal:
    """A percentage (0–100) on the framework's display scale."""
    return percent_value / HUNDRED if scale == "ratio" else percent_value


def classify(
    classification: Classification,
    score: Decimal,
    percent_value: Decimal | None,
    scale: str,
) -> tuple[str | None, bool]:
    """(tier label, whether the value is below the lowest tier)."""
    if classification.basis == "points":
        value, factor = score, Decimal(1)
    else:
        if percent_value is None:
            return None, False
        value = display_value(percent_value, scale)
        factor = Decimal(1) / HUNDRED if scale == "ratio" else Decimal(1)
    if classification.precision is not None:
        value = round_half_up(value, classification.precision)
    for tier in classification.tiers:
        if tier.min is None or value >= tier.min * factor:
            return tier.label, False
    assert classification.below_lowest is not None  # checked on load
    return classification.below_lowest.label, True
