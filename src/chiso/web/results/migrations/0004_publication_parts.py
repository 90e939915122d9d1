"""Results published before the publication was stored in parts: their one ``data`` value
(the JSON contract with binary floats, the report's tables and charts, the units' scorecards)
becomes the head and the parts of :mod:`chiso.web.results.snapshot`, in the codec's version 1.

The floats are read back as the shortest decimal that gives the same float (``repr``), which
is the decimal that was stored whenever it had at most 15 significant digits (every printed
value does); a value published with more (2/3 of a point) keeps the float's 17 digits.
What the stored value does not say is taken from the revision's framework file (the display
scale and decimals, the maxima that tell a criterion excluded as not applicable).
"""

from __future__ import annotations

import json
from decimal import Decimal
from typing import Any

from django.db import migrations

VERSION = 1
NOT_RANKED = {
    "no_data": "Không xếp hạng do không cung cấp số liệu",
    "voluntary": "Không xếp hạng (đơn vị tham gia tự nguyện)",
    "below_lowest_level": "Không xếp hạng (dưới mức thấp nhất)",
}


def _decimal(value: Any) -> str | None:
    if value is None:
        return None
    return str(Decimal(repr(value)) if isinstance(value, float) else Decimal(value))


def _ratio(percent: Any) -> str | None:
    """A percentage (0–100) as a ratio (0–1), exactly."""
    text = _decimal(percent)
    return None if text is None else str(Decimal(text) / 100)


def _cell(value: Any, kind: str) -> Any:
    if value is None or isinstance(value, str):
        return value
    if kind in ("score", "percent"):
        return {"n": _decimal(value)}
    return int(value)


def _table(table: dict[str, Any]) -> dict[str, Any]:
    columns = table["columns"]
    return {
        **table,
        "columns": [{**c, "maximum": _decimal(c["maximum"])} for c in columns],
        "rows": [
            {"label": row["section"]}
            if isinstance(row, dict)
            else [_cell(v, c["kind"]) for v, c in zip(row, columns, strict=True)]
            for row in table["rows"]
        ],
    }


def _chart(chart: dict[str, Any]) -> dict[str, Any]:
    return {
        **chart,
        "values": [_decimal(v) for v in chart["values"]],
        "reference": _decimal(chart["reference"]),
        "series": [[name, [_decimal(v) for v in values]] for name, values in chart["series"]],
    }


class _Framework:
    """What the conversion needs of the revision's framework file."""

    def __init__(self, source: str) -> None:
        from chiso.core import FrameworkError, parse_framework

        try:
            self.framework: Any = parse_framework(source)
        except (FrameworkError, ValueError):
            self.framework = None

    def display(self, block: str) -> tuple[bool, int, int]:
        if self.framework is None:
            return False, 1, 1
        display = self.framework.display_for(block)
        return display.scale == "ratio", display.score_decimals, display.percent_decimals

    def block_max(self, block: str, code: str) -> Decimal | None:
        if self.framework is None:
            return None
        return self.framework.max_for(block).get(code, Decimal(0))

    @property
    def name(self) -> str:
        return "" if self.framework is None else str(self.framework.name)


def _group(group: dict[str, Any], block_max: Decimal | None) -> dict[str, Any]:
    score, maximum = group["score"], group["max"]
    declared = bool(group.get("not_applicable", False))  # the oldest revisions lack it
    if block_max is None:
        not_scored = declared and not maximum
    else:
        not_scored = score is not None and not maximum and block_max > 0
    if "full_credit" in group:
        full_credit = bool(group["full_credit"])
    else:  # stored as not applicable too, the one that keeps a maximum
        full_credit = declared and bool(maximum)
    return {
        "code": group["code"],
        "name": group["name"],
        "top": bool(group["top"]),
        "score": _decimal(score),
        "maximum": _decimal(maximum),
        "percent": _decimal(group["percent"]),
        "tier": group["tier"],
        "block_mean": _decimal(group["block_mean"]),
        "block_mean_percent": _decimal(group.get("block_mean_percent")),
        "not_scored": not_scored,
        "full_credit": full_credit,
    }


