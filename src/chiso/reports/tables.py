"""The publication's tables: each block's overall ranking table and each group's own table
(with its parts' tables), as rows of cells the renderers lay out."""

from __future__ import annotations

from dataclasses import dataclass, replace
from decimal import Decimal
from typing import TYPE_CHECKING, Literal

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework, NotRankedReason
from chiso.core.model import not_scored
from chiso.core.numbers import round_half_up
from chiso.core.ranking import group_ranking
from chiso.core.tiers import display_value
from chiso.reports.crosswalk import change_title, group_notes
from chiso.reports.labels import (
    LEGEND,
    NOT_RANKED,
    NOT_SCORED,
    NOT_SCORED_MARK,
    carried_note,
)
from chiso.reports.robustness import RANGE_TITLE, range_text, ranges_note, widest

if TYPE_CHECKING:
    from chiso.core.robustness import Robustness
    from chiso.reports.crosswalk import YearComparison
    from chiso.reports.data import Report

__all__ = [
    "Cell",
    "Column",
    "Kind",
    "Section",
    "Table",
    "cell_text",
    "display_percent",
    "group_tables",
    "method_table",
    "overall_table",
    "scored_groups",
]

PARTS = "abcdefghijklmnopqrstuvwxyz"


Kind = Literal["index", "text", "score", "percent", "rank", "change", "range"]
"""``range``: a unit's range of possible ranks ("4–7"), beside its rank; ``change``: a change
of rank (an integer) or of a percentage (a decimal, in percentage points)."""


Cell = str | Decimal | int | None


@dataclass(frozen=True, slots=True)
class Column:
    title: str
    kind: Kind
    decimals: int = 0
    maximum: Decimal | None = None
    """The column's maximum points, printed in the second header row ("Tối đa")."""
    short: str = ""
    """The label where the table has no room for the title (a group's short name or code),
    explained by the table's :attr:`Table.short_legend`; "" keeps the title."""
    ratio: bool = False
    """A percentage column on the framework's ratio scale (the DTI's index, 0–1): its values
    are fractions, not percentages."""


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
    short_legend: str = ""
    """What the columns' short labels stand for ("Ghi chú: NTS: Nhận thức số; …"), printed
    under the table when a document prints them."""
    marks: tuple[str, ...] = ()
    """Each row's footnote mark ("*", "**"; "" for none, and for a section), which its name
    ends with. With :attr:`sections`, for the workbook's columns (rows without section rows,
    sortable); both empty in a table stored before they were kept."""
    sections: tuple[str, ...] = ()
    """Each row's section: the tier ("Mức tốt") or the reason for not being ranked it is
    printed under; "" for a row under none, and for a section."""
    carried: tuple[tuple[int, str], ...] = ()
    """The cells of an earlier rank that was another unit's (the lineage), by the row's index
    in :attr:`rows` and the column's title: a page marks them :data:`CARRIED_MARK`, which
    :attr:`notes` explain."""

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
            short_legend="",
        )

    @property
    def has_maxima(self) -> bool:
        return any(c.maximum is not None for c in self.columns)

    @property
    def caption(self) -> str:
        return f"{self.number}. {self.title}"


def cell_text(column: Column, value: object) -> str:
    """A cell as the documents print it: "95,3", "+2", "" for no value."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if column.kind == "change" and isinstance(value, int):
        return fmt.change(value)
    if column.kind == "change" and isinstance(value, Decimal):
        rounded = round_half_up(value, column.decimals)
        text = fmt.number(abs(rounded), column.decimals)  # signed as a change of rank is
        return "=" if rounded == 0 else f"+{text}" if rounded > 0 else f"-{text}"
    if isinstance(value, Decimal):
        return fmt.number(value, column.decimals, grouped=True)
    return str(value)


def display_percent(value: Decimal | None, scale: str) -> Decimal | None:
    """A percentage on the framework's display scale (a ratio is 0–1); None stays None."""
    return display_value(value, scale) if value is not None else None


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


