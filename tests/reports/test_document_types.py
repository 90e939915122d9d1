"""The two documents a template can make: the decision (Quyết định) with its appendix, and the
department's report (Báo cáo) in Decree 30's form — no articles, sections I, II, III…, its own
header and signature — and the generic templates' wording taken from the framework."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import docx
import pytest
import yaml
from pypdf import PdfReader

from chiso.cli import main
from chiso.reports.template import TemplateError, load_template, shipped_templates

from .conftest import DATA
from .synthetic import write_units
from .test_pdf import page_number

CASES = {
    "binh-dinh-2021": DATA / "binh-dinh-2021" / "units.csv",
    "cao-bang-2020": DATA / "cao-bang-2020" / "units.csv",
    "son-la-2020": DATA / "son-la-2020" / "units.csv",
}


def pdf_pages(path: Path) -> list[str]:
    return [
        " ".join(unicodedata.normalize("NFC", page.extract_text()).split())
        for page in PdfReader(path).pages
    ]


def write(tmp_path: Path, framework: str, template: str, suffix: str) -> Path:
    out = tmp_path / f"{framework}-{template}.{suffix}"
    argv = ["report", "-f", framework, "-d", str(CASES[framework]), "-o", str(out)]
    assert main([*argv, "--template", template]) == 0
    return out


@pytest.mark.parametrize("framework", sorted(CASES))
def test_a_report_has_no_article_and_the_report_header(tmp_path: Path, framework: str) -> None:
    out = write(tmp_path, framework, "bao-cao", "pdf")
    pages = pdf_pages(out)
    text = " ".join(pages)
    first = pages[0]
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in first
    assert re.search(r"Số: /BC-STTTT", first), first[:300]  # the symbol of a báo cáo
    assert "BÁO CÁO Kết quả đánh giá, xếp hạng" in first
    assert "Sở Thông tin và Truyền thông" in first.title() or "SỞ THÔNG TIN" in first.upper()
    for decision_only in ("QUYẾT ĐỊNH", "Điều 1.", "Căn cứ", "Kèm theo"):
        assert decision_only not in text
    assert "I. CƠ SỞ, TIÊU CHÍ ĐÁNH GIÁ" in text and "II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG" in text
    # the closing paragraph is on the page of the signature, and ends the text with "./."
    last = pages[-1]
    assert "Trên đây là Báo cáo kết quả" in last and "./." in last
    assert "Nơi nhận:" in last and "KT. GIÁM ĐỐC" in last
    # one document, numbered from page 2 on: no appendix numbered apart
    raw = [page.extract_text() for page in PdfReader(out).pages]
    assert [page_number(page) for page in raw] == [None, *map(str, range(2, len(raw) + 1))]


def test_a_report_as_docx(tmp_path: Path) -> None:
    document = docx.Document(str(write(tmp_path, "son-la-2020", "bao-cao", "docx")))
    assert len(document.sections) == 1  # no appendix section
    number, date = (c.text for c in document.tables[0].rows[1].cells)
    assert number == "Số:       /BC-STTTT"
    assert date.startswith("Sơn La, ngày ")
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "BÁO CÁO"
    assert texts[1].startswith("Kết quả đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin")
    assert not any(t.startswith(("Điều ", "QUYẾT ĐỊNH", "Căn cứ")) for t in texts)
    headings = [p.text for p in document.paragraphs if p.style.name == "Heading 1"]
    assert headings[:2] == [
        "I. CƠ SỞ, TIÊU CHÍ ĐÁNH GIÁ VÀ PHƯƠNG PHÁP TÍNH ĐIỂM",
        "II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG",
    ]
    closing = next(p for p in document.paragraphs if p.text.startswith("Trên đây là Báo cáo"))
    assert closing.text.endswith("năm 2020./.")
    assert closing.paragraph_format.keep_with_next  # with the signature
    signature = document.tables[-1]
    assert signature.rows[0].cells[1].text.split("\n")[:2] == ["KT. GIÁM ĐỐC", "PHÓ GIÁM ĐỐC"]
    assert "<w:cantSplit/>" in signature.rows[0]._tr.xml


def test_cao_bang_publishes_its_own_report(tmp_path: Path) -> None:
    """The shipped template named after the framework is used without --template."""
    out = tmp_path / "cao-bang.pdf"
    argv = ["report", "-f", "cao-bang-2020", "-d", str(CASES["cao-bang-2020"]), "-o", str(out)]
    assert main(argv) == 0
    text = " ".join(pdf_pages(out))
    assert "BÁO CÁO Đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin" in text
    assert "Số: /BC-UBND" in text and "Lê Hải Hòa" in text
    assert "III. KẾT LUẬN" in text and "IV. YÊU CẦU" in text
    assert "Điều 1." not in text


def test_the_generic_decision_speaks_of_the_framework(tmp_path: Path) -> None:
    """Sơn La assesses IT application, not digital transformation: the generic template
    takes the subject, the province and the assessor from the framework."""
    pages = pdf_pages(write(tmp_path, "son-la-2020", "generic", "pdf"))
    text = " ".join(pages)
    assert "chuyển đổi số" not in text
    assert (
        "Phê duyệt Kết quả đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin trong các cơ"
        " quan nhà nước tỉnh Sơn La năm 2020" in text
    )
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH SƠN LA" in text
    assert "Theo đề nghị của Sở Thông tin và Truyền thông tỉnh Sơn La." in text
    assert "Sơn La, ngày tháng năm" in pages[0]


def test_the_last_article_stays_with_the_signature(tmp_path: Path) -> None:
    pages = pdf_pages(write(tmp_path, "binh-dinh-2021", "binh-dinh-2021", "pdf"))
    signed = next(page for page in pages if "Nơi nhận:" in page)
    assert "Điều 3." in signed
    document = docx.Document(str(write(tmp_path, "binh-dinh-2021", "binh-dinh-2021", "docx")))
    last = next(p for p in document.paragraphs if p.text.startswith("Điều 3."))
    assert last.paragraph_format.keep_with_next


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            {"document_type": "BÁO CÁO"},
            "authority: a report (BÁO CÁO) has no authority: its text goes in 'body'"
            " (docs/reports.md)",
        ),
        ({"document_type": "CÔNG VĂN"}, "document_type: must be 'QUYẾT ĐỊNH' or 'BÁO"),
        ({"articles": []}, "articles: a decision needs at least one article"),
        ({"closing": "Trên đây"}, "closing: a decision's text around the results goes"),
    ],
)
def test_a_template_of_the_wrong_form_is_refused(
    tmp_path: Path, change: dict[str, object], message: str
) -> None:
    fields = yaml.safe_load(shipped_templates()["generic"].read_text(encoding="utf-8"))
    path = tmp_path / "template.yaml"
    path.write_text(yaml.safe_dump(fields | change, allow_unicode=True), encoding="utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert message in str(caught.value), str(caught.value)
    assert str(caught.value).startswith(f"{path}, line ")


def test_every_shipped_template_loads() -> None:
    forms = {name: load_template(name).is_report for name in shipped_templates()}
    assert forms == {
        "bao-cao": True,
        "binh-dinh-2021": False,
        "binh-phuoc-2021": True,
        "cao-bang-2020": True,
        "generic": False,
    }


def test_no_heading_is_left_empty(tmp_path: Path) -> None:
    """The DTI publishes no tiers: its Mục I has no "Mức đánh giá" heading with nothing under
    it, and the parts after it are numbered on."""
    data = write_units("dti-922-2022", tmp_path / "dti.csv")
    out = tmp_path / "dti.docx"
    assert main(["report", "-f", "dti-922-2022", "-d", str(data), "-o", str(out)]) == 0
    headings = [p.text for p in docx.Document(str(out)).paragraphs if p.style.name == "Heading 2"]
    method = headings[: headings.index(next(h for h in headings if h.startswith("1. Kết quả")))]
    assert not any("Mức đánh giá" in h for h in method)
    assert [h.split(".")[0] for h in method] == [str(n) for n in range(1, len(method) + 1)]
    assert method[-1].endswith("Xếp hạng")


def test_the_scorecard_of_an_index_without_tiers(tmp_path: Path) -> None:
    """The DTI's card: its index as an index, a group's share as a percentage (92,70, not
    92,7000), no tier where the framework has none, no 0 of 0 for the information-only
    group, thousands grouped."""
    data = write_units("dti-922-2022", tmp_path / "dti.csv")
    out = tmp_path / "the.pdf"
    unit = "Thành phố Hồ Chí Minh 3"
    argv = ["report", "-f", "dti-922-2022", "-d", str(data), "-u", unit, "-o", str(out)]
    assert main(argv) == 0
    [text] = pdf_pages(out)
    assert "/1.000,00" in text and "Chỉ số trung bình của khối: 0," in text
    assert "Xếp loại" not in text and "Tỷ lệ trung bình" not in text
    assert "Đô thị thông minh" not in text
    group = re.search(r"NTS\. Nhận thức số ([\d,]+) ([\d,.]+) ([\d,]+) ", text)
    assert group is not None and re.fullmatch(r"\d+,\d\d", group.group(3)), text


def test_braces_are_words_not_placeholders(tmp_path: Path) -> None:
    """A brace in the assessor's words or a unit's name is printed as it is: only the
    documented placeholders are filled (a stray one had stopped the command)."""
    template = load_template("bao-cao")
    fill = template.filler("Đánh giá năm 2020", "Sở Thông tin và Truyền thông tỉnh Sơn La", 2020)
    assert fill("{year mục II} {other} {province.upper} {year:d} {year}") == (
        "{year mục II} {other} {province.upper} {year:d} 2020"
    )
    assert fill("{number}") == "      /BC-STTTT"  # a report's own symbol by default
    data = tmp_path / "units.csv"
    rows = (DATA / "son-la-2020" / "units.csv").read_text(encoding="utf-8").splitlines()
    first = rows[1].split(",")[0]
    data.write_text("\n".join(rows).replace(first, "Sở {Test}", 1) + "\n", encoding="utf-8")
    previous = tmp_path / "previous.csv"
    earlier = (DATA / "son-la-2020" / "previous.csv").read_text(encoding="utf-8")
    previous.write_text(earlier.replace(first, "Sở {Test}", 1), encoding="utf-8")
    out = tmp_path / "x.docx"
    argv = ["report", "-f", "son-la-2020", "-d", str(data), "-p", str(previous), "-o", str(out)]
    assert main(argv) == 0
    assert any("Sở {Test}" in p.text for p in docx.Document(str(out)).paragraphs)


def test_a_report_needs_its_closing_paragraph(tmp_path: Path) -> None:
    fields = yaml.safe_load(shipped_templates()["bao-cao"].read_text(encoding="utf-8"))
    path = tmp_path / "report.yaml"
    path.write_text(yaml.safe_dump(fields | {"closing": ""}, allow_unicode=True), "utf-8")
    with pytest.raises(TemplateError) as caught:
        load_template(path)
    assert "closing: a report ends with its closing paragraph" in str(caught.value)
