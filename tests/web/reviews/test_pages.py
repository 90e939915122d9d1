"""The review pages as each role sees them, including every denial."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1, confirm_step, deadline

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.reviews import services
from chiso.web.reviews.models import Assignment, Response, Review, Stage, Verdict
from chiso.web.submissions.models import Evidence
from chiso.web.submissions.services import submission_for

HX = {"HTTP_HX_REQUEST": "true"}


def url(name: str, *args: object) -> str:
    from django.urls import reverse

    return reverse(f"reviews:{name}", args=args)


def post_verdict(cast: Cast, user, value: str, **extra):  # type: ignore[no-untyped-def]
    data = {"value": value, "comment": "Chưa đủ minh chứng", "revision": "0", **extra}
    return cast.client(user).post(url("verify", cast.part_a.pk, "III"), data, **HX)


# --- the review page ---------------------------------------------------------------


def test_assigned_reviewer_sees_the_units_answers_and_scores(round_1: Cast) -> None:
    response = round_1.client(round_1.reviewer).get(url("review", round_1.part_a.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Sở Tư pháp" in page and 'name="value"' in page
    assert response.context["results"]["own"].total == 80


def test_reviewer_not_assigned_gets_404(round_1: Cast) -> None:
    client = round_1.client(round_1.reviewer)
    assert client.get(url("review", round_1.part_b.pk)).status_code == 404
    assert post_verdict_for_b(round_1).status_code == 404
    assert client.get(url("history", round_1.part_b.pk)).status_code == 404
    assert not Verdict.objects.exists()


def post_verdict_for_b(cast: Cast):  # type: ignore[no-untyped-def]
    client = cast.client(cast.reviewer)
    return client.post(url("verify", cast.part_b.pk, "III"), {"value": "1"}, **HX)


@pytest.mark.parametrize("who", ["viewer", "editor_a", "head_a", "editor_b"])
def test_people_outside_the_review_team_get_404_on_the_review_page(round_1: Cast, who: str) -> None:
    client = round_1.client(getattr(round_1, who))
    assert client.get(url("review", round_1.part_a.pk)).status_code == 404
    assert client.post(url("verify", round_1.part_a.pk, "III"), {"value": "1"}).status_code == 404
    assert client.post(url("accept", round_1.part_a.pk, "III")).status_code == 404
    assert not Verdict.objects.exists()


def test_anonymous_visitor_is_sent_to_login(round_1: Cast) -> None:
    response = round_1.client(None).get(url("review", round_1.part_a.pk))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_assessor_reviews_any_unit(round_1: Cast) -> None:
    client = round_1.client(round_1.admin)
    response = client.post(url("verify", round_1.part_b.pk, "III"), {"value": "9"}, **HX)
    assert response.status_code == 200
    assert Verdict.objects.get().participation == round_1.part_b


def test_htmx_save_answers_the_row_and_the_live_scores(round_1: Cast) -> None:
    response = post_verdict(round_1, round_1.reviewer, "8")
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="c-III"' in page and 'hx-swap-oob="true"' in page
    assert response.context["verified"].total == 78
    verdict = Verdict.objects.get()
    assert (verdict.value, verdict.comment, verdict.round) == ("8", "Chưa đủ minh chứng", 1)


def test_invalid_answer_is_refused_with_the_reason_in_the_row(round_1: Cast) -> None:
    response = post_verdict(round_1, round_1.reviewer, "16")
    assert response.status_code == 422
    assert "15" in response.context["error"]
    assert response.context["error"] in response.content.decode()
    assert not Verdict.objects.exists()


@pytest.mark.parametrize("revision", [None, ""], ids=["missing", "empty"])
def test_a_verdict_without_its_revision_never_replaces_the_saved_one(
    round_1: Cast, revision: str | None
) -> None:
    post_verdict(round_1, round_1.reviewer, "8")
    data = {"value": "9"} if revision is None else {"value": "9", "revision": revision}
    response = round_1.client(round_1.admin).post(
        url("verify", round_1.part_a.pk, "III"), data, **HX
    )
    assert response.status_code == 409
    assert Verdict.objects.get().value == "8"


def test_no_verdict_once_the_results_are_published(round_1: Cast) -> None:
    """Results can be published while a round is open; a verdict would then change a
    published cycle."""
    Cycle.objects.filter(pk=round_1.cycle.pk).update(state=CycleState.PUBLISHED)
    response = post_verdict(round_1, round_1.reviewer, "8")
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_stale_form_shows_both_values(round_1: Cast) -> None:
    post_verdict(round_1, round_1.reviewer, "8")
    response = post_verdict(round_1, round_1.admin, "9")  # loaded before the first save
    assert response.status_code == 409
    assert response.context["conflict"].theirs == "8"
    assert response.context["conflict"].yours == "9"
    assert Verdict.objects.get().value == "8"


def test_bulk_accept_through_the_page(round_1: Cast) -> None:
    response = round_1.client(round_1.reviewer).post(url("accept", round_1.part_a.pk, "II"))
    assert response.status_code == 302
    assert Verdict.objects.filter(verified=True).count() == 10  # every reviewable code of II


def test_group_reviewer_cannot_save_outside_their_group(review_cast: Cast) -> None:
    Assignment.objects.all().delete()
    services.assign(review_cast.cycle, review_cast.reviewer, group="II", by=review_cast.admin)
    services.change_stage(review_cast.cycle, Stage.ROUND_1, by=review_cast.admin)
    response = post_verdict(review_cast, review_cast.reviewer, "8")
    assert response.status_code == 403
    assert not Verdict.objects.exists()


# --- the history page: what a unit sees -------------------------------------------


def test_unit_sees_nothing_of_round_1_before_it_closes(round_1: Cast) -> None:
    post_verdict(round_1, round_1.reviewer, "8")
    response = round_1.client(round_1.editor_a).get(url("history", round_1.part_a.pk))
    assert response.status_code == 200
    page = response.content.decode()
    assert "Chưa đủ minh chứng" not in page
    assert response.context["rounds"] == ()
    assert "round_1" not in response.context["results"]


def test_unit_sees_round_1_once_closed_but_not_round_2_until_final(round_1: Cast) -> None:
    post_verdict(round_1, round_1.reviewer, "8")
    close_round_1(round_1)
    client = round_1.client(round_1.head_a)
    response = client.get(url("history", round_1.part_a.pk))
    assert "Chưa đủ minh chứng" in response.content.decode()
    assert response.context["results"]["round_1"].total == 78
    services.change_stage(round_1.cycle, Stage.ROUND_2, by=round_1.admin)
    services.save_verdict(
        round_1.part_a,
        "III",
        value="12",
        comment="Đã xem giải trình",
        revision=None,
        by=round_1.reviewer,
    )
    assert "Đã xem giải trình" not in client.get(url("history", round_1.part_a.pk)).content.decode()
    services.change_stage(round_1.cycle, Stage.FINAL, by=round_1.admin)
    response = client.get(url("history", round_1.part_a.pk))
    assert "Đã xem giải trình" in response.content.decode()
    assert response.context["results"]["round_2"].total == 82


def test_editor_of_other_unit_gets_404_on_the_history(round_1: Cast) -> None:
    close_round_1(round_1)
    response = round_1.client(round_1.editor_b).get(url("history", round_1.part_a.pk))
    assert response.status_code == 404


def test_unit_responds_through_the_page(round_1: Cast, media) -> None:  # type: ignore[no-untyped-def]
    close_round_1(round_1)
    upload = SimpleUploadedFile("bien-ban.pdf", b"%PDF-1.4 test", content_type="application/pdf")
    response = round_1.client(round_1.editor_a).post(
        url("respond", round_1.part_a.pk, "III"), {"text": "Đã có quy chế", "files": upload}
    )
    assert response.status_code == 302
    assert Response.objects.get().files.get().name == "bien-ban.pdf"
    assert AuditEntry.objects.filter(action=Action.RESPONSE, code="III").exists()
    history = round_1.client(round_1.reviewer).get(url("history", round_1.part_a.pk))
    assert "Đã có quy chế" in history.content.decode()


def test_editor_of_unit_b_cannot_respond_for_unit_a(round_1: Cast) -> None:
    close_round_1(round_1)
    client = round_1.client(round_1.editor_b)
    response = client.post(url("respond", round_1.part_a.pk, "III"), {"text": "x"})
    assert response.status_code == 404
    assert not Response.objects.exists()


def test_reviewer_cannot_respond_for_a_unit(round_1: Cast) -> None:
    close_round_1(round_1)
    client = round_1.client(round_1.reviewer)
    response = client.post(url("respond", round_1.part_a.pk, "III"), {"text": "x"})
    assert response.status_code == 403
    assert not Response.objects.exists()


def test_response_with_a_refused_file_shows_the_reason(round_1: Cast, media) -> None:  # type: ignore[no-untyped-def]
    close_round_1(round_1)
    upload = SimpleUploadedFile("virus.exe", b"MZ")
    client = round_1.client(round_1.editor_a)
    response = client.post(
        url("respond", round_1.part_a.pk, "III"), {"text": "x", "files": upload}, follow=True
    )
    assert "virus.exe" in response.content.decode()
    assert not Response.objects.exists()


# --- evidence downloads -----------------------------------------------------------


def test_evidence_is_downloaded_by_its_reviewer_and_404_for_others(round_1: Cast, media) -> None:  # type: ignore[no-untyped-def]
    evidence = Evidence.objects.create(
        submission=submission_for(round_1.part_a), code="III", name="qc.pdf",
        file=SimpleUploadedFile("qc.pdf", b"%PDF-1.4"), content_type="application/pdf",
        size=8, sha256="0" * 64,
    )  # fmt: skip
    assert round_1.client(round_1.reviewer).get(url("evidence", evidence.pk)).status_code == 200
    assert round_1.client(round_1.editor_a).get(url("evidence", evidence.pk)).status_code == 200
    assert round_1.client(round_1.editor_b).get(url("evidence", evidence.pk)).status_code == 404
    assert round_1.client(round_1.viewer).get(url("evidence", evidence.pk)).status_code == 403
    Assignment.objects.all().delete()
    assert round_1.client(round_1.reviewer).get(url("evidence", evidence.pk)).status_code == 404


# --- the assessor's overview and the queue ----------------------------------------


def test_assessor_opens_and_closes_rounds_from_the_overview(review_cast: Cast) -> None:
    client = review_cast.client(review_cast.admin)
    overview = client.get(url("overview", review_cast.cycle.pk)).content.decode()
    assert f'action="{url("stage", review_cast.cycle.pk)}"' in overview  # leads to the page
    confirm_step(client, review_cast.cycle.pk, "round_1")
    assert Review.objects.get().stage == Stage.ROUND_1
    response = client.post(
        url("stage", review_cast.cycle.pk), {"stage": "final", "seen": "x"}, follow=True
    )
    assert Review.objects.get().stage == Stage.ROUND_1
    assert [m.level_tag for m in response.context["messages"]] == ["success", "error"]
    confirm_step(client, review_cast.cycle.pk, "responses", deadline().strftime("%d/%m/%Y"))
    review = Review.objects.get()
    assert (review.stage, review.response_deadline) == (Stage.RESPONSES, deadline())


@pytest.mark.parametrize("who", ["reviewer", "viewer"])
def test_only_the_assessor_changes_rounds_and_assignments(review_cast: Cast, who: str) -> None:
    client = review_cast.client(getattr(review_cast, who))
    cycle = review_cast.cycle.pk
    assert client.post(url("stage", cycle), {"stage": "round_1"}).status_code == 403
    data = {"reviewer": review_cast.reviewer.pk, "group": "I"}
    assert client.post(url("assign", cycle), data).status_code == 403
    assert client.post(url("assign_units", cycle), data).status_code == 403
    assignment = Assignment.objects.get()
    assert client.post(url("unassign", assignment.pk)).status_code == 403
    assert not Review.objects.exists() and Assignment.objects.count() == 1


@pytest.mark.parametrize("who", ["editor_a", "head_a"])
def test_unit_members_get_404_on_the_cycles_review(review_cast: Cast, who: str) -> None:
    client = review_cast.client(getattr(review_cast, who))
    cycle = review_cast.cycle.pk
    assert client.get(url("overview", cycle)).status_code == 404
    assert client.get(url("queue", cycle)).status_code == 404
    assert client.post(url("stage", cycle), {"stage": "round_1"}).status_code == 404


def test_assessor_assigns_a_group_and_removes_an_assignment(review_cast: Cast) -> None:
    client = review_cast.client(review_cast.admin)
    cycle = review_cast.cycle.pk
    client.post(url("assign", cycle), {"reviewer": review_cast.reviewer.pk, "group": "III"})
    assert Assignment.objects.filter(group="III").exists()
    both = {
        "reviewer": review_cast.reviewer.pk,
        "group": "I",
        "unit": "Sở Y tế",
    }
    client.post(url("assign", cycle), both)
    assert Assignment.objects.count() == 2
    client.post(url("unassign", Assignment.objects.get(group="III").pk))
    assert list(Assignment.objects.values_list("participation", flat=True)) == [
        review_cast.part_a.pk
    ]


def test_reviewer_queue_lists_the_assigned_unit(round_1: Cast) -> None:
    response = round_1.client(round_1.reviewer).get(url("queue", round_1.cycle.pk))
    assert response.status_code == 200
    assert [i.participation for i in response.context["todo"]] == [round_1.part_a]
    assert "Sở Y tế" not in response.content.decode()


def test_queue_page_queries_do_not_grow_with_units(round_1: Cast) -> None:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = round_1.client(round_1.reviewer)
    with CaptureQueriesContext(connection) as one:
        first = client.get(url("queue", round_1.cycle.pk))
    services.assign(round_1.cycle, round_1.reviewer, group="III", by=round_1.admin)
    with CaptureQueriesContext(connection) as two:
        second = client.get(url("queue", round_1.cycle.pk))
    assert (len(first.context["todo"]), len(second.context["todo"])) == (1, 2)
    assert len(two.captured_queries) == len(one.captured_queries)
