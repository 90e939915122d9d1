"""The report workbook of Bình Định 2021 against the published tables (tests/data), the
corrections of the published errata (PUBLISHED-ERRATA.md, ids BD-n) and the raw-data sheet
read back by ``chiso score``."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook

from chiso.cli import main
from chiso.core.tiers import normalize_name

from .conftest import BD, Writer, read_csv


def sheet_rows(path: Path, name: str) -> list[tuple[str, tuple[Any, ...]]]:
    """(section, row) for every unit row of a table sheet, the section it is printed under."""
    sheet = load_workbook(path)[name]
    rows, section = [], ""
    for values in sheet.iter_rows(values_only=True):
        if isinstance(values[0], int):
            rows.append((section, values))
        elif (
            isinstance(values[0], str)
            and all(v is None for v in values[1:])
            and values[0].startswith(("Mức", "Không"))
        ):
            section = values[0]
    return rows


def by_unit(rows: list[tuple[str, tuple[Any, ...]]]) -> dict[str, tuple[str, tuple[Any, ...]]]:
    return {normalize_name(values[1].rstrip("*")): (section, values) for section, values in rows}


def test_workbook_has_one_sheet_per_published_table(bd_report: Writer) -> None:
    names = load_workbook(bd_report("xlsx", parts=True)).sheetnames
    tables = [f"Bảng {k}" for k in ["1", "1.1", "1.2", "1.2a", "1.2b", "1.3", "1.4", "1.5", "1.6"]]
    tables += [f"Bảng {k}" for k in ["2", "2.1", "2.2", "2.2a", "2.2b", "2.3", "2.4", "2.5", "2.6"]]
    assert names == [*tables, "Thống kê", "Biểu đồ", "Kết quả", "Dữ liệu"]


@pytest.mark.parametrize(("sheet", "stem"), [("Bảng 1", "bang-1"), ("Bảng 2", "bang-2")])
def test_overall_table_equals_published(bd_report: Writer, sheet: str, stem: str) -> None:
    ours = by_unit(sheet_rows(bd_report("xlsx"), sheet))
    published = read_csv(BD / "published" / f"{stem}.csv")
    assert len(ours) == len(published)
    # BD-1, BD-2: the published rank column is one merged cell off (Sở Tư pháp 9 → 4, and
    # Sở Tài Nguyên và Môi trường blank → 9); other blanks are merged cells
    corrected = {"sở tư pháp": 4, "sở tài nguyên và môi trường": 9}
    for row in published:
        section, values = ours[normalize_name(row["ten_co_quan"])]
        groups = [int(row[k]) for k in row if k.startswith("muc_") and k != "muc"]
        assert list(values[2:8]) == groups
        assert values[8] == int(row["tong_diem"])
        assert values[9] == int(row["ty_le"])
        assert section.casefold() == row["muc"].casefold()
        assert values[10] == (int(row["xep_hang_2020"]) if row["xep_hang_2020"] else None)
        expected = corrected.get(normalize_name(row["ten_co_quan"]))
        if expected is None and row["xep_hang_2021"]:
            expected = int(row["xep_hang_2021"])
        if expected is not None:
            assert values[11] == expected, row["ten_co_quan"]


def test_exempt_units_are_marked_and_explained(bd_report: Writer) -> None:
    rows = sheet_rows(bd_report("xlsx"), "Bảng 1")
    names = {values[1] for _, values in rows}
    assert {"Sở Tài chính*", "Văn phòng UBND tỉnh**", "Thanh tra tỉnh**", "Ban Dân tộc**"} <= names
    sheet = load_workbook(bd_report("xlsx"))["Bảng 1"]
    notes = [
        row[0]
        for row in sheet.iter_rows(values_only=True)
        if isinstance(row[0], str) and row[0].startswith("(*")
    ]
    assert notes == [
        "(*) Đơn vị có tổng điểm tối đa là 79 điểm (có tiêu chí không áp dụng).",
        "(**) Đơn vị có tổng điểm tối đa là 70 điểm (có tiêu chí không áp dụng).",
    ]


def test_numbers_are_numbers_with_formats(bd_report: Writer) -> None:
    sheet = load_workbook(bd_report("xlsx"))["Bảng 1"]
    header = next(r for r in sheet.iter_rows() if r[0].value == "TT")
    assert [c.font.bold for c in header] == [True] * len(header)
    first = next(r for r in sheet.iter_rows() if r[0].value == 1)
    assert first[9].value == 100 and first[9].number_format == "0"
    assert first[12].number_format == '+0;-0;"="'
    assert sheet.column_dimensions["B"].width >= 40
    assert sheet.freeze_panes is not None


# Published group-table cells that the published numbers themselves contradict, with the value
# the errata give: (sheet, unit) → (percent, section); None keeps the published value.
ERRATA: dict[tuple[str, str], tuple[int | None, str | None]] = {
    # BD-11: Bảng 2.1 divides by 13 although the maximum is 14; BD-12 Tây Sơn, Hoài Ân are Khá
    **{
        ("Bảng 2.1", unit): (percent, section)
        for unit, percent, section in [
            ("UBND thành phố Quy Nhơn", 93, None),
            ("UBND thị xã Hoài Nhơn", 93, None),
            ("UBND huyện Vân Canh", 93, None),
            ("UBND huyện Tuy Phước", 93, None),
            ("UBND huyện Phù Cát", 86, None),
            ("UBND thị xã An Nhơn", 86, None),
            ("UBND huyện An Lão", 86, None),
            ("UBND huyện Phù Mỹ", 86, None),
            ("UBND huyện Vĩnh Thạnh", 71, "Mức khá"),
            ("UBND huyện Tây Sơn", 64, "Mức khá"),
            ("UBND huyện Hoài Ân", 64, "Mức khá"),
        ]
    },
    ("Bảng 1.5", "Sở Văn hóa và Thể thao"): (None, "Mức khá"),  # BD-13
    # BD-5, BD-6: Sở Công Thương's Mục V and VI differ between Bảng 1 (our data) and 1.5/1.6
    ("Bảng 1.5", "Sở Công Thương"): (100, None),
    ("Bảng 1.6", "Sở Công Thương"): (83, None),
    ("Bảng 1.6", "Ban Dân tộc"): (None, "Mức khá"),  # BD-14
    ("Bảng 1.6", "Sở Văn hóa và Thể thao"): (None, "Mức khá"),
    **{  # BD-15: 9/15 = 60 % is Khá
        ("Bảng 2.2b", u): (None, "Mức khá")
        for u in [
            "UBND thành phố Quy Nhơn",
            "UBND huyện Tây Sơn",
            "UBND huyện An Lão",
            "UBND huyện Vĩnh Thạnh",
            "UBND huyện Vân Canh",
            "UBND huyện Phù Cát",
        ]
    },
    ("Bảng 2.4", "UBND thị xã Hoài Nhơn"): (None, "Mức khá"),  # BD-16
    ("Bảng 2.4", "UBND huyện Phù Mỹ"): (None, "Mức khá"),
    ("Bảng 2.5", "UBND huyện Vân Canh"): (None, "Mức khá"),  # BD-17
    ("Bảng 2.5", "UBND huyện Tây Sơn"): (None, "Mức khá"),
    ("Bảng 2.5", "UBND huyện Phù Mỹ"): (None, "Mức khá"),
    ("Bảng 2.5", "UBND huyện Tuy Phước"): (None, "Mức khá"),  # BD-18
    ("Bảng 2.5", "UBND huyện Hoài Ân"): (None, "Mức trung bình"),  # BD-19
}

# BD-5, BD-6, BD-8: the group's points differ between the overall table (our data) and the
# group's table; the overall table's value is scored
SCORE_FROM_OVERALL = {
    ("Bảng 1.5", "Sở Công Thương"): "8",
    ("Bảng 1.6", "Sở Công Thương"): "10",
    ("Bảng 2.1", "UBND huyện Tây Sơn"): "8",
}
ERRATA[("Bảng 2.1", "UBND huyện Tây Sơn")] = (57, "Mức trung bình")  # 8/14

GROUP_TABLES = [
    (row["table"].replace(" ", "").replace(")", "").replace("Bảng", "Bảng "), row["file"])
    for row in read_csv(BD / "tables.csv")
    if row["group"]
]


@pytest.mark.parametrize(("sheet", "file"), GROUP_TABLES)
def test_group_table_equals_published_or_errata(bd_report: Writer, sheet: str, file: str) -> None:
    ours = by_unit(sheet_rows(bd_report("xlsx", parts=True), sheet))
    published = read_csv(BD / file)
    assert len(ours) == len(published)
    for row in published:
        section, values = ours[normalize_name(row["unit"])]
        if row.get("note"):  # "Không chấm điểm, đánh giá": no online services (Mục II.b)
            assert values[2:] == ("Không chấm điểm, đánh giá", None)
            continue
        percent, tier = ERRATA.get((sheet, row["unit"]), (None, None))
        score = SCORE_FROM_OVERALL.get((sheet, row["unit"]), row["score"])
        assert values[2] == Decimal(score)
        assert values[3] == (percent if percent is not None else int(row["percent"]))
        assert section.casefold() == (tier or row["tier"]).casefold(), row["unit"]


def test_group_table_order_follows_the_group(bd_report: Writer) -> None:
    # BD-20: Bảng 2.6 printed Hoài Nhơn (13) second, above Phù Cát and An Nhơn (14)
    order = [values[1] for _, values in sheet_rows(bd_report("xlsx", parts=True), "Bảng 2.6")]
    assert order.index("UBND thị xã Hoài Nhơn") > order.index("UBND thị xã An Nhơn")
    assert order[0] == "UBND thành phố Quy Nhơn"


def test_statistics_sheet(bd_report: Writer) -> None:
    sheet = load_workbook(bd_report("xlsx"))["Thống kê"]
    cells = {(r[0], r[1]): r[2] for r in sheet.iter_rows(values_only=True) if r[1]}
    # the published conclusion: "Tốt" 21/21 = 100 % and 9/11 = 82 %
    assert cells[("Sở, ban, ngành", "Mức “Tốt”")] == "21 (100%)"
    assert cells[("UBND huyện, thị xã, thành phố", "Mức “Tốt”")] == "9 (82%)"
    assert cells[("UBND huyện, thị xã, thành phố", "Mức “Khá”")] == "2 (18%)"
    assert cells[("Sở, ban, ngành", "Điểm trung bình")] == "79,3"  # 1666 / 21 = 79.33


def test_raw_data_sheet_reads_back(bd_report: Writer, capsys: pytest.CaptureFixture[str]) -> None:
    for data in [BD / "units.csv", bd_report("xlsx")]:
        assert (
            main(
                [
                    "score",
                    "-f",
                    "binh-dinh-2021",
                    "-d",
                    str(data),
                    "-p",
                    str(BD / "previous.csv"),
                    "--format",
                    "csv",
                ]
            )
            == 0
        )
    original, read_back = capsys.readouterr().out.split("unit,block,year")[1:]
    assert read_back == original


def test_raw_data_round_trip_with_parts(
    bd_report: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    from .conftest import write_parts_data

    for data in [write_parts_data(tmp_path / "parts.csv"), bd_report("xlsx", parts=True)]:
        assert main(["score", "-f", "binh-dinh-2021", "-d", str(data), "--format", "json"]) == 0
    original, read_back = capsys.readouterr().out.splitlines()
    assert read_back == original


def test_draft_is_marked(bd_report: Writer) -> None:
    sheet = load_workbook(bd_report("xlsx", draft=True))["Bảng 1"]
    assert str(sheet["A1"].value).endswith("(DỰ THẢO)")


def test_every_sheet_prints_one_page_wide_and_flat_tables_filter(bd_report: Writer) -> None:
    """Fit to the page's width, as many pages down as it takes, on A4: the setting had been
    made after the sheet's first row, too late for a streamed sheet, and Bảng 1 printed three
    pages across. The flat results and raw data filter and sort by any column."""
    workbook = load_workbook(bd_report("xlsx"))
    for sheet in workbook.worksheets:
        if sheet.title == "Biểu đồ":
            continue
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title
    assert workbook["Bảng 1"].page_setup.orientation == "landscape"
    for name in ("Kết quả", "Dữ liệu"):
        sheet = workbook[name]
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )
