"""The decision and its appendix as PDF (HTML laid out by WeasyPrint, no office suite), and one
unit's one-page scorecard.

The layout follows Decree 30/2020/NĐ-CP as DECREE-30 gives it for HTML/CSS: A4, margins
20/15/20/30 mm, the two-column header (39 % / 61 %), page numbers centred in the top margin
from page 2, the appendix rendered on its own and joined, so that its pages are numbered from 1.
Text is set in the bundled Liberation Serif (Times New Roman's metrics, every Vietnamese glyph)
and embedded in the file.
"""

from __future__ import annotations

import gc
import hashlib
import io
import ssl
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from functools import cache
from html import escape
from importlib import resources
from pathlib import Path
from typing import Any

from chiso import format as fmt
from chiso.core import CycleResult, Framework, UnitResult
from chiso.reports.data import Report
from chiso.reports.labels import LEGEND, NOT_SCORED_MARK, closing_sections
from chiso.reports.layout import Layout, fit, spans, table_layout
from chiso.reports.method import method_sections
from chiso.reports.scorecard import Scorecard, build_scorecard
from chiso.reports.tables import Cell, Column, Section, Table, cell_text, method_table
from chiso.reports.template import Template, closing

__all__ = ["appendix_html", "decision_html", "report_html", "write_pdf", "write_scorecard"]


@cache
def _css() -> str:
    folder = resources.files("chiso") / "reports" / "fonts"
    faces = "".join(
        "@font-face{font-family:ChisoSerif;"
        f"src:url('{Path(str(folder / f'LiberationSerif-{name}.ttf')).as_uri()}');"
        f"font-weight:{weight};font-style:{style}}}"
        for name, weight, style in [
            ("Regular", "normal", "normal"),
            ("Bold", "bold", "normal"),
            ("Italic", "normal", "italic"),
            ("BoldItalic", "bold", "italic"),
        ]
    )
    return (
        faces
        + """
@page{size:A4;margin:20mm 15mm 20mm 30mm;
  @top-center{content:counter(page);font:13pt ChisoSerif}}
@page:first{@top-center{content:none}}
@page main{size:A4}
@page wide{size:A4 landscape;margin:20mm 20mm 20mm 20mm}
body>*{page:main}
body>.landscape{page:wide}
html{font-family:ChisoSerif;font-size:14pt;line-height:1.15;color:#000}
body{margin:0}
p{margin:0 0 6pt;text-align:justify}
.indent{text-indent:12.7mm}
.center{text-align:center}
.b{font-weight:bold}.i{font-style:italic}
table.head{width:100%;table-layout:fixed;border-collapse:collapse;margin-bottom:12pt}
table.head td{text-align:center;vertical-align:top;padding:0}
.agency{font-size:13pt;text-transform:uppercase}
.agency .name{display:inline-block;font-weight:bold}
.agency .name::after{content:"";display:block;width:40%;margin:2pt auto 0;border-top:.5pt solid}
.nation{font-size:13pt;font-weight:bold}
.motto{display:inline-block;font-size:14pt;font-weight:bold;border-bottom:.5pt solid;
  padding-bottom:1pt}
.number{font-size:13pt;padding-top:6pt!important;white-space:pre-wrap}
.date{font-size:14pt;font-style:italic;padding-top:6pt!important;white-space:pre-wrap}
.doctype{text-align:center;font-weight:bold;margin:18pt 0 0}
.title{text-align:center;font-weight:bold;margin:0}
.title::after{content:"";display:block;width:30%;margin:3pt auto 0;border-top:.5pt solid}
.authority{text-align:center;font-weight:bold;margin:12pt 0}
table.sign{width:100%;table-layout:fixed;border-collapse:collapse;margin-top:12pt;
  page-break-inside:avoid}
.keep{page-break-inside:avoid}
.after-title{height:12pt}
table.sign td{vertical-align:top;padding:0}
.recipients{font-size:11pt;line-height:1.1}
.recipients p{margin:0;text-align:left}
.recipients .label{font-size:12pt;font-weight:bold;font-style:italic}
.signer{text-align:center;font-weight:bold}
.signer .name{margin-top:70pt}
h2{font-size:14pt;margin:12pt 0 6pt;text-transform:uppercase}
h3{font-size:14pt;margin:10pt 0 6pt}
.appendix-head{text-align:center;font-weight:bold;margin:0}
.reference{text-align:center;font-style:italic;margin:0 0 12pt;white-space:pre-wrap}
.reference::after{content:"";display:block;width:30%;margin:3pt auto 0;border-top:.5pt solid}
.caption{font-size:13pt;margin:10pt 0 3pt;text-align:left;page-break-after:avoid}
.part{font-size:13pt;font-style:italic;margin:0 0 3pt;page-break-after:avoid}
table.grid{border-collapse:collapse;table-layout:fixed;margin:0 auto 4pt}
table.grid th,table.grid td{border:.5pt solid #000;padding:1pt 2pt;text-align:center;
  vertical-align:middle;line-height:1.1}
table.grid td.n{white-space:nowrap}
table.grid tr.tier{page-break-after:avoid}
table.grid th{font-weight:bold}
table.grid td.text{text-align:left}
table.grid tr{page-break-inside:avoid}
table.grid td.section{text-align:left;font-weight:bold;font-style:italic}
table.grid tr.max th{font-style:italic}
.note{font-size:12pt;font-style:italic;margin:0 0 2pt}
figure{margin:8pt 0;text-align:center;page-break-inside:avoid}
figure img{width:150mm}
figcaption{font-size:13pt;margin-bottom:2pt}
.draft{position:fixed;top:110mm;left:0;width:165mm;text-align:center;font-size:90pt;
  font-weight:bold;color:rgba(198,40,40,.16);transform:rotate(-35deg)}
.draft-tag{position:fixed;top:-12mm;right:0;font-size:12pt;font-weight:bold;color:#c62828;
  border:1pt solid #c62828;padding:0 4pt}
"""
    )


