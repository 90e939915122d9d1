"""Who is told what when the review moves: the units and the review team of a round opened
or closed, each unit of the evidence the reviewers ask for when round 1 closes (a unit reads
round 1 only then), and the unit's reviewers and the assessor of a response."""

from __future__ import annotations

import datetime

from django.urls import reverse
from django.utils.translation import gettext_noop

from chiso import format as fmt
from chiso.web.accounts import roles
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.notifications.models import Kind
from chiso.web.notifications.services import notify, people_by_unit
from chiso.web.reviews.models import Assignment, Stage, Verdict

ROUND_MESSAGES = {
    Stage.ROUND_1: gettext_noop("Review round 1 of “%(cycle)s” opened."),
    Stage.RESPONSES: gettext_noop(
        "Review round 1 of “%(cycle)s” closed: units respond until %(deadline)s."
    ),
    Stage.ROUND_2: gettext_noop("Review round 2 of “%(cycle)s” opened."),
    Stage.FINAL: gettext_noop("Review round 2 of “%(cycle)s” closed: the review is final."),
}


def round_changed(cycle: Cycle, stage: Stage, response_deadline: datetime.date | None) -> None:
    """The cycle's units (each with the link to its review) and the review team."""
    params = {
        "cycle": cycle.name,
        "deadline": fmt.date(response_deadline) if response_deadline else "",
    }
    message = ROUND_MESSAGES[stage]
    notify(
        roles.review_team(cycle.organisation_id),
        Kind.ROUND,
        message,
        params,
        link=reverse("reviews:overview", args=[cycle.pk]),
    )
    participations = list(cycle.participations.select_related("unit"))
    people = people_by_unit(p.unit_id for p in participations)
    for participation in participations:
        link = reverse("reviews:history", args=[participation.pk])
        notify(people.get(participation.unit_id, []), Kind.ROUND, message, params, link=link)
    if stage == Stage.RESPONSES:
        _evidence_requested(cycle, participations, people, params["deadline"])


def _evidence_requested(
    cycle: Cycle,
    participations: list[Participation],
    people: dict[int, list[object]],
    deadline: str,
) -> None:
    requested: dict[int, list[str]] = {}
    verdicts = Verdict.objects.filter(
        participation__cycle=cycle, round=1, evidence_requested=True
    ).order_by("code")
    for participation_id, code in verdicts.values_list("participation_id", "code"):
        requested.setdefault(participation_id, []).append(code)
    for participation in participations:
        if codes := requested.get(participation.pk):
            notify(
                people.get(participation.unit_id, []),
                Kind.EVIDENCE_REQUESTED,
                gettext_noop(
                    "The reviewers ask %(unit)s for more evidence on %(codes)s in “%(cycle)s”: "
                    "respond by %(deadline)s."
                ),
                {
                    "unit": participation.unit,
                    "codes": ", ".join(codes),
                    "cycle": cycle.name,
                    "deadline": deadline,
                },
                link=reverse("reviews:history", args=[participation.pk]),
            )


def response_received(participation: Participation, code: str) -> None:
    """The reviewers of the unit (or of the criterion's group) and the assessor, once until
    they open the unit's review."""
    framework = participation.cycle.framework.framework
    ancestors = framework.ancestors(code)
    group = ancestors[-1] if ancestors else code
    reviewers = [
        assignment.reviewer
        for assignment in Assignment.objects.filter(
            cycle_id=participation.cycle_id, reviewer__is_active=True
        ).select_related("reviewer")
        if assignment.participation_id == participation.pk or assignment.group == group
    ]
    notify(
        [*reviewers, *roles.assessor_admins(participation.cycle.organisation_id)],
        Kind.RESPONSE,
        gettext_noop("%(unit)s responded to round 1 of “%(cycle)s” (%(code)s)."),
        {"unit": participation.unit, "cycle": participation.cycle.name, "code": code},
        link=reverse("reviews:review", args=[participation.pk]),
        once_unread=True,
    )
