"""Reads of the dashboard of a cycle: the state of every unit taking part."""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from chiso.web.cycles.models import Cycle, Participation
from chiso.web.submissions.completeness import Completeness, completeness
from chiso.web.submissions.models import Evidence, SubmissionState

NOTHING = "nothing"
UNIT_STATES = (
    (NOTHING, _("Nothing yet")),
    (SubmissionState.DRAFT.value, SubmissionState.DRAFT.label),
    (SubmissionState.SUBMITTED.value, SubmissionState.SUBMITTED.label),
)


@dataclass(frozen=True)
class UnitRow:
    participation: Participation
    block_name: str
    state: str
    last_activity: datetime.datetime | None
    completeness: Completeness
    late: bool

    @property
    def state_label(self) -> str:
        return str(dict(UNIT_STATES)[self.state])


def unit_rows(
    cycle: Cycle, today: datetime.date, *, block: str = "", state: str = ""
) -> list[UnitRow]:
    """Each participating unit's state, last activity, completeness and lateness (four
    queries whatever the number of units)."""
    framework = cycle.framework.framework
    participations = (
        cycle.participations.select_related("unit", "submission")
        .prefetch_related(
            "submission__answers",
            Prefetch("submission__evidence", queryset=Evidence.objects.current()),
        )
        .order_by("block", "unit__name")
    )
    if block:
        participations = participations.filter(block=block)
    past_deadline = cycle.deadline is not None and today > cycle.deadline
    rows = []
    for participation in participations:
        submission = getattr(participation, "submission", None)
        if submission is None:
            row_state, last, answers, evidence = NOTHING, None, [], []
        else:
            row_state = submission.state
            answers = list(submission.answers.all())
            evidence = list(submission.evidence.all())
            times = [submission.updated_at, submission.submitted_at]
            times += [e.uploaded_at for e in evidence]
            last = max(t for t in times if t is not None)
        if state and row_state != state:
            continue
        done = completeness(framework, participation.block, answers, [e.code for e in evidence])
        late = past_deadline and row_state != SubmissionState.SUBMITTED
        block_name = framework.block(participation.block).name
        rows.append(UnitRow(participation, block_name, row_state, last, done, late))
    return rows


def days_to_deadline(cycle: Cycle, today: datetime.date) -> int | None:
    return None if cycle.deadline is None else (cycle.deadline - today).days
