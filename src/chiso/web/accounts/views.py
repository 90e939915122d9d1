from __future__ import annotations

from typing import Any

from django.contrib.auth import views as auth_views
from django.core.exceptions import NON_FIELD_ERRORS
from django.http import HttpResponse
from django.urls import reverse_lazy

from chiso.web.accounts.forms import LoginForm, PasswordResetForm, SetPasswordForm
from chiso.web.accounts.invitations import tokens
from chiso.web.accounts.mail import site_url


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
    html_email_template_name = "registration/password_reset_email_html.html"

    @property
    def extra_email_context(self) -> dict[str, Any]:  # type: ignore[override]
        return {"site_url": site_url()}

    def get_form_kwargs(self) -> dict[str, Any]:
        return {**super().get_form_kwargs(), "request": self.request}

    def form_invalid(self, form: Any) -> HttpResponse:
        return _throttled(form, super().form_invalid(form))  # type: ignore[no-any-return]


class InvitationView(auth_views.PasswordResetConfirmView):
    """An invitation's link: the person chooses their password and is logged in."""

    form_class = SetPasswordForm
    token_generator = tokens
    post_reset_login = True
    success_url = reverse_lazy("home")
    template_name = "registration/invitation_confirm.html"

    def get_user(self, uidb64: str) -> Any:
        user = super().get_user(uidb64)
        return user if user is not None and user.is_active else None
