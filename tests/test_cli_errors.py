"""Bad input to ``chiso validate``, ``chiso score`` and ``chiso audit``: one line on stderr that
names the file, the row and the column (or the framework's line and field), exit code 2, and
never a traceback.

Every bad file is written into ``tmp_path`` from a literal in this module.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chiso.cli import main
from chiso.core import parse_framework

FRAMEWORK = "binh-dinh-2021"
HEADER = "unit,block,not_applicable,I,II,III,IV,V,VI"
ROWS = [
    "Sở Tài chính,so,II.b.2,13,26,15,5,8,12",  # row 2
    "Sở Xây dựng,so,,13,32,15,5,8,11",  # row 3
    "UBND huyện An Lão,huyen,,10,30,12,4,6,10",  # row 4
]
# II.b.3 is a yes/no criterion; this header gives the parts of II instead of II itself.
PARTS_HEADER = "unit,block,I,II.a,II.b.1,II.b.2,II.b.3,III,IV,V,VI"
PARTS_ROW = "Sở Xây dựng,so,13,17,8,6,1,15,5,8,11"


def csv_text(header: str = HEADER, rows: list[str] | None = None) -> str:
    return "\n".join([header, *(ROWS if rows is None else rows)]) + "\n"


def replace_row(number: int, text: str) -> list[str]:
    """The good rows with spreadsheet row ``number`` (the header is row 1) replaced."""
    rows = list(ROWS)
    rows[number - 2] = text
    return rows


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:  # argparse's own exits
        code = stop.code if isinstance(stop.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def assert_bad_input(code: int, out: str, err: str, *fragments: str) -> None:
    assert code == 2, err
    assert "Traceback" not in err
    assert err.endswith("\n") and err.count("\n") == 1, f"not one line: {err!r}"
    assert err.startswith("chiso: error: "), err
    for fragment in fragments:
        assert fragment in err, f"{fragment!r} not in {err!r}"
    assert out == ""


def where(name: str, row: int | None = None, column: str | None = None) -> list[str]:
    """The start of a message that names the file ``name``, ``row`` and ``column``."""
    prefix = f"chiso: error: {name}"
    if row is not None:
        prefix += f", row {row}"
    if column is not None:
        prefix += f", column {column!r}"
    return [prefix + ": "]


def score(capsys: pytest.CaptureFixture[str], data: Path, *more: object) -> tuple[int, str, str]:
    return run(capsys, "score", "--framework", FRAMEWORK, "--data", data, *more)


# --- the data file of chiso score ---------------------------------------------------------

DATA_CASES = [
    # id, file text, row, column, what the message says
    (
        "unknown-code-in-header",
        csv_text(HEADER + ",VII", [row + ",1" for row in ROWS]),
        1,
        "VII",
        "unknown criterion code",
    ),
    (
        "unknown-code-in-not-applicable",
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,II.z,13,32,15,5,8,11")),
        3,
        "not_applicable",
        "unknown criterion code 'II.z'",
    ),
    (
        "not-applicable-not-allowed",
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,III,13,32,15,5,8,11")),
        3,
        "not_applicable",
        "criterion III cannot be declared not applicable",
    ),
    (
        "not-applicable-and-given",
        csv_text(PARTS_HEADER + ",not_applicable", [PARTS_ROW + ",II.b.2"]),
        2,
        "II.b.2",
        "'6' given, but II.b.2 is declared not applicable",
    ),
    (
        "part-of-a-not-applicable-group-given",
        csv_text(PARTS_HEADER + ",not_applicable", [PARTS_ROW + ",II.b"]),
        2,
        "II.b.1",
        "'8' given, but II.b is declared not applicable",
    ),
    (
        "criterion-over-max",
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,,14,32,15,5,8,11")),
        3,
        "I",
        "14 is outside 0..13 points",
    ),
    (
        "group-over-max",
        csv_text(rows=replace_row(4, "UBND huyện An Lão,huyen,,10,44,12,4,6,10")),
        4,
        "II",
        "44 is over the maximum of 43 points",
    ),
    (
        "group-over-max-after-not-applicable",
        csv_text(rows=replace_row(2, "Sở Tài chính,so,II.b.2,13,27,15,5,8,12")),
        2,
        "II",
        "27 is over the maximum of 26 points",
    ),
    (
        "criterion-below-zero",
        csv_text(rows=replace_row(2, "Sở Tài chính,so,II.b.2,-1,26,15,5,8,12")),
        2,
        "I",
        "-1 is outside 0..13 points",
    ),
    (
        "group-below-zero",
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,,13,-2,15,5,8,11")),
        3,
        "II",
        "-2 is below 0",
    ),
    (
        "text-in-number-column",
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,,13,32,mười lăm,5,8,11")),
        3,
        "III",
        "'mười lăm' is not a number",
    ),
    (
        "thousands-separator",
        csv_text(rows=replace_row(3, 'Sở Xây dựng,so,,13,32,15,5,8,"1,000.5"')),
        3,
        "VI",
        "is not a number",
    ),
    (
        "yes-no-neither",
        csv_text(PARTS_HEADER, [PARTS_ROW.replace(",1,15,", ",có thể,15,")]),
        2,
        "II.b.3",
        "'có thể' is not yes or no",
    ),
    (
        "yes-no-number",
        csv_text(PARTS_HEADER, [PARTS_ROW.replace(",1,15,", ",2,15,")]),
        2,
        "II.b.3",
        "'2' is not yes or no",
    ),
    (
        "group-and-its-part",
        csv_text(PARTS_HEADER + ",II", [PARTS_ROW + ",30"]),
        2,
        "II.a",
        "both II and its part II.a are given",
    ),
    (
        "duplicate-unit",
        csv_text(rows=[*ROWS, "sở  TÀI chính,so,II.b.2,13,26,15,5,8,12"]),
        5,
        "unit",
        "appears twice (first on row 2)",
    ),
    (
        "unit-without-name",
        csv_text(rows=replace_row(3, ",so,,13,32,15,5,8,11")),
        3,
        "unit",
        "the unit has no name",
    ),
    (
        "unknown-block",
        csv_text(rows=replace_row(4, "UBND huyện An Lão,xa,,10,30,12,4,6,10")),
        4,
        "block",
        "unknown block 'xa' (known: so, huyen)",
    ),
    (
        "empty-block",
        csv_text(rows=replace_row(4, "UBND huyện An Lão,,,10,30,12,4,6,10")),
        4,
        "block",
        "unknown block ''",
    ),
    (
        "unknown-status",
        csv_text(
            HEADER + ",status", [ROWS[0] + ",", ROWS[1] + ",tự nguyện", ROWS[2] + ",voluntary"]
        ),
        3,
        "status",
        "unknown status 'tự nguyện'",
    ),
    (
        "more-cells-than-columns",
        csv_text(rows=replace_row(3, "Sở Xây dựng,so,,13,32,15,5,8,11,99")),
        3,
        None,
        "more cells than columns ('99')",
    ),
    (
        "column-twice",
        csv_text(HEADER + ",I", [row + ",13" for row in ROWS]),
        1,
        "I",
        "this column appears twice",
    ),
    (
        "column-without-name",
        csv_text("unit,block,,I,II,III,IV,V,VI"),
        1,
        None,
        "column 3 has no name",
    ),
    (
        "no-data-with-an-answer",
        csv_text(HEADER + ",status", [ROWS[0] + ",", "Sở Xây dựng,so,,,32,,,,,no_data"]),
        3,
        "II",
        "'32' given, but the unit's status is 'no_data' (it did not report",
    ),
    (
        "no-data-with-not-applicable-in-a-cell",
        csv_text(HEADER + ",status", [ROWS[0] + ",", "Sở Xây dựng,so,,  ,,na,,,,no_data"]),
        3,
        "III",
        "'na' given, but the unit's status is 'no_data'",
    ),
    (
        "no-data-with-evidence",
        csv_text(
            PARTS_HEADER + ",II.b.3:evidence,status",
            [PARTS_ROW + ",1,", "Sở Tài chính,so,,,,,,,,,,có,no_data"],
        ),
        3,
        "II.b.3:evidence",
        "'có' given, but the unit's status is 'no_data'",
    ),
    (
        "no-data-with-an-answer-before-a-bad-cell",
        csv_text(
            HEADER + ",status",
            ["Sở Tài chính,so,,,,,,,5,no_data", "Sở Xây dựng,so,,13,32,15,5,8,mười,"],
        ),
        2,
        "VI",
        "'5' given, but the unit's status is 'no_data'",
    ),
    (
        "bad-cell-before-a-no-data-with-an-answer",
        csv_text(
            HEADER + ",status",
            ["Sở Xây dựng,so,,13,32,15,5,8,mười,", "Sở Tài chính,so,,,,,,,5,no_data"],
        ),
        2,
        "VI",
        "'mười' is not a number",
    ),
    (
        "evidence-without-its-criterion",
        csv_text(HEADER + ",II.b.3:evidence", [row + ",1" for row in ROWS]),
        1,
        "II.b.3:evidence",
        "evidence of II.b.3 without a column 'II.b.3'",
    ),
    (
        "missing-column-unit",
        csv_text(HEADER.removeprefix("unit,"), [row.split(",", 1)[1] for row in ROWS]),
        1,
        None,
        "missing column 'unit'",
    ),
    (
        "missing-column-block",
        csv_text(
            HEADER.replace("block,", ""),
            [row.replace(",so,", ",").replace(",huyen,", ",") for row in ROWS],
        ),
        1,
        None,
        "missing column 'block'",
    ),
    (
        "missing-column-of-a-group",
        csv_text(
            HEADER.replace(",IV", ""),
            [row.replace(",5,8,", ",8,").replace(",4,6,", ",6,") for row in ROWS],
        ),
        1,
        None,
        "missing column for criterion IV (block so)",
    ),
    (
        "missing-column-of-a-part",
        csv_text(PARTS_HEADER.replace(",II.b.2", ""), [PARTS_ROW.replace(",8,6,1,", ",8,1,")]),
        1,
        None,
        "missing column for criterion II.b.2.1 or II.b.2 or II.b or II",
    ),
    ("empty-file", "", None, None, "the file is empty"),
    ("blank-lines-only", "\n\n  \n", None, None, "the file is empty"),
    ("empty-cells-only", ",,,\n,,\n", None, None, "the file is empty"),
    ("header-only", HEADER + "\n", 1, None, "no units: the file has only a header"),
    (
        "header-and-empty-rows",
        HEADER + "\n,,,,\n\n",
        1,
        None,
        "no units: the file has only a header",
    ),
    (
        "unclosed-quote",
        csv_text(rows=replace_row(3, 'Sở Xây dựng,so,,13,"32,15,5,8,11')),
        3,
        None,
        "malformed CSV: a quoted cell is never closed",
    ),
    (
        "text-after-a-quoted-cell",
        csv_text(rows=replace_row(3, '"Sở Xây dựng" (cũ),so,,13,32,15,5,8,11')),
        3,
        None,
        "malformed CSV",
    ),
    (
        "row-after-a-cell-on-two-lines",
        csv_text(
            rows=[
                '"Sở Tài chính\n(cũ)",so,II.b.2,13,26,15,5,8,12',
                "Sở Xây dựng,so,,13,32,15,5,8,mười",
            ]
        ),
        3,  # the third row, as a spreadsheet shows it, on the file's fourth line
        "VI",
        "'mười' is not a number",
    ),
]


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in DATA_CASES],
)
def test_bad_data_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    row: int | None,
    column: str | None,
    message: str,
) -> None:
    data = tmp_path / "units.csv"
    data.write_text(text, encoding="utf-8")
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, *where(str(data), row, column), message)


def test_unit_without_data_with_empty_cells(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A unit without data leaves its answers empty (spaces are empty); its declarations of
    criteria not applicable are not read."""
    data = tmp_path / "units.csv"
    data.write_text(
        csv_text(HEADER + ",status", [ROWS[0] + ",", "Sở Xây dựng,so,II.b.2, ,,  ,,,,no_data"]),
        encoding="utf-8",
    )
    code, out, err = score(capsys, data, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert (units["Sở Xây dựng"]["total"], units["Sở Xây dựng"]["not_ranked_reason"]) == (
        None,
        "no_data",
    )


def test_evidence_of_a_criterion_scored_without_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """II.b.3 is yes/no: evidence attached to it (as the web's export writes it) is read, must
    be yes or no, and changes no points."""
    plain = tmp_path / "plain.csv"
    plain.write_text(csv_text(PARTS_HEADER, [PARTS_ROW]), encoding="utf-8")
    code, without, err = score(capsys, plain, "--format", "json")
    assert (code, err) == (0, "")
    for evidence in ("1", "0", "có"):
        data = tmp_path / "evidence.csv"
        data.write_text(
            csv_text(PARTS_HEADER + ",II.b.3:evidence", [PARTS_ROW + f",{evidence}"]),
            encoding="utf-8",
        )
        code, out, err = score(capsys, data, "--format", "json")
        assert (code, err, out) == (0, "", without)
    data.write_text(
        csv_text(PARTS_HEADER + ",II.b.3:evidence", [PARTS_ROW + ",chắc có"]), encoding="utf-8"
    )
    code, out, err = score(capsys, data)
    assert_bad_input(
        code, out, err, *where(str(data), 2, "II.b.3:evidence"), "'chắc có' is not yes or no"
    )


def test_good_rows_score(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """The rows the bad cases start from are good: each failure above is the one change."""
    for name, text in [
        ("units.csv", csv_text()),
        ("parts.csv", csv_text(PARTS_HEADER, [PARTS_ROW])),
    ]:
        data = tmp_path / name
        data.write_text(text, encoding="utf-8")
        code, out, err = score(capsys, data, "--format", "json")
        assert (code, err) == (0, "")
        assert json.loads(out)["blocks"]


# --- encodings and separators ------------------------------------------------------------

# "Sở Tài chính" as Vietnamese Windows saves it: ơ is 0xf5, its hook above the combining 0xd2.
CP1258_NAME = b"S\xf5\xd2 T\xe0i ch\xednh"
CP1258_FILE = (
    HEADER.encode() + b"\n" + CP1258_NAME + b",so,II.b.2,13,26,15,5,8,12\n"
    b"S\xf5\xd2 X\xe2y d\xfd\xf2ng,so,,13,32,15,5,8,11\n"
)


def test_cp1258_file_without_encoding(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units-1258.csv"
    data.write_bytes(CP1258_FILE)
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, *where(str(data), 2), "is not UTF-8 text", "--encoding cp1258")


def test_cp1258_file_with_encoding(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units-1258.csv"
    data.write_bytes(CP1258_FILE)
    code, out, err = score(capsys, data, "--encoding", "cp1258", "--format", "json")
    assert (code, err) == (0, "")
    (so,) = [b for b in json.loads(out)["blocks"] if b["block"] == "so"]
    names = [unit["unit"] for unit in so["units"]]
    # the combining tone marks are composed: the names match the same names typed in UTF-8
    assert sorted(names) == ["Sở Tài chính", "Sở Xây dựng"]


def test_cp1258_names_match_a_utf8_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "units-1258.csv"
    data.write_bytes(CP1258_FILE)
    previous = tmp_path / "previous.csv"
    previous.write_text("unit,block,year,rank,score\nSở Tài chính,so,2020,3,70\n", encoding="utf-8")
    code, out, err = score(
        capsys, data, "--encoding", "cp1258", "--previous", previous, "--format", "json"
    )
    assert (code, err) == (0, "")
    (so,) = [b for b in json.loads(out)["blocks"] if b["block"] == "so"]
    (unit,) = [u for u in so["units"] if u["unit"] == "Sở Tài chính"]
    assert unit["previous"][0]["rank"] == 3


def test_unknown_encoding(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    code, out, err = score(capsys, data, "--encoding", "tcvn3-please")
    assert_bad_input(code, out, err, str(data), "unknown encoding 'tcvn3-please'")


def test_wrong_explicit_encoding(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_bytes(CP1258_FILE)
    code, out, err = score(capsys, data, "--encoding", "utf-8")
    assert_bad_input(code, out, err, *where(str(data), 2), "is not utf-8 text")
    assert "--encoding cp1258" not in err  # the user chose an encoding already


@pytest.mark.parametrize(
    ("raw", "encoding"),
    [
        pytest.param(b"\xef\xbb\xbf" + csv_text().encode(), None, id="utf8-bom"),
        pytest.param(b"\xef\xbb\xbf" + csv_text().encode(), "utf-8", id="utf8-bom-explicit"),
        pytest.param(csv_text().replace("\n", "\r\n").encode(), None, id="crlf"),
        pytest.param(
            csv_text(HEADER.replace(",", ";"), [r.replace(",", ";") for r in ROWS]).encode(),
            None,
            id="semicolons",
        ),
        pytest.param(
            csv_text(HEADER.replace(",", "\t"), [r.replace(",", "\t") for r in ROWS]).encode(),
            None,
            id="tabs",
        ),
    ],
)
def test_csv_variants_are_fine(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, raw: bytes, encoding: str | None
) -> None:
    data = tmp_path / "units.csv"
    data.write_bytes(raw)
    more = ["--encoding", encoding] if encoding else []
    code, out, err = score(capsys, data, *more, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert set(units) == {"Sở Tài chính", "Sở Xây dựng", "UBND huyện An Lão"}
    assert units["Sở Tài chính"]["total"] == 79


def test_semicolons_with_decimal_commas(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Excel in a Vietnamese locale: `;` between cells, `,` before the decimals."""
    data = tmp_path / "units.csv"
    text = "unit;block;not_applicable;I;II;III;IV;V;VI\nSở Xây dựng;so;;12,5;32;15;5;8;11\n"
    data.write_text(text, encoding="utf-8-sig")
    code, out, err = score(capsys, data, "--format", "json")
    assert (code, err) == (0, "")
    (unit,) = [u for b in json.loads(out)["blocks"] for u in b["units"]]
    assert unit["total"] == 83.5


def test_semicolons_text_in_number_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "units.csv"
    text = "unit;block;not_applicable;I;II;III;IV;V;VI\nSở Xây dựng;so;;12,5;32;15;5;tám;11\n"
    data.write_text(text, encoding="utf-8")
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, *where(str(data), 2, "V"), "'tám' is not a number")


# --- XLSX ---------------------------------------------------------------------------------


def write_xlsx(path: Path, rows: list[list[object]]) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    workbook.save(path)


XLSX_ROWS: list[list[object]] = [
    ["unit", "block", "not_applicable", "I", "II", "III", "IV", "V", "VI"],
    ["Sở Tài chính", "so", "II.b.2", 13, 26, 15, 5, 8, 12],
    ["Sở Xây dựng", "so", None, 13, 31.5, 15, 5, 8, 11],
    [None, None, None, None, None, None, None, None, None],
    ["UBND huyện An Lão", "huyen", None, 10, 30, 12, 4, 6, 10],
]


def test_xlsx_data_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.xlsx"
    write_xlsx(data, XLSX_ROWS)
    code, out, err = score(capsys, data, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert units["Sở Xây dựng"]["total"] == 83.5
    assert units["UBND huyện An Lão"]["total"] == 72


def test_xlsx_bad_cell(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.xlsx"
    rows = [list(row) for row in XLSX_ROWS]
    rows[4][6] = "bốn"  # row 5 of the sheet (the empty row 4 still counts), column IV
    write_xlsx(data, rows)
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, *where(str(data), 5, "IV"), "'bốn' is not a number")


def test_xlsx_header_only(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.xlsx"
    write_xlsx(data, XLSX_ROWS[:1])
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, *where(str(data), 1), "no units")


def test_xlsx_empty_sheet(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.xlsx"
    write_xlsx(data, [])
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, str(data), "the file is empty")


def _zip_without_workbook() -> bytes:
    import io
    import zipfile

    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    return buffer.getvalue()


def _workbook_cut(member: str) -> bytes:
    """A workbook of units whose XML part ``member`` is cut in half (a damaged file)."""
    import io
    import zipfile

    from openpyxl import Workbook

    book = Workbook()
    for number in range(50):
        book.active.append([f"Sở {number}", "Có", number])
    whole = io.BytesIO()
    book.save(whole)
    buffer = io.BytesIO()
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(buffer, "w") as cut:
        for info in source.infolist():
            data = source.read(info)
            cut.writestr(info, data[: len(data) // 2] if info.filename == member else data)
    return buffer.getvalue()


@pytest.mark.parametrize(
    ("name", "raw"),
    [
        pytest.param("units.xlsx", b"this is not a workbook\n", id="text-named-xlsx"),
        pytest.param("units.xlsx", _workbook_cut("xl/worksheets/sheet1.xml"), id="sheet-cut"),
        pytest.param("units.xlsx", _workbook_cut("xl/workbook.xml"), id="workbook-xml-cut"),
        pytest.param("units.xlsx", b"PK\x03\x04" + b"\x00" * 40, id="truncated-zip"),
        pytest.param("units.xlsx", _zip_without_workbook(), id="zip-without-workbook"),
        pytest.param("units.csv", _zip_without_workbook(), id="zip-named-csv"),
    ],
)
def test_corrupt_xlsx(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str, raw: bytes
) -> None:
    data = tmp_path / name
    data.write_bytes(raw)
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, str(data), "is not a readable XLSX workbook")


@pytest.mark.parametrize("name", ["units.xls", "units.xlsx", "units.csv"])
def test_old_excel_workbook(capsys: pytest.CaptureFixture[str], tmp_path: Path, name: str) -> None:
    """Excel 97–2003 files (and password-protected workbooks) are OLE2 containers."""
    data = tmp_path / name
    data.write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00\xff" * 256)
    code, out, err = score(capsys, data)
    assert_bad_input(code, out, err, str(data), "save it as .xlsx or CSV")
    assert "--encoding" not in err


def _edit_sheet(path: Path, *changes: tuple[str, str]) -> None:
    """Replace text in the XML of the workbook's sheet (each ``old`` once)."""
    import zipfile

    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    sheet = parts["xl/worksheets/sheet1.xml"].decode("utf-8")
    for old, new in changes:
        assert sheet.count(old) == 1, old
        sheet = sheet.replace(old, new)
    parts["xl/worksheets/sheet1.xml"] = sheet.encode("utf-8")
    with zipfile.ZipFile(path, "w") as archive:
        for name, raw in parts.items():
            archive.writestr(name, raw)


def test_xlsx_formula_without_saved_value(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A workbook written by a program holds formulas that no spreadsheet has calculated:
    read as empty, they would silently give 0 points."""
    data = tmp_path / "units.xlsx"
    rows = [list(row) for row in XLSX_ROWS]
    rows[2][4] = "=30+1.5"  # row 3, column II
    write_xlsx(data, rows)
    code, out, err = score(capsys, data)
    assert_bad_input(
        code,
        out,
        err,
        *where(str(data), 3, "II"),
        "formula (=30+1.5) without a saved value",
        "open it in Excel or LibreOffice and save it",
    )


def test_xlsx_formula_in_a_column_not_read(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A formula without a saved value in a column that no reader reads (a note, a previous
    file's extra column) does not stop the read; one in a column read does, in the previous
    file too."""
    data = tmp_path / "units.xlsx"
    rows = [[*row, "ghi chú"] for row in XLSX_ROWS]
    rows[0][-1] = "Note"
    rows[2][-1] = "=1+1"  # row 3, column note
    rows[3][-1] = None  # row 4 stays empty
    write_xlsx(data, rows)
    code, out, err = score(capsys, data, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert units["Sở Xây dựng"]["total"] == 83.5
    previous = tmp_path / "results-2020.xlsx"
    write_xlsx(
        previous,
        [
            ["unit", "block", "year", "rank", "score", "change"],
            ["Sở Tài chính", "so", 2020, 1, 75, "=1+1"],
            ["Sở Xây dựng", "so", 2020, 2, "=70+0", None],
        ],
    )
    code, out, err = score(capsys, data, "--previous", previous)
    assert_bad_input(
        code, out, err, *where(str(previous), 3, "score"), "formula (=70+0) without a saved value"
    )


def test_xlsx_formulas_with_saved_values(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Formulas saved by a spreadsheet are read as their values; one whose value is empty
    text (=IF(…,"",…)) as an empty cell."""
    data = tmp_path / "units.xlsx"
    rows = [list(row) for row in XLSX_ROWS]
    rows[2][4] = "=30+1.5"  # row 3, column II
    rows[1][2] = '=IF(1>2,"II.b.2","")'  # row 2, column not_applicable
    write_xlsx(data, rows)
    # what Excel or LibreOffice writes when it saves the file: each formula with its value
    _edit_sheet(
        data,
        ('<c r="E3"><f>30+1.5</f><v></v>', '<c r="E3"><f>30+1.5</f><v>31.5</v>'),
        ('<c r="C2"><f>', '<c r="C2" t="str"><f>'),  # a text value, empty
    )
    code, out, err = score(capsys, data, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert units["Sở Xây dựng"]["total"] == 83.5
    assert units["Sở Tài chính"]["max"] == 85  # nothing declared not applicable


def test_xlsx_date_cell(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Excel turns "3/6" typed into a cell into the 6th of March."""
    import datetime

    data = tmp_path / "units.xlsx"
    rows = [list(row) for row in XLSX_ROWS]
    rows[4][6] = datetime.datetime(2025, 3, 6)  # row 5, column IV
    write_xlsx(data, rows)
    code, out, err = score(capsys, data)
    assert_bad_input(
        code,
        out,
        err,
        *where(str(data), 5, "IV"),
        "'2025-03-06' is not a number",
        "Excel turned what was typed into a date: format the column as Text",
    )


def test_xlsx_date_in_previous_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    import datetime

    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.xlsx"
    write_xlsx(
        previous,
        [
            ["unit", "block", "year", "rank", "score"],
            ["Sở Tài chính", "so", 2020, datetime.datetime(2020, 1, 2), 75],
        ],
    )
    code, out, err = score(capsys, data, "--previous", previous)
    assert_bad_input(
        code, out, err, *where(str(previous), 2, "rank"), "'2020-01-02' is not a rank", "a date"
    )


# --- the previous-results file ------------------------------------------------------------

PREVIOUS_HEADER = "unit,block,year,rank,score,percent"
TIERED_HEADER = PREVIOUS_HEADER + ",tier"
PREVIOUS_ROWS = ["Sở Tài chính,so,2020,1,75,95", "Sở Xây dựng,so,2020,2,70,82"]


def previous_text(bad_row: str) -> str:
    """A previous-results file whose row 3 is ``bad_row``."""
    return "\n".join([PREVIOUS_HEADER, PREVIOUS_ROWS[0], bad_row]) + "\n"


PREVIOUS_CASES = [
    # id, file text, row, column, what the message says
    ("text-year", previous_text("Sở Xây dựng,so,năm 2020,2,70,82"), 3, "year",
     "'năm 2020' is not a year"),
    ("empty-year", previous_text("Sở Xây dựng,so,,2,70,82"), 3, "year", "'' is not a year"),
    ("fractional-year", previous_text("Sở Xây dựng,so,2020.5,2,70,82"), 3, "year",
     "'2020.5' is not a year"),
    ("text-rank", previous_text("Sở Xây dựng,so,2020,hai,70,82"), 3, "rank",
     "'hai' is not a rank"),
    ("zero-rank", previous_text("Sở Xây dựng,so,2020,0,70,82"), 3, "rank",
     "'0' is not a rank (1, 2, 3 …)"),
    ("fractional-rank", previous_text("Sở Xây dựng,so,2020,2.5,70,82"), 3, "rank",
     "'2.5' is not a rank (1, 2, 3 …)"),
    ("text-score", previous_text("Sở Xây dựng,so,2020,2,bảy mươi,82"), 3, "score",
     "'bảy mươi' is not a number"),
    ("text-percent", previous_text("Sở Xây dựng,so,2020,2,70,nhiều"), 3, "percent",
     "'nhiều' is not a number"),
    ("unit-without-name", previous_text(",so,2020,2,70,82"), 3, "unit", "the unit has no name"),
    ("duplicate-unit", previous_text("sở  TÀI chính,so,2020,3,70,82"), 3, "unit",
     "unit 'sở  TÀI chính' appears twice for 2020 (first on row 2)"),
    ("missing-rank-column", "unit,block,year,score\nSở Tài chính,so,2020,75\n", 1, None,
     "missing column 'rank'"),
    # the framework is of 2021: a previous-results file holds earlier years only
    ("year-of-the-cycle", previous_text("Sở Xây dựng,so,2021,2,70,82"), 3, "year",
     "2021 is not earlier than the cycle's year 2021"),
    ("later-year", previous_text("Sở Xây dựng,so,2022,2,70,82"), 3, "year",
     "2022 is not earlier than the cycle's year 2021"),
    ("unknown-block", previous_text("Sở Xây dựng,xa,2020,2,70,82"), 3, "block",
     "unknown block 'xa' (known: so, huyen)"),
    ("empty-block", previous_text("Sở Xây dựng,,2020,2,70,82"), 3, "block",
     "unknown block '' (known: so, huyen)"),
    ("unknown-tier", TIERED_HEADER + "\nSở Tài chính,so,2020,1,75,95,Tốt\n"
     "Sở Xây dựng,so,2020,2,70,55,Trung binh\n", 3, "tier",
     "unknown tier 'Trung binh' (the framework's tiers: Tốt, Khá, Trung bình; leave it empty"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in PREVIOUS_CASES],
)
def test_bad_previous_file(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    row: int | None,
    column: str | None,
    message: str,
) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_text(text, encoding="utf-8")
    code, out, err = score(capsys, data, "--previous", previous)
    assert_bad_input(code, out, err, *where(str(previous), row, column), message)


def test_previous_file_of_only_a_header(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    """Unlike a data file or a published table, a previous-results file without rows is fine:
    there were no results that year (the output says nothing about a previous year)."""
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_text(PREVIOUS_HEADER + "\n", encoding="utf-8")
    code, out, err = score(capsys, data, "--previous", previous, "--format", "json")
    assert (code, err) == (0, "")
    assert all(not unit["previous"] for b in json.loads(out)["blocks"] for unit in b["units"])


def test_unit_twice_in_two_previous_files(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    first, second = tmp_path / "results-a.csv", tmp_path / "results-b.csv"
    first.write_text("\n".join([PREVIOUS_HEADER, *PREVIOUS_ROWS]) + "\n", encoding="utf-8")
    second.write_text(PREVIOUS_HEADER + "\nSở Xây dựng,so,2020,5,60,70\n", encoding="utf-8")
    code, out, err = score(capsys, data, "--previous", first, "--previous", second)
    assert_bad_input(code, out, err, *where(str(second), 2, "unit"), f"(first on {first}, row 3)")


def test_good_previous_file(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_text("\n".join([PREVIOUS_HEADER, *PREVIOUS_ROWS]) + "\n", encoding="utf-8")
    code, out, err = score(capsys, data, "--previous", previous, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert units["Sở Xây dựng"]["previous"][0]["rank"] == 2


def test_previous_file_with_the_workbooks_vietnamese_headings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The headings of the report workbook's results sheet, in any case, are read as the
    English names; an error names the column as the file heads it."""
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    header = '"Tên cơ quan, đơn vị",Khối,NĂM,Xếp hạng,Tổng điểm,Tỷ lệ,Mức xếp loại'
    rows = ["Sở Tài chính,so,2020,1,75,95%,Tốt", "Sở Xây dựng,so,2020,2,70,82%,Khá"]
    previous.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    code, out, err = score(capsys, data, "--previous", previous, "--format", "json")
    assert (code, err) == (0, "")
    units = {u["unit"]: u for b in json.loads(out)["blocks"] for u in b["units"]}
    assert units["Sở Xây dựng"]["previous"][0]["rank"] == 2
    so = json.loads(out)["blocks"][0]["stats"]["previous"][0]
    assert [(t["label"], t["count"]) for t in so["tiers"]][:2] == [("Tốt", 1), ("Khá", 1)]
    previous.write_text(
        "\n".join([header, rows[0], "Sở Xây dựng,so,2020,2,bảy,82%,Khá"]) + "\n", encoding="utf-8"
    )
    code, out, err = score(capsys, data, "--previous", previous)
    assert_bad_input(code, out, err, *where(str(previous), 3, "Tổng điểm"), "'bảy' is not a number")


def test_previous_tiers_by_label_or_heading_and_from_the_percentage(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A tier is one of the framework's, written as its label or its section heading in any
    case; an empty one is classified from the percentage (Bình Định: Tốt from 80, Khá from
    60)."""
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_text(
        "\n".join(
            [
                TIERED_HEADER,
                "Sở Tài chính,so,2020,1,75,95,tốt",
                "Sở Xây dựng,so,2020,2,70,82,MỨC KHÁ",
                "UBND huyện An Lão,huyen,2020,1,60,55,",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = score(capsys, data, "--previous", previous, "--format", "json")
    assert (code, err) == (0, "")
    so, huyen = (block["stats"]["previous"] for block in json.loads(out)["blocks"])
    assert [(t["label"], t["count"]) for t in so[0]["tiers"]] == [
        ("Tốt", 1),
        ("Khá", 1),
        ("Trung bình", 0),
    ]
    assert [(t["label"], t["count"]) for t in huyen[0]["tiers"]] == [
        ("Tốt", 0),
        ("Khá", 0),
        ("Trung bình", 1),
    ]


def test_previous_result_in_another_block_is_not_compared(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """Sở Xây dựng ranked 1st among the districts in 2020 has no change of rank among the
    departments in 2021; the districts' statistics of 2020 count it."""
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_text(
        "\n".join(
            [
                PREVIOUS_HEADER,
                "Sở Tài chính,so,2020,1,75,95",
                "Sở Xây dựng,huyen,2020,1,70,82",
                "UBND huyện An Lão,huyen,2020,2,60,55",
            ]
        )
        + "\n",
        encoding="utf-8",
    )
    code, out, err = score(capsys, data, "--previous", previous, "--format", "json")
    assert (code, err) == (0, "")
    blocks = json.loads(out)["blocks"]
    units = {u["unit"]: u for b in blocks for u in b["units"]}
    assert units["Sở Xây dựng"]["previous"] == [
        {"year": 2020, "rank": None, "score": None, "rank_change": None, "score_change": None}
    ]
    assert units["Sở Tài chính"]["previous"][0]["rank"] == 1
    assert units["UBND huyện An Lão"]["previous"][0]["rank"] == 2
    so, huyen = (block["stats"]["previous"] for block in blocks)
    assert (so[0]["count"], so[0]["mean_score"]) == (1, 75)
    assert (huyen[0]["count"], huyen[0]["mean_score"]) == (2, 65)


SINGLE_BLOCK = """
id: mot-khoi-2021
name: Một khối
assessor: Thử
year: 2021
blocks: [{code: so, name: Sở}]
criteria:
  - {code: A, name: Điểm, max: 10}
"""


def test_previous_block_may_be_empty_when_the_framework_has_one(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework = tmp_path / "mot-khoi-2021.yaml"
    framework.write_text(SINGLE_BLOCK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text("unit,A\nSở Một,9\nSở Hai,7\n", encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_text("unit,block,year,rank,score\nSở Một,,2020,2,6\n", encoding="utf-8")
    code, out, err = run(
        capsys, "score", "-f", framework, "-d", data, "--previous", previous, "--format", "json"
    )
    assert (code, err) == (0, "")
    (block,) = json.loads(out)["blocks"]
    first = next(u for u in block["units"] if u["unit"] == "Sở Một")
    assert first["previous"] == [
        {"year": 2020, "rank": 2, "score": 6, "rank_change": 1, "score_change": 3}
    ]
    assert block["stats"]["previous"][0]["count"] == 1


def test_previous_file_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    previous = tmp_path / "results-2020.csv"
    previous.write_bytes(b"unit,block,year,rank,score\n" + CP1258_NAME + b",so,2020,1,75\n")
    code, out, err = score(capsys, data, "--previous", previous)
    assert_bad_input(code, out, err, *where(str(previous), 2), "--encoding cp1258")


# --- command-line mistakes and missing files ----------------------------------------------


def test_xlsx_format_needs_out(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    code, out, err = score(capsys, data, "--format", "xlsx")
    assert_bad_input(code, out, err, "--format xlsx needs --out")


def test_xlsx_out_into_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    target = tmp_path / "no-such-folder" / "results.xlsx"
    code, out, err = score(capsys, data, "--format", "xlsx", "--out", target)
    assert_bad_input(code, out, err, str(target))


def test_csv_out_into_missing_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    target = tmp_path / "no-such-folder" / "results.csv"
    code, out, err = score(capsys, data, "--format", "csv", "--out", target)
    assert_bad_input(code, out, err, str(target))


@pytest.mark.parametrize(
    ("argv", "fragments"),
    [
        pytest.param(["score", "--data", "x.csv"], ["--framework"], id="score-without-framework"),
        pytest.param(["score", "-f", FRAMEWORK], ["--data"], id="score-without-data"),
        pytest.param(
            ["score", "-f", FRAMEWORK, "-d", "x.csv", "--format", "pdf"],
            ["--format", "'pdf'"],
            id="score-unknown-format",
        ),
        pytest.param(["audit", "-f", FRAMEWORK], ["--table"], id="audit-without-table"),
        pytest.param(["grade"], ["'grade'"], id="unknown-command"),
    ],
)
def test_usage_errors(
    capsys: pytest.CaptureFixture[str], argv: list[str], fragments: list[str]
) -> None:
    code, out, err = run(capsys, *argv)
    assert (code, out) == (2, "")
    assert "Traceback" not in err
    assert err.count("\n") == 1 and err.startswith("chiso"), err
    for fragment in fragments:
        assert fragment in err


@pytest.mark.parametrize(
    ("command"),
    [
        pytest.param(["validate"], id="validate"),
        pytest.param(["score", "--data", "units.csv"], id="score"),
        pytest.param(["audit", "--table", "bang-1.csv"], id="audit"),
    ],
)
@pytest.mark.parametrize("framework", ["binh-dinh-2099", "missing/my-province.yaml"])
def test_unknown_framework(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: list[str], framework: str
) -> None:
    target = str(tmp_path / framework) if "/" in framework else framework
    argv = [command[0], target] if command == ["validate"] else [*command, "-f", target]
    code, out, err = run(capsys, *argv)
    assert_bad_input(code, out, err, target, "no such file", "binh-dinh-2021")


def test_framework_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = run(capsys, "validate", tmp_path)
    assert_bad_input(code, out, err, str(tmp_path), "cannot be read")


@pytest.mark.parametrize(
    ("option"),
    [
        pytest.param("--data", id="data"),
        pytest.param("--previous", id="previous"),
    ],
)
def test_missing_data_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, option: str) -> None:
    data = tmp_path / "units.csv"
    data.write_text(csv_text(), encoding="utf-8")
    missing = tmp_path / "units-2021.csv"
    argv = ["--data", missing] if option == "--data" else ["--data", data, "--previous", missing]
    code, out, err = run(capsys, "score", "--framework", FRAMEWORK, *argv)
    assert_bad_input(code, out, err, str(missing), "cannot be read")


def test_data_file_is_a_folder(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, err = score(capsys, tmp_path)
    assert_bad_input(code, out, err, str(tmp_path), "cannot be read")


# --- framework files ----------------------------------------------------------------------

GOOD_FRAMEWORK = """\
id: thu-nghiem-2024
name: Đánh giá thử nghiệm năm 2024
assessor: Sở Thông tin và Truyền thông
year: 2024
blocks:
  - code: so
    name: Sở, ban, ngành
classification:
  basis: percent
  tiers:
    - {label: Tốt, min: 80}
    - {label: Khá, min: 60}
    - {label: Trung bình}
criteria:
  - code: A
    name: Hạ tầng kỹ thuật
    max: 10
  - code: B
    name: Ứng dụng
    children:
      - code: B.1
        name: Dịch vụ công trực tuyến
        max: 5
        rule: {type: points}
      - code: B.2
        name: Có giải pháp khuyến khích
        max: 1
        rule: {type: yes_no}
"""

# What the YAML parser says: libyaml's words, or PyYAML's where libyaml is not installed.
MAPPING_VALUES = (
    "mapping values are not allowed in this context",
    "mapping values are not allowed here",
)
NO_DASH = (
    "did not find expected '-' indicator",
    "expected <block end>, but found '<block mapping start>'",
    "expected <block end>, but found '?'",
)
NO_KEY = ("did not find expected key", "expected <block end>, but found '<block mapping start>'")
ONE_PART = "; the fields of one part line up"

YAML_CASES = [
    # id, (old, new) in GOOD_FRAMEWORK, the reported line holds this text, the parser's words,
    # the hint after them ({above}: the number of the line above): the whole line is
    # "FILE, line N: malformed YAML: WORDS (HINT)"
    (
        "yaml-colon-in-name",
        ("name: Hạ tầng kỹ thuật", "name: Hạ tầng: kỹ thuật"),
        "name: Hạ tầng: kỹ thuật",
        MAPPING_VALUES,
        "a text containing ': ' must be put in quotes: name: \"Hạ tầng: kỹ thuật\"",
    ),
    (
        "yaml-colon-in-name-with-quotes-and-a-comment",
        ("name: Hạ tầng kỹ thuật", 'name: Hạ tầng "số": mạng  # xem lại'),
        "name: Hạ tầng",
        MAPPING_VALUES,
        """a text containing ': ' must be put in quotes: name: 'Hạ tầng "số": mạng'""",
    ),
    (
        "yaml-colon-at-the-end-of-a-name",
        ("name: Hạ tầng kỹ thuật", "name: Hạ tầng kỹ thuật:"),
        "name: Hạ tầng kỹ thuật:",
        MAPPING_VALUES,
        "a text ending in ':' must be put in quotes: name: \"Hạ tầng kỹ thuật:\"",
    ),
    (
        "yaml-colon-in-braces",
        ("{label: Khá, min: 60}", "{label: Khá: đạt, min: 60}"),
        "{label: Khá: đạt",
        ("did not find expected ',' or '}'", "expected ',' or '}', but got ':'"),
        "a text containing ': ' must be put in quotes",
    ),
    (
        "yaml-no-space-after-colon",
        ("name: Hạ tầng kỹ thuật", "name:Hạ tầng kỹ thuật"),
        "    max: 10",
        ("could not find expected ':'",),
        "put a space after the ':' on line {above}",
    ),
    (
        "yaml-no-colon-after-a-name",
        ("name: Hạ tầng kỹ thuật", "name Hạ tầng kỹ thuật"),
        "    max: 10",
        ("could not find expected ':'",),
        "line {above} has no ': ' after the name of a field",
    ),
    (
        "yaml-field-indented-more-than-the-one-above",
        ("    max: 10", "      max: 10"),
        "      max: 10",
        MAPPING_VALUES,
        "check the indentation: 'max' is 2 spaces right of 'name' on line {above}" + ONE_PART,
    ),
    (
        "yaml-field-indented-more-than-the-code-of-its-item",
        ("    name: Ứng dụng", "     name: Ứng dụng"),
        "     name: Ứng dụng",
        MAPPING_VALUES,
        "check the indentation: 'name' is 1 space right of 'code' on line {above}" + ONE_PART,
    ),
    (
        "yaml-field-of-an-item-indented-less",
        ("        name: Dịch vụ công trực tuyến", "       name: Dịch vụ công trực tuyến"),
        "       name: Dịch vụ",
        NO_DASH,
        "check the indentation: 'name' is 1 space left of 'code' on line {above}" + ONE_PART,
    ),
    (
        "yaml-field-of-an-item-at-its-dash",
        ("        rule: {type: points}", "      rule: {type: points}"),
        "      rule: {type: points}",
        NO_DASH,
        "check the indentation: 'rule' is 2 spaces left of 'max' on line {above}" + ONE_PART,
    ),
    (
        "yaml-field-indented-less-than-the-one-above",
        ("  basis: percent\n  tiers:", "   basis: percent\n  tiers:"),
        "  tiers:",
        NO_KEY,
        "check the indentation: 'tiers' is 1 space left of 'basis' on line {above}" + ONE_PART,
    ),
    (
        "yaml-list-item-indented-more",
        ("      - code: B.2", "       - code: B.2"),
        "       - code: B.2",
        (
            "did not find expected '-' indicator",
            "expected <block end>, but found '<block sequence start>'",
        ),
        "check the indentation of this line and the one above",
    ),
]

B2_RULE = "        rule: {type: yes_no}\n"  # the rule of B.2, worth 1 point
TIERS = "classification:\n  basis: percent\n  tiers:\n    - {label: Tốt, min: 80}\n    - {label: Khá, min: 60}\n    - {label: Trung bình}\n"
TWO_BLOCKS = (
    "  - code: so\n    name: Sở, ban, ngành\n",
    "  - code: so\n    name: Sở, ban, ngành\n  - code: huyen\n    name: UBND cấp huyện\n",
)


def good_line(text: str) -> int:
    """The number of the line of GOOD_FRAMEWORK that holds ``text`` (a message names it)."""
    return GOOD_FRAMEWORK.count("\n", 0, GOOD_FRAMEWORK.index(text)) + 1


def b2_rule(*lines: str) -> list[tuple[str, str]]:
    """The change that gives B.2 a rule written over several lines (each list item on its own)."""
    return [(B2_RULE, "".join(f"        {line}\n" for line in ["rule:", *lines]))]


FRAMEWORK_FIELD_CASES = [
    # id, changes (old, new) to GOOD_FRAMEWORK, the reported line holds this text, field path,
    # message: the whole line is "FILE, line N: FIELD: MESSAGE"
    # -- values of the wrong kind
    (
        "max-not-a-number",
        [("max: 10", "max: mười")],
        "max: mười",
        "criteria.A.max",
        "'mười' is not a number",
    ),
    (
        "max-a-list",
        [("max: 10", "max: [5, 5]")],
        "max: [5, 5]",
        "criteria.A.max",
        "a list is not a number",
    ),
    (
        "max-of-a-block-not-a-number",
        [("max: 10", "max: {so: abc}")],
        "max: {so: abc}",
        "criteria.A.max.so",
        "'abc' is not a number",
    ),
    (
        "points-with-commas",
        b2_rule(
            "  type: choice",
            "  options:",
            "    - {value: có, points: 1}",
            "    - value: một phần",
            "      points: 1,2,3",
        ),
        "points: 1,2,3",
        "criteria.B.children.B.2.rule.options.[1].points",
        "'1,2,3' is not a number",
    ),
    (
        "points-with-a-comma-in-braces",
        b2_rule(
            "  type: choice",
            "  options:",
            "    - {value: có, points: 1}",
            "    - {value: một phần, points: 0,5}",
        ),
        "- {value: một phần",
        "criteria.B.children.B.2.rule.options.[1].5",
        "unknown field 5 (inside {…} a comma starts another field: put a number written with a comma in quotes, e.g. '1,5')",
    ),
    (
        "band-min-not-a-number",
        b2_rule(
            "  type: bands",
            "  bands:",
            "    - {min: 0, points: 0}",
            "    - {min: năm mươi, points: 1}",
        ),
        "- {min: năm mươi",
        "criteria.B.children.B.2.rule.bands.[1].min",
        "'năm mươi' is not a number",
    ),
    (
        "full-at-zero",
        [(B2_RULE, "        rule: {type: proportional, full_at: 0}\n")],
        "rule: {type: proportional",
        "criteria.B.children.B.2.rule.full_at",
        "must be more than 0, not 0",
    ),
    (
        "year-not-a-number",
        [("year: 2024", "year: hai nghìn")],
        "year: hai nghìn",
        "year",
        "'hai nghìn' is not a whole number",
    ),
    (
        "version-a-decimal-number",
        [("year: 2024", "year: 2024\nversion: 1.10")],
        "version: 1.10",
        "version",
        'the version must be text, not 1.1: put it in quotes, e.g. version: "1.10" (unquoted,'
        " YAML reads 1.10 as the number 1.1)",
    ),
    (
        "version-a-list",
        [("year: 2024", "year: 2024\nversion: [1]")],
        "version: [1]",
        "version",
        'the version must be text, not a list: put it in quotes, e.g. version: "1.10" (unquoted,'
        " YAML reads 1.10 as the number 1.1)",
    ),
    (
        "year-too-early",
        [("year: 2024", "year: 1800")],
        "year: 1800",
        "year",
        "must be at least 1990, not 1800",
    ),
    (
        "precision-negative",
        [("basis: percent", "basis: percent\n  precision: -1")],
        "precision: -1",
        "classification.precision",
        "must be at least 0, not -1",
    ),
    (
        "id-with-capitals-and-accents",
        [("id: thu-nghiem-2024", "id: Thử nghiệm")],
        "id: Thử nghiệm",
        "id",
        "'Thử nghiệm' is not an id: use lowercase letters without accents, digits, '-', '_' and '.', beginning with a letter or a digit, e.g. binh-dinh-2021",
    ),
    (
        "code-with-a-space",
        [("- code: B.2", "- code: B 2")],
        "- code: B 2",
        "criteria.B.children.B 2.code",
        "'B 2' is not a code: a code has no spaces, ':', ';' or ','",
    ),
    (
        "code-empty",
        [("- code: B.2", "- code: ''")],
        "- code: ''",
        "criteria.B.children.[1].code",
        "must not be empty",
    ),
    (
        "name-a-number",
        [("name: Hạ tầng kỹ thuật", "name: 2024")],
        "name: 2024",
        "criteria.A.name",
        "must be text, not the number 2024: put it in quotes",
    ),
    (
        "name-empty",
        [("name: Hạ tầng kỹ thuật", "name:")],
        "    name:\n",
        "criteria.A.name",
        "this field is empty",
    ),
    (
        "not-true-or-false",
        [("    max: 10\n", "    max: 10\n    evidence_required: maybe\n")],
        "evidence_required: maybe",
        "criteria.A.evidence_required",
        "'maybe' is not true or false",
    ),
    (
        "unknown-ties",
        [("classification:", "ranking:\n  ties: shared\nclassification:")],
        "ties: shared",
        "ranking.ties",
        "must be 'competition', 'dense' or 'ordinal', not 'shared'",
    ),
    (
        "one-option",
        b2_rule("  type: choice", "  options:", "    - {value: có, points: 1}"),
        "  options:",
        "criteria.B.children.B.2.rule.options",
        "needs at least 2 items",
    ),
    (
        "no-criteria",
        [(GOOD_FRAMEWORK[GOOD_FRAMEWORK.index("criteria:") :], "criteria: []\n")],
        "criteria: []",
        "criteria",
        "needs at least one item",
    ),
    (
        "children-not-a-list",
        [("    max: 10\n", "    max: 10\n    children: 3\n")],
        "children: 3",
        "criteria.A.children",
        "must be a list, not 3",
    ),
    (
        "rule-not-a-mapping",
        [(B2_RULE, "        rule: yes_no\n")],
        "rule: yes_no",
        "criteria.B.children.B.2.rule",
        "must be a mapping of fields (name: value), not 'yes_no'",
    ),
    (
        "rule-without-type",
        [(B2_RULE, "        rule: {full_at: 80}\n")],
        "rule: {full_at: 80}",
        "criteria.B.children.B.2.rule.type",
        "this field is required (known: 'yes_no', 'yes_no_evidence', 'bands', 'proportional', 'count', 'choice', 'relative', 'info', 'points')",
    ),
    (
        "unknown-rule-type",
        [(B2_RULE, "        rule: {type: có_không}\n")],
        "rule: {type: có_không}",
        "criteria.B.children.B.2.rule",
        "unknown rule type 'có_không' (known: 'yes_no', 'yes_no_evidence', 'bands', 'proportional', 'count', 'choice', 'relative', 'info', 'points')",
    ),
    (
        "unknown-field",
        [("    max: 10\n", "    max: 10\n    weight: 2\n")],
        "weight: 2",
        "criteria.A.weight",
        "unknown field (see docs/frameworks.md for the fields of each part)",
    ),
    (
        "missing-name",
        [("  - code: A\n    name: Hạ tầng kỹ thuật\n", "  - code: A\n")],
        "- code: A",
        "criteria.A.name",
        "this field is required",
    ),
    # -- a misspelt field: named rather than the required field it misses, with the field of
    # that part it most resembles
    (
        "misspelt-required-field",
        b2_rule(
            "  type: bands", "  bands:", "    - {min: 0, points: 0}", "    - {mim: 50, points: 1}"
        ),
        "- {mim: 50",
        "criteria.B.children.B.2.rule.bands.[1].mim",
        "unknown field (did you mean 'min'?)",
    ),
    (
        "misspelt-required-field-like-none",
        [("    name: Hạ tầng kỹ thuật\n", "    title: Hạ tầng kỹ thuật\n")],
        "title: Hạ tầng",
        "criteria.A.title",
        "unknown field (see docs/frameworks.md for the fields of each part)",
    ),
    (
        "misspelt-optional-field",
        [("    max: 10\n", "    max: 10\n    evidence_requried: true\n")],
        "evidence_requried: true",
        "criteria.A.evidence_requried",
        "unknown field (did you mean 'evidence_required'?)",
    ),
    (
        "misspelt-top-level-field",
        [("assessor:", "assesor:")],
        "assesor:",
        "assesor",
        "unknown field (did you mean 'assessor'?)",
    ),
    (
        "misspelt-field-of-a-rule",
        [(B2_RULE, "        rule: {type: proportional, ful_at: 80}\n")],
        "rule: {type: proportional",
        "criteria.B.children.B.2.rule.ful_at",
        "unknown field (did you mean 'full_at'?)",
    ),
    (
        "misspelt-field-of-a-count",
        [(B2_RULE, "        rule: {type: count, per_itme: 1}\n")],
        "rule: {type: count",
        "criteria.B.children.B.2.rule.per_itme",
        "unknown field (did you mean 'per_item'?)",
    ),
    (
        "misspelt-field-of-an-option",
        b2_rule(
            "  type: choice",
            "  options:",
            "    - {value: có, label: Có, points: 1}",
            "    - {value: không, lable: Không, points: 0}",
        ),
        "- {value: không",
        "criteria.B.children.B.2.rule.options.[1].lable",
        "unknown field (did you mean 'label'?)",
    ),
    (
        "misspelt-field-of-a-tier",
        [("{label: Khá, min: 60}", "{label: Khá, mn: 60}")],
        "- {label: Khá, mn: 60}",
        "classification.tiers.[1].mn",
        "unknown field (did you mean 'min'?)",
    ),
    (
        "field-of-another-part",  # a block has no max: no criterion's field is suggested
        [("    name: Sở, ban, ngành\n", "    name: Sở, ban, ngành\n    max: 10\n")],
        "    max: 10\nclass",
        "blocks.so.max",
        "unknown field (see docs/frameworks.md for the fields of each part)",
    ),
    (
        "misspelt-rule-type",
        [(B2_RULE, "        rule: {type: proportinal}\n")],
        "rule: {type: proportinal}",
        "criteria.B.children.B.2.rule",
        "unknown rule type 'proportinal' (did you mean 'proportional'? known: 'yes_no', 'yes_no_evidence', 'bands', 'proportional', 'count', 'choice', 'relative', 'info', 'points')",
    ),
    # -- a key written twice in one mapping: YAML would keep the last silently
    (
        "duplicate-key",
        [("        max: 5\n", "        max: 5\n        max: 3\n")],
        "max: 3",
        "criteria.B.children.B.1.max",
        f"duplicate key 'max' (also on line {good_line('        max: 5')})",
    ),
    (
        "duplicate-key-same-value",
        [("        max: 5\n", "        max: 5\n        max: 5\n")],
        "max: 5\n        rule",
        "criteria.B.children.B.1.max",
        f"duplicate key 'max' (also on line {good_line('        max: 5')})",
    ),
    (
        "duplicate-key-quoted",
        [("        max: 5\n", "        max: 5\n        'max': 3\n")],
        "'max': 3",
        "criteria.B.children.B.1.max",
        f"duplicate key 'max' (also on line {good_line('        max: 5')})",
    ),
    (
        "duplicate-key-in-braces",
        [(B2_RULE, "        rule: {type: yes_no, type: points}\n")],
        "rule: {type: yes_no, type",
        "criteria.B.children.B.2.rule.type",
        f"duplicate key 'type' (also on line {good_line(B2_RULE)})",
    ),
    (
        "duplicate-key-at-the-top",
        [("year: 2024\n", "year: 2024\nyear: 2025\n")],
        "year: 2025",
        "year",
        f"duplicate key 'year' (also on line {good_line('year: 2024')})",
    ),
    (
        "duplicate-code-key-of-a-block",
        [("    name: Sở, ban, ngành\n", "    name: Sở, ban, ngành\n    code: xa\n")],
        "code: xa",
        "blocks.so.code",
        f"duplicate key 'code' (also on line {good_line('  - code: so')})",
    ),
    (
        "duplicate-key-next-to-a-merge-key",
        [
            ("        rule: {type: points}\n", "        rule: &ratio {type: proportional}\n"),
            (B2_RULE, "        rule: {<<: *ratio, full_at: 80, full_at: 90}\n"),
        ],
        "rule: {<<: *ratio",
        "criteria.B.children.B.2.rule.full_at",
        f"duplicate key 'full_at' (also on line {good_line(B2_RULE)})",
    ),
    (
        "duplicate-keys-the-first-in-the-file",
        [
            ("{label: Tốt, min: 80}", "{label: Tốt, min: 80, min: 85}"),
            (B2_RULE, B2_RULE + "year: 2025\n"),  # the top level's, at the end of the file
        ],
        "- {label: Tốt, min: 80, min",
        "classification.tiers.[0].min",
        f"duplicate key 'min' (also on line {good_line('{label: Tốt')})",
    ),
    # -- checks of a part, at the field or item concerned
    (
        "missing-max",
        [("        max: 5\n", "")],
        "- code: B.1",
        "criteria.B.children.B.1",
        "a criterion without children needs 'max'",
    ),
    (
        "negative-max",
        [("max: 10", "max: -10")],
        "max: -10",
        "criteria.A.max",
        "max must not be negative",
    ),
    (
        "negative-max-of-a-block",
        [("max: 10", "max: {so: -10}")],
        "max: {so: -10}",
        "criteria.A.max.so",
        "max must not be negative",
    ),
    (
        "rule-on-a-group",
        [("    name: Ứng dụng\n", "    name: Ứng dụng\n    rule: {type: points}\n")],
        "    rule: {type: points}\n    children",
        "criteria.B.rule",
        "a criterion with children is the sum of its children: no 'rule'",
    ),
    (
        "info-with-max",
        [(B2_RULE, "        rule: {type: info}\n")],
        "        max: 1\n",
        "criteria.B.children.B.2.max",
        "an 'info' criterion is worth 0 points: leave out 'max'",
    ),
    (
        "bands-out-of-order",
        b2_rule(
            "  type: bands", "  bands:", "    - {min: 50, points: 0}", "    - {min: 10, points: 1}"
        ),
        "- {min: 10",
        "criteria.B.children.B.2.rule.bands.[1].min",
        "bands must be listed by ascending 'min'",
    ),
    (
        "thresholds-out-of-order",
        b2_rule(
            "  type: count",
            "  thresholds:",
            "    - {min: 5, points: 0}",
            "    - {min: 1, points: 1}",
        ),
        "- {min: 1,",
        "criteria.B.children.B.2.rule.thresholds.[1].min",
        "thresholds must be listed by ascending 'min'",
    ),
    (
        "count-with-both-ways",
        [
            (
                B2_RULE,
                "        rule: {type: count, per_item: 1, thresholds: [{min: 1, points: 1}]}\n",
            )
        ],
        "rule: {type: count",
        "criteria.B.children.B.2.rule",
        "a count rule needs exactly one of 'thresholds' or 'per_item'",
    ),
    (
        "option-value-twice",
        b2_rule(
            "  type: choice",
            "  options:",
            "    - {value: có, points: 1}",
            "    - {value: Có, points: 0}",
        ),
        "- {value: Có",
        "criteria.B.children.B.2.rule.options.[1].value",
        "option values must be unique",
    ),
    (
        "tiers-out-of-order",
        [("{label: Khá, min: 60}", "{label: Khá, min: 85}")],
        "- {label: Khá, min: 85}",
        "classification.tiers.[1].min",
        "tiers must be listed from the highest 'min' to the lowest",
    ),
    (
        "tier-without-min",
        [("{label: Tốt, min: 80}", "{label: Tốt}")],
        "- {label: Tốt}",
        "classification.tiers.[0]",
        "tier 1 needs a 'min': only the last tier may omit it",
    ),
    (
        "tier-label-twice",
        [("{label: Khá, min: 60}", "{label: Tốt, min: 60}")],
        "- {label: Tốt, min: 60}",
        "classification.tiers.[1].label",
        "tier labels must be unique",
    ),
    (
        "last-tier-with-min",
        [("{label: Trung bình}", "{label: Trung bình, min: 40}")],
        "- {label: Trung bình",
        "classification.tiers.[2].min",
        "the last tier has a 'min': say what a unit below it gets with 'below_lowest', or leave out the last tier's 'min'",
    ),
    (
        "below-lowest-without-min",
        [
            (
                "    - {label: Trung bình}\n",
                "    - {label: Trung bình}\n  below_lowest: {label: KXH}\n",
            )
        ],
        "below_lowest:",
        "classification.below_lowest",
        "'below_lowest' needs a 'min' on the last tier",
    ),
    # -- checks across the file, at the field or item concerned
    (
        "block-code-twice",
        [(TWO_BLOCKS[0], TWO_BLOCKS[1].replace("code: huyen", "code: so"))],
        "- code: so\n    name: UBND",
        "blocks.so.code",
        "block codes must be unique",
    ),
    (
        "display-scale-of-a-block",
        [
            (
                "    name: Sở, ban, ngành\n",
                "    name: Sở, ban, ngành\n    display:\n      scale: ratio\n",
            )
        ],
        "scale: ratio",
        "blocks.so.display.scale",
        "the display scale is set for the whole framework (display.scale), not per block",
    ),
    (
        "duplicate-criterion-code",
        [("- code: B.2", "- code: B.1")],
        "- code: B.1\n        name: Có giải pháp",
        "criteria.B.children.B.1.code",
        "criterion code 'B.1' is used twice",
    ),
    (
        "duplicate-top-level-code",
        [("- code: B\n", "- code: A\n")],
        "- code: A\n    name: Ứng dụng",
        "criteria.A.code",
        "criterion code 'A' is used twice",
    ),
    (
        "max-of-unknown-block",
        [("max: 10", "max: {so: 10, xa: 12}")],
        "max: {so: 10",
        "criteria.A.max.xa",
        "max names unknown block 'xa'",
    ),
    (
        "max-of-a-block-no-part-applies-to",
        [
            TWO_BLOCKS,
            ("        max: 5\n", "        max: {so: 5}\n"),
            ("        max: 1\n", "        max: {so: 1}\n"),
            ("    name: Ứng dụng\n", "    name: Ứng dụng\n    max: {so: 6, huyen: 6}\n"),
        ],
        "max: {so: 6",
        "criteria.B.max.huyen",
        "max is given for block 'huyen', but none of its parts applies to that block",
    ),
    (
        "group-max-not-the-sum",
        [("    name: Ứng dụng\n", "    name: Ứng dụng\n    max: 7\n")],
        "max: 7",
        "criteria.B.max",
        "max 7 for block 'so' is not the sum of its children (6)",
    ),
    (
        "group-max-without-a-part-written-outside-it",
        [
            ("    name: Ứng dụng\n", "    name: Ứng dụng\n    max: 6\n"),
            (
                "      - code: B.2\n        name: Có giải pháp khuyến khích\n        max: 1\n"
                + B2_RULE,
                "  - code: B.2\n    name: Có giải pháp khuyến khích\n    max: 1\n    rule: {type: yes_no}\n",
            ),
        ],
        "max: 6",
        "criteria.B.max",
        "max 6 for block 'so' is not the sum of its children (5); B.2 is not one of them: check its indentation",
    ),
    (
        "points-above-max",
        b2_rule(
            "  type: bands", "  bands:", "    - {min: 0, points: 0}", "    - {min: 50, points: 2}"
        ),
        "- {min: 50, points: 2}",
        "criteria.B.children.B.2.rule.bands.[1].points",
        "2 points exceed the criterion's max 1 in block 'so'",
    ),
    (
        "tag-not-declared",
        [("    max: 10\n", "    max: 10\n    tags: [dvc]\n")],
        "tags: [dvc]",
        "criteria.A.tags.[0]",
        "tag 'dvc' is not declared in 'tags'",
    ),
    (
        "tag-on-a-criterion-and-its-group",
        [
            ("classification:", "tags:\n  - {code: dvc, name: Dịch vụ công}\nclassification:"),
            ("    name: Ứng dụng\n", "    name: Ứng dụng\n    tags: [dvc]\n"),
            ("        max: 5\n", "        max: 5\n        tags: [dvc]\n"),
        ],
        "        tags: [dvc]",
        "criteria.B.children.B.1.tags.[0]",
        "tag 'dvc' is already on B, which contains this criterion (it would be counted twice)",
    ),
    (
        "classify-without-tiers",
        [(TIERS, ""), ("    max: 10\n", "    max: 10\n    classify: true\n")],
        "classify: true",
        "criteria.A.classify",
        "'classify' needs a classification for block 'so'",
    ),
    (
        "unknown-tie-breaker",
        [("classification:", "ranking:\n  tie_breakers:\n    - A\n    - C\nclassification:")],
        "    - C\n",
        "ranking.tie_breakers.[1]",
        "tie breaker 'C' is not a criterion code",
    ),
    (
        "unknown-tie-breaker-of-a-block",
        [
            (
                "    name: Sở, ban, ngành\n",
                "    name: Sở, ban, ngành\n    ranking:\n      tie_breakers: [C]\n",
            )
        ],
        "tie_breakers: [C]",
        "blocks.so.ranking.tie_breakers.[0]",
        "tie breaker 'C' is not a criterion code",
    ),
]


def _framework_text(*changes: tuple[str, str]) -> str:
    text = GOOD_FRAMEWORK
    for old, new in changes:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    return text


def _line_of(text: str, marker: str) -> int:
    position = text.index(marker)
    if marker.startswith("- "):
        position += 2  # a list item's mapping starts after its dash, on the same line
    return text.count("\n", 0, position) + 1


def _bad_framework(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str, text: str
) -> tuple[Path, int, str, str]:
    framework = tmp_path / "my-province-2024.yaml"
    framework.write_text(text, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text("unit,block,A,B\nSở Tài chính,so,9,5\n", encoding="utf-8")
    argv = {
        "validate": ["validate", framework],
        "score": ["score", "-f", framework, "-d", data],
        "audit": ["audit", "-f", framework, "-t", data],
    }[command]
    return framework, *run(capsys, *argv)


@pytest.mark.parametrize(
    ("change", "marker", "words", "hint"),
    [pytest.param(*case[1:], id=case[0]) for case in YAML_CASES],
)
@pytest.mark.parametrize("command", ["validate", "score", "audit"])
def test_bad_framework(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    change: tuple[str, str],
    marker: str,
    words: tuple[str, ...],
    hint: str,
) -> None:
    text = _framework_text(change)
    framework, code, out, err = _bad_framework(capsys, tmp_path, command, text)
    assert_bad_input(code, out, err)
    line = _line_of(text, marker)
    hint = hint.format(above=line - 1)
    expected = [
        f"chiso: error: {framework}, line {line}: malformed YAML: {w} ({hint})\n" for w in words
    ]
    assert err in expected


def test_framework_with_a_tab(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    text = _framework_text(("    max: 10", "\tmax: 10"))
    framework, code, out, err = _bad_framework(capsys, tmp_path, "validate", text)
    line = _line_of(text, "\tmax")
    assert_bad_input(code, out, err, f"{framework}, line {line}: malformed YAML: ")


@pytest.mark.parametrize(
    ("changes", "marker", "field", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in FRAMEWORK_FIELD_CASES],
)
@pytest.mark.parametrize("command", ["validate", "score", "audit"])
def test_bad_framework_names_line_field_and_problem(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    command: str,
    changes: list[tuple[str, str]],
    marker: str,
    field: str,
    message: str,
) -> None:
    text = _framework_text(*changes)
    framework, code, out, err = _bad_framework(capsys, tmp_path, command, text)
    assert_bad_input(code, out, err)
    assert err == f"chiso: error: {framework}, line {_line_of(text, marker)}: {field}: {message}\n"


def test_good_framework(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    framework = tmp_path / "my-province-2024.yaml"
    framework.write_text(GOOD_FRAMEWORK, encoding="utf-8")
    code, out, err = run(capsys, "validate", framework)
    assert (code, err) == (0, "")
    assert "valid" in out and "16 points" in out


def test_framework_with_a_merge_key(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    # a key of the mapping itself replaces the merged one of the same name: not a duplicate
    text = _framework_text(
        ("        rule: {type: points}\n", "        rule: &ratio {type: proportional}\n"),
        (B2_RULE, "        rule: {<<: *ratio, full_at: 80}\n"),
    )
    framework = tmp_path / "my-province-2024.yaml"
    framework.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "validate", framework)
    assert (code, err) == (0, "")
    assert "valid" in out
    rules = [parse_framework(text).node(criterion).rule for criterion in ("B.1", "B.2")]
    assert [(rule.type, rule.full_at) for rule in rules] == [
        ("proportional", 100),
        ("proportional", 80),
    ]


@pytest.mark.parametrize(
    ("raw", "line", "message"),
    [
        pytest.param(b"", None, "must be a mapping", id="empty"),
        pytest.param(b"# only a comment\n", None, "must be a mapping", id="only-a-comment"),
        pytest.param(b"- code: A\n- code: B\n", 1, "must be a mapping", id="a-list"),
        pytest.param(b"just some text\n", 1, "must be a mapping", id="a-string"),
        pytest.param(
            GOOD_FRAMEWORK.replace("Sở, ban", "S\xf5\xd2, ban").encode("latin-1", "replace"),
            None,
            "is not UTF-8 text",
            id="not-utf8",
        ),
    ],
)
def test_framework_not_a_framework(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    raw: bytes,
    line: int | None,
    message: str,
) -> None:
    framework = tmp_path / "my-province-2024.yaml"
    framework.write_bytes(raw)
    code, out, err = run(capsys, "validate", framework)
    fragments = [str(framework), message] + ([f", line {line}:"] if line else [])
    assert_bad_input(code, out, err, *fragments)


# --- published tables of chiso audit ------------------------------------------------------

TABLE_HEADER = "unit,block,not_applicable,I,II,III,IV,V,VI,score,percent,rank,tier"
TABLE_ROWS = [
    "Sở Thông tin và Truyền thông,so,,13,32,15,5,8,12,85,100,1,Tốt",  # row 2
    "Sở Xây dựng,so,,13,32,15,5,8,11,84,99,2,Tốt",  # row 3
]


def table_text(header: str = TABLE_HEADER, rows: list[str] | None = None) -> str:
    return "\n".join([header, *(TABLE_ROWS if rows is None else rows)]) + "\n"


AUDIT_CASES = [
    (
        "unknown-column",
        table_text(TABLE_HEADER + ",diem", [row + ",1" for row in TABLE_ROWS]),
        1,
        "diem",
        "unknown column",
    ),
    (
        "text-in-number-column",
        table_text(rows=[TABLE_ROWS[0], TABLE_ROWS[1].replace(",11,84,", ",mười một,84,")]),
        3,
        "VI",
        "'mười một' is not a number",
    ),
    (
        "text-score",
        table_text(rows=[TABLE_ROWS[0], TABLE_ROWS[1].replace(",84,", ",tám tư,")]),
        3,
        "score",
        "'tám tư' is not a number",
    ),
    (
        "bad-rank",
        table_text(rows=[TABLE_ROWS[0].replace(",1,Tốt", ",nhất,Tốt"), TABLE_ROWS[1]]),
        2,
        "rank",
        "'nhất' is not a rank",
    ),
    (
        "bad-earlier-rank",
        table_text(TABLE_HEADER + ",rank_2020", [TABLE_ROWS[0] + ",1", TABLE_ROWS[1] + ",-3"]),
        3,
        "rank_2020",
        "'-3' is not a rank",
    ),
    (
        "unknown-block",
        table_text(rows=[TABLE_ROWS[0], TABLE_ROWS[1].replace(",so,", ",sở,")]),
        3,
        "block",
        "unknown block 'sở'",
    ),
    (
        "unknown-code-in-not-applicable",
        table_text(rows=[TABLE_ROWS[0].replace(",so,,", ",so,II.c,"), TABLE_ROWS[1]]),
        2,
        "not_applicable",
        "unknown criterion code 'II.c'",
    ),
    (
        "unit-without-name",
        table_text(rows=[TABLE_ROWS[0], TABLE_ROWS[1].replace("Sở Xây dựng", "")]),
        3,
        "unit",
        "the unit has no name",
    ),
    (
        "missing-column-unit",
        table_text(TABLE_HEADER.replace("unit,", "don_vi,")),
        1,
        None,
        "missing column 'unit'",
    ),
    (
        "missing-column-block",
        table_text(
            TABLE_HEADER.replace("block,", ""), [r.replace(",so,", ",") for r in TABLE_ROWS]
        ),
        1,
        None,
        "missing column 'block'",
    ),
    ("empty-file", "", None, None, "the file is empty"),
    ("header-only", TABLE_HEADER + "\n", 1, None, "no units: the file has only a header"),
]


@pytest.mark.parametrize(
    ("text", "row", "column", "message"),
    [pytest.param(*case[1:], id=case[0]) for case in AUDIT_CASES],
)
def test_bad_published_table(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    text: str,
    row: int | None,
    column: str | None,
    message: str,
) -> None:
    table = tmp_path / "bang-1.csv"
    table.write_text(text, encoding="utf-8")
    code, out, err = run(capsys, "audit", "--framework", FRAMEWORK, "--table", table)
    assert_bad_input(code, out, err, *where(str(table), row, column), message)


def test_good_published_table(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = tmp_path / "bang-1.csv"
    table.write_text(table_text(), encoding="utf-8")
    code, out, err = run(capsys, "audit", "--framework", FRAMEWORK, "--table", table)
    assert (code, err) == (0, "")
    assert "No inconsistencies found." in out


@pytest.mark.parametrize(
    ("spec", "fragments"),
    [
        pytest.param("II.z={table}", ["{table}", "unknown criterion code 'II.z'"], id="bad-group"),
        pytest.param("II.a={missing}", ["{missing}", "cannot be read"], id="missing-file"),
        pytest.param("{missing}", ["{missing}", "cannot be read"], id="missing-file-no-group"),
        # the table of all groups given as the table of group II: its other groups' columns
        pytest.param(
            "II={table}",
            [
                "{table}, row 1: columns 'I', 'III', 'IV', 'V', 'VI' are not parts of group II:",
                "without 'II='",
            ],
            id="whole-table-as-a-group",
        ),
    ],
)
def test_bad_table_option(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, spec: str, fragments: list[str]
) -> None:
    table = tmp_path / "bang-1.csv"
    table.write_text(table_text(), encoding="utf-8")
    names = {"table": str(table), "missing": str(tmp_path / "bang-9.csv")}
    argv = ["audit", "-f", FRAMEWORK, "-t", spec.format(**names)]
    code, out, err = run(capsys, *argv)
    assert_bad_input(code, out, err, *(f.format(**names) for f in fragments))


def test_table_of_a_group_with_another_groups_column(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    table = tmp_path / "bang-1-2.csv"
    table.write_text("unit,block,II.a,II.b,III,score\nSở Xây dựng,so,17,15,15,32\n", "utf-8")
    code, out, err = run(capsys, "audit", "-f", FRAMEWORK, "-t", f"II={table}")
    assert_bad_input(
        code, out, err, *where(str(table), 1), "column 'III' is not a part of group II:"
    )
    code, out, err = run(capsys, "audit", "-f", FRAMEWORK, "-t", f"II.a={table}")
    assert_bad_input(
        code, out, err, *where(str(table), 1), "columns 'II.b', 'III' are not parts of group II.a:"
    )


def test_published_table_not_utf8(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    table = tmp_path / "bang-1.csv"
    table.write_bytes(
        TABLE_HEADER.encode()
        + b"\n"
        + CP1258_NAME
        + b",so,II.b.2,13,26,15,5,8,12,79,100,1,T\xf4\xect\n"
    )
    code, out, err = run(capsys, "audit", "-f", FRAMEWORK, "-t", table)
    assert_bad_input(code, out, err, *where(str(table), 2), "--encoding cp1258")
    code, out, err = run(capsys, "audit", "-f", FRAMEWORK, "-t", table, "--encoding", "cp1258")
    assert code == 0, err
    assert "No inconsistencies found." in out


def test_previous_tier_of_a_single_block_framework_with_an_empty_block(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """In a framework of one block, a previous row may leave its block empty (the only one)
    and still give a tier, read against that block's tiers."""
    framework = tmp_path / "framework.yaml"
    framework.write_text(GOOD_FRAMEWORK, encoding="utf-8")
    data = tmp_path / "units.csv"
    data.write_text("unit,A,B.1,B.2\nX,6,3,1\nY,9,5,1\n", encoding="utf-8")
    previous = tmp_path / "prev.csv"
    previous.write_text(
        "unit,block,year,rank,score,tier\nX,,2023,1,6,TỐT\nY,,2023,2,5,\n", encoding="utf-8"
    )
    code, out, err = run(
        capsys, "score", "-f", framework, "-d", data, "-p", previous, "--format", "json"
    )
    assert (code, err) == (0, "")
    (block,) = json.loads(out)["blocks"]
    (stats,) = block["stats"]["previous"]
    assert stats["year"] == 2023
    assert [(t["label"], t["count"]) for t in stats["tiers"]] == [
        ("Tốt", 1),
        ("Khá", 0),
        ("Trung bình", 1),
    ]
    previous.write_text("unit,block,year,rank,score,tier\nX,,2023,1,6,Giỏi\n", encoding="utf-8")
    code, out, err = run(capsys, "score", "-f", framework, "-d", data, "-p", previous)
    assert_bad_input(
        code, out, err, *where(str(previous), 2, "tier"), "unknown tier 'Giỏi' (the framework's"
    )
