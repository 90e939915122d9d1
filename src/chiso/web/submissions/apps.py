from django.apps import AppConfig


class SubmissionsConfig(AppConfig):
    name = "chiso.web.submissions"
    label = "submissions"
