"""A block's criteria compiled once into flat lists, so that scoring a unit is a few passes
over lists instead of a walk of the criteria tree.

Positions: the block's leaf criteria first (in the order of the tree), then its groups by
height (the groups of leaves, then the groups of those …), so a unit's leaf points are the
start of its list of scores and the groups of each height are appended, each the sum of its
parts, in one pass.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from itertools import repeat
from operator import call, itemgetter
from typing import Any

from chiso.core.framework import Classification, Framework, Node, RelativeRule
from chiso.core.numbers import ZERO
from chiso.core.rules import Judge, judge

__all__ = ["BlockPlan", "block_plan"]

Parts = Callable[[Sequence[Any]], tuple[Any, ...]]
"""Picks a group's parts out of a unit's list of scores (or maxima)."""


@dataclass(frozen=True, slots=True)
class BlockPlan:
    block: str
    index: dict[str, int]
    """Position of every criterion of the block, in post-order (the order of results)."""
    maxima: tuple[Decimal, ...]
    """Maximum per position."""
    leaves: tuple[str, ...]
    """Leaf codes; leaf ``i`` is at position ``i``."""
    rules: tuple[Any, ...]
    """Rule of each leaf."""
    judges: tuple[Judge, ...]
    """Checks a leaf's answer and gives its points (see :func:`chiso.core.rules.judge`)."""
    may_be_not_applicable: tuple[bool, ...]
    full_credit: tuple[bool, ...]
    """Whether a leaf declared not applicable keeps its maximum (else it is excluded)."""
    relative: tuple[int, ...]
    """Leaves scored against the best of the block."""
    levels: tuple[tuple[Parts, ...], ...]
    """The groups by height; they follow the leaves in this order, each the sum of the parts
    it picks."""
    parts: tuple[tuple[tuple[int, ...], ...], ...]
    """The positions that each group of :attr:`levels` picks."""
    roots: tuple[int, ...]
    classified: tuple[tuple[int, Classification], ...]
    tagged: tuple[tuple[int, tuple[str, ...]], ...]
    tie_breakers: tuple[str, ...]
    """The ranking's tie breakers that are criteria."""

    def sums(self, values: list[Any], fixed: dict[int, Any] | None = None) -> list[Any]:
        """``values`` (one per leaf) followed by the sum of each group's parts; the groups at
        the positions ``fixed`` take the value given instead (a group declared not
        applicable), before the groups above them are summed."""
        for level in self.levels:
            start = len(values)
            values.extend(map(sum, map(call, level, repeat(values)), repeat(ZERO)))
            for position, value in (fixed or {}).items():
                if position >= start and position < len(values):
                    values[position] = value
        return values


def block_plan(framework: Framework, block: str) -> BlockPlan:
    """The plan of ``block``, compiled on first use and kept with the framework."""
    key = ("plan", block)
    plan: BlockPlan | None = framework.derived.get(key)
    if plan is None:
        plan = _compile(framework, block)
        framework.derived[key] = plan
    return plan


def _compile(framework: Framework, block: str) -> BlockPlan:
    maxima = framework.max_for(block)
    leaves: list[Node] = []
    heights: dict[str, int] = {}
    post_order: list[Node] = []

    def visit(node: Node) -> int:
        if node.is_leaf:
            leaves.append(node)
            height = 0
        else:
            height = 1 + max(visit(child) for child in node.children if child.code in maxima)
            heights[node.code] = height
        post_order.append(node)
        return height

    roots = [root for root in framework.criteria if root.code in maxima]
    for root in roots:
        visit(root)
    group_nodes = sorted(
        (node for node in post_order if not node.is_leaf), key=lambda node: heights[node.code]
    )
    positions = {node.code: i for i, node in enumerate([*leaves, *group_nodes])}
    levels: dict[int, list[tuple[int, ...]]] = {}
    for node in group_nodes:
        parts = tuple(positions[c.code] for c in node.children if c.code in maxima)
        levels.setdefault(heights[node.code], []).append(parts)
    by_height = [tuple(level) for _, level in sorted(levels.items())]
    rules = tuple(node.effective_rule for node in leaves)
    ranking = framework.ranking_for(block)
    return BlockPlan(
        block=block,
        index={node.code: positions[node.code] for node in post_order},
        maxima=tuple(maxima[node.code] for node in [*leaves, *group_nodes]),
        leaves=tuple(node.code for node in leaves),
        rules=rules,
        judges=tuple(
            judge(rule, maxima[node.code]) for rule, node in zip(rules, leaves, strict=True)
        ),
        may_be_not_applicable=tuple(node.not_applicable for node in leaves),
        full_credit=tuple(framework.na_policy(node.code) == "full_credit" for node in leaves),
        relative=tuple(i for i, rule in enumerate(rules) if type(rule) is RelativeRule),
        levels=tuple(tuple(_picker(list(parts)) for parts in level) for level in by_height),
        parts=tuple(by_height),
        roots=tuple(positions[root.code] for root in roots),
        classified=tuple(
            (positions[code], classification)
            for code, classification in framework.classified(block)
        ),
        tagged=tuple(
            (positions[code], tuple(tags)) for code, tags in framework.tagged if code in positions
        ),
        tie_breakers=tuple(
            name for name in ranking.tie_breakers if name not in ("points", "percent")
        ),
    )


def _picker(positions: list[int]) -> Parts:
    if len(positions) == 1:  # itemgetter of one position gives the item, not a tuple
        (position,) = positions
        return lambda values: (values[position],)
    return itemgetter(*positions)
