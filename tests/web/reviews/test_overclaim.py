"""The over-claim page: self-assessed against verified points, for the assessor and viewers.

Sở Tư pháp claimed 80 (tests/web/reviews/conftest.py); the reviewer verifies III at 8 (of its
own 10) and V at 6 (of 8): 76 once round 1 is closed, 4 points over. Sở Y tế, not reviewed,
is given the 79 it claimed.
"""

from __future__ import annotations

import csv
import io

from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1

from chiso.web.reviews.services import save_verdict


def verified(cast: Cast) -> Cast:
    for code, value in (("III", "8"), ("V", "6")):
        save_verdict(cast.part_a, code, value=value, revision=None, by=cast.reviewer)
    close_round_1(cast)
    return cast


def test_the_assessor_sees_each_unit_both_ways(round_1: Cast) -> None:
    cast = verified(round_1)
    page = cast.client(cast.admin).get(f"/reviews/cycle/{cast.cycle.pk}/overclaim/")
    assert page.status_code == 200
    (block, *_) = page.context["blocks"]
    rows = {row[0]: row[1:4] for row in block.units}
    assert rows["Sở Tư pháp"] == ["80", "76", "+4"]
    assert rows["Sở Y tế"] == ["79", "79", "0"]
    assert block.units[0][0] == "Sở Tư pháp"  # the largest over-claim first
    assert "III (+2), V (+2)" in block.units[0][4]
    assert block.summary["over"] == 1 and block.summary["under"] == 0
    html = page.content.decode()
    assert "Sở Tư pháp" in html and "+4" in html


def test_before_a_round_closes_the_verified_points_are_the_claimed_ones(round_1: Cast) -> None:
    save_verdict(round_1.part_a, "III", value="8", revision=None, by=round_1.reviewer)
    page = round_1.client(round_1.admin).get(f"/reviews/cycle/{round_1.cycle.pk}/overclaim/")
    rows = {row[0]: row[1:4] for row in page.context["blocks"][0].units}
    assert rows["Sở Tư pháp"] == ["80", "80", "0"]


def test_the_csv_has_the_unit_totals_and_criteria_that_differ(round_1: Cast) -> None:
    cast = verified(round_1)
    response = cast.client(cast.viewer).get(
        f"/reviews/cycle/{cast.cycle.pk}/overclaim/", {"format": "csv"}
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    mine = [(r["code"], r["claimed"], r["verified"]) for r in rows if r["unit"] == "Sở Tư pháp"]
    assert mine == [("", "80", "76"), ("III", "10", "8"), ("V", "8", "6")]


def test_the_review_overview_links_to_it_for_the_assessor_only(round_1: Cast) -> None:
    link = f"/reviews/cycle/{round_1.cycle.pk}/overclaim/"
    assert (
        link
        in round_1.client(round_1.admin).get(f"/reviews/cycle/{round_1.cycle.pk}/").content.decode()
    )
    queue = round_1.client(round_1.reviewer).get(f"/reviews/cycle/{round_1.cycle.pk}/", follow=True)
    assert link not in queue.content.decode()
