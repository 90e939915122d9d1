"""Published tables laid out for a page: cells in Vietnamese number format (decimal comma,
rounded half up to the framework's decimals), tier section rows, rank changes "+2", "-1", "="."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.reports.tables import Cell, Column, Section, Table, cell_text

__all__ = ["Row", "TableView", "ViewCell", "table_view"]


@dataclass(frozen=True)
class ViewCell:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: list[ViewCell]
    section: str = ""
    """A row across the table instead of cells: a tier ("Mức tốt") or a reason for not
    being ranked."""


@dataclass(frozen=True)
class TableView:
    key: str
    caption: str
    part: str | None
    header: list[ViewCell]
    maxima: list[ViewCell] | None
    rows: list[Row]
    notes: list[str]


def _cell(value: Cell, column: Column) -> ViewCell:
    """A cell as the documents print it (:func:`chiso.reports.tables.cell_text`), a number
    aligned right."""
    return ViewCell(cell_text(column, value), column.kind != "text" and not isinstance(value, str))


def table_view(table: Table) -> TableView:
    columns = table.columns
    maxima = None
    if table.has_maxima:
        maxima = [
            ViewCell(fmt.number(c.maximum, c.decimals), True)
            if c.maximum is not None
            else ViewCell(_("Max points") if c.kind == "text" else "")
            for c in columns
        ]
    rows = [
        Row([], row.label)
        if isinstance(row, Section)
        else Row([_cell(v, c) for v, c in zip(row, columns, strict=True)])
        for row in table.rows
    ]
    return TableView(
        key=table.key,
        caption=table.caption,
        part=table.part,
        header=[ViewCell(c.title, c.kind != "text") for c in columns],
        maxima=maxima,
        rows=rows,
        notes=list(table.notes),
    )
