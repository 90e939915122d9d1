"""``chiso score`` on units that declare criteria not applicable: a group excluded from a
unit's maximum is told apart from a group scored 0 in every format — "KCĐ" in the table (with
its legend), an empty cell in the CSV and XLSX, the unit's ``not_applicable`` codes in the JSON
(whose ``groups`` keep their numbers) — while full credit stays a score."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from openpyxl import load_workbook
from tests.na_framework import C, framework

from chiso.cli import main
from test_cli_score import as_a_year_earlier

FRAMEWORK = framework(C)

# Sở Nội vụ declares B (excluded: 14 of 14 points); Sở Y tế scores 0 in B; Sở Tài chính has
# full credit for B.2 (3 points); Ban Dân tộc declares both parts of C, so C has nothing left
# to score
DATA = """\
unit,block,not_applicable,A.1,A.2,B.1,B.2,C.1,C.2
Sở Nội vụ,so,B,4,6,,,2,2
Sở Y tế,so,,4,6,0,0,2,2
Sở Tài chính,so,B.2,4,6,2,,2,2
Ban Dân tộc,so,C.1;C.2,4,6,5,3,,
"""


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    framework = tmp_path / "thu-nghiem-2024.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text(DATA, encoding="utf-8")
    return framework, data


def score(capsys: pytest.CaptureFixture[str], files: tuple[Path, Path], *more: object) -> str:
    framework, data = files
    code = main(["score", "-f", str(framework), "-d", str(data), *map(str, more)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return out


def test_table_marks_an_excluded_group_and_prints_the_legend(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    lines = score(capsys, files, "--format", "table").splitlines()
    header = next(line for line in lines if line.startswith("TT"))
    assert re.split(r"\s{2,}", header)[:5] == ["TT", "Tên cơ quan, đơn vị", "A", "B", "C"]
    rows = {}
    for line in lines:
        if re.match(r"^\s*\d+  ", line):
            cells = re.split(r"\s{2,}", line.strip())
            rows[cells[1]] = cells[2:5]
    assert rows == {
        "Sở Nội vụ": ["10,00", "KCĐ", "4,00"],
        "Sở Y tế": ["10,00", "0,00", "4,00"],  # scored 0: a number
        "Sở Tài chính": ["10,00", "5,00", "4,00"],  # full credit for B.2: a score
        "Ban Dân tộc": ["10,00", "8,00", "KCĐ"],  # both parts of C excluded
    }
    # the legend, once, right under the table
    assert lines[-1] == "KCĐ: Không chấm điểm, đánh giá (không áp dụng đối với đơn vị)."
    assert lines[-2].startswith("---")
    assert sum("KCĐ:" in line for line in lines) == 1


def test_table_without_exclusions_has_no_legend(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: tuple[Path, Path]
) -> None:
    framework, _ = files
    data = tmp_path / "full.csv"
    data.write_text(
        "unit,block,not_applicable,A.1,A.2,B.1,B.2,C.1,C.2\nSở Tài chính,so,B.2,4,6,2,,2,2\n",
        encoding="utf-8",
    )
    out = score(capsys, (framework, data), "--format", "table")
    assert "KCĐ" not in out
    assert out.splitlines()[-1].startswith("---")


def test_csv_leaves_an_excluded_group_empty(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    rows = {
        row["unit"]: row
        for row in csv.DictReader(io.StringIO(score(capsys, files, "--format", "csv")))
    }
    group = ["A", "B", "B.1", "B.2", "C", "C.1", "C.2"]
    assert [rows["Sở Nội vụ"][c] for c in group] == ["10", "", "", "", "4", "2", "2"]
    assert [rows["Sở Y tế"][c] for c in group] == ["10", "0", "0", "0", "4", "2", "2"]
    assert [rows["Sở Tài chính"][c] for c in group] == ["10", "5", "2", "3", "4", "2", "2"]
    assert [rows["Ban Dân tộc"][c] for c in group] == ["10", "8", "5", "3", "", "", ""]
    # the unit's own maximum says what was taken out
    assert [rows[u]["max"] for u in ("Sở Nội vụ", "Sở Y tế", "Ban Dân tộc")] == ["14", "22", "18"]


def test_xlsx_leaves_an_excluded_group_empty(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: tuple[Path, Path]
) -> None:
    target = tmp_path / "results.xlsx"
    assert score(capsys, files, "--format", "xlsx", "--out", target) == ""
    sheet = load_workbook(target).active
    assert sheet is not None
    header, *values = [list(row) for row in sheet.iter_rows(values_only=True)]
    rows = {row[0]: dict(zip(header, row, strict=True)) for row in values}
    assert (rows["Sở Nội vụ"]["B"], rows["Sở Y tế"]["B"]) == (None, 0)
    assert (rows["Ban Dân tộc"]["C"], rows["Sở Tài chính"]["B.2"]) == (None, 3)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_results_with_empty_cells_read_back_as_a_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, files: tuple[Path, Path], form: str
) -> None:
    results = tmp_path / f"results-2023.{form}"
    assert score(capsys, files, "--format", form, "--out", results) == ""
    as_a_year_earlier(results)
    document = json.loads(score(capsys, files, "--previous", results, "--format", "json"))
    for unit in document["blocks"][0]["units"]:
        (before,) = unit["previous"]
        assert (before["year"], before["rank"], before["score"]) == (
            2023,
            unit["rank"],
            unit["total"],
        )
        assert before["rank_change"] == 0


def test_json_lists_the_codes_excluded_and_keeps_the_groups_numbers(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    document = json.loads(score(capsys, files, "--format", "json"))
    units = {unit["unit"]: unit for unit in document["blocks"][0]["units"]}
    assert {name: unit["not_applicable"] for name, unit in units.items()} == {
        "Sở Nội vụ": ["B"],
        "Sở Y tế": [],
        "Sở Tài chính": [],  # B.2 declared, with full credit: scored, not excluded
        "Ban Dân tộc": ["C.1", "C.2"],
    }
    # "groups" are unchanged: numbers, the excluded group's parts without a result
    expected = {"A": 10, "A.1": 4, "A.2": 6, "B": 0, "C": 4, "C.1": 2, "C.2": 2}
    assert units["Sở Nội vụ"]["groups"] == expected
    assert units["Sở Y tế"]["groups"]["B"] == 0
    assert units["Sở Tài chính"]["groups"]["B.2"] == 3
    assert units["Ban Dân tộc"]["groups"]["C"] == 0
    assert [units[u]["max"] for u in ("Sở Nội vụ", "Sở Y tế", "Ban Dân tộc")] == [14, 22, 18]


def test_json_not_applicable_of_the_demo(capsys: pytest.CaptureFixture[str]) -> None:
    """The demo gives Mục II as points: the declared parts have no result of their own, but
    they are the unit's declaration, and what its lower maximum comes from."""
    demo = Path(__file__).resolve().parents[1] / "src" / "chiso" / "demo" / "binh-dinh-2021.csv"
    code = main(["score", "-f", "binh-dinh-2021", "-d", str(demo), "--format", "json"])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    declared = {
        unit["unit"]: (unit["not_applicable"], unit["max"])
        for block in json.loads(out)["blocks"]
        for unit in block["units"]
        if unit["not_applicable"]
    }
    with open(demo, encoding="utf-8") as handle:
        expected = {row["unit"]: row["not_applicable"] for row in csv.DictReader(handle)}
    assert {unit: codes for unit, (codes, _) in declared.items()} == {
        unit: [codes] for unit, codes in expected.items() if codes
    }
    # II.b is 15 of a department's 85 points, II.b.2 6 (docs/frameworks.md)
    assert declared["Văn phòng UBND tỉnh"] == (["II.b"], 70)
    assert declared["Sở Tài chính"] == (["II.b.2"], 79)


def test_group_statistics_leave_out_units_for_which_the_group_is_excluded(
    capsys: pytest.CaptureFixture[str], files: tuple[Path, Path]
) -> None:
    """B declared by Sở Nội vụ, C by both its parts at Ban Dân tộc: neither unit is in that
    group's statistics, while Sở Y tế's real 0 in B is."""
    document = json.loads(score(capsys, files, "--format", "json"))
    groups = document["blocks"][0]["stats"]["groups"]
    assert (groups["B"]["count"], groups["B"]["min"], groups["B"]["max"]) == (3, 0, 8)
    # B: Sở Y tế 0, Sở Tài chính 2 + 3, Ban Dân tộc 5 + 3 — Sở Nội vụ left out
    assert groups["B"]["mean"] == pytest.approx(13 / 3)
    # C: 4 points at the three units that answer it; Ban Dân tộc left out
    assert (groups["C"]["count"], groups["C"]["min"], groups["C"]["mean"]) == (3, 4, 4)
