"""Read a framework file (YAML) and report every problem with its file, line and field path."""

from __future__ import annotations

import re
from decimal import Decimal
from importlib import resources
from pathlib import Path
from typing import Any, get_args

import yaml
from pydantic import ValidationError

from chiso.core.framework import CODE_PATTERN, ID_PATTERN, Framework, InvalidAt, Rule

__all__ = [
    "FrameworkError",
    "load_framework",
    "locate",
    "parse_framework",
    "shipped_frameworks",
    "validation_message",
]


_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when present: 10× faster


class FrameworkError(Exception):
    """A framework file that cannot be used; ``str()`` is one line for a person."""

    def __init__(self, source: str, message: str, line: int | None = None, field: str = "") -> None:
        self.source = source
        self.line = line
        self.field = field
        self.message = message
        where = source if line is None else f"{source}, line {line}"
        super().__init__(f"{where}: {field + ': ' if field else ''}{message}")


def shipped_frameworks() -> dict[str, Path]:
    """The example frameworks that come with chiso, by id."""
    folder = resources.files("chiso") / "frameworks"
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith((".yaml", ".yml"))
    }


def load_framework(name_or_path: str | Path) -> Framework:
    """Load a framework file, or a shipped framework by its id (``binh-dinh-2021``)."""
    path = Path(name_or_path)
    shipped = shipped_frameworks()
    if not path.is_file() and str(name_or_path) in shipped:
        path = shipped[str(name_or_path)]
    elif not path.exists():
        known = ", ".join(sorted(shipped))
        raise FrameworkError(str(name_or_path), f"no such file (shipped frameworks: {known})")
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FrameworkError(str(path), f"cannot be read ({error.strerror})") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FrameworkError(
            str(path), f"is not UTF-8 text: save it as UTF-8 (byte {raw[error.start]:#x})", line
        ) from None
    return parse_framework(text, str(path))


def parse_framework(text: str, source: str = "<framework>") -> Framework:
    try:
        data = yaml.load(text, Loader=_LOADER)
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = error.problem or "malformed YAML"
        raise FrameworkError(source, f"malformed YAML: {problem}", line) from None
    except yaml.YAMLError as error:
        raise FrameworkError(source, f"malformed YAML: {error}") from None
    if not isinstance(data, dict):
        raise FrameworkError(source, "a framework file must be a mapping (id: …, criteria: …)", 1)
    try:
        return Framework.model_validate(data)
    except ValidationError as error:
        root = yaml.compose(text, Loader=_LOADER)  # the line numbers, only when needed
        first = error.errors()[0]
        loc = tuple(first["loc"])
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, InvalidAt):  # a check of a part that says where inside it
            loc += cause.loc
        elif first["type"] == "union_tag_not_found":  # a rule without its 'type'
            loc += ("type",)
        line, field = locate(root, loc)
        raise FrameworkError(source, validation_message(first), line, field) from None


