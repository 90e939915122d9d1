"""Who sees a job: the person who started it and the administrators of that person's
assessor; 404 for everyone else (its existence is not revealed)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from chiso.web.accounts import roles
from chiso.web.jobs.models import Job

__all__ = ["get_job"]


def get_job(user: Any, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("started_by"), pk=pk)
    if user.is_authenticated and job.started_by_id == user.pk:
        return job
    starter = job.started_by
    assessor = starter.organisation_id if starter is not None else None
    if not (roles.is_assessor(user) and roles.belongs_to(user, assessor)):
        raise Http404
    return job
