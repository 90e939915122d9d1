"""Following a site's links as a person does, breadth-first: every same-site ``<a href>``,
``<img src>`` and form with method GET (sent with its fields' initial values)."""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlencode, urljoin, urlsplit, urlunsplit

from django.test import Client

LOGIN = "/accounts/login/"
# links the crawl checks but does not follow: Django's administration (its own links are
# Django's) and the API's documentation page (a script draws it)
NOT_FOLLOWED = ("/admin/", "/api/")
# never requested: the static files (not served by the test client; test_static checks them)
NOT_REQUESTED = ("/static/",)


class _Links(HTMLParser):
    """The same-site links of one page, in the order they appear."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self._form: dict[str, str] | None = None
        self._action = ""
        self._select: str | None = None
        self._first_option: str | None = None
        self._chosen = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = {name: value or "" for name, value in attrs}
        if tag == "a" and "href" in a:
            self.links.append(a["href"])
        elif tag == "img" and "src" in a:
            self.links.append(a["src"])
        elif tag == "form" and a.get("method", "get").lower() == "get":
            self._form, self._action = {}, a.get("action", "")
        elif self._form is not None:
            self._field(tag, a)

    def _field(self, tag: str, a: dict[str, str]) -> None:
        assert self._form is not None
        name = a.get("name", "")
        if tag == "input" and name:
            kind = a.get("type", "text").lower()
            if kind in ("checkbox", "radio") and "checked" not in a:
                return
            if kind not in ("submit", "button", "image", "reset", "file"):
                self._form.setdefault(name, a.get("value", ""))
        elif tag == "select" and name:
            self._select, self._first_option, self._chosen = name, None, False
        elif tag == "option" and self._select is not None:
            value = a.get("value", "")
            if self._first_option is None:
                self._first_option = value
            if "selected" in a and not self._chosen:
                self._form[self._select], self._chosen = value, True

    def handle_endtag(self, tag: str) -> None:
        if tag == "select" and self._form is not None and self._select is not None:
            if not self._chosen and self._first_option is not None:
                self._form[self._select] = self._first_option
            self._select = None
        elif tag == "form" and self._form is not None:
            query = urlencode(self._form)
            # without an action, the form goes to the page's own address with its query
            self.links.append(f"{self._action}?{query}" if query else self._action)
            self._form = None


def links_of(html: str, page: str) -> list[str]:
    """The page's same-site links as paths with their query, without fragments."""
    parser = _Links()
    parser.feed(html)
    found = []
    for href in parser.links:
        href = href.strip()
        if not href or href.startswith(("#", "mailto:", "tel:", "javascript:", "data:")):
            continue
        parts = urlsplit(urljoin("http://testserver" + page, href))
        if parts.netloc != "testserver":
            continue
        url = urlunsplit(("", "", parts.path, parts.query, ""))
        if url not in found:
            found.append(url)
    return found


@dataclass(frozen=True)
class Broken:
    page: str
    link: str
    status: str

    def __str__(self) -> str:
        return f"{self.page} → {self.link}: {self.status}"


@dataclass
class Walk:
    """What a crawl met: the status of every link it requested, the pages it read, the links
    it found broken, the time each request took."""

    statuses: dict[str, int] = field(default_factory=dict)
    pages: list[str] = field(default_factory=list)
    broken: list[Broken] = field(default_factory=list)
    seconds: dict[str, float] = field(default_factory=dict)
    skipped: list[str] = field(default_factory=list)
    cut: int = 0


def crawl(
    client: Client,
    *,
    start: str = "/",
    logged_in: bool,
    limit: int = 400,
    once: Callable[[str], str | None] = lambda url: None,
    skip: Callable[[str], bool] = lambda url: False,
) -> Walk:
    """Breadth-first from ``start``: every link of every page read answers 200 (after its
    redirects); at most ``limit`` pages are read; links that ``skip`` names are not requested.
    Of the links that ``once`` puts in the same family (slow ones that one view answers
    alike), only the first is requested."""
    walk = Walk()
    families: set[str] = set()
    queue: deque[tuple[str, str]] = deque([("", start)])
    seen = {start}
    while queue:
        page, url = queue.popleft()
        family = once(url)
        if url.startswith(NOT_REQUESTED) or skip(url) or family in families:
            walk.skipped.append(url)
            continue
        if family is not None:
            families.add(family)
        began = time.perf_counter()
        response = client.get(url, follow=True)
        walk.seconds[url] = time.perf_counter() - began
        status, final, wrong = _final(response, url, logged_in)
        walk.statuses[url] = status
        if wrong:
            walk.broken.append(Broken(page or "(start)", url, wrong))
            continue
        content_type = response.get("Content-Type", "")
        if not content_type.startswith("text/html") or final.startswith(NOT_FOLLOWED):
            continue
        if len(walk.pages) >= limit:
            walk.cut += 1
            continue
        walk.pages.append(final)
        for link in links_of(response.content.decode(), final):
            if link not in seen:
                seen.add(link)
                queue.append((final, link))
    return walk


def _final(response: object, url: str, logged_in: bool) -> tuple[int, str, str]:
    """The first status, the final address and what is wrong ('' when it ends in a 200)."""
    chain = getattr(response, "redirect_chain", [])
    status = getattr(response, "status_code", 0)
    final = url
    if chain:
        parts = urlsplit(urljoin("http://testserver" + url, chain[-1][0]))
        final = urlunsplit(("", "", parts.path, parts.query, ""))
        if logged_in and parts.path == LOGIN:
            return chain[0][1], final, f"{chain[0][1]} to the login page"
    return status, final, "" if status == 200 else str(status)
