"""The review's state machine: every transition and every refused one."""

from __future__ import annotations

import datetime

import pytest
from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1, deadline

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import CycleState
from chiso.web.cycles.services import change_state
from chiso.web.reviews.models import Review, Stage
from chiso.web.reviews.services import TRANSITIONS, RoundTransitionNotAllowed, change_stage

PATH = [Stage.ROUND_1, Stage.RESPONSES, Stage.ROUND_2, Stage.FINAL]


def go(cast: Cast, stage: Stage) -> Review:
    return change_stage(cast.cycle, stage, by=cast.admin, response_deadline=deadline())


def test_the_review_follows_its_path_to_final(review_cast: Cast) -> None:
    stages = [go(review_cast, stage).stage for stage in PATH]
    assert stages == PATH
    review = Review.objects.get(cycle=review_cast.cycle)
    assert review.closed_rounds == (1, 2)
    assert review.response_deadline == deadline()


def test_opening_round_1_puts_the_cycle_under_review(review_cast: Cast) -> None:
    assert review_cast.cycle.state == CycleState.OPEN
    go(review_cast, Stage.ROUND_1)
    review_cast.cycle.refresh_from_db()
    assert review_cast.cycle.state == CycleState.UNDER_REVIEW


@pytest.mark.parametrize("current", [None, *PATH])
def test_every_step_off_the_path_is_refused(review_cast: Cast, current: Stage | None) -> None:
    reached = PATH[: PATH.index(current) + 1] if current else []
    for stage in reached:
        go(review_cast, stage)
    refused = [stage for stage in Stage if stage not in TRANSITIONS[current]]
    assert refused  # from every stage some step is refused (from final, all)
    for stage in refused:
        with pytest.raises(RoundTransitionNotAllowed, match="cannot go from"):
            go(review_cast, stage)
    review = Review.objects.filter(cycle=review_cast.cycle).first()
    assert (review.stage if review else None) == current


def test_the_allowed_steps_are_exactly_the_path() -> None:
    assert {stage: sorted(after) for stage, after in TRANSITIONS.items()} == {
        None: [Stage.ROUND_1],
        Stage.ROUND_1: [Stage.RESPONSES],
        Stage.RESPONSES: [Stage.ROUND_2],
        Stage.ROUND_2: [Stage.FINAL],
        Stage.FINAL: [],
    }


@pytest.mark.parametrize("who", ["reviewer", "viewer", "editor_a", "head_a"])
def test_only_the_assessor_changes_the_round(review_cast: Cast, who: str) -> None:
    with pytest.raises(RoundTransitionNotAllowed, match="Only the assessor"):
        change_stage(review_cast.cycle, Stage.ROUND_1, by=getattr(review_cast, who))
    assert not Review.objects.exists()
    review_cast.cycle.refresh_from_db()
    assert review_cast.cycle.state == CycleState.OPEN


def test_closing_round_1_needs_a_deadline_not_in_the_past(round_1: Cast) -> None:
    with pytest.raises(RoundTransitionNotAllowed, match="deadline"):
        change_stage(round_1.cycle, Stage.RESPONSES, by=round_1.admin)
    yesterday = datetime.date.today() - datetime.timedelta(days=2)
    with pytest.raises(RoundTransitionNotAllowed, match="past"):
        change_stage(round_1.cycle, Stage.RESPONSES, by=round_1.admin, response_deadline=yesterday)
    assert Review.objects.get().stage == Stage.ROUND_1


def test_a_draft_cycle_cannot_be_reviewed(review_cast: Cast) -> None:
    change_state(review_cast.cycle, CycleState.DRAFT, by=review_cast.admin)
    with pytest.raises(RoundTransitionNotAllowed, match="under review"):
        go(review_cast, Stage.ROUND_1)
    assert not Review.objects.exists()


def test_rounds_stop_when_the_cycle_is_reopened(round_1: Cast) -> None:
    change_state(round_1.cycle, CycleState.OPEN, by=round_1.admin)
    with pytest.raises(RoundTransitionNotAllowed, match="under review"):
        close_round_1(round_1)


def test_every_round_change_is_in_the_audit_trail(review_cast: Cast) -> None:
    for stage in PATH:
        go(review_cast, stage)
    entries = AuditEntry.objects.filter(action=Action.ROUND, cycle=review_cast.cycle, code="")
    rows = [(e.old, e.new, e.actor) for e in entries.exclude(new="reviewer").order_by("id")]
    assert rows == [
        ("", "round_1", review_cast.admin),
        ("round_1", "responses", review_cast.admin),
        ("responses", "round_2", review_cast.admin),
        ("round_2", "final", review_cast.admin),
    ]
    assert deadline().strftime("%d/%m/%Y") in entries.get(new="responses").note
