"""No output of the command carries a live formula: a unit's name or an ``info`` answer that a
spreadsheet would run (it starts with ``=``, ``+``, ``-`` or ``@``) is written as text —
quoted with an apostrophe in CSV, a text cell in XLSX — and numbers stay numbers."""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from tests.core.test_docs_frameworks import EXAMPLE, _data_example
from tests.formulas import (
    HYPERLINK,
    NUMBER,
    assert_no_formula_in_csv,
    assert_no_formula_in_workbook,
)

from chiso.cli import main

RENAMED = {
    "Sở Alpha": HYPERLINK,
    "Sở Beta": "+Sở Beta",
    "Sở Gamma": "-Sở Gamma",
    "Sở Theta": "@Sở Theta",
}
INFO = "-2+3+cmd|' /C calc'!A0"


def _write_csv(path: Path, rows: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle).writerows(rows)


@pytest.fixture
def files(tmp_path: Path) -> dict[str, Path]:
    """docs/frameworks.md's example and its data file, with the departments renamed, Sở
    Alpha's info answer (E.2) replaced, and last year's results in which Sở Gamma was first."""
    framework = tmp_path / "tinh-mau-2026.yaml"
    framework.write_text(EXAMPLE, encoding="utf-8")
    header, *rows = list(csv.reader(io.StringIO(_data_example())))
    for row in rows:
        row[0] = RENAMED.get(row[0], row[0])
    rows[0][header.index("E.2")] = INFO
    data = tmp_path / "units.csv"
    _write_csv(data, [header, *rows])
    previous = tmp_path / "ket-qua-2025.csv"
    _write_csv(
        previous,
        [
            ["unit", "block", "year", "rank", "score"],
            [RENAMED["Sở Gamma"], "so", "2025", "1", "25"],
        ],
    )
    return {"framework": framework, "data": data, "previous": previous}


def run(files: dict[str, Path], command: str, *more: object) -> None:
    argv = [command, "--framework", files["framework"], "--data", files["data"], *more]
    assert main([str(arg) for arg in argv]) == 0


