"""The narrative of the publication, in Vietnamese sentences: per block, the tiers, the mean,
the extremes, the moves in rank, the streaks at the top and the bottom, the groups (and how
many units reach their mean), the weakest groups and criteria; over all blocks, the mean and
its change, and the conclusion's sentences (tiers, gaps and the groups to improve).

Every figure is the core's (:class:`~chiso.core.CycleResult`): a mean share of a maximum is
the core's mean over the maximum, by :func:`chiso.core.numbers.percent`."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import cast

import numpy as np

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework
from chiso.core.engine import BlockColumns, decimals_at
from chiso.core.model import Summary, TierCount, UnitNodes, UnitResult, not_scored
from chiso.core.numbers import percent
from chiso.core.stats import summarize
from chiso.core.tiers import display_value
from chiso.reports.labels import block_phrase, first_upper, grouped, tier_phrase, unit_list
from chiso.reports.tables import display_percent, scored_groups

__all__ = ["block_sentences", "conclusion_sentences", "mean_decimals", "summary_sentences"]


def _change(value: Decimal, decimals: int, unit: str) -> str:
    if value > 0:
        return f"tăng {grouped(value, decimals)}{unit}"
    if value < 0:
        return f"giảm {grouped(-value, decimals)}{unit}"
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
        below = _below_lowest(framework, block)
        parts = [
            f"{t.count}/{with_data} đơn vị dưới mức thấp nhất (“{t.label}”, {fmt.percent(t.share)})"
            if t.label == below
            else f"{t.count}/{with_data} đơn vị đạt {tier_phrase(t.label)} ({fmt.percent(t.share)})"
            for t in stats.tiers
        ]
        sentence = f"Năm {result.year}, {block_phrase(block.name)} có " + ", ".join(parts)
        changes = _tier_changes(stats.tiers, stats.previous, below)
        sentences.append(sentence + (f"; {changes}" if changes else "") + ".")
    sentences.append(_mean_sentence(framework, block))
    sentences.append(_extremes_sentence(framework, block))
    moved = _moves_sentence(block)
    if moved:
        sentences.append(moved)
    streaks = _streaks_sentence(block, result.year, result.incomplete_years)
    if streaks:
        sentences.append(streaks)
    for code in _narrated_codes(framework, block):
        summary = stats.groups.get(code)
        if summary is None or summary.mean is None:
            continue
        maximum = framework.max_for(block.block)[code]
        decimals = display.score_decimals
        best, worst = summary.best, summary.worst
        name = framework.node(code).name
        mean = grouped(summary.mean, mean_decimals(framework, block.block))
        head = f"Nhóm “{name}” (tối đa {grouped(maximum, decimals)} điểm)"
        if summary.gap == 0:
            sentences.append(
                f"{head}: tất cả {summary.count} đơn vị đạt {grouped(summary.max, decimals)} điểm."
            )
            continue
        sentences.append(
            f"{head}: điểm trung bình {mean};"
            f" cao nhất {grouped(summary.max, decimals)} điểm ({unit_list(best)}),"
            f" thấp nhất {grouped(summary.min, decimals)} điểm ({unit_list(worst)});"
            f" chênh lệch {grouped(summary.gap, decimals)} điểm."
            f" {_at_or_above_mean(summary)}"
        )
    weakest = _weakest_groups_sentence(framework, block)
    if weakest:
        sentences.append(weakest)
    criteria = _weakest_criteria_sentence(framework, block)
    if criteria:
        sentences.append(criteria)
    return tuple(sentences)


def _at_or_above_mean(summary: Summary) -> str:
    """ "Có 10/22 đơn vị đạt điểm trung bình trở lên (45,5%)." (Bình Phước's sentence: a
    share of units at one decimal, none when whole: "100%")."""
    share = summary.share_at_or_above_mean
    shown = fmt.points(share, 1) + "%" if share is not None else ""
    return (
        f"Có {summary.at_or_above_mean}/{summary.count} đơn vị đạt điểm trung bình trở lên"
        f" ({shown})."
    )


def _share_decimals(framework: Framework, block: str) -> int:
    """The decimals of a percentage of a maximum (:attr:`Display.share_decimals`)."""
    return framework.display_for(block).share_decimals


def _narrated_codes(framework: Framework, block: BlockResult) -> list[str]:
    """The groups that have their own table, and their parts that do: a group of 0 points
    (the DTI's information-only "Đô thị thông minh") has none, and no sentence."""
    roots = scored_groups(framework, block.block)
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
            and maxima[child.code] > 0
            and child.code in block.stats.groups
            and any(child.code in u.nodes for u in block.units)
        ]
    return codes


