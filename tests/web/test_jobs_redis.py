"""The background tasks on Redis (CHISO_TASKS=redis): chiso's own thin django.tasks backend
over RQ, against the local Redis (its database 15, a queue of this run's own name), with an RQ
worker run here. Skipped, saying so, when no Redis answers."""

from __future__ import annotations

import contextlib
import uuid
from collections.abc import Iterator
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.tasks import TaskResultStatus, task, task_backends
from django.tasks.exceptions import TaskResultDoesNotExist
from rq import SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import Job as RQJob
from tests.web.conftest import Cast

from chiso.web.cycles.models import CycleState
from chiso.web.cycles.services import change_state
from chiso.web.jobs import redis_queue
from chiso.web.jobs.models import Job, State
from chiso.web.jobs.redis_queue import RQBackend
from chiso.web.results.models import ResultRevision

REDIS_URL = "redis://127.0.0.1:6379/15"


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def fail() -> None:
    raise ValueError("hỏng")


class RecordingBackend(RQBackend):
    """Chiso's backend, keeping the ids of the tasks it enqueued (to remove them after)."""

    enqueued: list[str]

    def enqueue(self, task: Any, args: Any, kwargs: Any) -> Any:
        result = super().enqueue(task, args, kwargs)
        self.__dict__.setdefault("enqueued", []).append(result.id)
        return result


@pytest.fixture
def redis_backend(monkeypatch: pytest.MonkeyPatch) -> Iterator[RecordingBackend]:
    """The default task backend replaced by the RQ backend, on a queue of its own."""
    prefix = f"chiso-test-{uuid.uuid4().hex[:8]}-"
    backend = RecordingBackend(
        alias="default",
        params={"OPTIONS": {"URL": REDIS_URL, "PREFIX": prefix}},
    )
    try:
        backend.connection.ping()
    except Exception as error:  # any failure to reach it means the same
        pytest.skip(f"no Redis at {REDIS_URL} ({error}): the Redis backend is not tested")
    assert task_backends["default"]  # made first, so that it is put back afterwards
    monkeypatch.setattr(task_backends._connections, "default", backend)
    yield backend
    for job_id in backend.__dict__.get(
        "enqueued", []
    ):  # the jobs of this run, their results, and its queue
        with contextlib.suppress(NoSuchJobError):
            RQJob.fetch(job_id, connection=backend.connection).delete()
    backend.queue("default").delete(delete_jobs=True)


class QuietWorker(SimpleWorker):
    """RQ's worker in the test process, without taking over its signals."""

    def _install_signal_handlers(self) -> None:
        pass


def work(backend: RQBackend) -> None:
    QuietWorker([backend.queue("default")], connection=backend.connection).work(burst=True)


def test_a_task_is_enqueued_run_by_rq_and_its_result_read_back(redis_backend: RQBackend) -> None:
    result = add.enqueue(2, 3)
    assert result.status == TaskResultStatus.READY
    assert redis_backend.get_result(result.id).status == TaskResultStatus.READY

    work(redis_backend)

    done = add.get_result(result.id)  # Django's own lookup, through the backend
    assert done.status == TaskResultStatus.SUCCESSFUL and done.return_value == 5
    assert done.args == [2, 3] and done.finished_at is not None


def test_a_failed_task_and_an_unknown_result_are_django_s_own(redis_backend: RQBackend) -> None:
    result = fail.enqueue()
    work(redis_backend)
    failed = redis_backend.get_result(result.id)
    assert failed.status == TaskResultStatus.FAILED
    assert failed.errors[0].exception_class is ValueError
    with pytest.raises(TaskResultDoesNotExist):
        redis_backend.get_result("no-such-task")


def test_publication_through_the_redis_worker(cast: Cast, redis_backend: Any) -> None:
    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    seen = client.get(f"/results/{cast.cycle.pk}/publish/").context["seen"]
    response = client.post(f"/results/{cast.cycle.pk}/publish/", {"seen": seen})
    job = Job.objects.get()
    assert response["Location"] == f"/jobs/{job.pk}/"

    work(redis_backend)

    job.refresh_from_db()
    assert job.state == State.DONE and ResultRevision.objects.get().job == job


def test_the_worker_command_runs_the_waiting_tasks(
    redis_backend: RQBackend, monkeypatch: pytest.MonkeyPatch
) -> None:
    # in the test process: its database connection and its signals stay as they are
    monkeypatch.setattr(redis_queue, "close_old_connections", lambda: None)
    monkeypatch.setattr(redis_queue.Worker, "_install_signal_handlers", lambda self: None)
    result = add.enqueue(1, 2)
    call_command("rq_worker", burst=True)
    assert redis_backend.get_result(result.id).return_value == 3


def test_the_worker_command_needs_the_redis_backend(db: None) -> None:
    with pytest.raises(CommandError, match="CHISO_TASKS=redis"):
        call_command("rq_worker", burst=True)
