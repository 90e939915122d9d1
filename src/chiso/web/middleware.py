from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


def vietnamese_by_default(
    get_response: Callable[[HttpRequest], HttpResponse],
) -> Callable[[HttpRequest], HttpResponse]:
    """Pages are Vietnamese unless the person chose English (the language switch's cookie):
    the browser's own language list is not consulted, so an office computer set up in English
    still shows Vietnamese."""

    def middleware(request: HttpRequest) -> HttpResponse:
        request.META.pop("HTTP_ACCEPT_LANGUAGE", None)
        return get_response(request)

    return middleware
