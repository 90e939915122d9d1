"""The dashboard of the demo in headless Chromium, under the Content-Security-Policy: the
counts and bars are drawn, typing a name (without accents) narrows the units through htmx
and keeps the choice in the address, and the choices work as plain links without a script."""

from __future__ import annotations

import io
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from django.core.management import call_command

from chiso.web.cycles.models import Cycle

pytestmark = pytest.mark.browser


def _login(browser: Any, base: str, *, javascript: bool = True) -> tuple[Any, list[str]]:
    problems: list[str] = []
    context = browser.new_context(locale="vi-VN", java_script_enabled=javascript)
    page = context.new_page()
    page.on("console", lambda m: m.type == "error" and problems.append(m.text))
    page.on("pageerror", lambda error: problems.append(str(error)))
    page.goto(base + "/accounts/login/")
    page.fill("#id_username", "admin")
    page.fill("#id_password", "chiso-demo")
    page.click("button[type=submit].primary")
    page.wait_for_load_state("networkidle")
    return page, problems


def test_typing_a_name_narrows_the_units_and_keeps_it_in_the_address(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())
    cycle = Cycle.objects.get()
    total = cycle.participations.count()
    page, problems = _login(browser, live_server.url)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/")
    page.wait_for_load_state("networkidle")

    whole = page.locator("table.glance tr.whole progress").first
    assert whole.get_attribute("max") == str(total)
    expect(page.locator("#unit-rows tbody tr")).to_have_count(total)

    page.fill("#id_q", "tu phap")
    expect(page.locator("#unit-rows tbody tr")).to_have_count(1)
    expect(page.locator("#unit-rows tbody tr td").first).to_contain_text("Sở Tư pháp")
    expect(page.locator("#unit-count")).to_contain_text(f"1/{total}")
    assert parse_qs(urlsplit(page.url).query)["q"] == ["tu phap"]

    page.fill("#id_q", "")
    page.select_option("#id_sort", "state")
    expect(page.locator("#unit-rows tbody tr")).to_have_count(total)
    first = page.locator("#unit-rows tbody tr td").first
    expect(first).to_contain_text("UBND huyện Vân Canh")  # the demo's unit with nothing
    assert parse_qs(urlsplit(page.url).query)["sort"] == ["state"]
    assert problems == []


def test_without_a_script_the_form_and_the_counts_still_choose(
    transactional_db: None, live_server: Any, browser: Any
) -> None:
    from playwright.sync_api import expect

    call_command("seed_demo", stdout=io.StringIO())
    cycle = Cycle.objects.get()
    page, problems = _login(browser, live_server.url, javascript=False)
    page.goto(f"{live_server.url}/cycles/{cycle.pk}/")
    page.fill("#id_q", "VÂN CANH")
    page.click("form.filters button[type=submit]")
    expect(page.locator("#unit-rows tbody tr")).to_have_count(1)
    page.click("table.glance tr.whole a[href$='state=draft']")
    expect(page.locator("#id_state")).to_have_value("draft")
    assert page.locator("#unit-rows tbody tr").count() >= 1
    for state in page.locator("#unit-rows tbody span.badge.state-draft").all_inner_texts():
        assert state == "Bản nháp"
    assert problems == []
