"""Values going into the core (units' answers, previous results) and coming out of it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from enum import StrEnum
from typing import TYPE_CHECKING, Any, NamedTuple

from chiso.core.numbers import percent

if TYPE_CHECKING:
    from chiso.core.engine import BlockColumns

__all__ = [
    "Answer",
    "AnswerColumn",
    "AnswerTable",
    "BlockResult",
    "BlockStats",
    "Carried",
    "CycleResult",
    "LineageChange",
    "MergePolicy",
    "NodeResult",
    "NotRankedReason",
    "PreviousComparison",
    "PreviousResult",
    "PreviousTierShares",
    "RowAnswers",
    "Status",
    "Summary",
    "TierCount",
    "UnitData",
    "UnitNodes",
    "UnitResult",
    "not_scored",
    "score_of",
    "scores_of",
    "tier_of",
    "tiers_of",
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


class Answer(NamedTuple):
    """A unit's answer to one criterion, or an inner node's points given directly.

    ``value`` is a number (yes/no as 1/0, a ratio's numerator or a percentage, a count, points)
    or the chosen option's value; ``denominator`` turns ``value`` into a ratio.

    Immutable and hashable, compared by its fields. A named tuple rather than a frozen
    dataclass: a data file holds some 90,000 distinct answers, and a tuple is made several
    times faster.
    """

    value: Decimal | str | None = None
    denominator: Decimal | None = None
    evidence: bool = False
    not_applicable: bool = False


NO_ANSWER = Answer()
"""Position 0 of every :class:`AnswerColumn`: the criterion is not answered."""


@dataclass(slots=True)
class AnswerColumn:
    """One criterion's answers in an :class:`AnswerTable`: each distinct answer once, and for
    each row the position of its answer (0: no answer)."""

    answers: list[Answer]
    picks: Any
    """A ``Sequence[int]`` or a numpy integer array, one position per row."""


class AnswerTable:
    """The answers of many units by criterion, as a data file holds them.

    A column of yes/no answers has a handful of distinct answers for thousands of units: the
    core checks and scores each distinct answer once per block and reads a unit's points by
    position, column by column. Units read from one file share one table, each unit's
    ``answers`` being a :class:`RowAnswers` view of its row.
    """

    __slots__ = ("columns", "rows")

    def __init__(self, rows: int) -> None:
        self.rows = rows
        self.columns: dict[str, AnswerColumn] = {}

    def column(self, code: str) -> AnswerColumn:
        """The column of ``code``, made empty (no answer on any row) when there is none."""
        column = self.columns.get(code)
        if column is None:
            column = self.columns[code] = AnswerColumn([NO_ANSWER], [0] * self.rows)
        return column

    @classmethod
    def of(cls, answers: Sequence[Mapping[str, Answer]]) -> AnswerTable:
        """A table of the rows ``answers`` (answers given as the same object share one
        position)."""
        table = cls(len(answers))
        positions: dict[str, dict[int, int]] = {}
        for row, given in enumerate(answers):
            for code, answer in given.items():
                column = table.column(code)
                known = positions.setdefault(code, {})
                position = known.get(id(answer))
                if position is None:
                    position = known[id(answer)] = len(column.answers)
                    column.answers.append(answer)
                column.picks[row] = position
        return table


class RowAnswers(Mapping[str, Answer]):
    """One row of an :class:`AnswerTable` read as a mapping from criterion code to answer,
    in the order of the table's columns."""

    __slots__ = ("row", "table")

    def __init__(self, table: AnswerTable, row: int) -> None:
        self.table = table
        self.row = row

    def __getitem__(self, code: str) -> Answer:
        column = self.table.columns.get(code)
        pick = column.picks[self.row] if column is not None else 0
        if not pick:
            raise KeyError(code)
        assert column is not None
        return column.answers[pick]

    def __iter__(self) -> Iterator[str]:
        row = self.row
        return (code for code, column in self.table.columns.items() if column.picks[row])

    def __len__(self) -> int:
        row = self.row
        return sum(1 for column in self.table.columns.values() if column.picks[row])

    def __repr__(self) -> str:
        return f"RowAnswers({dict(self)!r})"


@dataclass(frozen=True, slots=True)
class UnitData:
    unit: str
    block: str
    answers: Mapping[str, Answer] = field(default_factory=dict)
    """By criterion code; a plain dict, or a :class:`RowAnswers` of a table of many units."""
    status: Status = Status.SUBMITTED


class MergePolicy(StrEnum):
    BEST = "best"
    """The predecessor ranked best that year (by score when none is ranked): its whole row."""
    MEAN = "mean"
    """The predecessors' mean score and percentage; no rank and no tier (a mean has none)."""
    LARGEST = "largest"
    """The row of the predecessor of greatest weight (population, area …: the link's)."""


class LineageChange(StrEnum):
    RENAMED = "renamed"
    MERGED = "merged"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Carried:
    """How an earlier result came to a unit of the cycle: through a renaming, a split (the one
    predecessor's result) or a merger (``policy`` applied to ``earlier``)."""

    how: LineageChange
    earlier: tuple[str, ...]
    """The earlier units whose results went into it, in the lineage's order."""
    policy: MergePolicy | None = None
    chosen: str | None = None
    """For a merger under ``best`` or ``largest``: the predecessor whose row it is."""


class PreviousResult(NamedTuple):
    """One unit's published result of an earlier cycle (immutable, compared by its fields: a
    named tuple, made fast for the thousands of rows of the previous-results files)."""

    unit: str
    block: str
    """The unit's block that year: it is compared with the unit of that name in that block."""
    year: int
    rank: int | None
    score: Decimal | None
    percent: Decimal | None = None
    tier: str | None = None
    score_digits: int | None = None
    """The significant digits to which ``score`` is known, when it is not exact: a score read
    from a spreadsheet's number cell is a binary float, known to 15 (what Excel keeps). A
    score change against it is rounded half up at that digit, so that an unchanged total
    changes by exactly 0 rather than by the float's error. None: the score is exact."""
    carried: Carried | None = None
    """Set when the row is another unit's, carried to this one through the lineage
    (:mod:`chiso.core.lineage`)."""


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


class UnitNodes(Mapping[str, NodeResult]):
    """A unit's result for each criterion, read from its row of the block's columns
    (:class:`chiso.core.engine.BlockColumns`): a :class:`NodeResult` is made when one is read;
    iterating gives the codes in the order of the criteria tree, parts before their group."""

    __slots__ = ("columns", "row")

    def __init__(self, columns: BlockColumns, row: int) -> None:
        self.columns = columns
        self.row = row

    def __getitem__(self, code: str) -> NodeResult:
        node = self._node(code)
        if node is None:
            raise KeyError(code)
        return node

    def get(self, code: str, default: Any = None) -> Any:
        """The result of ``code``, or ``default`` when the unit has none (Mapping.get, without
        raising and catching a KeyError for each criterion without a result)."""
        node = self._node(code)
        return default if node is None else node

    def _node(self, code: str) -> NodeResult | None:
        columns, row = self.columns, self.row
        position = columns.index.get(code)
        if position is None or not columns.has[row, position]:
            return None
        tiers = columns.tiers.get(position)
        scores, maxima = columns.decimals(position)
        return NodeResult(
            scores[row],
            maxima[row],
            tiers[row] if tiers is not None else None,
            bool(columns.declared[row, position]),
        )

    def __contains__(self, code: object) -> bool:
        position = self.columns.index.get(code) if isinstance(code, str) else None
        return position is not None and bool(self.columns.has[self.row, position])

    def __iter__(self) -> Iterator[str]:
        has = self.columns.has[self.row].tolist()
        return (code for code, position in self.columns.index.items() if has[position])

    def __len__(self) -> int:
        return int(self.columns.has[self.row].sum())

    def __repr__(self) -> str:
        return f"UnitNodes({dict(self)!r})"

    def score(self, code: str) -> Decimal | None:
        """The score of ``code`` (None when there is no result for it), without making a
        NodeResult."""
        columns = self.columns
        position = columns.index.get(code)
        if position is None or not columns.has[self.row, position]:
            return None
        return columns.decimal(columns.scores[self.row, position])

    def texts(self, codes: Iterable[str]) -> dict[str, str]:
        """The scores of those of ``codes`` that have a result, in the order of ``codes``,
        written as JSON numbers (exact, plain digits, no trailing zeros)."""
        columns, row = self.columns, self.row
        index = columns.index
        return {
            code: text
            for code in codes
            if (position := index.get(code)) is not None
            and (text := columns.texts(position)[row]) is not None
        }

    def tiers_of(self, codes: Iterable[str]) -> dict[str, str]:
        """The tiers of those of ``codes`` that are classified, in the order of ``codes``."""
        columns, row = self.columns, self.row
        index, tiers = columns.index, columns.tiers
        return {
            code: tier
            for code in codes
            if (position := index.get(code)) is not None
            and (column := tiers.get(position)) is not None
            and (tier := column[row])
        }

    def tier(self, code: str) -> str | None:
        """The tier of ``code``, None when it is not classified or has no result."""
        position = self.columns.index.get(code)
        tiers = self.columns.tiers.get(position) if position is not None else None
        return None if tiers is None else tiers[self.row]


def score_of(nodes: Mapping[str, NodeResult], code: str) -> Decimal | None:
    """The score of ``code`` in a unit's results, None when there is none."""
    if type(nodes) is UnitNodes:
        return nodes.score(code)
    node = nodes.get(code)
    return None if node is None else node.score


def not_scored(node: NodeResult | None, block_max: Decimal) -> bool:
    """Whether a unit is not scored on a criterion whose result is ``node`` and whose maximum
    in the unit's block is ``block_max`` (:meth:`Framework.max_for`): excluded as not
    applicable, the unit having declared it, or every part of it, under the ``exclude``
    policy: its maximum for the unit is 0 and the block's is not. The reports print
    "Không chấm điểm, đánh giá" (``KCĐ``) there, not 0. A criterion declared under
    ``full_credit`` is scored (at its maximum); one whose maximum is 0 in the block (an
    ``info`` group) is scored 0 of 0; no result (no data) is not this."""
    return node is not None and node.max == 0 and block_max > 0


def scores_of(nodes: Mapping[str, NodeResult], codes: Iterable[str]) -> dict[str, Decimal]:
    """The scores of those of ``codes`` that have a result, in the order of ``codes``."""
    if type(nodes) is UnitNodes:
        return {code: points for code in codes if (points := nodes.score(code)) is not None}
    return {code: node.score for code in codes if (node := nodes.get(code)) is not None}


def tiers_of(nodes: Mapping[str, NodeResult], codes: Iterable[str]) -> dict[str, str]:
    """The tiers of those of ``codes`` that are classified, in the order of ``codes``."""
    if type(nodes) is UnitNodes:
        return nodes.tiers_of(codes)
    return {code: node.tier for code in codes if (node := nodes.get(code)) and node.tier}


def tier_of(nodes: Mapping[str, NodeResult], code: str) -> str | None:
    """The tier of ``code`` in a unit's results, None when there is none."""
    if type(nodes) is UnitNodes:
        return nodes.tier(code)
    node = nodes.get(code)
    return None if node is None else node.tier


@dataclass(frozen=True, slots=True)
class PreviousComparison:
    year: int
    rank: int | None
    score: Decimal | None
    tier: str | None
    rank_change: int | None
    """Places moved up (positive) or down (negative) since that year; 0 = unchanged."""
    score_change: Decimal | None
    percent: Decimal | None = None
    """The percentage published that year (0–100; given as an index on a ratio scale)."""
    percent_change: Decimal | None = None
    """The percentage now minus that year's, exactly."""
    carried: Carried | None = None
    """How that year's result came to the unit, when it was another unit's (its lineage)."""


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
    nodes: Mapping[str, NodeResult]
    """Every criterion of the block with a result (see :class:`UnitNodes`)."""
    tags: Mapping[str, NodeResult]
    previous: tuple[PreviousComparison, ...] = ()
    excluded: tuple[str, ...] = ()
    """The criteria and groups the unit declares not applicable under the ``exclude`` policy,
    taken out of its maximum, in the framework's order; the parts of such a group are not
    repeated. A declaration under ``full_credit`` (scored at the maximum) is not one."""
    full_credit: tuple[str, ...] = ()
    """The criteria and groups the unit declares not applicable under the ``full_credit``
    policy, scored at their maximum, in the framework's order; those inside a group it
    declares not applicable are not listed (the group's declaration decides)."""

    @property
    def has_data(self) -> bool:
        return self.total is not None

    def not_scored(self, codes: Iterable[str], block_maxima: Mapping[str, Decimal]) -> list[str]:
        """Those of ``codes`` the unit is not scored on (:func:`not_scored`), in the order of
        ``codes``; ``block_maxima``: the block's (:meth:`Framework.max_for`)."""
        if not self.excluded:  # only an exclusion takes a maximum down to 0
            return []
        nodes = self.nodes
        return [
            code
            for code in codes
            if not_scored(nodes.get(code), block_maxima.get(code, Decimal(0)))
        ]


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
    incomplete_years: tuple[int, ...] = ()
    """Earlier years some of whose results name no unit of the cycle (left out of every
    comparison): what was true of all units of such a year (who was last) is not known."""
