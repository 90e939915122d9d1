"""The ``chiso`` command on good input: the demo data scored in every format, the JSON contract,
results that read back as next year's previous file, ``--out``, ``validate --list`` and the help
of every command."""

from __future__ import annotations

import csv
import io
import json
import os
from decimal import Decimal, localcontext
from pathlib import Path

import pytest

from chiso.cli import main

DEMO = Path(__file__).resolve().parents[1] / "src" / "chiso" / "demo"
DATA = DEMO / "binh-dinh-2021.csv"
PREVIOUS = DEMO / "binh-dinh-2020-ranks.csv"
FRAMEWORK = "binh-dinh-2021"
SHIPPED = ["binh-dinh-2021", "binh-phuoc-2021", "cao-bang-2020", "dti-922-2022", "son-la-2020"]


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:  # --help and --version exit through argparse
        code = stop.code if isinstance(stop.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def score(capsys: pytest.CaptureFixture[str], *more: object) -> tuple[int, str, str]:
    return run(capsys, "score", "--framework", FRAMEWORK, "--data", DATA, *more)


def score_json(capsys: pytest.CaptureFixture[str], *more: object) -> dict[str, object]:
    code, out, err = score(capsys, *more, "--format", "json")
    assert (code, err) == (0, "")
    result = json.loads(out)
    assert isinstance(result, dict)
    return result


def units_of(result: dict[str, object]) -> dict[str, dict[str, object]]:
    blocks = result["blocks"]
    assert isinstance(blocks, list)
    return {unit["unit"]: unit for block in blocks for unit in block["units"]}


@pytest.mark.parametrize("form", ["table", "csv", "json"])
def test_score_demo_in_every_format(capsys: pytest.CaptureFixture[str], form: str) -> None:
    code, out, err = score(capsys, "--previous", PREVIOUS, "--format", form)
    assert (code, err) == (0, "")
    assert "Sở Thông tin và Truyền thông" in out
    if form == "json":
        json.loads(out)
    if form == "csv":
        assert out.startswith("unit,block,year,rank,score,")


def test_default_format_is_the_table(capsys: pytest.CaptureFixture[str]) -> None:
    assert score(capsys) == score(capsys, "--format", "table")


def test_json_contract(capsys: pytest.CaptureFixture[str]) -> None:
    result = score_json(capsys, "--previous", PREVIOUS)
    assert result["framework"] == FRAMEWORK
    blocks = result["blocks"]
    assert isinstance(blocks, list)
    assert [block["block"] for block in blocks] == ["so", "huyen"]
    unit_keys = {
        "unit",
        "total",
        "max",
        "percent",
        "tier",
        "rank",
        "not_ranked_reason",
        "groups",
        "previous",
    }
    for block in blocks:
        assert {"block", "units", "stats"} <= set(block)
        assert block["units"]
        assert isinstance(block["stats"], dict)
        for unit in block["units"]:
            assert unit_keys <= set(unit), unit_keys - set(unit)
            assert isinstance(unit["groups"], dict)
            assert isinstance(unit["previous"], list)
    units = units_of(result)
    ict = units["Sở Thông tin và Truyền thông"]
    assert (ict["total"], ict["max"], ict["percent"], ict["tier"]) == (85, 85, 100, "Tốt")
    assert ict["rank"] == 1 and ict["not_ranked_reason"] is None
    assert ict["groups"]["I"] == 13
    finance = units["Sở Tài chính"]  # II.b.2 is not applicable: its maximum is 79
    assert (finance["total"], finance["max"], finance["percent"]) == (79, 79, 100)
    assert finance["previous"][0]["year"] == 2020
    assert finance["previous"][0]["rank"] == 1


def as_a_year_earlier(results: Path) -> None:
    """Results written by ``chiso score`` made last year's: their ``year`` column one less (a
    previous-results file holds earlier years only)."""
    if results.suffix == ".xlsx":
        from openpyxl import load_workbook

        workbook = load_workbook(results)
        sheet = workbook.active
        assert sheet is not None
        header = [cell.value for cell in sheet[1]]
        column = header.index("year") + 1
        for (cell,) in sheet.iter_rows(min_row=2, min_col=column, max_col=column):
            cell.value = int(str(cell.value)) - 1
        workbook.save(results)
        return
    rows = list(csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))))
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows({**row, "year": str(int(row["year"]) - 1)} for row in rows)
    results.write_text(buffer.getvalue(), encoding="utf-8")


