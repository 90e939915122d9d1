"""JSON documents with exact numbers: ``json.dumps``'s layout, a number written as its exact
text (:func:`chiso.io.results.json_number`) rather than through a binary float."""

from __future__ import annotations

import json
from typing import Any

__all__ = ["Number", "dump"]


class Number(str):
    """A number's exact text, written without quotes by :func:`dump`."""


def dump(value: Any) -> str:
    """``value`` (dicts, lists, texts, integers, booleans, None and :class:`Number`) as
    ``json.dumps(value, ensure_ascii=False)`` writes it, each :class:`Number` as a number."""
    if isinstance(value, Number):
        return str(value)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{dump(k)}: {dump(v)}" for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ", ".join(map(dump, value)) + "]"
    return json.dumps(value, ensure_ascii=False)
