"""The public results page and the assessor's dashboard in headless Chromium, on a phone's
390 px: nothing overflows the page, the buttons wrap without overlapping, a wide table scrolls
inside its box with the unit's name held in view; the tables sort and the search narrows them,
under the Content-Security-Policy."""

from __future__ import annotations

from typing import Any

import pytest
from tests.web.test_results import complete_demo, to_review

from chiso.web.accounts.models import User
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import Cycle
from chiso.web.results import display, services

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}


@pytest.fixture
def published(transactional_db: None) -> Cycle:
    cycle = create_demo()
    admin = User.objects.get(username="admin")
    complete_demo(cycle)
    to_review(cycle, admin)
    services.publish(cycle, by=admin)
    return cycle


class Phone:
    """A page at 390 px, with every console and script error it raised."""

    def __init__(self, browser: Any, base: str, username: str | None = None) -> None:
        self.base = base
        self.problems: list[str] = []
        self.page = browser.new_page(locale="vi-VN", viewport=PHONE)
        self.page.on("console", self._console)
        self.page.on("pageerror", lambda error: self.problems.append(str(error)))
        if username:
            self.open("/accounts/login/")
            self.page.fill("#id_username", username)
            self.page.fill("#id_password", "chiso-demo")
            self.page.click("button[type=submit].primary")
            self.page.wait_for_load_state("networkidle")

    def _console(self, message: Any) -> None:
        if message.type == "error" and "status of 404" not in message.text:
            self.problems.append(message.text)

    def open(self, path: str) -> None:
        self.page.goto(self.base + path)
        self.page.wait_for_load_state("networkidle")

    def overflow(self) -> int:
        """How far the page is wider than the screen (0: no sideways scroll)."""
        return int(self.page.evaluate("document.documentElement.scrollWidth - window.innerWidth"))

    def boxes(self, selector: str) -> list[dict[str, float]]:
        return [item.bounding_box() for item in self.page.locator(selector).all()]


def overlapping(boxes: list[dict[str, float]]) -> list[tuple[int, int]]:
    def meet(a: dict[str, float], b: dict[str, float]) -> bool:
        return (
            a["x"] < b["x"] + b["width"]
            and b["x"] < a["x"] + a["width"]
            and a["y"] < b["y"] + b["height"]
            and b["y"] < a["y"] + a["height"]
        )

    return [
        (i, j)
        for i in range(len(boxes))
        for j in range(i + 1, len(boxes))
        if meet(boxes[i], boxes[j])
    ]


def visible_names(phone: Phone, table: str) -> list[str]:
    names: list[str] = phone.page.eval_on_selector_all(
        f"{table} tbody tr:not([hidden]) td.unit",
        "cells => cells.filter(c => c.offsetParent !== null).map(c => c.textContent.trim())",
    )
    return names


def totals(phone: Phone) -> list[float]:
    """The overall table's totals (its column "Tổng điểm") in the order shown."""
    values: list[float] = phone.page.eval_on_selector_all(
        "#bang-1 tbody tr:not(.section)",
        """rows => {
          const column = Array.from(document.querySelectorAll('#bang-1 thead tr:first-child th'))
            .findIndex(th => th.textContent.trim().startsWith('Tổng điểm'));
          return rows.map(r => Number(r.cells[column].dataset.value)).filter(v => !isNaN(v));
        }""",
    )
    return values


def test_public_page_on_a_phone_scrolls_tables_inside_their_box(
    published: Cycle, live_server: Any, browser: Any
) -> None:
    phone = Phone(browser, live_server.url)
    phone.open(f"/results/{published.pk}/")

    assert phone.overflow() == 0
    downloads = phone.boxes(".downloads a.button")
    assert len(downloads) == 3 and overlapping(downloads) == []
    assert all(box["x"] >= 0 and box["x"] + box["width"] <= PHONE["width"] for box in downloads)

    # the overall table is wider than the screen: it scrolls inside its box, to its rank
    scroll = phone.page.locator("#bang-1 .scroll")
    width, inner = scroll.evaluate("box => [box.clientWidth, box.scrollWidth]")
    assert inner > width
    scroll.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    row = phone.page.locator("#bang-1 tbody tr", has_text="Sở Tư pháp")
    name, rank = row.locator("td.unit").bounding_box(), row.locator("td").last.bounding_box()
    frame = scroll.bounding_box()
    assert abs(name["x"] - frame["x"]) < 2  # the unit's name stays at the box's left edge
    assert name["x"] + name["width"] <= rank["x"] + 1  # beside the last column, not over it
    assert rank["x"] + rank["width"] <= PHONE["width"]
    assert phone.overflow() == 0
    assert phone.problems == []


