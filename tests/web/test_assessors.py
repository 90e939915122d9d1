"""Many assessors on one site: each has its own frameworks, units, people, cycles and results,
and none sees another's (404); a site administrator manages them all; a unit listed to a second
assessor takes part in both assessors' cycles, each seeing only its own cycle."""

from __future__ import annotations

import io
from dataclasses import dataclass

import pytest
from django.core.exceptions import ValidationError
from openpyxl import load_workbook
from tests.web.conftest import Cast, make_user

from chiso.core import shipped_frameworks
from chiso.web.accounts import roles
from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import Action
from chiso.web.audit.services import record
from chiso.web.cycles.forms import CycleForm
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.cycles.people import plan
from chiso.web.cycles.services import import_framework
from chiso.web.results import services as results
from chiso.web.submissions.models import Answer
from chiso.web.submissions.services import save_answer, submission_for


@dataclass
class Other:
    """The second assessor (Phú Yên): its cycle, its own unit, its people."""

    organisation: Organisation
    cycle: Cycle
    unit: Unit
    part: Participation
    admin: User
    reviewer: User
    viewer: User
    editor: User


@pytest.fixture
def other(cast: Cast) -> Other:
    organisation = Organisation.objects.create(name="Sở TT&TT tỉnh Phú Yên", place="Tuy Hòa")
    source = shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8")
    version = import_framework(organisation, source, source_name="phu-yen-2021.yaml")
    cycle = Cycle.objects.create(organisation=organisation, name="Phú Yên 2021", year=2021,
                                 framework=version, state=CycleState.OPEN)  # fmt: skip
    unit = Unit.objects.create(organisation=organisation, name="Sở Nội vụ tỉnh Phú Yên")
    part = Participation.objects.create(cycle=cycle, unit=unit, block="so")
    people = {role: make_user(f"{role}_py", role, organisation=organisation)
              for role in (Role.ADMIN, Role.REVIEWER, Role.VIEWER)}  # fmt: skip
    editor = make_user("editor_py", Role.EDITOR, unit)
    return Other(organisation, cycle, unit, part, people[Role.ADMIN], people[Role.REVIEWER],
                 people[Role.VIEWER], editor)  # fmt: skip


def test_a_person_belongs_to_an_assessor_and_a_unit_person_to_their_unit_s(
    cast: Cast, other: Other
) -> None:
    assert cast.editor_a.organisation == cast.organisation
    assert other.editor.organisation == other.organisation
    person = User(username="x", role=Role.EDITOR, unit=cast.unit_a)
    person.clean()  # the unit's assessor is taken as the person's
    assert person.organisation_id == cast.organisation.pk
    person.organisation = other.organisation
    with pytest.raises(ValidationError, match="cơ quan đánh giá của đơn vị mình"):
        person.clean()
    with pytest.raises(ValidationError, match="trừ quản trị viên hệ thống"):
        User(username="y", role=Role.VIEWER).clean()
    User(username="z", role=Role.VIEWER, is_superuser=True).clean()  # a site administrator
    assert all(p.agrees_with_unit for p in User.objects.select_related("unit"))


def test_the_database_check_names_people_whose_assessor_is_not_their_unit_s(
    cast: Cast, other: Other
) -> None:
    from django.core.checks import run_checks

    def ids() -> list[str]:
        return [m.id for m in run_checks(tags=["database"], databases=["default"])]

    assert not {"accounts.E001", "accounts.W002"} & set(ids())
    User.objects.filter(pk=cast.editor_a.pk).update(organisation=other.organisation)
    User.objects.filter(pk=cast.viewer.pk).update(organisation=None)
    assert {"accounts.E001", "accounts.W002"} <= set(ids())


