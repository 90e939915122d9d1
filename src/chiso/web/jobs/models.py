"""The jobs people start that run in the background (django.tasks): what each is, who started
it, how far it got, and how it ended.

This app sits just above the people and below every app that starts a job, so it knows
nothing of cycles or results: a job names its cycle by number and its result by the link of
its page, and runs the task named by its path again when it is retried.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Kind(models.TextChoices):
    PUBLISH = "publish", _("Publication of the results")
    CORRECT = "correct", _("Correction of the results")
    DOCUMENT = "document", _("Draft document of the results")
    DRAFT = "draft", _("Computation of the draft results")
    EXPORT = "export", _("Export of the answers")
    IMPORT = "import", _("Import of earlier years' results")
    PEOPLE_CHECK = "people_check", _("Check of a file of units and people")
    PEOPLE_IMPORT = "people_import", _("Import of units and people")
    WORKBOOKS_CHECK = "workbooks_check", _("Check of the units' workbooks")
    WORKBOOKS_SAVE = "workbooks_save", _("Saving of the units' workbooks")


class State(models.TextChoices):
    QUEUED = "queued", _("Waiting for a worker")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


ACTIVE = (State.QUEUED, State.RUNNING)


class JobQuerySet(models.QuerySet["Job"]):
    def active(self) -> JobQuerySet:
        return self.filter(state__in=ACTIVE)


def job_path(job: Job, filename: str) -> str:
    return f"jobs/{job.pk}/{filename}"


class Job(models.Model):
    kind = models.CharField(_("kind"), max_length=32, choices=Kind.choices)
    # the cycle's number (a cycles.Cycle, named by number: this app is below cycles)
    cycle_pk = models.PositiveIntegerField(_("cycle"), null=True, blank=True)
    started_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("started by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="jobs",
    )
    # what the job does: the task's path and its parameters, enqueued again on a retry
    task = models.CharField(_("task"), max_length=200)
    params = models.JSONField(_("parameters"), default=dict, blank=True)
    # jobs of one key run one at a time (one publication per cycle); "" for no such rule
    key = models.CharField(_("key"), max_length=100, blank=True)
    attempt = models.PositiveIntegerField(_("attempt"), default=1)
    task_id = models.CharField(_("task result id"), max_length=64, blank=True)
    language = models.CharField(_("language"), max_length=8, default="vi")
    state = models.CharField(_("state"), max_length=16, choices=State.choices)
    percent = models.PositiveSmallIntegerField(_("percent done"), default=0)
    message = models.CharField(_("message"), max_length=300, blank=True)
    result_url = models.CharField(_("result link"), max_length=300, blank=True)
    result_label = models.CharField(_("result"), max_length=300, blank=True)
    error = models.TextField(_("error"), blank=True)
    # the file the job made (an export) or read (an upload): served to those who see the job
    file = models.FileField(_("file"), upload_to=job_path, max_length=300, blank=True)
    # what the job found, as plain values, for the page of its result (an import's preview)
    report = models.JSONField(_("report"), default=dict, blank=True)
    created_at = models.DateTimeField(_("started at"), default=timezone.now)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    # the last sign of life of its worker (or the time it was queued)
    heartbeat = models.DateTimeField(_("last report"), default=timezone.now)

    objects = JobQuerySet.as_manager()

    class Meta:
        verbose_name = _("background job")
        verbose_name_plural = _("background jobs")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["key"],
                condition=Q(state__in=["queued", "running"]) & ~Q(key=""),
                name="jobs_one_active_job_per_key",
            )
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} #{self.pk}"

    @property
    def is_active(self) -> bool:
        return self.state in ACTIVE
