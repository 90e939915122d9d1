"""Where a published number came from: the provenance page and its API call.

The cast's cycle (Bình Định 2021, block "so", 85 points): Sở Tư pháp claims 80 (III at 10 of
15) and puts a file on III; round 1 verifies III at 8, the unit responds, round 2 verifies it
at 7; so Sở Tư pháp has 80 − 10 + 7 = 77 of 85, 90,6 % → 91 % (whole percentages), and Sở Y tế
79 of 85 (III 15, VI 6), 92,9 % → 93 %: rank 1, Sở Tư pháp rank 2 of the 2 ranked (the district
did not submit). Group II is II.a 17 + II.b 15 (its seven criteria at their maxima) = 32.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.utils import translation
from tests.web.conftest import Cast, make_user
from tests.web.reviews.conftest import ANSWERS_A, ANSWERS_B, deadline
from tests.web.selfassessment.conftest import PDF, upload
from tests.web.test_results import complete_demo, to_review

from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import AuditEntry
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import Cycle, CycleState, Organisation
from chiso.web.results import services as results
from chiso.web.results.as_published import steps_then
from chiso.web.results.snapshot import Stored
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Review, Stage, Verdict
from chiso.web.submissions.models import Submission, SubmissionState
from chiso.web.submissions.services import add_evidence, save_answer, submission_for, submit


def _fill(participation: Any, answers: dict[str, str], editor: Any, head: Any) -> Any:
    submission = submission_for(participation)
    for code, value in answers.items():
        save_answer(submission, code, value=value, revision=None, by=editor)
    return submission


def _reviewed(cast: Cast) -> Cast:
    own = _fill(cast.part_a, ANSWERS_A, cast.editor_a, cast.head_a)
    add_evidence(own, "III", upload("trang-tin.pdf", PDF), by=cast.editor_a)
    submit(own, by=cast.head_a)
    submit(_fill(cast.part_b, ANSWERS_B, cast.editor_b, cast.head_b), by=cast.head_b)
    reviews.assign(cast.cycle, cast.reviewer, participation=cast.part_a, by=cast.admin)
    reviews.change_stage(cast.cycle, Stage.ROUND_1, by=cast.admin)
    reviews.save_verdict(
        cast.part_a, "III", value="8", comment="Thiếu chuyên mục", revision=None, by=cast.reviewer
    )
    reviews.change_stage(cast.cycle, Stage.RESPONSES, by=cast.admin, response_deadline=deadline())
    reviews.respond(cast.part_a, "III", text="Đã bổ sung chuyên mục", by=cast.editor_a)
    reviews.change_stage(cast.cycle, Stage.ROUND_2, by=cast.admin)
    reviews.save_verdict(cast.part_a, "III", value="7", revision=None, by=cast.reviewer)
    reviews.change_stage(cast.cycle, Stage.FINAL, by=cast.admin)
    return cast


@pytest.fixture
def published(cast: Cast) -> Cast:
    _reviewed(cast)
    results.publish(Cycle.objects.get(pk=cast.cycle.pk), by=cast.admin)
    return cast


def _url(cast: Cast, item: str = "", *, api: bool = False) -> str:
    base = f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/provenance/"
    if api:
        base = f"/api/v1/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/provenance"
    return base + (f"?item={item}" if item else "")


def test_a_rescored_criterion_shows_each_answer_who_decided_and_when(published: Cast) -> None:
    cast = published
    page = cast.client(cast.admin).get(_url(cast, "III"))
    assert page.status_code == 200
    p = page.context["p"]
    assert (p.kind, p.framework, p.framework_version, p.revision) == (
        "criterion",
        "binh-dinh-2021",
        1,
        1,
    )
    line = p.criterion.line
    assert (line.points, line.maximum, line.how, line.rule) == (
        Decimal(7), Decimal(15), "lost", {"type": "points"})  # fmt: skip
    steps = [(d.step, d.value, d.by, d.counts) for d in p.criterion.decisions]
    assert steps == [
        ("self_assessed", "10", "Editor_A", False),
        ("round_1", "8", "Reviewer", False),
        ("response", "", "Editor_A", False),
        ("round_2", "7", "Reviewer", True),
    ]
    assert all(d.at is not None for d in p.criterion.decisions)
    assert p.criterion.decisions[1].comment == "Thiếu chuyên mục"
    (evidence,) = p.criterion.evidence
    assert evidence.name == "trang-tin.pdf" and evidence.url.startswith("/submissions/")
    actions = [(e.by, e.new) for e in p.criterion.entries]
    assert ("Reviewer", "8") in actions and ("Reviewer", "7") in actions
    assert actions[0] == ("Editor_A", "10")
    html = page.content.decode()
    assert "Reviewer" in html and "trang-tin.pdf" in html


def test_the_total_is_the_published_one_with_each_groups_criteria(published: Cast) -> None:
    cast = published
    p = cast.client(cast.viewer).get(_url(cast)).context["p"]
    assert (p.kind, p.total, p.maximum, p.percent) == ("total", Decimal(77), Decimal(85), 91)
    assert p.percent_exact == Decimal("90.58823529411764705882352941176471")
    assert [(g.code, g.score) for g in p.groups] == [
        ("I", 13), ("II", 32), ("III", 7), ("IV", 5), ("V", 8), ("VI", 12)]  # fmt: skip
    two = p.groups[1]
    assert [c.code for c in two.criteria] == [
        "II.a", "II.b.1.1", "II.b.1.2", "II.b.1.3", "II.b.2.1", "II.b.2.2", "II.b.2.3", "II.b.3"]  # fmt: skip
    assert sum(c.points for c in two.criteria) == two.score == Decimal(32)
    assert two.criteria[-1].rule == {"type": "yes_no"}
    assert sum(g.score for g in p.groups) == p.total
    assert (p.ranking.rank, p.ranking.ranked, p.ranking.by, p.ranking.ties, p.ranking.precision) == (
        2, 2, "percent", "competition", 0)  # fmt: skip


def test_the_rank_shows_the_ranking_rule_of_the_framework(published: Cast) -> None:
    page = published.client(published.head_a).get(_url(published, "rank"))
    assert page.context["p"].kind == "rank"
    html = page.content.decode()
    assert "2 / 2" in html


def test_the_api_returns_the_same_in_exact_decimals(published: Cast) -> None:
    cast = published
    data = cast.client(cast.admin).get(_url(cast, "II", api=True)).json()
    assert data["kind"] == "group" and data["revision"] == 1
    (group,) = data["groups"]
    assert group["score"] == "32" and group["maximum"] == "32"
    assert (group["percent"], group["percent_exact"]) == ("100", "100")
    total = cast.client(cast.admin).get(_url(cast, api=True)).json()
    assert total["percent"] == "91"  # as the results table prints it (whole percentages)
    assert total["percent_exact"] == "90.58823529411764705882352941176471"
    assert {g["code"]: g["percent"] for g in total["groups"]}["III"] == "47"  # 7 of 15
    assert {c["code"]: c["points"] for c in group["criteria"]}["II.b.3"] == "1"
    trail = cast.client(cast.admin).get(_url(cast, "III", api=True)).json()["criterion"]
    assert [d["value"] for d in trail["decisions"]] == ["10", "8", "", "7"]


def test_the_unit_reads_its_answers_but_not_names_or_the_trail(published: Cast) -> None:
    cast = published
    p = cast.client(cast.editor_a).get(_url(cast, "III")).context["p"]
    assert [d.value for d in p.criterion.decisions] == ["10", "8", "", "7"]
    assert all(d.by is None for d in p.criterion.decisions)
    assert p.criterion.entries == ()
    assert p.criterion.evidence[0].url is not None  # its own people download its files


def test_a_viewer_sees_names_but_no_file_links(published: Cast) -> None:
    p = published.client(published.viewer).get(_url(published, "III")).context["p"]
    assert p.criterion.evidence[0].url is None
    assert p.criterion.decisions[-1].by == "Reviewer"


def test_a_public_scorecard_gives_the_numbers_and_rules_not_the_answers(published: Cast) -> None:
    cast = published
    Cycle.objects.filter(pk=cast.cycle.pk).update(public_scorecards=True)
    page = cast.client(None).get(_url(cast, "III"))
    assert page.status_code == 200
    trail = page.context["p"].criterion
    assert trail.line.points == Decimal(7) and not trail.answers_shown
    assert trail.decisions == () and trail.evidence == () and trail.entries == ()
    data = cast.client(None).get(_url(cast, "III", api=True)).json()
    assert data["criterion"]["decisions"] == [] and data["criterion"]["line"]["points"] == "7"


def test_denials(published: Cast) -> None:
    cast = published
    # the other unit's people: 404; anonymous without public scorecards: log in / 404
    assert cast.client(cast.editor_b).get(_url(cast, "III")).status_code == 404
    assert cast.client(cast.editor_b).get(_url(cast, "III", api=True)).status_code == 404
    assert cast.client(None).get(_url(cast)).status_code == 302
    assert cast.client(None).get(_url(cast, api=True)).status_code == 404
    # another assessor's people
    other = Organisation.objects.create(name="Sở TT&TT tỉnh Gia Lai", place="Pleiku")
    stranger = make_user("stranger", Role.ADMIN, organisation=other)
    assert cast.client(stranger).get(_url(cast)).status_code == 404
    assert cast.client(stranger).get(_url(cast, api=True)).status_code == 404
    # an item the framework does not have
    response = cast.client(cast.admin).get(_url(cast, "IX", api=True))
    assert response.status_code == 404


def test_another_assessors_draft_is_404_and_the_own_draft_is_read(cast: Cast) -> None:
    _reviewed(cast)
    assert Cycle.objects.get(pk=cast.cycle.pk).state != CycleState.PUBLISHED
    p = cast.client(cast.admin).get(_url(cast, "III") + "&draft").context["p"]
    assert p.draft and p.revision is None and p.criterion.line.points == Decimal(7)
    assert cast.client(cast.head_a).get(_url(cast, "III")).status_code == 404
    other = Organisation.objects.create(name="Sở TT&TT tỉnh Gia Lai", place="Pleiku")
    stranger = make_user("stranger", Role.ADMIN, organisation=other)
    assert cast.client(stranger).get(_url(cast, "III") + "&draft").status_code == 404
    assert cast.client(stranger).get(_url(cast, "III", api=True) + "&draft=true").status_code == 404


def test_the_scorecard_and_the_table_link_to_it(published: Cast) -> None:
    cast = published
    card = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/")
    html = card.content.decode()
    assert _url(cast) in html and _url(cast, "III") in html and _url(cast, "rank") in html
    table = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/").content.decode()
    assert _url(cast) in table


def test_on_the_demo_every_units_criteria_add_up_to_its_published_groups(db: None) -> None:
    """Bình Định 2021 as published: Văn phòng UBND tỉnh has II.b not applicable (70 points),
    Sở Tài chính II.b.2 (79); each unit's criteria add up to its published groups, its
    groups to its published total."""
    cycle = create_demo()
    admin = User.objects.get(username="admin")
    complete_demo(cycle)
    to_review(cycle, admin)
    revision = results.publish(cycle, by=admin)
    client = Client()
    client.force_login(admin)
    checked, office = 0, False
    for participation in cycle.participations.select_related("unit"):
        url = f"/api/v1/results/{cycle.pk}/units/{participation.unit_id}/provenance"
        data = client.get(url).json()
        card = Stored(revision).scorecard(participation.unit_id)
        assert card is not None and data["total"] == _text(card.total)
        assert sum(Decimal(g["score"]) for g in data["groups"]) == card.total
        for group in data["groups"]:
            points = [c["points"] for c in group["criteria"] if c["how"] in ("full", "lost")]
            skipped = [c["how"] for c in group["criteria"] if c["how"] not in ("full", "lost")]
            assert set(skipped) <= {"not_applicable"}, (participation.unit, group["code"])
            assert sum(Decimal(p) for p in points) == Decimal(group["score"])
            checked += 1
        if participation.unit.name == "Văn phòng UBND tỉnh":
            office = True
            two = next(g for g in data["groups"] if g["code"] == "II")
            assert two["maximum"] == "17"
            assert {c["how"] for c in two["criteria"] if c["code"].startswith("II.b")} == {
                "not_applicable"
            }
    assert office and checked == 6 * cycle.participations.count()


def _text(value: Decimal | None) -> str | None:
    return None if value is None else str(value)


def test_only_the_units_reviewers_read_its_answers_among_reviewers(published: Cast) -> None:
    cast = published
    other = make_user("reviewer_2", Role.REVIEWER)
    p = cast.client(other).get(_url(cast, "III")).context["p"]
    assert p.criterion.line.points == Decimal(7) and not p.criterion.answers_shown
    assert p.criterion.decisions == () and p.criterion.evidence == ()
    own = cast.client(cast.reviewer).get(_url(cast, "III")).context["p"].criterion
    assert [d.value for d in own.decisions] == ["10", "8", "", "7"]
    assert own.evidence[0].url is not None and own.decisions[-1].by is None


def _noted_after_publication(cast: Cast, value: str) -> None:
    """Unit A's answer to III saved as ``value`` with a note, its cycle opened again for it."""
    own = submission_for(cast.part_a)
    Cycle.objects.filter(pk=cast.cycle.pk).update(state=CycleState.OPEN)
    Submission.objects.filter(pk=own.pk).update(state=SubmissionState.DRAFT)
    answer = own.answers.get(code="III")
    save_answer(own, "III", value=value, comment="Có trang tin", revision=answer.revision,
                by=cast.editor_a)  # fmt: skip


