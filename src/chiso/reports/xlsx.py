"""The report workbook: one sheet per published table, the statistics, the charts, the flat
results (readable again as ``--previous``) and the raw data (readable again by ``chiso score
--data``). A workbook to keep working in: numbers are numbers, every table sorts and filters
(no section rows, no merged rows), a table's total is a formula where it is the sum of its
groups."""

from __future__ import annotations

import io
import re
import struct
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl.utils import get_column_letter
from xlsxwriter import Workbook
from xlsxwriter.format import Format
from xlsxwriter.utility import xl_col_to_name
from xlsxwriter.worksheet import Worksheet, _preserve_whitespace

from chiso.core.numbers import round_half_up
from chiso.io.cells import needs_quote, printable
from chiso.io.results import RESULTS_SHEET, result_heading, sheet_value
from chiso.io.tables import DATA_SHEET
from chiso.reports.data import Report
from chiso.reports.tables import Cell, Column, Section, Table

__all__ = ["DATA_SHEET", "write_workbook"]

FONT = "Times New Roman"
_WIDTHS = {
    "index": 6,
    "text": 42,
    "score": 13,
    "percent": 11,
    "rank": 11,
    "change": 14,
    "range": 11,
}


def write_workbook(
    report: Report,
    out: str | Path | io.BytesIO,
    *,
    data_rows: Sequence[dict[str, str]] = (),
    result_rows: Sequence[dict[str, Any]] = (),
    charts: dict[str, bytes] | None = None,
    draft: bool = False,
) -> None:
    """Write the workbook. ``charts`` maps a chart's key to its PNG (charts.render_all).

    The workbook is streamed a row at a time (XlsxWriter's constant-memory mode): a national
    cycle has a hundred and more sheets and close to two million cells."""
    workbook = Workbook(
        out if isinstance(out, io.BytesIO) else str(out),
        {
            "constant_memory": True,
            # a text is a text: never a formula, a number or a link (the workbook's own
            # formulas are written as formulas, :class:`_Formula`)
            "strings_to_formulas": False,
            "strings_to_numbers": False,
            "strings_to_urls": False,
            # the font of every cell without a style of its own: the flat sheets' values
            "default_format_properties": {"font_name": FONT, "font_size": 12},
        },
    )
    styles = _Styles(workbook)
    for table in report.tables:
        _table_sheet(_Sheet(workbook, _sheet_name(table), styles), table, draft)
    _statistics_sheet(_Sheet(workbook, "Thống kê", styles), report)
    if charts:
        _charts_sheet(_Sheet(workbook, "Biểu đồ", styles), report, charts)
    if result_rows:
        _results_sheet(_Sheet(workbook, RESULTS_SHEET, styles), list(result_rows), report)
    if data_rows:
        _data_sheet(_Sheet(workbook, DATA_SHEET, styles), list(data_rows))
    workbook.close()


_STYLES: dict[str, dict[str, Any]] = {
    "plain": {},
    "title": {"bold": True, "font_size": 13, "text_wrap": True, "valign": "vcenter"},
    "part": {"italic": True},
    "note": {"italic": True, "font_size": 11},
    "bold": {"bold": True},
    "head": {"bold": True, "align": "center", "valign": "vcenter", "text_wrap": True, "border": 1},
    "text": {"text_wrap": True, "valign": "vcenter", "border": 1},
    "number": {"align": "center", "valign": "vcenter", "border": 1},
    "value": {},  # a number of the flat results, in its number format
}
"""The cells' styles by name, each with the workbook's font (Times New Roman, 12)."""


class _Styles:
    """The workbook's formats, each made once (by style, number format and quote prefix) and
    shared by every cell that has it."""

    def __init__(self, workbook: Workbook) -> None:
        self.workbook = workbook
        self.made: dict[tuple[str, str | None, bool], Format] = {}
        self.warning = workbook.add_format({"font_color": "#9C0006", "bg_color": "#FFC7CE"})

    def get(self, style: str, number_format: str | None = None, quote: bool = False) -> Format:
        key = (style, number_format, quote)
        made = self.made.get(key)
        if made is None:
            properties = dict(_STYLES[style])
            if number_format is not None:
                properties["num_format"] = number_format
            if quote:
                properties["quote_prefix"] = True
            made = self.made[key] = self.workbook.add_format(properties)
        return made


