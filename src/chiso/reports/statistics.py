"""The statistics sheet of the publication: per block, the counts, the points' mean, highest,
lowest and gap, the units per tier, earlier years and each group; rows of text."""

from __future__ import annotations

from chiso import format as fmt
from chiso.core import CycleResult, Framework
from chiso.reports.labels import first_upper, tier_phrase
from chiso.reports.narrative import mean_decimals

__all__ = ["statistics_rows"]


def statistics_rows(framework: Framework, result: CycleResult) -> tuple[tuple[str, ...], ...]:
    """The statistics sheet's rows; the first is the header."""
    rows: list[tuple[str, ...]] = [("Khối", "Chỉ tiêu", "Giá trị")]
    for block in result.blocks:
        stats = block.stats
        display = framework.display_for(block.block)
        d = display.score_decimals
        pd = display.percent_decimals
        m = mean_decimals(framework, block.block)
        name = block.name
        rows += [
            (name, "Số đơn vị", str(stats.units)),
            (name, "Số đơn vị có số liệu", str(stats.with_data)),
            (name, "Số đơn vị được xếp hạng", str(stats.ranked)),
            (name, "Điểm tối đa", fmt.number(block.max, d)),
            (name, "Điểm trung bình", fmt.number(stats.score.mean, m)),
            (name, "Điểm cao nhất", fmt.number(stats.score.max, d)),
            (name, "Điểm thấp nhất", fmt.number(stats.score.min, d)),
            (name, "Chênh lệch cao nhất – thấp nhất (điểm)", fmt.number(stats.score.gap, d)),
            (name, "Tỷ lệ trung bình (%)", fmt.number(stats.percent.mean, pd)),
            (
                name,
                "Số đơn vị đạt từ điểm trung bình trở lên",
                f"{stats.score.at_or_above_mean}"
                f" ({fmt.percent(stats.score.share_at_or_above_mean)})",
            ),
        ]
        rows += [
            (name, first_upper(tier_phrase(t.label)), f"{t.count} ({fmt.percent(t.share)})")
            for t in stats.tiers
        ]
        for previous in stats.previous:
            if previous.mean_score is not None:
                rows.append(
                    (
                        name,
                        f"Điểm trung bình năm {previous.year}",
                        fmt.number(previous.mean_score, m),
                    )
                )
            rows += [
                (
                    name,
                    f"{first_upper(tier_phrase(t.label))} năm {previous.year}",
                    f"{t.count} ({fmt.percent(t.share)})",
                )
                for t in previous.tiers
            ]
        for code, summary in stats.groups.items():
            if summary.mean is None:
                continue
            rows.append(
                (
                    name,
                    f"Nhóm {code}: trung bình / cao nhất / thấp nhất",
                    f"{fmt.number(summary.mean, m)} / {fmt.number(summary.max, d)}"
                    f" / {fmt.number(summary.min, d)}",
                )
            )
    if result.overall.mean is not None:
        rows.append(
            ("Tất cả", "Điểm trung bình", fmt.number(result.overall.mean, mean_decimals(framework)))
        )
    return tuple(rows)
