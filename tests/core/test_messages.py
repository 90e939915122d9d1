"""The core's messages in Vietnamese: every sentence a framework error or a reader of files
(chiso.io) can carry has a translation in src/chiso/core/locale, the compiled catalogue matches it, and broken frameworks
are reported in Vietnamese at the same line and field as in English."""

from __future__ import annotations

import ast
import gettext
import string
from pathlib import Path

import pytest

import chiso.core
from chiso.core import FrameworkError, parse_framework
from chiso.core.messages import Message

CORE = Path(chiso.core.__file__).parent
CATALOGUE = CORE / "locale" / "vi" / "LC_MESSAGES"


def _raised_msgids() -> set[str]:
    """The templates of every ``Message("…", …)`` written in the core's source and in the
    readers of files (chiso.io), which say the problems of the files people give."""
    found = set()
    for path in [*CORE.glob("*.py"), *(CORE.parent / "io").glob("*.py")]:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        # a template may be a module's named constant (NOT_TEXT = "…")
        named = {
            target.id: node.value.value
            for node in tree.body
            if isinstance(node, ast.Assign)
            and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)
            for target in node.targets
            if isinstance(target, ast.Name)
        }
        for node in ast.walk(tree):
            if (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id == "Message"
                and node.args
            ):
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    found.add(first.value)
                elif isinstance(first, ast.Name) and first.id in named:
                    found.add(named[first.id])
    return found


def _po_entries() -> dict[str, str]:
    """msgid → msgstr of chiso.po (one-line and continued strings, no plural forms)."""
    entries: dict[str, str] = {}
    current = None
    parts: dict[str, list[str]] = {}
    for line in [*(CATALOGUE / "chiso.po").read_text(encoding="utf-8").splitlines(), ""]:
        if line.startswith(("msgid ", "msgstr ")):
            current, _, rest = line.partition(" ")
            parts[current] = [ast.literal_eval(rest)]
        elif line.startswith('"') and current:
            parts[current].append(ast.literal_eval(line))
        elif not line.strip() and "msgstr" in parts:
            key = "".join(parts["msgid"])
            if key:
                entries[key] = "".join(parts["msgstr"])
            parts, current = {}, None
    return entries


def _fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name is not None}


def test_every_message_of_the_core_and_the_readers_has_a_vietnamese_translation() -> None:
    entries = _po_entries()
    raised = _raised_msgids()
    assert len(raised) > 80
    assert sorted(raised - entries.keys()) == []
    assert sorted(entries.keys() - raised) == []  # no stale entry
    assert [msgid for msgid, text in entries.items() if not text] == []


def test_translations_keep_the_values_of_their_message() -> None:
    for msgid, text in _po_entries().items():
        try:
            fields = _fields(msgid)
        except ValueError:  # "expected ',' or '}'": a message without values, never formatted
            continue
        assert _fields(text) == fields, msgid


def test_the_compiled_catalogue_is_the_po_file() -> None:
    with (CATALOGUE / "chiso.mo").open("rb") as file:
        compiled = gettext.GNUTranslations(file)
    entries = _po_entries()
    for msgid, text in entries.items():
        assert compiled.gettext(msgid) == text, f"run msgfmt: {msgid!r} is out of date"
    # the .mo has no entry the .po lost: its catalogue holds the header and the entries
    assert len(compiled._catalog) == len(entries) + 1  # type: ignore[attr-defined]


def test_a_message_is_its_english_text_and_says_itself_in_vietnamese() -> None:
    message = Message("{value} is not a number", value="'x'")
    assert message == "'x' is not a number"
    assert message.in_language("vi") == "'x' không phải là số"
    assert message.in_language("en") == "'x' is not a number"
    assert Message("no translation {x}", x=1).in_language("vi") == "no translation 1"


FRAMEWORK = """\
id: thu
name: Bộ thử
assessor: Sở thử
year: 2026
blocks:
  - {code: so, name: Sở}
criteria:
  - code: A
    name: Nhóm A
    max: 3
    children:
      - code: A.1
        name: Có
        max: 1
        rule: {type: yes_no}
      - code: A.2
        name: Có nữa
        max: 1
        rule: {type: yes_no}
"""

