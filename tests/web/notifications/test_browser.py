"""In the browser: the head submits, the editor sees the bell's count, opens the list and the
notification, which takes them to the form and leaves nothing unread. Screenshots go to
test-artifacts/."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import PASSWORD, Cast

from chiso.web.notifications.models import Notification
from chiso.web.submissions.services import submission_for, submit

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def test_the_editor_follows_the_bell_to_the_submitted_form(
    transactional_db: None, live_server: Any, browser: Any, cast: Cast
) -> None:
    from playwright.sync_api import expect

    submit(submission_for(cast.part_a), by=cast.head_a)
    page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "editor_a")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    bell = page.locator("header .bell")
    expect(bell).to_have_text("Thông báo 1")
    bell.click()
    expect(page.locator("h1")).to_have_text("Thông báo")
    item = page.locator("ul.notifications li.unread button")
    expect(item).to_have_text("Sở Tư pháp đã nộp tự đánh giá trong “Đánh giá năm 2021”.")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "notifications-list.png"), full_page=True)
    item.click()
    page.wait_for_url(f"{live_server.url}/submissions/{cast.part_a.pk}/")
    expect(page.locator("header .bell")).to_have_text("Thông báo")
    assert not Notification.objects.filter(person=cast.editor_a, read_at__isnull=True).exists()
    page.goto(f"{live_server.url}/notifications/settings/")
    page.screenshot(path=str(ARTIFACTS / "notifications-settings.png"), full_page=True)
