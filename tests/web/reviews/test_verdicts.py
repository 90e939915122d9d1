"""Verified answers: checks, optimistic locking, scope, bulk accept, live scores from the core,
the answers the results count, and the audit trail."""

from __future__ import annotations

from decimal import Decimal

import pytest
from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1

from chiso.core import Status, score
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.reviews import services
from chiso.web.reviews.models import Stage, Verdict
from chiso.web.reviews.selectors import final_comments, final_unit_data, scores_of
from chiso.web.reviews.services import Conflict, NotAllowed, save_verdict
from chiso.web.submissions.scoring import AnswerError


def verify(cast: Cast, code: str, value: str, part=None, **extra) -> Verdict:  # type: ignore[no-untyped-def]
    return save_verdict(
        part or cast.part_a,
        code,
        value=value,
        revision=None,
        by=extra.pop("by", cast.reviewer),
        **extra,
    )


def final(cast: Cast) -> dict[str, object]:
    return {data.unit: data for data in final_unit_data(cast.cycle)}


def test_verified_answer_changes_the_verified_score_not_the_own(round_1: Cast) -> None:
    verify(round_1, "III", "8", comment="Thiếu văn bản kiểm chứng")
    scores = scores_of(round_1.part_a, (1,))
    assert scores["own"].total == 80
    assert scores["round_1"].total == 78
    assert scores["round_1"].nodes["III"].score == 8


def test_verified_answer_over_its_maximum_is_refused(round_1: Cast) -> None:
    with pytest.raises(AnswerError, match="from 0 to 15"):
        verify(round_1, "III", "16")
    assert not Verdict.objects.exists()


def test_stale_revision_is_a_conflict_with_both_values(round_1: Cast) -> None:
    first = verify(round_1, "III", "8")
    save_verdict(round_1.part_a, "III", value="9", revision=first.revision, by=round_1.admin)
    with pytest.raises(Conflict) as conflict:
        save_verdict(round_1.part_a, "III", value="7", revision=first.revision, by=round_1.reviewer)
    assert (conflict.value.theirs, conflict.value.yours) == ("9", "7")
    assert Verdict.objects.get().value == "9"


def test_every_verified_change_is_in_the_audit_trail(round_1: Cast) -> None:
    first = verify(round_1, "III", "8", comment="Thiếu văn bản")
    save_verdict(round_1.part_a, "III", value="9", revision=first.revision, by=round_1.reviewer)
    entries = AuditEntry.objects.filter(action=Action.REVIEW).order_by("id")
    assert [(e.code, e.old, e.new, e.actor, e.unit) for e in entries] == [
        ("III", "", "8", round_1.reviewer, round_1.unit_a),
        ("III", "8", "9", round_1.reviewer, round_1.unit_a),
    ]
    assert "Thiếu văn bản" in entries[0].note


def test_request_for_evidence_is_kept_without_a_verified_answer(round_1: Cast) -> None:
    verdict = verify(round_1, "II.b.3", "", verified=False, evidence_requested=True)
    assert verdict.evidence_requested and not verdict.verified
    assert scores_of(round_1.part_a, (1,))["round_1"].total == 80
    assert AuditEntry.objects.filter(action=Action.REVIEW, code="II.b.3").exists()


def test_reviewer_outside_the_assignment_is_refused(round_1: Cast) -> None:
    with pytest.raises(NotAllowed, match="assignments"):
        verify(round_1, "III", "8", part=round_1.part_b)


def test_group_assignment_covers_only_that_group(round_1: Cast) -> None:
    services.assign(round_1.cycle, round_1.reviewer, group="II", by=round_1.admin)
    verify(round_1, "II.b.1.1", "1", part=round_1.part_b)
    with pytest.raises(NotAllowed, match="assignments"):
        verify(round_1, "III", "8", part=round_1.part_b)


def test_unit_that_has_not_submitted_cannot_be_reviewed(round_1: Cast) -> None:
    with pytest.raises(NotAllowed, match="not submitted"):
        verify(round_1, "III", "8", part=round_1.district, by=round_1.admin)


