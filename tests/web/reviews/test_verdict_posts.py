"""Posts to the review's forms that were a 500 (found by test_fuzz_verdicts.py): a revision in
digits of another script or longer than Python reads as a number, points on a group whose
criteria are answered, a verdict on a unit that has not submitted."""

from __future__ import annotations

from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1

from chiso.web.reviews.models import Response, Verdict

HTMX = {"HX-Request": "true"}


def verify(cast: Cast, revision: str) -> int:
    url = f"/reviews/unit/{cast.part_a.pk}/verify/III/"
    data = {"value": "8", "revision": revision}
    return cast.client(cast.reviewer).post(url, data, headers=HTMX).status_code


def test_a_verdict_with_a_superscript_revision_is_saved_as_without_one(round_1: Cast) -> None:
    assert verify(round_1, "²") == 200  # as any other text that is not a number
    assert Verdict.objects.get().value == "8"


def test_a_verdict_with_a_revision_of_5000_digits_is_a_conflict(round_1: Cast) -> None:
    assert verify(round_1, "9" * 5000) == 409
    assert not Verdict.objects.exists()


def test_a_response_with_a_revision_of_5000_digits_is_refused(round_1: Cast) -> None:
    close_round_1(round_1)
    url = f"/reviews/unit/{round_1.part_a.pk}/respond/III/"
    client = round_1.client(round_1.head_a)
    response = client.post(url, {"text": "Đã bổ sung", "revision": "9" * 5000}, follow=True)
    assert "Người khác vừa sửa giải trình này" in response.content.decode()
    assert not Response.objects.exists()


def test_points_on_a_group_whose_criteria_are_answered_are_refused(round_1: Cast) -> None:
    """Sở Tư pháp answered the parts of II.b; points on II.b itself would give both, which
    no score can count: the review page of the unit failed from then on."""
    url = f"/reviews/unit/{round_1.part_a.pk}/verify/II.b/"
    client = round_1.client(round_1.reviewer)
    response = client.post(url, {"value": "3"}, headers=HTMX)
    assert response.status_code == 422
    assert "không khớp với các câu trả lời khác" in response.content.decode()
    assert not Verdict.objects.exists()
    assert client.get(f"/reviews/unit/{round_1.part_a.pk}/").status_code == 200


def test_a_verdict_on_a_unit_that_has_not_submitted_is_a_403(round_1: Cast) -> None:
    url = f"/reviews/unit/{round_1.district.pk}/verify/I/"
    response = round_1.client(round_1.admin).post(url, {"value": "3"}, headers=HTMX)
    assert response.status_code == 403
    assert not Verdict.objects.exists()


def test_an_out_of_range_score_is_refused_and_stays_in_the_form_as_typed(round_1: Cast) -> None:
    url = f"/reviews/unit/{round_1.part_a.pk}/verify/III/"
    data = {"value": "99", "comment": "Thiếu quy chế", "evidence_requested": "on", "revision": "0"}
    response = round_1.client(round_1.reviewer).post(url, data, headers=HTMX)
    assert response.status_code == 422
    html = response.content.decode()
    assert 'name="value" value="99"' in html  # not wiped: the reviewer corrects it
    assert ">Thiếu quy chế</textarea>" in html
    assert 'name="evidence_requested" checked' in html
    assert not Verdict.objects.exists()
