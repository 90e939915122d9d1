"""Read a CSV or XLSX table into text cells, with the file, row and column of every cell."""

from __future__ import annotations

import codecs
import csv
import datetime
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from chiso.core.messages import Message, message_of, say
from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip
from chiso.io.cells import unquote

__all__ = [
    "DATA_SHEET",
    "DATE_HINT",
    "MAX_CELLS",
    "MAX_COLUMNS",
    "MAX_ROWS",
    "NOT_TEXT",
    "UNREAD_COLUMNS",
    "DataError",
    "Grid",
    "Names",
    "Row",
    "Table",
    "clean",
    "missing_column",
    "read_grid",
    "read_table",
    "reserved_names",
]


class DataError(Exception):
    """Input that cannot be used; ``str()`` is one line naming the file, row and column, in
    English; :meth:`in_language` says it in another language (the ``message`` is a
    :class:`Message` when the readers wrote it)."""

    def __init__(
        self, source: str, message: str, row: int | None = None, column: str | None = None
    ) -> None:
        self.source = source
        self.row = row
        self.column = column
        self.message = message
        super().__init__(self.in_language("en"))

    def in_language(self, language: str) -> str:
        """The one line in ``language`` (``"vi"``): the file, row and column, then the
        problem."""
        where = [self.source]
        if self.row is not None:
            where.append(Message("row {row}", row=self.row).in_language(language))
        if self.column is not None:
            where.append(Message("column {column!r}", column=self.column).in_language(language))
        return ", ".join(where) + ": " + str(say(self.message, language))


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
    grid: Grid | None = None
    """The cells as read (a workbook's date cells are marked there, see :meth:`Grid.error`)."""

    def error(self, message: str, row: int | None = None, column: str | None = None) -> DataError:
        if self.grid is not None:
            return self.grid.error(message, row, column)
        return DataError(self.source, message, row, column)


DATA_SHEET = "Dữ liệu"
"""The raw-data sheet of a report workbook: what a reader of units' data reads of a workbook
that has one (``chiso score --data ket-qua.xlsx``)."""

UNREAD_COLUMNS = frozenset({"note", "name", "order"})
"""Columns of a data file or a published table that are there for people: no reader reads
them (a workbook's formula there without a saved value is not refused)."""

Names = Callable[[str], str]
"""How a reader names a header's column: a reserved name written in another case (``UNIT``)
as the reader knows it (``unit``); other names as they are."""


