"""The audit trail as the assessor reads it: per unit, criterion and action, in words (states by
their names, numbers with a decimal comma), a page at a time, and as a CSV or XLSX file."""

from __future__ import annotations

import csv
import datetime
import io
import re

import openpyxl
from django.utils import timezone, translation
from tests.web.conftest import Cast

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.audit.services import describe, record
from chiso.web.console.trail import PAGE_SIZE, shown_value
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Stage
from chiso.web.submissions import services
from chiso.web.submissions.services import save_answer, submit


def url(cast: Cast, tail: str = "/") -> str:
    return f"/cycles/{cast.cycle.pk}/audit{tail}"


def cells(page: str) -> list[list[str]]:
    body = page.split("<tbody>")[1].split("</tbody>")[0]
    return [
        [re.sub(r"<[^>]+>", "", c).strip() for c in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
        for row in body.split("</tr>")[:-1]
    ]


def test_assessor_reads_the_trail_by_unit_criterion_and_action(cast: Cast) -> None:
    mine = services.submission_for(cast.part_a)
    other = services.submission_for(cast.part_b)
    first = save_answer(mine, "I", value="10", revision=None, by=cast.editor_a)
    save_answer(mine, "I", value="11,5", revision=first.revision, by=cast.head_a)
    save_answer(mine, "III", value="7", revision=None, by=cast.editor_a)
    save_answer(other, "I", value="3", revision=None, by=cast.editor_b)
    submit(mine, by=cast.head_a)
    services.reopen(mine, reason="Thiếu minh chứng", by=cast.admin)
    client = cast.client(cast.admin)

    rows = client.get(url(cast), {"unit": cast.unit_a.pk, "code": "I"}).context["rows"]
    assert [(r.who, r.old, r.new) for r in rows] == [
        ("Head_A", "10", "11,5"),
        ("Editor_A", "", "10"),
    ]
    page = client.get(url(cast), {"unit": cast.unit_a.pk, "action": "reopened"})
    assert [(r.note, r.who) for r in page.context["rows"]] == [("Thiếu minh chứng", "Admin")]
    assert "Thiếu minh chứng" in page.content.decode()
    assert len(client.get(url(cast)).context["rows"]) == 6


def test_viewer_reads_the_trail_and_a_unit_member_does_not(cast: Cast) -> None:
    assert cast.client(cast.viewer).get(url(cast)).status_code == 200
    assert cast.client(cast.viewer).get(url(cast, ".csv")).status_code == 200
    assert cast.client(cast.editor_a).get(url(cast)).status_code == 404
    assert cast.client(cast.editor_a).get(url(cast, ".xlsx")).status_code == 404
    assert cast.client(cast.reviewer).get(url(cast, ".csv")).status_code == 403


def test_trail_names_states_rounds_and_assignments_in_words(cast: Cast) -> None:
    mine = services.submission_for(cast.part_a)
    save_answer(mine, "III", value="12,5", revision=None, by=cast.editor_a)
    submit(mine, by=cast.head_a)
    reviews.assign(cast.cycle, cast.reviewer, participation=cast.part_a, by=cast.admin)
    reviews.change_stage(cast.cycle, Stage.ROUND_1, by=cast.admin)
    reviews.save_verdict(cast.part_a, "IV", not_applicable=False, value="2,5", revision=None,
                         by=cast.reviewer)  # fmt: skip

    page = cast.client(cast.admin).get(url(cast)).content.decode()
    rows = {(row[2], row[5]) for row in cells(page)}
    assert ("Đã nộp", "Bản nháp → Đã nộp") in rows
    assert ("Thay đổi trạng thái kỳ đánh giá", "Đang mở tự đánh giá → Đang thẩm định") in rows
    assert ("Thay đổi vòng thẩm định", "— → Vòng 1: thẩm định") in rows
    assert ("Thay đổi phân công thẩm định", "— → Reviewer (reviewer)") in rows
    assert ("Thay đổi câu trả lời", "— → 12,5") in rows
    assert ("Thay đổi điểm thẩm định", "— → 2,5") in rows
    for raw in ("draft", "submitted", "under_review", "round_1", "12.5", "2.5", "∅"):
        assert f">{raw}" not in page and f"{raw}<" not in page and f" {raw} " not in page
    assert "Select an option" not in page
    assert '<option value="" selected>Tất cả</option>' in page


def test_a_declared_not_applicable_answer_reads_not_applicable(cast: Cast) -> None:
    mine = services.submission_for(cast.part_a)
    answer = save_answer(mine, "II.b.2", not_applicable=True, revision=None, by=cast.editor_a)
    assert answer.not_applicable
    page = cast.client(cast.admin).get(url(cast)).content.decode()
    assert [r[5] for r in cells(page) if r[4] == "II.b.2"] == ["— → Không áp dụng"]
    assert "N/A" not in page


def test_stored_answers_read_with_the_languages_decimal_separator() -> None:
    with translation.override("vi"):
        assert shown_value(Action.ANSWER, "12.5/20") == "12,5/20"
        assert shown_value(Action.REVIEW, "-0.25") == "-0,25"
        assert shown_value(Action.ANSWER, "v1.2 trên cổng") == "v1.2 trên cổng"  # a text
        assert shown_value(Action.EVIDENCE_ADDED, "bien-ban.2021.pdf") == "bien-ban.2021.pdf"
    with translation.override("en"):
        assert shown_value(Action.ANSWER, "12.5") == "12.5"
        assert shown_value(Action.SUBMITTED, "draft") == "Draft"


def _many(cast: Cast, count: int) -> None:
    start = timezone.now() - datetime.timedelta(days=1)
    AuditEntry.objects.bulk_create(
        AuditEntry(action=Action.ANSWER, cycle=cast.cycle, unit=cast.unit_a, code="I",
                   old=str(n), new=str(n + 1), actor_name="Editor_A",
                   at=start + datetime.timedelta(seconds=n))
        for n in range(count)
    )  # fmt: skip


def test_trail_is_paginated_and_says_how_many_entries_it_holds(cast: Cast) -> None:
    _many(cast, 2 * PAGE_SIZE + 30)
    client = cast.client(cast.admin)
    first = client.get(url(cast), {"code": "I"})
    page = first.content.decode()
    assert len(cells(page)) == PAGE_SIZE
    assert cells(page)[0][5] == f"{2 * PAGE_SIZE + 29} → {2 * PAGE_SIZE + 30}"  # latest first
    assert f"{2 * PAGE_SIZE + 30} mục" in page
    assert "trang 1 / 3" in page
    assert 'href="?code=I&amp;page=2" rel="next"' in page  # the filter is kept
    last = client.get(url(cast), {"code": "I", "page": "3"}).content.decode()
    assert len(cells(last)) == 30
    assert cells(last)[-1][5] == "0 → 1"
    assert 'rel="prev"' in last and 'rel="next"' not in last
    # a page that is not a number or past the end is the nearest page, never an error
    assert client.get(url(cast), {"page": "x"}).status_code == 200
    assert len(cells(client.get(url(cast), {"page": "99"}).content.decode())) == 30


def test_trail_exports_every_selected_entry_as_csv_and_xlsx(cast: Cast) -> None:
    _many(cast, PAGE_SIZE + 5)
    record(Action.ANSWER, actor=cast.editor_b, cycle=cast.cycle, unit=cast.unit_b, code="I",
           new="=HYPERLINK(\"http://x\")", note="Note on the answer")  # fmt: skip
    client = cast.client(cast.admin)
    response = client.get(url(cast, ".csv"), {"unit": cast.unit_a.pk})
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].endswith('.csv"')
    rows = list(csv.reader(io.StringIO(response.content.decode())))
    assert rows[0] == ["Thời điểm", "Người thực hiện", "Tên đăng nhập", "Thao tác", "Đơn vị",
                       "Tiêu chí hoặc bản ghi", "Giá trị cũ", "Giá trị mới", "Lý do"]  # fmt: skip
    assert len(rows) == 1 + PAGE_SIZE + 5
    assert rows[1][1:8] == ["Editor_A", "", "Thay đổi câu trả lời", "Sở Tư pháp", "I",
                            str(PAGE_SIZE + 4), str(PAGE_SIZE + 5)]  # fmt: skip

    everything = client.get(url(cast, ".xlsx"))
    sheet = openpyxl.load_workbook(io.BytesIO(everything.content)).active
    assert sheet is not None
    values = list(sheet.values)
    assert len(values) == 1 + PAGE_SIZE + 5 + 1
    formula = next(row for row in values if row[4] == "Sở Y tế")
    assert formula[7] == '=HYPERLINK("http://x")'  # a text, not a formula
    assert sheet.cell(row=2, column=8).data_type == "s"
    assert isinstance(values[1][0], datetime.datetime)
    local = timezone.localtime(AuditEntry.objects.latest("at", "id").at)
    assert values[1][0] == local.replace(tzinfo=None, microsecond=0)
    quoted = client.get(url(cast, ".csv"), {"unit": cast.unit_b.pk}).content.decode()
    assert "'=HYPERLINK" in quoted


