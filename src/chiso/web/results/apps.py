from django.apps import AppConfig


class ResultsConfig(AppConfig):
    name = "chiso.web.results"
    label = "results"
