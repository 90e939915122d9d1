"""A cycle's publication (:class:`chiso.reports.publication.Publication`) in the database:
stored in parts when a revision is published, read back a piece at a time — the page reads
the tables and charts, a scorecard one unit's part, the API the results' JSON text.

Nothing here computes a score, and no number passes through a float: the parts hold the
codec's exact form (:mod:`chiso.reports.codec`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from functools import cached_property
from typing import Any, Protocol

from chiso.reports.chart_data import Chart
from chiso.reports.data import Report
from chiso.reports.publication import (
    Publication,
    assemble,
    head_of,
    parts,
    read_chart,
    read_head,
    read_scorecard,
    read_table,
)
from chiso.reports.scorecard import Scorecard
from chiso.reports.tables import Table
from chiso.web.results.models import ResultPart, ResultRevision

__all__ = ["Computed", "Entry", "Results", "Stored", "results_data", "store"]


@dataclass(frozen=True)
class Entry:
    """A table as the contents of the page list it, without its rows."""

    key: str
    block: str
    number: str
    title: str
    part: str | None
    code: str | None

    @property
    def caption(self) -> str:
        return f"{self.number}. {self.title}"  # as chiso.reports.tables.Table's


class Results(Protocol):
    """What the results pages read, from a published revision or computed now."""

    def report(self) -> Report: ...

    def overview(self) -> Report:
        """The report with its charts, whose tables may be left out (:meth:`table`)."""
        ...

    def contents(self) -> list[Entry]: ...

    def table(self, key: str) -> Table | None: ...

    def chart(self, key: str) -> Chart | None: ...

    def scorecard(self, unit_id: int) -> Scorecard | None: ...

    def units(self) -> list[tuple[str, int]]: ...

    def results_text(self) -> str: ...


def store(revision: ResultRevision, publication: Publication, unit_ids: Mapping[str, int]) -> None:
    """Store ``publication`` as the parts of ``revision`` (whose ``data`` is its head)."""
    ResultPart.objects.bulk_create(
        (
            ResultPart(
                revision=revision,
                kind=part.kind,
                key=part.key,
                block=part.block,
                position=part.position,
                unit_id=unit_ids.get(part.key) if part.kind == "scorecard" else None,
                data=part.data,
                text=part.text,
            )
            for part in parts(publication)
        ),
        batch_size=200,
    )


def head(publication: Publication) -> dict[str, Any]:
    """What a revision's ``data`` holds."""
    return head_of(publication.report)


class Stored:
    """The results of a published revision, read from its parts."""

    def __init__(self, revision: ResultRevision) -> None:
        self.revision = revision

    def _parts(self, kind: str) -> Any:
        return self.revision.parts.filter(kind=kind).order_by("position")

    def report(self) -> Report:
        return self._report

    @cached_property
    def _report(self) -> Report:
        head = read_head(self.revision.data)
        tables: dict[str, list[Table]] = {}
        charts: dict[str, list[Chart]] = {}
        for block, data in self._parts("table").values_list("block", "data"):
            tables.setdefault(block, []).append(read_table(data))
        for block, data in self._parts("chart").values_list("block", "data"):
            charts.setdefault(block, []).append(read_chart(data))
        return assemble(head, tables, charts)

    def overview(self) -> Report:
        """The head and the charts, without a table: what the page shows above its table."""
        return self._overview

    @cached_property
    def _overview(self) -> Report:
        charts: dict[str, list[Chart]] = {}
        for block, data in self._parts("chart").values_list("block", "data"):
            charts.setdefault(block, []).append(read_chart(data))
        return assemble(read_head(self.revision.data), {}, charts)

    def contents(self) -> list[Entry]:
        # the tables' titles out of their stored data: the database reads the rows for them
        fields = ("key", "block", "data__number", "data__title", "data__part", "data__code")
        return [Entry(*values) for values in self._parts("table").values_list(*fields)]

    def table(self, key: str) -> Table | None:
        data = self._parts("table").filter(key=key).values_list("data", flat=True).first()
        return None if data is None else read_table(data)

    def chart(self, key: str) -> Chart | None:
        data = self._parts("chart").filter(key=key).values_list("data", flat=True).first()
        return None if data is None else read_chart(data)

    def scorecard(self, unit_id: int) -> Scorecard | None:
        data = self._parts("scorecard").filter(unit_id=unit_id).values_list("data", flat=True)
        found = data.first()
        return None if found is None else read_scorecard(found)

    def units(self) -> list[tuple[str, int]]:
        return [
            (name, pk)
            for name, pk in self._parts("scorecard").values_list("key", "unit_id")
            if pk is not None
        ]

    def results_text(self) -> str:
        text = self._parts("results").values_list("text", flat=True).first()
        return text or "{}"


class Computed:
    """The results computed now (a draft), the same pieces as :class:`Stored` gives."""

    def __init__(self, publication: Publication, unit_ids: Mapping[str, int]) -> None:
        self.publication = publication
        self.unit_ids = unit_ids
        self.images: dict[str, bytes] = {}
        """Its charts once drawn, by key (results.views), kept as long as these results."""

    def report(self) -> Report:
        return self.publication.report

    def overview(self) -> Report:
        return self.publication.report

    def contents(self) -> list[Entry]:
        return [
            Entry(t.key, t.block, t.number, t.title, t.part, t.code)
            for t in self.publication.report.tables
        ]

    def table(self, key: str) -> Table | None:
        return next((t for t in self.publication.report.tables if t.key == key), None)

    def chart(self, key: str) -> Chart | None:
        return next((c for c in self.publication.report.all_charts if c.key == key), None)

    def scorecard(self, unit_id: int) -> Scorecard | None:
        return next(
            (c for c in self.publication.scorecards if self.unit_ids.get(c.unit) == unit_id),
            None,
        )

    def units(self) -> list[tuple[str, int]]:
        return [
            (card.unit, self.unit_ids[card.unit])
            for card in self.publication.scorecards
            if card.unit in self.unit_ids
        ]

    def results_text(self) -> str:
        return self.publication.results


def results_data(results: Results) -> dict[str, Any]:
    """The results' JSON (``chiso score``'s contract) with every number an exact Decimal."""
    data: dict[str, Any] = json.loads(results.results_text(), parse_float=Decimal)
    return data