def test_a_filter_that_cannot_apply_selects_nothing_and_says_why(cast: Cast) -> None:
    _many(cast, 3)
    client = cast.client(cast.admin)
    page = client.get(url(cast), {"action": "bogus"}).content.decode()
    assert cells(page) == [["Chưa có mục nào."]]
    assert "errorlist" in page
    rows = list(
        csv.reader(io.StringIO(client.get(url(cast, ".csv"), {"action": "x"}).content.decode()))
    )
    assert len(rows) == 1  # the header only, not the whole trail


def test_a_record_changed_outside_the_services_reads_in_words(cast: Cast) -> None:
    # as the administration stores it: the record by model, id and name, its fields by name
    record(
        Action.CHANGED, actor=cast.admin, cycle=cast.cycle, target=describe(cast.cycle),
        old="name: Đánh giá; năm cũ; deadline: 2021-10-30; public_scorecards: no; state: open",
        new="name: Đánh giá 2021; deadline: ; public_scorecards: yes; state: under_review",
    )  # fmt: skip
    page = cast.client(cast.admin).get(url(cast))
    row = page.context["rows"][0]
    assert row.subject == "Kỳ đánh giá “Đánh giá năm 2021”"
    # a value with "; " stays whole: the text is cut only before a field's own name
    assert row.old == (
        "Tên: Đánh giá; năm cũ; Hạn nộp: 30/10/2021; Công khai phiếu kết quả: không;"
        " Trạng thái: Đang mở tự đánh giá"
    )
    assert row.new == (
        "Tên: Đánh giá 2021; Hạn nộp: —; Công khai phiếu kết quả: có; Trạng thái: Đang thẩm định"
    )
    assert "public_scorecards" not in page.content.decode()
    client = cast.client(cast.admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    english = client.get(url(cast))
    assert english.context["rows"][0].new == (
        "Name: Đánh giá 2021; Deadline: —; Public scorecards: yes; State: Under review"
    )


def test_a_password_change_and_an_unknown_text_read_as_they_can(cast: Cast) -> None:
    record(Action.CHANGED, actor=cast.admin, cycle=cast.cycle, target=describe(cast.head_a),
           old="last_login: 2021-10-30 08:00:00+00:00", new="last_login: ; password changed")  # fmt: skip
    record(Action.CHANGED, actor=cast.admin, cycle=cast.cycle, target="cycles.nothing #3 X",
           old="colour: red", new="a text of another kind")  # fmt: skip
    record(Action.CHANGED, actor=cast.admin, cycle=cast.cycle, target=describe(cast.cycle),
           new="password changed")  # fmt: skip
    rows = cast.client(cast.admin).get(url(cast)).context["rows"][1:]
    assert cast.client(cast.admin).get(url(cast)).context["rows"][0].new == "Password: đã thay đổi"
    assert (rows[1].subject, rows[1].old, rows[1].new) == (
        "Người dùng “Head_A”",
        "Lần cuối đăng nhập: 15:00 ngày 30/10/2021",
        "Lần cuối đăng nhập: —; Mật khẩu: đã thay đổi",
    )
    # a record of a model chiso does not have, and values not of its fields: as stored
    assert (rows[0].subject, rows[0].old, rows[0].new) == (
        "cycles.nothing #3 X",
        "colour: red",
        "a text of another kind",
    )


def test_a_value_that_only_looks_like_a_date_reads_as_stored(cast: Cast) -> None:
    # "; deadline: " inside a name typed in the administration cuts there: what follows is
    # no date, and a time without its zone is read as it is
    record(
        Action.CHANGED, actor=cast.admin, cycle=cast.cycle, target=describe(cast.cycle),
        old="name: A; deadline: 2021-02-30", new="deadline: 2021-10-30 99:00",
    )  # fmt: skip
    record(Action.CHANGED, actor=cast.admin, cycle=cast.cycle, target=describe(cast.head_a),
           old="last_login: 2021-10-30 08:00:00", new="last_login: 2021-10-30 08:00:00+00:00")  # fmt: skip
    page = cast.client(cast.admin).get(url(cast))
    assert page.status_code == 200
    user, cycle = page.context["rows"][:2]
    assert (cycle.old, cycle.new) == ("Tên: A; Hạn nộp: 2021-02-30", "Hạn nộp: 2021-10-30 99:00")
    assert (user.old, user.new) == (
        "Lần cuối đăng nhập: 08:00 ngày 30/10/2021",
        "Lần cuối đăng nhập: 15:00 ngày 30/10/2021",
    )
