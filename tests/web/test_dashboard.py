"""The assessor's dashboard: every unit's state, completeness and lateness; reopen, the cycle's
state, a new cycle, and the export in the data format of ``chiso score``."""

from __future__ import annotations

import csv
import datetime
import io
import json
from decimal import Decimal
from pathlib import Path

import pytest
from django.utils import timezone
from tests.core.test_docs_frameworks import EXAMPLE
from tests.web.conftest import Cast, make_user

from chiso.cli import main as chiso_main
from chiso.web.accounts.models import Role
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.models import Cycle, CycleState, Participation, Unit
from chiso.web.cycles.services import import_framework
from chiso.web.submissions import services
from chiso.web.submissions.completeness import completeness
from chiso.web.submissions.models import Evidence, SubmissionState
from chiso.web.submissions.scoring import score_cycle
from chiso.web.submissions.services import save_answer, submit


def attach(submission: services.Submission, code: str) -> None:
    Evidence.objects.create(
        submission=submission,
        code=code,
        file="evidence/x.pdf",
        name="x.pdf",
        content_type="application/pdf",
        size=1,
        sha256="0" * 64,
    )


@pytest.fixture
def example(cast: Cast) -> Cycle:
    """The Tỉnh Mẫu 2026 example of docs/frameworks.md (every rule type), with Sở Alpha
    submitted, Sở Beta submitted without evidence for C.1, Sở Gamma (B not applicable) a
    draft and Sở Delta with nothing."""
    version = import_framework(cast.organisation, EXAMPLE, source_name="tinh-mau.yaml")
    cycle = Cycle.objects.create(
        organisation=cast.organisation,
        name="Tỉnh Mẫu 2026",
        year=2026,
        framework=version,
        deadline=datetime.date(2026, 3, 31),
        state=CycleState.OPEN,
    )
    answers = {
        "Sở Alpha": {
            "A.1": "1",
            "A.2": ("50", "50"),
            "A.3": "4",
            "B.1": "80",
            "B.2": "na",
            "C.1": "1",
            "C.2": "1",
            "C.3": "toan-bo",
            "D.1": "4",
            "D.2": "3",
            "E.1": "1200",
            "E.2": "3",
        },
        "Sở Beta": {
            "A.1": "1",
            "A.2": ("45", "60"),
            "A.3": "2",
            "B.1": ("150", "250"),
            "B.2": "45",
            "C.1": "1",
            "C.2": "1",
            "C.3": "mot-phan",
            "D.1": "3",
            "D.2": "2,5",
            "E.1": "900",
        },
        "Sở Gamma": {"A.1": "1", "A.2": "60", "B": "na", "C.1": "0"},
    }
    for name in ["Sở Alpha", "Sở Beta", "Sở Gamma", "Sở Delta"]:
        unit = Unit.objects.create(organisation=cast.organisation, name=name)
        part = Participation.objects.create(cycle=cycle, unit=unit, block="so")
        if name not in answers:
            continue
        submission = services.submission_for(part)
        member = make_user(f"head of {name}", Role.HEAD, unit)
        for code, value in answers[name].items():
            value, denominator = value if isinstance(value, tuple) else (value, "")
            save_answer(
                submission,
                code,
                value="" if value == "na" else value,
                denominator=denominator,
                not_applicable=value == "na",
                revision=None,
                by=member,
            )
        for code in ("C.1", "C.2"):
            if name == "Sở Alpha" or (name == "Sở Beta" and code == "C.2"):
                attach(submission, code)
        if name != "Sở Gamma":
            submit(submission, by=member)
    return cycle


def test_completeness_counts_unanswered_and_missing_evidence(example: Cycle) -> None:
    framework = example.framework.framework
    beta = example.participations.get(unit__name="Sở Beta").submission
    gamma = example.participations.get(unit__name="Sở Gamma").submission
    beta_done = completeness(framework, "so", beta.answers.all(), ["C.2"])
    # E.2 is info: not required; C.1 answered yes without evidence
    assert beta_done.required == 11
    assert beta_done.unanswered == ()
    assert beta_done.evidence_missing == ("C.1",)
    gamma_done = completeness(framework, "so", gamma.answers.all(), [])
    # B not applicable covers B.1 and B.2; C.1 answered no needs no evidence
    assert gamma_done.unanswered == ("A.3", "C.2", "C.3", "D.1", "D.2", "E.1")
    assert gamma_done.evidence_missing == ()
    assert completeness(framework, "so", beta.answers.all(), ["C.1", "C.2"]).is_complete


