"""Published tables laid out for a page: cells in Vietnamese number format (decimal comma,
rounded half up to the framework's decimals), tier section rows, rank changes "+2", "-1", "=";
the units' names linked to the scorecards a visitor may open, and narrowed to the units a
search names. The charts' data as tables, for those who cannot see the images."""

from __future__ import annotations

import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, replace
from decimal import Decimal

from django.core.paginator import Paginator
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.core.numbers import round_half_up
from chiso.reports.chart_data import Chart
from chiso.reports.charts import average_decimals
from chiso.reports.labels import CARRIED_MARK
from chiso.reports.robustness import RANGE_TITLE
from chiso.reports.tables import Cell, Column, Section, Table, cell_text
from chiso.web.results.ranges import DRAFT_PERTURBATION

__all__ = [
    "PER_PAGE",
    "ChartTable",
    "Row",
    "TableView",
    "ViewCell",
    "chart_table",
    "fold",
    "table_view",
]


PER_PAGE = 100
"""The units' rows on one page of a table."""


@dataclass(frozen=True)
class ViewCell:
    text: str
    numeric: bool = False
    value: str = ""
    """A number's value, by which the page sorts the column ("" for none)."""
    link: str = ""
    """The unit's scorecard, when the visitor may open it."""
    source: str = ""
    """Where the number came from (its provenance page), when the visitor may open it."""
    unit: bool = False
    """The unit's name: held in view while the table scrolls sideways, found by the search."""
    first: str = ""
    """A column's title: the order the page sorts the column in first ("descending" for
    points, percentages and changes: the largest first)."""


@dataclass(frozen=True)
class Row:
    cells: list[ViewCell]
    section: str = ""
    """A row across the table instead of cells: a tier ("Mức tốt") or a reason for not
    being ranked."""


@dataclass(frozen=True)
class TableView:
    key: str
    caption: str
    part: str | None
    header: list[ViewCell]
    maxima: list[ViewCell] | None
    rows: list[Row]
    notes: list[str]
    units: int = 0
    """How many units the table lists (after a search), on all its pages."""
    page: int = 1
    pages: int = 1


def fold(text: str) -> str:
    """A name as a search compares it: without case, accents or "đ" ("Sở Tư pháp" →
    "so tu phap"), so a visitor may type either; the page's script folds the same way."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.split())


def _cell(value: Cell, column: Column) -> ViewCell:
    """A cell as the documents print it (:func:`chiso.reports.tables.cell_text`), a number
    aligned right."""
    numeric = column.kind != "text" and not isinstance(value, str)
    return ViewCell(cell_text(column, value), numeric, _sort_value(value) if numeric else "")


def _sort_value(value: Cell) -> str:
    """A number as the page sorts it: to ten decimals, finer than any printed figure and the
    same for a result kept as a float's digits (revisions converted by the migration)."""
    if not isinstance(value, Decimal | int):
        return ""
    return f"{round_half_up(Decimal(value), 10).normalize():f}"


_FIRST = {"score": "descending", "percent": "descending", "change": "descending"}


def _name_column(columns: tuple[Column, ...]) -> int | None:
    return next((i for i, c in enumerate(columns) if c.kind == "text"), None)


def _named(cell: ViewCell, links: Mapping[str, str]) -> ViewCell:
    """The unit's name (with its footnote mark "*"), linked to its scorecard when allowed."""
    link = links.get(cell.text.rstrip("*"), "")
    return ViewCell(cell.text, link=link, unit=True)


def provenance_link(scorecard: str, item: str | None = "") -> str:
    """A scorecard's address (``…/units/7/`` or ``…/units/7/?draft``) turned into the address
    of its provenance page for ``item`` (a group's code, ``rank``; none: the total)."""
    path, _, query = scorecard.partition("?")
    params = [query] if query else []
    if item:
        params.append(urlencode({"item": item}))
    return f"{path}provenance/" + ("?" + "&".join(params) if params else "")


def _sources(table: Table) -> dict[int, str]:
    """The columns whose numbers link to their provenance, with the item they show: this
    year's rank (the last rank column), the table's total or group points (the last points
    column) and percentage."""
    item = table.code or ""
    found: dict[int, str] = {}
    for kind, name in (("score", item), ("percent", item), ("rank", "rank")):
        last = [i for i, c in enumerate(table.columns) if c.kind == kind]
        if last:
            found[last[-1]] = name
    return found


