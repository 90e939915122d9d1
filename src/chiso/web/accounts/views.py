from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from chiso.web.accounts.access import AuthedRequest
from chiso.web.cycles.models import Cycle, CycleState, Participation


@login_required
@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    """Each person's start page: their unit's self-assessments, or the cycles they follow."""
    user = request.user
    if user.is_unit_member:
        participations = (
            Participation.objects.filter(unit=user.unit)
            .select_related("cycle")
            .exclude(cycle__state=CycleState.DRAFT)
            .order_by("-cycle__year")
        )
        if len(participations) == 1:
            return redirect("submissions:form", participations[0].pk)
        return render(request, "accounts/home_unit.html", {"participations": participations})
    cycles = Cycle.objects.select_related("framework")
    return render(request, "accounts/home.html", {"cycles": cycles})
