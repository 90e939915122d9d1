"""The self-assessment form: one input per rule type, autosave with live points from the core,
validation next to the field, conflicts with both values, not applicable, completeness,
submit and the printable form."""

from __future__ import annotations

import re
from decimal import Decimal

import pytest
from tests.web.conftest import Cast
from tests.web.selfassessment.conftest import HTMX, Mau, dom, save, score, total

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import CycleState
from chiso.web.submissions.models import Answer, Submission, SubmissionState
from chiso.web.submissions.services import submit

# --- the form ------------------------------------------------------------------------------


def test_form_shows_the_framework_tree_with_one_input_per_rule_type(mau: Mau, cast: Cast) -> None:
    html = cast.client(mau.editor).get(f"/submissions/{mau.part.pk}/").content.decode()
    # groups with their codes and names, a leaf's guidance, the block's maximum
    assert "Hạ tầng số" in html and "Số máy tính đã cài / tổng số máy tính" in html
    assert "Không chấm điểm đối với cơ quan không có thủ tục hành chính." in html
    assert total(html) == "0" and "/ 25 điểm" in html  # the so block: 25 points
    kinds = {
        code: kind
        for kind, code in re.findall(
            r'class="answer kind-(\w+)".*?name="code" value="([^"]+)"', html, re.S
        )
    }
    assert kinds == {
        "A.1": "yes_no",
        "A.2": "ratio",
        "A.3": "count",
        "B.1": "ratio",
        "B.2": "ratio",
        "C.1": "yes_no_evidence",
        "C.2": "yes_no_evidence",
        "C.3": "choice",
        "D.1": "count",
        "D.2": "points",
        "E.1": "relative",
        "E.2": "info",
    }
    assert "F" not in kinds  # communes only
    assert 'name="denominator" id="d-' + dom(mau.part, "A.2") in html
    assert '<option value="mot-phan">Một phần văn bản đi</option>' in html
    assert "chỉ được tính điểm khi có tài liệu kiểm chứng" in html
    assert html.count(f'id="na-{dom(mau.part, "B")}"') == 1  # the group's switch
    assert html.count(f'id="na-{dom(mau.part, "B.2")}"') == 1
    assert f'id="na-{dom(mau.part, "A.1")}"' not in html