def overall_table(
    framework: Framework,
    result: CycleResult,
    block: BlockResult,
    index: int,
    robustness: Robustness | None = None,
) -> Table:
    """The block's overall table (Bảng 1): every unit by rank, in sections by tier or by
    reason for not being ranked, with its groups' points when the block has several; with
    ``robustness``, each unit's range of possible ranks beside its rank and a note of how
    the ranges were computed."""
    display = framework.display_for(block.block)
    ratio = display.scale == "ratio"
    maxima = framework.max_for(block.block)
    roots = scored_groups(framework, block.block)
    roots = roots if len(roots) > 1 else []  # one group: the total says it
    years = sorted({p.year for u in block.units for p in u.previous})
    columns = [Column("TT", "index"), Column("Tên cơ quan, đơn vị", "text")]
    shorts = {c: framework.node(c).short_name or c for c in roots}
    if roots:
        columns += [
            Column(
                f"{c}. {framework.node(c).name}",
                "score",
                display.score_decimals,
                maxima[c],
                short=shorts[c],
            )
            for c in roots
        ]
    columns += [
        Column("Tổng điểm", "score", display.score_decimals, block.max),
        Column(
            "Chỉ số" if ratio else "Tỷ lệ (%)", "percent", display.percent_decimals, ratio=ratio
        ),
    ]
    columns += [Column(f"Xếp hạng {y}", "rank") for y in years]
    columns.append(Column(f"Xếp hạng {result.year}", "rank"))
    ranges = widest(robustness) if robustness is not None else None
    if ranges is not None:
        columns.append(Column(RANGE_TITLE, "range"))
    if years:
        columns.append(Column(f"So sánh với {years[-1]}", "change"))
    markers = _markers(block)
    rows: list[tuple[Cell, ...] | Section] = []
    marks: list[str] = []
    sections: list[str] = []
    section: str | None = None
    legend = False
    carried: list[tuple[int, str]] = []
    for position, unit in enumerate(block.units, start=1):
        heading = (
            NOT_RANKED[unit.not_ranked_reason]
            if unit.rank is None and unit.not_ranked_reason is not None
            else _section_of(framework, block.block, unit.tier, None)
        )
        if heading != section:
            if heading:
                rows.append(Section(heading))
                marks.append("")
                sections.append("")
            section = heading
        mark = markers.get(unit.max, "")
        cells: list[Cell] = [position, unit.unit + mark]
        if roots:
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
        cells += [unit.total, display_percent(unit.percent, display.scale)]
        by_year = {p.year: p for p in unit.previous}
        cells += [by_year[y].rank if y in by_year else None for y in years]
        carried += [
            (len(rows), f"Xếp hạng {y}")
            for y in years
            if y in by_year and by_year[y].carried is not None
        ]
        cells.append(unit.rank)
        if ranges is not None:
            cells.append(range_text(ranges.get((block.block, unit.unit))))
        if years:
            last = by_year.get(years[-1])
            cells.append(last.rank_change if last else None)
        rows.append(tuple(cells))
        marks.append(mark)
        sections.append(heading)
    notes = tuple(
        f"({mark}) Đơn vị có tổng điểm tối đa là {fmt.number(maximum, display.score_decimals)}"
        f" điểm (có tiêu chí không áp dụng)."
        for maximum, mark in _markers(block).items()
    ) + ((LEGEND,) if legend else ())
    # an earlier rank that was another unit's (renamed, merged, split): said where it came from
    notes += tuple(
        f"Kết quả năm {p.year} của {unit.unit}: {carried_note(p.carried)}."
        for unit in block.units
        for p in unit.previous
        if p.carried is not None and p.year in years
    )
    if robustness is not None:  # first: a compact table drops the legend, taken as last
        notes = (ranges_note(robustness), *notes)
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
        short_legend=(
            "Ghi chú: " + "; ".join(f"{shorts[c]}: {framework.node(c).name}" for c in roots) + "."
            if roots
            else ""
        ),
        marks=tuple(marks),
        sections=tuple(sections),
        carried=tuple(carried),
    )


def scored_groups(framework: Framework, block: str) -> list[str]:
    """The block's groups that carry points: a group of 0 points (the DTI's information-only
    "Đô thị thông minh") has no column and no table of zeros."""
    maxima = framework.max_for(block)
    return [code for code in framework.groups(block) if maxima[code] > 0]


