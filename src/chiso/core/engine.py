"""The scoring engine: one block's units scored column by column, in exact integers.

A block's criteria are compiled once (:mod:`chiso.core.plan`); a unit's answers become, per
leaf, the points of its answer, looked up by position among the column's distinct answers.
Every point value of the block is a terminating decimal (a rule whose value does not terminate,
⅔ of a point, gives it to 28 significant digits: see :mod:`chiso.core.rules`), so all of them
are held as integers at one power-of-ten scale of the block: the groups, the totals, the
maxima and the tags are exact integer sums, in ``int64`` when the block's largest possible sum
provably fits, in Python integers otherwise. Tiers are decided exactly on those integers
(:func:`tier_labels`); nothing is rounded before it is printed.

Units that declare criteria not applicable (either policy) and units that give a group's points
directly are rows like the others: a mask says which criteria each row declares or gives, and
the groups above take the value the row gives them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from fractions import Fraction
from itertools import repeat
from operator import itemgetter, mul
from typing import Any

import numpy as np

from chiso.core.framework import Classification, Framework
from chiso.core.plan import BlockPlan

__all__ = [
    "BlockColumns",
    "BlockInput",
    "GivenTooHigh",
    "decimal_at",
    "decimals_at",
    "percent_of",
    "percents_of",
    "score_columns",
    "text_at",
    "texts_at",
    "tier_labels",
]

_INT64_LIMIT = 2**62
"""Sums and products below this fit ``int64`` with room to spare."""


@dataclass(slots=True)
class BlockInput:
    """What the engine scores: the points of the block's leaves for each member (a unit of
    the block with data), the criteria each member declares not applicable, and the groups
    whose points a member gives directly."""

    count: int
    leaves: list[tuple[list[Decimal], Any]]
    """Per leaf of the plan: the points of each distinct answer, and each member's pick (an
    index into those points; any integer sequence or array)."""
    declared: Any
    """bool array (members × positions): the criteria a member declares not applicable."""
    given: dict[int, tuple[list[int], list[Decimal]]]
    """Per group position: the members that give its points, and the points they give."""


class GivenTooHigh(ValueError):
    """A member gives a group more points than apply to it."""

    def __init__(self, member: int, position: int, value: Decimal, applicable: Decimal) -> None:
        self.member = member
        self.position = position
        super().__init__(f"{value} is over the maximum of {applicable} points")


class BlockColumns:
    """A block's results, criterion by criterion: every member's score and maximum of every
    criterion (integers at :attr:`scale`), which of them have a result, which the member
    declares not applicable, and the tiers of the classified criteria."""

    __slots__ = (
        "_decimals",
        "_texts",
        "declared",
        "has",
        "index",
        "maxima",
        "scale",
        "scores",
        "tiers",
    )

    def __init__(
        self,
        index: Mapping[str, int],
        scale: int,
        scores: Any,
        maxima: Any,
        has: Any,
        declared: Any,
        tiers: dict[int, list[str | None]],
    ) -> None:
        self.index = index
        """Position of each criterion of the block (see :class:`~chiso.core.plan.BlockPlan`)."""
        self.scale = scale
        """Values are integers × 10^-scale."""
        self.scores = scores
        self.maxima = maxima
        self.has = has
        """False where a criterion has no result: a part of a group that the member declares
        not applicable or whose points it gives."""
        self.declared = declared
        self.tiers = tiers
        """Per classified position, each member's tier (None: none)."""
        self._texts: dict[int, list[str | None]] = {}
        self._decimals: dict[int, tuple[list[Decimal], list[Decimal]]] = {}

    def decimal(self, value: int) -> Decimal:
        return decimal_at(int(value), self.scale)

    def decimals(self, position: int) -> tuple[list[Decimal], list[Decimal]]:
        """Every member's score and maximum at ``position`` as :meth:`decimal` gives them
        (whether or not the member has a result there), worked out once per column and per
        distinct value: a report reads each unit's result of each criterion several times
        (its tables, their ranking, the narrative, the flat results)."""
        known = self._decimals.get(position)
        if known is None:
            scale = self.scale
            known = (
                decimals_at(self.scores[:, position].tolist(), scale),
                decimals_at(self.maxima[:, position].tolist(), scale),
            )
            self._decimals[position] = known
        return known

    def texts(self, position: int) -> list[str | None]:
        """Each member's score at ``position`` as :func:`text_at` writes it (None: no
        result), worked out once per column and per distinct value."""
        known = self._texts.get(position)
        if known is None:
            values = self.scores[:, position].tolist()
            texts = texts_at(values, self.scale)
            known = [
                t if h else None for t, h in zip(texts, self.has[:, position].tolist(), strict=True)
            ]
            self._texts[position] = known
        return known

    def column(self, code: str, rows: Sequence[int]) -> list[Decimal | None]:
        """The scores of ``code`` of the members ``rows`` (None: no result)."""
        position = self.index[code]
        scale = self.scale
        has = self.has[rows, position].tolist()
        values = self.scores[rows, position].tolist()
        return [decimal_at(v, scale) if h else None for v, h in zip(values, has, strict=True)]


