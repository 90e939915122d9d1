"""The assessor's ZIP of every unit's workbook, sent back filled: checked, then saved on the
units' behalf through save_answer, unit by unit, all or nothing for each; the audit trail names
the assessor and says for whom. The form and the API still refuse the assessor."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any

import pytest
from django.test import Client
from tests.web.conftest import Cast, make_user
from tests.web.selfassessment.conftest import Mau, save, upload
from tests.web.selfassessment.test_workbook import answers, fill

from chiso.web.accounts.models import Role
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import CycleState, Participation, Unit
from chiso.web.submissions import services
from chiso.web.submissions.models import Submission, SubmissionState

ON_BEHALF = "Nhập thay đơn vị {unit} từ tệp Excel"


@pytest.fixture
def beta(mau: Mau) -> Participation:
    return Participation.objects.create(
        cycle=mau.cycle,
        unit=Unit.objects.create(organisation=mau.cycle.organisation, name="Sở Beta"),
        block="so",
    )


def workbooks(client: Client, mau: Mau) -> dict[int, Any]:
    """The ZIP's workbooks by the participation they are the form of."""
    from openpyxl import load_workbook

    response = client.get(f"/cycles/{mau.cycle.pk}/workbooks.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    books = {}
    for name in archive.namelist():
        book = load_workbook(io.BytesIO(archive.read(name)))
        books[int(name.rsplit("-", 1)[1].removesuffix(".xlsx"))] = book
    return books


def packed(files: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, content in files.items():
            archive.writestr(name, content)
    return buffer.getvalue()


def send_zip(client: Client, mau: Mau, content: bytes) -> Any:
    return client.post(
        f"/cycles/{mau.cycle.pk}/workbooks/",
        {"file": upload("back.zip", content, "application/zip")},
    )


def confirm_zip(client: Client, mau: Mau) -> Any:
    held = client.session.get(f"workbooks:{mau.cycle.pk}") or {}
    return client.post(
        f"/cycles/{mau.cycle.pk}/workbooks/confirm/", {"token": held.get("token", "")}
    )


def entries(part: Participation) -> list[tuple[str, str, str, str]]:
    return sorted(
        (e.code, e.new, e.actor_username, e.note)
        for e in AuditEntry.objects.filter(unit=part.unit, action=Action.ANSWER)
    )


def test_the_zip_round_trip_saves_each_units_changes_on_its_behalf(
    mau: Mau, beta: Participation, cast: Cast
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    content = packed(
        {
            "alpha.xlsx": fill(books[mau.part.pk], {("A.3", "E"): 3, ("E.2", "H"): "Theo quý"}),
            "beta.xlsx": fill(books[beta.pk], {("A.1", "E"): "Có"}),
        }
    )
    checked = send_zip(admin, mau, content)
    html = checked.content.decode()
    assert checked.status_code == 200, html
    assert "Sẽ lưu: 2 thay đổi." in html and "Sẽ lưu: 1 thay đổi." in html
    assert "Lưu các thay đổi này cho các đơn vị" in html
    assert not answers(mau.part) and not answers(beta)  # a preview only
    done = confirm_zip(admin, mau)
    page = done.content.decode()
    assert done.status_code == 200, page
    assert "Đã lưu 2 thay đổi" in page and "Đã lưu 1 thay đổi" in page
    assert answers(mau.part)["A.3"][0] == "3" and answers(mau.part)["E.2"][3] == "Theo quý"
    assert answers(beta)["A.1"][0] == "1"
    alpha_note = ON_BEHALF.format(unit="Sở Alpha")
    assert entries(mau.part) == [
        ("A.3", "3", cast.admin.username, alpha_note),
        ("E.2", "Theo quý", cast.admin.username, f"Ghi chú của câu trả lời · {alpha_note}"),
    ]
    assert entries(beta) == [("A.1", "1", cast.admin.username, ON_BEHALF.format(unit="Sở Beta"))]
    # the confirmation is spent: posting it again saves nothing more
    again = confirm_zip(admin, mau)
    assert again.status_code == 302 and AuditEntry.objects.filter(action=Action.ANSWER).count() == 3


def test_a_unit_with_an_error_saves_nothing_while_another_saves(
    mau: Mau, beta: Participation, cast: Cast
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    content = packed(
        {
            "alpha.xlsx": fill(books[mau.part.pk], {("A.1", "E"): "Có", ("A.3", "E"): "nhiều"}),
            "beta.xlsx": fill(books[beta.pk], {("A.3", "E"): 4}),
        }
    )
    html = send_zip(admin, mau, content).content.decode()
    assert "Biểu mẫu này có ô không lưu được" in html and "Sẽ lưu: 1 thay đổi." in html
    page = confirm_zip(admin, mau).content.decode()
    assert not answers(mau.part)  # A.1 was valid, but the unit's workbook had an error
    assert answers(beta)["A.3"][0] == "4"
    assert "Không lưu gì: Biểu mẫu này có ô không lưu được" in page and "Đã lưu 1 thay đổi" in page


def test_a_submitted_unit_is_not_changed(mau: Mau, beta: Participation, cast: Cast) -> None:
    beta_head = make_user("beta_head", Role.HEAD, beta.unit)
    save(cast.client(beta_head), beta, "A.1", "1")
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    Submission.objects.filter(participation=beta).update(state=SubmissionState.SUBMITTED)
    content = packed(
        {
            "alpha.xlsx": fill(books[mau.part.pk], {("A.3", "E"): 2}),
            "beta.xlsx": fill(books[beta.pk], {("A.1", "E"): "Không", ("A.3", "E"): 5}),
        }
    )
    html = send_zip(admin, mau, content).content.decode()
    assert "Không thể sửa" in html
    page = confirm_zip(admin, mau).content.decode()
    assert answers(beta) == {"A.1": ("1", None, False, "")}
    assert answers(mau.part)["A.3"][0] == "2"
    assert "Không lưu gì: Không thể sửa" in page and "đã được nộp" in page


def test_a_unit_submitted_between_upload_and_confirm_is_not_changed(
    mau: Mau, beta: Participation, cast: Cast
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    content = packed({"beta.xlsx": fill(books[beta.pk], {("A.3", "E"): 5})})
    assert "Sẽ lưu: 1 thay đổi." in send_zip(admin, mau, content).content.decode()
    services.submission_for(beta)
    Submission.objects.filter(participation=beta).update(state=SubmissionState.SUBMITTED)
    page = confirm_zip(admin, mau).content.decode()
    assert not answers(beta) and "Không thể sửa" in page


def test_a_change_since_the_upload_is_a_conflict_for_that_unit_only(
    mau: Mau, beta: Participation, cast: Cast
) -> None:
    save(cast.client(mau.editor), mau.part, "A.3", "4")
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    content = packed(
        {
            "alpha.xlsx": fill(books[mau.part.pk], {("A.3", "E"): 5, ("A.1", "E"): "Không"}),
            "beta.xlsx": fill(books[beta.pk], {("A.3", "E"): 6}),
        }
    )
    assert send_zip(admin, mau, content).status_code == 200
    save(cast.client(mau.head), mau.part, "A.3", "7", revision=1)  # on the form, meanwhile
    page = confirm_zip(admin, mau).content.decode()
    assert answers(mau.part) == {"A.3": ("7", None, False, "")}  # not overwritten, A.1 not saved
    assert "A.3" in page and "không có gì được lưu" in page
    assert answers(beta)["A.3"][0] == "6"


def test_a_confirmation_saves_only_the_preview_it_was_shown_with(
    mau: Mau, beta: Participation, cast: Cast
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    first = send_zip(admin, mau, packed({"b.xlsx": fill(books[beta.pk], {("A.3", "E"): 3})}))
    token = first.content.decode().split('name="token" value="')[1].split('"')[0]
    send_zip(admin, mau, packed({"b.xlsx": fill(books[beta.pk], {("A.3", "E"): 9})}))
    response = admin.post(f"/cycles/{mau.cycle.pk}/workbooks/confirm/", {"token": token})
    assert response.status_code == 302 and not answers(beta)
    assert "tải lên lại tệp ZIP" in admin.get(response["Location"]).content.decode()


@pytest.mark.parametrize("who", ["reviewer", "viewer"])
def test_a_reviewer_and_a_viewer_are_refused(
    mau: Mau, beta: Participation, cast: Cast, who: str
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    content = packed({"beta.xlsx": fill(books[beta.pk], {("A.3", "E"): 3})})
    send_zip(admin, mau, content)
    token = admin.session[f"workbooks:{mau.cycle.pk}"]["token"]
    client = cast.client(getattr(cast, who))
    assert send_zip(client, mau, content).status_code == 403
    url = f"/cycles/{mau.cycle.pk}/workbooks/confirm/"
    assert client.post(url, {"token": token}).status_code == 403
    assert not answers(beta)


def test_the_form_and_the_api_still_refuse_the_assessor(mau: Mau, cast: Cast) -> None:
    admin = cast.client(cast.admin)
    assert save(admin, mau.part, "A.3", "3").status_code == 403
    api = admin.put(
        f"/api/v1/submissions/{mau.part.pk}/answers/A.3",
        json.dumps({"value": "3", "revision": None}),
        content_type="application/json",
    )
    assert api.status_code == 403
    assert admin.post(f"/submissions/{mau.part.pk}/workbook/").status_code == 403
    assert not answers(mau.part)


def test_save_answer_on_behalf_is_the_assessors_only(mau: Mau, cast: Cast) -> None:
    submission = services.submission_for(mau.part)
    for person in (cast.reviewer, cast.viewer, mau.editor):
        with pytest.raises(services.NotAllowed):
            services.save_answer(
                submission, "A.3", value="3", revision=None, by=person, on_behalf=True
            )
    with pytest.raises(services.NotAllowed):  # without the keyword, as the form calls it
        services.save_answer(submission, "A.3", value="3", revision=None, by=cast.admin)
    services.save_answer(submission, "A.3", value="3", revision=None, by=cast.admin, on_behalf=True)
    assert answers(mau.part)["A.3"][0] == "3"
    mau.cycle.state = CycleState.UNDER_REVIEW
    mau.cycle.save(update_fields=["state"])
    with pytest.raises(services.NotAllowed):  # a closed cycle takes no answer, from anyone
        services.save_answer(
            submission, "A.3", value="4", revision=1, by=cast.admin, on_behalf=True
        )
