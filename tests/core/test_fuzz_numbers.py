"""Any text given as a number (a web answer, a cell of a data file) becomes a bounded Decimal
or a ValueError (NumberOutOfBounds when it is a number too long): never another exception,
and never a number whose digits, written out, are many."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from tests.fuzzing import fuzz

from chiso.core.numbers import (
    MAX_DECIMALS,
    MAX_DIGITS,
    MAX_EXACT_DECIMALS,
    MAX_EXACT_DIGITS,
    MAX_INTEGER_DIGITS,
    bounded,
    parse_answer_number,
    parse_decimal,
)

SPACE = st.sampled_from(["", " ", "\u00a0", "\t", "\n", "\u2003"])
DIGITS = st.text("0123456789", max_size=40) | st.text("٠١٢٣٤٥٦٧٨٩０１２３", max_size=5)
EXPONENT = st.one_of(
    st.just(""),
    st.builds(
        "{}{}{}".format,
        st.sampled_from("eE"),
        st.sampled_from(["", "+", "-"]),
        st.integers(0, 10**12).map(str),
    ),
)
NUMBER_LIKE = st.builds(
    "{}{}{}{}{}{}{}".format,
    SPACE,
    st.sampled_from(["", "+", "-", "--", "−"]),
    DIGITS,
    st.sampled_from(["", ".", ",", ",,", ".,", "_", "/"]),
    DIGITS,
    EXPONENT,
    SPACE,
)
SPECIAL = st.sampled_from(
    ["NaN", "-nan", "sNaN123", "Infinity", "-inf", "1e309", "1e-1000", "1e-200000000",
     "1e999999999999999999", "0e-99999999", "-0", "0.000", "1_000", "１２", "1 000", "45,2"]
)  # fmt: skip
TEXTS = NUMBER_LIKE | SPECIAL | st.text(max_size=80)


def written_out(number: Decimal) -> str:
    return format(number, "f")


@fuzz(2000)
@given(TEXTS)
@example("1e-200000000")
@example("9" * 64)
def test_an_answer_is_a_bounded_number_or_a_value_error(text: str) -> None:
    try:
        number = parse_answer_number(text)
    except ValueError:
        return
    assert number.is_finite()
    _, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)
    assert number.adjusted() < MAX_INTEGER_DIGITS
    assert -exponent <= MAX_DECIMALS and len(digits) <= MAX_DIGITS
    assert len(written_out(number)) <= 1 + MAX_INTEGER_DIGITS + 1 + MAX_DECIMALS


@fuzz(2000)
@given(TEXTS)
def test_any_other_number_is_bounded_too(text: str) -> None:
    try:
        number = parse_decimal(text)
    except ValueError:
        return
    assert number.is_finite()
    _, digits, exponent = number.normalize().as_tuple()
    assert isinstance(exponent, int)
    assert -exponent <= MAX_EXACT_DECIMALS and len(digits) <= MAX_EXACT_DIGITS
    assert len(written_out(number)) <= 1 + MAX_INTEGER_DIGITS + 1 + MAX_EXACT_DECIMALS


@fuzz(500)
@given(st.decimals(allow_nan=False, allow_infinity=False, places=None))
def test_a_number_within_the_bounds_reads_back_as_itself(number: Decimal) -> None:
    text = str(number)
    try:
        assert parse_answer_number(text) == number
    except ValueError:
        _, digits, exponent = number.normalize().as_tuple()
        assert isinstance(exponent, int)
        assert (
            number.adjusted() >= MAX_INTEGER_DIGITS
            or -exponent > MAX_DECIMALS
            or len(digits) > MAX_DIGITS
        )
    with pytest.raises(ValueError):
        parse_answer_number(text + "x")


@fuzz(500)
@given(
    st.builds(
        Decimal,
        st.builds("{}e{}".format, st.integers(-(10**40), 10**40), st.integers(-(10**9), 10**9)),
    )
    | st.decimals(allow_nan=True, allow_infinity=True)
)
def test_bounded_looks_only_at_the_exponent_and_digits(number: Decimal) -> None:
    try:
        kept = bounded(number)
    except ValueError:
        return
    assert kept == number
    assert len(written_out(kept)) <= 1 + MAX_INTEGER_DIGITS + 1 + MAX_EXACT_DECIMALS
