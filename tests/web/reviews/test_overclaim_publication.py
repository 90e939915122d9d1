"""The over-claim table in the publication, chosen when publishing: Sở Tư pháp claimed 80
and is verified at 76 after round 1 (+4,00); Sở Y tế, not reviewed, 79 both ways ("=")."""

from __future__ import annotations

import io

from django.test import Client
from openpyxl import load_workbook
from tests.web.conftest import Cast, run_jobs
from tests.web.reviews.test_overclaim import verified

from chiso.web.results import services
from chiso.web.results.snapshot import Stored

TITLE = "Điểm tự đánh giá và điểm thẩm định"


def publish(client: Client, cycle: int, **options: str) -> None:
    seen = client.get(f"/results/{cycle}/publish/").context["seen"]
    job = client.post(f"/results/{cycle}/publish/", {"seen": seen, **options})
    assert job.status_code == 302 and job["Location"].startswith("/jobs/")
    run_jobs()


def overclaim_sheets(client: Client, cycle: int) -> list[list[list[object]]]:
    response = client.get(f"/results/{cycle}/ket-qua.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    return [
        [list(row) for row in sheet.iter_rows(values_only=True)]
        for sheet in book.worksheets
        if TITLE in str(sheet["A1"].value or "")
    ]


def test_the_assessor_publishes_the_overclaim_table(round_1: Cast) -> None:
    cast = verified(round_1)
    client = cast.client(cast.admin)
    publish(client, cast.cycle.pk, overclaim="1")
    (sheet,) = overclaim_sheets(client, cast.cycle.pk)
    assert sheet[1] == ["TT", "Tên cơ quan, đơn vị", "Tự đánh giá", "Thẩm định", "Chênh lệch"]
    assert sheet[2:4] == [[1, "Sở Tư pháp", 80, 76, 4], [2, "Sở Y tế", 79, 79, 0]]
    assert any("chênh lệch +4,00 điểm" in str(row[0]) for row in sheet[4:])
    # the published results page lists it and shows it, gaps with two decimals
    (key,) = [e.key for e in Stored(cast.cycle.revisions.get()).contents() if TITLE in e.title]
    page = client.get(f"/results/{cast.cycle.pk}/", {"table": key}).content.decode()
    assert "Điểm tự đánh giá và điểm thẩm định của Sở, ban, ngành" in page
    assert "+4,00" in page


def test_without_the_choice_the_publication_has_no_such_table(round_1: Cast) -> None:
    cast = verified(round_1)
    client = cast.client(cast.admin)
    page = client.get(f"/results/{cast.cycle.pk}/publish/")
    assert 'name="overclaim"' in page.content.decode()
    publish(client, cast.cycle.pk)
    assert overclaim_sheets(client, cast.cycle.pk) == []


def test_a_correction_keeps_the_table_it_was_published_with(round_1: Cast) -> None:
    cast = verified(round_1)
    client = cast.client(cast.admin)
    publish(client, cast.cycle.pk, overclaim="1")
    services.correct(cast.cycle, reason="Sửa lỗi chính tả", by=cast.admin)
    assert titled(cast, 2) == ["Điểm tự đánh giá và điểm thẩm định của Sở, ban, ngành"]


def test_a_correction_of_a_publication_without_it_has_none(round_1: Cast) -> None:
    cast = verified(round_1)
    publish(cast.client(cast.admin), cast.cycle.pk)
    services.correct(cast.cycle, reason="Sửa lỗi chính tả", by=cast.admin)
    assert titled(cast, 2) == []


def titled(cast: Cast, number: int) -> list[str]:
    """The over-claim tables' titles of the cycle's revision ``number``."""
    revision = cast.cycle.revisions.get(number=number)
    return [e.title for e in Stored(revision).contents() if e.title.startswith(TITLE)]
