from django.contrib import admin
from django.http import HttpRequest

from chiso.web.results.models import PreviousResult, ResultRevision


@admin.register(ResultRevision)
class ResultRevisionAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    """Read only: revisions are made by publishing and correcting, never edited."""

    list_display = ["cycle", "number", "published_at", "published_by", "reason"]
    list_filter = ["cycle"]
    exclude = ["data"]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(
        self, request: HttpRequest, obj: ResultRevision | None = None
    ) -> bool:
        return False

    def has_delete_permission(
        self, request: HttpRequest, obj: ResultRevision | None = None
    ) -> bool:
        return False


@admin.register(PreviousResult)
class PreviousResultAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["unit", "block", "year", "rank", "score", "tier", "cycle"]
    list_filter = ["cycle", "year"]
