"""Score a cycle: every unit's node scores, total, percentage, tier and rank, per block.

This is the one place where a score is computed. It takes values and returns values: no
files, no database, no clock.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import replace
from decimal import Decimal
from typing import Any

from chiso.core.framework import Framework, Node, RelativeRule
from chiso.core.model import (
    Answer,
    BlockResult,
    CycleResult,
    NodeResult,
    NotRankedReason,
    PreviousComparison,
    PreviousResult,
    Status,
    UnitData,
    UnitResult,
)
from chiso.core.numbers import ZERO, percent, round_half_up
from chiso.core.ranking import rank
from chiso.core.rules import answer_problem, leaf_points, relative_points
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
    _check_units(framework, units)
    history = _index_previous(previous)
    blocks = []
    all_scores: list[tuple[str, Decimal]] = []
    for block in framework.blocks:
        members = [unit for unit in units if unit.block == block.code]
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


def _check_units(framework: Framework, units: Sequence[UnitData]) -> None:
    seen: set[str] = set()
    for unit in units:
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
    units: list[UnitData],
    history: dict[int, dict[str, PreviousResult]],
) -> list[UnitResult]:
    maxima = framework.max_for(block)
    best = _relative_best(framework, maxima, units)
    classification = framework.classification_for(block)
    scale = framework.display.scale
    drafts = []
    for unit in units:
        if unit.status is Status.NO_DATA:
            drafts.append(_no_data(unit, framework.total_max(block)))
            continue
        nodes = _evaluate(framework, maxima, unit, best)
        roots = [nodes[root.code] for root in framework.criteria if root.code in nodes]
        total = sum((r.score for r in roots), ZERO)
        maximum = sum((r.max for r in roots), ZERO)
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
                nodes=_classify_nodes(framework, block, nodes),
                tags=_tags(framework, nodes),
            )
        )
    ranked = [r for r in drafts if r.has_data and r.not_ranked_reason is None]
    keys = [
        ranking_key(
            framework,
            block,
            r.total or ZERO,
            r.percent,
            {code: node.score for code, node in r.nodes.items()},
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


_Step = tuple[str, Decimal, Any, tuple[int, ...] | None, bool]


def _plan(framework: Framework, block: str) -> list[_Step]:
    """The criteria of ``block`` in post-order (parts before their group), once per block:
    (code, maximum, rule, indexes of the parts or None for a leaf, relative rule?)."""
    key = ("plan", block)
    if key not in framework.derived:
        maxima = framework.max_for(block)
        steps: list[_Step] = []

        def add(node: Node) -> int:
            if node.is_leaf:
                rule = node.effective_rule
                steps.append((node.code, maxima[node.code], rule, None, type(rule) is RelativeRule))
            else:
                parts = tuple(add(c) for c in node.children if c.code in maxima)
                steps.append((node.code, maxima[node.code], None, parts, False))
            return len(steps) - 1

        for root in framework.criteria:
            if root.code in maxima:
                add(root)
        framework.derived[key] = steps
    plan: list[_Step] = framework.derived[key]
    return plan


def _evaluate_plain(
    plan: list[_Step], answers: dict[str, Answer], best: dict[str, Decimal]
) -> dict[str, NodeResult]:
    """A unit that answers criteria only (no group points, nothing declared not applicable):
    one pass over the plan."""
    scores: list[Decimal] = []
    results: dict[str, NodeResult] = {}
    for code, maximum, rule, parts, relative in plan:
        if parts is not None:
            points = sum([scores[i] for i in parts], ZERO)
        else:
            answer = answers.get(code)
            if answer is None or answer.value is None:
                points = ZERO
            elif relative:
                value = answer.value
                points = relative_points(
                    maximum, value if isinstance(value, Decimal) else None, best[code]
                )
            else:
                points = leaf_points(rule, maximum, answer)
        scores.append(points)
        results[code] = NodeResult(points, maximum)
    return results


def _evaluate(
    framework: Framework,
    maxima: dict[str, Decimal],
    unit: UnitData,
    best: dict[str, Decimal],
) -> dict[str, NodeResult]:
    answers = unit.answers
    nodes = framework.nodes
    if not any(
        answer.not_applicable or (answer.value is not None and not nodes[code].is_leaf)
        for code, answer in answers.items()
    ):
        return _evaluate_plain(_plan(framework, unit.block), answers, best)
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


def _classify_nodes(
    framework: Framework, block: str, nodes: dict[str, NodeResult]
) -> dict[str, NodeResult]:
    scale = framework.display.scale
    for code, classification in framework.classified(block):
        result = nodes.get(code)
        if result is not None and result.max > 0:
            tier, _ = classify(classification, result.score, result.percent, scale)
            nodes[code] = NodeResult(result.score, result.max, tier, result.not_applicable)
    return nodes


def _tags(framework: Framework, nodes: dict[str, NodeResult]) -> dict[str, NodeResult]:
    """Each tag sums the tagged criteria that have a score for this unit."""
    sums: dict[str, tuple[Decimal, Decimal]] = {}
    for code, tags in framework.tagged:
        result = nodes.get(code)
        if result is None:
            continue
        for tag in tags:
            score, maximum = sums.get(tag, (ZERO, ZERO))
            sums[tag] = (score + result.score, maximum + result.max)
    return {tag: NodeResult(score, maximum) for tag, (score, maximum) in sums.items()}


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
