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
    """A person of one assessor. Unit editors and unit heads belong to one unit and see only
    that unit; their assessor is their unit's. Site administrators (superusers) belong to no
    assessor: they manage them all."""

    full_name = models.CharField(_("full name"), max_length=150, blank=True)
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, default=Role.VIEWER)
    organisation = models.ForeignKey(
        "cycles.Organisation",
        verbose_name=_("assessor"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="people",
        help_text=_("Empty only for site administrators; a unit's people: their unit's."),
    )
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
        if self.unit_id is not None:  # the unit is the one source of a unit person's assessor
            owner = self.unit.organisation_id  # type: ignore[union-attr]
            if self.organisation_id not in (None, owner):
                raise ValidationError(
                    {"organisation": _("A unit's people belong to the assessor of their unit.")}
                )
            self.organisation_id = owner
        if self.organisation_id is None and not self.is_superuser:
            raise ValidationError(
                {"organisation": _("Everyone but a site administrator belongs to an assessor.")}
            )

    @property
    def agrees_with_unit(self) -> bool:
        """Whether the person's assessor is their unit's (always, for a person of no unit)."""
        return self.unit_id is None or self.organisation_id == self.unit.organisation_id  # type: ignore[union-attr]


class LoginCounter(models.Model):
    """The tries counted against one throttling key since ``started`` (accounts/throttle.py)."""

    key = models.CharField(max_length=160, unique=True)
    count = models.PositiveIntegerField(default=0)
    started = models.DateTimeField(db_index=True)

    def __str__(self) -> str:
        return f"{self.key}: {self.count}"
