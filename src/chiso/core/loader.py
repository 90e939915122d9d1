"""Read a framework file (YAML) and report every problem with its file, line and field path."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from chiso.core.framework import Framework

__all__ = ["FrameworkError", "load_framework", "parse_framework", "shipped_frameworks"]


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
        check = first["type"] in ("value_error", "assertion_error")  # one of chiso's checks
        line, field = _locate(root, first["loc"], first["msg"], check)
        message = _message(first).removeprefix(f"{field}: ")  # "criterion A: criterion A: …"
        raise FrameworkError(source, message, line, field) from None


def _message(error: Any) -> str:
    message = str(error["msg"])
    message = re.sub(r"^(Value error|Assertion failed), ", "", message)
    if error["type"] == "missing":
        return "this field is required"
    if error["type"] == "extra_forbidden":
        return "unknown field (see docs/frameworks.md for the fields of each part)"
    if error["type"] == "union_tag_invalid":
        context = error.get("ctx", {})
        return f"unknown rule type {context.get('tag')!r} (known: {context.get('expected_tags')})"
    return message


def _locate(
    root: yaml.Node | None, loc: tuple[Any, ...], message: str, check: bool = True
) -> tuple[int | None, str]:
    """The line and a readable path of a validation error's location in the YAML tree."""
    if root is None:
        return None, ""
    if not loc:
        # a check across the tree: its message names the criterion when there is one
        match = re.search(r"criterion code '([^']+)'", message) or re.search(
            r"criterion (\S+?):? ", message
        )
        if match:
            found = _find_code(root, match.group(1))
            if found is not None:
                return found.start_mark.line + 1, f"criterion {match.group(1)}"
    node, path = _walk(root, loc)
    if check:
        # a check of a whole part names the field or item it is about ('rule', the tiers, tier 2)
        node, more = _walk(node, _named_part(node, message))
        path += more
    return node.start_mark.line + 1, ".".join(path)


def _walk(node: yaml.Node, loc: tuple[Any, ...]) -> tuple[yaml.Node, list[str]]:
    path: list[str] = []
    for index, part in enumerate(loc):
        if isinstance(node, yaml.MappingNode) and isinstance(part, str):
            for key, value in node.value:
                if key.value == part:
                    path.append(part)
                    node = value
                    break
            else:
                if index == len(loc) - 1:
                    path.append(part)  # a missing field: the line of the part that lacks it
        elif (
            isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value)
        ):
            node = node.value[part]
            code = _code_of(node)
            path.append(code if code is not None else f"[{part}]")
    return node, path


def _named_part(node: yaml.Node, message: str) -> tuple[Any, ...]:
    if not isinstance(node, yaml.MappingNode):
        return ()
    fields = {key.value: value for key, value in node.value}
    for name in re.findall(r"'(\w+)'", message):
        if name in fields:
            return (name,)
    tier = re.search(r"\btier (\d+)\b", message)
    if tier and isinstance(fields.get("tiers"), yaml.SequenceNode):
        return ("tiers", int(tier.group(1)) - 1)
    for name, value in fields.items():
        if isinstance(value, yaml.SequenceNode) and re.search(rf"\b{re.escape(name)}\b", message):
            return (name,)
    return ()


def _code_of(node: yaml.Node) -> str | None:
    if isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            if key.value == "code" and isinstance(value, yaml.ScalarNode):
                return str(value.value)
    return None


def _find_code(node: yaml.Node, code: str) -> yaml.Node | None:
    """The last mapping whose ``code`` is ``code`` (the duplicate, when there are two)."""
    found: yaml.Node | None = None
    if isinstance(node, yaml.MappingNode):
        if _code_of(node) == code:
            found = node
        for _, value in node.value:
            found = _find_code(value, code) or found
    elif isinstance(node, yaml.SequenceNode):
        for item in node.value:
            found = _find_code(item, code) or found
    return found
