"""A framework as a workbook: the same framework file, for people who write in Excel.

The first sheet ("Thông tin chung") holds the framework's header, one field a row: ``field``
in column A, ``value`` in column B. The parts that are lists or groups of fields (``blocks``,
``tags``, ``classification``, ``ranking``, ``display``) are written in their cell as YAML, as
in the framework file. The second sheet ("Tiêu chí") holds one row per criterion or group, in
the order of the file: its ``code``, the code of its ``parent`` (empty for a top-level group),
its fields, ``max`` (one number for every block) or one ``max <block>`` column per block, the
``rule``'s type and its ``parameters`` (YAML: ``{full_at: 80}``), ``tags`` separated by commas.

:func:`workbook_to_yaml` reads such a workbook into the text of the framework file (so the web
stores and the loader reads one form); every problem, of the workbook or of the framework, is a
:class:`~chiso.core.FrameworkError` naming the sheet, the cell and the field.
:func:`yaml_to_workbook` writes a framework file as a workbook; the round trip gives the same
framework. Reading is bounded (bytes, rows, columns) and never evaluates a formula: a formula
cell is an error naming it.
"""

from __future__ import annotations

import io
import math
import zipfile
from typing import Any

import yaml
from pydantic import ValidationError

from chiso.core import FrameworkError
from chiso.core.framework import Framework
from chiso.core.loader import MAX_CRITERIA, load_yaml, parse_framework, validation_problems
from chiso.core.messages import Message
from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip
from chiso.io.cells import printable, text_cell, yes_no

__all__ = [
    "CRITERIA_SHEET",
    "HEADER_SHEET",
    "MAX_WORKBOOK_BYTES",
    "workbook_to_yaml",
    "yaml_to_workbook",
]

HEADER_SHEET = "Thông tin chung"
CRITERIA_SHEET = "Tiêu chí"
MAX_WORKBOOK_BYTES = 5 * 1024 * 1024
"""The largest framework workbook read: Tỉnh Mẫu's is 8 KB."""
MAX_COLUMNS = 60

HEADER_FIELDS = (
    "id",
    "name",
    "name_en",
    "assessor",
    "year",
    "version",
    "not_applicable_policy",
    "blocks",
    "tags",
    "classification",
    "ranking",
    "display",
)
HEADER_NOTES = {
    "id": "Mã bộ chỉ số: chữ thường không dấu, số, '-', ví dụ tinh-mau-2026",
    "name": "Tên bộ chỉ số",
    "name_en": "Tên tiếng Anh (không bắt buộc)",
    "assessor": "Cơ quan đánh giá",
    "year": "Năm đánh giá",
    "version": "Phiên bản (văn bản, ví dụ 1.0)",
    "not_applicable_policy": "Tiêu chí không áp dụng: exclude (trừ khỏi điểm tối đa) hoặc"
    " full_credit (được đủ điểm)",
    "blocks": "Các khối (YAML): code, name, và nếu có classification, ranking, display riêng",
    "tags": "Các nhãn (YAML): code, name",
    "classification": "Xếp loại (YAML): basis, precision, tiers, below_lowest",
    "ranking": "Xếp hạng (YAML): by, ties, precision, tie_breakers",
    "display": "Hiển thị (YAML): scale, percent_decimals, score_decimals",
}
"""What each header field is, in a third column the reader does not read."""
STRUCTURED = frozenset({"blocks", "tags", "classification", "ranking", "display"})
"""Header fields written as YAML in their cell."""

BEFORE_MAX = ("code", "parent", "name", "name_en", "short_name", "guidance")
AFTER_MAX = (
    "rule",
    "parameters",
    "evidence_required",
    "not_applicable",
    "not_applicable_policy",
    "tags",
    "classify",
    "classification",
)
_FLAGS = frozenset({"evidence_required", "not_applicable", "classify"})


# --- YAML → workbook ---------------------------------------------------------------------


