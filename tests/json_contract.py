"""The JSON contract of ``chiso score --format json`` (docs/cli.md) built as plain data, its
numbers as int or float, key by key from the core's values: the reference that
``chiso.io.results.json_text`` (which writes the same document as exact text, directly) is
checked against in tests/test_json_text.py."""

from __future__ import annotations

from decimal import Context, Decimal
from typing import Any

from chiso.core import CycleResult, Framework, Summary, TierCount, UnitResult
from chiso.core.model import scores_of, tiers_of
from chiso.io.results import _number  # a number as the JSON reader gives it: int or float


def _summary(summary: Summary) -> dict[str, Any]:
    return {
        "count": summary.count,
        "mean": _number(summary.mean),
        "max": _number(summary.max),
        "min": _number(summary.min),
        "gap": _number(summary.gap),
        "at_or_above_mean": summary.at_or_above_mean,
        "share_at_or_above_mean": _number(summary.share_at_or_above_mean),
        "best": list(summary.best),
        "worst": list(summary.worst),
    }


def _tiers(tiers: tuple[TierCount, ...]) -> list[dict[str, Any]]:
    return [{"label": t.label, "count": t.count, "share": _number(t.share)} for t in tiers]


def _index(percent: Decimal | None) -> Decimal | None:
    """The percentage / 100, exactly (every digit of the percentage kept)."""
    return None if percent is None else percent.scaleb(-2, Context(prec=100))


def _unit(unit: UnitResult, codes: list[str], ratio: bool) -> dict[str, Any]:
    """``ratio``: the framework displays an index: ``index`` (percent / 100) beside the
    percentage, and ``index`` and ``index_change`` of every earlier year."""
    index = {"index": _number(_index(unit.percent))} if ratio else {}
    return {
        "unit": unit.unit,
        "status": unit.status.value,
        "total": _number(unit.total),
        "max": _number(unit.max),
        "percent": _number(unit.percent),
        **index,
        "tier": unit.tier,
        "rank": unit.rank,
        "not_ranked_reason": unit.not_ranked_reason.value if unit.not_ranked_reason else None,
        "groups": {code: _number(points) for code, points in scores_of(unit.nodes, codes).items()},
        "group_tiers": tiers_of(unit.nodes, codes),
        "not_applicable": list(unit.excluded),
        "tags": {tag: _number(result.score) for tag, result in unit.tags.items()},
        "previous": [
            {
                "year": p.year,
                "rank": p.rank,
                "score": _number(p.score),
                "rank_change": p.rank_change,
                "score_change": _number(p.score_change),
                **(
                    {
                        "index": _number(_index(p.percent)),
                        "index_change": _number(_index(p.percent_change)),
                    }
                    if ratio
                    else {}
                ),
                **(
                    {
                        "carried": {
                            "how": p.carried.how.value,
                            "earlier": list(p.carried.earlier),
                            "policy": p.carried.policy.value if p.carried.policy else None,
                            "chosen": p.carried.chosen,
                        }
                    }
                    if p.carried is not None
                    else {}
                ),
            }
            for p in unit.previous
        ],
    }


def to_json_dict(framework: Framework, result: CycleResult) -> dict[str, Any]:
    """The stable JSON contract of ``chiso score --format json`` (docs/cli.md) as data, its
    numbers as int or float. The command writes the same document with exact numbers
    (:func:`chiso.io.results.json_text`)."""
    blocks = []
    for block in result.blocks:
        codes = framework.groups(block.block, parts=True)
        stats = block.stats
        blocks.append(
            {
                "block": block.block,
                "name": block.name,
                "max": _number(block.max),
                "units": [
                    _unit(unit, codes, framework.display.scale == "ratio") for unit in block.units
                ],
                "stats": {
                    "units": stats.units,
                    "with_data": stats.with_data,
                    "ranked": stats.ranked,
                    "score": _summary(stats.score),
                    "percent": _summary(stats.percent),
                    "tiers": _tiers(stats.tiers),
                    "groups": {code: _summary(s) for code, s in stats.groups.items()},
                    "group_tiers": {code: _tiers(t) for code, t in stats.group_tiers.items()},
                    "previous": [
                        {
                            "year": p.year,
                            "count": p.count,
                            "mean_score": _number(p.mean_score),
                            "tiers": _tiers(p.tiers),
                        }
                        for p in stats.previous
                    ],
                },
            }
        )
    return {
        "framework": result.framework,
        "year": result.year,
        "blocks": blocks,
        "overall": _summary(result.overall),
    }
