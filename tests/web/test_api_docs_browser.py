"""The API's documentation in headless Chromium: Swagger UI comes from the site itself (a
closed network reaches no CDN), runs under the Content-Security-Policy, lists the calls, and
its "Try it out" sends the logged-in person's requests with their CSRF token."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.conftest import PASSWORD, Cast

from chiso.web.submissions.models import Answer

pytestmark = pytest.mark.browser


def test_the_api_documentation_runs_from_the_sites_own_files(
    transactional_db: None, live_server: Any, browser: Any, cast: Cast
) -> None:
    from playwright.sync_api import expect

    page = browser.new_page(locale="vi-VN")
    requested: list[str] = []
    problems: list[str] = []
    page.on("request", lambda request: requested.append(request.url))
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", cast.editor_a.username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    page.goto(f"{live_server.url}/api/v1/docs")

    expect(page.locator("header.top a.brand")).to_be_visible()  # the way back into the site
    operation = page.locator(".opblock-put", has_text="/answers/")  # the answer's write
    operation.locator("button.opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_placeholder("participation_id").fill(str(cast.part_a.pk))
    operation.get_by_placeholder("code").fill("I")
    operation.locator("textarea.body-param__text").fill('{"value": "13", "revision": 0}')
    operation.get_by_role("button", name="Execute").click()
    expect(
        operation.locator(".live-responses-table tbody .response-col_status").first
    ).to_have_text("200")
    assert Answer.objects.get(submission__participation=cast.part_a, code="I").value == "13"

    assert [url for url in requested if not url.startswith(live_server.url)] == []
    assert problems == []
