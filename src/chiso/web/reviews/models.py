"""The review of a cycle ("thẩm định"): its rounds, the review team's assignments, the
verified answers and the units' responses ("giải trình").

Nothing is overwritten between rounds: a criterion keeps its self-assessed answer (in
submissions), a verdict of round 1, the unit's response and a verdict of round 2.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chiso.web.cycles.models import Cycle, Participation
from chiso.web.submissions.models import DENOMINATOR_DECIMALS, MAX_TEXT_ANSWER


class Stage(models.TextChoices):
    """Where the review of a cycle stands; see services.TRANSITIONS for the path."""

    ROUND_1 = "round_1", _("Round 1: review")
    RESPONSES = "responses", _("Round 1 closed: units respond")
    ROUND_2 = "round_2", _("Round 2: re-review")
    FINAL = "final", _("Final")


class Review(models.Model):
    """The review of one cycle, from the opening of round 1 to the final verified answers."""

    cycle = models.OneToOneField(Cycle, on_delete=models.CASCADE, related_name="review")
    stage = models.CharField(_("stage"), max_length=16, choices=Stage.choices)
    response_deadline = models.DateField(_("deadline for responses"), null=True, blank=True)
    updated_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")

    def __str__(self) -> str:
        return f"{self.cycle} — {self.get_stage_display()}"

    @property
    def current_round(self) -> int | None:
        """The round reviewers work in now (None between rounds and when final)."""
        return {Stage.ROUND_1: 1, Stage.ROUND_2: 2}.get(Stage(self.stage))

    @property
    def closed_rounds(self) -> tuple[int, ...]:
        """The rounds whose verdicts count and that units may read."""
        if self.stage == Stage.FINAL:
            return (1, 2)
        if self.stage in (Stage.RESPONSES, Stage.ROUND_2):
            return (1,)
        return ()

    @property
    def responses_open(self) -> bool:
        if self.stage != Stage.RESPONSES:
            return False
        return self.response_deadline is None or timezone.localdate() <= self.response_deadline


class Assignment(models.Model):
    """A reviewer's share of a cycle: one participating unit, or one top-level criteria group
    in every unit."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="assignments")
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("reviewer"),
        on_delete=models.CASCADE,
        related_name="assignments",
    )
    participation = models.ForeignKey(
        Participation,
        verbose_name=_("unit"),
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="assignments",
    )
    group = models.CharField(_("criteria group"), max_length=80, blank=True)

    class Meta:
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")
        ordering = ["reviewer__username", "participation__unit__name", "group"]
        constraints = [
            models.CheckConstraint(
                condition=Q(participation__isnull=True, group__gt="")
                | Q(participation__isnull=False, group=""),
                name="assignment_unit_or_group",
            ),
            models.UniqueConstraint(
                fields=["cycle", "reviewer", "participation"],
                condition=Q(participation__isnull=False),
                name="assignment_unique_unit",
            ),
            models.UniqueConstraint(
                fields=["cycle", "reviewer", "group"],
                condition=Q(participation__isnull=True),
                name="assignment_unique_group",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.reviewer}: {self.participation.unit if self.participation else self.group}"


class Verdict(models.Model):
    """A reviewer's decision on one criterion of one unit in one round.

    ``verified`` says whether a verified answer is given; a verdict may hold only a comment or
    a request for more evidence. The answer is stored as the self-assessment stores it
    (canonical text, denominator, not applicable), so that the core scores it the same way.
    """

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="verdicts"
    )
    round = models.PositiveSmallIntegerField(_("round"))
    code = models.CharField(_("criterion"), max_length=80)
    verified = models.BooleanField(_("verified answer given"), default=False)
    value = models.CharField(_("verified answer"), max_length=MAX_TEXT_ANSWER, blank=True)
    denominator = models.DecimalField(
        _("denominator"), max_digits=24, decimal_places=DENOMINATOR_DECIMALS, null=True, blank=True
    )
    not_applicable = models.BooleanField(_("not applicable"), default=False)
    comment = models.TextField(_("comment"), blank=True)
    evidence_requested = models.BooleanField(_("more evidence requested"), default=False)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("verdict")
        verbose_name_plural = _("verdicts")
        ordering = ["participation", "round", "code"]
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "round", "code"], name="verdict_unique_code"
            )
        ]

    def __str__(self) -> str:
        return f"{self.code} ({self.round}): {self.value}"


class Response(models.Model):
    """A unit's response ("giải trình") to round 1 on one criterion."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="responses"
    )
    code = models.CharField(_("criterion"), max_length=80)
    text = models.TextField(_("response"), blank=True)
    revision = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(default=timezone.now)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("response")
        verbose_name_plural = _("responses")
        ordering = ["participation", "code"]
        constraints = [
            models.UniqueConstraint(fields=["participation", "code"], name="response_unique_code")
        ]

    def __str__(self) -> str:
        return f"{self.code}: {self.text[:40]}"


def response_file_path(file: ResponseFile, filename: str) -> str:
    participation = file.response.participation
    safe = PurePath(filename).name[-120:] or "file"
    return f"responses/{participation.cycle_id}/{participation.unit_id}/{uuid.uuid4().hex}/{safe}"


class ResponseFile(models.Model):
    """New evidence attached to a response; stored like evidence, never served directly."""

    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="files")
    file = models.FileField(_("file"), upload_to=response_file_path, max_length=300)
    name = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField()
    sha256 = models.CharField(max_length=64)
    uploaded_at = models.DateTimeField(default=timezone.now)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("response file")
        verbose_name_plural = _("response files")
        ordering = ["uploaded_at", "id"]

    def __str__(self) -> str:
        return self.name
