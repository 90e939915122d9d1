"""Evidence and the signed form: the type decided by the content, the size limit, storage
outside the web root, downloads only for those who may read the self-assessment, removal
while a draft, and the audit trail."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from tests.web.conftest import Cast
from tests.web.selfassessment.conftest import (
    EXE,
    HTMX,
    PDF,
    PNG,
    Mau,
    save,
    score,
    upload,
    xlsx_bytes,
    zip_bytes,
)

from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.submissions.models import Evidence, Submission
from chiso.web.submissions.services import submit, upload_signed_scan


def attach(client: Any, mau: Mau, code: str, file: Any) -> Any:
    return client.post(
        f"/submissions/{mau.part.pk}/evidence/", {"code": code, "file": file}, **HTMX
    )


def test_real_pdf_is_attached_stored_outside_the_web_root_and_audited(
    mau: Mau, cast: Cast, media: Path
) -> None:
    client = cast.client(mau.editor)
    response = attach(client, mau, "C.1", upload("ke-hoach.pdf", PDF))
    assert response.status_code == 200
    html = response.content.decode()
    assert "ke-hoach.pdf" in html
    evidence = Evidence.objects.get()
    assert (evidence.code, evidence.content_type, evidence.size) == (
        "C.1",
        "application/pdf",
        len(PDF),
    )
    assert (media / evidence.file.name).read_bytes() == PDF
    assert f"/submissions/{mau.part.pk}/evidence/{evidence.pk}/" in html  # never a media URL
    entry = AuditEntry.objects.get(action=Action.EVIDENCE_ADDED)
    assert (entry.code, entry.new, entry.actor) == ("C.1", "ke-hoach.pdf", mau.editor)
    assert entry.note == f"sha256 {evidence.sha256}"


def test_yes_with_evidence_scores_once_the_file_is_attached(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "C.1", "1")
    html = attach(client, mau, "C.1", upload("ke-hoach.pdf", PDF)).content.decode()
    assert score(html, mau.part, "C.1") == "1 / 1"
    # C.2 (evidence required) is not answered yet: it misses its answer, not its evidence
    assert "Thiếu tài liệu kiểm chứng ở" not in html


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bao-cao.pdf", EXE),  # an executable named .pdf
        ("anh.png", b"<html><script>alert(1)</script></html>"),
        ("bang.docx", zip_bytes({"hello.txt": b"not office"})),  # a plain zip named .docx
        (
            "macro.docx",
            zip_bytes(
                {
                    "[Content_Types].xml": b"<Types/>",
                    "word/document.xml": b"<w:document/>",
                    "word/vbaProject.bin": b"\x00",
                }
            ),
        ),
        # the legacy Office container, named as no Office document
        ("so-lieu.exe", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64),
    ],
)
def test_file_of_a_refused_type_is_refused_whatever_its_name(
    mau: Mau, cast: Cast, name: str, content: bytes
) -> None:
    response = attach(cast.client(mau.editor), mau, "A.1", upload(name, content))
    assert response.status_code == 422
    assert "Nội dung tệp không thuộc loại được chấp nhận" in response.content.decode()
    assert not Evidence.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.EVIDENCE_ADDED).exists()


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        (
            "so-lieu.xlsx",
            xlsx_bytes(),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        ),
        ("anh-chup.png", PNG, "image/png"),
        ("scan.jpg", b"\xff\xd8\xff\xe0" + b"\x00" * 32, "image/jpeg"),
        ("ban-cu.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 64, "application/msword"),
        (
            "van-ban.odt",
            zip_bytes(
                {"mimetype": b"application/vnd.oasis.opendocument.text", "content.xml": b"<x/>"}
            ),
            "application/vnd.oasis.opendocument.text",
        ),
        ("chup-man-hinh.pdf", PNG, "image/png"),  # named .pdf, a PNG inside: kept as PNG
    ],
)
def test_accepted_types_are_recognised_by_content(
    mau: Mau, cast: Cast, name: str, content: bytes, content_type: str
) -> None:
    response = attach(cast.client(mau.editor), mau, "A.1", upload(name, content))
    assert response.status_code == 200
    assert Evidence.objects.get().content_type == content_type


def test_file_over_the_size_limit_is_refused(mau: Mau, cast: Cast, settings: Any) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    big = PDF + b"%" * (1024 * 1024)
    response = attach(cast.client(mau.editor), mau, "A.1", upload("lon.pdf", big))
    assert response.status_code == 422
    assert "Tệp lớn hơn 1 MB." in response.content.decode()
    assert attach(cast.client(mau.editor), mau, "A.1", upload("nho.pdf", PDF)).status_code == 200


def test_empty_upload_and_missing_file_are_refused(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    assert "Tệp rỗng." in attach(client, mau, "A.1", upload("x.pdf", b"")).content.decode()
    response = client.post(f"/submissions/{mau.part.pk}/evidence/", {"code": "A.1"}, **HTMX)
    assert response.status_code == 422
    assert "Chọn tệp để tải lên." in response.content.decode()


def test_the_same_file_twice_on_one_criterion_is_refused(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    attach(client, mau, "A.1", upload("a.pdf", PDF))
    response = attach(client, mau, "A.1", upload("b.pdf", PDF))
    assert response.status_code == 422
    assert "đã được đính kèm" in response.content.decode()


def test_download_streams_the_file_as_an_attachment(mau: Mau, cast: Cast) -> None:
    attach(cast.client(mau.editor), mau, "A.1", upload("ke-hoach.pdf", PDF))
    evidence = Evidence.objects.get()
    response = cast.client(cast.reviewer).get(f"/submissions/{mau.part.pk}/evidence/{evidence.pk}/")
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == PDF
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["X-Content-Type-Options"] == "nosniff"


def test_removal_while_draft_keeps_the_record_and_is_audited(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "C.1", "1")
    attach(client, mau, "C.1", upload("ke-hoach.pdf", PDF))
    evidence = Evidence.objects.get()
    response = client.post(f"/submissions/{mau.part.pk}/evidence/{evidence.pk}/remove/", **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert "ke-hoach.pdf" not in html and score(html, mau.part, "C.1") == "0 / 1"
    evidence.refresh_from_db()
    assert evidence.removed_at is not None and evidence.file.storage.exists(evidence.file.name)
    entry = AuditEntry.objects.get(action=Action.EVIDENCE_REMOVED)
    assert (entry.code, entry.old, entry.actor) == ("C.1", "ke-hoach.pdf", mau.editor)
    # a removed file is no longer served
    url = f"/submissions/{mau.part.pk}/evidence/{evidence.pk}/"
    assert client.get(url).status_code == 404


def test_after_submit_evidence_cannot_be_added_or_removed(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    attach(client, mau, "A.1", upload("a.pdf", PDF))
    submit(Submission.objects.get(), by=mau.head)
    evidence = Evidence.objects.get()
    response = attach(client, mau, "A.1", upload("b.png", PNG))
    assert response.status_code == 403 and "đã khóa" in response.content.decode()
    response = client.post(f"/submissions/{mau.part.pk}/evidence/{evidence.pk}/remove/", **HTMX)
    assert response.status_code == 403
    evidence.refresh_from_db()
    assert evidence.removed_at is None and Evidence.objects.count() == 1


# --- the signed form -------------------------------------------------------------------------


def test_signed_scan_is_uploaded_after_submit_and_audited(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    url = f"/submissions/{mau.part.pk}/signed/"
    save(client, mau.part, "A.1", "1")
    response = client.post(url, {"file": upload("phieu.pdf", PDF)})
    assert response.status_code == 422  # not submitted yet
    assert "Hãy nộp bản tự đánh giá trước" in response.content.decode()
    submit(Submission.objects.get(), by=mau.head)
    response = client.post(url, {"file": upload("phieu.pdf", EXE)})
    assert response.status_code == 422
    assert "Nội dung tệp không thuộc loại được chấp nhận" in response.content.decode()
    assert client.post(url, {"file": upload("phieu-ky.pdf", PDF)}).status_code == 302
    entry = AuditEntry.objects.get(action=Action.SIGNED_SCAN)
    assert (entry.new, entry.actor) == ("phieu-ky.pdf", mau.editor)
    download = cast.client(cast.admin).get(f"/submissions/{mau.part.pk}/signed/file/")
    assert b"".join(download.streaming_content) == PDF
    assert download["Content-Type"] == "application/pdf"
    page = client.get(f"/submissions/{mau.part.pk}/").content.decode()
    assert "Tải phiếu đã ký" in page


def test_signed_scan_of_a_published_cycle_cannot_be_replaced(mau: Mau, cast: Cast) -> None:
    save(cast.client(mau.editor), mau.part, "A.1", "1")
    submission = submit(Submission.objects.get(), by=mau.head)
    upload_signed_scan(submission, upload("phieu.pdf", PDF), by=mau.head)
    Cycle.objects.filter(pk=mau.part.cycle_id).update(state=CycleState.PUBLISHED)
    response = cast.client(mau.head).post(
        f"/submissions/{mau.part.pk}/signed/", {"file": upload("khac.pdf", PDF + b" ")}
    )
    assert response.status_code == 403
    assert "đã công bố" in response.content.decode()
    assert Submission.objects.get().signed_scan.name.endswith("phieu.pdf")
    assert AuditEntry.objects.filter(action=Action.SIGNED_SCAN).count() == 1


def test_signed_scan_may_not_be_an_office_document(mau: Mau, cast: Cast) -> None:
    save(cast.client(mau.editor), mau.part, "A.1", "1")
    submit(Submission.objects.get(), by=mau.head)
    response = cast.client(mau.head).post(
        f"/submissions/{mau.part.pk}/signed/", {"file": upload("phieu.xlsx", xlsx_bytes())}
    )
    assert response.status_code == 422
