"""The cycles app's background work (django.tasks): a file of units and people, checked row
by row (its preview), then imported once confirmed; each a job people follow on its page
(chiso.web.jobs). The uploaded file is kept with the job, never in the session."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from chiso.web.cycles.models import Organisation
from chiso.web.cycles.people import MAX_BYTES, import_people, plan, report_data
from chiso.web.jobs.services import Outcome, Run, run

__all__ = ["PeopleRefused", "check_people", "import_people_file"]


class PeopleRefused(Exception):
    """An import that stores nothing: the message names the file, the row and the column."""


@task
def check_people(job: int, attempt: int) -> None:
    run(job, attempt, _check, shown=(PeopleRefused,))


@task
def import_people_file(job: int, attempt: int) -> None:
    run(job, attempt, _import, shown=(PeopleRefused,))


def _check(work: Run) -> Outcome:
    organisation, name, data = _read(work)
    work.progress(30, _("Checking every row"))
    report = plan(organisation, name, data, by=work.job.started_by)
    work.keep_report(report_data(report))
    return Outcome(_page(work), _("The preview is ready: see it."))


def _import(work: Run) -> Outcome:
    organisation, name, data = _read(work)
    work.progress(20, _("Importing the units and people"))
    report = import_people(organisation, name, data, by=work.job.started_by)
    work.keep_report(report_data(report))
    if not report.saved:  # the units or people changed since the preview
        first = report.problems[0]
        raise PeopleRefused(
            _("Nothing was imported from %(file)s: %(problem)s (%(count)d errors in all).")
            % {"file": name, "problem": first, "count": len(report.problems)}
        )
    return Outcome(_page(work), imported(report.count("new"), report.count("changed"),
                                         report.count("unchanged"), report.invited))  # fmt: skip


def imported(new: int, changed: int, unchanged: int, invited: int) -> str:
    return _(
        "Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged; "
        "%(invited)d invitations sent."
    ) % {"new": new, "changed": changed, "unchanged": unchanged, "invited": invited}


def _read(work: Run) -> tuple[Organisation, str, bytes]:
    organisation = Organisation.objects.filter(pk=work.job.params["organisation"]).first()
    if organisation is None:
        raise PeopleRefused(_("The assessor no longer exists."))
    work.progress(5, _("Reading the file"))
    with work.job.file.open("rb") as handle:
        data = handle.read(MAX_BYTES + 1)
    return organisation, str(work.job.params["name"]), data


def _page(work: Run) -> str:
    return reverse("cycles:people_job", args=[work.job.pk])
