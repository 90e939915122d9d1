"""Results out: the JSON contract, the CSV/XLSX results file (which is also next year's
previous-results file)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal
from pathlib import Path
from typing import IO, Any

from chiso.core import CycleResult, Framework, Summary, TierCount, UnitResult
from chiso.core.model import scores_of, tiers_of

__all__ = ["result_rows", "to_json_dict", "write_csv", "write_xlsx"]


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    whole = int(value)
    return whole if whole == value else float(value)


def group_codes(framework: Framework, block: str) -> list[str]:
    """The groups reported per unit: top-level criteria and their direct parts."""
    maxima = framework.max_for(block)
    codes = []
    for root in framework.criteria:
        if root.code in maxima:
            codes.append(root.code)
            codes += [child.code for child in root.children if child.code in maxima]
    return codes


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


def _unit(unit: UnitResult, codes: list[str]) -> dict[str, Any]:
    return {
        "unit": unit.unit,
        "status": unit.status.value,
        "total": _number(unit.total),
        "max": _number(unit.max),
        "percent": _number(unit.percent),
        "tier": unit.tier,
        "rank": unit.rank,
        "not_ranked_reason": unit.not_ranked_reason.value if unit.not_ranked_reason else None,
        "groups": {code: _number(points) for code, points in scores_of(unit.nodes, codes).items()},
        "group_tiers": tiers_of(unit.nodes, codes),
        "tags": {tag: _number(result.score) for tag, result in unit.tags.items()},
        "previous": [
            {
                "year": p.year,
                "rank": p.rank,
                "score": _number(p.score),
                "rank_change": p.rank_change,
                "score_change": _number(p.score_change),
            }
            for p in unit.previous
        ],
    }


def to_json_dict(framework: Framework, result: CycleResult) -> dict[str, Any]:
    """The stable JSON contract of ``chiso score --format json`` (docs/cli.md)."""
    blocks = []
    for block in result.blocks:
        codes = group_codes(framework, block.block)
        stats = block.stats
        blocks.append(
            {
                "block": block.block,
                "name": block.name,
                "max": _number(block.max),
                "units": [_unit(unit, codes) for unit in block.units],
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


def result_rows(framework: Framework, result: CycleResult) -> list[dict[str, Any]]:
    """One flat row per unit; the columns ``unit, block, year, rank, score, percent, tier``
    make the file readable as ``--previous`` next year."""
    codes: list[str] = []
    for block in result.blocks:
        codes += [c for c in group_codes(framework, block.block) if c not in codes]
    years = sorted(
        {p.year for b in result.blocks for u in b.units for p in u.previous}, reverse=True
    )
    rows = []
    for block in result.blocks:
        for unit in block.units:
            row: dict[str, Any] = {
                "unit": unit.unit,
                "block": block.block,
                "year": result.year,
                "rank": unit.rank,
                "score": _number(unit.total),
                "max": _number(unit.max),
                "percent": _number(unit.percent),
                "tier": unit.tier,
                "not_ranked_reason": unit.not_ranked_reason.value
                if unit.not_ranked_reason
                else None,
            }
            for code in codes:
                node = unit.nodes.get(code)
                row[code] = _number(node.score) if node else None
            by_year = {p.year: p for p in unit.previous}
            for year in years:
                p = by_year.get(year)
                row[f"rank_{year}"] = p.rank if p else None
                row[f"rank_change_{year}"] = p.rank_change if p else None
                row[f"score_change_{year}"] = _number(p.score_change) if p else None
            rows.append(row)
    return rows


def write_csv(rows: list[dict[str, Any]]) -> str:
    buffer = io.StringIO()
    if rows:
        writer = csv.DictWriter(buffer, fieldnames=list(rows[0]), lineterminator="\n")
        writer.writeheader()
        writer.writerows({k: "" if v is None else v for k, v in row.items()} for row in rows)
    return buffer.getvalue()


def write_xlsx(
    rows: list[dict[str, Any]], path: str | Path | IO[bytes], *, title: str = "Kết quả"
) -> None:
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    if rows:
        sheet.append(list(rows[0]))
        for row in rows:
            sheet.append(list(row.values()))
    workbook.save(path)
