"""The over-claim report: self-assessed points against verified points (docs/results.md).

Units score themselves, the review team verifies; the self-assessed points are often higher.
From the cycle scored twice by the engine — on the units' own answers and on the verified ones
— this lays out, exactly, for each unit its total, each criterion's and each group's points
both ways and their difference (self-assessed minus verified: positive is an over-claim), and
for each block the sums, the number of units that claimed more than they were given, and the
criteria with the largest gaps. Nothing is scored here: both results come from the engine.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from chiso.core.framework import Framework
from chiso.core.model import CycleResult, UnitResult
from chiso.core.numbers import ZERO
from chiso.core.tiers import name_sort_key

__all__ = ["MIN_DECIMALS", "BlockGap", "Gap", "OverClaim", "UnitGap", "gap_decimals", "overclaim"]

MIN_DECIMALS = 2


@dataclass(frozen=True, slots=True)
class Gap:
    """One criterion's (or group's, or total's) points both ways."""

    code: str
    claimed: Decimal
    verified: Decimal

    @property
    def difference(self) -> Decimal:
        """Self-assessed minus verified: positive when the unit claimed more."""
        return self.claimed - self.verified


@dataclass(frozen=True, slots=True)
class UnitGap:
    unit: str
    block: str
    total: Gap
    """``code`` is empty."""
    criteria: tuple[Gap, ...]
    """Every criterion and group whose points differ, in the framework's order."""


@dataclass(frozen=True, slots=True)
class BlockGap:
    block: str
    name: str
    units: tuple[UnitGap, ...]
    """Largest over-claim first (then by name)."""
    claimed: Decimal
    verified: Decimal
    over: int
    """Units that claimed more than they were given in total."""
    under: int
    """Units that claimed less."""
    criteria: tuple[tuple[str, Decimal, int], ...]
    """Per criterion with a gap: (code, the sum of the units' differences, how many units
    differ), largest sum first."""

    @property
    def difference(self) -> Decimal:
        return self.claimed - self.verified


@dataclass(frozen=True, slots=True)
class OverClaim:
    blocks: tuple[BlockGap, ...]
    missing: tuple[str, ...]
    """Units scored on verified answers with no self-assessment (or the reverse): left out."""


def _scored(result: CycleResult) -> dict[tuple[str, str], UnitResult]:
    return {(b.block, u.unit): u for b in result.blocks for u in b.units if u.has_data}


def overclaim(framework: Framework, claimed: CycleResult, verified: CycleResult) -> OverClaim:
    """Compare ``claimed`` (the cycle scored on the units' own answers) with ``verified``
    (on the verified answers), unit by unit (by block and name)."""
    mine, theirs = _scored(claimed), _scored(verified)
    missing = sorted({unit for _block, unit in mine.keys() ^ theirs.keys()}, key=name_sort_key)
    order = framework.order
    blocks = []
    for block in verified.blocks:
        units = []
        for unit in block.units:
            key = (block.block, unit.unit)
            if key not in mine or key not in theirs:
                continue
            own, checked = mine[key], theirs[key]
            codes = sorted(own.nodes.keys() | checked.nodes.keys(), key=order.__getitem__)
            criteria = tuple(
                gap for code in codes if (gap := _gap(code, own, checked)).claimed != gap.verified
            )
            total = Gap("", own.total or ZERO, checked.total or ZERO)
            units.append(UnitGap(unit.unit, block.block, total, criteria))
        units.sort(key=lambda u: (-u.total.difference, name_sort_key(u.unit)))
        sums: dict[str, tuple[Decimal, int]] = {}
        for gap_unit in units:
            for gap in gap_unit.criteria:
                total_gap, count = sums.get(gap.code, (ZERO, 0))
                sums[gap.code] = (total_gap + gap.difference, count + 1)
        blocks.append(
            BlockGap(
                block.block,
                block.name,
                tuple(units),
                sum((u.total.claimed for u in units), ZERO),
                sum((u.total.verified for u in units), ZERO),
                sum(1 for u in units if u.total.difference > 0),
                sum(1 for u in units if u.total.difference < 0),
                tuple(
                    sorted(
                        ((code, s, n) for code, (s, n) in sums.items()),
                        key=lambda item: (-item[1], order[item[0]]),
                    )
                ),
            )
        )
    return OverClaim(tuple(blocks), tuple(missing))


def _gap(code: str, own: UnitResult, checked: UnitResult) -> Gap:
    mine, theirs = own.nodes.get(code), checked.nodes.get(code)
    return Gap(
        code,
        mine.score if mine is not None else ZERO,
        theirs.score if theirs is not None else ZERO,
    )


def gap_decimals(framework: Framework, block: str) -> int:
    """The decimals points and gaps are shown with: the published scores' precision, and at
    least two, so that a verified 9.5 is not shown as 10 and the differences shown add up."""
    return max(framework.display_for(block).score_decimals, MIN_DECIMALS)


def largest(report: OverClaim, count: int = 10) -> Sequence[UnitGap]:
    """The units with the largest over-claims of every block together, largest first."""
    units = [unit for block in report.blocks for unit in block.units]
    units.sort(key=lambda u: (-u.total.difference, name_sort_key(u.unit)))
    return units[:count]