def test_csv_output_reads_back_as_a_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    results = tmp_path / "results-2021.csv"
    code, out, err = score(capsys, "--format", "csv", "--out", results)
    assert (code, out, err) == (0, "", "")
    rows = list(csv.DictReader(io.StringIO(results.read_text(encoding="utf-8"))))
    assert {"unit", "block", "year", "rank", "score", "percent", "tier"} <= set(rows[0])
    assert {row["year"] for row in rows} == {"2021"}

    # the same results given as the year before: no change anywhere
    as_a_year_earlier(results)
    units = units_of(score_json(capsys, "--previous", results))
    assert len(units) == len(rows)
    for unit in units.values():
        (before,) = unit["previous"]
        assert before["year"] == 2020
        assert before["rank"] == unit["rank"]
        assert before["score"] == unit["total"]
        if unit["rank"] is not None:
            assert before["rank_change"] == 0


def test_xlsx_output_reads_back_as_a_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    results = tmp_path / "results-2021.xlsx"
    code, out, err = score(capsys, "--format", "xlsx", "--out", results)
    assert (code, out, err) == (0, "", "")
    as_a_year_earlier(results)
    units = units_of(score_json(capsys, "--previous", results))
    assert all(unit["previous"][0]["rank"] == unit["rank"] for unit in units.values())


@pytest.mark.parametrize("form", ["table", "csv", "json"])
def test_out_writes_the_file(capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str) -> None:
    code, shown, err = score(capsys, "--format", form)
    assert (code, err) == (0, "")
    target = tmp_path / f"results.{form}"
    code, out, err = score(capsys, "--format", form, "--out", target)
    assert (code, out, err) == (0, "", "")
    assert target.read_text(encoding="utf-8") == shown


def test_validate_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "validate", "--list")
    assert (code, err) == (0, "")
    assert [line.split()[0] for line in out.splitlines()] == SHIPPED


@pytest.mark.parametrize("framework", SHIPPED)
def test_validate_shipped(capsys: pytest.CaptureFixture[str], framework: str) -> None:
    code, out, err = run(capsys, "validate", framework)
    assert (code, err) == (0, "")
    assert out.startswith(f"{framework}: valid")


AUDIT_TABLE = """\
unit,block,not_applicable,I,II,III,IV,V,VI,score,percent,rank,tier
Sở Thông tin và Truyền thông,so,,13,32,15,5,8,12,85,100,1,Tốt
Sở Tài chính,so,II.b.2,13,26,15,5,8,12,79,100,1,Tốt
Sở Xây dựng,so,,13,32,15,5,8,11,84,99,3,Tốt
"""


@pytest.mark.parametrize(
    ("table", "expected_code"),
    [
        pytest.param(AUDIT_TABLE, 0, id="consistent"),
        pytest.param(AUDIT_TABLE.replace(",84,99,3,", ",84,98,3,"), 1, id="wrong-percent"),
    ],
)
def test_audit_exit_codes(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, table: str, expected_code: int
) -> None:
    path = tmp_path / "bang-1.csv"
    path.write_text(table, encoding="utf-8")
    code, out, err = run(capsys, "audit", "-f", FRAMEWORK, "-t", path, "--format", "json")
    assert (code, err) == (expected_code, "")
    findings = json.loads(out)["findings"]
    assert bool(findings) == bool(expected_code)
    for finding in findings:
        assert (finding["table"], finding["row"], finding["column"]) == (
            "bang-1.csv",
            4,
            "percent",
        )


