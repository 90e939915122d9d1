"""Removing old jobs: their rows and the files kept with them (an upload, an export), through
the site's storage. Housekeeping: no answer, score, person or setting changes, so nothing goes
to the audit trail (as Django's ``clearsessions`` and ``prune_db_task_results``).

Never removed: a job waiting or running; the newest draft job of each cycle (the draft pages
read it: its error is shown until the data change); a checked file's job while the job that
imported or saved it is kept, and that job while its check is kept (the preview would offer
the import again). What a job made that belongs to something else stays: a publication's
revision and documents are the cycle's (``ResultRevision.job`` is emptied), a draft document
is the cycle's, the answers and people a job saved are the units'.
"""

from __future__ import annotations

import contextlib
import datetime
import logging
import posixpath
from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.files.storage import FileSystemStorage, Storage
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from chiso.web.jobs.models import ACTIVE, Job, Kind, State, job_path
from chiso.web.jobs.services import check, stale_after

__all__ = ["KEEP_DRAFTS", "Pruned", "keep_newest_drafts", "prune"]

logger = logging.getLogger(__name__)

# the finished draft jobs kept per cycle when a draft job runs: enough to see the last few
KEEP_DRAFTS = 5
# the most rows one draft job removes (a cycle's backlog goes over a few runs)
DRAFT_LIMIT = 500
BATCH = 500

# a checked file's job, and the kinds of job that act on what it checked (``params.check``)
CHECKS = (Kind.PEOPLE_CHECK, Kind.WORKBOOKS_CHECK)
FOLLOW_UPS = (Kind.PEOPLE_IMPORT, Kind.WORKBOOKS_SAVE)


@dataclass
class Pruned:
    """What was removed (or, in a dry run, would be): jobs per kind, and their files."""

    jobs: Counter[str] = field(default_factory=Counter)
    files: int = 0
    files_failed: int = 0

    @property
    def total(self) -> int:
        return sum(self.jobs.values())


def keep_newest_drafts(cycle_pk: int, *, keep: int = KEEP_DRAFTS) -> int:
    """Remove the cycle's finished draft jobs but the newest ``keep`` (at most DRAFT_LIMIT
    in one call); the number removed. Run by the draft job itself."""
    drafts = Job.objects.filter(kind=Kind.DRAFT, cycle_pk=cycle_pk)
    newest = list(drafts.order_by("-pk").values_list("pk", flat=True)[:keep])
    old = drafts.exclude(state__in=ACTIVE).exclude(pk__in=newest).order_by("pk")
    return _delete(old.values_list("pk", flat=True)[:DRAFT_LIMIT], Pruned()).total


def prune(
    older_than: datetime.timedelta,
    *,
    dry_run: bool = False,
    now: datetime.datetime | None = None,
) -> Pruned:
    """Remove the jobs that ended more than ``older_than`` ago, with their files, in batches
    (a dry run counts them and removes nothing)."""
    if not dry_run:
        _fail_silent()
    cutoff = (now or timezone.now()) - older_than
    newest_drafts = Job.objects.filter(kind=Kind.DRAFT).values("cycle_pk").annotate(last=Max("pk"))
    old = (
        Job.objects.exclude(state__in=ACTIVE)
        .filter(finished_at__lt=cutoff)
        .exclude(pk__in=newest_drafts.values("last"))
        .order_by("pk")
    )
    pruned, doomed, after = Pruned(), set[int](), 0
    while batch := list(old.filter(pk__gt=after).only("pk", "kind", "params")[:BATCH]):
        after = batch[-1].pk
        found = _removable(batch, doomed, cutoff) - doomed  # a dry run meets them again
        doomed |= found
        if dry_run:
            _count(Job.objects.filter(pk__in=found), pruned)
        else:
            _delete(found, pruned, cutoff=cutoff)
    return pruned


def _fail_silent() -> None:
    """Jobs whose worker stopped are failed as their page would fail them (jobs.services.check):
    pruned once they have ended long enough ago, like any other."""
    silent = Job.objects.filter(state=State.RUNNING, heartbeat__lt=timezone.now() - stale_after())
    for job in silent.iterator():
        check(job)


def _removable(batch: list[Job], doomed: set[int], cutoff: datetime.datetime) -> set[int]:
    """The batch's jobs that may go, with the follow-up jobs that go with their check."""
    checks = [job.pk for job in batch if job.kind in CHECKS]
    follow_ups: dict[int, list[Job]] = {}
    for job in Job.objects.filter(kind__in=FOLLOW_UPS, params__check__in=checks):
        follow_ups.setdefault(job.params["check"], []).append(job)
    wanted = {job.params.get("check") for job in batch if job.kind in FOLLOW_UPS}
    existing = set(Job.objects.filter(pk__in=wanted - {None}).values_list("pk", flat=True))
    found: set[int] = set()
    for job in batch:
        if job.kind in CHECKS:
            partners = follow_ups.get(job.pk, [])
            if all(_ended_before(partner, cutoff) for partner in partners):
                found |= {job.pk, *(partner.pk for partner in partners)}
        elif job.kind in FOLLOW_UPS:
            check = job.params.get("check")
            if check in doomed or check in found or check not in existing:
                found.add(job.pk)
        else:
            found.add(job.pk)
    return found


def _ended_before(job: Job, cutoff: datetime.datetime) -> bool:
    return job.state not in ACTIVE and job.finished_at is not None and job.finished_at < cutoff


def _count(jobs: Iterable[Job], pruned: Pruned) -> None:
    for job in jobs:
        pruned.jobs[job.kind] += 1
        pruned.files += bool(job.file)


def _delete(
    pks: Iterable[int], pruned: Pruned, *, cutoff: datetime.datetime | None = None
) -> Pruned:
    """Remove the jobs (those still ended: one tried again meanwhile stays), then, once that
    is committed, their files."""
    with transaction.atomic():
        rows = Job.objects.select_for_update().filter(pk__in=list(pks)).exclude(state__in=ACTIVE)
        if cutoff is not None:
            rows = rows.filter(finished_at__lt=cutoff)
        gone = list(rows)
        Job.objects.filter(pk__in=[job.pk for job in gone]).delete()
        _count(gone, pruned)
    for job in gone:
        if not (name := job.file.name):
            continue
        try:
            job.file.storage.delete(name)
        except Exception:  # the row is gone: a file left over only takes space
            logger.warning("Job %s: its file %s was not removed", job.pk, name, exc_info=True)
            pruned.files -= 1
            pruned.files_failed += 1
        else:
            _remove_folder(job, job.file.storage, name)
    return pruned


def _remove_folder(job: Job, storage: Storage, name: str) -> None:
    """The job's own folder (``jobs/{id}/``) on disk once its file is gone; object storage
    has no folders, and a folder that still holds something stays."""
    folder = posixpath.dirname(name)
    if isinstance(storage, FileSystemStorage) and folder == posixpath.dirname(job_path(job, "f")):
        with contextlib.suppress(OSError):
            Path(storage.path(folder)).rmdir()
