"""End to end in headless Chromium: a unit editor logs in, answers (the total changes as she
goes), attaches evidence; the unit head logs in and submits. Screenshots go to test-artifacts/."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import PASSWORD, Cast
from tests.web.selfassessment.conftest import PDF, Mau, dom

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.submissions.models import Evidence, Submission, SubmissionState

pytestmark = pytest.mark.browser

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def log_in(browser: Any, base: str, username: str) -> Any:
    context = browser.new_context(locale="vi-VN", viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.goto(f"{base}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit].primary")
    return page


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / name), full_page=True)


def test_editor_answers_and_attaches_evidence_then_the_head_submits(
    transactional_db: None, live_server: Any, browser: Any, cast: Cast, mau: Mau
) -> None:
    from playwright.sync_api import expect

    part = mau.part

    def row(code: str) -> str:
        return f"#node-{dom(part, code)}"

    # the editor logs in and lands on her unit's form
    page = log_in(browser, live_server.url, mau.editor.username)
    expect(page.locator("h1")).to_contain_text("Sở Alpha")
    expect(page.locator("#total")).to_have_text("0")

    page.click(f"{row('A.1')} label.radio:has-text('Có')")
    expect(page.locator("#total")).to_have_text("1")
    # a ratio is saved when the person leaves the numerator/denominator pair
    page.fill(f"#v-{dom(part, 'A.2')}", "45")
    page.fill(f"#d-{dom(part, 'A.2')}", "60")
    page.click("h1")
    expect(page.locator(f"#score-{dom(part, 'A.2')}")).to_have_text("1 / 2")
    expect(page.locator(f"#pct-{dom(part, 'A.2')}")).to_have_text("= 75 %")
    expect(page.locator("#total")).to_have_text("2")
    page.select_option(f"#v-{dom(part, 'C.3')}", "toan-bo")
    expect(page.locator("#total")).to_have_text("4")
    page.fill(f"#v-{dom(part, 'D.2')}", "2,5")
    page.press(f"#v-{dom(part, 'D.2')}", "Tab")
    expect(page.locator("#total")).to_have_text("6,5")
    # a wrong answer: the message next to the field, the total unchanged
    page.fill(f"#v-{dom(part, 'D.1')}", "2,5")
    page.press(f"#v-{dom(part, 'D.1')}", "Tab")
    expect(page.locator(f"#status-{dom(part, 'D.1')} .field-error")).to_have_text(
        "Nhập một số nguyên, từ 0 trở lên."
    )
    expect(page.locator("#total")).to_have_text("6,5")
    page.fill(f"#v-{dom(part, 'D.1')}", "3")
    page.press(f"#v-{dom(part, 'D.1')}", "Tab")
    expect(page.locator("#total")).to_have_text("8")
    # yes on C.1 counts once the plan is attached
    page.click(f"{row('C.1')} label.radio:has-text('Có')")
    expect(page.locator(f"#status-{dom(part, 'C.1')} .saved")).to_be_visible()
    expect(page.locator(f"#evidence-{dom(part, 'C.1')} .need")).to_contain_text("“Có” được 0 điểm")
    expect(page.locator("#total")).to_have_text("8")
    # the evidence block was just swapped in: htmx wires its upload once it has settled
    evidence = page.locator(f"#evidence-{dom(part, 'C.1')}")
    expect(evidence).not_to_have_class(re.compile("htmx-(added|settling)"))
    page.set_input_files(
        f"#f-{dom(part, 'C.1')}",
        files=[{"name": "ke-hoach-cds-2026.pdf", "mimeType": "application/pdf", "buffer": PDF}],
    )
    expect(page.locator(f"#evidence-{dom(part, 'C.1')}")).to_contain_text("ke-hoach-cds-2026.pdf")
    expect(page.locator("#total")).to_have_text("9")
    # the group B does not apply to this unit: its parts are disabled, the maximum drops
    page.check(f"#na-{dom(part, 'B')}")
    expect(page.locator(f"{row('B.1')}")).to_contain_text("Nhóm tiêu chí không áp dụng.")
    expect(page.locator("#summary .of")).to_have_text("/ 19 điểm")
    page.locator(row("A")).scroll_into_view_if_needed()
    shot(page, "selfassessment-1-editor.png")
    page.context.close()

    # the head logs in, checks what is missing, and submits
    page = log_in(browser, live_server.url, mau.head.username)
    expect(page.locator("#total")).to_have_text("9")
    page.click("text=Nộp bản tự đánh giá")
    expect(page.locator("h1")).to_contain_text("Nộp bản tự đánh giá")
    shot(page, "selfassessment-2-submit.png")
    page.check("#id_confirm")
    page.click("button:has-text('Nộp và khóa phiếu')")
    expect(page.locator(".banner.locked")).to_contain_text("Đã nộp lúc")
    expect(page.locator("form.answer")).to_have_count(0)
    shot(page, "selfassessment-3-submitted.png")
    page.goto(f"{live_server.url}/submissions/{part.pk}/print/")
    expect(page.locator("h1")).to_have_text("PHIẾU TỰ ĐÁNH GIÁ")
    page.emulate_media(media="print")
    shot(page, "selfassessment-4-print.png")
    page.context.close()

    submission = Submission.objects.get(participation=part)
    assert (submission.state, submission.submitted_by) == (SubmissionState.SUBMITTED, mau.head)
    assert Evidence.objects.get().name == "ke-hoach-cds-2026.pdf"
    assert AuditEntry.objects.filter(action=Action.ANSWER, actor=mau.editor).count() == 7
    assert re.match(r"Nộp khi còn \d+ tiêu chí", AuditEntry.objects.get(action="submitted").note)
