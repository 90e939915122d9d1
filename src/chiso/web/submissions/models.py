from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chiso.web.cycles.models import Cycle, Participation, Unit

# an answer's columns, here and in a reviewer's verdict: the longest text answer (an info
# criterion's text, a choice) and the decimals of a ratio's denominator
MAX_TEXT_ANSWER = 200
DENOMINATOR_DECIMALS = 6


class SubmissionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted")


class Submission(models.Model):
    """A unit's self-assessment in a cycle. Submitting locks it; only a logged reopen unlocks."""

    participation = models.OneToOneField(
        Participation, on_delete=models.CASCADE, related_name="submission"
    )
    state = models.CharField(
        _("state"), max_length=16, choices=SubmissionState.choices, default=SubmissionState.DRAFT
    )
    submitted_at = models.DateTimeField(_("submitted at"), null=True, blank=True)
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    signed_scan = models.FileField(
        _("signed and stamped form"), upload_to="signed/%Y/", blank=True, max_length=300
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("self-assessment")
        verbose_name_plural = _("self-assessments")

    def __str__(self) -> str:
        return str(self.participation)

    @property
    def is_locked(self) -> bool:
        return self.state == SubmissionState.SUBMITTED


class Answer(models.Model):
    """One answer of a self-assessment, as the unit gave it.

    ``value`` is the canonical text of the answer: a number with a decimal point ("12.5",
    yes/no as "1"/"0") or a choice's option value; empty when not answered. ``revision``
    grows with every change, so that a stale form cannot overwrite a newer answer.
    """

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="answers")
    code = models.CharField(_("criterion"), max_length=80)
    value = models.CharField(_("answer"), max_length=MAX_TEXT_ANSWER, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=24, decimal_places=DENOMINATOR_DECIMALS, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("explanation"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("answer")
        verbose_name_plural = _("answers")
        constraints = [
            models.UniqueConstraint(fields=["submission", "code"], name="answer_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.value}"


ANSWERED = models.Q(not_applicable=True) | ~models.Q(value="")
"""The answers given: a value, or the criterion declared not applicable (the rule of
:func:`chiso.web.submissions.completeness.is_answered`, in the database)."""


def evidence_path(evidence: Evidence, filename: str) -> str:
    participation = evidence.submission.participation
    safe = PurePath(filename).name[-120:] or "file"
    return f"evidence/{participation.cycle_id}/{participation.unit_id}/{uuid.uuid4().hex}/{safe}"


class Reminder(models.Model):
    """A reminder of a cycle's deadline sent to a unit ``days_before`` days ahead: recorded so
    that it is sent once however often the command runs."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    days_before = models.PositiveSmallIntegerField()
    sent_at = models.DateTimeField(default=timezone.now)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["cycle", "unit", "days_before"], name="reminder_once")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} · {self.unit} · {self.days_before}"


class EvidenceQuerySet(models.QuerySet["Evidence"]):
    def current(self) -> EvidenceQuerySet:
        return self.filter(removed_at__isnull=True)


class Evidence(models.Model):
    """A file attached to one criterion. Removing it keeps the record (and the trail)."""

    submission = models.ForeignKey(Submission, on_delete=models.CASCADE, related_name="evidence")
    code = models.CharField(_("criterion"), max_length=80)
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    removed_at = models.DateTimeField(null=True, blank=True)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["code", "uploaded_at"]

    def __str__(self) -> str:
        return self.name
