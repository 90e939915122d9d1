"""The narrative sentences' numbers, from the published inputs of Sơn La 2020, Cao Bằng 2020
and Bình Định 2021, right where the published prose was wrong (PUBLISHED-ERRATA.md ids)."""

from __future__ import annotations

from functools import cache
from pathlib import Path

import pytest

from chiso.core import load_framework, parse_framework
from chiso.io.data import score_files
from chiso.reports.data import Report, build_report

from .conftest import DATA

FRAMEWORKS = Path(__file__).resolve().parents[2] / "src" / "chiso" / "frameworks"


@cache
def report(province: str) -> Report:
    framework = load_framework(province)
    folder = DATA / province
    result = score_files(framework, folder / "units.csv", [folder / "previous.csv"])
    return build_report(framework, result)


def sentences(province: str, block: int) -> str:
    return "\n".join(report(province).blocks[block].narrative)


def test_son_la_district_mean_is_rounded_not_truncated() -> None:
    # SL-1, SL-2: published "82/100", "+8"; the 12 scores' mean is 82.97, +8.79 on 74.18
    text = sentences("son-la-2020", 1)
    assert "đạt 83,0/100,0 điểm" in text
    assert "tăng 8,8 điểm so với năm 2019 (74,2 điểm)" in text


def test_son_la_provincial_mean() -> None:
    # printed 86 and +4 (86.28, +4.38): right
    assert "đạt 86,3/100,0 điểm" in sentences("son-la-2020", 0)
    assert "tăng 4,4 điểm so với năm 2019 (81,9 điểm)" in sentences("son-la-2020", 0)


def test_son_la_mean_of_all_units() -> None:
    # SL-3: published "84/100, +6"; the 32 units' mean is 85.04 (2019: 79.00)
    assert report("son-la-2020").summary[0] == (
        "Điểm trung bình của tất cả 32 đơn vị được đánh giá năm 2020 là 85,0 điểm,"
        " tăng 6,0 điểm so với năm 2019 (79,0 điểm)."
    )


def test_son_la_tier_shares_and_change() -> None:
    # the published tier-share table: 11/20 Tốt (55 %) in 2020, 7/20 (35 %) in 2019
    text = sentences("son-la-2020", 0)
    assert "11/20 đơn vị đạt mức “Tốt” (55%)" in text
    assert "mức “Tốt” tăng 20 điểm phần trăm (năm 2019: 7/20, 35%)" in text


def test_son_la_moves_up_and_down() -> None:
    # Bảng 2 "So sánh": Thành phố Sơn La +6
    text = sentences("son-la-2020", 1)
    assert "UBND thành phố Sơn La tăng 6 bậc" in text
    assert "4 đơn vị tăng hạng, 7 đơn vị giảm hạng, 1 đơn vị giữ nguyên thứ hạng" in text


@pytest.mark.parametrize(
    "expected",
    [
        # CB-18: published "Quảng Hòa 10.61 (44 %); range 5.73"
        "Nhóm “Cơ sở hạ tầng thông tin” (tối đa 24,00 điểm): điểm trung bình 13,51;"
        " cao nhất 16,34 điểm (Thành phố Cao Bằng), thấp nhất 10,41 điểm (Huyện Bảo Lâm);"
        " chênh lệch 5,93 điểm.",
        # CB-19: published "Quảng Hòa 18.79 (62 %); range 5.33"
        "thấp nhất 17,69 điểm (Huyện Trùng Khánh); chênh lệch 6,43 điểm.",
        # CB-20: published range 13.86
        "thấp nhất 16,32 điểm (Huyện Quảng Hòa); chênh lệch 13,84 điểm.",
        # CB-21: the published list named Hòa An twice and left out Hạ Lang
        "Nhóm “Mức độ chuyển đổi” (tối đa 3,00 điểm): tất cả 9 đơn vị đạt 1,00 điểm.",
        # right in the published text: 78.17 highest, 33.79 → range of the scored totals
        "Cao nhất: Thành phố Cao Bằng (78,17 điểm, 65,1%)",
    ],
)
def test_cao_bang_district_sentences(expected: str) -> None:
    assert expected in sentences("cao-bang-2020", 1)


def test_cao_bang_departments_extremes_and_tiers() -> None:
    text = sentences("cao-bang-2020", 0)
    # the published text: GD&ĐT 56.3, range 23.4; tier counts 1/4/6/6/3
    assert "Cao nhất: Sở Giáo dục và Đào tạo (56,3 điểm, 93,8%)" in text
    assert "chênh lệch giữa đơn vị cao nhất và thấp nhất là 23,4 điểm" in text
    assert "1/20 đơn vị đạt “Mức I” (5%), 4/20 đơn vị đạt “Mức II” (20%)" in text
    assert "3/20 đơn vị đạt mức “KXH” (15%)" in text
    # LĐTBXH from 19th to 6th
    assert "Sở Lao động, TB&XH tăng 13 bậc" in text


