"""A block's criteria compiled once into flat lists, so that scoring a unit is a few passes
over lists instead of a walk of the criteria tree.

Positions: the block's leaf criteria first (in the order of the tree), then its groups by
height (the groups of leaves, then the groups of those …), so a unit's leaf points are the
start of its list of scores and the groups of each height are appended, each the sum of its
parts, in one pass.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from chiso.core.framework import Classification, Framework, Node, RelativeRule
from chiso.core.rules import Judge, judge

__all__ = ["BlockPlan", "block_plan"]


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
    parts: tuple[tuple[tuple[int, ...], ...], ...]
    """The groups by height, each as the positions of its parts; they follow the leaves in
    this order."""
    group_full_credit: tuple[bool, ...]
    """Per group (position minus the number of leaves): whether a group declared not
    applicable scores its maximum (else it is excluded)."""
    ancestors: tuple[tuple[int, ...], ...]
    """Per position: the positions of the groups above it."""
    order: tuple[int, ...]
    """Per position: the criterion's place in the framework's order."""
    roots: tuple[int, ...]
    classified: tuple[tuple[int, Classification], ...]
    tagged: tuple[tuple[int, tuple[str, ...]], ...]
    tie_breakers: tuple[str, ...]
    """The ranking's tie breakers that are criteria."""


def block_plan(framework: Framework, block: str) -> BlockPlan:
    """The plan of ``block``, compiled on first use and kept with the framework (a copy of
    the framework, which may differ, shares its place for derived values but not its plan)."""
    key = ("plan", block)
    known: tuple[Framework, BlockPlan] | None = framework.derived.get(key)
    if known is None or known[0] is not framework:
        known = (framework, _compile(framework, block))
        framework.derived[key] = known
    return known[1]


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
        parts=tuple(by_height),
        group_full_credit=tuple(
            framework.na_policy(node.code) == "full_credit" for node in group_nodes
        ),
        ancestors=tuple(
            tuple(positions[a] for a in framework.ancestors(node.code))
            for node in [*leaves, *group_nodes]
        ),
        order=tuple(framework.order[node.code] for node in [*leaves, *group_nodes]),
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