def _changed_after_publication(cast: Cast) -> None:
    """After the publication, Sở Tư pháp's III is answered 12 and round 2's verdict becomes 9,
    through the services (the cycle is moved back by hand: no page does that once published),
    each change in the audit trail."""
    cycle = Cycle.objects.get(pk=cast.cycle.pk)
    own = submission_for(cast.part_a)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.OPEN)
    Submission.objects.filter(pk=own.pk).update(state=SubmissionState.DRAFT)
    answer = own.answers.get(code="III")
    save_answer(submission_for(cast.part_a), "III", value="12", revision=answer.revision,
                by=cast.editor_a)  # fmt: skip
    Submission.objects.filter(pk=own.pk).update(state=SubmissionState.SUBMITTED)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.UNDER_REVIEW)
    Review.objects.filter(cycle=cycle).update(stage=Stage.ROUND_2)
    verdict = Verdict.objects.get(participation=cast.part_a, round=2, code="III")
    reviews.save_verdict(cast.part_a, "III", value="9", comment="Đã xem lại",
                         revision=verdict.revision, by=cast.reviewer)  # fmt: skip
    Review.objects.filter(cycle=cycle).update(stage=Stage.FINAL)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)


def test_the_answers_are_those_of_the_publication_with_later_changes_marked(
    published: Cast,
) -> None:
    cast = published
    _changed_after_publication(cast)
    page = cast.client(cast.admin).get(_url(cast, "III"))
    p = page.context["p"]
    assert p.criterion.line.points == Decimal(7)  # the published revision's
    steps = {d.step: d for d in p.criterion.decisions}
    assert [(d.step, d.value, d.counts) for d in p.criterion.decisions] == [
        ("self_assessed", "10", False),
        ("round_1", "8", False),
        ("response", "", False),
        ("round_2", "7", True),
    ]
    assert steps["round_2"].comment == "" and steps["round_2"].by == "Reviewer"
    assert steps["round_1"].changed_after == () and steps["response"].changed_after == ()
    (answer,) = steps["self_assessed"].changed_after
    assert (answer.old, answer.new, answer.by) == ("10", "12", "Editor_A")
    (verdict,) = steps["round_2"].changed_after
    assert (verdict.old, verdict.new, verdict.by) == ("7", "9", "Reviewer")
    assert verdict.at > p.published_at and steps["round_2"].at < p.published_at
    html = page.content.decode()
    assert "đã thay đổi sau khi công bố" in html and "7 → 9" in html and "10 → 12" in html
    # the unit reads the same values, the changes without names
    own = cast.client(cast.editor_a).get(_url(cast, "III")).context["p"].criterion
    assert [d.value for d in own.decisions] == ["10", "8", "", "7"]
    assert own.decisions[-1].changed_after[0].by is None
    # the API the same
    data = cast.client(cast.admin).get(_url(cast, "III", api=True)).json()
    decisions = data["criterion"]["decisions"]
    assert [d["value"] for d in decisions] == ["10", "8", "", "7"]
    assert [(c["old"], c["new"]) for c in decisions[-1]["changed_after"]] == [("7", "9")]
    assert decisions[-1]["counts"] and data["criterion"]["line"]["points"] == "7"


