"""The criteria crosswalk in the web: attached to a cycle against an earlier cycle of the
assessor scored on another framework, it gives each scorecard and the publication the
change of every group against the earlier year (tests/data/crosswalk, worked by hand in
tests/reports/test_report_crosswalk.py: 2024's I is 2025's A; II.a + II.b are B; C is new;
II.c is dropped):

* A (max 6) against I (max 5): Sở X 4/6 = 66,7 % against 5/5 = 100 % → −33,3; Sở Y 6/6 =
  100 % against 1/5 = 20 % → +80,0;
* B (max 10) against II.a + II.b (max 10): Sở X 8 against 4 + 1 → +30,0; Sở Y 6 against
  5 + 5 → −40,0;
* C: not comparable.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from docx import Document
from openpyxl import load_workbook
from tests.web.conftest import make_user, run_jobs
from tests.web.test_results import give_answers, publish_on_the_page, to_review

from chiso.web.accounts.models import Role, User
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import (
    Cycle,
    CycleCrosswalk,
    CycleState,
    Organisation,
    Participation,
    Unit,
)
from chiso.web.cycles.services import import_framework

DATA = Path(__file__).parents[1] / "data" / "crosswalk"
CROSSWALK = (DATA / "crosswalk-2024-2025.csv").read_text(encoding="utf-8")
TITLE = "So với năm 2024 (điểm %)"


@dataclass
class Years:
    earlier: Cycle
    current: Cycle
    admin: User

    def client(self, user: User | None = None) -> Client:
        client = Client()
        client.force_login(user or self.admin)
        return client


def _cycle(organisation: Organisation, year: int, name: str, data: str) -> Cycle:
    source = (DATA / name).read_text(encoding="utf-8")
    cycle = Cycle.objects.create(
        organisation=organisation,
        name=f"Đánh giá năm {year}",
        year=year,
        framework=import_framework(organisation, source, source_name=name),
        state=CycleState.OPEN,
    )
    with (DATA / data).open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            unit, _ = Unit.objects.get_or_create(organisation=organisation, name=row.pop("unit"))
            participation = Participation.objects.create(cycle=cycle, unit=unit, block="so")
            give_answers(participation, row)
    return cycle


@pytest.fixture
def years(db: None) -> Years:
    organisation = Organisation.objects.create(name="Sở thử", place="Thử")
    earlier = _cycle(organisation, 2024, "earlier-2024.yaml", "units-2024.csv")
    current = _cycle(organisation, 2025, "current-2025.yaml", "units-2025.csv")
    return Years(earlier, current, make_user("admin", Role.ADMIN, organisation=organisation))


def attach(client: Client, years: Years, text: str = CROSSWALK, name: str = "cw.csv") -> object:
    file = SimpleUploadedFile(name, text.encode(), content_type="text/csv")
    return client.post(
        f"/cycles/{years.current.pk}/crosswalk/",
        {"action": "upload", "earlier": years.earlier.pk, "file": file},
    )


def group_changes(client: Client, years: Years, unit: str, draft: bool = True) -> dict[str, str]:
    """The scorecard's column of changes against 2024, by group code."""
    pk = Unit.objects.get(name=unit).pk
    suffix = "?draft" if draft else ""
    page = client.get(f"/results/{years.current.pk}/units/{pk}/{suffix}").content.decode()
    table = page.split("<h2>Các nhóm tiêu chí</h2>")[1].split("</table>")[0]
    found = {}
    for row in table.split("<tr")[2:]:
        code = re.search(r"<td>([A-Z.0-9]+)\. ", row)
        change = re.search(r'<td class="num change">(.*?)</td>', row)
        if code and change:
            found[code.group(1)] = re.sub(r"<[^>]+>", "", change.group(1))
    return found


def test_the_scorecard_shows_each_groups_change_through_the_crosswalk(years: Years) -> None:
    admin = years.client()
    assert attach(admin, years).status_code == 302
    assert group_changes(admin, years, "Sở X") == {
        "A": "-33,3",
        "A.1": "=",  # 2/2 against 2/2
        "A.2": "-50,0",  # 2/4 = 50 % against 3/3 = 100 %
        "B": "+30,0",
        "B.1": "+30,0",
        "C": "không so sánh được",
        "C.1": "không so sánh được",
    }


def test_the_column_names_the_earlier_cycles_year_not_its_frameworks(years: Years) -> None:
    years.earlier.year = 2023  # its framework is 2024's: a framework may serve several years
    years.earlier.save(update_fields=["year"])
    admin = years.client()
    attach(admin, years)
    pk = Unit.objects.get(name="Sở X").pk
    page = admin.get(f"/results/{years.current.pk}/units/{pk}/?draft").content.decode()
    assert "So với năm 2023" in page and "So với năm 2024" not in page


