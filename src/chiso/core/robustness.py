"""How solid each rank is: the ranks a unit could have had (docs/results.md).

A rank at the published precision can hinge on a tenth of a point, on a disputed answer or on
the weights. For each ranked unit this gives the range of ranks it could have:

* **rounding** — the ranks it has when its measure is taken with one more decimal, and
  exactly (no rounding at all), beside the published rank: a unit tied at the published
  precision that one more decimal would separate, or one ranked apart from a unit it equals
  at one more decimal, gets a range;
* **disputed** — when some answers are not settled (self-assessed and verified points differ,
  or not yet verified): the best rank it could have (its disputed answers all at the higher
  value, every other unit's at the lower) and the worst (the reverse), from the two
  cycles scored by the engine with every disputed answer low and high
  (:func:`disputed_ranges`): exact when a unit's measure grows with each of its answers, as
  it does under every rule but those relative to the block's best;
* **weights** — a Monte Carlo perturbation of the weights of the block's top-level groups, as
  COINr's sensitivity analysis of composite indicators does: in each of ``draws`` draws, each
  group's points and maximum are multiplied by a factor drawn uniformly among the multiples of
  0.001 within ``1 ± spread``; the units are ranked again by the block's rule (measure at the
  published precision, the same tie policy; the criteria's tie breakers as published); the
  range is the ``percentiles`` (5th and 95th) of the ranks drawn. The factors come from a
  generator seeded with ``seed``: the same input gives the same ranges, and the arithmetic is
  exact (integers), so no float rounding decides a tie.

Units that are not ranked (voluntary, without data, below the lowest tier) have no range.
"""

from __future__ import annotations

import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from fractions import Fraction

from chiso.core.framework import Framework
from chiso.core.model import Answer, BlockResult, CycleResult, UnitData, UnitResult
from chiso.core.numbers import ZERO
from chiso.core.ranking import RankingRule, rank_bounds

__all__ = [
    "Perturbation",
    "Ranges",
    "RankRange",
    "Robustness",
    "disputed_ranges",
    "disputed_units",
    "merge",
    "robustness",
    "rounding_ranges",
    "weight_ranges",
]


@dataclass(frozen=True, slots=True)
class RankRange:
    low: int
    """The best rank (the smallest number)."""
    high: int


@dataclass(frozen=True, slots=True)
class Perturbation:
    draws: int = 1000
    spread: Decimal = Decimal("0.2")
    seed: int = 1
    percentiles: tuple[int, int] = (5, 95)


Ranges = dict[tuple[str, str], RankRange]
"""By (block, unit)."""


def _parts(rule: RankingRule, unit: UnitResult) -> dict[str, Decimal]:
    return {
        code: node.score
        for code in rule.tie_breakers
        if code not in ("points", "percent") and (node := unit.nodes.get(code)) is not None
    }


def _ranked(block: BlockResult) -> list[UnitResult]:
    return [unit for unit in block.units if unit.rank is not None]


def rounding_ranges(framework: Framework, result: CycleResult) -> Ranges:
    """The **rounding** ranges (see the module's documentation)."""
    ranges: Ranges = {}
    for block in result.blocks:
        units = _ranked(block)
        if not units:
            continue
        rule = RankingRule.of(framework, block.block)
        names = [unit.unit for unit in units]
        finer = [replace(rule, precision=None)]
        if rule.precision is not None:
            finer.insert(0, replace(rule, precision=rule.precision + 1))
        found = [[unit.rank or 0 for unit in units]]
        for other in finer:
            keys = [
                other.key(unit.total or ZERO, unit.percent, _parts(rule, unit)) for unit in units
            ]
            found.append(other.ranks(keys, names))
        for position, unit in enumerate(units):
            seen = [ranks[position] for ranks in found]
            ranges[block.block, unit.unit] = RankRange(min(seen), max(seen))
    return ranges