def test_dashboard_shows_each_units_state_and_what_is_missing(
    cast: Cast, example: Cycle, django_assert_max_num_queries: object
) -> None:
    client = cast.client(cast.admin)
    # the page's units are read as tuples, the shown ones' models in one more query
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        response = client.get(f"/cycles/{example.pk}/")
    rows = {row.participation.unit.name: row for row in response.context["rows"]}
    assert {name: row.state for name, row in rows.items()} == {
        "Sở Alpha": "submitted",
        "Sở Beta": "submitted",
        "Sở Gamma": "draft",
        "Sở Delta": "nothing",
    }
    assert rows["Sở Beta"].completeness.evidence_missing == ("C.1",)
    assert rows["Sở Delta"].completeness.answered == 0
    assert rows["Sở Delta"].last_activity is None
    assert rows["Sở Gamma"].last_activity is not None


def test_dashboard_queries_do_not_grow_with_units(
    cast: Cast, example: Cycle, django_assert_max_num_queries: object
) -> None:
    client = cast.client(cast.admin)
    for n in range(10):
        unit = Unit.objects.create(organisation=cast.organisation, name=f"Sở {n}")
        services.submission_for(Participation.objects.create(cycle=example, unit=unit, block="so"))
    with django_assert_max_num_queries(9):  # type: ignore[operator]
        assert client.get(f"/cycles/{example.pk}/").status_code == 200


def test_units_not_submitted_after_the_deadline_are_late(cast: Cast, example: Cycle) -> None:
    example.deadline = timezone.localdate() - datetime.timedelta(days=3)
    example.save()
    response = cast.client(cast.admin).get(f"/cycles/{example.pk}/")
    late = {row.participation.unit.name for row in response.context["rows"] if row.late}
    assert late == {"Sở Gamma", "Sở Delta"}
    assert response.context["days_over"] == 3
    assert "3 ngày quá hạn" in response.content.decode()


def test_a_cycle_under_review_shows_the_review_not_the_days_past_the_deadline(
    cast: Cast, example: Cycle
) -> None:
    example.deadline = timezone.localdate() - datetime.timedelta(days=3)
    example.state = CycleState.UNDER_REVIEW
    example.save()
    response = cast.client(cast.admin).get(f"/cycles/{example.pk}/")
    page = response.content.decode()
    assert response.context["days_left"] is None
    assert "ngày quá hạn" not in page
    assert "Đã đóng tự đánh giá: các câu trả lời đang được thẩm định" in page


def test_dashboard_filters_by_state_and_block(cast: Cast) -> None:
    submit(services.submission_for(cast.part_a), by=cast.head_a)
    client = cast.client(cast.admin)
    response = client.get(f"/cycles/{cast.cycle.pk}/", {"state": "submitted"})
    assert [r.participation.unit for r in response.context["rows"]] == [cast.unit_a]
    response = client.get(f"/cycles/{cast.cycle.pk}/", {"block": "huyen"})
    assert [r.participation for r in response.context["rows"]] == [cast.district]
    fragment = client.get(f"/cycles/{cast.cycle.pk}/", {"block": "huyen"}, HTTP_HX_REQUEST="true")
    assert b"<html" not in fragment.content and "UBND huyện An Lão" in fragment.content.decode()


@pytest.mark.parametrize(
    ("who", "status"),
    [("admin", 200), ("viewer", 200), ("reviewer", 403), ("editor_a", 404), ("head_b", 404)],
)
def test_dashboard_access_by_role(cast: Cast, who: str, status: int) -> None:
    client = cast.client(getattr(cast, who))
    assert client.get(f"/cycles/{cast.cycle.pk}/").status_code == status
    assert client.get(f"/cycles/{cast.cycle.pk}/export.csv").status_code == status
    assert client.get(f"/cycles/{cast.cycle.pk}/audit/").status_code == status
    assert client.get("/cycles/").status_code == status


