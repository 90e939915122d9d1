"""The documents of a cycle too large to print every table: a block of 450 units, whose
appendix is laid out a part at a time (chiso.reports.pdf.PART_ROWS rows) and joined."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from chiso.cli import main
from chiso.reports.pdf import PART_ROWS

from .synthetic import write_units

UNITS = 450


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("large")
    data = write_units("binh-dinh-2021", folder / "units.csv", sizes={"so": UNITS, "huyen": 11})
    argv = ["report", "-f", "binh-dinh-2021", "-d", str(data)]
    for name in ("ket-qua.docx", "ket-qua.pdf", "ket-qua.xlsx"):
        argv += ["-o", str(folder / name)]
    assert main(argv) == 0
    return folder


def test_the_block_is_larger_than_a_part() -> None:
    assert UNITS > PART_ROWS


def test_pdf_table_runs_on_across_parts_numbered_on(written: Path) -> None:
    """Every unit once, in order, on pages numbered on from the appendix's first."""
    texts = [
        unicodedata.normalize("NFC", p.extract_text())
        for p in PdfReader(written / "ket-qua.pdf").pages
    ]
    appendix = next(i for i, t in enumerate(texts) if t.lstrip().startswith("KẾT QUẢ"))
    numbers = [_page_number(t) for t in texts[appendix + 1 :]]
    assert numbers == [str(n) for n in range(2, len(numbers) + 2)]
    rows = [  # the number of each unit's row, as the lines of the pages' text begin
        int(next(group for group in match.groups() if group))
        for text in texts[appendix:]
        for match in re.finditer(
            r"^(?:(\d+) Sở|(\d+) Ban|(\d+) Thành phố|(\d+) Ủy ban)", text, re.M
        )
    ]
    so = rows[: rows.index(UNITS) + 1]
    assert so == list(range(1, UNITS + 1))


def _page_number(text: str) -> str | None:
    lines = text.strip().splitlines()
    return next((line for line in (lines[0], lines[-1]) if line.isdigit()), None)


def test_workbook_and_docx_hold_every_unit_within_bounds(written: Path) -> None:
    workbook = load_workbook(written / "ket-qua.xlsx", read_only=True)
    rows = sum(1 for _ in workbook["Dữ liệu"].iter_rows(values_only=True)) - 1
    assert rows == UNITS + 11
    workbook.close()
    document = docx.Document(str(written / "ket-qua.docx"))
    assert max(len(table.rows) for table in document.tables) > UNITS
    for name, limit in (("ket-qua.pdf", 2), ("ket-qua.docx", 1), ("ket-qua.xlsx", 2)):
        assert (written / name).stat().st_size < limit * 1024 * 1024, name
