"""The narrative of the publication, in Vietnamese sentences: per block, the tiers, the mean,
the extremes, the moves in rank and the groups; over all blocks, the mean and its change."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework
from chiso.core.model import Summary, TierCount
from chiso.core.tiers import display_value
from chiso.reports.labels import block_phrase, first_upper, tier_phrase
from chiso.reports.tables import display_percent

__all__ = ["block_sentences", "mean_decimals", "summary_sentences"]


def _names(names: Sequence[str], limit: int = 3) -> str:
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" và {len(names) - limit} đơn vị khác"


def _change(value: Decimal, decimals: int, unit: str) -> str:
    if value > 0:
        return f"tăng {fmt.number(value, decimals)}{unit}"
    if value < 0:
        return f"giảm {fmt.number(-value, decimals)}{unit}"
    return "không đổi"


def mean_decimals(framework: Framework, block: str | None = None) -> int:
    """A mean is shown with at least one decimal (:func:`chiso.format.mean_decimals`)."""
    display = framework.display_for(block) if block else framework.display
    return fmt.mean_decimals(display.score_decimals)


def block_sentences(
    framework: Framework, result: CycleResult, block: BlockResult
) -> tuple[str, ...]:
    """The block's tiers, mean, extremes, moves in rank and groups, in sentences."""
    stats = block.stats
    display = framework.display_for(block.block)
    sentences = []
    with_data = stats.with_data
    if stats.tiers:
        parts = [
            f"{t.count}/{with_data} đơn vị đạt {tier_phrase(t.label)} ({fmt.percent(t.share)})"
            for t in stats.tiers
        ]
        sentence = f"Năm {result.year}, {block_phrase(block.name)} có " + ", ".join(parts)
        changes = _tier_changes(stats.tiers, stats.previous)
        sentences.append(sentence + (f"; {changes}" if changes else "") + ".")
    sentences.append(_mean_sentence(framework, block))
    sentences.append(_extremes_sentence(framework, block))
    moved = _moves_sentence(block)
    if moved:
        sentences.append(moved)
    for code in _narrated_codes(framework, block):
        summary = stats.groups.get(code)
        if summary is None or summary.mean is None:
            continue
        maximum = framework.max_for(block.block)[code]
        decimals = display.score_decimals
        best, worst = summary.best, summary.worst
        name = framework.node(code).name
        mean = fmt.number(summary.mean, mean_decimals(framework, block.block))
        head = f"Nhóm “{name}” (tối đa {fmt.number(maximum, decimals)} điểm)"
        if summary.gap == 0:
            sentences.append(
                f"{head}: tất cả {summary.count} đơn vị đạt"
                f" {fmt.number(summary.max, decimals)} điểm."
            )
            continue
        sentences.append(
            f"{head}: điểm trung bình {mean};"
            f" cao nhất {fmt.number(summary.max, decimals)} điểm ({_names(best)}),"
            f" thấp nhất {fmt.number(summary.min, decimals)} điểm ({_names(worst)});"
            f" chênh lệch {fmt.number(summary.gap, decimals)} điểm."
        )
    return tuple(sentences)


def _narrated_codes(framework: Framework, block: BlockResult) -> list[str]:
    """The groups that have their own table, and their parts that do."""
    roots = framework.groups(block.block)
    if len(roots) < 2:
        return []
    maxima = framework.max_for(block.block)
    codes = []
    for code in roots:
        codes.append(code)
        codes += [
            child.code
            for child in framework.node(code).children
            if child.code in maxima
            and child.code in block.stats.groups
            and any(child.code in u.nodes for u in block.units)
        ]
    return codes


def _tier_changes(tiers: tuple[TierCount, ...], previous: Sequence[object]) -> str:
    from chiso.core.model import PreviousTierShares

    latest = [p for p in previous if isinstance(p, PreviousTierShares) and p.tiers]
    if not latest:
        return ""
    before = max(latest, key=lambda p: p.year)
    then = {t.label: t for t in before.tiers}
    parts = []
    for tier in tiers:
        old = then.get(tier.label)
        if old is None or old.share is None or tier.share is None:
            continue
        diff = tier.share - old.share
        parts.append(
            f"{tier_phrase(tier.label)} {_change(diff, 0, ' điểm phần trăm')}"
            f" (năm {before.year}: {old.count}/{before.count}, {fmt.percent(old.share)})"
        )
    return f"so với năm {before.year}: " + ", ".join(parts) if parts else ""


