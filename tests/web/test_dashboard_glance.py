"""The cycle at a glance: the dashboard's counts and bars per block and state, built through
the real services; the search (without accents), the filters and the sort, together, with
htmx and without; each unit's links; a constant number of queries."""

from __future__ import annotations

import datetime
import re
from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from tests.web.conftest import Cast, make_user
from tests.web.reviews.conftest import ANSWERS_A, ANSWERS_B, fill
from tests.web.selfassessment.conftest import PDF, upload

from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import Cycle, CycleState, Participation, Unit
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Stage
from chiso.web.reviews.selectors import reviewed_participations
from chiso.web.submissions.services import (
    reopen,
    save_answer,
    submission_for,
    submit,
    upload_signed_scan,
)

EDUCATION = "Sở Giáo dục và Đào tạo"
HOAI_NHON = "UBND huyện Hoài Nhơn"


def _unit(cast: Cast, name: str, block: str) -> tuple[Participation, Any, Any]:
    unit = Unit.objects.create(organisation=cast.organisation, name=name)
    part = Participation.objects.create(cycle=cast.cycle, unit=unit, block=block)
    editor = make_user(f"editor {name}", Role.EDITOR, unit)
    head = make_user(f"head {name}", Role.HEAD, unit)
    return part, editor, head


def accept_all(cast: Cast, participation: Participation) -> None:
    for root in cast.cycle.framework.framework.criteria:
        reviews.accept_group(participation, root.code, by=cast.admin)


@pytest.fixture
def states(cast: Cast) -> Cast:
    """One unit in each state, in review round 1: Sở Tư pháp reviewed (with its signed form),
    Sở Y tế submitted, Sở Giáo dục và Đào tạo reopened; UBND huyện Hoài Nhơn a draft, UBND
    huyện An Lão nothing."""
    education, ed_editor, ed_head = _unit(cast, EDUCATION, "so")
    hoai_nhon, hn_editor, _head = _unit(cast, HOAI_NHON, "huyen")
    fill(cast, cast.part_a, ANSWERS_A, cast.editor_a, cast.head_a)
    upload_signed_scan(submission_for(cast.part_a), upload("phieu.pdf", PDF), by=cast.head_a)
    fill(cast, cast.part_b, ANSWERS_B, cast.editor_b, cast.head_b)
    fill(cast, education, ANSWERS_B, ed_editor, ed_head)
    reopen(submission_for(education), reason="Thiếu tài liệu mục III", by=cast.admin)
    save_answer(submission_for(hoai_nhon), "I", value="5", revision=None, by=hn_editor)
    reviews.change_stage(cast.cycle, Stage.ROUND_1, by=cast.admin)
    accept_all(cast, cast.part_a)
    return cast


def page(cast: Cast, user: Any = None, **query: str) -> Any:
    client = cast.client(user or cast.admin)
    return client.get(reverse("cycles:dashboard", args=[cast.cycle.pk]), query)


def names(response: Any) -> list[str]:
    return [row.participation.unit.name for row in response.context["rows"]]


def test_each_unit_has_its_state_and_each_block_its_counts(states: Cast) -> None:
    response = page(states)
    assert {row.participation.unit.name: row.state for row in response.context["rows"]} == {
        "Sở Tư pháp": "reviewed",
        "Sở Y tế": "submitted",
        EDUCATION: "reopened",
        HOAI_NHON: "draft",
        "UBND huyện An Lão": "nothing",
    }
    counts = [
        (tally.label, tally.submitted, tally.total, [s.count for s in tally.states])
        for tally in response.context["tallies"]
    ]
    blocks = {block.code: block.name for block in states.cycle.framework.framework.blocks}
    # not started, draft, submitted, reopened, reviewed
    assert counts == [
        ("Cả kỳ đánh giá", 2, 5, [1, 1, 1, 1, 1]),
        (blocks["so"], 2, 3, [0, 0, 1, 1, 1]),
        (blocks["huyen"], 0, 2, [1, 1, 0, 0, 0]),
    ]


