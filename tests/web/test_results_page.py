"""The public results page as a reader finds their way in it: the contents, the unit search,
the charts' figures as tables, and the units' scorecards the assessor makes public."""

from __future__ import annotations

import re
from html import unescape

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from tests.web.test_results import PREVIOUS_2020, complete_demo, logged_in, to_review, upload

from chiso.reports import charts
from chiso.web.accounts.models import User
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import Cycle, Unit
from chiso.web.cycles.services import TransitionNotAllowed, set_public_scorecards
from chiso.web.results import display, services
from chiso.web.results.snapshot import Stored
from chiso.web.reviews.models import Review, Stage, Verdict


@pytest.fixture
def published(db: None) -> Cycle:
    cycle = create_demo()
    admin = User.objects.get(username="admin")
    complete_demo(cycle)
    services.import_previous(cycle, upload(PREVIOUS_2020), by=admin)
    to_review(cycle, admin)
    services.publish(cycle, by=admin)
    cycle.refresh_from_db()
    return cycle


def page_of(cycle: Cycle, client: Client | None = None, query: str = "") -> str:
    response = (client or Client()).get(f"/results/{cycle.pk}/{query}")
    assert response.status_code == 200
    return response.content.decode()


def overall_names(page: str, key: str = "1") -> list[str]:
    """The units' names of a ranking table, in the page's order."""
    table = page.split(f'id="bang-{key}"')[1].split("</table>")[0]
    cells = re.findall(r'<td class="unit">(.*?)</td>', table)
    return [unescape(re.sub(r"<[^>]+>", "", cell)) for cell in cells]


def scorecard_links(page: str) -> set[str]:
    """The scorecards the page links (not their numbers' provenance)."""
    return set(re.findall(r'href="(/results/\d+/units/\d+/(?!provenance/)[^"]*)"', page))


# --- contents, search, sorting ------------------------------------------------------------


def test_contents_link_every_table_statistics_and_chart_to_its_anchor(published: Cycle) -> None:
    page = page_of(published)
    contents = page.split('<nav class="contents')[1].split("</nav>")[0]
    anchors = re.findall(r'href="#([^"]+)"', contents)
    ids = set(re.findall(r'\sid="([^"]+)"', page))
    assert anchors and not [a for a in anchors if a not in ids]
    for expected in ("khoi-so", "thong-ke-huyen", "hinh-groups"):
        assert expected in anchors
    # a table is a page of its own: the contents link it by its key, the page shows it
    tables = re.findall(r'href="\?table=([^"#]+)#bang-([^"]+)"', contents)
    assert [key for key, anchor in tables if key != anchor] == []
    keys = [key for key, _anchor in tables]
    for expected in ("1", "1.2a", "2", "2.6"):
        assert expected in keys
    for key in keys:
        shown = page_of(published, query=f"?table={key}")
        assert f'id="bang-{key}"' in shown and shown.count('class="result-table"') == 1
    # a group's table is named by its group, a part by its letter
    assert ">Bảng 1.1. Hạ tầng kỹ thuật CNTT</a>" in contents
    assert ">Bảng 1.2 a) Ứng dụng CNTT trong hoạt động của cơ quan nhà nước</a>" in contents


def test_the_first_table_is_shown_when_none_is_chosen_and_an_unknown_one_is_404(
    published: Cycle,
) -> None:
    page = page_of(published)
    assert page.count('class="result-table"') == 1 and 'id="bang-1"' in page
    assert 'aria-current="true">Bảng 1. ' in page
    assert Client().get(f"/results/{published.pk}/?table=9.9").status_code == 404
    assert Client().get(f"/results/{published.pk}/?table=%00").status_code == 404


def test_search_keeps_the_units_whose_name_holds_it_typed_without_accents(
    published: Cycle,
) -> None:
    page = page_of(published, query="?q=TU+PHAP")
    assert overall_names(page) == ["Sở Tư pháp"]
    assert overall_names(page_of(published, query="?table=2&q=tu+phap"), "2") == []
    assert overall_names(page_of(published, query="?table=1.3&q=tu+phap"), "1.3") == ["Sở Tư pháp"]
    table = page.split('id="bang-1"')[1].split("</table>")[0]
    assert "Mức tốt" in table and "Mức khá" not in table  # only its own tier's heading
    unmatched = page_of(published, query="?table=2&q=tu+phap")
    assert "Không có đơn vị nào phù hợp." in unmatched.split('id="bang-2"')[1].split("</table>")[0]
    assert re.search(r'id="unit-search-status"[^>]*>Tìm thấy 1 đơn vị<', page)
    assert 'value="TU PHAP"' in page
    # the search keeps the table chosen
    assert '<input type="hidden" name="table" value="1.3">' in page_of(
        published, query="?table=1.3"
    )
    # the whole table without a search: every unit, every tier
    assert len(overall_names(page_of(published))) == 21