@pytest.mark.parametrize("command", [[], ["validate"], ["score"], ["audit"], ["demo"]])
def test_help_has_examples(capsys: pytest.CaptureFixture[str], command: list[str]) -> None:
    code, out, err = run(capsys, *command, "--help")
    assert (code, err) == (0, "")
    assert "Example" in out
    assert out.startswith("usage: chiso")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "--version")
    assert (code, err) == (0, "")
    assert out.startswith("chiso ")


# --- results files: exact numbers, next year's previous file ------------------------------

# A worth 2 × a ratio: thirds, whose totals no float and no short decimal holds
THIRDS = """\
id: thu-nghiem-YEAR
name: Đánh giá thử nghiệm năm YEAR
assessor: Sở Thông tin và Truyền thông
year: YEAR
blocks:
  - code: so
    name: Sở, ban, ngành
criteria:
  - code: A
    name: Tỷ lệ hồ sơ trực tuyến
    max: 2
    rule: {type: proportional}
  - code: B
    name: Ứng dụng
    max: 5
    rule: {type: points}
"""
THIRDS_DATA = "unit,A,B\nSở Tài chính,1/3,4.5\nSở Xây dựng,2/3,3\nSở Y tế,45%,1\n"


def thirds(tmp_path: Path, year: int, data: str = THIRDS_DATA) -> tuple[Path, Path]:
    framework = tmp_path / f"thu-nghiem-{year}.yaml"
    framework.write_text(THIRDS.replace("YEAR", str(year)), encoding="utf-8")
    units = tmp_path / f"units-{year}.csv"
    units.write_text(data, encoding="utf-8")
    return framework, units


def exact_json(capsys: pytest.CaptureFixture[str], *argv: object) -> dict[str, dict[str, object]]:
    """Units of ``chiso score … --format json`` with every fraction read as a Decimal."""
    code, out, err = run(capsys, "score", *argv, "--format", "json")
    assert (code, err) == (0, "")
    result = json.loads(out, parse_float=Decimal)
    return {unit["unit"]: unit for block in result["blocks"] for unit in block["units"]}


