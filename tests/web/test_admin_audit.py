"""Every change made in the administration or by a management command is in the audit trail,
and a published cycle's records cannot be deleted or moved there."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.contrib import admin
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from tests.web.conftest import PASSWORD, Cast

from chiso.web.accounts.models import Role, User
from chiso.web.accounts.sites import AuditedAdmin
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.audit.services import change_counts
from chiso.web.cycles.models import (
    Cycle,
    CycleState,
    FrameworkVersion,
    Organisation,
    Participation,
    Unit,
    UnitLink,
)
from chiso.web.submissions import services
from chiso.web.submissions.models import Answer


def cycle_form(cycle: Cycle, **changes: Any) -> dict[str, Any]:
    """The POST of the cycle's change page, with its participating units as they are."""
    parts = list(cycle.participations.order_by("pk"))
    data: dict[str, Any] = {
        "organisation": cycle.organisation_id, "name": cycle.name, "year": cycle.year,
        "framework": cycle.framework_id, "deadline": "30/10/2021",
        "participations-TOTAL_FORMS": len(parts), "participations-INITIAL_FORMS": len(parts),
        "participations-MIN_NUM_FORMS": 0, "participations-MAX_NUM_FORMS": 1000,
    }  # fmt: skip
    for i, part in enumerate(parts):
        data |= {f"participations-{i}-id": part.pk, f"participations-{i}-cycle": cycle.pk,
                 f"participations-{i}-unit": part.unit_id, f"participations-{i}-block": part.block}  # fmt: skip
    return data | changes


def second_version(cast: Cast) -> FrameworkVersion:
    source = cast.cycle.framework.source.replace("max: 15", "max: 16", 1)
    cast.client(cast.admin).post(
        "/admin/cycles/frameworkversion/add/",
        {"organisation": cast.organisation.pk, "file": SimpleUploadedFile("v2.yaml", source.encode())},
    )  # fmt: skip
    version = FrameworkVersion.objects.latest_of("binh-dinh-2021")
    assert version is not None and version.version == 2
    return version


@pytest.fixture
def published(cast: Cast) -> Cycle:
    """The cast's cycle, published, with the submitted answers of unit A."""
    submission = services.submission_for(cast.part_a)
    services.save_answer(submission, "I", value="10", revision=None, by=cast.editor_a)
    services.submit(submission, by=cast.head_a)
    Cycle.objects.filter(pk=cast.cycle.pk).update(state=CycleState.PUBLISHED)
    cast.cycle.refresh_from_db()
    return cast.cycle


def test_every_registered_model_is_audited_in_the_administration() -> None:
    assert admin.site._registry
    for model, model_admin in admin.site._registry.items():
        assert isinstance(model_admin, AuditedAdmin), model


def test_participation_of_a_published_cycle_cannot_be_deleted(cast: Cast, published: Cycle) -> None:
    client = cast.client(cast.admin)
    url = f"/admin/cycles/cycle/{published.pk}/change/"
    page = client.get(url)
    assert page.status_code == 200
    assert 'name="participations-0-DELETE"' not in page.content.decode()
    assert "Kỳ đánh giá đã công bố" in page.content.decode()
    response = client.post(url, cycle_form(published, **{"participations-0-DELETE": "on"}))
    assert response.status_code == 403
    assert Participation.objects.filter(pk=cast.part_a.pk).exists()
    assert Answer.objects.filter(submission__participation=cast.part_a).count() == 1
    assert not AuditEntry.objects.filter(action=Action.DELETED).exists()


def test_published_cycle_cannot_move_to_another_framework_or_year(
    cast: Cast, published: Cycle
) -> None:
    version = second_version(cast)
    client = cast.client(cast.admin)
    url = f"/admin/cycles/cycle/{published.pk}/change/"
    response = client.post(url, cycle_form(published, framework=version.pk, year=2022))
    assert response.status_code == 403
    assert client.post(f"/admin/cycles/cycle/{published.pk}/delete/", {"post": "yes"}).status_code == 403  # fmt: skip
    published.refresh_from_db()
    assert (published.framework_id, published.year) == (cast.cycle.framework_id, 2021)


def test_change_of_a_cycle_records_its_fields_before_and_after(cast: Cast) -> None:
    version = second_version(cast)
    client = cast.client(cast.admin)
    url = f"/admin/cycles/cycle/{cast.cycle.pk}/change/"
    response = client.post(url, cycle_form(cast.cycle, framework=version.pk, year=2022))
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.CHANGED)
    assert (entry.cycle, entry.actor, entry.actor_name) == (cast.cycle, cast.admin, "Admin")
    assert entry.old == "year: 2021; framework: binh-dinh-2021 v1"
    assert entry.new == "year: 2022; framework: binh-dinh-2021 v2"
    assert entry.target == f"cycles.cycle #{cast.cycle.pk} Đánh giá năm 2021"
    trail = client.get(f"/cycles/{cast.cycle.pk}/audit/").content.decode()
    assert "Năm: 2022; Bộ tiêu chí: binh-dinh-2021 v2" in trail  # in the reader's words
    assert "Kỳ đánh giá “Đánh giá năm 2021”" in trail


