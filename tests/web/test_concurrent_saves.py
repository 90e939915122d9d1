"""Two first saves of the same answer at the same moment, by two people of the unit, each in
its own request and database connection: one is stored, the other is told of it (409), and
neither replaces the other. Run on PostgreSQL (`make test` runs the web tests there too); the
in-memory SQLite database of the tests refuses a second writer instead of waiting."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest
from django.db import connection
from tests.web.conftest import Cast

from chiso.web.submissions.models import Answer


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("revision", [None, "missing"])
def test_two_simultaneous_first_saves_give_one_200_and_one_409(
    cast: Cast, revision: str | None
) -> None:
    if connection.vendor == "sqlite":
        pytest.skip("the in-memory test database refuses a second writer instead of waiting")
    url = f"/api/v1/submissions/{cast.part_a.pk}/answers/I"
    start = threading.Barrier(2)

    def save(user: object, value: str) -> int:
        body: dict[str, object] = {"value": value}
        if revision is None:
            body["revision"] = None
        client = cast.client(user)  # type: ignore[arg-type]
        start.wait()
        try:
            response = client.put(url, json.dumps(body), content_type="application/json")
            return int(response.status_code)
        finally:
            connection.close()  # each thread has its own connection

    with ThreadPoolExecutor(2) as pool:
        statuses = list(pool.map(save, [cast.editor_a, cast.head_a], ["12", "13"]))
    assert sorted(statuses) == [200, 409]
    (answer,) = Answer.objects.all()
    assert answer.value == ("12" if statuses[0] == 200 else "13")
    assert answer.revision == 1
