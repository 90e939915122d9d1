"""Who may see and change what: one helper per object type, used by every view and API call.

A person who may not see an object gets 404 (its existence is not revealed); one who may see
it but not do the action gets 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404, HttpRequest
from django.shortcuts import get_object_or_404

from chiso.web.accounts.models import User
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.submissions.models import Evidence, Submission


class AuthedRequest(HttpRequest):
    """The request of a view behind ``login_required``: its user is a :class:`User`."""

    user: User


def visible_participations(user: Any, cycle: Cycle) -> QuerySet[Participation]:
    participations = cycle.participations.select_related("unit")
    if user.is_assessor or user.role in ("viewer", "reviewer"):
        return participations
    if user.is_unit_member:
        return participations.filter(unit_id=user.unit_id)
    return participations.none()


def get_participation(user: Any, pk: int) -> Participation:
    """A participation the user may see: their own unit's, or any for assessor, reviewer and
    viewer (reviews narrow this to assignments)."""
    participation = get_object_or_404(
        Participation.objects.select_related("unit", "cycle", "cycle__framework"), pk=pk
    )
    if not user.is_authenticated:
        raise Http404
    if user.is_unit_member and participation.unit_id != user.unit_id:
        raise Http404
    if not (user.is_unit_member or user.is_assessor or user.role in ("viewer", "reviewer")):
        raise Http404
    return participation


def check_cycles(user: Any, *, change: bool = False) -> None:
    """The assessor's pages of cycles (/cycles/…): the assessor; viewers read them. A unit's
    people are not shown they exist (404); a reviewer, or a viewer for a change, gets 403."""
    if user.is_unit_member:
        raise Http404
    if not (user.is_assessor or (user.role == "viewer" and not change)):
        raise PermissionDenied


def get_cycle_for_assessor(user: Any, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    check_cycles(user)
    return cycle


def require_assessor(user: Any) -> None:
    if not user.is_assessor:
        raise PermissionDenied


def get_cycle(user: Any, pk: int) -> Cycle:
    """A cycle the user may follow: any for assessor, reviewer and viewer; for a unit's people
    one their unit takes part in, once it is open (what they see of it: visible_participations)."""
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    if user.is_assessor or user.role in ("viewer", "reviewer"):
        return cycle
    own = user.is_unit_member and cycle.state != "draft"
    if own and cycle.participations.filter(unit_id=user.unit_id).exists():
        return cycle
    raise Http404


def visible_cycles(user: Any) -> QuerySet[Cycle]:
    cycles = Cycle.objects.select_related("framework").order_by("-year", "name")
    if user.is_assessor or user.role in ("viewer", "reviewer"):
        return cycles
    if user.is_unit_member:
        return cycles.filter(participations__unit_id=user.unit_id).exclude(state="draft")
    return cycles.none()


def reads_files(user: Any) -> bool:
    """Whether the user downloads the files of a unit they see (evidence, the signed form,
    review responses): its own people, the assessor and reviewers, not viewers."""
    return bool(user.is_unit_member or user.is_assessor or user.is_reviewer)


def get_evidence(user: Any, pk: int, *, participation: int | None = None) -> Evidence:
    """An evidence file to download: its unit's people, reviewers and the assessor; a viewer
    sees that it exists (403), a person of another unit does not (404). With
    ``participation`` (the page's URL), only a current file of that participation."""
    found = Evidence.objects.select_related("submission__participation")
    if participation is not None:
        found = found.filter(submission__participation_id=participation, removed_at__isnull=True)
    evidence = get_object_or_404(found, pk=pk)
    get_participation(user, evidence.submission.participation_id)
    if not reads_files(user):
        raise PermissionDenied
    return evidence


def get_signed_scan(user: Any, pk: int) -> Submission:
    """The self-assessment of participation ``pk`` with its signed form, to download (who:
    as :func:`get_evidence`); 404 when it has none."""
    participation = get_participation(user, pk)
    if not reads_files(user):
        raise PermissionDenied
    submission = Submission.objects.filter(participation=participation).first()
    if submission is None or not submission.signed_scan:
        raise Http404
    return submission