def test_assessor_reopens_with_a_reason(cast: Cast) -> None:
    submission = submit(services.submission_for(cast.part_a), by=cast.head_a)
    client = cast.client(cast.admin)
    url = f"/cycles/{cast.cycle.pk}/reopen/{submission.pk}/"
    client.post(url, {"reason": " "})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED
    client.post(url, {"reason": "Thiếu minh chứng mục III"})
    submission.refresh_from_db()
    assert submission.state == SubmissionState.DRAFT
    assert AuditEntry.objects.get(action=Action.REOPENED).note == "Thiếu minh chứng mục III"


@pytest.mark.parametrize(("who", "status"), [("viewer", 403), ("reviewer", 403), ("head_a", 404)])
def test_only_the_assessor_reopens(cast: Cast, who: str, status: int) -> None:
    submission = submit(services.submission_for(cast.part_a), by=cast.head_a)
    response = cast.client(getattr(cast, who)).post(
        f"/cycles/{cast.cycle.pk}/reopen/{submission.pk}/", {"reason": "x"}
    )
    assert response.status_code == status
    submission.refresh_from_db()
    assert submission.state == SubmissionState.SUBMITTED


def test_cycle_state_changes_only_after_confirmation(cast: Cast) -> None:
    client = cast.client(cast.admin)
    url = f"/cycles/{cast.cycle.pk}/state/"
    assert client.get(url).status_code == 200
    response = client.post(url, {"state": "under_review"})
    assert response.status_code == 200 and response.context["form"].errors["confirm"]
    cast.cycle.refresh_from_db()
    assert cast.cycle.state == CycleState.OPEN
    client.post(url, {"state": "under_review", "confirm": "on", "note": "hết hạn"})
    cast.cycle.refresh_from_db()
    assert cast.cycle.state == CycleState.UNDER_REVIEW
    # publishing is the results page's (it freezes the results as a revision)
    response = client.post(url, {"state": "published", "confirm": "on"})
    assert response.status_code == 200 and response.context["form"].errors["state"]
    assert f"/results/{cast.cycle.pk}/publish/" in response.content.decode()
    cast.cycle.refresh_from_db()
    assert cast.cycle.state == CycleState.UNDER_REVIEW
    assert cast.client(cast.viewer).post(url, {"state": "open", "confirm": "on"}).status_code == 403


def test_assessor_creates_a_cycle_with_units_blocks_and_voluntary(cast: Cast) -> None:
    client = cast.client(cast.admin)
    assert client.get("/cycles/new/").status_code == 200
    response = client.post(
        "/cycles/new/",
        {
            "name": "Đánh giá năm 2022",
            "year": "2022",
            "framework": cast.cycle.framework.pk,
            "deadline": "2022-10-30",
            f"unit_{cast.unit_a.pk}": "on",
            f"block_{cast.unit_a.pk}": "so",
            f"unit_{cast.district.unit.pk}": "on",
            f"block_{cast.district.unit.pk}": "huyen",
            f"voluntary_{cast.district.unit.pk}": "on",
            f"block_{cast.unit_b.pk}": "so",
        },
    )
    cycle = Cycle.objects.get(year=2022)
    assert response["Location"] == f"/cycles/{cycle.pk}/"
    assert cycle.state == CycleState.DRAFT
    assert sorted((p.unit.name, p.block, p.voluntary) for p in cycle.participations.all()) == [
        ("Sở Tư pháp", "so", False),
        ("UBND huyện An Lão", "huyen", True),
    ]
    assert cast.client(cast.viewer).get("/cycles/new/").status_code == 403