def test_tables_sort_by_a_column_and_back_to_the_published_order(
    published: Cycle, live_server: Any, browser: Any
) -> None:
    phone = Phone(browser, live_server.url)
    phone.open(f"/results/{published.pk}/")
    published_order = visible_names(phone, "#bang-1")
    header = phone.page.locator("#bang-1 thead tr:first-child th", has_text="Tổng điểm")

    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "descending"
    assert totals(phone) == sorted(totals(phone), reverse=True)
    assert totals(phone)[0] == 85  # Sở Thông tin và Truyền thông
    assert phone.page.locator("#bang-1 tr.section").first.is_hidden()

    header.locator("button").click()
    assert header.get_attribute("aria-sort") == "ascending"
    assert totals(phone) == sorted(totals(phone))

    name = phone.page.locator("#bang-1 thead tr:first-child th", has_text="Tên cơ quan")
    name.locator("button").click()
    assert header.get_attribute("aria-sort") is None
    assert visible_names(phone, "#bang-1")[:2] == ["Ban Dân tộc**", "Ban Quản lý Khu kinh tế"]

    phone.page.locator("#bang-1 thead tr:first-child th").first.locator("button").click()
    assert visible_names(phone, "#bang-1") == published_order
    assert phone.page.locator("#bang-1 tr.section").first.is_visible()
    assert phone.problems == []


def test_the_search_narrows_the_table_as_one_types(
    published: Cycle, live_server: Any, browser: Any
) -> None:
    phone = Phone(browser, live_server.url)
    phone.open(f"/results/{published.pk}/")
    phone.page.fill("#unit-search", "tu phap")
    assert visible_names(phone, "#bang-1") == ["Sở Tư pháp"]
    assert phone.page.locator("#unit-search-status").inner_text() == "Tìm thấy 1 đơn vị"
    assert phone.page.locator("#bang-1 tr.section:not([hidden])").count() == 1
    phone.page.fill("#unit-search", "")
    assert len(visible_names(phone, "#bang-1")) == 21
    assert phone.page.locator("#unit-search-status").inner_text() == ""

    # a link of the contents to a group's table shows that table
    phone.page.click("nav.contents a[href='?table=1.3#bang-1.3']")
    assert phone.page.locator("#bang-1\\.3").is_visible()
    assert phone.page.locator("#bang-1").count() == 0
    assert phone.problems == []


def test_the_next_page_of_a_table_comes_in_place_and_sorts(
    published: Cycle, live_server: Any, browser: Any, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(display, "PER_PAGE", 8)
    phone = Phone(browser, live_server.url)
    # the charts are other tests' subject: drawn here, in parallel with the table's requests,
    # they share the live server's one in-memory SQLite connection, which that can break
    phone.page.route("**/charts/*.png", lambda route: route.fulfill(status=204))
    phone.open(f"/results/{published.pk}/")
    first = visible_names(phone, "#bang-1")
    assert len(first) == 8
    phone.page.click("#bang-vung a[rel='next']")
    phone.page.wait_for_url("**page=2")
    phone.page.wait_for_function(  # the new page's rows swapped in (htmx may push the URL first)
        """first => {
            const cell = document.querySelector("#bang-1 tbody tr:not([hidden]) td.unit");
            return cell !== null && cell.textContent.trim() !== first;
        }""",
        arg=first[0],
    )
    phone.page.wait_for_load_state("networkidle")
    second = visible_names(phone, "#bang-1")
    assert len(second) == 8 and not set(second) & set(first)
    name = phone.page.locator("#bang-1 thead tr:first-child th", has_text="Tên cơ quan")
    name.locator("button").click()  # the new page's table sorts too
    assert name.get_attribute("aria-sort") == "ascending"
    assert phone.problems == []


def test_dashboard_on_a_phone_scrolls_its_units_inside_their_box(
    published: Cycle, live_server: Any, browser: Any
) -> None:
    phone = Phone(browser, live_server.url, "admin")
    phone.open(f"/cycles/{published.pk}/")

    assert phone.overflow() == 0
    buttons = phone.boxes("main a.button")
    assert len(buttons) >= 4 and overlapping(buttons) == []
    assert all(box["x"] + box["width"] <= PHONE["width"] for box in buttons)
    header = phone.boxes("header.top a, header.top button")
    assert overlapping(header) == []

    rows = phone.page.locator("#unit-rows")
    width, inner = rows.evaluate("box => [box.clientWidth, box.scrollWidth]")
    assert inner > width
    rows.evaluate("box => { box.scrollLeft = box.scrollWidth; }")
    first = phone.page.locator("#unit-rows tbody tr").first.locator("td").first
    assert abs(first.bounding_box()["x"] - rows.bounding_box()["x"]) < 2
    assert phone.overflow() == 0
    assert phone.problems == []
