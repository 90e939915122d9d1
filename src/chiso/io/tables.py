"""Read a CSV or XLSX table into text cells, with the file, row and column of every cell."""

from __future__ import annotations

import codecs
import csv
import io
import unicodedata
import zipfile
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

__all__ = ["DataError", "Grid", "Row", "Table", "clean", "read_grid", "read_table"]


class DataError(Exception):
    """Input that cannot be used; ``str()`` is one line naming the file, row and column."""

    def __init__(
        self, source: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.source = source
        self.row = row
        self.column = column
        self.message = message
        where = source
        if row is not None:
            where += f", row {row}"
        if column is not None:
            where += f", column {column!r}"
        super().__init__(f"{where}: {message}")


@dataclass(frozen=True, slots=True)
class Row:
    number: int
    """The row's number in the file as a spreadsheet shows it (the header is row 1)."""
    cells: dict[str, str]


@dataclass(frozen=True, slots=True)
class Table:
    source: str
    columns: list[str]
    rows: list[Row]

    def error(self, message: str, row: int | None = None, column: str | None = None) -> DataError:
        return DataError(self.source, message, row, column)


def read_table(path: str | Path, encoding: str | None = None) -> Table:
    """Read an XLSX file (its sheet "Dữ liệu" when it has one, as the report workbook does,
    else its first sheet) or a CSV file (comma, semicolon or tab).

    CSV files are UTF-8 (a byte-order mark is fine); a file that is not is read with
    ``encoding`` (``cp1258`` for files saved by Vietnamese Windows). Empty rows are skipped.
    """
    grid = read_grid(path, encoding)
    rows = [
        Row(number, {name: clean(cells[i]) for i, name in enumerate(grid.columns)})
        for number, cells in grid.rows
    ]
    return Table(grid.source, grid.columns, rows)


@dataclass(frozen=True, slots=True)
class Grid:
    """A table's rows as read: cells not yet trimmed, as many as there are columns."""

    source: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number, cells) of every row that is not empty."""
    workbook: bool = False
    """Read from an XLSX workbook: its number cells were binary floats (each read as the
    shortest decimal that gives the same float)."""

    def error(self, message: str, row: int | None = None, column: str | None = None) -> DataError:
        return DataError(self.source, message, row, column)


def read_grid(path: str | Path, encoding: str | None = None) -> Grid:
    """Like :func:`read_table`, but the cells are left as read (not trimmed or composed, see
    :func:`clean`): a reader that meets the same text many times (a column of yes/no answers)
    cleans each distinct text once."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DataError(source, f"cannot be read ({error.strerror})") from None
    if not raw.strip():
        raise DataError(source, "the file is empty")
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE2 container
        raise DataError(
            source,
            "is an Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx or CSV",
        )
    workbook = source.lower().endswith((".xlsx", ".xlsm")) or raw[:4] == b"PK\x03\x04"
    grid = _xlsx_rows(source, raw) if workbook else _csv_rows(source, raw, encoding)
    return _to_grid(source, grid, workbook)


def _csv_rows(source: str, raw: bytes, encoding: str | None) -> list[tuple[int, list[str]]]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DataError(source, f"unknown encoding {encoding!r}") from None
    try:
        # UTF-8 is read as UTF-8 whatever the encoding given: chiso's own output is UTF-8
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if encoding is None:
            hint = " (for a file saved by Vietnamese Windows use --encoding cp1258)"
            raise _not_text(source, raw, error, "UTF-8", hint) from None
        try:
            text = raw.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as error:
            raise _not_text(source, raw, error, encoding, "") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    try:
        for row in reader:  # a cell spanning lines is one row, as in a spreadsheet
            rows.append((len(rows) + 1, row))
    except csv.Error as error:
        problem = "a quoted cell is never closed" if "end of data" in str(error) else str(error)
        raise DataError(source, f"malformed CSV: {problem}", len(rows) + 1) from None
    return rows


def _not_text(
    source: str, raw: bytes, error: UnicodeDecodeError, encoding: str, hint: str
) -> DataError:
    line = raw[: error.start].count(b"\n") + 1
    return DataError(source, f"is not {encoding} text: byte {raw[error.start]:#x}{hint}", line)


def _xlsx_rows(source: str, raw: bytes) -> list[tuple[int, list[str]]]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as error:
        raise DataError(source, f"is not a readable XLSX workbook ({error})") from None
    # the raw-data sheet of a report workbook (chiso.reports.xlsx.DATA_SHEET)
    sheet = workbook["Dữ liệu"] if "Dữ liệu" in workbook.sheetnames else workbook.worksheets[0]
    rows = []
    for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
        rows.append((number, [_cell_text(value) for value in values]))
    workbook.close()
    return rows


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        return str(Decimal(repr(value)).normalize()) if value != int(value) else str(int(value))
    return str(value).strip()


def _to_grid(source: str, grid: list[tuple[int, list[str]]], workbook: bool) -> Grid:
    grid = [(number, cells) for number, cells in grid if any(c.strip() for c in cells)]
    if not grid:
        raise DataError(source, "the file is empty")
    header_number, header = grid[0]
    columns = [clean(name) for name in header]
    while columns and not columns[-1]:
        columns.pop()
    seen: set[str] = set()
    for index, name in enumerate(columns):
        if not name:
            raise DataError(source, f"column {index + 1} has no name", header_number)
        if name in seen:
            raise DataError(source, "this column appears twice", header_number, name)
        seen.add(name)
    width = len(columns)
    rows = []
    for number, cells in grid[1:]:
        if len(cells) > width:
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                raise DataError(source, f"more cells than columns ({extra[0]!r})", number)
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append((number, cells))
    return Grid(source, columns, rows, workbook)


def clean(cell: str) -> str:
    """Trimmed and composed (NFC): Vietnamese Windows (cp1258) and macOS write tone marks as
    combining characters, which must match the same name typed elsewhere."""
    cell = cell.strip()
    return cell if cell.isascii() else unicodedata.normalize("NFC", cell)
