"""``chiso report --robustness``: each unit's range of possible ranks beside its rank in the
overall table, with a note of the method, in every format; worked by hand on four units, two
of them tied at the published precision (the case of tests/core/test_robustness.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook
from tests.robust_framework import FRAMEWORK

from chiso.cli import main
from chiso.core import Answer, UnitData, parse_framework, score
from chiso.core.robustness import Perturbation, robustness
from chiso.reports.data import build_report
from chiso.reports.publication import build_publication, head_of, join, parts
from chiso.reports.tables import Column, Section, cell_text

D = Decimal


# R 8.0 first; P 7.4 and Q 7.2 print as 7: tied 2nd; S 6.4 prints as 6: 4th
VERIFIED = "unit,A,B\nR,8,0\nP,7.4,0\nQ,7.2,0\nS,6.4,0\n"
# P claims 8.4 in A: at 8 it could tie R for 1st
CLAIMED = VERIFIED.replace("P,7.4", "P,8.4")
STILL = Perturbation(draws=10, spread=D(0))  # the weights alone move no rank


@pytest.fixture(scope="module")
def framework():
    return parse_framework(FRAMEWORK)


def four():
    rows = [line.split(",") for line in VERIFIED.splitlines()[1:]]
    return [UnitData(u, "so", {"A": Answer(D(a)), "B": Answer(D(b))}) for u, a, b in rows]


def ranks_and_ranges(table):
    """Each unit's rank and range cell, by name."""
    rank = [c.title for c in table.columns].index("Xếp hạng 2026")
    return {
        row[1]: (row[rank], row[rank + 1]) for row in table.rows if not isinstance(row, Section)
    }


def test_the_rounding_tie_gives_the_lower_unit_its_range(framework) -> None:
    result = score(framework, four())
    report = build_report(framework, result, robustness=robustness(framework, result, STILL))
    table = report.blocks[0].tables[0]
    assert [c.title for c in table.columns][-2:] == ["Xếp hạng 2026", "Khoảng hạng"]
    # one more decimal: P 7.4 stays 2nd, Q 7.2 falls to 3rd; the others' ranks stay
    assert ranks_and_ranges(table) == {
        "R": (1, None),
        "P": (2, None),
        "Q": (2, "2–3"),
        "S": (4, None),
    }
    assert table.notes[0].startswith("Khoảng hạng: các hạng đơn vị có thể có khi điểm")
    assert "±0% (10 lần, hạt giống 1" in table.notes[0]
    assert "tự đánh giá" not in table.notes[0]  # no disputed answers given
    assert report.blocks[0].narrative[-1] == (
        "Hạng của 1/4 đơn vị được xếp hạng có thể khác"
        " (khoảng hạng có thể có ghi trong bảng xếp hạng tổng thể)."
    )


def test_without_robustness_the_table_has_no_range(framework) -> None:
    table = build_report(framework, score(framework, four())).blocks[0].tables[0]
    assert "Khoảng hạng" not in [c.title for c in table.columns]
    assert not any(n.startswith("Khoảng hạng") for n in table.notes)


def test_the_same_input_gives_the_same_publication(framework) -> None:
    result = score(framework, four())
    first = build_publication(framework, result, robustness(framework, result))
    again = build_publication(framework, result, robustness(framework, result))
    assert first == again
    # and it is stored and read back exactly, as the web keeps a draft
    assert join(head_of(first.report), parts(first)) == first


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    (tmp_path / "robust.yaml").write_text(FRAMEWORK, encoding="utf-8")
    return path


def run(tmp_path: Path, *more: object) -> int:
    data = write(tmp_path, "verified.csv", VERIFIED)
    argv = ["report", "-f", tmp_path / "robust.yaml", "-d", data, "--robustness", *more]
    return main([str(a) for a in argv])


def sheet_rows(path: Path, name: str = "Bảng 1") -> list[list[object]]:
    sheet = load_workbook(path, read_only=True)[name]
    return [list(row) for row in sheet.iter_rows(values_only=True)]


def test_disputed_answers_widen_the_ranges_in_the_workbook_and_the_docx(
    tmp_path: Path,
) -> None:
    claimed = write(tmp_path, "self.csv", CLAIMED)
    xlsx, docx = tmp_path / "ket-qua.xlsx", tmp_path / "ket-qua.docx"
    code = run(
        tmp_path, "--spread", "0", "--draws", "10", "--self", claimed, "-o", xlsx, "-o", docx
    )
    assert code == 0
    rows = sheet_rows(xlsx)
    header = next(r for r in rows if "Khoảng hạng" in r)
    name, rank, span = (
        header.index(t) for t in ("Tên cơ quan, đơn vị", "Xếp hạng 2026", "Khoảng hạng")
    )
    found = {r[name]: (r[rank], r[span]) for r in rows if r[name] in ("R", "P", "Q", "S")}
    # P at its claimed 8.4 prints as 8: tied 1st with R (who stays 1st); Q below R and P
    assert found == {"R": (1, None), "P": (2, "1–2"), "Q": (2, "2–3"), "S": (4, None)}
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    cells = [c.text for t in Document(str(docx)).tables for row in t.rows for c in row.cells]
    assert "1–2" in cells and "2–3" in cells and "Khoảng hạng" in cells
    assert "điểm tự đánh giá chưa được thống nhất" in text + "\n".join(cells)


def test_the_same_options_give_the_same_ranges(tmp_path: Path) -> None:
    first, again = tmp_path / "a.xlsx", tmp_path / "b.xlsx"
    assert run(tmp_path, "--draws", "50", "--seed", "4", "-o", first) == 0
    assert run(tmp_path, "--draws", "50", "--seed", "4", "-o", again) == 0
    assert sheet_rows(first) == sheet_rows(again)


def test_a_bad_spread_is_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run(tmp_path, "--spread", "2", "-o", tmp_path / "x.xlsx") == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "--spread: '2' is not a number from 0 to 0.999" in err
    assert not (tmp_path / "x.xlsx").exists()


def test_self_without_robustness_is_refused(tmp_path: Path, capsys) -> None:
    data = write(tmp_path, "verified.csv", VERIFIED)
    argv = ["report", "-f", tmp_path / "robust.yaml", "-d", data, "--self", data]
    assert main([str(a) for a in [*argv, "-o", tmp_path / "x.xlsx"]]) == 2
    assert capsys.readouterr().err == (
        "chiso: error: --self goes with --robustness or --overclaim\n"
    )


@pytest.mark.parametrize(
    ("value", "text"),
    [(D("30"), "+30,0"), (D("-33.333"), "-33,3"), (D("0.04"), "="), (D("-0.05"), "-0,1")],
)
def test_a_change_of_percentage_prints_signed(value: Decimal, text: str) -> None:
    assert cell_text(Column("So với năm 2024 (điểm %)", "change", 1), value) == text
