"""Values going into the core (units' answers, previous results) and coming out of it."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum

from chiso.core.numbers import percent

__all__ = [
    "Answer",
    "BlockResult",
    "BlockStats",
    "CycleResult",
    "NodeResult",
    "NotRankedReason",
    "PreviousComparison",
    "PreviousResult",
    "PreviousTierShares",
    "Status",
    "Summary",
    "TierCount",
    "UnitData",
    "UnitResult",
]


class Status(StrEnum):
    SUBMITTED = "submitted"
    VOLUNTARY = "voluntary"
    """Scored and listed, not ranked (Bình Phước's "đối tượng khuyến khích")."""
    NO_DATA = "no_data"
    """Did not report (Cao Bằng's Thạch An): listed, not scored, not ranked."""


class NotRankedReason(StrEnum):
    NO_DATA = "no_data"
    VOLUNTARY = "voluntary"
    BELOW_LOWEST_LEVEL = "below_lowest_level"


@dataclass(frozen=True, slots=True)
class Answer:
    """A unit's answer to one criterion, or an inner node's points given directly.

    ``value`` is a number (yes/no as 1/0, a ratio's numerator or a percentage, a count, points)
    or the chosen option's value; ``denominator`` turns ``value`` into a ratio.
    """

    value: Decimal | str | None = None
    denominator: Decimal | None = None
    evidence: bool = False
    not_applicable: bool = False


@dataclass(frozen=True, slots=True)
class UnitData:
    unit: str
    block: str
    answers: dict[str, Answer] = field(default_factory=dict)
    status: Status = Status.SUBMITTED


@dataclass(frozen=True, slots=True)
class PreviousResult:
    """One unit's published result of an earlier cycle."""

    unit: str
    block: str
    year: int
    rank: int | None
    score: Decimal | None
    percent: Decimal | None = None
    tier: str | None = None


@dataclass(frozen=True, slots=True)
class NodeResult:
    score: Decimal
    max: Decimal
    tier: str | None = None
    not_applicable: bool = False

    @property
    def percent(self) -> Decimal | None:
        """score / max × 100; None when the maximum is 0."""
        return percent(self.score, self.max)


@dataclass(frozen=True, slots=True)
class PreviousComparison:
    year: int
    rank: int | None
    score: Decimal | None
    tier: str | None
    rank_change: int | None
    """Places moved up (positive) or down (negative) since that year; 0 = unchanged."""
    score_change: Decimal | None


@dataclass(frozen=True, slots=True)
class UnitResult:
    unit: str
    block: str
    status: Status
    total: Decimal | None
    max: Decimal
    percent: Decimal | None
    tier: str | None
    rank: int | None
    not_ranked_reason: NotRankedReason | None
    nodes: dict[str, NodeResult]
    tags: dict[str, NodeResult]
    previous: tuple[PreviousComparison, ...] = ()

    @property
    def has_data(self) -> bool:
        return self.total is not None


@dataclass(frozen=True, slots=True)
class TierCount:
    label: str
    count: int
    share: Decimal | None
    """Percentage (0–100) of the units with data."""


@dataclass(frozen=True, slots=True)
class Summary:
    """Statistics of one measure over the units with data."""

    count: int
    mean: Decimal | None
    max: Decimal | None
    min: Decimal | None
    gap: Decimal | None
    at_or_above_mean: int
    share_at_or_above_mean: Decimal | None
    best: tuple[str, ...] = ()
    worst: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class PreviousTierShares:
    year: int
    count: int
    mean_score: Decimal | None
    tiers: tuple[TierCount, ...]


@dataclass(frozen=True, slots=True)
class BlockStats:
    units: int
    with_data: int
    ranked: int
    score: Summary
    percent: Summary
    tiers: tuple[TierCount, ...]
    groups: dict[str, Summary]
    """Per top-level group (and every classified node): statistics of its score."""
    group_tiers: dict[str, tuple[TierCount, ...]]
    previous: tuple[PreviousTierShares, ...]


@dataclass(frozen=True, slots=True)
class BlockResult:
    block: str
    name: str
    max: Decimal
    units: tuple[UnitResult, ...]
    """In published order: ranked units by rank, then not-ranked units with data, then the rest."""
    stats: BlockStats


@dataclass(frozen=True, slots=True)
class CycleResult:
    framework: str
    year: int
    blocks: tuple[BlockResult, ...]
    overall: Summary
    """Statistics of the score over every unit with data, all blocks together."""
