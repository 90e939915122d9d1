from django.urls import path

from chiso.web.api.api import api

urlpatterns = [
    path("v1/", api.urls),
]