def decimal_at(value: int, scale: int) -> Decimal:
    """The Decimal ``value`` × 10^-``scale``, exactly, without trailing zeros."""
    if not scale:
        return Decimal(value)
    whole, part = divmod(value, 10**scale)
    if not part:
        return Decimal(whole)
    return Decimal(text_at(value, scale))


def decimals_at(values: list[int], scale: int) -> list[Decimal]:
    """:func:`decimal_at` of each of ``values``, each distinct value made once."""
    distinct = dict.fromkeys(values)
    made = dict(zip(distinct, map(Decimal, _texts(list(distinct), scale)), strict=True))
    return list(map(made.__getitem__, values))


def texts_at(values: list[int], scale: int) -> list[str]:
    """:func:`text_at` of each of ``values``; a column with many equal values (a part of
    yes/no criteria) has each distinct value written once."""
    distinct = dict.fromkeys(values)
    if len(distinct) * 2 > len(values):
        return _texts(values, scale)
    written = dict(zip(distinct, _texts(list(distinct), scale), strict=True))
    return list(map(written.__getitem__, values))


def _texts(values: list[int], scale: int) -> list[str]:
    """:func:`text_at` of each of ``values``: the digits of each integer once, the point put
    in by slicing, trailing zeros stripped only where there are some."""
    if not scale:
        return list(map(str, values))
    if values and min(values) < 0:
        return [text_at(value, scale) for value in values]
    texts = list(map(str, values))
    width = scale + 1
    if texts and min(map(len, texts)) < width:
        texts = [text.rjust(width, "0") for text in texts]
    texts = [text[:-scale] + "." + text[-scale:] for text in texts]
    return [text if text[-1] != "0" else text.rstrip("0").rstrip(".") for text in texts]


def text_at(value: int, scale: int) -> str:
    """``value`` × 10^-``scale`` written out in positional digits, without trailing zeros
    (as :func:`chiso.io.results.json_number` writes a number)."""
    if not scale:
        return str(value)
    digits = str(abs(value)).rjust(scale + 1, "0")
    whole, part = digits[:-scale], digits[-scale:].rstrip("0")
    sign = "-" if value < 0 else ""
    return f"{sign}{whole}.{part}" if part else f"{sign}{whole}"


def _given_values(given: BlockInput) -> list[list[Decimal]]:
    """The points given to each group, group by group."""
    return [values for _, values in given.given.values()]


def _scaled_columns(columns: list[list[Decimal]]) -> tuple[int, list[list[int]]]:
    """The least scale at which every value of ``columns`` is an integer, and the values as
    integers at that scale."""
    scale = max(map(_places, columns), default=0)
    factor = Decimal(f"1E{scale}")  # a one-digit coefficient: every product is exact
    return scale, [
        list(map(int, map(_WIDE.multiply, column, repeat(factor)))) for column in columns
    ]


def _places(values: list[Decimal]) -> int:
    """The most decimal places of any of ``values`` (trailing zeros count)."""
    texts = list(map(str, values))
    if "E" in "".join(texts):  # written with an exponent: read it
        exponents = [value.as_tuple().exponent for value in values]
        return max(0, -min(e for e in exponents if isinstance(e, int)))
    return max(map(len, map(itemgetter(2), map(str.partition, texts, repeat(".")))), default=0)


_WIDE = Context(prec=100)
"""Wide enough for every number of a block at its scale: scaling a value by it is exact."""


def _array(values: list[int], wide: bool) -> Any:
    return np.array(values, dtype=object if wide else np.int64)


def score_columns(framework: Framework, plan: BlockPlan, given: BlockInput) -> BlockColumns:
    """Score a block's members: :class:`BlockColumns`. Raises :class:`GivenTooHigh` for the
    first member (then the first criterion in the framework's order) that gives a group more
    points than apply to it."""
    count = given.count
    size = len(plan.maxima)
    leaf_count = len(plan.leaves)
    scale, scaled = _scaled_columns(
        [list(plan.maxima), *(points for points, _ in given.leaves), *_given_values(given)]
    )
    maxima_ints, leaf_ints = scaled[0], scaled[1 : leaf_count + 1]
    given_ints = iter(scaled[leaf_count + 1 :])
    bound = sum(
        max(abs(maxima_ints[i]), max(leaf_ints[i], default=0), -min(leaf_ints[i], default=0))
        for i in range(leaf_count)
    )
    bound += sum(sum(map(abs, ints)) for ints in scaled[leaf_count + 1 :])
    wide = bound * 1000 >= _INT64_LIMIT  # room for the tiers' products
    dtype = object if wide else np.int64
    maxima_row = _array(maxima_ints, wide)
    scores = np.zeros((count, size), dtype=dtype)
    # a member that declares nothing not applicable has the block's maxima, summed once
    reference = _group_maxima(plan, maxima_row)
    maxima = np.tile(reference, (count, 1)) if count else np.zeros((0, size), dtype=dtype)
    declared = given.declared
    for i, (_, picks) in enumerate(given.leaves):
        table = _array(leaf_ints[i], wide)
        scores[:, i] = table[np.asarray(picks, dtype=np.intp)]
        if plan.full_credit[i]:
            continue
        rows = declared[:, i]
        if rows.any():
            maxima[rows, i] = 0
    given_at = {
        position: (np.asarray(rows, dtype=np.intp), _array(next(given_ints), wide))
        for position, (rows, _) in given.given.items()
    }
    hidden = _hidden(plan, declared, given_at, count)
    _sum_groups(plan, scores, maxima, declared, given_at, hidden, maxima_row, scale)
    has = ~hidden
    tiers = {
        position: tier_labels(
            classification,
            framework.display.scale,
            scores[:, position],
            maxima[:, position],
            scale,
            has[:, position],
        )[0]
        for position, classification in plan.classified
    }
    return BlockColumns(plan.index, scale, scores, maxima, has, declared & has, tiers)


def _hidden(plan: BlockPlan, declared: Any, given_at: dict[int, Any], count: int) -> Any:
    """Where a criterion has no result: under a group declared not applicable or given."""
    size = len(plan.maxima)
    decided = declared.copy()
    for position, (rows, _) in given_at.items():
        decided[rows, position] = True
    hidden = np.zeros((count, size), dtype=bool)
    for position, ancestors in enumerate(plan.ancestors):
        if ancestors:
            hidden[:, position] = decided[:, list(ancestors)].any(axis=1)
    return hidden


def _group_maxima(plan: BlockPlan, maxima_row: Any) -> Any:
    """The block's maxima with each group's the sum of its parts' (as :func:`_sum_groups`
    sums them for a member)."""
    reference = maxima_row.copy()
    position = len(plan.leaves)
    for level in plan.parts:
        for parts in level:
            reference[position] = reference[list(parts)].sum()
            position += 1
    return reference


def _sum_groups(
    plan: BlockPlan,
    scores: Any,
    maxima: Any,
    declared: Any,
    given_at: dict[int, tuple[Any, Any]],
    hidden: Any,
    block_maxima: Any,
    scale: int,
) -> None:
    """Each group the sum of its parts, height by height; a group declared not applicable
    takes its maximum or nothing of nothing, a group given takes the points given (out of what
    applies to it) before the groups above it are summed."""
    position = len(plan.leaves)
    problems: list[tuple[int, int, int, Any, Any]] = []
    changed = np.flatnonzero(declared.any(axis=1))  # the others keep the block's maxima
    for level in plan.parts:
        for parts in level:
            columns = list(parts)
            scores[:, position] = scores[:, columns].sum(axis=1)
            if len(changed):
                maxima[changed, position] = maxima[np.ix_(changed, columns)].sum(axis=1)
            rows = declared[:, position]
            if rows.any():
                credit = plan.group_full_credit[position - len(plan.leaves)]
                value = block_maxima[position] if credit else 0
                scores[rows, position] = value
                maxima[rows, position] = value
            if position in given_at:
                members, points = given_at[position]
                visible = ~hidden[members, position] & ~declared[members, position]
                members, points = members[visible], points[visible]
                over = points > maxima[members, position]
                problems += [
                    (int(k), plan.order[position], position, points[j], maxima[k, position])
                    for j, k in enumerate(members.tolist())
                    if over[j]
                ]
                scores[members, position] = points
            position += 1
    if problems:
        k, _, at, value, applicable = min(problems, key=lambda p: (p[0], p[1]))
        raise GivenTooHigh(k, at, decimal_at(int(value), scale), decimal_at(int(applicable), scale))


def tier_labels(
    classification: Classification,
    display_scale: str,
    scores: Any,
    maxima: Any,
    scale: int,
    where: Any = None,
) -> tuple[list[str | None], Any]:
    """Each value's tier under ``classification`` (None where ``where`` is False or, on the
    percent basis, where the maximum is 0), and whether it is below the lowest tier; decided
    exactly on the integers (values × 10^-``scale``), as
    :func:`chiso.core.tiers.classify` decides on the exact value."""
    count = len(scores)
    by_points = classification.basis == "points"
    ratio = display_scale == "ratio"
    valid = np.ones(count, dtype=bool) if where is None else np.asarray(where, dtype=bool)
    if not by_points:
        valid = valid & (maxima != 0)
    decided = np.zeros(count, dtype=bool)
    chosen = np.full(count, -1, dtype=np.intp)
    for number, tier in enumerate(classification.tiers):
        if tier.min is None:
            reached = ~decided
        else:
            least = _least(tier.min, classification.precision, ratio and not by_points)
            reached = ~decided & _at_least(scores, maxima, least, scale, by_points, ratio)
        chosen[reached & valid] = number
        decided |= reached
    below = valid & (chosen < 0)
    lowest = classification.below_lowest
    if below.any():
        assert lowest is not None  # checked on load
    # by tier number + 1: 0 the value below the lowest tier, then the tiers in order
    names = [lowest.label if lowest is not None else None] + [
        tier.label for tier in classification.tiers
    ]
    labels = [names[number + 1] for number in chosen.tolist()]
    if not valid.all():
        labels = [label if ok else None for label, ok in zip(labels, valid.tolist(), strict=True)]
    return labels, below


def _least(minimum: Decimal, precision: int | None, on_ratio: bool) -> Fraction:
    """The least exact value that reaches a tier whose threshold is ``minimum`` (on the
    display scale) when values are rounded half up at ``precision`` decimals first."""
    threshold = Fraction(minimum) / 100 if on_ratio else Fraction(minimum)
    if precision is None:
        return threshold
    step = Fraction(1, 10**precision)
    on_grid = -((-threshold) // step) * step  # the least multiple of step ≥ threshold
    return on_grid - step / 2


def _at_least(
    scores: Any, maxima: Any, least: Fraction, scale: int, by_points: bool, ratio: bool
) -> Any:
    """Whether each value reaches ``least``: the points (× 10^-scale), or the percentage
    (the share on the ratio scale) of points over maximum."""
    if by_points:  # s / 10^scale ≥ n / d  ⟺  s·d ≥ n·10^scale
        return _products_at_least(scores, least.denominator, None, least.numerator * 10**scale)
    factor = 1 if ratio else 100  # s·factor / m ≥ n / d  ⟺  s·factor·d ≥ n·m
    return _products_at_least(scores, factor * least.denominator, maxima, least.numerator)


def _products_at_least(left: Any, left_factor: int, right: Any, right_factor: int) -> Any:
    """``left × left_factor ≥ right × right_factor`` elementwise (``right`` None: 1), in
    int64 when no product can overflow, else in Python integers."""
    arrays = [left] if right is None else [left, right]
    largest = max((int(abs(a).max()) if len(a) else 0) for a in arrays)
    if left.dtype == object or largest * max(left_factor, abs(right_factor)) >= _INT64_LIMIT:
        left = left.astype(object)
        right = right.astype(object) if right is not None else None
    product = left * left_factor
    other = right_factor if right is None else right * right_factor
    return np.asarray(product >= other, dtype=bool)


def percent_of(score: int, maximum: int) -> Decimal | None:
    """score / maximum × 100 at the precision of :func:`chiso.core.numbers.percent`."""
    if maximum == 0:
        return None
    return _PERCENT.divide(Decimal(score * 100), Decimal(maximum))


def percents_of(scores: list[int], maxima: list[int]) -> list[Decimal | None]:
    """:func:`percent_of` of each pair of ``scores`` and ``maxima``."""
    if 0 in maxima:
        return list(map(percent_of, scores, maxima))
    hundreds = map(Decimal, map(mul, scores, repeat(100)))
    return list(map(_PERCENT.divide, hundreds, map(Decimal, maxima)))


_PERCENT = Context(prec=34)
