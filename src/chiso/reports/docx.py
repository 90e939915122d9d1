"""The decision and its results appendix as a Word document, in the layout of Decree
30/2020/NĐ-CP (DECREE-30: A4, margins 20/20/30/15 mm, Times New Roman 13–14 pt, the two-column
header, page numbers from page 2, the appendix on a new page with its own numbering).

Tables are written as WordprocessingML text, never as a tree: a province of 4,000 units has
tens of thousands of rows, which python-docx's cell-by-cell API builds too slowly and whose
elements held until the file is written took most of the command's memory. python-docx writes
the document with a placeholder for each table; ``word/document.xml`` is then copied into the
file with each placeholder replaced by its table, made a row at a time.
"""

from __future__ import annotations

import datetime
import io
import zipfile
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from xml.sax.saxutils import escape

from docx import Document as new_document
from docx.document import Document
from docx.enum.section import WD_ORIENT, WD_SECTION
from docx.enum.table import WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_BREAK
from docx.oxml import OxmlElement, parse_xml
from docx.oxml.ns import nsdecls, qn
from docx.shared import Mm, Pt, RGBColor
from docx.table import _Cell
from docx.text.paragraph import Paragraph

from chiso.reports.data import Report
from chiso.reports.labels import closing_sections
from chiso.reports.layout import Layout, fit, spans, table_layout
from chiso.reports.method import method_sections
from chiso.reports.tables import Cell, Column, Section, Table, cell_text, method_table
from chiso.reports.template import Template, closing

__all__ = ["write_docx"]

FONT = "Times New Roman"
TEXT_WIDTH_MM = 165  # A4 210 mm − 30 left − 15 right
# WordprocessingML fixes the order of properties; what may follow the element we add
_AFTER_PG_NUM_TYPE = (
    "w:cols",
    "w:formProt",
    "w:vAlign",
    "w:noEndnote",
    "w:titlePg",
    "w:textDirection",
    "w:bidi",
    "w:rtlGutter",
    "w:docGrid",
    "w:printerSettings",
    "w:sectPrChange",
)
_AFTER_P_BDR = (
    "w:shd",
    "w:tabs",
    "w:suppressAutoHyphens",
    "w:kinsoku",
    "w:wordWrap",
    "w:overflowPunct",
    "w:topLinePunct",
    "w:autoSpaceDE",
    "w:autoSpaceDN",
    "w:bidi",
    "w:adjustRightInd",
    "w:snapToGrid",
    "w:spacing",
    "w:ind",
    "w:contextualSpacing",
    "w:mirrorIndents",
    "w:suppressOverlap",
    "w:jc",
    "w:textDirection",
    "w:textAlignment",
    "w:textboxTightWrap",
    "w:outlineLvl",
    "w:divId",
    "w:cnfStyle",
    "w:rPr",
    "w:sectPr",
    "w:pPrChange",
)
_AFTER_TBL_BORDERS = (
    "w:shd",
    "w:tblLayout",
    "w:tblCellMar",
    "w:tblLook",
    "w:tblCaption",
    "w:tblDescription",
    "w:tblPrChange",
)


def write_docx(
    report: Report,
    template: Template,
    out: str | Path | io.BytesIO,
    *,
    charts: dict[str, bytes] | None = None,
    draft: bool = False,
) -> None:
    document = new_document()
    _page_setup(document, draft)
    fill = template.filler(report.name, report.assessor, report.year)
    grids: _Grids = []
    if template.is_report:
        _report(document, grids, report, template, fill, charts or {})
    else:
        _decision(document, template, fill)
        section = document.add_section(WD_SECTION.NEW_PAGE)
        _restart_numbering(section)
        _appendix(document, grids, report, template, fill, charts or {})
    _properties(document, report, template, fill)
    _save(document, grids, out)


