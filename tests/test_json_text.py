"""``chiso score --format json`` (``chiso.io.results.json_text``): the document of
``to_json_dict`` (tests/json_contract.py: the contract built key by key as data) as
``json.dumps`` lays it out, with every number written exactly as the core computed it.

Each document is checked three ways: parsed, it equals ``to_json_dict`` (the same keys in the
same order, the same values once read as floats); parsed with ``Decimal``, it gives the core's
own Decimals; with its numbers kept as text, ``json.dumps`` writes it back byte for byte (the
layout and the string escapes are json's).
"""

from __future__ import annotations

import json
import re
from decimal import Decimal, localcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

# the random frameworks and answers of the block plan's property test
import json_contract
from chiso.cli import main
from chiso.core import (
    Answer,
    CycleResult,
    Framework,
    PreviousResult,
    Status,
    UnitData,
    load_framework,
    parse_framework,
    score,
)
from chiso.io.data import score_files
from chiso.io.results import json_number, json_text
from core.test_engine import cycles
from json_contract import to_json_dict

ROOT = Path(__file__).resolve().parents[1]
DEMO = ROOT / "src" / "chiso" / "demo"
GOLDEN = ROOT / "tests" / "data"

# RFC 8259's number, without an exponent; a fraction, when there is one, ends in 1-9
EXACT_NUMBER = re.compile(r"-?(?:0|[1-9][0-9]*)(?:\.[0-9]*[1-9])?")
TEXT_MARK = "\ue000"  # a private-use character, in none of the documents' strings


def exact_number(token: str) -> Decimal:
    """A number of the document as its Decimal, once its text is checked."""
    assert EXACT_NUMBER.fullmatch(token), token
    assert token != "-0", token
    return Decimal(token)


def with_decimals(framework: Framework, result: CycleResult) -> dict[str, Any]:
    """``to_json_dict`` with the core's Decimals in place of its JSON numbers."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(json_contract, "_number", lambda value: value)
        return to_json_dict(framework, result)


def check_document(framework: Framework, result: CycleResult) -> str:
    text = json_text(framework, result)
    expected = to_json_dict(framework, result)
    assert "\n" not in text
    # the same document: equal once parsed, and in the same order (re-dumped, the floats
    # read from the exact text are the floats to_json_dict converts to)
    assert json.loads(text) == expected
    assert json.dumps(json.loads(text), ensure_ascii=False) == json.dumps(
        expected, ensure_ascii=False
    )
    # no precision lost: every number is the core's Decimal, written as an exact number
    exact = json.loads(text, parse_float=exact_number, parse_int=exact_number)
    assert exact == with_decimals(framework, result)
    # json.dumps's own layout and string escapes: the numbers kept as their text
    marked = json.loads(text, parse_float=TEXT_MARK.__add__, parse_int=TEXT_MARK.__add__)
    again = json.dumps(marked, ensure_ascii=False)
    assert re.sub(f'"{TEXT_MARK}([^"]*)"', r"\1", again) == text
    return text


# --- the demo, the golden cycles, random cycles ------------------------------------------


def test_the_demo_cycle() -> None:
    framework = load_framework("binh-dinh-2021")
    result = score_files(
        framework, DEMO / "binh-dinh-2021.csv", [DEMO / "binh-dinh-2020-ranks.csv"]
    )
    text = check_document(framework, result)
    units = {
        u["unit"]: u for b in json.loads(text, parse_float=Decimal)["blocks"] for u in b["units"]
    }
    # by hand: 82 of 85 points; the core divides to 34 significant digits
    home = units["Sở Nội vụ"]
    assert (home["total"], home["max"]) == (82, 85)
    with localcontext(prec=34):
        assert home["percent"] == Decimal(8200) / Decimal(85)
    assert '"percent": 96.47058823529411764705882352941176,' in text
    # the mean of the 21 totals of the block so (1666 / 21), to 28 digits
    (so,) = [b for b in json.loads(text, parse_float=Decimal)["blocks"] if b["block"] == "so"]
    assert so["stats"]["score"]["mean"] == Decimal("79.33333333333333333333333333")


def test_the_command_writes_it(capsys: pytest.CaptureFixture[str]) -> None:
    data, previous = DEMO / "binh-dinh-2021.csv", DEMO / "binh-dinh-2020-ranks.csv"
    argv = ["score", "-f", "binh-dinh-2021", "-d", str(data), "--previous", str(previous)]
    assert main([*argv, "--format", "json"]) == 0
    out, err = capsys.readouterr()
    framework = load_framework("binh-dinh-2021")
    assert (out, err) == (json_text(framework, score_files(framework, data, [previous])) + "\n", "")


@pytest.mark.parametrize("province", ["binh-dinh-2021", "cao-bang-2020", "son-la-2020"])
def test_the_golden_cycles(province: str) -> None:
    framework = load_framework(province)
    folder = GOLDEN / province
    result = score_files(framework, folder / "units.csv", [folder / "previous.csv"])
    check_document(framework, result)


EDGE_SCORES = [
    Decimal("1E+1"),
    Decimal("1E-7"),
    Decimal("0E-7"),
    Decimal("-0"),
    Decimal("12.500"),
    Decimal("-3.10"),
    Decimal("1E+40"),  # the score change then carries 28 digits and an exponent
]


@st.composite
def cycles_with_history(draw: st.DrawFn) -> tuple[Framework, list[UnitData], list[PreviousResult]]:
    framework, units = draw(cycles())
    names = st.text(max_size=12)
    units = [
        UnitData(f"{n}: {draw(names)}", u.block, u.answers, u.status) for n, u in enumerate(units)
    ]
    previous_score = st.one_of(
        st.none(),
        st.sampled_from(EDGE_SCORES),
        st.decimals(
            min_value=-100, max_value=1000, allow_nan=False, places=draw(st.integers(0, 30))
        ),
    )
    history = []
    for year in draw(st.lists(st.sampled_from([2023, 2024, 2025]), unique=True, max_size=2)):
        for unit in units:
            if draw(st.booleans()):
                history.append(
                    PreviousResult(
                        unit.unit,
                        unit.block,
                        year,
                        draw(st.none() | st.integers(1, 9)),
                        draw(previous_score),
                        draw(st.none() | st.decimals(0, 100, allow_nan=False)),
                        draw(st.sampled_from([None, "Tốt", "Khá", "Yếu"])),
                    )
                )
    return framework, units, history


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cycles_with_history())
def test_random_cycles(cycle: tuple[Framework, list[UnitData], list[PreviousResult]]) -> None:
    framework, units, history = cycle
    check_document(framework, score(framework, units, history))


# --- strings ------------------------------------------------------------------------------

ODD = 'Sở "Nội vụ" \\ C:\\tmp\t\n\r\x00\x07\x1f\x7f \u2028\u2029 ☃ 𝄞 ạ</script>'

FRAMEWORK = r"""
id: chuoi-la
name: Khung thử chuỗi
assessor: Thử
year: 2026
blocks:
  - {code: so, name: "Sở \"ban\", ngành \\ \t\x01\u2028"}