def xlsx_changes(content: bytes, sheet: str) -> dict[str, object] | None:
    """The column of changes against 2024 of a group's table in the workbook, by unit."""
    book = load_workbook(io.BytesIO(content), read_only=True)
    rows = [list(r) for r in book[sheet].iter_rows(values_only=True)]
    header = next(r for r in rows if "Tên cơ quan, đơn vị" in r)
    if TITLE not in header:
        return None
    name, change = header.index("Tên cơ quan, đơn vị"), header.index(TITLE)
    return {r[name]: r[change] for r in rows if r[name] in ("Sở X", "Sở Y")}


def download(client: Client, years: Years, fmt: str) -> bytes:
    response = client.get(f"/results/{years.current.pk}/ket-qua.{fmt}")
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def test_the_publication_has_the_groups_change_as_chiso_report_does(years: Years) -> None:
    admin = years.client()
    attach(admin, years)
    to_review(years.current, years.admin)
    publish_on_the_page(admin, years.current)
    assert years.current.revisions.count() == 1
    workbook = download(admin, years, "xlsx")
    assert xlsx_changes(workbook, "Bảng 1.1") == {"Sở Y": 80, "Sở X": -33.3}
    assert xlsx_changes(workbook, "Bảng 1.2") == {"Sở X": 30, "Sở Y": -40}
    assert xlsx_changes(workbook, "Bảng 1.3") is None  # C is new: no column
    document = Document(io.BytesIO(download(admin, years, "docx")))
    cells = [c.text for t in document.tables for row in t.rows for c in row.cells]
    assert {"+80,0", "-33,3", "+30,0", "-40,0"} <= set(cells)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "tiêu chí của năm 2024 không còn đánh giá: “II.c. Thư điện tử”" in text
    # the published scorecard and the public table say the same
    assert group_changes(admin, years, "Sở Y", draft=False)["A"] == "+80,0"
    assert group_changes(admin, years, "Sở Y", draft=False)["B"] == "-40,0"
    page = Client().get(f"/results/{years.current.pk}/?table=1.2").content.decode()
    assert TITLE in page.split('id="bang-1.2"')[1].split("</table>")[0]
    # published is published: the scorecard reads its comparison from the revision
    admin.post(f"/cycles/{years.current.pk}/crosswalk/", {"action": "remove"})
    assert group_changes(admin, years, "Sở Y", draft=False)["A"] == "+80,0"


def test_the_draft_document_has_the_groups_change(years: Years) -> None:
    admin = years.client()
    attach(admin, years)
    assert admin.post(f"/results/{years.current.pk}/ket-qua.xlsx/prepare/").status_code == 302
    assert run_jobs() == 1
    workbook = download(admin, years, "xlsx")
    assert xlsx_changes(workbook, "Bảng 1.2") == {"Sở X": 30, "Sở Y": -40}


def test_without_a_crosswalk_nothing_is_compared(years: Years) -> None:
    admin = years.client()
    pk = Unit.objects.get(name="Sở X").pk
    page = admin.get(f"/results/{years.current.pk}/units/{pk}/?draft").content.decode()
    assert "So với năm 2024" not in page and "không so sánh được" not in page


def test_an_unknown_code_is_refused_naming_the_file_row_and_column(years: Years) -> None:
    admin = years.client()
    response = attach(admin, years, "mã,mã năm trước\nA,I\nB,II.z\n", "bang.csv")
    assert response.status_code == 200
    page = response.content.decode()
    assert (
        "bang.csv, dòng 3, cột &#x27;mã năm trước&#x27;: &#x27;II.z&#x27; không phải là tiêu"
        " chí hay nhóm tiêu chí của bộ tiêu chí mau-2024"
    ) in page
    response = attach(admin, years, "code,earlier_code\nZ.9,I\n", "bang.csv")
    assert (
        "dòng 2, cột &#x27;code&#x27;: &#x27;Z.9&#x27; không phải là tiêu chí"
        in response.content.decode()
    )
    response = attach(admin, years, "code\nA\n", "bang.csv")
    assert (
        "bang.csv, dòng 1: thiếu cột &#x27;mã năm trước&#x27; (hoặc &#x27;earlier_code&#x27;)"
        in response.content.decode()
    )
    assert not CycleCrosswalk.objects.exists()
    assert not AuditEntry.objects.filter(action=Action.ADDED).exists()


def test_the_earlier_cycle_must_be_an_earlier_year_of_the_assessor(years: Years) -> None:
    admin = years.client()
    file = SimpleUploadedFile("cw.csv", CROSSWALK.encode(), content_type="text/csv")
    response = admin.post(
        f"/cycles/{years.earlier.pk}/crosswalk/",
        {"action": "upload", "earlier": years.current.pk, "file": file},
    )
    assert response.status_code == 200  # 2025 is not before 2024: not a choice
    assert "earlier" in response.context["form"].errors
    assert not CycleCrosswalk.objects.exists()


