"""The published-table files of ``chiso audit`` and the list of findings it prints."""

from __future__ import annotations

import csv
import io
import json
import re
import textwrap
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TypeVar

from chiso.core import Framework
from chiso.core.audit import (
    Finding,
    PublishedRow,
    PublishedTable,
    TableChecks,
    Value,
    YearCells,
    audit_tables,
)
from chiso.core.messages import Message
from chiso.core.numbers import parse_decimal
from chiso.io.cells import quote
from chiso.io.results import json_number
from chiso.io.tables import UNREAD_COLUMNS, Names, Row, Table, read_table, reserved_names

__all__ = ["audit_files", "read_published", "read_tables", "render_findings"]

_SUBJECT_COLUMNS = {"score", "total", "percent", "tier", "rank"}
_OTHER_COLUMNS = {"unit", "block", "status", "not_applicable", "note", "name", "order"}
_YEAR_FIELDS = {"rank", "score", "total", "change", "tier", "percent"}
_YEAR_SUFFIX = re.compile(r"^(?P<field>.+)_(?P<year>(19|20)\d\d)$")


def audit_files(
    framework: Framework,
    specs: Sequence[str],
    encoding: str | None = None,
    year: int | None = None,
) -> list[Finding]:
    """Audit the tables given as ``FILE`` or ``GROUP=FILE``, of the year ``year`` (by
    default the framework's)."""
    return audit_tables(framework, read_tables(framework, specs, encoding, year), year=year)


def read_tables(
    framework: Framework,
    specs: Sequence[str],
    encoding: str | None = None,
    year: int | None = None,
) -> list[PublishedTable]:
    """The tables given as ``FILE`` or ``GROUP=FILE``, of the year ``year`` (by default the
    framework's: a column ``rank_YEAR`` of that year is the table's own rank)."""
    tables = []
    for spec in specs:
        group, separator, path = spec.partition("=")
        if not separator:
            group, path = "", spec
        tables.append(read_published(framework, path, group or None, encoding, year))
    return tables


def read_published(
    framework: Framework,
    path: str | Path,
    group: str | None = None,
    encoding: str | None = None,
    year: int | None = None,
) -> PublishedTable:
    table = read_table(path, encoding, _names(framework), _read)
    if group is not None and not framework.has_node(group):
        raise table.error(
            Message("unknown criterion code {code!r} given for this table", code=group)
        )
    if "unit" not in table.columns:
        raise table.error(Message("missing column {name!r}", name="unit"), 1)
    single = framework.blocks[0].code if len(framework.blocks) == 1 else None
    if "block" not in table.columns and single is None:
        raise table.error(Message("missing column {name!r}", name="block"), 1)
    plan = _columns(framework, table, framework.year if year is None else year)
    if group is not None:
        _only_parts_of(framework, table, plan, group)
    if not table.rows:
        raise table.error(Message("no units: the file has only a header"), 1)
    rows = [_row(framework, table, row, plan, single) for row in table.rows]
    present = {
        field
        for column, (field, year) in plan.items()
        if year is None
        and field in ("score", "percent", "tier", "rank")
        and any(row.cells.get(column) for row in table.rows)
    }
    present |= {c for c in table.columns if c.startswith("rank_")}
    return PublishedTable(Path(path).name, rows, group, frozenset(present))


def _read(column: str) -> bool:
    return column not in UNREAD_COLUMNS


def _names(framework: Framework) -> Names:
    """The reserved names of a published table (``unit``, ``score``, ``rank_2020`` …) in any
    case; criterion codes as written."""
    return reserved_names(
        _OTHER_COLUMNS | _SUBJECT_COLUMNS, as_written=framework.has_node, also=_year_field
    )


def _year_field(column: str) -> bool:
    """Whether a column is a field of another year (``rank_2020``, ``Score_2019``)."""
    match = _YEAR_SUFFIX.match(column)
    return match is not None and match["field"].lower() in _YEAR_FIELDS


def _columns(framework: Framework, table: Table, now: int) -> dict[str, tuple[str, int | None]]:
    """Each data column as (field or criterion code, year or None for the year ``now``)."""
    plan: dict[str, tuple[str, int | None]] = {}
    for column in table.columns:
        if column in _OTHER_COLUMNS:
            continue
        if column in _SUBJECT_COLUMNS or framework.has_node(column):
            plan[column] = ("score" if column == "total" else column, None)
            continue
        match = _YEAR_SUFFIX.match(column)
        if match:
            name, year = match["field"], int(match["year"])
            if name in _YEAR_FIELDS or framework.has_node(name):
                if year == now:
                    plan[column] = ("score" if name == "total" else name, None)
                else:
                    plan[column] = ("score" if name == "total" else name, year)
                continue
        raise table.error(
            Message(
                "unknown column (a criterion code, score, percent, tier, rank, or one of these"
                " with _YEAR)"
            ),
            1,
            column,
        )
    return plan


