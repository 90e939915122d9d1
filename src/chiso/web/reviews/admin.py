"""The review's rows in the admin: read for support; changes go through the review pages,
which check the rounds and write the audit trail."""

from __future__ import annotations

from django.contrib import admin

from chiso.web.reviews.models import Assignment, Response, Review, Verdict


class ReadOnly(admin.ModelAdmin):  # type: ignore[type-arg]
    def has_add_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Review)
class ReviewAdmin(ReadOnly):
    list_display = ["cycle", "stage", "response_deadline"]


@admin.register(Assignment)
class AssignmentAdmin(ReadOnly):
    list_display = ["cycle", "reviewer", "participation", "group"]
    list_filter = ["cycle", "reviewer"]


@admin.register(Verdict)
class VerdictAdmin(ReadOnly):
    list_display = ["participation", "round", "code", "verified", "value", "evidence_requested"]
    list_filter = ["round", "participation__cycle"]
    search_fields = ["participation__unit__name", "code"]


@admin.register(Response)
class ResponseAdmin(ReadOnly):
    list_display = ["participation", "code", "updated_at"]
    search_fields = ["participation__unit__name", "code"]
