"""The content of the publication, built once from a cycle's results: tables
(:mod:`~chiso.reports.tables`), charts' data (:mod:`~chiso.reports.chart_data`), the method
section (:mod:`~chiso.reports.method`), the narrative (:mod:`~chiso.reports.narrative`) and the
statistics (:mod:`~chiso.reports.statistics`). The renderers (xlsx, docx, pdf) only lay it out.

Nothing here computes a score: totals, percentages, tiers, ranks, changes and statistics all
come from the core (:class:`~chiso.core.CycleResult`); these modules select, order (with the
core's ranking of a group) and word them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from chiso.core import BlockResult, CycleResult, Framework
from chiso.core.overclaim import OverClaim
from chiso.core.robustness import Robustness
from chiso.reports.chart_data import (
    Chart,
    FigureNumbers,
    groups_chart,
    tiers_chart,
    units_chart,
)
from chiso.reports.crosswalk import YearComparison
from chiso.reports.crosswalk import block_sentence as compared_sentence
from chiso.reports.labels import block_phrase, name_of_year
from chiso.reports.method import (
    MethodGroup,
    MethodPart,
    basis_part,
    contents_part,
    exemptions,
    method_groups,
    ranking_sentence,
    scoring_part,
    tier_sentences,
)
from chiso.reports.narrative import block_sentences, conclusion_sentences, summary_sentences
from chiso.reports.overclaim import block_gap, overclaim_table
from chiso.reports.overclaim import block_sentence as overclaim_sentence
from chiso.reports.robustness import block_sentence as ranges_sentence
from chiso.reports.robustness import widest
from chiso.reports.statistics import Statistic, statistics, statistics_rows
from chiso.reports.tables import Table, group_tables, overall_table, scored_groups

__all__ = ["BlockReport", "Report", "build_report"]


@dataclass(frozen=True, slots=True)
class BlockReport:
    block: str
    name: str
    heading: str
    tables: tuple[Table, ...]
    charts: tuple[Chart, ...]
    narrative: tuple[str, ...]
    units: int = 0
    large: bool = False
    """More units than ``print_limit``: the documents (DOCX, PDF) print only the overall
    table, without its groups' columns; the group tables and columns stay in the workbook."""

    @property
    def printed_tables(self) -> tuple[Table, ...]:
        if self.large:
            return (self.tables[0].compact(),)
        return tuple(t for t in self.tables if t.printed)

    @property
    def workbook_note(self) -> str:
        omitted = len(self.tables) - len(self.printed_tables)
        if not omitted:
            return ""
        return (
            f"Điểm từng nhóm tiêu chí và bảng xếp hạng theo từng nhóm của {block_phrase(self.name)}"
            f" ({self.units} đơn vị, {omitted} bảng) có trong tệp"
            " Excel kèm theo."
        )


@dataclass(frozen=True, slots=True)
class Report:
    framework: str
    name: str
    assessor: str
    year: int
    block_names: tuple[str, ...]
    groups: tuple[MethodGroup, ...]
    totals: tuple[Decimal, ...]
    score_decimals: int
    tiers: tuple[str, ...]
    """One sentence per tier: "Mức “Tốt”: tỷ lệ điểm từ 80% trở lên"."""
    ranking: str
    exemptions: tuple[str, ...]
    blocks: tuple[BlockReport, ...]
    charts: tuple[Chart, ...]
    """Charts across blocks (the groups' comparison)."""
    summary: tuple[str, ...]
    """Sentences about all blocks together, printed in the conclusion: the mean of all units,
    then per block the tiers, the gap and the groups to improve."""
    statistics: tuple[tuple[str, ...], ...] = field(default=())
    """The statistics as rows of text (the web page's), the first row is the header."""
    method_parts: tuple[MethodPart, ...] = field(default=())
    """Mục I's numbered parts before the groups' maxima: the basis of the assessment, the
    scoring rules, the list of the tables and figures."""
    statistic_values: tuple[Statistic, ...] = field(default=())
    """The same statistics as typed figures: the workbook's numbers (empty in a publication
    stored before they were kept, whose workbook was written when it was published)."""

    @property
    def tables(self) -> tuple[Table, ...]:
        return tuple(t for b in self.blocks for t in b.tables)

    @property
    def all_charts(self) -> tuple[Chart, ...]:
        return tuple(c for b in self.blocks for c in b.charts) + self.charts


