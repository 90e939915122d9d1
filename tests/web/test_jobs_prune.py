"""Old jobs are removed: a draft job keeps its cycle's newest few draft rows, and
``manage.py prune_jobs`` removes the jobs of every kind that ended long ago, with their files,
but never a job waiting or running, nor what a page still reads."""

from __future__ import annotations

import datetime
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.core.management import call_command
from django.core.management.base import CommandError
from django.utils import timezone
from tests.web.conftest import Cast, run_jobs

from chiso.web.audit.models import AuditEntry
from chiso.web.cycles.models import CycleState
from chiso.web.cycles.services import change_state
from chiso.web.jobs.models import Job, Kind, State
from chiso.web.jobs.prune import KEEP_DRAFTS, keep_newest_drafts
from chiso.web.results import drafts
from chiso.web.results.models import ResultRevision

NOW = timezone.now()
LONG_AGO = NOW - datetime.timedelta(days=40)
LATELY = NOW - datetime.timedelta(days=3)


def job(
    cast: Cast,
    kind: Kind = Kind.EXPORT,
    state: State = State.DONE,
    *,
    ended: datetime.datetime | None = LONG_AGO,
    file: bytes | None = None,
    **fields: Any,
) -> Job:
    made = Job.objects.create(
        kind=kind,
        started_by=cast.admin,
        task="chiso.web.console.tasks.export_answers",
        state=state,
        created_at=(ended or NOW) - datetime.timedelta(minutes=5),
        finished_at=ended if state in (State.DONE, State.FAILED) else None,
        **{"cycle_pk": cast.cycle.pk, **fields},
    )
    if file is not None:
        made.file.save("answers.csv", ContentFile(file), save=True)
    return made


def prune_jobs(*args: str) -> str:
    out = StringIO()
    call_command("prune_jobs", *args, stdout=out)
    return out.getvalue()


def left() -> set[int]:
    return set(Job.objects.values_list("pk", flat=True))


def test_jobs_that_ended_long_ago_go_with_their_files_and_the_others_stay(cast: Cast) -> None:
    old_export = job(cast, file=b"code,value\n")
    old_failed = job(cast, Kind.IMPORT, State.FAILED, error="Tệp hỏng", file=b"x")
    old_document = job(cast, Kind.DOCUMENT)
    recent = job(cast, ended=LATELY, file=b"recent")
    # queued and running long ago (a worker that stopped): never removed by the command
    queued = job(cast, state=State.QUEUED, ended=LONG_AGO, key="a")
    running = job(cast, Kind.PUBLISH, State.RUNNING, ended=LONG_AGO, key="b")
    old_names = [old_export.file.name, old_failed.file.name]
    assert all(default_storage.exists(name) for name in old_names)

    out = prune_jobs()

    assert left() == {recent.pk, queued.pk, running.pk}
    assert not any(default_storage.exists(name) for name in old_names)
    # nor their folders on disk, jobs/{id}/: the others' stay
    assert not any(Path(default_storage.path(name)).parent.exists() for name in old_names)
    assert default_storage.exists(recent.file.name)
    assert Path(default_storage.path("jobs")).is_dir()
    assert "3 công việc và 2 tệp đã được xóa" in out
    assert "Xuất các câu trả lời: 1" in out
    assert old_document.pk not in left()


def test_older_than_sets_the_age(cast: Cast) -> None:
    recent = job(cast, ended=LATELY)
    older = job(cast, ended=NOW - datetime.timedelta(days=8))
    prune_jobs("--older-than", "7")
    assert left() == {recent.pk}
    assert older.pk not in left()


def test_a_dry_run_removes_nothing_and_says_what_it_would(cast: Cast) -> None:
    export = job(cast, file=b"code,value\n")
    job(cast, Kind.DOCUMENT)
    before = left()

    out = prune_jobs("--dry-run")

    assert left() == before
    assert default_storage.exists(export.file.name)
    assert "2 công việc và 1 tệp" in out and "chạy thử" in out


