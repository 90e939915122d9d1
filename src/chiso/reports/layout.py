"""How a table of the documents is laid out so that it always fits: column widths from the
content measured in the document's font, the type size, short column labels with a legend,
and a landscape page for a table too wide for a portrait one — one decision for the PDF and
the DOCX, which print the same font (Liberation Serif has Times New Roman's metrics).

A number never wraps: its column is as wide as its widest cell (and the longest word of its
header); the names take the rest. When that does not fit at 12 pt on the portrait page, the
type gets smaller (down to 10 pt), then the group columns get short labels ("NTS" for "NTS.
Nhận thức số", with a legend under the table), then the table goes on a landscape page.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from importlib import resources
from pathlib import Path

from chiso.reports.tables import Cell, Column, Section, Table, cell_text

__all__ = ["Layout", "fit", "spans", "table_layout", "text_width"]

PORTRAIT_MM = 165.0  # A4 210 mm − 30 left − 15 right (Decree 30)
LANDSCAPE_MM = 257.0  # A4 297 mm − 20 − 20
PADDING_MM = 2.4  # a cell's padding on both sides and its border, with room to spare
MAX_HEADER_LINES = 4
NAME_MIN_MM = 38.0  # a unit's name on two or three lines at most
POINT_MM = 25.4 / 72


@cache
def _metrics(bold: bool) -> tuple[dict[int, int], int, int]:
    """The advance widths of the bundled font by code point, its units per em and the
    width of a character it lacks."""
    from fontTools.ttLib import TTFont

    name = "LiberationSerif-Bold.ttf" if bold else "LiberationSerif-Regular.ttf"
    path = Path(str(resources.files("chiso") / "reports" / "fonts" / name))
    font = TTFont(path, lazy=True)
    metrics = font["hmtx"].metrics
    widths = {code: metrics[glyph][0] for code, glyph in font.getBestCmap().items()}
    em = font["head"].unitsPerEm
    return widths, em, metrics.get("M", (em, 0))[0]


def text_width(text: str, size: float, bold: bool = False) -> float:
    """``text`` on one line at ``size`` pt, in mm."""
    return _scaled(_units(text, bold), size, bold)


def _units(text: str, bold: bool) -> int:
    """The advance width of ``text`` in the font's units."""
    widths, _, missing = _metrics(bold)
    return sum(widths.get(ord(char), missing) for char in text)


def _scaled(units: int, size: float, bold: bool) -> float:
    """``units`` of the font at ``size`` pt, in mm."""
    return units / _metrics(bold)[1] * size * POINT_MM


@dataclass(frozen=True, slots=True)
class _Widest:
    """What a table's widths are worked out from, whatever the type size: in the font's units,
    each column's widest cell (of the plain rows, of the bold "Tổng điểm" rows) and the
    longest word of the names. A width at a size is the units' width at that size; the
    widest cell's is the widest of the cells' widths (a width grows with the units)."""

    plain: tuple[int, ...]
    bold: tuple[int, ...]
    name_word: int


def _widest(columns: Sequence[Column], rows: Sequence[tuple[Cell, ...] | Section]) -> _Widest:
    plain = [0] * len(columns)
    bold_cells = [0] * len(columns)
    name_word = 0
    for row in rows:
        if isinstance(row, Section):
            continue
        bold = len(row) > 1 and row[1] == "Tổng điểm"
        widest = bold_cells if bold else plain
        for index, (column, value, span) in enumerate(
            zip(columns, row, spans(row, columns), strict=True)
        ):
            if column.kind == "text":
                if isinstance(value, str):
                    for word in value.split():
                        name_word = max(name_word, _units(word, False))
                continue
            if span != 1:
                continue
            units = _units(cell_text(column, value), bold)
            if units > widest[index]:
                widest[index] = units
    return _Widest(tuple(plain), tuple(bold_cells), name_word)


def _lines(text: str, width: float, size: float, bold: bool) -> int:
    """Lines ``text`` takes wrapped at its spaces in ``width`` mm (a word longer than the
    width takes a line of its own)."""
    lines, used = 1, 0.0
    space = text_width(" ", size, bold)
    for word in text.split():
        length = text_width(word, size, bold)
        if used and used + space + length > width:
            lines, used = lines + 1, length
        else:
            used += (space if used else 0) + length
    return lines


def spans(row: Sequence[Cell], columns: Sequence[Column]) -> list[int]:
    """How many columns each cell of ``row`` covers: a text in a column of numbers (“Không
    chấm điểm, đánh giá”, “Không xếp hạng do …”) runs over the empty cells after it; 0 for
    a cell covered so."""
    result = [1] * len(row)
    index = 0
    while index < len(row):
        value = row[index]
        if isinstance(value, str) and columns[index].kind != "text" and len(value) > 6:
            end = index + 1
            while end < len(row) and row[end] is None and columns[end].kind != "text":
                end += 1
            result[index] = end - index
            for covered in range(index + 1, end):
                result[covered] = 0
            index = end
        else:
            index += 1
    return result


