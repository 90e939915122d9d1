"""The API fuzzed from its own OpenAPI schema (schemathesis), as each role and anonymous, in
the process through Django's test client: every operation, with valid and invalid requests,
on real ids and codes as well as generated ones. No answer is a 500 or shows a traceback, and
a refused request (4xx) or a read changes no stored row and writes no audit entry."""

from __future__ import annotations

import datetime
import json
from typing import Any

import pytest
import schemathesis
from django.core.files.base import ContentFile
from django.test import Client
from hypothesis import event, given
from hypothesis import strategies as st
from schemathesis import GenerationMode
from schemathesis.core import NotSet
from tests.fuzzing import fuzz
from tests.web.conftest import Cast
from tests.web.snapshot import changed, snapshot

from chiso.web.api.api import api
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.cycles.services import change_state
from chiso.web.results import services as results
from chiso.web.submissions import services
from chiso.web.submissions.models import Evidence

SCHEMA = schemathesis.openapi.from_dict(
    json.loads(json.dumps(api.get_openapi_schema(), default=str))
)
OPERATIONS = {
    f"{op.method.upper()} {op.path}": op for op in (r.ok() for r in SCHEMA.get_all_operations())
}
ROLES = ["anonymous", "admin", "reviewer", "viewer", "editor_a", "head_a"]
CODES = ["I", "II", "II.a", "II.b.1.1", "II.b.3", "VI", "III", "Z", "", "..", "I/../II"]
NUMBERS = st.sampled_from(
    ["12,5", "1e-200000000", "1e-1000", "1e309", "1e199", "-1", "NaN", "Infinity", "9" * 300,
     "0." + "0" * 40 + "1", "=HYPERLINK(\"http://evil.example/\")", "có", "", " ", "13"]
) | st.text(max_size=250)  # fmt: skip
ANSWER = st.fixed_dictionaries(
    {},
    optional={
        "value": NUMBERS,
        "denominator": NUMBERS,
        "not_applicable": st.booleans() | st.none() | st.just("yes"),
        "comment": st.none() | st.text(max_size=50) | st.just("x" * 5000),
        "revision": st.none() | st.integers(-1, 3) | st.just(2**63) | st.just("1") | st.just(1.5),
    },
)


@pytest.fixture
def published(cast: Cast) -> Cycle:
    """Last year's cycle of the same framework, published, where Sở Tư pháp answered
    (publishing takes seconds: the documents)."""
    cycle = Cycle.objects.create(
        organisation=cast.organisation, name="Đánh giá năm 2020", year=2020,
        framework=cast.cycle.framework, deadline=datetime.date(2020, 10, 30),
        state=CycleState.OPEN,
    )  # fmt: skip
    participation = Participation.objects.create(cycle=cycle, unit=cast.unit_a, block="so")
    submission = services.submission_for(participation)
    services.save_answer(submission, "I", value="13", revision=None, by=cast.editor_a)
    services.submit(submission, by=cast.head_a)
    change_state(cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    results.publish(cycle, by=cast.admin)
    return cycle


@pytest.fixture
def ids(cast: Cast) -> dict[str, list[int]]:
    """The real ids that path parameters are drawn from, besides generated ones: the cycle,
    each unit's participation, an evidence file of each unit."""
    evidence = []
    for participation in (cast.part_a, cast.part_b):
        item = Evidence(
            submission=services.submission_for(participation), code="I", name="ke-hoach.pdf",
            content_type="application/pdf", size=9, sha256="0" * 64,
        )  # fmt: skip
        item.file.save("ke-hoach.pdf", ContentFile(b"%PDF-1.4\n"), save=True)
        evidence.append(item.pk)
    parts = [cast.part_a.pk, cast.part_b.pk, cast.district.pk]
    return {"cycle_id": [cast.cycle.pk], "participation_id": parts, "evidence_id": evidence}


def request(client: Client, case: Any) -> Any:
    """Send ``case`` through Django's test client (a view's exception fails the test)."""
    if case.method == "GET":
        return client.get(case.formatted_path, case.query or {})
    body = case.body
    if isinstance(body, NotSet):
        body = ""
    elif not isinstance(body, bytes):
        body = json.dumps(body)
    send = getattr(client, case.method.lower())
    return send(case.formatted_path, body, content_type=case.media_type or "application/json")


RESULTS = [operation for operation in OPERATIONS if " /api/v1/results/" in operation]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", [op for op in OPERATIONS if op not in RESULTS])
@fuzz(25)
@given(data=st.data())
def test_no_request_fails_or_changes_what_it_may_not(
    cast: Cast, ids: dict[str, list[int]], operation: str, role: str, data: st.DataObject
) -> None:
    try_one(cast, ids, operation, role, data)


@pytest.mark.parametrize("operation", RESULTS)
@fuzz(60)
@given(data=st.data())
def test_no_request_for_published_results_fails_or_changes_anything(
    cast: Cast, ids: dict[str, list[int]], published: Cycle, operation: str, data: st.DataObject
) -> None:
    """The public results, as each role drawn in turn (one publication for all)."""
    ids = {**ids, "cycle_id": [*ids["cycle_id"], published.pk]}
    try_one(cast, ids, operation, data.draw(st.sampled_from(ROLES)), data)


def try_one(
    cast: Cast, ids: dict[str, list[int]], operation: str, role: str, data: st.DataObject
) -> None:
    endpoint = OPERATIONS[operation]
    mode = data.draw(st.sampled_from([GenerationMode.POSITIVE, GenerationMode.NEGATIVE]))
    case = data.draw(endpoint.as_strategy(generation_mode=mode))
    for name in list(case.path_parameters or {}):
        real = CODES if name == "code" else ids.get(name, [])
        case.path_parameters[name] = data.draw(
            st.sampled_from(real) | st.just(case.path_parameters[name])
            if real
            else st.just(case.path_parameters[name])
        )
    if case.method == "PUT" and data.draw(st.booleans()):
        case.body = data.draw(ANSWER)
    client = cast.client(None if role == "anonymous" else getattr(cast, role))
    before = snapshot()
    response = request(client, case)
    event(f"status {response.status_code}")
    assert response.status_code < 500, (case.method, case.formatted_path, case.body)
    # a file's stream is closed by the test client once read; response.close() would also send
    # request_finished, which closes the database connection (PostgreSQL, CONN_MAX_AGE 0)
    content = b"".join(response.streaming_content) if response.streaming else response.content
    assert b"Traceback" not in content
    if response.status_code >= 400 or case.method == "GET":
        assert changed(before) == [], (
            response.status_code,
            case.formatted_path,
            case.body,
        )
