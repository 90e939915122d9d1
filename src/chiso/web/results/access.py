"""Who sees which results: published results are public; before publication only the
assessor and viewers see the draft; a unit's scorecard is its own people's after publication,
and everyone's when the assessor makes the cycle's scorecards public. The assessor, viewers and
reviewers are those of the cycle's assessor: another assessor's draft is not shown to exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import Any

from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _

from chiso.web.accounts import roles
from chiso.web.accounts.access import require_assessor
from chiso.web.cycles.access import assessor_scope
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.results import refresh
from chiso.web.results.models import ResultRevision
from chiso.web.results.refresh import Draft
from chiso.web.results.snapshot import Results, Stored


@dataclass
class Shown:
    """The results a person is shown: a published revision, or the draft computed now."""

    cycle: Cycle
    revision: ResultRevision | None

    @property
    def is_draft(self) -> bool:
        return self.revision is None

    @cached_property
    def draft(self) -> Draft | None:
        """The draft shown (results.refresh), None for a revision; ResultsError when the
        draft cannot be computed."""
        return None if self.revision else refresh.draft(self.cycle)

    @cached_property
    def results(self) -> Results:
        """The results shown: a revision's, or the draft kept (the draft of now, or while it
        is computed the last one); :class:`refresh.NotYetComputed` while none was, and
        :class:`services.ResultsError` when they cannot be computed."""
        if self.revision is not None:
            return Stored(self.revision)
        assert self.draft is not None
        if self.draft.results is None:
            raise refresh.NotYetComputed(_("The draft results are being computed."))
        return self.draft.results


def sees_drafts(user: Any, cycle: Cycle) -> bool:
    """The cycle's assessor and viewers."""
    return roles.oversees(user) and roles.belongs_to(user, cycle.organisation_id)


def draft_cycles(user: Any, cycles: QuerySet[Cycle]) -> QuerySet[Cycle]:
    """Of ``cycles``, those whose drafts the person sees: their assessor's, for the assessor
    and viewers."""
    return cycles.filter(assessor_scope(user)) if roles.oversees(user) else cycles.none()


def get_cycle_to_publish(user: Any, pk: int) -> Cycle:
    """A cycle whose results the assessor publishes, corrects or sets: 404 to another
    assessor's people, 403 to the assessor's others."""
    cycle = get_object_or_404(Cycle, pk=pk)
    if not roles.belongs_to(user, cycle.organisation_id):
        raise Http404
    require_assessor(user)
    return cycle


def published_revision(cycle: Cycle) -> ResultRevision | None:
    if cycle.state != CycleState.PUBLISHED:
        return None
    return cycle.revisions.select_related("published_by").order_by("-number").first()


def get_results(user: Any, pk: int, *, draft: bool = False) -> Shown:
    """The published results of a cycle for anyone; the draft for the assessor and viewers
    (before publication, or on request to check a correction); 404 otherwise."""
    cycle = get_object_or_404(Cycle.objects.select_related("framework", "organisation"), pk=pk)
    revision = published_revision(cycle)
    if revision is not None and not (draft and sees_drafts(user, cycle)):
        return Shown(cycle, revision)
    if sees_drafts(user, cycle):
        return Shown(cycle, None)
    raise Http404


def scorecards_are_public(pk: int) -> bool:
    """Whether the cycle's scorecards are shown to anyone, without login."""
    return Cycle.objects.filter(pk=pk, state=CycleState.PUBLISHED, public_scorecards=True).exists()


def follows_unit(user: Any, unit_id: int, cycle: Cycle) -> bool:
    """Whether a person follows a unit's results in the cycle beyond the public: the cycle's
    assessor, viewers and reviewers, and the unit's own people; they also read the reviewers'
    comments."""
    if not user.is_authenticated:
        return False
    if roles.is_unit_member(user):
        return roles.is_member_of(user, unit_id)
    return roles.follows_every_unit(user) and roles.belongs_to(user, cycle.organisation_id)


BIGGEST_ID = 2**63 - 1
"""The largest id a database stores (a signed 64-bit integer)."""


def get_scorecard(user: Any, pk: int, unit_pk: int, *, draft: bool = False) -> Shown:
    """A unit's scorecard: the assessor and viewers always; after publication, reviewers and
    the unit's own people, and anyone when the assessor made the scorecards public; 404 for
    everyone else."""
    if not 0 < unit_pk <= BIGGEST_ID:  # the database cannot even look such an id up
        raise Http404
    participation = get_object_or_404(
        Participation.objects.select_related("cycle", "cycle__organisation"),
        cycle_id=pk,
        unit_id=unit_pk,
    )
    if sees_drafts(user, participation.cycle):
        return get_results(user, pk, draft=draft)
    if not (
        follows_unit(user, unit_pk, participation.cycle)
        or participation.cycle.scorecards_are_public
    ):
        raise Http404
    shown = get_results(user, pk)
    if shown.is_draft:
        raise Http404
    return shown
