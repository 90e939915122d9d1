"""A block's criteria compiled once into flat lists, so that scoring a unit is a few passes
over lists instead of a walk of the criteria tree.

Positions: the block's leaf criteria first (in the order of the tree), then its groups in
post-order (parts before their group), so a unit's leaf points are the start of its list of
scores and each group's score is appended as the sum of its parts.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from operator import itemgetter
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
    groups: tuple[Parts, ...]
    """Group ``j`` is at position ``len(leaves) + j``; the sum of the parts picked."""
    roots: tuple[int, ...]
    classified: tuple[tuple[int, Classification], ...]
    tagged: tuple[tuple[int, tuple[str, ...]], ...]
    tie_breakers: tuple[str, ...]
    """The ranking's tie breakers that are criteria."""

    def sums(self, values: list[Any]) -> list[Any]:
        """``values`` (one per leaf) followed by the sum of each group's parts."""
        for parts in self.groups:
            values.append(sum(parts(values), ZERO))
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
    group_nodes: list[Node] = []
    post_order: list[Node] = []

    def visit(node: Node) -> None:
        if node.is_leaf:
            leaves.append(node)
        else:
            for child in node.children:
                if child.code in maxima:
                    visit(child)
            group_nodes.append(node)
        post_order.append(node)

    roots = [root for root in framework.criteria if root.code in maxima]
    for root in roots:
        visit(root)
    positions = {node.code: i for i, node in enumerate([*leaves, *group_nodes])}
    groups = [
        _picker([positions[c.code] for c in node.children if c.code in maxima])
        for node in group_nodes
    ]
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
        groups=tuple(groups),
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
