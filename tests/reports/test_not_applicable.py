"""Criteria declared not applicable in the publication: in Bảng 1 a group a unit is not scored
on reads "KCĐ" (with its legend under the table), never a 0; "7. Đơn vị có tiêu chí không áp
dụng" lists every declaration with its effect — taken out of the unit's maximum, or scored at
its maximum — also a part of a group given as points (the Bình Định demo)."""

from __future__ import annotations

import csv
import unicodedata
from pathlib import Path

import docx
import pytest
from openpyxl import load_workbook
from pypdf import PdfReader
from tests.na_framework import C, D, framework

from chiso.cli import main
from chiso.core import load_framework
from chiso.io.data import score_files
from chiso.reports.data import build_report

from .test_docx import table_after

FRAMEWORK = framework(C, D)

# of 27 points: Sở Nội vụ declares B (excluded: 19 left); Sở Y tế scores 0 in B; Sở Tài chính
# has full credit for B.2; Ban Dân tộc declares both parts of C (23 left); Sở Tư pháp has full
# credit for the whole of D; Sở Xây dựng declares B (excluded) and D (full credit)
DATA = """\
unit,block,not_applicable,A.1,A.2,B.1,B.2,C.1,C.2,D.1,D.2
Sở Nội vụ,so,B,4,6,,,2,2,3,2
Sở Y tế,so,,4,6,0,0,2,2,3,2
Sở Tài chính,so,B.2,4,6,2,,2,2,3,2
Ban Dân tộc,so,C.1;C.2,4,6,5,3,,,1,2
Sở Tư pháp,so,D,4,6,5,3,2,2,,
Sở Xây dựng,so,B;D,3,6,,,2,2,,
"""

LEGEND = "KCĐ: Không chấm điểm, đánh giá (không áp dụng đối với đơn vị)."
CAPTION = "Bảng 1. Kết quả đánh giá, xếp hạng tổng thể năm 2024 của Sở, ban, ngành"
DEMO = Path(__file__).resolve().parents[2] / "src" / "chiso" / "demo"


