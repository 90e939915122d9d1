"""Score a cycle: every unit's node scores, total, percentage, tier and rank, per block.

This is the one place where a score is computed. It takes values and returns values: no
files, no database, no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Collection, Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import compress, repeat
from operator import add
from typing import Any, NoReturn

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
)
from chiso.core.numbers import ZERO, percent, round_half_up
from chiso.core.plan import BlockPlan, block_plan
from chiso.core.ranking import RankingRule
from chiso.core.rules import AnswerProblem, answer_problem, leaf_points, relative_points
from chiso.core.stats import block_stats, summarize
from chiso.core.tiers import classifier, classify, name_sort_key, normalize_name

__all__ = ["InvalidData", "applicable_max", "score"]


class InvalidData(ValueError):
    """Input the methodology cannot score; names the unit and criterion when there is one."""

    def __init__(self, message: str, unit: str | None = None, code: str | None = None) -> None:
        self.unit = unit
        self.code = code
        self.message = message
        super().__init__(message)


def score(
    framework: Framework,
    units: Sequence[UnitData],
    previous: Iterable[PreviousResult] = (),
) -> CycleResult:
    scored = _check_units(framework, units)
    history = _index_previous(previous)
    blocks = []
    all_scores: list[tuple[str, Decimal]] = []
    for block in framework.blocks:
        results = _score_block(framework, block.code, units, scored.get(block.code), history)
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
class _Columns:
    """The leaf points of one block's units with data, criterion by criterion."""

    members: list[int]
    """Positions in the units given to :func:`score` of the block's units with data."""
    points: list[list[Decimal]]
    """Per leaf of the block's plan, the points of each member (relative rules included)."""
    general: set[int]
    """Members (by position in :attr:`members`) that give a group's points: scored by the tree
    walk, their entries in :attr:`points` unused."""
    declared: dict[int, list[int]]
    """Members that declare leaves not applicable, and those leaves."""
    declared_groups: dict[int, list[str]]
    """Members that declare groups not applicable (and give no group's points), and those
    groups."""
    best: dict[str, Decimal]
    """The best value of the block for each criterion scored relative to it."""


def _check_units(framework: Framework, units: Sequence[UnitData]) -> dict[str, _Columns]:
    """Check every unit and score the leaves, block by block. The problem reported is the
    first in the units' order."""
    try:
        return _by_column(framework, units)
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


def _by_column(framework: Framework, units: Sequence[UnitData]) -> dict[str, _Columns]:
    """:func:`_check_units` criterion by criterion: each distinct answer of a column is
    checked and scored once per block, and the units' points are read by position. Raises
    InvalidData on any problem (not always the first one)."""
    seen: set[str] = set()
    for unit in units:
        _check_unit(framework, unit, seen)
    table, rows = _table_of(units)
    scored = {}
    for block in framework.blocks:
        members = [
            i
            for i, unit in enumerate(units)
            if unit.block == block.code and unit.status is not Status.NO_DATA
        ]
        if members:
            plan = block_plan(framework, block.code)
            scored[block.code] = _block_columns(framework, plan, units, members, rows, table)
    for unit in units:
        if unit.status is Status.NO_DATA:
            _check_answers(framework, unit)
    return scored


