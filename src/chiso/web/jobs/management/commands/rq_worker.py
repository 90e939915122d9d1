"""``manage.py rq_worker``: a worker of the background tasks on Redis (``CHISO_TASKS=redis``);
start one or more on each machine (docs/operation.md)."""

from __future__ import annotations

from argparse import ArgumentParser
from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.tasks import task_backends

from chiso.web.jobs.redis_queue import RQBackend, Worker


class Command(BaseCommand):
    help = "Run a worker of the background tasks queued on Redis (CHISO_TASKS=redis)."

    def add_arguments(self, parser: ArgumentParser) -> None:
        parser.add_argument(
            "--queue", action="append", help="a queue to take tasks from (default: default)"
        )
        parser.add_argument("--burst", action="store_true", help="run the waiting tasks, then stop")

    def handle(self, *args: Any, queue: list[str] | None, burst: bool, **options: Any) -> None:
        backend = task_backends["default"]
        if not isinstance(backend, RQBackend):
            raise CommandError(
                "The background tasks are not on Redis: set CHISO_TASKS=redis (and "
                "CHISO_REDIS_URL), or run `manage.py db_worker` for the database's queue."
            )
        queues = [backend.queue(name) for name in queue or ["default"]]
        Worker(queues, connection=backend.connection).work(burst=burst)