def yaml_to_workbook(text: str, source: str = "<framework>") -> bytes:
    """The workbook of a framework file (checked first: a broken file raises its
    FrameworkError). Only the fields the file gives are written."""
    framework = parse_framework(text, source)
    data = load_yaml(text, source)
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font

    workbook = Workbook()
    header: Any = workbook.active
    header.title = HEADER_SHEET
    bold = Font(bold=True)
    _put(header, 1, 1, "field").font = bold
    _put(header, 1, 2, "value").font = bold
    _put(header, 1, 3, "ghi chú").font = bold
    row = 1
    for field in HEADER_FIELDS:
        if field not in data:
            continue
        row += 1
        _put(header, row, 1, field)
        value = data[field]
        if field in STRUCTURED:
            value = yaml.safe_dump(value, allow_unicode=True, sort_keys=False, width=100).strip()
        cell = _put(header, row, 2, value)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        _put(header, row, 3, HEADER_NOTES[field]).alignment = Alignment(wrap_text=True)
    header.column_dimensions["A"].width = 24
    header.column_dimensions["B"].width = 90
    header.column_dimensions["C"].width = 50

    sheet = workbook.create_sheet(CRITERIA_SHEET)
    blocks = [block.code for block in framework.blocks]
    columns = [*BEFORE_MAX, "max", *(f"max {code}" for code in blocks), *AFTER_MAX]
    for index, name in enumerate(columns, start=1):
        _put(sheet, 1, index, name).font = bold
    for number, (node, parent) in enumerate(_rows(data["criteria"], None), start=2):
        for index, name in enumerate(columns, start=1):
            value = _criterion_value(node, parent, name)
            if value is not None:
                _put(sheet, number, index, value)
    sheet.freeze_panes = "C2"
    for letter, width in (("A", 10), ("B", 10), ("C", 60), ("F", 40)):
        sheet.column_dimensions[letter].width = width
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _put(sheet: Any, row: int, column: int, value: Any) -> Any:
    """A cell with ``value``, a text kept a text (never a formula), without the control
    characters a cell cannot hold (openpyxl refuses them)."""
    cell = sheet.cell(row=row, column=column, value=printable(value))
    return text_cell(cell)


def _rows(nodes: list[Any], parent: str | None) -> Any:
    for node in nodes:
        yield node, parent
        yield from _rows(node.get("children") or [], str(node.get("code")))


def _criterion_value(node: dict[str, Any], parent: str | None, column: str) -> Any:
    if column == "parent":
        return parent
    if column == "max":
        value = node.get("max")
        return None if isinstance(value, dict) else value
    if column.startswith("max "):
        value = node.get("max")
        return value.get(column[4:]) if isinstance(value, dict) else None
    rule = node.get("rule")
    if column == "rule":
        return rule.get("type") if isinstance(rule, dict) else None
    if column == "parameters":
        rest = {k: v for k, v in rule.items() if k != "type"} if isinstance(rule, dict) else {}
        return _flow(rest) if rest else None
    if column == "tags":
        return ", ".join(str(tag) for tag in node["tags"]) if node.get("tags") else None
    if column == "classification":
        value = node.get("classification")
        return None if value is None else _flow(value)
    value = node.get(column)
    if column in _FLAGS:
        return True if value else None
    return value


def _flow(value: Any) -> str:
    return yaml.safe_dump(
        value, allow_unicode=True, sort_keys=False, default_flow_style=True, width=math.inf
    ).strip()


# --- workbook → YAML ---------------------------------------------------------------------


class _Sheet:
    """A sheet's cells as read, by row, with each cell's coordinate."""

    def __init__(self, title: str, rows: list[tuple[int, list[Any]]]) -> None:
        self.title = title
        self.rows = rows


