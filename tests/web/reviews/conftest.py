"""The cast with a review to do: Sở Tư pháp (A) and Sở Y tế (B) have submitted, the
district has not; the reviewer is assigned unit A."""

from __future__ import annotations

import datetime
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from tests.web.conftest import Cast

from chiso.web.reviews import services
from chiso.web.reviews.models import Stage
from chiso.web.submissions.services import save_answer, submission_for, submit

# Sở Tư pháp's published group points (Bảng 1 of Quyết định 5136/QĐ-UBND), total 80 of 85
ANSWERS_A = {"I": "13", "II.a": "17", "II.b.1.1": "2", "II.b.1.2": "2", "II.b.1.3": "4",
             "II.b.2.1": "2", "II.b.2.2": "2", "II.b.2.3": "2", "II.b.3": "1", "III": "10",
             "IV": "5", "V": "8", "VI": "12"}  # fmt: skip
ANSWERS_B = {**ANSWERS_A, "III": "15", "VI": "6"}


def fill(cast: Cast, participation, answers: dict[str, str], editor, head) -> None:  # type: ignore[no-untyped-def]
    submission = submission_for(participation)
    for code, value in answers.items():
        save_answer(submission, code, value=value, revision=None, by=editor)
    submit(submission, by=head)


@pytest.fixture
def review_cast(cast: Cast) -> Cast:
    fill(cast, cast.part_a, ANSWERS_A, cast.editor_a, cast.head_a)
    fill(cast, cast.part_b, ANSWERS_B, cast.editor_b, cast.head_b)
    services.assign(cast.cycle, cast.reviewer, participation=cast.part_a, by=cast.admin)
    return cast


@pytest.fixture
def round_1(review_cast: Cast) -> Cast:
    services.change_stage(review_cast.cycle, Stage.ROUND_1, by=review_cast.admin)
    return review_cast


def deadline() -> datetime.date:
    return datetime.date.today() + datetime.timedelta(days=7)


def confirm_step(client: Client, cycle: int, stage: str, response_deadline: str = "") -> Any:
    """Take the review's next step as the assessor does: its confirmation page, then its
    button (which posts the numbers the page stated)."""
    query = {"stage": stage, "response_deadline": response_deadline} if response_deadline else {}
    page = client.get(f"/reviews/cycle/{cycle}/stage/", query)
    assert page.status_code == 200 and page.context["step"] == stage
    posted = {"stage": stage, "seen": page.context["seen"]}
    if response_deadline:
        posted["response_deadline"] = page.context["deadline"].isoformat()
    return client.post(f"/reviews/cycle/{cycle}/stage/", posted)


def close_round_1(cast: Cast) -> None:
    services.change_stage(cast.cycle, Stage.RESPONSES, by=cast.admin, response_deadline=deadline())


@pytest.fixture(autouse=True)
def english() -> Iterator[None]:
    """Services' messages in English, so that tests can name them; pages stay Vietnamese
    (each request activates its own language)."""
    with translation.override("en"):
        yield


@pytest.fixture
def media(settings, tmp_path):  # type: ignore[no-untyped-def]
    """Files written by a test go to a temporary folder."""
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path), "base_url": "/files/"},
        },
    }
    return tmp_path
