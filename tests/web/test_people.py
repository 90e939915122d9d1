"""Units and people in bulk (cycles/people.py): the workbook template, the preview of each
row, the import in one transaction with its audit entries, the command, the page."""

from __future__ import annotations

import io
import smtplib
import zipfile
from pathlib import Path
from typing import Any

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse
from openpyxl import Workbook, load_workbook
from tests.web.conftest import Cast, make_user, run_jobs

from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Organisation, Unit
from chiso.web.cycles.people import (
    MAX_BYTES,
    MAX_ROWS,
    PEOPLE_SHEET,
    UNIT_SHEET,
    import_people,
    plan,
    template_workbook,
)
from chiso.web.jobs.models import Job, Kind, State

UNITS = ["Tên đơn vị", "Tên viết tắt", "Khối", "Đang hoạt động"]
PEOPLE = ["Họ và tên", "Thư điện tử", "Điện thoại", "Đơn vị", "Vai trò", "Đang hoạt động"]


def workbook(units: list[list[Any]], people: list[list[Any]]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = UNIT_SHEET
    for row in [UNITS, *units]:
        sheet.append(row)
    sheet = book.create_sheet(PEOPLE_SHEET)
    for row in [PEOPLE, *people]:
        sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


SAMPLE = workbook(
    [["Sở Công Thương", "SCT", "so", "Có"], ["sở tư pháp", "STP", "so", "Có"]],
    [
        ["Nguyễn Văn An", "An.Nguyen@example.org", "0901 234 567", "Sở Công Thương",
         "Cán bộ nhập liệu của đơn vị", "Có"],
        ["Trần Thị Bình", "binh@example.org", "", "Sở Tư pháp", "Lãnh đạo đơn vị", ""],
        ["Lê Văn Cường", "cuong@example.org", "", "", "viewer", "Có"],
    ],
)  # fmt: skip


def test_import_adds_units_and_people_and_again_changes_nothing(cast: Cast) -> None:
    report = import_people(cast.organisation, "people.xlsx", SAMPLE, by=cast.admin)

    assert report.problems == [] and report.saved
    assert [r.status for r in report.units] == ["new", "changed"]  # Sở Tư pháp exists
    assert report.units[1].changes == ["Tên viết tắt", "Khối"]
    assert [r.status for r in report.people] == ["new", "new", "new"]
    an = User.objects.get(email="An.Nguyen@example.org")
    assert (an.username, an.role, an.unit.name, an.phone) == (
        "an.nguyen@example.org", Role.EDITOR, "Sở Công Thương", "0901 234 567",
    )  # fmt: skip
    assert not an.has_usable_password()
    assert User.objects.get(email="binh@example.org").unit == cast.unit_a
    assert Unit.objects.get(pk=cast.unit_a.pk).short_name == "STP"
    # one audit entry per unit or person added or changed, plus the invitations sent
    added = AuditEntry.objects.filter(action=Action.ADDED, note="Nhập từ tệp")
    assert sorted(e.target.split(" #")[0] for e in added) == ["accounts.user"] * 3 + ["cycles.unit"]
    assert AuditEntry.objects.filter(action=Action.CHANGED, note="Nhập từ tệp").count() == 1
    assert report.invited == 3 and len(mail.outbox) == 3
    entries = AuditEntry.objects.count()

    again = import_people(cast.organisation, "people.xlsx", SAMPLE, by=cast.admin)

    assert {r.status for r in again.rows} == {"unchanged"}
    assert AuditEntry.objects.count() == entries and len(mail.outbox) == 3


def test_emails_and_names_match_without_regard_to_case(cast: Cast) -> None:
    import_people(cast.organisation, "people.xlsx", SAMPLE, by=cast.admin)
    shouted = workbook(
        [["SỞ CÔNG THƯƠNG", "SCT", "so", "có"]],
        [["Nguyễn Văn An", "AN.NGUYEN@EXAMPLE.ORG", "0901 234 567", "sở công thương",
          "editor", "yes"]],
    )  # fmt: skip
    report = plan(cast.organisation, "people.xlsx", shouted)
    assert [r.status for r in report.rows] == ["unchanged", "unchanged"]


def test_the_template_imports_unchanged(cast: Cast) -> None:
    import_people(cast.organisation, "people.xlsx", SAMPLE, by=cast.admin)
    template = template_workbook(cast.organisation)

    book = load_workbook(io.BytesIO(template))
    assert book.sheetnames == [UNIT_SHEET, PEOPLE_SHEET]
    assert [c.value for c in book[PEOPLE_SHEET][1]] == PEOPLE
    lists = [v.formula1 for v in book[PEOPLE_SHEET].data_validations.dataValidation]
    assert any("Lãnh đạo đơn vị" in f for f in lists) and any(f == '"Có,Không"' for f in lists)
    report = plan(cast.organisation, "template.xlsx", template)
    assert report.problems == [] and {r.status for r in report.rows} == {"unchanged"}
    assert len(report.units) == 4 and len(report.people) == 3


def test_a_formula_in_a_name_is_written_as_text(cast: Cast) -> None:
    Unit.objects.create(organisation=cast.organisation, name='=HYPERLINK("http://x","y")')
    book = load_workbook(io.BytesIO(template_workbook(cast.organisation)))
    cells = [row[0] for row in book[UNIT_SHEET].iter_rows(min_row=2)]
    assert all(cell.data_type == "s" for cell in cells)


def test_every_error_is_named_by_sheet_row_and_column_and_nothing_is_saved(cast: Cast) -> None:
    broken = workbook(
        [["Sở Mới", "", "", "có lẽ"], ["Sở Mới", "", "", ""]],
        [["A", "not-an-address", "", "", "editor", ""],
         ["B", "b@example.org", "", "Sở Không Có", "Trưởng phòng", ""],
         ["C", "c@example.org", "", "Sở Tư pháp", "viewer", ""]],
    )  # fmt: skip
    units, people = User.objects.count(), Unit.objects.count()

    report = import_people(cast.organisation, "broken.xlsx", broken, by=cast.admin)

    assert not report.saved
    assert [str(p) for p in report.problems] == [
        "Đơn vị, dòng 2, cột “Đang hoạt động”: hãy ghi “Có” hoặc “Không”.",
        "Đơn vị, dòng 3, cột “Tên đơn vị”: đơn vị này đã có ở dòng 2.",
        "Người dùng, dòng 2, cột “Thư điện tử”: “not-an-address” không phải là địa chỉ thư điện tử.",
        "Người dùng, dòng 2, cột “Đơn vị”: Cán bộ nhập liệu hoặc lãnh đạo đơn vị phải thuộc một đơn vị.",
        "Người dùng, dòng 3, cột “Vai trò”: “Trưởng phòng” không phải là một vai trò: hãy chọn trong danh sách.",
        "Người dùng, dòng 3, cột “Đơn vị”: không có đơn vị nào tên “Sở Không Có”.",
        "Người dùng, dòng 4, cột “Đơn vị”: Chỉ cán bộ nhập liệu và lãnh đạo đơn vị mới thuộc một đơn vị.",
    ]
    assert (User.objects.count(), Unit.objects.count()) == (units, people)


def test_a_person_marked_inactive_is_deactivated_not_deleted(cast: Cast) -> None:
    cast.editor_a.email = "editor_a@example.org"
    cast.editor_a.save()
    leaving = workbook(
        [], [["Editor_A", "editor_a@example.org", "", "Sở Tư pháp", "editor", "Không"]]
    )

    report = import_people(cast.organisation, "people.xlsx", leaving, by=cast.admin)

    assert report.people[0].changes == ["Đang hoạt động"]
    assert User.objects.get(pk=cast.editor_a.pk).is_active is False
    assert report.invited == 0


def test_a_csv_file_of_people_or_of_units(cast: Cast) -> None:
    people = ("Họ và tên,Thư điện tử,Vai trò,Đơn vị\nDung,dung@example.org,head,Sở Y tế\n").encode()
    units = "name;short_name\nSở Nội vụ;SNV\n".encode()

    assert [r.status for r in import_people(cast.organisation, "p.csv", people).people] == ["new"]
    assert [r.status for r in import_people(cast.organisation, "u.csv", units).units] == ["new"]
    assert User.objects.get(email="dung@example.org").unit == cast.unit_b
    report = plan(cast.organisation, "x.csv", b"a,b\n1,2\n")
    assert str(report.problems[0]).startswith("x.csv: dòng đầu của tệp không ghi tên các cột")


def test_files_over_the_limits_are_refused(cast: Cast) -> None:
    too_big = plan(cast.organisation, "big.csv", b"name\n" + b"x" * MAX_BYTES)
    too_long = plan(cast.organisation, "long.csv", ("name\n" + "x\n" * (MAX_ROWS + 1)).encode())
    not_a_workbook = plan(cast.organisation, "bad.xlsx", b"PK\x03\x04 broken")

    assert "2 MB" in str(too_big.problems[0])
    assert f"{MAX_ROWS}" in str(too_long.problems[0])
    assert "XLSX" in str(not_a_workbook.problems[0])


def test_command_prints_the_report_and_dry_run_changes_nothing(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.xlsx"
    path.write_bytes(SAMPLE)

    call_command("import_people", str(path), "--dry-run")
    out = capsys.readouterr().out
    assert "Người dùng, dòng 2: An.Nguyen@example.org — mới" in out
    assert "Đơn vị, dòng 3: sở tư pháp — đã thay đổi (Tên viết tắt, Khối)" in out
    assert not User.objects.filter(email="binh@example.org").exists()

    call_command("import_people", str(path), "--organisation", cast.organisation.name)
    assert User.objects.filter(email="binh@example.org").exists()
    entry = AuditEntry.objects.filter(note="Nhập từ tệp").first()
    assert entry is not None and entry.actor is None and "manage.py" in entry.actor_name

    bad = tmp_path / "bad.csv"
    bad.write_text("Thư điện tử,Vai trò\nx,editor\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_people", str(bad))


def upload_file(client: Client, content: bytes, name: str = "people.xlsx", **data: Any) -> Any:
    upload = io.BytesIO(content)
    upload.name = name
    return client.post(reverse("cycles:people"), {**data, "file": upload})


def test_page_checks_in_the_worker_then_imports_once_on_confirmation(cast: Cast) -> None:
    client = cast.client(cast.admin)

    started = upload_file(client, SAMPLE, organisation=cast.organisation.pk)

    # the upload is kept with its job (not in the session); the page follows the job
    check = Job.objects.get(kind=Kind.PEOPLE_CHECK)
    assert started["Location"] == f"/jobs/{check.pk}/"
    assert check.file.read() == SAMPLE and not any("people" in k for k, _ in client.session.items())
    waiting = client.get(f"/jobs/{check.pk}/", headers={"HX-Request": "true"})
    assert "Đang chờ tiến trình nền" in waiting.text and "HX-Redirect" not in waiting
    assert run_jobs() == 1
    polled = client.get(f"/jobs/{check.pk}/", headers={"HX-Request": "true"})
    assert polled["HX-Redirect"] == f"/cycles/people/{check.pk}/"  # on to the preview
    preview = client.get(f"/cycles/people/{check.pk}/")
    assert preview.status_code == 200
    assert "Nhập 5 thay đổi" in preview.text  # 2 units (1 new, 1 changed) and 3 new people
    assert f'action="/cycles/people/{check.pk}/import/"' in preview.text
    assert not User.objects.filter(email="binh@example.org").exists()
    entries = AuditEntry.objects.count()

    applied = client.post(f"/cycles/people/{check.pk}/import/")
    twice = client.post(f"/cycles/people/{check.pk}/import/")  # a second click, a second tab

    job = Job.objects.get(kind=Kind.PEOPLE_IMPORT)
    assert applied["Location"] == twice["Location"] == f"/jobs/{job.pk}/"
    assert not User.objects.filter(email="binh@example.org").exists()  # not in the request
    assert run_jobs() == 1
    job.refresh_from_db()
    assert job.state == State.DONE and job.started_by == cast.admin
    assert job.result_label == "Đã nhập: 4 mới, 1 thay đổi, 0 không đổi; 3 lời mời đã được gửi."
    assert User.objects.filter(email="binh@example.org").exists()
    # the audit trail as an import in the request wrote it: 4 added, 1 changed, 3 invitations
    added = AuditEntry.objects.filter(action=Action.ADDED, note="Nhập từ tệp")
    assert added.count() == 4 and all(e.actor == cast.admin for e in added)
    assert AuditEntry.objects.filter(action=Action.CHANGED, note="Nhập từ tệp").count() == 1
    assert AuditEntry.objects.count() == entries + 4 + 1 + 3 and len(mail.outbox) == 3
    # confirmed again after it ran: the same job, nothing imported twice
    again = client.post(f"/cycles/people/{check.pk}/import/")
    assert again["Location"] == f"/jobs/{job.pk}/" and run_jobs() == 0
    assert Job.objects.filter(kind=Kind.PEOPLE_IMPORT).count() == 1
    page = client.get(f"/cycles/people/{check.pk}/").text
    assert f'href="/jobs/{job.pk}/"' in page and "/import/" not in page


def test_page_shows_the_errors_and_no_confirmation(cast: Cast) -> None:
    client = cast.client(cast.admin)
    bad = workbook([], [["A", "a@example.org", "", "", "boss", ""]])
    upload_file(client, bad, organisation=cast.organisation.pk)
    run_jobs()
    check = Job.objects.get(kind=Kind.PEOPLE_CHECK)
    page = client.get(f"/cycles/people/{check.pk}/")
    assert "dòng 2" in page.text and "“boss” không phải là một vai trò" in page.text
    assert "/import/" not in page.text
    refused = client.post(f"/cycles/people/{check.pk}/import/", follow=True)
    assert "Không có gì để nhập" in refused.text
    assert not Job.objects.filter(kind=Kind.PEOPLE_IMPORT).exists()


def test_an_unreadable_file_is_named_in_the_preview(cast: Cast) -> None:
    client = cast.client(cast.admin)
    upload_file(client, b"PK\x03\x04 not really", organisation=cast.organisation.pk)
    run_jobs()
    check = Job.objects.get(kind=Kind.PEOPLE_CHECK)
    page = client.get(f"/cycles/people/{check.pk}/").text
    assert "people.xlsx: " in page and "/import/" not in page


def test_rows_that_changed_since_the_preview_fail_the_import_naming_row_and_column(
    cast: Cast,
) -> None:
    client = cast.client(cast.admin)
    upload_file(client, SAMPLE, organisation=cast.organisation.pk)
    run_jobs()
    check = Job.objects.get(kind=Kind.PEOPLE_CHECK)
    # meanwhile another assessor took binh@example.org
    other = Organisation.objects.create(name="Sở TT&TT tỉnh Phú Yên", place="Tuy Hòa")
    binh = make_user("binh", Role.VIEWER, organisation=other)
    User.objects.filter(pk=binh.pk).update(email="binh@example.org")
    client.post(f"/cycles/people/{check.pk}/import/")
    run_jobs()
    job = Job.objects.get(kind=Kind.PEOPLE_IMPORT)
    assert job.state == State.FAILED
    assert "people.xlsx" in job.error and "dòng 3" in job.error and "Thư điện tử" in job.error
    assert not User.objects.filter(email="An.Nguyen@example.org").exists()


def test_only_the_assessor_uploads_sees_and_confirms_an_import(cast: Cast) -> None:
    upload_file(cast.client(cast.admin), SAMPLE, organisation=cast.organisation.pk)
    run_jobs()
    check = Job.objects.get(kind=Kind.PEOPLE_CHECK)
    for person, code in ((cast.reviewer, 403), (cast.viewer, 403), (cast.editor_a, 404)):
        client = cast.client(person)
        assert upload_file(client, SAMPLE, organisation=cast.organisation.pk).status_code == code
        # another's check is not even shown to exist
        assert client.get(f"/cycles/people/{check.pk}/").status_code == 404
        assert client.post(f"/cycles/people/{check.pk}/import/").status_code == 404
    # another assessor's administrator does not see the job
    other = Organisation.objects.create(name="Sở TT&TT tỉnh Phú Yên", place="Tuy Hòa")
    stranger = cast.client(make_user("admin_py", Role.ADMIN, organisation=other))
    assert stranger.get(f"/cycles/people/{check.pk}/").status_code == 404
    assert stranger.post(f"/cycles/people/{check.pk}/import/").status_code == 404
    assert not Job.objects.filter(kind=Kind.PEOPLE_IMPORT).exists()
    # an export's job is not an import's page
    export = Job.objects.create(kind=Kind.EXPORT, started_by=cast.admin, task="x", state="done")
    assert cast.client(cast.admin).get(f"/cycles/people/{export.pk}/").status_code == 404


def test_a_file_over_the_limit_is_refused_on_upload(cast: Cast) -> None:
    page = upload_file(cast.client(cast.admin), b"x" * (MAX_BYTES + 1), "p.csv",
                       organisation=cast.organisation.pk)  # fmt: skip
    assert page.status_code == 200 and "lớn hơn 2 MB" in page.text
    assert not Job.objects.exists()


def test_template_download(cast: Cast) -> None:
    response = cast.client(cast.admin).get(reverse("cycles:people_template"))
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).sheetnames == [UNIT_SHEET, PEOPLE_SHEET]


def test_a_person_moves_to_a_unit_the_file_adds(cast: Cast) -> None:
    cast.editor_a.email = "editor_a@example.org"
    cast.editor_a.save()
    moving = workbook(
        [["Sở Nội vụ", "", "", ""]],
        [["Editor_A", "editor_a@example.org", "0123", "Sở Nội vụ", "editor", ""]],
    )
    report = import_people(cast.organisation, "people.xlsx", moving, by=cast.admin)

    assert report.people[0].status == "changed"
    assert report.people[0].changes == ["Điện thoại", "Đơn vị"]
    assert User.objects.get(pk=cast.editor_a.pk).unit.name == "Sở Nội vụ"


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, email_messages: Any) -> int:
        raise smtplib.SMTPServerDisconnected("the mail server is down")


