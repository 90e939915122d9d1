"""The content of the publication, built once from a cycle's results: tables, charts' data,
the method section and the narrative. The renderers (xlsx, docx, pdf) only lay it out.

Nothing here computes a score: totals, percentages, tiers, ranks, changes and statistics all
come from the core (:class:`~chiso.core.CycleResult`); this module selects, orders (with the
core's ranking of a group) and words them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field, replace
from decimal import Decimal
from typing import Literal

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework, NotRankedReason, UnitResult
from chiso.core.groups import group_ranking
from chiso.core.model import Summary, TierCount, not_scored
from chiso.core.tiers import display_value
from chiso.reports.labels import LEGEND, NOT_RANKED, NOT_SCORED, NOT_SCORED_MARK

__all__ = [
    "BlockReport",
    "Chart",
    "Column",
    "MethodGroup",
    "Report",
    "Scorecard",
    "ScorecardGroup",
    "Section",
    "Table",
    "build_report",
    "build_scorecard",
]

FULL_CREDIT = "được tính điểm tối đa"
"""The effect of a criterion declared not applicable under the ``full_credit`` policy."""
PARTS = "abcdefghijklmnopqrstuvwxyz"

Kind = Literal["index", "text", "score", "percent", "rank", "change"]
Cell = str | Decimal | int | None


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind
    decimals: int = 0
    maximum: Decimal | None = None
    """The column's maximum points, printed in the second header row ("Tối đa")."""


@dataclass(frozen=True, slots=True)
class Section:
    """A row across the table: a tier ("Mức tốt") or a reason for not being ranked."""

    label: str


@dataclass(frozen=True, slots=True)
class Table:
    key: str
    """"1", "1.2", "1.2a": unique, also the sheet name's suffix."""
    number: str
    """"Bảng 1.2"."""
    title: str
    part: str | None
    """"a) Ứng dụng CNTT …" for a part of a group, else None."""
    block: str
    code: str | None
    """The group's criterion code; None for the block's overall table."""
    columns: tuple[Column, ...]
    rows: tuple[tuple[Cell, ...] | Section, ...]
    notes: tuple[str, ...] = ()
    printed: bool = True
    """Printed in the documents; a part's table is when the framework classifies the part
    (Bình Định's Mục II a) and b)); the workbook has every table."""
    legend: bool = False
    """The last of ``notes`` is the legend of the groups' columns (:data:`LEGEND`): it goes
    with them."""

    def compact(self) -> Table:
        """Without the groups' columns (the overall table of a large block, as the documents
        print it; the workbook keeps every column)."""
        keep = [
            i
            for i, c in enumerate(self.columns)
            if not (self.code is None and c.kind == "score" and c.title != "Tổng điểm")
        ]
        rows = tuple(
            row if isinstance(row, Section) else tuple(row[i] for i in keep) for row in self.rows
        )
        notes = self.notes[:-1] if self.legend else self.notes
        return replace(
            self,
            columns=tuple(self.columns[i] for i in keep),
            rows=rows,
            notes=notes,
            legend=False,
        )

    @property
    def has_maxima(self) -> bool:
        return any(c.maximum is not None for c in self.columns)

    @property
    def caption(self) -> str:
        return f"{self.number}. {self.title}"


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    number: str
    """"Hình 1"."""
    title: str
    kind: Literal["tiers", "groups", "units"]
    labels: tuple[str, ...]
    values: tuple[float, ...]
    reference: float | None = None
    """The block average (units chart)."""
    series: tuple[tuple[str, tuple[float, ...]], ...] = ()
    """Several series over ``labels`` (groups chart: one per block)."""
    unit: str = "%"
    histogram: bool = False
    """Units chart of a large block: ``labels`` are ranges of the scale, ``values`` counts."""


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
            f"Điểm từng nhóm tiêu chí và bảng xếp hạng theo từng nhóm của khối {self.name}"
            f" ({self.units} đơn vị, {omitted} bảng) có trong tệp"
            " Excel kèm theo."
        )