def _group_shares(framework: Framework, block: BlockResult) -> list[tuple[str, Decimal]]:
    """The block's scored groups with the mean share of their maximum (0–100) — the core's
    mean over the block's maximum, as the groups' chart shows it —, lowest first, ties in the
    framework's order."""
    maxima = framework.max_for(block.block)
    shares = []
    for code in scored_groups(framework, block.block):
        summary = block.stats.groups.get(code)
        share = (
            percent(summary.mean, maxima[code]) if summary and summary.mean is not None else None
        )
        if share is not None:
            shares.append((code, share))
    return sorted(shares, key=lambda item: item[1])  # a stable sort keeps the framework's order


def _weakest_groups(framework: Framework, block: BlockResult) -> list[tuple[str, Decimal]]:
    """The groups to improve: the lowest mean shares (two, one of two groups), below 100%."""
    shares = _group_shares(framework, block)
    if len(shares) < 2:
        return []
    return [(code, share) for code, share in shares[: min(2, len(shares) - 1)] if share < 100]


def _weakest_groups_sentence(framework: Framework, block: BlockResult) -> str:
    weakest = _weakest_groups(framework, block)
    if not weakest:
        return ""
    display = framework.display_for(block.block)
    maxima = framework.max_for(block.block)
    decimals = mean_decimals(framework, block.block)
    parts = []
    for code, share in weakest:
        summary = block.stats.groups[code]
        parts.append(
            f"“{framework.node(code).name}” (trung bình {grouped(summary.mean, decimals)}"
            f"/{grouped(maxima[code], display.score_decimals)} điểm,"
            f" {fmt.percent(share, _share_decimals(framework, block.block))})"
        )
    noun = "Nhóm tiêu chí" if len(parts) == 1 else "Các nhóm tiêu chí"
    return (
        f"{noun} có tỷ lệ điểm trung bình so với điểm tối đa thấp nhất của"
        f" {block_phrase(block.name)}: " + ", ".join(parts) + "."
    )


def _criterion_summary(code: str, maximum: Decimal, units: Sequence[UnitResult]) -> Summary:
    """The core's statistics of a criterion's points over the units scored on it."""
    values = []
    for unit in units:
        node = unit.nodes.get(code) if unit.has_data else None
        if node is not None and not not_scored(node, maximum):
            values.append((unit.unit, node.score))
    return summarize(values)


class _CriterionPoints:
    """:func:`_criterion_summary` of many criteria over the same units, read a column at a
    time from the block's columns the units' results are rows of: the same points as each
    unit's ``nodes.get(code)``, without a NodeResult per unit and criterion (a national
    block: 2,800 units × 180 criteria)."""

    def __init__(self, units: Sequence[UnitResult]) -> None:
        self.units = units
        self.columns: BlockColumns | None = None
        if units and all(type(u.nodes) is UnitNodes for u in units):
            columns = cast(UnitNodes, units[0].nodes).columns
            if all(cast(UnitNodes, u.nodes).columns is columns for u in units):
                scored = [u for u in units if u.has_data]
                self.columns = columns
                self.names = [u.unit for u in scored]
                self.rows = np.array([cast(UnitNodes, u.nodes).row for u in scored], dtype=np.intp)

    def summary(self, code: str, maximum: Decimal) -> Summary:
        columns = self.columns
        if columns is None:
            return _criterion_summary(code, maximum, self.units)
        position = columns.index.get(code)
        if position is None:
            return summarize([])
        taken = columns.has[self.rows, position]
        if maximum > 0:  # a maximum of 0 for the unit: not scored (not_scored)
            taken = taken & (columns.maxima[self.rows, position] != 0)
        chosen = np.flatnonzero(taken)
        points = decimals_at(columns.scores[self.rows[chosen], position].tolist(), columns.scale)
        names = self.names
        return summarize(
            [(names[i], value) for i, value in zip(chosen.tolist(), points, strict=True)]
        )


