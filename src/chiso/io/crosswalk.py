"""The crosswalk file between two versions of a framework (docs/frameworks.md).

One row per correspondence, CSV or XLSX::

    code,earlier_code
    B.3,II.b
    B,II.a
    B,II.b
    C.1,
    ,II.c

``code`` (this year's) continues ``earlier_code``; several rows for one code add the earlier
codes' points (this group = those parts); an empty ``earlier_code`` says the code is new, an
empty ``code`` that the earlier code was dropped. A code in both frameworks that the file does
not name continues itself. Vietnamese headings are read too (mã, mã năm trước).
"""

from __future__ import annotations

from pathlib import Path

from chiso.core.crosswalk import Crosswalk, CrosswalkError, Pair, build_crosswalk
from chiso.core.framework import Framework
from chiso.io.tables import missing_column, read_table, reserved_names

__all__ = ["read_crosswalk", "read_pairs"]

_COLUMNS = ("code", "earlier_code")
_HEADINGS = {"code": "mã", "earlier_code": "mã năm trước"}
"""How a Vietnamese file heads each column (a missing column is named so too)."""
_NAMES = reserved_names(
    _COLUMNS, aliases={"mã tiêu chí": "code", **{v: k for k, v in _HEADINGS.items()}}
)


def read_crosswalk(
    path: str | Path, current: Framework, earlier: Framework, encoding: str | None = None
) -> Crosswalk:
    """The crosswalk of a file; a :class:`DataError` names the file, row and column of the
    first problem."""
    return build_crosswalk(current, earlier, read_pairs(path, current, earlier, encoding))


def read_pairs(
    path: str | Path, current: Framework, earlier: Framework, encoding: str | None = None
) -> list[Pair]:
    """The rows of a crosswalk file, checked against both frameworks (what the web keeps);
    a :class:`DataError` names the file, row and column of the first problem."""
    table = read_table(path, encoding, _NAMES, _COLUMNS.__contains__)
    for name in _COLUMNS:
        if name not in table.columns:
            raise table.error(missing_column(name, _HEADINGS[name]), 1)
    pairs = [
        Pair(row.cells.get("code", ""), row.cells.get("earlier_code", "")) for row in table.rows
    ]
    try:
        build_crosswalk(current, earlier, pairs)
    except CrosswalkError as problem:
        row = table.rows[problem.pair].number if problem.pair is not None else None
        raise table.error(problem.message, row, problem.field) from None
    return pairs
