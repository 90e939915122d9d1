"""Results, scorecards, publication and the public page."""

from __future__ import annotations

import csv
import html
import json
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.utils import translation
from tests.web.conftest import Cast, run_jobs

from chiso.cli import main as chiso
from chiso.core import UnitData
from chiso.demo import demo_file
from chiso.web.accounts.models import User
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.console.demo import create_demo
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.cycles.services import change_state
from chiso.web.results import services
from chiso.web.results.models import ResultRevision
from chiso.web.results.snapshot import Computed, Stored
from chiso.web.reviews.selectors import final_unit_data
from chiso.web.submissions.models import Answer, Submission, SubmissionState

PUBLISHED = Path(__file__).parents[1] / "data" / "binh-dinh-2021" / "published"
PREVIOUS_2020 = demo_file("binh-dinh-2020-ranks.csv")


# --- helpers ------------------------------------------------------------------------------


def give_answers(participation: Participation, answers: dict[str, str], *, na: str = "") -> None:
    """The unit's submitted self-assessment with these answers (replacing any earlier ones)."""
    submission, _ = Submission.objects.get_or_create(participation=participation)
    submission.answers.all().delete()
    for code, value in answers.items():
        if value:
            Answer.objects.create(submission=submission, code=code, value=value)
    if na:
        Answer.objects.create(submission=submission, code=na, not_applicable=True)
    submission.state = SubmissionState.SUBMITTED
    submission.save()