def test_a_mail_server_that_refuses_leaves_the_import_stored(cast: Cast, settings: Any) -> None:
    settings.MAILERS = {"default": {"BACKEND": f"{__name__}.RefusingBackend"}}

    report = import_people(cast.organisation, "people.xlsx", SAMPLE, by=cast.admin)

    assert report.saved and report.invited == 0
    person = User.objects.get(email="binh@example.org")
    assert person.invited_at is None  # to be resent from /admin/


def test_columns_the_file_lacks_are_left_alone(cast: Cast) -> None:
    cast.editor_a.email = "editor_a@example.org"
    cast.editor_a.full_name, cast.editor_a.phone = "Editor A", "0123"
    cast.editor_a.save()
    cast.unit_a.short_name, cast.unit_a.block = "STP", "so"
    cast.unit_a.save()
    units = "Tên đơn vị\nSở Tư pháp\n".encode()
    people = "Thư điện tử,Vai trò,Đơn vị\neditor_a@example.org,editor,Sở Tư pháp\n".encode()

    assert [r.status for r in import_people(cast.organisation, "u.csv", units).units] == [
        "unchanged"
    ]
    assert [r.status for r in import_people(cast.organisation, "p.csv", people).people] == [
        "unchanged"
    ]
    unit, person = Unit.objects.get(pk=cast.unit_a.pk), User.objects.get(pk=cast.editor_a.pk)
    assert (unit.short_name, unit.block) == ("STP", "so")
    assert (person.full_name, person.phone) == ("Editor A", "0123")


