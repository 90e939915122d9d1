"""Start a job, run it in a worker, retry it, and tell a job whose worker stopped.

A view starts a job (:func:`start`): one row that people follow on its page, and the task
that does the work, enqueued on ``django.tasks``' default backend. The task calls :func:`run`,
which marks the job running, lets the work report its progress (each report is also the
worker's sign of life) and records how it ended: the link to its result, or its error for
people (the traceback goes to the log). A job whose worker has not reported for
``CHISO_JOB_STALE_MINUTES`` while running is failed when it is next looked at (:func:`check`;
a job waiting in the queue is never failed for its wait), and may be
tried again: the same row, its task enqueued again under the next attempt number, so that a
late report of the worker that stopped changes nothing.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import PurePath
from typing import Any

from django.conf import settings
from django.core.files import File
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.tasks import TaskResultStatus, default_task_backend
from django.tasks.exceptions import TaskResultDoesNotExist
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from chiso.web.jobs.models import ACTIVE, Job, Kind, State

__all__ = ["JobError", "Outcome", "Run", "check", "retry", "run", "start", "waiting_before"]

logger = logging.getLogger(__name__)


class JobError(Exception):
    """A job that cannot be started or retried; the message is for people."""


@dataclass(frozen=True)
class Outcome:
    """How a job ended well: the page of its result and a sentence that names it."""

    url: str
    label: str


@dataclass(frozen=True)
class Run:
    """A job as its worker runs it: it reports progress under its attempt number."""

    job: Job

    def progress(self, percent: int, message: str) -> None:
        """How far the work got (0–100) and what it does now; also the worker's sign of life."""
        Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt, state=State.RUNNING).update(
            percent=max(0, min(100, percent)), message=message[:300], heartbeat=timezone.now()
        )

    def keep_report(self, report: dict[str, Any]) -> None:
        """Store what the job found (plain values), for the page of its result."""
        self.job.report = report
        Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt).update(report=report)

    def keep_file(self, name: str, content: bytes) -> None:
        """Store the file the job made; its link is the job's result (``jobs:file``)."""
        self.job.file.save(name, ContentFile(content), save=False)
        Job.objects.filter(pk=self.job.pk, attempt=self.job.attempt).update(file=self.job.file.name)


def start(
    kind: Kind,
    task: Any,
    *,
    by: Any,
    cycle_pk: int | None = None,
    key: str = "",
    params: dict[str, Any] | None = None,
    file: File[bytes] | None = None,
) -> Job:
    """A new job running ``task`` (a ``django.tasks`` task taking the job's number and
    attempt, enqueued on its backend; a retry uses the default one), or the job of the same
    ``key`` that is still running: one at a time. ``file``: an upload the task reads (kept
    with the job)."""
    if key and (running := _active(key)) is not None:
        return running
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                cycle_pk=cycle_pk,
                started_by=by if by.is_authenticated else None,
                task=task.module_path,
                params=params or {},
                key=key,
                language=translation.get_language() or settings.LANGUAGE_CODE,
                state=State.QUEUED,
            )
            if file is not None:
                job.file.save(PurePath(file.name or "upload").name, file, save=True)
    except IntegrityError:  # another request started it a moment ago
        if (running := _active(key)) is not None:
            return running
        raise
    return _enqueue(job, task)


def _active(key: str) -> Job | None:
    for job in Job.objects.active().filter(key=key):
        if check(job).is_active:
            return job
    return None


def _enqueue(job: Job, task: Any = None) -> Job:
    """Put the job's task (by default, the one its path names) on the queue; a queue that
    cannot be reached fails the job."""
    try:
        result = (task or import_string(job.task)).enqueue(job.pk, job.attempt)
    except Exception:
        logger.exception("Job %s: its task could not be queued", job.pk)
        _end(job, State.FAILED, error=_("The queue of background work cannot be reached."))
    else:
        job.task_id = str(result.id)
        Job.objects.filter(pk=job.pk, attempt=job.attempt).update(task_id=job.task_id)
    job.refresh_from_db()
    return job


