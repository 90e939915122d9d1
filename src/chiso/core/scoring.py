"""Score a cycle: every unit's node scores, total, percentage, tier and rank, per block.

This is the one place where a score is computed. It takes values and returns values: no
files, no database, no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, replace
from decimal import Decimal
from itertools import compress
from typing import Any

from chiso.core.framework import Framework, Node, RelativeRule
from chiso.core.model import (
    Answer,
    AnswerTable,
    BlockResult,
    CycleResult,
    NodeResult,
    NodeScores,
    NotRankedReason,
    PreviousComparison,
    PreviousResult,
    RowAnswers,
    Status,
    UnitData,
    UnitResult,
    score_of,
)
from chiso.core.numbers import ZERO, percent, round_half_up
from chiso.core.plan import BlockPlan, block_plan
from chiso.core.ranking import rank
from chiso.core.rules import AnswerProblem, answer_problem, leaf_points, relative_points
from chiso.core.stats import block_stats, summarize
from chiso.core.tiers import classify, display_value, name_sort_key, normalize_name

__all__ = ["InvalidData", "applicable_max", "ranking_key", "score"]


class InvalidData(ValueError):
    """Input the methodology cannot score; names the unit and criterion when there is one."""

    def __init__(self, message: str, unit: str | None = None, code: str | None = None) -> None:
        self.unit = unit
        self.code = code
        self.message = message
        super().__init__(message)


def ranking_key(
    framework: Framework,
    block: str,
    points: Decimal,
    percent_value: Decimal | None,
    parts: Mapping[str, Decimal],
    tie_breakers: bool = True,
) -> tuple[Decimal, ...]:
    """What a unit is ranked on, higher first: its value rounded at the ranking's precision,
    then the tie breakers (``parts`` gives the criteria's points)."""
    ranking = framework.ranking_for(block)
    scale = framework.display.scale

    def measure(name: str) -> Decimal:
        if name == "points":
            return points
        if name == "percent":
            return display_value(percent_value or ZERO, scale)
        return parts.get(name, ZERO)

    first = measure(ranking.by)
    if ranking.precision is not None:
        first = round_half_up(first, ranking.precision)
    if not tie_breakers:
        return (first,)
    return (first, *(measure(breaker) for breaker in ranking.tie_breakers))


def score(
    framework: Framework,
    units: Sequence[UnitData],
    previous: Iterable[PreviousResult] = (),
) -> CycleResult:
    leaves = _check_units(framework, units)
    history = _index_previous(previous)
    blocks = []
    all_scores: list[tuple[str, Decimal]] = []
    for block in framework.blocks:
        members = [
            (unit, scored)
            for unit, scored in zip(units, leaves, strict=True)
            if unit.block == block.code
        ]
        results = _score_block(framework, block.code, members, history)
        all_scores += [(r.unit, r.total) for r in results if r.total is not None]
        blocks.append(
            BlockResult(
                block=block.code,
                name=block.name,
                max=framework.total_max(block.code),
                units=tuple(results),
                stats=block_stats(framework, block.code, results, history),
            )
        )
    return CycleResult(
        framework=framework.id,
        year=framework.year,
        blocks=tuple(blocks),
        overall=summarize(all_scores),
    )


def applicable_max(
    framework: Framework, block: str, code: str | None, not_applicable: Iterable[str] = ()
) -> Decimal:
    """The maximum of criterion ``code`` (None: the total) for a unit of ``block`` that
    declares the criteria ``not_applicable`` (exclusions lower it, full credit does not)."""
    maxima = framework.max_for(block)
    declared = set(not_applicable)

    def visit(node: Node) -> Decimal:
        if node.code in declared:
            excluded = framework.na_policy(node.code) == "exclude"
            return ZERO if excluded else maxima[node.code]
        if node.is_leaf:
            return maxima[node.code]
        return sum((visit(c) for c in node.children if c.code in maxima), ZERO)

    roots = framework.criteria if code is None else [framework.node(code)]
    return sum((visit(root) for root in roots if root.code in maxima), ZERO)


# --- checks -------------------------------------------------------------------------------


@dataclass(slots=True)
class _Leaves:
    """The leaf points of a unit that answers leaf criteria only (relative rules still to
    score), and the leaves it declares not applicable."""

    points: list[Decimal]
    not_applicable: list[int]


def _check_units(framework: Framework, units: Sequence[UnitData]) -> list[_Leaves | None]:
    """Check every unit; score the leaves of the units that answer leaf criteria only. None:
    a unit without data, or one that gives a group's points or declares a group not
    applicable (the general path). The problem reported is the first in the units' order."""
    try:
        return _leaves_by_column(framework, units)
    except InvalidData:
        _check_in_order(framework, units)
        raise


def _check_in_order(framework: Framework, units: Sequence[UnitData]) -> None:
    """Raise the first problem of ``units``, unit by unit, each unit's answers in order."""
    seen: set[str] = set()
    for unit in units:
        _check_unit(framework, unit, seen)
        _check_answers(framework, unit)


def _check_unit(framework: Framework, unit: UnitData, seen: set[str]) -> None:
    if not unit.unit.strip():
        raise InvalidData("a unit has no name", unit.unit)
    key = normalize_name(unit.unit)
    if key in seen:
        raise InvalidData(f"unit {unit.unit!r} appears twice", unit.unit)
    seen.add(key)
    if not framework.has_block(unit.block):
        known = ", ".join(block.code for block in framework.blocks)
        raise InvalidData(
            f"unknown block {unit.block!r} (the framework's blocks: {known})", unit.unit
        )


def _table_of(units: Sequence[UnitData]) -> tuple[AnswerTable, list[int]]:
    """The units' answers as one table, and each unit's row in it: the table they were read
    into, or one made of their answers."""
    first = units[0].answers if units else None
    if type(first) is RowAnswers:
        table = first.table
        rows = [
            u.answers.row
            for u in units
            if type(u.answers) is RowAnswers and u.answers.table is table
        ]
        if len(rows) == len(units):
            return table, rows
    return AnswerTable.of([unit.answers for unit in units]), list(range(len(units)))


def _leaves_by_column(framework: Framework, units: Sequence[UnitData]) -> list[_Leaves | None]:
    """:func:`_check_units` criterion by criterion: each distinct answer of a column is
    checked and scored once per block, and the units' points are read by position. Raises
    InvalidData on any problem (not always the first one)."""
    seen: set[str] = set()
    for unit in units:
        _check_unit(framework, unit, seen)
    table, rows = _table_of(units)
    leaves: list[_Leaves | None] = [None] * len(units)
    for block in framework.blocks:
        members = [
            i
            for i, unit in enumerate(units)
            if unit.block == block.code and unit.status is not Status.NO_DATA
        ]
        if members:
            _block_leaves(
                framework, block_plan(framework, block.code), units, members, rows, table, leaves
            )
    for unit in units:
        if unit.status is Status.NO_DATA:
            _check_answers(framework, unit)
    return leaves


def _block_leaves(
    framework: Framework,
    plan: BlockPlan,
    units: Sequence[UnitData],
    members: list[int],
    rows: list[int],
    table: AnswerTable,
    leaves: list[_Leaves | None],
) -> None:
    """Fill ``leaves`` for the units ``members`` of one block."""
    leaf_codes = set(plan.leaves)
    member_rows = [rows[i] for i in members]
    count = len(members)
    general: set[int] = set()
    for code, column in table.columns.items():
        if code in leaf_codes:
            continue
        given = list(compress(range(count), map(column.picks.__getitem__, member_rows)))
        if not given:
            continue
        if code not in plan.index:
            unit = units[members[given[0]]]
            _check_answers(framework, unit)
            raise InvalidData(f"criterion {code} does not apply", unit.unit, code)
        general.update(given)
    columns: list[list[Decimal]] = []
    declared: dict[int, list[int]] = {}
    for i, code in enumerate(plan.leaves):
        column = table.columns.get(code)
        if column is None:
            columns.append([ZERO] * count)
            continue
        picks = list(map(column.picks.__getitem__, member_rows))
        points = [ZERO] * len(column.answers)
        not_applicable = set()
        for position in set(picks):
            if not position:
                continue
            answer = column.answers[position]
            try:
                points[position] = _leaf_score(plan, i, answer)
            except AnswerProblem as problem:
                unit = units[members[picks.index(position)]]
                raise InvalidData(str(problem), unit.unit, code) from None
            if answer.not_applicable:
                not_applicable.add(position)
        if not_applicable:
            for k in compress(range(count), map(not_applicable.__contains__, picks)):
                declared.setdefault(k, []).append(i)
        columns.append(list(map(points.__getitem__, picks)))
    by_unit = list(map(list, zip(*columns, strict=True))) if columns else [[]] * count
    for k, (i, points_of_unit) in enumerate(zip(members, by_unit, strict=True)):
        if k in general:
            _check_answers(framework, units[i])
        else:
            leaves[i] = _Leaves(points_of_unit, declared.get(k, []))


def _leaf_score(plan: BlockPlan, i: int, answer: Answer) -> Decimal:
    """Points of a leaf's answer, as :func:`_evaluate` gives them when no group is given (0
    for now under a relative rule); raises AnswerProblem as :func:`_answer_problem` finds."""
    if answer.not_applicable:
        if not plan.may_be_not_applicable[i]:
            raise AnswerProblem(f"criterion {plan.leaves[i]} cannot be declared not applicable")
        return plan.maxima[i] if plan.full_credit[i] else ZERO
    return plan.judges[i](answer)


def _check_answers(framework: Framework, unit: UnitData) -> None:
    maxima = framework.max_for(unit.block)
    nodes = framework.nodes
    groups_given = any(
        code in nodes and not nodes[code].is_leaf and answer.value is not None
        for code, answer in unit.answers.items()
    )
    for code, answer in unit.answers.items():
        problem = _answer_problem(framework, maxima, unit, code, answer, groups_given)
        if problem is not None:
            raise InvalidData(problem, unit.unit, code)


def _answer_problem(
    framework: Framework,
    maxima: dict[str, Decimal],
    unit: UnitData,
    code: str,
    answer: Answer,
    groups_given: bool,
) -> str | None:
    node = framework.nodes.get(code)
    if node is None:
        return f"unknown criterion {code!r}"
    if code not in maxima:
        return f"criterion {code} does not apply to block {unit.block!r}"
    if answer.not_applicable:
        if not node.not_applicable:
            return f"criterion {code} cannot be declared not applicable"
        return None
    if answer.value is None:
        return None
    for ancestor in framework.ancestors(code) if groups_given else ():
        given = unit.answers.get(ancestor)
        if given is not None and given.value is not None and not given.not_applicable:
            return f"both {ancestor} and its part {code} are given: give one or the other"
    if node.is_leaf:
        return answer_problem(node.effective_rule, maxima[code], answer)
    if not isinstance(answer.value, Decimal):
        return f"{answer.value!r} is not a number"
    if answer.value < 0:
        return f"{answer.value} is below 0"
    return None  # the upper bound depends on exclusions: checked while scoring


# --- one block ------------------------------------------------------------------------------


def _score_block(
    framework: Framework,
    block: str,
    members: list[tuple[UnitData, _Leaves | None]],
    history: dict[int, dict[str, PreviousResult]],
) -> list[UnitResult]:
    plan = block_plan(framework, block)
    maxima = framework.max_for(block)
    best = _relative_best(framework, maxima, [unit for unit, _ in members])
    classification = framework.classification_for(block)
    scale = framework.display.scale
    drafts = []
    for unit, leaves in members:
        if unit.status is Status.NO_DATA:
            drafts.append(_no_data(unit, framework.total_max(block)))
            continue
        if leaves is None:
            scores, node_maxima, declared = _general_scores(framework, plan, unit, best)
        else:
            scores, node_maxima, declared = _plan_scores(plan, unit, leaves, best)
        total = sum([scores[root] for root in plan.roots], ZERO)
        maximum = sum([node_maxima[root] for root in plan.roots], ZERO)
        share = percent(total, maximum)
        tier, below = (
            classify(classification, total, share, scale) if classification else (None, False)
        )
        reason = None
        if unit.status is Status.VOLUNTARY:
            reason = NotRankedReason.VOLUNTARY
        elif below and not (classification and classification.ranks_below_lowest):
            reason = NotRankedReason.BELOW_LOWEST_LEVEL
        drafts.append(
            UnitResult(
                unit=unit.unit,
                block=block,
                status=unit.status,
                total=total,
                max=maximum,
                percent=share,
                tier=tier,
                rank=None,
                not_ranked_reason=reason,
                nodes=NodeScores(
                    plan.index,
                    scores,
                    node_maxima,
                    _node_tiers(plan, scores, node_maxima, scale),
                    declared,
                ),
                tags=_tags(plan, scores, node_maxima),
            )
        )
    ranked = [r for r in drafts if r.has_data and r.not_ranked_reason is None]
    keys = [
        ranking_key(
            framework,
            block,
            r.total or ZERO,
            r.percent,
            {
                code: points
                for code in plan.tie_breakers
                if (points := score_of(r.nodes, code)) is not None
            },
        )
        for r in ranked
    ]
    ranks = dict(
        zip(
            (id(r) for r in ranked),
            rank(keys, [r.unit for r in ranked], framework.ranking_for(block).ties),
            strict=True,
        )
    )
    finished = []
    for draft in drafts:
        unit_rank = ranks.get(id(draft))
        finished.append(
            replace(draft, rank=unit_rank, previous=_compare(draft, unit_rank, history))
        )
    return sorted(finished, key=lambda r: _published_order(framework, block, r))


_Scores = tuple[list[Any], Sequence[Decimal], set[int] | list[int]]
"""A unit's scores and maxima by plan position (None: no result) and the positions declared
not applicable."""


def _plan_scores(
    plan: BlockPlan, unit: UnitData, leaves: _Leaves, best: dict[str, Decimal]
) -> _Scores:
    points = leaves.points
    for i in plan.relative:
        answer = unit.answers.get(plan.leaves[i])
        if answer is not None and not answer.not_applicable:
            value = answer.value if isinstance(answer.value, Decimal) else None
            points[i] = relative_points(plan.maxima[i], value, best[plan.leaves[i]])
    scores = plan.sums(points)
    if not leaves.not_applicable:
        return scores, plan.maxima, ()  # type: ignore[return-value]
    leaf_maxima = list(plan.maxima[: len(plan.leaves)])
    for i in leaves.not_applicable:
        if not plan.full_credit[i]:
            leaf_maxima[i] = ZERO
    return scores, plan.sums(leaf_maxima), leaves.not_applicable


def _general_scores(
    framework: Framework, plan: BlockPlan, unit: UnitData, best: dict[str, Decimal]
) -> _Scores:
    results = _evaluate(framework, framework.max_for(unit.block), unit, best)
    scores: list[Decimal | None] = [None] * len(plan.maxima)
    maxima = list(plan.maxima)
    declared = set()
    for code, result in results.items():
        position = plan.index[code]
        scores[position] = result.score
        maxima[position] = result.max
        if result.not_applicable:
            declared.add(position)
    return scores, maxima, declared


def _node_tiers(
    plan: BlockPlan, scores: list[Any], maxima: Sequence[Decimal], scale: str
) -> dict[int, str]:
    tiers = {}
    for position, classification in plan.classified:
        points = scores[position]
        if points is not None and maxima[position] > 0:
            tier, _ = classify(classification, points, percent(points, maxima[position]), scale)
            if tier is not None:
                tiers[position] = tier
    return tiers


def _tags(plan: BlockPlan, scores: list[Any], maxima: Sequence[Decimal]) -> dict[str, NodeResult]:
    """Each tag sums the tagged criteria that have a score for this unit."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for position, tags in plan.tagged:
        points = scores[position]
        if points is None:
            continue
        for tag in tags:
            total, maximum = sums.get(tag, (ZERO, ZERO))
            sums[tag] = (total + points, maximum + maxima[position])
    return {tag: NodeResult(total, maximum) for tag, (total, maximum) in sums.items()}


def _no_data(unit: UnitData, maximum: Decimal) -> UnitResult:
    return UnitResult(
        unit=unit.unit,
        block=unit.block,
        status=unit.status,
        total=None,
        max=maximum,
        percent=None,
        tier=None,
        rank=None,
        not_ranked_reason=NotRankedReason.NO_DATA,
        nodes={},
        tags={},
    )


def _published_order(framework: Framework, block: str, result: UnitResult) -> tuple[Any, ...]:
    """Ranked units by rank, then the other scored units, then those without data."""
    if not result.has_data:
        return (2, 0, ZERO, name_sort_key(result.unit))
    exact = result.percent if framework.ranking_for(block).by == "percent" else result.total
    rank_part = result.rank if result.rank is not None else 0
    group = 0 if result.rank is not None else 1
    return (group, rank_part, -(exact or ZERO), name_sort_key(result.unit))


def _relative_best(
    framework: Framework, maxima: dict[str, Decimal], units: list[UnitData]
) -> dict[str, Decimal]:
    best: dict[str, Decimal] = defaultdict(lambda: ZERO)
    for code in maxima:
        if isinstance(framework.node(code).rule, RelativeRule):
            for unit in units:
                answer = unit.answers.get(code)
                if (
                    unit.status is not Status.NO_DATA
                    and answer is not None
                    and isinstance(answer.value, Decimal)
                    and not answer.not_applicable
                ):
                    best[code] = max(best[code], answer.value)
    return best


def _evaluate(
    framework: Framework,
    maxima: dict[str, Decimal],
    unit: UnitData,
    best: dict[str, Decimal],
) -> dict[str, NodeResult]:
    answers = unit.answers
    results: dict[str, NodeResult] = {}

    declared = [code for code, answer in answers.items() if answer.not_applicable]

    def visit(node: Node) -> NodeResult:
        code = node.code
        maximum = maxima[code]
        answer = answers.get(code)
        if answer is not None and answer.not_applicable:
            if framework.na_policy(code) == "exclude":
                result = NodeResult(ZERO, ZERO, not_applicable=True)
            else:
                result = NodeResult(maximum, maximum, not_applicable=True)
        elif node.is_leaf:
            rule = node.effective_rule
            if isinstance(rule, RelativeRule):
                value = answer.value if answer is not None else None
                points = relative_points(
                    maximum, value if isinstance(value, Decimal) else None, best[code]
                )
            else:
                points = leaf_points(rule, maximum, answer) if answer is not None else ZERO
            result = NodeResult(points, maximum)
        elif answer is not None and isinstance(answer.value, Decimal):
            applicable = applicable_max(framework, unit.block, code, declared)
            if answer.value > applicable:
                raise InvalidData(
                    f"{answer.value} is over the maximum of {applicable} points", unit.unit, code
                )
            result = NodeResult(answer.value, applicable)
        else:
            parts = [visit(child) for child in node.children if child.code in maxima]
            total = sum((p.score for p in parts), ZERO)
            applicable = sum((p.max for p in parts), ZERO)
            result = NodeResult(total, applicable)
        results[code] = result
        return result

    for root in framework.criteria:
        if root.code in maxima:
            visit(root)
    return results


# --- previous cycles ------------------------------------------------------------------------


def _index_previous(previous: Iterable[PreviousResult]) -> dict[int, dict[str, PreviousResult]]:
    history: dict[int, dict[str, PreviousResult]] = defaultdict(dict)
    for entry in previous:
        key = normalize_name(entry.unit)
        if key in history[entry.year]:
            raise InvalidData(f"unit {entry.unit!r} appears twice for {entry.year}", entry.unit)
        history[entry.year][key] = entry
    return dict(sorted(history.items(), reverse=True))


def _compare(
    result: UnitResult,
    current_rank: int | None,
    history: dict[int, dict[str, PreviousResult]],
) -> tuple[PreviousComparison, ...]:
    key = normalize_name(result.unit)
    comparisons = []
    for year, entries in history.items():
        before = entries.get(key)
        if before is None:
            comparisons.append(PreviousComparison(year, None, None, None, None, None))
            continue
        rank_change = (
            before.rank - current_rank
            if before.rank is not None and current_rank is not None
            else None
        )
        score_change = (
            result.total - before.score
            if result.total is not None and before.score is not None
            else None
        )
        comparisons.append(
            PreviousComparison(
                year, before.rank, before.score, before.tier, rank_change, score_change
            )
        )
    return tuple(comparisons)
