"""The PDF of the decision and its appendix, and a unit's scorecard, read back with pypdf:
Vietnamese text extracted intact, the embedded font, page numbering, tables, charts, draft."""

from __future__ import annotations

import re
import unicodedata
from pathlib import Path

import pytest
from pypdf import PdfReader

from chiso.cli import main

from .conftest import BD, Writer


def pages(path: Path) -> list[str]:
    return [unicodedata.normalize("NFC", page.extract_text()) for page in PdfReader(path).pages]


def squeeze(text: str) -> str:
    return " ".join(text.split())


def test_vietnamese_text_is_extracted_intact(bd_report: Writer) -> None:
    text = squeeze(" ".join(pages(bd_report("pdf"))))
    for phrase in [
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "ỦY BAN NHÂN DÂN",
        "Số: 5136/QĐ-UBND",
        "Bình Định, ngày 23 tháng 12 năm 2021",
        "Sở Thông tin và Truyền thông",
        "Căn cứ Luật Công nghệ thông tin ngày 29 tháng 6 năm 2006;",
        "KT. CHỦ TỊCH",
        "Lâm Hải Giang",
        "Nơi nhận:",
        "UBND huyện Hoài Ân",
        "Sở Văn hóa và Thể thao",
    ]:
        assert phrase in text, phrase


def test_font_is_embedded(bd_report: Writer) -> None:
    reader = PdfReader(bd_report("pdf"))
    fonts = set()
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            descriptor = font["/DescendantFonts"][0].get_object()["/FontDescriptor"]
            assert "/FontFile2" in descriptor  # a TrueType font program in the file
            fonts.add(str(font["/BaseFont"]).split("+")[-1])
    # the bundled Liberation Serif, under the family name the style sheet gives it
    assert {"ChisoSerif", "ChisoSerif-Bold", "ChisoSerif-Italic"} <= fonts


def page_number(text: str) -> str | None:
    """The page number in the top margin (extracted as the page's first or last line)."""
    lines = text.strip().splitlines()
    return next((line for line in (lines[0], lines[-1]) if line.isdigit()), None)


def test_decision_then_appendix_numbered_from_one(bd_report: Writer) -> None:
    text = pages(bd_report("pdf"))
    assert page_number(text[0]) is None  # no page number on page 1
    assert page_number(text[1]) == "2"
    appendix = next(i for i, t in enumerate(text) if t.lstrip().startswith("KẾT QUẢ"))
    assert page_number(text[appendix]) is None
    numbers = [page_number(t) for t in text[appendix + 1 :]]
    assert numbers == [str(n) for n in range(2, len(numbers) + 2)]


def test_tables_and_narrative_numbers(bd_report: Writer) -> None:
    text = squeeze(" ".join(pages(bd_report("pdf"))))
    assert "Bảng 1. Kết quả đánh giá, xếp hạng tổng thể năm 2021 của Sở, ban, ngành" in text
    assert "Bảng 2.6. Xếp hạng nhóm tiêu chí" in text
    assert "Mức tốt" in text and "Mức khá" in text
    # a row of Bảng 2 as printed: UBND huyện Hoài Ân 9 33 15 4 4 13 78 78 10 10
    assert "UBND huyện Hoài Ân 9 33 15 4 4 13 78 78 10 10" in text
    # decimal commas
    assert "Điểm trung bình của khối Sở, ban, ngành đạt 79,3/85 điểm" in text
    assert "9/11 đơn vị đạt mức “Tốt” (82%)" in text


def test_charts_are_images(bd_report: Writer) -> None:
    reader = PdfReader(bd_report("pdf"))
    images = {image.data for page in reader.pages for image in page.images}
    assert len(images) == 5
    assert all(data.startswith(b"\x89PNG") for data in images)
    text = squeeze(" ".join(pages(bd_report("pdf"))))
    assert "Hình 1. Tỷ lệ đơn vị theo mức xếp loại — Sở, ban, ngành" in text


def test_draft_watermark(bd_report: Writer) -> None:
    draft = pages(bd_report("pdf", draft=True))
    assert all("DỰ THẢO" in page for page in draft)
    assert not any("DỰ THẢO" in page for page in pages(bd_report("pdf")))


def test_scorecard_is_one_page(tmp_path: Path) -> None:
    out = tmp_path / "so-y-te.pdf"
    argv = [
        "report",
        "-f",
        "binh-dinh-2021",
        "-d",
        str(BD / "units.csv"),
        "-p",
        str(BD / "previous.csv"),
    ]
    assert main([*argv, "--unit", "sở y tế", "-o", str(out)]) == 0
    [page] = pages(out)
    text = squeeze(page)
    assert "PHIẾU KẾT QUẢ ĐÁNH GIÁ NĂM 2021" in text
    assert "Sở Y tế" in text
    assert "82/85" in text and "96%" in text and "10/21" in text  # Bảng 1: 82, 96 %, 10th
    assert "Năm 2020: xếp hạng 15 (năm nay tăng 5 bậc)" in text
    assert "Tỷ lệ trung bình của khối: 96%." in text
    assert len(PdfReader(out).pages[0].images) == 1


@pytest.mark.parametrize("name", ["Sở Y tế", "UBND huyện Hoài Ân"])
def test_scorecard_group_rows(tmp_path: Path, name: str) -> None:
    out = tmp_path / "card.pdf"
    assert (
        main(
            [
                "report",
                "-f",
                "binh-dinh-2021",
                "-d",
                str(BD / "units.csv"),
                "-u",
                name,
                "-o",
                str(out),
            ]
        )
        == 0
    )
    text = squeeze(pages(out)[0])
    expected = {
        "Sở Y tế": "I. Hạ tầng kỹ thuật CNTT 13 13 100 Tốt 12,7",
        "UBND huyện Hoài Ân": "I. Hạ tầng kỹ thuật CNTT 9 14 64 Khá 11,5",
    }
    assert expected[name] in text


def test_scorecard_of_a_unit_without_data(tmp_path: Path) -> None:
    out = tmp_path / "thach-an.pdf"
    data = BD.parent / "cao-bang-2020" / "units.csv"
    assert (
        main(
            [
                "report",
                "-f",
                "cao-bang-2020",
                "-d",
                str(data),
                "-u",
                "Huyện Thạch An",
                "-o",
                str(out),
            ]
        )
        == 0
    )
    [page] = pages(out)
    text = squeeze(page)
    assert "Không xếp hạng do không cung cấp số liệu" in text
    assert "Tổng điểm — Tỷ lệ — Xếp loại —" in text


def test_blanks_of_a_decision_without_number_or_date_are_kept(tmp_path: Path) -> None:
    """A decision is numbered and dated when it is signed: the generic template leaves the
    blanks to fill in by hand, "Số:      /QĐ-UBND" and "ngày      tháng      năm", as the
    DOCX keeps them. The PDF had collapsed them ("Số: /QĐ-UBND", "ngày tháng năm")."""
    out = tmp_path / "quyet-dinh.pdf"
    argv = ["report", "-f", "binh-dinh-2021", "-d", str(BD / "units.csv"), "--template"]
    assert main([*argv, "generic", "-o", str(out)]) == 0
    first = PdfReader(out).pages[0].extract_text(extraction_mode="layout")
    line = next(line for line in unicodedata.normalize("NFC", first).splitlines() if "Số:" in line)
    assert re.search(r"Số: {3,}/QĐ-UBND", line), line
    assert re.search(r"ngày {3,}tháng {3,}năm", line), line
