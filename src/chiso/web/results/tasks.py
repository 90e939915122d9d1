"""The results' background work (django.tasks): computing the draft results, publishing,
correcting, writing a draft document and importing earlier years' results, each a job that
people follow on its page (chiso.web.jobs); the draft's job is followed by the draft pages."""

from __future__ import annotations

from typing import Any

from django.contrib.auth.models import AnonymousUser
from django.core.files import File
from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from chiso.reports.template import TemplateError
from chiso.web.cycles.models import Cycle
from chiso.web.cycles.services import TransitionNotAllowed
from chiso.web.jobs.prune import keep_newest_drafts
from chiso.web.jobs.services import Outcome, Run, run
from chiso.web.results import services
from chiso.web.results.models import ResultRevision

__all__ = [
    "compute_draft",
    "correct_results",
    "draft_document",
    "import_previous",
    "publish_results",
]

# errors whose message is for people; any other is logged with its traceback
SHOWN = (services.ResultsError, TransitionNotAllowed, TemplateError)


@task
def publish_results(job: int, attempt: int) -> None:
    run(job, attempt, _publish, shown=SHOWN)


@task
def correct_results(job: int, attempt: int) -> None:
    run(job, attempt, _correct, shown=SHOWN)


@task
def compute_draft(job: int, attempt: int) -> None:
    run(job, attempt, _compute_draft, shown=SHOWN)


def _compute_draft(work: Run) -> Outcome:
    """The cycle's draft results of now, computed and kept (results.refresh)."""
    cycle = _cycle(work)
    keep_newest_drafts(cycle.pk)  # one row per change: a cycle would gather thousands
    work.progress(5, _("Computing the draft results"))
    services.compute(cycle)
    url = reverse("results:cycle", args=[cycle.pk]) + "?draft"
    return Outcome(url, _("The draft results are computed."))


@task
def draft_document(job: int, attempt: int) -> None:
    run(job, attempt, _draft, shown=SHOWN)


def _draft(work: Run) -> Outcome:
    cycle = _cycle(work)
    fmt = work.job.params["format"]
    services.write_draft(cycle, fmt, progress=work.progress)
    url = reverse("results:document", args=[cycle.pk, fmt]) + "?draft"
    return Outcome(url, _("The draft document is ready: download it."))


@task
def import_previous(job: int, attempt: int) -> None:
    run(job, attempt, _import_previous, shown=SHOWN)


def _import_previous(work: Run) -> Outcome:
    """The uploaded file, kept with the job, imported under its own name."""
    cycle = _cycle(work)
    work.progress(10, _("Reading the file"))
    with work.job.file.open("rb") as handle:
        count = services.import_previous(
            cycle, File(handle, name=work.job.params["name"]), by=_by(work)
        )
    url = reverse("results:cycle", args=[cycle.pk]) + "?draft"
    return Outcome(url, _("%(n)s results of earlier years imported.") % {"n": count})


def _publish(work: Run) -> Outcome:
    cycle = _cycle(work)
    try:
        revision = services.publish(
            cycle,
            by=_by(work),
            seen=work.job.params.get("seen"),
            progress=work.progress,
            job=work.job.pk,
            overclaim=bool(work.job.params.get("overclaim")),
        )
    except services.AlreadyPublished as done:  # confirmed twice: published once
        revision = done.revision
    return _published(revision, _("Results published (revision %(n)s)."))


def _correct(work: Run) -> Outcome:
    cycle = _cycle(work)
    try:
        revision = services.correct(
            cycle,
            reason=work.job.params.get("reason", ""),
            by=_by(work),
            seen=work.job.params.get("seen"),
            progress=work.progress,
            job=work.job.pk,
        )
    except services.AlreadyPublished as done:  # the job run again: its revision
        revision = done.revision
    return _published(revision, _("Correction published (revision %(n)s)."))


def _cycle(work: Run) -> Cycle:
    cycles = Cycle.objects.select_related("framework", "organisation")
    found = cycles.filter(pk=work.job.cycle_pk or 0).first()
    if found is None:
        raise services.ResultsError(_("The cycle no longer exists."))
    return found


def _by(work: Run) -> Any:
    return work.job.started_by or AnonymousUser()


def _published(revision: ResultRevision, text: str) -> Outcome:
    url = reverse("results:cycle", args=[revision.cycle_id])
    return Outcome(url, text % {"n": revision.number})