def test_the_migration_gives_everyone_the_one_assessor(cast: Cast) -> None:
    from importlib import import_module

    from django.apps import apps

    migration = import_module("chiso.web.accounts.migrations.0005_user_organisation")
    User.objects.update(organisation=None)
    superuser = make_user("root", Role.ADMIN)
    User.objects.filter(pk=superuser.pk).update(is_superuser=True, organisation=None)
    migration.assign_people(apps, None)
    assert set(User.objects.filter(is_superuser=False).values_list("organisation", flat=True)) == {
        cast.organisation.pk
    }
    assert User.objects.get(pk=superuser.pk).organisation_id is None


def test_notifications_go_to_the_cycle_s_assessor_only(cast: Cast, other: Other) -> None:
    assert list(roles.assessor_admins(cast.organisation.pk)) == [cast.admin]
    assert list(roles.assessor_admins(other.organisation.pk)) == [other.admin]
    assert list(roles.review_team(other.organisation.pk)) == [other.reviewer]


def _ids(payload: list[dict[str, object]]) -> set[object]:
    return {item["id"] for item in payload}


def test_each_assessor_s_lists_hold_only_its_own(cast: Cast, other: Other) -> None:
    record(Action.SUBMITTED, actor=other.admin, cycle=other.cycle, unit=other.unit, note="py")
    record(Action.SUBMITTED, actor=cast.admin, cycle=cast.cycle, unit=cast.unit_a, note="bd")
    for who, mine, theirs in ((cast.admin, cast, other), (other.admin, other, cast)):
        client = cast.client(who)
        own_cycle = mine.cycle.pk
        other_cycle = theirs.cycle.pk
        cycles = client.get("/cycles/").content.decode()
        assert f"/cycles/{own_cycle}/" in cycles and f"/cycles/{other_cycle}/" not in cycles
        home = client.get("/").content.decode()
        assert f"/cycles/{own_cycle}/" in home and f"/cycles/{other_cycle}/" not in home
        assert _ids(client.get("/api/v1/cycles/").json()) == {own_cycle}
        assert client.get(f"/cycles/{other_cycle}/").status_code == 404
        assert client.get(f"/cycles/{other_cycle}/audit/").status_code == 404
        assert client.get(f"/reviews/cycle/{other_cycle}/").status_code == 404
    # the dashboard, the review page and the trail of the second assessor's cycle
    client = cast.client(other.admin)
    dashboard = client.get(f"/cycles/{other.cycle.pk}/").content.decode()
    assert other.unit.name in dashboard and cast.unit_a.name not in dashboard
    review = client.get(f"/reviews/cycle/{other.cycle.pk}/").content.decode()
    assert f">{other.reviewer}<" in review and f">{cast.reviewer}<" not in review
    trail = client.get(f"/cycles/{other.cycle.pk}/audit/").content.decode()
    assert "py" in trail and cast.unit_a.name not in trail
    # the reviewer and the viewer of one assessor see none of the other's
    for person in (other.reviewer, other.viewer):
        client = cast.client(person)
        assert _ids(client.get("/api/v1/cycles/").json()) == {other.cycle.pk}
        assert client.get(f"/submissions/{cast.part_a.pk}/").status_code == 404
        assert client.get(f"/api/v1/cycles/{cast.cycle.pk}").status_code == 404


def test_units_and_people_of_another_assessor_are_neither_listed_nor_imported(
    cast: Cast, other: Other
) -> None:
    User.objects.filter(pk=cast.editor_a.pk).update(email="editor_a@example.org")
    User.objects.filter(pk=other.editor.pk).update(email="editor_py@example.org")
    client = cast.client(other.admin)
    template = client.get("/cycles/people/template.xlsx")
    book = load_workbook(io.BytesIO(template.content))
    units = [row[0] for row in book["Đơn vị"].iter_rows(min_row=2, values_only=True)]
    assert units == [other.unit.name]
    people = [row[1] for row in book["Người dùng"].iter_rows(min_row=2, values_only=True)]
    assert people == ["editor_py@example.org"]
    # another assessor's template cannot be asked for
    asked = client.get(f"/cycles/people/template.xlsx?organisation={cast.organisation.pk}")
    book = load_workbook(io.BytesIO(asked.content))
    assert [r[0] for r in book["Đơn vị"].iter_rows(min_row=2, values_only=True)] == units
    # nor imported into, and a person of another assessor is not taken over
    User.objects.filter(pk=cast.viewer.pk).update(email="viewer@example.org")
    people = "Thư điện tử,Vai trò\nviewer@example.org,Người xem\n".encode()
    report = plan(other.organisation, "p.csv", people)
    assert "cơ quan đánh giá khác" in str(report.problems[0])
    upload = io.BytesIO(people)
    upload.name = "p.csv"
    response = client.post(
        "/cycles/people/", {"organisation": cast.organisation.pk, "file": upload}
    )
    assert response.status_code == 200 and "organisation" in response.context["form"].errors