def _weakest_criteria_sentence(framework: Framework, block: BlockResult, limit: int = 3) -> str:
    """The criteria (leaves below the groups and their parts, which have their own sentences)
    with the lowest mean share of their maximum, when the results carry criterion scores
    (not when the data gives the groups' points)."""
    maxima = framework.max_for(block.block)
    scored = [u for u in block.units if u.has_data]
    codes = [
        code
        for code, maximum in maxima.items()
        if maximum > 0
        and code not in block.stats.groups
        and framework.node(code).is_leaf
        and any(code in u.nodes for u in scored)
    ]
    found = []
    points = _CriterionPoints(scored)
    for code in codes:
        summary = points.summary(code, maxima[code])
        share = percent(summary.mean, maxima[code]) if summary.mean is not None else None
        if share is not None and share < 100:
            found.append((share, framework.order[code], code, summary))
    if not found:
        return ""
    found.sort(key=lambda item: (item[0], item[1]))
    display = framework.display_for(block.block)
    decimals = mean_decimals(framework, block.block)
    parts = [
        f"{code} “{framework.node(code).name}” (trung bình {grouped(summary.mean, decimals)}"
        f"/{grouped(maxima[code], display.score_decimals)} điểm,"
        f" {fmt.percent(share, _share_decimals(framework, block.block))})"
        for share, _, code, summary in found[:limit]
    ]
    noun = "Tiêu chí" if len(parts) == 1 else "Các tiêu chí"
    return f"{noun} có tỷ lệ điểm trung bình thấp nhất: " + "; ".join(parts) + "."


def _streaks_sentence(block: BlockResult, year: int, incomplete: tuple[int, ...] = ()) -> str:
    """Units first, or last, this year and the years just before it without a break: "Sở
    Giáo dục và Đào tạo xếp thứ nhất 3 năm liên tiếp (2018, 2019, 2020)"."""
    ranked = [u for u in block.units if u.rank is not None]
    if len(ranked) < 2:
        return ""
    last = _last_ranks(block, year, incomplete)
    found: dict[tuple[str, tuple[int, ...]], list[str]] = {}
    for unit in ranked:
        ranks = {p.year: p.rank for p in unit.previous if p.rank is not None}
        ranks[year] = unit.rank or 0  # a ranked unit's rank: never 0
        for kind, wanted in (("first", dict.fromkeys(ranks, 1)), ("last", last)):
            years = [year]
            while years[-1] - 1 in ranks and ranks[years[-1] - 1] == wanted.get(years[-1] - 1):
                years.append(years[-1] - 1)
            if len(years) > 1 and ranks[year] == wanted.get(year):
                found.setdefault((kind, tuple(reversed(years))), []).append(unit.unit)
    parts = [
        f"{unit_list(names)} xếp {'thứ nhất' if kind == 'first' else 'cuối'}"
        f" {len(years)} năm liên tiếp ({', '.join(map(str, years))})"
        for (kind, years), names in sorted(
            found.items(), key=lambda item: (item[0][0] != "first", -len(item[0][1]))
        )
    ]
    return "; ".join(parts) + "." if parts else ""


