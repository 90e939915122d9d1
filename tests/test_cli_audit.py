"""`chiso audit` on small published tables: units that are not ranked, earlier ranks left
blank, the form of the tier, the summary line and the fields of the csv and json output.

The framework and every table are literals of this module, written into ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest

from chiso.cli import main

# One block, four groups, 29 points; a unit below 50 % is "Yếu" and not ranked.
FRAMEWORK = """\
id: audit-test-2025
name: Khung thử
assessor: Sở Khoa học và Công nghệ tỉnh Thử
year: 2025
blocks:
  - {code: so, name: "Sở, ban, ngành"}
  - code: huyen
    name: UBND huyện
    ranking: {by: points, ties: competition, precision: 1}
not_applicable_policy: exclude
classification:
  basis: percent
  precision: 1
  tiers:
    - {label: Tốt, min: 80, heading: Mức tốt}
    - {label: Khá, min: 65, heading: Mức khá}
    - {label: Trung bình, min: 50, heading: Mức trung bình}
  below_lowest: {label: Yếu, ranked: false}
ranking: {by: percent, ties: competition, precision: 1}
display: {scale: percent, percent_decimals: 1, score_decimals: 2}
criteria:
  - code: I
    name: Hạ tầng số
    children:
      - {code: I.1, name: Mạng, max: 2}
      - {code: I.2, name: Máy tính, max: 4}
  - code: II
    name: Dịch vụ công trực tuyến
    not_applicable: true
    children:
      - {code: II.1, name: Toàn trình, max: 6}
      - {code: II.2, name: Bưu chính, max: 4}
  - code: III
    name: Chính sách
    children:
      - {code: III.1, name: Kế hoạch, max: 2}
      - {code: III.2, name: An toàn, max: 4}
  - code: IV
    name: Sử dụng
    children:
      - {code: IV.1, name: Truy cập, max: 4}
      - {code: IV.2, name: Báo cáo, max: 3}
"""

HEADER = (
    "unit,block,status,not_applicable,I,II,III,IV,score,percent,tier,rank,rank_2024,change_2024"
)
RANKED = [
    "Sở Tài chính,so,,,6,10,6,6.2,28.2,97.2,Tốt,1,2,+1",
    "Sở Nội vụ,so,,II,6,,4,3.11,13.11,69.0,Khá,2,1,-1",
    "Sở Giáo dục và Đào tạo,so,,,4,9.4,3,3.6,20,69.0,Khá,2,4,+2",
    "Sở Y tế,so,,,4,5,4,3.7,16.7,57.6,Trung bình,4,3,-1",
]
VOLUNTARY = "Văn phòng Tỉnh ủy,so,voluntary,,5,10,6,7,28,96.6,Tốt,,,"
BELOW_LOWEST = "Sở Xây dựng,so,,,0,1.73,0,1.16,2.89,10.0,Yếu,,5,"


def audit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, *tables: tuple[str, list[str]], **kw: str
) -> tuple[int, str, str]:
    """Audit the tables given as (spec, lines): spec is the file's name or GROUP=name."""
    framework = tmp_path / "khung.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    argv = ["audit", "-f", str(framework)]
    for spec, lines in tables:
        group, _, name = spec.rpartition("=")
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv += ["-t", f"{group}={path}" if group else str(path)]
    if "form" in kw:
        argv += ["--format", kw["form"]]
    if "year" in kw:
        argv += ["--year", kw["year"]]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def findings(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    rows: list[str],
    header: str = HEADER,
    **kw: str,
):
    code, out, err = audit(capsys, tmp_path, ("bang-1.csv", [header, *rows]), form="json", **kw)
    assert err == ""
    found = json.loads(out, parse_float=Decimal)["findings"]
    assert code == (1 if found else 0)
    return found


# --- units that are not ranked --------------------------------------------------------------


