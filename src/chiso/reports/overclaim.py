"""The over-claim table of the publication (``chiso report --overclaim``, the web's publish
option): per block, each unit's self-assessed total, verified total and their difference,
largest over-claim first, with a sentence in the narrative. Nothing is computed here: the core
(:mod:`chiso.core.overclaim`) compares; this lays it out and words it in Vietnamese."""

from __future__ import annotations

from decimal import Decimal

from chiso import format as fmt
from chiso.core.framework import Framework
from chiso.core.model import BlockResult
from chiso.core.numbers import round_half_up
from chiso.core.overclaim import BlockGap, OverClaim, gap_decimals
from chiso.reports.tables import Cell, Column, Section, Table

__all__ = ["TITLE", "block_gap", "block_sentence", "overclaim_table"]

TITLE = "Điểm tự đánh giá và điểm thẩm định"
"""The start of each over-claim table's title."""


def block_gap(found: OverClaim, block: str) -> BlockGap | None:
    return next((b for b in found.blocks if b.block == block), None)


def _signed(value: Decimal, decimals: int) -> str:
    text = fmt.number(value, decimals)
    return f"+{text}" if round_half_up(value, decimals) > 0 else text


def overclaim_table(
    framework: Framework, block: BlockResult, gaps: BlockGap, key: str, missing: tuple[str, ...]
) -> Table:
    """Each compared unit of the block: self-assessed, verified, the difference (self-assessed
    minus verified), largest first; the block's sums in a note. ``missing``: units of any block
    not compared (one of the two sets of answers missing), named under the block they are in."""
    d = gap_decimals(framework, block.block)
    columns = (
        Column("TT", "index"),
        Column("Tên cơ quan, đơn vị", "text"),
        Column("Tự đánh giá", "score", d),
        Column("Thẩm định", "score", d),
        Column("Chênh lệch", "change", d),
    )
    rows: tuple[tuple[Cell, ...] | Section, ...] = tuple(
        (position, unit.unit, unit.total.claimed, unit.total.verified, unit.total.difference)
        for position, unit in enumerate(gaps.units, start=1)
    )
    notes = [
        "Chênh lệch: điểm tự đánh giá trừ điểm thẩm định (dương: đơn vị tự chấm cao hơn;"
        " “=”: bằng nhau).",
        f"Cộng {len(gaps.units)} đơn vị: tự đánh giá {fmt.number(gaps.claimed, d)},"
        f" thẩm định {fmt.number(gaps.verified, d)}, chênh lệch"
        f" {_signed(gaps.difference, d)} điểm.",
    ]
    names = {u.unit for u in block.units}
    here = [name for name in missing if name in names]
    if here:
        notes.append(
            "Không so sánh (thiếu điểm tự đánh giá hoặc điểm thẩm định): " + ", ".join(here) + "."
        )
    return Table(
        key=key,
        number=f"Bảng {key}",
        title=f"{TITLE} của {block.name}",
        part=None,
        block=block.block,
        code=None,
        columns=columns,
        rows=rows,
        notes=tuple(notes),
        marks=("",) * len(rows),
        sections=("",) * len(rows),
    )


def block_sentence(framework: Framework, gaps: BlockGap, number: str) -> str:
    """The narrative's sentence: the block's sums both ways and how many units claimed more."""
    d = gap_decimals(framework, gaps.block)
    return (
        f"Tổng điểm tự đánh giá của {len(gaps.units)} đơn vị là {fmt.number(gaps.claimed, d)},"
        f" điểm thẩm định là {fmt.number(gaps.verified, d)} (chênh lệch"
        f" {_signed(gaps.difference, d)} điểm); {gaps.over} đơn vị tự chấm cao hơn điểm thẩm"
        f" định, {gaps.under} đơn vị thấp hơn ({number})."
    )
