from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    ANSWER = "answer", _("Answer changed")
    EVIDENCE_ADDED = "evidence_added", _("Evidence added")
    EVIDENCE_REMOVED = "evidence_removed", _("Evidence removed")
    SIGNED_SCAN = "signed_scan", _("Signed form uploaded")
    SUBMITTED = "submitted", _("Submitted")
    REOPENED = "reopened", _("Reopened")
    CYCLE_STATE = "cycle_state", _("Cycle state changed")
    FRAMEWORK = "framework", _("Framework uploaded")
    REVIEW = "review", _("Verified score changed")
    RESPONSE = "response", _("Unit responded")
    ROUND = "round", _("Review round changed")
    ASSIGNMENT = "assignment", _("Reviewer assignment changed")
    PUBLISHED = "published", _("Results published")
    PREVIOUS_IMPORTED = "previous_imported", _("Earlier results imported")
    ADDED = "added", _("Record added")
    CHANGED = "changed", _("Record changed")
    DELETED = "deleted", _("Record deleted")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_RESET = "password_reset", _("Password reset by e-mail")


class AuditEntry(models.Model):
    """One change: who, when, what (cycle, unit, criterion or record), old value → new value,
    why; the entries of a change of a cycle carry its number in the cycle
    (:class:`ChangeCount`), which says what changed since a count (:mod:`chiso.web.audit.kept`).

    Entries are only ever added; nothing in chiso updates or deletes them. The actor's name is
    stored with the entry, so that it stays when the person is deleted; a cycle or a unit with
    entries cannot be deleted.
    """

    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    actor_name = models.CharField(_("who"), max_length=150, blank=True)
    actor_username = models.CharField(_("user name"), max_length=150, blank=True)
    action = models.CharField(_("action"), max_length=24, choices=Action.choices)
    cycle = models.ForeignKey(
        "cycles.Cycle",
        verbose_name=_("cycle"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    unit = models.ForeignKey(
        "cycles.Unit",
        verbose_name=_("unit"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    code = models.CharField(_("criterion"), max_length=80, blank=True)
    target = models.CharField(
        _("record"), max_length=300, blank=True, help_text=_("e.g. cycles.cycle #3 and its name")
    )
    old = models.TextField(_("old value"), blank=True)
    new = models.TextField(_("new value"), blank=True)
    note = models.TextField(_("reason"), blank=True)
    change_no = models.PositiveBigIntegerField(
        _("change number"), null=True, blank=True, editable=False
    )
    detail = models.JSONField(_("detail"), default=dict, blank=True, editable=False)
    """What the note says in words, as data for what reads the trail back: a verdict's
    ``{"round": 2, "evidence_requested": false}``, an answer's ``{"field": "value"}`` or
    ``{"field": "note"}`` ({} in the entries written before it was kept)."""

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit trail")
        ordering = ["-at", "-id"]
        indexes = [
            models.Index(fields=["cycle", "unit", "code"]),
            models.Index(fields=["cycle", "change_no"]),
        ]

    def __str__(self) -> str:
        # the time as every page shows it: in the site's time zone, not UTC
        at = date_format(timezone.localtime(self.at), "SHORT_DATETIME_FORMAT")
        return f"{at} {self.get_action_display()} {self.code}".rstrip()


class ChangeCount(models.Model):
    """How many entries the trail holds of one cycle, counted in the transaction of each
    change: what the values computed from the cycle's data are kept under (audit.kept).
    Counted, not read from the entries' ids, because a database hands out ids in the order
    changes begin, not the order they commit; the row stays locked until the change commits,
    so a count that a page reads is never ahead of the data it reads next, and the numbers
    follow the order the changes commit in: every change up to a count read has committed,
    with its entries (each written with the number, :attr:`AuditEntry.change_no`)."""

    cycle = models.OneToOneField("cycles.Cycle", on_delete=models.CASCADE, related_name="+")
    count = models.PositiveBigIntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.cycle_id}: {self.count}"
