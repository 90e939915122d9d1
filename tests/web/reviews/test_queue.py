"""A reviewer's queue: to do, in progress, done, for the current round."""

from __future__ import annotations

from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1

from chiso.web.reviews import services
from chiso.web.reviews.models import Review, Stage
from chiso.web.reviews.selectors import QueueState, queue
from chiso.web.reviews.services import save_verdict


def states(cast: Cast) -> dict[str, tuple[str, int, int]]:
    items = queue(cast.reviewer, cast.cycle, Review.objects.get()).items
    return {i.participation.unit.name: (i.state, i.reviewed, i.total) for i in items}


def test_unit_assignment_moves_from_to_do_to_done(round_1: Cast) -> None:
    assert states(round_1) == {"Sở Tư pháp": (QueueState.TODO, 0, 15)}
    save_verdict(round_1.part_a, "III", value="8", revision=None, by=round_1.reviewer)
    assert states(round_1) == {"Sở Tư pháp": (QueueState.IN_PROGRESS, 1, 15)}
    for group in ("I", "II", "III", "IV", "V", "VI"):
        services.accept_group(round_1.part_a, group, by=round_1.reviewer)
    assert states(round_1) == {"Sở Tư pháp": (QueueState.DONE, 15, 15)}
    counts = queue(round_1.reviewer, round_1.cycle, Review.objects.get()).counts
    assert counts == {"todo": 0, "in_progress": 0, "done": 1, "nothing": 0}


def test_group_assignment_lists_every_submitted_unit_with_that_group(round_1: Cast) -> None:
    services.assign(round_1.cycle, round_1.reviewer, group="III", by=round_1.admin)
    # unit A is assigned whole; unit B only for group III; the district has not submitted
    assert states(round_1) == {
        "Sở Tư pháp": (QueueState.TODO, 0, 15),
        "Sở Y tế": (QueueState.TODO, 0, 1),
    }


def test_round_2_queue_holds_the_criteria_the_unit_responded_to(round_1: Cast, media) -> None:  # type: ignore[no-untyped-def]
    close_round_1(round_1)
    services.respond(round_1.part_a, "III", text="Đã bổ sung", by=round_1.editor_a)
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    assert states(round_1) == {"Sở Tư pháp": (QueueState.TODO, 0, 1)}
    save_verdict(round_1.part_a, "III", value="12", revision=None, by=round_1.reviewer)
    assert states(round_1) == {"Sở Tư pháp": (QueueState.DONE, 1, 1)}


def test_reviewer_without_assignments_has_an_empty_queue(round_1: Cast) -> None:
    services.unassign(round_1.reviewer.assignments.get(), by=round_1.admin)
    assert states(round_1) == {}


def test_round_2_queue_tells_units_never_reviewed_from_those_with_nothing_to_re_review(
    round_1: Cast,
    media,  # type: ignore[no-untyped-def]
) -> None:
    services.assign(round_1.cycle, round_1.reviewer, participation=round_1.part_b, by=round_1.admin)
    for group in ("I", "II", "III", "IV", "V", "VI"):
        services.accept_group(round_1.part_a, group, by=round_1.reviewer)
    close_round_1(round_1)
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    items = {
        i.participation.unit.name: i
        for i in queue(round_1.reviewer, round_1.cycle, Review.objects.get()).items
    }
    # neither unit responded: nothing to re-review, which is not "done"
    assert {name: item.state for name, item in items.items()} == {
        "Sở Tư pháp": QueueState.NOTHING,
        "Sở Y tế": QueueState.NOTHING,
    }
    assert (items["Sở Tư pháp"].earlier, items["Sở Tư pháp"].earlier_total) == (15, 15)
    assert (items["Sở Y tế"].earlier, items["Sở Y tế"].earlier_total) == (0, 15)
    page = round_1.client(round_1.reviewer).get(f"/reviews/cycle/{round_1.cycle.pk}/queue/")
    html = page.content.decode()
    assert "Đã xong (0)" in html
    assert "Không có giải trình: không cần thẩm định lại (2)" in html
    assert "Vòng 1: chưa từng được thẩm định" in html
    assert "Vòng 1: đã thẩm định 15 trên 15 tiêu chí" in html


def test_assessor_queue_with_a_reviewer_that_is_no_number_goes_to_the_overview(
    round_1: Cast,
) -> None:
    client = round_1.client(round_1.admin)
    page = f"/reviews/cycle/{round_1.cycle.pk}/queue/"
    for odd in ("²", "9" * 5000, "-1", "abc"):  # "²" passes isdigit() but not int()
        response = client.get(page, {"reviewer": odd})
        assert response.status_code == 302, odd
        assert response["Location"] == f"/reviews/cycle/{round_1.cycle.pk}/"
    assert client.get(page, {"reviewer": round_1.reviewer.pk}).status_code == 200