def _mean_sentence(framework: Framework, block: BlockResult) -> str:
    stats = block.stats
    decimals = mean_decimals(framework, block.block)
    display = framework.display_for(block.block)
    mean = stats.score.mean
    text = (
        f"Điểm trung bình của {block_phrase(block.name)} đạt {fmt.number(mean, decimals)}"
        f"/{fmt.number(block.max, display.score_decimals)} điểm"
    )
    if stats.percent.mean is not None and display.scale != "ratio":
        text += f" (tỷ lệ trung bình {fmt.number(stats.percent.mean, display.percent_decimals)}%)"
    earlier = [p for p in stats.previous if p.mean_score is not None]
    if earlier and mean is not None:
        before = max(earlier, key=lambda p: p.year)
        assert before.mean_score is not None
        text += (
            f", {_change(mean - before.mean_score, decimals, ' điểm')} so với năm {before.year}"
            f" ({fmt.number(before.mean_score, decimals)} điểm)"
        )
    return text + "."


def _extremes_sentence(framework: Framework, block: BlockResult) -> str:
    display = framework.display_for(block.block)
    by_percent = framework.ranking_for(block.block).by == "percent"
    summary: Summary = block.stats.percent if by_percent else block.stats.score
    units = {u.unit: u for u in block.units}

    def describe(names: tuple[str, ...]) -> str:
        shown = []
        for name in names[:3]:
            u = units[name]
            share = fmt.number(display_percent(u.percent, display.scale), display.percent_decimals)
            sign = "" if display.scale == "ratio" else "%"
            shown.append(
                f"{name} ({fmt.number(u.total, display.score_decimals)} điểm, {share}{sign})"
            )
        more = f" và {len(names) - 3} đơn vị khác" if len(names) > 3 else ""
        return ", ".join(shown) + more

    if summary.gap is None:
        return f"{first_upper(block_phrase(block.name))} không có đơn vị có số liệu."
    gap = (
        f"{fmt.number(summary.gap, display.percent_decimals)} điểm phần trăm"
        if by_percent and display.scale != "ratio"
        else (
            fmt.number(display_value(summary.gap, display.scale), display.percent_decimals)
            if by_percent
            else f"{fmt.number(summary.gap, display.score_decimals)} điểm"
        )
    )
    return (
        f"Cao nhất: {describe(summary.best)}; thấp nhất: {describe(summary.worst)};"
        f" chênh lệch giữa đơn vị cao nhất và thấp nhất là {gap}."
    )


def _moves_sentence(block: BlockResult, limit: int = 5) -> str:
    years = sorted({p.year for u in block.units for p in u.previous})
    if not years:
        return ""
    year = years[-1]
    up: list[tuple[int, str]] = []
    down: list[tuple[int, str]] = []
    same = 0
    for unit in block.units:
        for p in unit.previous:
            if p.year != year or p.rank_change is None:
                continue
            if p.rank_change > 0:
                up.append((p.rank_change, unit.unit))
            elif p.rank_change < 0:
                down.append((-p.rank_change, unit.unit))
            else:
                same += 1
    if not (up or down or same):
        return ""
    up.sort(key=lambda m: -m[0])
    down.sort(key=lambda m: -m[0])

    def listing(moves: list[tuple[int, str]], verb: str) -> str:
        shown = ", ".join(f"{name} {verb} {n} bậc" for n, name in moves[:limit])
        more = f" và {len(moves) - limit} đơn vị khác" if len(moves) > limit else ""
        return shown + more

    parts = [
        f"{len(up)} đơn vị tăng hạng",
        f"{len(down)} đơn vị giảm hạng",
        f"{same} đơn vị giữ nguyên thứ hạng",
    ]
    text = f"So với năm {year}: " + ", ".join(parts)
    if up:
        text += f". Tăng hạng: {listing(up, 'tăng')}"
    if down:
        text += f". Giảm hạng: {listing(down, 'giảm')}"
    return text + "."


def summary_sentences(framework: Framework, result: CycleResult) -> tuple[str, ...]:
    """The mean of all units and its change, when the blocks share one maximum."""
    overall = result.overall
    if overall.mean is None or len(result.blocks) < 2 or len({b.max for b in result.blocks}) > 1:
        return ()  # a mean over blocks of different maxima says nothing
    decimals = mean_decimals(framework)
    text = (
        f"Điểm trung bình của tất cả {overall.count} đơn vị được đánh giá năm {result.year}"
        f" là {fmt.number(overall.mean, decimals)} điểm"
    )
    earlier: dict[int, list[tuple[int, Decimal]]] = {}
    for block in result.blocks:
        for p in block.stats.previous:
            if p.mean_score is not None:
                earlier.setdefault(p.year, []).append((p.count, p.mean_score))
    if earlier:
        year = max(earlier)
        pairs = earlier[year]
        if len(pairs) == len(result.blocks):
            count = sum(n for n, _ in pairs)
            # the mean of all units: block means weighted by their number of units
            before = sum((Decimal(n) * m for n, m in pairs), Decimal(0)) / count
            text += (
                f", {_change(overall.mean - before, decimals, ' điểm')} so với năm {year}"
                f" ({fmt.number(before, decimals)} điểm)"
            )
    return (text + ".",)
