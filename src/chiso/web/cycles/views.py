"""The assessor's pages: cycles, the dashboard of a cycle, its export and audit trail."""

from __future__ import annotations

import io

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.io import unit_table
from chiso.io.results import write_csv, write_xlsx
from chiso.web.accounts.access import (
    AuthedRequest,
    check_cycles,
    get_cycle_for_assessor,
    require_assessor,
)
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.forms import AuditFilter, CycleForm, DashboardFilter, ReopenForm, StateForm
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.cycles.selectors import days_to_deadline, unit_rows
from chiso.web.cycles.services import TransitionNotAllowed, change_state, create_cycle
from chiso.web.submissions import services as submissions
from chiso.web.submissions.models import Submission
from chiso.web.submissions.scoring import cycle_data


@login_required
@require_safe
def cycle_list(request: AuthedRequest) -> HttpResponse:
    check_cycles(request.user)
    cycles = Cycle.objects.select_related("framework").order_by("-year", "name")
    return render(request, "cycles/list.html", {"cycles": cycles})


@login_required
@require_safe
def dashboard(request: AuthedRequest, pk: int) -> HttpResponse:
    """Each unit's state, last activity, missing answers and evidence; late units marked."""
    cycle = get_cycle_for_assessor(request.user, pk)
    today = timezone.localdate()
    filters = DashboardFilter(cycle, request.GET or None)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    days_left = days_to_deadline(cycle, today)
    rows = unit_rows(cycle, today, block=chosen.get("block", ""), state=chosen.get("state", ""))
    context = {
        "cycle": cycle,
        "rows": rows,
        "filters": filters,
        "days_left": days_left,
        "days_over": -days_left if days_left is not None else None,
        "late": sum(row.late for row in rows),
        "reopen_form": ReopenForm(),
    }
    template = "cycles/_rows.html" if request.headers.get("HX-Request") else "cycles/dashboard.html"
    return render(request, template, context)


@login_required
@require_POST
def reopen(request: AuthedRequest, pk: int, submission_pk: int) -> HttpResponse:
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    submission = get_object_or_404(Submission, pk=submission_pk, participation__cycle=cycle)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening."))
        return redirect("cycles:dashboard", cycle.pk)
    try:
        submissions.reopen(submission, reason=form.cleaned_data["reason"], by=request.user)
    except submissions.NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(unit)s can change its self-assessment again.")
            % {"unit": submission.participation.unit},
        )
    return redirect("cycles:dashboard", cycle.pk)


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
    form = CycleForm(request.POST or None)
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
@require_safe
def export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """Every unit's submitted answers in the data format of ``chiso score`` (docs/cli.md);
    units that have not submitted are ``no_data``."""
    cycle = get_cycle_for_assessor(request.user, pk)
    rows = unit_table.unit_rows(cycle.framework.framework, cycle_data(cycle))
    name = f"{slugify(cycle.name) or 'cycle'}-{cycle.year}"
    if fmt == "csv":
        response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        write_xlsx(rows, buffer, title=_("Data"))
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


@login_required
@require_safe
def audit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The audit trail of a cycle, by unit, criterion and action: who, when, old → new, why."""
    cycle = get_cycle_for_assessor(request.user, pk)
    filters = AuditFilter(cycle, request.GET or None)
    entries = AuditEntry.objects.filter(cycle=cycle).select_related("unit")
    if filters.is_valid():
        data = filters.cleaned_data
        if data["unit"]:
            entries = entries.filter(unit=data["unit"])
        if data["code"]:
            entries = entries.filter(code=data["code"].strip())
        if data["action"]:
            entries = entries.filter(action=Action(data["action"]))
    context = {"cycle": cycle, "filters": filters, "entries": entries[:500]}
    return render(request, "cycles/audit.html", context)