_Grids = list[Iterator[str]]
"""The tables of a document, in its order: each the text of its XML, made as it is read."""
_PLACEHOLDER = "chisoTable"  # an element of no schema: no text of the document can spell it
_DOCUMENT_XML = "word/document.xml"


def _save(document: Document, grids: _Grids, out: str | Path | io.BytesIO) -> None:
    """Save ``document`` to ``out`` with its placeholders replaced by ``grids``: every part
    as python-docx wrote it, but the document's body, which is copied a table row at a time."""
    saved = io.BytesIO()
    document.save(saved)
    with (
        zipfile.ZipFile(saved) as source,
        zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            if info.filename != _DOCUMENT_XML:
                target.writestr(info, source.read(info))
                continue
            pieces = source.read(info).decode("utf-8").split(f"<w:{_PLACEHOLDER}/>")
            if len(pieces) != len(grids) + 1:
                raise AssertionError(f"{len(pieces) - 1} placeholders for {len(grids)} tables")
            entry = zipfile.ZipInfo(_DOCUMENT_XML, date_time=info.date_time)
            entry.compress_type = zipfile.ZIP_DEFLATED
            with target.open(entry, "w") as stream, io.TextIOWrapper(stream, "utf-8") as text:
                text.write(pieces[0])
                for grid, piece in zip(grids, pieces[1:], strict=True):
                    text.writelines(grid)
                    text.write(piece)


def _properties(
    document: Document, report: Report, template: Template, fill: Callable[[str], str]
) -> None:
    """The document's own properties (File > Info in Word), none of the library's: title,
    subject, the issuing body as author, the date it is issued."""
    properties = document.core_properties
    author = " ".join(fill(template.issuing_agency).split())
    properties.title = " ".join(fill(template.title).split())
    properties.subject = report.name
    properties.author = properties.last_modified_by = author
    properties.comments = ""
    properties.keywords = ""
    properties.category = ""
    properties.language = "vi-VN"
    properties.revision = 1
    issued = template.date or datetime.date.today()
    properties.created = properties.modified = datetime.datetime.combine(issued, datetime.time())


# -- page, styles, small helpers


def _page_setup(document: Document, draft: bool) -> None:
    _language(document)
    normal = document.styles["Normal"]
    normal.font.name = FONT
    normal.font.size = Pt(14)
    _fonts(normal)
    _styles(document)
    paragraph = normal.paragraph_format
    paragraph.space_after = Pt(6)
    paragraph.line_spacing = 1.15
    section = document.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.header_distance = Mm(10)
    section.different_first_page_header_footer = True
    _page_number(section.header.paragraphs[0], draft)
    first = section.first_page_header.paragraphs[0]
    if draft:
        _draft_mark(first)


def _fonts(style: object) -> None:
    """``FONT`` for every script of ``style``, in place of the template's theme fonts."""
    fonts = style.element.get_or_add_rPr().get_or_add_rFonts()  # type: ignore[attr-defined]
    for attribute in ("w:asciiTheme", "w:hAnsiTheme", "w:cstheme", "w:eastAsiaTheme"):
        fonts.attrib.pop(qn(attribute), None)
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), FONT)


def _language(document: Document) -> None:
    """Vietnamese as the language of the text, so that Word checks the spelling as Vietnamese
    (the library's template says English, and Word marks every Vietnamese word)."""
    defaults = document.styles.element.find(qn("w:docDefaults"))
    language = defaults.find(f"{qn('w:rPrDefault')}/{qn('w:rPr')}/{qn('w:lang')}")
    language.set(qn("w:val"), "vi-VN")
    language.set(qn("w:eastAsia"), "vi-VN")


_HEADINGS = {1: "Heading 1", 2: "Heading 2"}


def _styles(document: Document) -> None:
    """The headings and captions in Word's own styles (the navigation pane and a table of
    contents find them) with the look of the document: the body font, black, 14 and 13 pt."""
    for name, size, bold in (
        ("Heading 1", 14, True),
        ("Heading 2", 14, True),
        ("Caption", 13, False),
    ):
        style = document.styles[name]
        style.font.size = Pt(size)
        style.font.bold = bold
        style.font.italic = False
        style.font.color.rgb = RGBColor(0, 0, 0)
        style.paragraph_format.line_spacing = 1.15  # as the body's
        _fonts(style)


