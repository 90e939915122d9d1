"""In headless Chromium, axe-core (tests/web/assets/axe.min.js, vendored from the npm package
axe-core, MPL-2.0) checks every kind of page of every role of the walked-through demo: no
violation of impact "serious" or "critical" (missing labels and names, contrast, landmarks,
the page's language, headings…).

The pages are those the crawl reads (tests/web/test_crawl.py), one per URL pattern, cycle and
role. Django's administration and the API's documentation are not ours and are left out. The
script is evaluated through the browser's debugging protocol, which the site's
Content-Security-Policy does not restrict; the pages themselves keep their policy.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.conf import settings
from django.test import Client
from django.urls import Resolver404, resolve
from tests.web.crawl import crawl
from tests.web.walk import ROLES, walk_demo

from chiso.web.accounts.models import User
from chiso.web.console.demo import EDITOR_UNIT
from chiso.web.cycles.models import Participation

pytestmark = pytest.mark.browser

AXE = Path(__file__).parent / "assets" / "axe.min.js"
SERIOUS = ("serious", "critical")
PHONE = 390
# files and images, which the crawl checks: not pages to read
FILE = re.compile(r"\.\w{3,4}(\?.*)?$|/(evidence|response-file|signed/file)/")
# pages reached through a participation's id, which belong to its cycle
BY_PARTICIPATION = ("submissions:", "reviews:review", "reviews:history")


def cycle_of(path: str, name: str, kwargs: dict[str, Any]) -> str:
    if name.startswith(BY_PARTICIPATION):
        return str(Participation.objects.get(pk=kwargs["pk"]).cycle_id)
    found = re.search(r"^/(?:cycles|results|reviews/cycle)/(\d+)/", path)
    return found[1] if found else ""


def kinds_of_page(pages: list[str]) -> list[str]:
    """The first page of each URL pattern, query parameters and cycle, in the crawl's order."""
    chosen: dict[tuple[str, ...], str] = {}
    for page in pages:
        parts = urlsplit(page)
        try:
            match = resolve(parts.path)
        except Resolver404:
            continue
        keys = sorted(key for key, _ in parse_qsl(parts.query, keep_blank_values=True))
        kind = (match.view_name, *keys, cycle_of(parts.path, match.view_name, match.kwargs))
        chosen.setdefault(kind, page)
    return list(chosen.values())


def pages_of(username: str | None) -> list[str]:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    walk = crawl(client, logged_in=username is not None, skip=lambda url: bool(FILE.search(url)))
    return kinds_of_page(walk.pages)


def visitor(browser: Any, base: str, username: str | None, width: int = 1366) -> Any:
    """A browser page logged in as ``username`` (by the test client's session cookie)."""
    context = browser.new_context(locale="vi-VN", viewport={"width": width, "height": 900})
    if username is not None:
        client = Client()
        client.force_login(User.objects.get(username=username))
        cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
        context.add_cookies([{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": base}])
    return context.new_page()


def violations(page: Any) -> list[str]:
    """axe-core's serious and critical violations on the page: rule, impact, where."""
    if not page.evaluate("typeof window.axe === 'object'"):
        page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate("axe.run(document, {resultTypes: ['violations']})")
    found = []
    for rule in result["violations"]:
        if rule["impact"] in SERIOUS:
            targets = ", ".join(" ".join(node["target"]) for node in rule["nodes"][:3])
            more = len(rule["nodes"]) - 3
            found.append(
                f"{rule['id']} ({rule['impact']}): {rule['help']} — {targets}"
                + (f" and {more} more" if more > 0 else "")
            )
    return found


@pytest.mark.parametrize("username", [*ROLES, None], ids=[*ROLES, "anonymous"])
def test_no_page_of_any_role_has_a_serious_accessibility_violation(
    transactional_db: None, live_server: Any, browser: Any, username: str | None
) -> None:
    # one role a test: the suite's workers share the roles out
    walk_demo()
    problems = []
    page = visitor(browser, live_server.url, username)
    paths = pages_of(username)
    for path in paths:
        page.goto(live_server.url + path)
        for violation in violations(page):
            problems.append(f"{username or 'anonymous'} {path}: {violation}")
    page.context.close()
    assert len(paths) >= 5
    assert problems == [], f"{len(problems)} violations:\n" + "\n".join(problems)


@pytest.mark.parametrize(
    ("username", "page_of"),
    [
        pytest.param(None, "results", id="public results"),
        pytest.param("admin", "dashboard", id="dashboard"),
        pytest.param("editor", "form", id="self-assessment form"),
    ],
)
def test_the_page_fits_a_phone_without_scrolling_sideways(
    transactional_db: None, live_server: Any, browser: Any, username: str | None, page_of: str
) -> None:
    cycles = walk_demo()
    own = Participation.objects.get(cycle=cycles["2023"], unit__name=EDITOR_UNIT)
    path = {
        "results": f"/results/{cycles['2021'].pk}/",
        "dashboard": f"/cycles/{cycles['2023'].pk}/",
        "form": f"/submissions/{own.pk}/",
    }[page_of]
    page = visitor(browser, live_server.url, username, width=PHONE)
    assert page.goto(live_server.url + path).status == 200
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE
