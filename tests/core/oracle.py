"""The reference the scoring engine is tested against: the methodology read literally, unit by
unit, by a walk of the criteria tree in exact arithmetic.

A leaf's points are what its rule gives (:func:`chiso.core.rules.leaf_points`: a value that
does not terminate, ⅔ of a point, to 28 significant digits, Python's decimal default); every
sum after that is exact; percentages, tiers and ranks are decided on exact fractions. Slow and
plain on purpose: nothing here is shared with the engine but the rules' points and the
framework's accessors.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Context, Decimal, localcontext
from fractions import Fraction
from typing import Any

from chiso.core import Framework, NotRankedReason, Status, UnitData
from chiso.core.framework import Classification, Node, RelativeRule
from chiso.core.rules import leaf_points, relative_points
from chiso.core.tiers import name_sort_key

__all__ = ["Expected", "reference"]

ZERO = Decimal(0)
_EXACT = Context(prec=400)


@dataclass
class Expected:
    """What the methodology gives one unit with data."""

    nodes: dict[str, tuple[Decimal, Decimal, str | None, bool]]
    """Per criterion with a result: score, maximum, tier, declared not applicable."""
    total: Decimal
    max: Decimal
    share: Fraction | None
    """The exact percentage (None: the maximum is 0)."""
    tier: str | None
    reason: NotRankedReason | None
    tags: dict[str, tuple[Decimal, Decimal]]
    excluded: tuple[str, ...]
    full_credit: tuple[str, ...]
    rank: int | None = None
    key: tuple[Fraction, ...] = field(default=())


def reference(framework: Framework, units: Sequence[UnitData]) -> dict[str, Expected]:
    """Every unit with data, by name."""
    found: dict[str, Expected] = {}
    for block in framework.blocks:
        members = [u for u in units if u.block == block.code and u.status is not Status.NO_DATA]
        maxima = framework.max_for(block.code)
        best = _best(framework, maxima, members)
        expected = {u.unit: _unit(framework, maxima, u, best) for u in members}
        _rank(framework, block.code, expected)
        found.update(expected)
    return found


def _best(
    framework: Framework, maxima: dict[str, Decimal], members: list[UnitData]
) -> dict[str, Decimal]:
    """The best value of the block under each relative criterion (0 when nobody answered)."""
    best = {}
    for code in maxima:
        if isinstance(framework.node(code).effective_rule, RelativeRule):
            values = [
                answer.value
                for u in members
                if (answer := dict(u.answers).get(code)) is not None
                and isinstance(answer.value, Decimal)
                and not answer.not_applicable
            ]
            best[code] = max([ZERO, *values])
    return best


def evaluate(
    framework: Framework, maxima: dict[str, Decimal], unit: UnitData, best: dict[str, Decimal]
) -> dict[str, tuple[Decimal, Decimal, bool]]:
    """Each criterion's (score, maximum, declared) for ``unit``, by the tree walk; raises
    ValueError for points given to a group over what applies to it."""
    answers = dict(unit.answers)
    results: dict[str, tuple[Decimal, Decimal, bool]] = {}
    declared = {code for code, answer in answers.items() if answer.not_applicable}

    def applicable(node: Node) -> Decimal:
        if node.code in declared:
            excluded = framework.na_policy(node.code) == "exclude"
            return ZERO if excluded else maxima[node.code]
        if node.is_leaf:
            return maxima[node.code]
        with localcontext(_EXACT):
            return sum((applicable(c) for c in node.children if c.code in maxima), ZERO)

    def visit(node: Node) -> tuple[Decimal, Decimal]:
        code = node.code
        maximum = maxima[code]
        answer = answers.get(code)
        if answer is not None and answer.not_applicable:
            credit = framework.na_policy(code) != "exclude"
            results[code] = (maximum, maximum, True) if credit else (ZERO, ZERO, True)
            return results[code][:2]
        if node.is_leaf:
            rule = node.effective_rule
            if isinstance(rule, RelativeRule):
                value = answer.value if answer is not None else None
                given = value if isinstance(value, Decimal) else None
                points = relative_points(maximum, given, best[code])
            else:
                points = leaf_points(rule, maximum, answer) if answer is not None else ZERO
            results[code] = (points, maximum, False)
            return points, maximum
        if answer is not None and isinstance(answer.value, Decimal):
            most = applicable(node)
            if answer.value > most:
                raise ValueError(f"{answer.value} is over the maximum of {most} points")
            results[code] = (answer.value, most, False)
            return answer.value, most
        parts = [visit(child) for child in node.children if child.code in maxima]
        with localcontext(_EXACT):
            total = sum((p[0] for p in parts), ZERO)
            most = sum((p[1] for p in parts), ZERO)
        results[code] = (total, most, False)
        return total, most

    for root in framework.criteria:
        if root.code in maxima:
            visit(root)
    return results


def _unit(
    framework: Framework, maxima: dict[str, Decimal], unit: UnitData, best: dict[str, Decimal]
) -> Expected:
    walked = evaluate(framework, maxima, unit, best)
    block = unit.block
    scale = framework.display.scale
    nodes = {}
    for code, (points, most, declared) in walked.items():
        classification = framework.node_classification(code, block)
        tier = None
        if classification is not None and most > 0:
            tier, _ = tier_of(classification, scale, points, most)
        nodes[code] = (points, most, tier, declared)
    roots = [walked[r.code] for r in framework.criteria if r.code in walked]
    with localcontext(_EXACT):
        total = sum((r[0] for r in roots), ZERO)
        most = sum((r[1] for r in roots), ZERO)
    share = Fraction(total) * 100 / Fraction(most) if most else None
    classification = framework.classification_for(block)
    tier, below = (None, False)
    if classification is not None:
        tier, below = tier_of(classification, scale, total, most)
    reason = None
    if unit.status is Status.VOLUNTARY:
        reason = NotRankedReason.VOLUNTARY
    elif below and not (classification is not None and classification.ranks_below_lowest):
        reason = NotRankedReason.BELOW_LOWEST_LEVEL
    tags: dict[str, tuple[Decimal, Decimal]] = {}
    for code, names in framework.tagged:
        if code in walked:
            for tag in names:
                points, most_so_far = tags.get(tag, (ZERO, ZERO))
                with localcontext(_EXACT):
                    tags[tag] = (points + walked[code][0], most_so_far + walked[code][1])
    declared = {code for code, answer in dict(unit.answers).items() if answer.not_applicable}
    excluded, full_credit = _declarations(framework, declared)
    expected = Expected(nodes, total, most, share, tier, reason, tags, excluded, full_credit)
    expected.key = _key(framework, block, expected)
    return expected


def exact_round(value: Fraction, decimals: int) -> Fraction:
    """``value`` rounded half up (away from zero) at ``decimals`` places, exactly."""
    step = Fraction(1, 10**decimals)
    units = abs(value) / step
    whole = int(units)
    if units - whole >= Fraction(1, 2):
        whole += 1
    return (whole if value >= 0 else -whole) * step


def tier_of(
    classification: Classification, scale: str, points: Decimal, most: Decimal
) -> tuple[str | None, bool]:
    """The tier of ``points`` out of ``most`` and whether it is below the lowest one."""
    if classification.basis == "points":
        value = Fraction(points)
    elif not most:
        return None, False
    else:
        value = Fraction(points) * 100 / Fraction(most)
        if scale == "ratio":
            value /= 100
    if classification.precision is not None:
        value = exact_round(value, classification.precision)
    ratio = scale == "ratio" and classification.basis != "points"
    for tier in classification.tiers:
        if tier.min is None:
            return tier.label, False
        least = Fraction(tier.min) / 100 if ratio else Fraction(tier.min)
        if value >= least:
            return tier.label, False
    assert classification.below_lowest is not None
    return classification.below_lowest.label, True


def _declarations(
    framework: Framework, declared: set[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    excluded: list[str] = []
    full_credit: list[str] = []
    for code in sorted(declared, key=framework.order.__getitem__):
        if any(group in declared for group in framework.ancestors(code)):
            continue
        if framework.na_policy(code) == "exclude":
            excluded.append(code)
        else:
            full_credit.append(code)
    return tuple(excluded), tuple(full_credit)


def _key(framework: Framework, block: str, unit: Expected) -> tuple[Fraction, ...]:
    """What the unit is ranked on, higher first, exactly: the measure on the display scale
    rounded at the ranking's precision, then the tie breakers."""
    ranking = framework.ranking_for(block)

    def measure(name: str) -> Fraction:
        if name == "points":
            return Fraction(unit.total)
        if name == "percent":
            share = unit.share or Fraction(0)
            return share / 100 if framework.display.scale == "ratio" else share
        node = unit.nodes.get(name)
        return Fraction(node[0]) if node is not None else Fraction(0)

    first = measure(ranking.by)
    if ranking.precision is not None:
        first = exact_round(first, ranking.precision)
    return (first, *(measure(b) for b in ranking.tie_breakers))


def _rank(framework: Framework, block: str, units: dict[str, Expected]) -> None:
    ranked = sorted(
        (name for name, u in units.items() if u.reason is None),
        key=lambda name: (_Desc(units[name].key), name_sort_key(name)),
    )
    ties = framework.ranking_for(block).ties
    current = 0
    previous: Any = None
    for position, name in enumerate(ranked, start=1):
        key = units[name].key
        if ties == "ordinal":
            current = position
        elif position == 1 or key != previous:
            current = position if ties == "competition" else current + 1
        units[name].rank = current
        previous = key


class _Desc:
    __slots__ = ("value",)

    def __init__(self, value: Any) -> None:
        self.value = value

    def __lt__(self, other: _Desc) -> bool:
        return bool(self.value > other.value)

    def __eq__(self, other: object) -> bool:
        return isinstance(other, _Desc) and bool(self.value == other.value)

    def __hash__(self) -> int:
        return hash(self.value)