class _RowWriter(Worksheet):  # type: ignore[misc]  # XlsxWriter is not typed for mypy here
    """XlsxWriter's worksheet whose constant-memory rows are written as XlsxWriter writes
    them, byte for byte, a row in one piece: the numbers, texts and blank cells of a
    national workbook's two million cells (XlsxWriter's own writer builds each cell's
    element from a list of attributes, escaping each, and writes it on its own). Any other
    cell (a formula, a rich text), and a cell that takes its format from its row or column,
    is written by XlsxWriter's own writer."""

    previous_row: int

    def _write_single_row(self, current_row_num: int = 0) -> None:
        row_num = self.previous_row
        self.previous_row = current_row_num
        cells = self.table.get(row_num)
        if not cells or row_num in self.comments:
            self.previous_row = row_num  # XlsxWriter's own: a row without cells
            Worksheet._write_single_row(self, current_row_num)
            return
        row_info = self.row_info.get(row_num)
        if row_info is None:
            self._write_row(row_num, None)
        else:
            self._write_row(row_num, None, row_info)
        row_format = row_info is not None and row_info.row_format
        col_info = self.col_info
        number = str(row_num + 1)
        escape_control, escape = self._escape_control_characters, self._escape_data
        write = self.fh.write
        out: list[str] = []
        for col_num in range(self.dim_colmin, self.dim_colmax + 1):
            cell = cells.get(col_num)
            if cell is None:
                continue
            kind = cell.__class__.__name__
            cell_format = cell.format
            if not cell_format and (
                row_format or (col_num in col_info and col_info[col_num].column_format)
            ):
                kind = ""  # a format of its row or column: XlsxWriter's own
            if cell_format:
                attributes = (
                    f' r="{_column_name(col_num)}{number}" s="{cell_format._get_xf_index()}"'
                )
            else:
                attributes = f' r="{_column_name(col_num)}{number}"'
            if kind == "Number":
                out.append(f"<c{attributes}><v>{cell.number:.16G}</v></c>")
            elif kind == "String":
                string = escape_control(cell.string)
                if string.startswith("<r>") and string.endswith("</r>"):
                    write("".join(out))
                    out.clear()
                    self._write_cell(row_num, col_num, cell)
                    continue
                preserve = ' xml:space="preserve"' if _preserve_whitespace(string) else ""
                out.append(
                    f'<c{attributes} t="inlineStr"><is><t{preserve}>{escape(string)}</t></is></c>'
                )
            elif kind == "Blank":
                out.append(f"<c{attributes}/>")
            else:
                write("".join(out))
                out.clear()
                self._write_cell(row_num, col_num, cell)
        out.append("</row>")
        write("".join(out))
        self.table.clear()


_COLUMN_NAMES: dict[int, str] = {}


def _column_name(column: int) -> str:
    name = _COLUMN_NAMES.get(column)
    if name is None:
        name = _COLUMN_NAMES[column] = xl_col_to_name(column)
    return name


