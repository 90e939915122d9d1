"""Who may see which cycles and units, and the assessor's pages of cycles (/cycles/…).

A person who may not see an object gets 404 (its existence is not revealed); one who may see
it but not do the action gets 403. The assessor's administrator, viewers and reviewers follow
every cycle of their assessor and every unit taking part in it; a unit's people only their own
unit, in the open cycles of every assessor it takes part with. Another assessor's cycles, units,
frameworks and people are not shown to exist (404); a site administrator sees every assessor's.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404

from chiso.web.accounts import roles
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation

__all__ = [
    "assessor_scope",
    "check_cycles",
    "get_cycle",
    "get_cycle_for_assessor",
    "get_participation",
    "visible_cycles",
    "visible_organisations",
    "visible_participations",
]


def assessor_scope(user: Any, field: str = "organisation") -> Q:
    """The filter of the records of the person's assessor, ``field`` leading to the record's
    assessor (``"cycle__organisation"``): every assessor's for a site administrator, none for
    a person of no assessor."""
    if roles.is_site_admin(user):
        return Q()
    own = roles.organisation_id(user)
    return Q(**{field: own}) if own is not None else Q(pk__in=[])


def visible_organisations(user: Any) -> QuerySet[Organisation]:
    """The assessors whose records the person manages or reads: their own (every one for a
    site administrator)."""
    return Organisation.objects.filter(assessor_scope(user, "pk")).order_by("name")


def _check_assessor(user: Any, cycle: Cycle) -> None:
    """Another assessor's cycle does not exist for the assessor's people (404); a unit's
    people are checked by their unit."""
    if not roles.is_unit_member(user) and not roles.belongs_to(user, cycle.organisation_id):
        raise Http404


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
    _check_assessor(user, participation.cycle)
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
    _check_assessor(user, cycle)
    check_cycles(user)
    return cycle


def get_cycle(user: Any, pk: int) -> Cycle:
    """A cycle the user may follow: any of their assessor's for assessor, reviewer and viewer;
    for a unit's people one their unit takes part in, once it is open, whichever its assessor
    (what they see of it: visible_participations)."""
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    _check_assessor(user, cycle)
    if roles.follows_every_unit(user):
        return cycle
    own = roles.is_unit_member(user) and cycle.state != CycleState.DRAFT
    if own and cycle.participations.filter(unit_id=user.unit_id).exists():
        return cycle
    raise Http404


def visible_cycles(user: Any) -> QuerySet[Cycle]:
    cycles = Cycle.objects.select_related("framework").order_by("-year", "name")
    if roles.follows_every_unit(user):
        return cycles.filter(assessor_scope(user))
    if roles.is_unit_member(user):
        return cycles.filter(participations__unit_id=user.unit_id).exclude(state=CycleState.DRAFT)
    return cycles.none()
