from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts import throttle

THROTTLED = _(
    "Too many failed logins. For your security, logging in to this account from this address "
    "is paused for %(minutes)s minutes; try again later or reset your password."
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