def test_a_framework_of_one_assessor_is_not_offered_to_another(cast: Cast, other: Other) -> None:
    form = CycleForm(Organisation.objects.filter(pk=other.organisation.pk))
    offered = set(form.fields["framework"].queryset)  # type: ignore[attr-defined]
    assert offered == {other.cycle.framework}
    assert {unit for unit, *_ in form.unit_rows} == {other.unit}
    data = {"name": "x", "year": 2022, "framework": cast.cycle.framework.pk,
            f"unit_{other.unit.pk}": "on", f"block_{other.unit.pk}": "so"}  # fmt: skip
    bound = CycleForm(Organisation.objects.filter(pk=other.organisation.pk), data)
    assert not bound.is_valid() and "framework" in bound.errors


def test_a_unit_takes_part_in_the_cycles_of_two_assessors(cast: Cast, other: Other) -> None:
    """Sở Tư pháp, Bình Định's, listed to the second assessor, joins its cycle too: each
    assessor reads only its own cycle's answers and results; the unit's people both."""
    form = CycleForm(Organisation.objects.filter(pk=other.organisation.pk))
    assert cast.unit_a not in {unit for unit, *_ in form.unit_rows}
    cast.unit_a.also_assessed_by.add(other.organisation)
    form = CycleForm(Organisation.objects.filter(pk=other.organisation.pk))
    assert cast.unit_a in {unit for unit, *_ in form.unit_rows}
    guest = Participation(cycle=other.cycle, unit=cast.unit_a, block="so")
    guest.full_clean()
    guest.save()
    with pytest.raises(ValidationError, match="không có trong danh sách"):
        Participation(cycle=other.cycle, unit=cast.unit_b, block="so").full_clean()
    # the unit's editor answers in both cycles
    save_answer(submission_for(cast.part_a), "I", value="10", revision=None, by=cast.editor_a)
    save_answer(submission_for(guest), "I", value="4", revision=None, by=cast.editor_a)
    assert Answer.objects.filter(code="I").count() == 2
    editor = cast.client(cast.editor_a)
    assert editor.get(f"/submissions/{cast.part_a.pk}/").status_code == 200
    assert editor.get(f"/submissions/{guest.pk}/").status_code == 200
    assert _ids(editor.get("/api/v1/cycles/").json()) == {cast.cycle.pk, other.cycle.pk}
    home = editor.get("/").content.decode()
    assert f"/submissions/{cast.part_a.pk}/" in home and f"/submissions/{guest.pk}/" in home
    # each assessor its own cycle's answers, results and draft scorecard
    for who, own, foreign, cycle, elsewhere in (
        (cast.admin, cast.part_a, guest, cast.cycle, other.cycle),
        (other.admin, guest, cast.part_a, other.cycle, cast.cycle),
    ):
        client = cast.client(who)
        assert client.get(f"/submissions/{own.pk}/").status_code == 200
        assert client.get(f"/submissions/{foreign.pk}/").status_code == 404
        assert client.get(f"/api/v1/submissions/{foreign.pk}").status_code == 404
        assert client.get(f"/results/{cycle.pk}/").status_code == 200
        assert client.get(f"/results/{elsewhere.pk}/").status_code == 404
        card = f"/results/{elsewhere.pk}/units/{cast.unit_a.pk}/"
        assert client.get(card).status_code == 404
    page = cast.client(other.admin).get(f"/submissions/{guest.pk}/").content.decode()
    assert cast.unit_a.name in page
    assert cast.client(other.admin).get(f"/cycles/{other.cycle.pk}/").status_code == 200


