"""The demo province walked through, for the crawl, the accessibility check and the
screenshots: every kind of page with something on it.

- 2021 (the demo's cycle) goes the way of the README's demo paragraph: the head of Sở Tư pháp
  attaches evidence and submits, review round 1 opens, the reviewer re-scores a criterion of
  Sở Tư pháp and asks for more evidence, the round closes, the editor responds with a file,
  round 2 and the final stage follow, the assessor publishes, with the units' scorecards
  public; Sở Tư pháp uploads its signed form.
- 2022 is under review, round 1 open: a few departments and districts, one left as a draft and
  one with nothing; the reviewer has verdicts in progress on Sở Tư pháp.
- 2023 is open: Sở Tư pháp fills in a draft, others have submitted, one has nothing.
"""

from __future__ import annotations

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from chiso.web.accounts.models import User
from chiso.web.console.demo import EDITOR_UNIT, NOTHING_UNIT, create_demo
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.cycles.services import set_public_scorecards
from chiso.web.results import services as results
from chiso.web.reviews import services as reviews
from chiso.web.reviews.models import Stage
from chiso.web.submissions import services as submissions
from chiso.web.submissions.models import Answer, Submission, SubmissionState

# a PDF of one empty page, as a scanner writes it
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
ROLES = ("admin", "reviewer", "viewer", "editor", "head")
# the units of the later cycles: the editor's, three more departments, three districts
LATER_UNITS = (
    EDITOR_UNIT,
    "Sở Y tế",
    "Sở Nội vụ",
    "Sở Tài chính",
    "UBND thành phố Quy Nhơn",
    "UBND huyện An Lão",
    NOTHING_UNIT,
)
LATER_DRAFTS = frozenset({"Sở Y tế", "UBND huyện An Lão"})


def pdf(name: str) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, PDF, content_type="application/pdf")


def people() -> dict[str, User]:
    return {user.username: user for user in User.objects.filter(username__in=ROLES)}


def walk_demo(today: datetime.date | None = None) -> dict[str, Cycle]:
    """The demo with its three cycles, by year."""
    today = today or timezone.localdate()
    published = create_demo(today)
    cast = people()
    _publish_2021(published, cast, today)
    under_review = _later_cycle(published, 2022, cast, editor_submits=True)
    reviews.change_stage(under_review, Stage.ROUND_1, by=cast["admin"])
    own = under_review.participations.get(unit__name=EDITOR_UNIT)
    reviews.save_verdict(own, "III", value="12", revision=None, by=cast["reviewer"])
    reviews.save_verdict(
        own, "I", verified=False, comment="Thiếu quyết định", revision=None, by=cast["reviewer"]
    )
    is_open = _later_cycle(published, 2023, cast, editor_submits=False)
    return {"2021": published, "2022": under_review, "2023": is_open}


def _publish_2021(cycle: Cycle, cast: dict[str, User], today: datetime.date) -> None:
    own = cycle.participations.get(unit__name=EDITOR_UNIT)
    submission = submissions.submission_for(own)
    submissions.add_evidence(submission, "I", pdf("ke-hoach-cds.pdf"), by=cast["editor"])
    submissions.submit(submission, by=cast["head"])
    submissions.upload_signed_scan(submission, pdf("phieu-ky.pdf"), by=cast["head"])
    reviews.change_stage(cycle, Stage.ROUND_1, by=cast["admin"])
    reviews.save_verdict(
        own,
        "I",
        value="10",
        comment="Kế hoạch chưa có phụ lục",
        evidence_requested=True,
        revision=None,
        by=cast["reviewer"],
    )
    reviews.change_stage(
        cycle,
        Stage.RESPONSES,
        by=cast["admin"],
        response_deadline=today + datetime.timedelta(days=7),
    )
    reviews.respond(own, "I", text="Bổ sung phụ lục", files=[pdf("phu-luc.pdf")], by=cast["editor"])
    reviews.change_stage(cycle, Stage.ROUND_2, by=cast["admin"])
    reviews.save_verdict(own, "I", value="12", revision=None, by=cast["reviewer"])
    reviews.change_stage(cycle, Stage.FINAL, by=cast["admin"])
    results.publish(cycle, by=cast["admin"])
    set_public_scorecards(cycle, True, by=cast["admin"])


def _later_cycle(
    earlier: Cycle, year: int, cast: dict[str, User], *, editor_submits: bool
) -> Cycle:
    """A cycle of a few of the demo's units with their 2021 answers: some submitted, two
    drafts, one with nothing, and the editor's unit submitted or a draft."""
    cycle = Cycle.objects.create(
        organisation=earlier.organisation,
        name=f"Đánh giá, xếp hạng mức độ chuyển đổi số năm {year}",
        year=year,
        framework=earlier.framework,
        deadline=earlier.deadline,
        state=CycleState.OPEN,
    )
    for name in LATER_UNITS:
        before = earlier.participations.get(unit__name=name)
        participation = Participation.objects.create(
            cycle=cycle, unit=before.unit, block=before.block
        )
        if name == NOTHING_UNIT:
            continue
        submission = Submission.objects.create(participation=participation)
        Answer.objects.bulk_create(
            Answer(
                submission=submission,
                code=answer.code,
                value=answer.value,
                denominator=answer.denominator,
                not_applicable=answer.not_applicable,
            )
            for answer in before.submission.answers.all()
        )
        submitted = name not in LATER_DRAFTS and (name != EDITOR_UNIT or editor_submits)
        if submitted:
            submission.state = SubmissionState.SUBMITTED
            submission.submitted_at = timezone.now()
            submission.save()
        if participation.block == "so":
            reviews.assign(cycle, cast["reviewer"], participation=participation, by=cast["admin"])
    return cycle
