"""The console's background work (django.tasks): the export of a large cycle's answers, and
a ZIP of the units' workbooks sent back, checked, then saved on the units' behalf."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from chiso.web.console import exports
from chiso.web.cycles.models import Cycle
from chiso.web.jobs.models import Job
from chiso.web.jobs.services import Outcome, Run, run
from chiso.web.submissions import workbooks
from chiso.web.submissions.workbook import WorkbookRefused

__all__ = ["WorkbooksRefused", "check_workbooks", "export_answers", "save_workbooks"]


class WorkbooksRefused(Exception):
    """A ZIP that is not read, or a preview that cannot be saved: the message is for people."""


@task
def export_answers(job: int, attempt: int) -> None:
    run(job, attempt, _export)


def _export(work: Run) -> Outcome:
    cycle = Cycle.objects.select_related("framework").get(pk=work.job.cycle_pk or 0)
    work.progress(5, _("Reading the answers"))
    name, content = exports.answers_file(cycle, work.job.params["format"])
    work.progress(95, _("Storing the file"))
    work.keep_file(name, content)
    url = reverse("jobs:file", args=[work.job.pk])
    return Outcome(url, _("Download the answers (%(name)s)") % {"name": name})


@task
def check_workbooks(job: int, attempt: int) -> None:
    run(job, attempt, _check_workbooks, shown=(WorkbooksRefused,))


@task
def save_workbooks(job: int, attempt: int) -> None:
    run(job, attempt, _save_workbooks, shown=(WorkbooksRefused,))


def _workbooks_cycle(work: Run) -> Cycle:
    cycle = Cycle.objects.select_related("framework").filter(pk=work.job.cycle_pk or 0).first()
    if cycle is None:
        raise WorkbooksRefused(_("The cycle no longer exists."))
    return cycle


def _check_workbooks(work: Run) -> Outcome:
    """Each workbook of the kept ZIP with what it would change: shown on the preview, and the
    changes with the revisions seen now, which saving saves."""
    cycle = _workbooks_cycle(work)
    name = str(work.job.params["name"])
    work.progress(5, _("Reading the workbooks"))
    try:
        with work.job.file.open("rb") as handle:
            found = workbooks.check_zip(cycle, handle, work.job.file.size)
    except WorkbookRefused as refused:
        raise WorkbooksRefused(f"{name}: {refused}") from None
    work.keep_report({"name": name, "found": [_shown(e) for e in found],
                      "units": workbooks.stored(found)})  # fmt: skip
    url = reverse("cycles:workbooks_job", args=[work.job.pk])
    return Outcome(url, _("The preview is ready: see it."))


def _shown(entry: workbooks.UnitWorkbook) -> dict[str, Any]:
    """One workbook as its preview shows it (plain values)."""
    preview = entry.preview
    return {
        "name": entry.name,
        "unit": entry.participation.unit.name if entry.participation else "",
        "problem": entry.problem,
        "not_editable": entry.not_editable,
        "skipped": entry.skipped,
        "changes": [asdict(c) for c in preview.changes] if preview else [],
        "errors": [asdict(e) for e in preview.errors] if preview else [],
    }


def _save_workbooks(work: Run) -> Outcome:
    cycle = _workbooks_cycle(work)
    checked = Job.objects.filter(pk=work.job.params["check"]).first()
    if checked is None or "units" not in checked.report:
        raise WorkbooksRefused(_("Nothing to save: upload the ZIP of workbooks again."))
    work.progress(10, _("Saving the units' changes"))
    saved = workbooks.save_zip(cycle, checked.report["units"], by=work.job.started_by)
    work.keep_report({"saved": [asdict(result) for result in saved]})
    count = sum(1 for result in saved if not result.problem)
    url = reverse("cycles:workbooks_job", args=[work.job.pk])
    return Outcome(url, _("Saved for %(count)d units: see what was saved.") % {"count": count})
