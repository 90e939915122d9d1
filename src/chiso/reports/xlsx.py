"""The report workbook: one sheet per published table, the statistics, the charts, the flat
results and the raw data (readable again by ``chiso score --data``)."""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from chiso.core.numbers import round_half_up
from chiso.reports.data import Column, Report, Section, Table

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
    """Write the workbook. ``charts`` maps a chart's key to its PNG (charts.render_png)."""
    workbook = Workbook()
    first = workbook.active
    assert first is not None
    workbook.remove(first)
    for table in report.tables:
        _table_sheet(workbook.create_sheet(_sheet_name(table)), table, draft)
    _statistics_sheet(workbook.create_sheet("Thống kê"), report)
    if charts:
        _charts_sheet(workbook.create_sheet("Biểu đồ"), report, charts)
    if result_rows:
        _plain_sheet(workbook.create_sheet("Kết quả"), list(result_rows))
    if data_rows:
        _plain_sheet(workbook.create_sheet(DATA_SHEET), list(data_rows))
    workbook.save(out)


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


def _table_sheet(sheet: Worksheet, table: Table, draft: bool) -> None:
    width = len(table.columns)
    title = table.caption + (" (DỰ THẢO)" if draft else "")
    sheet.append([title])
    sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.cell(1, 1).font = Font(name=FONT, bold=True, size=13)
    sheet.cell(1, 1).alignment = Alignment(wrap_text=True, vertical="center")
    sheet.row_dimensions[1].height = 36
    if table.part:
        sheet.append([table.part])
        sheet.cell(sheet.max_row, 1).font = Font(name=FONT, italic=True, size=12)
        sheet.merge_cells(
            start_row=sheet.max_row, start_column=1, end_row=sheet.max_row, end_column=width
        )
    header_row = sheet.max_row + 1
    sheet.append([c.title for c in table.columns])
    if table.has_maxima:
        sheet.append(
            [
                "Tối đa" if i == 1 else (_value(c, c.maximum) if c.maximum is not None else None)
                for i, c in enumerate(table.columns)
            ]
        )
    for header in sheet.iter_rows(min_row=header_row, max_row=sheet.max_row, max_col=width):
        for cell in header:
            cell.font = Font(name=FONT, bold=True, size=12)
            cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
            cell.border = _BORDER
    sheet.row_dimensions[header_row].height = 60 if width > 6 else 32
    sheet.freeze_panes = f"C{sheet.max_row + 1}"
    for row in table.rows:
        if isinstance(row, Section):
            sheet.append([row.label])
            number = sheet.max_row
            sheet.merge_cells(start_row=number, start_column=1, end_row=number, end_column=width)
            cell = sheet.cell(number, 1)
            cell.font = Font(name=FONT, bold=True, italic=True, size=12)
            for place in range(1, width + 1):
                sheet.cell(number, place).border = _BORDER
            continue
        sheet.append([_value(c, v) for c, v in zip(table.columns, row, strict=True)])
        number = sheet.max_row
        for index, column in enumerate(table.columns, start=1):
            cell = sheet.cell(number, index)
            cell.font = Font(name=FONT, size=12)
            cell.border = _BORDER
            if column.kind == "text":
                cell.alignment = Alignment(wrap_text=True, vertical="center")
            else:
                cell.alignment = Alignment(horizontal="center", vertical="center")
                if isinstance(cell.value, (int, float)):
                    cell.number_format = _number_format(column)
    for note in table.notes:
        sheet.append([note])
        sheet.cell(sheet.max_row, 1).font = Font(name=FONT, italic=True, size=11)
    for index, column in enumerate(table.columns, start=1):
        wide = _WIDTHS[column.kind]
        if column.kind == "score" and table.code is None and index > 2 and width > 6:
            wide = 16  # a group's name heads the column
        sheet.column_dimensions[get_column_letter(index)].width = wide
    sheet.print_title_rows = f"{header_row}:{header_row + (1 if table.has_maxima else 0)}"
    sheet.page_setup.orientation = "landscape" if width > 6 else "portrait"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)


def _statistics_sheet(sheet: Worksheet, report: Report) -> None:
    for number, row in enumerate(report.statistics, start=1):
        sheet.append(list(row))
        for cell in sheet[number]:
            cell.font = Font(name=FONT, size=12, bold=number == 1)
            cell.border = _BORDER
    sheet.append([])
    for sentence in (*report.summary, *(s for b in report.blocks for s in b.narrative)):
        sheet.append([sentence])
        sheet.cell(sheet.max_row, 1).font = Font(name=FONT, size=12)
    for letter, wide in zip("ABC", (34, 52, 30), strict=True):
        sheet.column_dimensions[letter].width = wide


def _charts_sheet(sheet: Worksheet, report: Report, charts: dict[str, bytes]) -> None:
    from openpyxl.drawing.image import Image

    row = 1
    for chart in report.all_charts:
        png = charts.get(chart.key)
        if png is None:
            continue
        sheet.cell(row, 1, f"{chart.number}. {chart.title}").font = Font(name=FONT, bold=True)
        image = Image(io.BytesIO(png))
        sheet.add_image(image, f"A{row + 1}")
        row += 2 + int(image.height / 20) + 1


def _plain_sheet(sheet: Worksheet, rows: list[dict[str, Any]]) -> None:
    sheet.append(list(rows[0]))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in rows:
        sheet.append(list(row.values()))
    sheet.freeze_panes = "B2"
    sheet.column_dimensions["A"].width = 40