def test_no_verdict_outside_an_open_round(review_cast: Cast) -> None:
    with pytest.raises(NotAllowed, match="No review round"):
        verify(review_cast, "III", "8")


def test_accept_as_submitted_copies_the_group_and_keeps_decisions(round_1: Cast) -> None:
    verify(round_1, "II.b.3", "0")
    accepted = services.accept_group(round_1.part_a, "II", by=round_1.reviewer)
    verdicts = {v.code: v.value for v in Verdict.objects.filter(verified=True)}
    # II.a, II.b and II.b.2 (groups one may declare not applicable), II.b.1.1–3, II.b.2.1–3;
    # II.b.3 was decided already
    assert accepted == 9
    assert verdicts["II.b.3"] == "0"
    assert verdicts["II.a"] == "17" and verdicts["II.b.1.3"] == "4"
    assert "III" not in verdicts
    assert services.accept_group(round_1.part_a, "II", by=round_1.reviewer) == 0


def test_round_2_accept_keeps_round_1(round_1: Cast) -> None:
    verify(round_1, "III", "8")
    close_round_1(round_1)
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    services.accept_group(round_1.part_a, "III", by=round_1.reviewer)
    assert Verdict.objects.get(round=2, code="III").value == "8"


def test_final_answers_are_the_submitted_ones_until_round_1_closes(round_1: Cast) -> None:
    verify(round_1, "III", "8")
    assert final(round_1)["Sở Tư pháp"].answers["III"].value == 10


def test_final_answers_take_round_1_once_closed_and_round_2_once_final(round_1: Cast) -> None:
    verify(round_1, "III", "8")
    verify(round_1, "V", "6")
    verify(round_1, "IV", "", verified=False, comment="Bổ sung minh chứng")
    close_round_1(round_1)
    data = final(round_1)["Sở Tư pháp"]
    assert (data.answers["III"].value, data.answers["V"].value) == (8, 6)
    assert data.answers["IV"].value == 5  # a comment alone keeps the submitted answer
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    verify(round_1, "III", "9")
    assert final(round_1)["Sở Tư pháp"].answers["III"].value == 8  # round 2 is still open
    services.change_stage(round_1.cycle, Stage.FINAL, by=round_1.admin)
    data = final(round_1)["Sở Tư pháp"]
    assert (data.answers["III"].value, data.answers["V"].value) == (9, 6)
    assert final(round_1)["Sở Y tế"].answers["III"].value == 15


def test_final_answers_list_a_unit_without_submission_as_no_data(round_1: Cast) -> None:
    district = final(round_1)["UBND huyện An Lão"]
    assert district.status == Status.NO_DATA and not district.answers


def test_results_from_final_answers_are_the_cores(round_1: Cast) -> None:
    verify(round_1, "III", "8")
    close_round_1(round_1)
    result = score(round_1.cycle.framework.framework, final_unit_data(round_1.cycle))
    units = {u.unit: u for u in result.blocks[0].units}
    assert units["Sở Tư pháp"].total == Decimal(78)
    assert units["Sở Y tế"].total == Decimal(79)


def test_final_comments_are_those_of_closed_rounds_latest_first(round_1: Cast) -> None:
    verify(round_1, "III", "8", comment="Trang thiếu chuyên mục hỏi đáp")
    assert final_comments(round_1.cycle, round_1.unit_a) == {}  # round 1 still open
    close_round_1(round_1)
    assert final_comments(round_1.cycle, round_1.unit_a) == {
        "III": "Trang thiếu chuyên mục hỏi đáp"
    }
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    verify(round_1, "III", "9", comment="Đã bổ sung, còn thiếu 1 điểm")
    services.change_stage(round_1.cycle, Stage.FINAL, by=round_1.admin)
    assert final_comments(round_1.cycle, round_1.unit_a) == {"III": "Đã bổ sung, còn thiếu 1 điểm"}
    assert final_comments(round_1.cycle, round_1.unit_b) == {}
