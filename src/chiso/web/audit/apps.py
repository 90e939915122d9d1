from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "chiso.web.audit"
    label = "audit"
