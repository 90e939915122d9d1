from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    name = "chiso.web.accounts"
    label = "accounts"
    verbose_name = _("People")

    def ready(self) -> None:
        from chiso.web.accounts import checks  # noqa: F401  (registers them)


class ChisoAdminConfig(admin_apps.AdminConfig):
    """The administration site, open to the assessor administrator (accounts/sites.py)."""

    default = False  # named in INSTALLED_APPS in place of django.contrib.admin
    default_site = "chiso.web.accounts.sites.AssessorAdminSite"
