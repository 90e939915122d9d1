"""The report workbook of Bình Định 2021 against the published tables (tests/data), the
corrections of the published errata (PUBLISHED-ERRATA.md, ids BD-n) and the raw-data sheet
read back by ``chiso score``."""

from __future__ import annotations

import csv
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from chiso.cli import main
from chiso.core import load_framework
from chiso.core.tiers import normalize_name
from chiso.io.data import read_previous

from .conftest import BD, DATA, Writer, read_csv

TIER = "Mức xếp loại"
LEFT = ("TT", "Tên cơ quan, đơn vị", "Ghi chú")
"""The columns left of a table's groups."""
PERCENT = "Tỷ lệ (%)"


def sheet_rows(path: Path, name: str) -> list[dict[str, Any]]:
    """Every unit row of a table sheet, by its columns' titles (every row under the header
    whose "TT" is a number)."""
    rows = list(load_workbook(path)[name].iter_rows(values_only=True))
    at = next(i for i, row in enumerate(rows) if row[0] == "TT")
    return [dict(zip(rows[at], row, strict=True)) for row in rows[at + 1 :] if type(row[0]) is int]


def by_unit(rows: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {normalize_name(row["Tên cơ quan, đơn vị"]): row for row in rows}


def percent(cell: object) -> Decimal:
    """A percent cell's percentage: its fraction's shortest decimal × 100, exactly (0.99 →
    99; a float's noise, 0.9900000000000001, would show)."""
    assert isinstance(cell, (int, float)), cell
    return Decimal(repr(cell)).scaleb(2)


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
        values = ours[normalize_name(row["ten_co_quan"])]
        groups = [int(row[k]) for k in row if k.startswith("muc_") and k != "muc"]
        titles = list(values)[: list(values).index("Tổng điểm")]
        assert [values[t] for t in titles if t not in LEFT] == groups
        assert values["Tổng điểm công bố"] == int(row["tong_diem"])
        assert percent(values[PERCENT]) == int(row["ty_le"])
        assert values[TIER].casefold() == row["muc"].casefold()
        xep_hang_2020 = int(row["xep_hang_2020"]) if row["xep_hang_2020"] else None
        assert values["Xếp hạng 2020"] == xep_hang_2020
        expected = corrected.get(normalize_name(row["ten_co_quan"]))
        if expected is None and row["xep_hang_2021"]:
            expected = int(row["xep_hang_2021"])
        if expected is not None:
            assert values["Xếp hạng 2021"] == expected, row["ten_co_quan"]


def test_exempt_units_are_marked_in_a_column_of_their_own_and_explained(
    bd_report: Writer,
) -> None:
    """The name stays the unit's name (a lookup by name finds it), the mark is beside it."""
    rows = sheet_rows(bd_report("xlsx"), "Bảng 1")
    marks = {row["Tên cơ quan, đơn vị"]: row["Ghi chú"] for row in rows if row["Ghi chú"]}
    assert marks == {
        "Sở Tài chính": "*",
        "Văn phòng UBND tỉnh": "**",
        "Thanh tra tỉnh": "**",
        "Ban Dân tộc": "**",
    }
    assert not any("*" in row["Tên cơ quan, đơn vị"] for row in rows)
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
    titles = [c.value for c in header]
    first = next(r for r in sheet.iter_rows() if r[0].value == 1)
    published = first[titles.index("Tổng điểm công bố")]
    assert published.value == 79 and published.number_format == "0"
    share = first[titles.index(PERCENT)]
    assert share.value == 1 and share.number_format == "0%"  # 100%
    assert first[titles.index("So sánh với 2020")].number_format == '+0;-0;"="'
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
        values = ours[normalize_name(row["unit"])]
        if row.get("note"):  # "Không chấm điểm, đánh giá": no online services (Mục II.b)
            assert (values["Tổng điểm"], values[PERCENT], values[TIER]) == (
                "Không chấm điểm, đánh giá",
                None,
                None,
            )
            continue
        corrected, tier = ERRATA.get((sheet, row["unit"]), (None, None))
        score = SCORE_FROM_OVERALL.get((sheet, row["unit"]), row["score"])
        assert values["Tổng điểm"] == Decimal(score)
        expected = corrected if corrected is not None else int(row["percent"])
        assert percent(values[PERCENT]) == expected
        assert values[TIER].casefold() == (tier or row["tier"]).casefold(), row["unit"]


def test_group_table_order_follows_the_group(bd_report: Writer) -> None:
    # BD-20: Bảng 2.6 printed Hoài Nhơn (13) second, above Phù Cát and An Nhơn (14)
    order = [
        row["Tên cơ quan, đơn vị"] for row in sheet_rows(bd_report("xlsx", parts=True), "Bảng 2.6")
    ]
    assert order.index("UBND thị xã Hoài Nhơn") > order.index("UBND thị xã An Nhơn")
    assert order[0] == "UBND thành phố Quy Nhơn"


def test_statistics_are_numbers_a_count_and_its_share_apart(bd_report: Writer) -> None:
    """Not "13 (62%)" nor "79,3" as text: the count, its share as a percentage and the mean
    as numbers, which Excel shows "62%", "79,3" under Vietnamese settings."""
    sheet = load_workbook(bd_report("xlsx"))["Thống kê"]
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == ["Khối", "Chỉ tiêu", "Giá trị", "Tỷ lệ"]
    cells = {(r[0].value, r[1].value): (r[2], r[3]) for r in rows[1:] if r[1].value}
    # the published conclusion: "Tốt" 21/21 = 100 % and 9/11 = 82 %
    for block, label, count, share in [
        ("Sở, ban, ngành", "Mức “Tốt”", 21, 100),
        ("UBND huyện, thị xã, thành phố", "Mức “Tốt”", 9, 82),
        ("UBND huyện, thị xã, thành phố", "Mức “Khá”", 2, 18),
    ]:
        value, part = cells[(block, label)]
        assert (value.value, value.number_format) == (count, "0")
        assert (percent(part.value), part.number_format) == (share, "0%")
    mean, _ = cells[("Sở, ban, ngành", "Điểm trung bình")]
    assert (mean.value, mean.number_format) == (79.3, "0.0")  # 1666 / 21 = 79.33
    groups = {
        label: value.value
        for (block, label), (value, _) in cells.items()
        if block == "Sở, ban, ngành"
    }
    # a group's mean, highest and lowest: one figure a row (the page prints "12,7 / 13 / 11")
    assert (
        groups["Nhóm I: trung bình"],
        groups["Nhóm I: cao nhất"],
        groups["Nhóm I: thấp nhất"],
    ) == (12.7, 13, 11)
    average, _ = cells[("Sở, ban, ngành", "Tỷ lệ trung bình (%)")]
    assert (percent(average.value), average.number_format) == (96, "0%")
    # sortable and filtered by block
    assert sheet.auto_filter.ref == f"A1:D{len(cells) + 1}"
    assert sheet.freeze_panes == "A2"


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
        # an absent fitToWidth is the schema's default, 1 (XlsxWriter writes none)
        across = sheet.page_setup.fitToWidth or 1
        assert (across, sheet.page_setup.fitToHeight) == (1, 0), sheet.title
        assert sheet.page_setup.paperSize == 9, sheet.title
    assert workbook["Bảng 1"].page_setup.orientation == "landscape"
    for name in ("Kết quả", "Dữ liệu"):
        sheet = workbook[name]
        assert (
            sheet.auto_filter.ref
            == f"A1:{sheet.cell(1, sheet.max_column).column_letter}{sheet.max_row}"
        )


def test_every_table_sorts_and_filters_without_section_or_merged_rows(bd_report: Writer) -> None:
    """No "Mức tốt" row across a table, no merged cells among the rows: the tier is a column
    of every unit's row, the filter is headed by the last heading row ("Tối đa" when there is
    one), so that sorting moves units' rows only; the headings stay in view."""
    workbook = load_workbook(bd_report("xlsx", parts=True))
    tables = [sheet for sheet in workbook.worksheets if sheet.title.startswith("Bảng")]
    assert len(tables) == 18
    for sheet in tables:
        rows = list(sheet.iter_rows(values_only=True))
        header = next(i for i, row in enumerate(rows) if row[0] == "TT") + 1
        heading = header + (1 if rows[header][1] == "Tối đa" else 0)
        units = [n for n, row in enumerate(rows, start=1) if type(row[0]) is int]
        assert units == list(range(heading + 1, heading + 1 + len(units))), sheet.title
        assert sheet.auto_filter.ref == (
            f"A{heading}:{sheet.cell(heading, sheet.max_column).column_letter}{units[-1]}"
        ), sheet.title
        # only the title (and a part's title) spans the table
        assert all(cells.max_row <= header - 1 for cells in sheet.merged_cells.ranges)
        # every unit scored has its tier (one not scored on the group reads so, without)
        tier, total = rows[header - 1].index(TIER), rows[header - 1].index("Tổng điểm")
        scored = [rows[n - 1] for n in units if not str(rows[n - 1][total]).startswith("Không")]
        assert scored and all(row[tier] for row in scored), sheet.title
        frozen = sheet.freeze_panes
        assert frozen is not None and int(frozen.lstrip("ABCDEFGH")) == heading + 1, sheet.title


@pytest.mark.parametrize("framework", ["binh-dinh-2021", "cao-bang-2020"])
def test_total_is_a_formula_of_the_groups_equal_to_the_exact_total(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, framework: str
) -> None:
    """A corrected group's cell changes the total: it is =SUM of the groups' cells, marked by
    a note; beside it, the total as chiso computed it. The cells add up to chiso's exact total
    (the formula has no saved value: Excel and LibreOffice compute it on opening), also with
    decimals (Cao Bằng's 56,3 = 8 + 15,9 + 19 + 3,4 + 5 + 5)."""
    folder = DATA / framework
    out = tmp_path / "ket-qua.xlsx"
    argv = ["-f", framework, "-d", str(folder / "units.csv"), "-p", str(folder / "previous.csv")]
    assert main(["report", *argv, "-o", str(out)]) == 0
    assert main(["score", *argv, "--format", "json"]) == 0
    printed = json.loads(capsys.readouterr().out, parse_float=Decimal)
    exact = {u["unit"]: u["total"] for b in printed["blocks"] for u in b["units"]}
    workbook = load_workbook(out)
    decimals = 0
    for name in [n for n in workbook.sheetnames if re.fullmatch(r"Bảng \d+", n)]:
        sheet = workbook[name]
        rows = list(sheet.iter_rows())
        header = [c.value for c in next(r for r in rows if r[0].value == "TT")]
        total, published = header.index("Tổng điểm"), header.index("Tổng điểm công bố")
        every = [r for r in rows if type(r[0].value) is int]
        units = [r for r in every if r[total].value is not None]  # a unit without data: none
        # the groups: from right of the name (and the marks) to left of the total
        first = len([title for title in header[:total] if title in LEFT])
        columns = (get_column_letter(first + 1), get_column_letter(total))
        assert header[first].startswith(("I.", "1.")), header
        for row in units:
            number = row[0].row
            assert row[total].value == f"=SUM({columns[0]}{number}:{columns[1]}{number})"
            added = sum(
                Decimal(repr(cell.value))
                for cell in sheet[f"{columns[0]}{number}:{columns[1]}{number}"][0]
                if isinstance(cell.value, (int, float))
            )
            assert added == exact[row[1].value] == Decimal(repr(row[published].value)), number
            decimals = max(decimals, -added.as_tuple().exponent)  # type: ignore[operator]
        notes = [r[0].value for r in rows[every[-1][0].row :]]
        assert any("công thức" in str(note) for note in notes)
        (rule,) = sheet.conditional_formatting
        assert str(rule.sqref) == f"{every[0][total].coordinate}:{every[-1][total].coordinate}"
    assert (decimals > 0) == (framework == "cao-bang-2020")  # points with decimals


def test_no_cell_holds_a_number_as_text(bd_report: Writer) -> None:
    """Every sheet: a text that reads as a number ("79,3", "13 (62%)", "+2", "12") is a
    number cell instead, which sums and sorts."""
    number = re.compile(r"[+-]?\d+(?:[.,]\d+)?%?(?: \(\d+(?:[.,]\d+)?%\))?")
    for parts in (False, True):
        workbook = load_workbook(bd_report("xlsx", parts=parts))
        assert workbook["Dữ liệu"].max_row > 30
        for sheet in workbook.worksheets:
            for row in sheet.iter_rows():
                for cell in row:
                    if cell.data_type == "s":
                        text = str(cell.value).strip()
                        assert not number.fullmatch(text), (sheet.title, cell.coordinate, text)
                        assert not text.endswith("*") or text == "*" * len(text), text


def test_percentages_are_fractions_shown_at_the_display_decimals(bd_report: Writer) -> None:
    """A percentage of 98.82… printed "99" is the cell 0.99 with the format "0%": its value
    holds no more digits than the cell prints (the table's); the results sheet's, at full
    precision, is the exact percentage divided by 100 as the nearest float."""
    workbook = load_workbook(bd_report("xlsx"))
    seen = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if "%" in cell.number_format and isinstance(cell.value, (int, float)):
                    seen += 1
                    assert cell.number_format == "0%", (sheet.title, cell.coordinate)
                    assert 0 <= cell.value <= 1, (sheet.title, cell.coordinate)
                    if sheet.title != "Kết quả":
                        assert percent(cell.value) == int(percent(cell.value)), cell.value
    assert seen > 100
    results = workbook["Kết quả"]
    header = [c.value for c in results[1]]
    shares = {r[0].value: r[header.index("Tỷ lệ")].value for r in results.iter_rows(min_row=2)}
    assert shares["Sở Kế hoạch và Đầu tư"] == float(Decimal(84) / Decimal(85))  # 98.82…%


def test_results_sheet_has_vietnamese_headings_and_the_workbook_font(bd_report: Writer) -> None:
    sheet = load_workbook(bd_report("xlsx"))["Kết quả"]
    header = [c.value for c in sheet[1]]
    assert header[:9] == [
        "Tên cơ quan, đơn vị",
        "Khối",
        "Năm",
        "Xếp hạng",
        "Tổng điểm",
        "Điểm tối đa",
        "Tỷ lệ",
        "Mức xếp loại",
        "Lý do không xếp hạng",
    ]
    assert header[-3:] == [
        "Xếp hạng 2020",
        "Thay đổi xếp hạng so với 2020",
        "Thay đổi điểm so với 2020",
    ]
    fonts = {c.font.name for row in sheet.iter_rows() for c in row}
    assert fonts == {"Times New Roman"}
    assert all(c.font.bold for c in sheet[1])


def _next_year(tmp_path: Path) -> Path:
    """Bình Định's framework for 2022: the 2021 results are its previous results."""
    shipped = Path(__file__).resolve().parents[2] / "src/chiso/frameworks/binh-dinh-2021.yaml"
    framework = tmp_path / "binh-dinh-2022.yaml"
    framework.write_text(
        shipped.read_text(encoding="utf-8").replace("year: 2021", "year: 2022"), encoding="utf-8"
    )
    return framework


def test_results_sheet_reads_back_as_next_years_previous(
    bd_report: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Next year's ``--previous`` is this year's workbook: its sheet "Kết quả" is read, the
    Vietnamese headings as the English names of the CSV results, to the same result."""
    results = tmp_path / "ket-qua-2021.csv"
    argv = ["score", "-f", "binh-dinh-2021", "-d", str(BD / "units.csv")]
    assert main([*argv, "-p", str(BD / "previous.csv"), "--format", "csv", "-o", str(results)]) == 0
    framework = _next_year(tmp_path)
    for previous in (results, bd_report("xlsx")):
        argv = ["score", "-f", str(framework), "-d", str(BD / "units.csv"), "-p", str(previous)]
        assert main([*argv, "--format", "json"]) == 0
    from_csv, from_workbook = capsys.readouterr().out.splitlines()
    assert from_workbook == from_csv
    printed = json.loads(from_workbook)
    earlier = printed["blocks"][0]["stats"]["previous"]
    assert [(p["year"], p["count"]) for p in earlier] == [(2021, 21)]
    assert {t["label"]: t["count"] for t in earlier[0]["tiers"]}["Tốt"] == 21


def _edited(bd_report: Writer, tmp_path: Path, heading: str, row: int, value: str) -> Path:
    """The report's workbook with the cell of sheet "Kết quả" at ``row`` under ``heading`` set
    to ``value``, saved as the results of 2021."""
    workbook = load_workbook(bd_report("xlsx"))
    sheet = workbook["Kết quả"]
    column = [c.value for c in sheet[1]].index(heading) + 1
    sheet.cell(row, column).value = value
    edited = tmp_path / "ket-qua-2021.xlsx"
    workbook.save(edited)
    return edited


def _next_year_with(previous: Path, tmp_path: Path) -> int:
    """The exit status of ``chiso score`` of the next year with ``previous`` as earlier results."""
    argv = ["score", "-f", str(_next_year(tmp_path)), "-d", str(BD / "units.csv")]
    return main([*argv, "-p", str(previous)])


def test_a_bad_cell_of_the_results_sheet_is_named_by_its_heading(
    bd_report: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edited = _edited(bd_report, tmp_path, "Tổng điểm", 3, "tám mươi")
    assert _next_year_with(edited, tmp_path) != 0
    error = capsys.readouterr().err
    assert f"{edited}, row 3, column 'Tổng điểm': 'tám mươi' is not a number" in error


def test_streamed_workbook_holds_what_the_workbook_held(bd_report: Writer) -> None:
    """Every cell's value, number format, font, alignment, border and quote prefix, every
    sheet's merged cells, frozen panes, filter, print settings and column widths, as the
    workbook held them before it was streamed by XlsxWriter (workbook_content.KEPT). The title
    row's height of 36 points is new: the earlier writer set it too late to be written."""
    from .workbook_content import content, kept

    before, now = kept(), content(bd_report("xlsx"))
    assert now["sheets"] == before["sheets"]
    for name in before["sheets"]:
        expected = before["content"][name]
        if name.startswith("Bảng"):
            expected["heights"] = {"1": 36, **expected["heights"]}
        found = json.loads(json.dumps(now["content"][name]))  # tuples as lists, as kept
        for key, value in expected.items():
            assert found[key] == value, (name, key)


NOT_RANKED_IN_WORDS = {
    "Sở Y tế": "Không xếp hạng do không cung cấp số liệu",
    "Sở Ngoại vụ": "Không xếp hạng (đơn vị tham gia tự nguyện)",
}


def _not_ranked_data(tmp_path: Path) -> Path:
    """units.csv with Sở Y tế giving no data and Sở Ngoại vụ taking part voluntarily."""
    rows = read_csv(BD / "units.csv")
    for row in rows:
        row["status"] = {"Sở Y tế": "no_data", "Sở Ngoại vụ": "voluntary"}.get(row["unit"], "")
        if row["status"] == "no_data":
            row.update({key: "" for key in ("not_applicable", "I", "II", "III", "IV", "V", "VI")})
    path = tmp_path / "units-2021.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _reasons(path: Path, unit: str, reason: str) -> dict[str, str]:
    """The reason of each unit not ranked in the sheet "Kết quả" headed ``unit``, ``reason``."""
    heading, *rows = load_workbook(path)["Kết quả"].iter_rows(values_only=True)
    at, why = heading.index(unit), heading.index(reason)
    return {row[at]: row[why] for row in rows if row[why] is not None}


def _earlier(path: Path, framework: Path) -> list[tuple[object, ...]]:
    """The file read as next year's previous results; percentages to 12 decimals (a
    workbook's are binary floats)."""
    found = read_previous([path], framework=load_framework(framework))
    return [
        (
            p.unit,
            p.block,
            p.year,
            p.rank,
            p.score,
            p.tier,
            None if p.percent is None else round(p.percent, 12),
        )
        for p in found
    ]


def test_results_sheet_says_why_a_unit_is_not_ranked_and_reads_back(tmp_path: Path) -> None:
    """The sheet "Kết quả" says the reason in the words of the tables (the CSV keeps its code);
    read back as next year's previous results, the workbooks give what the CSV gives."""
    argv = ["-f", "binh-dinh-2021", "-d", str(_not_ranked_data(tmp_path))]
    report, scored, results = (
        tmp_path / "ket-qua-2021.xlsx",
        tmp_path / "diem-2021.xlsx",
        tmp_path / "ket-qua-2021.csv",
    )
    assert main(["report", *argv, "-o", str(report)]) == 0
    assert main(["score", *argv, "--format", "xlsx", "-o", str(scored)]) == 0
    assert main(["score", *argv, "--format", "csv", "-o", str(results)]) == 0
    assert _reasons(report, "Tên cơ quan, đơn vị", "Lý do không xếp hạng") == NOT_RANKED_IN_WORDS
    assert _reasons(scored, "unit", "not_ranked_reason") == NOT_RANKED_IN_WORDS
    codes = {r["unit"]: r["not_ranked_reason"] for r in read_csv(results) if r["not_ranked_reason"]}
    assert codes == {"Sở Y tế": "no_data", "Sở Ngoại vụ": "voluntary"}
    framework = _next_year(tmp_path)
    expected = _earlier(results, framework)
    assert len(expected) == 32
    assert ("Sở Y tế", "so", 2021, None, None, None, None) in expected
    assert _earlier(report, framework) == _earlier(scored, framework) == expected


def test_a_results_sheet_written_with_the_reasons_codes_still_reads(tmp_path: Path) -> None:
    """A workbook written before the sheet said the reasons in words gave their codes
    (no_data, voluntary): it is read as it was."""
    argv = ["-f", "binh-dinh-2021", "-d", str(_not_ranked_data(tmp_path))]
    report = tmp_path / "ket-qua-2021.xlsx"
    assert main(["report", *argv, "-o", str(report)]) == 0
    framework = _next_year(tmp_path)
    expected = _earlier(report, framework)
    workbook = load_workbook(report)
    sheet = workbook["Kết quả"]
    why = [c.value for c in sheet[1]].index("Lý do không xếp hạng") + 1
    codes = {
        words: code
        for code, words in [
            ("no_data", NOT_RANKED_IN_WORDS["Sở Y tế"]),
            ("VOLUNTARY", NOT_RANKED_IN_WORDS["Sở Ngoại vụ"]),
        ]
    }
    for row in range(2, sheet.max_row + 1):
        if sheet.cell(row, why).value:
            sheet.cell(row, why).value = codes[sheet.cell(row, why).value]
    old = tmp_path / "ket-qua-2021-old.xlsx"
    workbook.save(old)
    assert sorted(_reasons(old, "Tên cơ quan, đơn vị", "Lý do không xếp hạng").values()) == [
        "VOLUNTARY",
        "no_data",
    ]
    assert _earlier(old, framework) == expected


def test_an_unknown_reason_for_not_ranking_is_named_by_its_heading(
    bd_report: Writer, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    edited = _edited(bd_report, tmp_path, "Lý do không xếp hạng", 4, "không rõ")
    assert _next_year_with(edited, tmp_path) == 2
    error = capsys.readouterr().err
    assert (
        f"{edited}, row 4, column 'Lý do không xếp hạng': unknown reason for not ranking"
        " 'không rõ' (Không xếp hạng do không cung cấp số liệu (no_data); Không xếp hạng (đơn"
        " vị tham gia tự nguyện) (voluntary); Không xếp hạng (dưới mức thấp nhất)"
        " (below_lowest_level), or empty)"
    ) in error


def _members(path: Path) -> dict[str, bytes]:
    """A workbook's files, but for its creation time (docProps/core.xml)."""
    import zipfile

    with zipfile.ZipFile(path) as workbook:
        return {
            name: workbook.read(name) for name in workbook.namelist() if name != "docProps/core.xml"
        }


def test_rows_are_written_as_xlsxwriter_writes_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The workbook's own row writer (xlsx._RowWriter) writes every file of the workbook as
    XlsxWriter's worksheet does, byte for byte: a report with parts, formulas, marks and
    tiers, and a sheet of the texts XlsxWriter escapes (control characters, spaces at the
    ends, "<r>…</r>", "&<>"), blank cells in a style, numbers with and without a format."""
    from xlsxwriter import Workbook
    from xlsxwriter.worksheet import Worksheet

    from chiso.reports import xlsx

    from .conftest import write_parts_data

    def written(name: str) -> dict[str, bytes]:
        out = tmp_path / f"{name}.xlsx"
        data = write_parts_data(tmp_path / "units-parts.csv")
        argv = ["report", "-f", "binh-dinh-2021", "-d", str(data), "-o", str(out)]
        assert main([*argv, "-p", str(BD / "previous.csv")]) == 0
        odd = tmp_path / f"{name}-odd.xlsx"
        workbook = Workbook(str(odd), {"constant_memory": True, "strings_to_numbers": False})
        sheet = xlsx._Sheet(workbook, "Odd", xlsx._Styles(workbook))
        sheet.sheet.set_row(0, 36)
        sheet.sheet.set_column(3, 3, 12, workbook.add_format({"bold": True}))
        for row in (
            [" lề trái", "lề phải ", "a\x01b", "_x0041_", "<r>x</r>", "&<>\"'", "=1+1"],
            [1, 2.5, 1e-20, 123456789012345678, None, "", -0.0],
            ["plain", None, 3, "bold column", 4.25],
        ):
            sheet.append(row)
            sheet.append(row, ["text"] * len(row), ["0.00"] * len(row))
        sheet.append([xlsx._Formula("=SUM(A1:B1)", 3)], ["number"])
        workbook.close()
        return {**_members(out), **{f"odd/{k}": v for k, v in _members(odd).items()}}

    ours = written("ours")
    monkeypatch.setattr(xlsx, "_RowWriter", Worksheet)
    theirs = written("theirs")
    assert ours.keys() == theirs.keys()
    assert [n for n in ours if n.startswith("xl/worksheets/sheet")]
    for name in ours:
        assert ours[name] == theirs[name], name
