"""Points on a group whose part is answered (found by the API's fuzzing): the core cannot
score a group and its part together; the save had been stored and every later page of the unit
failed (InvalidData, a 500). It is refused, as the review refuses such a verdict
(test_verdict_posts.py)."""

from __future__ import annotations

import json

from tests.web.conftest import Cast

from chiso.web.submissions.models import Answer


def test_api_refuses_points_on_a_group_whose_part_is_answered(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    url = f"/api/v1/submissions/{cast.part_a.pk}"
    put = lambda code, value: client.put(  # noqa: E731
        f"{url}/answers/{code}", json.dumps({"value": value}), "application/json"
    )
    assert put("II.a", "5").status_code == 200
    assert put("II", "10").status_code == 422
    assert list(Answer.objects.values_list("code", flat=True)) == ["II.a"]
    assert client.get(url).status_code == 200


def test_autosave_refuses_points_on_a_group_whose_part_is_answered(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    url = f"/submissions/{cast.part_a.pk}/answer/"
    htmx = {"HX-Request": "true"}
    assert client.post(url, {"code": "II.a", "value": "5"}, headers=htmx).status_code == 200
    assert client.post(url, {"code": "II", "value": "10"}, headers=htmx).status_code == 422
    assert list(Answer.objects.values_list("code", flat=True)) == ["II.a"]
    assert client.get(f"/submissions/{cast.part_a.pk}/").status_code == 200