def reserved_names(
    reserved: Collection[str],
    *,
    as_written: Callable[[str], bool] | None = None,
    also: Callable[[str], bool] | None = None,
    suffix: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> Names:
    """How a reader names its header's columns: its ``reserved`` names in any case (``UNIT``,
    ``Unit`` as ``unit``), and so the names that ``also`` tells (``rank_2020``); ``suffix`` in
    any case, trimmed before it (``II.1 :Evidence`` as ``II.1:evidence``); the names that
    ``as_written`` tells (criterion codes) and all others as they are. ``aliases`` maps other
    headings, in lower case, to a reserved name (``tổng điểm`` → ``score``): they are read in
    any case too."""

    def name(column: str) -> str:
        if column in reserved or (as_written is not None and as_written(column)):
            return column
        lowered = column.lower()
        if lowered in reserved or (also is not None and also(column)):
            return lowered
        if aliases is not None and lowered in aliases:
            return aliases[lowered]
        if suffix is not None and lowered.endswith(suffix):
            return column[: -len(suffix)].rstrip() + suffix
        return column

    return name


def missing_column(name: str, heading: str) -> Message:
    """A missing column, named by its reserved ``name`` and by the ``heading`` a Vietnamese
    file gives it (an alias): the Vietnamese message puts the heading first."""
    return Message("missing column {name!r} (or {heading!r})", name=name, heading=heading)


def read_table(
    path: str | Path,
    encoding: str | None = None,
    names: Names | None = None,
    read: Callable[[str], bool] | None = None,
) -> Table:
    """Read an XLSX file (its sheet "Dữ liệu" when it has one, as the report workbook does,
    else its first sheet) or a CSV file (comma, semicolon or tab).

    CSV files are UTF-8 (a byte-order mark is fine); a file that is not is read with
    ``encoding`` (``cp1258`` for files saved by Vietnamese Windows). Empty rows are skipped.
    The header's names are trimmed, then given to ``names``. ``read`` tells the columns that
    the caller reads (None: all): a workbook's formula without a saved value is refused in
    those only.
    """
    grid = read_grid(path, encoding, names, read)
    rows = [
        Row(number, {name: clean(cells[i]) for i, name in enumerate(grid.columns)})
        for number, cells in grid.rows
    ]
    return Table(grid.source, grid.columns, rows, grid)


DATE_HINT = Message(
    " (Excel turned what was typed into a date: format the column as Text, or start the"
    " cell with an apostrophe, and type it again)"
)


@dataclass(frozen=True, slots=True)
class Grid:
    """A table's rows as read: cells not yet trimmed, as many as there are columns."""

    source: str
    columns: list[str]
    rows: list[tuple[int, list[str]]]
    """(row number, cells) of every row that is not empty."""
    workbook: bool = False
    """Read from an XLSX workbook: its number cells were binary floats (each read as the
    shortest decimal that gives the same float), and a cell may be a date."""
    headings: dict[str, str] = field(default_factory=dict)
    """The heading written in the file of a column the reader names otherwise (an alias:
    "Tổng điểm" for ``score``): errors name the column as the file does."""

    def error(self, message: str, row: int | None = None, column: str | None = None) -> DataError:
        """The error at a cell; at one that a workbook holds as a date, with :data:`DATE_HINT`
        (the cell is looked for here: errors are rare, dates rarer)."""
        if self.workbook and row is not None and column is not None and column in self.columns:
            index = self.columns.index(column)
            for number, cells in self.rows:
                if number == row:
                    if isinstance(cells[index], _DateText):
                        message = Message("{message}{hint}", message=message, hint=DATE_HINT)
                    break
        if column is not None:
            column = self.headings.get(column, column)
        return DataError(self.source, message, row, column)


def read_grid(
    path: str | Path,
    encoding: str | None = None,
    names: Names | None = None,
    read: Callable[[str], bool] | None = None,
    *,
    sheet: str = DATA_SHEET,
) -> Grid:
    """Like :func:`read_table`, but the cells are left as read (not trimmed or composed, see
    :func:`clean`): a reader that meets the same text many times (a column of yes/no answers)
    cleans each distinct text once. A workbook's ``sheet`` is read when it has one, else its
    first sheet."""
    source = str(path)
    try:
        raw = Path(path).read_bytes()
    except OSError as error:
        raise DataError(
            source, Message("cannot be read ({reason})", reason=error.strerror)
        ) from None
    if not raw.strip():
        raise DataError(source, Message("the file is empty"))
    if raw.startswith(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"):  # an OLE2 container
        raise DataError(
            source,
            Message(
                "is an Excel 97-2003 (.xls) or password-protected workbook: save it as .xlsx or CSV"
            ),
        )
    workbook = source.lower().endswith((".xlsx", ".xlsm")) or raw[:4] == b"PK\x03\x04"
    formulas: list[_Formula] = []
    if workbook:
        grid, formulas = _xlsx_rows(source, raw, sheet)
    else:
        grid = _csv_rows(source, raw, encoding)
    return _to_grid(source, grid, names, workbook, formulas, read)


def _csv_rows(source: str, raw: bytes, encoding: str | None) -> list[tuple[int, list[str]]]:
    if encoding is not None:
        try:
            codecs.lookup(encoding)
        except LookupError:
            raise DataError(
                source, Message("unknown encoding {encoding!r}", encoding=encoding)
            ) from None
    try:
        # UTF-8 is read as UTF-8 whatever the encoding given: chiso's own output is UTF-8
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if encoding is None:
            hint = Message(" (for a file saved by Vietnamese Windows use --encoding cp1258)")
            raise _not_text(source, raw, error, "UTF-8", hint) from None
        try:
            text = raw.decode(encoding).removeprefix("\ufeff")
        except UnicodeDecodeError as error:
            raise _not_text(source, raw, error, encoding, "") from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True)
    rows: list[tuple[int, list[str]]] = []
    cells = 0
    try:
        for row in reader:  # a cell spanning lines is one row, as in a spreadsheet
            cells += len(row)
            if len(rows) >= MAX_ROWS or len(row) > MAX_COLUMNS or cells > MAX_CELLS:
                _check_size(source, len(rows) + 1, len(row), cells)
            rows.append((len(rows) + 1, row))
    except csv.Error as error:
        problem = (
            Message("a quoted cell is never closed") if "end of data" in str(error) else str(error)
        )
        raise DataError(
            source, Message("malformed CSV: {problem}", problem=problem), len(rows) + 1
        ) from None
    if "'" in text:  # a text that chiso quoted for spreadsheets ('=…) reads as it was typed
        rows = [(number, [unquote(cell) for cell in cells]) for number, cells in rows]
    return rows


NOT_TEXT = "is not {encoding} text: byte {byte}{hint}"
"""The template of the problem of a file that is not text in its encoding (its ``hint`` is
the command line's ``--encoding``)."""


def _not_text(
    source: str, raw: bytes, error: UnicodeDecodeError, encoding: str, hint: str
) -> DataError:
    line = raw[: error.start].count(b"\n") + 1
    message = Message(
        NOT_TEXT,
        encoding=encoding,
        byte=f"{raw[error.start]:#x}",
        hint=hint,
    )
    return DataError(source, message, line)


MAX_ROWS = 100_000
"""The most rows a table may have (a nation has about 3,400 communes and 700 departments)."""
MAX_COLUMNS = 2_000
"""The most columns (the national DTI's data file has about 300)."""
MAX_CELLS = 5_000_000
"""The most cells, rows × columns, as the rows are filled out to the widest."""


def _check_size(source: str, rows: int, columns: int, cells: int) -> None:
    """Raise when a table read so far is over one of the limits above."""
    if rows > MAX_ROWS:
        raise DataError(source, Message("more than {limit:,} rows", limit=MAX_ROWS), rows)
    if columns > MAX_COLUMNS:
        raise DataError(source, Message("more than {limit:,} columns", limit=MAX_COLUMNS), rows)
    if cells > MAX_CELLS:
        raise DataError(source, Message("more than {limit:,} cells", limit=MAX_CELLS), rows)


def _xlsx_rows(
    source: str, raw: bytes, name: str
) -> tuple[list[tuple[int, list[str]]], list[_Formula]]:
    """The rows of the workbook's sheet ``name`` (else its first), and its formulas without a
    saved value."""
    from openpyxl import load_workbook

    try:
        open_zip(io.BytesIO(raw), ZipLimits()).close()
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=True)
    except ArchiveRefused as error:
        raise DataError(
            source, Message("is not a workbook chiso reads: {reason}", reason=message_of(error))
        ) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError) as error:
        # SyntaxError: the XML parsers' error (ParseError, lxml's XMLSyntaxError), a part cut short
        raise DataError(source, _unreadable(error)) from None
    sheet = workbook[name] if name in workbook.sheetnames else workbook.worksheets[0]
    # the size the sheet claims (<dimension>) is not trusted: without it, openpyxl fills a
    # row out only to its own last cell and reads no further than the rows there are
    sheet.reset_dimensions()
    try:
        rows, blank = _sheet_rows(source, workbook, sheet)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError) as error:
        # openpyxl reads the cells as they are iterated: a value it cannot read ("NaN"), a
        # sheet's XML cut short
        raise DataError(source, _unreadable(error)) from None
    # openpyxl's, with no public equivalent: where the sheet's XML is in the file
    path = getattr(sheet, "_worksheet_path", None)
    workbook.close()
    # a formula never calculated (a file written by a program) is read as an empty cell
    formulas = _unsaved_formulas(raw, path) if blank and path else []
    return rows, formulas


