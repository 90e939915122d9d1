"""No live formula leaves the site: text that units and the assessor type (a unit's name, an
``info`` answer) comes out of the answers export (CSV, XLSX) and the public workbook as text
that a spreadsheet shows, never as a formula it runs; numbers stay numbers."""

from __future__ import annotations

import datetime
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.test import Client
from django.utils import timezone
from tests.core.test_docs_frameworks import EXAMPLE
from tests.formulas import HYPERLINK, assert_no_formula_in_csv, assert_no_formula_in_workbook
from tests.web.conftest import Cast, make_user, run_jobs

from chiso.cli import main as chiso_main
from chiso.web.accounts.models import Role
from chiso.web.cycles.models import Cycle, CycleState, Participation, Unit
from chiso.web.cycles.services import change_state, import_framework
from chiso.web.submissions.scoring import score_cycle

# unit name -> its info answer (E.2): each character a spreadsheet starts a formula with
TYPED = {
    HYPERLINK: HYPERLINK,
    "+Sở Cộng": "+1+1",
    "-Sở Trừ": "-2+3+cmd|' /C calc'!A0",
    "@Sở A còng": "@SUM(1+1)*cmd|' /C calc'!A0",
}


@pytest.fixture
def typed(cast: Cast) -> Cycle:
    """The docs' example framework (E.2 is ``info``); each unit's editor types its info answer
    and D.2's points on the form, and its head submits."""
    version = import_framework(cast.organisation, EXAMPLE, source_name="tinh-mau.yaml")
    cycle = Cycle.objects.create(
        organisation=cast.organisation,
        name="Tỉnh Mẫu 2026",
        year=2026,
        framework=version,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        state=CycleState.OPEN,
    )
    for number, (name, info) in enumerate(TYPED.items()):
        unit = Unit.objects.create(organisation=cast.organisation, name=name)
        part = Participation.objects.create(cycle=cycle, unit=unit, block="so")
        editor = cast.client(make_user(f"editor{number}", Role.EDITOR, unit))
        answers = {"A.1": "1", "D.2": "2,5", "E.1": str(900 + number), "E.2": info}
        for code, value in answers.items():
            posted = {"code": code, "value": value, "denominator": ""}
            saved = editor.post(f"/submissions/{part.pk}/answer/", posted, HTTP_HX_REQUEST="true")
            assert saved.status_code == 200, saved.content.decode()
        head = cast.client(make_user(f"head{number}", Role.HEAD, unit))
        head.post(f"/submissions/{part.pk}/submit/", {"confirm": "on"})
    return cycle


def test_answers_export_csv_quotes_typed_text_that_a_spreadsheet_would_run(
    cast: Cast, typed: Cycle
) -> None:
    response = cast.client(cast.admin).get(f"/cycles/{typed.pk}/export.csv")
    assert response.status_code == 200
    header, *rows = assert_no_formula_in_csv(response.content.decode())
    exported = {row[0]: dict(zip(header, row, strict=True)) for row in rows}
    assert set(exported) == {"'" + name for name in TYPED}
    assert exported["'" + HYPERLINK]["E.2"] == "'" + HYPERLINK
    assert exported["'-Sở Trừ"]["D.2"] == "2.5"