def workbook_to_yaml(raw: bytes, source: str = "<workbook>") -> str:
    """The framework file of a framework workbook, checked: every problem raises a
    FrameworkError naming the sheet, the cell and the field."""
    header, criteria = _read(raw, source)
    data, places = _header_data(header, source)
    nodes, node_places = _criteria_data(criteria, source)
    data["criteria"] = nodes
    places.update(node_places)
    try:
        Framework.model_validate(data)
    except ValidationError as error:
        (loc, message), *others = validation_problems(error)
        found = _located(source, loc, message, places, header, criteria)
        found.others = [_located(source, *other, places, header, criteria) for other in others]
        raise found from None
    text = yaml.safe_dump(data, allow_unicode=True, sort_keys=False, width=100)
    parse_framework(text, source)  # the same framework, read as the web and the CLI read it
    return text


_UNREADABLE = (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError, SyntaxError)
"""What openpyxl raises for a damaged file: SyntaxError is the XML parsers' error (the standard
library's ParseError, lxml's XMLSyntaxError) for a part cut short or garbled."""


def _read(raw: bytes, source: str) -> tuple[_Sheet, _Sheet]:
    from openpyxl import load_workbook

    if len(raw) > MAX_WORKBOOK_BYTES:
        raise FrameworkError(
            source,
            Message("the file is larger than {size} MB", size=MAX_WORKBOOK_BYTES // 1024**2),
        )
    try:
        open_zip(io.BytesIO(raw), ZipLimits()).close()
        workbook = load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except (ArchiveRefused, *_UNREADABLE):
        raise FrameworkError(source, Message("is not a readable XLSX workbook")) from None
    try:
        if len(workbook.worksheets) < 2:
            raise FrameworkError(
                source,
                Message(
                    "a framework workbook has two sheets: {header} and {criteria}",
                    header=HEADER_SHEET,
                    criteria=CRITERIA_SHEET,
                ),
            )
        sheets = []
        for sheet, limit in zip(workbook.worksheets[:2], (100, MAX_CRITERIA + 1), strict=True):
            sheet.reset_dimensions()  # the size the sheet claims is not trusted
            sheets.append(_Sheet(sheet.title, _sheet_rows(sheet, limit, source)))
    except _UNREADABLE:  # a sheet's XML is read as its rows are
        raise FrameworkError(source, Message("is not a readable XLSX workbook")) from None
    finally:
        workbook.close()
    return sheets[0], sheets[1]


def _sheet_rows(sheet: Any, limit: int, source: str) -> list[tuple[int, list[Any]]]:
    """The sheet's rows with a value (texts stripped), at most ``limit``; a formula is refused."""
    from openpyxl.utils import get_column_letter

    rows = []
    for number, cells in enumerate(sheet.iter_rows(), start=1):
        if number > limit:
            raise FrameworkError(
                source, Message("more than {count} rows", count=limit - 1), sheet=sheet.title
            )
        values = []
        for index, cell in enumerate(cells[:MAX_COLUMNS], start=1):
            if getattr(cell, "data_type", None) == "f":
                raise FrameworkError(
                    source,
                    Message("the cell holds a formula: give its value instead"),
                    sheet=sheet.title,
                    cell=f"{get_column_letter(index)}{number}",
                )
            value = cell.value
            values.append(value.strip() or None if isinstance(value, str) else value)
        if any(value is not None for value in values):
            rows.append((number, values))
    return rows


Place = tuple[str, str, str]
"""Where a part of the framework's data was read: the sheet, the cell, and the field path
inside the cell's YAML before the remaining location is appended."""


def _cell(column: int, row: int) -> str:
    from openpyxl.utils import get_column_letter

    return f"{get_column_letter(column)}{row}"


def _header_data(sheet: _Sheet, source: str) -> tuple[dict[str, Any], dict[tuple[Any, ...], Any]]:
    data: dict[str, Any] = {}
    places: dict[tuple[Any, ...], Any] = {}
    for number, values in sheet.rows:
        if number == 1:
            continue
        field, value = [*values, None, None][:2]
        if field is None:
            continue
        field = str(field)
        if field not in HEADER_FIELDS:
            raise FrameworkError(
                source,
                Message("unknown field (see docs/frameworks.md for the fields of each part)"),
                field=field,
                sheet=sheet.title,
                cell=_cell(1, number),
            )
        if field in data:
            raise FrameworkError(
                source,
                Message("the field {field!r} is given twice", field=field),
                field=field,
                sheet=sheet.title,
                cell=_cell(1, number),
            )
        if value is None:
            continue
        where = (sheet.title, _cell(2, number))
        if field in STRUCTURED:
            value = _yaml_cell(value, source, where, field)
        elif field in TEXT_FIELDS:
            value = _text(value)
        data[field] = value
        places[(field,)] = where
    return data, places


TEXT_FIELDS = frozenset({"id", "name", "name_en", "assessor", "version"})
"""Header fields that are texts, whatever a spreadsheet made of what was typed."""


def _text(value: Any) -> Any:
    """A number a spreadsheet made of a text typed (a code ``1``, a version ``2``) as that
    text; other values as they are (a date or a true is reported as not a text)."""
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return str(value)
    return value


def _yaml_cell(value: Any, source: str, where: tuple[str, str], field: str) -> Any:
    """A cell written in YAML (a header's part, a rule's parameters), its problems at the cell."""
    if not isinstance(value, str):
        return value
    try:
        return load_yaml(value, source)
    except FrameworkError as error:
        raise FrameworkError(
            source, error.message, field=field, sheet=where[0], cell=where[1]
        ) from None


def _criteria_data(
    sheet: _Sheet, source: str
) -> tuple[list[dict[str, Any]], dict[tuple[Any, ...], Any]]:
    """The criteria tree of the sheet, and each criterion's row: ``("criteria", 0,
    "children", 1)`` → (sheet, row, {column name: column number})."""
    if not sheet.rows:
        return [], {}
    first, titles = sheet.rows[0]
    columns: dict[str, int] = {}
    for index, title in enumerate(titles, start=1):
        if title is None:
            continue
        name = str(title)
        known = name in BEFORE_MAX or name in AFTER_MAX or name == "max"
        if not known and not (name.startswith("max ") and len(name) > 4):
            raise FrameworkError(
                source,
                Message("unknown column {name!r}", name=name),
                sheet=sheet.title,
                cell=_cell(index, first),
            )
        columns[name] = index
    for required in ("code", "name"):
        if required not in columns:
            raise FrameworkError(
                source,
                Message("the column {name!r} is missing", name=required),
                sheet=sheet.title,
                cell=_cell(1, first),
            )
    roots: list[dict[str, Any]] = []
    by_code: dict[str, tuple[dict[str, Any], tuple[Any, ...]]] = {}
    places: dict[tuple[Any, ...], Any] = {}
    for number, values in sheet.rows[1:]:
        node = _criterion(values, columns, number, sheet.title, source)
        parent = node.pop("parent", None)
        if parent is None:
            path: tuple[Any, ...] = ("criteria", len(roots))
            roots.append(node)
        else:
            if str(parent) not in by_code:
                raise FrameworkError(
                    source,
                    Message("the parent {code!r} is not a criterion on a row above", code=parent),
                    field="parent",
                    sheet=sheet.title,
                    cell=_cell(columns["parent"], number),
                )
            above, above_path = by_code[str(parent)]
            children = above.setdefault("children", [])
            path = (*above_path, "children", len(children))
            children.append(node)
        by_code.setdefault(str(node.get("code")), (node, path))
        places[path] = (sheet.title, number, columns)
    return roots, places


def _criterion(
    values: list[Any], columns: dict[str, int], number: int, title: str, source: str
) -> dict[str, Any]:
    def value(name: str) -> Any:
        index = columns.get(name)
        return values[index - 1] if index is not None and index <= len(values) else None

    def problem(message: str, name: str) -> FrameworkError:
        return FrameworkError(
            source, message, field=name, sheet=title, cell=_cell(columns[name], number)
        )

    node: dict[str, Any] = {}
    for name in BEFORE_MAX:
        if value(name) is not None:
            node[name] = _text(value(name))
    per_block = {
        name[4:]: value(name)
        for name in columns
        if name.startswith("max ") and value(name) is not None
    }
    if value("max") is not None and per_block:
        raise problem(Message("give either 'max' or a max per block, not both"), "max")
    if value("max") is not None:
        node["max"] = value("max")
    elif per_block:
        node["max"] = per_block
    if value("rule") is not None:
        node["rule"] = {"type": value("rule")}
    parameters = value("parameters")
    if parameters is not None:
        where = (title, _cell(columns["parameters"], number))
        read = _yaml_cell(parameters, source, where, "parameters")
        if not isinstance(read, dict):
            raise problem(
                Message("must be a mapping of fields (name: value), not {value}", value=read),
                "parameters",
            )
        node["rule"] = {**node.get("rule", {}), **read}
    for name in ("evidence_required", "not_applicable", "classify"):
        flag = value(name)
        if flag is None:  # a blank cell (stripped to None on reading): the field is not given
            continue
        if isinstance(flag, str) and yes_no(flag) is not None:
            flag = yes_no(flag)
        if not isinstance(flag, bool):
            raise problem(Message("{value} is not true or false", value=repr(flag)), name)
        node[name] = flag
    if value("not_applicable_policy") is not None:
        node["not_applicable_policy"] = value("not_applicable_policy")
    tags = value("tags")
    if tags is not None:
        node["tags"] = [tag.strip() for tag in str(tags).split(",") if tag.strip()]
    if value("classification") is not None:
        where = (title, _cell(columns["classification"], number))
        node["classification"] = _yaml_cell(
            value("classification"), source, where, "classification"
        )
    return node


def _located(
    source: str,
    loc: tuple[Any, ...],
    message: str,
    places: dict[tuple[Any, ...], Any],
    header: _Sheet,
    criteria: _Sheet,
) -> FrameworkError:
    """The error at the cell the location ``loc`` of the framework's data was read from."""
    shown = ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in loc)
    if loc[:1] != ("criteria",):
        where = places.get(loc[:1])
        if where is None:  # a field the header sheet does not give
            return FrameworkError(source, message, field=shown, sheet=header.title)
        return FrameworkError(source, message, field=shown, sheet=where[0], cell=where[1])
    node = max(
        (path for path in places if path[:1] == ("criteria",) and loc[: len(path)] == path),
        key=len,
        default=None,
    )
    if node is None:  # no criterion at all
        return FrameworkError(source, message, field=shown, sheet=criteria.title, cell="A2")
    title, number, columns = places[node]
    rest = [part for part in loc[len(node) :] if part not in ("all blocks", "per block")]
    column = _column_of(rest, columns)
    field = ".".join(f"[{part}]" if isinstance(part, int) else str(part) for part in rest)
    cell = _cell(columns[column], number) if column in columns else _cell(1, number)
    return FrameworkError(source, message, field=field or column, sheet=title, cell=cell)


def _column_of(rest: list[Any], columns: dict[str, int]) -> str:
    """The column a location inside a criterion (``rule.bands.bands.[1].min``) was read from."""
    if not rest:
        return "code"
    part = rest[0]
    if part == "max":
        block = rest[1] if len(rest) > 1 else None
        if isinstance(block, str) and f"max {block}" in columns:
            return f"max {block}"
        return "max" if "max" in columns else next((c for c in columns if c[:4] == "max "), "max")
    if part == "rule":
        return "rule" if len(rest) <= 2 or rest[-1] == "type" else "parameters"
    return str(part)