def _unreadable(error: BaseException) -> Message:
    return Message("is not a readable XLSX workbook ({reason})", reason=str(error))


def _sheet_rows(source: str, workbook: Any, sheet: Any) -> tuple[list[tuple[int, list[str]]], bool]:
    """The rows of ``sheet`` as texts, and whether a cell is empty."""
    rows: list[tuple[int, list[str]]] = []
    blank = False
    cells_read = 0
    if _percent_styles(workbook):
        # a cell shown as "45%" holds 0.45: read as the percentage shown, as CSV's "45%"
        for number, cells in enumerate(sheet.iter_rows(), start=1):
            cells_read += len(cells)
            _check_size(source, number, len(cells), cells_read)
            texts = [_shown_text(cell.value, cell.number_format) for cell in cells]
            blank = blank or "" in texts
            rows.append((number, texts))
    else:
        for number, values in enumerate(sheet.iter_rows(values_only=True), start=1):
            cells_read += len(values)
            _check_size(source, number, len(values), cells_read)
            blank = blank or None in values
            rows.append((number, [_cell_text(value) for value in values]))
    return rows, blank


@dataclass(frozen=True, slots=True)
class _Formula:
    """A cell holding a formula without a saved value."""

    row: int
    index: int
    """The column's index (0: column A)."""
    letters: str
    text: str

    def error(self, source: str, column: str | None) -> DataError:
        shown = f" (={self.text})" if self.text else ""
        message = Message(
            "the cell holds a formula{shown} without a saved value (the file was written by a"
            " program, never calculated): open it in Excel or LibreOffice and save it, or give"
            " values instead of formulas",
            shown=shown,
        )
        return DataError(source, message, self.row, column or self.letters)


