"""The report workbook: one sheet per published table, the statistics, the charts, the flat
results (readable again as ``--previous``) and the raw data (readable again by ``chiso score
--data``). A workbook to keep working in: numbers are numbers, every table sorts and filters
(no section rows, no merged rows), a table's total is a formula where it is the sum of its
groups."""

from __future__ import annotations

import io
import re
from collections.abc import Sequence
from copy import copy
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.formatting.rule import FormulaRule
from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
from openpyxl.utils import get_column_letter
from openpyxl.utils.indexed_list import IndexedList
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.views import Pane

from chiso.core.numbers import round_half_up
from chiso.io.cells import needs_quote, printable, text_cell
from chiso.io.results import RESULTS_SHEET, result_heading, sheet_row
from chiso.io.tables import DATA_SHEET
from chiso.reports.data import Report
from chiso.reports.tables import Cell, Column, Section, Table

__all__ = ["DATA_SHEET", "write_workbook"]

FONT = "Times New Roman"
_THIN = Side(style="thin")
_BORDER = Border(left=_THIN, right=_THIN, top=_THIN, bottom=_THIN)
_WIDTHS = {"index": 6, "text": 42, "score": 13, "percent": 11, "rank": 11, "change": 14}


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

    The workbook is written row by row (openpyxl's write-only mode): a national cycle has
    hundreds of thousands of table rows."""
    workbook = Workbook(write_only=True)
    # openpyxl's first font is the workbook's default, that of every cell without a style of
    # its own: the flat sheets' values, written without one (a style per cell costs time)
    cast(Any, workbook)._fonts = IndexedList([Font(name=FONT, size=12)])
    styles = _Styles()
    for table in report.tables:
        _table_sheet(workbook.create_sheet(_sheet_name(table)), table, draft, styles)
    _statistics_sheet(workbook.create_sheet("Thống kê"), report, styles)
    if charts:
        _charts_sheet(workbook.create_sheet("Biểu đồ"), report, charts, styles)
    if result_rows:
        _results_sheet(workbook.create_sheet(RESULTS_SHEET), list(result_rows), report, styles)
    if data_rows:
        _data_sheet(workbook.create_sheet(DATA_SHEET), list(data_rows), styles)
    workbook.save(out)
    _TEMPLATES.clear()


class _Styles:
    """Style objects made once and shared by every cell."""

    def __init__(self) -> None:
        self.title = Font(name=FONT, bold=True, size=13)
        self.part = Font(name=FONT, italic=True, size=12)
        self.head = Font(name=FONT, bold=True, size=12)
        self.section = Font(name=FONT, bold=True, italic=True, size=12)
        self.body = Font(name=FONT, size=12)
        self.note = Font(name=FONT, italic=True, size=11)
        self.bold = Font(name=FONT, bold=True, size=12)
        self.centre = Alignment(horizontal="center", vertical="center", wrap_text=True)
        self.number = Alignment(horizontal="center", vertical="center")
        self.text = Alignment(wrap_text=True, vertical="center")


def _sheet_name(table: Table) -> str:
    return f"Bảng {table.key}"[:31]


def _number_format(column: Column) -> str:
    if column.kind == "change":
        return '+0;-0;"="'
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


def _freeze(sheet: Any, columns: int, rows: int) -> None:
    """Keep the first ``columns`` and ``rows`` in view (a write-only sheet has no
    ``freeze_panes``)."""
    sheet.sheet_view.pane = Pane(
        xSplit=columns,
        ySplit=rows,
        topLeftCell=f"{get_column_letter(columns + 1)}{rows + 1}",
        activePane="bottomRight",
        state="frozen",
    )


_TEMPLATES: dict[tuple[Any, ...], Any] = {}


def _cell(
    sheet: Any,
    value: object,
    font: Font,
    alignment: Alignment | None = None,
    number_format: str | None = None,
    border: bool = True,
) -> Any:
    """A styled cell. The style is set once per combination on a template cell, and shared
    with the others (copied, nine integers, for a cell whose text gets the quote prefix):
    setting styles cell by cell costs openpyxl a hash of every style object, most of the time
    of a national workbook."""
    cell: Any = WriteOnlyCell(sheet, value=printable(value))
    numeric = number_format is not None and isinstance(value, (int, float, _Formula))
    key = (id(sheet.parent), id(font), id(alignment), number_format if numeric else None, border)
    template: Any = _TEMPLATES.get(key)
    if template is None:
        template = WriteOnlyCell(sheet)
        template.font = font
        if border:
            template.border = _BORDER
        if alignment is not None:
            template.alignment = alignment
        if numeric:
            template.number_format = number_format
        _TEMPLATES[key] = template
    if isinstance(value, _Formula):
        cell._style = template._style
        return cell  # openpyxl writes a text that starts with "=" as a formula
    quoted = isinstance(value, str) and needs_quote(value)  # text_cell sets the cell's style
    cell._style = copy(template._style) if quoted else template._style
    return text_cell(cell)


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
                    values.append(_Formula(f"=SUM({first}{row}:{last}{row})"))
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


class _Formula(str):
    """A formula the workbook writes itself (a total of the cells beside it): never a text
    of the data."""

    __slots__ = ()


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


def _table_sheet(sheet: Any, table: Table, draft: bool, styles: _Styles) -> None:
    layout = _Layout(table)
    columns = layout.columns
    width = len(columns)
    last = layout.letters[-1]
    for letter, column in zip(layout.letters, columns, strict=True):
        sheet.column_dimensions[letter].width = column.width
    # the sheet's view and properties are written with its first row: freeze the header and
    # fit the page to its width now (set after the rows, fitToPage was never written)
    heading_rows = 1 + (1 if table.part else 0) + 1 + (1 if table.has_maxima else 0)
    _freeze(sheet, 3 if layout.marked else 2, heading_rows)
    _print_setup(sheet, landscape=width > 6)
    row = 1
    title = table.caption + (" (DỰ THẢO)" if draft else "")
    sheet.append([_cell(sheet, title, styles.title, styles.text, border=False)])
    sheet.merged_cells.add(f"A1:{last}1")
    sheet.row_dimensions[1].height = 36
    if table.part:
        row += 1
        sheet.append([_cell(sheet, table.part, styles.part, border=False)])
        sheet.merged_cells.add(f"A{row}:{last}{row}")
    header_row = row + 1
    sheet.row_dimensions[header_row].height = 60 if width > 6 else 32
    sheet.append([_cell(sheet, c.title, styles.head, styles.centre) for c in columns])
    row += 1
    if table.has_maxima:
        sheet.append(
            [_cell(sheet, c.maximum, styles.head, styles.centre, c.number_format) for c in columns]
        )
        row += 1
    sheet.print_title_rows = f"{header_row}:{row}"
    filter_row = row
    formats = [c.number_format for c in columns]
    aligns = [
        styles.text if c.index >= 0 and table.columns[c.index].kind == "text" else styles.number
        for c in columns
    ]
    marks = table.marks or ("",) * len(table.rows)
    sections = table.sections or ("",) * len(table.rows)
    for line, mark, section in zip(table.rows, marks, sections, strict=True):
        if isinstance(line, Section):
            continue
        row += 1
        sheet.append(
            [
                _cell(sheet, value, styles.body, align, form)
                for value, align, form in zip(
                    layout.values(line, mark, section, row), aligns, formats, strict=True
                )
            ]
        )
    if row > filter_row:
        # sort and filter by any column: the last heading row ("Tối đa" when the table has
        # one) heads the filter, so that sorting moves the units' rows only
        sheet.auto_filter.ref = f"A{filter_row}:{last}{row}"
    notes = table.notes
    if layout.formula and row > filter_row:
        notes = (*notes, FORMULA_NOTE)
        total, published = layout.totals
        sheet.conditional_formatting.add(
            f"{total}{filter_row + 1}:{total}{row}",
            FormulaRule(  # type: ignore[no-untyped-call]
                formula=[f"{total}{filter_row + 1}<>{published}{filter_row + 1}"],
                font=Font(color="9C0006"),
                fill=PatternFill(fill_type="solid", start_color="FFC7CE", end_color="FFC7CE"),
            ),
        )
    for note in notes:
        sheet.append([_cell(sheet, note, styles.note, border=False)])


def _print_setup(sheet: Any, *, landscape: bool) -> None:
    """A4, as many pages down as it takes and one across: before the sheet's first row."""
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


STATISTICS_HEADER = ("Khối", "Chỉ tiêu", "Giá trị", "Tỷ lệ")


def _statistics_sheet(sheet: Any, report: Report, styles: _Styles) -> None:
    """One figure a row, a number in its cell: a count in "Giá trị" and its share in "Tỷ
    lệ" (not "13 (62%)"), points at the publication's decimals, percentages as percentages."""
    _freeze(sheet, 0, 1)
    _print_setup(sheet, landscape=False)
    for letter, wide in zip("ABCD", (34, 52, 14, 12), strict=True):
        sheet.column_dimensions[letter].width = wide
    sheet.append([_cell(sheet, title, styles.head, styles.centre) for title in STATISTICS_HEADER])
    for figure in report.statistic_values:
        value, form = _figure(figure.value, figure.decimals, percent=figure.percent)
        share, share_form = _figure(figure.share, 0, percent=True)
        sheet.append(
            [
                _cell(sheet, figure.block, styles.body, styles.text),
                _cell(sheet, figure.label, styles.body, styles.text),
                _cell(sheet, value, styles.body, styles.number, form),
                _cell(sheet, share, styles.body, styles.number, share_form),
            ]
        )
    sheet.auto_filter.ref = f"A1:D{len(report.statistic_values) + 1}"
    sheet.append([])
    for sentence in (*report.summary, *(s for b in report.blocks for s in b.narrative)):
        sheet.append([_cell(sheet, sentence, styles.body, border=False)])


def _figure(value: Decimal | int | None, decimals: int, *, percent: bool) -> tuple[object, str]:
    """A figure's cell value and number format: rounded half up at ``decimals`` as the
    publication prints it, a percentage (0–100) as the fraction a percent format shows."""
    if value is None or isinstance(value, int):
        return value, "0"
    rounded = round_half_up(value, decimals)
    if percent:
        return _number(rounded.scaleb(-2)), _percent_format(decimals)
    return _number(rounded), _places(decimals)


def _charts_sheet(sheet: Any, report: Report, charts: dict[str, bytes], styles: _Styles) -> None:
    from openpyxl.drawing.image import Image

    row = 1
    for chart in report.all_charts:
        png = charts.get(chart.key)
        if png is None:
            continue
        image = Image(io.BytesIO(png))
        image.anchor = f"A{row + 1}"
        sheet.add_image(image)
        sheet.append([_cell(sheet, f"{chart.number}. {chart.title}", styles.head, border=False)])
        rows = int(image.height / 20) + 2
        for _ in range(rows):
            sheet.append([])
        row += rows + 1


def _results_sheet(sheet: Any, rows: list[dict[str, Any]], report: Report, styles: _Styles) -> None:
    """The flat results (next year's ``--previous``): Vietnamese headings, which the reader
    takes for the English names of ``chiso score --format csv``; numbers at full precision,
    the percentage as a fraction shown as a percentage at the framework's decimals."""
    names = list(rows[0])
    sheet.column_dimensions["A"].width = 40
    _freeze(sheet, 1, 1)  # before the first row
    _print_setup(sheet, landscape=True)
    sheet.append([_cell(sheet, result_heading(n), styles.head, styles.centre) for n in names])
    places = _percent_places(report)
    at = names.index("percent")
    for row in rows:
        values = sheet_row(sheet, row.values())
        percent = row["percent"]
        if isinstance(percent, Decimal):
            form = _percent_format(places.get(row["block"], 0))
            values[at] = _cell(sheet, _number(percent.scaleb(-2)), styles.body, None, form, False)
        sheet.append(values)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(names))}{len(rows) + 1}"


def _percent_places(report: Report) -> dict[str, int]:
    """The decimals of each block's percentages as its overall table shows them: of the
    index on a ratio scale (0,8123), two fewer for the same as a percentage (81,23%)."""
    places = {}
    for table in report.tables:
        for column in table.columns:
            if table.code is None and column.kind == "percent":
                places[table.block] = max(column.decimals - (2 if column.ratio else 0), 0)
    return places


def _data_sheet(sheet: Any, rows: list[dict[str, str]], styles: _Styles) -> None:
    """The units' answers (``chiso score --data`` reads them back): a number as a number
    where the spreadsheet's number reads back as the same text (:func:`_data_value`)."""
    sheet.column_dimensions["A"].width = 40
    _freeze(sheet, 1, 1)  # before the first row
    _print_setup(sheet, landscape=True)
    sheet.append([_cell(sheet, name, styles.bold, border=False) for name in rows[0]])
    for row in rows:
        sheet.append(sheet_row(sheet, map(_data_value, row.values())))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows) + 1}"


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
