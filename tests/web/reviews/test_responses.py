"""The units' responses to round 1: only their own unit, only in the window, checked files,
kept in the audit trail."""

from __future__ import annotations

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.web.conftest import Cast
from tests.web.reviews.conftest import close_round_1

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.reviews.files import UploadError
from chiso.web.reviews.models import Response, ResponseFile, Review, Stage
from chiso.web.reviews.selectors import final_unit_data
from chiso.web.reviews.services import Conflict, NotAllowed, change_stage, respond

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\n%%EOF\n"


def pdf(name: str = "quyet-dinh.pdf") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


@pytest.fixture
def window(round_1: Cast, media) -> Cast:  # type: ignore[no-untyped-def]
    close_round_1(round_1)
    return round_1


def test_unit_responds_with_text_and_new_evidence(window: Cast) -> None:
    response = respond(
        window.part_a, "III", text="Đã ban hành quy chế", files=[pdf()], by=window.editor_a
    )
    assert response.text == "Đã ban hành quy chế"
    stored = ResponseFile.objects.get(response=response)
    assert stored.name == "quyet-dinh.pdf" and stored.size == len(PDF)
    assert stored.file.read() == PDF
    entry = AuditEntry.objects.get(action=Action.RESPONSE)
    assert (entry.code, entry.new, entry.actor, entry.note) == (
        "III",
        "Đã ban hành quy chế",
        window.editor_a,
        "quyet-dinh.pdf",
    )


def test_editor_of_unit_b_cannot_respond_for_unit_a(window: Cast) -> None:
    with pytest.raises(NotAllowed, match="Only the unit"):
        respond(window.part_a, "III", text="x", by=window.editor_b)
    assert not Response.objects.exists()


@pytest.mark.parametrize("who", ["admin", "reviewer", "viewer"])
def test_only_unit_members_respond(window: Cast, who: str) -> None:
    with pytest.raises(NotAllowed):
        respond(window.part_a, "III", text="x", by=getattr(window, who))


def test_no_response_before_round_1_closes(round_1: Cast) -> None:
    with pytest.raises(NotAllowed, match="not accepted now"):
        respond(round_1.part_a, "III", text="x", by=round_1.editor_a)


def test_no_response_after_the_deadline(window: Cast) -> None:
    Review.objects.update(response_deadline=datetime.date.today() - datetime.timedelta(days=2))
    with pytest.raises(NotAllowed, match="not accepted now"):
        respond(window.part_a, "III", text="x", by=window.editor_a)


def test_no_response_once_round_2_opens(window: Cast) -> None:
    change_stage(window.cycle, Stage.ROUND_2, by=window.admin)
    with pytest.raises(NotAllowed, match="not accepted now"):
        respond(window.part_a, "III", text="x", by=window.head_a)


@pytest.mark.parametrize(
    ("name", "content", "reason"),
    [
        ("script.exe", b"MZ\x90\x00", "not an accepted type"),
        ("trang.pdf", b"<html><script>", "not an accepted type"),
        ("rong.pdf", b"", "empty"),
    ],
)
def test_refused_files_name_the_file_and_store_nothing(
    window: Cast, name: str, content: bytes, reason: str
) -> None:
    upload = SimpleUploadedFile(name, content)
    with pytest.raises(UploadError, match=f"{name}: .*{reason}"):
        respond(window.part_a, "III", text="x", files=[upload], by=window.editor_a)
    assert not Response.objects.exists() and not ResponseFile.objects.exists()


def test_too_large_a_file_is_refused(window: Cast, settings) -> None:  # type: ignore[no-untyped-def]
    settings.EVIDENCE_MAX_BYTES = 10
    with pytest.raises(UploadError, match="larger than"):
        respond(window.part_a, "III", text="x", files=[pdf()], by=window.editor_a)


def test_stale_response_is_a_conflict(window: Cast) -> None:
    first = respond(window.part_a, "III", text="một", by=window.editor_a)
    respond(window.part_a, "III", text="hai", revision=first.revision, by=window.head_a)
    with pytest.raises(Conflict) as conflict:
        respond(window.part_a, "III", text="ba", revision=first.revision, by=window.editor_a)
    assert (conflict.value.theirs, conflict.value.yours) == ("hai", "ba")


def test_a_response_without_its_revision_never_replaces_the_saved_one(window: Cast) -> None:
    url = f"/reviews/unit/{window.part_a.pk}/respond/III/"
    assert window.client(window.editor_a).post(url, {"text": "một"}).status_code == 302
    response = window.client(window.head_a).post(url, {"text": "hai"}, follow=True)  # no revision
    assert "Người khác vừa sửa giải trình này: một" in response.content.decode()
    assert Response.objects.get().text == "một"


def test_new_evidence_counts_for_a_criterion_that_needs_evidence(window: Cast) -> None:
    respond(window.part_a, "II.b.3", text="Bổ sung", files=[pdf()], by=window.editor_a)
    data = {d.unit: d for d in final_unit_data(window.cycle)}["Sở Tư pháp"]
    assert data.answers["II.b.3"].evidence is True
    assert data.answers["III"].evidence is False


def test_no_response_once_the_results_are_published(window: Cast) -> None:
    """Results can be published while the responses are still open; a response would then
    change a published cycle."""
    Cycle.objects.filter(pk=window.cycle.pk).update(state=CycleState.PUBLISHED)
    response = window.client(window.editor_a).post(
        f"/reviews/unit/{window.part_a.pk}/respond/III/", {"text": "Đã bổ sung", "files": [pdf()]}
    )
    assert response.status_code == 403
    assert not Response.objects.exists() and not ResponseFile.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.RESPONSE).exists()