def test_csv_numbers_are_exact(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    framework, units = thirds(tmp_path, 2024)
    code, out, err = run(capsys, "score", "-f", framework, "-d", units, "--format", "csv")
    assert (code, err) == (0, "")
    exact = exact_json(capsys, "-f", framework, "-d", units)
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and len(rows) == len(exact)
    for row in rows:
        unit = exact[row["unit"]]
        for column, value in [
            ("score", unit["total"]),
            ("percent", unit["percent"]),
            ("A", unit["groups"]["A"]),  # type: ignore[index]
        ]:
            assert "e" not in row[column].lower(), row[column]
            assert Decimal(row[column]) == value, (row["unit"], column)


@pytest.mark.parametrize("form", ["csv", "xlsx"])
def test_results_as_next_years_previous_file(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, form: str
) -> None:
    framework, units = thirds(tmp_path, 2024)
    results = tmp_path / f"results-2024.{form}"
    code, out, err = run(
        capsys, "score", "-f", framework, "-d", units, "--format", form, "--out", results
    )
    assert (code, out, err) == (0, "", "")
    if form == "xlsx":  # numbers stay numbers in the workbook
        from openpyxl import load_workbook

        sheet = load_workbook(results).worksheets[0]
        header = [cell.value for cell in sheet[1]]
        assert all(isinstance(row[header.index("score")].value, float) for row in sheet[2:4])
    # 2025: Sở Xây dựng gains one point, the others are unchanged
    data = THIRDS_DATA.replace("Sở Xây dựng,2/3,3", "Sở Xây dựng,2/3,4")
    framework, units = thirds(tmp_path, 2025, data)
    after = exact_json(capsys, "-f", framework, "-d", units, "--previous", results)
    changes = {name: unit["previous"][0]["score_change"] for name, unit in after.items()}  # type: ignore[index]
    # exactly 0 and 1, written as such (a whole number parses as an int)
    assert changes == {"Sở Tài chính": 0, "Sở Xây dựng": 1, "Sở Y tế": 0}
    assert all(type(change) is int for change in changes.values())


def write_sheet(path: Path, rows: list[list[object]], formats: dict[str, str]) -> None:
    """An XLSX file of ``rows``, with a number format for some cells (``{"B4": "0%"}``)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for cell, number_format in formats.items():
        sheet[cell].number_format = number_format
    workbook.save(path)


@pytest.mark.parametrize(
    ("value", "number_format"),
    [
        pytest.param(0.45, "0%", id="percent"),  # Excel holds "45%" as 0.45
        pytest.param(0.45, "0.00%", id="percent-decimals"),
        pytest.param(45, '0"%"', id="a-quoted-percent-sign"),  # 45 shown with a "%" after it
        pytest.param(45, "General", id="a-number"),
    ],
)
def test_xlsx_percentage_cells_read_as_shown(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, value: object, number_format: str
) -> None:
    framework, units = thirds(tmp_path, 2024)
    workbook = tmp_path / "units-2024.xlsx"
    rows: list[list[object]] = [
        ["unit", "A", "B"],
        ["Sở Tài chính", "1/3", 4.5],
        ["Sở Xây dựng", "2/3", 3],
        ["Sở Y tế", value, 1],
    ]
    write_sheet(workbook, rows, {"B4": number_format})
    # the same as the CSV file, where Sở Y tế's A is "45%"
    expected = exact_json(capsys, "-f", framework, "-d", units)
    assert exact_json(capsys, "-f", framework, "-d", workbook) == expected


def test_reserved_column_names_in_any_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework, units = thirds(tmp_path, 2025)
    previous = tmp_path / "results-2024.csv"
    previous.write_text(
        "unit,block,year,rank,score,percent,tier\n"
        "Sở Tài chính,so,2024,2,4,57.1,\nSở Xây dựng,so,2024,1,5,71.4,\n",
        encoding="utf-8",
    )
    expected = exact_json(capsys, "-f", framework, "-d", units, "-p", previous)
    units.write_text(THIRDS_DATA.replace("unit,A,B", "UNIT , A ,B"), encoding="utf-8")
    text = previous.read_text(encoding="utf-8")
    previous.write_text(text.replace("unit,block,year", " Unit,BLOCK,Year "), encoding="utf-8")
    assert exact_json(capsys, "-f", framework, "-d", units, "-p", previous) == expected
    assert expected["Sở Tài chính"]["previous"][0]["rank_change"] == 1  # type: ignore[index]


def test_audit_reserved_column_names_in_any_case(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    path = tmp_path / "bang-1.csv"
    table = AUDIT_TABLE.replace(",84,99,3,", ",84,98,3,")
    path.write_text(table, encoding="utf-8")
    expected = run(capsys, "audit", "-f", FRAMEWORK, "-t", path, "--format", "json")
    header = "Unit,BLOCK,Not_Applicable,I,II,III,IV,V,VI,Score,PERCENT,Rank,Tier"
    path.write_text(header + table[table.index("\n") :], encoding="utf-8")
    assert run(capsys, "audit", "-f", FRAMEWORK, "-t", path, "--format", "json") == expected
    assert expected[0] == 1


def test_previous_percent_may_carry_a_percent_sign(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework, units = thirds(tmp_path, 2025)
    previous = tmp_path / "results-2024.csv"
    text = "unit,block,year,rank,score,percent,tier\nSở Tài chính,so,2024,2,4,57.1,\n"
    previous.write_text(text, encoding="utf-8")
    expected = exact_json(capsys, "-f", framework, "-d", units, "-p", previous)
    previous.write_text(text.replace(",57.1,", ",57.1%,"), encoding="utf-8")
    assert exact_json(capsys, "-f", framework, "-d", units, "-p", previous) == expected


# --- a reader that stops reading -----------------------------------------------------------


@pytest.mark.parametrize(
    ("argv", "buffered"),
    [
        pytest.param(["validate", "--list"], True, id="validate"),
        pytest.param(["score", "-f", FRAMEWORK, "-d", str(DATA)], True, id="score-table"),
        pytest.param(
            ["score", "-f", FRAMEWORK, "-d", str(DATA), "--format", "json"], True, id="score-json"
        ),
        pytest.param(["score", "-f", FRAMEWORK, "-d", str(DATA)], False, id="score-unbuffered"),
        pytest.param(["--help"], True, id="help"),
        pytest.param(["demo"], True, id="demo"),
    ],
)
def test_a_closed_output_ends_the_command_quietly(argv: list[str], buffered: bool) -> None:
    """``chiso … | head -1``: the reader has gone; no message, no traceback, exit code 1 (what
    Python's documentation advises on SIGPIPE)."""
    import subprocess
    import sys

    env = {name: value for name, value in os.environ.items() if name != "PYTHONUNBUFFERED"}
    if not buffered:  # each write fails at once, not when the output is flushed
        env["PYTHONUNBUFFERED"] = "1"
    read, write = os.pipe()
    os.close(read)  # nobody will read: every write fails with EPIPE
    try:
        done = subprocess.run(
            [sys.executable, "-m", "chiso.cli", *argv],
            stdout=write,
            stderr=subprocess.PIPE,
            env=env,
            text=True,
            timeout=120,
            check=False,
        )
    finally:
        os.close(write)
    assert (done.returncode, done.stderr) == (1, "")


def test_a_run_that_fails_half_way_leaves_the_file_that_was_there(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The output is written beside its place and moved there whole: last year's results are
    not lost to a run that stops while writing."""
    import chiso.io.results

    out = tmp_path / "ket-qua.json"
    out.write_text("last year's results", encoding="utf-8")
    out.chmod(0o640)

    def broken(*args: object) -> object:
        yield '{"framework": '
        raise RuntimeError("stopped while writing")

    monkeypatch.setattr(chiso.io.results, "json_chunks", broken)
    with pytest.raises(RuntimeError):
        score(capsys, "--format", "json", "--out", out)
    assert out.read_text(encoding="utf-8") == "last year's results"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ket-qua.json"]  # nothing left over
    monkeypatch.undo()
    assert score(capsys, "--format", "json", "--out", out) == (0, "", "")
    assert json.loads(out.read_text(encoding="utf-8"))["framework"] == "binh-dinh-2021"
    assert out.stat().st_mode & 0o777 == 0o640  # the file keeps its permissions


# --- earlier results of units that are not in the cycle ----------------------------------

PREVIOUS_2024 = """\
unit,block,year,rank,score,tier
Sở Tài chính,so,2024,1,6,
Sở Xây dưng,so,2024,2,4,
Sở Y tế,so,2024,3,2,
Sở Công Thương,so,2024,4,1,
"""


def test_an_earlier_result_of_a_unit_not_in_the_cycle_is_named_and_left_out(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A misspelt name ("Sở Xây dưng") would lose the unit's history without a word: each
    such row is a warning naming its file and row and the closest name, and is counted in
    no statistic."""
    framework, units = thirds(tmp_path, 2025)
    previous = tmp_path / "results-2024.csv"
    previous.write_text(PREVIOUS_2024, encoding="utf-8")
    code, out, err = run(
        capsys, "score", "-f", framework, "-d", units, "-p", previous, "--format", "json"
    )
    assert code == 0
    assert err.splitlines() == [
        f"chiso: warning: {previous}, row 3, column 'unit': unit 'Sở Xây dưng' is not a unit"
        " of units-2025.csv (did you mean 'Sở Xây dựng'?): its 2024 result is left out"
        " (--strict makes this an error)",
        f"chiso: warning: {previous}, row 5, column 'unit': unit 'Sở Công Thương' is not a unit"
        " of units-2025.csv: its 2024 result is left out (--strict makes this an error)",
    ]
    (block,) = json.loads(out)["blocks"]
    # the two matched units of 2024: scores 6 and 2
    assert block["stats"]["previous"] == [{"year": 2024, "count": 2, "mean_score": 4, "tiers": []}]
    ranks = {u["unit"]: u["previous"][0]["rank"] for u in block["units"]}
    assert ranks == {"Sở Tài chính": 1, "Sở Xây dựng": None, "Sở Y tế": 3}


@pytest.mark.parametrize("command", ["score", "report"])
def test_strict_makes_an_unmatched_earlier_result_an_error(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, command: str
) -> None:
    framework, units = thirds(tmp_path, 2025)
    previous = tmp_path / "results-2024.csv"
    previous.write_text(PREVIOUS_2024, encoding="utf-8")
    out_file = tmp_path / "ket-qua.xlsx"
    more = ["--out", out_file] if command == "report" else []
    code, out, err = run(
        capsys, command, "-f", framework, "-d", units, "-p", previous, "--strict", *more
    )
    assert (code, out) == (2, "")
    assert err == (
        f"chiso: error: {previous}, row 3, column 'unit': unit 'Sở Xây dưng' is not a unit"
        " of units-2025.csv (did you mean 'Sở Xây dựng'?)\n"
    )
    assert not out_file.exists()


# --- a framework displayed as a 0–1 index ----------------------------------------------------

INDEX_FRAMEWORK = """\
id: chi-so-YEAR
name: Chỉ số thử năm YEAR
assessor: Thử
year: YEAR
blocks: [{code: all, name: Countries}]
display: {scale: ratio, percent_decimals: 4}
criteria:
  - {code: A, name: Online services, max: 1, rule: {type: points}}
  - {code: B, name: Human capital, max: 2, rule: {type: points}}
"""


def index_cycle(tmp_path: Path, year: int, data: str) -> tuple[Path, Path]:
    framework = tmp_path / f"chi-so-{year}.yaml"
    framework.write_text(INDEX_FRAMEWORK.replace("YEAR", str(year)), encoding="utf-8")
    units = tmp_path / f"units-{year}.csv"
    units.write_text(data, encoding="utf-8")
    return framework, units


def test_a_ratio_framework_gives_the_index_in_json_and_csv(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # 2 of 3 points: the index is 2/3, exactly the percentage's digits moved two places
    framework, units = index_cycle(tmp_path, 2024, "unit,A,B\nCountry A,1,1\nCountry B,0.5,2\n")
    after = exact_json(capsys, "-f", framework, "-d", units)
    with localcontext(prec=100):
        for unit in after.values():
            assert unit["index"] == unit["percent"] / 100  # type: ignore[operator]
    assert after["Country A"]["index"] == Decimal("0.6666666666666666666666666666666667")
    assert list(after["Country A"])[4:6] == ["percent", "index"]
    code, out, err = run(capsys, "score", "-f", framework, "-d", units, "--format", "csv")
    assert (code, err) == (0, "")
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows[0]["index"] == "0.8333333333333333333333333333333333"  # 2.5 of 3
    # a framework displayed as a percentage has no index
    framework, units = thirds(tmp_path, 2024)
    assert "index" not in next(iter(exact_json(capsys, "-f", framework, "-d", units).values()))


@pytest.mark.parametrize(
    "previous",
    [
        pytest.param("unit,block,year,rank,score,index\nCountry A,,2024,2,,0.6\n", id="index"),
        # the csv results of the year before (2 of 3 points = an index of 0.666…)
        pytest.param(None, id="results-file"),
    ],
)
def test_an_earlier_index_gives_the_index_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, previous: str | None
) -> None:
    framework, units = index_cycle(tmp_path, 2024, "unit,A,B\nCountry A,1,1\nCountry B,0.5,2\n")
    earlier = tmp_path / "results-2024.csv"
    if previous is None:
        code, out, err = run(capsys, "score", "-f", framework, "-d", units, "--format", "csv")
        assert (code, err) == (0, "")
        earlier.write_text(out, encoding="utf-8")
        then = Decimal("0.6666666666666666666666666666666667")
    else:
        earlier.write_text(previous, encoding="utf-8")
        then = Decimal("0.6")
    # 2025: Country A gains half a point, 2.5 of 3
    framework, units = index_cycle(tmp_path, 2025, "unit,A,B\nCountry A,1,1.5\nCountry B,0.5,2\n")
    after = exact_json(capsys, "-f", framework, "-d", units, "-p", earlier)
    (before,) = after["Country A"]["previous"]  # type: ignore[misc]
    now = Decimal("0.8333333333333333333333333333333333")
    with localcontext(prec=100):
        change = now - then  # exactly
    assert (before["index"], before["index_change"]) == (then, change)
    code, out, err = run(
        capsys, "score", "-f", framework, "-d", units, "-p", earlier, "--format", "csv"
    )
    assert (code, err) == (0, "")
    row = next(csv.DictReader(io.StringIO(out)))
    assert Decimal(row["index_change_2024"]) == change


def test_an_index_that_is_not_the_rows_percent_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework, units = index_cycle(tmp_path, 2025, "unit,A,B\nCountry A,1,1\n")
    earlier = tmp_path / "results-2024.csv"
    earlier.write_text("unit,block,year,rank,score,percent,index\nCountry A,,2024,1,,60,0.61\n")
    code, out, err = run(capsys, "score", "-f", framework, "-d", units, "-p", earlier)
    assert (code, out) == (2, "")
    assert err == (
        f"chiso: error: {earlier}, row 2, column 'index': '0.61' is not the row's percent / 100"
        " (60 / 100)\n"
    )


def test_last_years_workbook_gives_an_unchanged_index_no_change(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The xlsx results of a year, given back as --previous for the same answers: its percent
    and index are two floats that agree to their digits (not refused), and the change is 0,
    not 6.67e-17."""
    framework, units = index_cycle(tmp_path, 2024, "unit,A,B\nCountry A,1,1.5\nCountry B,0.5,2\n")
    workbook = tmp_path / "results-2024.xlsx"
    code, _, err = run(
        capsys, "score", "-f", framework, "-d", units, "--format", "xlsx", "-o", workbook
    )
    assert (code, err) == (0, "")
    framework, units = index_cycle(tmp_path, 2025, "unit,A,B\nCountry A,1,1.5\nCountry B,0.5,2\n")
    after = exact_json(capsys, "-f", framework, "-d", units, "-p", workbook)
    for unit in after.values():
        (before,) = unit["previous"]  # type: ignore[misc]
        assert before["index_change"] == 0 and before["score_change"] == 0


def test_year_gives_the_results_of_the_year_assessed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """A framework may serve several years: --year 2024 on the framework of 2025 gives the
    results of 2024, compared with the years before it."""
    framework, units = thirds(tmp_path, 2025)
    previous = tmp_path / "results-2023.csv"
    previous.write_text(PREVIOUS_2024.replace("2024", "2023"), encoding="utf-8")
    argv = ["score", "-f", framework, "-d", units, "-p", previous, "--year", "2024"]
    code, out, _ = run(capsys, *argv, "--format", "json")
    assert code == 0
    result = json.loads(out)
    assert (result["framework"], result["year"]) == ("thu-nghiem-2025", 2024)
    assert {p["year"] for u in result["blocks"][0]["units"] for p in u["previous"]} == {2023}
    code, out, _ = run(capsys, *argv, "--format", "csv")
    assert code == 0
    assert {row["year"] for row in csv.DictReader(io.StringIO(out))} == {"2024"}
    code, out, _ = run(capsys, "score", "-f", framework, "-d", units, "--format", "json")
    assert json.loads(out)["year"] == 2025  # without --year, the framework's


def test_an_earlier_result_of_the_year_given_is_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    framework, units = thirds(tmp_path, 2025)
    previous = tmp_path / "results-2024.csv"
    previous.write_text(PREVIOUS_2024, encoding="utf-8")
    code, out, err = run(
        capsys, "score", "-f", framework, "-d", units, "-p", previous, "--year", "2024"
    )
    assert (code, out) == (2, "")
    assert err == (
        f"chiso: error: {previous}, row 2, column 'year': 2024 is not earlier than the"
        " cycle's year 2024\n"
    )