def test_a_verdict_added_after_publication_was_not_given_then(published: Cast) -> None:
    cast = published
    cycle = Cycle.objects.get(pk=cast.cycle.pk)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.UNDER_REVIEW)
    Review.objects.filter(cycle=cycle).update(stage=Stage.ROUND_2)
    reviews.save_verdict(cast.part_a, "VI", value="10", comment="Thiếu", revision=None,
                         by=cast.reviewer)  # fmt: skip
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    Review.objects.filter(cycle=cycle).update(stage=Stage.FINAL)
    decisions = cast.client(cast.admin).get(_url(cast, "VI")).context["p"].criterion.decisions
    assert [(d.step, d.given, d.counts) for d in decisions] == [
        ("self_assessed", True, True),
        ("round_2", False, False),
    ]
    assert [(c.old, c.new) for c in decisions[1].changed_after] == [("", "10")]


def test_a_note_changed_after_publication_keeps_the_published_value(published: Cast) -> None:
    cast = published
    _noted_after_publication(cast, "10")
    Cycle.objects.filter(pk=cast.cycle.pk).update(state=CycleState.PUBLISHED)
    decisions = cast.client(cast.admin).get(_url(cast, "III")).context["p"].criterion.decisions
    first = decisions[0]
    assert (first.step, first.value, first.comment, first.given) == (
        "self_assessed",
        "10",
        "",
        True,
    )
    assert [(c.old, c.new) for c in first.changed_after] == [("", "Có trang tin")]
    assert decisions[-1].changed_after == ()


