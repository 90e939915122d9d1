"""The administration, used by the assessor administrator without a developer."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.conftest import PASSWORD, Cast

from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import AuditEntry
from chiso.web.cycles.models import FrameworkVersion


@pytest.mark.parametrize(("who", "status"), [("admin", 200), ("viewer", 302), ("editor_a", 302)])
def test_only_the_assessor_enters_the_administration(cast: Cast, who: str, status: int) -> None:
    assert cast.client(getattr(cast, who)).get("/admin/").status_code == status


@pytest.mark.parametrize(
    "page",
    ["cycles/organisation", "cycles/unit", "cycles/frameworkversion", "cycles/cycle",
     "accounts/user", "audit/auditentry"],
)  # fmt: skip
def test_assessor_sees_every_list(cast: Cast, page: str) -> None:
    assert cast.client(cast.admin).get(f"/admin/{page}/").status_code == 200


def test_cycle_page_lists_its_units(cast: Cast) -> None:
    response = cast.client(cast.admin).get(f"/admin/cycles/cycle/{cast.cycle.pk}/change/")
    assert "Sở Tư pháp" in response.content.decode()


def upload(cast: Cast, name: str, content: str) -> object:
    return cast.client(cast.admin).post(
        "/admin/cycles/frameworkversion/add/",
        {"organisation": cast.organisation.pk, "file": SimpleUploadedFile(name, content.encode())},
    )


def test_framework_upload_stores_a_new_version(cast: Cast) -> None:
    source = cast.cycle.framework.source.replace("max: 15", "max: 16", 1)
    response = upload(cast, "binh-dinh-2022.yaml", source)
    assert response.status_code == 302  # type: ignore[attr-defined]
    latest = FrameworkVersion.objects.latest_of("binh-dinh-2021")
    assert latest is not None and latest.version == 2 and latest.created_by == cast.admin
    assert latest.source_name == "binh-dinh-2022.yaml"


def test_framework_upload_error_names_file_line_and_field(cast: Cast) -> None:
    source = cast.cycle.framework.source.replace("type: yes_no", "type: band", 1)
    response = upload(cast, "my-2026.yaml", source)
    errors = response.context["adminform"].form.errors["file"]  # type: ignore[attr-defined]
    assert errors[0].startswith("my-2026.yaml, dòng ")  # in the page's language
    assert "loại quy tắc không xác định 'band'" in errors[0]
    assert FrameworkVersion.objects.count() == 1


def test_used_framework_version_is_read_only_and_kept(cast: Cast) -> None:
    client = cast.client(cast.admin)
    url = f"/admin/cycles/frameworkversion/{cast.cycle.framework.pk}/"
    page = client.get(url + "change/").content.decode()
    assert 'name="source"' not in page and "binh-dinh-2021" in page
    client.post(url + "change/", {"source": "id: x"})
    assert client.post(url + "delete/", {"post": "yes"}).status_code == 403
    cast.cycle.framework.refresh_from_db()
    assert "id: binh-dinh-2021" in cast.cycle.framework.source


def test_assessor_adds_a_unit_editor(cast: Cast) -> None:
    client = cast.client(cast.admin)
    data = {"username": "editor_c", "usable_password": "true", "password1": PASSWORD,
            "password2": PASSWORD, "full_name": "Ba", "role": Role.EDITOR}  # fmt: skip
    response = client.post("/admin/accounts/user/add/", data)
    assert "unit" in response.context["adminform"].form.errors
    client.post("/admin/accounts/user/add/", {**data, "unit": cast.unit_a.pk})
    user = User.objects.get(username="editor_c")
    assert user.unit == cast.unit_a and user.check_password(PASSWORD)
    assert PASSWORD not in user.password


def test_assessor_cannot_make_a_superuser(cast: Cast) -> None:
    page = cast.client(cast.admin).get(f"/admin/accounts/user/{cast.viewer.pk}/change/")
    assert 'name="is_superuser"' not in page.content.decode()


def test_audit_trail_cannot_be_changed_in_the_administration(cast: Cast) -> None:
    client = cast.client(cast.admin)
    client.post(f"/cycles/{cast.cycle.pk}/state/", {"state": "under_review", "confirm": "on"})
    entry = AuditEntry.objects.get(cycle=cast.cycle)
    assert client.get(f"/admin/audit/auditentry/{entry.pk}/change/").status_code == 200
    assert client.get("/admin/audit/auditentry/add/").status_code == 403
    assert (
        client.post(f"/admin/audit/auditentry/{entry.pk}/delete/", {"post": "yes"}).status_code
        == 403
    )
    client.post(f"/admin/audit/auditentry/{entry.pk}/change/", {"note": "sửa"})
    entry.refresh_from_db()
    assert entry.note == ""


def test_a_report_template_is_checked_before_it_is_saved(cast: Cast) -> None:
    """The assessor's wording of the published document: a report (Báo cáo) with an article
    is refused with the line and the field; a good one is kept and used by the documents."""
    from chiso.reports.template import shipped_templates
    from chiso.web.cycles.models import Organisation
    from chiso.web.results.documents import template_of

    report = shipped_templates()["bao-cao"].read_text(encoding="utf-8")
    url = f"/admin/cycles/organisation/{cast.organisation.pk}/change/"
    fields = {"name": cast.organisation.name, "parent_name": "", "place": "Quy Nhơn"}
    client = cast.client(cast.admin)
    wrong = report.replace("document_type: BÁO CÁO", "document_type: BÁO CÁO\narticles: [Một]")
    response = client.post(url, {**fields, "report_template": wrong})
    errors = response.context["adminform"].form.errors["report_template"]  # type: ignore[index]
    assert errors == [
        "mẫu văn bản, line 13: articles: a report (BÁO CÁO) has no articles: its text goes in"
        " 'body' (docs/reports.md)"
    ]
    assert Organisation.objects.get(pk=cast.organisation.pk).report_template == ""
    assert client.post(url, {**fields, "report_template": report}).status_code == 302
    cast.cycle.refresh_from_db()
    assert template_of(cast.cycle).is_report
