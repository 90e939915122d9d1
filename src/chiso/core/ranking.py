"""Ranks from ranking keys, under the three tie policies of the field.

* competition — tied units share the best rank and the next rank skips: 1, 1, 3 (Sơn La);
* dense — tied units share a rank and the next rank follows on: 1, 1, 2;
* ordinal — every unit has its own rank: 1, 2, 3 (Cao Bằng); ties left after the framework's
  tie breakers are put in the order of the units' names, so the result never depends on the
  order of input rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Literal

from chiso.core.tiers import name_sort_key

__all__ = ["TiePolicy", "rank", "rank_ranges"]

TiePolicy = Literal["competition", "dense", "ordinal"]


def _order(keys: Sequence[Any], names: Sequence[str]) -> list[int]:
    return sorted(range(len(keys)), key=lambda i: (_Desc(keys[i]), name_sort_key(names[i])))


def rank(keys: Sequence[Any], names: Sequence[str], ties: TiePolicy) -> list[int]:
    """The rank of each entry; a higher key is better. Keys must be mutually comparable."""
    order = _order(keys, names)
    ranks = [0] * len(keys)
    previous: Any = None
    current = 0
    for position, index in enumerate(order, start=1):
        key = keys[index]
        if ties == "ordinal":
            current = position
        elif position == 1 or key != previous:
            current = position if ties == "competition" else current + 1
        ranks[index] = current
        previous = key
    return ranks


def rank_ranges(keys: Sequence[Any], names: Sequence[str], ties: TiePolicy) -> list[range]:
    """The ranks each entry may rightly be printed with.

    One rank under competition and dense ranking; under ordinal ranking, any position within
    its group of equal keys (the methodology does not decide their order).
    """
    if ties != "ordinal":
        return [range(r, r + 1) for r in rank(keys, names, ties)]
    order = _order(keys, names)
    result: list[range] = [range(0)] * len(keys)
    start = 0
    while start < len(order):
        end = start
        while end + 1 < len(order) and keys[order[end + 1]] == keys[order[start]]:
            end += 1
        for index in order[start : end + 1]:
            result[index] = range(start + 1, end + 2)
        start = end + 1
    return result


class _Desc:
    """Sort key wrapper that reverses the order of its value."""

    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return bool(self.value > other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(self.value)
