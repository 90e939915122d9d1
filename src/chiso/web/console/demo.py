"""The demo province: Bình Định 2021, its 21 departments and 11 districts, one account per role.

The answers are the published group points of Quyết định 5136/QĐ-UBND (23/12/2021), so the
demo's results can be compared with the published tables; its 2020 ranks are imported as the
previous year. Most units have submitted, some have drafts, one has nothing. The demo reviewer
is assigned the departments' block (REVIEWED_BLOCK); the assessor opens review round 1 from
the cycle's review page.
"""

from __future__ import annotations

import csv
import datetime
from dataclasses import dataclass

from django.core.files import File
from django.db import transaction
from django.utils import timezone

from chiso.core import shipped_frameworks
from chiso.demo import demo_file
from chiso.web.accounts import roles
from chiso.web.accounts.models import Role, User
from chiso.web.cycles.models import Cycle, CycleState, Organisation, Participation, Unit
from chiso.web.cycles.services import import_framework
from chiso.web.results.services import import_previous
from chiso.web.reviews.services import assign
from chiso.web.submissions.models import Answer, Submission, SubmissionState

ORGANISATION = "Sở Thông tin và Truyền thông tỉnh Bình Định"
PASSWORD = "chiso-demo"
EDITOR_UNIT = "Sở Tư pháp"
NOTHING_UNIT = "UBND huyện Vân Canh"
DRAFT_UNITS = frozenset({EDITOR_UNIT, "Sở Y tế", "UBND huyện An Lão", "Sở Giao thông vận tải"})
REVIEWED_BLOCK = "so"


@dataclass(frozen=True)
class Account:
    username: str
    full_name: str
    role: Role
    unit: str | None = None


ACCOUNTS = (
    Account("admin", "Nguyễn Văn An (Sở TT&TT)", Role.ADMIN),
    Account("reviewer", "Trần Thị Bình (Tổ thẩm định)", Role.REVIEWER),
    Account("editor", "Lê Văn Cường (Sở Tư pháp)", Role.EDITOR, EDITOR_UNIT),
    Account("head", "Phạm Thị Dung (Giám đốc Sở Tư pháp)", Role.HEAD, EDITOR_UNIT),
    Account("viewer", "Hoàng Văn Em (UBND tỉnh)", Role.VIEWER),
)


def demo_exists() -> bool:
    return Organisation.objects.filter(name=ORGANISATION).exists()


@transaction.atomic
def create_demo(today: datetime.date | None = None) -> Cycle:
    today = today or timezone.localdate()
    organisation = Organisation.objects.create(
        name=ORGANISATION, parent_name="UBND TỈNH BÌNH ĐỊNH", place="Quy Nhơn"
    )
    source = shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8")
    version = import_framework(organisation, source, source_name="binh-dinh-2021.yaml")
    cycle = Cycle.objects.create(
        organisation=organisation,
        name="Đánh giá, xếp hạng mức độ ứng dụng CNTT năm 2021",
        year=2021,
        framework=version,
        deadline=today + datetime.timedelta(days=14),
        state=CycleState.OPEN,
    )
    with demo_file("binh-dinh-2021-web.csv").open(encoding="utf-8") as rows:
        for row in csv.DictReader(rows):
            unit = Unit.objects.create(organisation=organisation, name=row["unit"])
            participation = Participation.objects.create(cycle=cycle, unit=unit, block=row["block"])
            if unit.name != NOTHING_UNIT:
                _answer(participation, row)
    for account in ACCOUNTS:
        user = User(username=account.username, full_name=account.full_name, role=account.role)
        user.organisation = organisation  # a unit's people too: their unit's assessor
        user.email = f"{account.username}@example.org"  # the password reset's mail: the console
        if account.unit:
            user.unit = Unit.objects.get(organisation=organisation, name=account.unit)
        user.is_staff = roles.is_assessor(user)  # the assessor's administrator
        user.set_password(PASSWORD)
        user.save()
    _import_2020_ranks(cycle)
    assign_demo_reviewer()
    return cycle


def _import_2020_ranks(cycle: Cycle) -> None:
    """The published 2020 ranks as the previous year, so that the results show the change."""
    admin = User.objects.get(username="admin")
    with demo_file("binh-dinh-2020-ranks.csv").open("rb") as handle:
        import_previous(cycle, File(handle, name="binh-dinh-2020-ranks.csv"), by=admin)


@transaction.atomic
def assign_demo_reviewer() -> None:
    """Give the demo reviewer every unit of the departments' block; kept as it is when done
    (a demo created before reviews existed gets it on the next ``seed_demo``)."""
    cycle = Cycle.objects.filter(organisation__name=ORGANISATION).order_by("pk").first()
    reviewer = User.objects.filter(username="reviewer", role=Role.REVIEWER).first()
    admin = User.objects.filter(username="admin", role=Role.ADMIN).first()
    if cycle is None or reviewer is None or admin is None:
        return
    for participation in cycle.participations.filter(block=REVIEWED_BLOCK):
        assign(cycle, reviewer, participation=participation, by=admin)


def _answer(participation: Participation, row: dict[str, str]) -> None:
    draft = participation.unit.name in DRAFT_UNITS
    submission = Submission.objects.create(participation=participation)
    codes = [c for c in row if c not in ("unit", "block", "not_applicable")]
    if draft:
        codes = codes[: len(codes) // 2]
    for code in codes:
        if row[code]:
            Answer.objects.create(submission=submission, code=code, value=row[code])
    if row["not_applicable"]:
        Answer.objects.create(
            submission=submission, code=row["not_applicable"], not_applicable=True
        )
    if not draft:
        submission.state = SubmissionState.SUBMITTED
        submission.submitted_at = timezone.now()
        submission.save()
