from django.urls import path
from django.views.generic import RedirectView

from chiso.web.api.api import api

# the addresses people guess for the API's docs lead to the current version's page (/api/v1/
# before the API's own root, which answers 404); not permanent (302): browsers would keep a
# 301 for good, and a later version's docs will be the page to lead to then
to_docs = RedirectView.as_view(pattern_name="api-v1:openapi-view", permanent=False)

urlpatterns = [
    path("", to_docs, name="api-docs"),
    path("docs", to_docs, name="api-docs"),
    path("docs/", to_docs, name="api-docs"),
    path("v1/", to_docs, name="api-docs"),
    path("v1/docs/", to_docs, name="api-docs"),
    path("v1/", api.urls),
]
