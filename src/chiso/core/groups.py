"""The order of a group's own table (Bình Định's Bảng 1.1–1.6): units ranked on one group."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from chiso.core.model import UnitResult
from chiso.core.numbers import round_half_up
from chiso.core.ranking import TiePolicy
from chiso.core.tiers import name_sort_key

if TYPE_CHECKING:
    from chiso.core.framework import Framework

__all__ = ["group_ranking"]

# a report ranks the same units on every group: their name keys are computed once
_name_key = lru_cache(maxsize=1 << 16)(name_sort_key)


def group_ranking(
    framework: Framework, block: str, code: str, units: Sequence[UnitResult]
) -> list[tuple[UnitResult, int | None]]:
    """Units with their rank on group ``code``, best first.

    The group's value is measured as the block's ranking measures a total (its percentage of
    the unit's own maximum of the group, or its points), at the ranking's precision, with the
    block's tie policy; equal values in the order of the units' names (as
    :func:`chiso.core.ranking.rank` orders them). Units without data, and units for which the
    whole group does not apply (its maximum is 0), come last, with no rank.
    """
    ranking = framework.ranking_for(block)
    scored: list[tuple[Decimal, UnitResult]] = []
    rest: list[UnitResult] = []
    for unit in units:
        node = unit.nodes.get(code)
        value = None
        if unit.has_data and node is not None:
            value = node.percent if ranking.by == "percent" else node.score
        if value is None:
            rest.append(unit)
            continue
        if ranking.precision is not None:
            value = round_half_up(value, ranking.precision)
        scored.append((value, unit))
    scored.sort(key=lambda pair: (-pair[0], _name_key(pair[1].unit)))
    ranks = ranks_in_order([value for value, _ in scored], ranking.ties)
    rest.sort(key=lambda u: _name_key(u.unit))
    return [(unit, r) for (_, unit), r in zip(scored, ranks, strict=True)] + [
        (unit, None) for unit in rest
    ]


def ranks_in_order(keys: Sequence[Any], ties: TiePolicy) -> list[int]:
    """The ranks of keys already in ranking order (best first), under a tie policy: the
    ranks :func:`chiso.core.ranking.rank` gives, without sorting again."""
    ranks = []
    current = 0
    for position, key in enumerate(keys, start=1):
        if ties == "ordinal":
            current = position
        elif position == 1 or key != keys[position - 2]:
            current = position if ties == "competition" else current + 1
        ranks.append(current)
    return ranks
