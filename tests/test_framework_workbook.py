"""The framework as a workbook (chiso.io.framework_workbook): YAML → workbook → YAML gives the
same framework for every shipped one and for docs/frameworks.md's Tỉnh Mẫu; a broken workbook
is reported at its sheet, cell and field; `chiso validate` and `chiso convert` read it."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
from openpyxl import Workbook, load_workbook

from chiso.cli import main
from chiso.core import FrameworkError, parse_framework, shipped_frameworks
from chiso.io.framework_workbook import (
    CRITERIA_SHEET,
    HEADER_SHEET,
    workbook_to_yaml,
    yaml_to_workbook,
)

DOCS = Path(__file__).resolve().parents[1] / "docs"
FRAMEWORKS_DIR = Path(__file__).resolve().parents[1] / "src" / "chiso" / "frameworks"


def _tinh_mau() -> str:
    lines = (DOCS / "frameworks.md").read_text(encoding="utf-8").splitlines()
    start = lines.index("<!-- example: tinh-mau-2026 -->")
    end = lines.index("```", start + 2)
    return "\n".join(lines[start + 2 : end]) + "\n"


TINH_MAU = _tinh_mau()
FRAMEWORKS = {"tinh-mau-2026": TINH_MAU} | {
    name: path.read_text(encoding="utf-8") for name, path in shipped_frameworks().items()
}


@pytest.mark.parametrize("name", sorted(FRAMEWORKS))
def test_the_round_trip_through_a_workbook_gives_the_same_framework(name: str) -> None:
    text = FRAMEWORKS[name]
    back = workbook_to_yaml(yaml_to_workbook(text, name), f"{name}.xlsx")
    assert parse_framework(back) == parse_framework(text)


def test_the_documented_workbook_is_tinh_mau() -> None:
    raw = (FRAMEWORKS_DIR / "tinh-mau-2026.xlsx").read_bytes()
    assert parse_framework(workbook_to_yaml(raw)) == parse_framework(TINH_MAU)
    sheets = load_workbook(io.BytesIO(raw), read_only=True).sheetnames
    assert sheets == [HEADER_SHEET, CRITERIA_SHEET]


def _edited(change: Callable[[Workbook], None]) -> bytes:
    workbook = load_workbook(io.BytesIO(yaml_to_workbook(TINH_MAU)))
    change(workbook)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _criteria_cell(cell: str, value: object) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        workbook[CRITERIA_SHEET][cell] = value

    return change


def _header_cell(cell: str, value: object) -> Callable[[Workbook], None]:
    def change(workbook: Workbook) -> None:
        workbook[HEADER_SHEET][cell] = value

    return change


# Tỉnh Mẫu's criteria sheet: row 2 is A (max 5), row 3 A.1, row 4 A.2 (bands); column G is
# max, J the rule, K its parameters; the header sheet's row 6 is the year.
BROKEN = [
    (
        "max mismatch",
        _criteria_cell("G2", 6),
        CRITERIA_SHEET,
        "G2",
        "max",
        "max 6 for block 'so' is not the sum of its children (5)",
        "điểm tối đa 6 của khối 'so' không bằng tổng của các tiêu chí con (5)",
    ),
    (
        "formula",
        _criteria_cell("G3", "=1+1"),
        CRITERIA_SHEET,
        "G3",
        "",
        "the cell holds a formula: give its value instead",
        "ô có công thức: hãy ghi giá trị thay cho công thức",
    ),
    (
        "unknown rule type",
        _criteria_cell("J3", "yes_noo"),
        CRITERIA_SHEET,
        "J3",
        "rule",
        "unknown rule type 'yes_noo' (did you mean 'yes_no'? known: 'yes_no',"
        " 'yes_no_evidence', 'bands', 'proportional', 'count', 'choice', 'relative', 'info',"
        " 'points')",
        "loại quy tắc không xác định 'yes_noo' (có phải là 'yes_no'? các loại: 'yes_no',"
        " 'yes_no_evidence', 'bands', 'proportional', 'count', 'choice', 'relative', 'info',"
        " 'points')",
    ),
    (
        "a band's points in the parameters",
        _criteria_cell("K4", "{bands: [{min: 0, points: 0}, {min: 50, points: 9}]}"),
        CRITERIA_SHEET,
        "K4",
        "rule.bands.bands.[1].points",
        "9 points exceed the criterion's max 2 in block 'so'",
        "9 điểm vượt quá điểm tối đa 2 của tiêu chí trong khối 'so'",
    ),
    (
        "parameters that are not YAML",
        _criteria_cell("K4", "{bands: [}"),
        CRITERIA_SHEET,
        "K4",
        "parameters",
        "malformed YAML: did not find expected node content",
        "YAML sai cú pháp: không tìm thấy giá trị cần có",
    ),
    (
        "unknown parent",
        _criteria_cell("B3", "Z"),
        CRITERIA_SHEET,
        "B3",
        "parent",
        "the parent 'Z' is not a criterion on a row above",
        "tiêu chí cha 'Z' không phải là tiêu chí ở dòng phía trên",
    ),
    (
        "duplicate code",
        _criteria_cell("A4", "A.1"),
        CRITERIA_SHEET,
        "A4",
        "code",
        "criterion code 'A.1' is used twice",
        "mã tiêu chí 'A.1' được dùng hai lần",
    ),
    (
        "unknown column",
        _criteria_cell("T1", "nme"),
        CRITERIA_SHEET,
        "T1",
        "",
        "unknown column 'nme'",
        "cột không xác định 'nme'",
    ),
    (
        "year in words",
        _header_cell("B6", "hai nghìn"),
        HEADER_SHEET,
        "B6",
        "year",
        "'hai nghìn' is not a whole number",
        "'hai nghìn' không phải là số nguyên",
    ),
]


@pytest.mark.parametrize(
    ("change", "sheet", "cell", "field", "english", "vietnamese"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_a_broken_workbook_is_reported_at_its_sheet_cell_and_field(
    change: Callable[[Workbook], None],
    sheet: str,
    cell: str,
    field: str,
    english: str,
    vietnamese: str,
) -> None:
    with pytest.raises(FrameworkError) as caught:
        workbook_to_yaml(_edited(change), "tinh-mau.xlsx")
    error = caught.value
    assert (error.sheet, error.cell, error.field) == (sheet, cell, field)
    assert (error.message, error.message_in("vi")) == (english, vietnamese)
    assert str(error).startswith(f"tinh-mau.xlsx, sheet {sheet!r}, cell {cell}: ")
    assert error.in_language("vi").startswith(f"tinh-mau.xlsx, trang tính {sheet!r}, ô {cell}: ")


def test_a_sheet_of_too_many_rows_is_refused_without_reading_it_all() -> None:
    def many(workbook: Workbook) -> None:
        sheet = workbook[CRITERIA_SHEET]
        for row in range(30, 5_100):
            sheet.cell(row=row, column=1, value=f"Z{row}")

    with pytest.raises(FrameworkError, match="more than 5000 rows"):
        workbook_to_yaml(_edited(many), "many.xlsx")


@pytest.mark.parametrize("raw", [b"not a zip", b"PK\x03\x04broken"])
def test_a_file_that_is_no_workbook_is_refused(raw: bytes) -> None:
    with pytest.raises(FrameworkError, match="is not a readable XLSX workbook"):
        workbook_to_yaml(raw, "x.xlsx")


def test_the_workbook_keeps_texts_as_texts() -> None:
    text = TINH_MAU.replace("name: Hạ tầng số\n", "name: '=1+1 Hạ tầng số'\n", 1)
    sheet = load_workbook(io.BytesIO(yaml_to_workbook(text)))[CRITERIA_SHEET]
    assert sheet["C2"].value == "=1+1 Hạ tầng số"
    assert sheet["C2"].data_type == "s"
    back = workbook_to_yaml(yaml_to_workbook(text))
    assert parse_framework(back).node("A").name == "=1+1 Hạ tầng số"


def test_chiso_validate_and_convert_read_workbooks(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    workbook = tmp_path / "cao-bang.xlsx"
    assert main(["convert", "cao-bang-2020", "-o", str(workbook)]) == 0
    assert main(["validate", str(workbook)]) == 0
    assert "valid — cao-bang-2020" in capsys.readouterr().out
    back = tmp_path / "cao-bang.yaml"
    assert main(["convert", str(workbook), "-o", str(back)]) == 0
    assert parse_framework(back.read_text(encoding="utf-8")) == parse_framework(
        shipped_frameworks()["cao-bang-2020"].read_text(encoding="utf-8")
    )


def test_chiso_validate_names_the_cell_in_the_language_asked(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("LANG", "C.UTF-8")
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(_edited(_criteria_cell("G2", 6)))
    assert main(["validate", str(broken)]) == 2
    assert f"x.xlsx, sheet '{CRITERIA_SHEET}', cell G2: max: max 6 for block" in (
        capsys.readouterr().err
    )
    assert main(["validate", "--lang", "vi", str(broken)]) == 2
    assert f"x.xlsx, trang tính '{CRITERIA_SHEET}', ô G2: max: điểm tối đa 6" in (
        capsys.readouterr().err
    )
    monkeypatch.setenv("LANG", "vi_VN.UTF-8")
    assert main(["validate", str(broken)]) == 2
    assert "ô G2" in capsys.readouterr().err


def test_the_problems_found_together_each_name_their_cell() -> None:
    def two(workbook: Workbook) -> None:
        workbook[HEADER_SHEET]["B6"] = "hai nghìn"
        workbook[CRITERIA_SHEET]["J3"] = "yes_noo"

    with pytest.raises(FrameworkError) as caught:
        workbook_to_yaml(_edited(two), "tinh-mau.xlsx")
    found = [caught.value, *caught.value.others]
    assert [(error.sheet, error.cell, error.field) for error in found] == [
        (HEADER_SHEET, "B6", "year"),
        (CRITERIA_SHEET, "J3", "rule"),
    ]


def test_codes_and_a_version_typed_as_numbers_are_read_as_their_text() -> None:
    def numbers(workbook: Workbook) -> None:
        sheet = workbook[CRITERIA_SHEET]
        for row in range(2, sheet.max_row + 1):
            if sheet.cell(row, 1).value == "A.1":
                sheet.cell(row, 1).value = 1.1  # typed A.1 as 1.1 in a number cell
        workbook[HEADER_SHEET]["B7"] = 2  # the version

    framework = parse_framework(workbook_to_yaml(_edited(numbers)))
    assert framework.node("1.1").name == "Cơ quan kết nối mạng truyền số liệu chuyên dùng"
    assert framework.version == "2"


def test_names_holding_control_characters_are_written_without_them() -> None:
    """A framework's texts may hold a control character (YAML's "\\a"), which an XLSX cell
    cannot: the workbook is written without it rather than not at all."""
    text = TINH_MAU.replace("name: Hạ tầng số\n", 'name: "Hạ tầng\\a số"\n', 1)
    text = text.replace("name: Bộ tiêu chí", 'name: "\\x07Bộ tiêu chí', 1)
    text = text.replace("năm 2026\n", 'năm 2026"\n', 1)
    assert "\x07" in parse_framework(text).name and "\x07" in parse_framework(text).node("A").name
    raw = yaml_to_workbook(text)
    book = load_workbook(io.BytesIO(raw))
    assert book[CRITERIA_SHEET]["C2"].value == "Hạ tầng số"
    assert book[HEADER_SHEET]["B3"].value.startswith("Bộ tiêu chí")
    assert parse_framework(workbook_to_yaml(raw)).node("A").name == "Hạ tầng số"


def _cut(raw: bytes, member: str) -> bytes:
    """The workbook ``raw`` with the XML part ``member`` cut in half (a damaged file)."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as cut:
        for info in source.infolist():
            data = source.read(info)
            cut.writestr(info, data[: len(data) // 2] if info.filename == member else data)
    return out.getvalue()


@pytest.mark.parametrize(
    "member",
    [
        "xl/worksheets/sheet1.xml",  # the standard library's ParseError, as the rows are read
        "xl/worksheets/sheet2.xml",
        "xl/workbook.xml",  # lxml's XMLSyntaxError, as the workbook is opened
        "xl/styles.xml",
    ],
)
def test_a_workbook_with_a_part_cut_short_is_refused(
    member: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    raw = _cut(yaml_to_workbook(TINH_MAU), member)
    with pytest.raises(FrameworkError, match=r"x\.xlsx: is not a readable XLSX workbook"):
        workbook_to_yaml(raw, "x.xlsx")
    broken = tmp_path / "x.xlsx"
    broken.write_bytes(raw)
    assert main(["validate", "--lang", "vi", str(broken)]) == 2
    err = capsys.readouterr().err
    assert "x.xlsx: không phải là tệp XLSX đọc được" in err and "Traceback" not in err
