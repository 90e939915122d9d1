"""Score a cycle: every unit's node scores, total, percentage, tier and rank, per block.

This is the one place where a score is computed. It takes values and returns values: no
files, no database, no clock.
"""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from operator import attrgetter
from typing import Any, NoReturn

import numpy as np

from chiso.core.engine import (
    BlockColumns,
    BlockInput,
    GivenTooHigh,
    decimals_at,
    percents_of,
    score_columns,
    tier_labels,
)
from chiso.core.framework import Framework, Node
from chiso.core.lineage import Lineage, carry
from chiso.core.model import (
    Answer,
    AnswerColumn,
    AnswerTable,
    BlockResult,
    CycleResult,
    NodeResult,
    NotRankedReason,
    PreviousComparison,
    PreviousResult,
    RowAnswers,
    Status,
    UnitData,
    UnitNodes,
    UnitResult,
)
from chiso.core.numbers import ZERO, round_half_up
from chiso.core.plan import BlockPlan, block_plan
from chiso.core.ranking import RankingRule
from chiso.core.rules import AnswerProblem, answer_problem, relative_points
from chiso.core.stats import block_stats, summarize
from chiso.core.tiers import name_sort_key, normalize_name

__all__ = ["InvalidData", "applicable_max", "score", "score_unit", "unmatched_previous"]


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
    lineage: Lineage | None = None,
    *,
    year: int | None = None,
) -> CycleResult:
    """The cycle's results; ``previous``: earlier results, of the units of their own year,
    which ``lineage`` carries to the cycle's units (renamed, merged, split). ``year``: the
    year assessed, which the results carry (default: the framework's; a framework may serve
    several years); every earlier result must be of an earlier year."""
    year = framework.year if year is None else year
    scored = _check_units(framework, units)
    names = {normalize_name(unit.unit) for unit in units}
    # a row of a unit that is not in the cycle (misspelt, or gone since) compares with no
    # unit: it is left out of the statistics too (see unmatched_previous)
    previous = list(previous)
    _check_earlier(previous, year)
    if lineage is not None:
        carried = carry([unit.unit for unit in units], previous, lineage)
        incomplete = sorted({previous[index].year for index in carried.unused})
        previous = carried.results
    else:
        incomplete = sorted({e.year for e in previous if normalize_name(e.unit) not in names})
    history = _index_previous(e for e in previous if normalize_name(e.unit) in names)
    blocks = []
    all_scores: list[tuple[str, Decimal]] = []
    for block in framework.blocks:
        results, columns = _score_block(
            framework, block.code, units, scored.get(block.code), history
        )
        all_scores += [(r.unit, r.total) for r in results if r.total is not None]
        blocks.append(
            BlockResult(
                block=block.code,
                name=block.name,
                max=framework.total_max(block.code),
                units=tuple(results),
                stats=block_stats(framework, block.code, results, history, columns),
            )
        )
    return CycleResult(
        framework=framework.id,
        year=year,
        blocks=tuple(blocks),
        overall=summarize(all_scores),
        incomplete_years=tuple(incomplete),
    )


def score_unit(framework: Framework, unit: UnitData) -> UnitResult:
    """One unit scored on its own, its block holding only it, by the engine of :func:`score`
    without what a block of one unit does not need: the block's statistics and the other
    blocks. What a form shows while the unit answers; a criterion scored relative to the
    block's best is relative to the unit itself here."""
    scored = _check_units(framework, [unit])
    results, _columns = _score_block(framework, unit.block, [unit], scored.get(unit.block), {})
    return results[0]


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


def _check_units(framework: Framework, units: Sequence[UnitData]) -> dict[str, _Block]:
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


