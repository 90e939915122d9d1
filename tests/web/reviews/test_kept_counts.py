"""What the dashboard and the queues count once per change of a cycle (chiso.web.audit.kept):
every change those counts read is a change of the cycle in the audit trail, and a page after
a change shows it at once."""

from __future__ import annotations

from typing import Any

from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import Cast
from tests.web.selfassessment.conftest import PDF, upload
from tests.web.test_admin_audit import cycle_form

from chiso.web.audit.kept import forget
from chiso.web.audit.models import ChangeCount
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.reviews import services as reviews
from chiso.web.reviews.selectors import reviewed_participations

HTMX = {"HX-Request": "true"}


def changes(cast: Cast) -> int:
    found = ChangeCount.objects.filter(cycle=cast.cycle).values_list("count", flat=True)
    return found.first() or 0


def test_answers_evidence_and_units_joining_or_leaving_are_changes_of_the_cycle(
    cast: Cast,
    media: Any,
) -> None:
    editor, form = cast.client(cast.editor_a), f"/submissions/{cast.part_a.pk}/"
    steps = {
        "an answer": lambda: editor.post(
            f"{form}answer/", {"code": "III", "value": "5"}, headers=HTMX
        ),
        "evidence": lambda: editor.post(
            f"{form}evidence/", {"code": "III", "file": upload("x.pdf", PDF)}, headers=HTMX
        ),
    }
    for name, step in steps.items():
        before = changes(cast)
        assert step().status_code == 200, name
        assert changes(cast) > before, name
    admin, url = cast.client(cast.admin), f"/admin/cycles/cycle/{cast.cycle.pk}/change/"
    unit = Unit.objects.create(organisation=cast.organisation, name="Sở Xây dựng")
    index = cast.cycle.participations.count()
    joining = {
        "participations-TOTAL_FORMS": index + 1,
        f"participations-{index}-cycle": cast.cycle.pk,
        f"participations-{index}-unit": unit.pk,
        f"participations-{index}-block": cast.part_a.block,
    }
    before = changes(cast)
    assert admin.post(url, cycle_form(cast.cycle, **joining)).status_code == 302
    assert changes(cast) > before
    joined = list(cast.cycle.participations.order_by("pk")).index(
        cast.cycle.participations.get(unit=unit)
    )
    before = changes(cast)
    leaving = cycle_form(cast.cycle, **{f"participations-{joined}-DELETE": "on"})
    assert admin.post(url, leaving).status_code == 302
    assert not cast.cycle.participations.filter(unit=unit).exists()
    assert changes(cast) > before


def test_a_verdict_is_a_change_of_the_cycle(round_1: Cast) -> None:
    before = changes(round_1)
    verified = round_1.client(round_1.reviewer).post(
        f"/reviews/unit/{round_1.part_a.pk}/verify/III/", {"value": "8"}, headers=HTMX
    )
    assert verified.status_code == 200
    assert changes(round_1) > before


def sorted_by_missing(cast: Cast) -> dict[str, int]:
    page = cast.client(cast.admin).get(f"/cycles/{cast.cycle.pk}/", {"sort": "missing"})
    rows = page.context["rows"]
    # the count kept per change is the completeness the page reads afresh for its rows
    assert [row.missing for row in rows] == [len(row.completeness.unanswered) for row in rows]
    assert [row.missing for row in rows] == sorted((row.missing for row in rows), reverse=True)
    return {row.participation.unit.name: row.missing for row in rows}


def test_the_dashboard_sorted_by_missing_answers_shows_a_new_answer_at_once(cast: Cast) -> None:
    before = sorted_by_missing(cast)
    assert sorted_by_missing(cast) == before  # kept: the same counts
    editor = cast.client(cast.editor_b)
    saved = editor.post(
        f"/submissions/{cast.part_b.pk}/answer/", {"code": "III", "value": "5"}, headers=HTMX
    )
    assert saved.status_code == 200
    after = sorted_by_missing(cast)
    name = cast.unit_b.name
    assert after == {**before, name: before[name] - 1}
    assert list(after)[-1] == name  # the fewest missing answers: last


def test_reviewed_after_a_verdict_is_counted_again_for_its_unit_alone(round_1: Cast) -> None:
    """(The dashboard's tests follow a unit becoming reviewed through these counts.)"""
    cast = round_1
    assert reviewed_participations(Cycle.objects.get(pk=cast.cycle.pk)) == set()
    reviews.save_verdict(cast.part_a, "III", value="8", revision=None, by=cast.reviewer)
    with CaptureQueriesContext(connection) as queries:
        counted = reviewed_participations(Cycle.objects.get(pk=cast.cycle.pk))
    verdicts = [q["sql"] for q in queries.captured_queries if "reviews_verdict" in q["sql"]]
    assert verdicts and all(f'"participation_id" IN ({cast.part_a.pk})' in q for q in verdicts)
    forget()  # the same, counted whole
    cache.clear()
    assert reviewed_participations(Cycle.objects.get(pk=cast.cycle.pk)) == counted
