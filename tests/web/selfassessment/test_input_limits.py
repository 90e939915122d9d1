"""Inputs that would make the server unpack, write out or build far more than they say: each is
refused with a one-line message and a 4xx, and leaves everything as it was.

The zip bomb, the tiny exponent, nested YAML aliases and a workbook that claims a million rows
are the attacks a probe of the site used; benchmarks/input_limits.py measures their time and
memory."""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from tests.attacks import bzip2_odt, deflate_docx, encrypted, nested_aliases, sparse_workbook
from tests.web.conftest import Cast, run_jobs
from tests.web.selfassessment.conftest import HTMX, Mau, save, upload

from chiso.web.audit.models import AuditEntry
from chiso.web.cycles.models import FrameworkVersion
from chiso.web.results.models import PreviousResult
from chiso.web.submissions.models import Answer, Evidence, Submission

API = "/api/v1"


def attach(client: Any, mau: Mau, content: bytes, name: str) -> Any:
    return client.post(
        f"/submissions/{mau.part.pk}/evidence/",
        {"code": "A.1", "file": upload(name, content)},
        **HTMX,
    )


REFUSED_ARCHIVE = "hoặc được nén theo cách không tài liệu thật nào dùng"


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("bom.odt", bzip2_odt),
        ("lon.docx", lambda: deflate_docx(120)),
        ("mat.docx", lambda: encrypted(deflate_docx(1, zeros=False))),
    ],
    ids=["bzip2-member", "unpacks-to-120-MB", "encrypted-part"],
)
def test_zip_bomb_evidence_is_refused_without_unpacking(
    mau: Mau, cast: Cast, name: str, content: Callable[[], bytes]
) -> None:
    entries = AuditEntry.objects.count()
    response = attach(cast.client(mau.editor), mau, content(), name)
    assert response.status_code == 422
    assert REFUSED_ARCHIVE in response.content.decode()
    assert not Evidence.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_a_document_within_the_unpacked_limit_is_accepted(mau: Mau, cast: Cast) -> None:
    response = attach(cast.client(mau.editor), mau, deflate_docx(2, zeros=False), "hop-le.docx")
    assert response.status_code == 200
    assert Evidence.objects.get().name == "hop-le.docx"


def test_the_unpacked_limit_is_a_setting(mau: Mau, cast: Cast, settings: Any) -> None:
    settings.UPLOAD_MAX_UNPACKED_BYTES = 1024 * 1024
    response = attach(cast.client(mau.editor), mau, deflate_docx(2, zeros=False), "hai-mb.docx")
    assert response.status_code == 422
    assert "giải nén lớn hơn 1 MB" in response.content.decode()


def test_zip_bomb_as_the_signed_form_is_refused(mau: Mau, cast: Cast) -> None:
    from chiso.web.submissions.services import submit

    save(cast.client(mau.editor), mau.part, "A.1", "1")
    submit(Submission.objects.get(), by=mau.head)
    response = cast.client(mau.head).post(
        f"/submissions/{mau.part.pk}/signed/", {"file": upload("ky.odt", bzip2_odt())}
    )
    assert response.status_code == 422
    assert REFUSED_ARCHIVE in response.content.decode()
    assert not Submission.objects.get().signed_scan


def put(client: Any, url: str, body: dict[str, Any]) -> Any:
    return client.put(url, json.dumps(body), content_type="application/json")


DIGITS = "Nhập một số có tối đa 15 chữ số trước dấu phẩy thập phân và tối đa 17 chữ số tất cả."


@pytest.mark.parametrize(
    ("code", "body"),
    [
        ("E.1", {"value": "1e-200000000"}),  # relative: would be written out as 200 MB
        ("A.3", {"value": "1e309"}),  # count
        ("E.1", {"value": "1e199"}),  # relative: would zero every other unit's points
        ("B.2", {"value": "5", "denominator": "1e20"}),  # a ratio's denominator
        ("D.2", {"value": "1e-1000"}),  # points
        ("A.3", {"value": "9" * 16}),
        ("D.2", {"value": "1,23456789012345678"}),  # 18 digits
        ("D.2", {"value": "0," + "0" * 20 + "1"}),  # 21 decimals
    ],
)
def test_api_refuses_a_number_with_too_many_digits(
    mau: Mau, cast: Cast, code: str, body: dict[str, Any]
) -> None:
    url = f"{API}/submissions/{mau.part.pk}/answers/{code}"
    entries = AuditEntry.objects.count()
    response = put(cast.client(mau.editor), url, body)
    assert response.status_code == 422, response.content
    assert response.json()["detail"] == DIGITS
    assert not Answer.objects.exists()
    assert AuditEntry.objects.count() == entries


def test_api_refuses_an_info_text_longer_than_the_answer_column(mau: Mau, cast: Cast) -> None:
    url = f"{API}/submissions/{mau.part.pk}/answers/E.2"
    client = cast.client(mau.editor)
    response = put(client, url, {"value": "x" * 201})
    assert response.status_code == 422
    assert response.json()["detail"] == "Nhập tối đa 200 ký tự."
    assert not Answer.objects.exists()
    assert put(client, url, {"value": "x" * 200}).status_code == 200