def test_answers_export_xlsx_holds_typed_text_as_text(cast: Cast, typed: Cycle) -> None:
    response = cast.client(cast.admin).get(f"/cycles/{typed.pk}/export.xlsx")
    assert response.status_code == 200
    sheet = assert_no_formula_in_workbook(response.content).active
    header, *rows = [[cell for cell in row] for row in sheet.iter_rows()]
    names = [row[0] for row in rows]
    assert {cell.value for cell in names} == set(TYPED)
    # text, shown as typed, that stays text when the cell is edited (Excel's quote prefix)
    assert all(cell.data_type == "s" and cell.quotePrefix for cell in names)
    info = [row[[c.value for c in header].index("E.2")] for row in rows]
    assert {cell.value for cell in info} == set(TYPED.values())


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_exported_typed_text_reads_back_with_chiso_score(
    cast: Cast, typed: Cycle, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / f"data.{fmt}"
    data.write_bytes(cast.client(cast.admin).get(f"/cycles/{typed.pk}/export.{fmt}").content)
    framework = tmp_path / "tinh-mau.yaml"
    framework.write_text(typed.framework.source, encoding="utf-8")
    argv = ["score", "--framework", str(framework), "--data", str(data), "--format", "json"]
    assert chiso_main(argv) == 0
    printed = json.loads(capsys.readouterr().out, parse_float=Decimal)
    exported = {u["unit"]: u["total"] for b in printed["blocks"] for u in b["units"]}
    web = {u.unit: u.total for b in score_cycle(typed).blocks for u in b.units}
    assert exported == web
    assert set(web) == set(TYPED)


def test_public_workbook_holds_typed_text_as_text_and_numbers_as_numbers(
    cast: Cast, typed: Cycle
) -> None:
    change_state(typed, CycleState.UNDER_REVIEW, by=cast.admin)
    client = cast.client(cast.admin)
    seen = client.get(f"/results/{typed.pk}/publish/").context["seen"]
    assert client.post(f"/results/{typed.pk}/publish/", {"seen": seen}).status_code == 302
    run_jobs()
    response = Client().get(f"/results/{typed.pk}/ket-qua.xlsx")
    assert response.status_code == 200
    workbook = assert_no_formula_in_workbook(b"".join(response.streaming_content))
    texts = {
        cell.value
        for sheet in workbook.worksheets
        for row in sheet.iter_rows()
        for cell in row
        if cell.data_type == "s"
    }
    assert set(TYPED) <= texts  # the names in the tables and the flat results
    assert set(TYPED.values()) <= texts  # the info answers in the raw data
    results = workbook["Kết quả"]
    header = [cell.value for cell in results[1]]
    scores = [row[header.index("Tổng điểm")] for row in results.iter_rows(min_row=2)]
    assert scores and all(cell.data_type == "n" for cell in scores)


def test_a_control_character_in_an_info_answer_is_refused_on_the_form(
    cast: Cast, typed: Cycle
) -> None:
    part = typed.participations.first()
    assert part is not None
    editor = cast.client(make_user("editor_ctl", Role.EDITOR, part.unit))
    typed.participations.update()  # the cycle is open: the unit's form takes answers
    posted = {"code": "E.2", "value": "Cổng\x01 thông tin", "denominator": ""}
    Cycle.objects.filter(pk=typed.pk).update(state=CycleState.OPEN)
    part.submission.state = "draft"
    part.submission.save()
    response = editor.post(f"/submissions/{part.pk}/answer/", posted, HTTP_HX_REQUEST="true")
    assert response.status_code == 422
    assert "Nhập văn bản không có ký tự điều khiển." in response.content.decode()


def test_a_unit_name_with_a_control_character_is_refused_in_the_administration(
    cast: Cast,
) -> None:
    response = cast.client(cast.admin).post(
        "/admin/cycles/unit/add/",
        {"organisation": cast.organisation.pk, "name": "Sở\x01 Lạ", "active": "on"},
    )
    assert response.status_code == 200  # the form again, with its error
    assert "Nhập văn bản không có ký tự điều khiển." in response.content.decode()
    assert not Unit.objects.filter(name__startswith="Sở\x01").exists()


def test_a_stored_name_with_a_control_character_does_not_stop_the_export(
    cast: Cast, typed: Cycle
) -> None:
    """XLSX cannot hold control characters (openpyxl refuses the whole file): a name stored
    with one before names were checked is written without it."""
    Unit.objects.filter(name="+Sở Cộng").update(name="+Sở\x01 Cộng")
    export = cast.client(cast.admin).get(f"/cycles/{typed.pk}/export.xlsx")
    assert export.status_code == 200
    names = {row[0].value for row in assert_no_formula_in_workbook(export.content).active}
    assert "+Sở Cộng" in names