@dataclass(frozen=True, slots=True)
class Layout:
    widths: tuple[float, ...]
    """Each column's width in mm."""
    size: float
    """The type size of the cells, in pt (the header's too)."""
    landscape: bool
    titles: tuple[str, ...]
    """The header of each column: its title, or its short label."""
    legend: str
    """The short labels' meanings, printed under the table; "" when none is used."""

    @property
    def width(self) -> float:
        return sum(self.widths)


def _needs(
    columns: Sequence[Column],
    widest: _Widest,
    titles: Sequence[str],
    size: float,
) -> list[float]:
    """The least width of each column that is not a name: its widest cell on one line and
    the longest word of its header, bold."""
    needs = [0.0] * len(columns)
    for index, (column, title) in enumerate(zip(columns, titles, strict=True)):
        if column.kind == "text":
            continue
        words = [text_width(word, size, bold=True) for word in title.split()] or [0.0]
        need = max(words)
        if column.maximum is not None:
            need = max(need, text_width(cell_text(column, column.maximum), size, bold=True))
        needs[index] = max(
            need,
            _scaled(widest.plain[index], size, False),
            _scaled(widest.bold[index], size, True),
        )
    return [need + PADDING_MM if need else 0.0 for need in needs]


def _name_floor(widest: _Widest, size: float) -> float:
    longest = _scaled(widest.name_word, size, False)
    return max(NAME_MIN_MM * size / 12, longest + PADDING_MM)


def _attempt(
    columns: Sequence[Column],
    widest: _Widest,
    titles: Sequence[str],
    size: float,
    room: float,
) -> list[float] | None:
    """Widths that hold every number on one line, every header in at most
    ``MAX_HEADER_LINES`` lines and the names in at least their floor; None when they do not
    fit in ``room`` mm."""
    widths = _needs(columns, widest, titles, size)
    names = [i for i, c in enumerate(columns) if c.kind == "text"]
    floor = _name_floor(widest, size)
    spare = room - sum(widths) - floor * len(names)
    if spare < 0:
        return None
    # the headers: widen a column whose title would take too many lines
    for index, (column, title) in enumerate(zip(columns, titles, strict=True)):
        if column.kind == "text":
            continue
        while _lines(title, widths[index] - PADDING_MM, size, True) > MAX_HEADER_LINES:
            if spare < 1:
                return None
            widths[index] += 1
            spare -= 1
    # what is left goes to the names, up to a comfortable width, then to every column
    comfortable = max(floor, 75.0 * size / 12)
    for index in names:
        widths[index] = floor + min(spare / len(names), comfortable - floor)
    spare = room - sum(widths)
    if spare > 0:
        for index in range(len(widths)):
            widths[index] += spare / len(widths)
    return widths


def fit(
    columns: Sequence[Column],
    rows: Sequence[tuple[Cell, ...] | Section],
    *,
    shorts: Sequence[str] | None = None,
    legend: str = "",
    sizes: Sequence[float] = (12, 11, 10),
) -> Layout:
    """The layout of a table: the first of portrait at 12, 11, 10 pt; portrait with the short
    labels ``shorts`` (one per column, "" to keep the title) and their ``legend``; the same
    on a landscape page; at last landscape, short labels and 8 pt."""
    full = [c.title for c in columns]
    short = [s or c.title for s, c in zip(shorts, columns, strict=True)] if shorts else None
    tries: list[tuple[bool, Sequence[str], float]] = []
    for landscape in (False, True):
        tries += [(landscape, full, size) for size in sizes]
        if short is not None:
            tries += [(landscape, short, size) for size in sizes]
    tries.append((True, short or full, 8.0))
    widest = _widest(columns, rows)  # the cells measured once for every try
    for landscape, titles, size in tries:
        room = LANDSCAPE_MM if landscape else PORTRAIT_MM
        widths = _attempt(columns, widest, titles, size, room)
        if widths is not None:
            return Layout(
                tuple(widths),
                size,
                landscape,
                tuple(titles),
                legend if titles is short else "",
            )
    # a table wider than any page: the numbers' own widths, landscape, the smallest type
    titles = short or full
    widths = _needs(columns, widest, titles, 8.0)
    names = [i for i, c in enumerate(columns) if c.kind == "text"]
    for index in names:
        widths[index] = NAME_MIN_MM * 8 / 12
    scale = LANDSCAPE_MM / sum(widths)
    return Layout(
        tuple(w * scale for w in widths),
        8.0,
        True,
        tuple(titles),
        legend if short is not None else "",
    )


def table_layout(table: Table) -> Layout:
    """The layout of one of the publication's tables, its groups' short labels allowed."""
    shorts = [c.short for c in table.columns]
    return fit(
        table.columns,
        table.rows,
        shorts=shorts if any(shorts) else None,
        legend=table.short_legend,
    )
