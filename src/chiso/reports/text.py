"""The ranking tables per block as plain text, laid out as the published reports are."""

from __future__ import annotations

from chiso import format as fmt
from chiso.core import CycleResult, Framework, UnitResult
from chiso.core.framework import Display
from chiso.core.robustness import Ranges, Robustness, merge
from chiso.core.tiers import display_value
from chiso.reports.labels import CARRIED_MARK, LEGEND, NOT_RANKED, NOT_SCORED_MARK, carried_note
from chiso.reports.tables import scored_groups

__all__ = ["render_tables"]


def render_tables(
    framework: Framework, result: CycleResult, found: Robustness | None = None
) -> str:
    """The ranking tables; with ``found`` (``--robustness``), a rank that could be another
    is followed by the widest range of every kind: "10 (10–12)"."""
    ranges = merge(*found.kinds.values()) if found is not None else {}
    return (
        "\n\n".join(
            _block_table(framework, result, index, ranges) for index in range(len(result.blocks))
        )
        + "\n"
    )


def _block_table(
    framework: Framework, result: CycleResult, index: int, ranges: Ranges | None = None
) -> str:
    block = result.blocks[index]
    display = framework.display_for(block.block)
    ratio = display.scale == "ratio"
    # a group of 0 points (information only) has no column, and a framework without tiers
    # no tier column: nothing would be printed in them
    codes = scored_groups(framework, block.block)
    tiers = framework.classification_for(block.block) is not None
    years = sorted({p.year for u in block.units for p in u.previous}, reverse=True)
    header = ["TT", "Tên cơ quan, đơn vị", *codes, "Tổng điểm", "Chỉ số" if ratio else "Tỷ lệ (%)"]
    header += [*(["Xếp loại"] if tiers else []), f"Xếp hạng {result.year}"]
    for year in years:
        header += [f"Xếp hạng {year}", f"So sánh {year}"]
    maxima = framework.max_for(block.block)
    rows: list[list[str] | str] = [
        [
            "",
            "Điểm tối đa",
            *(fmt.number(maxima[c], display.score_decimals) for c in codes),
            fmt.number(block.max, display.score_decimals),
        ]
        + [""] * (len(header) - len(codes) - 3)
    ]
    section = None
    legend = False
    for position, unit in enumerate(block.units, start=1):
        heading = _section(framework, block.block, unit)
        if heading != section:
            rows.append(heading)
            section = heading
        excluded = unit.not_scored(codes, maxima)
        legend = legend or bool(excluded)
        row = _row(position, unit, codes, display, years, excluded, tiers)
        span = (ranges or {}).get((block.block, unit.unit))
        if span is not None and span.low != span.high:
            at = len(row) - 2 * len(years) - 1  # this year's rank
            row[at] = f"{row[at]} ({span.low}–{span.high})"
        rows.append(row)
    title = f"Bảng {index + 1}. Kết quả đánh giá, xếp hạng năm {result.year} — {block.name}"
    carried = [
        f"{CARRIED_MARK} {unit.unit} ({p.year}): {carried_note(p.carried)}."
        for unit in block.units
        for p in unit.previous
        if p.carried is not None and p.year in years
    ]
    notes = ([LEGEND] if legend else []) + carried
    return title + "\n" + _layout(header, rows) + "".join(f"\n{note}" for note in notes)


def _section(framework: Framework, block: str, unit: UnitResult) -> str:
    if unit.rank is None and unit.not_ranked_reason is not None:
        return NOT_RANKED[unit.not_ranked_reason]
    classification = framework.classification_for(block)
    if classification is None or unit.tier is None:
        return ""
    for tier in classification.tiers:
        if tier.label == unit.tier:
            return tier.section
    return unit.tier


def _row(
    position: int,
    unit: UnitResult,
    codes: list[str],
    display: Display,
    years: list[int],
    excluded: list[str],
    tiers: bool,
) -> list[str]:
    percent = unit.percent
    shown = fmt.number(
        display_value(percent, display.scale) if percent is not None else None,
        display.percent_decimals,
    )
    cells = [
        str(position),
        unit.unit,
        *(
            NOT_SCORED_MARK
            if c in excluded
            else fmt.number(unit.nodes[c].score, display.score_decimals)
            if c in unit.nodes
            else ""
            for c in codes
        ),
        fmt.number(unit.total, display.score_decimals),
        shown,
        *([unit.tier or ""] if tiers else []),
        str(unit.rank) if unit.rank is not None else "",
    ]
    by_year = {p.year: p for p in unit.previous}
    for year in years:
        p = by_year.get(year)
        mark = CARRIED_MARK if p is not None and p.carried is not None else ""
        cells += [
            f"{p.rank}{mark}" if p and p.rank is not None else mark,
            fmt.change(p.rank_change) if p else "",
        ]
    return cells


def _layout(header: list[str], rows: list[list[str] | str]) -> str:
    table_rows = [r for r in rows if isinstance(r, list)]
    widths = [max(len(str(r[i])) for r in [header, *table_rows]) for i in range(len(header))]
    numeric = [i != 1 for i in range(len(header))]

    def line(cells: list[str]) -> str:
        return "  ".join(
            c.rjust(w) if numeric[i] else c.ljust(w)
            for i, (c, w) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    rule = "-" * len(line(header))
    out = [rule, line(header), rule]
    for r in rows:
        if isinstance(r, str):
            if r:
                out.append(f"  {r}")
        else:
            out.append(line(r))
    out.append(rule)
    return "\n".join(out)
