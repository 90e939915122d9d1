"""``chiso report`` on bad input: one line on stderr naming the file and the field, exit code 2,
nothing written; its help and the shipped templates."""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl
import pytest

from chiso.cli import main
from chiso.reports import bundle
from chiso.reports.labels import name_of_year
from chiso.reports.template import load_template, shipped_templates

from .conftest import BD


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    try:
        code = main([str(arg) for arg in argv])
    except SystemExit as stop:
        code = stop.code if isinstance(stop.code, int) else 2
    out, err = capsys.readouterr()
    return code, out, err


def report(capsys: pytest.CaptureFixture[str], *more: object) -> tuple[int, str, str]:
    return run(capsys, "report", "-f", "binh-dinh-2021", "-d", BD / "units.csv", *more)


def one_line(err: str) -> str:
    assert err.count("\n") == 1 and "Traceback" not in err, err
    return err.strip()


def test_unknown_output_format(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = report(capsys, "-o", tmp_path / "ket-qua.odt")
    assert code == 2
    assert one_line(err).endswith(
        "ket-qua.odt: unknown output format '.odt' (.docx, .pdf or .xlsx)"
    )
    assert not list(tmp_path.iterdir())


def test_scorecard_of_an_unknown_unit(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = report(capsys, "-u", "Sở Không Có", "-o", tmp_path / "x.pdf")
    assert (code, one_line(err)) == (2, "chiso: error: no unit named 'Sở Không Có' in the data")


def test_scorecard_is_a_pdf(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = report(capsys, "-u", "Sở Y tế", "-o", tmp_path / "x.docx")
    assert code == 2 and one_line(err).endswith("x.docx: a unit's scorecard is a .pdf")


def test_missing_template(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = report(capsys, "-t", tmp_path / "nope.yaml", "-o", tmp_path / "x.docx")
    assert code == 2
    shipped = "bao-cao, binh-dinh-2021, binh-phuoc-2021, cao-bang-2020, generic"
    assert f"nope.yaml: no such file (shipped templates: {shipped})" in one_line(err)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("issuing_agency: X\nplace: Y\n", "title: missing (the fields are in docs/reports.md)"),
        ("- a list\n", "must be a mapping of fields (see docs/reports.md)"),
        ("title: [unclosed\n", "line 2: malformed YAML"),
        (
            "issuing_agency: X\nplace: Y\ntitle: A\nplace: Z\n",
            "line 4: place: duplicate key 'place' (also on line 2)",
        ),
        ("{bogus: 1}\n", "bogus: unknown field (the fields are in docs/reports.md)"),
        (
            "issuing_agency: X\nplace: Y\ntitle: [1, 2]\n",
            "line 3: title: must be text, not a list",
        ),
        (
            "issuing_agency: X\nplace: Y\ntitle: Z\nnumber: 12\n",
            "line 4: number: must be text, not the number 12: put it in quotes",
        ),
        (
            "issuing_agency: X\nplace: Y\ntitle: Z\ndate: 31/12/2021\n",
            "line 4: date: '31/12/2021' is not a date: write it as year-month-day, e.g. 2021-12-31",
        ),
    ],
)
def test_bad_template(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, text: str, message: str
) -> None:
    template = tmp_path / "tinh.yaml"
    template.write_text(text, encoding="utf-8")
    code, _, err = report(capsys, "-t", template, "-o", tmp_path / "x.docx")
    assert code == 2
    line = one_line(err)
    assert line.startswith(f"chiso: error: {template}") and message in line, line
    assert not (tmp_path / "x.docx").exists()


def test_bad_data_is_reported_as_by_score(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "units.csv"
    data.write_text("unit,block,I,II,III,IV,V,VI\nSở Y tế,so,13,31,16,5,7,11\n", encoding="utf-8")
    code, _, err = run(
        capsys, "report", "-f", "binh-dinh-2021", "-d", data, "-o", tmp_path / "x.xlsx"
    )
    assert code == 2
    assert one_line(err) == f"chiso: error: {data}, row 2, column 'III': 16 is outside 0..15 points"


def test_help_has_an_example(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "report", "--help")
    assert code == 0
    assert "chiso report --framework binh-dinh-2021 --data units-2021.csv" in out
    assert "--draft" in out and "--template" in out


def test_several_outputs_in_one_run(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    outs = [tmp_path / f"ket-qua.{suffix}" for suffix in ("docx", "pdf", "xlsx")]
    code, out, err = report(capsys, *(a for o in outs for a in ("-o", o)))
    assert (code, out, err) == (0, "", "")
    assert [o.read_bytes()[:4] for o in outs] == [b"PK\x03\x04", b"%PDF", b"PK\x03\x04"]


def test_generic_template_is_used_for_another_framework(tmp_path: Path) -> None:
    assert load_template(None, "son-la-2020") == load_template(shipped_templates()["generic"])
    assert load_template(None, "binh-dinh-2021").number == "5136/QĐ-UBND"
    generic = load_template("generic")
    fill = generic.filler("Đánh giá năm 2020", "Sở Thông tin và Truyền thông tỉnh Sơn La", 2020)
    assert fill("{number}") == "      /QĐ-UBND"
    # dated in the year it is issued, not the year assessed
    assert generic.date_line(fill, 2026) == "Sơn La, ngày      tháng      năm 2026"


def test_output_folder_must_exist(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, _, err = report(capsys, "-o", tmp_path / "missing" / "x.pdf")
    assert code == 2 and one_line(err).endswith("missing/x.pdf: no such folder")


@pytest.mark.parametrize(
    ("threads", "said"),
    [
        # the command, one thread: the PDF is laid out in a second process, which reports
        (1, "x.pdf: the PDF could not be written (IsADirectoryError"),
        # a process of several threads (a web server's) does not fork: the error is its own
        (2, "x.pdf: Is a directory"),
    ],
    ids=["forked", "in-process"],
)
def test_a_pdf_that_cannot_be_written_next_to_others(
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    threads: int,
    said: str,
) -> None:
    monkeypatch.setattr(bundle.threading, "active_count", lambda: threads)
    (tmp_path / "x.pdf").mkdir()  # a folder where the PDF should go
    code, _, err = report(capsys, "-o", tmp_path / "x.pdf", "-o", tmp_path / "x.xlsx")
    assert code == 2
    assert said in one_line(err)
    assert (tmp_path / "x.xlsx").stat().st_size > 0  # the other output is written


def test_year_heads_the_publication_with_the_year_assessed(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    """The framework of 2021 used for 2020: the decision, its tables and the workbook say
    2020, and the framework's name ("… năm 2021") is said of 2020."""
    outs = [tmp_path / "ket-qua.docx", tmp_path / "ket-qua.xlsx"]
    code, _, err = report(
        capsys, "--year", "2020", "-t", "generic", *(a for o in outs for a in ("-o", o))
    )
    assert (code, err) == (0, "")
    document = docx.Document(str(outs[0]))
    texts = [p.text for p in document.paragraphs]
    texts += [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert texts[1].endswith("tỉnh Bình Định năm 2020")
    assert "Bảng 1. Kết quả đánh giá, xếp hạng tổng thể năm 2020 của Sở, ban, ngành" in texts
    assert not [t for t in texts if "2021" in t]
    assert document.core_properties.subject.endswith("năm 2020")
    workbook = openpyxl.load_workbook(outs[1], read_only=True)
    cells = [v for s in workbook for row in s.iter_rows(values_only=True) for v in row]
    assert "Xếp hạng 2020" in cells and not [v for v in cells if "2021" in str(v)]
    heading, *rows = workbook["Kết quả"].iter_rows(values_only=True)
    assert {row[heading.index("Năm")] for row in rows} == {2020}


@pytest.mark.parametrize(
    ("name", "said"),
    [
        ("Đánh giá tỉnh Thử năm 2021", "Đánh giá tỉnh Thử năm 2020"),
        ("Chỉ số DTI", "Chỉ số DTI"),
        # a year inside the name (of a decision cited) is not the year assessed
        ("Chỉ số theo Quyết định năm 2019 của tỉnh", "Chỉ số theo Quyết định năm 2019 của tỉnh"),
    ],
)
def test_a_framework_name_is_said_of_the_year_assessed(name: str, said: str) -> None:
    assert name_of_year(name, 2020) == said