def disputed_ranges(framework: Framework, low: CycleResult, high: CycleResult) -> Ranges:
    """The **disputed** ranges, from the cycle scored with every disputed answer at its lower
    value (``low``) and at its higher (``high``); the units ranked in ``low`` and ``high``
    alike (by name) are ranked against each other."""
    ranges: Ranges = {}
    highs = {(b.block, u.unit): u for b in high.blocks for u in _ranked(b)}
    for block in low.blocks:
        rule = RankingRule.of(framework, block.block)
        pairs = [
            (unit, up)
            for unit in _ranked(block)
            if (up := highs.get((block.block, unit.unit))) is not None
        ]
        values = []
        for down, up in pairs:
            lower = rule.measure(down.total or ZERO, down.percent)
            upper = rule.measure(up.total or ZERO, up.percent)
            values.append((min(lower, upper), max(lower, upper)))
        bounds = rank_bounds(values, rule.ties, broken=bool(rule.tie_breakers))
        for (down, _up), found in zip(pairs, bounds, strict=True):
            ranges[block.block, down.unit] = RankRange(found.start, found.stop - 1)
    return ranges


def disputed_units(
    claimed: Sequence[UnitData],
    verified: Sequence[UnitData],
    claimed_result: CycleResult,
    verified_result: CycleResult,
) -> tuple[list[UnitData], list[UnitData]]:
    """The units of ``verified`` with each answer that differs in ``claimed`` (the units' own,
    by name) set to the one of the two worth fewer points, then to the one worth more — by
    the points the engine gave each (``claimed_result``, ``verified_result``): the two
    cycles of :func:`disputed_ranges`. A unit without a self-assessment keeps its answers."""
    own = {unit.unit: unit for unit in claimed}
    points = {
        (which, u.unit): u.nodes
        for which, result in (("claimed", claimed_result), ("verified", verified_result))
        for b in result.blocks
        for u in b.units
    }
    low: list[UnitData] = []
    high: list[UnitData] = []
    for unit in verified:
        mine = own.get(unit.unit)
        if mine is None:
            low.append(unit)
            high.append(unit)
            continue
        mine_nodes = points.get(("claimed", unit.unit), {})
        theirs_nodes = points.get(("verified", unit.unit), {})
        lower: dict[str, Answer] = dict(unit.answers)
        upper: dict[str, Answer] = dict(unit.answers)
        for code in mine.answers.keys() | unit.answers.keys():
            given, checked = mine.answers.get(code), unit.answers.get(code)
            if given == checked:
                continue
            a = mine_nodes.get(code)
            b = theirs_nodes.get(code)
            claimed_points = a.score if a is not None else ZERO
            verified_points = b.score if b is not None else ZERO
            for target, take_claimed in (
                (lower, claimed_points < verified_points),
                (upper, claimed_points > verified_points),
            ):
                chosen = given if take_claimed else checked
                if chosen is None:
                    target.pop(code, None)
                else:
                    target[code] = chosen
        low.append(UnitData(unit.unit, unit.block, lower, unit.status))
        high.append(UnitData(unit.unit, unit.block, upper, unit.status))
    return low, high


def weight_ranges(
    framework: Framework, result: CycleResult, perturbation: Perturbation = Perturbation()
) -> Ranges:
    """The **weights** ranges (see the module's documentation)."""
    generator = random.Random(perturbation.seed)
    spread = int(perturbation.spread * 1000)
    ranges: Ranges = {}
    for block in result.blocks:
        units = _ranked(block)
        roots = [c.code for c in framework.criteria if c.code in framework.max_for(block.block)]
        if not units or not roots:
            continue
        rule = RankingRule.of(framework, block.block)
        names = [unit.unit for unit in units]
        breakers = [
            rule.key(unit.total or ZERO, unit.percent, _parts(rule, unit))[1:] for unit in units
        ]
        # every score and maximum as an integer count of the smallest unit any of them uses
        scale = _scale(
            [n.score for u in units for c in roots if (n := u.nodes.get(c))]
            + [n.max for u in units for c in roots if (n := u.nodes.get(c))]
        )
        scores = [
            [_int(u.nodes[c].score, scale) if c in u.nodes else 0 for c in roots] for u in units
        ]
        maxima = [
            [_int(u.nodes[c].max, scale) if c in u.nodes else 0 for c in roots] for u in units
        ]
        drawn: list[list[int]] = [[] for _ in units]
        for _ in range(perturbation.draws):
            factors = [1000 + generator.randint(-spread, spread) for _ in roots]
            keys = []
            for k in range(len(units)):
                points = sum(f * s for f, s in zip(factors, scores[k], strict=True))
                most = sum(f * m for f, m in zip(factors, maxima[k], strict=True))
                keys.append((_measure(rule, points, most, scale), *breakers[k]))
            for k, found in enumerate(rule.ranks(keys, names)):
                drawn[k].append(found)
        lower, upper = perturbation.percentiles
        for k, unit in enumerate(units):
            ranks = sorted(drawn[k])
            ranges[block.block, unit.unit] = RankRange(
                _percentile(ranks, lower), _percentile(ranks, upper)
            )
    return ranges