def test_a_blank_active_cell_keeps_a_row_inactive_and_a_new_row_is_active(cast: Cast) -> None:
    cast.editor_a.email = "editor_a@example.org"
    cast.editor_a.is_active = False
    cast.editor_a.save()
    cast.unit_a.active = False
    cast.unit_a.save()
    blank = workbook(
        [["Sở Tư pháp", "", "", ""], ["Sở Mới", "", "", ""]],
        [["Editor_A", "editor_a@example.org", "", "Sở Tư pháp", "editor", ""],
         ["Mới", "moi@example.org", "", "Sở Mới", "editor", ""]],
    )  # fmt: skip
    import_people(cast.organisation, "people.xlsx", blank, by=cast.admin)
    assert not Unit.objects.get(pk=cast.unit_a.pk).active
    assert not User.objects.get(pk=cast.editor_a.pk).is_active
    assert Unit.objects.get(name="Sở Mới").active
    assert User.objects.get(email="moi@example.org").is_active
    no_column = "Thư điện tử,Vai trò,Đơn vị\neditor_a@example.org,editor,Sở Tư pháp\n".encode()
    import_people(cast.organisation, "p.csv", no_column)
    assert not User.objects.get(pk=cast.editor_a.pk).is_active


def test_unit_names_match_whatever_their_spacing_or_accents(cast: Cast) -> None:
    import unicodedata

    decomposed = unicodedata.normalize("NFD", "Sở  Tư   pháp")
    cast.unit_a.name = unicodedata.normalize("NFD", "Sở Tư pháp")  # as typed on a Mac
    cast.unit_a.save()
    units_before = Unit.objects.count()
    spaced = workbook(
        [["Sở  Tư   pháp", "", "", ""]],
        [["Mới", "moi@example.org", "", decomposed, "editor", ""]],
    )
    report = import_people(cast.organisation, "people.xlsx", spaced, by=cast.admin)

    assert report.problems == [] and report.units[0].status == "unchanged"
    assert Unit.objects.count() == units_before
    assert User.objects.get(email="moi@example.org").unit == cast.unit_a