def test_the_public_page_lists_each_assessor_s_results_under_its_name(
    cast: Cast, other: Other
) -> None:
    submission = submission_for(other.part)
    save_answer(submission, "I", value="10", revision=None, by=other.editor)
    Cycle.objects.filter(pk=other.cycle.pk).update(state=CycleState.UNDER_REVIEW)
    results.publish(Cycle.objects.get(pk=other.cycle.pk), by=other.admin)
    page = cast.client(None).get("/results/").content.decode()
    assert "<h2" in page and other.organisation.name.replace("&", "&amp;") in page
    assert f"/results/{other.cycle.pk}/" in page
    # a draft is listed to its own assessor only
    assert f"/results/{cast.cycle.pk}/" in cast.client(cast.admin).get("/results/").content.decode()
    assert f"/results/{cast.cycle.pk}/" not in (
        cast.client(other.admin).get("/results/").content.decode()
    )


def test_the_site_administrator_manages_assessors_and_an_assessor_only_its_own(
    cast: Cast, other: Other
) -> None:
    root = make_user("root", Role.ADMIN)
    User.objects.filter(pk=root.pk).update(is_superuser=True, is_staff=True, organisation=None)
    site = cast.client(User.objects.get(pk=root.pk))
    listing = site.get("/admin/cycles/organisation/").content.decode()
    assert cast.organisation.name in listing and "Phú Yên" in listing
    assert site.get("/admin/cycles/organisation/add/").status_code == 200
    people = site.get("/admin/accounts/user/").content.decode()
    assert "editor_py" in people and "editor_a" in people
    unit_page = f"/admin/cycles/unit/{cast.unit_a.pk}/change/"
    assert "also_assessed_by" in site.get(unit_page).content.decode()
    assert "also_assessed_by" not in cast.client(cast.admin).get(unit_page).content.decode()

    record(Action.SUBMITTED, actor=other.admin, cycle=other.cycle, note="ghi-chu-py")
    record(Action.SUBMITTED, actor=cast.admin, cycle=cast.cycle, note="ghi-chu-bd")
    client = cast.client(other.admin)
    assert client.get("/admin/cycles/organisation/add/").status_code == 403
    listing = client.get("/admin/cycles/organisation/").content.decode()
    assert "Phú Yên" in listing and "Bình Định" not in listing
    foreign = f"/admin/cycles/organisation/{cast.organisation.pk}/change/"
    assert client.get(foreign).status_code == 302  # Django's "does not exist" for the admin
    for page, mine, theirs in (
        ("accounts/user", "editor_py", "editor_a"),
        ("cycles/unit", other.unit.name, cast.unit_a.name),
        ("cycles/cycle", "Phú Yên 2021", "Đánh giá năm 2021"),
        ("audit/auditentry", "ghi-chu-py", "ghi-chu-bd"),
    ):
        listing = client.get(f"/admin/{page}/").content.decode()
        assert mine in listing and theirs not in listing, page
    assert client.get(f"/admin/accounts/user/{cast.editor_a.pk}/change/").status_code == 302
    # a new person is of the administrator's assessor; another assessor is not a choice
    form = client.get("/admin/accounts/user/add/").content.decode()
    assert cast.organisation.name not in form
    response = client.post("/admin/accounts/user/add/", {
        "username": "new_py", "usable_password": "false", "full_name": "Mới",
        "role": Role.VIEWER, "organisation": cast.organisation.pk,
    })  # fmt: skip
    assert response.status_code == 200 and not User.objects.filter(username="new_py").exists()
    client.post("/admin/accounts/user/add/", {
        "username": "new_py", "usable_password": "false", "full_name": "Mới",
        "role": Role.VIEWER, "organisation": other.organisation.pk,
    })  # fmt: skip
    assert User.objects.get(username="new_py").organisation == other.organisation
