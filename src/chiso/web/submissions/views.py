"""The self-assessment pages: the form with autosave (htmx), evidence, submit, the printable
form and its signed scan. Every score shown comes from the core (selectors.page_for)."""

from __future__ import annotations

import secrets
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts import roles
from chiso.web.accounts.access import AuthedRequest
from chiso.web.cycles.models import Participation
from chiso.web.submissions import services, workbook
from chiso.web.submissions.access import (
    get_evidence,
    get_for_change,
    get_for_reading,
    get_for_workbook,
    get_signed_scan,
    require_head,
)
from chiso.web.submissions.files import FileRefused, detect
from chiso.web.submissions.forms import (
    AnswerForm,
    EvidenceForm,
    ScanForm,
    SubmitForm,
    WorkbookForm,
)
from chiso.web.submissions.models import Submission
from chiso.web.submissions.scoring import AnswerError, Live
from chiso.web.submissions.selectors import Page, describe, page_for


def _htmx(request: AuthedRequest) -> bool:
    return request.headers.get("HX-Request") == "true"


def _context(
    request: AuthedRequest,
    participation: Participation,
    submission: Submission | None,
    found: Live | None = None,
) -> dict[str, Any]:
    user = request.user
    member = roles.is_member_of(user, participation.unit_id)
    locked = submission is not None and submission.is_locked
    cycle = participation.cycle
    framework = cycle.framework.framework
    return {
        "participation": participation,
        "cycle": cycle,
        "submission": submission,
        "page": page_for(participation, submission, found),
        "unit_block": framework.block(participation.block),
        "member": member,
        "editable": member and cycle.is_open and not locked,
        "can_submit": member and roles.can_submit(user) and cycle.is_open and not locked,
        "locked": locked,
        "days_left": (cycle.deadline - timezone.localdate()).days if cycle.deadline else None,
    }


def _item(page: Page, code: str) -> Any:
    try:
        return page.items[code]
    except KeyError:
        raise Http404 from None


