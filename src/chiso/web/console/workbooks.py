"""Every unit's self-assessment workbook of a cycle as one ZIP, and a ZIP of filled workbooks
sent back: the assessor hands out the forms and collects them, as units send their Excel files
by e-mail. The upload shows what each workbook changes and every refused cell; confirming
saves each unit's changes on its behalf (docs/roles.md), recorded as such in the audit trail.
The preview waits in the session with the revisions seen at the upload and a token, as a
unit's own upload does."""

from __future__ import annotations

import secrets
import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.cycles.models import Cycle
from chiso.web.submissions import workbooks
from chiso.web.submissions.forms import WorkbookForm
from chiso.web.submissions.workbook import WorkbookRefused


def _session_key(cycle: Cycle) -> str:
    return f"workbooks:{cycle.pk}"


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
    """Upload a ZIP of filled workbooks: each matched to its unit, its changes and errors; the
    changes that confirming would save wait in the session."""
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    posted = WorkbookForm(request.POST or None, request.FILES or None)
    context = {"cycle": cycle, "upload": posted}
    if request.method != "POST":
        return render(request, "console/workbooks.html", context)
    request.session.pop(_session_key(cycle), None)
    if not posted.is_valid():
        return render(request, "console/workbooks.html", context, status=422)
    upload = posted.cleaned_data["file"]
    try:
        context["found"] = found = workbooks.check_zip(cycle, upload, upload.size or 0)
    except WorkbookRefused as refused:
        context["refused"] = str(refused)
        return render(request, "console/workbooks.html", context, status=422)
    if any(not entry.skipped for entry in found):
        # the confirmation names this preview: another tab's later upload is not saved by it
        context["token"] = token = secrets.token_urlsafe(12)
        request.session[_session_key(cycle)] = {"token": token, "units": workbooks.stored(found)}
    return render(request, "console/workbooks.html", context)


@login_required
@require_POST
def confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save each unit's previewed changes on its behalf; the page says, unit by unit, what was
    saved and what was not."""
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    held = request.session.pop(_session_key(cycle), None) or {}
    if not held or request.POST.get("token") != held.get("token"):
        messages.error(request, _("Nothing to save: upload the ZIP of workbooks again."))
        return redirect("cycles:workbooks_check", cycle.pk)
    saved = workbooks.save_zip(cycle, held["units"], by=request.user)
    context = {"cycle": cycle, "upload": WorkbookForm(), "saved": saved}
    return render(request, "console/workbooks.html", context)
