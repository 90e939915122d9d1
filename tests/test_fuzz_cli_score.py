"""``chiso score`` on small generated data files, CSV and XLSX: every cell, under every rule
type, gives results (exit 0) or one line naming the file, row and column (exit 2), never a
traceback."""

from __future__ import annotations

import csv
import datetime
import io
from pathlib import Path

import pytest
from hypothesis import event, example, given
from hypothesis import strategies as st
from tests.fuzzing import fuzz
from tests.test_cli_errors import run

FRAMEWORK = """\
id: moi-loai-2026
name: Mọi loại tiêu chí
assessor: Sở Thông tin và Truyền thông
year: 2026
blocks:
  - {code: so, name: Sở ban ngành}
  - {code: huyen, name: UBND cấp huyện}
criteria:
  - {code: A, name: Có kế hoạch, max: 2, rule: {type: yes_no}}
  - {code: B, name: Có minh chứng, max: 2, rule: {type: yes_no_evidence}}
  - {code: C, name: Tỷ lệ hồ sơ, max: 2, rule: {type: bands, bands: [{min: 0, points: 0}, {min: 50, points: 2}]}}
  - {code: D, name: Tỷ lệ trực tuyến, max: 3, rule: {type: proportional, full_at: 80}}
  - {code: E, name: Số hệ thống, max: 4, rule: {type: count, per_item: 0.5}}
  - {code: F, name: Mức độ, max: 2, rule: {type: choice, options: [{value: cao, points: 2}, {value: thấp, points: 0}]}}
  - {code: G, name: Số dịch vụ, max: 5, rule: {type: relative}}
  - {code: H, name: Đô thị thông minh, rule: {type: info}}
  - {code: I, name: Điểm trực tiếp, max: 10, rule: {type: points}, not_applicable: true}
"""
HEADER = ["unit", "block", "status", "not_applicable", "A", "B", "B:evidence", "C", "D", "E", "F", "G", "H", "I"]  # fmt: skip

ODD_CELLS = [
    "", "1", "0", "có", "không", "x", "na", "KAD", "45/60", "0/0", "1/0", "75%", "-1", "1e309",
    "1e-1000", "1e199", "9" * 17, "0." + "0" * 19 + "1", "1e-200000000", "NaN", "-inf", "2,5",
    "1.000,5", "cao", "Thấp", "=1+1", "@SUM(A1)", "\u00a0 3 \u00a0", "٣", "３", "1_0", "1e20/1",
    "1/1e20", "%", "/", "A, B", "voluntary", "no_data",
]  # fmt: skip
CELL = st.one_of(
    st.sampled_from(ODD_CELLS),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=12),
    st.decimals(allow_nan=True, allow_infinity=True).map(str),
)
GOOD_ROWS = [
    ["Sở Tư pháp", "so", "", "", "có", "có", "có", "45/60", "60%", "3", "cao", "12", "x", "7.5"],
    ["Sở Y tế", "so", "", "I", "không", "1", "0", "75%", "80/100", "0", "thấp", "0", "", ""],
    ["UBND huyện An Lão", "huyen", "voluntary", "", "1", "0", "", "30/60", "0", "8", "Cao", "5", "2", "10"],
]  # fmt: skip
CHANGE = st.tuples(st.integers(0, len(GOOD_ROWS) - 1), st.integers(0, len(HEADER) - 1), CELL)


def rows_with(changes: list[tuple[int, int, str]]) -> list[list[str]]:
    """The good rows with the cells that ``changes`` (row, column, text) give."""
    rows = [list(row) for row in GOOD_ROWS]
    for row, column, text in changes:
        rows[row][column] = text
    return rows


def csv_file(rows: list[list[str]]) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(rows)
    return out.getvalue()


def assert_results_or_one_line(data: Path, code: int, out: str, err: str) -> None:
    assert "Traceback" not in err
    event(f"exit code {code}")
    if code == 0:
        assert out
    else:
        assert code == 2, err
        assert err.startswith(f"chiso: error: {data}") and err.count("\n") == 1, err


