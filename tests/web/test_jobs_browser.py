"""Publication through the worker in headless Chromium: the assessor confirms, the job's page
shows it waiting, the worker publishes, and the page — polling with htmx under the
Content-Security-Policy, never reloaded — shows the link to the published results."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import PASSWORD, Cast, run_jobs

from chiso.web.cycles.models import CycleState
from chiso.web.cycles.services import change_state

pytestmark = pytest.mark.browser


def test_publication_through_the_worker(
    transactional_db: None, live_server: Any, browser: Any, cast: Cast
) -> None:
    from playwright.sync_api import expect

    change_state(cast.cycle, CycleState.UNDER_REVIEW, by=cast.admin)
    page = browser.new_page(locale="vi-VN")
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/results/{cast.cycle.pk}/publish/")
    page.click("form button.primary")

    status = page.locator("#job-status")
    expect(status).to_contain_text("Đang chờ tiến trình nền")
    page.evaluate("document.body.dataset.before = 'reload'")  # gone if the page reloads
    run_jobs()

    link = status.get_by_role("link", name="Đã công bố kết quả (lần 1).")
    expect(link).to_be_visible(timeout=15_000)
    assert page.evaluate("document.body.dataset.before") == "reload"  # htmx, not a reload
    assert "100%" in status.inner_text()
    link.click()
    expect(page.locator("main h1")).to_contain_text(cast.cycle.name)
    assert problems == []
