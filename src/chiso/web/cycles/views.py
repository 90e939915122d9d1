"""The assessor's pages of cycles: the list, a new cycle, a cycle's state (the dashboard of a
cycle, which gathers the units' self-assessments, and its audit trail, which speaks of them,
are the console's)."""

from __future__ import annotations

from importlib import resources
from pathlib import PurePath
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files import File
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.core import FrameworkError, parse_framework
from chiso.io.framework_workbook import yaml_to_workbook
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles import tasks
from chiso.web.cycles.access import (
    assessor_scope,
    check_cycles,
    get_cycle_for_assessor,
    visible_organisations,
)
from chiso.web.cycles.forms import (
    CycleForm,
    FrameworkConfirmForm,
    FrameworkFileForm,
    PeopleFileForm,
    StateForm,
)
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.cycles.people import MAX_BYTES, report_from, template_workbook
from chiso.web.cycles.preview import framework_blocks, framework_rows, problems
from chiso.web.cycles.services import (
    TransitionNotAllowed,
    change_state,
    create_cycle,
    framework_text,
    import_framework,
    message_language,
)
from chiso.web.jobs import services as jobs
from chiso.web.jobs.access import get_job
from chiso.web.jobs.models import Job, Kind, State

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_Form = TypeVar("_Form", bound=forms.Form)


def _scoped(form: _Form, request: AuthedRequest) -> _Form:
    """The form with the choice of assessor narrowed to the person's own (every assessor for a
    site administrator): another assessor's is refused as a choice that is not valid."""
    field = form.fields["organisation"]
    assert isinstance(field, forms.ModelChoiceField)
    field.queryset = visible_organisations(request.user)
    return form


@login_required
@require_safe
def cycle_list(request: AuthedRequest) -> HttpResponse:
    check_cycles(request.user)
    cycles = Cycle.objects.select_related("framework").order_by("-year", "name")
    cycles = cycles.filter(assessor_scope(request.user))
    return render(request, "cycles/list.html", {"cycles": cycles})


@login_required
def state(request: AuthedRequest, pk: int) -> HttpResponse:
    """Change the cycle's state, after a confirmation."""
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    form = StateForm(cycle, request.POST or None)
    if request.method == "POST" and form.is_valid():
        new = CycleState(form.cleaned_data["state"])
        try:
            change_state(cycle, new, by=request.user, note=form.cleaned_data["note"])
        except TransitionNotAllowed as error:
            form.add_error("state", str(error))
        else:
            messages.success(request, _("The cycle is now “%(state)s”.") % {"state": new.label})
            return redirect("cycles:dashboard", cycle.pk)
    return render(request, "cycles/state.html", {"cycle": cycle, "form": form})


