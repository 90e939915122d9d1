"""The year-over-year comparison of the groups in the publication (``chiso report
--crosswalk``): each group's table gets the change of every unit's percentage of the
maximum against the earlier year, through the criteria crosswalk
(:mod:`chiso.core.crosswalk`), and says which comparisons are not possible. Nothing is
computed here: the core compares; this selects and words it in Vietnamese."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.core.crosswalk import Comparison, Crosswalk, Kind, compare_years
from chiso.core.framework import Framework
from chiso.core.model import BlockResult, CycleResult

__all__ = ["YearComparison", "block_sentence", "change_title", "group_notes", "year_comparison"]


@dataclass(frozen=True, slots=True)
class YearComparison:
    """This year's results against an earlier year's scored on another framework."""

    year: int
    """The earlier year."""
    crosswalk: Crosswalk
    found: dict[tuple[str, str], dict[str, Comparison]]
    """By (block, unit), each group's and part's comparison."""
    dropped: tuple[tuple[str, str], ...] = ()
    """The earlier framework's criteria and groups (code, name) that nothing continues."""

    def change(self, block: str, unit: str, code: str) -> Decimal | None:
        found = self.found.get((block, unit), {}).get(code)
        return found.change if found is not None else None


def year_comparison(
    crosswalk: Crosswalk,
    current: CycleResult,
    earlier: CycleResult,
    earlier_framework: Framework,
    framework: Framework,
) -> YearComparison:
    """The groups of ``framework`` (this year's) and their parts, the codes the publication
    and the scorecards compare, against the earlier year."""
    codes = [
        code
        for root in framework.criteria
        for code in (root.code, *(child.code for child in root.children))
    ]
    found = compare_years(crosswalk, current, earlier, codes=codes)
    return YearComparison(
        year=earlier.year,
        crosswalk=crosswalk,
        found={key: {c.code: c for c in rows} for key, rows in found.items()},
        dropped=tuple((code, earlier_framework.node(code).name) for code in crosswalk.dropped),
    )


def change_title(comparison: YearComparison) -> str:
    return f"So với năm {comparison.year} (điểm %)"


_NOT_POSSIBLE = {
    Kind.NEW: "không có tiêu chí tương ứng năm {year}",
    Kind.SPLIT: "tách từ tiêu chí của năm {year} cùng với tiêu chí khác, điểm không chia được",
}


def group_notes(
    comparison: YearComparison, framework: Framework, block: BlockResult, code: str
) -> tuple[str, ...]:
    """The notes of a group's table: what it is compared with, or why it is not."""
    link = comparison.crosswalk.codes[code]
    name = framework.node(code).name
    year = comparison.year
    if link.kind in _NOT_POSSIBLE:
        reason = _NOT_POSSIBLE[link.kind].format(year=year)
        return (f"“{code}. {name}” không so sánh được với năm {year}: {reason}.",)
    earlier = " + ".join(link.earlier)
    notes = [
        f"{change_title(comparison)}: thay đổi của tỷ lệ điểm so với điểm tối đa, so với"
        f" {earlier} của năm {year} (bảng chuyển đổi tiêu chí)."
    ]
    missing = sum(
        1
        for unit in block.units
        if unit.has_data
        and code in unit.nodes
        and (found := comparison.found.get((block.block, unit.unit), {}).get(code)) is not None
        and found.change is None
    )
    if missing:
        notes.append(f"Để trống: {missing} đơn vị không có kết quả năm {year} để so sánh.")
    return tuple(notes)


def block_sentence(
    comparison: YearComparison, framework: Framework, block: BlockResult, codes: list[str]
) -> str:
    """Which of the block's groups are compared with the earlier year, which the crosswalk
    allows to compare but no unit of the block has an earlier result for (an earlier cycle
    without results), which cannot be compared, and which earlier groups nothing continues."""
    year = comparison.year
    comparable = [c for c in codes if comparison.crosswalk.comparable(c)]
    changed = {
        code
        for (name, _unit), found in comparison.found.items()
        if name == block.block
        for code, row in found.items()
        if row.change is not None
    }
    compared = [c for c in comparable if c in changed]
    without = [c for c in comparable if c not in changed]
    not_compared = [c for c in codes if not comparison.crosswalk.comparable(c)]
    parts = []
    if compared:
        parts.append("so sánh được " + ", ".join(_named(framework, c) for c in compared))
    if without:
        names = ", ".join(_named(framework, c) for c in without)
        parts.append(f"không có kết quả năm {year} để so sánh {names}")
    if not_compared:
        parts.append("không so sánh được " + ", ".join(_named(framework, c) for c in not_compared))
    sentence = f"So với năm {year} theo bảng chuyển đổi tiêu chí, {'; '.join(parts)}"
    if comparison.dropped:
        dropped = ", ".join(f"“{code}. {name}”" for code, name in comparison.dropped)
        sentence += f"; tiêu chí của năm {year} không còn đánh giá: {dropped}"
    return sentence + "."


def _named(framework: Framework, code: str) -> str:
    return f"“{code}. {framework.node(code).name}”"
