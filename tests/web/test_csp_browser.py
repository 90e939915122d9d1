"""In headless Chromium, the demo's main pages under the Content-Security-Policy: each role
walks its pages, saves an answer and opens the administration, and the browser reports no
violation of the policy and no script error."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.management import call_command

from chiso.web.accounts.models import User
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.reviews.models import Assignment, Stage
from chiso.web.reviews.services import change_stage
from chiso.web.submissions.models import SubmissionState

pytestmark = pytest.mark.browser


class Visitor:
    """A person in the browser, with every console error and script error the pages raised."""

    def __init__(self, browser: Any, base: str, username: str) -> None:
        self.base = base
        self.problems: list[str] = []
        self.page = browser.new_page(locale="vi-VN", viewport={"width": 1280, "height": 900})
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(f"{self.page.url}: {error}"))
        self.open("/accounts/login/")
        self.page.fill("#id_username", username)
        self.page.fill("#id_password", "chiso-demo")
        self.page.click("button[type=submit].primary")
        self.page.wait_for_load_state("networkidle")

    def _console(self, message: Any) -> None:
        # a 404 is what the error page gets
        if message.type == "error" and "status of 404" not in message.text:
            self.problems.append(f"{self.page.url}: {message.text}")

    def open(self, path: str) -> Any:
        response = self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")
        return response


def test_the_main_pages_run_under_the_policy_without_a_violation(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())
    cycle = Cycle.objects.get()
    own = Participation.objects.get(cycle=cycle, unit=User.objects.get(username="editor").unit)

    # the editor saves an answer (htmx under the policy), then opens the printable form
    editor = Visitor(browser, live_server.url, "editor")
    editor.open(f"/submissions/{own.pk}/")
    field = editor.page.locator("input.num[name=value]").first
    status = "#status-" + (field.get_attribute("id") or "")[2:]
    field.fill("1")
    field.press("Tab")
    expect(editor.page.locator(f"{status} .saved")).to_be_visible()
    editor.open(f"/submissions/{own.pk}/print/")

    # the review starts: the assessor's pages, the administration, a reviewer's pages
    change_stage(cycle, Stage.ROUND_1, by=User.objects.get(username="admin"))
    reviewed = Assignment.objects.filter(
        reviewer__username="reviewer",
        participation__submission__state=SubmissionState.SUBMITTED,
    )[0].participation

    admin = Visitor(browser, live_server.url, "admin")
    for path in [
        "/",
        "/cycles/",
        f"/cycles/{cycle.pk}/",
        f"/cycles/{cycle.pk}/audit/",
        f"/reviews/cycle/{cycle.pk}/",
        "/results/",
        f"/results/{cycle.pk}/",
        "/admin/",
        "/admin/cycles/unit/",
        "/khong-co-trang-nay/",
    ]:
        admin.open(path)
    policy = admin.open("/").headers["content-security-policy"]
    assert "default-src 'self'" in policy

    reviewer = Visitor(browser, live_server.url, "reviewer")
    reviewer.open(f"/reviews/cycle/{cycle.pk}/queue/")
    reviewer.open(f"/reviews/unit/{reviewed.pk}/")
    expect(reviewer.page.locator(".crit").first).to_be_visible()

    assert admin.problems + editor.problems + reviewer.problems == []