def convert(
    data: dict[str, Any], source: str, year: int
) -> tuple[dict[str, Any], list[dict[str, Any]]]:
    """The head and the parts (kind, key, block, position, unit id, data, text) of a revision
    stored in one value."""
    framework = _Framework(source)
    results, report, units = data["results"], data["report"], data["units"]
    by_name = {u["unit"]: (b, u) for b in results["blocks"] for u in b["units"]}
    parts: list[dict[str, Any]] = []

    def add(kind: str, key: str, block: str, value: Any, unit: Any = None, text: str = "") -> None:
        parts.append(
            {
                "kind": kind,
                "key": key,
                "block": block,
                "position": len(parts),
                "unit": unit,
                "data": value,
                "text": text,
            }
        )

    blocks, statistics = [], [["Khối", "Chỉ tiêu", "Giá trị"]]
    for block in report["blocks"]:
        for table in block["tables"]:
            add("table", table["key"], block["block"], _table(table))
        for chart in block["charts"]:
            add("chart", chart["key"], block["block"], _chart(chart))
        statistics += [[block["name"], *row] for row in block["statistics"]]
        count = sum(len(b["units"]) for b in results["blocks"] if b["block"] == block["block"])
        blocks.append(
            {
                "block": block["block"],
                "name": block["name"],
                "heading": block["heading"],
                "tables": [],
                "charts": [],
                "narrative": block["narrative"],
                "units": count,
                "large": False,
            }
        )
    for chart in report["charts"]:
        add("chart", chart["key"], "", _chart(chart))
    for name, entry in units.items():
        block, unit = by_name[name]
        ratio, score_decimals, percent_decimals = framework.display(block["block"])
        percent = unit["percent"]
        reason = unit["not_ranked_reason"]
        card = {
            "framework": framework.name or report["name"],
            "assessor": report["assessor"],
            "year": year,
            "unit": name,
            "block": entry["block_name"],
            "block_code": block["block"],
            "total": _decimal(unit["total"]),
            "maximum": _decimal(unit["max"]),
            "percent": _ratio(percent) if ratio else _decimal(percent),
            "tier": unit["tier"],
            "rank": unit["rank"],
            "ranked": entry["ranked"],
            "not_ranked": NOT_RANKED.get(reason) if reason else None,
            "block_mean": _decimal(entry["block_mean_percent"]),
            "previous": [
                {
                    "year": p["year"],
                    "rank": p["rank"],
                    "rank_change": p["rank_change"],
                    "score_change": _decimal(p["score_change"]),
                }
                for p in unit["previous"]
            ],
            "groups": [
                _group(g, framework.block_max(block["block"], g["code"])) for g in entry["groups"]
            ],
            "lost": [
                {
                    "code": row["code"],
                    "name": row["name"],
                    "group": row["group"],
                    "score": _decimal(row["score"]),
                    "maximum": _decimal(row["max"]),
                    "lost": _decimal(row["lost"]),
                }
                for row in entry["lost"]
            ],
            "score_decimals": score_decimals,
            "percent_decimals": percent_decimals,
            "ratio": ratio,
        }
        add("scorecard", name, block["block"], card, entry["id"])
    text = json.dumps(results, ensure_ascii=False, separators=(",", ":"))
    add("results", "", "", None, text=text)
    head = {
        "framework": results["framework"],
        "name": report["name"],
        "assessor": report["assessor"],
        "year": year,
        "block_names": [b["name"] for b in report["blocks"]],
        "groups": [],
        "totals": [],
        "score_decimals": 0,
        "tiers": [],
        "ranking": "",
        "exemptions": [],
        "blocks": blocks,
        "charts": [],
        "summary": report["summary"],
        "statistics": statistics,
    }
    # its numbers were floats: an earlier score read from it is known to 15 digits
    return {"version": VERSION, "report": head, "from_floats": True}, parts


def forwards(apps: Any, schema_editor: Any) -> None:
    revisions = apps.get_model("results", "ResultRevision")
    result_parts = apps.get_model("results", "ResultPart")
    units = apps.get_model("cycles", "Unit")
    for revision in revisions.objects.select_related("framework", "cycle").iterator():
        if "version" in revision.data:
            continue
        head, parts = convert(revision.data, revision.framework.source, revision.cycle.year)
        known = set(
            units.objects.filter(
                pk__in=[p["unit"] for p in parts if p["unit"] is not None]
            ).values_list("pk", flat=True)
        )
        result_parts.objects.bulk_create(
            result_parts(
                revision=revision,
                kind=p["kind"],
                key=p["key"],
                block=p["block"],
                position=p["position"],
                unit_id=p["unit"] if p["unit"] in known else None,
                data=p["data"],
                text=p["text"],
            )
            for p in parts
        )
        revision.data = head
        revision.save(update_fields=["data"])


class Migration(migrations.Migration):
    dependencies = [
        ("results", "0003_result_parts"),
        ("cycles", "0004_names_without_control_characters"),
    ]

    operations = [migrations.RunPython(forwards, elidable=False)]
