"""Every role finds its way: from the start page, as each role of the demo and anonymously,
every same-site link of every page (``<a href>``, ``<img src>``, forms with method GET) answers
200, after its redirects. A 403 that docs/roles.md documents is still a broken link here: a
page shows only the links its reader may follow.

The demo is walked through first (tests/web/walk.py): a published cycle with its review
history, a cycle under review with round 1 open, an open cycle with units in every state.
Not followed: Django's administration and the API's documentation beyond their first page.
The draft documents (``ket-qua.*?draft``) are pages that offer their background job until one
wrote them (the same view for every format), a unit's scorecard chart is drawn in half a
second, every number of the tables and scorecards links to its provenance (one view for
every unit and item, tested in tests/web/test_provenance.py), as does each unit's over-claim
(tests/web/reviews/test_overclaim.py), and a results page shows one of its tables at a time
(``?table=``, each linking the same scorecards as the first): one draft document and one
unit's over-claim per role, and one scorecard chart, one provenance page and one of a results
page's tables per cycle and role, are requested; the others are the same view under the same
rule as the one requested (and their scorecards are all read).
"""

from __future__ import annotations

import re

from django.test import Client
from tests.web.crawl import Walk, crawl, links_of
from tests.web.walk import ROLES, walk_demo

from chiso.web.accounts.models import User
from chiso.web.console.demo import EDITOR_UNIT
from chiso.web.cycles.models import Participation

DRAFT_DOCUMENT = re.compile(r"^/results/\d+/ket-qua\.\w+\?(.*&)?draft")
SCORECARD_CHART = re.compile(r"^/results/(\d+)/units/\d+/chart\.png(\?.*)?$")
PROVENANCE = re.compile(r"^/results/(\d+)/units/\d+/provenance/(\?(.*&)?draft)?")
UNIT_OVERCLAIM = re.compile(r"^/reviews/unit/\d+/overclaim/")
RESULTS_TABLE = re.compile(r"^/results/(\d+)/\?(draft&)?table=")


def slow(url: str) -> str | None:
    """The family of a slow link: the draft documents, a cycle's scorecard charts, the
    provenance of its numbers, the units' over-claims, its results page's tables."""
    if DRAFT_DOCUMENT.match(url):
        return "draft document"
    if chart := SCORECARD_CHART.match(url):
        return f"scorecard chart {chart[1]} {chart[2]}"
    if source := PROVENANCE.match(url):
        return f"provenance {source[1]} {bool(source[2])}"
    if UNIT_OVERCLAIM.match(url):
        return "a unit's over-claim"
    if table := RESULTS_TABLE.match(url):
        return f"results table {table[1]} {table[2]}"
    return None


def walk_as(username: str | None) -> Walk:
    client = Client()
    if username is not None:
        client.force_login(User.objects.get(username=username))
    return crawl(client, logged_in=username is not None, once=slow)


def test_every_link_of_every_role_answers(db: None) -> None:
    cycles = walk_demo()
    walks = {name: walk_as(name) for name in (*ROLES, None)}

    broken = [
        f"{name or 'anonymous'}: {link}" for name, walk in walks.items() for link in walk.broken
    ]
    assert broken == [], f"{len(broken)} broken links:\n" + "\n".join(broken)

    # the crawl went everywhere the roles' ways lead
    published, review, is_open = (cycles[year] for year in ("2021", "2022", "2023"))
    own = {
        c.year: Participation.objects.get(cycle=c, unit__name=EDITOR_UNIT)
        for c in (published, review, is_open)
    }
    reached = {name: set(walk.pages) | set(walk.statuses) for name, walk in walks.items()}
    for name in ("admin", "viewer"):
        assert f"/cycles/{review.pk}/" in reached[name]
        assert f"/reviews/cycle/{review.pk}/" in reached[name]
        assert f"/submissions/{own[2022].pk}/" in reached[name]
        assert f"/results/{published.pk}/units/{own[2021].unit_id}/" in reached[name]
    assert f"/reviews/unit/{own[2022].pk}/" in reached["admin"]
    assert f"/reviews/cycle/{review.pk}/queue/" in reached["reviewer"]
    assert f"/reviews/unit/{own[2022].pk}/" in reached["reviewer"]
    for name in ("editor", "head"):
        assert f"/submissions/{own[2023].pk}/" in reached[name]
        assert f"/reviews/unit/{own[2021].pk}/history/" in reached[name]
    assert f"/results/{published.pk}/" in reached[None]
    assert f"/results/{published.pk}/units/{own[2021].unit_id}/" in reached[None]
    assert all(walk.cut == 0 for walk in walks.values())


def test_the_crawl_reads_links_images_and_get_forms_with_their_initial_values() -> None:
    html = """
      <a href="/results/1/#bang-1">results</a> <a href="units/2/">a unit</a>
      <a href="https://example.org/">elsewhere</a> <a href="#main">skip</a>
      <a href="mailto:so@example.org">mail</a> <img src="/results/1/charts/tiers.png" alt="">
      <form method="get" action="/cycles/1/audit/">
        <select name="action"><option value="">all</option><option value="x">x</option></select>
        <select name="unit"><option value="1">A</option><option value="2" selected>B</option></select>
        <input name="q" value="Sở"><input type="checkbox" name="late"><button>Lọc</button>
      </form>
      <form method="post" action="/i18n/setlang/"><input name="language" value="en"></form>
      <form><input type="search" name="unit"><input type="hidden" name="block" value="so"></form>
    """
    assert links_of(html, "/results/") == [
        "/results/1/",
        "/results/units/2/",
        "/results/1/charts/tiers.png",
        "/cycles/1/audit/?action=&unit=2&q=S%E1%BB%9F",
        "/results/?unit=&block=so",
    ]
