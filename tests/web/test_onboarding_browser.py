"""The whole onboarding of a province, in headless Chromium: the assessor uploads a workbook
of 30 units and 60 people, checks the preview and confirms; an invitation arrives (Django's
test outbox); the person opens its link, chooses a password, logs in, and sees only their
unit."""

from __future__ import annotations

import datetime
import io
import re
from typing import Any

import pytest
from django.core import mail
from openpyxl import Workbook
from tests.web.conftest import PASSWORD, make_user, run_jobs
from tests.web.test_accessibility import violations

from chiso.core import shipped_frameworks
from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.cycles.people import PEOPLE_SHEET, UNIT_SHEET
from chiso.web.cycles.services import import_framework

pytestmark = pytest.mark.browser

NEW_PASSWORD = "mật-khẩu-của-cán-bộ"


def province_workbook() -> bytes:
    book = Workbook()
    units: Any = book.active
    units.title = UNIT_SHEET
    units.append(["Tên đơn vị", "Tên viết tắt", "Khối", "Đang hoạt động"])
    people: Any = book.create_sheet(PEOPLE_SHEET)
    people.append(["Họ và tên", "Thư điện tử", "Điện thoại", "Đơn vị", "Vai trò", "Đang hoạt động"])
    for number in range(1, 31):
        unit = f"Sở số {number:02d}"
        units.append([unit, f"S{number:02d}", "so", "Có"])
        people.append([f"Cán bộ {number:02d}", f"canbo{number:02d}@example.org", "", unit,
                       "Cán bộ nhập liệu của đơn vị", "Có"])  # fmt: skip
        people.append([f"Lãnh đạo {number:02d}", f"lanhdao{number:02d}@example.org", "", unit,
                       "Lãnh đạo đơn vị", "Có"])  # fmt: skip
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


@pytest.fixture
def province(transactional_db: None, settings: Any, live_server: Any) -> Organisation:
    settings.CHISO_SITE_URL = live_server.url
    organisation = Organisation.objects.create(name="Sở Khoa học và Công nghệ tỉnh Mẫu")
    source = shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8")
    import_framework(organisation, source, source_name="binh-dinh-2021.yaml")
    make_user("admin", Role.ADMIN)
    return organisation


def open_cycle_for_every_unit(organisation: Organisation) -> None:
    version = organisation.frameworks.get()
    cycle = Cycle.objects.create(
        organisation=organisation, name="Đánh giá năm 2025", year=2025, framework=version,
        deadline=datetime.date(2025, 10, 30), state=CycleState.OPEN,
    )  # fmt: skip
    for unit in Unit.objects.filter(organisation=organisation):
        Participation.objects.create(cycle=cycle, unit=unit, block=unit.block)


def log_in(page: Any, base: str, username: str, password: str) -> None:
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", password)
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")


def test_onboarding_from_the_workbook_to_the_persons_own_unit(
    province: Organisation, live_server: Any, browser: Any
) -> None:
    base = live_server.url
    admin = browser.new_page(locale="vi-VN")
    log_in(admin, base, "admin", PASSWORD)
    admin.goto(base + "/cycles/")
    admin.click("text=Đơn vị và người dùng")
    admin.set_input_files("#id_file", files=[{
        "name": "tinh-mau.xlsx", "buffer": province_workbook(),
        "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }])  # fmt: skip
    admin.click("button[type=submit].primary")
    admin.wait_for_url(re.compile(r"/jobs/\d+/"))
    run_jobs()  # the worker checks the workbook; the job's page moves on to the preview
    admin.wait_for_url(re.compile(r"/cycles/people/\d+/$"), timeout=15_000)
    admin.wait_for_load_state("networkidle")
    assert admin.locator("table.grid tbody tr.new").count() == 90
    assert violations(admin) == []
    assert User.objects.filter(email__endswith="@example.org").count() == 0  # a preview only

    admin.click("text=Nhập 90 thay đổi")
    admin.wait_for_url(re.compile(r"/jobs/\d+/"))
    run_jobs()  # the worker imports it; the job's page moves on to the result
    admin.wait_for_url(re.compile(r"/cycles/people/\d+/$"), timeout=15_000)  # the result
    assert "60 lời mời đã được gửi" in admin.locator("main").inner_text()
    assert Unit.objects.filter(organisation=province).count() == 30
    assert len(mail.outbox) == 60

    open_cycle_for_every_unit(province)
    (invitation,) = [m for m in mail.outbox if m.to == ["canbo07@example.org"]]
    assert invitation.subject == "Tài khoản chiso của bạn: hãy đặt mật khẩu"
    link = re.search(re.escape(base) + r"/accounts/invitation/\S+/", invitation.body)
    assert link is not None

    person = browser.new_page(locale="vi-VN")
    person.goto(link.group(0))
    assert violations(person) == []
    person.fill("#id_new_password1", NEW_PASSWORD)
    person.fill("#id_new_password2", NEW_PASSWORD)
    person.click("button[type=submit].primary")
    person.wait_for_load_state("networkidle")
    assert "Sở số 07" in person.locator("header .who").inner_text()

    # logged in again with the new password, they see their unit's form and no other unit
    fresh = browser.new_page(locale="vi-VN")
    log_in(fresh, base, "canbo07@example.org", NEW_PASSWORD)
    own = Participation.objects.get(unit__name="Sở số 07")
    other = Participation.objects.get(unit__name="Sở số 08")
    assert fresh.url.endswith(f"/{own.pk}/") or str(own.pk) in fresh.url
    assert "Sở số 07" in fresh.locator("main").inner_text()
    assert "Sở số 08" not in fresh.content()
    answer = fresh.goto(base + fresh.url.removeprefix(base).replace(str(own.pk), str(other.pk)))
    assert answer is not None and answer.status == 404