def _block_columns(
    framework: Framework,
    plan: BlockPlan,
    units: Sequence[UnitData],
    members: list[int],
    rows: list[int],
    table: AnswerTable,
) -> _Columns:
    """Check and score the leaves of one block's ``members``."""
    leaf_codes = set(plan.leaves)
    member_rows = [rows[i] for i in members]
    count = len(members)
    general: set[int] = set()
    declared_groups: dict[int, list[str]] = {}
    for code, column in table.columns.items():
        if code in leaf_codes:
            continue
        picks = column.picks
        given = list(compress(range(count), map(picks.__getitem__, member_rows)))
        if not given:
            continue
        if code not in plan.index:
            _refuse(framework, units[members[given[0]]], code)
        may_be_declared = framework.node(code).not_applicable
        for k in given:
            answer = column.answers[picks[member_rows[k]]]
            if answer.not_applicable and answer.value is None:
                if not may_be_declared:
                    _refuse(framework, units[members[k]], code)
                declared_groups.setdefault(k, []).append(code)
            else:  # the group's points: the tree walk checks and scores the unit
                general.add(k)
    for k in general:
        declared_groups.pop(k, None)
    columns: list[list[Decimal]] = []
    declared: dict[int, list[int]] = {}
    best: dict[str, Decimal] = {}
    relative = set(plan.relative)
    for i, code in enumerate(plan.leaves):
        leaf_column = table.columns.get(code)
        if leaf_column is None:
            columns.append([ZERO] * count)
            if i in relative:
                best[code] = ZERO
            continue
        answers = leaf_column.answers
        picks = list(map(leaf_column.picks.__getitem__, member_rows))
        used = set(picks)
        used.discard(0)
        points = [ZERO] * len(answers)
        not_applicable = set()
        for position in used:
            answer = answers[position]
            try:
                points[position] = _leaf_score(plan, i, answer)
            except AnswerProblem as problem:
                unit = units[members[picks.index(position)]]
                raise InvalidData(str(problem), unit.unit, code) from None
            if answer.not_applicable:
                not_applicable.add(position)
        if i in relative:
            top = ZERO
            for position in picks:  # in the units' order: the first of equal values counts
                answer = answers[position]
                value = answer.value
                if type(value) is Decimal and not answer.not_applicable and value > top:
                    top = value
            best[code] = top
            for position in used - not_applicable:
                value = answers[position].value
                points[position] = relative_points(
                    plan.maxima[i], value if type(value) is Decimal else None, best[code]
                )
        if not_applicable:
            for k in compress(range(count), map(not_applicable.__contains__, picks)):
                declared.setdefault(k, []).append(i)
        columns.append(list(map(points.__getitem__, picks)))
    for k in general:
        _check_answers(framework, units[members[k]])
    return _Columns(members, columns, general, declared, declared_groups, best)


def _refuse(framework: Framework, unit: UnitData, code: str) -> NoReturn:
    """Raise the problem of ``unit``'s answers that :func:`_check_answers` names (an answer
    for ``code`` it refuses)."""
    _check_answers(framework, unit)
    raise InvalidData(f"criterion {code} cannot be answered here", unit.unit, code)


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
    answers = dict(unit.answers)
    groups_given = any(
        code in nodes and not nodes[code].is_leaf and answer.value is not None
        for code, answer in answers.items()
    )
    for code, answer in answers.items():
        problem = _answer_problem(
            framework, maxima, unit.block, answers, code, answer, groups_given
        )
        if problem is not None:
            raise InvalidData(problem, unit.unit, code)


