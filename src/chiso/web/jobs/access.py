"""Who sees a job: the person who started it and the assessor's administrators; 404 for
everyone else (its existence is not revealed)."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.shortcuts import get_object_or_404

from chiso.web.accounts import roles
from chiso.web.jobs.models import Job

__all__ = ["get_job"]


def get_job(user: Any, pk: int) -> Job:
    job = get_object_or_404(Job.objects.select_related("started_by"), pk=pk)
    if not (roles.is_assessor(user) or (user.is_authenticated and job.started_by_id == user.pk)):
        raise Http404
    return job
