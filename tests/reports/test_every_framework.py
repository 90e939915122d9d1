"""Every shipped framework's publication in its three files, as `chiso report` writes them with
the framework's own template (the test data, or the tests' synthetic data where the repository
has none): the form its province publishes, Vietnamese Word styles, a workbook that prints on
A4 across and holds numbers as numbers, and never "khối Khối"."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
import openpyxl
import pytest
from docx.oxml.ns import qn
from pypdf import PdfReader

from chiso.cli import main
from chiso.core.loader import load_framework, shipped_frameworks

from .conftest import DATA
from .synthetic import write_units

REPORTS = {"binh-phuoc-2021", "cao-bang-2020"}  # the provinces that publish a Báo cáo
NUMBER_TEXT = re.compile(r"[-+−]?\d[\d.]*(,\d+)?\s*%?")


def test_every_shipped_framework_is_covered() -> None:
    assert set(shipped_frameworks()) == {
        "binh-dinh-2021",
        "binh-phuoc-2021",
        "cao-bang-2020",
        "dti-922-2022",
        "son-la-2020",
    }


@pytest.fixture(scope="module", params=sorted(shipped_frameworks()))
def written(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> dict:
    framework_id = request.param
    folder = tmp_path_factory.mktemp(framework_id)
    data = DATA / framework_id / "units.csv"
    argv = ["report", "-f", framework_id]
    if data.exists():
        argv += ["-d", str(data), "-p", str(DATA / framework_id / "previous.csv")]
    else:
        argv += ["-d", str(write_units(framework_id, folder / "units.csv"))]
    outputs = {suffix: folder / f"ket-qua.{suffix}" for suffix in ("docx", "pdf", "xlsx")}
    assert main([*argv, *(a for o in outputs.values() for a in ("-o", str(o)))]) == 0
    return {"id": framework_id, **outputs}


def pdf_text(path: Path) -> str:
    pages = PdfReader(path).pages
    return " ".join(" ".join(unicodedata.normalize("NFC", p.extract_text()).split()) for p in pages)


def test_the_form_the_province_publishes(written: dict) -> None:
    text = pdf_text(written["pdf"])
    if written["id"] in REPORTS:
        assert "BÁO CÁO" in text and "/BC-" in text and "Điều 1." not in text
    else:
        assert "QUYẾT ĐỊNH:" in text and "Điều 1." in text
    assert "II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG" in text


def test_the_word_file_speaks_vietnamese_in_its_styles(written: dict) -> None:
    document = docx.Document(str(written["docx"]))
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    assert language.get(qn("w:val")) == "vi-VN"
    styles = {p.style.name for p in document.paragraphs}
    assert {"Heading 1", "Heading 2", "Caption"} <= styles
    assert document.core_properties.language == "vi-VN"
    assert "python-docx" not in (document.core_properties.comments or "")


def test_never_khoi_khoi(written: dict) -> None:
    texts = [pdf_text(written["pdf"])]
    texts += [p.text for p in docx.Document(str(written["docx"])).paragraphs]
    book = openpyxl.load_workbook(written["xlsx"], read_only=True)
    texts += [
        str(cell)
        for sheet in book.worksheets
        for row in sheet.iter_rows(values_only=True)
        for cell in row
        if isinstance(cell, str)
    ]
    assert not [t for t in texts if re.search(r"khối\s+khối", t, re.IGNORECASE)]


def test_the_workbook_prints_across_a4_and_holds_numbers(written: dict) -> None:
    codes = set(load_framework(written["id"]).nodes)  # "1", "1.2": a column's heading, text
    book = openpyxl.load_workbook(written["xlsx"])
    for sheet in book.worksheets:
        if sheet._images:  # the charts' sheet: pictures at their size
            continue
        assert sheet.page_setup.paperSize in (9, "9"), sheet.title  # A4
        assert sheet.sheet_properties.pageSetUpPr.fitToPage, sheet.title
        assert sheet.page_setup.fitToWidth in (1, "1", None), sheet.title
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and cell.value not in codes:
                    assert not NUMBER_TEXT.fullmatch(cell.value.strip()), (
                        f"{sheet.title}!{cell.coordinate}: {cell.value!r} is a number as text"
                    )
