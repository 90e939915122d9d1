from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth import forms as auth_forms
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts import services, throttle
from chiso.web.accounts.invitations import invite
from chiso.web.accounts.models import User
from chiso.web.audit.models import Action

THROTTLED = _(
    "Too many failed logins. For your security, logging in to this account from this address "
    "is paused for %(minutes)s minutes; try again later or reset your password."
)
RESET_THROTTLED = _(
    "Too many password reset requests from this address; try again in %(minutes)s minutes."
)


def _minutes() -> dict[str, int]:
    return {"minutes": int(throttle.window().total_seconds() // 60)}


class ThrottledLoginMixin:
    """Reserves the try before the password is checked (accounts/throttle.py)."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username")
        if username is None or not self.cleaned_data.get("password"):
            return super().clean()  # type: ignore[misc,no-any-return]  # a field is missing
        ip = throttle.client_ip(self.request) if self.request is not None else ""
        if not throttle.reserve_login(username, ip):
            raise forms.ValidationError(THROTTLED, code="throttled", params=_minutes())
        data: dict[str, Any] = super().clean()  # type: ignore[misc]
        throttle.succeeded(username, ip)
        return data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass


class PasswordResetForm(auth_forms.PasswordResetForm):
    """Django's form, throttled per address; it answers the same whether the address is a
    person's or not. Django sends nothing to a person without a usable password: an active
    person invited who never chose one gets a fresh invitation instead (its link sets it)."""

    def __init__(self, *args: Any, request: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.request = request

    def clean(self) -> dict[str, Any]:
        super().clean()
        ip = throttle.client_ip(self.request) if self.request is not None else ""
        if "email" in self.cleaned_data and not throttle.reserve_reset(ip):
            raise forms.ValidationError(RESET_THROTTLED, code="throttled", params=_minutes())
        return self.cleaned_data

    def save(self, *args: Any, **kwargs: Any) -> None:
        super().save(*args, **kwargs)
        email = self.cleaned_data["email"]
        for person in User.objects.filter(email__iexact=email, is_active=True):
            if not person.has_usable_password():
                invite(person)


class SetPasswordForm(auth_forms.SetPasswordForm):  # type: ignore[type-arg]
    """A new password from a reset link."""

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["new_password1"]
        return services.set_password(self.user, password, action=Action.PASSWORD_RESET)


class PasswordChangeForm(auth_forms.PasswordChangeForm):
    """A logged-in person's own new password."""

    def save(self, commit: bool = True) -> User:
        password = self.cleaned_data["new_password1"]
        return services.set_password(self.user, password, action=Action.PASSWORD_CHANGED)
