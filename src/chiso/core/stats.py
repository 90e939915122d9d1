"""Statistics the reports state: means, extremes and gaps, shares per tier, against last year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from itertools import compress
from typing import TYPE_CHECKING

from chiso.core.model import (
    BlockStats,
    NodeColumns,
    PreviousResult,
    PreviousTierShares,
    Summary,
    TierCount,
    UnitResult,
    not_scored,
)
from chiso.core.numbers import HUNDRED, ZERO, percent
from chiso.core.tiers import classify, normalize_name

if TYPE_CHECKING:
    from chiso.core.framework import Classification, Framework

__all__ = ["block_stats", "summarize", "tier_counts"]


def summarize(values: Sequence[tuple[str, Decimal]]) -> Summary:
    """Mean, max, min, gap and the units at or above the mean of ``(unit, value)`` pairs."""
    if not values:
        return Summary(0, None, None, None, None, 0, None)
    units = [unit for unit, _ in values]
    numbers = [value for _, value in values]
    mean = sum(numbers, ZERO) / len(numbers)
    high, low = max(numbers), min(numbers)
    above = sum(map(mean.__le__, numbers))
    return Summary(
        count=len(numbers),
        mean=mean,
        max=high,
        min=low,
        gap=high - low,
        at_or_above_mean=above,
        share_at_or_above_mean=Decimal(above) * HUNDRED / len(numbers),
        best=tuple(compress(units, map(high.__eq__, numbers))),
        worst=tuple(compress(units, map(low.__eq__, numbers))),
    )


def tier_counts(
    classification: Classification | None, labels: Sequence[str | None]
) -> tuple[TierCount, ...]:
    """Count and share of each tier (in the framework's order), below-lowest last."""
    if classification is None:
        return ()
    counted = Counter(label for label in labels if label is not None)
    order = [tier.label for tier in classification.tiers]
    if classification.below_lowest is not None:
        order.append(classification.below_lowest.label)
    total = len(labels)
    return tuple(
        TierCount(label, counted[label], percent(Decimal(counted[label]), Decimal(total)))
        for label in order
    )


def block_stats(
    framework: Framework,
    block: str,
    results: Sequence[UnitResult],
    history: dict[int, dict[str, PreviousResult]],
) -> BlockStats:
    scored = [r for r in results if r.total is not None]
    classification = framework.classification_for(block)
    groups = {}
    group_tiers = {}
    names = [r.unit for r in scored]
    nodes = [r.nodes for r in scored]
    columns = NodeColumns(nodes)
    maxima = framework.max_for(block)
    for code in _summarized_nodes(framework, block):
        column = columns.scores(code)
        # a criterion the unit is not scored on (excluded as not applicable) is left out
        groups[code] = summarize(
            [
                (name, points)
                for name, points, unit_nodes in zip(names, column, nodes, strict=True)
                if points is not None and (points or not not_scored(unit_nodes[code], maxima[code]))
            ]
        )
        node_classification = framework.node_classification(code, block)
        if node_classification is not None:
            group_tiers[code] = tier_counts(
                node_classification,
                [tier for tier in columns.tiers(code) if tier],
            )
    previous = []
    current = {normalize_name(r.unit): r for r in results}
    for year, entries in history.items():
        members = [e for e in entries.values() if e.block == block]
        labels = []
        for entry in members:
            label = entry.tier
            if label is None and entry.score is not None and classification is not None:
                share = entry.percent
                if share is None:
                    now = current.get(normalize_name(entry.unit))
                    share = percent(entry.score, now.max if now else framework.total_max(block))
                label, _ = classify(classification, entry.score, share, framework.display.scale)
            labels.append(label)
        with_score = [e.score for e in members if e.score is not None]
        previous.append(
            PreviousTierShares(
                year=year,
                count=len(members),
                mean_score=sum(with_score, ZERO) / len(with_score) if with_score else None,
                tiers=tier_counts(classification, labels) if any(labels) else (),
            )
        )
    return BlockStats(
        units=len(results),
        with_data=len(scored),
        ranked=sum(1 for r in results if r.rank is not None),
        score=summarize([(r.unit, r.total) for r in scored if r.total is not None]),
        percent=summarize([(r.unit, r.percent) for r in scored if r.percent is not None]),
        tiers=tier_counts(classification, [r.tier for r in scored]),
        groups=groups,
        group_tiers=group_tiers,
        previous=tuple(previous),
    )


def _summarized_nodes(framework: Framework, block: str) -> list[str]:
    """Top-level groups, their parts, and every classified node."""
    maxima = framework.max_for(block)
    codes: list[str] = []
    for root in framework.criteria:
        if root.code not in maxima:
            continue
        codes.append(root.code)
        codes += [child.code for child in root.children if child.code in maxima]
    codes += [
        code
        for code in maxima
        if code not in codes and framework.node_classification(code, block) is not None
    ]
    return codes
