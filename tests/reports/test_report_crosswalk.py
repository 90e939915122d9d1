"""``chiso report --crosswalk``: each group's table compared with the earlier year through
the criteria crosswalk, and what cannot be compared said (tests/data/crosswalk: 2024's I is
2025's A; II.a + II.b are B; C is new; II.c is dropped). Worked by hand:

* A (max 6) against I (max 5): Sở X 4/6 = 66,7 % against 5/5 = 100 % → −33,3; Sở Y 6/6 =
  100 % against 1/5 = 20 % → +80,0;
* B (max 10) against II.a + II.b (max 10): Sở X 8 against 4 + 1 → +30,0; Sở Y 6 against
  5 + 5 → −40,0.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from chiso.cli import main

DATA = Path(__file__).resolve().parents[1] / "data" / "crosswalk"
TITLE = "So với năm 2024 (điểm %)"


def run(*more: object) -> int:
    argv = ["report", "-f", DATA / "current-2025.yaml", "-d", DATA / "units-2025.csv", *more]
    return main([str(a) for a in argv])


def compared(*more: object) -> int:
    return run(
        "--crosswalk",
        DATA / "crosswalk-2024-2025.csv",
        "--earlier-framework",
        DATA / "earlier-2024.yaml",
        "--earlier-data",
        DATA / "units-2024.csv",
        *more,
    )


def changes(path: Path, sheet: str) -> dict[str, object] | None:
    rows = [list(r) for r in load_workbook(path, read_only=True)[sheet].iter_rows(values_only=True)]
    header = next(r for r in rows if "Tên cơ quan, đơn vị" in r)
    if TITLE not in header:
        return None
    name, change = header.index("Tên cơ quan, đơn vị"), header.index(TITLE)
    return {r[name]: r[change] for r in rows if r[name] in ("Sở X", "Sở Y")}


def test_each_group_is_compared_where_the_crosswalk_allows_it(tmp_path: Path) -> None:
    xlsx, docx = tmp_path / "ket-qua.xlsx", tmp_path / "ket-qua.docx"
    assert compared("-o", xlsx, "-o", docx) == 0
    assert changes(xlsx, "Bảng 1.1") == {"Sở Y": 80, "Sở X": -33.3}
    assert changes(xlsx, "Bảng 1.2") == {"Sở X": 30, "Sở Y": -40}
    assert changes(xlsx, "Bảng 1.3") is None  # C is new: no column
    document = Document(str(docx))
    text = "\n".join(p.text for p in document.paragraphs)
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert "+80,0" in cells and "-33,3" in cells and "+30,0" in cells and "-40,0" in cells
    assert (
        "So với năm 2024 theo bảng chuyển đổi tiêu chí, so sánh được “A. Hạ tầng số”,"
        " “B. Ứng dụng”; không so sánh được “C. Dữ liệu số”; tiêu chí của năm 2024 không còn"
        " đánh giá: “II.c. Thư điện tử”."
    ) in text
    assert (
        "“C. Dữ liệu số” không so sánh được với năm 2024: không có tiêu chí tương ứng năm 2024."
        in text
    )
    assert "so với II.a + II.b của năm 2024 (bảng chuyển đổi tiêu chí)" in text


def test_without_crosswalk_no_group_is_compared(tmp_path: Path) -> None:
    assert run("-o", tmp_path / "x.xlsx") == 0
    assert changes(tmp_path / "x.xlsx", "Bảng 1.1") is None


def test_the_crosswalk_needs_the_earlier_year(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = run("--crosswalk", DATA / "crosswalk-2024-2025.csv", "-o", tmp_path / "x.xlsx")
    assert code == 2
    assert capsys.readouterr().err == (
        "chiso: error: --crosswalk, --earlier-framework and --earlier-data go together\n"
    )
    assert not (tmp_path / "x.xlsx").exists()


def test_a_bad_crosswalk_row_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "bad.csv"
    bad.write_text("mã,mã năm trước\nA,I\nZ.9,II.a\n", encoding="utf-8")
    code = run(
        "--crosswalk",
        bad,
        "--earlier-framework",
        DATA / "earlier-2024.yaml",
        "--earlier-data",
        DATA / "units-2024.csv",
        "-o",
        tmp_path / "x.xlsx",
    )
    err = capsys.readouterr().err
    assert code == 2 and err.count("\n") == 1
    assert "bad.csv" in err and "3" in err and "'Z.9' is not a criterion of mau-2025" in err


def test_groups_without_an_earlier_result_are_not_said_to_be_compared(tmp_path: Path) -> None:
    """The earlier year's units are none of this year's: the crosswalk allows comparing A and
    B, but there is nothing to compare them with."""
    earlier = tmp_path / "units-2024.csv"
    earlier.write_text(
        (DATA / "units-2024.csv").read_text(encoding="utf-8").replace("Sở ", "Ban "),
        encoding="utf-8",
    )
    docx = tmp_path / "ket-qua.docx"
    code = run(
        "--crosswalk",
        DATA / "crosswalk-2024-2025.csv",
        "--earlier-framework",
        DATA / "earlier-2024.yaml",
        "--earlier-data",
        earlier,
        "-o",
        docx,
    )
    assert code == 0
    text = "\n".join(p.text for p in Document(str(docx)).paragraphs)
    assert "so sánh được “A" not in text
    assert (
        "So với năm 2024 theo bảng chuyển đổi tiêu chí, không có kết quả năm 2024 để so sánh"
        " “A. Hạ tầng số”, “B. Ứng dụng”; không so sánh được “C. Dữ liệu số”;"
    ) in text