@dataclass(frozen=True, slots=True)
class MethodGroup:
    code: str
    name: str
    maxima: tuple[Decimal | None, ...]
    """Per block of the report, in order; None when the group does not apply."""
    level: int = 0


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
    """Sentences about all blocks together."""
    statistics: tuple[tuple[str, ...], ...] = field(default=())
    """Rows of the statistics sheet, the first row is the header."""

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
) -> Report:
    """Everything the publication states, from the framework and the cycle's results."""
    codes_per_block = [_group_codes(framework, b.block) for b in result.blocks]
    figure = _Counter()
    blocks = []
    for index, block in enumerate(result.blocks, start=1):
        blocks.append(
            _block_report(framework, result, block, index, figure, max_chart_units, print_limit)
        )
    charts: list[Chart] = []
    roots = [
        root.code
        for root in framework.criteria
        if any(root.code in codes for codes in codes_per_block)
    ]
    if len(roots) > 1:
        series = []
        for block in result.blocks:
            values = []
            for code in roots:
                summary = block.stats.groups.get(code)
                maximum = framework.max_for(block.block).get(code)
                values.append(_share_of(summary.mean if summary else None, maximum))
            series.append((block.name, tuple(values)))
        charts.append(
            Chart(
                key="groups",
                number=figure.next(),
                title="Điểm trung bình của từng nhóm tiêu chí (tỷ lệ % điểm tối đa) theo khối",
                kind="groups",
                labels=tuple(f"{c}. {framework.node(c).name}" for c in roots),
                values=(),
                series=tuple(series),
            )
        )
    display = framework.display
    return Report(
        framework=result.framework,
        name=framework.name,
        assessor=framework.assessor,
        year=result.year,
        block_names=tuple(b.name for b in result.blocks),
        groups=_method_groups(framework, result),
        totals=tuple(framework.total_max(b.block) for b in result.blocks),
        score_decimals=display.score_decimals,
        tiers=_tier_sentences(framework, result),
        ranking=_ranking_sentence(framework),
        exemptions=_exemptions(framework, result),
        blocks=tuple(blocks),
        charts=tuple(charts),
        summary=_summary_sentences(framework, result),
        statistics=_statistics(framework, result),
    )


class _Counter:
    def __init__(self) -> None:
        self.value = 0

    def next(self) -> str:
        self.value += 1
        return f"Hình {self.value}"


def _group_codes(framework: Framework, block: str) -> list[str]:
    maxima = framework.max_for(block)
    return [root.code for root in framework.criteria if root.code in maxima]


def _share_of(value: Decimal | None, maximum: Decimal | None) -> float:
    if value is None or not maximum:
        return 0.0
    return float(value * 100 / maximum)


# -- tables


def _block_report(
    framework: Framework,
    result: CycleResult,
    block: BlockResult,
    index: int,
    figure: _Counter,
    max_chart_units: int,
    print_limit: int,
) -> BlockReport:
    name = block.name
    tables = [_overall_table(framework, result, block, index)]
    roots = _group_codes(framework, block.block)
    if len(roots) > 1:
        for number, code in enumerate(roots, start=1):
            tables += _group_tables(framework, block, index, number, code)
    charts = []
    tiers = list(block.stats.tiers)
    if tiers:
        charts.append(
            Chart(
                key=f"tiers-{block.block}",
                number=figure.next(),
                title=f"Tỷ lệ đơn vị theo mức xếp loại — {name}",
                kind="tiers",
                labels=tuple(t.label for t in tiers),
                values=tuple(float(t.count) for t in tiers),
                unit="",
            )
        )
    charts.append(_units_chart(framework, block, figure, max_chart_units))
    return BlockReport(
        block=block.block,
        name=name,
        heading=f"Kết quả đánh giá, xếp hạng khối {name}",
        tables=tuple(tables),
        charts=tuple(charts),
        narrative=_block_sentences(framework, result, block),
        units=len(block.units),
        large=len(block.units) > print_limit,
    )