def _draft_mark(paragraph: Paragraph) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.RIGHT
    run = paragraph.add_run("DỰ THẢO")
    run.bold = True
    run.font.size = Pt(14)
    run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)


def _page_number(paragraph: Paragraph, draft: bool) -> None:
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    field = OxmlElement("w:fldSimple")
    field.set(qn("w:instr"), "PAGE")
    run = OxmlElement("w:r")
    text = OxmlElement("w:t")
    text.text = "2"
    run.append(text)
    field.append(run)
    paragraph._p.append(field)
    if draft:
        run = paragraph.add_run("    DỰ THẢO")
        run.bold = True
        run.font.color.rgb = RGBColor(0xC6, 0x28, 0x28)


def _restart_numbering(section: object) -> None:
    sect_pr = section._sectPr  # type: ignore[attr-defined]
    numbering = OxmlElement("w:pgNumType")
    numbering.set(qn("w:start"), "1")
    sect_pr.insert_element_before(numbering, *_AFTER_PG_NUM_TYPE)


def _paragraph(
    container: Document | _Cell,
    text: str = "",
    *,
    bold: bool = False,
    italic: bool = False,
    size: float = 14,
    align: str = "justify",
    indent: bool = False,
    before: float = 0,
    after: float = 6,
) -> Paragraph:
    paragraph = container.add_paragraph()
    paragraph.alignment = {
        "justify": WD_ALIGN_PARAGRAPH.JUSTIFY,
        "center": WD_ALIGN_PARAGRAPH.CENTER,
        "left": WD_ALIGN_PARAGRAPH.LEFT,
        "right": WD_ALIGN_PARAGRAPH.RIGHT,
    }[align]
    form = paragraph.paragraph_format
    form.space_before, form.space_after = Pt(before), Pt(after)
    if indent:
        form.first_line_indent = Mm(12.7)
    if text:
        _run(paragraph, text, bold=bold, italic=italic, size=size)
    return paragraph


def _run(
    paragraph: Paragraph, text: str, *, bold: bool = False, italic: bool = False, size: float = 14
) -> None:
    lines = text.split("\n")
    for number, line in enumerate(lines):
        run = paragraph.add_run(line)
        run.bold, run.italic = bold, italic
        run.font.size = Pt(size)
        if number < len(lines) - 1:
            run.add_break(WD_BREAK.LINE)


def _rule(container: Document | _Cell, length_mm: float, width_mm: float, after: float = 0) -> None:
    """A solid 0.5 pt line, ``length_mm`` long, centred in ``width_mm``: the bottom border of
    an empty 5 pt paragraph indented on both sides (the text above keeps its full width)."""
    side = max(0.0, (width_mm - length_mm) / 2)
    paragraph = container.add_paragraph()
    form = paragraph.paragraph_format
    form.left_indent, form.right_indent = Mm(side), Mm(side)
    form.space_before, form.space_after = Pt(0), Pt(after)
    form.line_spacing = Pt(5)
    borders = parse_xml(
        f'<w:pBdr {nsdecls("w")}><w:bottom w:val="single" w:sz="4" w:space="0"'
        ' w:color="000000"/></w:pBdr>'
    )
    paragraph._p.get_or_add_pPr().insert_element_before(borders, *_AFTER_P_BDR)


