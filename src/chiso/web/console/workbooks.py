"""Every unit's self-assessment workbook of a cycle as one ZIP, and the check of a ZIP of filled
workbooks sent back: the assessor hands out and collects the forms. Saving stays the units'
(docs/roles.md): the check shows what each workbook would change and every refused cell; each
unit uploads its own workbook on its form's page to save it."""

from __future__ import annotations

import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, HttpResponse
from django.shortcuts import render
from django.utils.text import slugify
from django.views.decorators.http import require_safe

from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.submissions import workbooks
from chiso.web.submissions.forms import WorkbookForm
from chiso.web.submissions.workbook import WorkbookRefused


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
    """Upload a ZIP of filled workbooks: each matched to its unit, its changes and errors."""
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    posted = WorkbookForm(request.POST or None, request.FILES or None)
    context = {"cycle": cycle, "upload": posted}
    if request.method != "POST":
        return render(request, "console/workbooks.html", context)
    if not posted.is_valid():
        return render(request, "console/workbooks.html", context, status=422)
    upload = posted.cleaned_data["file"]
    try:
        context["found"] = workbooks.check_zip(cycle, upload, upload.size or 0)
    except WorkbookRefused as refused:
        context["refused"] = str(refused)
        return render(request, "console/workbooks.html", context, status=422)
    return render(request, "console/workbooks.html", context)
