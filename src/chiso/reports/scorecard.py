"""One unit's scorecard: what its page and its printed card state — its results, rank and
tier, its groups against the block, its earlier years and the criteria where it lost points.

Built once from the core's results (nothing here computes a score); the web's scorecard page
and the PDF card both show this value.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework, UnitResult
from chiso.core.tiers import display_value
from chiso.reports.crosswalk import YearComparison
from chiso.reports.labels import NOT_RANKED, carried_note, name_of_year

__all__ = [
    "LostPoints",
    "Scorecard",
    "ScorecardGroup",
    "ScorecardYear",
    "build_scorecard",
    "build_scorecards",
    "lost_points",
]


@dataclass(frozen=True, slots=True)
class ScorecardGroup:
    code: str
    name: str
    top: bool
    """A top-level group (False: a direct part of one)."""
    score: Decimal | None
    maximum: Decimal
    """The unit's own maximum of the group (the block's when it has no data)."""
    percent: Decimal | None
    """Of the unit's own maximum, 0–100."""
    tier: str | None
    block_mean: Decimal | None
    """The block's mean points of the group."""
    block_mean_percent: Decimal | None
    """The block's mean points of the group as a percentage (0–100) of the block's maximum."""
    not_scored: bool = False
    """Excluded as not applicable for the unit (its maximum is 0, the block's is not)."""
    full_credit: bool = False
    """Declared not applicable under the ``full_credit`` policy: scored at its maximum."""
    change: Decimal | None = None
    """The change of the group's percentage, in percentage points, against
    :attr:`Scorecard.compared_year` through the criteria crosswalk (None: no result to compare
    with, or no comparison)."""
    comparable: bool = True
    """False when the crosswalk cannot compare the group (new, or split from a shared one)."""


@dataclass(frozen=True, slots=True)
class ScorecardYear:
    year: int
    rank: int | None
    """The unit's rank that year."""
    rank_change: int | None
    """Places moved up (positive) or down (negative) since that year."""
    score_change: Decimal | None
    carried: str = ""
    """How that year's result came to the unit when it was another unit's (the lineage), in
    words (:func:`chiso.reports.labels.carried_note`); "" when it is the unit's own."""


@dataclass(frozen=True, slots=True)
class LostPoints:
    """A most detailed criterion the unit was scored on with less than its maximum."""

    code: str
    name: str
    group: str
    """The code of its top-level group."""
    score: Decimal
    maximum: Decimal
    lost: Decimal


@dataclass(frozen=True, slots=True)
class Scorecard:
    framework: str
    assessor: str
    year: int
    unit: str
    block: str
    """The block's name."""
    block_code: str
    total: Decimal | None
    maximum: Decimal
    percent: Decimal | None
    """On the display scale (0–100, or 0–1 for a ratio)."""
    tier: str | None
    rank: int | None
    ranked: int
    """How many units of the block are ranked."""
    not_ranked: str | None
    """Why the unit has no rank, as printed ("Tự nguyện", "Không có dữ liệu" …)."""
    block_mean: Decimal | None
    """The block's mean percentage, on the display scale."""
    previous: tuple[ScorecardYear, ...]
    groups: tuple[ScorecardGroup, ...]
    """The top-level groups, each followed by its direct parts."""
    lost: tuple[LostPoints, ...]
    """The largest loss first, then in the framework's order."""
    score_decimals: int
    percent_decimals: int
    ratio: bool
    tiers: bool = True
    """Whether the block has tiers: without them, the card says nothing of a tier."""
    compared_year: int | None = None
    """The earlier year the groups are compared with through a criteria crosswalk (each
    group's :attr:`ScorecardGroup.change`); None without a comparison."""

    @property
    def has_data(self) -> bool:
        return self.total is not None

    @property
    def group_tiers(self) -> bool:
        """Whether any group has a tier: without one, the card has no column of tiers."""
        return any(group.tier for group in self.groups)

    @property
    def group_percent_decimals(self) -> int:
        """The places of a group's percentage (0–100): the percentage's own, but two fewer
        where the framework prints a 0–1 index (0,9270 is 92,70%)."""
        return max(0, self.percent_decimals - 2) if self.ratio else self.percent_decimals

    @property
    def mean_decimals(self) -> int:
        """The places of the groups' block means: those of every mean of the publication."""
        return fmt.mean_decimals(self.score_decimals)


