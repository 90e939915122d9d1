from django.apps import AppConfig


class JobsConfig(AppConfig):
    name = "chiso.web.jobs"
    label = "jobs"