def _page(body: str, draft: bool, extra_css: str = "") -> str:
    marks = '<div class="draft">DỰ THẢO</div><div class="draft-tag">DỰ THẢO</div>' if draft else ""
    return (
        '<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">'
        f"<style>{_css()}{extra_css}</style></head><body>{marks}{body}</body></html>"
    )


def _p(text: str, classes: str = "") -> str:
    return f'<p class="{classes}">{escape(text)}</p>' if text else ""


def _lines(text: str) -> str:
    return "<br>".join(escape(line) for line in text.split("\n"))


def _filler(report: Report, template: Template) -> Callable[[str], str]:
    return template.filler(report.name, report.assessor, report.year)


def _head(template: Template, fill: Callable[[str], str]) -> list[str]:
    """The header of Decree 30 (agency, motto, number, place and date), the document's type
    and its title."""
    parent = f"{_lines(fill(template.parent_agency))}<br>" if template.parent_agency else ""
    head = (
        '<table class="head"><colgroup><col style="width:39%"><col style="width:61%"></colgroup>'
        f'<tr><td class="agency">{parent}<span class="name">'
        f"{_lines(fill(template.issuing_agency))}</span></td>"
        '<td><div class="nation">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</div>'
        '<span class="motto">Độc lập - Tự do - Hạnh phúc</span></td></tr>'
        f'<tr><td class="number">Số: {escape(fill("{number}"))}</td>'
        f'<td class="date">{escape(template.date_line(fill))}</td></tr></table>'
    )
    return [
        head,
        _p(template.kind, "doctype"),
        _p(fill(template.title), "title"),
    ]


