"""`chiso audit` on every published table of the seed reports finds exactly the errata.

The expected findings are the entries of PUBLISHED-ERRATA.md (ids BD-n, CB-n), written out
here by hand as (table file, unit, column). Errata that concern the reports' prose, not their
tables (CB-9–11, CB-18–21, SL-1–5), cannot be found in tables and are not listed.
"""

import csv
from decimal import Decimal
from pathlib import Path

import pytest

from chiso.cli import main
from chiso.core import load_framework
from chiso.io.audit import audit_files

DATA = Path(__file__).parent.parent / "data"


def table_specs(province):
    with open(DATA / province / "tables.csv", encoding="utf-8") as handle:
        return [
            f"{row['group']}={DATA / province / row['file']}"
            if row["group"]
            else str(DATA / province / row["file"])
            for row in csv.DictReader(handle)
        ]


def found(province):
    findings = audit_files(load_framework(province), table_specs(province))
    return {(f.table, f.unit, f.column): f for f in findings}


BINH_DINH = {
    "BD-1": [("bang-1.csv", "Sở Tư pháp", "rank")],
    "BD-2": [("bang-1.csv", "Sở Tài Nguyên và Môi trường", "rank")],
    "BD-3": [("bang-1.csv + bang-1-2a.csv + bang-1-2b.csv", "Ban Quản lý Khu kinh tế", "II")],
    "BD-4": [("bang-1.csv + bang-1-2a.csv + bang-1-2b.csv", "Sở Công Thương", "II")],
    "BD-5": [("bang-1.csv ↔ bang-1-5.csv", "Sở Công Thương", "V")],
    "BD-6": [("bang-1.csv ↔ bang-1-6.csv", "Sở Công Thương", "VI")],
    "BD-7": [("bang-1.csv + bang-1-2a.csv", "Ban Dân tộc", "II")],
    "BD-8": [("bang-2.csv ↔ bang-2-1.csv", "UBND huyện Tây Sơn", "I")],
    "BD-9": [("bang-2.csv", "(column)", "rank_2020")],
    "BD-10": [("bang-1.csv", "(column)", "rank_2020")],
    "BD-11": [
        ("bang-2-1.csv", unit, "percent")
        for unit in [
            "UBND thành phố Quy Nhơn",
            "UBND thị xã Hoài Nhơn",
            "UBND huyện Vân Canh",
            "UBND huyện Tuy Phước",
            "UBND huyện Phù Cát",
            "UBND thị xã An Nhơn",
            "UBND huyện An Lão",
            "UBND huyện Phù Mỹ",
            "UBND huyện Vĩnh Thạnh",
            "UBND huyện Tây Sơn",
            "UBND huyện Hoài Ân",
        ]
    ],
    "BD-12": [
        ("bang-2-1.csv", "UBND huyện Tây Sơn", "tier"),
        ("bang-2-1.csv", "UBND huyện Hoài Ân", "tier"),
    ],
    "BD-13": [("bang-1-5.csv", "Sở Văn hóa và Thể thao", "tier")],
    "BD-14": [
        ("bang-1-6.csv", "Ban Dân tộc", "tier"),
        ("bang-1-6.csv", "Sở Văn hóa và Thể thao", "tier"),
    ],
    "BD-15": [
        ("bang-2-2b.csv", unit, "tier")
        for unit in [
            "UBND thành phố Quy Nhơn",
            "UBND huyện Tây Sơn",
            "UBND huyện An Lão",
            "UBND huyện Vĩnh Thạnh",
            "UBND huyện Vân Canh",
            "UBND huyện Phù Cát",
        ]
    ],
    "BD-16": [
        ("bang-2-4.csv", "UBND thị xã Hoài Nhơn", "tier"),
        ("bang-2-4.csv", "UBND huyện Phù Mỹ", "tier"),
    ],
    "BD-17": [
        ("bang-2-5.csv", unit, "tier")
        for unit in ["UBND huyện Vân Canh", "UBND huyện Tây Sơn", "UBND huyện Phù Mỹ"]
    ],
    "BD-18": [("bang-2-5.csv", "UBND huyện Tuy Phước", "tier")],
    "BD-19": [("bang-2-5.csv", "UBND huyện Hoài Ân", "tier")],
    "BD-20": [("bang-2-6.csv", "UBND thị xã Hoài Nhơn", "order")],
}