def _by_column(framework: Framework, units: Sequence[UnitData]) -> dict[str, _Block]:
    """:func:`_check_units` criterion by criterion: each distinct answer of a column is
    checked and scored once per block, and the units' points are read by position. Raises
    InvalidData on any problem (not always the first one)."""
    seen: set[str] = set()
    for unit in units:
        _check_unit(framework, unit, seen)
    table, rows = _table_of(units)
    picks = {code: np.asarray(c.picks, dtype=np.intp) for code, c in table.columns.items()}
    scored = {}
    for block in framework.blocks:
        members = [
            i
            for i, unit in enumerate(units)
            if unit.block == block.code and unit.status is not Status.NO_DATA
        ]
        if members:
            plan = block_plan(framework, block.code)
            scored[block.code] = _Block(
                members, _block_input(framework, plan, units, members, rows, table, picks)
            )
    for unit in units:
        if unit.status is Status.NO_DATA:
            _check_answers(framework, unit)
    return scored


def _block_input(
    framework: Framework,
    plan: BlockPlan,
    units: Sequence[UnitData],
    members: list[int],
    rows: list[int],
    table: AnswerTable,
    picks_by_code: dict[str, Any],
) -> BlockInput:
    """Check and score the leaves of one block's ``members``; read their declarations and the
    groups' points they give."""
    leaf_codes = set(plan.leaves)
    member_rows = np.asarray([rows[i] for i in members], dtype=np.intp)
    count = len(members)
    declared = np.zeros((count, len(plan.maxima)), dtype=bool)
    given: dict[int, tuple[list[int], list[Decimal]]] = {}
    general: set[int] = set()
    for code, column in table.columns.items():
        if code in leaf_codes:
            continue
        picks = picks_by_code[code][member_rows]
        answering = np.flatnonzero(picks).tolist()
        if not answering:
            continue
        if code not in plan.index:
            _refuse(framework, units[members[answering[0]]], code)
        position = plan.index[code]
        may_be_declared = framework.node(code).not_applicable
        for k in answering:
            answer = column.answers[picks[k]]
            if answer.not_applicable and answer.value is None:
                if not may_be_declared:
                    _refuse(framework, units[members[k]], code)
                declared[k, position] = True
                continue
            general.add(k)  # checked with all its answers below
            if answer.not_applicable:
                declared[k, position] = True
            elif isinstance(answer.value, Decimal):
                rows_given, values = given.setdefault(position, ([], []))
                rows_given.append(k)
                values.append(answer.value)
    leaves = [
        _leaf_column(
            plan,
            i,
            table.columns.get(code),
            picks_by_code.get(code),
            member_rows,
            declared,
            units,
            members,
        )
        for i, code in enumerate(plan.leaves)
    ]
    for k in sorted(general):
        _check_answers(framework, units[members[k]])
    return BlockInput(count, leaves, declared, given)


def _leaf_column(
    plan: BlockPlan,
    i: int,
    column: AnswerColumn | None,
    column_picks: Any,
    member_rows: Any,
    declared: Any,
    units: Sequence[UnitData],
    members: list[int],
) -> tuple[list[Decimal], Any]:
    """The points of each distinct answer of leaf ``i`` and each member's pick; marks the
    members that declare it not applicable in ``declared``."""
    if column is None:
        return [ZERO], np.zeros(len(member_rows), dtype=np.intp)
    answers = column.answers
    used, picks = _distinct(column_picks[member_rows], len(answers))
    found = _judge_all(plan, i, [answers[p] for p in used])
    if found is None:
        found = _judge_each(plan, i, answers, used, picks, units, members)
    points, not_applicable = found
    if i in plan.relative:
        values = [
            value
            for position in used
            if position
            and type(value := answers[position].value) is Decimal
            and not answers[position].not_applicable
        ]
        best = max([ZERO, *values])
        for j, position in enumerate(used):
            value = answers[position].value
            if position and not answers[position].not_applicable:
                points[j] = relative_points(
                    plan.maxima[i], value if type(value) is Decimal else None, best
                )
    if not_applicable:
        declared[:, i] = np.isin(picks, not_applicable)
    return points, picks


_NOT_APPLICABLE = attrgetter("not_applicable")


