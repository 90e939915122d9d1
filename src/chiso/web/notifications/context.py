"""The bell in every page's header: the person's unread notifications, counted in one query,
and only when a page shows the bell (the template calls the function, once)."""

from __future__ import annotations

from functools import cache
from typing import Any

from django.http import HttpRequest

from chiso.web.notifications.services import unread_count


def unread(request: HttpRequest) -> dict[str, Any]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}

    @cache
    def count() -> int:
        return unread_count(user)

    return {"unread_notifications": count}