# Cao Bằng: CB-7 is right under the ordinal ranking its tables use (the erratum itself says
# "15 (competition) / 16 (ordinal)"); CB-8 is unverifiable; CB-16 and CB-17 are labels and
# names, not numbers. The 0.01 differences listed under "rounding-level differences" are
# reported with kind "rounding".
CAO_BANG = {
    "CB-1": [("bang-1.csv", "Văn phòng UBND tỉnh", "score")],
    "CB-2": [("bang-1.csv", "Sở Tư pháp", "score")],
    "CB-3": [("bang-1.csv", "Sở Văn hóa, TT&DL", "score")],
    "CB-4": [
        ("bang-1.csv", "Sở Kế hoạch và Đầu tư", "rank"),
        ("bang-1.csv", "Sở Kế hoạch và Đầu tư", "order"),
    ],
    "CB-5": [("bang-1.csv", "Ban Dân tộc", "rank")],
    "CB-6": [("bang-1.csv", "Sở Giao thông vận tải", "rank")],
    "CB-12": [
        ("bang-13.csv", "Thành phố Cao Bằng", "II"),
        ("bang-8.csv ↔ bang-13.csv ↔ bang-15.csv", "Thành phố Cao Bằng", "II.2"),
    ],
    "CB-13": [
        ("bang-13.csv", "Huyện Hòa An", "II"),
        ("bang-8.csv ↔ bang-13.csv ↔ bang-15.csv", "Huyện Hòa An", "II.2"),
    ],
    "CB-14": [("bang-9.csv", "Huyện Hạ Lang", "order")],
    "CB-15": [("bang-16.csv", "(column)", "II.3_2019")],
    "rounding": [
        ("bang-8.csv", "Thành phố Cao Bằng", "II"),
        ("bang-8.csv", "Thành phố Cao Bằng", "score"),
        ("bang-8.csv", "Huyện Hòa An", "I"),
        ("bang-9.csv", "Huyện Hòa An", "I"),
        ("bang-8.csv", "Huyện Bảo Lạc", "I"),
        ("bang-9.csv", "Huyện Bảo Lạc", "I"),
        ("bang-8.csv", "Huyện Bảo Lâm", "score"),
        ("bang-8.csv", "Huyện Quảng Hòa", "II"),
        ("bang-13.csv", "Huyện Quảng Hòa", "II"),
        ("bang-9.csv", "Huyện Hòa An", "I_2019"),
        ("bang-13.csv", "Thành phố Cao Bằng", "II_2019"),
        ("bang-13.csv", "Huyện Hà Quảng", "II_2019"),
        ("bang-13.csv", "Huyện Trùng Khánh", "II_2019"),
        ("bang-13.csv", "Huyện Nguyên Bình", "II_2019"),
        ("bang-13.csv", "Huyện Hạ Lang", "II_2019"),
    ],
}


@pytest.mark.parametrize(
    ("province", "errata"),
    [("binh-dinh-2021", BINH_DINH), ("cao-bang-2020", CAO_BANG), ("son-la-2020", {})],
)
def test_audit_lists_exactly_the_errata(province, errata):
    expected = {cell for cells in errata.values() for cell in cells}
    assert set(found(province)) == expected


def test_errors_and_rounding_differences_are_told_apart():
    findings = found("cao-bang-2020")
    assert {key for key, f in findings.items() if f.kind == "rounding"} == set(
        CAO_BANG["rounding"]
        + CAO_BANG["CB-2"]  # 45.1 vs 45.2 and 44.0 vs 44.1: "possibly rounding" in the errata
        + CAO_BANG["CB-3"]
    )
    assert findings[("bang-1.csv", "Văn phòng UBND tỉnh", "score")].kind == "error"


def test_findings_carry_the_published_and_the_implied_value():
    bd = found("binh-dinh-2021")
    rank = bd[("bang-1.csv", "Sở Tư pháp", "rank")]
    assert (rank.published, rank.expected, rank.line) == (9, 4, 9)
    group = bd[("bang-1.csv + bang-1-2a.csv + bang-1-2b.csv", "Ban Quản lý Khu kinh tế", "II")]
    assert (group.published, group.expected) == (Decimal(32), Decimal(31))
    cb = found("cao-bang-2020")
    total = cb[("bang-1.csv", "Văn phòng UBND tỉnh", "score")]
    assert (total.published, total.expected) == (Decimal("44.2"), Decimal("45.2"))
    assert (total.published_text, total.expected_text) == ("44,2", "45,2")
    assert cb[("bang-1.csv", "Sở Kế hoạch và Đầu tư", "rank")].expected == "15–16"


def test_audit_command_exit_codes(capsys):
    tables = [arg for spec in table_specs("son-la-2020") for arg in ("-t", spec)]
    assert main(["audit", "-f", "son-la-2020", *tables]) == 0
    assert "No inconsistencies" in capsys.readouterr().out
    bang_1 = str(DATA / "binh-dinh-2021" / "bang-1.csv")
    assert main(["audit", "-f", "binh-dinh-2021", "-t", bang_1, "--format", "csv"]) == 1
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "table,row,unit,column,published,expected,kind,note"
    assert len(lines) == 1 + 3  # BD-1, BD-2, BD-10
