"""The framework upload page (/cycles/frameworks/upload/): a YAML file or a workbook is
checked, its problem shown in Vietnamese with its line (or sheet, row and column) and field,
a valid one previewed, and stored as a new version only once confirmed."""

from __future__ import annotations

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from openpyxl import load_workbook
from tests.core.test_docs_frameworks import EXAMPLE
from tests.web.conftest import Cast

from chiso.core import parse_framework
from chiso.io.framework_workbook import CRITERIA_SHEET, workbook_to_yaml, yaml_to_workbook
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import FrameworkVersion

URL = "/cycles/frameworks/upload/"


def _check(client: Client, cast: Cast, name: str, content: bytes) -> str:
    response = client.post(
        URL, {"organisation": cast.organisation.pk, "file": SimpleUploadedFile(name, content)}
    )
    assert response.status_code == 200
    return response.content.decode()


def _versions() -> int:
    return FrameworkVersion.objects.filter(framework_id="tinh-mau-2026").count()


def test_the_page_is_in_vietnamese_and_linked_from_the_cycles_list(cast: Cast) -> None:
    client = cast.client(cast.admin)
    assert URL in client.get("/cycles/").content.decode()
    page = client.get(URL).content.decode()
    assert "Tải lên bộ chỉ số" in page
    assert "Tệp bộ chỉ số (YAML) hoặc bảng tính (XLSX)" in page


def test_a_broken_yaml_file_is_shown_in_vietnamese_with_its_line_and_field(cast: Cast) -> None:
    broken = EXAMPLE.replace("year: 2026", "year: hai nghìn", 1).encode()
    page = _check(cast.client(cast.admin), cast, "tinh-mau.yaml", broken)
    assert "Không dùng được bộ chỉ số này" in page
    assert "dòng 6" in page
    assert "<code>year</code>" in page
    assert "&#x27;hai nghìn&#x27; không phải là số nguyên" in page
    assert 'name="confirm"' not in page
    assert _versions() == 0


def test_a_broken_workbook_is_shown_with_its_sheet_row_and_column(cast: Cast) -> None:
    workbook = load_workbook(io.BytesIO(yaml_to_workbook(EXAMPLE)))
    workbook[CRITERIA_SHEET]["G2"] = 6  # A's max: its children sum to 5
    out = io.BytesIO()
    workbook.save(out)
    page = _check(cast.client(cast.admin), cast, "tinh-mau.xlsx", out.getvalue())
    assert f"trang tính “{CRITERIA_SHEET}”, dòng 2, cột G" in page
    assert "điểm tối đa 6 của khối &#x27;so&#x27; không bằng tổng của các tiêu chí con (5)" in page
    assert _versions() == 0


def test_a_file_that_is_neither_yaml_nor_a_workbook_is_refused(cast: Cast) -> None:
    page = _check(cast.client(cast.admin), cast, "tinh-mau.docx", b"PK")
    assert "Hãy tải lên tệp .yaml hoặc .xlsx." in page
    page = _check(cast.client(cast.admin), cast, "tinh-mau.xlsx", b"not a zip")
    assert "không phải là tệp XLSX đọc được" in page