class _Sheet:
    """A sheet written a row after the other (rows numbered from 1, as its formulas are)."""

    def __init__(self, workbook: Workbook, name: str, styles: _Styles) -> None:
        self.sheet: Worksheet = workbook.add_worksheet(name, worksheet_class=_RowWriter)
        self.styles = styles
        self.row = 0
        """The number of the last row written."""

    def append(
        self,
        values: Sequence[object],
        styles: Sequence[str | None] = (),
        formats: Sequence[str | None] = (),
    ) -> None:
        """A row of ``values``, each in its style (none: the workbook's font) and, a number, in
        its number format."""
        self.row += 1
        at = self.row - 1
        sheet, get = self.sheet, self.styles.get
        # XlsxWriter's methods without their decorator (which reads a first argument "A1"
        # as a cell's name): this writes a few million cells by their row and column
        write_number, write_blank = sheet._write_number, sheet._write_blank
        for column, value in enumerate(values):
            style = styles[column] if styles else None
            if value is None:
                if style is not None:  # a blank cell of a table keeps its borders
                    write_blank(at, column, None, get(style))
            elif isinstance(value, _Formula):
                cell_format = get(style or "plain", formats[column] if formats else None)
                sheet._write_formula(at, column, value.text, cell_format, value.value)
            elif isinstance(value, (int, float)):
                number_format = formats[column] if formats else None
                if style is None and number_format is None:
                    write_number(at, column, value)
                else:
                    write_number(at, column, value, get(style or "plain", number_format))
            else:
                self._text(at, column, str(value), style)

    def _text(self, at: int, column: int, text: str, style: str | None) -> None:
        """A text as a text: with the quote prefix where a spreadsheet would run it
        (chiso.io.cells), without the control characters a workbook cannot hold."""
        text = printable(text)
        get = self.styles.get
        if not text:  # an empty cell, as a blank one reads back
            if style is not None:
                self.sheet._write_blank(at, column, None, get(style))
            return
        quote = needs_quote(text)
        cell_format = get(style or "plain", None, quote) if style or quote else None
        if text.startswith("<r>") and text.endswith("</r>"):
            # XlsxWriter writes such a text as its rich text's XML, unescaped: a rich text
            # of two plain parts instead, escaped
            plain = get(style or "plain")
            self.sheet.write_rich_string(at, column, "<", plain, text[1:], cell_format or plain)
        else:
            self.sheet._write_string(at, column, text, cell_format)

    def across(self, text: str, style: str, columns: int) -> None:
        """A row of one text across the first ``columns`` (merged)."""
        if columns > 1:
            at = self.row
            self.sheet.merge_range(at, 0, at, columns - 1, "", self.styles.get(style))
        self.append([text], [style])

    def widths(self, widths: Sequence[float]) -> None:
        for column, width in enumerate(widths):
            self.sheet.set_column(column, column, width)

    def freeze(self, columns: int, rows: int) -> None:
        """Keep the first ``columns`` and ``rows`` in view."""
        self.sheet.freeze_panes(rows, columns)

    def print_setup(self, *, landscape: bool) -> None:
        """A4, as many pages down as it takes and one across."""
        sheet = self.sheet
        sheet.set_paper(9)
        if landscape:
            sheet.set_landscape()
        else:
            sheet.set_portrait()
        sheet.fit_to_pages(1, 0)

    def filter(self, first_row: int, columns: int) -> None:
        """Sort and filter by any column, ``first_row`` heading the filter, to the last row."""
        self.sheet.autofilter(first_row - 1, 0, self.row - 1, columns - 1)


def _sheet_name(table: Table) -> str:
    return f"Bảng {table.key}"[:31]


def _number_format(column: Column) -> str:
    if column.kind == "change":
        places = _places(column.decimals)
        return f'+{places};-{places};"="'
    if column.kind == "range":
        return "@"
    if column.kind in ("index", "rank"):
        return "0"
    if column.kind == "percent" and not column.ratio:
        return _percent_format(column.decimals)
    return _places(column.decimals)


def _value(column: Column, cell: object) -> object:
    """A table's cell as the sheet holds it: a number rounded half up at the column's
    decimals as printed; a percentage (0–100) as that number's fraction, which the percent
    format shows as printed."""
    if isinstance(cell, Decimal):
        rounded = round_half_up(cell, column.decimals)
        if column.kind == "percent" and not column.ratio:
            rounded = rounded.scaleb(-2)
        return _number(rounded)
    return cell


@dataclass(frozen=True, slots=True)
class _Column:
    """A column of a table's sheet: one of the table's (``index``), or one the workbook adds
    (``source``: the unit's mark, its tier, the published total: the value of the table's
    column ``index``)."""

    title: str
    width: float
    number_format: str | None
    maximum: object = None
    index: int = -1
    source: str = ""


