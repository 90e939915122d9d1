from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "chiso.web.api"
    label = "api"