@pytest.fixture(scope="module")
def framework(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("khung") / "moi-loai.yaml"
    path.write_text(FRAMEWORK, encoding="utf-8")
    return path


def test_the_framework_has_every_rule_type(
    capsys: pytest.CaptureFixture[str], framework: Path
) -> None:
    code, _out, err = run(capsys, "validate", framework)
    assert code == 0, err


@fuzz(150)
@given(changes=st.lists(CHANGE, max_size=3), output=st.sampled_from(["table", "csv", "json"]))
@example(changes=[(0, 11, "1e199"), (1, 9, "1e199")], output="table")
def test_any_cell_gives_results_or_one_line_naming_the_cell(
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    framework: Path,
    changes: list[tuple[int, int, str]],
    output: str,
) -> None:
    data = tmp_path_factory.mktemp("du-lieu") / "don-vi.csv"
    data.write_text(csv_file(rows_with(changes)), encoding="utf-8")
    result = run(capsys, "score", "--framework", framework, "--data", data, "--format", output)
    assert_results_or_one_line(data, *result)


TYPED_CELL = st.one_of(
    CELL,
    st.floats(allow_nan=False, allow_infinity=False),
    st.integers(-(10**30), 10**30),
    st.booleans(),
    st.datetimes(min_value=datetime.datetime(1900, 3, 1), max_value=datetime.datetime(9999, 1, 1)),
    st.sampled_from([1e308, 5e-324, -0.0, 0.1 + 0.2, 2**53 + 1]),
)


@fuzz(100)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, len(HEADER) - 1), TYPED_CELL), max_size=3
    )
)
def test_any_spreadsheet_cell_gives_results_or_one_line_naming_the_cell(
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    framework: Path,
    changes: list[tuple[int, int, object]],
) -> None:
    from openpyxl import Workbook
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    rows: list[list[object]] = [list(row) for row in GOOD_ROWS]
    for row, column, value in changes:  # a spreadsheet holds no control characters
        rows[row][column] = (
            ILLEGAL_CHARACTERS_RE.sub("", value) if isinstance(value, str) else value
        )
    book = Workbook()
    sheet = book.active
    assert sheet is not None
    for line in [HEADER, *rows]:
        sheet.append(line)
    data = tmp_path_factory.mktemp("du-lieu") / "don-vi.xlsx"
    book.save(data)
    assert_results_or_one_line(
        data, *run(capsys, "score", "--framework", framework, "--data", data)
    )


PREVIOUS_HEADER = ["unit", "block", "year", "rank", "score", "percent", "tier"]
GOOD_PREVIOUS = [
    ["Sở Tư pháp", "so", "2025", "1", "30.5", "80", "Tốt"],
    ["Sở Y tế", "so", "2025", "2", "20", "", ""],
    ["UBND huyện An Lão", "huyen", "2025", "", "", "", ""],
]  # fmt: skip


@fuzz(100)
@given(
    changes=st.lists(
        st.tuples(st.integers(0, 2), st.integers(0, len(PREVIOUS_HEADER) - 1), CELL), max_size=3
    )
)
def test_any_previous_result_gives_results_or_one_line_naming_the_cell(
    capsys: pytest.CaptureFixture[str],
    tmp_path_factory: pytest.TempPathFactory,
    framework: Path,
    changes: list[tuple[int, int, str]],
) -> None:
    folder = tmp_path_factory.mktemp("du-lieu")
    data, previous = folder / "don-vi.csv", folder / "nam-truoc.csv"
    data.write_text(csv_file(rows_with([])), encoding="utf-8")
    rows = [list(row) for row in GOOD_PREVIOUS]
    for row, column, text in changes:
        rows[row][column] = text
    out = io.StringIO()
    csv.writer(out, lineterminator="\n").writerows([PREVIOUS_HEADER, *rows])
    previous.write_text(out.getvalue(), encoding="utf-8")
    result = run(capsys, "score", "-f", framework, "-d", data, "--previous", previous)
    assert_results_or_one_line(previous, *result)
