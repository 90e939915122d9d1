"""A spreadsheet cell holding a number no spreadsheet shows (found by test_fuzz_cli_score.py):
1e999 in the file's XML is read as an infinite float, NaN is not read at all, and each made
``chiso score`` fail with a traceback. Now one line names the file (and the cell, when it
was read), exit code 2."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from openpyxl import Workbook
from tests.test_cli_errors import ROWS, assert_bad_input, score, where


def workbook_with(tmp_path: Path, written: str) -> Path:
    """The good rows as a workbook whose cell I of row 3 holds ``written`` in its XML."""
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    sheet.append(["unit", "block", "not_applicable", "I", "II", "III", "IV", "V", "VI"])
    for row in ROWS:
        sheet.append([int(x) if x.isdigit() else x for x in row.split(",")])
    sheet["D3"] = 123456789  # Sở Xây dựng's I, rewritten below in the sheet's XML
    plain = tmp_path / "plain.xlsx"
    book.save(plain)
    data = tmp_path / "don-vi.xlsx"
    with zipfile.ZipFile(plain) as source, zipfile.ZipFile(data, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content.replace(b"<v>123456789</v>", f"<v>{written}</v>".encode())
            target.writestr(item, content)
    return data


@pytest.mark.parametrize("written", ["1e999", "-1e999"])
def test_an_infinite_cell_is_not_a_number(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, written: str
) -> None:
    data = workbook_with(tmp_path, written)
    assert_bad_input(*score(capsys, data), *where(str(data), 3, "I"), "is not a number")


def test_a_cell_that_cannot_be_read_is_named_with_the_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = workbook_with(tmp_path, "NaN")
    assert_bad_input(*score(capsys, data), *where(str(data)), "is not a readable XLSX workbook")
