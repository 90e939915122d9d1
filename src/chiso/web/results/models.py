from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from chiso.web.cycles.models import Cycle, FrameworkVersion


class PreviousResult(models.Model):
    """One unit's result of an earlier year, imported for a cycle (a file in the
    ``chiso score`` previous-results format), for the years the cycle history does not hold."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="previous_results")
    unit = models.CharField(_("unit"), max_length=200)
    block = models.CharField(_("block"), max_length=40, blank=True)
    year = models.PositiveIntegerField(_("year"))
    rank = models.PositiveIntegerField(_("rank"), null=True, blank=True)
    # the exact decimal as text ("" when there is none): a database's decimal column rounds
    # at its scale (and SQLite's keeps 15 digits), and a score change must be exact
    score = models.CharField(_("score"), max_length=60, blank=True)
    percent = models.CharField(_("percentage"), max_length=60, blank=True)
    tier = models.CharField(_("tier"), max_length=80, blank=True)
    source_name = models.CharField(_("file name"), max_length=200, blank=True)
    imported_at = models.DateTimeField(default=timezone.now)
    imported_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("previous result")
        verbose_name_plural = _("previous results")
        ordering = ["-year", "block", "rank", "unit"]

    def __str__(self) -> str:
        return f"{self.unit} {self.year}"


class ResultRevision(models.Model):
    """The published results of a cycle, frozen: the page, the API and later cycles read
    this snapshot and never recompute it. A correction is the next revision, with its reason.
    """

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("revision"))
    framework = models.ForeignKey(
        FrameworkVersion, verbose_name=_("framework"), on_delete=models.PROTECT, related_name="+"
    )
    data = models.JSONField(_("results"))
    """The head of the publication (:func:`chiso.reports.publication.head_of`): the report
    without its tables and charts, with the version of its form; the rest is in ``parts``."""
    reason = models.TextField(_("reason"), blank=True)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("published by"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    # the background job that stored it: a job run again finds its revision, never a second
    job = models.ForeignKey(
        "jobs.Job",
        verbose_name=_("background job"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("published results")
        verbose_name_plural = _("published results")
        ordering = ["cycle", "-number"]
        get_latest_by = "number"
        constraints = [
            models.UniqueConstraint(fields=["cycle", "number"], name="revision_unique_number")
        ]

    def __str__(self) -> str:
        return f"{self.cycle} — {self.number}"


class ResultPart(models.Model):
    """A piece of a published revision (:class:`chiso.reports.publication.Part`): a table, a
    chart, a unit's scorecard or the results' JSON text, stored exactly (decimals as text),
    so that no stored value nears a database limit and a page reads only what it shows."""

    class Kind(models.TextChoices):
        TABLE = "table"
        CHART = "chart"
        SCORECARD = "scorecard"
        RESULTS = "results"

    revision = models.ForeignKey(ResultRevision, on_delete=models.CASCADE, related_name="parts")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    key = models.CharField(max_length=200, blank=True)
    """The table's or chart's key, the unit's name; empty for the results."""
    block = models.CharField(max_length=40, blank=True)
    position = models.PositiveIntegerField()
    unit = models.ForeignKey(
        "cycles.Unit", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    """The unit of a scorecard."""
    data = models.JSONField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("part of published results")
        verbose_name_plural = _("parts of published results")
        ordering = ["revision", "position"]
        constraints = [
            models.UniqueConstraint(
                fields=["revision", "kind", "key"], name="result_part_unique_key"
            )
        ]
        indexes = [models.Index(fields=["revision", "kind", "unit"])]

    def __str__(self) -> str:
        return f"{self.revision} {self.kind} {self.key}"


def document_path(document: ResultDocument, filename: str) -> str:
    revision = document.revision
    return f"results/{revision.cycle_id}/{revision.number}/{filename}"


class ResultDocument(models.Model):
    """A publication file of a revision — the decision with its appendix (DOCX, PDF) or the
    workbook (XLSX) — written once when the revision is stored, so that it never changes."""

    revision = models.ForeignKey(ResultRevision, on_delete=models.CASCADE, related_name="documents")
    format = models.CharField(max_length=8)
    file = models.FileField(upload_to=document_path, max_length=300)

    class Meta:
        verbose_name = _("publication document")
        verbose_name_plural = _("publication documents")
        constraints = [
            models.UniqueConstraint(fields=["revision", "format"], name="document_unique_format")
        ]

    def __str__(self) -> str:
        return f"{self.revision} .{self.format}"


def draft_path(document: DraftDocument, filename: str) -> str:
    return f"results/{document.cycle_id}/drafts/{filename}"


class DraftDocument(models.Model):
    """A publication file of the draft — decision with appendix (DOCX, PDF) or workbook
    (XLSX) — written by a background job, served again while the results, the answers and
    the template it was written from are unchanged (``digest``)."""

    cycle = models.ForeignKey(Cycle, on_delete=models.CASCADE, related_name="draft_documents")
    format = models.CharField(max_length=8)
    digest = models.CharField(max_length=64)
    file = models.FileField(upload_to=draft_path, max_length=300)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("draft document")
        verbose_name_plural = _("draft documents")
        constraints = [
            models.UniqueConstraint(
                fields=["cycle", "format", "digest"], name="draft_document_unique_digest"
            )
        ]

    def __str__(self) -> str:
        return f"{self.cycle} .{self.format} ({self.digest[:8]})"
