"""The assessor's ZIP of every unit's workbook, sent back filled: checked, then saved on the
units' behalf through save_answer, unit by unit, all or nothing for each; the audit trail names
the assessor and says for whom. The form and the API still refuse the assessor."""

from __future__ import annotations

import io
import json
import zipfile
from typing import Any
from unittest import mock

import pytest
from django.test import Client
from tests.web.conftest import Cast, make_user, run_jobs
from tests.web.selfassessment.conftest import Mau, check_zip, save
from tests.web.selfassessment.test_workbook import answers, fill

from chiso.web.accounts.models import Role
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import CycleState, Organisation, Participation, Unit
from chiso.web.jobs.models import Job, Kind, State
from chiso.web.submissions import services
from chiso.web.submissions import workbooks as zip_workbooks
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
    return check_zip(client, mau.cycle, content)


def checks(mau: Mau) -> list[Job]:
    return list(Job.objects.filter(kind=Kind.WORKBOOKS_CHECK, cycle_pk=mau.cycle.pk).order_by("pk"))


def confirm_zip(client: Client, mau: Mau, checked: Job | None = None) -> Any:
    """Confirm the preview of ``checked`` (the last upload's); once the worker saved, the page
    of what was saved."""
    checked = checked or checks(mau)[-1]
    sent = client.post(f"/cycles/workbooks/{checked.pk}/save/")
    assert sent.status_code == 302, sent
    run_jobs()
    job = sent["Location"].removeprefix("/jobs/").strip("/")
    return client.get(f"/cycles/workbooks/{job}/", follow=True)


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
    # the upload is kept with its job, not in the session
    assert not any(key.startswith("workbooks") for key, _ in admin.session.items())
    # confirmed again: the same job, nothing saved twice
    again = confirm_zip(admin, mau)
    assert again.status_code == 200 and AuditEntry.objects.filter(action=Action.ANSWER).count() == 3
    assert Job.objects.filter(kind=Kind.WORKBOOKS_SAVE).count() == 1
    saving = Job.objects.get(kind=Kind.WORKBOOKS_SAVE)
    assert saving.started_by == cast.admin and saving.result_label == (
        "Đã lưu cho 2 đơn vị: xem những gì đã lưu."
    )
    preview = admin.get(f"/cycles/workbooks/{checks(mau)[0].pk}/").content.decode()
    assert f'href="/jobs/{saving.pk}/"' in preview and "/save/" not in preview
    # the preview says what was saved, not what will be
    assert "Sẽ lưu" not in preview
    assert "Đã lưu 2 thay đổi" in preview and "Đã lưu 1 thay đổi" in preview


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
    send_zip(admin, mau, packed({"b.xlsx": fill(books[beta.pk], {("A.3", "E"): 3})}))
    send_zip(admin, mau, packed({"b.xlsx": fill(books[beta.pk], {("A.3", "E"): 9})}))
    first, _later = checks(mau)
    confirm_zip(admin, mau, first)  # the first preview's button, in another tab
    assert answers(beta)["A.3"][0] == "3"


@pytest.mark.parametrize("who", ["reviewer", "viewer"])
def test_a_reviewer_and_a_viewer_are_refused(
    mau: Mau, beta: Participation, cast: Cast, who: str
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    content = packed({"beta.xlsx": fill(books[beta.pk], {("A.3", "E"): 3})})
    send_zip(admin, mau, content)
    (checked,) = checks(mau)
    client = cast.client(getattr(cast, who))
    assert send_zip(client, mau, content).status_code == 403
    # another's check is not even shown to exist
    assert client.get(f"/cycles/workbooks/{checked.pk}/").status_code == 404
    assert client.post(f"/cycles/workbooks/{checked.pk}/save/").status_code == 404
    assert not answers(beta) and not Job.objects.filter(kind=Kind.WORKBOOKS_SAVE).exists()


def test_another_assessor_s_administrator_sees_no_check_and_saves_nothing(
    mau: Mau, beta: Participation, cast: Cast
) -> None:
    admin = cast.client(cast.admin)
    books = workbooks(admin, mau)
    send_zip(admin, mau, packed({"beta.xlsx": fill(books[beta.pk], {("A.3", "E"): 3})}))
    (checked,) = checks(mau)
    other = Organisation.objects.create(name="Sở TT&TT tỉnh Phú Yên", place="Tuy Hòa")
    stranger = cast.client(make_user("admin_py", Role.ADMIN, organisation=other))
    assert stranger.get(f"/cycles/workbooks/{checked.pk}/").status_code == 404
    assert stranger.post(f"/cycles/workbooks/{checked.pk}/save/").status_code == 404
    # an export's job is not a check's page
    export = Job.objects.create(kind=Kind.EXPORT, cycle_pk=mau.cycle.pk, started_by=cast.admin,
                                task="x", state=State.DONE)  # fmt: skip
    assert admin.get(f"/cycles/workbooks/{export.pk}/").status_code == 404
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


def test_a_zip_over_the_limit_is_refused_on_upload(mau: Mau, cast: Cast) -> None:
    with mock.patch.object(zip_workbooks, "MAX_ZIP_BYTES", 1024 * 1024):
        page = send_zip(cast.client(cast.admin), mau, b"x" * (1024 * 1024 + 1))
    assert page.status_code == 422 and "Tệp lớn hơn 1 MB." in page.content.decode()
    assert not Job.objects.exists()