class _Layout:
    """How a table is laid out as a sheet without section rows: its columns, with the
    marks and the tiers in columns of their own, and the total as a formula when it is the sum
    of the groups' cells (:func:`_sums_up`)."""

    def __init__(self, table: Table) -> None:
        self.table = table
        self.marked = any(table.marks)
        self.tiered = any(table.sections)
        groups = [
            i
            for i, c in enumerate(table.columns)
            if table.code is None and c.kind == "score" and c.title != TOTAL
        ]
        total = next((i for i, c in enumerate(table.columns) if c.title == TOTAL), None)
        self.formula = len(groups) > 1 and total is not None and _sums_up(table, groups, total)
        self.total = total
        width = len(table.columns)
        columns: list[_Column] = []
        for i, column in enumerate(table.columns):
            wide = _WIDTHS[column.kind]
            if column.kind == "score" and table.code is None and i > 2 and width > 6:
                wide = 16  # a group's name heads the column
            maximum = _value(column, column.maximum) if column.maximum is not None else None
            if i == 1:
                maximum = "Tối đa" if table.has_maxima else None
            columns.append(_Column(column.title, wide, _number_format(column), maximum, i))
            if i == 1 and self.marked:
                columns.append(_Column(MARK, 8, None, source="mark"))
            if i == total and self.formula:
                columns.append(
                    _Column(PUBLISHED_TOTAL, 13, _number_format(column), maximum, i, "total")
                )
            if column.kind == "percent" and self.tiered:
                columns.append(_Column(TIER, 18, None, source="tier"))
        if self.tiered and not any(c.source == "tier" for c in columns):
            columns.append(_Column(TIER, 18, None, source="tier"))
        self.columns = columns
        self.letters = [get_column_letter(n) for n in range(1, len(columns) + 1)]
        at = {c.index: n for n, c in enumerate(columns) if not c.source}
        self.sum_range: tuple[str, str] | None = None
        self.totals = ("", "")
        """The letters of the total's column and of the published total's beside it."""
        if self.formula and total is not None:
            self.sum_range = (self.letters[at[groups[0]]], self.letters[at[groups[-1]]])
            self.totals = (self.letters[at[total]], self.letters[at[total] + 1])

    def values(self, line: tuple[Cell, ...], mark: str, section: str, row: int) -> list[object]:
        """The cells of a unit's row (its number ``row`` in the sheet)."""
        table = self.table
        values: list[object] = []
        for column in self.columns:
            if column.source == "mark":
                values.append(mark or None)
            elif column.source == "tier":
                values.append(section or None)
            elif column.source == "total":
                values.append(_value(table.columns[column.index], line[column.index]))
            else:
                value = line[column.index]
                if column.index == 1 and mark and isinstance(value, str):
                    value = value.removesuffix(mark)
                elif column.index == self.total and self.sum_range and value is not None:
                    first, last = self.sum_range
                    total = _value(table.columns[column.index], value)
                    values.append(_Formula(f"=SUM({first}{row}:{last}{row})", total))
                    continue
                values.append(_value(table.columns[column.index], value))
        return values


TOTAL = "Tổng điểm"
MARK = "Ghi chú"
TIER = "Mức xếp loại"
PUBLISHED_TOTAL = "Tổng điểm công bố"
FORMULA_NOTE = (
    "Cột “Tổng điểm” là công thức cộng điểm các nhóm tiêu chí trên cùng dòng: sửa điểm một"
    " nhóm thì tổng điểm được tính lại (tỷ lệ, mức xếp loại và xếp hạng thì không). Cột"
    " “Tổng điểm công bố” giữ tổng điểm của kết quả; ô “Tổng điểm” được tô đỏ khi khác với nó."
)


@dataclass(frozen=True, slots=True)
class _Formula:
    """A formula the workbook writes itself (a total of the cells beside it), never a text
    of the data; with its value, which a reader that does not compute formulas shows."""

    text: str
    value: object


def _sums_up(table: Table, groups: list[int], total: int) -> bool:
    """Whether every unit's total is the sum of its groups' cells as the sheet holds them:
    the groups' points are exact at the display decimals. The total is the plain sum of the
    groups in the methodology (chiso.core.scoring); where the display rounds a group's points,
    the cells would not add up to the total, and the total stays a value (as in a table
    without any total)."""
    summed = False
    for line in table.rows:
        if isinstance(line, Section) or line[total] is None:
            continue
        summed = True
        added = Decimal(0)
        for i in groups:
            cell = line[i]
            if isinstance(cell, Decimal):
                if round_half_up(cell, table.columns[i].decimals) != cell:
                    return False
                added += cell
        if added != line[total]:
            return False
    return summed


