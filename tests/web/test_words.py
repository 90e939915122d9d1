"""Words and numbers as a Vietnamese reader meets them (issue 13): the scorecard's points are
not "self-scored", every number is its exact value rounded on its own and a mean is shown at
the publication's precision for means, the trail's times are Vietnam's, and Django's own texts
(the administration, validation, the API's errors) are in Vietnamese too."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from tests.web.conftest import Cast

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.submissions.services import save_answer, submission_for, submit

# Sở Tư pháp (A) and Sở Y tế (B): III at 12.5 and 13 of 15, every other group full
FULL = {"I": "13", "II.a": "17", "II.b.1.1": "2", "II.b.1.2": "2", "II.b.1.3": "4",
        "II.b.2.1": "2", "II.b.2.2": "2", "II.b.2.3": "2", "II.b.3": "1", "IV": "5",
        "V": "8", "VI": "12"}  # fmt: skip


def fill(cast: Cast) -> None:
    for part, editor, head, iii in (
        (cast.part_a, cast.editor_a, cast.head_a, "12,5"),
        (cast.part_b, cast.editor_b, cast.head_b, "13"),
    ):
        submission = submission_for(part)
        for code, value in {**FULL, "III": iii}.items():
            save_answer(submission, code, value=value, revision=None, by=editor)
        submit(submission, by=head)


def row_of(page: str, label: str) -> list[str]:
    row = page.split(label)[1].split("</tr>")[0]
    return re.findall(r'<td class="num">([^<]*)</td>', row)


def test_scorecard_shows_final_points_each_rounded_and_the_mean_as_the_statistics_do(
    cast: Cast,
) -> None:
    fill(cast)
    page = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/units/{cast.unit_a.pk}/")
    html = page.content.decode()
    # the points are the final ones, not what the unit scored itself (B5)
    assert "Điểm tự chấm" not in html
    assert '<th class="num">Điểm</th>' in html
    # III: 12.5 of 15 is "13" of "15"; 2.5 points lost is "3" (each its exact value rounded
    # half up, never a difference of rounded numbers); the block mean 12.75 at 1 decimal,
    # as the statistics print a mean, not "12,75"
    assert row_of(html, "III. Trang thông tin điện tử</td>")[:4] == ["13", "15", "83", "12,8"]
    lost = html.split('<table class="grid lost">')[1]
    assert row_of(lost, "III. Trang thông tin điện tử</td>") == ["13", "15", "3"]
    assert "chênh lệch với số tổng một đơn vị làm tròn" in html
    assert "83 / 85" in html  # 82.5 rounded half up
    results = cast.client(cast.admin).get(f"/results/{cast.cycle.pk}/").content.decode()
    assert "chênh lệch với số tổng một đơn vị làm tròn" in results


def test_printed_form_calls_its_points_self_scored(cast: Cast) -> None:
    fill(cast)
    url = f"/submissions/{cast.part_a.pk}/print/"
    assert "Điểm tự chấm" in cast.client(cast.head_a).get(url).content.decode()


def test_audit_entry_names_its_time_in_vietnam_time(cast: Cast) -> None:
    at = datetime.datetime(2026, 12, 6, 6, 16, tzinfo=datetime.UTC)
    entry = AuditEntry.objects.create(action=Action.SUBMITTED, cycle=cast.cycle, at=at)
    assert str(entry).startswith("13:16 ngày 06/12/2026")
    page = cast.client(cast.admin).get(f"/admin/audit/auditentry/{entry.pk}/change/")
    html = page.content.decode()
    assert "13:16" in html and "06:16" not in html


def test_publication_time_reads_as_vietnamese_writes_it(cast: Cast) -> None:
    from chiso.web.results import services

    fill(cast)
    from tests.web.test_results import to_review

    to_review(cast.cycle, cast.admin)
    services.publish(cast.cycle, by=cast.admin)
    html = Client().get(f"/results/{cast.cycle.pk}/").content.decode()
    assert re.search(r"Kết quả công bố lần 1, lúc \d\d:\d\d ngày \d\d/\d\d/\d{4}\.", html)


def test_administration_speaks_vietnamese_where_django_does_not(cast: Cast) -> None:
    client = cast.client(cast.admin)
    listing = client.get("/admin/audit/auditentry/").content.decode()
    assert "Hiện số lượng" in listing and "Show counts" not in listing
    refused = client.post("/admin/cycles/unit/add/", {"name": ""}).content.decode()
    assert "Hãy sửa các lỗi dưới đây." in refused
    assert "Please correct" not in refused


@pytest.mark.parametrize("debug", [False, True])
def test_api_answers_not_found_in_the_persons_language(
    cast: Cast, settings: pytest.FixtureRequest, debug: bool
) -> None:
    settings.DEBUG = debug  # type: ignore[attr-defined]
    missing = Client().get("/api/v1/results/999999")
    assert (missing.status_code, missing.json()) == (404, {"detail": "Không tìm thấy"})
    english = Client()
    english.post("/i18n/setlang/", {"language": "en", "next": "/"})
    assert english.get("/api/v1/results/999999").json() == {"detail": "Not Found"}
    anonymous = Client().get(f"/api/v1/cycles/{cast.cycle.pk}")
    assert (anonymous.status_code, anonymous.json()) == (401, {"detail": "Chưa đăng nhập"})


def labels_of(page: str) -> list[str]:
    """The text of every form label of a page, as a person reads it."""
    found = re.findall(r"<label\b[^>]*>(.*?)</label>", page, flags=re.S)
    return [text for label in found if (text := re.sub(r"<[^>]+>", "", label).strip())]


def test_the_assessors_form_labels_begin_with_a_capital(cast: Cast) -> None:
    """Django writes a model's verbose_name lowercase; a form's label starts as a sentence
    does (a ModelForm capitalises its own, a Form's is written so)."""
    admin = cast.client(cast.admin)
    pk = cast.cycle.pk
    pages = ["/cycles/new/", "/cycles/people/", "/cycles/frameworks/upload/", f"/cycles/{pk}/",
             f"/cycles/{pk}/state/", f"/cycles/{pk}/lineage/", f"/cycles/{pk}/crosswalk/",
             f"/cycles/{pk}/audit/"]  # fmt: skip
    lowercase = {}
    for url in pages:
        response = admin.get(url)
        assert response.status_code == 200, url
        labels = labels_of(response.content.decode())
        assert labels, url
        lowercase[url] = [label for label in labels if label[0].islower()]
    assert lowercase == {url: [] for url in pages}
    state = admin.get(f"/cycles/{pk}/state/").content.decode()
    assert {"Trạng thái mới", "Ghi chú"} <= set(labels_of(state))
