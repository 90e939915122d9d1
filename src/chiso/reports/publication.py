"""The publication: a cycle's results as they are published, one typed value.

Every table, chart, statistic and sentence of the report (:class:`~chiso.reports.data.Report`),
every unit's scorecard (:class:`~chiso.reports.scorecard.Scorecard`) and the results as
``chiso score --format json`` writes them. Built once from the core's results; the web stores
it (exactly, in parts: :func:`parts`, :func:`join`) and its pages, its API and the documents
show it. Its JSON form is :mod:`chiso.reports.codec`'s.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

from chiso.core import CycleResult, Framework
from chiso.core.overclaim import OverClaim
from chiso.core.robustness import Robustness
from chiso.io.results import json_text
from chiso.reports.chart_data import Chart
from chiso.reports.codec import VERSION, decode, encode
from chiso.reports.crosswalk import YearComparison
from chiso.reports.data import Report, build_report
from chiso.reports.scorecard import Scorecard, build_scorecards
from chiso.reports.tables import Table

__all__ = [
    "Part",
    "Publication",
    "assemble",
    "build_publication",
    "head_of",
    "join",
    "parts",
    "read_chart",
    "read_head",
    "read_scorecard",
    "read_table",
]


@dataclass(frozen=True, slots=True)
class Publication:
    report: Report
    scorecards: tuple[Scorecard, ...]
    """Every unit's, block by block in published order."""
    results: str
    """The results as ``chiso score --format json`` writes them: exact JSON text."""


def build_publication(
    framework: Framework,
    result: CycleResult,
    robustness: Robustness | None = None,
    comparison: YearComparison | None = None,
    overclaim: OverClaim | None = None,
) -> Publication:
    """``robustness``: each unit's range of possible ranks, beside its rank in the overall
    tables (the web's draft results); ``comparison``: the groups against an earlier year
    through a criteria crosswalk (``chiso report --crosswalk``); ``overclaim``: each block's
    self-assessed against verified totals (``chiso report --overclaim``)."""
    return Publication(
        report=build_report(
            framework, result, robustness=robustness, comparison=comparison, overclaim=overclaim
        ),
        scorecards=build_scorecards(framework, result, comparison),
        results=json_text(framework, result),
    )


@dataclass(frozen=True, slots=True)
class Part:
    """One stored piece of a publication: a table, a chart, a unit's scorecard or the
    results' JSON text. ``data`` is the piece in the codec's JSON form (None for the text)."""

    kind: str
    """"table", "chart", "scorecard" or "results"."""
    key: str
    """The table's or chart's key, the unit's name; "" for the results."""
    block: str
    position: int
    data: Any = None
    text: str = ""


def head_of(report: Report) -> dict[str, Any]:
    """The report without its tables and charts (stored apart): what every page of the
    results reads, with the codec's version."""
    head = replace(
        report,
        blocks=tuple(replace(b, tables=(), charts=()) for b in report.blocks),
        charts=(),
    )
    return {"version": VERSION, "report": encode(head)}


def parts(publication: Publication) -> list[Part]:
    """The publication in pieces, none of them larger than one table of one block, numbered
    in the order the pages show them."""
    report = publication.report
    pieces: list[tuple[str, str, str, Any, str]] = []
    for block in report.blocks:
        pieces += [("table", t.key, block.block, encode(t), "") for t in block.tables]
        pieces += [("chart", c.key, block.block, encode(c), "") for c in block.charts]
    pieces += [("chart", c.key, "", encode(c), "") for c in report.charts]
    pieces += [
        ("scorecard", card.unit, card.block_code, encode(card), "")
        for card in publication.scorecards
    ]
    pieces.append(("results", "", "", None, publication.results))
    return [
        Part(kind, key, block, position, data, text)
        for position, (kind, key, block, data, text) in enumerate(pieces)
    ]


def read_head(head: dict[str, Any]) -> Report:
    """The report without tables and charts, as :func:`head_of` stored it."""
    return decode(Report, head["report"])


def read_table(data: Any) -> Table:
    return decode(Table, data)


def read_chart(data: Any) -> Chart:
    return decode(Chart, data)


def read_scorecard(data: Any) -> Scorecard:
    return decode(Scorecard, data)


def join(head: dict[str, Any], stored: list[Part]) -> Publication:
    """The whole publication from its head and every one of its parts."""
    report = read_head(head)
    tables: dict[str, list[Table]] = {}
    charts: dict[str, list[Chart]] = {}
    overall: list[Chart] = []
    scorecards: list[Scorecard] = []
    results = ""
    for part in sorted(stored, key=lambda p: p.position):
        if part.kind == "table":
            tables.setdefault(part.block, []).append(read_table(part.data))
        elif part.kind == "chart":
            chart = read_chart(part.data)
            (charts.setdefault(part.block, []) if part.block else overall).append(chart)
        elif part.kind == "scorecard":
            scorecards.append(read_scorecard(part.data))
        else:
            results = part.text
    charts[""] = overall
    return Publication(
        report=assemble(report, tables, charts), scorecards=tuple(scorecards), results=results
    )


def assemble(
    head: Report, tables: Mapping[str, list[Table]], charts: Mapping[str, list[Chart]]
) -> Report:
    """The report of ``head`` (:func:`read_head`) with its tables and charts, each list by
    its block's code in order; the charts across blocks under ""."""
    blocks = tuple(
        replace(b, tables=tuple(tables.get(b.block, ())), charts=tuple(charts.get(b.block, ())))
        for b in head.blocks
    )
    return replace(head, blocks=blocks, charts=tuple(charts.get("", ())))