def test_answers_of_every_type_are_scored_by_the_core(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    part = mau.part
    assert score(save(client, part, "A.1", "1").content.decode(), part, "A.1") == "1 / 1"
    # 45 of 60 computers: 75 %, the 50 % band: 1 point
    response = save(client, part, "A.2", "45", denominator="60").content.decode()
    assert score(response, part, "A.2") == "1 / 2"
    assert "= 75 %" in response
    assert score(save(client, part, "A.3", "4").content.decode(), part, "A.3") == "2 / 2"
    assert score(save(client, part, "A.3", "4").content.decode(), part, "A") == "4 / 5"
    # 150 of 250 processed online, full points from 80 %: 4 × 60 / 80 = 3
    response = save(client, part, "B.1", "150", denominator="250").content.decode()
    assert score(response, part, "B.1") == "3 / 4"
    assert score(save(client, part, "B.2", "45").content.decode(), part, "B.2") == "0,9 / 2"
    assert score(save(client, part, "C.3", "mot-phan").content.decode(), part, "C.3") == "1 / 2"
    assert score(save(client, part, "D.1", "3").content.decode(), part, "D.1") == "1,5 / 2"
    response = save(client, part, "D.2", "2,5").content.decode()
    assert score(response, part, "D.2") == "2,5 / 3"
    assert score(save(client, part, "E.2", "3").content.decode(), part, "E.2") == "không tính điểm"
    response = save(client, part, "E.1", "900").content.decode()
    assert score(response, part, "E.1") == "5 / 5"  # alone, the unit is the block's best
    # 1 + 1 + 2 + 3 + 0,9 + 1 + 1,5 + 2,5 + 5 = 17,9 of 25
    assert total(response) == "17,9"
    answer = Answer.objects.get(code="D.2")
    assert (answer.value, answer.updated_by) == ("2.5", mau.editor)


def test_yes_with_evidence_required_scores_only_with_evidence(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    response = save(client, mau.part, "C.1", "1").content.decode()
    assert score(response, mau.part, "C.1") == "0 / 1"
    assert "Cần đính kèm tài liệu kiểm chứng" in response
    assert "Thiếu tài liệu kiểm chứng ở 1 tiêu chí" in response  # C.1; C.2 is not answered


@pytest.mark.parametrize(
    ("code", "value", "denominator", "message"),
    [
        ("D.2", "4", "", "Nhập số điểm từ 0 đến 3."),
        ("D.2", "abc", "", "Nhập một số (phần thập phân dùng dấu phẩy, ví dụ 12,5)."),
        ("A.1", "2", "", "Chọn Có hoặc Không."),
        ("A.2", "150", "", "Nhập tỷ lệ phần trăm từ 0 đến 100, hoặc nhập tử số và mẫu số."),
        ("A.2", "70", "60", "Tử số phải từ 0 đến tối đa bằng mẫu số."),
        ("A.2", "1", "0", "Mẫu số phải lớn hơn 0."),
        ("A.3", "2,5", "", "Nhập một số nguyên, từ 0 trở lên."),
        ("C.3", "all", "", "Chọn một trong các phương án."),
        ("E.1", "-1", "", "Nhập một số, từ 0 trở lên."),
        ("D.2", "1", "2", "Tiêu chí này không có mẫu số."),
    ],
)
def test_invalid_answer_is_refused_with_the_message_next_to_the_field(
    mau: Mau, cast: Cast, code: str, value: str, denominator: str, message: str
) -> None:
    response = save(cast.client(mau.editor), mau.part, code, value, denominator=denominator)
    assert response.status_code == 422
    html = response.content.decode()
    # the response fills the status line of that criterion's row
    assert html.lstrip().startswith(f'<p class="field-error" role="alert">{message}</p>')
    assert not Answer.objects.filter(code=code).exists()


def test_without_htmx_an_invalid_answer_comes_back_as_a_message_on_the_page(
    mau: Mau, cast: Cast
) -> None:
    client = cast.client(mau.editor)
    response = save(client, mau.part, "D.2", "4", htmx=False)
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "Nhập số điểm từ 0 đến 3." in page


def test_the_form_carries_each_answers_revision(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    response = save(client, mau.part, "D.2", "1", revision=0).content.decode()
    rev = f'id="rev-{dom(mau.part, "D.2")}" value="1" hx-swap-oob="true"'
    assert rev in response
    page = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert f'id="rev-{dom(mau.part, "D.2")}" value="1"' in page


def test_stale_answer_shows_both_values_and_lets_the_person_choose(mau: Mau, cast: Cast) -> None:
    editor, head = cast.client(mau.editor), cast.client(mau.head)
    save(editor, mau.part, "C.3", "chua", revision=0)
    save(head, mau.part, "C.3", "toan-bo", revision=1)  # the head changes it meanwhile
    response = save(editor, mau.part, "C.3", "mot-phan", revision=1)
    assert response.status_code == 409
    html = response.content.decode()
    assert "Người khác đã sửa câu trả lời này" in html
    assert '<dd class="theirs">Toàn bộ văn bản đi</dd>' in html
    assert '<dd class="yours">Một phần văn bản đi</dd>' in html
    assert "Alpha_Head" in html  # who changed it
    assert Answer.objects.get(code="C.3").value == "toan-bo"
    # "keep theirs" reloads the row with their answer
    row = editor.get(f"/submissions/{mau.part.pk}/answer/row/", {"code": "C.3"}).content.decode()
    assert '<option value="toan-bo" selected>' in row
    # "save mine" posts with the revision the conflict showed
    assert 'name="revision" value="2"' in html
    assert save(editor, mau.part, "C.3", "mot-phan", revision=2).status_code == 200
    assert Answer.objects.get(code="C.3").value == "mot-phan"


@pytest.mark.parametrize("revision", ["", None], ids=["empty", "missing"])
def test_a_save_without_the_revision_never_replaces_an_existing_answer(
    mau: Mau, cast: Cast, revision: str | None
) -> None:
    assert save(cast.client(mau.head), mau.part, "C.3", "toan-bo", revision=0).status_code == 200
    data = {"code": "C.3", "value": "chua"} | ({} if revision is None else {"revision": revision})
    response = cast.client(mau.editor).post(f"/submissions/{mau.part.pk}/answer/", data, **HTMX)
    assert response.status_code == 409
    assert Answer.objects.get(code="C.3").value == "toan-bo"


def test_group_not_applicable_disables_its_parts_and_lowers_the_maximum(
    mau: Mau, cast: Cast
) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "B.1", "150", denominator="250")
    response = save(client, mau.part, "B", na=True)
    assert response.status_code == 200
    assert response["HX-Retarget"] == f"#node-{dom(mau.part, 'B')}"
    html = response.content.decode()
    assert "/ 19 điểm" in html  # 25 − 6
    assert html.count("Nhóm tiêu chí không áp dụng.") == 2  # B.1 and B.2, shown disabled
    b1 = html[html.index(f'id="node-{dom(mau.part, "B.1")}"') :]
    assert re.search(r'<fieldset class="inputs" disabled>\s*<legend[^>]*>B\.1', b1)
    page = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert score(page, mau.part, "B.1") == "–"
    # switching it back brings the parts and their kept answers back
    html = save(client, mau.part, "B", revision=1).content.decode()
    assert "/ 25 điểm" in html and score(html, mau.part, "B.1") == "3 / 4"


def test_leaf_not_applicable_with_full_credit(mau: Mau, cast: Cast) -> None:
    html = save(cast.client(mau.editor), mau.part, "B.2", na=True).content.decode()
    assert score(html, mau.part, "B.2") == "Không áp dụng 2 / 2"


def test_not_applicable_is_refused_where_the_framework_does_not_allow_it(
    mau: Mau, cast: Cast
) -> None:
    response = save(cast.client(mau.editor), mau.part, "A.1", na=True)
    assert response.status_code == 403
    assert "không thể khai báo là không áp dụng" in response.content.decode()


def test_completeness_counts_answers_and_missing_evidence(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    html = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert "Đã trả lời 0/11 tiêu chí" in html  # 12 criteria, E.2 collected only (info)
    save(client, mau.part, "A.1", "1")
    html = save(client, mau.part, "B", na=True).content.decode()
    assert "Đã trả lời 3/11 tiêu chí" in html  # B not applicable answers B.1 and B.2
    html = save(client, mau.part, "C.2", "0").content.decode()  # no: no evidence needed
    assert "Thiếu tài liệu kiểm chứng ở" not in html
    html = save(client, mau.part, "C.1", "1").content.decode()  # yes counts only with a file
    assert "Thiếu tài liệu kiểm chứng ở 1 tiêu chí" in html


def test_unknown_criterion_is_404(mau: Mau, cast: Cast) -> None:
    assert save(cast.client(mau.editor), mau.part, "Z.9", "1").status_code == 404
    assert save(cast.client(mau.editor), mau.part, "F", "1").status_code == 404  # xa only


def test_bình_định_form_has_points_and_yes_no(cast: Cast) -> None:
    client = cast.client(cast.editor_a)
    html = client.get(f"/submissions/{cast.part_a.pk}/").content.decode()
    assert "/ 85 điểm" in html
    html = save(client, cast.part_a, "II.b", na=True).content.decode()
    assert "/ 70 điểm" in html
    assert score(html, cast.part_a, "II.b.3") == "–"


# --- submit --------------------------------------------------------------------------------


def test_head_submits_after_confirming_what_is_missing(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.head)
    save(client, mau.part, "A.1", "1")
    page = client.get(f"/submissions/{mau.part.pk}/submit/").content.decode()
    assert "Bản tự đánh giá chưa đầy đủ." in page and "A.2" in page
    refused = client.post(f"/submissions/{mau.part.pk}/submit/")
    assert refused.status_code == 422
    assert "Đánh dấu ô xác nhận" in refused.content.decode()
    assert Submission.objects.get(participation=mau.part).state == SubmissionState.DRAFT
    response = client.post(f"/submissions/{mau.part.pk}/submit/", {"confirm": "on"})
    assert response.status_code == 302
    submission = Submission.objects.get(participation=mau.part)
    assert (submission.state, submission.submitted_by) == (SubmissionState.SUBMITTED, mau.head)
    entry = AuditEntry.objects.get(action=Action.SUBMITTED)
    assert (
        entry.note
        == "Nộp khi còn 10 tiêu chí chưa trả lời và 0 tiêu chí thiếu tài liệu kiểm chứng."
    )


def test_submitted_form_is_locked_and_read_only(mau: Mau, cast: Cast) -> None:
    save(cast.client(mau.editor), mau.part, "A.1", "1")
    submit(Submission.objects.get(participation=mau.part), by=mau.head)
    client = cast.client(mau.editor)
    page = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert "Đã nộp lúc" in page and "Alpha_Head" in page
    assert 'class="answer ' not in page and "Đính kèm tài liệu kiểm chứng" not in page
    response = save(client, mau.part, "A.1", "0", revision=1)
    assert response.status_code == 403
    assert "đã khóa" in response.content.decode()
    assert Answer.objects.get(code="A.1").value == "1"
    assert client.post(f"/submissions/{mau.part.pk}/submit/").status_code == 403  # an editor
    head = cast.client(mau.head)
    assert head.post(f"/submissions/{mau.part.pk}/submit/", {"confirm": "on"}).status_code == 302
    assert AuditEntry.objects.filter(action=Action.SUBMITTED).count() == 1


def test_complete_form_submits_without_confirmation(cast: Cast) -> None:
    client = cast.client(cast.head_a)
    for code, value in [("I", "13"), ("II.a", "17"), ("III", "15"), ("IV", "5"), ("V", "8")]:
        save(client, cast.part_a, code, value)
    save(client, cast.part_a, "VI", "12")
    save(client, cast.part_a, "II.b", na=True)
    assert (
        "Đã trả lời tất cả" in client.get(f"/submissions/{cast.part_a.pk}/submit/").content.decode()
    )
    assert client.post(f"/submissions/{cast.part_a.pk}/submit/").status_code == 302
    assert AuditEntry.objects.get(action=Action.SUBMITTED).note == ""


def test_closed_cycle_form_is_read_only(mau: Mau, cast: Cast) -> None:
    mau.cycle.state = CycleState.UNDER_REVIEW
    mau.cycle.save()
    client = cast.client(mau.editor)
    page = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert "phiếu chỉ để xem" in page and 'class="answer ' not in page
    assert save(client, mau.part, "A.1", "1").status_code == 403


# --- print ---------------------------------------------------------------------------------


def test_printable_form_has_the_answers_totals_and_signature_block(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "A.2", "45", denominator="60")
    save(client, mau.part, "C.3", "toan-bo")
    html = client.get(f"/submissions/{mau.part.pk}/print/").content.decode()
    assert "PHIẾU TỰ ĐÁNH GIÁ" in html and "SỞ ALPHA" in html
    assert "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" in html and "Quy Nhơn, ngày" in html
    assert "45/60" in html and "Toàn bộ văn bản đi" in html
    assert "THỦ TRƯỞNG ĐƠN VỊ" in html and "BẢN NHÁP" in html
    assert "@media print" in open_static("submissions/print.css")


def open_static(path: str) -> str:
    from django.contrib.staticfiles import finders

    found = finders.find(path)
    assert isinstance(found, str)
    with open(found, encoding="utf-8") as handle:
        return handle.read()


def test_numbers_are_written_with_a_decimal_comma(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "D.2", "2.5")
    page = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert f'id="v-{dom(mau.part, "D.2")}" class="num" inputmode="decimal" value="2,5"' in page
    assert Answer.objects.get(code="D.2").value == "2.5"
    assert Decimal(Answer.objects.get(code="D.2").value) == Decimal("2.5")


def test_a_read_does_not_create_a_self_assessment(mau: Mau, cast: Cast) -> None:
    for user in (cast.viewer, cast.admin, mau.editor):
        assert cast.client(user).get(f"/submissions/{mau.part.pk}/").status_code == 200
    assert not Submission.objects.filter(participation=mau.part).exists()


def test_answer_audit_entry_names_who_and_the_values(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "A.2", "45", denominator="60")
    save(client, mau.part, "A.2", "50", denominator="60", revision=1)
    entries = AuditEntry.objects.filter(action=Action.ANSWER, code="A.2").order_by("id")
    assert [(e.old, e.new, e.actor) for e in entries] == [
        ("", "45/60", mau.editor),
        ("45/60", "50/60", mau.editor),
    ]


def test_a_changed_note_is_in_the_audit_trail(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    data = {"code": "A.1", "value": "1", "comment": "Theo Quyết định 12/QĐ"}
    client.post(f"/submissions/{mau.part.pk}/answer/", data, **HTMX)
    data |= {"revision": "1", "comment": "Theo Quyết định 15/QĐ"}
    client.post(f"/submissions/{mau.part.pk}/answer/", data, **HTMX)
    notes = AuditEntry.objects.filter(code="A.1", note="Ghi chú của câu trả lời").order_by("id")
    assert [(e.old, e.new) for e in notes] == [
        ("", "Theo Quyết định 12/QĐ"),
        ("Theo Quyết định 12/QĐ", "Theo Quyết định 15/QĐ"),
    ]
    assert Answer.objects.get(code="A.1").comment == "Theo Quyết định 15/QĐ"
