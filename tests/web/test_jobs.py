"""Background jobs: the publication run by the worker (the database's queue, run here by
``run_jobs``), its progress on the job's page, failures, retries, a worker that stopped, and
a publication confirmed twice that publishes once."""

from __future__ import annotations

import datetime
import logging
from typing import Any

import pytest
from django.tasks import task
from django.test import Client
from django.utils import timezone
from tests.web.conftest import Cast, run_jobs

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.cycles.services import change_state
from chiso.web.jobs import services as jobs
from chiso.web.jobs.models import Job, Kind, State
from chiso.web.jobs.services import Outcome, Run
from chiso.web.results.models import ResultRevision
from chiso.web.submissions.models import Answer, Submission, SubmissionState
from chiso.web.submissions.services import submit

# --- tasks of the tests: module-level, as a worker finds a task by its path -----------------

SEEN: list[tuple[str, int, str]] = []


def _halfway(work: Run) -> Outcome:
    work.progress(40, "Đang đếm")
    job = Job.objects.get(pk=work.job.pk)  # what the job's page reads meanwhile
    SEEN.append((job.state, job.percent, job.message))
    return Outcome("/results/", "Xong")


def _broken(work: Run) -> Outcome:
    if work.job.attempt == 1:
        raise ValueError("Tệp kết quả bị hỏng")
    return Outcome("/results/", "Xong ở lần thứ hai")


@task
def halfway(job: int, attempt: int) -> None:
    jobs.run(job, attempt, _halfway)


@task
def broken(job: int, attempt: int) -> None:
    jobs.run(job, attempt, _broken)


def start(cast: Cast, job_task: Any, *, by: Any = None) -> Job:
    return jobs.start(Kind.DOCUMENT, job_task, by=by or cast.admin, cycle_pk=cast.cycle.pk)


def status(client: Client, job: Job) -> str:
    """The job's status as htmx polls it."""
    response = client.get(f"/jobs/{job.pk}/", headers={"HX-Request": "true"})
    assert response.status_code == 200
    return response.content.decode()


def publish_seen(client: Client, cycle: Cycle) -> str:
    return client.get(f"/results/{cycle.pk}/publish/").context["seen"]


# --- progress, result, failure --------------------------------------------------------------


def test_a_job_reports_its_progress_while_it_runs_and_its_result_when_done(cast: Cast) -> None:
    SEEN.clear()
    job = start(cast, halfway)
    client = cast.client(cast.admin)
    waiting = status(client, job)
    assert "Đang chờ tiến trình nền" in waiting and 'hx-trigger="every 1s"' in waiting
    assert job.task_id and job.state == State.QUEUED

    assert run_jobs() == 1

    assert SEEN == [(State.RUNNING, 40, "Đang đếm")]
    job.refresh_from_db()
    assert (job.state, job.percent, job.result_url) == (State.DONE, 100, "/results/")
    done = status(client, job)
    assert 'href="/results/">Xong</a>' in done and "hx-trigger" not in done  # polling stops


def test_a_task_that_raises_is_failed_with_its_message_logged_and_retried(
    cast: Cast, caplog: pytest.LogCaptureFixture
) -> None:
    job = start(cast, broken)
    with caplog.at_level(logging.ERROR, logger="chiso.web.jobs.services"):
        run_jobs()
    job.refresh_from_db()
    assert job.state == State.FAILED and job.error == "Tệp kết quả bị hỏng"
    assert "Traceback" in caplog.text  # the log has it, the page does not
    client = cast.client(cast.admin)
    page = client.get(f"/jobs/{job.pk}/").content.decode()
    assert "Tệp kết quả bị hỏng" in page and "Traceback" not in page
    assert f'action="/jobs/{job.pk}/retry/"' in page

    again = client.post(f"/jobs/{job.pk}/retry/")

    assert again["Location"] == f"/jobs/{job.pk}/"
    job.refresh_from_db()
    assert (job.state, job.attempt, job.error) == (State.QUEUED, 2, "")
    run_jobs()
    job.refresh_from_db()
    assert job.state == State.DONE and job.result_label == "Xong ở lần thứ hai"