def test_binh_dinh_shares_and_moves() -> None:
    # the published conclusion: "Tốt" 100 % of departments, 82 % of districts
    assert "21/21 đơn vị đạt mức “Tốt” (100%)" in sentences("binh-dinh-2021", 0)
    assert "9/11 đơn vị đạt mức “Tốt” (82%)" in sentences("binh-dinh-2021", 1)
    # BD-1: Sở Tư pháp ranks 4th (not 9th): from 15th in 2020 that is up 11 places
    assert "Sở Tư pháp tăng 11 bậc" in sentences("binh-dinh-2021", 0)
    # highest and lowest by percentage, as Bình Định ranks
    assert "thấp nhất: Sở Văn hóa và Thể thao (75 điểm, 88%)" in sentences("binh-dinh-2021", 0)
    assert "chênh lệch giữa đơn vị cao nhất và thấp nhất là 12 điểm phần trăm" in sentences(
        "binh-dinh-2021", 0
    )


def test_method_section_from_the_framework() -> None:
    bd = report("binh-dinh-2021")
    assert bd.totals == (85, 100)
    assert [(g.code, g.maxima) for g in bd.groups][:4] == [
        ("I", (13, 14)),
        ("II", (32, 43)),
        ("II.a", (17, 28)),
        ("II.b", (15, 15)),
    ]
    assert bd.tiers[0] == "Mức “Tốt”: tỷ lệ điểm đạt được so với điểm tối đa từ 80% trở lên."
    assert bd.tiers[2] == "Mức “Trung bình”: tỷ lệ điểm đạt được so với điểm tối đa dưới 60%."
    # each with the criteria it declared (tests/data/binh-dinh-2021/units.csv)
    assert (
        "Sở Tài chính: tổng điểm tối đa 79 điểm (không áp dụng: II.b.2 “Giải quyết thủ tục"
        " hành chính (TTHC) qua dịch vụ bưu chính công ích (BCCI)”)." in bd.exemptions
    )
    assert (
        "Ban Dân tộc: tổng điểm tối đa 70 điểm"
        " (không áp dụng: II.b “Cung cấp dịch vụ công trực tuyến”)." in bd.exemptions
    )
    cao_bang = report("cao-bang-2020")
    assert cao_bang.tiers[-1] == "Khối UBND các huyện, thành phố: Dưới mức thấp nhất: “KXH”."


def test_large_block_prints_its_overall_table_only() -> None:
    framework = load_framework("binh-dinh-2021")
    folder = DATA / "binh-dinh-2021"
    result = score_files(framework, folder / "units.csv", [folder / "previous.csv"])
    departments, districts = build_report(framework, result, print_limit=15).blocks
    [table] = departments.printed_tables
    assert [c.title for c in table.columns] == [
        "TT",
        "Tên cơ quan, đơn vị",
        "Tổng điểm",
        "Tỷ lệ (%)",
        "Xếp hạng 2020",
        "Xếp hạng 2021",
        "So sánh với 2020",
    ]
    assert table.rows[1] == (1, "Sở Tài chính*", 79, 100, 1, 1, 0)
    assert len(departments.tables) == 7  # the workbook keeps the group tables
    assert departments.workbook_note == (
        "Điểm từng nhóm tiêu chí và bảng xếp hạng theo từng nhóm của khối Sở, ban, ngành"
        " (21 đơn vị, 6 bảng) có trong tệp Excel kèm theo."
    )
    assert districts.printed_tables == districts.tables and districts.workbook_note == ""


def test_parts_are_printed_when_the_framework_says_so() -> None:
    # Cao Bằng's districts: the parts of ĐKSS and KQ are ranked in the report (part_tables: all)
    districts = report("cao-bang-2020").blocks[1]
    assert [t.key for t in districts.tables] == [
        "2",
        "2.1",
        "2.1a",
        "2.1b",
        "2.1c",
        "2.2",
        "2.2a",
        "2.2b",
        "2.2c",
        "2.2d",
    ]
    assert districts.printed_tables == districts.tables


def test_a_block_named_khoi_is_never_called_khoi_khoi() -> None:
    """A block whose name already says "Khối" is named once: "khối Khối các cơ quan…" was
    printed in the headings, the method and the narrative."""
    text = (FRAMEWORKS / "son-la-2020.yaml").read_text(encoding="utf-8")
    old = "name: CQNN cấp tỉnh (Văn phòng UBND tỉnh, các cơ quan chuyên môn thuộc UBND tỉnh)"
    assert old in text
    framework = parse_framework(text.replace(old, "name: Khối các cơ quan cấp tỉnh"))
    folder = DATA / "son-la-2020"
    result = score_files(framework, folder / "units.csv", [folder / "previous.csv"])
    report = build_report(framework, result)
    block = report.blocks[0]
    texts = [block.heading, *block.narrative, *report.tiers, *report.summary]
    assert block.heading == "Kết quả đánh giá, xếp hạng khối các cơ quan cấp tỉnh"
    assert any("khối các cơ quan cấp tỉnh có" in text for text in texts)
    assert not any("khối khối" in text.casefold() for text in texts)