def test_autosave_refuses_an_info_text_longer_than_the_answer_column(mau: Mau, cast: Cast) -> None:
    response = save(cast.client(mau.editor), mau.part, "E.2", "x" * 201)
    assert response.status_code == 422
    assert "Nhập tối đa 200 ký tự." in response.content.decode()
    assert not Answer.objects.exists()


def test_a_note_longer_than_2000_characters_is_refused_with_its_field(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    url = f"{API}/submissions/{mau.part.pk}/answers/A.1"
    response = put(client, url, {"value": "1", "comment": "x" * 2001})
    assert response.status_code == 422
    assert response.json() == {"detail": "Nhập ghi chú tối đa 2000 ký tự.", "field": "comment"}
    data = {"code": "A.1", "value": "1", "comment": "x" * 2001}
    page = client.post(f"/submissions/{mau.part.pk}/answer/", data, **HTMX)
    assert page.status_code == 422
    assert "Nhập ghi chú tối đa 2000 ký tự." in page.content.decode()
    assert not Answer.objects.exists()


def test_autosave_refuses_the_tiny_exponent_and_keeps_the_answer(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    assert save(client, mau.part, "E.1", "12").status_code == 200
    answer = Answer.objects.get()
    response = save(client, mau.part, "E.1", "1e-200000000", revision=answer.revision)
    assert response.status_code == 422
    assert DIGITS in response.content.decode()
    answer.refresh_from_db()
    assert answer.value == "12"


def test_the_largest_numbers_an_answer_may_have_are_kept_exactly(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    url = f"{API}/submissions/{mau.part.pk}/answers"
    assert put(client, f"{url}/E.1", {"value": "9" * 15}).status_code == 200
    assert Answer.objects.get().value == "9" * 15
    assert put(client, f"{url}/D.2", {"value": "0,125"}).status_code == 200
    # 200/3 as a spreadsheet keeps it
    assert put(client, f"{url}/A.3", {"value": "66,666666666666671"}).status_code == 422
    spreadsheet = {"value": "66,666666666666671", "revision": 1}
    assert put(client, f"{url}/E.1", spreadsheet).status_code == 200
    denominator = {"value": "1,000001", "denominator": "123456789,123456"}
    assert put(client, f"{url}/B.2", denominator).status_code == 200
    stored = {a.code: (a.value, a.denominator) for a in Answer.objects.all()}
    assert stored["E.1"][0] == "66.666666666666671"
    assert stored["D.2"][0] == "0.125"
    assert stored["B.2"] == ("1.000001", Decimal("123456789.123456"))


def admin_upload(cast: Cast, source: bytes, name: str = "khung.yaml") -> Any:
    client = cast.client(cast.admin)
    file = SimpleUploadedFile(name, source, content_type="application/x-yaml")
    return client.post(
        "/admin/cycles/frameworkversion/add/",
        {"organisation": cast.organisation.pk, "file": file},
    )


@pytest.mark.parametrize(
    ("source", "message"),
    [
        (nested_aliases().encode(), "giá trị khi mở rộng các bí danh (*tên)"),
        (b"id: x\n# " + b"x" * (1024 * 1024) + b"\n", "khung.yaml lớn hơn 1 MB."),
        (
            b"id: x\ncriteria:\n"
            + b"".join(b"  - {code: C%d, name: n, max: 1}\n" % i for i in range(5001)),
            "nhiều hơn 5.000 tiêu chí và nhóm tiêu chí",
        ),
    ],
    ids=["nested-aliases", "over-1-MB", "over-5000-criteria"],
)
def test_framework_upload_over_a_limit_is_refused(cast: Cast, source: bytes, message: str) -> None:
    versions = FrameworkVersion.objects.count()
    response = admin_upload(cast, source)
    assert response.status_code == 200  # the form again, with its error
    assert message in response.content.decode()
    assert FrameworkVersion.objects.count() == versions


def test_previous_results_workbook_of_a_million_rows_is_refused(cast: Cast) -> None:
    cast.cycle.state = "published"
    cast.cycle.save()
    content = sparse_workbook(
        [["unit", "block", "year", "rank", "score"], ["Sở Tư pháp", "so", 2020, 1, 80]]
    )
    assert len(content) < 10_000
    client = cast.client(cast.admin)
    file = SimpleUploadedFile("truoc.xlsx", content)
    response = client.post(f"/results/{cast.cycle.pk}/previous/", {"file": file})
    assert response.status_code == 302  # to the import's job, read by the worker
    run_jobs()
    page = client.get(response["Location"]).content.decode()
    assert "truoc.xlsx, dòng 100001: hơn 100.000 dòng" in page
    assert not PreviousResult.objects.exists()


def test_previous_results_file_over_the_size_limit_is_refused_unread(
    cast: Cast, settings: Any
) -> None:
    settings.EVIDENCE_MAX_BYTES = 1024 * 1024
    client = cast.client(cast.admin)
    rows = b"x,so,2020,1\n" * 100_000  # 1.2 MB
    file = SimpleUploadedFile("truoc.csv", b"unit,block,year,rank\n" + rows)
    response = client.post(f"/results/{cast.cycle.pk}/previous/", {"file": file})
    assert response.status_code == 302
    page = client.get(response["Location"]).content.decode()
    assert "truoc.csv: tệp lớn hơn 1 MB" in page
    assert not PreviousResult.objects.exists()