def _table_sheet(sheet: _Sheet, table: Table, draft: bool) -> None:
    layout = _Layout(table)
    columns = layout.columns
    width = len(columns)
    sheet.widths([column.width for column in columns])
    heading_rows = 1 + (1 if table.part else 0) + 1 + (1 if table.has_maxima else 0)
    sheet.freeze(3 if layout.marked else 2, heading_rows)
    sheet.print_setup(landscape=width > 6)
    title = table.caption + (" (DỰ THẢO)" if draft else "")
    sheet.sheet.set_row(0, 36)
    sheet.across(title, "title", width)
    if table.part:
        sheet.across(table.part, "part", width)
    header_row = sheet.row + 1
    sheet.sheet.set_row(header_row - 1, 60 if width > 6 else 32)
    heads = ["head"] * width
    sheet.append([c.title for c in columns], heads)
    if table.has_maxima:
        sheet.append([c.maximum for c in columns], heads, [c.number_format for c in columns])
    sheet.sheet.repeat_rows(header_row - 1, sheet.row - 1)
    filter_row = sheet.row
    formats = [c.number_format for c in columns]
    aligns = [
        "text" if c.index >= 0 and table.columns[c.index].kind == "text" else "number"
        for c in columns
    ]
    marks = table.marks or ("",) * len(table.rows)
    sections = table.sections or ("",) * len(table.rows)
    for line, mark, section in zip(table.rows, marks, sections, strict=True):
        if isinstance(line, Section):
            continue
        sheet.append(layout.values(line, mark, section, sheet.row + 1), aligns, formats)
    row = sheet.row
    if row > filter_row:
        # sort and filter by any column: the last heading row ("Tối đa" when the table has
        # one) heads the filter, so that sorting moves the units' rows only
        sheet.filter(filter_row, width)
    notes = table.notes
    if layout.formula and row > filter_row:
        notes = (*notes, FORMULA_NOTE)
        total, published = layout.totals
        sheet.sheet.conditional_format(
            f"{total}{filter_row + 1}:{total}{row}",
            {
                "type": "formula",
                "criteria": f"={total}{filter_row + 1}<>{published}{filter_row + 1}",
                "format": sheet.styles.warning,
            },
        )
    for note in notes:
        sheet.append([note], ["note"])


STATISTICS_HEADER = ("Khối", "Chỉ tiêu", "Giá trị", "Tỷ lệ")


def _statistics_sheet(sheet: _Sheet, report: Report) -> None:
    """One figure a row, a number in its cell: a count in "Giá trị" and its share in "Tỷ
    lệ" (not "13 (62%)"), points at the publication's decimals, percentages as percentages."""
    sheet.freeze(0, 1)
    sheet.print_setup(landscape=False)
    sheet.widths((34, 52, 14, 12))
    sheet.append(STATISTICS_HEADER, ["head"] * 4)
    styles = ("text", "text", "number", "number")
    for figure in report.statistic_values:
        value, form = _figure(figure.value, figure.decimals, percent=figure.percent)
        share, share_form = _figure(figure.share, 0, percent=True)
        sheet.append(
            (figure.block, figure.label, value, share), styles, (None, None, form, share_form)
        )
    sheet.filter(1, 4)
    sheet.append([])
    for sentence in (*report.summary, *(s for b in report.blocks for s in b.narrative)):
        sheet.append([sentence], ["plain"])


def _figure(value: Decimal | int | None, decimals: int, *, percent: bool) -> tuple[object, str]:
    """A figure's cell value and number format: rounded half up at ``decimals`` as the
    publication prints it, a percentage (0–100) as the fraction a percent format shows."""
    if value is None or isinstance(value, int):
        return value, "0"
    rounded = round_half_up(value, decimals)
    if percent:
        return _number(rounded.scaleb(-2)), _percent_format(decimals)
    return _number(rounded), _places(decimals)


def _charts_sheet(sheet: _Sheet, report: Report, charts: dict[str, bytes]) -> None:
    for chart in report.all_charts:
        png = charts.get(chart.key)
        if png is None:
            continue
        sheet.append([f"{chart.number}. {chart.title}"], ["bold"])
        height = _png_size(png)[1]
        # at its size in pixels, whatever resolution the picture says it has
        x_dpi, y_dpi = _png_dpi(png)
        sheet.sheet.insert_image(
            sheet.row,
            0,
            f"{chart.key}.png",
            {"image_data": io.BytesIO(png), "x_scale": x_dpi / 96, "y_scale": y_dpi / 96},
        )
        for _ in range(int(height / 20) + 2):
            sheet.append([])