def test_deleted_participation_is_recorded_with_what_went_with_it(cast: Cast) -> None:
    submission = services.submission_for(cast.part_b)
    services.save_answer(submission, "I", value="3", revision=None, by=cast.editor_b)
    index = list(cast.cycle.participations.order_by("pk")).index(cast.part_b)
    data = cycle_form(cast.cycle, **{f"participations-{index}-DELETE": "on"})
    response = cast.client(cast.admin).post(f"/admin/cycles/cycle/{cast.cycle.pk}/change/", data)
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action=Action.DELETED)
    assert (entry.cycle, entry.unit, entry.actor) == (cast.cycle, cast.unit_b, cast.admin)
    assert "unit: Sở Y tế; block: so" in entry.old and entry.new == ""
    assert entry.note == "Xóa kèm theo: 1 bản tự đánh giá, 1 câu trả lời"


def test_promotion_to_administrator_is_recorded(cast: Cast) -> None:
    data = {"username": "viewer", "full_name": "Viewer", "email": "", "role": Role.ADMIN,
            "organisation": cast.organisation.pk, "unit": "", "is_active": "on"}  # fmt: skip
    url = f"/admin/accounts/user/{cast.viewer.pk}/change/"
    assert cast.client(cast.admin).post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action=Action.CHANGED)
    assert (entry.old, entry.new, entry.actor) == ("role: viewer", "role: admin", cast.admin)
    assert entry.target == f"accounts.user #{cast.viewer.pk} Viewer"


def test_new_person_is_recorded_without_the_password_hash(cast: Cast) -> None:
    data = {"username": "editor_c", "usable_password": "true", "password1": PASSWORD,
            "password2": PASSWORD, "full_name": "Ba", "role": Role.EDITOR, "unit": cast.unit_a.pk}  # fmt: skip
    cast.client(cast.admin).post("/admin/accounts/user/add/", data)
    person = User.objects.get(username="editor_c")
    entry = AuditEntry.objects.get(action=Action.ADDED)
    assert "username: editor_c" in entry.new and "role: editor" in entry.new
    assert person.password not in entry.new and "md5$" not in entry.new


def test_password_change_in_the_administration_is_recorded_without_the_hash(cast: Cast) -> None:
    url = f"/admin/accounts/user/{cast.viewer.pk}/password/"
    data = {"password1": "another-long-password", "password2": "another-long-password",
            "usable_password": "true"}  # fmt: skip
    assert cast.client(cast.admin).post(url, data).status_code == 302
    entry = AuditEntry.objects.get(action=Action.CHANGED)
    cast.viewer.refresh_from_db()
    assert (entry.old, entry.new) == ("", "password changed")
    assert cast.viewer.check_password("another-long-password")


def test_unused_framework_version_deleted_is_recorded(cast: Cast) -> None:
    version = second_version(cast)
    url = f"/admin/cycles/frameworkversion/{version.pk}/delete/"
    assert cast.client(cast.admin).post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action=Action.DELETED)
    assert entry.target == f"cycles.frameworkversion #{version.pk} binh-dinh-2021 v2"
    assert "version: 2" in entry.old and entry.actor == cast.admin


