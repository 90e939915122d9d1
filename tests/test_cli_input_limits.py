"""Files that would make ``chiso`` unpack, write out or build far more than they hold: each is
refused with one line naming the file (and row and column, or line), exit code 2."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest
from tests.attacks import (
    SHEET,
    claims_a_million_rows,
    encrypted,
    nested_aliases,
    rewrite,
    sparse_workbook,
    workbook,
)
from tests.test_cli_errors import ROWS, assert_bad_input, csv_text, replace_row, run

FRAMEWORK = "binh-dinh-2021"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (nested_aliases(), "once its aliases (*name) are expanded"),
        ("a: &a [x, *a]\n", "once its aliases (*name) are expanded"),  # endless
        ("id: x\n# " + "x" * (1024 * 1024) + "\n", "the file is larger than 1 MB"),
        (
            "id: x\ncriteria:\n"
            + "".join(
                f"  - code: G{g}\n    name: g\n    children:\n"
                + "".join(f"      - {{code: G{g}.{i}, name: n, max: 1}}\n" for i in range(99))
                for g in range(51)
            ),
            "criteria: more than 5,000 criteria and groups",
        ),
    ],
    ids=["nested-aliases", "recursive-alias", "over-1-MB", "over-5000-criteria"],
)
def test_validate_refuses_a_framework_over_a_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    path = tmp_path / "khung.yaml"
    path.write_text(text, encoding="utf-8")
    assert_bad_input(*run(capsys, "validate", path), f"{path}: ", message)


def test_a_framework_may_share_a_part_through_an_alias(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "khung.yaml"
    path.write_text(
        "id: alias\nname: A\nassessor: Sở A\nyear: 2026\nblocks: [{code: so, name: Sở}]\n"
        "criteria:\n"
        "  - {code: A, name: A, max: 1, rule: &yes {type: yes_no}}\n"
        "  - {code: B, name: B, max: 1, rule: *yes}\n",
        encoding="utf-8",
    )
    code, _out, err = run(capsys, "validate", path)
    assert (code, err) == (0, "")


@pytest.mark.parametrize(
    ("cell", "shown"),
    [
        ("1e-200000000", "1.000e-200000000 has too many digits"),
        ("1e309", "1.000e+309 has too many digits"),
        ("1e199", "1.000e+199 has too many digits"),
        ("1234567890123456", "1234567890123456 has too many digits"),
        ("12/1e20", "1E+20 has too many digits"),
    ],
)
def test_score_refuses_an_answer_with_too_many_digits_at_its_cell(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, cell: str, shown: str
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        csv_text(rows=replace_row(3, f"Sở Xây dựng,so,,{cell},32,15,5,8,11")), encoding="utf-8"
    )
    assert_bad_input(
        *run(capsys, "score", "-f", FRAMEWORK, "-d", data), f"{data}, row 3, column 'I': ", shown
    )


def test_score_reads_a_spreadsheet_number_of_17_digits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,,12.666666666666671,32,15,5,8,11")),
        encoding="utf-8",
    )
    code, out, err = run(capsys, "score", "-f", FRAMEWORK, "-d", data, "--format", "csv")
    assert (code, err) == (0, "")
    assert "12.666666666666671" in out


def good_rows() -> list[list[object]]:
    header = ["unit", "block", "not_applicable", "I", "II", "III", "IV", "V", "VI"]
    return [header] + [row.split(",") for row in ROWS]


def test_score_refuses_a_workbook_with_a_row_past_the_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = sparse_workbook(good_rows())
    assert len(raw) < 10_000
    data = tmp_path / "data.xlsx"
    data.write_bytes(raw)
    assert_bad_input(
        *run(capsys, "score", "-f", FRAMEWORK, "-d", data),
        f"{data}, row 100001: more than 100,000 rows",
    )


def test_a_workbook_that_claims_a_million_rows_is_read_as_the_rows_it_has(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = rewrite(workbook(good_rows()), SHEET, claims_a_million_rows)
    data = tmp_path / "data.xlsx"
    data.write_bytes(raw)
    code, out, err = run(capsys, "score", "-f", FRAMEWORK, "-d", data, "--format", "csv")
    assert (code, err) == (0, "")
    assert out.count("\n") == 1 + len(ROWS)


def test_score_refuses_a_workbook_packed_by_bzip2(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    raw = rewrite(workbook(good_rows()), "xl/styles.xml", method=zipfile.ZIP_BZIP2)
    data = tmp_path / "data.xlsx"
    data.write_bytes(raw)
    assert_bad_input(
        *run(capsys, "score", "-f", FRAMEWORK, "-d", data),
        f"{data}: is not a workbook chiso reads: its part 'xl/styles.xml' is packed by"
        " a method that documents do not use",
    )


def test_score_refuses_a_csv_wider_than_the_limit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data.csv"
    data.write_text(csv_text() + "x" + ",x" * 2_000 + "\n", encoding="utf-8")
    assert_bad_input(
        *run(capsys, "score", "-f", FRAMEWORK, "-d", data),
        f"{data}, row 5: more than 2,000 columns",
    )


def test_score_refuses_a_csv_whose_rows_filled_out_are_too_many_cells(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A header of 2,000 names and 3,000 short rows: 52 KB that would be 6,000,000 cells."""
    data = tmp_path / "data.csv"
    header = ",".join(f"c{index}" for index in range(2_000))
    data.write_text(header + "\n" + "x\n" * 3_000, encoding="utf-8")
    assert_bad_input(
        *run(capsys, "score", "-f", FRAMEWORK, "-d", data),
        f"{data}, row 2501: more than 5,000,000 cells",
    )


def test_score_refuses_an_encrypted_workbook_part(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data.xlsx"
    data.write_bytes(encrypted(workbook(good_rows())))
    assert_bad_input(
        *run(capsys, "score", "-f", FRAMEWORK, "-d", data), f"{data}: ", "is encrypted"
    )


def test_validate_refuses_a_number_of_the_framework_with_too_many_digits(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "khung.yaml"
    path.write_text(
        "id: x\nname: A\nassessor: Sở A\nyear: 2026\nblocks: [{code: so, name: Sở}]\n"
        'criteria:\n  - {code: A, name: A, max: "1e-200000000"}\n',
        encoding="utf-8",
    )
    assert_bad_input(
        *run(capsys, "validate", path),
        f"{path}, line 7: criteria.A.max: 1.000e-200000000 has too many digits",
    )
