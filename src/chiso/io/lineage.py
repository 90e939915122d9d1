"""The lineage file: which units of earlier years each unit continues (docs/frameworks.md).

One row per link, CSV or XLSX::

    year,unit,earlier_unit,weight
    2025,Xã Tây Sơn,Xã Bình Tân,12000
    2025,Xã Tây Sơn,Xã Tây Thuận,30000
    2025,Xã An Nhơn,Xã An Nhơn Cũ,

``year`` is the first year of ``unit`` as it is; ``weight`` (optional: population, area …)
is the earlier unit's, for the ``largest`` merger policy (digits, no thousands separator).
Vietnamese headings are read too (năm, đơn vị, đơn vị trước đó, trọng số).
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

from chiso.core.lineage import Lineage, LineageError, Link, MergePolicy, carry
from chiso.core.messages import Message
from chiso.core.model import PreviousResult
from chiso.core.numbers import parse_decimal
from chiso.io.tables import DataError, missing_column, read_table, reserved_names

__all__ = ["LINEAGE_COLUMNS", "check_lineage", "read_lineage"]

LINEAGE_COLUMNS = ("year", "unit", "earlier_unit", "weight")
_HEADINGS = {
    "year": "năm",
    "unit": "đơn vị",
    "earlier_unit": "đơn vị trước đó",
    "weight": "trọng số",
}
"""How a Vietnamese file heads each column (a missing column is named so too)."""
_NAMES = reserved_names(
    LINEAGE_COLUMNS,
    aliases={"đơn vị cũ": "earlier_unit", **{v: k for k, v in _HEADINGS.items()}},
)


class LineageFile:
    """A lineage read from a file, with the row of each link (for error messages)."""

    def __init__(self, source: str, lineage: Lineage, rows: list[int]) -> None:
        self.source = source
        self.lineage = lineage
        self.rows = rows

    def error(self, problem: LineageError) -> DataError:
        row = self.rows[problem.link] if problem.link is not None else None
        return DataError(self.source, problem.message, row, "unit" if row else None)


def read_lineage(
    path: str | Path, encoding: str | None = None, policy: MergePolicy = MergePolicy.BEST
) -> LineageFile:
    """The links of a lineage file; a :class:`DataError` names the file, row and column of
    the first problem."""
    table = read_table(path, encoding, _NAMES, LINEAGE_COLUMNS.__contains__)
    for name in ("year", "unit", "earlier_unit"):
        if name not in table.columns:
            raise table.error(missing_column(name, _HEADINGS[name]), 1)
    links: list[Link] = []
    rows: list[int] = []
    for row in table.rows:
        cells = row.cells
        text = cells.get("year", "")
        try:
            year = int(text)
        except ValueError:
            raise table.error(
                Message("{text!r} is not a year", text=text), row.number, "year"
            ) from None
        unit, earlier = cells.get("unit", ""), cells.get("earlier_unit", "")
        if not unit:
            raise table.error(Message("the unit has no name"), row.number, "unit")
        if not earlier:
            raise table.error(Message("the earlier unit has no name"), row.number, "earlier_unit")
        weight = None
        if weight_text := cells.get("weight", ""):
            try:
                weight = parse_decimal(weight_text)
            except ValueError:
                raise table.error(
                    Message(
                        "{text!r} is not a number (digits, without thousands separators)",
                        text=weight_text,
                    ),
                    row.number,
                    "weight",
                ) from None
            if weight < 0:
                raise table.error(
                    Message("{text!r} is less than 0", text=weight_text), row.number, "weight"
                )
        links.append(Link(year, unit, earlier, weight))
        rows.append(row.number)
    found = LineageFile(str(path), Lineage(tuple(links), policy), rows)
    check_lineage(found)
    return found


def check_lineage(found: LineageFile, previous: Sequence[PreviousResult] = ()) -> None:
    """The lineage's own problems (a link given twice, a merger without weights under the
    ``largest`` policy), as a :class:`DataError` at the link's row."""
    try:
        carry([], previous, found.lineage)
    except LineageError as problem:
        raise found.error(problem) from None
