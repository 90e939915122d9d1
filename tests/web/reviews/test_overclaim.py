"""The over-claim page: self-assessed against verified points, for the assessor and viewers.

Sở Tư pháp claimed 80 (tests/web/reviews/conftest.py); the reviewer verifies III at 8 (of its
own 10) and V at 6 (of 8): 76 once round 1 is closed, 4 points over. Sở Y tế, not reviewed,
is given the 79 it claimed.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import pytest
from openpyxl import load_workbook
from tests.web.conftest import Cast
from tests.web.reviews.conftest import ANSWERS_A, ANSWERS_B, close_round_1, deadline, fill

from chiso.web.accounts.models import User
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.results import drafts
from chiso.web.reviews import overclaim, services
from chiso.web.reviews.models import Stage
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
    # the block by the name people read, not its code
    (name,) = [b.name for b in cast.cycle.framework.framework.blocks if b.code == "so"]
    assert {r["block"] for r in rows} == {name}


def test_the_review_overview_links_to_it_for_the_assessor_only(round_1: Cast) -> None:
    link = f"/reviews/cycle/{round_1.cycle.pk}/overclaim/"
    assert (
        link
        in round_1.client(round_1.admin).get(f"/reviews/cycle/{round_1.cycle.pk}/").content.decode()
    )
    queue = round_1.client(round_1.reviewer).get(f"/reviews/cycle/{round_1.cycle.pk}/", follow=True)
    assert link not in queue.content.decode()


# --- after each round, across years, the unit's own page, kept per change --------------------
#
# Round 2 gives III its 10 back (round 1 gave 8); V stays at round 1's 6: 78, 2 over.
# 2020, the same assessor and units: Sở Tư pháp claimed the same 80 and VI was verified at
# 9 of its 12: 77, 3 over; Sở Y tế was not reviewed: 79 both ways, 0.


def round_2(cast: Cast, *, final: bool = True) -> Cast:
    services.change_stage(cast.cycle, Stage.ROUND_2, by=cast.admin)
    save_verdict(cast.part_a, "III", value="10", revision=None, by=cast.reviewer)
    if final:
        services.change_stage(cast.cycle, Stage.FINAL, by=cast.admin)
    return cast


def earlier_year(cast: Cast, year: int = 2020, *, reviewed: bool = True) -> Cycle:
    cycle = Cycle.objects.create(
        organisation=cast.organisation,
        name=f"Đánh giá năm {year}",
        year=year,
        framework=cast.cycle.framework,
        state=CycleState.OPEN,
    )
    part_a = Participation.objects.create(cycle=cycle, unit=cast.unit_a, block="so")
    part_b = Participation.objects.create(cycle=cycle, unit=cast.unit_b, block="so")
    fill(cast, part_a, ANSWERS_A, cast.editor_a, cast.head_a)
    fill(cast, part_b, ANSWERS_B, cast.editor_b, cast.head_b)
    if reviewed:
        services.assign(cycle, cast.reviewer, participation=part_a, by=cast.admin)
        services.change_stage(cycle, Stage.ROUND_1, by=cast.admin)
        save_verdict(part_a, "VI", value="9", revision=None, by=cast.reviewer)
        services.change_stage(cycle, Stage.RESPONSES, by=cast.admin, response_deadline=deadline())
    return cycle


def overclaim_page(cast: Cast, user: User) -> Any:
    return cast.client(user).get(f"/reviews/cycle/{cast.cycle.pk}/overclaim/")


def test_the_assessor_sees_the_gap_after_each_round(round_1: Cast) -> None:
    cast = round_2(verified(round_1))
    page = overclaim_page(cast, cast.admin)
    rows = {row[0]: row[1:4] for row in page.context["blocks"][0].units}
    assert rows["Sở Tư pháp"] == ["80", "78", "+2"]
    (table, *_) = page.context["by_round"]
    assert table.headings == ["1", "2"]
    assert {row[0]: row[1:] for row in table.units} == {
        "Sở Tư pháp": ["+4", "+2"],
        "Sở Y tế": ["0", "0"],
    }
    assert table.totals == ["+4", "+2"]
    assert "Vòng 2" in page.content.decode()


def test_no_round_closed_no_table_of_rounds(round_1: Cast) -> None:
    assert overclaim_page(round_1, round_1.admin).context["by_round"] == []


def test_the_assessor_sees_the_same_units_in_earlier_years(round_1: Cast) -> None:
    earlier_year(round_1, 2019, reviewed=False)  # no verified points: not compared
    earlier_year(round_1, 2020)
    cast = verified(round_1)
    (table, *_) = overclaim_page(cast, cast.admin).context["by_year"]
    assert table.headings == ["2020", "2021"]
    assert {row[0]: row[1:] for row in table.units} == {
        "Sở Tư pháp": ["+3", "+4"],
        "Sở Y tế": ["0", "0"],
    }


def test_another_assessors_earlier_cycle_is_not_compared(round_1: Cast) -> None:
    earlier = earlier_year(round_1, 2020)
    other = Organisation.objects.create(name="Bộ Nội vụ", place="Hà Nội")
    Cycle.objects.filter(pk=earlier.pk).update(organisation=other)
    cast = verified(round_1)
    assert overclaim_page(cast, cast.admin).context["by_year"] == []


def unit_page(cast: Cast, user: User, participation: Participation | None = None) -> Any:
    target = participation or cast.part_a
    return cast.client(user).get(f"/reviews/unit/{target.pk}/overclaim/")


def test_the_unit_sees_its_own_gap_criterion_by_criterion(round_1: Cast) -> None:
    earlier_year(round_1, 2020)
    cast = round_2(verified(round_1))
    page = unit_page(cast, cast.editor_a)
    assert page.status_code == 200
    mine = page.context["unit"]
    assert mine.total == ["80", "78", "+2"]
    assert [(c[0], c[3], c[4], c[5]) for c in mine.criteria] == [("V", "8", "6", "+2")]
    assert mine.rounds == [(1, "+4"), (2, "+2")]
    assert mine.years == [(2020, "Đánh giá năm 2020", "80", "77", "+3")]
    html = page.content.decode()
    assert "Sở Y tế" not in html  # only its own unit


def test_the_unit_sees_nothing_before_a_round_closes(round_1: Cast) -> None:
    save_verdict(round_1.part_a, "III", value="8", revision=None, by=round_1.reviewer)
    page = unit_page(round_1, round_1.head_a)
    assert page.status_code == 200
    assert page.context["verified"] is False and page.context["unit"] is None
    form = round_1.client(round_1.head_a).get(f"/submissions/{round_1.part_a.pk}/")
    assert f"/reviews/unit/{round_1.part_a.pk}/overclaim/" not in form.content.decode()


def test_the_units_form_links_to_it_once_verified(round_1: Cast) -> None:
    cast = verified(round_1)
    link = f"/reviews/unit/{cast.part_a.pk}/overclaim/"
    assert (
        link in cast.client(cast.editor_a).get(f"/submissions/{cast.part_a.pk}/").content.decode()
    )
    history = cast.client(cast.editor_a).get(f"/reviews/unit/{cast.part_a.pk}/history/")
    assert link in history.content.decode()
    reviewers = cast.client(cast.reviewer).get(f"/submissions/{cast.part_a.pk}/")
    assert link not in reviewers.content.decode()


def test_another_units_people_get_404_and_reviewers_403(round_1: Cast) -> None:
    cast = verified(round_1)
    assert unit_page(cast, cast.editor_b).status_code == 404
    assert unit_page(cast, cast.head_b).status_code == 404
    assert unit_page(cast, cast.reviewer).status_code == 403
    assert unit_page(cast, cast.viewer).status_code == 200
    assert unit_page(cast, cast.admin).context["unit"].total == ["80", "76", "+4"]


def test_the_report_is_computed_once_per_change(
    round_1: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    cast = verified(round_1)
    computed = []
    compute = overclaim._compute

    def counted(cycle: Cycle) -> overclaim.OverClaims:
        computed.append(cycle.pk)
        return compute(cycle)

    monkeypatch.setattr(overclaim, "_compute", counted)
    for user in (cast.admin, cast.viewer):
        assert overclaim_page(cast, user).status_code == 200
    assert unit_page(cast, cast.editor_a).context["unit"].total == ["80", "76", "+4"]
    assert len(computed) == 1
    drafts.forget()  # another process: Django's cache has it
    assert overclaim_page(cast, cast.admin).context["blocks"][0].units[0][3] == "+4"
    assert len(computed) == 1
    round_2(cast)  # verdicts and steps are in the audit trail: a new key
    assert overclaim_page(cast, cast.admin).context["blocks"][0].units[0][3] == "+2"
    assert len(computed) == 2


def test_the_dashboard_shows_the_largest_gaps_once_a_round_closed(round_1: Cast) -> None:
    client = round_1.client(round_1.admin)
    panel = f"/reviews/cycle/{round_1.cycle.pk}/overclaim/?part=largest"
    dashboard = client.get(f"/cycles/{round_1.cycle.pk}/").content.decode()
    assert panel in dashboard  # the page loads the panel after it
    assert client.get(panel).context["gaps"] is None  # no round closed: nothing to show
    cast = verified(round_1)
    page = client.get(panel)
    gaps = page.context["gaps"]
    assert gaps.units == [("Sở Tư pháp", "Sở, ban, ngành", "80", "76", "+4")]  # not Sở Y tế
    assert [(c[0], c[2], c[3]) for c in gaps.criteria] == [("III", "+2", 1), ("V", "+2", 1)]
    html = page.content.decode()
    assert "Chênh lệch tự chấm lớn nhất" in html and "<html" not in html  # a fragment
    assert round_1.client(cast.reviewer).get(panel).status_code == 403


def test_an_open_cycles_dashboard_has_no_panel(cast: Cast) -> None:
    page = cast.client(cast.admin).get(f"/cycles/{cast.cycle.pk}/")
    assert "part=largest" not in page.content.decode()


V_NAME = "Cơ chế chính sách và các quy định thúc đẩy ứng dụng CNTT"


def test_the_answers_workbook_has_a_sheet_of_the_largest_gaps(round_1: Cast) -> None:
    Unit.objects.filter(pk=round_1.unit_a.pk).update(name="=HYPERLINK(1)")
    cast = verified(round_1)
    response = cast.client(cast.admin).get(f"/cycles/{cast.cycle.pk}/export.xlsx")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Dữ liệu", "Chênh lệch lớn nhất"]
    sheet = workbook.worksheets[1]
    rows = [[cell.value for cell in row] for row in sheet.iter_rows()]
    assert rows == [
        ["Loại", "Khối", "Mã", "Tên", "Tự đánh giá", "Thẩm định", "Chênh lệch", "Đơn vị"],
        ["Đơn vị", "Sở, ban, ngành", None, "=HYPERLINK(1)", 80, 76, 4, None],
        ["Tiêu chí", None, "III", "Trang thông tin điện tử", None, None, 2, 1],
        ["Tiêu chí", None, "V", V_NAME, None, None, 2, 1],
    ]
    assert sheet.cell(2, 4).data_type == "s"  # the name is text, never a formula


def test_before_a_round_closes_the_workbook_has_only_the_answers(round_1: Cast) -> None:
    response = round_1.client(round_1.admin).get(f"/cycles/{round_1.cycle.pk}/export.xlsx")
    assert load_workbook(io.BytesIO(response.content)).sheetnames == ["Dữ liệu"]


def test_half_points_are_shown_not_rounded_away(round_1: Cast) -> None:
    """The demo publishes whole points; a gap of half a point still reads as one, and the
    figures shown add up: 80 claimed, 75,5 verified, 4,5 over."""
    for code, value in (("III", "7.5"), ("V", "6")):
        save_verdict(round_1.part_a, code, value=value, revision=None, by=round_1.reviewer)
    close_round_1(round_1)
    page = round_1.client(round_1.admin).get(f"/reviews/cycle/{round_1.cycle.pk}/overclaim/")
    rows = {row[0]: row[1:4] for row in page.context["blocks"][0].units}
    assert rows["Sở Tư pháp"] == ["80", "75,5", "+4,5"]