def _only_parts_of(
    framework: Framework, table: Table, plan: dict[str, tuple[str, int | None]], group: str
) -> None:
    """A table of one group prints that group and its parts; another criterion's column means
    the file is not the group's table (the whole table given as GROUP=FILE by mistake)."""
    parts = {node.code for node in framework.node(group).walk()}
    foreign = [
        column
        for column, (name, _) in plan.items()
        if framework.has_node(name) and name not in parts
    ]
    if not foreign:
        return
    names = ", ".join(repr(column) for column in foreign)
    foreign_columns = (
        Message("columns {names} are not parts", names=names)
        if len(foreign) > 1
        else Message("column {names} is not a part", names=names)
    )
    raise table.error(
        Message(
            "{columns} of group {group}: a table given as {group}=FILE is the table of group"
            " {group} and its parts (give a table of all groups without '{group}=')",
            columns=foreign_columns,
            group=group,
        ),
        1,
    )


def _row(
    framework: Framework,
    table: Table,
    row: Row,
    plan: dict[str, tuple[str, int | None]],
    single: str | None,
) -> PublishedRow:
    cells = row.cells
    unit = cells["unit"]
    if not unit:
        raise table.error(Message("the unit has no name"), row.number, "unit")
    block = cells.get("block") or single or ""
    if not framework.has_block(block):
        raise table.error(Message("unknown block {block!r}", block=block), row.number, "block")
    current: dict[str, object] = {}
    nodes: dict[str, Decimal] = {}
    years: dict[int, dict[str, object]] = {}
    for column, (name, year) in plan.items():
        text = cells[column]
        if not text:
            continue
        value: object = text
        if name in ("score", "percent") or framework.has_node(name):
            value = _number(table, row.number, column, text)
        elif name == "rank":
            value = _rank(table, row.number, column, text)
        if year is None:
            if framework.has_node(name):
                assert isinstance(value, Decimal)
                nodes[name] = value
            else:
                current[name] = value
        else:
            years.setdefault(year, {})[name] = value
    not_applicable = frozenset(
        c for c in re.split(r"[;,\s]+", cells.get("not_applicable", "")) if c
    )
    for code in not_applicable:
        if not framework.has_node(code):
            raise table.error(
                Message("unknown criterion code {code!r}", code=code), row.number, "not_applicable"
            )
    return PublishedRow(
        line=row.number,
        unit=unit,
        block=block,
        score=_typed(current.get("score"), Decimal),
        percent=_typed(current.get("percent"), Decimal),
        tier=_typed(current.get("tier"), str),
        rank=_typed(current.get("rank"), int),
        rank_blank="rank" not in current,
        nodes=nodes,
        not_applicable=not_applicable,
        voluntary=cells.get("status", "").strip().lower() == "voluntary",
        years={year: _year_cells(framework, values) for year, values in years.items()},
    )


def _year_cells(framework: Framework, values: dict[str, object]) -> YearCells:
    return YearCells(
        rank=_typed(values.get("rank"), int),
        score=_typed(values.get("score"), Decimal),
        change=_typed(values.get("change"), str),
        tier=_typed(values.get("tier"), str),
        nodes={k: v for k, v in values.items() if framework.has_node(k) and isinstance(v, Decimal)},
    )


T = TypeVar("T")


def _typed(value: object, kind: type[T]) -> T | None:
    return value if isinstance(value, kind) else None


def _number(table: Table, number: int, column: str, text: str) -> Decimal:
    try:
        return parse_decimal(text.removesuffix("%"))
    except ValueError:
        raise table.error(Message("{text!r} is not a number", text=text), number, column) from None


def _rank(table: Table, number: int, column: str, text: str) -> int:
    try:
        value = parse_decimal(text)
    except ValueError:
        raise table.error(Message("{text!r} is not a rank", text=text), number, column) from None
    if value < 1 or value != value.to_integral_value():
        raise table.error(Message("{text!r} is not a rank (1, 2, 3 …)", text=text), number, column)
    return int(value)


FIELDS = ["table", "row", "unit", "column", "published", "expected", "kind", "note"]
"""The fields of a finding in the csv and json output (docs/cli.md); the json output adds
``published_text`` and ``expected_text``."""

WIDTH = 48
"""The widest a column of the table output gets but the last; a longer cell is wrapped."""


