"""The error pages: Vietnamese pages in the site's layout (templates/403.html, 404.html, …),
or JSON ``{"detail": …}`` under /api/, as the API's own errors are; and a log filter that keeps
a refusal to one line."""

from __future__ import annotations

import logging
from http import HTTPStatus

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext_lazy as _
from django.views import defaults

_DETAILS = {
    400: _("Bad Request"),
    401: _("Unauthorized"),
    403: _("Forbidden"),
    404: _("Not Found"),
    500: _("Internal Server Error"),
}


def error_detail(status: int) -> str:
    """The API's ``detail`` for an error that has no message of its own, in the request's
    language (never the exception's text: "No Cycle matches the given query")."""
    return str(_DETAILS.get(status, HTTPStatus(status).phrase))


def _api(request: HttpRequest, status: int) -> JsonResponse | None:
    if request.path.startswith("/api/"):
        return JsonResponse({"detail": error_detail(status)}, status=status)
    return None


def bad_request(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api(request, 400) or defaults.bad_request(request, exception)


def permission_denied(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api(request, 403) or defaults.permission_denied(request, exception)


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return _api(request, 404) or defaults.page_not_found(request, exception)


def server_error(request: HttpRequest) -> HttpResponse:
    # 500.html is rendered without the request's context: it must not need the database
    return _api(request, 500) or defaults.server_error(request)


class ClientErrorsWithoutTraceback(logging.Filter):
    """A refused request (4xx) is the client's doing: its line is enough, the traceback of the
    PermissionDenied or SuspiciousOperation behind it only hides the server errors' ones."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", 500) < 500:
            record.exc_info = None
            record.exc_text = None
        return True