def _last_ranks(block: BlockResult, year: int, incomplete: tuple[int, ...] = ()) -> dict[int, int]:
    """The last rank of each year known to be last: this year's, and an earlier year's when
    every unit the block had that year is a unit of this year with a rank (a unit that left,
    or has no rank, might have been below; a rank above their number says so too; a year
    some of whose results name no unit of this year is ``incomplete``)."""
    ranked = [u.rank for u in block.units if u.rank is not None]
    last = {year: max(ranked)}
    members = {p.year: p.count for p in block.stats.previous}
    earlier: dict[int, list[int]] = {}
    for unit in block.units:
        for p in unit.previous:
            if p.rank is not None:
                earlier.setdefault(p.year, []).append(p.rank)
    for before, ranks in earlier.items():
        if before in incomplete:
            continue
        if len(ranks) > 1 and len(ranks) == members.get(before) and max(ranks) <= len(ranks):
            last[before] = max(ranks)
    return last


def _below_lowest(framework: Framework, block: BlockResult) -> str | None:
    """The label of a unit below the block's lowest tier (Cao Bằng's "KXH"), if any: no tier
    one "đạt"."""
    classification = framework.classification_for(block.block)
    if classification is None or classification.below_lowest is None:
        return None
    return classification.below_lowest.label


def _tier_changes(
    tiers: tuple[TierCount, ...], previous: Sequence[object], below: str | None = None
) -> str:
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
        name = (
            f"tỷ lệ dưới mức thấp nhất (“{tier.label}”)"
            if tier.label == below
            else tier_phrase(tier.label)
        )
        parts.append(
            f"{name} {_change(diff, 0, ' điểm phần trăm')}"
            f" (năm {before.year}: {old.count}/{before.count}, {fmt.percent(old.share)})"
        )
    return f"so với năm {before.year}: " + ", ".join(parts) if parts else ""