def _record(finding: Finding) -> dict[str, Value]:
    return {
        "table": finding.table,
        "row": finding.line,
        "unit": finding.unit,
        "column": finding.column,
        "published": finding.published,
        "expected": finding.expected,
        "kind": finding.kind,
        "note": finding.message,
    }


def _text(value: Value) -> str:
    return "" if value is None else str(value)


def _count(number: int, noun: str, plural: str | None = None) -> str:
    return f"{number} {noun if number == 1 else plural or noun + 's'}"


def render_findings(findings: list[Finding], form: str, checks: Sequence[TableChecks] = ()) -> str:
    """The findings as ``table`` (with a line per table of ``checks`` first), ``csv`` or
    ``json`` (an object of ``tables``, the checks, and ``findings``)."""
    if form == "json":
        return _json(findings, checks)
    if form == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(FIELDS)
        for finding in findings:
            record = _record(finding) | {
                "published": finding.published_text,
                "expected": finding.expected_text,
            }
            writer.writerow([quote(_text(record[name])) for name in FIELDS])
        return buffer.getvalue()
    head = "".join(_checks_line(c) + "\n" for c in checks) + ("\n" if checks else "")
    if not findings:
        return head + "No inconsistencies found.\n"
    errors = sum(1 for f in findings if f.kind == "error")
    rounding = len(findings) - errors
    summary = (
        f"{_count(len(findings), 'inconsistency', 'inconsistencies')}"
        f" ({_count(errors, 'error')}, {rounding} within rounding)."
    )
    return head + _table(findings) + "\n\n" + summary + "\n"


def _checks_line(checks: TableChecks) -> str:
    """ "bang-1.csv: checked sums, rank, order; not checked: tier (no tier column)." """
    done = "checked " + ", ".join(checks.done) if checks.done else "nothing checked"
    if not checks.not_done:
        return f"{checks.table}: {done}."
    missing = ", ".join(f"{check} ({why})" for check, why in checks.not_done)
    return f"{checks.table}: {done}; not checked: {missing}."


def _table(findings: list[Finding]) -> str:
    """The findings in columns; a cell wider than :data:`WIDTH` (a long unit name or table
    name) is wrapped onto the lines below, the last column (the note) is never cut."""
    header = [name.capitalize() for name in FIELDS]
    rows = [
        [
            f.table,
            _text(f.line),
            f.unit,
            f.column,
            f.published_text,
            f.expected_text,
            f.kind,
            f.message,
        ]
        for f in findings
    ]
    last = len(header) - 1
    widths = [
        max(len(r[i]) for r in [header, *rows])
        if i == last
        else min(max(len(r[i]) for r in [header, *rows]), WIDTH)
        for i in range(len(header))
    ]
    lines = []
    for row in [header, *rows]:
        cells = [
            [cell] if i == last or len(cell) <= width else _wrap(cell, width)
            for i, (cell, width) in enumerate(zip(row, widths, strict=True))
        ]
        for k in range(max(map(len, cells))):
            parts = [c[k] if k < len(c) else "" for c in cells]
            lines.append("  ".join(p.ljust(w) for p, w in zip(parts, widths, strict=True)).rstrip())
    return "\n".join(lines)


def _wrap(cell: str, width: int) -> list[str]:
    return textwrap.wrap(cell, width, break_on_hyphens=False) or [""]


def _json(findings: list[Finding], checks: Sequence[TableChecks]) -> str:
    """Indented as ``json.dumps(..., indent=1)`` would; a published or expected number is a
    JSON number with its exact value (as ``chiso score``'s JSON writes numbers), with its
    printed form beside it."""
    tables = [
        {
            "table": c.table,
            "checked": list(c.done),
            "not_checked": [{"check": check, "why": why} for check, why in c.not_done],
        }
        for c in checks
    ]
    records = []
    for finding in findings:
        members = [
            f"{json.dumps(name)}: {_json_value(value)}" for name, value in _record(finding).items()
        ]
        members[6:6] = [
            f'"published_text": {json.dumps(finding.published_text, ensure_ascii=False)}',
            f'"expected_text": {json.dumps(finding.expected_text, ensure_ascii=False)}',
        ]
        records.append("  {\n" + ",\n".join("   " + m for m in members) + "\n  }")
    tables_text = json.dumps(tables, ensure_ascii=False, indent=1).replace("\n", "\n ")
    findings_text = "[\n" + ",\n".join(records) + "\n ]" if records else "[]"
    return f'{{\n "tables": {tables_text},\n "findings": {findings_text}\n}}\n'


def _json_value(value: Value) -> str:
    if isinstance(value, Decimal):
        return json_number(value)
    return json.dumps(value, ensure_ascii=False)