def _units_chart(
    framework: Framework, block: BlockResult, figure: _Counter, max_units: int
) -> Chart:
    display = framework.display_for(block.block)
    scored = [u for u in block.units if u.percent is not None]
    mean = block.stats.percent.mean
    reference = float(display_value(mean, display.scale)) if mean is not None else None
    unit = "" if display.scale == "ratio" else "%"
    if len(scored) <= max_units:
        return Chart(
            key=f"units-{block.block}",
            number=figure.next(),
            title=f"Kết quả của từng đơn vị so với trung bình khối — {block.name}",
            kind="units",
            labels=tuple(u.unit for u in scored),
            values=tuple(
                float(display_value(u.percent, display.scale))
                for u in scored
                if u.percent is not None
            ),
            reference=reference,
            unit=unit,
        )
    # too many units for one bar each: how many units fall in each tenth of the scale
    top = Decimal(1) if display.scale == "ratio" else Decimal(100)
    bins = [0] * 10
    for u in scored:
        assert u.percent is not None
        share = display_value(u.percent, display.scale) / top
        bins[min(int(share * 10), 9)] += 1
    step = top / 10
    labels = tuple(
        f"{fmt.number(step * i, 1 if display.scale == 'ratio' else 0)}–"
        f"{fmt.number(step * (i + 1), 1 if display.scale == 'ratio' else 0)}"
        for i in range(10)
    )
    return Chart(
        key=f"units-{block.block}",
        number=figure.next(),
        title=f"Phân bố kết quả các đơn vị so với trung bình khối — {block.name}",
        kind="units",
        labels=labels,
        values=tuple(float(b) for b in bins),
        reference=reference,
        unit=unit,
        histogram=True,
    )


def _markers(block: BlockResult) -> dict[Decimal, str]:
    """Footnote marks of the units whose own maximum is lower: "*" for the highest such
    maximum, "**" for the next (Bình Định's 79 and 70 points)."""
    lower = sorted({u.max for u in block.units if u.max < block.max}, reverse=True)
    return {maximum: "*" * (i + 1) for i, maximum in enumerate(lower)}


def _section_of(framework: Framework, block: str, tier: str | None, code: str | None) -> str:
    classification = (
        framework.node_classification(code, block) if code else framework.classification_for(block)
    )
    if classification is None or tier is None:
        return ""
    for candidate in classification.tiers:
        if candidate.label == tier:
            return candidate.section
    return tier


