"""A cycle of any size (``manage.py seed_scale``), and pages whose number of queries does not
grow with the units or the criteria (the time they take is in benchmarks/web_scale.py)."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.core.management import call_command
from django.db import connection, transaction
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext

from chiso.reports.overclaim import TITLE as OVERCLAIM_TITLE
from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.audit.services import count_changes
from chiso.web.console import views as console_views
from chiso.web.console.scale import Scale, seed
from chiso.web.cycles.models import CycleState
from chiso.web.results import display
from chiso.web.results import services as results
from chiso.web.reviews import views as review_views
from chiso.web.reviews.models import Review, Stage, Verdict
from chiso.web.submissions.models import Answer, Evidence, SubmissionState
from chiso.web.submissions.scoring import score_cycle

SMALL = (3, 2)
LARGE = (12, 6)


def test_seed_scale_makes_a_cycle_of_the_size_asked(db: None) -> None:
    call_command("seed_scale", units=12, criteria=6, seed=3, stdout=None)
    made = AuditEntry.objects.get(action=Action.ADDED, note="manage.py seed_scale")
    cycle = made.cycle
    assert cycle.participations.count() == 12
    assert len(cycle.framework.framework.max_for("xa")) > 6  # 6 leaves, their parts and groups
    states = cycle.participations.values_list("submission__state", flat=True)
    assert set(states) == {SubmissionState.SUBMITTED, SubmissionState.DRAFT, None}
    assert Answer.objects.filter(submission__participation__cycle=cycle).count() > 0
    assert Evidence.objects.filter(submission__participation__cycle=cycle).exists()
    assert Review.objects.get(cycle=cycle).stage == Stage.ROUND_2
    assert Verdict.objects.filter(participation__cycle=cycle, round=1).exists()
    assert cycle.previous_results.exists()
    assert User.objects.filter(unit__organisation=cycle.organisation, role=Role.HEAD).count() == 12
    # every person is one of the assessor's, so its pages show them this cycle
    people = User.objects.filter(username__startswith="scale12s3-")
    assert set(people.values_list("organisation", flat=True)) == {cycle.organisation_id}
    # the core scores it: every submitted unit has a total
    scored = [unit for block in score_cycle(cycle).blocks for unit in block.units]
    assert len(scored) == 12 and any(unit.total for unit in scored)


def test_seed_scale_gives_the_same_data_for_the_same_seed(db: None) -> None:
    with transaction.atomic():
        first = _answers(seed(5, 4, seed=7))
        transaction.set_rollback(True)
    assert first == _answers(seed(5, 4, seed=7))
    assert first != _answers(seed(5, 4, seed=8))


def _answers(made: Scale) -> list[tuple[str, str, str]]:
    rows = Answer.objects.filter(submission__participation__cycle=made.cycle)
    named = rows.values_list("submission__participation__unit__name", "code", "value")
    return sorted((name, code, value) for name, code, value in named)


def _client(username: str | None) -> Client:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return client


def _count(client: Client, method: str, url: str, data: Any = None, **extra: Any) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = getattr(client, method)(url, data or {}, **extra)
    assert response.status_code == 200, (url, response.status_code)
    return len(queries)


def _pages(made: Scale) -> dict[str, int]:
    """The queries of each page for the seeded cycle ``made``."""
    cycle = made.cycle
    tag = f"scale{made.units}s1"
    admin, reviewer = _client(f"{tag}-admin"), _client(f"{tag}-reviewer")
    draft = cycle.participations.filter(submission__state=SubmissionState.DRAFT).first()
    assert draft is not None
    editor = _client(User.objects.get(unit=draft.unit, role=Role.EDITOR).username)
    counts: dict[str, int] = {}
    type(cycle).objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    counts["form"] = _count(editor, "get", f"/submissions/{draft.pk}/")
    answer = Answer.objects.get(submission__participation=draft, code="A.1.1")  # yes or no
    other = "1" if answer.value == "0" else "0"
    data = {"code": "A.1.1", "value": other, "revision": str(answer.revision)}
    counts["save"] = _count(editor, "post", f"/submissions/{draft.pk}/answer/", data,
                            HTTP_HX_REQUEST="true")  # fmt: skip
    type(cycle).objects.filter(pk=cycle.pk).update(state=CycleState.UNDER_REVIEW)
    counts["dashboard"] = _count(admin, "get", f"/cycles/{cycle.pk}/")
    counts["dashboard, missing answers"] = _count(
        admin, "get", f"/cycles/{cycle.pk}/", {"sort": "missing"}
    )
    counts["dashboard, missing answers, page 2"] = _count(
        admin, "get", f"/cycles/{cycle.pk}/", {"sort": "missing", "page": "2"}
    )
    counts["export"] = _count(admin, "get", f"/cycles/{cycle.pk}/export.csv")
    counts["review overview"] = _count(admin, "get", f"/reviews/cycle/{cycle.pk}/")
    counts["review queue"] = _count(reviewer, "get", f"/reviews/cycle/{cycle.pk}/queue/")
    block = cycle.participations.values_list("block", flat=True).first()
    chosen_units = {"block": block, "q": "a", "page": "2"}
    counts["review overview, a page"] = _count(
        admin, "get", f"/reviews/cycle/{cycle.pk}/", {**chosen_units, "state": "submitted"}
    )
    counts["review queue, a page"] = _count(
        reviewer, "get", f"/reviews/cycle/{cycle.pk}/queue/", {**chosen_units, "state": "todo"}
    )
    theirs = {"reviewer": str(User.objects.get(username=f"{tag}-reviewer").pk)}
    assigned = admin.post(f"/reviews/cycle/{cycle.pk}/assign-units/", theirs)  # every unit
    assert assigned.status_code == 302 and cycle.assignments.count() > made.units
    counts["review overview, a reviewer's assignments"] = _count(
        admin, "get", f"/reviews/cycle/{cycle.pk}/", {**theirs, "assignment_page": "2"}
    )
    counts["units suggested"] = _count(
        admin, "get", f"/reviews/cycle/{cycle.pk}/unit-choices/", {"unit": "a"}
    )
    counts["draft results"] = _count(admin, "get", f"/results/{cycle.pk}/")
    counts["draft results again"] = _count(admin, "get", f"/results/{cycle.pk}/")
    contents = results.compute(cycle).contents()
    # the review closed a round: each block's over-claim table, which the publication lacks
    (overclaim, *_more) = [e.key for e in contents if e.title.startswith(OVERCLAIM_TITLE)]
    counts["draft results, the over-claim table"] = _count(
        admin, "get", f"/results/{cycle.pk}/", {"draft": "", "table": overclaim, "page": "2"}
    )
    groups = [e.key for e in contents if not e.title.startswith(OVERCLAIM_TITLE)]
    chosen = {"table": groups[-1], "page": "2"}  # a group's table, the last page
    counts["draft results, a table's page"] = _count(admin, "get", f"/results/{cycle.pk}/", chosen)
    key = results.compute(cycle).report().all_charts[0].key
    counts["draft chart"] = _count(admin, "get", f"/results/{cycle.pk}/charts/{key}.png")
    count_changes([cycle.pk])  # a change: the draft of before is shown while a job computes
    with override_settings(CHISO_DRAFT_TASKS="default"):
        counts["draft results after a change"] = _count(admin, "get", f"/results/{cycle.pk}/")
        counts["draft results after a change, again"] = _count(
            admin, "get", f"/results/{cycle.pk}/"
        )
    results.publish(cycle, by=User.objects.get(username=f"{tag}-admin"))
    counts["public results"] = _count(_client(None), "get", f"/results/{cycle.pk}/")
    counts["public results, a table's page"] = _count(
        _client(None), "get", f"/results/{cycle.pk}/", chosen
    )
    counts["public results, a search"] = _count(
        _client(None), "get", f"/results/{cycle.pk}/", {**chosen, "q": "xã"}
    )
    counts["public chart"] = _count(_client(None), "get", f"/results/{cycle.pk}/charts/{key}.png")
    counts["API"] = _count(_client(None), "get", f"/api/v1/results/{cycle.pk}")
    return counts


def test_no_page_makes_more_queries_for_more_units_or_criteria(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(display, "PER_PAGE", 2)  # tables of several pages at both sizes
    monkeypatch.setattr(review_views, "PAGE_SIZE", 2)
    monkeypatch.setattr(console_views, "PAGE_SIZE", 2)
    small, large = seed(*SMALL), seed(*LARGE)
    assert _pages(small) == _pages(large)


def _reads_answers(client: Client, url: str) -> bool:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return any("submissions_answer" in query["sql"] for query in queries.captured_queries)


def test_draft_results_are_computed_once_per_change(db: None) -> None:
    made = seed(*LARGE)
    cycle = made.cycle
    admin = _client(f"scale{made.units}s1-admin")
    page = f"/results/{cycle.pk}/"
    assert _reads_answers(admin, page)
    before = results.compute(cycle).results_text()
    key = results.compute(cycle).report().all_charts[0].key
    # the page again, its charts, a scorecard: the same results, computed once
    assert not _reads_answers(admin, page)
    assert not _reads_answers(admin, f"/results/{cycle.pk}/charts/{key}.png")
    unit = cycle.participations.filter(submission__state=SubmissionState.SUBMITTED).first()
    assert unit is not None
    assert not _reads_answers(admin, f"/results/{cycle.pk}/units/{unit.unit_id}/")
    # a change (a unit reopened: it has no results until it submits again) is seen at once
    reopened = admin.post(
        f"/cycles/{cycle.pk}/reopen/{unit.submission.pk}/", {"reason": "Bổ sung minh chứng"}
    )
    assert reopened.status_code == 302
    assert _reads_answers(admin, page)
    after = results.compute(cycle).results_text()
    assert after != before
    assert unit.unit.name in after and '"no_data"' in after


def _names(page: str) -> list[str]:
    units = page.split('id="units-title"')[1] if 'id="units-title"' in page else page
    return re.findall(r'<a href="/reviews/unit/\d+/history/">([^<]+)</a>', units)


def test_review_overview_and_queue_show_a_page_of_units_as_filtered(
    db: None, monkeypatch: pytest.MonkeyPatch
) -> None:
    made = seed(*LARGE)
    cycle = made.cycle
    admin = _client(f"scale{made.units}s1-admin")
    monkeypatch.setattr(review_views, "PAGE_SIZE", 5)
    overview = f"/reviews/cycle/{cycle.pk}/"
    ordered = cycle.participations.order_by("unit__name", "pk")  # as the database sorts names
    names = list(ordered.values_list("unit__name", flat=True))
    assert len(names) == 12

    def listed(query: dict[str, str]) -> list[str]:
        response = admin.get(overview, query)
        assert response.status_code == 200
        return _names(response.content.decode())

    assert listed({}) == names[:5]
    assert listed({"page": "2"}) == names[5:10]
    assert listed({"page": "3"}) == names[10:]
    assert listed({"page": "x"}) == names[:5]  # not a page: the first
    assert listed({"page": "99"}) == names[10:]  # past the end: the last
    assert listed({"state": "nonsense"}) == names[:5]  # not a state: every unit
    assert listed({"q": "a\x00"}) == names[:5]  # not a name a database takes: no search
    block = cycle.participations.values_list("block", flat=True).first()
    in_block = list(ordered.filter(block=block).values_list("unit__name", flat=True))
    assert listed({"block": block, "page": "1"}) == in_block[:5]
    submitted = ordered.filter(submission__state=SubmissionState.SUBMITTED)
    assert (
        listed({"state": "submitted"}) == list(submitted.values_list("unit__name", flat=True))[:5]
    )
    assert listed({"q": names[7]}) == [names[7]]
    page = admin.get(overview, {"q": names[7][:4], "page": "1"}).content.decode()
    assert f'value="{names[7][:4]}"' in page

    queue = f"/reviews/cycle/{cycle.pk}/queue/"
    reviewer = _client(f"scale{made.units}s1-reviewer")
    whole = reviewer.get(queue)
    items = whole.context["queue"].items
    shown = [i.participation.unit.name for i in whole.context["page"].object_list]
    assert shown == [i.participation.unit.name for i in items][:5]
    second = reviewer.get(queue, {"page": "2"}).context["page"].object_list
    assert [i.participation.unit.name for i in second] == [
        i.participation.unit.name for i in items
    ][5:10]
    for state in ("todo", "in_progress", "done", "nothing"):
        kept = reviewer.get(queue, {"state": state}).context["page"]
        assert {i.state for i in kept.object_list} <= {state}
        assert kept.paginator.count == sum(i.state == state for i in items)
    # the counts are the whole queue's, whatever the page
    assert (
        reviewer.get(queue, {"page": "2"}).context["queue"].counts == whole.context["queue"].counts
    )