def _distinct(positions: Any, size: int) -> tuple[list[int], Any]:
    """The distinct values of ``positions`` (integers from 0 to ``size`` - 1), in increasing
    order, and each one's place among them (what ``np.unique(..., return_inverse=True)``
    gives, without sorting): the block's distinct answers, pick j being ``used[j]``."""
    seen = np.zeros(size, dtype=bool)
    seen[positions] = True
    place = np.cumsum(seen, dtype=np.intp) - 1
    return np.flatnonzero(seen).tolist(), place[positions]


def _judge_all(
    plan: BlockPlan, i: int, chosen: list[Answer]
) -> tuple[list[Decimal], list[int]] | None:
    """The points of the answers ``chosen`` of leaf ``i`` (no answer: 0) and the places of
    those that declare it not applicable, in one pass of its judge; None when one of them is
    refused (:func:`_judge_each` says which)."""
    try:
        points = list(map(plan.judges[i], chosen))  # no answer: 0
    except AnswerProblem:
        return None
    flags = list(map(_NOT_APPLICABLE, chosen))
    declared = [j for j, flag in enumerate(flags) if flag] if any(flags) else []
    if declared:
        if not plan.may_be_not_applicable[i]:
            return None
        value = plan.maxima[i] if plan.full_credit[i] else ZERO
        for j in declared:
            points[j] = value
    return points, declared


def _judge_each(
    plan: BlockPlan,
    i: int,
    answers: list[Answer],
    used: list[int],
    picks: Any,
    units: Sequence[UnitData],
    members: list[int],
) -> tuple[list[Decimal], list[int]]:
    """:func:`_judge_all` answer by answer: raises InvalidData for the first answer refused,
    naming the first member that gives it."""
    points = [ZERO] * len(used)
    not_applicable = []
    for j, position in enumerate(used):
        if not position:
            continue
        answer = answers[position]
        try:
            points[j] = _leaf_score(plan, i, answer)
        except AnswerProblem as problem:
            unit = units[members[int(np.argmax(picks == j))]]
            raise InvalidData(str(problem), unit.unit, plan.leaves[i]) from None
        if answer.not_applicable:
            not_applicable.append(j)
    return points, not_applicable


def _refuse(framework: Framework, unit: UnitData, code: str) -> NoReturn:
    """Raise the problem of ``unit``'s answers that :func:`_check_answers` names (an answer
    for ``code`` it refuses)."""
    _check_answers(framework, unit)
    raise InvalidData(f"criterion {code} cannot be answered here", unit.unit, code)


def _leaf_score(plan: BlockPlan, i: int, answer: Answer) -> Decimal:
    """Points of a leaf's answer, as its rule gives them (0 for now under a relative rule);
    raises AnswerProblem as :func:`_answer_problem` finds."""
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


@dataclass(slots=True)
class _Block:
    """A block's units with data (positions in the units given to :func:`score`) and what the
    engine scores of them."""

    members: list[int]
    input: BlockInput


def _score_block(
    framework: Framework,
    block: str,
    units: Sequence[UnitData],
    scored: _Block | None,
    history: dict[int, dict[str, PreviousResult]],
) -> tuple[list[UnitResult], BlockColumns | None]:
    plan = block_plan(framework, block)
    results: list[UnitResult] = []
    columns = None
    if scored is not None:
        columns = _columns(framework, plan, units, scored)
        results = _member_results(framework, plan, units, scored, columns, history)
    block_max = framework.total_max(block)
    results += [
        _no_data(unit, block_max, history)
        for unit in units
        if unit.block == block and unit.status is Status.NO_DATA
    ]
    results.sort(key=lambda r: _published_order(framework, block, r))
    return results, columns


def _columns(
    framework: Framework, plan: BlockPlan, units: Sequence[UnitData], scored: _Block
) -> BlockColumns:
    try:
        return score_columns(framework, plan, scored.input)
    except GivenTooHigh as problem:
        unit = units[scored.members[problem.member]].unit
        code = next(c for c, p in plan.index.items() if p == problem.position)
        raise InvalidData(str(problem), unit, code) from None