_FORMULA = re.compile(rb"<(?:\w+:)?f[\s>/]")


def _unsaved_formulas(raw: bytes, path: str) -> list[_Formula]:
    """The sheet's formulas without a saved value, in the file's order.

    openpyxl reads such a formula as an empty cell, like a formula whose value is empty text
    (``=IF(…;"";…)``, which a spreadsheet saves with ``t="str"``): only the sheet's XML tells
    them apart, so it is read here (openpyxl keeps a cell's ``t`` to itself)."""
    from xml.etree import ElementTree

    from openpyxl.utils.cell import (
        column_index_from_string,
        coordinate_from_string,
        get_column_letter,
    )

    try:
        archive = open_zip(io.BytesIO(raw), ZipLimits())  # checked once already: cannot fail
        if not _has_formula(archive, path):  # the common case: no formula at all
            return []
        sheet = archive.open(path)
    except (KeyError, zipfile.BadZipFile, ArchiveRefused):
        return []
    formulas = []
    row = column = 0
    try:
        for event, element in ElementTree.iterparse(sheet, ("start", "end")):
            tag = element.tag.rpartition("}")[2]
            if tag == "row" and event == "start":
                row = int(element.get("r") or row + 1)
                column = 0
            elif tag == "c" and event == "end":
                reference = element.get("r")
                if reference:
                    letters, row = coordinate_from_string(reference)
                    column = column_index_from_string(letters)
                else:
                    column += 1
                    letters = get_column_letter(column)
                children = {child.tag.rpartition("}")[2]: child for child in element}
                formula, value = children.get("f"), children.get("v")
                saved = (value is not None and value.text) or element.get("t") == "str"
                if formula is not None and not saved:  # t="str": an empty text value
                    formulas.append(_Formula(row, column - 1, letters, formula.text or ""))
                element.clear()
            elif tag == "row" and event == "end":
                element.clear()
    except (ElementTree.ParseError, ValueError):
        return formulas  # openpyxl read the sheet: what it could not say stays unsaid
    finally:
        sheet.close()
        archive.close()
    return formulas


def _has_formula(archive: zipfile.ZipFile, path: str) -> bool:
    """Whether the sheet's XML has a formula element, read in chunks as it is unpacked."""
    tail = b""
    with archive.open(path) as sheet:
        while chunk := sheet.read(1 << 20):
            if _FORMULA.search(tail + chunk):
                return True
            tail = chunk[-8:]  # a tag cut between two chunks
    return False


def _check_formulas(
    source: str,
    formulas: list[_Formula],
    header_number: int,
    columns: list[str],
    read: Callable[[str], bool] | None,
) -> None:
    """Raise at the first formula without a saved value in a column that the reader reads
    (or in the header, or beyond it)."""
    for formula in formulas:
        if formula.row < header_number:
            continue
        name = columns[formula.index] if formula.index < len(columns) else ""
        if formula.row == header_number or not name:
            raise formula.error(source, None)
        if read is None or read(name):
            raise formula.error(source, name)


def _percent_styles(workbook: Any) -> bool:
    """Whether any cell style of ``workbook`` shows numbers as percentages."""
    from openpyxl.styles.numbers import BUILTIN_FORMATS, BUILTIN_FORMATS_MAX_SIZE

    formats = list(getattr(workbook, "_number_formats", ()))  # openpyxl's: custom formats
    for style in getattr(workbook, "_cell_styles", ()):  # openpyxl's: every cell style
        code = style.numFmtId
        if code < BUILTIN_FORMATS_MAX_SIZE:
            number_format = BUILTIN_FORMATS.get(code, "General")
        elif code - BUILTIN_FORMATS_MAX_SIZE < len(formats):
            number_format = formats[code - BUILTIN_FORMATS_MAX_SIZE]
        else:
            continue
        if _is_percent(number_format):
            return True
    return False