def test_a_workbook_whose_sheet_is_cut_short_is_refused(cast: Cast) -> None:
    """A damaged file (a sheet's XML cut in half inside the zip) is a clear error, not a 500."""
    raw = yaml_to_workbook(EXAMPLE)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw)) as source, zipfile.ZipFile(out, "w") as cut:
        for info in source.infolist():
            data = source.read(info)
            cut.writestr(
                info, data[: len(data) // 2] if "worksheets/sheet2" in info.filename else data
            )
    page = _check(cast.client(cast.admin), cast, "tinh-mau.xlsx", out.getvalue())
    assert "không phải là tệp XLSX đọc được" in page
    assert 'name="confirm"' not in page
    assert _versions() == 0


@pytest.mark.parametrize(
    ("name", "content"),
    [("tinh-mau-2026.yaml", EXAMPLE.encode()), ("tinh-mau-2026.xlsx", yaml_to_workbook(EXAMPLE))],
)
def test_a_valid_framework_is_previewed_then_stored_once_confirmed(
    cast: Cast, name: str, content: bytes
) -> None:
    client = cast.client(cast.admin)
    page = _check(client, cast, name, content)
    assert "Xem trước" in page
    for text in ("A.1", "Hạ tầng số", "yes_no_evidence", "proportional", "Sở, ban, ngành"):
        assert text in page
    assert '<th class="number">25</th><th class="number">30</th>' in page  # the totals
    assert _versions() == 0  # nothing stored before the confirmation

    source = workbook_to_yaml(content, name) if name.endswith(".xlsx") else EXAMPLE
    response = client.post(
        URL,
        {
            "confirm": "1",
            "organisation": cast.organisation.pk,
            "source": source,
            "source_name": name,
        },
    )
    assert response.status_code == 302
    version = FrameworkVersion.objects.get(framework_id="tinh-mau-2026")
    assert parse_framework(version.source) == parse_framework(EXAMPLE)
    assert (version.source_name, version.created_by) == (name, cast.admin)
    entry = AuditEntry.objects.get(action=Action.FRAMEWORK, new=str(version))
    assert entry.actor == cast.admin
    assert "tinh-mau-2026 v1" in client.get(response["Location"]).content.decode()


def test_a_confirmation_with_a_changed_file_stores_nothing(cast: Cast) -> None:
    response = cast.client(cast.admin).post(
        URL,
        {
            "confirm": "1",
            "organisation": cast.organisation.pk,
            "source": EXAMPLE.replace("max: 5\n", "max: 6\n", 1),
            "source_name": "tinh-mau-2026.yaml",
        },
    )
    assert "không bằng tổng của các tiêu chí con" in response.content.decode()
    assert _versions() == 0


@pytest.mark.parametrize(("who", "status"), [("reviewer", 403), ("viewer", 403), ("editor_a", 404)])
def test_only_the_assessor_uploads(cast: Cast, who: str, status: int) -> None:
    client = cast.client(getattr(cast, who))
    content = SimpleUploadedFile("tinh-mau-2026.yaml", EXAMPLE.encode())
    assert client.post(
        URL, {"organisation": cast.organisation.pk, "file": content}
    ).status_code == (status)
    confirm = {"confirm": "1", "organisation": cast.organisation.pk, "source": EXAMPLE,
               "source_name": "x.yaml"}  # fmt: skip
    assert client.post(URL, confirm).status_code == status
    assert _versions() == 0


def test_a_cycles_framework_downloads_as_a_workbook(cast: Cast) -> None:
    response = cast.client(cast.viewer).get(f"/cycles/{cast.cycle.pk}/framework.xlsx")
    assert response.status_code == 200
    assert 'filename="binh-dinh-2021-v1.xlsx"' in response["Content-Disposition"]
    back = workbook_to_yaml(response.content, "binh-dinh-2021-v1.xlsx")
    assert parse_framework(back) == parse_framework(cast.cycle.framework.source)


def test_the_example_workbook_is_tinh_mau(cast: Cast) -> None:
    response = cast.client(cast.admin).get("/cycles/frameworks/example.xlsx")
    assert parse_framework(workbook_to_yaml(response.content)) == parse_framework(EXAMPLE)


def test_every_problem_found_together_is_listed(cast: Cast) -> None:
    broken = (
        EXAMPLE.replace("year: 2026", "year: hai nghìn", 1)
        .replace("{min: 0, points: 0}", "{mim: 0, points: 0}", 1)
        .replace("rule: {type: yes_no}", "rule: {type: yes_noo}", 1)
    )
    page = _check(cast.client(cast.admin), cast, "tinh-mau.yaml", broken.encode())
    assert page.count('class="problem"') == 3
    for text in (
        "&#x27;hai nghìn&#x27; không phải là số nguyên",
        "trường không xác định (có phải là &#x27;min&#x27;?)",
        "loại quy tắc không xác định &#x27;yes_noo&#x27;",
    ):
        assert text in page


def test_the_text_sent_back_with_crlf_is_stored_as_checked(cast: Cast) -> None:
    client = cast.client(cast.admin)
    confirm = {"confirm": "1", "organisation": cast.organisation.pk,
               "source": EXAMPLE.replace("\n", "\r\n"), "source_name": "tinh-mau-2026.yaml"}  # fmt: skip
    assert client.post(URL, confirm).status_code == 302
    version = FrameworkVersion.objects.get(framework_id="tinh-mau-2026")
    assert version.source == EXAMPLE