def test_a_verdict_changed_in_english_is_read_back_all_the_same(published: Cast) -> None:
    """The entry's note says the round in the language of the reviewer's page."""
    cast = published
    cycle = Cycle.objects.get(pk=cast.cycle.pk)
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.UNDER_REVIEW)
    Review.objects.filter(cycle=cycle).update(stage=Stage.ROUND_2)
    verdict = Verdict.objects.get(participation=cast.part_a, round=2, code="III")
    with translation.override("en"):
        reviews.save_verdict(cast.part_a, "III", value="9", evidence_requested=True,
                             comment="Seen again", revision=verdict.revision, by=cast.reviewer)  # fmt: skip
    assert AuditEntry.objects.filter(note__startswith="Round 2 · more evidence").exists()
    Cycle.objects.filter(pk=cycle.pk).update(state=CycleState.PUBLISHED)
    Review.objects.filter(cycle=cycle).update(stage=Stage.FINAL)
    last = cast.client(cast.admin).get(_url(cast, "III")).context["p"].criterion.decisions[-1]
    assert (last.step, last.value, last.comment, last.counts) == ("round_2", "7", "", True)
    assert [(c.old, c.new) for c in last.changed_after] == [("7", "9")]


def test_the_services_write_what_their_notes_say_as_data(published: Cast) -> None:
    cast = published
    _changed_after_publication(cast)
    _noted_after_publication(cast, "12")
    entries = AuditEntry.objects.filter(unit=cast.unit_a, code="III").order_by("at", "pk")
    details = [(e.action, e.detail) for e in entries if e.action in ("answer", "review")]
    assert details[-1] == ("answer", {"field": "note"})
    assert ("answer", {"field": "value"}) in details
    assert details[-2] == ("review", {"round": 2, "evidence_requested": False})
    assert ("review", {"round": 1, "evidence_requested": False}) in details