def _signature(template: Template, fill: Callable[[str], str], last: str) -> str:
    """The recipients and the signature, kept on one page with ``last`` (the last article or
    paragraph): never a signature alone on a page."""
    signature = template.signature
    heading = "<br>".join(escape(x.upper()) for x in (signature.capacity, signature.position) if x)
    recipients = "".join(f"<p>- {escape(fill(line))}</p>" for line in template.recipients)
    return (
        f'<div class="keep">{last}<table class="sign"><colgroup><col style="width:39%">'
        '<col style="width:61%"></colgroup><tr><td class="recipients"><p class="label">'
        f'Nơi nhận:</p>{recipients}</td><td class="signer"><div>{heading}</div>'
        f'<div class="name">{escape(signature.name)}</div></td></tr></table></div>'
    )


def decision_html(report: Report, template: Template, draft: bool = False) -> str:
    """The decision without its appendix; for a report (BÁO CÁO), the whole report."""
    if template.is_report:
        return report_html(report, template, {}, draft)
    fill = _filler(report, template)
    parts = _head(template, fill)
    if template.authority:
        parts.append(_p(fill(template.authority).upper(), "authority"))
    parts += [_p(fill(basis), "indent i") for basis in template.legal_bases]
    if template.proposal:
        parts.append(_p(fill(template.proposal), "indent i"))
    parts.append(_p("QUYẾT ĐỊNH:", "center b"))
    articles = [
        f'<p class="indent"><b>Điều {number}.</b> {escape(fill(article))}</p>'
        for number, article in enumerate(template.articles[:-1], start=1)
    ]
    last = closing(fill(template.articles[-1]))
    parts += articles
    parts.append(
        _signature(
            template,
            fill,
            f'<p class="indent"><b>Điều {len(template.articles)}.</b> {escape(last)}</p>',
        )
    )
    return _page("".join(parts), draft)


def report_html(
    report: Report, template: Template, charts: dict[str, bytes], draft: bool = False
) -> str:
    """The department's report (BÁO CÁO, Decree 30's form): the header, the title, its
    introduction, the results in sections I, II, III…, the closing paragraph, the
    signature. No articles and no appendix."""
    return _page("".join(_joined(_report(report, template, charts))), draft)


def _report(report: Report, template: Template, charts: dict[str, bytes]) -> list[str | _Grid]:
    fill = _filler(report, template)
    parts: list[str | _Grid] = [*_head(template, fill), '<div class="after-title"></div>']
    parts += [_p(fill(text), "indent") for text in template.body.introduction]
    parts += _results(report, template, charts, fill)
    parts.append(_signature(template, fill, _p(closing(fill(template.closing)), "indent")))
    return parts


def appendix_html(
    report: Report, template: Template, charts: dict[str, bytes], draft: bool = False
) -> str:
    return _page("".join(_joined(_appendix(report, template, charts))), draft)


def _appendix(report: Report, template: Template, charts: dict[str, bytes]) -> list[str | _Grid]:
    fill = _filler(report, template)
    appendix = template.appendix
    assert appendix is not None  # a decision's: the template's check
    parts: list[str | _Grid] = [
        _p(fill(appendix.heading), "appendix-head"),
        _p(fill(appendix.title), "appendix-head"),
        _p(fill(appendix.reference), "reference"),
    ]
    parts += [_p(fill(text), "indent") for text in appendix.introduction]
    parts += _results(report, template, charts, fill)
    return parts


def _joined(parts: Iterable[str | _Grid]) -> list[str]:
    return [part if isinstance(part, str) else part.html() for part in parts]


def _results(
    report: Report, template: Template, charts: dict[str, bytes], fill: Callable[[str], str]
) -> list[str | _Grid]:
    """Sections I (the method), II (the results block by block), then the conclusion and
    the recommendations when there are any, numbered on."""
    text = template.text
    parts: list[str | _Grid] = [_method(report), "<h2>II. Kết quả đánh giá, xếp hạng</h2>"]
    for number, block in enumerate(report.blocks, start=1):
        parts.append(f"<h3>{number}. {escape(block.heading)}</h3>")
        parts += [_p(sentence, "indent") for sentence in block.narrative]
        for position, table in enumerate(block.printed_tables):
            parts.append(_table(table))
            if position == 0:
                parts += [
                    _figure(c.number, c.title, charts.get(c.key), c.kind) for c in block.charts
                ]
        parts.append(_p(block.workbook_note, "indent i"))
    for numeral, kind, heading, body in closing_sections(report, text):
        parts.append(f"<h2>{numeral}. {escape(fill(heading))}</h2>")
        if kind == "conclusion":
            parts += [_p(sentence, "indent") for sentence in report.summary]
            parts += [_figure(c.number, c.title, charts.get(c.key)) for c in report.charts]
        parts += [_p(fill(paragraph), "indent") for paragraph in body]
    return parts