def complete_demo(cycle: Cycle) -> None:
    """Every demo unit submits its published answers (the demo leaves some as drafts)."""
    with demo_file("binh-dinh-2021-web.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            participation = cycle.participations.get(unit__name=row.pop("unit"))
            row.pop("block")
            give_answers(participation, row, na=row.pop("not_applicable"))


def to_review(cycle: Cycle, admin: User) -> None:
    change_state(cycle, CycleState.UNDER_REVIEW, by=admin)


def upload(path: Path | str, name: str | None = None) -> SimpleUploadedFile:
    path = Path(path)
    return SimpleUploadedFile(name or path.name, path.read_bytes(), content_type="text/csv")


def write_data_file(units: list[UnitData], path: Path) -> None:
    """The answers in the DATA format of ``chiso score`` (docs/cli.md)."""
    codes: list[str] = []
    evidence: list[str] = []
    for unit in units:
        for code, answer in unit.answers.items():
            if not answer.not_applicable and code not in codes:
                codes.append(code)
            if answer.evidence and code not in evidence:
                evidence.append(code)
    header = ["unit", "block", "status", "not_applicable", *codes]
    header += [f"{code}:evidence" for code in evidence]
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(header)
        for unit in units:
            row = {
                "unit": unit.unit,
                "block": unit.block,
                "status": "" if unit.status == "submitted" else unit.status.value,
                "not_applicable": ";".join(c for c, a in unit.answers.items() if a.not_applicable),
            }
            for code, answer in unit.answers.items():
                if answer.not_applicable or answer.value is None:
                    continue
                value = answer.value
                row[code] = f"{value}/{answer.denominator}" if answer.denominator else str(value)
                if answer.evidence:
                    row[f"{code}:evidence"] = "1"
            writer.writerow([row.get(column, "") for column in header])


def computed_results(computed: Computed) -> dict[str, Any]:
    """The JSON contract of results computed now."""
    data: dict[str, Any] = json.loads(computed.results_text())
    return data


def cli_json(
    cycle: Cycle, units: list[UnitData], folder: Path, capsys: Any, previous: list[Path]
) -> dict[str, Any]:
    framework = folder / "framework.yaml"
    framework.write_text(cycle.framework.source, encoding="utf-8")
    data = folder / "answers.csv"
    write_data_file(units, data)
    argv = ["score", "--framework", str(framework), "--data", str(data), "--format", "json"]
    for path in previous:
        argv += ["--previous", str(path)]
    capsys.readouterr()
    assert chiso(argv) == 0
    return json.loads(capsys.readouterr().out)


@pytest.fixture
def demo(db: None) -> Cycle:
    return create_demo()


@pytest.fixture
def admin(demo: Cycle) -> User:
    return User.objects.get(username="admin")


def logged_in(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def main_of(response: Any) -> str:
    """The page's content, without the header (which carries a per-request CSRF token)."""
    return str(response.content.decode().split("<main>")[1])


def api(cycle: Cycle, client: Client | None = None) -> Any:
    return (client or Client()).get(f"/api/v1/results/{cycle.pk}")


# --- results equal the core's command ------------------------------------------------------


def test_published_results_equal_chiso_score_on_the_exported_answers(
    demo: Cycle, admin: User, tmp_path: Path, capsys: Any
) -> None:
    services.import_previous(demo, upload(PREVIOUS_2020), by=admin)
    to_review(demo, admin)
    expected = cli_json(demo, final_unit_data(demo), tmp_path, capsys, [PREVIOUS_2020])
    draft = logged_in(admin).get(f"/results/{demo.pk}/")
    assert "Sở Tư pháp" in draft.content.decode()  # a draft unit: listed without data

    services.publish(demo, by=admin)

    response = api(demo)
    assert response.status_code == 200
    assert response.json() == expected
    assert response["X-Results-Revision"] == "1"
    statuses = {u["unit"]: u["status"] for b in expected["blocks"] for u in b["units"]}
    assert statuses["UBND huyện Vân Canh"] == "no_data"
    # its scorecard says it has no total, not a blank
    unit = demo.participations.get(unit__name="UBND huyện Vân Canh").unit
    card = logged_in(admin).get(f"/results/{demo.pk}/units/{unit.pk}/").content.decode()
    total = card.split("Tổng điểm</th>")[1].split("</td>")[0]
    assert re.search(r'<td class="num">— / [\d,]+ ', total), total


def test_published_results_equal_chiso_score_on_the_assessors_export(
    demo: Cycle, admin: User, tmp_path: Path, capsys: Any
) -> None:
    to_review(demo, admin)
    services.publish(demo, by=admin)
    export = logged_in(admin).get(f"/cycles/{demo.pk}/export.csv")
    assert export.status_code == 200
    data = tmp_path / "export.csv"
    data.write_bytes(export.content)
    capsys.readouterr()
    argv = ["score", "--framework", "binh-dinh-2021", "--data", str(data), "--format", "json"]
    assert chiso([*argv, "--previous", str(PREVIOUS_2020)]) == 0
    assert api(demo).json() == json.loads(capsys.readouterr().out)


def test_draft_results_equal_chiso_score_with_every_unit_submitted(
    demo: Cycle, tmp_path: Path, capsys: Any
) -> None:
    complete_demo(demo)
    expected = cli_json(demo, final_unit_data(demo), tmp_path, capsys, [PREVIOUS_2020])
    assert computed_results(services.compute(demo)) == expected
    # the exported answers score as the demo's own data file does
    capsys.readouterr()
    web_csv = str(demo_file("binh-dinh-2021-web.csv"))
    argv = ["score", "--framework", "binh-dinh-2021", "--data", web_csv, "--format", "json"]
    chiso([*argv, "--previous", str(PREVIOUS_2020)])
    assert json.loads(capsys.readouterr().out) == expected


def _published_rows(table: str) -> list[dict[str, str]]:
    with (PUBLISHED / f"{table}.csv").open(encoding="utf-8") as handle:
        return [r for r in csv.DictReader(handle) if r["tt"].strip().isdigit()]


def test_binh_dinh_demo_results_equal_the_published_bang_1_and_2(demo: Cycle, admin: User) -> None:
    complete_demo(demo)
    services.import_previous(demo, upload(PREVIOUS_2020), by=admin)
    to_review(demo, admin)
    services.publish(demo, by=admin)
    results = api(demo).json()
    units = {u["unit"].casefold(): u for b in results["blocks"] for u in b["units"]}
    for table in ("bang-1", "bang-2"):
        above = None
        for row in _published_rows(table):
            unit = units[row["ten_co_quan"].casefold()]
            assert Decimal(str(unit["total"])) == Decimal(row["tong_diem"]), row["ten_co_quan"]
            # a blank rank is a merged cell: the rank printed above goes on
            above = int(row["xep_hang_2021"]) if row["xep_hang_2021"] else above
            if row["ten_co_quan"] != "Sở Tư pháp":  # BD-1: printed 9, its points give 4
                assert unit["rank"] == above, row["ten_co_quan"]
            if row["xep_hang_2020"]:
                assert unit["previous"][0]["rank"] == int(row["xep_hang_2020"])
    assert units["sở tư pháp"]["rank"] == 4


# --- the public page -----------------------------------------------------------------------


@pytest.fixture
def published(demo: Cycle, admin: User) -> Cycle:
    complete_demo(demo)
    services.import_previous(demo, upload(PREVIOUS_2020), by=admin)
    to_review(demo, admin)
    services.publish(demo, by=admin)
    return demo


def test_public_page_shows_the_ranking_tables_in_vietnamese(published: Cycle) -> None:
    response = Client().get(f"/results/{published.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Bảng 1. Kết quả đánh giá, xếp hạng tổng thể năm 2021 của Sở, ban, ngành" in page
    assert "Bảng 2." in page and "Bảng 1.1" in page
    assert re.search(r'<tr class="section"><th colspan="13"><span>Mức tốt</span></th></tr>', page)
    assert "Mức khá" not in page  # every unit of Bảng 1 is "tốt": Bảng 2 is a page of its own
    table_2 = Client().get(f"/results/{published.pk}/?table=2").content.decode()
    assert "Mức khá" in table_2.split('id="bang-2"')[1].split("</table>")[0]
    # Sở Tài chính: 79 of its own 79 points, rank 1, 1st in 2020 too: "="
    row = page.split("Sở Tài chính*</td>")[1].split("</tr>")[0]
    cells = [c.split(">")[-1] for c in row.split("</td>")][:-1]
    assert cells == ["13", "26", "15", "5", "8", "12", "79", "100", "1", "1", "="]
    assert "So sánh với 2020" in page
    assert '<td class="num">78,9</td>' not in page  # 21 units with data: the mean is 79,3
    assert '<th>Điểm trung bình</th><td class="num">79,3</td>' in page
    assert "Draft" not in page and "Bản nháp" not in page


def test_public_page_has_the_charts_as_images(published: Cycle) -> None:
    page = Client().get(f"/results/{published.pk}/").content.decode()
    for key in ("tiers-so", "tiers-huyen", "units-so", "units-huyen", "groups"):
        url = f"/results/{published.pk}/charts/{key}.png"
        assert f'src="{url}"' in page
        image = Client().get(url)
        assert image.status_code == 200
        assert image["Content-Type"] == "image/png"
        assert image.content.startswith(b"\x89PNG")
    assert "Hình 1. Tỷ lệ đơn vị theo mức xếp loại — Sở, ban, ngành" in page
    assert Client().get(f"/results/{published.pk}/charts/nothing.png").status_code == 404


def test_results_list_is_public_and_lists_only_published_cycles(published: Cycle) -> None:
    draft = Cycle.objects.create(
        organisation=published.organisation,
        name="Đánh giá năm 2022",
        year=2022,
        framework=published.framework,
    )
    page = Client().get("/results/").content.decode()
    assert published.name in page
    assert draft.name not in page
    listed = Client().get("/api/v1/results/").json()
    assert [c["id"] for c in listed] == [published.pk]


# --- publication freezes, corrections are revisions ------------------------------------------


def test_publish_freezes_the_results_against_later_answer_changes(
    published: Cycle, admin: User
) -> None:
    before = api(published).json()
    page_before = main_of(Client().get(f"/results/{published.pk}/"))
    # Sở Xây dựng's VI goes from 11 to 12 after publication
    Answer.objects.filter(submission__participation__unit__name="Sở Xây dựng", code="VI").update(
        value="12"
    )

    assert api(published).json() == before
    assert main_of(Client().get(f"/results/{published.pk}/")) == page_before
    draft = logged_in(admin).get(f"/results/{published.pk}/?draft").content.decode()
    assert "Bản nháp" in draft

    revision = services.correct(published, reason="Sai điểm mục VI của Sở Xây dựng", by=admin)

    assert revision.number == 2
    after = api(published).json()
    assert after != before
    unit = next(u for u in after["blocks"][0]["units"] if u["unit"] == "Sở Xây dựng")
    assert unit["total"] == 85
    assert api(published)["X-Results-Revision"] == "2"
    entry = AuditEntry.objects.filter(action=Action.PUBLISHED).first()
    assert entry is not None
    assert (entry.old, entry.new, entry.note) == ("1", "2", "Sai điểm mục VI của Sở Xây dựng")
    assert entry.actor == admin
    first = ResultRevision.objects.get(cycle=published, number=1)
    assert json.loads(Stored(first).results_text()) == before  # kept as it was
    assert first.framework == published.framework


def test_a_correction_states_what_it_changes_and_keeps_the_reason_when_refused(
    published: Cycle, admin: User
) -> None:
    client = logged_in(admin)
    url = f"/results/{published.pk}/correct/"
    unchanged = client.get(url)
    assert "Không có tổng điểm, thứ hạng hay mức nào thay đổi so với lần công bố 1" in (
        unchanged.content.decode()
    )
    Answer.objects.filter(submission__participation__unit__name="Sở Xây dựng", code="VI").update(
        value="12"
    )
    page = client.get(url)
    html = page.content.decode()
    assert "Lần công bố 2 được công bố kèm lý do và thay thế lần công bố 1" in html
    assert "1 đơn vị thay đổi tổng điểm." in html
    stale = client.post(url, {"reason": "Sai điểm mục VI", "seen": unchanged.context["seen"]})
    assert stale.status_code == 409 and published.revisions.count() == 1
    assert ">Sai điểm mục VI</textarea>" in stale.content.decode()  # the reason is kept
    done = client.post(url, {"reason": "Sai điểm mục VI", "seen": stale.context["seen"]})
    assert done.status_code == 302 and published.revisions.count() == 1
    run_jobs()
    assert "Đã công bố đính chính (lần 2)" in client.get(done["Location"]).content.decode()
    assert published.revisions.order_by("-number").first().reason == "Sai điểm mục VI"


def test_correction_needs_a_reason_and_a_published_cycle(demo: Cycle, admin: User) -> None:
    with pytest.raises(services.ResultsError, match="hãy công bố trước"):
        services.correct(demo, reason="x", by=admin)
    to_review(demo, admin)
    services.publish(demo, by=admin)
    with pytest.raises(services.ResultsError, match="cần ghi rõ lý do"):
        services.correct(demo, reason="  ", by=admin)
    with pytest.raises(services.ResultsError, match="ký tự điều khiển"):
        services.correct(demo, reason="Sai\x00 điểm", by=admin)  # PostgreSQL stores no NUL
    assert demo.revisions.count() == 1


def publish_on_the_page(client: Client, cycle: Cycle) -> Any:
    """Publish as the assessor does: the confirmation page, then its button; the worker
    runs the job, and the job's page is shown."""
    seen = client.get(f"/results/{cycle.pk}/publish/").context["seen"]
    job_page = client.post(f"/results/{cycle.pk}/publish/", {"seen": seen})
    assert job_page.status_code == 302 and job_page["Location"].startswith("/jobs/")
    run_jobs()
    return client.get(job_page["Location"])


def test_publish_through_the_page_records_who_and_when(demo: Cycle, admin: User) -> None:
    to_review(demo, admin)
    response = publish_on_the_page(logged_in(admin), demo)
    assert response.status_code == 200
    demo.refresh_from_db()
    assert demo.state == CycleState.PUBLISHED
    revision = demo.revisions.get()
    assert revision.published_by == admin
    assert AuditEntry.objects.filter(action=Action.CYCLE_STATE, new="published").exists()
    assert AuditEntry.objects.filter(action=Action.PUBLISHED, new="1").exists()


def test_publishing_states_what_it_freezes_and_refuses_a_stale_confirmation(
    demo: Cycle, admin: User
) -> None:
    to_review(demo, admin)
    client = logged_in(admin)
    page = client.get(f"/results/{demo.pk}/publish/")
    assert page.status_code == 200 and not demo.revisions.exists()
    units = demo.participations.count()
    submitted = demo.participations.filter(submission__state=SubmissionState.SUBMITTED).count()
    html = page.content.decode()
    assert f"{submitted} đơn vị được xếp hạng" in html
    assert f"{units - submitted} đơn vị không nộp: có tên trong danh sách, không có kết quả" in html
    assert "Chưa thẩm định: kết quả tính theo các câu trả lời đã nộp" in html
    seen = page.context["seen"]
    # meanwhile a unit's answer changes (the assessor reopened, the unit corrected, resubmitted)
    answer = Answer.objects.filter(submission__state=SubmissionState.SUBMITTED, code="III").first()
    answer.value = "0" if answer.value != "0" else "1"
    answer.save()
    stale = client.post(f"/results/{demo.pk}/publish/", {"seen": seen})
    assert stale.status_code == 409 and "đã thay đổi" in stale.context["refused"]
    demo.refresh_from_db()
    assert demo.state == CycleState.UNDER_REVIEW and not demo.revisions.exists()
    unconfirmed = client.post(f"/results/{demo.pk}/publish/")
    assert unconfirmed.status_code == 409 and not demo.revisions.exists()
    client.post(f"/results/{demo.pk}/publish/", {"seen": stale.context["seen"]})
    assert not demo.revisions.exists()  # the worker publishes
    run_jobs()
    assert demo.revisions.count() == 1
    published = client.get(f"/results/{demo.pk}/publish/")
    assert published.status_code == 200 and "bản đính chính" in published.context["blocked"]


def test_publish_of_an_open_cycle_is_refused_with_the_reason(demo: Cycle, admin: User) -> None:
    client = logged_in(admin)
    page = client.get(f"/results/{demo.pk}/publish/")
    assert "khi kỳ đánh giá đang thẩm định" in page.context["blocked"]
    assert 'name="seen"' not in page.content.decode()  # no button to press
    response = client.post(f"/results/{demo.pk}/publish/", {"seen": "x"}, follow=True)
    assert "khi kỳ đánh giá đang thẩm định" in response.content.decode()
    assert run_jobs() == 0
    assert not demo.revisions.exists()


# --- permissions ---------------------------------------------------------------------------


def test_anonymous_sees_only_published_cycles(cast: Cast) -> None:
    anonymous = cast.client(None)
    assert anonymous.get(f"/results/{cast.cycle.pk}/").status_code == 404
    assert anonymous.get(f"/results/{cast.cycle.pk}/charts/tiers-so.png").status_code == 404
    assert api(cast.cycle).status_code == 404
    to_review(cast.cycle, cast.admin)
    services.publish(cast.cycle, by=cast.admin)
    assert anonymous.get(f"/results/{cast.cycle.pk}/").status_code == 200
    assert api(cast.cycle).status_code == 200


def test_assessor_and_viewer_see_the_draft_marked_draft(cast: Cast) -> None:
    for user in (cast.admin, cast.viewer):
        response = cast.client(user).get(f"/results/{cast.cycle.pk}/")
        assert response.status_code == 200
        assert 'class="draft-banner"' in response.content.decode()


def test_reviewer_and_unit_people_do_not_see_the_draft(cast: Cast) -> None:
    for user in (cast.reviewer, cast.editor_a, cast.head_b):
        assert cast.client(user).get(f"/results/{cast.cycle.pk}/").status_code == 404


def test_unit_sees_its_scorecard_only_after_publication(cast: Cast) -> None:
    url = f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/"
    assert cast.client(cast.editor_a).get(url).status_code == 404
    to_review(cast.cycle, cast.admin)
    services.publish(cast.cycle, by=cast.admin)
    assert cast.client(cast.editor_a).get(url).status_code == 200
    assert cast.client(cast.head_a).get(url).status_code == 200


def test_editor_of_other_unit_gets_404_for_a_scorecard(cast: Cast) -> None:
    url = f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/"
    assert cast.client(cast.editor_b).get(url).status_code == 404
    to_review(cast.cycle, cast.admin)
    services.publish(cast.cycle, by=cast.admin)
    assert cast.client(cast.editor_b).get(url).status_code == 404
    assert cast.client(cast.editor_b).get(url + "chart.png").status_code == 404


def test_assessor_and_viewer_see_every_scorecard_before_publication(cast: Cast) -> None:
    url = f"/results/{cast.cycle.pk}/units/{cast.unit_b.pk}/"
    assert cast.client(cast.admin).get(url).status_code == 200
    assert cast.client(cast.viewer).get(url).status_code == 200
    assert cast.client(cast.reviewer).get(url).status_code == 404


def test_anonymous_is_sent_to_login_for_a_scorecard(cast: Cast) -> None:
    response = cast.client(None).get(f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/")
    assert response.status_code == 302


def test_only_the_assessor_publishes_corrects_and_imports(cast: Cast) -> None:
    to_review(cast.cycle, cast.admin)
    for user in (cast.viewer, cast.reviewer, cast.head_a):
        client = cast.client(user)
        assert client.get(f"/results/{cast.cycle.pk}/publish/").status_code == 403
        assert client.post(f"/results/{cast.cycle.pk}/publish/", {"seen": "x"}).status_code == 403
        assert client.post(f"/results/{cast.cycle.pk}/correct/", {"reason": "x"}).status_code == 403
        previous = upload(PREVIOUS_2020)
        assert (
            client.post(f"/results/{cast.cycle.pk}/previous/", {"file": previous}).status_code
            == 403
        )
    cast.cycle.refresh_from_db()
    assert cast.cycle.state == CycleState.UNDER_REVIEW
    assert not cast.cycle.revisions.exists()


# --- the scorecard -------------------------------------------------------------------------


def lost_rows(page: str) -> list[list[str]]:
    table = page.split('<table class="grid lost">')[1].split("</table>")[0]
    rows = table.split("<tbody>")[1].split("</tr>")[:-1]
    return [re.findall(r"<td[^>]*>([^<]*)</td>", row) for row in rows]


def test_unit_scorecard_shows_score_rank_and_the_points_lost(published: Cycle) -> None:
    head = User.objects.get(username="head")  # Sở Tư pháp
    assert head.unit is not None
    url = f"/results/{published.pk}/units/{head.unit.pk}/"
    page = logged_in(head).get(url).content.decode()
    # Bảng 1: 84 of 85 points, 99 %; rank 4 by its points (printed 9, BD-1)
    assert "84 / 85" in page
    assert "4 / 21" in page
    assert lost_rows(page) == [["VI. Nhân lực và đầu tư cho ứng dụng CNTT", "11", "12", "1", ""]]
    assert f'src="{url}chart.png"' in page
    assert logged_in(head).get(url + "chart.png").content.startswith(b"\x89PNG")


def test_scorecard_lists_the_criteria_where_points_were_lost_largest_first(
    published: Cycle, admin: User
) -> None:
    unit = published.participations.get(unit__name="Ban Dân tộc").unit
    page = logged_in(admin).get(f"/results/{published.pk}/units/{unit.pk}/").content.decode()
    rows = lost_rows(page)
    losses = [Decimal(row[3].replace(",", ".")) for row in rows]
    assert len(rows) > 2
    assert losses == sorted(losses, reverse=True)
    assert all(Decimal(r[2]) - Decimal(r[1]) == loss for r, loss in zip(rows, losses, strict=True))
    # the total lost is what the unit misses of its own maximum (70 points, no online services)
    assert sum(losses) == 70 - 63


def test_scorecard_shows_the_change_against_the_previous_year(published: Cycle) -> None:
    admin = User.objects.get(username="admin")
    unit = published.participations.get(unit__name="Sở Xây dựng").unit
    page = logged_in(admin).get(f"/results/{published.pk}/units/{unit.pk}/").content.decode()
    # 2020: 5th; 2021: 4th → up one place
    assert "5 (+1)" in page


# --- earlier years -------------------------------------------------------------------------


def test_imported_previous_year_gives_the_rank_change_column(demo: Cycle, admin: User) -> None:
    demo.previous_results.all().delete()
    client = logged_in(admin)
    assert "So sánh với 2020" not in client.get(f"/results/{demo.pk}/").content.decode()
    job_page = client.post(f"/results/{demo.pk}/previous/", {"file": upload(PREVIOUS_2020)})
    assert run_jobs() == 1  # the worker imports
    assert "Đã nhập 32 kết quả các năm trước" in client.get(job_page["Location"]).content.decode()
    page = client.get(f"/results/{demo.pk}/?draft").content.decode()
    assert "So sánh với 2020" in page
    assert AuditEntry.objects.filter(action=Action.PREVIOUS_IMPORTED, new="2020").count() == 2
    assert demo.previous_results.count() == 32


def test_bad_previous_file_is_one_line_naming_file_row_and_column(demo: Cycle, admin: User) -> None:
    bad = SimpleUploadedFile(
        "ket-qua-2020.csv",
        "unit,block,year,rank,score\nSở Tài chính,so,2020,1,\nSở Xây dựng,so,2020,năm,\n".encode(),
    )
    demo.previous_results.all().delete()
    client = logged_in(admin)
    job_page = client.post(f"/results/{demo.pk}/previous/", {"file": bad})
    run_jobs()
    response = client.get(job_page["Location"])  # the job's page: the error, in one line
    page = html.unescape(response.content.decode())
    assert "ket-qua-2020.csv, dòng 3, cột 'rank': 'năm' không phải là thứ hạng" in page
    # the error is the file's: trying it again would fail again, a corrected file is asked for
    assert f'href="/results/{demo.pk}/?draft#previous-results">Tải lên tệp đã sửa</a>' in page
    assert "/retry/" not in page
    assert not demo.previous_results.exists()


BAD_SCORE = "unit,block,year,rank,score\nSở Xây dựng,so,2020,1,9x\n"
NO_RANK = "Tên cơ quan, đơn vị;Khối;Năm;Tổng điểm\nSở Xây dựng;so;2020;9\n"


@pytest.mark.parametrize(
    ("language", "text", "expected"),
    [
        ("vi", BAD_SCORE, "ket-qua-2020.csv, dòng 2, cột 'score': '9x' không phải là số"),
        ("en", BAD_SCORE, "ket-qua-2020.csv, row 2, column 'score': '9x' is not a number"),
        # a missing column: first as the results sheet heads it on the Vietnamese page
        ("vi", NO_RANK, "ket-qua-2020.csv, dòng 1: thiếu cột 'Xếp hạng' (hoặc 'rank')"),
        ("en", NO_RANK, "ket-qua-2020.csv, row 1: missing column 'rank' (or 'Xếp hạng')"),
    ],
)
def test_bad_previous_file_reads_in_the_language_of_the_page(
    demo: Cycle, admin: User, language: str, text: str, expected: str
) -> None:
    bad = SimpleUploadedFile("ket-qua-2020.csv", text.encode())
    client = logged_in(admin)
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    try:
        job_page = client.post(f"/results/{demo.pk}/previous/", {"file": bad})
        run_jobs()
        assert expected in html.unescape(client.get(job_page["Location"]).content.decode())
    finally:
        translation.deactivate()  # the language the page left active: not the next test's


def test_previous_year_of_the_cycle_year_is_refused_naming_its_row(
    demo: Cycle, admin: User
) -> None:
    late = SimpleUploadedFile(
        "late.csv", b"unit,block,year,rank,score\nX,so,2020,1,\nY,so,2021,1,\n"
    )
    with pytest.raises(services.ResultsError, match=r"late\.csv, dòng 3, cột 'year': 2021 không"):
        services.import_previous(demo, late, by=admin)


def test_previous_scores_are_kept_exactly(demo: Cycle, admin: User) -> None:
    """A score of another system with more decimals than a database column keeps: the score
    change against it is exact."""
    exact = "82.123456789012345678"
    upload = SimpleUploadedFile(
        "2020.csv", f"unit,block,year,rank,score\nSở Tài chính,so,2020,1,{exact}\n".encode()
    )
    services.import_previous(demo, upload, by=admin)
    (earlier,) = services.previous_results(demo)
    assert earlier.score == Decimal(exact)


@pytest.mark.parametrize(
    ("row", "column", "message"),
    [
        ("X,so,2020,1,,Trung binh", "tier", "mức xếp loại không xác định 'Trung binh'"),
        ("X,xa,2020,1,,", "block", "khối không xác định 'xa' (các khối có: so, huyen)"),
    ],
)
def test_previous_tier_and_block_are_the_frameworks(
    demo: Cycle, admin: User, row: str, column: str, message: str
) -> None:
    bad = SimpleUploadedFile("2020.csv", f"unit,block,year,rank,score,tier\n{row}\n".encode())
    with pytest.raises(
        services.ResultsError, match=re.escape(f"2020.csv, dòng 2, cột {column!r}: {message}")
    ):
        services.import_previous(demo, bad, by=admin)


def earlier_cycle(cast: Cast) -> Cycle:
    """The demo's cycle of the year before (2020), on the same framework, under review."""
    return Cycle.objects.create(
        organisation=cast.organisation,
        name="Đánh giá năm 2020",
        year=2020,
        framework=cast.cycle.framework,
        state=CycleState.UNDER_REVIEW,
    )


def test_earlier_published_cycle_gives_previous_ranks_matched_by_unit(cast: Cast) -> None:
    earlier = earlier_cycle(cast)
    points = {"I": "13", "II": "30", "III": "15", "IV": "5", "V": "8", "VI": "12"}
    weaker = {**points, "I": "10"}
    give_answers(Participation.objects.create(cycle=earlier, unit=cast.unit_a, block="so"), weaker)
    give_answers(Participation.objects.create(cycle=earlier, unit=cast.unit_b, block="so"), points)
    services.publish(earlier, by=cast.admin)
    # the unit is renamed the next year: it is the same unit
    cast.unit_a.name = "Sở Tư pháp tỉnh Bình Định"
    cast.unit_a.save()
    give_answers(cast.part_a, points)
    give_answers(cast.part_b, weaker)

    results = computed_results(services.compute(cast.cycle))

    units = {u["unit"]: u for u in results["blocks"][0]["units"]}
    assert units["Sở Tư pháp tỉnh Bình Định"]["previous"] == [
        {"year": 2020, "rank": 2, "score": 80, "rank_change": 1, "score_change": 3}
    ]
    assert units["Sở Y tế"]["previous"][0]["rank_change"] == -1


def test_a_unit_that_changed_block_has_no_change_of_rank_against_its_old_block(
    cast: Cast,
) -> None:
    """Ranks are per block: Sở Tư pháp, ranked among the districts in 2020, is not compared
    with that rank among the departments in 2021; the districts' 2020 statistics count it."""
    earlier = earlier_cycle(cast)
    points = {"I": "13", "II": "30", "III": "15", "IV": "5", "V": "8", "VI": "12"}
    weaker = {**points, "I": "10"}
    give_answers(
        Participation.objects.create(cycle=earlier, unit=cast.unit_a, block="huyen"), points
    )
    give_answers(Participation.objects.create(cycle=earlier, unit=cast.unit_b, block="so"), weaker)
    give_answers(
        Participation.objects.create(cycle=earlier, unit=cast.district.unit, block="huyen"), weaker
    )
    services.publish(earlier, by=cast.admin)
    give_answers(cast.part_a, weaker)
    give_answers(cast.part_b, points)
    give_answers(cast.district, points)

    so, huyen = computed_results(services.compute(cast.cycle))["blocks"]

    units = {u["unit"]: u for u in so["units"]}
    assert units["Sở Tư pháp"]["previous"] == [
        {"year": 2020, "rank": None, "score": None, "rank_change": None, "score_change": None}
    ]
    assert units["Sở Y tế"]["previous"] == [
        {"year": 2020, "rank": 1, "score": 80, "rank_change": 0, "score_change": 3}
    ]
    (district,) = huyen["units"]
    assert district["previous"][0]["rank"] == 2
    assert [(p["year"], p["count"]) for p in so["stats"]["previous"]] == [(2020, 1)]
    assert [(p["year"], p["count"]) for p in huyen["stats"]["previous"]] == [(2020, 2)]


def test_imported_year_replaces_the_history_of_that_year(cast: Cast) -> None:
    earlier = earlier_cycle(cast)
    points = {"I": "13", "II": "30", "III": "15", "IV": "5", "V": "8", "VI": "12"}
    give_answers(Participation.objects.create(cycle=earlier, unit=cast.unit_a, block="so"), points)
    services.publish(earlier, by=cast.admin)
    file = SimpleUploadedFile(
        "2020.csv", "unit,block,year,rank,score\nSở Tư pháp,so,2020,7,\n".encode()
    )
    services.import_previous(cast.cycle, file, by=cast.admin)
    give_answers(cast.part_a, points)

    results = computed_results(services.compute(cast.cycle))

    unit = next(u for u in results["blocks"][0]["units"] if u["unit"] == "Sở Tư pháp")
    assert unit["previous"][0]["rank"] == 7


def test_a_cycle_of_2020_on_the_framework_of_2021_says_2020(cast: Cast) -> None:
    """A framework version may serve several years: the results, a scorecard and the published
    documents of a 2020 cycle on the 2021 framework say 2020, never the framework's 2021."""
    import io

    import docx

    earlier = earlier_cycle(cast)
    points = {"I": "13", "II": "30", "III": "15", "IV": "5", "V": "8", "VI": "12"}
    give_answers(Participation.objects.create(cycle=earlier, unit=cast.unit_a, block="so"), points)
    services.publish(earlier, by=cast.admin)

    assert api(earlier).json()["year"] == 2020
    page = main_of(Client().get(f"/results/{earlier.pk}/"))
    assert "Bảng 1. Kết quả đánh giá, xếp hạng tổng thể năm 2020 của Sở, ban, ngành" in page
    assert "Xếp hạng 2020" in page and "2021" not in page
    card = cast.client(cast.head_a).get(f"/results/{earlier.pk}/units/{cast.unit_a.pk}/")
    assert card.status_code == 200
    assert "<title>Sở Tư pháp — 2020" in card.content.decode()
    stored = Stored(earlier.revisions.get()).scorecard(cast.unit_a.pk)
    assert stored is not None and stored.year == 2020
    assert stored.framework.endswith("tỉnh Bình Định năm 2020")
    response = Client().get(f"/results/{earlier.pk}/ket-qua.docx")
    assert 'filename="ket-qua-2020.docx"' in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    texts = [p.text for p in document.paragraphs]
    assert texts[1].endswith("tỉnh Bình Định năm 2020")
    assert "Bảng 1. Kết quả đánh giá, xếp hạng tổng thể năm 2020 của Sở, ban, ngành" in texts
    assert not [t for t in texts if "năm 2021" in t]


# --- the publication documents -------------------------------------------------------------


def test_published_documents_are_public_and_hold_the_published_tables(published: Cycle) -> None:
    import io

    import docx
    import openpyxl

    client = Client()
    response = client.get(f"/results/{published.pk}/ket-qua.docx")
    assert response.status_code == 200
    assert 'filename="ket-qua-2021.docx"' in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    text = "\n".join(p.text for p in document.paragraphs)
    assert "QUYẾT ĐỊNH" in text
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert any("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in cell for cell in cells)
    assert "Sở Thông tin và Truyền thông" in cells
    workbook = client.get(f"/results/{published.pk}/ket-qua.xlsx")
    sheets = openpyxl.load_workbook(io.BytesIO(b"".join(workbook.streaming_content))).sheetnames
    assert any(name.startswith("Bảng 1") for name in sheets)
    pdf = client.get(f"/results/{published.pk}/ket-qua.pdf")
    assert b"".join(pdf.streaming_content).startswith(b"%PDF")


def test_published_documents_do_not_change_with_later_answers(published: Cycle) -> None:
    revision = published.revisions.get()
    before = {d.format: d.file.read() for d in revision.documents.all()}
    assert sorted(before) == ["docx", "pdf", "xlsx"]
    response = Client().get(f"/results/{published.pk}/ket-qua.xlsx")
    assert b"".join(response.streaming_content) == before["xlsx"]


def test_draft_documents_only_for_the_assessor_and_marked_draft(demo: Cycle, admin: User) -> None:
    import io

    import docx

    complete_demo(demo)
    assert Client().get(f"/results/{demo.pk}/ket-qua.docx").status_code == 404
    editor = User.objects.get(username="editor")
    assert logged_in(editor).get(f"/results/{demo.pk}/ket-qua.docx").status_code == 404
    client = logged_in(admin)
    offered = client.get(f"/results/{demo.pk}/ket-qua.docx")  # not written yet: its job
    assert 'action="/results/' in offered.content.decode() and not run_jobs()
    assert logged_in(editor).post(f"/results/{demo.pk}/ket-qua.docx/prepare/").status_code == 404
    job_page = client.post(f"/results/{demo.pk}/ket-qua.docx/prepare/")
    assert job_page.status_code == 302 and run_jobs() == 1
    assert "Tài liệu dự thảo đã sẵn sàng" in client.get(job_page["Location"]).content.decode()
    response = client.get(f"/results/{demo.pk}/ket-qua.docx")
    assert response.status_code == 200
    assert "du-thao-ket-qua-2021.docx" in response["Content-Disposition"]
    document = docx.Document(io.BytesIO(b"".join(response.streaming_content)))
    header = " ".join(p.text for s in document.sections for p in s.header.paragraphs)
    body = " ".join(p.text for p in document.paragraphs)
    assert "DỰ THẢO" in (header + body).upper()


def test_unknown_document_format_is_404(published: Cycle) -> None:
    assert Client().get(f"/results/{published.pk}/ket-qua.odt").status_code == 404


def test_an_unchanged_total_against_a_published_cycle_changes_by_exactly_zero(
    cast: Cast,
) -> None:
    """A published cycle's totals are stored as floats: a total of many digits that did not
    change is compared at the digits a float keeps, and changes by 0."""
    earlier = earlier_cycle(cast)
    points = {"I": "12.123456789012345678", "II": "30", "III": "15", "IV": "5", "V": "8"}
    points["VI"] = "11.987654321098765432"
    give_answers(Participation.objects.create(cycle=earlier, unit=cast.unit_a, block="so"), points)
    services.publish(earlier, by=cast.admin)
    give_answers(cast.part_a, points)

    results = computed_results(services.compute(cast.cycle))

    units = {u["unit"]: u for u in results["blocks"][0]["units"]}
    (before,) = units["Sở Tư pháp"]["previous"]
    assert before["score"] == units["Sở Tư pháp"]["total"]
    assert before["score_change"] == 0