@pytest.mark.parametrize(
    "rows",
    [
        pytest.param([*RANKED, VOLUNTARY, BELOW_LOWEST], id="after-the-ranked-units"),
        pytest.param([*RANKED, BELOW_LOWEST, VOLUNTARY], id="below-lowest-first"),
        pytest.param([RANKED[0], VOLUNTARY, *RANKED[1:], BELOW_LOWEST], id="at-its-place"),
    ],
)
def test_units_not_ranked_after_the_ranked_ones_are_in_order(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: list[str]
) -> None:
    code, out, err = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *rows]))
    assert (code, err) == (0, "")
    assert out.endswith("\n\nNo inconsistencies found.\n")


def test_a_unit_not_ranked_among_the_ranked_ones_out_of_its_place(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the voluntary unit (96.6 %) printed after Sở Nội vụ (69.0 %), above Sở Giáo dục (69.0 %);
    # the unit below the lowest tier (10 %) printed first
    rows = [BELOW_LOWEST, *RANKED[:2], VOLUNTARY, *RANKED[2:]]
    found = findings(capsys, tmp_path, rows)
    assert [(f["row"], f["unit"], f["column"], f["published"], f["expected"]) for f in found] == [
        (2, "Sở Xây dựng", "order", "before place 1", "after place 4"),
        (5, "Văn phòng Tỉnh ủy", "order", "before place 3", "after place 4"),
    ]
    assert (
        found[0]["note"]
        == "not ranked (below the lowest tier), listed among the ranked units (10,0)"
    )
    assert found[1]["note"].startswith("not ranked (voluntary)")


def test_a_ranked_unit_out_of_order_among_units_not_ranked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Sở Y tế (57.6 %) printed above Sở Nội vụ and Sở Giáo dục (69.0 %): its place is 4, not 2
    rows = [RANKED[0], VOLUNTARY, RANKED[3], *RANKED[1:3], BELOW_LOWEST]
    found = findings(capsys, tmp_path, rows)
    assert [(f["unit"], f["column"], f["published"], f["expected"]) for f in found] == [
        ("Sở Y tế", "order", "place 2", "place 4"),
    ]


@pytest.mark.parametrize(
    ("row", "reason"),
    [
        pytest.param(VOLUNTARY.replace("Tốt,,,", "Tốt,2,,"), "voluntary", id="voluntary"),
        pytest.param(
            BELOW_LOWEST.replace("Yếu,,5,", "Yếu,5,5,"), "below the lowest tier", id="below"
        ),
    ],
)
def test_a_rank_printed_for_a_unit_that_is_not_ranked(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, row: str, reason: str
) -> None:
    found = findings(capsys, tmp_path, [*RANKED, row])
    assert [(f["unit"], f["column"], f["published"], f["note"]) for f in found] == [
        (
            row.split(",")[0],
            "rank",
            int(row.split(",")[11]),
            f"a rank printed for a unit that is not ranked ({reason})",
        ),
    ]


# --- earlier ranks --------------------------------------------------------------------------


def test_a_blank_earlier_rank_of_a_unit_without_a_rank_that_year_is_no_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 2024: ranks 1–5 of five units; the voluntary unit had none
    assert findings(capsys, tmp_path, [*RANKED, VOLUNTARY, BELOW_LOWEST]) == []


@pytest.mark.parametrize(
    ("rows", "published", "expected"),
    [
        # Sở Y tế's 2024 rank (3) left out: ranks 1, 2, 4, 5 leave place 3 open
        pytest.param(
            [*RANKED[:3], RANKED[3].replace(",4,3,-1", ",4,,"), BELOW_LOWEST],
            "1 blank cell",
            "a rank on every row",
            id="one-blank",
        ),
        # the same, with the voluntary unit's blank: one of the two blanks needs a rank
        pytest.param(
            [*RANKED[:3], RANKED[3].replace(",4,3,-1", ",4,,"), VOLUNTARY, BELOW_LOWEST],
            "2 blank cells",
            "a rank on 1 of them",
            id="two-blanks-one-place",
        ),
    ],
)
def test_blank_earlier_ranks_where_the_printed_ranks_leave_a_place_open(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    rows: list[str],
    published: str,
    expected: str,
) -> None:
    found = findings(capsys, tmp_path, rows)
    assert [(f["unit"], f["column"], f["published"], f["expected"], f["note"]) for f in found] == [
        (
            "(column)",
            "rank_2024",
            published,
            expected,
            "the 2024 ranks are incomplete: 1 place missing",
        )
    ]


DISTRICTS = "unit,block,I,II,III,IV,score,tier,rank,score_2024,rank_2024"


@pytest.mark.parametrize(
    ("rank", "expected"),
    [pytest.param("2", [], id="right"), pytest.param("1", [("rank_2024", 1, 2)], id="wrong")],
)
def test_earlier_ranks_are_checked_against_earlier_scores_beside_a_unit_without_them(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rank: str, expected: list[tuple[str, ...]]
) -> None:
    # ranked by points: 2024 scores 25 and 20 give ranks 1 and 2; the third unit is new
    rows = [
        "Huyện A,huyen,6,8,6,5,25,Tốt,1,25,1",
        f"Huyện B,huyen,5,7,5,4,21,Khá,2,20,{rank}",
        "Huyện C,huyen,4,6,4,3,17,Trung bình,3,,",
    ]
    found = findings(capsys, tmp_path, rows, DISTRICTS)
    assert [(f["column"], f["published"], f["expected"]) for f in found] == expected


def test_a_table_of_a_later_year_on_the_same_framework_reads_its_year_columns_as_earlier(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the 2025 framework serves 2026: rank_2025 is the year before, checked against score_2025
    header = "unit,block,I,II,III,IV,score,tier,rank,score_2025,rank_2025"
    rows = [
        "Huyện A,huyen,6,8,6,5,25,Tốt,1,20,1",
        "Huyện B,huyen,5,7,5,4,21,Khá,2,25,2",
    ]
    found = findings(capsys, tmp_path, rows, header, year="2026")
    assert [(f["column"], f["published"], f["expected"]) for f in found] == [
        ("rank_2025", 1, 2),
        ("rank_2025", 2, 1),
    ]
    # read as the framework's year, the same columns would be this year's score and rank
    wrong = findings(capsys, tmp_path, rows, header)
    assert ("score", 20, 25) in [(f["column"], f["published"], f["expected"]) for f in wrong]


# --- tiers ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("good", "printed", "expected"),
    [
        pytest.param(("Tốt", "Khá"), "Tốt", "Khá", id="labels"),
        pytest.param(("Mức tốt", "Mức khá"), "Mức tốt", "Mức khá", id="headings"),
        # a cell that is neither: the form of the table's other cells
        pytest.param(("Mức tốt", "Mức khá"), "Tôt", "Mức khá", id="typo-among-headings"),
        pytest.param(("Tốt", "Khá"), "Tôt", "Khá", id="typo-among-labels"),
    ],
)
def test_the_expected_tier_is_shown_in_the_form_the_table_prints(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    good: tuple[str, str],
    printed: str,
    expected: str,
) -> None:
    # Sở Kế hoạch: 22.5 of 29 = 77.6 %, "Khá" (section "Mức khá"), printed as "Tốt"
    header = "unit,block,score,percent,tier"
    rows = [
        f"Sở Tài chính,so,28.2,97.2,{good[0]}",
        f"Sở Kế hoạch,so,22.5,77.6,{printed}",
        f"Sở Nội vụ,so,20,69.0,{good[1]}",
    ]
    found = findings(capsys, tmp_path, rows, header)
    assert [(f["unit"], f["column"], f["published"], f["expected"]) for f in found] == [
        ("Sở Kế hoạch", "tier", printed, expected)
    ]


# --- the output -----------------------------------------------------------------------------

WRONG = [RANKED[0].replace(",97.2,", ",97.3,"), *RANKED[1:]]  # one wrong percentage


def test_summary_line_singular_and_plural(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]))
    assert code == 1
    assert out.endswith("\n\n1 inconsistency (1 error, 0 within rounding).\n")
    two = [WRONG[0], RANKED[1].replace(",69.0,", ",69.5,"), *RANKED[2:]]
    code, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *two]))
    assert out.endswith("\n\n2 inconsistencies (2 errors, 0 within rounding).\n")