def test_score_csv_quotes_names_a_spreadsheet_would_run_and_keeps_numbers(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ket-qua.csv"
    run(files, "score", "--previous", files["previous"], "--format", "csv", "--out", out)
    header, *rows = assert_no_formula_in_csv(out.read_text(encoding="utf-8"))
    results = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert {"'" + name for name in RENAMED.values()} <= set(results)
    gamma = results["'-Sở Gamma"]
    # Sở Gamma fell from first: a negative change is a number, not quoted
    assert NUMBER.fullmatch(gamma["rank_change_2025"]) and int(gamma["rank_change_2025"]) < 0
    assert Decimal(gamma["score_change_2025"]) < 0


def test_score_csv_reads_back_as_next_years_previous_file(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ket-qua-2026.csv"
    run(files, "score", "--format", "csv", "--out", out)
    next_year = tmp_path / "tinh-mau-2027.yaml"
    next_year.write_text(EXAMPLE.replace("year: 2026", "year: 2027"), encoding="utf-8")
    argv = ["score", "-f", next_year, "-d", files["data"], "--previous", out, "--format", "json"]
    assert main([str(arg) for arg in argv]) == 0
    printed = json.loads(capsys.readouterr().out)
    ranks = {u["unit"]: u["previous"] for b in printed["blocks"] for u in b["units"]}
    for name in RENAMED.values():  # matched by their names as typed, without the quote
        assert [p["year"] for p in ranks[name]] == [2026], name


def test_report_workbook_reads_back_as_next_years_previous_file(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Its sheet "Kết quả", headed in Vietnamese, with the names as typed."""
    out = tmp_path / "ket-qua-2026.xlsx"
    run(files, "report", "--out", out)
    next_year = tmp_path / "tinh-mau-2027.yaml"
    next_year.write_text(EXAMPLE.replace("year: 2026", "year: 2027"), encoding="utf-8")
    argv = ["score", "-f", next_year, "-d", files["data"], "--previous", out, "--format", "json"]
    assert main([str(arg) for arg in argv]) == 0
    printed = json.loads(capsys.readouterr().out)
    ranks = {u["unit"]: u["previous"] for b in printed["blocks"] for u in b["units"]}
    for name in RENAMED.values():
        assert [p["year"] for p in ranks[name]] == [2026], name


def test_score_xlsx_holds_names_as_text_and_numbers_as_numbers(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ket-qua.xlsx"
    run(files, "score", "--previous", files["previous"], "--format", "xlsx", "--out", out)
    sheet = assert_no_formula_in_workbook(out).active
    header, *rows = list(sheet.iter_rows())
    names = {row[0].value: row for row in rows}
    assert set(RENAMED.values()) <= set(names)
    assert names[HYPERLINK][0].data_type == "s" and names[HYPERLINK][0].quotePrefix
    change = names["-Sở Gamma"][[c.value for c in header].index("rank_change_2025")]
    assert change.data_type == "n" and change.value < 0


def test_report_workbook_holds_names_and_info_answers_as_text(
    files: dict[str, Path], tmp_path: Path
) -> None:
    out = tmp_path / "ket-qua.xlsx"
    run(files, "report", "--previous", files["previous"], "--out", out)
    workbook = assert_no_formula_in_workbook(out)
    texts = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }
    assert {*RENAMED.values(), INFO} <= texts
    results = workbook["Kết quả"]
    header = [cell.value for cell in results[1]]
    scores = [row[header.index("Tổng điểm")] for row in results.iter_rows(min_row=2)]
    assert scores and all(cell.data_type == "n" for cell in scores if cell.value is not None)


def test_report_workbook_reads_back_with_the_same_results(
    files: dict[str, Path], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ket-qua.xlsx"
    run(files, "report", "--out", out)
    capsys.readouterr()
    run(files, "score", "--format", "json")
    expected = capsys.readouterr().out
    argv = ["score", "-f", files["framework"], "-d", out, "--format", "json"]
    assert main([str(arg) for arg in argv]) == 0
    assert capsys.readouterr().out == expected


def test_audit_csv_quotes_a_published_name_a_spreadsheet_would_run(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    table = tmp_path / "bang-1.csv"
    header = ["unit", "block", "status", "not_applicable", "score", "percent", "rank"]
    # the published percentage of the first unit is wrong: a finding names the unit
    rows = [[HYPERLINK, "so", "", "", "10", "99", "1"], ["-Sở Gamma", "so", "", "", "5", "20", "2"]]
    _write_csv(table, [header, *rows])
    framework = tmp_path / "tinh-mau-2026.yaml"
    framework.write_text(EXAMPLE, encoding="utf-8")
    argv = ["audit", "-f", str(framework), "-t", str(table), "--format", "csv"]
    assert main(argv) == 1
    fields, *found = assert_no_formula_in_csv(capsys.readouterr().out)
    units = {row[fields.index("unit")] for row in found}
    assert "'" + HYPERLINK in units


def test_report_workbook_holds_a_name_written_as_rich_text_markup_as_typed(
    files: dict[str, Path], tmp_path: Path
) -> None:
    """A streamed workbook writes a text that looks like its own rich-text markup as markup,
    unescaped: such a name (which could close the cell and open a formula) is written as the
    plain text it is."""
    markup = '<r><t>x</t></r></is></c><c r="Z1"><f>HYPERLINK("http://evil.example")</f></c><r></r>'
    with files["data"].open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    rows = [[markup if field == "Sở Epsilon" else field for field in row] for row in rows]
    _write_csv(files["data"], rows)
    out = tmp_path / "ket-qua.xlsx"
    run(files, "report", "--out", out)
    workbook = assert_no_formula_in_workbook(out)
    names = [row[0].value for row in workbook["Kết quả"].iter_rows(min_row=2)]
    assert markup in names
