"""One unit's scorecard: its results, rank and groups against its block."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.core import CycleResult, Framework, UnitResult
from chiso.reports.labels import NOT_RANKED
from chiso.reports.tables import display_percent, group_codes

__all__ = ["Scorecard", "ScorecardGroup", "build_scorecard"]


@dataclass(frozen=True, slots=True)
class ScorecardGroup:
    code: str
    name: str
    score: Decimal | None
    maximum: Decimal
    percent: Decimal | None
    tier: str | None
    block_mean: Decimal | None
    """The block's mean points of the group."""
    not_scored: bool = False
    """Excluded as not applicable for the unit (its maximum is 0, the block's is not)."""


@dataclass(frozen=True, slots=True)
class Scorecard:
    framework: str
    assessor: str
    year: int
    unit: str
    block: str
    total: Decimal | None
    maximum: Decimal
    percent: Decimal | None
    tier: str | None
    rank: int | None
    ranked: int
    not_ranked: str | None
    block_mean: Decimal | None
    """The block's mean percentage."""
    previous: tuple[tuple[int, int | None, int | None], ...]
    """(year, rank then, places moved up since)."""
    groups: tuple[ScorecardGroup, ...]
    score_decimals: int
    percent_decimals: int
    ratio: bool


def build_scorecard(framework: Framework, result: CycleResult, unit: UnitResult) -> Scorecard:
    """What one unit's page states: its results, rank and groups against the block."""
    block = next(b for b in result.blocks if b.block == unit.block)
    display = framework.display_for(block.block)
    maxima = framework.max_for(block.block)
    groups = []
    codes = group_codes(framework, block.block)
    excluded = unit.not_scored(codes, maxima)
    for code in codes:
        node = unit.nodes.get(code) if unit.has_data else None
        summary = block.stats.groups.get(code)
        groups.append(
            ScorecardGroup(
                code=code,
                name=framework.node(code).name,
                score=node.score if node else None,
                maximum=node.max if node else maxima[code],
                percent=node.percent if node else None,
                tier=node.tier if node else None,
                block_mean=summary.mean if summary else None,
                not_scored=code in excluded,
            )
        )
    return Scorecard(
        framework=framework.name,
        assessor=framework.assessor,
        year=result.year,
        unit=unit.unit,
        block=block.name,
        total=unit.total,
        maximum=unit.max,
        percent=display_percent(unit.percent, display.scale),
        tier=unit.tier,
        rank=unit.rank,
        ranked=block.stats.ranked,
        not_ranked=NOT_RANKED[unit.not_ranked_reason] if unit.not_ranked_reason else None,
        block_mean=display_percent(block.stats.percent.mean, display.scale),
        previous=tuple((p.year, p.rank, p.rank_change) for p in unit.previous),
        groups=tuple(groups),
        score_decimals=display.score_decimals,
        percent_decimals=display.percent_decimals,
        ratio=display.scale == "ratio",
    )
