"""In headless Chromium: a reviewer adjusts a score, the unit sees it only once the assessor
closes round 1. Screenshots go to test-artifacts/."""

from __future__ import annotations

from pathlib import Path

import pytest
from tests.web.conftest import PASSWORD, Cast
from tests.web.reviews.conftest import deadline

ARTIFACTS = Path(__file__).resolve().parents[3] / "test-artifacts"


def login(browser, live_server, username: str):  # type: ignore[no-untyped-def]
    page = browser.new_page(viewport={"width": 1280, "height": 900}, locale="vi-VN")
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.click("button.primary")
    return page


@pytest.mark.browser
def test_reviewer_adjusts_a_score_and_the_unit_sees_it_after_round_1_closes(
    round_1: Cast,
    live_server,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    part = round_1.part_a.pk
    reviewer = login(browser, live_server, "reviewer")
    reviewer.goto(f"{live_server.url}/reviews/unit/{part}/")
    assert "Điểm tự đánh giá" in reviewer.inner_text("#scores")
    row = reviewer.locator("#c-III")
    row.locator("input[name=value]").fill("99")  # more than the criterion's maximum
    row.locator("button[type=submit]").click()
    reviewer.locator("#c-III .status-error").wait_for()
    assert reviewer.locator("#c-III input[name=value]").input_value() == "99"  # kept (B10)
    row.locator("input[name=value]").fill("8")
    row.locator("textarea[name=comment]").fill("Chưa có văn bản ban hành quy chế; trừ 2 điểm.")
    row.locator("button[type=submit]").click()
    reviewer.locator("#c-III .status-ok").wait_for()
    assert "Đã lưu" in reviewer.inner_text("#c-III")
    assert "78" in reviewer.inner_text("#scores .verified")  # 80 self-assessed, 2 points less
    reviewer.screenshot(path=str(ARTIFACTS / "review-1-reviewer.png"), full_page=True)
    reviewer.goto(f"{live_server.url}/reviews/cycle/{round_1.cycle.pk}/queue/")
    reviewer.screenshot(path=str(ARTIFACTS / "review-2-queue.png"), full_page=True)

    unit = login(browser, live_server, "editor_a")
    unit.goto(f"{live_server.url}/reviews/unit/{part}/history/")
    assert "Chưa có văn bản" not in unit.content()
    assert "khi Sở kết thúc vòng 1" in unit.inner_text("main")
    unit.screenshot(path=str(ARTIFACTS / "review-3-unit-before-close.png"), full_page=True)

    admin = login(browser, live_server, "admin")
    admin.goto(f"{live_server.url}/reviews/cycle/{round_1.cycle.pk}/")
    admin.screenshot(path=str(ARTIFACTS / "review-4-assessor.png"), full_page=True)
    admin.fill("#deadline", deadline().strftime("%d/%m/%Y"))
    admin.get_by_role("button", name="Kết thúc vòng 1: đơn vị xem kết quả và giải trình").click()
    # the confirmation page: what closing the round does, before it is done
    consequences = admin.inner_text("ul.consequences")
    assert f"đến hết ngày {deadline().strftime('%d/%m/%Y')} (còn 7 ngày)" in consequences
    assert "1 đơn vị chưa được thẩm định" in consequences  # Sở Y tế
    admin.screenshot(path=str(ARTIFACTS / "review-4b-confirm-close.png"), full_page=True)
    admin.get_by_role("button", name="Xác nhận: Kết thúc vòng 1").click()
    assert "Kết thúc vòng 1: đơn vị giải trình" in admin.inner_text(".stage")

    unit.reload()
    text = unit.inner_text("main")
    assert "Chưa có văn bản ban hành quy chế; trừ 2 điểm." in text
    assert "78" in unit.inner_text("#scores .verified")
    assert deadline().strftime("%d/%m/%Y") in text
    unit.screenshot(path=str(ARTIFACTS / "review-5-unit-after-close.png"), full_page=True)


@pytest.mark.browser
def test_assessor_finds_a_unit_by_typing_and_assigns_it(
    review_cast: Cast,
    live_server,
    browser,  # type: ignore[no-untyped-def]
) -> None:
    from chiso.web.reviews.models import Assignment

    admin = login(browser, live_server, "admin")
    admin.goto(f"{live_server.url}/reviews/cycle/{review_cast.cycle.pk}/?q=An")
    offered = admin.locator("#unit-choices option")
    assert offered.evaluate_all("options => options.map(o => o.value)") == ["UBND huyện An Lão"]
    admin.locator("#id_unit").press_sequentially("y t")  # suggested as one types
    admin.locator('#unit-choices option[value="Sở Y tế"]').wait_for(state="attached")
    assert offered.evaluate_all("options => options.map(o => o.value)") == ["Sở Y tế"]
    admin.locator("#id_unit").fill("Sở Y tế")  # as choosing the suggestion does
    admin.select_option("#id_reviewer", label="Reviewer")
    admin.get_by_role("button", name="Phân công", exact=True).click()
    admin.locator(".messages").wait_for()
    assert "Đã phân công." in admin.inner_text("main")
    assert "q=An" in admin.url  # back to the units as they were filtered
    assert Assignment.objects.filter(participation=review_cast.part_b).exists()