def _method(report: Report) -> str:
    parts = ["<h2>I. Cơ sở, tiêu chí đánh giá và phương pháp tính điểm</h2>"]
    for section in method_sections(report):
        parts.append(f"<h3>{escape(section.heading)}</h3>")
        parts += [_p(text, "indent") for text in section.paragraphs]
        parts += [_p(f"- {text}", "indent") for text in section.items]
        if section.table:
            columns, rows = method_table(report)
            layout = fit(columns, rows)
            grid = _grid(columns, rows, layout)
            # a column per block: many blocks turn the page as a wide ranking table does
            parts.append(f'<div class="landscape">{grid}</div>' if layout.landscape else grid)
    return "".join(parts)


def _figure(number: str, title: str, png: bytes | None, kind: str = "") -> str:
    if png is None:
        return ""
    style = ' style="width:110mm"' if kind == "tiers" else ""
    return (
        f"<figure><figcaption><b>{escape(number)}.</b> <i>{escape(title)}</i></figcaption>"
        f'<img src="{_IMAGE}{_digest(png)}" alt="{escape(title)}"{style}></figure>'
    )


_IMAGE = "chiso-image:"
"""The address of a picture the document is given (:func:`_render`'s ``images``): not a
data URI, whose megabytes of base64 the HTML parser would read character by character."""


def _digest(png: bytes) -> str:
    return hashlib.sha256(png).hexdigest()


@dataclass(frozen=True)
class _Grid:
    """A printed table as HTML whose rows may be laid out a part at a time
    (:func:`_write_parts`): its caption and opening, its rows, its closing and notes; a part
    after the first opens with :attr:`opening` without the caption (the header rows repeat)."""

    caption: str
    opening: str
    rows: tuple[str, ...]
    notes: str
    landscape: bool

    def html(
        self, rows: Sequence[str] | None = None, *, first: bool = True, last: bool = True
    ) -> str:
        body = (
            (self.caption if first else "")
            + self.opening
            + "".join(self.rows if rows is None else rows)
            + _GRID_END
            + (self.notes if last else "")
        )
        return f'<div class="landscape">{body}</div>' if self.landscape else body


def _table(table: Table) -> _Grid:
    layout = table_layout(table)
    if table.part:  # a part is printed under its group's caption: "a) …", "b) …"
        caption = _p(table.part, "part")
    else:
        caption = f'<p class="caption"><b>{escape(table.number)}.</b> {escape(table.title)}</p>'
    opening, rows = _grid_rows(table.columns, table.rows, layout)
    notes = "".join(_p(note, "note") for note in (*table.notes, layout.legend) if note)
    # a landscape table is on pages of its own, turned
    return _Grid(caption, opening, tuple(rows), notes, layout.landscape)


def _grid(
    columns: Sequence[Column],
    rows: Sequence[tuple[Cell, ...] | Section],
    layout: Layout | None = None,
) -> str:
    """A table of the layout :func:`chiso.reports.layout.fit` gives it: columns as wide as
    their content, numbers on one line, a text in a column of numbers across the empty
    cells after it, tier rows kept with the row that follows."""
    opening, lines = _grid_rows(columns, rows, layout)
    return opening + "".join(lines) + _GRID_END


_GRID_END = "</tbody></table>"