def test_only_a_failed_job_is_retried(cast: Cast) -> None:
    job = start(cast, halfway)
    response = cast.client(cast.admin).post(f"/jobs/{job.pk}/retry/", follow=True)
    assert "Chỉ chạy lại được công việc đã thất bại" in response.content.decode()
    job.refresh_from_db()
    assert job.attempt == 1


def test_a_job_is_seen_by_whoever_started_it_and_the_assessor(cast: Cast) -> None:
    job = start(cast, halfway, by=cast.viewer)
    assert cast.client(cast.viewer).get(f"/jobs/{job.pk}/").status_code == 200
    assert cast.client(cast.admin).get(f"/jobs/{job.pk}/").status_code == 200
    for other in (cast.reviewer, cast.editor_a, cast.head_b):
        assert cast.client(other).get(f"/jobs/{job.pk}/").status_code == 404
        assert cast.client(other).post(f"/jobs/{job.pk}/retry/").status_code == 404


# --- a worker that stopped ------------------------------------------------------------------


def test_a_job_whose_worker_stopped_is_failed_after_the_limit_and_can_be_retried(
    cast: Cast, settings: Any
) -> None:
    job = start(cast, halfway)
    # a worker took it, reported, and was killed
    limit = datetime.timedelta(minutes=settings.CHISO_JOB_STALE_MINUTES)
    Job.objects.filter(pk=job.pk).update(
        state=State.RUNNING, percent=25, heartbeat=timezone.now() - limit + datetime.timedelta(1)
    )
    client = cast.client(cast.admin)
    assert "Đang chạy" in status(client, job)  # within the limit: still running
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - limit)

    page = status(client, job)

    assert "Tiến trình nền đã dừng" in page and "hx-trigger" not in page
    job.refresh_from_db()
    assert job.state == State.FAILED  # stored, not only shown
    old = Run(job)
    client.post(f"/jobs/{job.pk}/retry/")
    old.progress(90, "muộn")  # the stopped worker's late report changes nothing
    job.refresh_from_db()
    assert (job.state, job.attempt, job.percent) == (State.QUEUED, 2, 0)
    run_jobs()  # the old attempt's task, then the new one's: only the new one runs
    job.refresh_from_db()
    assert job.state == State.DONE


def test_a_job_waiting_behind_a_long_queue_stays_queued_and_says_so(
    cast: Cast, settings: Any
) -> None:
    # one job runs (its worker reported a minute ago), one waits before ours, ours waits
    long_ago = timezone.now() - datetime.timedelta(minutes=settings.CHISO_JOB_STALE_MINUTES * 4)
    running, before, job = start(cast, halfway), start(cast, halfway), start(cast, halfway)
    Job.objects.filter(pk__in=[before.pk, job.pk]).update(created_at=long_ago, heartbeat=long_ago)
    Job.objects.filter(pk=running.pk).update(
        state=State.RUNNING, heartbeat=timezone.now() - datetime.timedelta(minutes=1)
    )

    page = status(cast.client(cast.admin), job)

    assert "Đang chờ tiến trình nền" in page and 'hx-trigger="every 1s"' in page
    assert "có 2 công việc trước nó" in page and "Tiến trình nền đã dừng" not in page
    job.refresh_from_db()
    assert job.state == State.QUEUED  # stored as waiting, not failed
    # once a worker takes it, the limit counts from its start: it runs and ends
    assert run_jobs() == 3
    job.refresh_from_db()
    assert job.state == State.DONE


