"""The draft results computed by the worker, in headless Chromium: the page waits for the
first draft, and once the worker computed it the page, polling with htmx under the
Content-Security-Policy, shows the tables by itself."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import PASSWORD, Cast, run_jobs

pytestmark = pytest.mark.browser


def test_the_draft_page_shows_the_draft_once_the_worker_computed_it(
    transactional_db: None, live_server: Any, browser: Any, cast: Cast, settings: Any
) -> None:
    from playwright.sync_api import expect

    settings.CHISO_DRAFT_TASKS = "default"  # the job waits for the worker
    page = browser.new_page(locale="vi-VN")
    problems: list[str] = []
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast.admin.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/results/{cast.cycle.pk}/")
    expect(page.locator("#draft-status")).to_contain_text("Kết quả dự thảo đang được tính")
    assert page.locator("table").count() == 0
    run_jobs()
    expect(page.locator("table").first).to_be_visible(timeout=15_000)
    expect(page.locator("#draft-status")).to_have_count(0)
    assert problems == []