def _member_results(
    framework: Framework,
    plan: BlockPlan,
    units: Sequence[UnitData],
    scored: _Block,
    columns: BlockColumns,
    history: dict[int, dict[str, PreviousResult]],
) -> list[UnitResult]:
    block = plan.block
    members = [units[i] for i in scored.members]
    count = len(members)
    scale = columns.scale
    roots = list(plan.roots)
    total_column = columns.scores[:, roots].sum(axis=1)
    max_column = columns.maxima[:, roots].sum(axis=1)
    totals_int = total_column.tolist()
    maxima_int = max_column.tolist()
    totals = decimals_at(totals_int, scale)
    unit_maxima = decimals_at(maxima_int, scale)
    shares = percents_of(totals_int, maxima_int)
    tiers, reasons = _tiers_and_reasons(framework, block, members, total_column, max_column, scale)
    ranks = _ranks(framework, plan, columns, members, totals, shares, reasons)
    tags = _tags(plan, columns, count)
    declarations = _declarations_of(framework, plan, scored.input.declared)
    return [
        UnitResult(
            unit=unit.unit,
            block=block,
            status=unit.status,
            total=totals[k],
            max=unit_maxima[k],
            percent=shares[k],
            tier=tiers[k],
            rank=ranks[k],
            not_ranked_reason=reasons[k],
            nodes=UnitNodes(columns, k),
            tags=tags[k],
            previous=_compare(unit.unit, block, totals[k], ranks[k], history, shares[k]),
            excluded=declarations.get(k, _NONE)[0],
            full_credit=declarations.get(k, _NONE)[1],
        )
        for k, unit in enumerate(members)
    ]


_NONE: tuple[tuple[str, ...], tuple[str, ...]] = ((), ())


def _tiers_and_reasons(
    framework: Framework,
    block: str,
    members: list[UnitData],
    totals: Any,
    maxima: Any,
    scale: int,
) -> tuple[list[str | None], list[NotRankedReason | None]]:
    """Each member's tier and why it is not ranked (None: it is)."""
    count = len(members)
    classification = framework.classification_for(block)
    tiers: list[str | None] = [None] * count
    below = [False] * count
    if classification is not None:
        tiers, below_column = tier_labels(
            classification, framework.display.scale, totals, maxima, scale
        )
        below = below_column.tolist()
    ranks_below = classification is not None and classification.ranks_below_lowest
    reasons: list[NotRankedReason | None] = []
    for k, unit in enumerate(members):
        reason = None
        if unit.status is Status.VOLUNTARY:
            reason = NotRankedReason.VOLUNTARY
        elif below[k] and not ranks_below:
            reason = NotRankedReason.BELOW_LOWEST_LEVEL
        reasons.append(reason)
    return tiers, reasons


def _ranks(
    framework: Framework,
    plan: BlockPlan,
    columns: BlockColumns,
    members: list[UnitData],
    totals: list[Decimal],
    shares: list[Decimal | None],
    reasons: list[NotRankedReason | None],
) -> list[int | None]:
    block = plan.block
    ranked = [k for k, reason in enumerate(reasons) if reason is None]
    breakers = {
        code: columns.column(code, ranked) for code in plan.tie_breakers if code in plan.index
    }
    rule = RankingRule.of(framework, block)
    keys = [
        rule.key(
            totals[k],
            shares[k],
            {
                code: points
                for code, column in breakers.items()
                if (points := column[j]) is not None
            },
        )
        for j, k in enumerate(ranked)
    ]
    names = [members[k].unit for k in ranked]
    ranks: list[int | None] = [None] * len(members)
    for k, unit_rank in zip(ranked, rule.ranks(keys, names), strict=True):
        ranks[k] = unit_rank
    return ranks


