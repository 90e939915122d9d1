"""Who may see which cycles and units, and the assessor's pages of cycles (/cycles/…).

A person who may not see an object gets 404 (its existence is not revealed); one who may see
it but not do the action gets 403. The assessor, viewers and reviewers follow every cycle and
unit; a unit's people only their own unit, in cycles that are open.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from chiso.web.accounts import roles
from chiso.web.cycles.models import Cycle, CycleState, Participation

__all__ = [
    "check_cycles",
    "get_cycle",
    "get_cycle_for_assessor",
    "get_participation",
    "visible_cycles",
    "visible_participations",
]


def visible_participations(user: Any, cycle: Cycle) -> QuerySet[Participation]:
    participations = cycle.participations.select_related("unit")
    if roles.follows_every_unit(user):
        return participations
    if roles.is_unit_member(user):
        return participations.filter(unit_id=user.unit_id)
    return participations.none()


def get_participation(user: Any, pk: int) -> Participation:
    """A participation the user may see: their own unit's, or any for assessor, reviewer and
    viewer (reviews narrow this to assignments)."""
    participation = get_object_or_404(
        Participation.objects.select_related("unit", "cycle", "cycle__framework"), pk=pk
    )
    if roles.is_unit_member(user):
        if not roles.is_member_of(user, participation.unit_id):
            raise Http404
    elif not roles.follows_every_unit(user):
        raise Http404
    return participation


def check_cycles(user: Any, *, change: bool = False) -> None:
    """The assessor's pages of cycles (/cycles/…): the assessor; viewers read them. A unit's
    people are not shown they exist (404); a reviewer, or a viewer for a change, gets 403."""
    if roles.is_unit_member(user):
        raise Http404
    if not (roles.is_assessor(user) or (roles.is_viewer(user) and not change)):
        raise PermissionDenied


def get_cycle_for_assessor(user: Any, pk: int) -> Cycle:
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    check_cycles(user)
    return cycle


def get_cycle(user: Any, pk: int) -> Cycle:
    """A cycle the user may follow: any for assessor, reviewer and viewer; for a unit's people
    one their unit takes part in, once it is open (what they see of it: visible_participations)."""
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    if roles.follows_every_unit(user):
        return cycle
    own = roles.is_unit_member(user) and cycle.state != CycleState.DRAFT
    if own and cycle.participations.filter(unit_id=user.unit_id).exists():
        return cycle
    raise Http404


def visible_cycles(user: Any) -> QuerySet[Cycle]:
    cycles = Cycle.objects.select_related("framework").order_by("-year", "name")
    if roles.follows_every_unit(user):
        return cycles
    if roles.is_unit_member(user):
        return cycles.filter(participations__unit_id=user.unit_id).exclude(state=CycleState.DRAFT)
    return cycles.none()