def test_new_cycle_needs_a_unit_and_a_known_block(cast: Cast) -> None:
    client = cast.client(cast.admin)
    data = {"name": "2022", "year": "2022", "framework": cast.cycle.framework.pk}
    response = client.post("/cycles/new/", data)
    assert response.context["form"].non_field_errors()
    response = client.post(
        "/cycles/new/", {**data, f"unit_{cast.unit_a.pk}": "on", f"block_{cast.unit_a.pk}": "xa"}
    )
    assert response.context["form"].errors[f"block_{cast.unit_a.pk}"]
    assert not Cycle.objects.filter(year=2022).exists()


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_scores_with_chiso_score_as_the_web_does(
    cast: Cast, example: Cycle, tmp_path: Path, fmt: str, capsys: pytest.CaptureFixture[str]
) -> None:
    response = cast.client(cast.admin).get(f"/cycles/{example.pk}/export.{fmt}")
    assert response.status_code == 200
    data = tmp_path / f"data.{fmt}"
    data.write_bytes(response.content)
    framework = tmp_path / "tinh-mau.yaml"
    framework.write_text(example.framework.source, encoding="utf-8")
    assert (
        chiso_main(
            ["score", "--framework", str(framework), "--data", str(data), "--format", "json"]
        )
        == 0
    )
    printed = json.loads(capsys.readouterr().out)
    exported = {u["unit"]: u for b in printed["blocks"] for u in b["units"]}
    web = {u.unit: u for b in score_cycle(example).blocks for u in b.units}
    assert set(exported) == set(web) == {"Sở Alpha", "Sở Beta", "Sở Gamma", "Sở Delta"}
    for name, unit in web.items():
        total = exported[name]["total"]
        assert (None if total is None else Decimal(str(total))) == unit.total, name
        assert exported[name]["rank"] == unit.rank, name
    # the published example: Alpha 25/25, Beta 16.65 without C.1's evidence
    assert web["Sở Alpha"].total == 25 and web["Sở Beta"].total == Decimal("16.65")


def test_export_writes_ratios_yes_no_evidence_and_not_applicable(
    cast: Cast, example: Cycle
) -> None:
    text = cast.client(cast.admin).get(f"/cycles/{example.pk}/export.csv").content.decode()
    header, *lines = text.splitlines()
    rows = {
        line.split(",")[0]: dict(zip(header.split(","), line.split(","), strict=True))
        for line in lines
    }
    assert header.startswith("unit,block,status,not_applicable,")
    beta, alpha = rows["Sở Beta"], rows["Sở Alpha"]
    assert (beta["A.2"], beta["A.1"], beta["C.1"], beta["C.1:evidence"]) == ("45/60", "1", "1", "")
    assert (alpha["not_applicable"], alpha["B.2"], alpha["C.1:evidence"]) == ("B.2", "", "1")
    assert rows["Sở Gamma"]["status"] == rows["Sở Delta"]["status"] == "no_data"


def test_export_of_evidence_on_a_criterion_scored_without_it_reads_back(
    cast: Cast, example: Cycle, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A file may be attached to any criterion: the export writes its ``CODE:evidence`` (A.1
    is yes/no, A.2 bands), and ``chiso score`` reads it with the same totals."""
    alpha = example.participations.get(unit__name="Sở Alpha").submission
    attach(alpha, "A.1")
    attach(alpha, "A.2")
    text = cast.client(cast.admin).get(f"/cycles/{example.pk}/export.csv").content.decode()
    data = tmp_path / "data.csv"
    data.write_text(text, encoding="utf-8")
    rows = {row["unit"]: row for row in csv.DictReader(io.StringIO(text))}
    assert (rows["Sở Alpha"]["A.1:evidence"], rows["Sở Alpha"]["A.2:evidence"]) == ("1", "1")
    framework = tmp_path / "tinh-mau.yaml"
    framework.write_text(example.framework.source, encoding="utf-8")
    argv = ["score", "--framework", str(framework), "--data", str(data), "--format", "json"]
    assert chiso_main(argv) == 0
    printed = json.loads(capsys.readouterr().out)
    exported = {u["unit"]: u["total"] for b in printed["blocks"] for u in b["units"]}
    web = {u.unit: u.total for b in score_cycle(example).blocks for u in b.units}
    assert exported["Sở Alpha"] == web["Sở Alpha"] == 25