def _overall_table(
    framework: Framework, result: CycleResult, block: BlockResult, index: int
) -> Table:
    display = framework.display_for(block.block)
    ratio = display.scale == "ratio"
    maxima = framework.max_for(block.block)
    roots = _group_codes(framework, block.block)
    years = sorted({p.year for u in block.units for p in u.previous})
    columns = [Column("TT", "index"), Column("Tên cơ quan, đơn vị", "text")]
    if len(roots) > 1:
        columns += [
            Column(f"{c}. {framework.node(c).name}", "score", display.score_decimals, maxima[c])
            for c in roots
        ]
    columns += [
        Column("Tổng điểm", "score", display.score_decimals, block.max),
        Column("Chỉ số" if ratio else "Tỷ lệ (%)", "percent", display.percent_decimals),
    ]
    columns += [Column(f"Xếp hạng {y}", "rank") for y in years]
    columns.append(Column(f"Xếp hạng {result.year}", "rank"))
    if years:
        columns.append(Column(f"So sánh với {years[-1]}", "change"))
    markers = _markers(block)
    rows: list[tuple[Cell, ...] | Section] = []
    section: str | None = None
    legend = False
    for position, unit in enumerate(block.units, start=1):
        heading = (
            NOT_RANKED[unit.not_ranked_reason]
            if unit.rank is None and unit.not_ranked_reason is not None
            else _section_of(framework, block.block, unit.tier, None)
        )
        if heading != section:
            if heading:
                rows.append(Section(heading))
            section = heading
        name = unit.unit + markers.get(unit.max, "")
        cells: list[Cell] = [position, name]
        if len(roots) > 1:
            # a group the unit is not scored on (excluded as not applicable) is no real 0
            excluded = unit.not_scored(roots, maxima)
            legend = legend or bool(excluded)
            cells += [
                NOT_SCORED_MARK
                if c in excluded
                else unit.nodes[c].score
                if unit.has_data and c in unit.nodes
                else None
                for c in roots
            ]
        cells += [unit.total, _display_percent(unit.percent, display.scale)]
        by_year = {p.year: p for p in unit.previous}
        cells += [by_year[y].rank if y in by_year else None for y in years]
        cells.append(unit.rank)
        if years:
            last = by_year.get(years[-1])
            cells.append(last.rank_change if last else None)
        rows.append(tuple(cells))
    notes = tuple(
        f"({mark}) Đơn vị có tổng điểm tối đa là {fmt.number(maximum, display.score_decimals)}"
        f" điểm (có tiêu chí không áp dụng)."
        for maximum, mark in _markers(block).items()
    ) + ((LEGEND,) if legend else ())
    return Table(
        key=str(index),
        number=f"Bảng {index}",
        title=f"Kết quả đánh giá, xếp hạng tổng thể năm {result.year} của {block.name}",
        part=None,
        block=block.block,
        code=None,
        columns=tuple(columns),
        rows=tuple(rows),
        notes=notes,
        legend=legend,
    )


def _display_percent(value: Decimal | None, scale: str) -> Decimal | None:
    return display_value(value, scale) if value is not None else None


def _group_tables(
    framework: Framework, block: BlockResult, index: int, number: int, code: str
) -> list[Table]:
    node = framework.node(code)
    maxima = framework.max_for(block.block)
    parts = [
        child.code
        for child in node.children
        if child.code in maxima and any(child.code in u.nodes for u in block.units)
    ]
    key = f"{index}.{number}"
    title = f"Xếp hạng nhóm tiêu chí “{node.name}” của {block.name}"
    tables = [_group_table(framework, block, key, f"Bảng {key}", title, None, code)]
    for letter, part in zip(PARTS, parts, strict=False):
        table = _group_table(
            framework,
            block,
            f"{key}{letter}",
            f"Bảng {key}",
            title,
            f"{letter}) {framework.node(part).name}",
            part,
        )
        classified = framework.node_classification(part, block.block) is not None
        tables.append(table if classified else replace(table, printed=False))
    return tables


def _group_table(
    framework: Framework,
    block: BlockResult,
    key: str,
    number: str,
    title: str,
    part: str | None,
    code: str,
) -> Table:
    display = framework.display_for(block.block)
    maximum = framework.max_for(block.block)[code]
    columns = (
        Column("TT", "index"),
        Column("Tên cơ quan, đơn vị", "text"),
        Column("Tổng điểm", "score", display.score_decimals, maximum),
        Column("Tỷ lệ (%)", "percent", display.percent_decimals),
    )
    rows: list[tuple[Cell, ...] | Section] = []
    lower: dict[Decimal, str] = {}
    section: str | None = None
    for position, (unit, _rank) in enumerate(
        group_ranking(framework, block.block, code, block.units), start=1
    ):
        node = unit.nodes.get(code)
        if not unit.has_data or node is None:
            rows.append((position, unit.unit, NOT_RANKED[NotRankedReason.NO_DATA], None))
            continue
        if not_scored(node, maximum):
            rows.append((position, unit.unit, NOT_SCORED, None))
            continue
        heading = _section_of(framework, block.block, node.tier, code)
        if heading != section:
            if heading:
                rows.append(Section(heading))
            section = heading
        name = unit.unit
        if node.max < maximum:
            mark = lower.setdefault(node.max, "*" * (len(lower) + 1))
            name += mark
        rows.append((position, name, node.score, node.percent))
    notes = tuple(
        f"({mark}) Đơn vị có điểm tối đa của nhóm là {fmt.number(value, display.score_decimals)}"
        " điểm (có tiêu chí không áp dụng)."
        for value, mark in lower.items()
    )
    return Table(
        key=key,
        number=number,
        title=title,
        part=part,
        block=block.block,
        code=code,
        columns=columns,
        rows=tuple(rows),
        notes=notes,
    )