def test_the_limit_counts_from_the_worker_s_start_not_from_the_queueing(
    cast: Cast, settings: Any
) -> None:
    limit = datetime.timedelta(minutes=settings.CHISO_JOB_STALE_MINUTES)
    job = start(cast, halfway)
    # queued an hour ago, taken by a worker a minute ago
    Job.objects.filter(pk=job.pk).update(
        created_at=timezone.now() - 4 * limit,
        state=State.RUNNING,
        heartbeat=timezone.now() - datetime.timedelta(minutes=1),
    )
    assert "Đang chạy" in status(cast.client(cast.admin), job)
    Job.objects.filter(pk=job.pk).update(heartbeat=timezone.now() - limit)
    assert "Tiến trình nền đã dừng" in status(cast.client(cast.admin), job)


# --- the publication through the worker -----------------------------------------------------


def test_publication_runs_in_the_worker_and_its_job_links_the_results(cast: Cast) -> None:
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    response = client.post(
        f"/results/{cast.cycle.pk}/publish/", {"seen": publish_seen(client, cast.cycle)}
    )
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.cycle_pk, job.started_by) == (Kind.PUBLISH, cast.cycle.pk, cast.admin)
    assert not ResultRevision.objects.exists()  # nothing published in the request

    run_jobs()

    cast.cycle.refresh_from_db()
    assert cast.cycle.state == CycleState.PUBLISHED
    revision = ResultRevision.objects.get()
    assert revision.job == job and revision.published_by == cast.admin
    assert revision.documents.count() == 3
    page = status(client, job)
    assert f'href="/results/{cast.cycle.pk}/">Đã công bố kết quả (lần 1).</a>' in page
    assert AuditEntry.objects.filter(action=Action.PUBLISHED, new="1").count() == 1


def test_publication_confirmed_twice_publishes_once(cast: Cast) -> None:
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    first_tab, second_tab = cast.client(cast.admin), cast.client(cast.admin)
    seen = publish_seen(first_tab, cast.cycle)
    url = f"/results/{cast.cycle.pk}/publish/"
    first = first_tab.post(url, {"seen": seen})
    second = second_tab.post(url, {"seen": seen})
    assert first["Location"] == second["Location"]  # one job per cycle at a time
    run_jobs()
    # a third confirmation, from a page shown before the publication
    third = first_tab.post(url, {"seen": seen})
    assert third["Location"] != first["Location"]
    run_jobs()

    assert ResultRevision.objects.count() == 1
    assert AuditEntry.objects.filter(action=Action.PUBLISHED).count() == 1
    assert "Đã công bố kết quả (lần 1)." in status(first_tab, Job.objects.order_by("pk").last())


def test_a_publication_job_run_again_after_it_stored_finds_its_revision(cast: Cast) -> None:
    """The worker stored the publication, then died before it said so: the job shown failed
    and tried again reports the revision, and publishes nothing more."""
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    client.post(f"/results/{cast.cycle.pk}/publish/", {"seen": publish_seen(client, cast.cycle)})
    run_jobs()
    job = Job.objects.get()
    Job.objects.filter(pk=job.pk).update(state=State.FAILED, error="Tiến trình nền đã dừng")

    client.post(f"/jobs/{job.pk}/retry/")
    run_jobs()

    job.refresh_from_db()
    assert job.state == State.DONE and job.result_label == "Đã công bố kết quả (lần 1)."
    assert ResultRevision.objects.count() == 1


def test_a_correction_job_run_again_finds_its_revision(cast: Cast) -> None:
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    client.post(f"/results/{cast.cycle.pk}/publish/", {"seen": publish_seen(client, cast.cycle)})
    run_jobs()
    url = f"/results/{cast.cycle.pk}/correct/"
    seen = client.get(url).context["seen"]
    client.post(url, {"seen": seen, "reason": "Sai điểm"})
    run_jobs()
    job = Job.objects.get(kind=Kind.CORRECT)
    assert job.state == State.DONE and job.result_label == "Đã công bố đính chính (lần 2)."
    Job.objects.filter(pk=job.pk).update(state=State.FAILED)

    client.post(f"/jobs/{job.pk}/retry/")
    run_jobs()

    job.refresh_from_db()
    assert job.state == State.DONE and job.result_label == "Đã công bố đính chính (lần 2)."
    assert ResultRevision.objects.count() == 2