def test_person_with_entries_is_deactivated_not_deleted(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    services.save_answer(submission, "I", value="10", revision=None, by=cast.editor_a)
    client = cast.client(cast.admin)
    url = f"/admin/accounts/user/{cast.editor_a.pk}/delete/"
    assert client.post(url, {"post": "yes"}).status_code == 403
    changelist = client.get("/admin/accounts/user/").content.decode()
    assert 'value="delete_selected"' not in changelist and 'value="deactivate"' in changelist
    data = {"action": "deactivate", "_selected_action": [cast.editor_a.pk]}
    assert client.post("/admin/accounts/user/", data).status_code == 302
    cast.editor_a.refresh_from_db()
    assert not cast.editor_a.is_active
    entry = AuditEntry.objects.get(action=Action.CHANGED)
    assert (entry.old, entry.new) == ("is_active: yes", "is_active: no")


def test_person_without_entries_is_deleted_and_recorded(cast: Cast) -> None:
    url = f"/admin/accounts/user/{cast.viewer.pk}/delete/"
    assert cast.client(cast.admin).post(url, {"post": "yes"}).status_code == 302
    entry = AuditEntry.objects.get(action=Action.DELETED)
    assert entry.target == f"accounts.user #{cast.viewer.pk} Viewer" and entry.actor == cast.admin
    assert "username: viewer" in entry.old and "md5$" not in entry.old


def test_deleted_person_keeps_their_name_on_their_entries(cast: Cast) -> None:
    submission = services.submission_for(cast.part_a)
    services.save_answer(submission, "I", value="10", revision=None, by=cast.editor_a)
    User.objects.filter(pk=cast.editor_a.pk).delete()
    entry = AuditEntry.objects.get(action=Action.ANSWER)
    assert (entry.actor, entry.actor_name, entry.actor_username) == (None, "Editor_A", "editor_a")
    trail = cast.client(cast.admin).get(f"/cycles/{cast.cycle.pk}/audit/").content.decode()
    assert "Editor_A" in trail


def test_createsuperuser_is_recorded(db: None) -> None:
    call_command("createsuperuser", "--noinput", username="root", email="", stdout=io.StringIO())
    entry = AuditEntry.objects.get(action=Action.ADDED)
    assert entry.target.startswith("accounts.user #") and "username: root" in entry.new
    assert "is_superuser: yes" in entry.new and entry.note == "manage.py createsuperuser"
    assert entry.actor is None and entry.actor_name


def test_changepassword_is_recorded_without_the_hash(
    cast: Cast, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("getpass.getpass", lambda prompt="": "another-long-password")
    call_command("changepassword", "viewer", stdout=io.StringIO())
    entry = AuditEntry.objects.get(action=Action.CHANGED)
    assert entry.new == "password changed" and entry.old == ""
    assert entry.note == "manage.py changepassword"
    assert entry.target == f"accounts.user #{cast.viewer.pk} Viewer"


def test_seed_demo_is_recorded(db: None) -> None:
    call_command("seed_demo", stdout=io.StringIO())
    entry = AuditEntry.objects.get(action=Action.ADDED, note="manage.py seed_demo")
    assert entry.cycle is not None and entry.new == "32 đơn vị, 5 người dùng"


def test_a_unit_link_changed_in_the_administration_is_audited_as_on_the_lineage_page(
    cast: Cast,
) -> None:
    client = cast.client(cast.admin)
    form = {"unit": cast.unit_a.pk, "year": 2021, "earlier": "Sở Tư pháp cũ", "weight": ""}
    assert client.post("/admin/cycles/unitlink/add/", form).status_code == 302
    link = UnitLink.objects.get()
    added = AuditEntry.objects.get(action=Action.ADDED)
    assert (added.cycle, added.unit, added.actor) == (cast.cycle, cast.unit_a, cast.admin)
    assert added.new == "2021: Sở Tư pháp ← Sở Tư pháp cũ"
    counted = change_counts(cast.organisation.pk)[cast.cycle.pk]
    url = f"/admin/cycles/unitlink/{link.pk}/change/"
    assert client.post(url, form | {"weight": "1.5"}).status_code == 302
    changed = AuditEntry.objects.get(action=Action.CHANGED)
    assert (changed.old, changed.new) == (
        "2021: Sở Tư pháp ← Sở Tư pháp cũ", "2021: Sở Tư pháp ← Sở Tư pháp cũ (1.5)")  # fmt: skip
    assert change_counts(cast.organisation.pk)[cast.cycle.pk] == counted + 1  # drafts follow
    # a second link to the same earlier unit in the year is refused on the form
    again = client.post("/admin/cycles/unitlink/add/", form | {"earlier": "sở tư pháp cũ"})
    assert again.status_code == 200 and UnitLink.objects.count() == 1
    assert (
        client.post(f"/admin/cycles/unitlink/{link.pk}/delete/", {"post": "yes"}).status_code == 302
    )
    deleted = AuditEntry.objects.get(action=Action.DELETED)
    assert deleted.old == "2021: Sở Tư pháp ← Sở Tư pháp cũ (1.5)" and not UnitLink.objects.exists()
    assert AuditEntry.objects.filter(target__startswith="cycles.unitlink").count() == 3


def test_unit_links_of_another_assessor_are_not_in_the_administration(cast: Cast) -> None:
    other = Organisation.objects.create(name="Sở TT&TT tỉnh khác")
    theirs = UnitLink.objects.create(
        unit=Unit.objects.create(organisation=other, name="Xã Tây Sơn"), year=2025, earlier="X"
    )
    client = cast.client(cast.admin)
    assert client.get(f"/admin/cycles/unitlink/{theirs.pk}/change/").status_code == 302
    form = {"unit": theirs.unit_id, "year": 2025, "earlier": "Y", "weight": ""}
    assert client.post("/admin/cycles/unitlink/add/", form).status_code == 200  # not a choice
    assert cast.client(cast.viewer).get("/admin/cycles/unitlink/").status_code == 302
    assert UnitLink.objects.count() == 1
    assert not AuditEntry.objects.filter(target__startswith="cycles.unitlink").exists()