def test_attaching_and_removing_are_in_the_audit_trail(years: Years) -> None:
    admin = years.client()
    attach(admin, years)
    added = AuditEntry.objects.get(action=Action.ADDED, cycle=years.current)
    assert added.actor == years.admin and added.note == "cw.csv"
    assert "Bảng chuyển đổi tiêu chí so với Đánh giá năm 2024" in added.new
    assert "B ← II.a; B ← II.b" in added.new and "— ← II.c" in added.new
    page = admin.get(f"/cycles/{years.current.pk}/crosswalk/").content.decode()
    assert "gộp từ nhiều tiêu chí" in page and "II.a. Dịch vụ công + II.b. Văn bản điện tử" in page
    assert "mới: không so sánh được" in page and "II.c. Thư điện tử" in page
    response = admin.post(f"/cycles/{years.current.pk}/crosswalk/", {"action": "remove"})
    assert response.status_code == 302
    assert not CycleCrosswalk.objects.exists()
    removed = AuditEntry.objects.get(action=Action.DELETED, cycle=years.current)
    assert removed.actor == years.admin and removed.old == added.new
    assert group_changes(admin, years, "Sở X") == {}  # no column any more


def test_only_the_assessor_attaches_or_removes(years: Years) -> None:
    organisation = years.current.organisation
    viewer = make_user("viewer", Role.VIEWER, organisation=organisation)
    reviewer = make_user("reviewer", Role.REVIEWER, organisation=organisation)
    url = f"/cycles/{years.current.pk}/crosswalk/"
    assert years.client(viewer).get(url).status_code == 200  # reads it
    file = SimpleUploadedFile("cw.csv", CROSSWALK.encode(), content_type="text/csv")
    data = {"action": "upload", "earlier": years.earlier.pk, "file": file}
    assert years.client(viewer).post(url, data).status_code == 403
    assert years.client(reviewer).get(url).status_code == 403
    attach(years.client(), years)
    assert years.client(viewer).post(url, {"action": "remove"}).status_code == 403
    assert CycleCrosswalk.objects.count() == 1
    other = Organisation.objects.create(name="Sở khác", place="Khác")
    stranger = make_user("other_admin", Role.ADMIN, organisation=other)
    assert years.client(stranger).get(url).status_code == 404
    assert years.client(stranger).post(url, {"action": "remove"}).status_code == 404
    assert CycleCrosswalk.objects.count() == 1


@pytest.mark.parametrize(
    ("text", "said"),
    [
        # the Vietnamese page names a missing column as a Vietnamese file heads it
        (
            "mã\nA\n",
            "bang.csv, dòng 1: thiếu cột &#x27;mã năm trước&#x27; (hoặc &#x27;earlier_code&#x27;)",
        ),
        ("mã năm trước\nI\n", "bang.csv, dòng 1: thiếu cột &#x27;mã&#x27; (hoặc &#x27;code&#x27;)"),
        ("", "bang.csv: tệp trống"),
        ("  \n", "bang.csv: tệp trống"),
    ],
)
def test_a_file_without_its_columns_or_empty_is_refused_naming_it(
    years: Years, text: str, said: str
) -> None:
    response = attach(years.client(), years, text, "bang.csv")
    assert response.status_code == 200
    assert said in response.content.decode()
    assert not CycleCrosswalk.objects.exists()


@pytest.mark.parametrize("name", ["bang.txt", "bang.xls", "bang"])
def test_a_file_neither_csv_nor_xlsx_is_refused_naming_it(years: Years, name: str) -> None:
    response = attach(years.client(), years, CROSSWALK, name)
    assert response.status_code == 200
    assert (
        f"{name}: không phải tệp .csv hay .xlsx: hãy lưu tệp dưới dạng CSV UTF-8 hoặc sổ tính XLSX"
        in response.content.decode()
    )
    assert not CycleCrosswalk.objects.exists()
    assert attach(years.client(), years, CROSSWALK, "BANG.CSV").status_code == 302


def test_on_a_published_cycle_the_crosswalk_changes_nothing_published(years: Years) -> None:
    admin = years.client()
    url = f"/cycles/{years.current.pk}/crosswalk/"
    assert "đã được công bố" not in admin.get(url).content.decode()
    to_review(years.current, years.admin)
    publish_on_the_page(admin, years.current)
    page = admin.get(url).content.decode()
    assert "gắn hay gỡ bảng chuyển đổi tiêu chí không thay đổi gì đã công bố" in page
    # what the page says: attached after publication, the published scorecard has no column
    assert attach(admin, years).status_code == 302
    assert group_changes(admin, years, "Sở Y", draft=False) == {}
    public = Client().get(f"/results/{years.current.pk}/?table=1.2").content.decode()
    assert TITLE not in public