# -- method section


def _method_groups(framework: Framework, result: CycleResult) -> tuple[MethodGroup, ...]:
    groups = []
    blocks = [b.block for b in result.blocks]

    def visit(code: str, level: int) -> None:
        maxima = tuple(framework.max_for(b).get(code) for b in blocks)
        if all(m is None for m in maxima):
            return
        node = framework.node(code)
        groups.append(MethodGroup(code, node.name, maxima, level))
        if level == 0:
            for child in node.children:
                if not child.is_leaf or level == 0:
                    visit(child.code, level + 1)

    for root in framework.criteria:
        visit(root.code, 0)
    return tuple(groups)


def _tier_sentences(framework: Framework, result: CycleResult) -> tuple[str, ...]:
    seen = []
    sentences: list[str] = []
    for block in result.blocks:
        classification = framework.classification_for(block.block)
        if classification is None or classification in seen:
            continue
        seen.append(classification)
        display = framework.display_for(block.block)
        points = classification.basis == "points"
        unit = " điểm" if points else ("" if display.scale == "ratio" else "%")
        decimals = display.score_decimals if points else display.percent_decimals
        own = framework.block(block.block).classification is not None
        prefix = f"Khối {block.name}: " if own and len(result.blocks) > 1 else ""
        upper: Decimal | None = None
        for tier in classification.tiers:
            low = (
                display_value(tier.min, display.scale)
                if tier.min is not None and not points
                else tier.min
            )
            if low is not None and upper is None:
                text = f"từ {fmt.number(low, decimals)}{unit} trở lên"
            elif low is not None:
                text = (
                    f"từ {fmt.number(low, decimals)}{unit}"
                    f" đến dưới {fmt.number(upper, decimals)}{unit}"
                )
            elif upper is not None:
                text = f"dưới {fmt.number(upper, decimals)}{unit}"
            else:
                text = "mọi kết quả"
            basis = "tổng điểm" if points else "tỷ lệ điểm đạt được so với điểm tối đa"
            sentences.append(f"{prefix}{_first_upper(_tier(tier.label))}: {basis} {text}.")
            upper = low
        if classification.below_lowest is not None:
            sentences.append(f"{prefix}Dưới mức thấp nhất: “{classification.below_lowest.label}”.")
    return tuple(sentences)


def _ranking_sentence(framework: Framework) -> str:
    ranking = framework.ranking
    measure = (
        "tỷ lệ phần trăm điểm đạt được so với tổng điểm tối đa của đơn vị"
        if ranking.by == "percent"
        else "tổng điểm đạt được"
    )
    ties = {
        "competition": "các đơn vị bằng nhau cùng thứ hạng, thứ hạng kế tiếp bỏ qua các vị trí"
        " đã chiếm (1, 1, 3)",
        "dense": "các đơn vị bằng nhau cùng thứ hạng, thứ hạng kế tiếp liền sau (1, 1, 2)",
        "ordinal": "mỗi đơn vị một thứ hạng riêng",
    }[ranking.ties]
    precision = (
        f", làm tròn đến {ranking.precision} chữ số thập phân"
        if ranking.precision
        else (", làm tròn đến số nguyên" if ranking.precision == 0 else "")
    )
    return f"Xếp hạng theo thứ tự từ cao đến thấp của {measure}{precision}; {ties}."


