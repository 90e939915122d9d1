"""The JSON API, version 1: ``/api/v1/``, its OpenAPI schema at ``/api/v1/openapi.json`` and
its documentation at ``/api/v1/docs`` (docs/api.md): Swagger UI from the site's static files
(swagger-ui-dist 5.36.0 from npm, in static/swagger-ui/), as ninja's default loads it from a
CDN, which a closed network does not reach.

Each part of the cycle adds its router here; the routers call the same services and access
helpers as the pages, so an API call is allowed exactly when the page would be. Errors are
JSON: ``{"detail": "…", "field": "…"}``.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.csp import CSP
from django.views.decorators.csp import csp_override
from ninja import NinjaAPI
from ninja.errors import AuthenticationError
from ninja.openapi.docs import DocsBase
from ninja.security import django_auth

from chiso.web.api.routers import cycles, submissions
from chiso.web.cycles.lineage import LineageRefused
from chiso.web.cycles.services import TransitionNotAllowed
from chiso.web.errors import error_detail
from chiso.web.results.api import router as results
from chiso.web.submissions.scoring import AnswerError
from chiso.web.submissions.services import NotAllowed


class Swagger(DocsBase):
    """Swagger UI in the site's layout, from the site's own files (api/docs.html)."""

    def render_page(self, request: HttpRequest, api: NinjaAPI, **kwargs: Any) -> HttpResponse:
        options = {
            "url": self.get_openapi_url(api, kwargs),
            "layout": "BaseLayout",
            "deepLinking": True,
            "validatorUrl": None,  # no badge fetched from validator.swagger.io
        }
        return render(request, "api/docs.html", {"api": api, "swagger_settings": options})


# Swagger UI's style sheet draws its icons as data: images; the site's other pages show none
DOCS_POLICY: dict[str, Collection[str]] = {**settings.SECURE_CSP, "img-src": [CSP.SELF, "data:"]}


api = NinjaAPI(
    title="chiso API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,  # session cookie; ninja checks the CSRF token on writes
    docs=Swagger(),
    docs_decorator=csp_override(DOCS_POLICY),
)
api.add_router("/cycles/", cycles)
api.add_router("/submissions/", submissions)
api.add_router("/results/", results)  # public: the router's auth is None


@api.exception_handler(PermissionDenied)
@api.exception_handler(NotAllowed)
@api.exception_handler(TransitionNotAllowed)
def forbidden(request: HttpRequest, error: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": str(error) or error_detail(403)}, status=403)


@api.exception_handler(Http404)
def not_found(request: HttpRequest, error: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": error_detail(404)}, status=404)


@api.exception_handler(AuthenticationError)
def not_logged_in(request: HttpRequest, error: Exception) -> HttpResponse:
    return api.create_response(request, {"detail": error_detail(401)}, status=401)


@api.exception_handler(LineageRefused)
def lineage_refused(request: HttpRequest, error: LineageRefused) -> HttpResponse:
    return api.create_response(request, {"detail": str(error), "field": error.field}, status=422)


@api.exception_handler(AnswerError)
def bad_answer(request: HttpRequest, error: Exception) -> HttpResponse:
    field = getattr(error, "field", "value")
    return api.create_response(request, {"detail": str(error), "field": field}, status=422)