def test_the_bars_are_progress_elements_with_their_counts_in_words(states: Cast) -> None:
    response = page(states)
    html = response.content.decode()
    blocks = [t.label for t in response.context["tallies"]]
    assert blocks[0] == "Cả kỳ đánh giá" and len(blocks) == 3
    bars = re.findall(r'<progress max="(\d+)" value="(\d+)" aria-label="([^"]+)"', html)
    assert (("5", "2", "Cả kỳ đánh giá: 2/5 đã nộp") in bars) and len(bars) == 3
    assert ("3", "2", f"{blocks[1]}: 2/3 đã nộp") in bars
    assert ("2", "0", f"{blocks[2]}: 0/2 đã nộp") in bars
    assert "2/5 đã nộp" in re.sub(r"<[^>]+>", "", html)
    shares = re.findall(
        r'<progress class="share" max="(\d+)" value="(\d+)" aria-label="([^"]+)"', html
    )
    assert ("5", "1", "Cả kỳ đánh giá, Đã thẩm định: 1/5") in shares
    assert ("3", "1", f"{blocks[1]}, Đã mở lại: 1/3") in shares
    assert len(shares) == 3 * 5
    for label in ("Chưa bắt đầu", "Bản nháp", "Đã nộp", "Đã mở lại", "Đã thẩm định"):
        assert f'<th scope="col" class="num">{label}</th>' in html
    # the site's Content-Security-Policy: no inline style or script
    assert "style=" not in html and "<script>" not in html


def test_a_count_leads_to_its_units(states: Cast) -> None:
    html = page(states).content.decode()
    so = states.part_a.block
    link = f"/cycles/{states.cycle.pk}/?block={so}&amp;state=reopened"
    assert f'<a href="{link}">1</a>' in html
    response = page(states, block=so, state="reopened")
    assert names(response) == [EDUCATION]


def test_reviewed_follows_the_rounds_and_the_responses(states: Cast) -> None:
    cycle, a, b = states.cycle, states.part_a, states.part_b
    assert reviewed_participations(cycle) == {a.pk}
    # a reviewer given a whole group changes no unit's review: the kept units stay, no
    # verdict read again
    reviews.assign(cycle, states.reviewer, group="I", by=states.admin)
    with CaptureQueriesContext(connection) as queries:
        assert reviewed_participations(cycle) == {a.pk}
    assert not [q for q in queries.captured_queries if "reviews_verdict" in q["sql"]]
    reviews.change_stage(
        cycle,
        Stage.RESPONSES,
        by=states.admin,
        response_deadline=datetime.date.today() + datetime.timedelta(days=7),
    )
    assert reviewed_participations(cycle) == {a.pk}
    reviews.respond(a, "III", text="Đã ban hành quy chế", by=states.editor_a)
    reviews.change_stage(cycle, Stage.ROUND_2, by=states.admin)
    # round 2 re-reviews what the unit responded to: not done until then
    assert reviewed_participations(cycle) == set()
    reviews.save_verdict(a, "III", value="15", revision=None, by=states.admin)
    assert reviewed_participations(cycle) == {a.pk}
    reviews.change_stage(cycle, Stage.FINAL, by=states.admin)
    # the review is over: every submitted unit is reviewed, a reopened one is not
    assert reviewed_participations(cycle) == {a.pk, b.pk}
    assert page(states, state="reviewed").context["rows"][0].state == "reviewed"
    assert names(page(states, state="reviewed")) == ["Sở Tư pháp", "Sở Y tế"]


@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("hoai nhon", [HOAI_NHON]),
        ("HOÀI NHƠN", [HOAI_NHON]),
        ("dao tao", [EDUCATION]),
        ("Đào  Tạo", [EDUCATION]),
        ("ubnd huyen", ["UBND huyện An Lão", HOAI_NHON]),
        ("tu phap", ["Sở Tư pháp"]),
        ("hà nội", []),
    ],
)
def test_search_by_name_ignores_case_and_accents(
    states: Cast, query: str, found: list[str]
) -> None:
    response = page(states, q=query, sort="name")
    assert names(response) == found
    if not found:
        assert "Không có đơn vị nào phù hợp." in response.content.decode()


def test_sorts_by_name_state_activity_and_missing_answers(states: Cast) -> None:
    assert names(page(states)) == [  # the default: block, then name
        "Sở Giáo dục và Đào tạo",
        "Sở Tư pháp",
        "Sở Y tế",
        "UBND huyện An Lão",
        HOAI_NHON,
    ]
    assert names(page(states, sort="name")) == [
        EDUCATION,
        "Sở Tư pháp",
        "Sở Y tế",
        "UBND huyện An Lão",
        HOAI_NHON,
    ]
    assert names(page(states, sort="state")) == [
        "UBND huyện An Lão",  # not started
        HOAI_NHON,  # draft
        "Sở Y tế",  # submitted
        EDUCATION,  # reopened
        "Sở Tư pháp",  # reviewed
    ]
    # the latest activity first: the reopened unit's answers were saved last of the
    # submitted ones, the draft's after them; the unit with nothing last
    activity = names(page(states, sort="activity"))
    assert activity[0] == HOAI_NHON and activity[-1] == "UBND huyện An Lão"
    missing = page(states, sort="missing").context["rows"]
    counts = [len(row.completeness.unanswered) for row in missing]
    assert counts == sorted(counts, reverse=True) and counts[0] > counts[-1]
    assert missing[0].participation.unit.name in ("UBND huyện An Lão", HOAI_NHON)