def _png_size(png: bytes) -> tuple[int, int]:
    """A PNG's width and height in pixels (its header's)."""
    width, height = struct.unpack(">II", png[16:24])
    return width, height


def _png_dpi(png: bytes) -> tuple[float, float]:
    """The resolution a PNG states (its pHYs chunk), 96 dpi when it states none."""
    at = png.find(b"pHYs")
    if at < 0:
        return 96.0, 96.0
    x, y, unit = struct.unpack(">IIB", png[at + 4 : at + 13])
    if unit != 1 or not x or not y:
        return 96.0, 96.0
    return x * 0.0254, y * 0.0254


def _results_sheet(sheet: _Sheet, rows: list[dict[str, Any]], report: Report) -> None:
    """The flat results (next year's ``--previous``): Vietnamese headings, which the reader
    takes for the English names of ``chiso score --format csv``; numbers at full precision,
    the percentage as a fraction shown as a percentage at the framework's decimals."""
    names = list(rows[0])
    sheet.sheet.set_column(0, 0, 40)
    sheet.freeze(1, 1)
    sheet.print_setup(landscape=True)
    sheet.append([result_heading(n) for n in names], ["head"] * len(names))
    places = _percent_places(report)
    at = names.index("percent")
    formats: list[str | None] = [None] * len(names)
    for row in rows:
        values = [sheet_value(value) for value in row.values()]
        percent = row["percent"]
        if isinstance(percent, Decimal):
            values[at] = _number(percent.scaleb(-2))
            formats[at] = _percent_format(places.get(row["block"], 0))
        else:
            formats[at] = None
        sheet.append(values, (), formats)
    sheet.filter(1, len(names))


def _percent_places(report: Report) -> dict[str, int]:
    """The decimals of each block's percentages as its overall table shows them: of the
    index on a ratio scale (0,8123), two fewer for the same as a percentage (81,23%)."""
    places = {}
    for table in report.tables:
        for column in table.columns:
            if table.code is None and column.kind == "percent":
                places[table.block] = max(column.decimals - (2 if column.ratio else 0), 0)
    return places


def _data_sheet(sheet: _Sheet, rows: list[dict[str, str]]) -> None:
    """The units' answers (``chiso score --data`` reads them back): a number as a number
    where the spreadsheet's number reads back as the same text (:func:`_data_value`)."""
    sheet.sheet.set_column(0, 0, 40)
    sheet.freeze(1, 1)
    sheet.print_setup(landscape=True)
    sheet.append(list(rows[0]), ["bold"] * len(rows[0]))
    for row in rows:
        sheet.append([_data_value(value) for value in row.values()])
    sheet.filter(1, len(rows[0]))


_PLAIN_NUMBER = re.compile(r"-?\d{1,15}(?:\.\d{1,15})?")


def _data_value(text: str) -> object:
    """An answer's text as a number when a spreadsheet's number gives it back exactly (the
    reader reads a number cell as the shortest decimal of its float: chiso.io.tables); any
    other text as it is ("na", "45/60", a name, "0123", "1.50", an answer of more digits than
    a float keeps)."""
    if not _PLAIN_NUMBER.fullmatch(text):
        return text
    if "." not in text:
        whole = int(text)
        return whole if str(whole) == text else text
    number = float(text)
    shown = Decimal(repr(number)).normalize()
    return number if format(shown, "f") == text else text


def _number(value: Decimal) -> int | float:
    """A rounded decimal as a spreadsheet number: the float nearest to it, whose shortest text
    is the decimal's digits (0.99, not 0.9900000000000001 of 99 / 100 in floats)."""
    return int(value) if value == value.to_integral_value() else float(value)


def _places(decimals: int) -> str:
    return "0" if decimals == 0 else "0." + "0" * decimals


def _percent_format(decimals: int) -> str:
    """A percent format: 0.995 shows "99,5%" at one decimal, with the reader's locale's
    decimal comma."""
    return _places(decimals) + "%"
