"""The DOCX's tables, written as text into the file a row at a time, read back as python-docx
reads them: the same elements as each table's XML parsed whole and put in the document's tree
(how they were written before), and a unit's name with XML's special characters or the look of
a formula comes out as it was typed."""

from __future__ import annotations

import csv
import zipfile
from pathlib import Path

import docx
import pytest
from docx.oxml import parse_xml
from lxml import etree

from chiso.core.loader import load_framework
from chiso.io.data import score_files
from chiso.reports.data import Report, build_report
from chiso.reports.docx import _grid_xml, write_docx
from chiso.reports.layout import fit, table_layout
from chiso.reports.tables import method_table
from chiso.reports.template import load_template

from .synthetic import write_units

UNITS = 700
SPECIAL = ("=1+1", "<b>Sở</b> & Co", "a & b < c > d \"e\" 'f' ]]> </w:t></w:tbl>")


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> tuple[Report, Path]:
    folder = tmp_path_factory.mktemp("docx-tables")
    data = write_units("binh-dinh-2021", folder / "units.csv", sizes={"so": UNITS, "huyen": 11})
    with data.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    for row, name in zip(rows, SPECIAL, strict=False):
        row["unit"] = name
    with data.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    framework = load_framework("binh-dinh-2021")
    report = build_report(framework, score_files(framework, data))
    out = folder / "ket-qua.docx"
    write_docx(report, load_template(None, framework.id), out)
    return report, out


def _canonical(element: object) -> bytes:
    return etree.tostring(element, method="c14n", exclusive=True)


def test_tables_read_back_as_the_tree_of_their_xml(written: tuple[Report, Path]) -> None:
    report, out = written
    columns, rows = method_table(report)
    grids = [(columns, rows, fit(columns, rows))]
    for block in report.blocks:
        grids += [(t.columns, t.rows, table_layout(t)) for t in block.printed_tables]
    expected = [parse_xml("".join(_grid_xml(*grid))) for grid in grids]
    tables = docx.Document(str(out)).tables[2:]  # after the decision's header and signature
    assert max(len(table.rows) for table in tables) > UNITS
    assert [_canonical(t._tbl) for t in tables] == [_canonical(e) for e in expected]
    assert [[c.text for c in row.cells] for t in tables for row in t.rows] == [
        [c.text for c in row.cells]
        for e in expected
        for row in docx.table.Table(e, None).rows  # type: ignore[arg-type]
    ]


def test_special_characters_and_formulas_come_out_as_typed(
    written: tuple[Report, Path],
) -> None:
    _, out = written
    cells = {c.text for t in docx.Document(str(out)).tables for row in t.rows for c in row.cells}
    assert set(SPECIAL) <= cells
    with zipfile.ZipFile(out) as package:
        body = package.read("word/document.xml").decode("utf-8")
    assert "&lt;b&gt;Sở&lt;/b&gt; &amp; Co" in body and "<b>" not in body
    assert "instrText" not in body and 'w:instr="=' not in body  # no field runs a name
