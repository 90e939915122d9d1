"""The review's form posts fuzzed with generated values (hypothesis): a verdict and a bulk
accept in round 1, a unit's response while responses are open, as each role. No answer is a
500 or shows a traceback, and a refused post (4xx) changes no stored row."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzzing import fuzz
from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1
from tests.web.snapshot import changed, snapshot

ROLES = ["admin", "reviewer", "viewer", "editor_a", "head_a", "editor_b"]
CODES = st.sampled_from(
    ["I", "II", "II.a", "II.b", "II.b.1.1", "II.b.3", "III", "VI", "Z", "%20", "ü"]
)
TEXTS = st.sampled_from(
    ["8", "12,5", "1e-200000000", "1e-1000", "1e309", "1e199", "-1", "NaN", "có", "", " ", "9" * 300,
     "=HYPERLINK(\"http://evil.example/\")", "\x00", "on", "off"]
) | st.text(max_size=60)  # fmt: skip
REVISIONS = st.sampled_from(["", "0", "1", "2", "-1", "1.5", "²", "١", "9" * 30, "9" * 5000, "x"])
POST = st.fixed_dictionaries(
    {},
    optional={
        "value": TEXTS, "denominator": TEXTS, "not_applicable": TEXTS, "comment": TEXTS,
        "evidence_requested": TEXTS, "revision": REVISIONS, "text": TEXTS,
    },
)  # fmt: skip


def post(cast: Cast, role: str, url: str, data: dict[str, Any], htmx: bool) -> None:
    client = cast.client(getattr(cast, role))
    before = snapshot()
    headers = {"HX-Request": "true"} if htmx else {}
    response = client.post(url, data, headers=headers)
    assert response.status_code < 500, (url, data)
    assert b"Traceback" not in response.content
    if response.status_code >= 400:
        assert changed(before) == [], (response.status_code, url, data)


@pytest.mark.parametrize("role", ROLES)
@fuzz(40)
@given(
    action=st.sampled_from(["verify", "accept"]),
    unit=st.sampled_from(["part_a", "part_b", "district"]),
    code=CODES,
    data=POST,
    htmx=st.booleans(),
)
def test_round_1_posts_never_fail(
    round_1: Cast, role: str, action: str, unit: str, code: str, data: dict[str, Any], htmx: bool
) -> None:
    pk = getattr(round_1, unit).pk
    post(round_1, role, f"/reviews/unit/{pk}/{action}/{code}/", data, htmx)


@pytest.fixture
def responses(round_1: Cast) -> Cast:
    close_round_1(round_1)
    return round_1


@pytest.mark.parametrize("role", ROLES)
@fuzz(40)
@given(unit=st.sampled_from(["part_a", "part_b"]), code=CODES, data=POST)
def test_response_posts_never_fail(
    responses: Cast, role: str, unit: str, code: str, data: dict[str, Any]
) -> None:
    pk = getattr(responses, unit).pk
    post(responses, role, f"/reviews/unit/{pk}/respond/{code}/", data, htmx=False)
