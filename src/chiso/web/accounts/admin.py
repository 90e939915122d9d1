from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from chiso.web.accounts.models import User
from chiso.web.accounts.sites import AssessorPermissions


@admin.register(User)
class ChisoUserAdmin(AssessorPermissions, UserAdmin):  # type: ignore[type-arg]
    list_display = ("username", "full_name", "role", "unit", "is_active", "last_login")
    list_filter = ("role", "is_active", "unit")
    search_fields = ("username", "full_name", "email")
    list_select_related = ("unit",)
    fieldsets = (
        (None, {"fields": ("username", "password")}),
        (_("Person"), {"fields": ("full_name", "email", "role", "unit", "is_active")}),
        (
            _("Django permissions"),
            {"classes": ("collapse",), "fields": ("is_staff", "is_superuser", "groups")},
        ),
        (_("Dates"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (None, {"fields": ("username", "usable_password", "password1", "password2")}),
        (_("Person"), {"fields": ("full_name", "email", "role", "unit")}),
    )
    readonly_fields = ("last_login", "date_joined")

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = tuple(super().get_readonly_fields(request, obj))
        user: Any = request.user
        # only a superuser makes superusers: the assessor manages people by their role
        return fields if user.is_superuser else (*fields, "is_staff", "is_superuser", "groups")