@login_required
def create(request: AuthedRequest) -> HttpResponse:
    check_cycles(request.user, change=True)
    form = CycleForm(visible_organisations(request.user), request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        cycle = create_cycle(
            name=data["name"],
            year=data["year"],
            framework=data["framework"],
            deadline=data["deadline"],
            participants=data["participants"],
            by=request.user,
        )
        messages.success(request, _("The cycle has been created as a draft."))
        return redirect("cycles:dashboard", cycle.pk)
    return render(request, "cycles/create.html", {"form": form})


@login_required
def people(request: AuthedRequest) -> HttpResponse:
    """Units and people from a workbook: the upload, kept with the job that checks every row
    in the background; its page leads to the preview (:func:`people_job`)."""
    check_cycles(request.user, change=True)
    form = _scoped(PeopleFileForm(request.POST or None, request.FILES or None), request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            form.add_error(
                "file", _("The file is larger than %(mb)s MB.") % {"mb": MAX_BYTES >> 20}
            )
        else:
            name = PurePath(upload.name or "upload").name[:200]
            params = {"organisation": form.cleaned_data["organisation"].pk, "name": name}
            job = jobs.start(Kind.PEOPLE_CHECK, tasks.check_people, by=request.user,
                             params={**params, "forward": True}, file=upload)  # fmt: skip
            return redirect("jobs:job", job.pk)
    return render(request, "cycles/people.html", {"form": form})


def _people_job(request: AuthedRequest, pk: int) -> Job:
    job = get_job(request.user, pk)  # 404 to all but its starter and their assessor
    if job.kind not in (Kind.PEOPLE_CHECK, Kind.PEOPLE_IMPORT):
        raise Http404
    check_cycles(request.user, change=True)
    return job


@login_required
@require_safe
def people_job(request: AuthedRequest, pk: int) -> HttpResponse:
    """A checked file's preview, row by row, with the button that imports it; or what an
    import stored. A job not done yet shows its own page."""
    job = _people_job(request, pk)
    if job.state != State.DONE:
        return redirect("jobs:job", job.pk)
    report = report_from(job.report)
    applied = _people_applied(job) if job.kind == Kind.PEOPLE_CHECK else None
    changes = report.count("new") + report.count("changed")
    return render(request, "cycles/people_preview.html", {
        "job": job, "report": report, "changes": changes, "applied": applied,
        "confirm": job.kind == Kind.PEOPLE_CHECK and not report.problems and applied is None,
        "imported": tasks.imported(report.count("new"), report.count("changed"),
                                   report.count("unchanged"), report.invited),
    })  # fmt: skip


def _people_applied(checked: Job) -> Job | None:
    return Job.objects.filter(kind=Kind.PEOPLE_IMPORT, params__check=checked.pk).first()


@login_required
@require_POST
def people_apply(request: AuthedRequest, pk: int) -> HttpResponse:
    """Import the checked file, in the background; confirmed twice, it is imported once (the
    second confirmation leads to the first one's job)."""
    checked = _people_job(request, pk)
    if checked.kind != Kind.PEOPLE_CHECK:
        raise Http404
    organisation_pk = checked.params.get("organisation")
    if not visible_organisations(request.user).filter(pk=organisation_pk).exists():
        raise Http404
    if checked.state != State.DONE or report_from(checked.report).problems:
        messages.error(request, _("Nothing to import: upload the file again."))
        return redirect("cycles:people")
    applied = _people_applied(checked)
    if applied is None:
        with checked.file.open("rb") as handle:
            applied = jobs.start(
                Kind.PEOPLE_IMPORT, tasks.import_people_file, by=request.user,
                key=f"people:{checked.pk}", params={**checked.params, "check": checked.pk},
                file=File(handle, name=str(checked.params["name"])),
            )  # fmt: skip
    return redirect("jobs:job", applied.pk)


@login_required
@require_safe
def people_template(request: AuthedRequest) -> HttpResponse:
    check_cycles(request.user, change=True)
    chosen = request.GET.get("organisation", "")
    organisations = visible_organisations(request.user)
    # isdecimal, not isdigit: "²" is a digit int() refuses; a huge number is no primary key
    pk = int(chosen) if chosen.isascii() and chosen.isdecimal() and len(chosen) < 19 else None
    organisation = organisations.filter(pk=pk).first() if pk is not None else None
    organisation = organisation or organisations.first()
    if organisation is None:
        raise Http404
    response = HttpResponse(
        template_workbook(organisation),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    response["Content-Disposition"] = 'attachment; filename="don-vi-nguoi-dung.xlsx"'
    return response


@login_required
def framework_upload(request: AuthedRequest) -> HttpResponse:
    """Check a framework file or workbook and show its problems or its criteria; a second
    post (``confirm``) stores the checked file as the framework's next version."""
    check_cycles(request.user, change=True)
    if request.method == "POST" and "confirm" in request.POST:
        return _framework_confirm(request)
    form = _scoped(FrameworkFileForm(request.POST or None, request.FILES or None), request)
    context: dict[str, object] = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        name = str(upload.name)
        try:
            source = framework_text(upload.read(), name)
        except FrameworkError as error:
            context["problems"] = problems(error, message_language())
        else:
            framework = parse_framework(source, name)
            context["framework"] = framework
            context["blocks"] = framework_blocks(framework)
            context["rows"] = framework_rows(framework)
            initial = {"organisation": form.cleaned_data["organisation"], "source_name": name}
            context["confirm"] = FrameworkConfirmForm(initial={**initial, "source": source})
    return render(request, "cycles/framework_upload.html", context)


def _framework_confirm(request: AuthedRequest) -> HttpResponse:
    confirm = _scoped(FrameworkConfirmForm(request.POST), request)
    form = _scoped(FrameworkFileForm(), request)
    if not confirm.is_valid():
        return render(request, "cycles/framework_upload.html", {"form": form}, status=400)
    data = confirm.cleaned_data
    try:
        version = import_framework(
            data["organisation"], data["source"], source_name=data["source_name"], by=request.user
        )
    except FrameworkError as error:  # the checked text, changed on its way back
        found = problems(error, message_language())
        return render(request, "cycles/framework_upload.html", {"form": form, "problems": found})
    messages.success(
        request, _("The framework is stored as %(version)s.") % {"version": str(version)}
    )
    return redirect("cycles:list")


@login_required
@require_safe
def framework_example(request: AuthedRequest) -> HttpResponse:
    """Tỉnh Mẫu, the example of docs/frameworks.md, as a framework workbook to start from."""
    check_cycles(request.user, change=True)
    workbook = resources.files("chiso") / "frameworks" / "tinh-mau-2026.xlsx"
    response = HttpResponse(workbook.read_bytes(), content_type=XLSX)
    response["Content-Disposition"] = 'attachment; filename="tinh-mau-2026.xlsx"'
    return response


@login_required
@require_safe
def framework_workbook(request: AuthedRequest, pk: int) -> HttpResponse:
    """The framework version of a cycle as a framework workbook."""
    cycle = get_cycle_for_assessor(request.user, pk)
    version = cycle.framework
    content = yaml_to_workbook(version.source, version.source_name or version.framework_id)
    response = HttpResponse(content, content_type=XLSX)
    name = f"{version.framework_id}-v{version.version}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