def _answer_problem(
    framework: Framework,
    maxima: dict[str, Decimal],
    block: str,
    answers: dict[str, Answer],
    code: str,
    answer: Answer,
    groups_given: bool,
) -> str | None:
    node = framework.nodes.get(code)
    if node is None:
        return f"unknown criterion {code!r}"
    if code not in maxima:
        return f"criterion {code} does not apply to block {block!r}"
    if answer.not_applicable:
        if not node.not_applicable:
            return f"criterion {code} cannot be declared not applicable"
        return None
    if answer.value is None:
        return None
    for ancestor in framework.ancestors(code) if groups_given else ():
        given = answers.get(ancestor)
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
    units: Sequence[UnitData],
    scored: _Columns | None,
    history: dict[int, dict[str, PreviousResult]],
) -> list[UnitResult]:
    plan = block_plan(framework, block)
    members = scored.members if scored is not None else []
    count = len(members)
    scale = framework.display.scale
    columns, scores, maxima, declared = _member_scores(framework, plan, units, scored)
    totals = [sum([unit_scores[root] for root in plan.roots], ZERO) for unit_scores in scores]
    unit_maxima = [sum([unit_max[root] for root in plan.roots], ZERO) for unit_max in maxima]
    shares = list(map(percent, totals, unit_maxima))
    exceptions = (
        {*scored.general, *scored.declared, *scored.declared_groups}
        if scored is not None
        else set()
    )
    node_tiers = _member_tiers(plan, columns, count, scale)
    tags = _member_tags(plan, columns, count)
    excluded: list[tuple[str, ...]] = [()] * count
    full_credit: list[tuple[str, ...]] = [()] * count
    for k in exceptions:
        node_tiers[k] = _node_tiers(plan, scores[k], maxima[k], scale)
        tags[k] = _tags(plan, scores[k], maxima[k])
        excluded[k], full_credit[k] = _declarations(
            framework, _declared(plan, scored, k, units[members[k]])
        )
    classification = framework.classification_for(block)
    tier_of = classifier(classification, scale) if classification else None
    ranks_below = classification is not None and classification.ranks_below_lowest
    tiers: list[str | None] = []
    reasons: list[NotRankedReason | None] = []
    for k in range(count):
        tier, below = tier_of(totals[k], shares[k]) if tier_of else (None, False)
        reason = None
        if units[members[k]].status is Status.VOLUNTARY:
            reason = NotRankedReason.VOLUNTARY
        elif below and not ranks_below:
            reason = NotRankedReason.BELOW_LOWEST_LEVEL
        tiers.append(tier)
        reasons.append(reason)
    ranked = [k for k in range(count) if reasons[k] is None]
    rule = RankingRule.of(framework, block)
    keys = [rule.key(totals[k], shares[k], _tie_breakers(plan, scores[k])) for k in ranked]
    names = [units[members[k]].unit for k in ranked]
    ranks: list[int | None] = [None] * count
    for k, unit_rank in zip(ranked, rule.ranks(keys, names), strict=True):
        ranks[k] = unit_rank
    results = [
        UnitResult(
            unit=(unit := units[members[k]]).unit,
            block=block,
            status=unit.status,
            total=totals[k],
            max=unit_maxima[k],
            percent=shares[k],
            tier=tiers[k],
            rank=ranks[k],
            not_ranked_reason=reasons[k],
            nodes=NodeScores(plan.index, scores[k], maxima[k], node_tiers[k], declared[k]),
            tags=tags[k],
            previous=_compare(unit.unit, block, totals[k], ranks[k], history),
            excluded=excluded[k],
            full_credit=full_credit[k],
        )
        for k in range(count)
    ]
    block_max = framework.total_max(block)
    results += [
        _no_data(unit, block_max, history)
        for unit in units
        if unit.block == block and unit.status is Status.NO_DATA
    ]
    return sorted(results, key=lambda r: _published_order(framework, block, r))


def _declared(plan: BlockPlan, scored: _Columns | None, k: int, unit: UnitData) -> set[str]:
    """The criteria member ``k`` declares not applicable: read from the columns' findings,
    or, for a unit that takes the tree walk, from its answers."""
    if scored is None or k in scored.general:
        return {code for code, answer in dict(unit.answers).items() if answer.not_applicable}
    declared = {plan.leaves[i] for i in scored.declared.get(k, ())}
    declared.update(scored.declared_groups.get(k, ()))
    return declared


