from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from chiso.web.accounts.sites import AssessorPermissions
from chiso.web.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(AssessorPermissions, admin.ModelAdmin):  # type: ignore[type-arg]
    """The trail is read-only: nothing adds, changes or deletes an entry by hand."""

    list_display = (
        "at", "actor_name", "action", "cycle", "unit", "target", "code", "old", "new", "note",
    )  # fmt: skip
    list_filter = ("action", "cycle", "unit")
    search_fields = ("code", "target", "note", "old", "new", "actor_name", "actor_username")
    list_select_related = ("cycle", "unit")
    date_hierarchy = "at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [field.name for field in AuditEntry._meta.fields]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