def _exemptions(framework: Framework, result: CycleResult, limit: int = 20) -> tuple[str, ...]:
    """The units that declare criteria not applicable, each declaration with its effect — taken
    out of the unit's maximum (the ``exclude`` policy: its own maximum is lower) or scored at
    the criterion's maximum (``full_credit``) — and the units whose own maximum is lower for
    another reason; past ``limit`` units, the number of units per criterion (the workbook's
    raw data has each)."""
    exempt: list[tuple[BlockResult, UnitResult, tuple[str, ...], tuple[str, ...]]] = []
    for block in result.blocks:
        for unit in block.units:
            if not unit.has_data:
                continue
            if unit.max < block.max or unit.excluded or unit.full_credit:
                exempt.append((block, unit, unit.excluded, unit.full_credit))
    if len(exempt) > limit:
        counts: dict[str, int] = {}
        for _, _, excluded, full in exempt:
            for code in (*excluded, *full):
                counts[code] = counts.get(code, 0) + 1
        order = framework.order
        return (
            f"{len(exempt)} đơn vị có tiêu chí không áp dụng:",
            *(
                f"{code} “{framework.node(code).name}”: {counts[code]} đơn vị"
                + (
                    f" ({FULL_CREDIT})."
                    if framework.na_policy(code) == "full_credit"
                    else " (không tính vào tổng điểm tối đa của đơn vị)."
                )
                for code in sorted(counts, key=order.__getitem__)
            ),
        )
    sentences = []
    for block, unit, excluded, full in exempt:
        display = framework.display_for(block.block)
        what = [
            f"{label}: " + "; ".join(f"{c} “{framework.node(c).name}”" for c in codes)
            for label, codes in (
                ("không áp dụng", excluded),
                (f"không áp dụng, {FULL_CREDIT}", full),
            )
            if codes
        ]
        sentences.append(
            f"{unit.unit}: tổng điểm tối đa {fmt.number(unit.max, display.score_decimals)}"
            " điểm" + (f" ({'; '.join(what)})" if what else "") + "."
        )
    return tuple(sentences)


# -- narrative


def _tier(label: str) -> str:
    """ "mức “Tốt”", but "“Mức I”" for a label that already says "Mức"."""
    return f"“{label}”" if label.casefold().startswith("mức") else f"mức “{label}”"


def _first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


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


def _mean_decimals(framework: Framework, block: str | None = None) -> int:
    display = framework.display_for(block) if block else framework.display
    return max(display.score_decimals, 1)


def _block_sentences(
    framework: Framework, result: CycleResult, block: BlockResult
) -> tuple[str, ...]:
    stats = block.stats
    display = framework.display_for(block.block)
    sentences = []
    with_data = stats.with_data
    if stats.tiers:
        parts = [
            f"{t.count}/{with_data} đơn vị đạt {_tier(t.label)} ({fmt.percent(t.share)})"
            for t in stats.tiers
        ]
        sentence = f"Năm {result.year}, khối {block.name} có " + ", ".join(parts)
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
        mean = fmt.number(summary.mean, _mean_decimals(framework, block.block))
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
    roots = _group_codes(framework, block.block)
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
            f"{_tier(tier.label)} {_change(diff, 0, ' điểm phần trăm')}"
            f" (năm {before.year}: {old.count}/{before.count}, {fmt.percent(old.share)})"
        )
    return f"so với năm {before.year}: " + ", ".join(parts) if parts else ""