def build_report(
    framework: Framework,
    result: CycleResult,
    *,
    max_chart_units: int = 60,
    print_limit: int = 300,
    robustness: Robustness | None = None,
    comparison: YearComparison | None = None,
    overclaim: OverClaim | None = None,
) -> Report:
    """Everything the publication states, from the framework and the cycle's results;
    ``robustness``: the ranks' ranges, beside the ranks (``chiso report --robustness``);
    ``comparison``: the groups against an earlier year (``chiso report --crosswalk``);
    ``overclaim``: each block's table of self-assessed against verified totals
    (``chiso report --overclaim``)."""
    figure = FigureNumbers()
    blocks = []
    extra = _Extra(robustness, comparison, overclaim)
    for index, block in enumerate(result.blocks, start=1):
        blocks.append(
            _block_report(
                framework, result, block, index, figure, max_chart_units, print_limit, extra
            )
        )
    groups = groups_chart(framework, result, figure)
    charts = (groups,) if groups else ()
    statistic_values = statistics(framework, result)
    display = framework.display
    return Report(
        framework=result.framework,
        name=name_of_year(framework.name, result.year),
        assessor=framework.assessor,
        year=result.year,
        block_names=tuple(b.name for b in result.blocks),
        groups=method_groups(framework, result),
        totals=tuple(framework.total_max(b.block) for b in result.blocks),
        score_decimals=display.score_decimals,
        tiers=tier_sentences(framework, result),
        ranking=ranking_sentence(framework),
        exemptions=exemptions(framework, result),
        blocks=tuple(blocks),
        charts=charts,
        summary=summary_sentences(framework, result) + conclusion_sentences(framework, result),
        statistics=statistics_rows(statistic_values),
        statistic_values=statistic_values,
        method_parts=(
            basis_part(framework, result),
            scoring_part(framework, result),
            contents_part(
                [t for b in blocks for t in b.printed_tables],
                [c for b in blocks for c in b.charts] + list(charts),
            ),
        ),
    )


@dataclass(frozen=True, slots=True)
class _Extra:
    """What a report may add to the published tables."""

    robustness: Robustness | None = None
    comparison: YearComparison | None = None
    overclaim: OverClaim | None = None


def _block_report(
    framework: Framework,
    result: CycleResult,
    block: BlockResult,
    index: int,
    figure: FigureNumbers,
    max_chart_units: int,
    print_limit: int,
    extra: _Extra,
) -> BlockReport:
    name = block.name
    tables = [overall_table(framework, result, block, index, extra.robustness)]
    roots = scored_groups(framework, block.block)
    if len(roots) > 1:
        for number, code in enumerate(roots, start=1):
            tables += group_tables(framework, block, index, number, code, extra.comparison)
    narrative = block_sentences(framework, result, block)
    if extra.robustness is not None:
        moving = ranges_sentence(block, widest(extra.robustness))
        narrative += (moving,) if moving else ()
    if extra.comparison is not None:
        narrative += (compared_sentence(extra.comparison, framework, block, roots),)
    gaps = block_gap(extra.overclaim, block.block) if extra.overclaim is not None else None
    if extra.overclaim is not None and gaps is not None and gaps.units:
        key = f"{index}.{len(roots) + 1 if len(roots) > 1 else 1}"
        tables.append(overclaim_table(framework, block, gaps, key, extra.overclaim.missing))
        narrative += (overclaim_sentence(framework, gaps, f"Bảng {key}"),)
    tiers = tiers_chart(block, figure)
    charts = [tiers] if tiers else []
    charts.append(units_chart(framework, block, figure, max_chart_units))
    return BlockReport(
        block=block.block,
        name=name,
        heading=f"Kết quả đánh giá, xếp hạng {block_phrase(name)}",
        tables=tuple(tables),
        charts=tuple(charts),
        narrative=narrative,
        units=len(block.units),
        large=len(block.units) > print_limit,
    )
