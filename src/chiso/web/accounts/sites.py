"""The administration site, open to the assessor administrator without a developer: the role
gives access to the models chiso registers, no Django permission to set by hand."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts.forms import AdminLoginForm, PasswordChangeForm


class AssessorAdminSite(admin.AdminSite):
    site_header = _("chiso administration")
    site_title = _("chiso administration")
    index_title = _("Units, frameworks, cycles and people")
    login_form = AdminLoginForm
    password_change_form = PasswordChangeForm  # audited, as on the site's own page

    def has_permission(self, request: HttpRequest) -> bool:
        user: Any = request.user
        return bool(user.is_active and (user.is_staff or getattr(user, "is_assessor", False)))


class AssessorPermissions:
    """Model admin permissions by role: the assessor administrator manages these records."""

    def has_module_permission(self, request: HttpRequest) -> bool:
        return _assessor(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _assessor(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return _assessor(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _assessor(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return _assessor(request)


def _assessor(request: HttpRequest) -> bool:
    user: Any = request.user
    return bool(user.is_active and getattr(user, "is_assessor", False))