def test_a_dry_run_counts_a_check_and_its_import_once_across_batches(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The check goes in the first batch with its import; the import, met again in a later
    batch (a dry run removes nothing), is not counted twice: the dry run says what a run does."""
    monkeypatch.setattr("chiso.web.jobs.prune.BATCH", 1)
    check = job(cast, Kind.PEOPLE_CHECK)
    job(cast, Kind.PEOPLE_IMPORT, params={"check": check.pk})
    assert "2 công việc" in prune_jobs("--dry-run")
    assert "2 công việc" in prune_jobs()
    assert left() == set()


def test_a_job_whose_worker_stopped_is_failed_then_pruned_in_its_time(cast: Cast) -> None:
    """Never reported again, never opened again: failed by the command as its page would,
    and kept as long as any job that ended then."""
    silent = job(cast, Kind.EXPORT, State.RUNNING, ended=None)
    Job.objects.filter(pk=silent.pk).update(heartbeat=LONG_AGO)
    prune_jobs()
    silent.refresh_from_db()
    assert silent.state == State.FAILED and silent.error  # "the worker stopped …"
    assert silent.pk in left()  # it ended just now
    Job.objects.filter(pk=silent.pk).update(finished_at=LONG_AGO)
    prune_jobs()
    assert silent.pk not in left()


def test_older_than_must_be_a_day_or_more(cast: Cast) -> None:
    with pytest.raises(CommandError, match="--older-than"):
        prune_jobs("--older-than", "0")


def test_nothing_goes_to_the_audit_trail(cast: Cast) -> None:
    job(cast)
    entries = AuditEntry.objects.count()
    prune_jobs()
    assert not Job.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_the_newest_draft_job_of_each_cycle_stays_however_old(cast: Cast) -> None:
    older = [job(cast, Kind.DRAFT) for _ in range(3)]
    other_cycle = job(cast, Kind.DRAFT, cycle_pk=cast.cycle.pk + 1)
    newest = job(cast, Kind.DRAFT, State.FAILED, error="Không tính được")
    prune_jobs()
    assert left() == {newest.pk, other_cycle.pk}
    assert not {j.pk for j in older} & left()


def test_a_checked_file_stays_while_its_import_is_kept_and_goes_with_it(cast: Cast) -> None:
    # checked long ago, imported lately: both stay (the preview would offer the import again)
    check_a = job(cast, Kind.PEOPLE_CHECK, file=b"a")
    import_a = job(cast, Kind.PEOPLE_IMPORT, ended=LATELY, params={"check": check_a.pk})
    # both long ago: both go
    check_b = job(cast, Kind.WORKBOOKS_CHECK, file=b"b")
    save_b = job(cast, Kind.WORKBOOKS_SAVE, params={"check": check_b.pk})
    # a check whose save waits: the save reads the check's report
    check_c = job(cast, Kind.WORKBOOKS_CHECK)
    save_c = job(cast, Kind.WORKBOOKS_SAVE, State.QUEUED, params={"check": check_c.pk})
    # an import whose check is gone
    orphan = job(cast, Kind.PEOPLE_IMPORT, params={"check": 999999})

    prune_jobs()

    assert left() == {check_a.pk, import_a.pk, check_c.pk, save_c.pk}
    assert default_storage.exists(check_a.file.name)
    assert not default_storage.exists(check_b.file.name)
    assert save_b.pk not in left() and orphan.pk not in left()


def test_a_publication_job_goes_and_its_revision_and_documents_stay(cast: Cast) -> None:
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    seen = client.get(f"/results/{cast.cycle.pk}/publish/").context["seen"]
    client.post(f"/results/{cast.cycle.pk}/publish/", {"seen": seen})
    run_jobs()
    published = Job.objects.get(kind=Kind.PUBLISH, state=State.DONE)
    Job.objects.filter(kind=Kind.PUBLISH).update(finished_at=LONG_AGO)

    prune_jobs()

    assert not Job.objects.filter(pk=published.pk).exists()
    revision = ResultRevision.objects.get()
    assert revision.job is None
    documents = list(revision.documents.all())
    assert len(documents) == 3
    assert all(default_storage.exists(d.file.name) for d in documents)
    assert client.get(f"/results/{cast.cycle.pk}/ket-qua.xlsx").status_code == 200


def test_a_draft_job_keeps_only_its_cycle_s_newest_draft_rows(cast: Cast) -> None:
    old = [job(cast, Kind.DRAFT, ended=LATELY) for _ in range(8)]
    other_cycle = job(cast, Kind.DRAFT, ended=LATELY, cycle_pk=cast.cycle.pk + 1)
    other_kind = job(cast, Kind.EXPORT, ended=LATELY)

    page = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/?draft")

    assert page.status_code == 200
    drafts_left = Job.objects.filter(kind=Kind.DRAFT, cycle_pk=cast.cycle.pk)
    assert drafts_left.count() == KEEP_DRAFTS
    assert drafts_left.filter(state=State.DONE).count() == KEEP_DRAFTS
    assert {j.pk for j in old[-(KEEP_DRAFTS - 1) :]} < left()
    assert {other_cycle.pk, other_kind.pk} < left()


def test_a_failed_draft_job_s_error_is_still_shown_after_pruning(cast: Cast) -> None:
    for _ in range(8):
        job(cast, Kind.DRAFT, ended=LATELY)
    running = job(cast, Kind.DRAFT, State.RUNNING, ended=None, key="draft-x")
    failed = job(
        cast,
        Kind.DRAFT,
        State.FAILED,
        ended=timezone.now(),  # lately: the page shows its error for a while
        error="Khung đánh giá không đọc được",
        params={"key": drafts.draft_key(cast.cycle)},
    )

    assert keep_newest_drafts(cast.cycle.pk) == 8 - (KEEP_DRAFTS - 2)
    prune_jobs()

    assert {running.pk, failed.pk} < left()
    page = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/?draft")
    assert "Khung đánh giá không đọc được" in page.content.decode()
