from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.admin.forms import AdminAuthenticationForm
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts import throttle

THROTTLED = _(
    "Too many failed logins. For your security, logging in is blocked for 15 minutes; "
    "try again later or ask the assessor administrator."
)


class ThrottledLoginMixin:
    """Refuses logins while the username or the address is locked; counts failures."""

    request: Any
    cleaned_data: dict[str, Any]

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        ip = throttle.client_ip(self.request)
        if throttle.is_locked(username, ip):
            raise forms.ValidationError(THROTTLED, code="throttled")
        try:
            data: dict[str, Any] = super().clean()  # type: ignore[misc]
        except forms.ValidationError:
            throttle.failed(username, ip)
            raise
        throttle.succeeded(username)
        return data


class LoginForm(ThrottledLoginMixin, AuthenticationForm):
    pass


class AdminLoginForm(ThrottledLoginMixin, AdminAuthenticationForm):
    pass