@pytest.fixture(scope="module")
def written(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("not-applicable")
    framework = folder / "thu-nghiem-2024.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    data = folder / "units.csv"
    data.write_text(DATA, encoding="utf-8")
    outputs = {suffix: folder / f"ket-qua.{suffix}" for suffix in ("docx", "xlsx", "pdf")}
    argv = ["report", "-f", str(framework), "-d", str(data)]
    for path in outputs.values():
        argv += ["--out", str(path)]
    assert main(argv) == 0
    return outputs


def groups_of(rows: list[list[str]]) -> dict[str, list[str]]:
    """Bảng 1's cells of the groups A–D and the total, by unit (its marks left out)."""
    return {row[1].rstrip("*"): row[2:7] for row in rows if row[0].isdigit()}


def test_docx_main_table_marks_an_excluded_group_kcd_not_0(written: dict[str, Path]) -> None:
    document = docx.Document(str(written["docx"]))
    rows = table_after(document, CAPTION)
    assert rows[0][2:7] == [
        "A. Hạ tầng kỹ thuật",
        "B. Dịch vụ công trực tuyến",
        "C. Ứng dụng chuyên ngành",
        "D. Chuyển đổi số",
        "Tổng điểm",
    ]
    assert groups_of(rows) == {
        "Sở Nội vụ": ["10,00", "KCĐ", "4,00", "5,00", "19,00"],
        "Sở Y tế": ["10,00", "0,00", "4,00", "5,00", "19,00"],  # scored 0: a real 0
        "Sở Tài chính": ["10,00", "5,00", "4,00", "5,00", "24,00"],  # 2 + 3 of full credit
        "Ban Dân tộc": ["10,00", "8,00", "KCĐ", "3,00", "21,00"],  # both parts of C declared
        "Sở Tư pháp": ["10,00", "8,00", "4,00", "5,00", "27,00"],  # full credit: points
        "Sở Xây dựng": ["9,00", "KCĐ", "4,00", "5,00", "18,00"],
    }
    # the legend is printed once, among the table's notes, right under it
    texts = [p.text for p in document.paragraphs]
    assert texts.count(LEGEND) == 1
    notes = texts[texts.index(LEGEND) - 2 : texts.index(LEGEND) + 1]
    assert notes == [
        "(*) Đơn vị có tổng điểm tối đa là 23,00 điểm (có tiêu chí không áp dụng).",
        "(**) Đơn vị có tổng điểm tối đa là 19,00 điểm (có tiêu chí không áp dụng).",
        LEGEND,
    ]
    # the group's own table keeps the full text for the unit it does not apply to
    group = table_after(
        document, "Bảng 1.2. Xếp hạng nhóm tiêu chí “Dịch vụ công trực tuyến” của Sở, ban, ngành"
    )
    assert [row[2] for row in group if row[1].startswith("Sở Nội vụ")] == [
        "Không chấm điểm, đánh giá"
    ]


def test_docx_lists_every_declaration_with_its_effect(written: dict[str, Path]) -> None:
    texts = [p.text for p in docx.Document(str(written["docx"])).paragraphs]
    start = next(i for i, t in enumerate(texts) if t.endswith(". Đơn vị có tiêu chí không áp dụng"))
    start += 1
    listed = texts[start : texts.index("II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG")]
    assert sorted(listed) == sorted(
        [
            "- Sở Nội vụ: tổng điểm tối đa 19,00 điểm"
            " (không áp dụng: B “Dịch vụ công trực tuyến”).",
            "- Sở Tài chính: tổng điểm tối đa 27,00 điểm"
            " (không áp dụng, được tính điểm tối đa: B.2 “Hồ sơ qua bưu chính công ích”).",
            "- Ban Dân tộc: tổng điểm tối đa 23,00 điểm"
            " (không áp dụng: C.1 “Phần mềm chuyên ngành”; C.2 “Cơ sở dữ liệu chuyên ngành”).",
            "- Sở Tư pháp: tổng điểm tối đa 27,00 điểm"
            " (không áp dụng, được tính điểm tối đa: D “Chuyển đổi số”).",
            "- Sở Xây dựng: tổng điểm tối đa 19,00 điểm (không áp dụng: B “Dịch vụ công trực"
            " tuyến”; không áp dụng, được tính điểm tối đa: D “Chuyển đổi số”).",
        ]
    )


def test_xlsx_main_table_marks_an_excluded_group_kcd_not_0(written: dict[str, Path]) -> None:
    sheet = load_workbook(written["xlsx"])["Bảng 1"]
    rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = rows[1]
    groups = slice(header.index("A. Hạ tầng kỹ thuật"), header.index("D. Chuyển đổi số") + 1)
    published = header.index("Tổng điểm công bố")
    units = {row[1]: row[groups] + [row[published]] for row in rows if isinstance(row[0], int)}
    assert units["Sở Nội vụ"] == [10, "KCĐ", 4, 5, 19]
    assert units["Sở Y tế"] == [10, 0, 4, 5, 19]  # a number, as scored
    assert units["Ban Dân tộc"] == [10, 8, "KCĐ", 3, 21]
    assert units["Sở Tư pháp"] == [10, 8, 4, 5, 27]
    # the legend, then the note that the total is a formula (SUM leaves "KCĐ" out)
    assert LEGEND in [row[0] for row in rows[-2:]]
    # the results sheet (next year's --previous) keeps the empty cell of chiso score
    results = load_workbook(written["xlsx"])["Kết quả"]
    header, *values = [list(row) for row in results.iter_rows(values_only=True)]
    by_unit = {row[0]: dict(zip(header, row, strict=True)) for row in values}
    assert (by_unit["Sở Nội vụ"]["B"], by_unit["Sở Y tế"]["B"]) == (None, 0)


def test_pdf_main_table_marks_an_excluded_group_kcd_not_0(written: dict[str, Path]) -> None:
    text = "\n".join(
        unicodedata.normalize("NFC", page.extract_text())
        for page in PdfReader(written["pdf"]).pages
    )
    lines = [" ".join(line.split()) for line in text.splitlines()]
    assert any("Sở Nội vụ** 10,00 KCĐ 4,00 5,00 19,00 100,0" in line for line in lines)
    assert any("Sở Y tế 10,00 0,00 4,00 5,00 19,00" in line for line in lines)
    assert LEGEND in lines
    assert "(không áp dụng, được tính điểm tối đa: D “Chuyển đổi số”)." in " ".join(lines)


def test_a_large_block_prints_the_legend_only_with_the_groups_columns(tmp_path: Path) -> None:
    framework = tmp_path / "thu-nghiem-2024.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text(DATA, encoding="utf-8")
    loaded = load_framework(framework)
    result = score_files(loaded, data, [])
    full = build_report(loaded, result).blocks[0]
    assert LEGEND in full.printed_tables[0].notes
    (compact,) = build_report(loaded, result, print_limit=3).blocks[0].printed_tables
    assert "KCĐ" not in [cell for row in compact.rows for cell in row]
    assert LEGEND not in compact.notes
    assert len(compact.notes) == 2  # the marks of the lower maxima stay
    assert LEGEND in build_report(loaded, result, print_limit=3).blocks[0].tables[0].notes


def test_many_units_are_counted_per_declaration_with_its_effect(tmp_path: Path) -> None:
    framework = tmp_path / "thu-nghiem-2024.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    rows = ["unit,block,not_applicable,A.1,A.2,B.1,B.2,C.1,C.2,D.1,D.2"]
    rows += [f"Đơn vị {i},so,B,4,6,,,2,2,3,2" for i in range(12)]
    rows += [f"Đơn vị {i},so,B.2,4,6,2,,2,2,3,2" for i in range(12, 20)]
    rows += [f"Đơn vị {i},so,B;D,4,6,,,2,2,," for i in range(20, 23)]
    rows += [f"Đơn vị {i},so,,4,6,2,2,2,2,3,2" for i in range(23, 30)]
    data = tmp_path / "units.csv"
    data.write_text("\n".join(rows) + "\n", encoding="utf-8")
    loaded = load_framework(framework)
    report = build_report(loaded, score_files(loaded, data, []))
    assert report.exemptions == (
        "23 đơn vị có tiêu chí không áp dụng:",
        "B “Dịch vụ công trực tuyến”: 15 đơn vị (không tính vào tổng điểm tối đa của đơn vị).",
        "B.2 “Hồ sơ qua bưu chính công ích”: 8 đơn vị (được tính điểm tối đa).",
        "D “Chuyển đổi số”: 3 đơn vị (được tính điểm tối đa).",
    )


def test_demo_lists_the_parts_declared_of_a_group_given_as_points(tmp_path: Path) -> None:
    """The demo gives Mục II as points: the parts II.b and II.b.2 have no result of their own,
    but each unit's declaration is listed, under the criterion's name in the framework."""
    out = tmp_path / "ket-qua.docx"
    argv = ["report", "-f", "binh-dinh-2021", "-d", str(DEMO / "binh-dinh-2021.csv")]
    argv += ["--previous", str(DEMO / "binh-dinh-2020-ranks.csv"), "--out", str(out)]
    assert main(argv) == 0
    texts = [p.text for p in docx.Document(str(out)).paragraphs]
    start = next(i for i, t in enumerate(texts) if t.endswith(". Đơn vị có tiêu chí không áp dụng"))
    start += 1
    listed = texts[start : texts.index("II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG")]
    with (DEMO / "binh-dinh-2021.csv").open(encoding="utf-8") as handle:
        declared = {row["unit"]: row["not_applicable"] for row in csv.DictReader(handle)}
    names = {"II.b": "Cung cấp dịch vụ công trực tuyến"}
    names["II.b.2"] = "Giải quyết thủ tục hành chính (TTHC) qua dịch vụ bưu chính công ích (BCCI)"
    # II.b is 15 of a department's 85 points, II.b.2 6 (docs/frameworks.md)
    maximum = {"II.b": 70, "II.b.2": 79}
    assert sorted(listed) == sorted(
        f"- {unit}: tổng điểm tối đa {maximum[code]} điểm (không áp dụng: {code} “{names[code]}”)."
        for unit, code in declared.items()
        if code
    )
    assert len(listed) == 4


def test_scorecard_marks_an_excluded_group_kcd_not_0_of_0(tmp_path: Path) -> None:
    framework = tmp_path / "thu-nghiem-2024.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text(DATA, encoding="utf-8")

    def card(unit: str) -> list[str]:
        out = tmp_path / f"{unit}.pdf"
        assert (
            main(["report", "-f", str(framework), "-d", str(data), "-u", unit, "-o", str(out)]) == 0
        )
        text = unicodedata.normalize("NFC", PdfReader(out).pages[0].extract_text())
        return [" ".join(line.split()) for line in text.splitlines()]

    lines = card("Sở Nội vụ")
    # B: not scored, beside the block's mean of the units it applies to: (0 + 5 + 8 + 8) / 4
    assert "B. Dịch vụ công trực tuyến KCĐ 5,25" in lines
    assert "C. Ứng dụng chuyên ngành 4,00 4,00 100,0 4,00" in lines
    assert LEGEND in lines
    lines = card("Sở Y tế")
    assert "B. Dịch vụ công trực tuyến 0,00 8,00 0,0 5,25" in lines  # scored 0
    assert LEGEND not in lines


def test_criteria_statistics_read_from_the_columns_as_from_each_unit(tmp_path: Path) -> None:
    """The narrative's statistics of each criterion (its weakest criteria), read a column at
    a time from the block's columns, are those of each unit's result read alone: units that
    declare a group or a part (excluded, or at full credit), a unit without data."""
    from chiso.core.model import UnitNodes
    from chiso.io.data import score_files
    from chiso.reports.narrative import _criterion_summary, _CriterionPoints

    path = tmp_path / "thu-nghiem-2024.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text(DATA + "Sở Công Thương,so,,,,,,,,,\n", encoding="utf-8")
    framework = load_framework(path)
    result = score_files(framework, data)
    cycles = [(framework, result)]
    for province in ("binh-dinh-2021", "son-la-2020"):
        found = load_framework(province)
        folder = Path(__file__).resolve().parents[1] / "data" / province
        cycles.append((found, score_files(found, folder / "units.csv", [folder / "previous.csv"])))
    compared = 0
    for framework, result in cycles:
        for block in result.blocks:
            points = _CriterionPoints(block.units)
            assert points.columns is not None
            assert all(type(u.nodes) is UnitNodes for u in block.units)
            for code, maximum in framework.max_for(block.block).items():
                for units, fast in (
                    (block.units, points),
                    (block.units[1:], _CriterionPoints(block.units[1:])),
                ):
                    expected = _criterion_summary(code, maximum, units)
                    assert fast.summary(code, maximum) == expected, (block.block, code)
                    compared += expected.count
    assert compared > 500
