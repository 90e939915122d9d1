"""Each step of the review that cannot be undone has a confirmation page that states what it
does in numbers; its button does it only while those numbers still hold."""

from __future__ import annotations

import datetime

import pytest
from django.utils import timezone
from tests.web.conftest import Cast, make_user
from tests.web.reviews.conftest import close_round_1, confirm_step, deadline

from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import CycleState, Participation, Unit
from chiso.web.cycles.services import change_state
from chiso.web.reviews import services
from chiso.web.reviews.models import Review, Stage
from chiso.web.submissions.services import save_answer, submission_for, submit


def stage_url(cast: Cast) -> str:
    return f"/reviews/cycle/{cast.cycle.pk}/stage/"


def texts(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [item.text for item in response.context["consequences"]]


@pytest.fixture
def with_a_draft(review_cast: Cast) -> Cast:
    """A and B submitted, the district has nothing, Sở Xây dựng a draft; deadline in 14 days."""
    unit = Unit.objects.create(organisation=review_cast.organisation, name="Sở Xây dựng")
    draft = Participation.objects.create(cycle=review_cast.cycle, unit=unit, block="so")
    head = make_user("head_xd", Role.HEAD, unit)
    save_answer(submission_for(draft), "I", value="10", revision=None, by=head)
    review_cast.cycle.deadline = timezone.localdate() + datetime.timedelta(days=14)
    review_cast.cycle.save()
    return review_cast


def test_opening_round_1_states_the_drafts_the_empty_units_and_the_deadline(
    with_a_draft: Cast,
) -> None:
    client = with_a_draft.client(with_a_draft.admin)
    page = client.get(stage_url(with_a_draft))
    assert page.status_code == 200
    facts = page.context["seen"]
    assert facts.split(",")[1:4] == ["2", "1", "1"]  # submitted, drafts, nothing
    html = page.content.decode()
    assert "2 đơn vị đã nộp" in html
    assert "1 đơn vị còn ở bản nháp sẽ bị khóa" in html
    assert "1 đơn vị chưa nhập gì" in html
    assert "còn 14 ngày" in html
    # Sở Y tế is assigned to nobody (the reviewer has Sở Tư pháp)
    assert "Chưa phân công người thẩm định cho 1 đơn vị đã nộp" in html
    assert not Review.objects.exists()  # reading the page opens nothing
    with_a_draft.cycle.refresh_from_db()
    assert with_a_draft.cycle.state == CycleState.OPEN


def test_the_step_is_taken_only_with_the_numbers_of_its_confirmation(with_a_draft: Cast) -> None:
    client = with_a_draft.client(with_a_draft.admin)
    refused = client.post(stage_url(with_a_draft), {"stage": "round_1"})
    assert refused.status_code == 409 and not Review.objects.exists()
    seen = client.get(stage_url(with_a_draft)).context["seen"]
    # meanwhile Sở Xây dựng submits: the confirmation no longer says what will happen
    draft = Participation.objects.get(unit__name="Sở Xây dựng")
    submit(submission_for(draft), by=User.objects.get(username="head_xd"))
    stale = client.post(stage_url(with_a_draft), {"stage": "round_1", "seen": seen})
    assert stale.status_code == 409
    assert "đã thay đổi" in stale.context["refused"]
    assert not Review.objects.exists()
    assert "3 đơn vị đã nộp" in stale.content.decode()  # the new numbers, to confirm again
    done = client.post(stage_url(with_a_draft), {"stage": "round_1", "seen": stale.context["seen"]})
    assert done.status_code == 302
    assert Review.objects.get().stage == Stage.ROUND_1


def test_a_confirmation_shown_before_the_cycle_changed_state_is_stale(review_cast: Cast) -> None:
    """Opening round 1 puts an open cycle under review, and its page says so only then: a
    page shown while the cycle was under review does not confirm it once the cycle is open."""
    client = review_cast.client(review_cast.admin)
    change_state(review_cast.cycle, CycleState.UNDER_REVIEW, by=review_cast.admin)
    seen = client.get(stage_url(review_cast)).context["seen"]
    change_state(review_cast.cycle, CycleState.OPEN, by=review_cast.admin)
    stale = client.post(stage_url(review_cast), {"stage": "round_1", "seen": seen})
    assert stale.status_code == 409 and not Review.objects.exists()
    review_cast.cycle.refresh_from_db()
    assert review_cast.cycle.state == CycleState.OPEN


def test_closing_round_1_states_the_units_never_reviewed(round_1: Cast) -> None:
    services.save_verdict(round_1.part_a, "III", value="8", revision=None, by=round_1.reviewer)
    client = round_1.client(round_1.admin)
    asked = client.get(stage_url(round_1))
    assert "deadline_error" in asked.context and "seen" not in asked.context  # no button yet
    when = deadline().strftime("%d/%m/%Y")
    page = client.get(stage_url(round_1), {"stage": "responses", "response_deadline": when})
    html = page.content.decode()
    assert f"đến hết ngày {when} (còn 7 ngày)" in html
    assert "0 đơn vị đã có kết quả thẩm định cho mọi tiêu chí" in html
    assert "1 đơn vị mới được thẩm định một phần" in html  # Sở Tư pháp: 1 of 15
    assert "1 đơn vị chưa được thẩm định" in html  # Sở Y tế
    assert Review.objects.get().stage == Stage.ROUND_1
    confirm_step(client, round_1.cycle.pk, "responses", when)
    assert Review.objects.get().stage == Stage.RESPONSES


def test_opening_round_2_before_the_responses_deadline_says_so(round_1: Cast, media) -> None:  # type: ignore[no-untyped-def]
    close_round_1(round_1)
    services.respond(round_1.part_a, "III", text="Đã bổ sung", by=round_1.editor_a)
    client = round_1.client(round_1.admin)
    page = client.get(stage_url(round_1))
    assert page.context["step"] == Stage.ROUND_2
    warnings = [item.text for item in page.context["consequences"] if item.warn]
    assert warnings == [
        f"Đơn vị được giải trình đến hết ngày {deadline().strftime('%d/%m/%Y')} (còn 7 ngày): "
        "mở vòng 2 bây giờ sẽ đóng việc giải trình trước thời hạn đó."
    ]
    assert "1 đơn vị đã giải trình, tổng cộng 1 tiêu chí" in page.content.decode()
    confirm_step(client, round_1.cycle.pk, "round_2")
    assert Review.objects.get().stage == Stage.ROUND_2


def test_closing_round_2_states_the_responses_not_re_reviewed(round_1: Cast, media) -> None:  # type: ignore[no-untyped-def]
    close_round_1(round_1)
    services.respond(round_1.part_a, "III", text="Đã bổ sung", by=round_1.editor_a)
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    client = round_1.client(round_1.admin)
    page = client.get(stage_url(round_1))
    assert "1 đơn vị đã giải trình nhưng chưa được thẩm định lại" in page.content.decode()
    confirm_step(client, round_1.cycle.pk, "final")
    assert Review.objects.get().stage == Stage.FINAL
    final = client.get(stage_url(round_1))
    assert final.status_code == 200 and final.context["step"] is None


@pytest.mark.parametrize(("who", "status"), [("reviewer", 403), ("viewer", 403), ("head_a", 404)])
def test_only_the_assessor_sees_a_steps_confirmation(
    review_cast: Cast, who: str, status: int
) -> None:
    client = review_cast.client(getattr(review_cast, who))
    assert client.get(stage_url(review_cast)).status_code == status
    assert client.post(stage_url(review_cast), {"stage": "round_1", "seen": "x"}).status_code == (
        status
    )
    assert not Review.objects.exists()