def run(
    job_pk: int,
    attempt: int,
    work: Callable[[Run], Outcome],
    *,
    shown: tuple[type[Exception], ...] = (),
) -> None:
    """Run a job's work in the worker. Errors of the ``shown`` kinds are for people: their
    message is the job's error; any other is logged with its traceback, its message stored,
    and raised again (the task backend records the task failed too)."""
    job = Job.objects.select_related("started_by").filter(pk=job_pk).first()
    if job is None or job.attempt != attempt or job.state not in ACTIVE:
        logger.warning("Job %s attempt %s: superseded or ended, not run", job_pk, attempt)
        return
    with translation.override(job.language):
        Job.objects.filter(pk=job.pk, attempt=attempt).update(
            state=State.RUNNING, heartbeat=timezone.now()
        )
        job.state = State.RUNNING
        try:
            outcome = work(Run(job))
        except shown as error:
            # the input's fault (a file's row): trying the same input again fails again, so
            # the job's link leads to where a corrected one is given, when it has such a place
            _end(job, State.FAILED, error=str(error), url=job.params.get("upload_again", ""))
        except Exception as error:
            logger.exception("Job %s (%s) failed", job.pk, job.kind)
            _end(job, State.FAILED, error=str(error) or type(error).__name__)
            raise
        else:
            _end(job, State.DONE, url=outcome.url, label=outcome.label)


def _end(job: Job, state: State, *, error: str = "", url: str = "", label: str = "") -> None:
    now = timezone.now()
    changes: dict[str, Any] = {"state": state, "finished_at": now, "heartbeat": now}
    if state == State.DONE:
        changes |= {"percent": 100, "result_url": url, "result_label": label[:300]}
    else:
        changes |= {"error": error, "result_url": url}
    Job.objects.filter(pk=job.pk, attempt=job.attempt, state__in=ACTIVE).update(**changes)


def stale_after() -> datetime.timedelta:
    return datetime.timedelta(minutes=settings.CHISO_JOB_STALE_MINUTES)


def check(job: Job) -> Job:
    """The job as it stands: a running one whose worker has not reported within the limit,
    or one whose task the backend says failed, is failed now (and stored so). A job still
    waiting for a worker stays waiting however long the queue before it takes: the limit
    counts from the worker's last sign of life (its start, then each report)."""
    if job.state not in ACTIVE:
        return job
    silent = job.state == State.RUNNING and job.heartbeat < timezone.now() - stale_after()
    if silent or _task_failed(job):
        with translation.override(job.language):
            error = _("The worker stopped: the job did not finish. Try it again.")
            _end(job, State.FAILED, error=str(error))
        job.refresh_from_db()
    return job


def waiting_before(job: Job) -> int:
    """How many jobs a worker takes before this waiting one: those running, and those queued
    before it (the queue is first in, first out)."""
    earlier = Job.objects.filter(state=State.QUEUED, pk__lt=job.pk)
    return Job.objects.filter(state=State.RUNNING).count() + earlier.count()


def _task_failed(job: Job) -> bool:
    """Whether the task backend says the job's task failed without the job saying so (a task
    that could not even start)."""
    if not job.task_id:
        return False
    try:
        result = default_task_backend.get_result(job.task_id)
    except (TaskResultDoesNotExist, NotImplementedError):
        return False
    except Exception:  # the queue cannot be read now: the heartbeat decides
        logger.warning("Job %s: its task result cannot be read", job.pk, exc_info=True)
        return False
    if result.status != TaskResultStatus.FAILED:
        return False
    job.refresh_from_db()
    return job.state in ACTIVE


def retry(job: Job, *, by: Any) -> Job:
    """Enqueue a failed job's task again, as its next attempt; while another job of its key
    runs, that one."""
    job = check(job)
    if job.state != State.FAILED:
        raise JobError(_("Only a failed job is tried again."))
    if job.key and (running := _active(job.key)) is not None:
        return running
    try:
        with transaction.atomic():
            updated = Job.objects.filter(pk=job.pk, attempt=job.attempt, state=State.FAILED).update(
                attempt=job.attempt + 1,
                state=State.QUEUED,
                percent=0,
                message="",
                error="",
                result_url="",
                result_label="",
                task_id="",
                finished_at=None,
                heartbeat=timezone.now(),
            )
    except IntegrityError:
        running = _active(job.key)
        if running is None:
            raise
        return running
    job.refresh_from_db()
    if not updated:  # retried by another request a moment ago
        return job
    logger.info("Job %s retried by %s (attempt %s)", job.pk, by, job.attempt)
    return _enqueue(job)