@login_required
@require_safe
def form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The self-assessment of one unit in one cycle."""
    participation, submission = get_for_reading(request.user, pk)
    return render(request, "submissions/form.html", _context(request, participation, submission))


@login_required
@require_safe
def answer_row(request: AuthedRequest, pk: int) -> HttpResponse:
    """One criterion as stored now (after a conflict, to take the other person's answer)."""
    participation, submission = get_for_reading(request.user, pk)
    context = _context(request, participation, submission)
    context["item"] = _item(context["page"], request.GET.get("code", ""))
    return render(request, "submissions/_node.html", context)


@login_required
@require_POST
def save(request: AuthedRequest, pk: int) -> HttpResponse:
    """Autosave of one answer: the status next to the field, and the new points out of band."""
    participation = get_for_change(request.user, pk)
    posted = AnswerForm(request.POST)
    if not posted.is_valid():
        raise Http404
    data = posted.cleaned_data
    if data["code"] not in participation.cycle.framework.framework.max_for(participation.block):
        raise Http404
    extra: dict[str, Any] = {"status": 200}
    try:
        with transaction.atomic():  # a refused save leaves no empty self-assessment behind
            extra["saved"] = services.save(
                services.submission_for(participation),
                data["code"],
                value=data["value"],
                denominator=data["denominator"],
                not_applicable=data["not_applicable"],
                comment=data["comment"] if "comment" in request.POST else None,
                revision=data["revision"],
                by=request.user,
            )
    except AnswerError as error:
        extra = {"status": 422, "error": str(error)}
    except services.Conflict as conflict:
        extra = {"status": 409, "conflict": conflict, "posted": data}
    except services.NotAllowed as error:
        extra = {"status": 403, "error": str(error)}
    return _saved(request, participation, data, extra)


def _saved(
    request: AuthedRequest,
    participation: Participation,
    data: dict[str, Any],
    extra: dict[str, Any],
) -> HttpResponse:
    status = extra.pop("status")
    saved: services.Saved | None = extra.pop("saved", None)
    if not _htmx(request):
        if status != 200:
            messages.error(request, extra.get("error") or _("Someone else changed this answer."))
        return redirect(reverse("submissions:form", args=[participation.pk]))
    if saved is not None:  # the form from what the save read and scored
        context = _context(request, participation, saved.answer.submission, saved.found)
    else:
        submission = Submission.objects.filter(participation=participation).first()
        context = _context(request, participation, submission)
    context |= extra
    item = context["item"] = _item(context["page"], data["code"])
    if "conflict" in extra:
        posted = extra["posted"]
        theirs = extra["conflict"].theirs
        context["theirs"] = describe(
            item.node, theirs.value, theirs.denominator, theirs.not_applicable
        )
        context["yours"] = describe(
            item.node, posted["value"], posted["denominator"], posted["not_applicable"]
        )
    if saved is not None and saved.was_not_applicable != saved.answer.not_applicable:
        response = render(request, "submissions/_saved_node.html", context)
        response["HX-Retarget"] = f"#node-{item.dom_id}"
        response["HX-Reswap"] = "outerHTML"
        return response
    return render(request, "submissions/_saved.html", context, status=status)


def _evidence_response(
    request: AuthedRequest, participation: Participation, code: str, **extra: Any
) -> HttpResponse:
    status = extra.pop("status", 200)
    if not _htmx(request):
        if "evidence_error" in extra:
            messages.error(request, extra["evidence_error"])
        return redirect(reverse("submissions:form", args=[participation.pk]))
    submission = Submission.objects.filter(participation=participation).first()
    context = _context(request, participation, submission) | extra
    context["item"] = _item(context["page"], code)
    return render(request, "submissions/_evidence_saved.html", context, status=status)


@login_required
@require_POST
def evidence_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Attach a file to one criterion (the type is checked by its content)."""
    participation = get_for_change(request.user, pk)
    posted = EvidenceForm(request.POST, request.FILES)
    code = request.POST.get("code", "")
    framework = participation.cycle.framework.framework
    if code not in framework.max_for(participation.block):
        raise Http404
    if not posted.is_valid():
        error = next(iter(posted.errors.values()))[0]
        return _evidence_response(request, participation, code, status=422, evidence_error=error)
    try:
        with transaction.atomic():
            services.add_evidence(
                services.submission_for(participation),
                code,
                posted.cleaned_data["file"],
                by=request.user,
            )
    except FileRefused as refused:
        return _evidence_response(
            request, participation, code, status=422, evidence_error=str(refused)
        )
    except services.NotAllowed as error:
        return _evidence_response(
            request, participation, code, status=403, evidence_error=str(error)
        )
    return _evidence_response(request, participation, code)


@login_required
@require_POST
def evidence_remove(request: AuthedRequest, pk: int, evidence_pk: int) -> HttpResponse:
    evidence = get_evidence(request.user, pk, evidence_pk, change=True)
    participation = evidence.submission.participation
    try:
        services.remove_evidence(evidence, by=request.user)
    except services.NotAllowed as error:
        return _evidence_response(
            request, participation, evidence.code, status=403, evidence_error=str(error)
        )
    return _evidence_response(request, participation, evidence.code)


@login_required
@require_safe
def evidence_file(request: AuthedRequest, pk: int, evidence_pk: int) -> FileResponse:
    """The file itself, streamed to a person who may read the self-assessment."""
    evidence = get_evidence(request.user, pk, evidence_pk)
    return _stream(evidence.file, evidence.name, evidence.content_type)


def _stream(file: Any, name: str, content_type: str) -> FileResponse:
    try:
        handle = file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(handle, as_attachment=True, filename=name, content_type=content_type)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def submit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit head checks what is missing, confirms, and submits: the answers are locked."""
    participation = get_for_change(request.user, pk)
    require_head(request.user)
    submission = Submission.objects.filter(participation=participation).first()
    context = _context(request, participation, submission)
    if request.method == "POST":
        page = context["page"]
        posted = SubmitForm(request.POST)
        confirmed = posted.is_valid() and posted.cleaned_data["confirm"]
        if page.completeness.complete or confirmed:
            try:
                with transaction.atomic():
                    services.submit(
                        services.submission_for(participation),
                        by=request.user,
                        note=_missing_note(page),
                    )
            except services.NotAllowed as error:
                messages.error(request, str(error))
            else:
                messages.success(request, _("The self-assessment has been submitted."))
            return redirect(reverse("submissions:form", args=[participation.pk]))
        context["confirm_error"] = _("Tick the box to submit with what is still missing.")
        return render(request, "submissions/submit.html", context, status=422)
    return render(request, "submissions/submit.html", context)


def _missing_note(page: Page) -> str:
    done = page.completeness
    if done.complete:
        return ""
    return _("Submitted with %(answers)s unanswered criteria and %(files)s missing evidence.") % {
        "answers": len(done.unanswered),
        "files": len(done.evidence_missing),
    }


@login_required
@require_safe
def print_form(request: AuthedRequest, pk: int) -> HttpResponse:
    """The form to print, sign and stamp."""
    participation, submission = get_for_reading(request.user, pk)
    context = _context(request, participation, submission)
    context["organisation"] = participation.cycle.organisation
    locked = submission is not None and submission.is_locked
    context["form_date"] = submission.submitted_at if locked and submission else timezone.now()
    return render(request, "submissions/print.html", context)


@login_required
@require_POST
def scan_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    participation = get_for_change(request.user, pk)
    submission = Submission.objects.filter(participation=participation).first()
    posted = ScanForm(request.POST, request.FILES)
    error, status = None, 422
    if not posted.is_valid():
        error = next(iter(posted.errors.values()))[0]
    elif submission is None or not submission.is_locked:
        error = _("Submit the self-assessment first, then print, sign and upload it.")
    else:
        try:
            services.upload_signed_scan(submission, posted.cleaned_data["file"], by=request.user)
        except FileRefused as refused:
            error = str(refused)
        except services.NotAllowed as refused:
            error, status = str(refused), 403
    if error is None:
        messages.success(request, _("The signed form has been uploaded."))
        return redirect(reverse("submissions:form", args=[participation.pk]) + "#signed")
    context = _context(request, participation, submission) | {"scan_error": error}
    return render(request, "submissions/form.html", context, status=status)


@login_required
@require_safe
def scan_file(request: AuthedRequest, pk: int) -> FileResponse:
    submission = get_signed_scan(request.user, pk)
    scan = submission.signed_scan
    name = scan.name or "scan"
    with scan.open("rb") as handle:
        kind = detect(handle, name)
    content_type = kind.content_type if kind else "application/octet-stream"
    return _stream(scan, name.rsplit("/", 1)[-1], content_type)


# --- the form as a workbook ---------------------------------------------------------------


def _session_key(participation: Participation) -> str:
    return f"workbook:{participation.pk}"


@login_required
@require_safe
def workbook_download(request: AuthedRequest, pk: int) -> HttpResponse:
    """The unit's form as an XLSX workbook to fill offline, with what is saved."""
    participation = get_for_workbook(request.user, pk)
    submission = Submission.objects.filter(participation=participation).first()
    response = HttpResponse(
        workbook.write(participation, submission), content_type=workbook.CONTENT_TYPE
    )
    filename = workbook.file_name(participation)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _not_editable(context: dict[str, Any]) -> str | None:
    """Why the form takes no answer now (the form's own words), or None."""
    if context["locked"]:
        return _("The self-assessment has been submitted and is locked.")
    if not context["cycle"].is_open:
        return _("The cycle is not open for self-assessment.")
    return None


@login_required
def workbook_upload(request: AuthedRequest, pk: int) -> HttpResponse:
    """Upload the filled-in workbook: a preview of the changes and of every refused cell; the
    changes wait in the session for the confirmation."""
    participation = get_for_change(request.user, pk)
    submission = Submission.objects.filter(participation=participation).first()
    context = _context(request, participation, submission)
    context["upload"] = posted = WorkbookForm(request.POST or None, request.FILES or None)
    context["refused"] = _not_editable(context)
    if request.method != "POST" or context["refused"]:
        status = 403 if context["refused"] and request.method == "POST" else 200
        return render(request, "submissions/workbook.html", context, status=status)
    request.session.pop(_session_key(participation), None)
    if not posted.is_valid():
        return render(request, "submissions/workbook.html", context, status=422)
    upload = posted.cleaned_data["file"]
    try:
        found = workbook.preview(participation, upload.read(workbook.MAX_BYTES + 1))
    except workbook.WorkbookRefused as refused:
        context["refused"] = str(refused)
        return render(request, "submissions/workbook.html", context, status=422)
    context["preview"] = found
    if found.errors:
        return render(request, "submissions/workbook.html", context, status=422)
    if found.changes:
        # the confirmation names this preview: another tab's later upload is not saved by it
        context["token"] = token = secrets.token_urlsafe(12)
        request.session[_session_key(participation)] = {"token": token, "changes": found.stored()}
    return render(request, "submissions/workbook.html", context)


@login_required
@require_POST
def workbook_confirm(request: AuthedRequest, pk: int) -> HttpResponse:
    """Save the changes of the previewed workbook, all or none."""
    participation = get_for_change(request.user, pk)
    stored = request.session.pop(_session_key(participation), None) or {}
    back = reverse("submissions:workbook_upload", args=[participation.pk])
    if not stored or request.POST.get("token") != stored.get("token"):
        messages.error(request, _("Nothing to save: upload the workbook again."))
        return redirect(back)
    try:
        count = workbook.apply(participation, stored["changes"], by=request.user)
    except services.Conflict as conflict:
        messages.error(
            request,
            _(
                "Someone else changed criterion %(code)s since the upload: nothing was saved."
                " Upload the workbook again to see the changes."
            )
            % {"code": conflict.code},
        )
        return redirect(back)
    except (AnswerError, services.NotAllowed) as refused:
        messages.error(request, str(refused))
        return redirect(back)
    messages.success(
        request, _("%(count)s changes from the workbook have been saved.") % {"count": count}
    )
    return redirect(reverse("submissions:form", args=[participation.pk]))
