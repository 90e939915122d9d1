"""Statistics the reports state: means, extremes and gaps, shares per tier, against last year."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from decimal import Decimal
from itertools import compress
from typing import TYPE_CHECKING, Any

import numpy as np

from chiso.core.engine import BlockColumns, decimal_at
from chiso.core.model import (
    BlockStats,
    PreviousResult,
    PreviousTierShares,
    Summary,
    TierCount,
    UnitNodes,
    UnitResult,
)
from chiso.core.numbers import HUNDRED, ZERO, percent
from chiso.core.tiers import classifier, normalize_name

if TYPE_CHECKING:
    from chiso.core.framework import Classification, Framework

__all__ = ["block_stats", "summarize", "summarize_column", "tier_counts"]


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


def summarize_column(names: Sequence[str], values: Any, taken: Any, scale: int) -> Summary:
    """:func:`summarize` of the ``values`` (integers × 10^-``scale``) that are ``taken``, exact
    on the integers: the mean is their exact sum divided (at the default precision of
    Decimal) by their count."""
    chosen = np.flatnonzero(taken)
    if not len(chosen):
        return Summary(0, None, None, None, None, 0, None)
    picked = values[chosen]
    numbers = picked.tolist()
    count = len(numbers)
    total = sum(numbers)
    high, low = max(numbers), min(numbers)
    above = int(np.count_nonzero(picked.astype(object) * count >= total))
    return Summary(
        count=count,
        mean=decimal_at(total, scale) / count,
        max=decimal_at(high, scale),
        min=decimal_at(low, scale),
        gap=decimal_at(high - low, scale),
        at_or_above_mean=above,
        share_at_or_above_mean=Decimal(above) * HUNDRED / count,
        best=tuple(names[k] for k in chosen[picked == high].tolist()),
        worst=tuple(names[k] for k in chosen[picked == low].tolist()),
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
    columns: BlockColumns | None = None,
) -> BlockStats:
    """The block's statistics; ``columns``: the engine's columns of its units with data."""
    scored = [r for r in results if r.total is not None]
    classification = framework.classification_for(block)
    groups = {}
    group_tiers = {}
    names = [r.unit for r in scored]
    rows = [r.nodes.row for r in scored if isinstance(r.nodes, UnitNodes)]
    at = np.asarray(rows, dtype=np.intp)
    maxima = framework.max_for(block)
    for code in _summarized_nodes(framework, block):
        if columns is None or not rows:
            groups[code] = summarize([])
        else:
            position = columns.index[code]
            scores = columns.scores[at, position]
            # a criterion the unit is not scored on (excluded as not applicable) is left out
            taken = columns.has[at, position]
            if maxima[code] > 0:
                taken = taken & ((scores != 0) | (columns.maxima[at, position] != 0))
            groups[code] = summarize_column(names, scores, taken, columns.scale)
        node_classification = framework.node_classification(code, block)
        if node_classification is not None:
            tiers = columns.tiers.get(columns.index[code]) if columns is not None else None
            group_tiers[code] = tier_counts(
                node_classification,
                [label for k in rows if (label := tiers[k])] if tiers is not None else [],
            )
    current = {normalize_name(r.unit): r.max for r in results} if history else {}
    previous = [
        _previous_shares(framework, block, classification, year, entries, current)
        for year, entries in history.items()
    ]
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


def _previous_shares(
    framework: Framework,
    block: str,
    classification: Classification | None,
    year: int,
    entries: dict[str, PreviousResult],
    current: dict[str, Decimal],
) -> PreviousTierShares:
    """The block's units of an earlier year: their count, mean score and tiers (as published,
    or, when not published, classified as the framework classifies a score now: of the
    maximum published that year, else of the unit's maximum now, ``current`` by name)."""
    members = [e for e in entries.values() if e.block == block]
    labels: list[str | None] = [entry.tier for entry in members]
    if classification is not None:
        classify_one = classifier(classification, framework.display.scale)
        by_points = classification.basis == "points"
        block_max = framework.total_max(block)
        for k, entry in enumerate(members):
            if labels[k] is not None or entry.score is None:
                continue
            share = entry.percent
            if share is None and not by_points:  # the points basis does not look at it
                share = percent(entry.score, current.get(normalize_name(entry.unit), block_max))
            labels[k] = classify_one(entry.score, share)[0]
    with_score = [e.score for e in members if e.score is not None]
    return PreviousTierShares(
        year=year,
        count=len(members),
        mean_score=sum(with_score, ZERO) / len(with_score) if with_score else None,
        tiers=tier_counts(classification, labels) if any(labels) else (),
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
