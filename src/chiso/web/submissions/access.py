"""Who may read and change a self-assessment and its files (see accounts/access.py).

Reading follows :func:`get_participation`: the unit's own people, the assessor, reviewers
and viewers; anyone else gets 404. Downloading a file follows :func:`access.reads_files`
(viewers get 403). Changing is for the unit's editors and head only: the others, who may
read, get 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from chiso.web.accounts import access
from chiso.web.accounts.access import get_participation
from chiso.web.cycles.models import Participation
from chiso.web.submissions.models import Evidence, Submission


def get_for_reading(user: Any, pk: int) -> tuple[Participation, Submission | None]:
    """The participation and its self-assessment (None before its first answer)."""
    participation = get_participation(user, pk)
    return participation, Submission.objects.filter(participation=participation).first()


def get_for_change(user: Any, pk: int) -> Participation:
    participation = get_participation(user, pk)
    if not (user.is_unit_member and user.unit_id == participation.unit_id):
        raise PermissionDenied
    return participation


def get_evidence(user: Any, pk: int, evidence_pk: int, *, change: bool = False) -> Evidence:
    """A current evidence file of the participation ``pk``, for a person who may download it
    (or change it, with ``change``)."""
    if not change:
        return access.get_evidence(user, evidence_pk, participation=pk)
    participation = get_for_change(user, pk)
    return get_object_or_404(
        Evidence.objects.select_related("submission"),
        pk=evidence_pk,
        submission__participation=participation,
        removed_at__isnull=True,
    )