def test_a_table_is_shown_a_page_of_units_at_a_time(
    published: Cycle, monkeypatch: pytest.MonkeyPatch
) -> None:
    every = overall_names(page_of(published))
    assert len(every) == 21
    monkeypatch.setattr(display, "PER_PAGE", 8)
    first = page_of(published)
    assert overall_names(first) == every[:8]
    assert 'href="?table=1&amp;page=2#bang-1" rel="next"' in first and 'rel="prev"' not in first
    second = page_of(published, query="?table=1&page=2")
    assert overall_names(second) == every[8:16]
    # the page starts with the tier its first unit is under
    table = second.split('id="bang-1"')[1].split("</table>")[0]
    assert table.split("<tbody>")[1].lstrip().startswith('<tr class="section"><th colspan="13">')
    assert "trang 2 / 3" in second
    assert overall_names(page_of(published, query="?table=1&page=3")) == every[16:]
    # a page that is not one is the first, one past the end the last
    assert overall_names(page_of(published, query="?table=1&page=x")) == every[:8]
    assert overall_names(page_of(published, query="?table=1&page=-1")) == every[16:]
    assert overall_names(page_of(published, query="?table=1&page=99")) == every[16:]
    # the search keeps its words across the pages
    search = page_of(published, query="?table=1&q=s%E1%BB%9F")
    assert 'href="?table=1&amp;q=s%E1%BB%9F&amp;page=2#bang-1"' in search
    # the live search of the page's script would see one page only: the server searches
    assert "data-unit-search" not in first


def test_htmx_brings_the_table_region_alone(published: Cycle) -> None:
    response = Client().get(f"/results/{published.pk}/?table=2", HTTP_HX_REQUEST="true")
    fragment = response.content.decode()
    assert fragment.startswith('<section class="table-region" id="bang-vung"')
    assert 'id="bang-2"' in fragment and "<html" not in fragment and "Hình" not in fragment
    restored = Client().get(
        f"/results/{published.pk}/?table=2",
        HTTP_HX_REQUEST="true",
        HTTP_HX_HISTORY_RESTORE_REQUEST="true",
    )
    assert "<html" in restored.content.decode()  # the browser's history gets the whole page


def test_the_published_page_reads_the_one_table_it_shows(published: Cycle) -> None:
    with CaptureQueriesContext(connection) as queries:
        page_of(published, query="?table=2")
    parts = [q["sql"] for q in queries.captured_queries if "results_resultpart" in q["sql"]]
    whole = [sql for sql in parts if '"results_resultpart"."data" AS "data"' in sql]
    assert len(whole) == 2  # the charts, and the table shown
    assert "'chart'" in whole[0]
    assert "'table'" in whole[1] and "\"key\" = '2'" in whole[1]
    assert not [sql for sql in parts if '"text"' in sql]  # nor the results' JSON text


def test_numbers_carry_their_exact_value_for_the_sort(published: Cycle) -> None:
    page = page_of(published)
    row = page.split("Sở Tài chính*</td>")[1].split("</tr>")[0]
    assert '<td class="num" data-value="79">79</td>' in row
    header = page.split('id="bang-1"')[1].split("</thead>")[0]
    assert '<th scope="col" data-first="descending" class="num">Tổng điểm</th>' in header
    assert '<th scope="col" class="unit">Tên cơ quan, đơn vị</th>' in header


# --- charts -------------------------------------------------------------------------------


def chart_rows(page: str, key: str) -> list[list[str]]:
    figure = page.split(f'id="hinh-{key}"')[1].split("</figure>")[0]
    body = figure.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [unescape(c) for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row)]
        for row in re.findall(r"<tr>(.*?)</tr>", body)
    ]


def test_each_chart_has_its_figures_as_a_table(published: Cycle) -> None:
    page = page_of(published)
    tiers = chart_rows(page, "tiers-so")
    assert [row[0] for row in tiers] == ["Tốt", "Khá", "Trung bình"]
    assert sum(int(row[1]) for row in tiers) == 21
    units = chart_rows(page, "units-so")
    assert len(units) == 21
    assert units[0][:2] == ["Sở Tài chính", "100,0"]
    # the bars' colours in words: a unit below the block's average, or not
    figure = page.split('id="hinh-units-so"')[1].split("</figure>")[0]
    average = re.search(r"Trung bình khối: ([\d,]+)%", figure)
    assert average is not None
    for _name, result, against in units:
        below = float(result.replace(",", ".")) < float(average[1].replace(",", "."))
        assert against == ("dưới" if below else "từ trung bình trở lên")
    groups = chart_rows(page, "groups")
    assert len(groups) == 6 and len(groups[0]) == 3  # six groups, two blocks


def test_units_chart_explains_its_two_bar_colours() -> None:
    svg = charts.units_chart(["A", "B"], [90, 60], 75, form="svg").decode()
    assert "Từ trung bình khối trở lên" in svg
    assert "Dưới trung bình khối" in svg
    assert "Trung bình khối: 75,0%" in svg