def test_a_verdict_noted_in_words_no_catalogue_has_is_read_back_from_its_data(
    published: Cast,
) -> None:
    """A translation reworded since, or a language the site no longer offers: the round is
    the entry's data, not its words."""
    cast = published
    _changed_after_publication(cast)
    page = cast.client(cast.admin).get(_url(cast, "III"))
    before = [(d.step, d.value, d.comment, d.counts) for d in page.context["p"].criterion.decisions]
    for entry in AuditEntry.objects.filter(action="review"):
        words = entry.note.split(" · ")
        note = " · ".join([f"Runde {entry.detail['round']}", *words[1:]])
        AuditEntry.objects.filter(pk=entry.pk).update(note=note)
    assert not AuditEntry.objects.filter(action="review", note__startswith="Vòng").exists()
    page = cast.client(cast.admin).get(_url(cast, "III"))
    decisions = page.context["p"].criterion.decisions
    assert [(d.step, d.value, d.comment, d.counts) for d in decisions] == before
    assert [(c.old, c.new) for c in decisions[-1].changed_after] == [("7", "9")]


def _entry(pk: int, action: str, days: int, old: str, new: str, note: str, **detail: Any) -> Any:
    at = datetime.datetime(2026, 3, 1, tzinfo=datetime.UTC) + datetime.timedelta(days=days)
    return AuditEntry(pk=pk, action=action, at=at, actor_name="Reviewer", old=old, new=new,
                      note=note, detail=detail)  # fmt: skip


