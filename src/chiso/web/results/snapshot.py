"""The results of a cycle as stored plain data: what a published revision freezes, and what
the pages, the charts and the API read.

``build`` takes the core's values and returns a JSON-ready dict; nothing here computes a
score. Its parts:

- ``results``: the JSON contract of ``chiso score --format json`` (docs/cli.md);
- ``report``: the publication's tables (Bảng 1, 1.1 …), charts' data (Hình 1 …), statistics
  and narrative, from :func:`chiso.reports.data.build_report`;
- ``units``: per unit (by name) its id, its groups against the block's mean and the criteria
  where it lost points — the scorecard.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from chiso.core import CycleResult, Framework, UnitResult
from chiso.core.model import not_scored
from chiso.core.tiers import display_value
from chiso.io.results import group_codes, to_json_dict
from chiso.reports.chart_data import Chart
from chiso.reports.data import build_report
from chiso.reports.tables import Section

__all__ = ["build", "chart_of", "lost_points"]


def build(framework: Framework, result: CycleResult, unit_ids: Mapping[str, int]) -> dict[str, Any]:
    report = build_report(framework, result)
    units = {
        unit.unit: _unit(framework, result, unit, unit_ids.get(unit.unit))
        for block in result.blocks
        for unit in block.units
    }
    return {
        "results": to_json_dict(framework, result),
        "report": {
            "name": report.name,
            "assessor": report.assessor,
            "blocks": [
                {
                    "block": b.block,
                    "name": b.name,
                    "heading": b.heading,
                    "tables": [_plain(t) for t in b.tables],
                    "charts": [_plain(c) for c in b.charts],
                    "narrative": list(b.narrative),
                    "statistics": [list(row[1:]) for row in report.statistics if row[0] == b.name],
                }
                for b in report.blocks
            ],
            "charts": [_plain(c) for c in report.charts],
            "summary": list(report.summary),
        },
        "units": units,
    }


def chart_of(data: Mapping[str, Any]) -> Chart:
    """A stored chart's data back as the value the chart functions draw."""
    return Chart(
        key=data["key"],
        number=data["number"],
        title=data["title"],
        kind=data["kind"],
        labels=tuple(data["labels"]),
        values=tuple(data["values"]),
        reference=data["reference"],
        series=tuple((name, tuple(values)) for name, values in data["series"]),
        unit=data["unit"],
        histogram=data["histogram"],
    )


def lost_points(framework: Framework, unit: UnitResult) -> list[dict[str, Any]]:
    """The most detailed criteria the unit was scored on where it has less than their
    maximum, the largest loss first (then in the framework's order)."""
    order = framework.order
    scored = set(unit.nodes)
    rows = []
    for code, node in unit.nodes.items():
        children = framework.node(code).children
        if any(child.code in scored for child in children) or node.not_applicable:
            continue
        lost = node.max - node.score
        if lost <= 0:
            continue
        root = ([code, *framework.ancestors(code)])[-1]
        rows.append((lost, order[code], code, root, node.score, node.max))
    rows.sort(key=lambda row: (-row[0], row[1]))
    return [
        {
            "code": code,
            "name": framework.node(code).name,
            "group": root,
            "score": _number(score),
            "max": _number(maximum),
            "lost": _number(lost),
        }
        for lost, _, code, root, score, maximum in rows
    ]


def _unit(
    framework: Framework, result: CycleResult, unit: UnitResult, unit_id: int | None
) -> dict[str, Any]:
    block = next(b for b in result.blocks if b.block == unit.block)
    scale = framework.display_for(block.block).scale
    groups = []
    for code in group_codes(framework, block.block):
        node = unit.nodes.get(code) if unit.has_data else None
        summary = block.stats.groups.get(code)
        full = framework.max_for(block.block)[code]
        maximum = node.max if node else full
        mean = summary.mean if summary else None
        groups.append(
            {
                "code": code,
                "name": framework.node(code).name,
                "top": framework.parent(code) is None,
                "score": _number(node.score) if node else None,
                "max": _number(maximum),
                "percent": _number(node.percent) if node else None,
                "tier": node.tier if node else None,
                "block_mean": _number(mean),
                "block_mean_percent": _number(
                    mean * 100 / full if mean is not None and full else None
                ),
                # excluded as not applicable (declared, or every part of it): not scored
                "not_applicable": not_scored(node, full),
                # declared not applicable under full credit: scored at its maximum
                "full_credit": bool(node and node.not_applicable and node.max > 0),
            }
        )
    mean_percent = block.stats.percent.mean
    return {
        "id": unit_id,
        "block": block.block,
        "block_name": block.name,
        "ranked": block.stats.ranked,
        "block_mean_percent": _number(
            display_value(mean_percent, scale) if mean_percent is not None else None
        ),
        "groups": groups,
        "lost": lost_points(framework, unit) if unit.has_data else [],
    }


def _number(value: Decimal | None) -> int | float | None:
    if value is None:
        return None
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _plain(value: Any) -> Any:
    if isinstance(value, Section):
        return {"section": value.label}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _plain(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (tuple, list)):
        return [_plain(v) for v in value]
    if isinstance(value, Decimal):
        return _number(value)
    return value