def _mean_sentence(framework: Framework, block: BlockResult) -> str:
    stats = block.stats
    decimals = mean_decimals(framework, block.block)
    display = framework.display_for(block.block)
    mean = stats.score.mean
    text = (
        f"Điểm trung bình của {block_phrase(block.name)} đạt {grouped(mean, decimals)}"
        f"/{grouped(block.max, display.score_decimals)} điểm"
    )
    if stats.percent.mean is not None and display.scale != "ratio":
        text += f" (tỷ lệ trung bình {grouped(stats.percent.mean, display.percent_decimals)}%)"
    earlier = [p for p in stats.previous if p.mean_score is not None]
    if earlier and mean is not None:
        before = max(earlier, key=lambda p: p.year)
        assert before.mean_score is not None
        text += (
            f", {_change(mean - before.mean_score, decimals, ' điểm')} so với năm {before.year}"
            f" ({grouped(before.mean_score, decimals)} điểm)"
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
            share = grouped(display_percent(u.percent, display.scale), display.percent_decimals)
            sign = "" if display.scale == "ratio" else "%"
            shown.append(f"{name} ({grouped(u.total, display.score_decimals)} điểm, {share}{sign})")
        more = f" và {len(names) - 3} đơn vị khác" if len(names) > 3 else ""
        return ", ".join(shown) + more

    if summary.gap is None:
        return f"{first_upper(block_phrase(block.name))} không có đơn vị có số liệu."
    return (
        f"Cao nhất: {describe(summary.best)}; thấp nhất: {describe(summary.worst)};"
        f" chênh lệch giữa đơn vị cao nhất và thấp nhất là {_gap(framework, block)}."
    )


def _gap(framework: Framework, block: BlockResult) -> str:
    """The gap between the highest and the lowest unit, by the block's ranking measure:
    "12 điểm phần trăm", "23,4 điểm"; "" without units with data."""
    display = framework.display_for(block.block)
    by_percent = framework.ranking_for(block.block).by == "percent"
    summary = block.stats.percent if by_percent else block.stats.score
    if summary.gap is None:
        return ""
    if by_percent and display.scale != "ratio":
        return f"{grouped(summary.gap, display.percent_decimals)} điểm phần trăm"
    if by_percent:
        return grouped(display_value(summary.gap, display.scale), display.percent_decimals)
    return f"{grouped(summary.gap, display.score_decimals)} điểm"


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
            # "Sở Lao động, TB&XH tăng 13 bậc (từ thứ 19 lên thứ 6)"
            if p.rank_change > 0:
                places = f"(từ thứ {p.rank} lên thứ {unit.rank})"
                up.append((p.rank_change, f"{unit.unit} tăng {p.rank_change} bậc {places}"))
            elif p.rank_change < 0:
                places = f"(từ thứ {p.rank} xuống thứ {unit.rank})"
                down.append((-p.rank_change, f"{unit.unit} giảm {-p.rank_change} bậc {places}"))
            else:
                same += 1
    if not (up or down or same):
        return ""
    up.sort(key=lambda m: -m[0])
    down.sort(key=lambda m: -m[0])

    def listing(moves: list[tuple[int, str]]) -> str:
        shown = ", ".join(text for _, text in moves[:limit])
        more = f" và {len(moves) - limit} đơn vị khác" if len(moves) > limit else ""
        return shown + more

    parts = [
        f"{len(up)} đơn vị tăng hạng",
        f"{len(down)} đơn vị giảm hạng",
        f"{same} đơn vị giữ nguyên thứ hạng",
    ]
    text = f"So với năm {year}: " + ", ".join(parts)
    if up:
        text += f". Tăng hạng: {listing(up)}"
    if down:
        text += f". Giảm hạng: {listing(down)}"
    return text + "."


def summary_sentences(framework: Framework, result: CycleResult) -> tuple[str, ...]:
    """The mean of all units and its change, when the blocks share one maximum."""
    overall = result.overall
    if overall.mean is None or len(result.blocks) < 2 or len({b.max for b in result.blocks}) > 1:
        return ()  # a mean over blocks of different maxima says nothing
    decimals = mean_decimals(framework)
    text = (
        f"Điểm trung bình của tất cả {overall.count} đơn vị được đánh giá năm {result.year}"
        f" là {grouped(overall.mean, decimals)} điểm"
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
                f" ({grouped(before, decimals)} điểm)"
            )
    return (text + ".",)


def conclusion_sentences(framework: Framework, result: CycleResult) -> tuple[str, ...]:
    """For the conclusion, one sentence per block: the share of units in the highest tier
    (and below the lowest), the gap between the highest and the lowest unit, and the groups
    to improve (the lowest mean shares of their maximum)."""
    sentences = []
    for block in result.blocks:
        if not block.stats.with_data:
            continue
        decimals = _share_decimals(framework, block.block)
        parts = []
        tiers = _tier_extremes(framework, block)
        if tiers:
            parts.append(tiers)
        parts.append(f"chênh lệch giữa đơn vị cao nhất và thấp nhất là {_gap(framework, block)}")
        weakest = _weakest_groups(framework, block)
        if weakest:
            groups = ", ".join(
                f"“{framework.node(code).name}”"
                f" (trung bình đạt {fmt.percent(share, decimals)} điểm tối đa)"
                for code, share in weakest
            )
            noun = "nhóm tiêu chí" if len(weakest) == 1 else "các nhóm tiêu chí"
            parts.append(f"cần chú trọng cải thiện {noun} {groups}")
        sentences.append(f"{first_upper(block_phrase(block.name))}: " + "; ".join(parts) + ".")
    return tuple(sentences)


def _tier_extremes(framework: Framework, block: BlockResult) -> str:
    """ "21/21 đơn vị (100%) đạt mức “Tốt”", with the units below the lowest tier."""
    classification = framework.classification_for(block.block)
    tiers = block.stats.tiers
    if classification is None or not tiers:
        return ""
    with_data = block.stats.with_data
    top = tiers[0]
    text = (
        f"{top.count}/{with_data} đơn vị ({fmt.percent(top.share)}) đạt {tier_phrase(top.label)}"
        if top.count
        else f"không có đơn vị đạt {tier_phrase(top.label)}"
    )
    if tiers[-1].label == _below_lowest(framework, block) and tiers[-1].count:
        last = tiers[-1]
        text += (
            f", {last.count}/{with_data} đơn vị ({fmt.percent(last.share)}) dưới mức thấp nhất"
            f" (“{last.label}”)"
        )
    return text
