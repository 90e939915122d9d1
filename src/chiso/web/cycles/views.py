"""The assessor's pages of cycles: the list, a new cycle, a cycle's state (the dashboard of a
cycle, which gathers the units' self-assessments, and its audit trail, which speaks of them,
are the console's)."""

from __future__ import annotations

import base64
from importlib import resources
from typing import TypeVar

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chiso.core import FrameworkError, parse_framework
from chiso.io.framework_workbook import yaml_to_workbook
from chiso.web.accounts.access import AuthedRequest, require_assessor
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
    PeopleConfirmForm,
    PeopleFileForm,
    StateForm,
)
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.cycles.people import MAX_BYTES, Report, import_people, plan, template_workbook
from chiso.web.cycles.preview import framework_blocks, framework_rows, problems
from chiso.web.cycles.services import (
    TransitionNotAllowed,
    change_state,
    create_cycle,
    framework_text,
    import_framework,
    message_language,
)

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
    """Units and people from a workbook: upload, preview every row, confirm."""
    check_cycles(request.user, change=True)
    if request.method == "POST" and "content" in request.POST:
        confirm = _scoped(PeopleConfirmForm(request.POST), request)
        data = confirm.data_bytes() if confirm.is_valid() else None
        if data is None:
            return HttpResponseBadRequest(_("The file to import was not sent whole."))
        organisation = confirm.cleaned_data["organisation"]
        name = confirm.cleaned_data["name"]
        report = import_people(organisation, name, data, by=request.user)
        if report.saved:
            messages.success(request, _(
                "Imported: %(new)d new, %(changed)d changed, %(unchanged)d unchanged; "
                "%(invited)d invitations sent."
            ) % {"new": report.count("new"), "changed": report.count("changed"),
                 "unchanged": report.count("unchanged"), "invited": report.invited})  # fmt: skip
            return redirect("cycles:people")
        return _preview(request, report, None)
    form = _scoped(PeopleFileForm(request.POST or None, request.FILES or None), request)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        data = upload.read(MAX_BYTES + 1)
        report = plan(form.cleaned_data["organisation"], upload.name, data, by=request.user)
        confirm = PeopleConfirmForm(initial={
            "organisation": form.cleaned_data["organisation"].pk, "name": upload.name,
            "content": base64.b64encode(data).decode("ascii"),
        })  # fmt: skip
        return _preview(request, report, confirm)
    return render(request, "cycles/people.html", {"form": form})


def _preview(
    request: AuthedRequest, report: Report, confirm: PeopleConfirmForm | None
) -> HttpResponse:
    changes = report.count("new") + report.count("changed")
    return render(request, "cycles/people_preview.html",
                  {"report": report, "confirm": confirm, "changes": changes})  # fmt: skip


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