classification:
  tiers:
    - {label: "Tốt \"A\"", min: 50}
    - {label: "Yếu \\ \x1f"}
criteria:
  - code: A
    name: Nhóm A
    classify: true
    children:
      - {code: A.1, name: Có, max: 2, rule: {type: yes_no}}
  - {code: B, name: Nhóm B, max: 3, rule: {type: points}}
"""


def test_strings_are_escaped_as_json_dumps_does() -> None:
    framework = parse_framework(FRAMEWORK, "odd.yaml")
    units = [
        UnitData(ODD, "so", {"A.1": Answer(Decimal(1)), "B": Answer(Decimal("2.5"))}),
        UnitData("Xã \\", "so", {"A.1": Answer(Decimal(0)), "B": Answer(Decimal(0))}),
        UnitData("Không có số liệu", "so", {}, Status.NO_DATA),
    ]
    history = [PreviousResult(ODD, "so", 2025, 1, Decimal("3.50"))]
    text = check_document(framework, score(framework, units, history))
    for string in [ODD, 'Tốt "A"', "Yếu \\ \x1f", 'Sở "ban", ngành \\ \t\x01\u2028']:
        assert json.dumps(string, ensure_ascii=False) in text, string


# --- numbers ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "text"),
    [
        (None, "null"),
        ("12", "12"),
        ("12.0", "12"),
        ("1.2E+1", "12"),
        ("1E+1", "10"),
        ("-1.000E+3", "-1000"),
        ("0", "0"),
        ("-0", "0"),
        ("-0.00", "0"),
        ("0E-7", "0"),
        ("0E+3", "0"),
        ("1E-7", "0.0000001"),
        ("-1E-7", "-0.0000001"),
        ("1.50E-10", "0.00000000015"),
        ("12.50", "12.5"),
        ("-3.10", "-3.1"),
        ("100", "100"),
        ("-100.0", "-100"),
        ("95.29411764705882352941176471", "95.29411764705882352941176471"),
        ("1.23456789012345678901234567890123456789E+5", "123456.789012345678901234567890123456789"),
    ],
)
def test_number_edge_cases(value: str | None, text: str) -> None:
    assert json_number(None if value is None else Decimal(value)) == text


@pytest.mark.parametrize("value", ["NaN", "sNaN", "Infinity", "-Infinity"])
def test_no_number_for_what_is_not_finite(value: str) -> None:
    with pytest.raises(ValueError, match="has no JSON number"):
        json_number(Decimal(value))


def test_numbers_do_not_depend_on_the_decimal_context() -> None:
    """``str()`` writes ``1e+1`` under ``capitals=0``; precision does not round a number out."""
    with localcontext(capitals=0, prec=3):
        assert json_number(Decimal("1E+1")) == "10"
        assert json_number(Decimal("1.5e-9")) == "0.0000000015"
        assert json_number(Decimal("1.23456E+10")) == "12345600000"


decimals = st.one_of(
    st.decimals(allow_nan=False, allow_infinity=False),
    st.builds(
        lambda sign, digits, exponent: Decimal((sign, tuple(digits), exponent)),
        st.integers(0, 1),
        st.lists(st.integers(0, 9), min_size=1, max_size=40),
        st.integers(-45, 45),
    ),
)


@given(decimals)
def test_number_property(value: Decimal) -> None:
    text = json_number(value)
    assert EXACT_NUMBER.fullmatch(text), text
    assert text != "-0"
    assert Decimal(text) == value
    assert ("." in text) == (value != value.to_integral_value())
    # read as JSON, the number is what to_json_dict gives: the int, or the nearest float
    parsed = json.loads(text)
    assert type(parsed) is type(json_contract._number(value))
    assert parsed == json_contract._number(value)
