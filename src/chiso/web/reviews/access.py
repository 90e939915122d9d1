"""Who may review and read what. A reviewer sees only the units of their assignments (404
for any other); the assessor sees every unit; a unit sees only its own, and only the rounds
that are closed. Another assessor's cycles are not shown to exist (404)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from chiso.core import Framework
from chiso.web.accounts import roles
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.reviews.models import Assignment


@dataclass(frozen=True)
class Scope:
    """The criteria a person reviews in one unit: all of them, or some top-level groups."""

    groups: frozenset[str] | None = None

    def covers(self, framework: Framework, code: str) -> bool:
        if self.groups is None:
            return True
        ancestors = framework.ancestors(code)
        return (ancestors[-1] if ancestors else code) in self.groups


def review_scope(user: Any, participation: Participation) -> Scope | None:
    """What the user reviews in this unit; None when they review none of it."""
    if roles.is_assessor(user):
        return Scope()
    if not roles.is_reviewer(user):
        return None
    assignments = Assignment.objects.filter(cycle_id=participation.cycle_id, reviewer=user)
    groups = set()
    for assignment in assignments:
        if assignment.participation_id == participation.pk:
            return Scope()
        if assignment.group:
            groups.add(assignment.group)
    return Scope(frozenset(groups)) if groups else None


def _participation(user: Any, pk: int) -> Participation:
    participation = get_object_or_404(
        Participation.objects.select_related("unit", "cycle", "cycle__framework"), pk=pk
    )
    if not roles.is_unit_member(user) and not roles.belongs_to(
        user, participation.cycle.organisation_id
    ):
        raise Http404
    return participation


def get_participation_for_review(user: Any, pk: int) -> tuple[Participation, Scope]:
    """A unit the user reviews, and which of its criteria; 404 for anyone else."""
    participation = _participation(user, pk)
    scope = review_scope(user, participation) if user.is_authenticated else None
    if scope is None:
        raise Http404
    return participation, scope


def get_participation_for_history(user: Any, pk: int) -> tuple[Participation, bool]:
    """A unit whose review history the user may read, and whether they may read the rounds
    that are still open (assessor and the unit's reviewers) or only the closed ones."""
    participation = _participation(user, pk)
    if not user.is_authenticated:
        raise Http404
    if roles.is_unit_member(user):
        if participation.unit_id != user.unit_id:
            raise Http404
        return participation, False
    if roles.is_viewer(user):
        return participation, False
    if review_scope(user, participation) is None:
        raise Http404
    return participation, True


def get_participation_for_overclaim(user: Any, pk: int) -> Participation:
    """A unit whose self-assessed against verified points the user may read: its own people,
    the assessor and viewers; 404 for another unit's people, 403 for reviewers (as the
    cycle's over-claim page)."""
    participation = _participation(user, pk)
    if roles.is_unit_member(user):
        if participation.unit_id != user.unit_id:
            raise Http404
        return participation
    if not roles.oversees(user):
        raise PermissionDenied
    return participation


def get_cycle_for_review(user: Any, pk: int) -> Cycle:
    """A cycle whose review the user takes part in: the assessor, viewers, and reviewers."""
    cycle = get_object_or_404(Cycle.objects.select_related("framework"), pk=pk)
    if not (roles.follows_every_unit(user) and roles.belongs_to(user, cycle.organisation_id)):
        raise Http404
    return cycle
