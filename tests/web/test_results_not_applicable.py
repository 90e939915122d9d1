"""The unit's scorecard on criteria it declared not applicable: a group excluded from its
maximum reads "not applicable", without points; a criterion declared under full credit shows
the points the unit has (its maximum), marked as full credit — also in results published
before that mark was stored. An information group, worth 0 for every unit, is scored 0 of 0."""

from __future__ import annotations

import datetime
import re

import pytest
from django.test import Client
from tests.na_framework import D, E, framework
from tests.web.conftest import make_user

from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.cycles.services import import_framework
from chiso.web.submissions.models import Answer, Submission, SubmissionState

FRAMEWORK = framework(D, E)

# of 23 points: Sở Tài chính has no postal service (B.2, full credit: 3 points) and no digital
# transformation plan to score (D, full credit: 5 points); Sở Nội vụ has no procedures (B,
# excluded: 15 points left)
ANSWERS = {
    "Sở Tài chính": ({"A.1": "4", "A.2": "5", "B.1": "2"}, ["B.2", "D"]),
    "Sở Nội vụ": ({"A.1": "4", "A.2": "6", "D.1": "1", "D.2": "2"}, ["B"]),
}
FULL_CREDIT = "(không áp dụng, được tính điểm tối đa)"


@pytest.fixture
def cycle(db: None) -> Cycle:
    organisation = Organisation.objects.create(name="Sở Thông tin và Truyền thông", place="Huế")
    version = import_framework(organisation, FRAMEWORK, source_name="thu-nghiem-2024.yaml")
    cycle = Cycle.objects.create(
        organisation=organisation,
        name="Đánh giá năm 2024",
        year=2024,
        framework=version,
        deadline=datetime.date(2024, 10, 30),
        state=CycleState.OPEN,
    )
    for name, (values, declared) in ANSWERS.items():
        unit = Unit.objects.create(organisation=organisation, name=name)
        participation = Participation.objects.create(cycle=cycle, unit=unit, block="so")
        submission = Submission.objects.create(
            participation=participation, state=SubmissionState.SUBMITTED
        )
        for code, value in values.items():
            Answer.objects.create(submission=submission, code=code, value=value)
        for code in declared:
            Answer.objects.create(submission=submission, code=code, not_applicable=True)
    return cycle


@pytest.fixture
def admin(cycle: Cycle) -> User:
    return make_user("admin", Role.ADMIN)


def groups(cycle: Cycle, user: User, unit: str) -> dict[str, list[str]]:
    """The scorecard's rows of groups: the group's cell, then the others' text, by code
    (without the last, the link to the group's provenance)."""
    pk = Unit.objects.get(name=unit).pk
    client = Client()
    client.force_login(user)
    response = client.get(f"/results/{cycle.pk}/units/{pk}/")
    assert response.status_code == 200
    table = response.content.decode().split("<h2>")[1].split("</table>")[0]
    rows = {}
    for row in table.split("<tbody>")[1].split("</tr>")[:-1]:
        cells = [
            " ".join(re.sub(r"<[^>]+>", "", cell).split())
            for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)
        ]
        assert 'class="provenance"' in row
        rows[cells[0].split(". ")[0]] = cells[:-1]
    return rows


def test_full_credit_shows_the_points_marked_as_full_credit(cycle: Cycle, admin: User) -> None:
    rows = groups(cycle, admin, "Sở Tài chính")
    # B.2: 3 of 3 points, the unit has them; D: 5 of 5
    assert rows["B.2"] == [
        f"B.2. Hồ sơ qua bưu chính công ích {FULL_CREDIT}",
        "3,00",
        "3,00",
        "100,0",
        "3,00",  # no tier column: no group of this framework has tiers
    ]
    assert rows["D"][:4] == [f"D. Chuyển đổi số {FULL_CREDIT}", "5,00", "5,00", "100,0"]
    # the group around B.2 is scored as usual: 2 + 3 of 8
    assert rows["B"][:4] == ["B. Dịch vụ công trực tuyến", "5,00", "8,00", "62,5"]
    assert rows["A"][0] == "A. Hạ tầng kỹ thuật"
    assert "Không áp dụng đối với đơn vị" not in str(rows)


def test_an_excluded_group_is_not_applicable_without_points(cycle: Cycle, admin: User) -> None:
    rows = groups(cycle, admin, "Sở Nội vụ")
    assert rows["B"][:2] == ["B. Dịch vụ công trực tuyến", "Không áp dụng đối với đơn vị"]
    assert rows["D"][:4] == ["D. Chuyển đổi số", "3,00", "5,00", "60,0"]
    assert FULL_CREDIT not in str(rows)


def test_english_marks_full_credit(cycle: Cycle, admin: User) -> None:
    client = Client()
    client.force_login(admin)
    client.post("/i18n/setlang/", {"language": "en", "next": "/"})
    pk = Unit.objects.get(name="Sở Tài chính").pk
    page = client.get(f"/results/{cycle.pk}/units/{pk}/").content.decode()
    assert "(not applicable: full credit)" in page
    assert FULL_CREDIT not in page


def test_chart_leaves_out_the_excluded_group(
    cycle: Cycle, admin: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    drawn: dict[str, list[str]] = {}

    def groups_chart(labels: list[str], series: list[tuple[str, list[float]]]) -> bytes:
        drawn[series[0][0]] = labels
        drawn["values"] = [str(v) for v in series[0][1]]
        return b"\x89PNG"

    monkeypatch.setattr("chiso.web.results.views.charts.groups_chart", groups_chart)
    client = Client()
    client.force_login(admin)
    pk = Unit.objects.get(name="Sở Nội vụ").pk
    assert client.get(f"/results/{cycle.pk}/units/{pk}/chart.png").content == b"\x89PNG"
    # no B; no bar of 0 for the information group of 0 points either, as in the PDF
    assert drawn["Đơn vị"] == ["A. Hạ tầng kỹ thuật", "D. Chuyển đổi số"]
    assert drawn["values"] == ["100", "60"]
    pk = Unit.objects.get(name="Sở Tài chính").pk
    client.get(f"/results/{cycle.pk}/units/{pk}/chart.png")  # full credit: a bar like others
    assert drawn["Đơn vị"] == [
        "A. Hạ tầng kỹ thuật",
        "B. Dịch vụ công trực tuyến",
        "D. Chuyển đổi số",
    ]
    assert drawn["values"] == ["90", "62.5", "100"]


def test_an_information_group_has_no_row(cycle: Cycle, admin: User) -> None:
    """Its maximum is 0 for every unit, as the block's: it carries no points, so the card has
    no row of 0 of 0 for it (as the PDF scorecard, the tables and ``chiso score`` leave it
    out), nor a "not applicable" one."""
    for unit in ANSWERS:
        shown = groups(cycle, admin, unit)
        assert "E" not in shown and {"A", "D"} <= set(shown)
