"""Any text given as a framework file becomes a Framework or a FrameworkError (one line that
names the file): never another exception, whatever its anchors and aliases, nesting, numbers
or characters."""

from __future__ import annotations

from typing import Any

import yaml
from hypothesis import example, given
from hypothesis import strategies as st
from tests.fuzzing import fuzz

from chiso.core import Framework, FrameworkError, shipped_frameworks
from chiso.core.loader import load_yaml, parse_framework

SOURCE = "khung.yaml"
GOOD = shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8")
GOOD_DATA = yaml.safe_load(GOOD)

ODD_TEXT = st.text(
    st.characters(codec="utf-8", exclude_categories=["Cs"])
    | st.sampled_from(["\u202e", "\ufeff", "\u2028", "\x85", "\x00", "İ", "ß", "Đ", "ﬀ", "🇻", "🇳"]),
    max_size=30,
)
HUGE_NUMBERS = (
    st.sampled_from([10**400, -(10**400), 1e308, float("inf"), float("nan"), 2**63, -(2**63) - 1])
    | st.integers()
    | st.floats()
)
SCALARS = st.none() | st.booleans() | HUGE_NUMBERS | ODD_TEXT
VALUES = st.recursive(
    SCALARS,
    lambda inner: (
        st.lists(inner, max_size=4) | st.dictionaries(ODD_TEXT | st.integers(), inner, max_size=4)
    ),
    max_leaves=20,
)


def check(text: str) -> None:
    try:
        framework = parse_framework(text, SOURCE)
    except FrameworkError as error:
        assert str(error).startswith(SOURCE) and "\n" not in str(error), str(error)
        for found in [error, *error.others]:  # each also said in Vietnamese, on one line
            vietnamese = found.in_language("vi")
            assert vietnamese.startswith(SOURCE) and "\n" not in vietnamese, vietnamese
    else:
        assert isinstance(framework, Framework)


def dump(data: Any) -> str:
    return yaml.safe_dump(data, allow_unicode=True, sort_keys=False)


@fuzz(300)
@given(st.text(max_size=300))
@example("[" * 100_000)
@example("- " * 100_000 + "x")
@example("a: " * 50_000 + "x")
@example("{" * 5000 + "}" * 5000)
@example("x: !!python/object/apply:os.system [ls]")
@example("x: !!binary AAAA")
@example("x: 1e999999999\ny: .inf\nz: 0x" + "f" * 10_000)
def test_any_text_is_a_framework_or_a_framework_error(text: str) -> None:
    check(text)


def replaced(data: Any, path: list[int], value: Any) -> Any:
    """``data`` with the part that ``path`` picks (by index, at each level) set to ``value``."""
    if not path or not isinstance(data, dict | list) or not data:
        return value
    keys = list(data) if isinstance(data, dict) else list(range(len(data)))
    key = keys[path[0] % len(keys)]
    copy = dict(data) if isinstance(data, dict) else list(data)
    copy[key] = replaced(data[key], path[1:], value)  # type: ignore[index]
    return copy


@fuzz(300)
@given(path=st.lists(st.integers(0, 50), max_size=6), value=VALUES)
def test_a_framework_with_any_part_replaced(path: list[int], value: Any) -> None:
    check(dump(replaced(GOOD_DATA, path, value)))


@fuzz(200)
@given(
    width=st.integers(1, 12),
    depth=st.integers(1, 12),
    merge=st.booleans(),
    where=st.sampled_from(["top", "criterion", "rule", "max", "name"]),
)
def test_a_framework_with_nested_aliases(width: int, depth: int, merge: bool, where: str) -> None:
    lines = ["a0: &a0 " + ("{x: 1}" if merge else "[x]")]
    for level in range(1, depth + 1):
        if merge:
            body = (
                "{"
                + ", ".join(
                    f"<<: *a{level - 1}" if i == 0 else f"k{i}: *a{level - 1}" for i in range(width)
                )
                + "}"
            )
        else:
            body = "[" + ", ".join([f"*a{level - 1}"] * width) + "]"
        lines.append(f"a{level}: &a{level} {body}")
    bomb = f"*a{depth}"
    criterion = {
        "criterion": f"{{code: A, name: A, max: 1, extra: {bomb}}}",
        "rule": f"{{code: A, name: A, max: 1, rule: {bomb}}}",
        "max": f"{{code: A, name: A, max: {bomb}}}",
        "name": f"{{code: A, name: {bomb}, max: 1}}",
        "top": "{code: A, name: A, max: 1}",
    }[where]
    text = "\n".join(
        ["x:", *("  " + line for line in lines), "id: t", "name: T", "assessor: A", "year: 2026",
         "blocks: [{code: so, name: Sở}]", f"criteria: [{criterion}]"]
        + ([f"extra: {bomb}"] if where == "top" else [])
    )  # fmt: skip
    check(text + "\n")


@fuzz(300)
@given(VALUES)
def test_load_yaml_gives_the_data_or_a_framework_error(data: Any) -> None:
    try:
        text = dump(data)
    except (yaml.YAMLError, ValueError):  # what PyYAML cannot write (a float's nan is fine)
        return
    try:
        load_yaml(text, SOURCE)
    except FrameworkError as error:
        assert str(error).startswith(SOURCE)