def test_csv_and_json_output_use_the_documented_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fields = ["table", "row", "unit", "column", "published", "expected", "kind", "note"]
    _, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]), form="json")
    # numbers as JSON numbers with their exact value, the printed form beside them
    assert json.loads(out, parse_float=Decimal)["findings"] == [
        {
            "table": "bang-1.csv",
            "row": 2,
            "unit": "Sở Tài chính",
            "column": "percent",
            "published": Decimal("97.3"),
            "expected": Decimal("97.2"),
            "published_text": "97,3",
            "expected_text": "97,2",
            "kind": "error",
            "note": "28,2 of a maximum of 29",
        }
    ]
    _, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]), form="csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == fields
    assert rows[1] == [
        "bang-1.csv", "2", "Sở Tài chính", "percent", "97,3", "97,2", "error",
        "28,2 of a maximum of 29",
    ]  # fmt: skip
    _, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]))
    assert out.split("\n\n")[1].split()[:8] == [name.capitalize() for name in fields]


def test_a_table_of_one_group_with_its_parts(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # the table of group II: its value against II.1 + II.2, its percentage of II's 10 points
    header = "unit,block,II.1,II.2,score,percent"
    rows = ["Sở Tài chính,so,6,4,10,100.0", "Sở Giáo dục và Đào tạo,so,6,3.4,9.7,97.0"]
    code, out, err = audit(capsys, tmp_path, ("II=bang-1-2.csv", [header, *rows]), form="json")
    assert (code, err) == (1, "")
    found = json.loads(out, parse_float=Decimal)["findings"]
    assert [(f["unit"], f["column"], f["published"], f["expected"]) for f in found] == [
        ("Sở Giáo dục và Đào tạo", "II", Decimal("9.7"), Decimal("9.4")),
    ]


# --- workbooks ------------------------------------------------------------------------------


def test_a_workbooks_date_and_a_formula_in_a_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A published workbook's cell that Excel turned into a date is named as such; a formula
    without a saved value in its note column is left alone (nothing reads it)."""
    import datetime

    from openpyxl import Workbook

    framework = tmp_path / "khung.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    table = tmp_path / "bang-1.xlsx"
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in [HEADER + ",note", *(row + "," for row in RANKED)]:
        sheet.append([cell or None for cell in next(csv.reader([line]))])
    sheet["O2"] = "=1+1"  # row 2, column note
    workbook.save(table)
    code = main(["audit", "-f", str(framework), "-t", str(table)])
    out, err = capsys.readouterr()
    assert (code, err) == (0, ""), out
    sheet["F3"] = datetime.datetime(2025, 3, 6)  # row 3, column II
    workbook.save(table)
    code = main(["audit", "-f", str(framework), "-t", str(table)])
    out, err = capsys.readouterr()
    assert code == 2 and out == ""
    assert err.startswith(f"chiso: error: {table}, row 3, column 'II': '2025-03-06'"), err
    assert "Excel turned what was typed into a date" in err


def test_reserved_names_in_any_case(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """``UNIT``, ``Rank_2024`` … are read as ``unit``, ``rank_2024``: the same findings."""
    rows = [*RANKED[:2], RANKED[3].replace(",4,3,", ",4,1,")]  # a wrong earlier rank
    expected = findings(capsys, tmp_path, rows)
    assert expected
    shouting = HEADER.replace("unit,block", "UNIT,Block").replace("rank_2024", "Rank_2024")
    assert findings(capsys, tmp_path, rows, shouting) == expected


# --- a table without a score column ---------------------------------------------------------

# the groups, the percentage and the rank of RANKED, without the total
INDEX_HEADER = "unit,block,not_applicable,I,II,III,IV,percent,rank"
INDEX_ROWS = [
    "Sở Tài chính,so,,6,10,6,6.2,97.2,1",
    "Sở Nội vụ,so,II,6,,4,3.11,69.0,2",
    "Sở Giáo dục và Đào tạo,so,,4,9.4,3,3.6,69.0,2",
    "Sở Y tế,so,,4,5,4,3.7,57.6,4",
]


def test_a_table_without_a_score_column_that_is_right_has_no_finding(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    assert findings(capsys, tmp_path, INDEX_ROWS, INDEX_HEADER) == []


def test_a_wrong_index_and_a_wrong_rank_are_found_without_a_score_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # Sở Y tế: 16.7 of 29 is 57.6 % (56.9–58.3 within the rounding of the groups), printed
    # 59.0 and ranked 3rd: the last of the index
    rows = [*INDEX_ROWS[:3], "Sở Y tế,so,,4,5,4,3.7,59.0,3"]
    found = findings(capsys, tmp_path, rows, INDEX_HEADER)
    assert [(f["unit"], f["column"], f["published"], f["expected"], f["kind"]) for f in found] == [
        ("Sở Y tế", "percent", Decimal("59.0"), Decimal("57.6"), "error"),
        ("Sở Y tế", "rank", 3, 4, "error"),
    ]
    assert found[0]["note"] == "the sum of the printed parts, 16,7, of a maximum of 29"
    assert found[1]["note"] == "rank of the printed index"


def test_ranks_are_checked_against_the_groups_without_a_score_or_an_index(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    header = "unit,block,not_applicable,I,II,III,IV,rank"
    rows = [row.rsplit(",", 2)[0] + "," + row.rsplit(",", 1)[1] for row in INDEX_ROWS]
    assert findings(capsys, tmp_path, rows, header) == []
    # Sở Y tế's 16.7 of 29 (57.6 %) printed 3rd, above Sở Giáo dục's 20 (69.0 %)
    rows = [rows[0], rows[1], rows[3][:-1] + "3", rows[2][:-1] + "4"]
    found = findings(capsys, tmp_path, rows, header)
    # Sở Nội vụ's 13.11 of 19 and Sở Giáo dục's 20 of 29 are both 69.0 % within the rounding
    # of the printed groups: 2nd or 3rd
    assert [(f["unit"], f["column"], f["published"], f["expected"]) for f in found] == [
        ("Sở Y tế", "rank", 3, 4),
        ("Sở Giáo dục và Đào tạo", "rank", 4, "2–3"),
        ("Sở Giáo dục và Đào tạo", "order", "place 4", "place 2–3"),
    ]
    assert found[2]["note"] == "rows are not in the order of the ranking (68,3–69,7)"


# a 0–1 index of three components worth 1 each, printed at 4 decimals: the mean of the three
INDEX_FRAMEWORK = """\
id: index-2024
name: An index of countries
assessor: An assessor
year: 2024
blocks: [{code: all, name: Countries}]
ranking: {by: percent, ties: competition, precision: 4}
display: {scale: ratio, percent_decimals: 4, score_decimals: 4}
criteria:
  - {code: OSI, name: Online services, max: 1}
  - {code: HCI, name: Human capital, max: 1}
  - {code: TII, name: Telecommunications, max: 1}
"""
LONG_NAME = "Country with a rather long official name of the kind the index prints"
COUNTRIES = [
    f"{LONG_NAME},0.9797,0.9559,0.9846,0.9734,1",
    "Country B,0.9676,0.9469,0.9659,0.9601,2",
    "Country C,0.9552,0.9574,0.9654,0.9593,3",
    "Country D,0.9552,0.9574,0.9654,0.9594,3",
]


def index_audit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: list[str], form: str = "json"
) -> tuple[int, str]:
    framework = tmp_path / "index.yaml"
    framework.write_text(INDEX_FRAMEWORK, encoding="utf-8")
    table = tmp_path / "countries.csv"
    table.write_text("\n".join(["unit,OSI,HCI,TII,percent,rank", *rows]) + "\n", encoding="utf-8")
    code = main(["audit", "-f", str(framework), "-t", str(table), "--format", form])
    out, err = capsys.readouterr()
    assert err == ""
    return code, out


def test_an_index_within_rounding_of_its_components_and_a_rank_against_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # B: (0.9676 + 0.9469 + 0.9659) / 3 = 0.96013…, printed 0.9601. C and D print the same
    # components (0.95933…): D's 0.9594 is within their rounding (each ± 0.00005); ranked on
    # the printed index, D (0.9594) is 3rd and C (0.9593) 4th, printed in the other order
    code, out = index_audit(capsys, tmp_path, COUNTRIES)
    found = json.loads(out, parse_float=Decimal)["findings"]
    assert code == 1
    assert [(f["unit"], f["column"], f["published"], f["expected"], f["kind"]) for f in found] == [
        ("Country D", "percent", Decimal("0.9594"), Decimal("0.9593"), "rounding"),
        ("Country C", "rank", 3, 4, "error"),
        ("Country D", "order", "place 4", "place 3", "error"),
    ]
    assert found[0]["note"].endswith("(within rounding of the parts)")
    right = [*COUNTRIES[:2], COUNTRIES[3], COUNTRIES[2].removesuffix(",3") + ",4"]
    code, out = index_audit(capsys, tmp_path, right)
    assert [f["column"] for f in json.loads(out)["findings"]] == ["percent"]


def test_the_output_says_which_checks_the_columns_allow(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out = index_audit(capsys, tmp_path, COUNTRIES[:2])
    assert code == 0
    assert json.loads(out)["tables"] == [
        {
            "table": "countries.csv",
            "checked": ["percent", "rank", "order"],
            "not_checked": [
                {"check": "sums", "why": "no total or group printed with all of its parts"},
                {"check": "tier", "why": "the framework has no tiers"},
                {"check": "year over year", "why": "no earlier year's columns"},
            ],
        }
    ]
    _, out = index_audit(capsys, tmp_path, COUNTRIES[:2], form="table")
    assert out == (
        "countries.csv: checked percent, rank, order; not checked:"
        " sums (no total or group printed with all of its parts),"
        " tier (the framework has no tiers), year over year (no earlier year's columns).\n"
        "\n"
        "No inconsistencies found.\n"
    )


def test_a_table_without_rank_or_value_says_what_it_could_not_check(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = audit(capsys, tmp_path, ("bang-1.csv", ["unit,block,tier", "Sở Y tế,so,Khá"]))
    assert code == 0
    nothing = "no score, percent or all of the groups to work the value out from"
    assert out.splitlines()[0] == (
        "bang-1.csv: nothing checked; not checked: sums (no total or group printed with all of"
        f" its parts), percent (no percent column), tier ({nothing}), rank (no rank column),"
        f" order ({nothing}), year over year (no earlier year's columns)."
    )


def test_the_table_output_wraps_a_long_cell_and_never_cuts_the_note(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    rows = [COUNTRIES[0].removesuffix(",1") + ",2", COUNTRIES[1]]
    _, out = index_audit(capsys, tmp_path, rows, form="table")
    lines = out.splitlines()
    assert lines[3:5] == [
        "countries.csv  2    Country with a rather long official name of the   rank    2"
        "          1         error  rank of the printed index",
        "                    kind the index prints",
    ]
