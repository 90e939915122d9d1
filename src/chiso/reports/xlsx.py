"""The report workbook: one sheet per published table, the statistics, the charts, the flat
results and the raw data (readable again by ``chiso score --data``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from copy import copy
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.views import Pane

from chiso.core.numbers import round_half_up
from chiso.io.cells import printable, text_cell
from chiso.io.results import sheet_row
from chiso.reports.data import Report
from chiso.reports.tables import Column, Section, Table

__all__ = ["DATA_SHEET", "write_workbook"]

DATA_SHEET = "Dữ liệu"
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
    styles = _Styles()
    for table in report.tables:
        _table_sheet(workbook.create_sheet(_sheet_name(table)), table, draft, styles)
    _statistics_sheet(workbook.create_sheet("Thống kê"), report, styles)
    if charts:
        _charts_sheet(workbook.create_sheet("Biểu đồ"), report, charts, styles)
    if result_rows:
        _plain_sheet(workbook.create_sheet("Kết quả"), list(result_rows), styles)
    if data_rows:
        _plain_sheet(workbook.create_sheet(DATA_SHEET), list(data_rows), styles)
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
        self.bold = Font(bold=True)
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
    return "0" if column.decimals == 0 else "0." + "0" * column.decimals


def _value(column: Column, cell: object) -> object:
    if isinstance(cell, Decimal):
        rounded = round_half_up(cell, column.decimals)
        return int(rounded) if column.decimals == 0 else float(rounded)
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
    """A styled cell. The style is set once per combination on a template cell, and copied
    (nine integers) to the others: setting styles cell by cell costs openpyxl a hash of every
    style object, most of the time of a national workbook."""
    cell: Any = WriteOnlyCell(sheet, value=printable(value))
    numeric = number_format is not None and isinstance(value, (int, float))
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
    cell._style = copy(template._style)
    return text_cell(cell)


def _table_sheet(sheet: Any, table: Table, draft: bool, styles: _Styles) -> None:
    width = len(table.columns)
    last = get_column_letter(width)
    for index, column in enumerate(table.columns, start=1):
        wide = _WIDTHS[column.kind]
        if column.kind == "score" and table.code is None and index > 2 and width > 6:
            wide = 16  # a group's name heads the column
        sheet.column_dimensions[get_column_letter(index)].width = wide
    # the sheet's view and properties are written with its first row: freeze the header and
    # fit the page to its width now (set after the rows, fitToPage was never written)
    heading_rows = 1 + (1 if table.part else 0) + 1 + (1 if table.has_maxima else 0)
    _freeze(sheet, 2, heading_rows)
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
    sheet.append([_cell(sheet, c.title, styles.head, styles.centre) for c in table.columns])
    row += 1
    if table.has_maxima:
        sheet.append(
            [
                _cell(
                    sheet,
                    "Tối đa"
                    if i == 1
                    else (_value(c, c.maximum) if c.maximum is not None else None),
                    styles.head,
                    styles.centre,
                    _number_format(c),
                )
                for i, c in enumerate(table.columns)
            ]
        )
        row += 1
    sheet.print_title_rows = f"{header_row}:{row}"
    formats = [_number_format(c) for c in table.columns]
    aligns = [styles.text if c.kind == "text" else styles.number for c in table.columns]
    for line in table.rows:
        row += 1
        if isinstance(line, Section):
            sheet.append(
                [_cell(sheet, line.label, styles.section)]
                + [_cell(sheet, None, styles.section) for _ in range(width - 1)]
            )
            sheet.merged_cells.add(f"A{row}:{last}{row}")
            continue
        sheet.append(
            [
                _cell(sheet, _value(c, v), styles.body, align, form)
                for c, v, align, form in zip(table.columns, line, aligns, formats, strict=True)
            ]
        )
    if not table.has_maxima and not any(isinstance(line, Section) for line in table.rows):
        # sort and filter by any column; a table with a row of maxima or in tier sections keeps
        # its published order (sorting would carry those rows among the units)
        sheet.auto_filter.ref = f"A{header_row}:{last}{row}"
    for note in table.notes:
        sheet.append([_cell(sheet, note, styles.note, border=False)])


def _print_setup(sheet: Any, *, landscape: bool) -> None:
    """A4, as many pages down as it takes and one across: before the sheet's first row."""
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    sheet.page_setup.orientation = "landscape" if landscape else "portrait"
    sheet.page_setup.paperSize = "9"  # A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0


def _statistics_sheet(sheet: Any, report: Report, styles: _Styles) -> None:
    _print_setup(sheet, landscape=False)
    for letter, wide in zip("ABC", (34, 52, 30), strict=True):
        sheet.column_dimensions[letter].width = wide
    for number, row in enumerate(report.statistics, start=1):
        font = styles.head if number == 1 else styles.body
        sheet.append([_cell(sheet, value, font) for value in row])
    sheet.append([])
    for sentence in (*report.summary, *(s for b in report.blocks for s in b.narrative)):
        sheet.append([_cell(sheet, sentence, styles.body, border=False)])


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


def _plain_sheet(sheet: Any, rows: list[dict[str, Any]], styles: _Styles) -> None:
    sheet.column_dimensions["A"].width = 40
    _freeze(sheet, 1, 1)  # before the first row
    _print_setup(sheet, landscape=True)
    sheet.append([_cell(sheet, name, styles.bold, border=False) for name in rows[0]])
    for row in rows:
        sheet.append(sheet_row(sheet, row.values()))
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(rows[0]))}{len(rows) + 1}"