def test_search_filters_and_sort_combine_with_and_without_htmx(states: Cast) -> None:
    query = {"q": "so", "block": "so", "state": "submitted", "sort": "name"}
    assert names(page(states, **query)) == ["Sở Y tế"]
    query["state"] = ""
    assert names(page(states, **query)) == [EDUCATION, "Sở Tư pháp", "Sở Y tế"]
    client = states.client(states.admin)
    url = reverse("cycles:dashboard", args=[states.cycle.pk])
    fragment = client.get(url, {**query, "q": "y te"}, HTTP_HX_REQUEST="true")
    html = fragment.content.decode()
    assert "<html" not in html and "Sở Y tế" in html and "Sở Tư pháp" not in html
    assert 'id="unit-count"' in html and 'hx-swap-oob="true"' in html
    assert "Đang hiện 1/5 đơn vị" in html
    # the page without htmx keeps the choices in its form
    full = client.get(url, {**query, "q": "y te"}).content.decode()
    assert 'value="y te"' in full and '<option value="name" selected>' in full
    assert "hx-push-url" in full and "<noscript>" in full


@pytest.mark.parametrize(
    "query",
    [{"state": "lost"}, {"block": "xa"}, {"sort": "size"}, {"q": "x" * 500}],
)
def test_a_choice_that_is_not_valid_is_named_and_ignored(
    states: Cast, query: dict[str, str]
) -> None:
    response = page(states, **query)
    assert response.status_code == 200
    assert len(response.context["rows"]) == 5
    assert 'class="field-error" role="alert"' in response.content.decode()


def test_each_unit_links_to_its_self_assessment_printed_form_and_signed_scan(
    states: Cast,
) -> None:
    html = page(states).content.decode()
    for part in Participation.objects.filter(cycle=states.cycle):
        assert f'href="{reverse("submissions:form", args=[part.pk])}">{part.unit.name}</a>' in html
        assert f'href="{reverse("submissions:print", args=[part.pk])}"' in html
    scans = re.findall(r'href="(/submissions/\d+/signed/file/)"', html)
    assert scans == [reverse("submissions:scan_file", args=[states.part_a.pk])]
    admin = states.client(states.admin)
    assert admin.get(scans[0]).status_code == 200
    # the viewer reads the forms, and sees that a signed form exists without a link to it
    viewer = states.client(states.viewer)
    seen = page(states, states.viewer).content.decode()
    assert "/signed/file/" not in seen and "Đã tải lên phiếu đã ký." in seen
    assert "Mở lại" not in re.sub(r"<[^>]+>", "", seen).replace("Đã mở lại", "")
    for name in ("submissions:form", "submissions:print"):
        response = viewer.get(reverse(name, args=[states.part_b.pk]))
        assert response.status_code == 200
    # read-only for the assessor and the viewer: in an open cycle a draft's own editor has
    # its answer fields, the assessor and the viewer only read it
    Cycle.objects.filter(pk=states.cycle.pk).update(state=CycleState.OPEN)
    draft = Participation.objects.get(unit__name=HOAI_NHON)
    url = reverse("submissions:form", args=[draft.pk])
    editor = states.client(User.objects.get(username=f"editor {HOAI_NHON}")).get(url)
    assert 'name="value"' in editor.content.decode()
    for client in (admin, viewer):
        form = client.get(url).content.decode()
        assert "Bạn đang xem bản tự đánh giá của đơn vị" in form
        assert 'name="value"' not in form


def test_the_assessor_reopens_a_reviewed_unit_from_its_row(states: Cast) -> None:
    html = page(states).content.decode()
    submission = submission_for(states.part_a)
    assert f'action="/cycles/{states.cycle.pk}/reopen/{submission.pk}/"' in html
    draft = submission_for(Participation.objects.get(unit__name=HOAI_NHON))
    assert f"/reopen/{draft.pk}/" not in html