def _borderless(table: object, widths_mm: Sequence[float]) -> None:
    tbl = table._tbl  # type: ignore[attr-defined]
    tbl_pr = tbl.tblPr
    tbl_pr.insert_element_before(
        parse_xml(
            f"<w:tblBorders {nsdecls('w')}>"
            + "".join(
                f'<w:{side} w:val="nil"/>'
                for side in ("top", "left", "bottom", "right", "insideH", "insideV")
            )
            + "</w:tblBorders>"
        ),
        *_AFTER_TBL_BORDERS,
    )
    tbl_pr.insert_element_before(
        parse_xml(f'<w:tblLayout {nsdecls("w")} w:type="fixed"/>'), *_AFTER_TBL_BORDERS[2:]
    )
    # no cell margins: "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" needs 89 mm of the 100
    tbl_pr.insert_element_before(
        parse_xml(
            f'<w:tblCellMar {nsdecls("w")}><w:left w:w="0" w:type="dxa"/>'
            '<w:right w:w="0" w:type="dxa"/></w:tblCellMar>'
        ),
        *_AFTER_TBL_BORDERS[3:],
    )
    for column, width in zip(table.columns, widths_mm, strict=True):  # type: ignore[attr-defined]
        column.width = Mm(width)  # the grid: a fixed layout follows it
    for row in table.rows:  # type: ignore[attr-defined]
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)


def _cell_text(cell: _Cell) -> Paragraph:
    """The cell's first (empty) paragraph, centred."""
    paragraph: Paragraph = cell.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    paragraph.paragraph_format.space_after = Pt(0)
    return paragraph


# -- the decision, the report


