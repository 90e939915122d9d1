"""The JSON API, version 1: ``/api/v1/``, its OpenAPI schema at ``/api/v1/openapi.json`` and
its documentation at ``/api/v1/docs``.

Each part of the cycle adds its router here; the routers call the same services and access
helpers as the pages, so an API call is allowed exactly when the page would be.
"""

from __future__ import annotations

from ninja import NinjaAPI
from ninja.security import django_auth

from chiso.web.results.api import router as results_router

api = NinjaAPI(
    title="chiso API",
    version="1",
    urls_namespace="api-v1",
    auth=django_auth,  # session cookie; ninja checks the CSRF token on writes
)

api.add_router("/results/", results_router)