def _scale(values: Sequence[Decimal]) -> int:
    """The power of ten that makes every value an integer."""
    exponent = min((int(value.as_tuple().exponent) for value in values), default=0)
    scale: int = 10 ** max(0, -exponent)
    return scale


def _int(value: Decimal, scale: int) -> int:
    return int(value * scale)


def _measure(rule: RankingRule, points: int, most: int, scale: int) -> Decimal | Fraction:
    """The rule's measure of perturbed ``points`` out of ``most`` (both in thousandths of a
    ``1 / scale``), exactly: the points, or the percentage on the display scale, rounded half
    up at the rule's precision as :meth:`RankingRule.measure` rounds."""
    if rule.by == "points":
        numerator, denominator = points, 1000 * scale
    elif most == 0:
        zero: Decimal = rule.measure(ZERO, None)
        return zero
    else:
        numerator, denominator = points * (100 if rule.scale == "percent" else 1), most
    if rule.precision is None:  # exact, where a division of Decimals would round
        return Fraction(numerator, denominator)
    shift: int = 10**rule.precision
    rounded = (2 * numerator * shift + denominator) // (2 * denominator)  # half up (≥ 0)
    return Decimal(rounded).scaleb(-rule.precision)


def _percentile(ranks: Sequence[int], percent: int) -> int:
    """The nearest-rank percentile of sorted ``ranks``."""
    index = max(0, -(-percent * len(ranks) // 100) - 1)
    return ranks[min(index, len(ranks) - 1)]


def merge(*found: Mapping[tuple[str, str], RankRange]) -> Ranges:
    """The widest range of each unit over several kinds."""
    merged: Ranges = {}
    for ranges in found:
        for key, value in ranges.items():
            seen = merged.get(key)
            merged[key] = (
                value
                if seen is None
                else RankRange(min(seen.low, value.low), max(seen.high, value.high))
            )
    return merged


@dataclass(frozen=True, slots=True)
class Robustness:
    """The ranges of each kind computed, and the perturbation of the weights."""

    kinds: dict[str, Ranges]
    """``rounding``, ``weights`` and, when disputed answers are given, ``disputed``."""
    perturbation: Perturbation

    def of(self, block: str, unit: str) -> dict[str, RankRange]:
        return {
            kind: found
            for kind, ranges in self.kinds.items()
            if (found := ranges.get((block, unit))) is not None
        }


def robustness(
    framework: Framework,
    result: CycleResult,
    perturbation: Perturbation = Perturbation(),
    disputed: tuple[CycleResult, CycleResult] | None = None,
) -> Robustness:
    """Every kind of range of the cycle's ranked units; ``disputed``: the cycle scored with
    every disputed answer low, then high (:func:`disputed_ranges`)."""
    kinds = {
        "rounding": rounding_ranges(framework, result),
        "weights": weight_ranges(framework, result, perturbation),
    }
    if disputed is not None:
        kinds["disputed"] = disputed_ranges(framework, *disputed)
    return Robustness(kinds, perturbation)
