"""What people are told: a notification in the site, with its e-mail unless the person turned
that kind off.

This app sits just above the people and below every app that emits events, so it knows
nothing of cycles or submissions: a notification holds its text and the address of the page
it is about. (The record of the deadline reminders sent is the submissions app's.)
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    CYCLE_OPENED = "cycle_opened", _("The self-assessment opened")
    DEADLINE = "deadline", _("The deadline nears")
    SUBMITTED = "submitted", _("A self-assessment submitted")
    REOPENED = "reopened", _("A self-assessment reopened")
    ROUND = "round", _("A review round opened or closed")
    EVIDENCE_REQUESTED = "evidence_requested", _("More evidence requested")
    RESPONSE = "response", _("A unit's response received")
    PUBLISHED = "published", _("Results published")


class Notification(models.Model):
    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    text = models.CharField(_("text"), max_length=1000)
    link = models.CharField(_("link"), max_length=500, blank=True)
    created_at = models.DateTimeField(_("sent at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)
    # the number of the person's unit when told (a cycles.Unit, named by its number: this app
    # is below cycles): a person moved to another unit since no longer follows its link
    unit_when_told = models.BigIntegerField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["person", "read_at"], name="notification_unread")]

    def __str__(self) -> str:
        return self.text

    def leads_to_its_page(self, person: Any) -> bool:
        """Whether the notification still links to its page for ``person`` (its recipient):
        not when they were told as a member of a unit they no longer belong to (its page is
        that unit's and would be refused)."""
        return self.unit_when_told is None or self.unit_when_told == person.unit_id


class EmailOff(models.Model):
    """A kind of notification the person gets in the site only, without its e-mail."""

    person = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="emails_off"
    )
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["person", "kind"], name="email_off_unique_kind")
        ]

    def __str__(self) -> str:
        return f"{self.person}: {self.kind}"
