"""The thinnest ``django.tasks`` backend over RQ (Redis Queue), for workers on several
machines (``CHISO_TASKS=redis``; docs/operation.md).

RQ is the engine: a task is enqueued as an RQ job that calls the task by its path, and its
result is read back from RQ's job. (django-tasks-rq, which does the same, is built on the
django-tasks backport's classes, not Django's: its tasks and results are not
``django.tasks``' own, and it brings django-rq and rq-scheduler; docs/architecture.md.)
Workers: ``manage.py rq_worker``. No deferred runs, priorities or async tasks: chiso's tasks
use none.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from django.db import close_old_connections
from django.tasks import TaskContext, TaskResult, TaskResultStatus
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskError
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued
from django.utils.module_loading import import_string
from redis import Redis
from rq import Queue, SimpleWorker
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus, get_current_job

__all__ = ["RQBackend", "Worker", "execute"]

STATUS = {
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


class RQBackend(BaseTaskBackend):
    supports_defer = False
    supports_async_task = False
    supports_get_result = True
    supports_priority = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url = str(self.options.get("URL", "redis://127.0.0.1:6379/0"))
        self.prefix = str(self.options.get("PREFIX", ""))
        # a result is kept a week; a task runs at most an hour (RQ's own default is 3 minutes)
        self.result_ttl = int(self.options.get("RESULT_TTL", 7 * 24 * 3600))
        self.timeout = int(self.options.get("TIMEOUT", 3600))

    @cached_property
    def connection(self) -> Redis:
        return Redis.from_url(self.url)

    def queue(self, name: str) -> Queue:
        return Queue(self.prefix + name, connection=self.connection)

    def enqueue(self, task: Task[Any, Any], args: Any, kwargs: Any) -> TaskResult[Any, Any]:
        self.validate_task(task)
        job = self.queue(task.queue_name).enqueue_call(
            execute,
            args=(task.module_path, list(args), dict(kwargs)),
            timeout=self.timeout,
            result_ttl=self.result_ttl,
            failure_ttl=self.result_ttl,
        )
        result = self._result(job, task)
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult[Any, Any]:
        try:
            job = Job.fetch(result_id, connection=self.connection)
        except NoSuchJobError:
            raise TaskResultDoesNotExist(result_id) from None
        return self._result(job, import_string(job.args[0]))

    def _result(self, job: Job, task: Task[Any, Any]) -> TaskResult[Any, Any]:
        _path, args, kwargs = job.args
        status = STATUS.get(job.get_status(refresh=False), TaskResultStatus.READY)
        errors = []
        if status == TaskResultStatus.FAILED:
            exception = job.meta.get("exception", "builtins.Exception")
            latest = job.latest_result()
            trace = (latest.exc_string if latest else "") or ""
            errors.append(TaskError(exception_class_path=exception, traceback=trace))
        result: TaskResult[Any, Any] = TaskResult(
            task=task,
            id=job.id,
            status=status,
            enqueued_at=job.enqueued_at,
            started_at=job.started_at,
            finished_at=job.ended_at,
            last_attempted_at=job.started_at,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return result


def execute(task_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What an RQ worker runs: the ``django.tasks`` task named by its path."""
    task = import_string(task_path)
    try:
        if task.takes_context:
            job = get_current_job()
            assert job is not None
            context: TaskContext[Any, Any] = TaskContext(
                task_result=task.get_backend().get_result(job.id)
            )
            return task.call(context, *args, **kwargs)
        return task.call(*args, **kwargs)
    except Exception as error:
        job = get_current_job()
        if job is not None:  # the exception's class, for the task result's errors
            job.meta["exception"] = f"{type(error).__module__}.{type(error).__qualname__}"
            job.save_meta()  # type: ignore[no-untyped-call]
        raise


class Worker(SimpleWorker):
    """RQ's worker that runs each task in its own process (no fork: a forked child would share
    the parent's database connections), with Django's fresh connections around each task, as
    a request has."""

    def execute_job(self, job: Job, queue: Queue) -> Any:
        close_old_connections()
        try:
            return super().execute_job(job, queue)
        finally:
            close_old_connections()
