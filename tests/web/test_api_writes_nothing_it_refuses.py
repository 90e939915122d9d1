"""Found by the API's fuzzing (test_fuzz_api.py): the API creates a unit's empty draft before it
checks the request, so a read, or a write it refuses, still stores a Submission row."""

from __future__ import annotations

import json

import pytest
from tests.web.conftest import Cast

from chiso.web.submissions.models import Submission

API = "/api/v1/submissions"
EMPTY_DRAFT = "the API stores the unit's empty draft (services.submission_for) before checking"


@pytest.mark.xfail(strict=True, reason=EMPTY_DRAFT)
def test_viewer_reading_a_submission_stores_nothing(cast: Cast) -> None:
    response = cast.client(cast.viewer).get(f"{API}/{cast.part_a.pk}")
    assert response.status_code == 200 and response.json()["state"] == "nothing"
    assert not Submission.objects.exists()


@pytest.mark.xfail(strict=True, reason=EMPTY_DRAFT)
def test_reviewer_refused_a_submit_stores_nothing(cast: Cast) -> None:
    response = cast.client(cast.reviewer).post(f"{API}/{cast.part_a.pk}/submit")
    assert response.status_code == 403
    assert not Submission.objects.exists()


@pytest.mark.xfail(strict=True, reason=EMPTY_DRAFT)
def test_viewer_refused_an_answer_stores_nothing(cast: Cast) -> None:
    response = cast.client(cast.viewer).put(
        f"{API}/{cast.part_a.pk}/answers/I", json.dumps({"value": "12"}), "application/json"
    )
    assert response.status_code == 403
    assert not Submission.objects.exists()
