"""The draft results carry the over-claim table once a review round has closed, as the
publication may: Sở Tư pháp claimed 80 and is verified at 76 (+4,00); Sở Y tế, not reviewed,
79 both ways ("="). Computed with the draft by its job, from the over-claims kept; the draft
pages read it and compute nothing."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.web.conftest import Cast
from tests.web.reviews.test_overclaim import verified
from tests.web.reviews.test_overclaim_publication import TITLE, publish

from chiso.core import InvalidData
from chiso.web.cycles.models import Participation, Unit
from chiso.web.results.snapshot import Stored
from chiso.web.reviews import overclaim
from chiso.web.submissions.models import Answer, Submission, SubmissionState


def overclaim_keys(client: Client, cycle: int) -> list[str]:
    page = client.get(f"/results/{cycle}/?draft")
    assert page.status_code == 200
    return [key for b in page.context["blocks"] for key, cap in b["contents"] if TITLE in cap]


def table_rows(html: str, key: str) -> list[list[str]]:
    """The cells of table ``key`` as text, header first."""
    table = html.split(f'id="bang-{key}"')[1].split("</table>")[0]
    return [
        [re.sub(r"<[^>]+>", "", cell).strip() for cell in CELL.findall(row)]
        for row in table.split("<tr")[1:]
    ]


CELL = re.compile(r"<t[hd][^>]*>(.*?)</t[hd]>", re.S)


def draft_table(client: Client, cycle: int, key: str) -> str:
    response = client.get(f"/results/{cycle}/", {"draft": "", "table": key})
    assert response.status_code == 200
    return response.content.decode()


def test_the_draft_shows_the_overclaim_table_with_the_published_columns(round_1: Cast) -> None:
    cast = verified(round_1)
    client = cast.client(cast.admin)
    (key,) = overclaim_keys(client, cast.cycle.pk)
    html = draft_table(client, cast.cycle.pk, key)

    assert f"Bảng {key}. Điểm tự đánh giá và điểm thẩm định của Sở, ban, ngành" in html
    assert table_rows(html, key) == [
        ["TT", "Tên cơ quan, đơn vị", "Tự đánh giá", "Thẩm định", "Chênh lệch"],
        ["1", "Sở Tư pháp", "80,00", "76,00", "+4,00"],
        ["2", "Sở Y tế", "79,00", "79,00", "="],
    ]
    assert "tự đánh giá 159,00, thẩm định 155,00, chênh lệch +4,00 điểm" in html
    # the publication made with the choice has the very same table
    publish(client, cast.cycle.pk, overclaim="1")
    published = Stored(cast.cycle.revisions.get())
    assert [e.key for e in published.contents() if TITLE in e.title] == [key]
    page = client.get(f"/results/{cast.cycle.pk}/", {"table": key}).content.decode()
    assert table_rows(page, key) == table_rows(html, key)


def test_a_viewer_sees_it_too(round_1: Cast) -> None:
    cast = verified(round_1)
    client = cast.client(cast.viewer)
    (key,) = overclaim_keys(client, cast.cycle.pk)
    assert "+4,00" in draft_table(client, cast.cycle.pk, key)


def test_before_a_round_closes_the_draft_has_no_such_table(round_1: Cast) -> None:
    assert overclaim_keys(round_1.client(round_1.admin), round_1.cycle.pk) == []


def test_those_who_do_not_see_the_draft_are_refused_it(round_1: Cast) -> None:
    cast = verified(round_1)
    (key,) = overclaim_keys(cast.client(cast.admin), cast.cycle.pk)
    url = f"/results/{cast.cycle.pk}/?draft&table={key}"
    for user in (cast.reviewer, cast.editor_a, cast.head_a, cast.editor_b, None):
        response = cast.client(user).get(url)
        assert response.status_code == 404, user
        assert "+4,00" not in response.content.decode()


def test_the_published_results_without_the_choice_show_no_table_to_anyone(
    round_1: Cast,
) -> None:
    cast = verified(round_1)
    client = cast.client(cast.admin)
    (key,) = overclaim_keys(client, cast.cycle.pk)
    publish(client, cast.cycle.pk)
    for user in (cast.reviewer, cast.head_a, None):
        response = cast.client(user).get(f"/results/{cast.cycle.pk}/?draft&table={key}")
        assert response.status_code == 404  # the published results have no table of that key
    assert cast.client(cast.head_a).get(f"/results/{cast.cycle.pk}/").status_code == 200


def _add_units(cast: Cast, count: int) -> None:
    """More units of the block that claimed and were given 79 (not reviewed)."""
    answers = Submission.objects.get(participation=cast.part_b).answers.all()
    for n in range(count):
        unit = Unit.objects.create(organisation=cast.organisation, name=f"Sở mới {n + 1}")
        part = Participation.objects.create(cycle=cast.cycle, unit=unit, block="so")
        submission = Submission.objects.create(participation=part, state=SubmissionState.SUBMITTED)
        Answer.objects.bulk_create(
            Answer(submission=submission, code=a.code, value=a.value) for a in answers
        )


def _queries(client: Client, cycle: int, key: str) -> list[str]:
    draft_table(client, cycle, key)  # the draft of now computed and kept
    with CaptureQueriesContext(connection) as queries:
        html = draft_table(client, cycle, key)
    assert TITLE in html
    return [q["sql"] for q in queries.captured_queries]


def test_the_page_reads_the_kept_table_whatever_the_number_of_units(round_1: Cast) -> None:
    cast = verified(round_1)
    client = cast.client(cast.admin)
    (key,) = overclaim_keys(client, cast.cycle.pk)
    few = _queries(client, cast.cycle.pk, key)
    _add_units(cast, 6)
    many = _queries(client, cast.cycle.pk, key)

    assert len(many) == len(few)
    rows = table_rows(draft_table(client, cast.cycle.pk, key), key)
    assert len(rows) == 1 + 2 + 6 and rows[1][1] == "Sở Tư pháp"
    # nothing is scored in the request: no answer or verdict is read
    assert not [sql for sql in many if "submissions_answer" in sql or "reviews_" in sql]


def test_the_draft_computes_this_cycles_overclaims_alone(
    round_1: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The draft's job needs the report after every closed round: not the rounds one by one
    nor the earlier cycles the review's page shows (those are scored only for that page)."""
    cast = verified(round_1)
    monkeypatch.setattr(overclaim, "_compute", lambda cycle: pytest.fail("whole over-claims"))
    (key,) = overclaim_keys(cast.client(cast.admin), cast.cycle.pk)
    assert "+4,00" in draft_table(cast.client(cast.admin), cast.cycle.pk, key)


def test_a_draft_whose_overclaims_cannot_be_computed_goes_without_the_table(
    round_1: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast = verified(round_1)

    def refused(cycle: object) -> None:
        raise InvalidData("points on a group and on its part", "Sở Tư pháp")

    monkeypatch.setattr(overclaim, "_report", refused)
    assert overclaim_keys(cast.client(cast.admin), cast.cycle.pk) == []
    page = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/?draft")
    assert "Sở Tư pháp" in page.content.decode()  # the results themselves are there
