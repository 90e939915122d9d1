"""Stored results laid out for a page: cells in Vietnamese number format (decimal comma,
rounded half up to the framework's decimals), tier section rows, rank changes "+2", "-1", "="."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.utils.translation import gettext as _

from chiso import format as fmt

__all__ = ["Cell", "Row", "TableView", "number", "table_view"]


@dataclass(frozen=True)
class Cell:
    text: str
    numeric: bool = False


@dataclass(frozen=True)
class Row:
    cells: list[Cell]
    section: str = ""
    """A row across the table instead of cells: a tier ("Mức tốt") or a reason for not
    being ranked."""


@dataclass(frozen=True)
class TableView:
    key: str
    caption: str
    part: str | None
    header: list[Cell]
    maxima: list[Cell] | None
    rows: list[Row]
    notes: list[str]


def number(value: float | int | None, decimals: int) -> str:
    """A stored JSON number in Vietnamese format: 95.294 → "95,3"."""
    return fmt.number(value, decimals)


def _cell(value: Any, column: dict[str, Any]) -> Cell:
    kind = column["kind"]
    if value is None:
        return Cell("", kind != "text")
    if isinstance(value, str):
        return Cell(value, False)
    if kind in ("score", "percent"):
        return Cell(number(value, column["decimals"]), True)
    if kind == "change":
        return Cell(fmt.change(int(value)), True)
    return Cell(str(value), kind != "text")


def table_view(table: dict[str, Any]) -> TableView:
    columns = table["columns"]
    maxima = None
    if any(c["maximum"] is not None for c in columns):
        maxima = [
            Cell(number(c["maximum"], c["decimals"]), True)
            if c["maximum"] is not None
            else Cell(_("Max points") if c["kind"] == "text" else "")
            for c in columns
        ]
    rows = [
        Row([], row["section"])
        if isinstance(row, dict)
        else Row([_cell(v, c) for v, c in zip(row, columns, strict=True)])
        for row in table["rows"]
    ]
    return TableView(
        key=table["key"],
        caption=f"{table['number']}. {table['title']}",
        part=table["part"],
        header=[Cell(c["title"], c["kind"] not in ("text",)) for c in columns],
        maxima=maxima,
        rows=rows,
        notes=list(table["notes"]),
    )
