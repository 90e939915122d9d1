"""The Content-Security-Policy: every page is sent with a strict policy, and no template holds
what that policy blocks (inline code, inline styles, code in htmx attributes). The browser test
(test_csp_browser.py) checks that the pages still work under it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from tests.web.conftest import Cast

import chiso.web

# the pages' templates; not the e-mails' (templates/mail/), which a mail client shows without
# the site's policy and where styles can only be inline
TEMPLATES = sorted(
    path
    for path in Path(chiso.web.__file__).parent.glob("**/templates/**/*.html")
    if "/templates/mail/" not in path.as_posix()
)

# what the policy blocks, or what htmx runs with eval (also blocked)
BLOCKED = {
    "an inline script": re.compile(r"<script(?![^>]*\b(src=|csp_nonce_attr|nonce=))[^>]*>"),
    "an inline style sheet": re.compile(r"<style(?![^>]*\b(csp_nonce_attr|nonce=))[^>]*>"),
    "a style attribute": re.compile(r"\sstyle="),
    "an event handler attribute": re.compile(r"\son[a-z]+=", re.I),
    "htmx code (hx-on)": re.compile(r"\s(data-)?hx-on"),
    "an htmx trigger filter": re.compile(r"hx-trigger=\"[^\"]*\["),
    "htmx code in values": re.compile(r"hx-(vals|vars)=['\"]\s*(js|javascript):"),
}


@pytest.mark.parametrize("template", TEMPLATES, ids=lambda p: str(p).split("/web/", 1)[1])
def test_no_template_holds_what_the_policy_blocks(template: Path) -> None:
    text = template.read_text(encoding="utf-8")
    found = [what for what, pattern in BLOCKED.items() if pattern.search(text)]
    assert found == []


def test_every_page_is_sent_with_a_strict_policy(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    for url in ["/accounts/login/", f"/submissions/{cast.part_a.pk}/", "/khong-co/"]:
        policy = client.get(url).headers["Content-Security-Policy"]
        directives = dict(d.strip().split(" ", 1) for d in policy.split(";"))
        assert directives["default-src"] == "'self'"
        assert directives["script-src"].split()[0] == "'self'"
        assert "unsafe" not in policy
        assert directives["object-src"] == "'none'"
        assert directives["base-uri"] == "'self'"
        assert directives["form-action"] == "'self'"
        assert directives["frame-ancestors"] == "'none'"


def test_the_admin_pages_carry_the_nonce_of_the_policy(cast: Cast) -> None:
    response = cast.client(cast.admin).get("/admin/cycles/unit/")
    nonce = re.search(r"'nonce-([^']+)'", response.headers["Content-Security-Policy"])
    assert nonce is not None
    carried = set(re.findall(r'nonce="([^"]+)"', response.content.decode()))
    assert carried == {nonce.group(1)}
