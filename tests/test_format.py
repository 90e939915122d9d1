"""chiso.format: the figures as the Vietnamese publications write them."""

from __future__ import annotations

import datetime
from decimal import Decimal

import pytest

from chiso import format as fmt


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("95.294"), 1, "95,3"),
        (Decimal("45.25"), 1, "45,3"),  # on the rounding boundary: half up
        (Decimal("45.249999"), 1, "45,2"),
        (Decimal("0.125"), 2, "0,13"),
        (Decimal("62.5"), 0, "63"),
        (Decimal("79.96"), 1, "80,0"),
        (Decimal("7"), 2, "7,00"),
        (Decimal("0"), 1, "0,0"),
        (Decimal("0"), 0, "0"),
        (Decimal("-2.25"), 1, "−2,3"),  # half away from zero, with the typographic minus
        (Decimal("-0.04"), 1, "−0,0"),
        (Decimal("1234.5"), 2, "1234,50"),
        (Decimal("0.74125"), 4, "0,7413"),
        (None, 1, ""),
        (95.294, 1, "95,3"),  # a float is read as its shortest text
        (0.1, 3, "0,100"),
        (2.675, 2, "2,68"),  # 2.675 the text, not the binary 2.67499999…
        (12, 1, "12,0"),
    ],
)
def test_number_rounds_half_up_with_a_decimal_comma(
    value: Decimal | float | None, decimals: int, shown: str
) -> None:
    assert fmt.number(value, decimals) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("1000"), 2, "1.000,00"),
        (Decimal("999.995"), 2, "1.000,00"),
        (Decimal("999"), 0, "999"),
        (Decimal("1234567.891"), 1, "1.234.567,9"),
        (Decimal("-1234567"), 0, "−1.234.567"),
        (Decimal("100000"), 0, "100.000"),
        (Decimal("0.5"), 1, "0,5"),
    ],
)
def test_grouped_number_puts_a_dot_between_thousands(
    value: Decimal, decimals: int, shown: str
) -> None:
    assert fmt.number(value, decimals, grouped=True) == shown


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("81.25"), 0, "81%"),
        (Decimal("80.5"), 0, "81%"),
        (Decimal("45.25"), 1, "45,3%"),
        (Decimal("0"), 0, "0%"),
        (None, 0, ""),
    ],
)
def test_percent(value: Decimal | None, decimals: int, shown: str) -> None:
    assert fmt.percent(value, decimals) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (Decimal("45.10"), "45,10"),
        (Decimal("45"), "45"),
        (Decimal("-2.5"), "-2,5"),
        (Decimal("0.000"), "0,000"),
        (Decimal("1E+2"), "100"),
    ],
)
def test_exact_keeps_every_digit(value: Decimal, shown: str) -> None:
    assert fmt.exact(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        ("12.50", "12,5"),
        (Decimal("100"), "100"),
        (Decimal("1E+2"), "100"),
        (Decimal("0.00"), "0"),
        (Decimal("-0.50"), "-0,5"),
        ("7", "7"),
        (None, ""),
        ("", ""),
    ],
)
def test_plain_drops_trailing_zeros(value: str | Decimal | None, shown: str) -> None:
    assert fmt.plain(value) == shown


def test_plain_and_points_take_the_separator_of_the_page_language() -> None:
    assert fmt.plain(Decimal("12.5"), ".") == "12.5"
    assert fmt.points(Decimal("3.755"), 2, ".") == "3.76"


@pytest.mark.parametrize(
    ("value", "decimals", "shown"),
    [
        (Decimal("3.75"), 2, "3,75"),
        (Decimal("13.00"), 2, "13"),
        (Decimal("45.25"), 1, "45,3"),
        (Decimal("0.004"), 2, "0"),
        (Decimal("-1.005"), 2, "-1,01"),
    ],
)
def test_points_round_half_up_without_trailing_zeros(
    value: Decimal, decimals: int, shown: str
) -> None:
    assert fmt.points(value, decimals) == shown


@pytest.mark.parametrize(
    ("value", "shown"), [(5, "+5"), (-2, "-2"), (0, "="), (None, ""), (1, "+1")]
)
def test_change_of_rank(value: int | None, shown: str) -> None:
    assert fmt.change(value) == shown


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (datetime.date(2026, 12, 6), "06/12/2026"),
        (datetime.date(2021, 1, 31), "31/01/2021"),
        (datetime.datetime(2020, 7, 9, 23, 59), "09/07/2020"),
    ],
)
def test_date_is_day_month_year(value: datetime.date, shown: str) -> None:
    assert fmt.date(value) == shown


def test_comma_replaces_the_decimal_point() -> None:
    assert fmt.comma("2.5") == "2,5"
    assert fmt.comma("25") == "25"


def test_the_module_needs_no_django() -> None:
    import subprocess
    import sys

    code = "import sys, chiso.format; print('django' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