def test_results_that_change_before_the_worker_runs_fail_the_job_and_publish_nothing(
    cast: Cast,
) -> None:
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    client.post(f"/results/{cast.cycle.pk}/publish/", {"seen": publish_seen(client, cast.cycle)})
    # meanwhile a unit's submitted answers enter the results
    submission = Submission.objects.create(
        participation=cast.part_a, state=SubmissionState.SUBMITTED
    )
    Answer.objects.create(submission=submission, code="I", value="10")

    run_jobs()

    job = Job.objects.get()
    assert job.state == State.FAILED and "đã thay đổi" in job.error
    cast.cycle.refresh_from_db()
    assert cast.cycle.state == CycleState.UNDER_REVIEW and not ResultRevision.objects.exists()


# --- draft documents ------------------------------------------------------------------------


def test_a_draft_document_is_written_once_by_a_job_and_again_when_the_results_change(
    cast: Cast,
) -> None:
    client = cast.client(cast.viewer)
    url = f"/results/{cast.cycle.pk}/ket-qua.xlsx"
    assert "Tạo tài liệu dự thảo" in client.get(url).content.decode()  # nothing written yet
    job_page = client.post(f"{url}/prepare/")
    again = client.post(f"{url}/prepare/")
    assert job_page["Location"] == again["Location"]  # one job per format at a time
    assert run_jobs() == 1
    job = Job.objects.get()
    assert (job.kind, job.started_by, job.result_url) == (
        Kind.DOCUMENT,
        cast.viewer,
        url + "?draft",
    )
    first = client.get(url + "?draft")
    assert first["Content-Type"].endswith("spreadsheetml.sheet")
    assert client.get(url).getvalue() == first.getvalue()  # served again, not written again
    # a unit submits: the results change, and so does the document
    submission = Submission.objects.create(participation=cast.part_a)
    Answer.objects.create(submission=submission, code="I", value="10")
    submit(submission, by=cast.head_a)
    assert "Tạo tài liệu dự thảo" in client.get(url).content.decode()
    client.post(f"{url}/prepare/")
    run_jobs()
    assert client.get(url).getvalue() != first.getvalue()
    assert cast.cycle.draft_documents.count() == 1  # the earlier file is removed


# --- the export of a large cycle ------------------------------------------------------------


def test_a_large_cycle_s_export_is_written_by_a_job_and_kept_with_it(
    cast: Cast, settings: Any
) -> None:
    submission = Submission.objects.create(
        participation=cast.part_a, state=SubmissionState.SUBMITTED
    )
    Answer.objects.create(submission=submission, code="I", value="10")
    client = cast.client(cast.viewer)
    url = f"/cycles/{cast.cycle.pk}/export.csv"
    in_request = client.get(url).content
    settings.CHISO_EXPORT_IN_REQUEST_ANSWERS = 0  # every cycle is large

    assert "Tạo tệp xuất" in client.get(url).content.decode()
    job_page = client.post(f"/cycles/{cast.cycle.pk}/export.csv/prepare/")
    assert run_jobs() == 1

    job = Job.objects.get()
    assert job_page["Location"] == f"/jobs/{job.pk}/"
    assert (job.kind, job.state, job.result_url) == (
        Kind.EXPORT,
        State.DONE,
        f"/jobs/{job.pk}/file/",
    )
    assert f'href="/jobs/{job.pk}/file/">Tải các câu trả lời' in status(client, job)
    download = client.get(f"/jobs/{job.pk}/file/")
    assert b"".join(download.streaming_content) == in_request
    assert cast.client(cast.admin).get(f"/jobs/{job.pk}/file/").status_code == 200
    assert cast.client(cast.reviewer).get(f"/jobs/{job.pk}/file/").status_code == 404
