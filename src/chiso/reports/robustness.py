"""How solid each rank is, in the publication (``chiso report --robustness``, the web's draft
results): each ranked unit's range of possible ranks (:mod:`chiso.core.robustness`) beside
its rank, and a note of how the ranges were computed. Nothing is computed here: the core
gives the ranges; this words them in Vietnamese."""

from __future__ import annotations

from chiso import format as fmt
from chiso.core.model import BlockResult
from chiso.core.robustness import Ranges, RankRange, Robustness, merge

__all__ = ["RANGE_TITLE", "block_sentence", "range_text", "ranges_note", "widest"]

RANGE_TITLE = "Khoảng hạng"
"""The overall table's column of the ranges, beside this year's rank."""


def widest(found: Robustness) -> Ranges:
    """Each unit's widest range over the kinds computed."""
    return merge(*found.kinds.values())


def range_text(span: RankRange | None) -> str | None:
    """ "4–7" for a range wider than one rank; None for a rank that stays."""
    if span is None or span.low == span.high:
        return None
    return f"{span.low}–{span.high}"


def ranges_note(found: Robustness) -> str:
    """What the column of the ranges means, and how they were computed."""
    p = found.perturbation
    kinds = ["khi điểm được tính thêm một chữ số thập phân hoặc không làm tròn"]
    if "disputed" in found.kinds:
        kinds.append(
            "khi mỗi điểm tự đánh giá chưa được thống nhất với điểm thẩm định nhận giá trị"
            " cao hơn hoặc thấp hơn"
        )
    kinds.append(
        f"khi trọng số mỗi nhóm tiêu chí thay đổi ngẫu nhiên trong khoảng"
        f" ±{fmt.points(p.spread * 100, 1)}% ({p.draws} lần, hạt giống {p.seed},"
        f" từ bách phân vị thứ {p.percentiles[0]} đến thứ {p.percentiles[1]})"
    )
    return (
        f"{RANGE_TITLE}: các hạng đơn vị có thể có "
        + "; ".join(kinds)
        + ". Để trống khi hạng không thay đổi. Cùng dữ liệu cho cùng kết quả."
    )


def block_sentence(block: BlockResult, ranges: Ranges) -> str | None:
    """How many of the block's ranked units could have another rank; None when none."""
    ranked = [u for u in block.units if u.rank is not None]
    moving = [u for u in ranked if range_text(ranges.get((block.block, u.unit)))]
    if not moving:
        return None
    return (
        f"Hạng của {len(moving)}/{len(ranked)} đơn vị được xếp hạng có thể khác"
        " (khoảng hạng có thể có ghi trong bảng xếp hạng tổng thể)."
    )
