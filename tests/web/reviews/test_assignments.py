"""The overview's assignments: a unit found by its name (suggested as one types), every unit
the filters keep at once, and the table of assignments a page at a time, by reviewer."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse
from tests.web.conftest import Cast, make_user

from chiso.web.accounts.models import Role
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Participation, Unit
from chiso.web.reviews import services
from chiso.web.reviews import views as review_views
from chiso.web.reviews.models import Assignment


def url(name: str, cycle: int) -> str:
    return reverse(f"reviews:{name}", args=[cycle])


def assigned(cast: Cast) -> set[str]:
    rows = Assignment.objects.filter(reviewer=cast.reviewer, participation__isnull=False)
    return set(rows.values_list("participation__unit__name", flat=True))


def messages_of(response) -> list[str]:  # type: ignore[no-untyped-def]
    return [str(m) for m in response.context["messages"]]


def choices(response) -> list[str]:  # type: ignore[no-untyped-def]
    return re.findall(r'<option value="([^"]*)">', response.content.decode())


@pytest.mark.parametrize("typed", ["Sở Y tế", "sở y tế", "  SYT "])
def test_assessor_assigns_a_unit_by_its_name_or_short_name(review_cast: Cast, typed: str) -> None:
    Unit.objects.filter(pk=review_cast.unit_b.pk).update(short_name="SYT")
    client = review_cast.client(review_cast.admin)
    data = {"reviewer": review_cast.reviewer.pk, "unit": typed}
    response = client.post(url("assign", review_cast.cycle.pk), data, follow=True)
    assert messages_of(response) == ["Đã phân công."]
    assert assigned(review_cast) == {"Sở Tư pháp", "Sở Y tế"}
    entry = AuditEntry.objects.filter(action=Action.ASSIGNMENT).latest("pk")
    assert (entry.unit, entry.new) == (review_cast.unit_b, "Reviewer (reviewer)")


def test_a_unit_name_that_is_not_the_cycles_is_refused_by_name(review_cast: Cast) -> None:
    client = review_cast.client(review_cast.admin)
    data = {"reviewer": review_cast.reviewer.pk, "unit": "Sở Y"}  # a part of a name is not one
    response = client.post(url("assign", review_cast.cycle.pk), data, follow=True)
    assert messages_of(response) == ["Không có đơn vị nào của kỳ đánh giá này tên là “Sở Y”."]
    assert assigned(review_cast) == {"Sở Tư pháp"}


def test_two_units_of_one_name_ask_for_the_short_name(review_cast: Cast) -> None:
    twin = Unit.objects.create(
        organisation=review_cast.organisation, name="Sở Y Tế", short_name="YT2"
    )
    Participation.objects.create(cycle=review_cast.cycle, unit=twin, block="so")
    client = review_cast.client(review_cast.admin)
    data = {"reviewer": review_cast.reviewer.pk, "unit": "sở y tế"}
    response = client.post(url("assign", review_cast.cycle.pk), data, follow=True)
    assert "nhập tên viết tắt" in messages_of(response)[0]
    client.post(url("assign", review_cast.cycle.pk), {**data, "unit": "yt2"})
    assert assigned(review_cast) == {"Sở Tư pháp", "Sở Y Tế"}


def test_the_form_suggests_the_units_holding_the_text_typed(review_cast: Cast) -> None:
    Unit.objects.filter(pk=review_cast.district.unit_id).update(short_name="An Lão")
    client = review_cast.client(review_cast.admin)
    suggest = url("unit_choices", review_cast.cycle.pk)
    assert choices(client.get(suggest, {"unit": "sở"})) == ["Sở Tư pháp", "Sở Y tế"]
    assert choices(client.get(suggest, {"unit": "an lão"})) == ["UBND huyện An Lão"]
    assert choices(client.get(suggest, {"unit": "lão"})) == ["UBND huyện An Lão"]
    assert choices(client.get(suggest, {"unit": "Bộ"})) == []


def test_the_suggestions_are_a_few_whatever_the_cycles_size(review_cast: Cast) -> None:
    for number in range(review_views.SUGGESTED + 5):
        unit = Unit.objects.create(organisation=review_cast.organisation, name=f"Xã {number:02}")
        Participation.objects.create(cycle=review_cast.cycle, unit=unit, block="xa")
    client = review_cast.client(review_cast.admin)
    found = choices(client.get(url("unit_choices", review_cast.cycle.pk), {"unit": "xã"}))
    assert found == [f"Xã {number:02}" for number in range(review_views.SUGGESTED)]


def test_without_script_the_form_offers_the_units_of_the_page_shown(
    review_cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_views, "PAGE_SIZE", 1)
    client = review_cast.client(review_cast.admin)
    page = client.get(url("overview", review_cast.cycle.pk), {"block": "so", "page": "2"})
    offered = re.search(
        r'<datalist id="unit-choices">(.*?)</datalist>', page.content.decode(), re.S
    )
    assert offered is not None and re.findall(r'value="([^"]*)"', offered[1]) == ["Sở Y tế"]
    assert 'name="participation"' not in page.content.decode()  # no list of every unit


def test_assessor_assigns_every_unit_the_filters_keep(review_cast: Cast) -> None:
    client = review_cast.client(review_cast.admin)
    before = AuditEntry.objects.count()
    data = {"reviewer": review_cast.reviewer.pk, "block": "so", "q": "sở"}
    response = client.post(url("assign_units", review_cast.cycle.pk), data, follow=True)
    assert messages_of(response) == ["Đã phân công thêm 1 đơn vị cho người thẩm định."]
    assert (
        response.redirect_chain[-1][0]
        == url("overview", review_cast.cycle.pk) + "?q=s%E1%BB%9F&block=so"
    )
    assert assigned(review_cast) == {"Sở Tư pháp", "Sở Y tế"}  # A was assigned already
    entries = AuditEntry.objects.order_by("pk")[before:]
    assert [(e.action, e.unit, e.new, e.actor) for e in entries] == [
        (Action.ASSIGNMENT, review_cast.unit_b, "Reviewer (reviewer)", review_cast.admin)
    ]
    client.post(url("assign_units", review_cast.cycle.pk), {"reviewer": review_cast.reviewer.pk})
    assert assigned(review_cast) == {"Sở Tư pháp", "Sở Y tế", "UBND huyện An Lão"}


def test_assigning_the_units_found_needs_a_reviewer_of_the_team(review_cast: Cast) -> None:
    client = review_cast.client(review_cast.admin)
    data = {"reviewer": review_cast.viewer.pk, "block": "so"}
    response = client.post(url("assign_units", review_cast.cycle.pk), data, follow=True)
    assert len(messages_of(response)) == 1 and response.context["messages"]
    assert assigned(review_cast) == {"Sở Tư pháp"}
    assert not Assignment.objects.filter(reviewer=review_cast.viewer).exists()


def test_the_assignments_are_shown_a_page_at_a_time_by_reviewer(
    review_cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(review_views, "PAGE_SIZE", 2)
    other = make_user("reviewer_2", Role.REVIEWER)
    admin, cycle = review_cast.admin, review_cast.cycle
    services.assign(cycle, review_cast.reviewer, group="III", by=admin)
    services.assign(cycle, other, participation=review_cast.part_b, by=admin)
    services.assign(cycle, other, participation=review_cast.district, by=admin)
    client = review_cast.client(admin)

    def shown(**query: str) -> list[str]:
        page = client.get(url("overview", cycle.pk), query).context["assigned"]
        return [
            f"{a.reviewer.username} {a.participation.unit if a.participation else a.group}"
            for a in page
        ]

    everyone = shown() + shown(assignment_page="2")
    assert sorted(everyone) == sorted([
        "reviewer Sở Tư pháp", "reviewer III", "reviewer_2 Sở Y tế", "reviewer_2 UBND huyện An Lão"
    ])  # fmt: skip
    assert shown(reviewer=str(other.pk)) == ["reviewer_2 Sở Y tế", "reviewer_2 UBND huyện An Lão"]
    assert shown(reviewer="x") == shown()  # a choice that is not valid counts as none
    # each list's pages keep the other's filter and page: 3 units and 4 assignments, 2 a page
    html = client.get(url("overview", cycle.pk), {"state": "submitted"}).content.decode()
    assert 'href="?state=submitted&amp;assignment_page=2#assignments"' in html
    html = client.get(url("overview", cycle.pk), {"reviewer": str(other.pk)}).content.decode()
    assert f'href="?reviewer={other.pk}&amp;page=2"' in html
    html = client.get(url("overview", cycle.pk), {"page": "2"}).content.decode()
    assert 'href="?page=2&amp;assignment_page=2#assignments"' in html


def test_the_teams_progress_follows_each_change(round_1: Cast) -> None:
    client = round_1.client(round_1.admin)

    def progress() -> list[tuple[str, int, int, int]]:
        rows = client.get(url("overview", round_1.cycle.pk)).context["progress"]
        return [(r.username, c["todo"], c["in_progress"], c["done"]) for r, c in rows]

    assert progress() == [("reviewer", 1, 0, 0)]
    assert progress() == [("reviewer", 1, 0, 0)]  # kept
    services.save_verdict(round_1.part_a, "III", value="8", revision=None, by=round_1.reviewer)
    assert progress() == [("reviewer", 0, 1, 0)]
    services.assign(round_1.cycle, round_1.reviewer, participation=round_1.part_b, by=round_1.admin)
    assert progress() == [("reviewer", 1, 1, 0)]
    other = make_user("reviewer_2", Role.REVIEWER)  # a new member of the team: counted at once
    assert progress() == [("reviewer", 1, 1, 0), ("reviewer_2", 0, 0, 0)]
    client.post(url("assign_units", round_1.cycle.pk), {"reviewer": other.pk, "block": "so"})
    assert progress() == [("reviewer", 1, 1, 0), ("reviewer_2", 1, 1, 0)]


def test_a_published_cycles_review_is_closed(review_cast: Cast) -> None:
    cycle = review_cast.cycle
    cycle.state = "published"
    cycle.save(update_fields=["state"])
    client = review_cast.client(review_cast.admin)
    page = client.get(url("overview", cycle.pk)).content.decode()
    assert "việc thẩm định đã khép lại" in page
    assert reverse("reviews:assign", args=[cycle.pk]) not in page
    assert reverse("reviews:stage", args=[cycle.pk]) not in page
    entries = AuditEntry.objects.count()
    data = {"reviewer": review_cast.reviewer.pk, "unit": "Sở Y tế"}
    response = client.post(url("assign", cycle.pk), data, follow=True)
    assert messages_of(response) == [
        "Kết quả của kỳ đánh giá đã công bố: việc thẩm định đã khép lại."
    ]
    response = client.post(url("assign_units", cycle.pk), {"reviewer": review_cast.reviewer.pk})
    assert response.status_code == 302
    existing = Assignment.objects.filter(cycle=cycle).first()
    assert existing is not None
    client.post(reverse("reviews:unassign", args=[existing.pk]))
    assert assigned(review_cast) == {"Sở Tư pháp"}
    assert Assignment.objects.filter(pk=existing.pk).exists()
    assert AuditEntry.objects.count() == entries