BROKEN = [
    # (what, replace, by, line, field, English, Vietnamese)
    (
        "wrong field",
        "        rule: {type: yes_no}\n      - code: A.2",
        "        rul: {type: yes_no}\n      - code: A.2",
        15,
        "criteria.A.children.A.1.rul",
        "unknown field (did you mean 'rule'?)",
        "trường không xác định (có phải là 'rule'?)",
    ),
    (
        "duplicate code",
        "code: A.2",
        "code: A.1",
        16,
        "criteria.A.children.A.1.code",
        "criterion code 'A.1' is used twice",
        "mã tiêu chí 'A.1' được dùng hai lần",
    ),
    (
        "max mismatch",
        "max: 3",
        "max: 3",
        10,
        "criteria.A.max",
        "max 3 for block 'so' is not the sum of its children (2)",
        "điểm tối đa 3 của khối 'so' không bằng tổng của các tiêu chí con (2)",
    ),
    (
        "bad YAML",
        "name: Bộ thử",
        "name: Bộ: thử",
        2,
        "",
        "malformed YAML: mapping values are not allowed in this context (a text containing"
        """ ': ' must be put in quotes: name: "Bộ: thử")""",
        "YAML sai cú pháp: không được có giá trị trường ở đây (văn bản có ': ' phải được đặt"
        """ trong dấu nháy: name: "Bộ: thử")""",
    ),
    (
        "a number that is not one",
        "year: 2026",
        "year: hai nghìn",
        4,
        "year",
        "'hai nghìn' is not a whole number",
        "'hai nghìn' không phải là số nguyên",
    ),
]


@pytest.mark.parametrize(
    ("replace", "by", "line", "field", "english", "vietnamese"),
    [case[1:] for case in BROKEN],
    ids=[case[0] for case in BROKEN],
)
def test_broken_frameworks_are_reported_in_vietnamese(
    replace: str, by: str, line: int, field: str, english: str, vietnamese: str
) -> None:
    assert replace in FRAMEWORK
    with pytest.raises(FrameworkError) as caught:
        parse_framework(FRAMEWORK.replace(replace, by, 1), "thu.yaml")
    error = caught.value
    assert (error.line, error.field) == (line, field)
    assert error.message == english
    assert error.message_in("vi") == vietnamese
    assert str(error).startswith(f"thu.yaml, line {line}: ")
    assert error.in_language("vi").startswith(f"thu.yaml, dòng {line}: ")
    assert error.in_language("vi").endswith(vietnamese)


def test_the_problems_found_together_come_with_the_first() -> None:
    broken = FRAMEWORK.replace("year: 2026", "year: hai nghìn").replace("rule: {", "rul: {")
    with pytest.raises(FrameworkError) as caught:
        parse_framework(broken, "thu.yaml")
    found = [caught.value, *caught.value.others]
    assert [(error.line, error.field) for error in found] == [
        (4, "year"),
        (15, "criteria.A.children.A.1.rul"),
        (19, "criteria.A.children.A.2.rul"),
    ]
    assert str(caught.value) == "thu.yaml, line 4: year: 'hai nghìn' is not a whole number"
    assert found[1].message_in("vi") == "trường không xác định (có phải là 'rule'?)"


def test_every_documented_mistake_is_said_in_vietnamese() -> None:
    from tests.core.test_docs_frameworks import DOCUMENTED_MISTAKES, _replace_once

    for old, new in DOCUMENTED_MISTAKES:
        with pytest.raises(FrameworkError) as caught:
            parse_framework(_replace_once(old, new), "tinh-mau-2026.yaml")
        error = caught.value
        assert isinstance(error.message, Message), str(error)
        vietnamese = error.message_in("vi")
        assert vietnamese != error.message, str(error)
        assert error.in_language("vi") == (
            f"tinh-mau-2026.yaml, dòng {error.line}: {error.field}: {vietnamese}"
        )