def validation_message(error: Any) -> str:
    """One sentence for a person: chiso's own checks as they are, pydantic's reworded."""
    kind, context, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind in ("value_error", "assertion_error"):
        return re.sub(r"^(Value error|Assertion failed), ", "", str(error["msg"]))
    if kind == "missing":
        return "this field is required"
    if kind == "extra_forbidden":
        return "unknown field (see docs/frameworks.md for the fields of each part)"
    if kind == "invalid_key":  # a number as a field's name: {points: 1,5} reads as 5: null
        return (
            f"unknown field {_shown(value)} (inside {{…}} a comma starts another field: put a"
            " number written with a comma in quotes, e.g. '1,5')"
        )
    if kind == "union_tag_invalid":
        return f"unknown rule type {context.get('tag')!r} (known: {context.get('expected_tags')})"
    if kind == "union_tag_not_found":
        return f"this field is required (known: {_rule_types()})"
    if value is None and kind.endswith("_type"):
        return "this field is empty"
    if kind in ("decimal_parsing", "decimal_type", "finite_number"):
        return f"{_shown(value)} is not a number"
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return f"{_shown(value)} is not a whole number"
    if kind.startswith(("date_", "datetime_")):
        return f"{_shown(value)} is not a date: write it as year-month-day, e.g. 2021-12-31"
    if kind in ("bool_parsing", "bool_type"):
        return f"{_shown(value)} is not true or false"
    if kind == "string_type" and isinstance(value, bool):
        return f"must be text, not {_shown(value)} (YAML reads yes, no, on, off as true or false)"
    if kind == "string_type" and isinstance(value, (int, float, Decimal)):
        return f"must be text, not the number {_shown(value)}: put it in quotes"
    if kind == "string_type":
        return f"must be text, not {_shown(value)}"
    if kind == "string_too_short":
        return "must not be empty"
    if kind == "string_too_long":
        return f"must be at most {context.get('max_length')} characters long"
    if kind == "string_pattern_mismatch" and context.get("pattern") == ID_PATTERN:
        return (
            f"{_shown(value)} is not an id: use lowercase letters without accents, digits, '-',"
            " '_' and '.', beginning with a letter or a digit, e.g. binh-dinh-2021"
        )
    if kind == "string_pattern_mismatch" and context.get("pattern") == CODE_PATTERN:
        return f"{_shown(value)} is not a code: a code has no spaces, ':', ';' or ','"
    if kind == "literal_error":
        return f"must be {context.get('expected')}, not {_shown(value)}"
    if kind == "too_short":
        least = context.get("min_length")
        return f"needs at least {'one item' if least == 1 else f'{least} items'}"
    if kind == "list_type":
        return f"must be a list, not {_shown(value)}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"must be a mapping of fields (name: value), not {_shown(value)}"
    bounds = {
        "greater_than_equal": ("at least", "ge"),
        "greater_than": ("more than", "gt"),
        "less_than_equal": ("at most", "le"),
        "less_than": ("less than", "lt"),
    }
    if kind in bounds:
        words, name = bounds[kind]
        return f"must be {words} {context.get(name)}, not {_shown(value)}"
    return str(error["msg"])  # not met by a framework file so far: pydantic's own words


def _shown(value: Any) -> str:
    """A value as it looks in a YAML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return str(value)


def _rule_types() -> str:
    """The rule types, listed as pydantic lists them for an unknown one."""
    members = get_args(get_args(Rule)[0])
    return ", ".join(repr(get_args(m.model_fields["type"].annotation)[0]) for m in members)


def locate(root: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[int | None, str]:
    """The line and a readable path of a validation error's location in the YAML tree."""
    if root is None:
        return None, ""
    node, path = _walk(root, loc)
    return node.start_mark.line + 1, ".".join(path)


def _walk(node: yaml.Node, loc: tuple[Any, ...]) -> tuple[yaml.Node, list[str]]:
    """Follow ``loc`` down the YAML tree: the node that gives the line, and the path with list
    items named by their code.

    The line of a field is that of its name (a list or mapping below it starts on the next
    line), of a list item its own. Parts that are not in the file are skipped: a rule's type,
    which pydantic puts after 'rule', the shape of a 'max', '[key]' after a mapping's key; a
    missing field, the last part, is named at the line of the part that lacks it.
    """
    path: list[str] = []
    line: yaml.Node = node
    tagged: yaml.Node | None = None
    for index, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode):
            fields = {str(key.value): (key, value) for key, value in node.value}
            rule_type = _scalar(fields["type"][1]) if "type" in fields else None
            if node is not tagged and part == rule_type:
                tagged = node  # the rule's type, the tag of pydantic's union of rules
                continue
            if str(part) in fields:
                path.append(str(part))
                line, node = fields[str(part)]
            elif index == len(loc) - 1 and part != "[key]":
                path.append(str(part))  # a missing field: the line of the part that lacks it
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            line = node = node.value[part]
            path.append(_code_of(node) or f"[{part}]")
    return line, path


def _code_of(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "code":
                return _scalar(value)
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    return str(node.value) if isinstance(node, yaml.ScalarNode) else None