def _grid_rows(
    columns: Sequence[Column],
    rows: Sequence[tuple[Cell, ...] | Section],
    layout: Layout | None = None,
) -> tuple[str, list[str]]:
    """:func:`_grid`'s opening (to its body) and its rows, each a ``<tr>``."""
    layout = layout or fit(columns, rows)
    cols = "".join(f'<col style="width:{w:.2f}mm">' for w in layout.widths)
    head = "".join(f"<th>{escape(title)}</th>" for title in layout.titles)
    parts = [
        f'<table class="grid" style="width:{layout.width:.2f}mm;font-size:{layout.size:g}pt">'
        f"<colgroup>{cols}</colgroup><thead><tr>{head}</tr>"
    ]
    if any(c.maximum is not None for c in columns):
        cells = "".join(
            f"<th>{'Tối đa' if i == 1 else escape(cell_text(c, c.maximum))}</th>"
            for i, c in enumerate(columns)
        )
        parts.append(f'<tr class="max">{cells}</tr>')
    parts.append("</thead><tbody>")
    span = len(columns)
    lines = []
    for row in rows:
        if isinstance(row, Section):
            label = escape(row.label)
            lines.append(f'<tr class="tier"><td class="section" colspan="{span}">{label}</td></tr>')
            continue
        line: list[str] = []
        for column, value, width in zip(columns, row, spans(row, columns), strict=True):
            if not width:
                continue
            text = escape(cell_text(column, value))
            if column.kind == "text":
                line.append(f'<td class="text">{text}</td>')
            elif width > 1:
                line.append(f'<td class="span" colspan="{width}">{text}</td>')
            else:
                line.append(f'<td class="n">{text}</td>')
        lines.append(f"<tr>{''.join(line)}</tr>")
    return "".join(parts), lines


def _render(html: str, images: Iterable[bytes] = ()) -> Any:
    """The laid-out document of ``html``, its pictures (:func:`_figure`) among ``images``;
    nothing is fetched from anywhere else."""
    from weasyprint import HTML
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    found = {_digest(png): png for png in images}

    class Fetcher(URLFetcher):  # type: ignore[misc]
        """The pictures given, the bundled fonts (file:), nothing else."""

        def fetch(self, url: str, headers: Any = None) -> Any:
            if url.startswith(_IMAGE) and url[len(_IMAGE) :] in found:
                body = found[url[len(_IMAGE) :]]
                return URLFetcherResponse(url, body, {"Content-Type": "image/png"})
            return super().fetch(url, headers)

    # nothing is fetched over https, so no certificates are loaded (a fetcher's default TLS
    # context reads the system's, 20 ms each time)
    fetcher = Fetcher(
        allowed_protocols=("file",), ssl_context=ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
    )
    return HTML(string=html, base_url=".", url_fetcher=fetcher).render()


def write_pdf(
    report: Report,
    template: Template,
    out: str | Path | io.BytesIO,
    *,
    charts: dict[str, bytes] | None = None,
    draft: bool = False,
) -> None:
    """The decision, then the appendix numbered from its own page 1; or the report."""
    fill = _filler(report, template)
    title = " ".join(fill(template.title).split())
    author = " ".join(fill(template.issuing_agency).split())
    pictures = list((charts or {}).values())
    files = []
    if template.is_report:
        parts = _report(report, template, charts or {})
    else:
        decision = _render(decision_html(report, template, draft))
        _described(decision, title, author)
        parts = _appendix(report, template, charts or {})
    if any(isinstance(part, _Grid) and len(part.rows) > PART_ROWS for part in parts):
        if not template.is_report:
            files.append(decision.write_pdf())
            del decision
        _write_parts(files, parts, pictures, draft, out, (title, author))
        return
    document = _render(_page("".join(_joined(parts)), draft), pictures)
    if not template.is_report:
        document = decision.copy([*decision.pages, *document.pages])
    _described(document, title, author)
    document.write_pdf(out)


def _described(document: Any, title: str, author: str) -> None:
    document.metadata.title = title
    document.metadata.authors = [author]
    document.metadata.lang = "vi"