_LITERALS = re.compile(r'"[^"]*"|\\.|\[[^\]]*\]')


def _is_percent(number_format: str | None) -> bool:
    """Whether a number format shows numbers × 100 with "%" (not "%" quoted, escaped, or in a
    [color] or [$…] part)."""
    if not number_format or "%" not in number_format:
        return False
    return "%" in _LITERALS.sub("", number_format)


def _shown_text(value: object, number_format: str | None) -> str:
    """A cell's text, a number shown as a percentage (0.45 as "45%") with its "%"."""
    number = value if isinstance(value, (int, float)) and not isinstance(value, bool) else None
    if number is not None and _is_percent(number_format):
        exact = Decimal(repr(number)) if isinstance(number, float) else Decimal(number)
        return _plain(exact.scaleb(2)) + "%"
    return _cell_text(value)


def _plain(number: Decimal) -> str:
    """Positional digits without trailing zeros."""
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text


class _DateText(str):
    """The text of a cell that a workbook holds as a date (Excel makes "3/6" the 6th of
    March): named in errors (:data:`DATE_HINT`)."""

    __slots__ = ()


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, str):
        return value.strip()
    if isinstance(value, float):
        if not math.isfinite(value):  # 1e999 in the file: refused as that text in a CSV is
            return str(value)
        return str(Decimal(repr(value)).normalize()) if value != int(value) else str(int(value))
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time():
            return _DateText(value.date().isoformat())
        return _DateText(value.isoformat(sep=" "))
    if isinstance(value, (datetime.date, datetime.time, datetime.timedelta)):
        return _DateText(str(value))
    return str(value).strip()


def _to_grid(
    source: str,
    grid: list[tuple[int, list[str]]],
    names: Names | None,
    workbook: bool,
    formulas: list[_Formula],
    read: Callable[[str], bool] | None,
) -> Grid:
    grid = [(number, cells) for number, cells in grid if any(map(str.strip, cells))]
    if not grid:
        raise DataError(source, Message("the file is empty"))
    header_number, header = grid[0]
    columns = [clean(name) for name in header]
    while columns and not columns[-1]:
        columns.pop()
    headings: dict[str, str] = {}
    if names is not None:
        # a name is not changed into one that the header also has as written
        written = set(columns)
        renamed = [
            new if name and (new := names(name)) not in written else name for name in columns
        ]
        headings = {
            new: name
            for name, new in zip(columns, renamed, strict=True)
            if new.lower() != name.lower()
        }
        columns = renamed
    if formulas:
        _check_formulas(source, formulas, header_number, columns, read)
    seen: set[str] = set()
    for index, name in enumerate(columns):
        if not name:
            raise DataError(
                source, Message("column {number} has no name", number=index + 1), header_number
            )
        if name in seen:
            raise DataError(source, Message("this column appears twice"), header_number, name)
        seen.add(name)
    width = len(columns)
    if width * len(grid) > MAX_CELLS:  # every row is filled out to the header's width
        number = grid[min(MAX_CELLS // max(width, 1), len(grid) - 1)][0]
        raise DataError(source, Message("more than {limit:,} cells", limit=MAX_CELLS), number)
    rows = []
    for number, cells in grid[1:]:
        if len(cells) > width:
            extra = [c for c in cells[width:] if c.strip()]
            if extra:
                raise DataError(
                    source, Message("more cells than columns ({extra!r})", extra=extra[0]), number
                )
            cells = cells[:width]
        elif len(cells) < width:
            cells = cells + [""] * (width - len(cells))
        rows.append((number, cells))
    return Grid(source, columns, rows, workbook, headings)


def clean(cell: str) -> str:
    """Trimmed and composed (NFC): Vietnamese Windows (cp1258) and macOS write tone marks as
    combining characters, which must match the same name typed elsewhere."""
    cell = cell.strip()
    return cell if cell.isascii() else unicodedata.normalize("NFC", cell)
