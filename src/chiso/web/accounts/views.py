from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse

from chiso.web.accounts.forms import LoginForm, PasswordResetForm


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
