"""The decision and its appendix as DOCX, read back with python-docx: the Decree 30/2020 layout,
the template's wording, the tables against the published Bình Định 2021 tables, the charts."""

from __future__ import annotations

import zipfile
from pathlib import Path

import docx

from chiso.core.tiers import normalize_name

from .conftest import BD, Writer, read_csv


def test_page_and_font(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx")))
    first, appendix = document.sections
    for section in (first, appendix):
        assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
        assert round(section.left_margin.mm) == 30 and round(section.right_margin.mm) == 15
        assert round(section.top_margin.mm) == 20 and round(section.bottom_margin.mm) == 20
    assert first.different_first_page_header_footer  # no page number on page 1
    assert 'w:start="1"' in appendix._sectPr.xml  # the appendix is numbered from 1
    normal = document.styles["Normal"]
    assert normal.font.name == "Times New Roman" and normal.font.size.pt == 14
    fonts = normal.element.rPr.rFonts
    assert (
        fonts.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}eastAsia")
        == "Times New Roman"
    )


def test_decision_header_and_wording(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx")))
    header = document.tables[0]
    cells = [
        [c.text.rstrip("\n") for c in row.cells] for row in header.rows
    ]  # the lines are paragraphs
    assert cells == [
        [
            "ỦY BAN NHÂN DÂN\nTỈNH BÌNH ĐỊNH",
            "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc",
        ],
        ["Số: 5136/QĐ-UBND", "Bình Định, ngày 23 tháng 12 năm 2021"],
    ]
    motto, line = header.rows[0].cells[1].paragraphs
    assert all(run.bold for run in motto.runs)
    # the line under the motto: 57 mm, the motto's length, centred in the 100 mm column
    assert "w:bottom" in line._p.xml and line.text == ""
    assert (
        round(line.paragraph_format.left_indent.mm, 1)
        == round(line.paragraph_format.right_indent.mm, 1)
        == 21.5
    )
    assert motto.paragraph_format.left_indent is None  # the motto keeps the column's width
    assert header.rows[1].cells[1].paragraphs[0].runs[0].italic
    texts = [p.text for p in document.paragraphs]
    assert texts[0] == "QUYẾT ĐỊNH"
    assert texts[1].startswith(
        "Phê duyệt Kết quả đánh giá, xếp hạng mức độ ứng dụng công nghệ thông tin"
    )
    assert texts[1].endswith("năm 2021")
    assert "CHỦ TỊCH ỦY BAN NHÂN DÂN TỈNH" in texts
    bases = [t for t in texts if t.startswith("Căn cứ")]
    assert len(bases) == 5 and all(
        document.paragraphs[texts.index(b)].runs[0].italic for b in bases
    )
    assert "QUYẾT ĐỊNH:" in texts
    articles = [t for t in texts if t.startswith("Điều ")]
    assert [a.split(".")[0] for a in articles] == ["Điều 1", "Điều 2", "Điều 3"]
    assert articles[-1].endswith("./.")
    signature = document.tables[1]
    left, right = (c.text for c in signature.rows[0].cells)
    assert left.startswith("Nơi nhận:\n- Như Điều 3;") and left.endswith("- Lưu: VT.")
    assert right.split("\n") == ["KT. CHỦ TỊCH", "PHÓ CHỦ TỊCH", "Lâm Hải Giang"]


def test_appendix_heading_and_method(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx")))
    texts = [p.text for p in document.paragraphs]
    assert (
        "(Kèm theo Quyết định số 5136/QĐ-UBND ngày 23/12/2021 của Chủ tịch UBND tỉnh Bình Định)"
        in texts
    )
    method = document.tables[2]
    rows = [[c.text for c in row.cells] for row in method.rows]
    assert rows[0] == ["TT", "Nhóm tiêu chí", "Sở, ban, ngành", "UBND huyện, thị xã, thành phố"]
    assert rows[1] == ["1", "Hạ tầng kỹ thuật CNTT", "13", "14"]
    assert rows[-1] == ["", "Tổng điểm", "85", "100"]
    assert "- Mức “Khá”: tỷ lệ điểm đạt được so với điểm tối đa từ 60% đến dưới 80%." in texts


def text_of(element: object) -> str:
    return "".join(element.xpath(".//w:t/text()"))  # type: ignore[attr-defined]


def table_after(document: docx.document.Document, caption: str) -> list[list[str]]:
    """The rows of the table printed under the paragraph ``caption``."""
    body = document.element.body
    for index, element in enumerate(body):
        if element.tag.endswith("}p") and text_of(element) == caption:
            table = next(e for e in body[index + 1 :] if e.tag.endswith("}tbl"))
            return [[text_of(tc) for tc in tr.xpath("./w:tc")] for tr in table.xpath("./w:tr")]
    raise AssertionError(f"no table under {caption!r}")


def test_bang_2_equals_published(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx")))
    rows = table_after(
        document,
        "Bảng 2. Kết quả đánh giá, xếp hạng tổng thể năm 2021 của UBND huyện, thị xã, thành phố",
    )
    assert rows[0][:2] == ["TT", "Tên cơ quan, đơn vị"] and rows[0][-1] == "So sánh với 2020"
    assert rows[1][1:10] == ["Tối đa", "14", "43", "15", "5", "8", "15", "100", ""]
    sections = [r[0] for r in rows if len(r) == 1]
    assert sections == ["Mức tốt", "Mức khá"]
    ours = {normalize_name(r[1]): r for r in rows[2:] if len(r) > 1}
    for row in read_csv(BD / "published" / "bang-2.csv"):
        cells = ours[normalize_name(row["ten_co_quan"])]
        groups = [row[k] for k in row if k.startswith("muc_") and k != "muc"]
        assert cells[2:10] == [*groups, row["tong_diem"], row["ty_le"]]
        assert cells[10] == row["xep_hang_2020"]


def test_charts_are_embedded_with_captions(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx")))
    texts = [p.text for p in document.paragraphs]
    figures = [t for t in texts if t.startswith("Hình ")]
    assert figures[:2] == [
        "Hình 1. Tỷ lệ đơn vị theo mức xếp loại — Sở, ban, ngành",
        "Hình 2. Kết quả của từng đơn vị so với trung bình khối — Sở, ban, ngành",
    ]
    assert len(figures) == 5 == len(document.inline_shapes)
    for shape in document.inline_shapes:
        blob = document.part.related_parts[
            shape._inline.graphic.graphicData.pic.blipFill.blip.embed
        ].blob
        assert blob.startswith(b"\x89PNG")


def test_narrative_in_the_appendix(bd_report: Writer) -> None:
    texts = [p.text for p in docx.Document(str(bd_report("docx"))).paragraphs]
    assert (
        "Năm 2021, khối UBND huyện, thị xã, thành phố có 9/11 đơn vị đạt mức “Tốt” (82%), 2/11 đơn vị đạt mức “Khá” (18%), 0/11 đơn vị đạt mức “Trung bình” (0%)."
        in texts
    )


def test_part_tables_and_not_scored_units(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx", parts=True)))
    texts = [p.text for p in document.paragraphs]
    assert "b) Cung cấp dịch vụ công trực tuyến" in texts
    rows = table_after(
        document,
        "Bảng 1.2. Xếp hạng nhóm tiêu chí “Ứng dụng CNTT trong hoạt động của cơ quan nhà nước” của Sở, ban, ngành",
    )
    assert rows  # the group itself, then its parts a) and b)
    body = document.element.body
    position = next(
        i for i, e in enumerate(body) if text_of(e) == "b) Cung cấp dịch vụ công trực tuyến"
    )
    table = next(e for e in body[position:] if e.tag.endswith("}tbl"))
    text = text_of(table)
    assert text.count("Không chấm điểm, đánh giá") == 3
    assert "Sở Tài chính*" in text


def test_draft_header(bd_report: Writer, tmp_path: Path) -> None:
    document = docx.Document(str(bd_report("docx", draft=True)))
    section = document.sections[0]
    assert "DỰ THẢO" in section.first_page_header.paragraphs[0].text
    assert "DỰ THẢO" in section.header.paragraphs[0].text
    final = docx.Document(str(bd_report("docx")))
    assert "DỰ THẢO" not in final.sections[0].header.paragraphs[0].text


W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
# the order WordprocessingML requires (a subset): Word refuses a file that breaks it
ORDER = {
    "tblPr": ["tblStyle", "tblW", "jc", "tblBorders", "tblLayout", "tblCellMar", "tblLook"],
    "pPr": ["pStyle", "keepNext", "pBdr", "spacing", "ind", "jc", "rPr", "sectPr"],
    "sectPr": [
        "headerReference",
        "footerReference",
        "type",
        "pgSz",
        "pgMar",
        "pgNumType",
        "cols",
        "titlePg",
        "docGrid",
    ],
    "tcPr": ["tcW", "gridSpan", "vAlign"],
    "rPr": ["b", "i", "color", "sz"],
}


def test_properties_are_in_schema_order(bd_report: Writer) -> None:
    document = docx.Document(str(bd_report("docx", draft=True)))
    parts = [
        document.element,
        *(s.header._element for s in document.sections),
        *(s.first_page_header._element for s in document.sections),
    ]
    checked = 0
    for part in parts:
        for name, order in ORDER.items():
            for element in part.iter(W + name):
                tags = [
                    child.tag.removeprefix(W)
                    for child in element
                    if child.tag.removeprefix(W) in order
                ]
                assert tags == sorted(tags, key=order.index), (name, tags)
                checked += 1
    assert checked > 1000


def test_the_document_speaks_vietnamese_and_carries_its_own_properties(
    bd_report: Writer,
) -> None:
    """Word checks the spelling in the text's language (the library's template says en-US),
    and File > Info shows the decision, not the library: title, the issuing body as author,
    the date of the decision (Bình Định's template: 23/12/2021)."""
    path = bd_report("docx")
    document = docx.Document(str(path))
    language = document.styles.element.find(f"{W}docDefaults/{W}rPrDefault/{W}rPr/{W}lang")
    assert (language.get(f"{W}val"), language.get(f"{W}eastAsia")) == ("vi-VN", "vi-VN")
    properties = document.core_properties
    assert properties.author == "ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH"
    assert properties.last_modified_by == properties.author
    assert properties.title.startswith("Phê duyệt Kết quả đánh giá, xếp hạng")
    assert properties.language == "vi-VN" and properties.comments == ""
    assert (
        properties.created.date().isoformat()
        == "2021-12-23"
        == properties.modified.date().isoformat()
    )
    with zipfile.ZipFile(path) as package:
        assert b"python-docx" not in package.read("docProps/core.xml")


def test_headings_and_captions_are_words_own_styles_in_the_documents_look(
    bd_report: Writer,
) -> None:
    """Sections are Heading 1, their parts Heading 2, the captions of tables and charts
    Caption: Word's navigation pane and table of contents find them; they print in the body's
    font, in black."""
    document = docx.Document(str(bd_report("docx")))
    styled = {p.text: p.style.name for p in document.paragraphs}
    assert styled["I. CƠ SỞ, TIÊU CHÍ ĐÁNH GIÁ VÀ PHƯƠNG PHÁP TÍNH ĐIỂM"] == "Heading 1"
    assert styled["II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG"] == "Heading 1"
    assert styled["1. Cơ sở đánh giá"] == styled["5. Mức đánh giá"] == "Heading 2"
    captions = [p.text for p in document.paragraphs if p.style.name == "Caption"]
    assert any(text.startswith("Bảng 1. ") for text in captions)
    assert any(text.startswith("Hình 1. ") for text in captions)
    for name in ("Heading 1", "Heading 2", "Caption"):
        style = document.styles[name]
        assert style.font.color.rgb == (0, 0, 0) and style.font.name == "Times New Roman"
        fonts = style.element.rPr.rFonts
        assert fonts.get(f"{W}asciiTheme") is None  # no theme font in place of the body's
