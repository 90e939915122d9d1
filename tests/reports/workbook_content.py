"""What a workbook shows and keeps, as plain data to compare: every cell's value, number
format, font, alignment, border and quote prefix, and each sheet's merged cells, frozen
panes, filter, print settings, column widths, conditional formats and pictures. The
workbook's content before its writer streamed through XlsxWriter is kept in
``data/binh-dinh-2021-workbook.json.gz``, to compare the writer's output with."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

KEPT = Path(__file__).resolve().parent / "data" / "binh-dinh-2021-workbook.json.gz"


def _style(cell: Any) -> list[Any]:
    font, alignment = cell.font, cell.alignment
    return [
        cell.number_format,
        [font.name, bool(font.bold), bool(font.italic), float(font.sz or 0)],
        [alignment.horizontal, alignment.vertical, bool(alignment.wrap_text)],
        cell.border.left.style,
        bool(cell.quotePrefix),
    ]


def _widths(sheet: Any) -> dict[str, int]:
    """Each column's width in whole characters: a width set to 42 is kept as 42 or, as Excel
    keeps it with the cell's margins, 42.71; a run of columns of one width as each column's."""
    widths = {}
    for dimension in sheet.column_dimensions.values():
        if dimension.width:
            for column in range(dimension.min, dimension.max + 1):
                widths[get_column_letter(column)] = int(dimension.width)
    return dict(sorted(widths.items()))


def content(path: Path) -> dict[str, Any]:
    workbook = load_workbook(path)
    sheets: dict[str, Any] = {}
    for sheet in workbook.worksheets:
        cells = [
            [cell.coordinate, cell.value, cell.data_type, *_style(cell)]
            for row in sheet.iter_rows()
            for cell in row
            if cell.value is not None
        ]
        setup = sheet.page_setup
        sheets[sheet.title] = {
            "cells": cells,
            "merged": sorted(str(r) for r in sheet.merged_cells.ranges),
            "frozen": sheet.freeze_panes,
            "filter": sheet.auto_filter.ref,
            "print_titles": sheet.print_title_rows,
            "page": [
                setup.orientation,
                str(setup.paperSize),
                1 if setup.fitToWidth is None else setup.fitToWidth,  # the schema's default
                setup.fitToHeight,
                bool(
                    sheet.sheet_properties.pageSetUpPr
                    and sheet.sheet_properties.pageSetUpPr.fitToPage
                ),
            ],
            "widths": _widths(sheet),
            "heights": {
                str(row): int(dimension.height)
                for row, dimension in sorted(sheet.row_dimensions.items())
                if dimension.height
            },
            "conditional": sorted(str(r.sqref) for r in sheet.conditional_formatting),
            "pictures": len(sheet._images),
        }
    return {"sheets": list(workbook.sheetnames), "content": sheets}


def kept() -> dict[str, Any]:
    with gzip.open(KEPT, "rt", encoding="utf-8") as handle:
        return json.load(handle)  # type: ignore[no-any-return]


if __name__ == "__main__":  # keep the content of a workbook: python workbook_content.py X.xlsx
    import sys

    text = json.dumps(content(Path(sys.argv[1])), ensure_ascii=False, sort_keys=True)
    with gzip.open(KEPT, "wt", encoding="utf-8") as handle:
        handle.write(text)