def test_an_import_does_not_touch_superusers_or_lock_out_the_importer(cast: Cast) -> None:
    root = User.objects.create_superuser("root", "root@example.org", "x", role=Role.ADMIN)
    cast.admin.email = "admin@example.org"
    cast.admin.save()
    rows = workbook(
        [],
        [["Root", "root@example.org", "", "", "viewer", "Không"],
         ["Admin", "admin@example.org", "", "", "viewer", ""],
         ["Admin again", "ADMIN@example.org", "", "", "admin", "Không"]],
    )  # fmt: skip

    report = import_people(cast.organisation, "people.xlsx", rows, by=cast.admin)

    assert not report.saved
    assert [str(p) for p in report.problems] == [
        "Người dùng, dòng 2, cột “Họ và tên”: không thể thay đổi quản trị viên cấp cao bằng việc nhập tệp.",
        "Người dùng, dòng 2, cột “Vai trò”: không thể thay đổi quản trị viên cấp cao bằng việc nhập tệp.",
        "Người dùng, dòng 2, cột “Đang hoạt động”: không thể thay đổi quản trị viên cấp cao bằng việc nhập tệp.",
        "Người dùng, dòng 3, cột “Vai trò”: bạn không thể tự thay đổi vai trò của mình bằng việc nhập tệp.",
        "Người dùng, dòng 4, cột “Thư điện tử”: người này đã có ở dòng 3.",
        "Người dùng, dòng 4, cột “Đang hoạt động”: bạn không thể tự ngừng kích hoạt tài khoản của mình bằng việc nhập tệp.",
    ]  # fmt: skip
    root.refresh_from_db()
    assert root.is_active and root.role == Role.ADMIN
    unchanged = workbook([], [["", "root@example.org", "", "", "admin", ""]])
    assert plan(cast.organisation, "p.xlsx", unchanged, by=cast.admin).problems == []


