from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_safe

from chiso.web.accounts.access import AuthedRequest
from chiso.web.accounts.forms import LoginForm, PasswordResetForm
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


def _throttled(form: Any, response: Any) -> Any:
    """A refused try answers 429 (Too Many Requests), with the form and its message."""
    if form.has_error(NON_FIELD_ERRORS, code="throttled"):
        response.status_code = 429
    return response


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm

    def form_invalid(self, form: Any) -> HttpResponse:
        return _throttled(form, super().form_invalid(form))  # type: ignore[no-any-return]


class PasswordResetView(auth_views.PasswordResetView):
    form_class = PasswordResetForm

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: Any) -> HttpResponse:
        return _throttled(form, super().form_invalid(form))  # type: ignore[no-any-return]