# --- public scorecards --------------------------------------------------------------------


def test_assessor_makes_the_scorecards_public_and_the_trail_records_it(
    published: Cycle,
) -> None:
    admin = User.objects.get(username="admin")
    client = logged_in(admin)
    page = f"/results/{published.pk}/public-scorecards/"
    refused = client.post(page, {"public": "1"}, follow=True)  # not confirmed: nothing done
    assert "Hãy đánh dấu xác nhận" in refused.content.decode()
    published.refresh_from_db()
    assert not published.public_scorecards
    assert not AuditEntry.objects.filter(action=Action.CHANGED, cycle=published).exists()
    response = client.post(page, {"public": "1", "confirm": "1"})
    assert response.status_code == 302
    published.refresh_from_db()
    assert published.public_scorecards
    entry = AuditEntry.objects.filter(action=Action.CHANGED, cycle=published).get()
    assert (entry.old, entry.new, entry.actor, entry.note) == (
        "public_scorecards: no",
        "public_scorecards: yes",
        admin,
        "Đã công khai phiếu kết quả",
    )
    client.post(page, {"public": "1"})  # no change
    client.post(page, {"public": "0"})
    published.refresh_from_db()
    assert not published.public_scorecards
    entries = AuditEntry.objects.filter(action=Action.CHANGED, cycle=published)
    assert [e.new for e in entries] == ["public_scorecards: no", "public_scorecards: yes"]


def test_only_the_assessor_changes_the_public_scorecards(published: Cycle) -> None:
    for name in ("viewer", "reviewer", "head"):
        user = User.objects.get(username=name)
        with pytest.raises(TransitionNotAllowed):
            set_public_scorecards(published, True, by=user)
        response = logged_in(user).post(
            f"/results/{published.pk}/public-scorecards/", {"public": "1"}
        )
        assert response.status_code == 403
    published.refresh_from_db()
    assert not published.public_scorecards
    assert not AuditEntry.objects.filter(action=Action.CHANGED, cycle=published).exists()


def test_public_scorecards_are_linked_from_the_tables_for_anyone(published: Cycle) -> None:
    assert scorecard_links(page_of(published)) == set()
    url = f"/results/{published.pk}/units/{Unit.objects.get(name='Sở Tư pháp').pk}/"
    assert Client().get(url).status_code == 302  # log in first

    set_public_scorecards(published, True, by=User.objects.get(username="admin"))

    page = page_of(published)
    links = scorecard_links(page)
    assert len(links) == published.participations.count()
    assert f'<td class="unit"><a href="{url}">Sở Tư pháp</a></td>' in page
    for link in links:
        assert Client().get(link).status_code == 200
    assert Client().get(url + "chart.png")["Content-Type"] == "image/png"


def test_a_unit_person_sees_a_link_to_their_own_scorecard_only(published: Cycle) -> None:
    editor = User.objects.get(username="editor")
    page = page_of(published, logged_in(editor))
    assert scorecard_links(page) == {f"/results/{published.pk}/units/{editor.unit_id}/"}


def test_the_draft_links_the_draft_scorecards(published: Cycle) -> None:
    viewer = User.objects.get(username="viewer")
    links = scorecard_links(page_of(published, logged_in(viewer), "?draft"))
    assert links and all(link.endswith("/?draft") for link in links)


def test_a_public_scorecard_has_no_reviewers_comments(published: Cycle) -> None:
    unit = Unit.objects.get(name="Sở Tư pháp")
    lost = Stored(published.revisions.get()).scorecard(unit.pk)
    assert lost is not None and lost.lost
    Review.objects.update_or_create(cycle=published, defaults={"stage": Stage.FINAL})
    Verdict.objects.create(
        participation=published.participations.get(unit=unit),
        round=1,
        code=lost.lost[0].code,
        comment="Thiếu văn bản ban hành quy chế",
    )
    set_public_scorecards(published, True, by=User.objects.get(username="admin"))
    url = f"/results/{published.pk}/units/{unit.pk}/"

    public = Client().get(url).content.decode()
    assert "Sở Tư pháp" in public and "Thiếu văn bản ban hành quy chế" not in public
    own = logged_in(User.objects.get(username="editor"))  # of Sở Tư pháp: theirs
    assert "Thiếu văn bản ban hành quy chế" in own.get(url).content.decode()


def test_public_scorecards_wait_for_publication(db: None) -> None:
    cycle = create_demo()
    set_public_scorecards(cycle, True, by=User.objects.get(username="admin"))
    unit = cycle.participations.first()
    assert unit is not None
    assert Client().get(f"/results/{cycle.pk}/units/{unit.unit_id}/").status_code == 302
    assert Client().get(f"/results/{cycle.pk}/").status_code == 404