@pytest.mark.parametrize(
    ("who", "status"), [("reviewer", 403), ("editor_a", 404), ("head_b", 404), (None, 302)]
)
def test_the_searched_dashboard_is_denied_as_the_dashboard(
    states: Cast, who: str | None, status: int
) -> None:
    client = states.client(getattr(states, who) if who else None)
    url = reverse("cycles:dashboard", args=[states.cycle.pk])
    response = client.get(url, {"q": "tu phap", "state": "reviewed", "sort": "name"})
    assert response.status_code == status
    if who is None:
        assert response["Location"].startswith("/accounts/login/")


def _cycle_in_round_2(cast: Cast, count: int, year: int) -> Cycle:
    """A cycle of ``count`` units in review round 2: a quarter submitted and verified, a
    quarter that also responded, a quarter drafts, a quarter with nothing."""
    cycle = Cycle.objects.create(
        organisation=cast.organisation,
        name=f"Đánh giá năm {year}",
        year=year,
        framework=cast.cycle.framework,
        state=CycleState.OPEN,
    )
    editors = {}
    for n in range(count):
        unit = Unit.objects.create(organisation=cast.organisation, name=f"UBND xã {year}-{n}")
        part = Participation.objects.create(cycle=cycle, unit=unit, block="huyen")
        editor = editors[part.pk] = make_user(f"editor {unit.name}", Role.EDITOR, unit)
        if n % 4 == 3:
            continue
        save_answer(submission_for(part), "I", value="5", revision=None, by=editor)
        if n % 4 < 2:
            submit(submission_for(part), by=make_user(f"head {unit.name}", Role.HEAD, unit))
    reviews.change_stage(cycle, Stage.ROUND_1, by=cast.admin)
    submitted = list(Participation.objects.filter(cycle=cycle, submission__state="submitted"))
    for part in submitted:
        for root in cycle.framework.framework.criteria:
            reviews.accept_group(part, root.code, by=cast.admin)
    deadline = datetime.date.today() + datetime.timedelta(days=7)
    reviews.change_stage(cycle, Stage.RESPONSES, by=cast.admin, response_deadline=deadline)
    for part in submitted[1::2]:
        reviews.respond(part, "I", text="Bổ sung", by=editors[part.pk])
    reviews.change_stage(cycle, Stage.ROUND_2, by=cast.admin)
    return cycle


def _queries(cast: Cast, cycle: Cycle) -> tuple[int, int, int]:
    """The queries of the dashboard's first view (which counts the reviewed units and keeps
    them) and of the next one, and the rows shown."""
    client = cast.client(cast.admin)
    counts = []
    for _view in range(2):
        with CaptureQueriesContext(connection) as queries:
            response = client.get(reverse("cycles:dashboard", args=[cycle.pk]), {"sort": "state"})
        assert response.status_code == 200
        counts.append(len(queries.captured_queries))
    return counts[0], counts[1], len(response.context["rows"])


def test_queries_do_not_grow_with_the_units(cast: Cast) -> None:
    few, few_again, five = _queries(cast, _cycle_in_round_2(cast, 5, 2022))
    many, many_again, thirty = _queries(cast, _cycle_in_round_2(cast, 30, 2023))
    assert (five, thirty) == (5, 30)
    assert few == many, (few, many)
    # 9 for the page (the reviewed units kept), 1 for the bell of notifications
    assert few_again == many_again <= 10, (few_again, many_again)


def test_the_reviewed_units_follow_each_verdict(cast: Cast) -> None:
    """The reviewed units are counted once and kept between views; a verdict changes them at
    once: a unit that responded is reviewed when round 2 verifies what it responded to."""
    cycle = _cycle_in_round_2(cast, 8, 2024)
    client = cast.client(cast.admin)
    url = reverse("cycles:dashboard", args=[cycle.pk])

    def reviewed() -> list[str]:
        rows = client.get(url, {"sort": "state"}).context["rows"]
        return sorted(row.participation.unit.name for row in rows if row.state == "reviewed")

    before = reviewed()
    assert reviewed() == before
    waiting = Participation.objects.filter(cycle=cycle, responses__isnull=False).first()
    assert waiting is not None and waiting.unit.name not in before
    reviews.save_verdict(waiting, "I", value="5", revision=None, by=cast.admin)
    assert reviewed() == sorted([*before, waiting.unit.name])