def group_tables(
    framework: Framework,
    block: BlockResult,
    index: int,
    number: int,
    code: str,
    comparison: YearComparison | None = None,
) -> list[Table]:
    """A group's own ranking table (Bảng 1.2) and a table for each of its parts (1.2a, 1.2b …);
    with ``comparison``, each unit's change against the earlier year where the crosswalk
    allows it, and a note of what it is compared with or why it is not."""
    node = framework.node(code)
    maxima = framework.max_for(block.block)
    parts = [
        child.code
        for child in node.children
        if child.code in maxima and any(child.code in u.nodes for u in block.units)
    ]
    key = f"{index}.{number}"
    title = f"Xếp hạng nhóm tiêu chí “{node.name}” của {block.name}"
    tables = [_group_table(framework, block, key, f"Bảng {key}", title, None, code, comparison)]
    for letter, part in zip(PARTS, parts, strict=False):
        table = _group_table(
            framework,
            block,
            f"{key}{letter}",
            f"Bảng {key}",
            title,
            f"{letter}) {framework.node(part).name}",
            part,
            comparison,
        )
        printed = (
            framework.display_for(block.block).part_tables == "all"
            or framework.node_classification(part, block.block) is not None
        )
        tables.append(table if printed else replace(table, printed=False))
    return tables


def _group_table(
    framework: Framework,
    block: BlockResult,
    key: str,
    number: str,
    title: str,
    part: str | None,
    code: str,
    comparison: YearComparison | None = None,
) -> Table:
    display = framework.display_for(block.block)
    maximum = framework.max_for(block.block)[code]
    columns: tuple[Column, ...] = (
        Column("TT", "index"),
        Column("Tên cơ quan, đơn vị", "text"),
        Column("Tổng điểm", "score", display.score_decimals, maximum),
        Column("Tỷ lệ (%)", "percent", display.percent_decimals),
    )
    compared = comparison is not None and comparison.crosswalk.comparable(code)
    if comparison is not None and compared:
        columns += (Column(change_title(comparison), "change", display.percent_decimals),)

    def changed(cells: tuple[Cell, ...], unit: str) -> tuple[Cell, ...]:
        if comparison is None or not compared:
            return cells
        return (*cells, comparison.change(block.block, unit, code))

    rows: list[tuple[Cell, ...] | Section] = []
    marks: list[str] = []
    sections: list[str] = []
    lower: dict[Decimal, str] = {}
    section: str | None = None
    for position, (unit, node, _rank) in enumerate(
        group_ranking(framework, block.block, code, block.units), start=1
    ):
        if node is None:
            rows.append(
                changed((position, unit.unit, NOT_RANKED[NotRankedReason.NO_DATA], None), "")
            )
            marks.append("")
            sections.append("")
            continue
        if not_scored(node, maximum):
            rows.append(changed((position, unit.unit, NOT_SCORED, None), ""))
            marks.append("")
            sections.append("")
            continue
        heading = _section_of(framework, block.block, node.tier, code)
        if heading != section:
            if heading:
                rows.append(Section(heading))
                marks.append("")
                sections.append("")
            section = heading
        mark = lower.setdefault(node.max, "*" * (len(lower) + 1)) if node.max < maximum else ""
        rows.append(changed((position, unit.unit + mark, node.score, node.percent), unit.unit))
        marks.append(mark)
        sections.append(heading)
    notes = tuple(
        f"({mark}) Đơn vị có điểm tối đa của nhóm là {fmt.number(value, display.score_decimals)}"
        " điểm (có tiêu chí không áp dụng)."
        for value, mark in lower.items()
    )
    if comparison is not None:
        notes += group_notes(comparison, framework, block, code)
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
        marks=tuple(marks),
        sections=tuple(sections),
    )


def method_table(report: Report) -> tuple[tuple[Column, ...], tuple[tuple[Cell, ...], ...]]:
    """The method's table of the groups' maximum points per block: its columns and rows
    (a group numbered, its parts under it with their codes, the total last when there are
    several groups)."""
    columns = (
        Column("TT", "index"),
        Column("Nhóm tiêu chí", "text"),
        *(Column(name, "score", report.score_decimals) for name in report.block_names),
    )
    rows: list[tuple[Cell, ...]] = []
    number = 0
    for group in report.groups:
        if group.level == 0:
            number += 1
        rows.append(
            (
                number if group.level == 0 else None,
                group.name if group.level == 0 else f"{group.code}. {group.name}",
                *group.maxima,
            )
        )
    if number > 1:  # one group is the total already (Sơn La's): no second row of it
        rows.append((None, "Tổng điểm", *report.totals))
    return columns, tuple(rows)