def _tags(plan: BlockPlan, columns: BlockColumns, count: int) -> list[dict[str, NodeResult]]:
    """Each member's tags: a tag sums the tagged criteria that have a result for it; a tag
    none of whose criteria has a result is left out."""
    positions: dict[str, list[int]] = {}
    for position, names in plan.tagged:
        for tag in names:
            positions.setdefault(tag, []).append(position)
    tags: list[dict[str, NodeResult]] = [{} for _ in range(count)]
    if not count:
        return tags
    decimal = columns.decimal
    for tag, tagged in positions.items():
        has = columns.has[:, tagged]
        scores = (columns.scores[:, tagged] * has).sum(axis=1).tolist()
        maxima = (columns.maxima[:, tagged] * has).sum(axis=1).tolist()
        present = has.any(axis=1).tolist()
        known: dict[tuple[int, int], NodeResult] = {}
        for k in range(count):
            if present[k]:
                pair = (scores[k], maxima[k])
                result = known.get(pair)
                if result is None:
                    result = known[pair] = NodeResult(decimal(pair[0]), decimal(pair[1]))
                tags[k][tag] = result
    return tags


def _declarations_of(
    framework: Framework, plan: BlockPlan, declared: Any
) -> dict[int, tuple[tuple[str, ...], tuple[str, ...]]]:
    """Of the members that declare criteria not applicable, their :func:`_declarations`."""
    codes = {position: code for code, position in plan.index.items()}
    found: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
    for k in np.flatnonzero(declared.any(axis=1)).tolist():
        chosen = {codes[p] for p in np.flatnonzero(declared[k]).tolist()}
        found[k] = _declarations(framework, chosen)
    return found


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


# --- previous cycles ------------------------------------------------------------------------


def unmatched_previous(
    units: Sequence[UnitData],
    previous: Sequence[PreviousResult],
    lineage: Lineage | None = None,
) -> list[tuple[int, str | None]]:
    """The earlier results whose unit is none of the cycle's units (by name: case and spacing
    do not count) and, with ``lineage``, continued by none, which :func:`score` leaves out:
    (index in ``previous``, the closest name of a unit of the cycle, or None when none is
    close)."""
    names = {normalize_name(unit.unit): unit.unit for unit in units}
    if lineage is not None:
        unused = set(carry(list(names.values()), previous, lineage).unused)
    candidates = list(names)
    closest: dict[str, str | None] = {}  # an earlier unit is unmatched in each of its years
    found = []
    for index, entry in enumerate(previous):
        key = normalize_name(entry.unit)
        if index in unused if lineage is not None else key not in names:
            if key not in closest:
                close = difflib.get_close_matches(key, candidates, n=1, cutoff=0.6)
                closest[key] = names[close[0]] if close else None
            found.append((index, closest[key]))
    return found


def _check_earlier(previous: Sequence[PreviousResult], year: int) -> None:
    for entry in previous:
        if entry.year >= year:
            raise InvalidData(
                f"the {entry.year} result of {entry.unit!r} is not earlier than the"
                f" cycle's year {year}"
            )


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
    share: Decimal | None = None,
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
        percent_change = (
            _difference(share, before.percent, before.score_digits)
            if share is not None and before.percent is not None
            else None
        )
        comparisons.append(
            PreviousComparison(
                year,
                before.rank,
                before.score,
                before.tier,
                rank_change,
                score_change,
                before.percent,
                percent_change,
                before.carried,
            )
        )
    return tuple(comparisons)


_EXACT = Context(prec=100)
"""A context in which the difference of two percentages (34 digits each) is exact."""


def _change(total: Decimal, before: PreviousResult) -> Decimal:
    """``total`` minus the earlier score: exact, or rounded at the last significant digit to
    which the earlier score is known (:attr:`PreviousResult.score_digits`)."""
    assert before.score is not None
    return _difference(total, before.score, before.score_digits)


def _difference(now: Decimal, then: Decimal, digits: int | None) -> Decimal:
    """``now`` minus ``then``: exact, or rounded at the last of the ``digits`` significant
    digits ``then`` is known to (a spreadsheet's number: the earlier score or percentage of
    the same row)."""
    change = _EXACT.subtract(now, then)
    if digits is None or not then:
        return change
    # the decimal place of the earlier value's last known digit (2.8933333333333335 known to
    # 15 digits: the 14th decimal); a float's error is far below half of it
    change = round_half_up(change, digits - 1 - then.adjusted())
    return ZERO if change == 0 else change
