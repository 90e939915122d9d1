"""Read a framework file (YAML) and report every problem with its file, line and field path."""

from __future__ import annotations

import re
import types
from collections.abc import Iterator
from decimal import Decimal
from difflib import get_close_matches
from importlib import resources
from pathlib import Path
from typing import Annotated, Any, Literal, Union, get_args, get_origin

import yaml
from pydantic import BaseModel, Tag, ValidationError

from chiso.core.framework import CODE_PATTERN, ID_PATTERN, Framework, InvalidAt, Rule
from chiso.core.messages import Message, say

__all__ = [
    "MAX_CRITERIA",
    "MAX_YAML_BYTES",
    "MAX_YAML_NODES",
    "FrameworkError",
    "load_framework",
    "load_yaml",
    "locate",
    "parse_framework",
    "shipped_frameworks",
    "validation_message",
    "validation_problem",
    "validation_problems",
]


_BASE_LOADER: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml: 10× faster
_MERGE = "tag:yaml.org,2002:merge"


class _DuplicateKey(Exception):
    """A mapping of the file has a key twice; where, is found on the node tree afterwards."""


class _Loader(_BASE_LOADER):  # type: ignore[misc]
    """The safe loader, refusing a mapping with a key written twice: YAML would keep the last
    value silently.

    A duplicate is seen as a mapping with fewer entries than the file gives it, which costs one
    comparison per mapping; only a mapping with a merge key (``<<: *anchor``), whose merged
    entries may be overridden, compares its own keys.
    """

    def construct_mapping(self, node: yaml.MappingNode, deep: bool = False) -> dict[Any, Any]:
        own = node.value  # flatten_mapping removes merge keys from this list, adds merged ones
        mapping: dict[Any, Any] = super().construct_mapping(node, deep=deep)
        if node.value is own:  # no merge key
            repeated = len(mapping) < len(own)
        else:
            keys = [self.construct_object(key, deep=deep) for key, _ in own]
            repeated = len(set(keys)) < len(keys)
        if repeated:
            raise _DuplicateKey
        return mapping


_LOADER: Any = _Loader


class FrameworkError(Exception):
    """A framework file that cannot be used; ``str()`` is one line for a person."""

    def __init__(
        self,
        source: str,
        message: str,
        line: int | None = None,
        field: str = "",
        *,
        sheet: str | None = None,
        cell: str | None = None,
    ) -> None:
        self.source = source
        self.line = line
        self.field = field
        self.message = message
        self.sheet = sheet
        """In a framework workbook: the sheet, and the cell (``H12``) when one is at fault."""
        self.cell = cell
        self.others: list[FrameworkError] = []
        """The framework's other problems found with this one (``str()`` names only this)."""
        super().__init__(f"{self._where('en')}: {field + ': ' if field else ''}{message}")

    def message_in(self, language: str) -> str:
        """The message (without file, line and field) in ``language``: ``"en"`` or ``"vi"``."""
        return str(say(self.message, language))

    def in_language(self, language: str) -> str:
        """The whole line, as ``str()`` gives it in English, in ``language``."""
        field = f"{self.field}: " if self.field else ""
        return f"{self._where(language)}: {field}{self.message_in(language)}"

    def _where(self, language: str) -> str:
        if self.sheet is not None and self.cell is not None:
            where = Message(
                "{source}, sheet {sheet!r}, cell {cell}",
                source=self.source,
                sheet=self.sheet,
                cell=self.cell,
            )
        elif self.sheet is not None:
            where = Message("{source}, sheet {sheet!r}", source=self.source, sheet=self.sheet)
        elif self.line is not None:
            where = Message("{source}, line {line}", source=self.source, line=self.line)
        else:
            return self.source
        return where.in_language(language)


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
        raise FrameworkError(
            str(name_or_path), Message("no such file (shipped frameworks: {known})", known=known)
        )
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise FrameworkError(
            str(path), Message("cannot be read ({reason})", reason=error.strerror)
        ) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = raw[: error.start].count(b"\n") + 1
        raise FrameworkError(
            str(path),
            Message("is not UTF-8 text: save it as UTF-8 (byte {byte:#x})", byte=raw[error.start]),
            line,
        ) from None
    return parse_framework(text, str(path))


