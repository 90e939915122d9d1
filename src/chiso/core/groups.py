"""The order of a group's own table (Bình Định's Bảng 1.1–1.6): units ranked on one group."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from chiso.core.model import UnitResult
from chiso.core.numbers import round_half_up
from chiso.core.ranking import rank
from chiso.core.tiers import name_sort_key

if TYPE_CHECKING:
    from chiso.core.framework import Framework

__all__ = ["group_ranking"]


def group_ranking(
    framework: Framework, block: str, code: str, units: Sequence[UnitResult]
) -> list[tuple[UnitResult, int | None]]:
    """Units with their rank on group ``code``, best first.

    The group's value is measured as the block's ranking measures a total (its percentage of
    the unit's own maximum of the group, or its points), at the ranking's precision, with the
    block's tie policy; equal values in the order of the units' names. Units without data,
    and units for which the whole group does not apply (its maximum is 0), come last, with no
    rank.
    """
    ranking = framework.ranking_for(block)
    scored: list[tuple[UnitResult, Decimal]] = []
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
        scored.append((unit, value))
    ranks = rank([v for _, v in scored], [u.unit for u, _ in scored], ranking.ties)
    ordered = sorted(
        zip(scored, ranks, strict=True), key=lambda p: (p[1], name_sort_key(p[0][0].unit))
    )
    rest.sort(key=lambda u: name_sort_key(u.unit))
    return [(unit, r) for (unit, _), r in ordered] + [(unit, None) for unit in rest]
