"""The draft results are computed by a background job, never in a request: a page after a
change shows the draft computed last, with a note, and follows the job; publishing freezes
the results of now, never a draft shown."""

from __future__ import annotations

import html
from typing import Any

import pytest
from django.test import Client
from tests.web.conftest import Cast, run_jobs

from chiso.web.cycles.models import CycleState
from chiso.web.cycles.services import change_state
from chiso.web.jobs.models import Job, Kind, State
from chiso.web.results.models import ResultRevision
from chiso.web.results.snapshot import Stored, results_data
from chiso.web.submissions.models import Answer, Submission
from chiso.web.submissions.services import submit

SCORED = "Mức trung bình"  # Sở Tư pháp's tier once it submitted
STALE = "Kết quả đang được tính lại sau thay đổi lúc"
COMPUTING = "Kết quả dự thảo đang được tính"


@pytest.fixture
def in_worker(settings: Any) -> None:
    """The draft's job waits in the queue until the worker (:func:`run_jobs`) runs it."""
    settings.CHISO_DRAFT_TASKS = "default"


def _page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200, url
    return html.unescape(response.content.decode())


def _unit_a_submits(cast: Cast) -> None:
    """A change of the results' data, through the service that records it."""
    submission = Submission.objects.create(participation=cast.part_a)
    Answer.objects.create(submission=submission, code="I", value="10")
    submit(submission, by=cast.head_a)


def _queued_drafts() -> int:
    return Job.objects.filter(kind=Kind.DRAFT, state=State.QUEUED).count()


def test_the_draft_page_waits_for_the_first_draft_and_shows_it_once_computed(
    cast: Cast, in_worker: None
) -> None:
    admin = cast.client(cast.admin)
    page = f"/results/{cast.cycle.pk}/"
    status = f"/results/{cast.cycle.pk}/draft-status/"
    waiting = _page(admin, page)
    assert COMPUTING in waiting and f'hx-get="{status}"' in waiting
    assert "Sở Tư pháp" not in waiting  # no table
    polled = admin.get(status, HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled and COMPUTING in html.unescape(polled.content.decode())
    assert run_jobs() == 1
    assert admin.get(status, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    shown = _page(admin, page)
    assert "Sở Tư pháp" in shown and COMPUTING not in shown and STALE not in shown


def test_after_a_change_the_last_draft_is_shown_with_a_note_until_its_job_computed_the_new(
    cast: Cast, in_worker: None
) -> None:
    admin, viewer = cast.client(cast.admin), cast.client(cast.viewer)
    page = f"/results/{cast.cycle.pk}/"
    status = f"/results/{cast.cycle.pk}/draft-status/"
    unit_page = f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/"
    _page(admin, page)
    run_jobs()
    before = _page(admin, page)
    assert SCORED not in before and STALE not in before
    _unit_a_submits(cast)
    # the assessor and a viewer ask for the page, its state, the unit's scorecard: the draft
    # computed before the change, marked, and one job computing the new one
    stale = _page(admin, page)
    assert STALE in stale and "bảng dưới đây là kết quả tính lúc" in stale
    assert SCORED not in stale and f'hx-get="{status}"' in stale
    assert STALE in _page(viewer, page)
    assert STALE in _page(admin, unit_page)
    assert STALE in html.unescape(admin.get(status, HTTP_HX_REQUEST="true").content.decode())
    assert _queued_drafts() == 1
    assert run_jobs() == 1
    # the job computed the draft of now: the pages poll, load again and show it
    assert admin.get(status, HTTP_HX_REQUEST="true")["HX-Refresh"] == "true"
    fresh = _page(admin, page)
    assert STALE not in fresh and SCORED in fresh
    assert _queued_drafts() == 0 and run_jobs() == 0  # nothing more to compute


def test_publishing_freezes_the_results_of_now_not_the_draft_shown(
    cast: Cast, in_worker: None
) -> None:
    admin = cast.client(cast.admin)
    page = f"/results/{cast.cycle.pk}/"
    _page(admin, page)
    run_jobs()
    _unit_a_submits(cast)
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    assert STALE in _page(admin, page)  # the draft shown is from before the submission
    seen = admin.get(f"/results/{cast.cycle.pk}/publish/").context["seen"]
    assert admin.post(f"/results/{cast.cycle.pk}/publish/", {"seen": seen}).status_code == 302
    run_jobs()
    revision = ResultRevision.objects.get(cycle=cast.cycle)
    units = {
        unit["unit"]: unit
        for block in results_data(Stored(revision))["blocks"]
        for unit in block["units"]
    }
    assert units["Sở Tư pháp"]["status"] != "no_data"
    assert units["Sở Y tế"]["status"] == "no_data"