def _declarations(
    framework: Framework, declared: set[str]
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Of the criteria a unit declares not applicable (``declared``), those taken out of its
    maximum (the ``exclude`` policy) and those scored at their maximum (``full_credit``),
    each in the framework's order, without those inside a group it declares not applicable
    (whatever that group's policy, the group's declaration decides)."""
    order = framework.order
    excluded: list[str] = []
    full_credit: list[str] = []
    for code in sorted(declared, key=order.__getitem__):
        if any(group in declared for group in framework.ancestors(code)):
            continue
        policy = framework.na_policy(code)
        if policy == "exclude":
            excluded.append(code)
        elif policy == "full_credit":
            full_credit.append(code)
    return tuple(excluded), tuple(full_credit)


def _tie_breakers(plan: BlockPlan, scores: Sequence[Any]) -> dict[str, Decimal]:
    """The points of the ranking's tie breakers that are criteria."""
    points = {}
    for code in plan.tie_breakers:
        position = plan.index.get(code)
        if position is not None and scores[position] is not None:
            points[code] = scores[position]
    return points


_Scores = tuple[
    list[list[Decimal]], list[Sequence[Any]], list[Sequence[Decimal]], list[Collection[int]]
]
"""The members' scores by plan position, column by column (for the block's maxima: the entries
of members with other maxima or results are not used) and member by member (None: no result);
each member's maxima and the positions it declares not applicable."""


def _member_scores(
    framework: Framework, plan: BlockPlan, units: Sequence[UnitData], scored: _Columns | None
) -> _Scores:
    """Every criterion's score for each member: the groups summed column by column, the
    members that take the tree walk scored by it."""
    if scored is None:
        return [], [], [], []
    count = len(scored.members)
    columns = list(scored.points)
    for level in plan.parts:
        for parts in level:  # as BlockPlan.sums: ZERO + the first part + the next …
            total = list(map(add, repeat(ZERO, count), columns[parts[0]]))
            for part in parts[1:]:
                total = list(map(add, total, columns[part]))
            columns.append(total)
    scores: list[Sequence[Any]] = list(zip(*columns, strict=True)) if columns else [()] * count
    maxima: list[Sequence[Decimal]] = [plan.maxima] * count
    declared: list[Collection[int]] = [()] * count
    for k, positions in scored.declared.items():
        maxima[k] = plan.sums(_leaf_maxima(plan, positions))
        declared[k] = positions
    for k, groups in scored.declared_groups.items():
        scores[k], maxima[k], declared[k] = _declaring_scores(
            framework, plan, scores[k], scored.declared.get(k, []), groups
        )
    for k in scored.general:
        unit = units[scored.members[k]]
        scores[k], maxima[k], declared[k] = _general_scores(framework, plan, unit, scored.best)
    return columns, scores, maxima, declared


def _declaring_scores(
    framework: Framework,
    plan: BlockPlan,
    scores: Sequence[Any],
    declared_leaves: list[int],
    groups: list[str],
) -> tuple[list[Decimal | None], list[Decimal], list[int]]:
    """A member's scores, maxima and declared positions when it declares ``groups`` not
    applicable, as the tree walk gives them: such a group scores its maximum (full credit) or
    nothing out of nothing (excluded), the criteria under it have no result."""
    top = [g for g in groups if not any(a in groups for a in framework.ancestors(g))]
    under = {
        position
        for code, position in plan.index.items()
        if any(g in framework.ancestors(code) for g in top)
    }
    fixed = {}  # a group's score and maximum: both its maximum, or both nothing
    for group in top:
        position = plan.index[group]
        credit = framework.na_policy(group) == "full_credit"
        fixed[position] = plan.maxima[position] if credit else ZERO
    declared = [i for i in declared_leaves if i not in under]
    result: list[Decimal | None] = plan.sums(list(scores[: len(plan.leaves)]), fixed)
    for position in under:
        result[position] = None
    maxima = plan.sums(_leaf_maxima(plan, declared), fixed)
    return result, maxima, [*declared, *fixed]


def _leaf_maxima(plan: BlockPlan, declared: list[int]) -> list[Decimal]:
    """The leaves' maxima of a member that declares the leaves ``declared`` not applicable:
    an excluded leaf has none, one with full credit keeps its maximum."""
    maxima = list(plan.maxima[: len(plan.leaves)])
    for i in declared:
        if not plan.full_credit[i]:
            maxima[i] = ZERO
    return maxima


def _member_tiers(
    plan: BlockPlan, columns: list[list[Decimal]], count: int, scale: str
) -> list[dict[int, str | None]]:
    """Each member's tiers of the classified criteria by plan position (None: no tier), for
    the block's maxima."""
    if not count or not plan.classified:
        return [{} for _ in range(count)]
    positions = [position for position, _ in plan.classified]
    labels = []
    for position, classification in plan.classified:
        maximum = plan.maxima[position]
        if maximum > 0:
            tier_of = classifier(classification, scale)
            points = columns[position]
            shares = map(percent, points, repeat(maximum))
            labels.append([tier for tier, _ in map(tier_of, points, shares)])
        else:
            labels.append([None] * count)
    return [dict(zip(positions, tiers, strict=True)) for tiers in zip(*labels, strict=True)]


def _member_tags(
    plan: BlockPlan, columns: list[list[Decimal]], count: int
) -> list[dict[str, NodeResult]]:
    """Each member's tags for the block's maxima: a tag sums the tagged criteria."""
    if not count:
        return []
    sums: dict[str, tuple[list[Decimal], Decimal]] = {}
    for position, names in plan.tagged:
        for tag in names:  # as _tags: ZERO + the first criterion + the next …
            total, maximum = sums.get(tag, ([ZERO] * count, ZERO))
            sums[tag] = (list(map(add, total, columns[position])), maximum + plan.maxima[position])
    return [
        {tag: NodeResult(total[k], maximum) for tag, (total, maximum) in sums.items()}
        for k in range(count)
    ]


def _general_scores(
    framework: Framework, plan: BlockPlan, unit: UnitData, best: dict[str, Decimal]
) -> tuple[list[Decimal | None], list[Decimal], set[int]]:
    """A unit's scores, maxima and declared positions by the tree walk."""
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
    plan: BlockPlan, scores: Sequence[Any], maxima: Sequence[Decimal], scale: str
) -> dict[int, str | None]:
    tiers: dict[int, str | None] = {}
    for position, classification in plan.classified:
        points = scores[position]
        if points is not None and maxima[position] > 0:
            tier, _ = classify(classification, points, percent(points, maxima[position]), scale)
            if tier is not None:
                tiers[position] = tier
    return tiers