PART_ROWS = 300
"""The rows of a table laid out at a time. WeasyPrint keeps every page's boxes until it writes
the file, 2 to 3 MB a page of a ranking table: a national cycle's appendix (4,000 units, 210
pages) took 1.1 GB at once. Its appendix is laid out and written a part at a time (about 15
pages), and the parts' files are joined."""

_TAGGED = 150
"""The last rows of a part that carry an id, to find which of them its last page holds (a
page holds fewer rows)."""
_ROW = "chiso-row-"


def _write_parts(
    files: list[bytes],
    parts: list[str | _Grid],
    pictures: list[bytes],
    draft: bool,
    out: str | Path | io.BytesIO,
    described: tuple[str, str],
) -> None:
    """``files`` (the decision), then ``parts`` laid out a part at a time, each part cut
    after :data:`PART_ROWS` rows of a long table and numbered on from the part before. A
    part's last page, which its table would have filled further, is left out: its rows begin
    the next part, so that the table runs on as it does in one piece."""
    from pypdf import PdfReader, PdfWriter

    number = 1  # the next page's number
    body: list[str] = []
    queue = deque(parts)
    while queue:
        part = queue.popleft()
        if isinstance(part, str):
            body.append(part)
            continue
        if len(part.rows) <= PART_ROWS:
            body.append(part.html())
            continue
        rows = list(part.rows[:PART_ROWS])
        tail = len(rows) - _TAGGED
        for index in range(tail, len(rows)):
            rows[index] = f'<tr id="{_ROW}{index - tail}"' + rows[index][3:]
        body.append(part.html(rows, last=False))
        document = _render(_page("".join(body), draft, _numbered_from(number)), pictures)
        pages = document.pages
        on_last = [int(a[len(_ROW) :]) for a in pages[-1].anchors if a.startswith(_ROW)]
        carried = 0
        if len(pages) > 1 and on_last and min(on_last) > 0:
            carried = _TAGGED - min(on_last)
            pages = pages[:-1]
        document = document.copy(pages)
        _described(document, *described)
        files.append(document.write_pdf())
        number += len(pages)
        del document, pages
        # the part's boxes hold cycles: freed here also where the collector is off (the
        # command's), only the objects made since the last collection are looked at
        gc.collect(0)
        queue.appendleft(replace(part, caption="", rows=part.rows[PART_ROWS - carried :]))
        body = []
    if body:
        document = _render(_page("".join(body), draft, _numbered_from(number)), pictures)
        _described(document, *described)
        files.append(document.write_pdf())
    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(files[0])))  # its metadata, language
    for data in files[1:]:
        writer.append(PdfReader(io.BytesIO(data)))
    writer.write(out)


def _numbered_from(number: int) -> str:
    """The style of a part of the appendix whose first page is its page ``number``."""
    if number == 1:
        return ""
    return f"@page:first{{counter-reset:page {number};@top-center{{content:counter(page)}}}}"


def write_scorecard(
    framework: Framework,
    result: CycleResult,
    unit: UnitResult,
    out: str | Path | io.BytesIO,
    *,
    draft: bool = False,
) -> None:
    """One page: the unit's total, percentage, tier and rank, its groups against the block's
    averages (table and chart), its rank in earlier years."""
    write_card(build_scorecard(framework, result, unit), out, draft=draft)


