from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    ADMIN = "admin", _("Assessor administrator")
    REVIEWER = "reviewer", _("Reviewer")
    EDITOR = "editor", _("Unit editor")
    HEAD = "head", _("Unit head")
    VIEWER = "viewer", _("Viewer")


UNIT_ROLES = frozenset({Role.EDITOR, Role.HEAD})


class User(AbstractUser):
    """A person. Unit editors and unit heads belong to one unit and see only that unit."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    unit = models.ForeignKey(
        "cycles.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
    )
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    invited_at = models.DateTimeField(
        _("invited at"),
        null=True,
        blank=True,
        help_text=_("When the last invitation to set a password was sent."),
    )

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    def __str__(self) -> str:
        return self.full_name or self.username

    def clean(self) -> None:
        super().clean()
        if self.role in UNIT_ROLES and self.unit_id is None:
            raise ValidationError({"unit": _("A unit editor or unit head belongs to a unit.")})
        if self.role not in UNIT_ROLES and self.unit_id is not None:
            raise ValidationError({"unit": _("Only unit editors and unit heads belong to a unit.")})


class LoginCounter(models.Model):
    """The tries counted against one throttling key since ``started`` (accounts/throttle.py)."""

    key = models.CharField(max_length=160, unique=True)
    count = models.PositiveIntegerField(default=0)
    started = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
