"""The one rounding rule, half up, at any size of number."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chiso.core.numbers import round_half_up


@pytest.mark.parametrize(
    ("value", "decimals", "rounded"),
    [
        ("45.25", 1, "45.3"),
        ("0.125", 2, "0.13"),
        ("-0.125", 2, "-0.13"),
        ("62.5", 0, "63"),
        ("79.96", 1, "80.0"),
        # more digits than the context keeps (34): a percentage of an earlier score of 1E+40
        ("1.00E+42", 0, "1" + "0" * 42),
        ("12345678901234567890123456789012345.5", 0, "12345678901234567890123456789012346"),
    ],
)
def test_round_half_up(value: str, decimals: int, rounded: str) -> None:
    assert round_half_up(Decimal(value), decimals) == Decimal(rounded)
    assert str(round_half_up(Decimal(value), decimals)) == rounded
