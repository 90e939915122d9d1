"""The over-claim report as text, JSON and CSV (``chiso overclaim``, docs/cli.md)."""

from __future__ import annotations

from decimal import Decimal

from chiso import format as fmt
from chiso.core.framework import Framework
from chiso.core.overclaim import BlockGap, OverClaim
from chiso.io.jsondoc import Number, dump
from chiso.io.results import json_number, write_csv

__all__ = ["overclaim_csv", "overclaim_json", "overclaim_text"]

SHOWN_CRITERIA = 6
"""The criteria of a unit's row in the text table, largest gaps first (all are in the JSON)."""


def _signed(value: Decimal, decimals: int) -> str:
    text = fmt.number(value, decimals)
    return f"+{text}" if value > 0 else text


def overclaim_text(framework: Framework, report: OverClaim) -> str:
    """One table per block: each unit's self-assessed and verified totals, their difference
    and the criteria that differ most; then the block's sums and its criteria with the
    largest gaps."""
    parts = [_block_text(framework, block, i) for i, block in enumerate(report.blocks, start=1)]
    if report.missing:
        parts.append("Không so sánh (thiếu một trong hai bộ số liệu): " + ", ".join(report.missing))
    return "\n\n".join(parts) + "\n"


def _block_text(framework: Framework, block: BlockGap, index: int) -> str:
    d = framework.display_for(block.block).score_decimals
    header = ["TT", "Tên cơ quan, đơn vị", "Tự đánh giá", "Thẩm định", "Chênh lệch", "Tiêu chí"]
    rows = []
    for position, unit in enumerate(block.units, start=1):
        widest = sorted(unit.criteria, key=lambda g: (-abs(g.difference), framework.order[g.code]))
        shown = [
            f"{g.code} ({_signed(g.difference, d)})"
            for g in widest[:SHOWN_CRITERIA]
            if framework.node(g.code).is_leaf
        ]
        rows.append(
            [
                str(position),
                unit.unit,
                fmt.number(unit.total.claimed, d),
                fmt.number(unit.total.verified, d),
                _signed(unit.total.difference, d),
                ", ".join(shown),
            ]
        )
    widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.ljust(w) if i in (1, 5) else c.rjust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "-" * len(line(header))
    top = [
        f"{code} ({_signed(total, d)} điểm, {count} đơn vị)"
        for code, total, count in block.criteria[:SHOWN_CRITERIA]
        if total > 0
    ]
    lines = [
        f"Bảng {index}. Điểm tự đánh giá và điểm thẩm định — {block.name}",
        rule,
        line(header),
        rule,
        *map(line, rows),
        rule,
        f"Tổng: tự đánh giá {fmt.number(block.claimed, d)}, thẩm định "
        f"{fmt.number(block.verified, d)}, chênh lệch {_signed(block.difference, d)} điểm; "
        f"{block.over} đơn vị tự chấm cao hơn, {block.under} đơn vị thấp hơn.",
    ]
    if top:
        lines.append("Tiêu chí chênh lệch nhiều nhất: " + "; ".join(top) + ".")
    return "\n".join(lines)


def overclaim_json(report: OverClaim) -> str:
    """The report with exact numbers (as ``chiso score``'s JSON writes them)."""

    def number(value: Decimal) -> Number:
        return Number(json_number(value))

    document = {
        "blocks": [
            {
                "block": block.block,
                "name": block.name,
                "claimed": number(block.claimed),
                "verified": number(block.verified),
                "difference": number(block.difference),
                "over": block.over,
                "under": block.under,
                "criteria": [
                    {"code": code, "difference": number(total), "units": count}
                    for code, total, count in block.criteria
                ],
                "units": [
                    {
                        "unit": unit.unit,
                        "claimed": number(unit.total.claimed),
                        "verified": number(unit.total.verified),
                        "difference": number(unit.total.difference),
                        "criteria": [
                            {
                                "code": gap.code,
                                "claimed": number(gap.claimed),
                                "verified": number(gap.verified),
                                "difference": number(gap.difference),
                            }
                            for gap in unit.criteria
                        ],
                    }
                    for unit in block.units
                ],
            }
            for block in report.blocks
        ],
        "missing": list(report.missing),
    }
    return dump(document)


def overclaim_csv(report: OverClaim, *, block_names: bool = False) -> str:
    """One row per unit and criterion that differs, and one per unit's total (code empty);
    each block by its code, or with ``block_names`` by its name (the web's download, read by
    people). Points are exact, in plain digits, as every CSV of chiso writes them."""
    rows = []
    for block in report.blocks:
        for unit in block.units:
            for gap in (unit.total, *unit.criteria):
                rows.append(
                    {
                        "block": block.name if block_names else block.block,
                        "unit": unit.unit,
                        "code": gap.code,
                        "claimed": gap.claimed,
                        "verified": gap.verified,
                        "difference": gap.difference,
                    }
                )
    return write_csv(rows)
