"""Results published before the publication was stored in parts keep rendering: the data
migration turns their one value into the head and the parts, and they read as the
publication built now from the same results."""

from __future__ import annotations

import dataclasses
import importlib
import json
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.apps import apps
from django.test import Client

from chiso.core import load_framework, round_half_up, score
from chiso.io.data import read_previous, read_units
from chiso.reports.publication import build_publication
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import Cycle, CycleState, Unit
from chiso.web.results import services
from chiso.web.results.display import table_view
from chiso.web.results.models import ResultPart, ResultRevision
from chiso.web.results.snapshot import Stored, head, results_data

migration = importlib.import_module("chiso.web.results.migrations.0004_publication_parts")
DATA = Path(__file__).parents[1] / "data"
DEMO = Path(__file__).parents[2] / "src" / "chiso" / "demo"


def _old_revision(cycle: Cycle) -> ResultRevision:
    data = json.loads((DATA / "revision-before-parts.json").read_text(encoding="utf-8"))
    ids = dict(Unit.objects.values_list("name", "pk"))
    for name, entry in data["units"].items():
        entry["id"] = ids.get(name)
    cycle.state = CycleState.PUBLISHED
    cycle.save()
    return ResultRevision.objects.create(
        cycle=cycle, number=1, framework=cycle.framework, data=data
    )


def _publication_now() -> Any:
    framework = load_framework("binh-dinh-2021")
    units = read_units(framework, DEMO / "binh-dinh-2021.csv")
    previous = read_previous([DEMO / "binh-dinh-2020-ranks.csv"], framework=framework)
    return build_publication(framework, score(framework, units.units, previous))


def _to_10(value: Any) -> Any:
    """``value`` with every decimal rounded to 10 decimals (a stored float kept 15–17
    significant digits of a non-terminating one: 98.82352941176471)."""
    if isinstance(value, Decimal):
        return round_half_up(value, 10)
    if isinstance(value, tuple):
        return tuple(_to_10(v) for v in value)
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {f.name: _to_10(getattr(value, f.name)) for f in dataclasses.fields(value)}
    return value


@pytest.fixture
def converted(db: None) -> ResultRevision:
    cycle = create_demo()
    revision = _old_revision(cycle)
    migration.forwards(apps, None)
    revision.refresh_from_db()
    return revision


def test_the_tables_and_charts_read_as_built_now(converted: ResultRevision) -> None:
    now = _publication_now().report
    stored = Stored(converted).report()
    assert [b.heading for b in stored.blocks] == [b.heading for b in now.blocks]
    # the words are those it was published with (the narrative has grown since)
    published = json.loads((DATA / "revision-before-parts.json").read_text(encoding="utf-8"))
    assert [list(b.narrative) for b in stored.blocks] == [
        b["narrative"] for b in published["report"]["blocks"]
    ]
    assert list(stored.summary) == published["report"]["summary"]
    assert [b.narrative[:3] for b in stored.blocks] == [b.narrative[:3] for b in now.blocks]
    # the rows of all blocks together ("Tất cả") were not stored before
    assert stored.statistics == tuple(row for row in now.statistics if row[0] != "Tất cả")
    for old, new in zip(stored.tables, now.tables, strict=True):
        # the groups' short labels came later: a table stored before has none (its documents
        # print the titles); nor the rows' marks and sections apart (the workbook's columns)
        new = dataclasses.replace(
            new,
            columns=tuple(dataclasses.replace(c, short="") for c in new.columns),
            short_legend="",
            marks=(),
            sections=(),
        )
        # every cell a decimal again: the float's digits of a non-terminating one
        assert _to_10(old) == _to_10(new)
        assert table_view(old) == table_view(new)  # as the page prints it
    assert _to_10(stored.all_charts) == _to_10(now.all_charts)


def test_the_scorecards_read_as_built_now(converted: ResultRevision) -> None:
    now = {card.unit: card for card in _publication_now().scorecards}
    stored = Stored(converted)
    names = dict(Unit.objects.values_list("pk", "name"))
    linked = stored.units()
    assert {name for name, _ in linked} <= set(now)
    assert linked, "the demo's units keep their scorecards"
    for name, pk in linked:
        assert names[pk] == name
        card = stored.scorecard(pk)
        assert card is not None
        assert _to_10(card) == _to_10(now[name])


def test_the_api_gives_the_same_results_with_exact_numbers(converted: ResultRevision) -> None:
    before = json.loads((DATA / "revision-before-parts.json").read_text(encoding="utf-8"))
    response = Client().get(f"/api/v1/results/{converted.cycle_id}")
    assert response.status_code == 200
    assert response.json() == before["results"]
    exact = results_data(Stored(converted))
    percents = [u["percent"] for b in exact["blocks"] for u in b["units"]]
    assert Decimal("98.82352941176471") in percents  # read as decimals, never as floats
    assert not any(isinstance(p, float) for p in percents)


def test_the_pages_render(converted: ResultRevision) -> None:
    page = Client().get(f"/results/{converted.cycle_id}/")
    assert page.status_code == 200
    assert "Bảng 1" in page.content.decode()
    assert ResultPart.objects.filter(revision=converted, kind="scorecard").count() == 32


def test_a_converted_revision_is_not_converted_again(converted: ResultRevision) -> None:
    count = ResultPart.objects.count()
    migration.forwards(apps, None)
    assert ResultPart.objects.count() == count


GROUP = {"code": "B", "name": "Dịch vụ công", "top": True, "percent": None, "tier": None}
GROUP |= {"block_mean": 2.5, "block_mean_percent": 50.0}


@pytest.mark.parametrize(
    ("stored", "block_max", "not_scored", "full_credit"),
    [
        # declared not applicable under full credit, stored before that was marked apart
        ({"score": 3, "max": 3, "not_applicable": True}, Decimal(3), False, True),
        # an information group (0 of 0 in the block too), once stored as not applicable
        ({"score": 0, "max": 0, "not_applicable": True}, Decimal(0), False, False),
        # excluded as not applicable: its maximum is 0 for the unit, not for the block
        ({"score": 0, "max": 0, "not_applicable": True}, Decimal(5), True, False),
        (
            {"score": 2, "max": 5, "not_applicable": False, "full_credit": False},
            Decimal(5),
            False,
            False,
        ),
    ],
)
def test_the_marks_of_older_revisions(
    stored: dict[str, Any], block_max: Decimal, not_scored: bool, full_credit: bool
) -> None:
    group = migration._group(GROUP | stored, block_max)
    assert (group["not_scored"], group["full_credit"]) == (not_scored, full_credit)
    assert group["block_mean"] == "2.5"


previous_migration = importlib.import_module(
    "chiso.web.results.migrations.0005_previous_results_exact"
)


@pytest.mark.parametrize(
    ("stored", "text"),
    [("12.500000", "12.5"), ("80.000000", "80"), ("12.5", "12.5"), (None, ""), ("", "")],
)
def test_previous_results_stored_before_read_as_their_decimal(
    stored: str | None, text: str
) -> None:
    assert previous_migration._plain(stored) == text


def test_earlier_scores_of_a_converted_revision_are_known_to_15_digits(
    converted: ResultRevision,
) -> None:
    """Its totals were floats (2.8933333333333335 for 2.893…): a score change against one is
    rounded at its 15th digit, so that an unchanged total changes by 0."""
    names = dict(Unit.objects.values_list("pk", "name"))
    earlier = services._from_revision(converted, names)
    assert earlier
    assert {result.score_digits for result in earlier} == {15}
    assert "from_floats" not in head(_publication_now())  # exact since: known to every digit
