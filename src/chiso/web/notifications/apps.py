from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "chiso.web.notifications"
    label = "notifications"
