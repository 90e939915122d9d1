from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CyclesConfig(AppConfig):
    name = "chiso.web.cycles"
    label = "cycles"
    verbose_name = _("Units, frameworks and cycles")
