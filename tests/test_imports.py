"""No two modules of ``chiso`` import each other, directly or around a circle, not even from
inside a function: each layer can be read, tested and changed without the ones above it."""

from __future__ import annotations

from tests.imports import cycles, imports


def test_the_package_has_no_circle_of_imports() -> None:
    assert cycles(imports()) == []


def test_a_circle_is_found() -> None:
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert cycles(graph) == [["a", "b", "c"]]


def test_the_command_line_and_its_demo_import_one_way() -> None:
    graph = imports()
    assert "chiso.demo" in graph["chiso.cli"]
    assert "chiso.cli" not in graph["chiso.demo"]