def write_card(card: Scorecard, out: str | Path | io.BytesIO, *, draft: bool = False) -> None:
    """The scorecard page of :func:`write_scorecard`, from the unit's scorecard."""
    from chiso.reports.charts import groups_chart

    groups = [g for g in card.groups if g.top]
    d, pd = card.score_decimals, card.percent_decimals
    sign = "" if card.ratio else "%"
    rank = f"{card.rank}/{card.ranked}" if card.rank is not None else (card.not_ranked or "")
    if card.total is None:
        facts = [("Tổng điểm", "—"), ("Chỉ số" if card.ratio else "Tỷ lệ", "—"), ("Xếp loại", "—")]
    else:
        total = fmt.number(card.total, d, grouped=True)
        facts = [
            ("Tổng điểm", f"{total}/{fmt.number(card.maximum, d, grouped=True)}"),
            ("Chỉ số" if card.ratio else "Tỷ lệ", f"{fmt.number(card.percent, pd)}{sign}"),
            ("Xếp loại", card.tier or ""),
        ]
    if not card.tiers:  # a framework without tiers (the DTI): no box of none
        facts.pop()
    facts.append(("Xếp hạng trong khối", rank))
    boxes = "".join(
        f'<td><div class="k">{escape(k)}</div><div class="v">{escape(v)}</div></td>'
        for k, v in facts
    )
    tiers = card.group_tiers  # without a tier for any group, no empty column of them
    columns = (
        Column("Nhóm tiêu chí", "text"),
        Column("Điểm", "score", d),
        Column("Tối đa", "score", d),
        Column("Tỷ lệ (%)", "percent", card.group_percent_decimals),
        *([Column("Xếp loại", "text")] if tiers else []),
        Column("TB khối", "score", card.mean_decimals),
    )
    rows: list[tuple[Cell, ...] | Section] = [
        (
            f"{g.code}. {g.name}",
            *((NOT_SCORED_MARK, None, None) if g.not_scored else (g.score, g.maximum, g.percent)),
            *([(g.tier or "") if not g.not_scored else ""] if tiers else []),
            g.block_mean,
        )
        for g in groups  # a group excluded as not applicable: no 0 of 0
    ]
    legend = _p(LEGEND, "note") if any(g.not_scored for g in groups) else ""
    chart = ""
    pictures: list[bytes] = []
    charted = [g for g in groups if not g.not_scored]  # no bar of 0 for those
    if len(charted) > 1:
        labels = [f"{g.code}. {g.name}" for g in charted]
        own = [g.percent or Decimal(0) for g in charted]
        mean = [g.block_mean_percent or Decimal(0) for g in charted]
        png = groups_chart(labels, [(card.unit, own), ("Trung bình khối", mean)], size=(6.3, 3.6))
        chart = _figure("Biểu đồ", "Tỷ lệ điểm của đơn vị và trung bình khối theo nhóm", png)
        pictures.append(png)
    history = "".join(
        _p(
            f"Năm {p.year}: xếp hạng {p.rank if p.rank is not None else '—'}"
            + (f" ({_moved(p.rank_change)})" if p.rank_change is not None else ""),
            "",
        )
        for p in card.previous
    )
    average = (
        f"{'Chỉ số' if card.ratio else 'Tỷ lệ'} trung bình của khối:"
        f" {fmt.number(card.block_mean, pd)}{sign}."
        if card.block_mean is not None
        else ""
    )
    body = (
        f'<p class="center b" style="font-size:13pt;margin:0">{escape(card.assessor.upper())}</p>'
        f'<p class="center b" style="margin:6pt 0 0">PHIẾU KẾT QUẢ ĐÁNH GIÁ NĂM {card.year}</p>'
        f'<p class="center i" style="font-size:12pt">{escape(card.framework)}</p>'
        f'<p class="center b" style="font-size:16pt;margin:8pt 0 0">{escape(card.unit)}</p>'
        f'<p class="center" style="font-size:12pt">Khối: {escape(card.block)}</p>'
        f'<table class="facts"><tr>{boxes}</tr></table>'
        f"{_p(average, 'center')}"
        f"{_grid(columns, rows)}{legend}{chart}{history}"
    )
    css = (
        "@page{@top-center{content:none}}"
        "table.facts{width:100%;border-collapse:separate;border-spacing:4pt;margin:6pt 0}"
        "table.facts td{border:.5pt solid #000;text-align:center;padding:4pt}"
        ".k{font-size:11pt}.v{font-size:16pt;font-weight:bold}"
        "figure img{width:130mm}"
    )
    _render(_page(body, draft, css), pictures).write_pdf(out)


def _moved(places: int) -> str:
    if places > 0:
        return f"năm nay tăng {places} bậc"
    if places < 0:
        return f"năm nay giảm {-places} bậc"
    return "năm nay giữ nguyên thứ hạng"
