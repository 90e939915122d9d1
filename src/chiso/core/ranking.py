"""The ranking rule, written once: what a unit is ranked on, its key and its rank.

A framework's ``ranking`` (per block) says what the units are ranked on and how ties are
decided; :class:`RankingRule` is that rule for one block. The table of totals, every group's
own table (Bình Định's Bảng 1.1–1.6), the audit of a published table and the web all rank
through it:

* the **measure**: the unit's points, or its percentage on the framework's display scale
  (0–100, or 0–1 for the national DTI's "0,7412"), then rounded half up at the ranking's
  precision — two units equal as printed at that precision are tied;
* the **key**: the measure, then the tie breakers (criteria's points, the points, the
  percentage), higher first;
* the **ranks**, under the three tie policies of the field:

  * competition — tied units share the best rank and the next rank skips: 1, 1, 3 (Sơn La);
  * dense — tied units share a rank and the next rank follows on: 1, 1, 2;
  * ordinal — every unit has its own rank: 1, 2, 3 (Cao Bằng); ties left after the
    framework's tie breakers are put in the order of the units' names, so the result never
    depends on the order of input rows.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Decimal
from functools import lru_cache
from typing import TYPE_CHECKING, Any, Literal

from chiso.core.numbers import ZERO, round_half_up
from chiso.core.tiers import display_value, name_sort_key

if TYPE_CHECKING:
    from chiso.core.framework import Framework
    from chiso.core.model import NodeResult, UnitResult

__all__ = [
    "RankingRule",
    "TiePolicy",
    "group_ranking",
    "rank",
    "rank_bounds",
    "rank_ranges",
    "ranks_in_order",
]

TiePolicy = Literal["competition", "dense", "ordinal"]

# a report ranks the same units on every group: their name keys are computed once
_name_key = lru_cache(maxsize=1 << 16)(name_sort_key)


@dataclass(frozen=True, slots=True)
class RankingRule:
    """How the units of one block are ranked (see the module's documentation)."""

    by: Literal["percent", "points"]
    ties: TiePolicy
    precision: int | None
    scale: Literal["percent", "ratio"]
    tie_breakers: tuple[str, ...] = ()

    @classmethod
    def of(cls, framework: Framework, block: str) -> RankingRule:
        ranking = framework.ranking_for(block)
        return cls(
            by=ranking.by,
            ties=ranking.ties,
            precision=ranking.precision,
            scale=framework.display.scale,
            tie_breakers=tuple(ranking.tie_breakers),
        )

    def measure(self, points: Decimal, percent: Decimal | None) -> Decimal:
        """The value a unit (or a unit's group) is ranked on: its points, or its percentage
        (None: of a maximum of 0, taken as 0) on the display scale; at the precision."""
        value = points if self.by == "points" else display_value(percent or ZERO, self.scale)
        return value if self.precision is None else round_half_up(value, self.precision)

    def key(
        self, points: Decimal, percent: Decimal | None, parts: Mapping[str, Decimal]
    ) -> tuple[Decimal, ...]:
        """What a unit is ranked on, higher first: the measure, then the tie breakers
        (``parts`` gives the criteria's points; a criterion without a result counts 0)."""
        breakers = []
        for name in self.tie_breakers:
            if name == "points":
                breakers.append(points)
            elif name == "percent":
                breakers.append(display_value(percent or ZERO, self.scale))
            else:
                breakers.append(parts.get(name, ZERO))
        return (self.measure(points, percent), *breakers)

    def ranks(self, keys: Sequence[Any], names: Sequence[str]) -> list[int]:
        """:func:`rank` under this rule's tie policy."""
        return rank(keys, names, self.ties)

    def rank_ranges(self, keys: Sequence[Any], names: Sequence[str]) -> list[range]:
        """:func:`rank_ranges` under this rule's tie policy."""
        return rank_ranges(keys, names, self.ties)


def group_ranking(
    framework: Framework, block: str, code: str, units: Sequence[UnitResult]
) -> list[tuple[UnitResult, NodeResult | None, int | None]]:
    """Units with their result and rank on group ``code``, best first: the rows of the group's
    own table.

    The group is measured as the block's rule measures a total (:meth:`RankingRule.measure`
    of the group's points and percentage of the unit's own maximum of the group), with the
    block's tie policy, without tie breakers; equal values in the order of the units' names.
    Units without data, and units for which the whole group does not apply (its maximum is 0),
    come last, with no rank. The result is None for a unit without data or without the group.
    """
    rule = RankingRule.of(framework, block)
    scored: list[tuple[Decimal, UnitResult, NodeResult]] = []
    rest: list[tuple[UnitResult, NodeResult | None]] = []
    for unit in units:
        node = unit.nodes.get(code) if unit.has_data else None
        if node is None or (rule.by == "percent" and node.percent is None):
            rest.append((unit, node))
            continue
        scored.append((rule.measure(node.score, node.percent), unit, node))
    scored.sort(key=lambda entry: (-entry[0], _name_key(entry[1].unit)))
    ranks = ranks_in_order([value for value, _, _ in scored], rule.ties)
    rest.sort(key=lambda entry: _name_key(entry[0].unit))
    return [(unit, node, r) for (_, unit, node), r in zip(scored, ranks, strict=True)] + [
        (unit, node, None) for unit, node in rest
    ]


def _order(keys: Sequence[Any], names: Sequence[str]) -> list[int]:
    """The entries' places, best first, equal keys in the order of the names."""
    name_keys = list(map(_name_key, names))
    try:  # keys of Decimals: higher first is lower first of their exact negations
        negated = [tuple([value.copy_negate() for value in key]) for key in keys]
    except (AttributeError, TypeError):
        return sorted(range(len(keys)), key=lambda i: (_Desc(keys[i]), name_keys[i]))
    return sorted(range(len(keys)), key=lambda i: (negated[i], name_keys[i]))


def ranks_in_order(keys: Sequence[Any], ties: TiePolicy) -> list[int]:
    """The ranks of keys already in ranking order (best first) under a tie policy."""
    ranks = []
    current = 0
    for position, key in enumerate(keys, start=1):
        if ties == "ordinal":
            current = position
        elif position == 1 or key != keys[position - 2]:
            current = position if ties == "competition" else current + 1
        ranks.append(current)
    return ranks


def rank(keys: Sequence[Any], names: Sequence[str], ties: TiePolicy) -> list[int]:
    """The rank of each entry; a higher key is better. Keys must be mutually comparable."""
    order = _order(keys, names)
    ranks = [0] * len(keys)
    for index, unit_rank in zip(order, ranks_in_order([keys[i] for i in order], ties), strict=True):
        ranks[index] = unit_rank
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


def rank_bounds(
    values: Sequence[tuple[Decimal, Decimal]], ties: TiePolicy, *, broken: bool = False
) -> list[range]:
    """The ranks each entry may rightly have when its value is known only to lie within a
    range (low, high), higher first: a value printed at a coarser precision than the ranking's
    (a printed index), or worked out from rounded figures (the sum of printed parts).

    An entry ranks after every entry certainly higher (whose low is above its high) and may
    rank after every entry possibly higher; ``broken``: entries of equal values may still be
    ranked apart (tie breakers the values do not show). For one value per entry (low = high,
    without ``broken``) these are :func:`rank_ranges`.
    """
    distinct = {value for value in values if value[0] == value[1]}
    result = []
    for index, (low, high) in enumerate(values):
        above = [v for i, v in enumerate(values) if i != index and v[0] > high]
        level = ties == "ordinal" or broken
        maybe = [
            v
            for i, v in enumerate(values)
            if i != index and (v[1] > low or (level and v[1] >= low))
        ]
        if ties == "dense":
            best = 1 + _chain(above)
            worst = (
                1
                + len({v for v in maybe if v in distinct})
                + sum(1 for v in maybe if v not in distinct)
            )
        else:
            best = 1 + len(above)
            worst = 1 + len(maybe)
        result.append(range(best, worst + 1))
    return result


def _chain(values: list[tuple[Decimal, Decimal]]) -> int:
    """The most of ``values`` that are certainly different from each other (each range
    entirely above the next): the fewest distinct values among them."""
    count = 0
    top: Decimal | None = None
    for low, high in sorted(values, key=lambda v: v[1]):
        if top is None or low > top:
            count += 1
            top = high
    return count