MAX_YAML_BYTES = 1024 * 1024
"""The largest framework or report template file: the national DTI's is 4 KB; a province's
with long descriptions stays far below this."""
MAX_YAML_NODES = 200_000
"""The most values a file may hold once its aliases (``*anchor``) are expanded: a few hundred
bytes of nested aliases would otherwise stand for billions of values."""
MAX_CRITERIA = 5_000
"""The most criteria and groups a framework may have (the national DTI has about 100)."""


def load_yaml(text: str, source: str) -> Any:
    """The data of a YAML file (a framework, a report template): malformed YAML, with a hint
    for the common mistakes, and a key written twice in a mapping raise FrameworkError at
    their line. A file over :data:`MAX_YAML_BYTES`, or holding more than
    :data:`MAX_YAML_NODES` values with its aliases expanded, is refused before anything is
    built from it."""
    if len(text) > MAX_YAML_BYTES:
        raise FrameworkError(
            source,
            Message("the file is larger than {size} MB", size=MAX_YAML_BYTES // (1024 * 1024)),
            None,
        )
    loader = _LOADER(text)
    try:
        node = loader.get_single_node()
        if node is not None and _expanded_size(node) > MAX_YAML_NODES:
            raise FrameworkError(
                source,
                Message(
                    "the file holds more than {count:,} values once its aliases (*name) are"
                    " expanded",
                    count=MAX_YAML_NODES,
                ),
                None,
            )
        return None if node is None else loader.construct_document(node)
    except _DuplicateKey:
        raise _duplicate_key_error(text, source) from None
    except yaml.MarkedYAMLError as error:
        mark = error.problem_mark or error.context_mark
        line = mark.line + 1 if mark is not None else None
        problem = _YAML_PROBLEMS.get(error.problem or "", error.problem or "malformed YAML")
        hint = _yaml_hint(text, problem, mark, error.context_mark) if mark is not None else ""
        raise FrameworkError(
            source, Message("malformed YAML: {problem}{hint}", problem=problem, hint=hint), line
        ) from None
    except yaml.reader.ReaderError as error:  # a control character; its str() has two lines
        line = text[: error.position].count("\n") + 1
        character = f" (#x{error.character:04x})" if isinstance(error.character, int) else ""
        raise FrameworkError(
            source,
            Message("malformed YAML: {problem}{hint}", problem=error.reason, hint=character),
            line,
        ) from None
    except yaml.YAMLError as error:
        raise FrameworkError(
            source, Message("malformed YAML: {problem}{hint}", problem=str(error), hint="")
        ) from None
    finally:
        loader.dispose()


def _count_criteria(criteria: list[Any]) -> int:
    """How many criteria and groups the tree of ``criteria`` has (the file is already within
    :data:`MAX_YAML_NODES`, so this walk is bounded)."""
    count, stack = 0, list(criteria)
    while stack:
        item = stack.pop()
        count += 1
        children = item.get("children") if isinstance(item, dict) else None
        if isinstance(children, list):
            stack.extend(children)
    return count


def _expanded_size(root: yaml.Node) -> int:
    """How many nodes the tree under ``root`` has with every alias expanded, counting each
    distinct node once (so in time linear in the file) and stopping past the limit."""
    sizes: dict[int, int] = {}
    opened: set[int] = set()
    stack: list[tuple[yaml.Node, bool]] = [(root, False)]
    while stack:
        node, children_done = stack.pop()
        if id(node) in sizes:
            continue
        if not children_done:
            if id(node) in opened:  # an alias inside its own anchor: endless once expanded
                return MAX_YAML_NODES + 1
            opened.add(id(node))
        children: list[yaml.Node] = []
        if isinstance(node, yaml.MappingNode):
            children = [part for pair in node.value for part in pair]
        elif isinstance(node, yaml.SequenceNode):
            children = list(node.value)
        if not children_done:
            stack.append((node, True))
            stack.extend((child, False) for child in children if id(child) not in sizes)
            continue
        size = 1 + sum(sizes[id(child)] for child in children)
        if size > MAX_YAML_NODES:
            return size
        sizes[id(node)] = size
    return sizes[id(root)]


def parse_framework(text: str, source: str = "<framework>") -> Framework:
    data = load_yaml(text, source)
    if not isinstance(data, dict):
        raise FrameworkError(
            source, Message("a framework file must be a mapping (id: …, criteria: …)"), 1
        )
    criteria = data.get("criteria")
    if isinstance(criteria, list) and _count_criteria(criteria) > MAX_CRITERIA:
        raise FrameworkError(
            source,
            Message("more than {count:,} criteria and groups", count=MAX_CRITERIA),
            None,
            "criteria",
        )
    try:
        return Framework.model_validate(data)
    except ValidationError as error:
        root = yaml.compose(text, Loader=_LOADER)  # the line numbers, only when needed
        (loc, message), *others = validation_problems(error)
        line, field = locate(root, loc)
        found = FrameworkError(source, message, line, field)
        found.others = [FrameworkError(source, m, *locate(root, where)) for where, m in others]
        raise found from None


def validation_problem(error: ValidationError) -> tuple[tuple[Any, ...], str]:
    """The one problem to report of a framework's failed validation: where it is in the
    framework's data (field names and list positions) and its sentence."""
    problems = error.errors()
    return _problem(_first_problem(problems), problems)


MAX_PROBLEMS = 50
"""The most problems of one framework listed together (the web's upload page lists them)."""


def validation_problems(error: ValidationError) -> list[tuple[tuple[Any, ...], str]]:
    """Every problem of a framework's failed validation, :func:`validation_problem`'s first,
    then the others in pydantic's order, at most :data:`MAX_PROBLEMS`: a required field that a
    misspelt one stands for is left out, and a problem reported at the same place once. Checks
    that compare several parts of the framework run only on parts that are valid, so fixing
    these may bring others to light."""
    problems = error.errors()
    first = _first_problem(problems)
    misspelt = {
        tuple(problem["loc"][:-1]) for problem in problems if problem["type"] == "extra_forbidden"
    }
    found = [_problem(first, problems)]
    for problem in problems:
        if len(found) >= MAX_PROBLEMS:
            break
        if problem is first or (
            problem["type"] == "missing" and tuple(problem["loc"][:-1]) in misspelt
        ):
            continue
        loc, message = _problem(problem, problems)
        if all(loc != seen for seen, _ in found):
            found.append((loc, message))
    return found


def _problem(first: Any, problems: list[Any]) -> tuple[tuple[Any, ...], str]:
    loc = tuple(first["loc"])
    message = validation_message(first)
    cause = first.get("ctx", {}).get("error")
    if isinstance(cause, InvalidAt):  # a check of a part that says where inside it
        loc += cause.loc
    elif first["type"] == "union_tag_not_found":  # a rule without its 'type'
        loc += ("type",)
    elif first["type"] == "extra_forbidden" and isinstance(loc[-1], str):
        message = _unknown_field_message(loc, problems)
    return loc, message


_YAML_PROBLEMS = {
    str(problem): problem
    for problem in (
        Message("mapping values are not allowed here"),
        Message("mapping values are not allowed in this context"),
        Message("could not find expected ':'"),
        Message("did not find expected key"),
        Message("did not find expected '-' indicator"),
        Message("did not find expected ',' or '}'"),
        Message("found character that cannot start any token"),
        Message("found undefined alias"),
        Message("found unexpected end of stream"),
        Message("did not find expected node content"),
    )
}
"""The parser's most frequent complaints, to say them in the reader's language."""

_LINE_BREAK = re.compile(r"\r\n|[\n\r\x85\u2028\u2029]")
_FIELD = re.compile(r"[ \t]*(?:-[ \t]+)*([^\s#'\"{\[\-:][^:#]*?)[ \t]*:(?:[ \t]+|$)")
"""The start of a line that begins a field: its indentation, list dashes, the name, ':'."""


def _yaml_hint(text: str, problem: str, mark: Any, context: Any) -> str:
    """A hint, in parentheses, for what a YAML parser's complaint most often means in a
    framework file: a text with ': ' not in quotes, a field's name without ': ' after it, a
    line indented differently from the fields of its part. The parser's words are libyaml's
    or (without it) PyYAML's; ``mark`` is where it stopped, ``context`` where what it could
    not finish began."""
    lines = _LINE_BREAK.split(text)
    if mark.line >= len(lines):
        return ""
    if problem == "could not find expected ':'" and context is not None:  # a simple key
        key = context.line
        if key < len(lines) and _no_space_after_colon(lines[key]):
            return Message(" (put a space after the ':' on line {line})", line=key + 1)
        return Message(" (line {line} has no ': ' after the name of a field)", line=key + 1)
    line = lines[mark.line]
    field = _FIELD.match(line)
    above = _line_above(lines, mark.line)
    if problem.startswith("mapping values are not allowed"):
        if field is not None and field.end() <= mark.column:  # a second ': ' on its line
            name = field.group(1)
            value = re.split(r"\s#", line[field.end() :])[0].strip()  # without a comment
            quote = "'" if '"' in value else '"'
            value = value.replace("'", "''") if quote == "'" else value
            template = (
                Message(" (a text containing ': ' must be put in quotes: {quoted})")
                if ": " in value
                else Message(" (a text ending in ':' must be put in quotes: {quoted})")
            )
            return Message(template, quoted=f"{name}: {quote}{value}{quote}")
        if above is not None and _no_space_after_colon(lines[above]):
            return Message(" (put a space after the ':' on line {line})", line=above + 1)
        return _indent_hint(lines, line, field, above, "right")
    if problem.startswith(("did not find expected ',' or '}'", "expected ',' or '}'")):
        entry = re.split(r"[{,]", line[: mark.column])[-1]
        if line[mark.column : mark.column + 1] == ":" and ": " in entry:  # {name: a: b}
            return Message(" (a text containing ': ' must be put in quotes)")
        return ""
    if problem in (
        "did not find expected '-' indicator",
        "did not find expected key",
    ) or problem.startswith("expected <block end>"):
        return _indent_hint(lines, line, field, above, "left")
    return ""


def _no_space_after_colon(line: str) -> bool:
    """Whether a line looks like a field with no space after its name's ':' (name:value)."""
    content = line.strip()
    return ":" in content and ": " not in content and not content.endswith(":")


def _line_above(lines: list[str], number: int) -> int | None:
    """The index of the nearest line above ``number`` with something on it but a comment."""
    for index in range(number - 1, -1, -1):
        content = lines[index].strip()
        if content and not content.startswith("#"):
            return index
    return None


def _indent_hint(
    lines: list[str], line: str, field: re.Match[str] | None, above: int | None, side: str
) -> Message:
    """Check the indentation; the columns of this line's field and the one above when the
    line is one field of a part and starts on that ``side`` of the field above."""
    if above is None or field is None or line.lstrip().startswith("-"):
        return Message(" (check the indentation of this line and the one above)")
    upper = _FIELD.match(lines[above])
    shift = field.start(1) - upper.start(1) if upper is not None else 0
    if upper is None or shift == 0 or (shift > 0) != (side == "right"):
        return Message(" (check the indentation of this line and the one above)")
    template = (
        Message(
            " (check the indentation: {field!r} is {spaces} right of {upper!r} on line {line};"
            " the fields of one part line up)"
        )
        if side == "right"
        else Message(
            " (check the indentation: {field!r} is {spaces} left of {upper!r} on line {line};"
            " the fields of one part line up)"
        )
    )
    spaces = Message("1 space") if abs(shift) == 1 else Message("{count} spaces", count=abs(shift))
    return Message(
        template, field=field.group(1), spaces=spaces, upper=upper.group(1), line=above + 1
    )


def _duplicate_key_error(text: str, source: str) -> FrameworkError:
    """The first key of the file written a second time in its mapping, at that second line."""
    keys = _LOADER("")  # to compare keys as YAML reads them: 'max' and "max" are one key
    found: list[tuple[yaml.Node, yaml.Node, Any, list[str]]] = []
    for node, path in _mappings(yaml.compose(text, Loader=_LOADER), [], set()):
        seen: dict[Any, yaml.Node] = {}
        for key_node, _ in node.value:
            if key_node.tag == _MERGE:
                continue
            try:
                key = keys.construct_object(key_node, deep=True)
                earlier = seen.setdefault(key, key_node)
            except (TypeError, yaml.YAMLError):  # a key that is not a plain value
                continue
            if earlier is not key_node:
                found.append((key_node, earlier, key, path))
                break
    if not found:  # not met: the loader saw a mapping with fewer keys than written
        return FrameworkError(source, Message("a key is written twice in a mapping"))
    second, first, key, path = min(found, key=lambda item: item[0].start_mark.index)
    return FrameworkError(
        source,
        Message(
            "duplicate key {key} (also on line {line})",
            key=_shown(key),
            line=first.start_mark.line + 1,
        ),
        second.start_mark.line + 1,
        ".".join([*path, str(key)]),
    )


def _mappings(
    node: yaml.Node | None, path: list[str], seen: set[int]
) -> Iterator[tuple[yaml.MappingNode, list[str]]]:
    """The mappings of a YAML tree in the order of the file, each once (an alias repeats one),
    with its path (list items named by their code)."""
    if id(node) in seen:
        return
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        yield node, path
        for key, value in node.value:
            yield from _mappings(value, [*path, str(key.value)], seen)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            yield from _mappings(item, [*path, _code_of(item) or f"[{index}]"], seen)


def _first_problem(problems: list[Any]) -> Any:
    """The problem to report: the first, but a misspelt field rather than the required field
    it was meant to be ({mim: 60} lacks 'min' because of 'mim')."""
    first = problems[0]
    if first["type"] == "missing":
        part = tuple(first["loc"][:-1])
        for problem in problems:
            if problem["type"] == "extra_forbidden" and tuple(problem["loc"][:-1]) == part:
                return problem
    return first


def _unknown_field_message(loc: tuple[Any, ...], problems: list[Any]) -> str:
    """An unknown field, with the known field of the same part it most looks like."""
    part = loc[:-1]
    missing = [
        str(p["loc"][-1])
        for p in problems
        if p["type"] == "missing" and tuple(p["loc"][:-1]) == part
    ]
    guess = _closest(str(loc[-1]), missing) or _closest(str(loc[-1]), _fields_at(Framework, part))
    if guess is None:
        return validation_message({"type": "extra_forbidden"})
    return Message("unknown field (did you mean {guess!r}?)", guess=guess)


def _closest(word: str, known: list[str]) -> str | None:
    matches = get_close_matches(word, known, n=1)
    return matches[0] if matches else None


def _fields_at(model: type[BaseModel], loc: tuple[Any, ...]) -> list[str]:
    """The fields of the part at ``loc`` (a pydantic error location) in ``model``; none when
    the part is not a model."""
    annotation: Any = model
    for part in loc:
        annotation = _inside(annotation, part)
        if annotation is None:
            return []
    kinds = [kind for _, kind in _members(annotation)]
    if len(kinds) == 1 and isinstance(kinds[0], type) and issubclass(kinds[0], BaseModel):
        return list(kinds[0].model_fields)
    return []


def _inside(annotation: Any, part: Any) -> Any:
    """The type of ``part`` (a field, a list position, a key, a union's tag) of a value of type
    ``annotation``; None when not known."""
    members = _members(annotation)
    if len(members) != 1:  # a union's tag: a rule's type, or the shape of a 'max'
        return next((kind for tag, kind in members if tag is not None and tag == part), None)
    kind = members[0][1]
    if isinstance(kind, type) and issubclass(kind, BaseModel):
        field = kind.model_fields.get(part) if isinstance(part, str) else None
        return field.annotation if field is not None else None
    origin, args = get_origin(kind), get_args(kind)
    if origin is list and isinstance(part, int):
        return args[0]
    if origin is dict and isinstance(part, str):
        return args[1]
    return None


def _members(annotation: Any, tag: str | None = None) -> list[tuple[str | None, Any]]:
    """The types a value of type ``annotation`` may have, each with the tag under which
    pydantic names it in a tagged union: unions flattened, None and Annotated left out."""
    if get_origin(annotation) is Annotated:
        base, *metadata = get_args(annotation)
        tags = [item.tag for item in metadata if isinstance(item, Tag)]
        return _members(base, tags[0] if tags else tag)
    if get_origin(annotation) in (Union, types.UnionType):
        return [member for arg in get_args(annotation) for member in _members(arg)]
    if annotation is type(None):
        return []
    if tag is None and isinstance(annotation, type) and issubclass(annotation, BaseModel):
        field = annotation.model_fields.get("type")  # a rule: tagged by its type
        if field is not None and get_origin(field.annotation) is Literal:
            tag = str(get_args(field.annotation)[0])
    return [(tag, annotation)]


def validation_message(error: Any) -> str:
    """One sentence for a person: chiso's own checks as they are, pydantic's reworded."""
    kind, context, value = error["type"], error.get("ctx", {}), error.get("input")
    if kind in ("value_error", "assertion_error"):
        cause = context.get("error")
        if isinstance(cause, Exception) and cause.args and isinstance(cause.args[0], Message):
            return cause.args[0]
        return re.sub(r"^(Value error|Assertion failed), ", "", str(error["msg"]))
    if kind == "missing":
        return Message("this field is required")
    if kind == "extra_forbidden":
        return Message("unknown field (see docs/frameworks.md for the fields of each part)")
    if kind == "invalid_key":  # a number as a field's name: {points: 1,5} reads as 5: null
        return Message(
            "unknown field {value} (inside {{…}} a comma starts another field: put a number"
            " written with a comma in quotes, e.g. '1,5')",
            value=_shown(value),
        )
    if kind == "union_tag_invalid":
        tag = str(context.get("tag"))
        guess = _closest(tag, _rule_type_names())
        known = context.get("expected_tags")
        if guess:
            return Message(
                "unknown rule type {tag!r} (did you mean {guess!r}? known: {known})",
                tag=tag,
                guess=guess,
                known=known,
            )
        return Message("unknown rule type {tag!r} (known: {known})", tag=tag, known=known)
    if kind == "union_tag_not_found":
        return Message("this field is required (known: {known})", known=_rule_types())
    if value is None and kind.endswith("_type"):
        return Message("this field is empty")
    if kind in ("decimal_parsing", "decimal_type", "finite_number"):
        return Message("{value} is not a number", value=_shown(value))
    if kind in ("int_parsing", "int_type", "int_from_float"):
        return Message("{value} is not a whole number", value=_shown(value))
    if kind.startswith(("date_", "datetime_")):
        return Message(
            "{value} is not a date: write it as year-month-day, e.g. 2021-12-31",
            value=_shown(value),
        )
    if kind in ("bool_parsing", "bool_type"):
        return Message("{value} is not true or false", value=_shown(value))
    if kind == "string_type" and isinstance(value, bool):
        return Message(
            "must be text, not {value} (YAML reads yes, no, on, off as true or false)",
            value=_shown(value),
        )
    if kind == "string_type" and isinstance(value, (int, float, Decimal)):
        return Message(
            "must be text, not the number {value}: put it in quotes", value=_shown(value)
        )
    if kind == "string_type":
        return Message("must be text, not {value}", value=_shown(value))
    if kind == "string_too_short":
        return Message("must not be empty")
    if kind == "string_too_long":
        return Message("must be at most {count} characters long", count=context.get("max_length"))
    if kind == "string_pattern_mismatch" and context.get("pattern") == ID_PATTERN:
        return Message(
            "{value} is not an id: use lowercase letters without accents, digits, '-', '_' and"
            " '.', beginning with a letter or a digit, e.g. binh-dinh-2021",
            value=_shown(value),
        )
    if kind == "string_pattern_mismatch" and context.get("pattern") == CODE_PATTERN:
        return Message(
            "{value} is not a code: a code has no spaces, ':', ';' or ','", value=_shown(value)
        )
    if kind == "literal_error":
        return Message(
            "must be {expected}, not {value}",
            expected=context.get("expected"),
            value=_shown(value),
        )
    if kind == "too_short":
        least = context.get("min_length")
        if least == 1:
            return Message("needs at least one item")
        return Message("needs at least {count} items", count=least)
    if kind == "list_type":
        return Message("must be a list, not {value}", value=_shown(value))
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return Message(
            "must be a mapping of fields (name: value), not {value}", value=_shown(value)
        )
    bounds = {
        "greater_than_equal": (Message("must be at least {bound}, not {value}"), "ge"),
        "greater_than": (Message("must be more than {bound}, not {value}"), "gt"),
        "less_than_equal": (Message("must be at most {bound}, not {value}"), "le"),
        "less_than": (Message("must be less than {bound}, not {value}"), "lt"),
    }
    if kind in bounds:
        template, name = bounds[kind]
        return Message(template, bound=context.get(name), value=_shown(value))
    return str(error["msg"])  # not met by a framework file so far: pydantic's own words


def _shown(value: Any) -> str:
    """A value as it looks in a YAML file."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, list):
        return Message("a list")
    if isinstance(value, dict):
        return Message("a mapping")
    return str(value)


def _rule_type_names() -> list[str]:
    members = get_args(get_args(Rule)[0])
    return [get_args(m.model_fields["type"].annotation)[0] for m in members]


def _rule_types() -> str:
    """The rule types, listed as pydantic lists them for an unknown one."""
    return ", ".join(repr(name) for name in _rule_type_names())


def locate(root: yaml.Node | None, loc: tuple[Any, ...]) -> tuple[int | None, str]:
    """The line and a readable path of a validation error's location in the YAML tree."""
    if root is None:
        return None, ""
    node, path = _walk(root, loc)
    # a name with a line break or another unprintable character, quoted: the error stays one line
    return node.start_mark.line + 1, ".".join(p if p.isprintable() else repr(p) for p in path)


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
