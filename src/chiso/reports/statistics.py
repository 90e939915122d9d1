"""The statistics of the publication: per block, the counts, the points' mean, highest,
lowest and gap, the units per tier, earlier years and each group; as typed figures (the
workbook's numbers) and as rows of text (the web page's)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from decimal import Decimal

from chiso import format as fmt
from chiso.core import CycleResult, Framework, TierCount
from chiso.reports.labels import first_upper, tier_phrase
from chiso.reports.narrative import mean_decimals

__all__ = ["Statistic", "statistics", "statistics_rows"]

HEADER = ("Khối", "Chỉ tiêu", "Giá trị")
GROUP_PARTS = ("trung bình", "cao nhất", "thấp nhất")
"""A group's mean, highest and lowest points: one row of text, three figures."""


@dataclass(frozen=True, slots=True)
class Statistic:
    """One figure: a count (with its share of the units), points or a percentage."""

    block: str
    """The block's name; "Tất cả" for all blocks together."""
    label: str
    value: Decimal | int | None
    """Exact, as the core gives it; None: no value (no unit with data)."""
    decimals: int = 0
    """The places the publication shows ``value`` at."""
    share: Decimal | None = None
    """A count's share of the units with data: a percentage (0–100), shown whole."""
    percent: bool = False
    """``value`` is a percentage (0–100)."""
    group: str = ""
    """The group's code, for one of its :data:`GROUP_PARTS` (the label is "Nhóm I: trung
    bình")."""


def statistics(framework: Framework, result: CycleResult) -> tuple[Statistic, ...]:
    """Every figure of the statistics, block by block, then of all blocks together."""
    figures: list[Statistic] = []
    for block in result.blocks:
        stats = block.stats
        display = framework.display_for(block.block)
        d = display.score_decimals
        m = mean_decimals(framework, block.block)
        name = block.name
        figures += [
            Statistic(name, "Số đơn vị", stats.units),
            Statistic(name, "Số đơn vị có số liệu", stats.with_data),
            Statistic(name, "Số đơn vị được xếp hạng", stats.ranked),
            Statistic(name, "Điểm tối đa", block.max, d),
            Statistic(name, "Điểm trung bình", stats.score.mean, m),
            Statistic(name, "Điểm cao nhất", stats.score.max, d),
            Statistic(name, "Điểm thấp nhất", stats.score.min, d),
            Statistic(name, "Chênh lệch cao nhất – thấp nhất (điểm)", stats.score.gap, d),
            Statistic(
                name,
                "Tỷ lệ trung bình (%)",
                stats.percent.mean,
                display.share_decimals,  # 70,20%, not the index's 70,2027%
                percent=True,
            ),
            Statistic(
                name,
                "Số đơn vị đạt từ điểm trung bình trở lên",
                stats.score.at_or_above_mean,
                share=stats.score.share_at_or_above_mean,
            ),
        ]
        figures += _tiers(name, stats.tiers, "")
        for previous in stats.previous:
            if previous.mean_score is not None:
                label = f"Điểm trung bình năm {previous.year}"
                figures.append(Statistic(name, label, previous.mean_score, m))
            figures += _tiers(name, previous.tiers, f" năm {previous.year}")
        for code, summary in stats.groups.items():
            if summary.mean is None:
                continue
            figures += [
                Statistic(name, f"Nhóm {code}: {part}", value, places, group=code)
                for part, value, places in zip(
                    GROUP_PARTS, (summary.mean, summary.max, summary.min), (m, d, d), strict=True
                )
            ]
    if result.overall.mean is not None:
        figures.append(
            Statistic("Tất cả", "Điểm trung bình", result.overall.mean, mean_decimals(framework))
        )
    return tuple(figures)


def _tiers(block: str, tiers: Iterable[TierCount], suffix: str) -> list[Statistic]:
    return [
        Statistic(block, f"{first_upper(tier_phrase(t.label))}{suffix}", t.count, share=t.share)
        for t in tiers
    ]


def statistics_rows(figures: Iterable[Statistic]) -> tuple[tuple[str, ...], ...]:
    """The statistics as rows of text, the first the header: "79,3", "13 (62%)", and a
    group's three figures in one row ("Nhóm I: trung bình / cao nhất / thấp nhất")."""
    rows: list[tuple[str, ...]] = [HEADER]
    group: list[Statistic] = []
    for figure in figures:
        if figure.group:
            group.append(figure)
            if len(group) == len(GROUP_PARTS):
                rows.append(
                    (
                        figure.block,
                        f"Nhóm {figure.group}: {' / '.join(GROUP_PARTS)}",
                        " / ".join(_text(g) for g in group),
                    )
                )
                group = []
            continue
        rows.append((figure.block, figure.label, _text(figure)))
    return tuple(rows)


def _text(figure: Statistic) -> str:
    value = figure.value
    if isinstance(value, int):
        text = str(value)
        return f"{text} ({fmt.percent(figure.share)})" if figure.share is not None else text
    return fmt.number(value, figure.decimals)