def _head(document: Document, template: Template, fill: Callable[[str], str]) -> None:
    """The header of Decree 30 (agency, motto, number, place and date), the document's type
    and its title."""
    header = document.add_table(rows=2, cols=2)
    header.alignment = WD_TABLE_ALIGNMENT.CENTER
    _borderless(header, (65, 100))
    left, right = header.rows[0].cells
    agency = _cell_text(left)
    if template.parent_agency:
        _run(agency, fill(template.parent_agency).upper() + "\n", size=13)
    _run(agency, fill(template.issuing_agency).upper(), bold=True, size=13)
    _rule(left, 25, 65)
    motto = _cell_text(right)
    _run(motto, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\n", bold=True, size=13)
    _run(motto, "Độc lập - Tự do - Hạnh phúc", bold=True, size=14)
    _rule(right, 57, 100)
    number, date = header.rows[1].cells
    _run(_cell_text(number), f"Số: {fill('{number}')}", size=13)
    _run(_cell_text(date), template.date_line(fill), italic=True, size=14)
    for cell in (number, date):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    kind = template.kind
    _paragraph(document, kind, bold=True, align="center", before=18, after=0)
    _paragraph(document, fill(template.title), bold=True, align="center", after=0)
    _rule(document, 50, TEXT_WIDTH_MM, after=12)


def _decision(document: Document, template: Template, fill: Callable[[str], str]) -> None:
    _head(document, template, fill)
    if template.authority:
        _paragraph(document, fill(template.authority).upper(), bold=True, align="center", after=12)
    for basis in template.legal_bases:
        _paragraph(document, fill(basis), italic=True, indent=True)
    if template.proposal:
        _paragraph(document, fill(template.proposal), italic=True, indent=True)
    _paragraph(document, "QUYẾT ĐỊNH:", bold=True, align="center", before=6)
    for number, article in enumerate(template.articles, start=1):
        last = number == len(template.articles)
        paragraph = _paragraph(document, indent=True, before=6)
        _run(paragraph, f"Điều {number}. ", bold=True)
        _run(paragraph, closing(fill(article)) if last else fill(article))
        if last:  # the signature never alone on a page
            paragraph.paragraph_format.keep_with_next = True
    _signature(document, template, fill)


def _report(
    document: Document,
    grids: _Grids,
    report: Report,
    template: Template,
    fill: Callable[[str], str],
    charts: dict[str, bytes],
) -> None:
    """The department's report (BÁO CÁO): the header, the title, its introduction, the
    results in sections I, II, III…, the closing paragraph, the signature."""
    _head(document, template, fill)
    for text in template.body.introduction:
        _paragraph(document, fill(text), indent=True)
    _results(document, grids, report, template, fill, charts)
    if template.closing:
        last = _paragraph(document, closing(fill(template.closing)), indent=True, before=6)
        last.paragraph_format.keep_with_next = True
    _signature(document, template, fill)


def _signature(document: Document, template: Template, fill: Callable[[str], str]) -> None:
    table = document.add_table(rows=1, cols=2)
    _borderless(table, (65, 100))
    table.rows[0]._tr.get_or_add_trPr().append(OxmlElement("w:cantSplit"))
    left, right = table.rows[0].cells
    recipients = left.paragraphs[0]
    recipients.paragraph_format.space_before = Pt(12)
    recipients.paragraph_format.space_after = Pt(0)
    _run(recipients, "Nơi nhận:", bold=True, italic=True, size=12)
    for line in template.recipients:
        paragraph = left.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(0)
        paragraph.paragraph_format.line_spacing = 1.0
        _run(paragraph, f"- {fill(line)}", size=11)
    sign = _cell_text(right)
    sign.paragraph_format.space_before = Pt(12)
    signature = template.signature
    heading = "\n".join(x for x in (signature.capacity, signature.position) if x).upper()
    _run(sign, heading, bold=True, size=14)
    name = right.add_paragraph()
    name.alignment = WD_ALIGN_PARAGRAPH.CENTER
    name.paragraph_format.space_before = Pt(72)
    _run(name, signature.name, bold=True, size=14)


# -- the appendix, the results


def _appendix(
    document: Document,
    grids: _Grids,
    report: Report,
    template: Template,
    fill: Callable[[str], str],
    charts: dict[str, bytes],
) -> None:
    appendix = template.appendix
    assert appendix is not None  # a decision's: the template's check
    _paragraph(document, fill(appendix.heading), bold=True, align="center", after=0)
    _paragraph(document, fill(appendix.title), bold=True, align="center", after=0)
    _paragraph(document, fill(appendix.reference), italic=True, align="center", after=2)
    _rule(document, 50, TEXT_WIDTH_MM, after=12)
    for text in appendix.introduction:
        _paragraph(document, fill(text), indent=True)
    _results(document, grids, report, template, fill, charts)


def _results(
    document: Document,
    grids: _Grids,
    report: Report,
    template: Template,
    fill: Callable[[str], str],
    charts: dict[str, bytes],
) -> None:
    """Sections I (the method), II (the results block by block), then the conclusion and
    the recommendations when there are any, numbered on."""
    _method(document, grids, report)
    _heading(document, "II. KẾT QUẢ ĐÁNH GIÁ, XẾP HẠNG")
    for number, block in enumerate(report.blocks, start=1):
        _heading(document, f"{number}. {block.heading}", caps=False)
        for sentence in block.narrative:
            _paragraph(document, sentence, indent=True)
        for position, table in enumerate(block.printed_tables):
            _table(document, grids, table)
            if position == 0:
                for chart in block.charts:
                    _chart(document, chart.number, chart.title, charts.get(chart.key), chart.kind)
        if block.workbook_note:
            _paragraph(document, block.workbook_note, italic=True, indent=True)
    for numeral, kind, heading, paragraphs in closing_sections(report, template.text):
        _heading(document, f"{numeral}. {fill(heading)}")
        if kind == "conclusion":
            for sentence in report.summary:
                _paragraph(document, sentence, indent=True)
            for chart in report.charts:
                _chart(document, chart.number, chart.title, charts.get(chart.key))
        for text in paragraphs:
            _paragraph(document, fill(text), indent=True)


def _heading(document: Document, text: str, *, caps: bool = True) -> None:
    """A section (I., II. …: level 1, in capitals) or a part of one (level 2)."""
    paragraph = _paragraph(
        document, text.upper() if caps else text, bold=True, align="left", before=12
    )
    paragraph.style = document.styles[_HEADINGS[1 if caps else 2]]


def _method(document: Document, grids: _Grids, report: Report) -> None:
    _heading(document, "I. CƠ SỞ, TIÊU CHÍ ĐÁNH GIÁ VÀ PHƯƠNG PHÁP TÍNH ĐIỂM")
    for section in method_sections(report):
        _heading(document, section.heading, caps=False)
        for text in section.paragraphs:
            _paragraph(document, text, indent=True, after=2)
        for text in section.items:
            _paragraph(document, f"- {text}", indent=True, after=2)
        if section.table:
            columns, rows = method_table(report)
            layout = fit(columns, rows)
            if layout.landscape:  # a column per block: many blocks turn the page
                _turn(document, landscape=True)
            _grid(document, grids, columns, rows, layout)
            if layout.landscape:
                _turn(document, landscape=False)


def _chart(document: Document, number: str, title: str, png: bytes | None, kind: str = "") -> None:
    if png is None:
        return
    caption = _paragraph(document, align="center", before=6, after=2)
    caption.style = document.styles["Caption"]
    caption.paragraph_format.keep_with_next = True
    _run(caption, f"{number}. ", bold=True, size=13)
    _run(caption, title, italic=True, size=13)
    document.add_picture(io.BytesIO(png), width=Mm(110 if kind == "tiers" else 150))
    document.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER


def _table(document: Document, grids: _Grids, table: Table) -> None:
    layout = table_layout(table)
    if layout.landscape:  # on pages of its own, turned; the numbering goes on
        _turn(document, landscape=True)
    if not table.part:  # a part is printed under its group's caption: "a) …", "b) …"
        caption = _paragraph(document, align="left", before=12, after=3)
        caption.style = document.styles["Caption"]
        caption.paragraph_format.keep_with_next = True
        _run(caption, f"{table.number}. ", bold=True, size=13)
        _run(caption, table.title, bold=False, italic=False, size=13)
    else:
        part = _paragraph(document, table.part, italic=True, align="left", size=13, after=3)
        part.paragraph_format.keep_with_next = True
    _grid(document, grids, table.columns, table.rows, layout)
    for note in (*table.notes, layout.legend):
        if note:
            _paragraph(document, note, italic=True, size=12, align="left", after=2)
    if layout.landscape:
        _turn(document, landscape=False)


def _turn(document: Document, *, landscape: bool) -> None:
    """A new section on a new page, landscape (margins 20 mm) or back to the portrait page
    of Decree 30; its pages are numbered on from the section before, the number shown on
    its first page too."""
    section = document.add_section(WD_SECTION.NEW_PAGE)
    sect_pr = section._sectPr
    for name in ("w:pgNumType", "w:titlePg"):  # the copy of the section before has them
        for element in sect_pr.findall(qn(name)):
            sect_pr.remove(element)
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Mm(297), Mm(210)
        section.left_margin = section.right_margin = Mm(20)
    else:
        section.orientation = WD_ORIENT.PORTRAIT
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin, section.right_margin = Mm(30), Mm(15)
    section.top_margin = section.bottom_margin = Mm(20)


def _grid(
    document: Document,
    grids: _Grids,
    columns: Sequence[Column],
    rows: Sequence[tuple[Cell, ...] | Section],
    layout: Layout,
) -> None:
    """The table's placeholder at the end of the body; its XML, :func:`_grid_xml`, is made
    when the document is saved."""
    body = document.element.body
    body.insert(len(body) - 1, OxmlElement(f"w:{_PLACEHOLDER}"))  # before the final sectPr
    grids.append(_grid_xml(columns, rows, layout))


def _grid_xml(
    columns: Sequence[Column],
    rows: Sequence[tuple[Cell, ...] | Section],
    layout: Layout,
) -> Iterator[str]:
    """The table in the :mod:`~chiso.reports.layout` it is given, as the text of a ``w:tbl``
    element, a row at a time: the PDF's widths and type size, numbers that never wrap, a text
    in a column of numbers across the empty cells after it, header rows repeated on each
    page, tier rows kept with the row after them."""
    size = round(layout.size * 2)  # half-points
    twips = [round(w * 56.7) for w in layout.widths]
    yield (
        f'<w:tbl {nsdecls("w")}><w:tblPr><w:tblW w:w="{sum(twips)}" w:type="dxa"/>'
        '<w:jc w:val="center"/><w:tblBorders>'
        + "".join(
            f'<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>'
            for side in ("top", "left", "bottom", "right", "insideH", "insideV")
        )
        + '</w:tblBorders><w:tblLayout w:type="fixed"/>'
        '<w:tblCellMar><w:left w:w="57" w:type="dxa"/><w:right w:w="57" w:type="dxa"/>'
        "</w:tblCellMar></w:tblPr><w:tblGrid>"
        + "".join(f'<w:gridCol w:w="{t}"/>' for t in twips)
        + "</w:tblGrid>"
    )

    def cell(
        text: str,
        width: int,
        *,
        bold: bool = False,
        italic: bool = False,
        align: str = "center",
        span: int = 1,
        wrap: bool = True,
        keep: bool = False,
    ) -> str:
        props = f'<w:tcW w:w="{width}" w:type="dxa"/>'
        if span > 1:
            props += f'<w:gridSpan w:val="{span}"/>'
        if not wrap:
            props += "<w:noWrap/>"
        style = ("<w:b/>" if bold else "") + ("<w:i/>" if italic else "")
        marks = f'<w:rPr>{style}<w:sz w:val="{size}"/></w:rPr>'  # an empty cell's line too
        run = f'<w:r>{marks}<w:t xml:space="preserve">{escape(text)}</w:t></w:r>' if text else ""
        return (
            f'<w:tc><w:tcPr>{props}<w:vAlign w:val="center"/></w:tcPr><w:p><w:pPr>'
            + ("<w:keepNext/>" if keep else "")
            + '<w:spacing w:before="20" w:after="20" w:line="240" w:lineRule="auto"/>'
            f'<w:jc w:val="{align}"/>{marks}</w:pPr>{run}</w:p></w:tc>'
        )

    head = "<w:trPr><w:tblHeader/><w:cantSplit/></w:trPr>"
    yield (
        f"<w:tr>{head}"
        + "".join(  # the header never alone at a page's foot
            cell(title, t, bold=True, keep=True)
            for title, t in zip(layout.titles, twips, strict=True)
        )
        + "</w:tr>"
    )
    if any(c.maximum is not None for c in columns):
        yield (
            f"<w:tr>{head}"
            + "".join(
                cell(
                    "Tối đa" if i == 1 else cell_text(c, c.maximum),
                    t,
                    bold=True,
                    italic=True,
                    wrap=i == 1,
                    keep=True,
                )
                for i, (c, t) in enumerate(zip(columns, twips, strict=True))
            )
            + "</w:tr>"
        )
    total = sum(twips)
    plain = "<w:tr><w:trPr><w:cantSplit/></w:trPr>"
    for row in rows:
        if isinstance(row, Section):  # a tier's row never ends a page
            yield (
                plain
                + cell(
                    row.label,
                    total,
                    bold=True,
                    italic=True,
                    align="left",
                    span=len(columns),
                    keep=True,
                )
                + "</w:tr>"
            )
            continue
        bold = row[1] == "Tổng điểm"
        cells = []
        widths = spans(row, columns)
        for index, (c, value, width) in enumerate(zip(columns, row, widths, strict=True)):
            if not width:
                continue
            cells.append(
                cell(
                    cell_text(c, value),
                    sum(twips[index : index + width]),
                    align="left" if c.kind == "text" else "center",
                    bold=bold,
                    span=width,
                    wrap=c.kind == "text" or width > 1,
                )
            )
        yield plain + "".join(cells) + "</w:tr>"
    yield "</w:tbl>"
