"""Every unit's self-assessment workbook of a cycle as one ZIP, and a ZIP of filled workbooks
sent back: the assessor hands out the forms and collects them, as units send their Excel files
by e-mail. The upload is kept with a background job that shows what each workbook changes and
every refused cell; confirming starts a second job that saves each unit's changes on its
behalf (docs/roles.md), recorded as such in the audit trail, with the revisions seen at the
upload. Nothing waits in the session: the preview is the checking job's report."""

from __future__ import annotations

import tempfile
from pathlib import PurePath
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.console import tasks
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.cycles.models import Cycle
from chiso.web.jobs import services as jobs
from chiso.web.jobs.access import get_job
from chiso.web.jobs.models import Job, Kind, State
from chiso.web.submissions import workbooks
from chiso.web.submissions.forms import WorkbookForm


@login_required
@require_safe
def download(request: AuthedRequest, pk: int) -> FileResponse:
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    target = tempfile.TemporaryFile()  # noqa: SIM115 - closed by the response
    workbooks.write_zip(cycle, target)
    target.seek(0)
    name = f"tu-danh-gia-{slugify(cycle.name) or 'cycle'}-{cycle.year}.zip"
    response = FileResponse(target, as_attachment=True, filename=name)
    response["Content-Type"] = "application/zip"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def check(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload a ZIP of filled workbooks: kept with the job that matches each to its unit and
    finds its changes and errors in the background; the job's page leads to the preview."""
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    posted = WorkbookForm(request.POST or None, request.FILES or None)
    context = {"cycle": cycle, "upload": posted}
    if request.method != "POST":
        return render(request, "console/workbooks.html", context)
    if not posted.is_valid():
        return render(request, "console/workbooks.html", context, status=422)
    upload = posted.cleaned_data["file"]
    if (upload.size or 0) > workbooks.MAX_ZIP_BYTES:
        mb = workbooks.MAX_ZIP_BYTES >> 20
        context["refused"] = _("The file is larger than %(mb)s MB.") % {"mb": mb}
        return render(request, "console/workbooks.html", context, status=422)
    name = PurePath(upload.name or "upload.zip").name[:200]
    job = jobs.start(Kind.WORKBOOKS_CHECK, tasks.check_workbooks, by=request.user,
                     cycle_pk=cycle.pk, params={"name": name, "forward": True},
                     file=upload)  # fmt: skip
    return redirect("jobs:job", job.pk)


def _workbooks_job(request: AuthedRequest, pk: int) -> tuple[Job, Cycle]:
    job = get_job(request.user, pk)  # 404 to all but its starter and their assessor
    if job.kind not in (Kind.WORKBOOKS_CHECK, Kind.WORKBOOKS_SAVE) or job.cycle_pk is None:
        raise Http404
    cycle = get_cycle_for_assessor(request.user, job.cycle_pk)
    require_assessor(request.user)
    return job, cycle


def _saving(checked: Job) -> Job | None:
    return Job.objects.filter(kind=Kind.WORKBOOKS_SAVE, params__check=checked.pk).first()


@login_required
@require_safe
def job_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A checked ZIP's preview, unit by unit, with the button that saves it; or what saving
    did, unit by unit. A job not done yet shows its own page."""
    job, cycle = _workbooks_job(request, pk)
    if job.state != State.DONE:
        return redirect("jobs:job", job.pk)
    context = {"cycle": cycle, "upload": WorkbookForm(), "job": job}
    if job.kind == Kind.WORKBOOKS_SAVE:
        context["saved"] = job.report.get("saved", [])
    else:
        context["saving"] = saving = _saving(job)
        context["found"] = _with_saved(job.report.get("found", []), saving)
        held = job.report.get("units", [])
        context["confirm"] = saving is None and any(not unit["skipped"] for unit in held)
    return render(request, "console/workbooks.html", context)


def _with_saved(found: list[dict[str, Any]], saving: Job | None) -> list[dict[str, Any]]:
    """The preview's workbooks, each with what saving it did once the save job is done (its
    ``saved``: the count of changes saved or the problem), so that the preview no longer says
    what will be saved."""
    if saving is None or saving.state != State.DONE:
        return found
    done = {result["name"]: result for result in saving.report.get("saved", [])}
    return [{**entry, "saved": done.get(entry["name"])} for entry in found]


@login_required
@require_POST
def save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save each unit's previewed changes on its behalf, in the background; confirmed twice,
    saved once (the second confirmation leads to the first one's job)."""
    checked, cycle = _workbooks_job(request, pk)
    if checked.kind != Kind.WORKBOOKS_CHECK or checked.state != State.DONE:
        raise Http404
    saving = _saving(checked)
    if saving is None:
        saving = jobs.start(Kind.WORKBOOKS_SAVE, tasks.save_workbooks, by=request.user,
                            cycle_pk=cycle.pk, key=f"workbooks:{checked.pk}",
                            params={"check": checked.pk, "forward": True})  # fmt: skip
    return redirect("jobs:job", saving.pk)