def table_view(
    table: Table,
    links: Mapping[str, str] | None = None,
    search: str = "",
    page: str | int | None = 1,
    per_page: int = PER_PAGE,
) -> TableView:
    """One page of the table for the page: ``per_page`` units' rows, each page starting with
    the section (tier) its first row is under; ``links`` maps a unit's name to its scorecard's
    address, ``search`` keeps the units whose name contains it (and the sections they are in).
    A page number that is not one gives the first page, one past the end the last (Django's
    :meth:`Paginator.get_page`). Only the rows of the page are formatted."""
    columns = table.columns
    name = _name_column(columns)
    wanted = fold(search)
    sources = _sources(table)
    carried = set(table.carried)
    entries: list[tuple[str, int, tuple[Cell, ...]]] = []
    section = ""
    for index, row in enumerate(table.rows):
        if isinstance(row, Section):
            section = row.label
        elif not (wanted and name is not None and wanted not in fold(str(row[name]))):
            entries.append((section, index, row))
    shown = Paginator(entries, per_page).get_page(page)
    rows: list[Row] = []
    printed = ""
    for section, index, row in shown.object_list:
        if section and section != printed:
            rows.append(Row([], section))
        printed = section
        cells = [_cell(v, c) for v, c in zip(row, columns, strict=True)]
        for i, column in enumerate(columns):
            if (index, column.title) in carried:  # another unit's rank: the notes say whose
                cells[i] = replace(cells[i], text=cells[i].text + CARRIED_MARK)
        if name is not None:
            cells[name] = _named(cells[name], links or {})
            if cells[name].link:
                for i, item in sources.items():
                    if cells[i].text:
                        cells[i] = replace(cells[i], source=provenance_link(cells[name].link, item))
        rows.append(Row(cells))
    view = TableView(
        key=table.key,
        caption=table.caption,
        part=table.part,
        header=[
            ViewCell(c.title, c.kind != "text", unit=i == name, first=_FIRST.get(c.kind, ""))
            for i, c in enumerate(columns)
        ],
        maxima=_maxima(table, name),
        rows=rows,
        notes=list(table.notes),
        units=len(entries),
        page=shown.number,
        pages=shown.paginator.num_pages,
    )
    return _with_ranges(view, [i for i, c in enumerate(columns) if c.kind == "range"])


def _with_ranges(view: TableView, ranges: list[int]) -> TableView:
    """Each range of possible ranks (the draft's: results.ranges) beside the rank before it,
    "5 (4–7)", sorted by the rank; the documents' note of the column as the page's."""
    if not ranges:
        return view
    keep = [i for i in range(len(view.header)) if i not in ranges]

    def joined(cells: list[ViewCell]) -> list[ViewCell]:
        cells = list(cells)
        for at in ranges:
            if at > 0 and cells[at].text and cells[at - 1].text:
                rank = cells[at - 1]
                cells[at - 1] = replace(rank, text=f"{rank.text} ({cells[at].text})")
        return [cells[i] for i in keep]

    p = DRAFT_PERTURBATION
    note = _(
        "A rank followed by a range, as 5 (4–7), could be any rank of the range: with one more "
        "decimal, as each answer not yet settled by the review goes either way, or with the "
        "groups' weights varied by up to ±%(spread)s%% (%(draws)s draws, 5th to 95th "
        "percentile). Only the draft shows the ranges."
    ) % {"spread": fmt.points(p.spread * 100, 1), "draws": p.draws}
    return replace(
        view,
        header=[view.header[i] for i in keep],
        maxima=[view.maxima[i] for i in keep] if view.maxima is not None else None,
        rows=[Row(joined(r.cells), r.section) if r.cells else r for r in view.rows],
        notes=[note if n.startswith(f"{RANGE_TITLE}:") else n for n in view.notes],
    )


def _maxima(table: Table, name: int | None) -> list[ViewCell] | None:
    if not table.has_maxima:
        return None
    return [
        ViewCell(fmt.number(c.maximum, c.decimals), True)
        if c.maximum is not None
        else ViewCell(_("Max points") if c.kind == "text" else "", unit=i == name)
        for i, c in enumerate(table.columns)
    ]


@dataclass(frozen=True)
class ChartTable:
    """A chart's data as a table: what the image shows, for a screen reader."""

    header: list[str]
    rows: list[list[str]]
    note: str = ""
    text: int | None = None
    """The column of words, not figures (the units chart's "below" or not)."""


def chart_table(chart: Chart) -> ChartTable:
    """The chart's figures: units per tier and their share; each unit's result against the
    block's average (the colour of its bar), both at the precision the chart states the
    average with, so that a result just above it does not read as below; the groups' mean
    shares per block, as their bars are labelled."""
    unit = chart.unit
    decimals = average_decimals(unit)
    if chart.kind == "tiers":
        total = sum(chart.values) or Decimal(1)
        return ChartTable(
            [_("Tier"), _("Units"), _("Share (%)")],
            [
                [label, fmt.number(count, 0), fmt.number(count * 100 / total, 0)]
                for label, count in zip(chart.labels, chart.values, strict=True)
            ],
        )
    if chart.kind == "groups":
        return ChartTable(
            [_("Group"), *(name for name, _values in chart.series)],
            [
                [label, *(fmt.number(values[i], 0) for _name, values in chart.series)]
                for i, label in enumerate(chart.labels)
            ],
            _("Mean points of each group as a percentage of its maximum."),
        )
    average = ""
    if chart.reference is not None:
        average = _("Block average: %(value)s%(unit)s") % {
            "value": fmt.number(chart.reference, decimals),
            "unit": unit,
        }
    if chart.histogram:
        return ChartTable(
            [_("Range") + (f" ({unit})" if unit else ""), _("Units")],
            [
                [label, fmt.number(v, 0)]
                for label, v in zip(chart.labels, chart.values, strict=True)
            ],
            average,
        )
    reference = chart.reference
    return ChartTable(
        [_("Unit"), _("Result") + (f" ({unit})" if unit else ""), _("Against the block average")],
        [
            [
                label,
                fmt.number(value, decimals),
                _("below")
                if reference is not None and value < reference
                else _("at or above")
                if reference is not None
                else "",
            ]
            for label, value in zip(chart.labels, chart.values, strict=True)
        ],
        average,
        text=2,
    )