def build_scorecard(framework: Framework, result: CycleResult, unit: UnitResult) -> Scorecard:
    """The scorecard of ``unit``, one of ``result``'s units."""
    block = next(b for b in result.blocks if b.block == unit.block)
    return _scorecard(framework, result, block, unit)


def build_scorecards(
    framework: Framework, result: CycleResult, comparison: YearComparison | None = None
) -> tuple[Scorecard, ...]:
    """Every unit's scorecard, block by block in published order; ``comparison``: the groups
    against an earlier year through a criteria crosswalk."""
    return tuple(
        _scorecard(framework, result, block, unit, comparison)
        for block in result.blocks
        for unit in block.units
    )


def _scorecard(
    framework: Framework,
    result: CycleResult,
    block: BlockResult,
    unit: UnitResult,
    comparison: YearComparison | None = None,
) -> Scorecard:
    display = framework.display_for(block.block)
    mean = block.stats.percent.mean
    return Scorecard(
        framework=name_of_year(framework.name, result.year),
        assessor=framework.assessor,
        year=result.year,
        unit=unit.unit,
        block=block.name,
        block_code=block.block,
        total=unit.total,
        maximum=unit.max,
        percent=display_value(unit.percent, display.scale) if unit.percent is not None else None,
        tier=unit.tier,
        rank=unit.rank,
        ranked=block.stats.ranked,
        not_ranked=NOT_RANKED[unit.not_ranked_reason] if unit.not_ranked_reason else None,
        block_mean=display_value(mean, display.scale) if mean is not None else None,
        previous=tuple(
            ScorecardYear(
                p.year,
                p.rank,
                p.rank_change,
                p.score_change,
                carried_note(p.carried) if p.carried is not None else "",
            )
            for p in unit.previous
        ),
        groups=_groups(framework, block, unit, comparison),
        lost=lost_points(framework, unit) if unit.has_data else (),
        score_decimals=display.score_decimals,
        percent_decimals=display.percent_decimals,
        ratio=display.scale == "ratio",
        tiers=framework.classification_for(block.block) is not None,
        compared_year=comparison.year if comparison is not None else None,
    )


def _groups(
    framework: Framework,
    block: BlockResult,
    unit: UnitResult,
    comparison: YearComparison | None = None,
) -> tuple[ScorecardGroup, ...]:
    maxima = framework.max_for(block.block)
    # a group of 0 points (the DTI's information-only "Đô thị thông minh") is no 0 of 0
    codes = [code for code in framework.groups(block.block, parts=True) if maxima[code] > 0]
    excluded = set(unit.not_scored(codes, maxima))
    groups = []
    for code in codes:
        node = unit.nodes.get(code) if unit.has_data else None
        summary = block.stats.groups.get(code)
        mean = summary.mean if summary else None
        full = maxima[code]
        groups.append(
            ScorecardGroup(
                code=code,
                name=framework.node(code).name,
                top=framework.parent(code) is None,
                score=node.score if node else None,
                maximum=node.max if node else full,
                percent=node.percent if node else None,
                tier=node.tier if node else None,
                block_mean=mean,
                block_mean_percent=mean * 100 / full if mean is not None and full else None,
                not_scored=code in excluded,
                full_credit=bool(node and node.not_applicable and node.max > 0),
                change=comparison.change(block.block, unit.unit, code) if comparison else None,
                comparable=comparison.crosswalk.comparable(code) if comparison else True,
            )
        )
    return tuple(groups)


def lost_points(framework: Framework, unit: UnitResult) -> tuple[LostPoints, ...]:
    """The most detailed criteria the unit was scored on where it has less than their
    maximum, the largest loss first (then in the framework's order)."""
    order = framework.order
    scored = set(unit.nodes)
    rows = []
    for code, node in unit.nodes.items():
        children = framework.node(code).children
        if any(child.code in scored for child in children) or node.not_applicable:
            continue
        lost = node.max - node.score
        if lost <= 0:
            continue
        root = ([code, *framework.ancestors(code)])[-1]
        rows.append((lost, order[code], code, root, node.score, node.max))
    rows.sort(key=lambda row: (-row[0], row[1]))
    return tuple(
        LostPoints(code, framework.node(code).name, root, score, maximum, lost)
        for lost, _, code, root, score, maximum in rows
    )
