"""A background job's page: its progress, polled by htmx until it ends, then the link to its
result or its error, with a button to try it again."""

from __future__ import annotations

from pathlib import PurePath

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts.access import AuthedRequest
from chiso.web.jobs import services
from chiso.web.jobs.access import get_job
from chiso.web.jobs.models import State


@login_required
@require_safe
def job(request: AuthedRequest, pk: int) -> HttpResponse:
    """The whole page, or its status alone for htmx's polling; a job whose result is the next
    step (an import's preview) leads there by itself when it is done."""
    shown = services.check(get_job(request.user, pk))
    context = {"job": shown, "stale_minutes": services.stale_after().seconds // 60}
    if shown.state == State.QUEUED:
        context["before"] = services.waiting_before(shown)
    if request.headers.get("HX-Request") == "true":
        response = render(request, "jobs/_status.html", context)
        if shown.state == State.DONE and shown.params.get("forward") and shown.result_url:
            response["HX-Redirect"] = shown.result_url  # its result is the next page
        return response
    return render(request, "jobs/job.html", context)


@login_required
@require_POST
def retry(request: AuthedRequest, pk: int) -> HttpResponse:
    try:
        again = services.retry(get_job(request.user, pk), by=request.user)
    except services.JobError as error:
        messages.error(request, str(error))
        return redirect("jobs:job", pk)
    return redirect("jobs:job", again.pk)


@login_required
@require_safe
def file(request: AuthedRequest, pk: int) -> FileResponse:
    """The file a finished job made (an export)."""
    done = get_job(request.user, pk)
    if done.state != State.DONE or not done.file:
        raise Http404
    return FileResponse(
        done.file.open("rb"), as_attachment=True, filename=PurePath(done.file.name or "").name
    )