def test_a_comment_and_a_note_are_read_by_the_entries_data_in_any_words() -> None:
    published = datetime.datetime(2026, 3, 2, tzinfo=datetime.UTC)
    note, requested = "Anmerkung zur Antwort", "Runde 2 · Mehr Belege · Seite 3 · fehlt"
    entries = [
        _entry(1, "answer", 0, "", "10", "", field="value"),
        _entry(2, "answer", 0, "", "Có", note, field="note"),
        _entry(3, "review", 0, "", "8", requested, round=2, evidence_requested=True),
        _entry(4, "review", 2, "8", "9", "Runde 2", round=2, evidence_requested=False),
        _entry(5, "answer", 2, "Có", "Không", note, field="note"),
    ]
    steps = steps_then(entries, published)
    verdict, answer = steps["round_2"], steps["self_assessed"]
    assert (verdict.value, verdict.comment, verdict.value_changed) == ("8", "Seite 3 · fehlt", True)
    assert (answer.comment, answer.comment_changed, answer.value_changed) == ("Có", True, False)
    # written before the trail kept the data: read from the notes, in a language of the site
    for entry in entries:
        entry.detail = {}
    assert set(steps_then(entries, published)) == {"self_assessed"}  # not in these words
    words = {note: "Note on the answer", requested: "Round 2 · more evidence requested · Seite 3 · fehlt",
             "Runde 2": "Vòng 2"}  # fmt: skip
    for entry in entries:
        entry.note = words.get(entry.note, entry.note)
    assert steps_then(entries, published) == steps
