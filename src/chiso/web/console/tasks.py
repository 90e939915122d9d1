"""The console's background work (django.tasks): the export of a large cycle's answers."""

from __future__ import annotations

from django.tasks import task
from django.urls import reverse
from django.utils.translation import gettext as _

from chiso.web.console import exports
from chiso.web.cycles.models import Cycle
from chiso.web.jobs.services import Outcome, Run, run

__all__ = ["export_answers"]


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