def _tags(
    plan: BlockPlan, scores: Sequence[Any], maxima: Sequence[Decimal]
) -> dict[str, NodeResult]:
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


def _no_data(
    unit: UnitData, maximum: Decimal, history: dict[int, dict[str, PreviousResult]]
) -> UnitResult:
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
        previous=_compare(unit.unit, unit.block, None, None, history),
    )


def _published_order(framework: Framework, block: str, result: UnitResult) -> tuple[Any, ...]:
    """Ranked units by rank, then the other scored units, then those without data."""
    if result.total is None:
        return (2, 0, ZERO, name_sort_key(result.unit))
    exact = result.percent if framework.ranking_for(block).by == "percent" else result.total
    rank_part = result.rank if result.rank is not None else 0
    group = 0 if result.rank is not None else 1
    return (group, rank_part, -(exact or ZERO), name_sort_key(result.unit))


def _evaluate(
    framework: Framework,
    maxima: dict[str, Decimal],
    unit: UnitData,
    best: dict[str, Decimal],
) -> dict[str, NodeResult]:
    answers = dict(unit.answers)  # a table's row is read many times here
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
    unit: str,
    block: str,
    total: Decimal | None,
    current_rank: int | None,
    history: dict[int, dict[str, PreviousResult]],
) -> tuple[PreviousComparison, ...]:
    """The unit's earlier results in ``block``, by name: ranks are per block, so a unit that
    was in another block that year has no earlier result to compare with (that year's result
    still counts in the statistics of the block it was in)."""
    if not history:
        return ()
    key = normalize_name(unit)
    comparisons = []
    for year, entries in history.items():
        before = entries.get(key)
        if before is None or before.block != block:
            comparisons.append(PreviousComparison(year, None, None, None, None, None))
            continue
        rank_change = (
            before.rank - current_rank
            if before.rank is not None and current_rank is not None
            else None
        )
        score_change = (
            _change(total, before) if total is not None and before.score is not None else None
        )
        comparisons.append(
            PreviousComparison(
                year, before.rank, before.score, before.tier, rank_change, score_change
            )
        )
    return tuple(comparisons)


def _change(total: Decimal, before: PreviousResult) -> Decimal:
    """``total`` minus the earlier score: exact, or rounded at the last significant digit to
    which the earlier score is known (:attr:`PreviousResult.score_digits`)."""
    assert before.score is not None
    change = total - before.score
    if before.score_digits is None:
        return change
    # the decimal place of the earlier score's last known digit (2.8933333333333335 known to
    # 15 digits: the 14th decimal); a float's error is far below half of it
    decimals = before.score_digits - 1 - before.score.adjusted()
    change = round_half_up(change, decimals)
    return ZERO if change == 0 else change
