"""Who may read and change a self-assessment and its files.

Reading follows :func:`cycles.access.get_participation`: the unit's own people, the assessor,
reviewers and viewers; anyone else gets 404. Downloading a file follows
:func:`roles.reads_files` (viewers get 403). Changing is for the unit's editors and head only:
the others, who may read, get 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from chiso.web.accounts import roles
from chiso.web.cycles.access import get_participation
from chiso.web.cycles.models import Participation
from chiso.web.submissions.models import Evidence, Submission

__all__ = [
    "get_evidence",
    "get_for_change",
    "get_for_reading",
    "get_for_workbook",
    "get_signed_scan",
    "read_evidence",
    "require_head",
]


def get_for_reading(user: Any, pk: int) -> tuple[Participation, Submission | None]:
    """The participation and its self-assessment (None before its first answer)."""
    participation = get_participation(user, pk)
    return participation, Submission.objects.filter(participation=participation).first()


def get_for_change(user: Any, pk: int) -> Participation:
    participation = get_participation(user, pk)
    if not roles.is_member_of(user, participation.unit_id):
        raise PermissionDenied
    return participation


def get_for_workbook(user: Any, pk: int) -> Participation:
    """The form as a workbook is for the unit's people and the assessor (who hands the units
    their workbooks); reviewers and viewers, who read the form, get 403."""
    participation = get_participation(user, pk)
    if not (roles.is_member_of(user, participation.unit_id) or roles.is_assessor(user)):
        raise PermissionDenied
    return participation


def require_head(user: Any) -> None:
    """Submitting is the unit head's: the unit's editor gets 403."""
    if not roles.can_submit(user):
        raise PermissionDenied


def get_evidence(user: Any, pk: int, evidence_pk: int, *, change: bool = False) -> Evidence:
    """A current evidence file of the participation ``pk``, for a person who may download it
    (or change it, with ``change``)."""
    if not change:
        return read_evidence(user, evidence_pk, participation=pk)
    participation = get_for_change(user, pk)
    return get_object_or_404(
        Evidence.objects.select_related("submission"),
        pk=evidence_pk,
        submission__participation=participation,
        removed_at__isnull=True,
    )


def read_evidence(user: Any, pk: int, *, participation: int | None = None) -> Evidence:
    """An evidence file to download: its unit's people, reviewers and the assessor; a viewer
    sees that it exists (403), a person of another unit does not (404). With
    ``participation`` (the page's URL), only a current file of that participation."""
    found = Evidence.objects.select_related("submission__participation")
    if participation is not None:
        found = found.filter(submission__participation_id=participation, removed_at__isnull=True)
    evidence = get_object_or_404(found, pk=pk)
    get_participation(user, evidence.submission.participation_id)
    if not roles.reads_files(user):
        raise PermissionDenied
    return evidence


def get_signed_scan(user: Any, pk: int) -> Submission:
    """The self-assessment of participation ``pk`` with its signed form, to download (who:
    as :func:`read_evidence`); 404 when it has none."""
    participation = get_participation(user, pk)
    if not roles.reads_files(user):
        raise PermissionDenied
    submission = Submission.objects.filter(participation=participation).first()
    if submission is None or not submission.signed_scan:
        raise Http404
    return submission
