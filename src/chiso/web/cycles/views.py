"""The assessor's pages of cycles: the list, a new cycle, a cycle's state (the dashboard of a
cycle, which gathers the units' self-assessments, and its audit trail, which speaks of them,
are the console's)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles.access import check_cycles, get_cycle_for_assessor
from chiso.web.cycles.forms import CycleForm, StateForm
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.cycles.services import TransitionNotAllowed, change_state, create_cycle


@login_required
@require_safe
def cycle_list(request: AuthedRequest) -> HttpResponse:
    check_cycles(request.user)
    cycles = Cycle.objects.select_related("framework").order_by("-year", "name")
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