def test_an_address_longer_than_a_user_name_is_refused(cast: Cast) -> None:
    assert User._meta.get_field("username").max_length == 150
    long = "a" * 60 + "@" + "b" * 60 + "." + "c" * 30 + ".org"  # 155 characters, valid
    report = import_people(
        cast.organisation, "p.xlsx", workbook([], [["A", long, "", "", "viewer", ""]])
    )
    assert not report.saved
    assert [str(p) for p in report.problems] == [
        "Người dùng, dòng 2, cột “Thư điện tử”: tối đa 150 ký tự."
    ]


def cut_sheet(book: bytes, part: str) -> bytes:
    """The workbook with the XML of ``part`` cut in half (the zip itself is sound)."""
    source = zipfile.ZipFile(io.BytesIO(book))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            data = source.read(info)
            target.writestr(info, data[: len(data) // 2] if info.filename == part else data)
    return out.getvalue()


@pytest.mark.parametrize("part", ["xl/worksheets/sheet2.xml", "xl/workbook.xml"])
def test_a_damaged_workbook_is_refused_with_a_message(
    cast: Cast, tmp_path: Path, capsys: pytest.CaptureFixture[str], part: str
) -> None:
    damaged = cut_sheet(SAMPLE, part)
    expected = "people.xlsx: tệp sổ tính bị hỏng (một phần của tệp không đọc được)"

    report = import_people(cast.organisation, "people.xlsx", damaged, by=cast.admin)
    assert not report.saved and str(report.problems[0]).startswith(expected)

    client = cast.client(cast.admin)
    started = upload_file(client, damaged, organisation=cast.organisation.pk)
    run_jobs()
    page = client.get(started["Location"].replace("/jobs/", "/cycles/people/"))
    assert page.status_code == 200 and "tệp sổ tính bị hỏng" in page.text

    path = tmp_path / "people.xlsx"
    path.write_bytes(damaged)
    with pytest.raises(CommandError):
        call_command("import_people", str(path))
    assert expected in capsys.readouterr().out


@pytest.mark.parametrize("chosen", ["²", "١", "99999999999999999999999", "x", ""])
def test_template_download_with_an_odd_organisation(cast: Cast, chosen: str) -> None:
    response = cast.client(cast.admin).get(
        reverse("cycles:people_template"), {"organisation": chosen}
    )
    assert response.status_code == 200  # the first assessor's


def test_a_short_name_another_unit_has_is_refused_naming_it(cast: Cast) -> None:
    Unit.objects.filter(pk=cast.unit_b.pk).update(short_name="SYT")
    clash = workbook(
        [["Sở Nội vụ", "syt", "so", ""], ["Sở Xây dựng", "SXD", "so", ""],
         ["Sở Giao thông", "sxd", "so", ""]],
        [],
    )  # fmt: skip
    report = import_people(cast.organisation, "u.xlsx", clash, by=cast.admin)
    assert not report.saved
    assert [str(p) for p in report.problems] == [
        "Đơn vị, dòng 2, cột “Tên viết tắt”: tên viết tắt “syt” cũng là của Sở Y tế.",
        "Đơn vị, dòng 3, cột “Tên viết tắt”: tên viết tắt “SXD” cũng là của Sở Giao thông.",
        "Đơn vị, dòng 4, cột “Tên viết tắt”: tên viết tắt “sxd” cũng là của Sở Xây dựng.",
    ]
    # two units trading their short names in one file is no clash
    Unit.objects.filter(pk=cast.unit_a.pk).update(short_name="STP")
    trade = workbook([["Sở Tư pháp", "SYT", "", ""], ["Sở Y tế", "STP", "", ""]], [])
    assert import_people(cast.organisation, "t.xlsx", trade, by=cast.admin).saved
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.short_name == "SYT"
    # a unit named twice in the file is refused for its name alone
    twice = workbook([["Sở Mới", "SM", "so", ""], ["sở mới", "SM2", "so", ""]], [])
    assert [str(p) for p in import_people(cast.organisation, "d.xlsx", twice).problems] == [
        "Đơn vị, dòng 3, cột “Tên đơn vị”: đơn vị này đã có ở dòng 2."
    ]
    # a row that keeps a short name stored twice already is not refused for it
    Unit.objects.filter(pk=cast.district.unit_id).update(short_name="SYT")
    same = workbook([["Sở Tư pháp", "SYT", "", "Có"]], [])
    assert import_people(cast.organisation, "s.xlsx", same, by=cast.admin).problems == []


def test_the_administration_refuses_a_short_name_another_unit_has(cast: Cast) -> None:
    Unit.objects.filter(pk=cast.unit_b.pk).update(short_name="SYT")
    client = cast.client(cast.admin)
    url = f"/admin/cycles/unit/{cast.unit_a.pk}/change/"
    page = client.get(url)
    form = page.context["adminform"].form
    data = {name: form[name].value() or "" for name in form.fields}
    data.update({"short_name": " syt ", "active": "on"})
    data["also_assessed_by"] = []
    response = client.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["short_name"] == [
        "Tên viết tắt “syt” đã là của Sở Y tế."
    ]
    cast.unit_a.refresh_from_db()
    assert cast.unit_a.short_name == ""
