"""The draft results as a page shows them, never computed in a request: the draft of the
cycle's data of now when it is kept (results.drafts); else a job computes it in the background
(one per cycle at a time, however many pages ask) and the page shows the draft computed last,
marked as such, until the new one is ready (docs/results.md, "Draft results").

Publishing never reads a draft: it computes the results of now itself (results.services)."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from django.utils import timezone

from chiso.web.audit.models import AuditEntry
from chiso.web.cycles.models import Cycle
from chiso.web.jobs import services as jobs
from chiso.web.jobs.models import Job, Kind, State
from chiso.web.results import drafts, tasks
from chiso.web.results.services import ResultsError
from chiso.web.results.snapshot import Computed

__all__ = ["Draft", "NotYetComputed", "draft"]


class NotYetComputed(ResultsError):
    """No draft of the cycle was computed yet: its job computes it (the page waits)."""


@dataclass(frozen=True)
class Draft:
    """The draft a page shows: ``results`` of the data of now, or while they are computed
    (``pending``) the results computed last (None when none was), computed at ``computed_at``
    from the data before the change at ``changed_at``."""

    results: Computed | None
    pending: bool = False
    computed_at: datetime.datetime | None = None
    changed_at: datetime.datetime | None = None


def draft(cycle: Cycle) -> Draft:
    """The cycle's draft for a page; when the draft of now is not kept, its job is started
    (or found running) and the last draft is shown. ResultsError when the job computing the
    draft of now failed (the results cannot be computed: the job's error)."""
    key, found = drafts.key_and_draft(cycle)
    if found is not None:
        return Draft(found)
    _refuse_failed(cycle, key)
    job = jobs.start(
        Kind.DRAFT,
        tasks.compute_draft.using(backend=settings.CHISO_DRAFT_TASKS),
        by=AnonymousUser(),
        cycle_pk=cycle.pk,
        key=f"draft-results:{cycle.pk}",
        params={"key": key},
    )
    # ended already: a backend that runs its tasks at once, or a queue that cannot be reached
    if job.state == State.FAILED:
        raise ResultsError(job.error)
    if job.state == State.DONE and (found := drafts.key_and_draft(cycle)[1]) is not None:
        return Draft(found)
    last = drafts.last_draft(cycle)
    changed = AuditEntry.objects.filter(cycle=cycle).order_by("-at").first()
    return Draft(
        last[0] if last else None,
        pending=True,
        computed_at=last[1] if last else None,
        changed_at=changed.at if changed else None,
    )


def _refuse_failed(cycle: Cycle, key: str) -> None:
    """The error of the last job computing this very draft, when it failed lately: the pages
    asking again do not start a job each; it is tried again once the data change, or after
    the time a job's worker has to give a sign of life."""
    last = Job.objects.filter(kind=Kind.DRAFT, cycle_pk=cycle.pk).order_by("-pk").first()
    if last is None or last.params.get("key") != key or jobs.check(last).state != State.FAILED:
        return
    if last.finished_at is None or last.finished_at > timezone.now() - jobs.stale_after():
        raise ResultsError(last.error)