def _mean_sentence(framework: Framework, block: BlockResult) -> str:
    stats = block.stats
    decimals = _mean_decimals(framework, block.block)
    display = framework.display_for(block.block)
    mean = stats.score.mean
    text = (
        f"Điểm trung bình của khối {block.name} đạt {fmt.number(mean, decimals)}"
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
            share = fmt.number(_display_percent(u.percent, display.scale), display.percent_decimals)
            sign = "" if display.scale == "ratio" else "%"
            shown.append(
                f"{name} ({fmt.number(u.total, display.score_decimals)} điểm, {share}{sign})"
            )
        more = f" và {len(names) - 3} đơn vị khác" if len(names) > 3 else ""
        return ", ".join(shown) + more

    if summary.gap is None:
        return f"Khối {block.name} không có đơn vị có số liệu."
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


def _summary_sentences(framework: Framework, result: CycleResult) -> tuple[str, ...]:
    overall = result.overall
    if overall.mean is None or len(result.blocks) < 2 or len({b.max for b in result.blocks}) > 1:
        return ()  # a mean over blocks of different maxima says nothing
    decimals = _mean_decimals(framework)
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


def _statistics(framework: Framework, result: CycleResult) -> tuple[tuple[str, ...], ...]:
    rows: list[tuple[str, ...]] = [("Khối", "Chỉ tiêu", "Giá trị")]
    for block in result.blocks:
        stats = block.stats
        display = framework.display_for(block.block)
        d = display.score_decimals
        pd = display.percent_decimals
        m = _mean_decimals(framework, block.block)
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
            (name, _first_upper(_tier(t.label)), f"{t.count} ({fmt.percent(t.share)})")
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
                    f"{_first_upper(_tier(t.label))} năm {previous.year}",
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
        mean = fmt.number(result.overall.mean, _mean_decimals(framework))
        rows.append(("Tất cả", "Điểm trung bình", mean))
    return tuple(rows)


# -- one unit's scorecard


@dataclass(frozen=True, slots=True)
class ScorecardGroup:
    code: str
    name: str
    score: Decimal | None
    maximum: Decimal
    percent: Decimal | None
    tier: str | None
    block_mean: Decimal | None
    """The block's mean points of the group."""
    not_scored: bool = False
    """Excluded as not applicable for the unit (its maximum is 0, the block's is not)."""


@dataclass(frozen=True, slots=True)
class Scorecard:
    framework: str
    assessor: str
    year: int
    unit: str
    block: str
    total: Decimal | None
    maximum: Decimal
    percent: Decimal | None
    tier: str | None
    rank: int | None
    ranked: int
    not_ranked: str | None
    block_mean: Decimal | None
    """The block's mean percentage."""
    previous: tuple[tuple[int, int | None, int | None], ...]
    """(year, rank then, places moved up since)."""
    groups: tuple[ScorecardGroup, ...]
    score_decimals: int
    percent_decimals: int
    ratio: bool


def build_scorecard(framework: Framework, result: CycleResult, unit: UnitResult) -> Scorecard:
    """What one unit's page states: its results, rank and groups against the block."""
    block = next(b for b in result.blocks if b.block == unit.block)
    display = framework.display_for(block.block)
    maxima = framework.max_for(block.block)
    groups = []
    codes = _group_codes(framework, block.block)
    excluded = unit.not_scored(codes, maxima)
    for code in codes:
        node = unit.nodes.get(code) if unit.has_data else None
        summary = block.stats.groups.get(code)
        groups.append(
            ScorecardGroup(
                code=code,
                name=framework.node(code).name,
                score=node.score if node else None,
                maximum=node.max if node else maxima[code],
                percent=node.percent if node else None,
                tier=node.tier if node else None,
                block_mean=summary.mean if summary else None,
                not_scored=code in excluded,
            )
        )
    return Scorecard(
        framework=framework.name,
        assessor=framework.assessor,
        year=result.year,
        unit=unit.unit,
        block=block.name,
        total=unit.total,
        maximum=unit.max,
        percent=_display_percent(unit.percent, display.scale),
        tier=unit.tier,
        rank=unit.rank,
        ranked=block.stats.ranked,
        not_ranked=NOT_RANKED[unit.not_ranked_reason] if unit.not_ranked_reason else None,
        block_mean=_display_percent(block.stats.percent.mean, display.scale),
        previous=tuple((p.year, p.rank, p.rank_change) for p in unit.previous),
        groups=tuple(groups),
        score_decimals=display.score_decimals,
        percent_decimals=display.percent_decimals,
        ratio=display.scale == "ratio",
    )
