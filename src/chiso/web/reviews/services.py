"""Writes of the review: its rounds, the assignments, verdicts and responses. Each is one
transaction with its audit entries."""

from __future__ import annotations

import datetime
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.core import InvalidData
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import person, record, record_each
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.cycles.services import change_state
from chiso.web.reviews import notices
from chiso.web.reviews.access import review_scope
from chiso.web.reviews.files import check_upload
from chiso.web.reviews.models import (
    Assignment,
    Response,
    ResponseFile,
    Review,
    Stage,
    Verdict,
)
from chiso.web.reviews.selectors import reviewable_codes, scores_of, step_facts
from chiso.web.submissions.models import Submission, SubmissionState
from chiso.web.submissions.scoring import AnswerError, parse_answer


class RoundTransitionNotAllowed(Exception):
    """A change of the review's stage that its current stage does not allow."""


class StaleConfirmation(RoundTransitionNotAllowed):
    """The review changed since its confirmation page was shown: the numbers it stated are
    no longer true."""


class NotAllowed(Exception):
    """A change that the person's role or the review's stage does not allow."""


@dataclass(frozen=True)
class Conflict(Exception):
    """Someone else saved this criterion since the form was loaded: both values are shown."""

    code: str
    theirs: str
    yours: str


# The review's path: round 1 → round 1 closed, units respond until a deadline → round 2 →
# final. ``None`` is a cycle whose review has not started.
TRANSITIONS: dict[Stage | None, set[Stage]] = {
    None: {Stage.ROUND_1},
    Stage.ROUND_1: {Stage.RESPONSES},
    Stage.RESPONSES: {Stage.ROUND_2},
    Stage.ROUND_2: {Stage.FINAL},
    Stage.FINAL: set(),
}


def _label(stage: Stage | None) -> str:
    return str(stage.label) if stage else _("Not started")


def check_response_deadline(response_deadline: datetime.date | None) -> None:
    """RoundTransitionNotAllowed for a deadline of the units' responses that closing round 1
    cannot take: none, or one in the past."""
    if response_deadline is None:
        raise RoundTransitionNotAllowed(_("Give the deadline for the units' responses."))
    if response_deadline < timezone.localdate():
        raise RoundTransitionNotAllowed(_("The deadline for responses is in the past."))


@transaction.atomic
def change_stage(
    cycle: Cycle,
    stage: Stage,
    *,
    by: Any,
    response_deadline: datetime.date | None = None,
    seen: str | None = None,
) -> Review:
    """Move the cycle's review to ``stage``. Opening round 1 puts the cycle under review;
    closing round 1 needs the deadline of the units' responses. ``seen``: the facts its
    confirmation page stated (``StepFacts.seen``); StaleConfirmation when they changed."""
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    review = Review.objects.select_for_update().filter(cycle=cycle).first()
    current = Stage(review.stage) if review else None
    if not roles.is_assessor(by):
        raise RoundTransitionNotAllowed(_("Only the assessor opens and closes review rounds."))
    if stage not in TRANSITIONS[current]:
        raise RoundTransitionNotAllowed(
            _("The review cannot go from “%(old)s” to “%(new)s”.")
            % {"old": _label(current), "new": _label(Stage(stage))}
        )
    if seen is not None and seen != step_facts(cycle, timezone.localdate()).seen:
        raise StaleConfirmation(
            _(
                "The self-assessments or the review changed since the confirmation was shown: "
                "nothing was done. Check the new numbers and confirm again."
            )
        )
    if current is None and cycle.state == CycleState.OPEN:
        change_state(cycle, CycleState.UNDER_REVIEW, by=by, note=_("Review round 1 opened"))
        cycle.refresh_from_db()
    if cycle.state != CycleState.UNDER_REVIEW:
        raise RoundTransitionNotAllowed(
            _("The cycle is “%(state)s”: reviews happen while it is under review.")
            % {"state": cycle.get_state_display()}
        )
    note = ""
    if stage == Stage.RESPONSES:
        check_response_deadline(response_deadline)
        assert response_deadline is not None
        note = _("Responses until %(date)s") % {"date": fmt.date(response_deadline)}
    if review is None:
        review = Review(cycle=cycle)
    review.stage = stage
    if stage == Stage.RESPONSES:
        review.response_deadline = response_deadline
    review.updated_at = timezone.now()
    review.save()
    record(Action.ROUND, actor=by, cycle=cycle, old=current or "", new=stage, note=note)
    notices.round_changed(cycle, Stage(stage), review.response_deadline)
    return review


# --- assignments ---------------------------------------------------------------------


@transaction.atomic
def assign(
    cycle: Cycle,
    reviewer: Any,
    *,
    participation: Participation | None = None,
    group: str = "",
    by: Any,
) -> Assignment:
    """Give a reviewer one unit of the cycle, or one top-level criteria group."""
    _check_assigning(cycle, reviewer, by)
    if (participation is None) == (not group):
        raise NotAllowed(_("Choose either a unit or a criteria group."))
    if participation is not None and participation.cycle_id != cycle.pk:
        raise NotAllowed(_("The unit does not take part in this cycle."))
    roots = {root.code for root in cycle.framework.framework.criteria}
    if group and group not in roots:
        raise NotAllowed(_("%(code)s is not a criteria group of the framework.") % {"code": group})
    assignment, created = Assignment.objects.get_or_create(
        cycle=cycle, reviewer=reviewer, participation=participation, group=group
    )
    if created:
        record(
            Action.ASSIGNMENT,
            actor=by,
            cycle=cycle,
            unit=participation.unit if participation else None,
            code=group,
            new=person(reviewer),
            note=_("Reviewer assigned"),
        )
    return assignment


@transaction.atomic
def assign_units(cycle: Cycle, reviewer: Any, units: QuerySet[Participation], *, by: Any) -> int:
    """Give a reviewer every one of ``units`` of the cycle at once (a national team assigns
    by block): each new assignment in the trail as :func:`assign` writes it. Returns how
    many were new."""
    _check_assigning(cycle, reviewer, by)
    # one at a time per reviewer: two presses at once would both find the same units new
    list(type(reviewer).objects.select_for_update().filter(pk=reviewer.pk).values_list("pk"))
    mine = Assignment.objects.filter(cycle=cycle, reviewer=reviewer, participation__isnull=False)
    new = units.filter(cycle=cycle).exclude(pk__in=mine.values("participation_id"))
    chosen = list(new.select_related("unit").order_by("pk"))
    Assignment.objects.bulk_create(
        (Assignment(cycle=cycle, reviewer=reviewer, participation=p) for p in chosen),
        batch_size=1000,
    )
    units_of = [participation.unit for participation in chosen]
    note = _("Reviewer assigned")
    record_each(Action.ASSIGNMENT, units_of, actor=by, cycle=cycle, new=person(reviewer), note=note)
    return len(chosen)


def _check_assigning(cycle: Cycle, reviewer: Any, by: Any) -> None:
    if not roles.is_assessor(by):
        raise NotAllowed(_("Only the assessor assigns reviewers."))
    _check_unpublished(cycle)
    if not roles.is_reviewer(reviewer):
        raise NotAllowed(_("%(name)s is not a reviewer.") % {"name": reviewer})


def _check_unpublished(cycle: Cycle) -> None:
    if cycle.state == CycleState.PUBLISHED:
        raise NotAllowed(_("The results of this cycle are published: its review is closed."))


@transaction.atomic
def unassign(assignment: Assignment, *, by: Any) -> None:
    if not roles.is_assessor(by):
        raise NotAllowed(_("Only the assessor assigns reviewers."))
    _check_unpublished(assignment.cycle)
    participation = assignment.participation
    record(
        Action.ASSIGNMENT,
        actor=by,
        cycle=assignment.cycle,
        unit=participation.unit if participation else None,
        code=assignment.group,
        old=person(assignment.reviewer),
        note=_("Reviewer unassigned"),
    )
    assignment.delete()


# --- verdicts ------------------------------------------------------------------------


def shown(verified: bool, value: str, denominator: Decimal | None, not_applicable: bool) -> str:
    """A verified answer as one line of the audit trail and of a conflict."""
    if not verified:
        return ""
    if not_applicable:
        return "N/A"
    return f"{value}/{denominator}" if denominator is not None and value else value


def _check_reviewer(participation: Participation, code: str, by: Any) -> Review:
    review = Review.objects.select_for_update().filter(cycle_id=participation.cycle_id).first()
    if review is None or review.current_round is None:
        raise NotAllowed(_("No review round is open."))
    if participation.cycle.state == CycleState.PUBLISHED:
        raise NotAllowed(_("The results of this cycle are published: verdicts are closed."))
    framework = participation.cycle.framework.framework
    if code not in reviewable_codes(framework, participation.block):
        raise KeyError(code)  # the view gives 404
    scope = review_scope(by, participation)
    if scope is None or not scope.covers(framework, code):
        raise NotAllowed(_("This criterion is not in your assignments."))
    submission = Submission.objects.filter(participation=participation).first()
    if submission is None or submission.state != SubmissionState.SUBMITTED:
        raise NotAllowed(_("The unit has not submitted its self-assessment."))
    return review


@transaction.atomic
def save_verdict(
    participation: Participation,
    code: str,
    *,
    verified: bool = True,
    value: str = "",
    denominator: str = "",
    not_applicable: bool = False,
    comment: str = "",
    evidence_requested: bool = False,
    revision: int | None,
    by: Any,
) -> Verdict:
    """Store a reviewer's decision on one criterion in the open round, after checking the
    answer against the criterion's rule (AnswerError) and the revision the form was loaded
    with (Conflict; None or 0 = the form had no verdict yet)."""
    review = _check_reviewer(participation, code, by)
    round_ = review.current_round
    assert round_ is not None
    framework = participation.cycle.framework.framework
    node = framework.node(code)
    if not_applicable and not node.not_applicable:
        raise NotAllowed(_("This criterion cannot be declared not applicable."))
    if not_applicable or not verified:
        value = denominator = ""
    parsed = parse_answer(framework, participation.block, code, value, denominator)
    new_text = shown(verified, parsed.value, parsed.denominator, not_applicable)
    verdict = Verdict.objects.filter(participation=participation, round=round_, code=code).first()
    if verdict is None:
        if revision not in (None, 0):
            raise Conflict(code, "", new_text)
        verdict = Verdict(participation=participation, round=round_, code=code, revision=0)
    elif revision != verdict.revision:  # None or 0: the form had no verdict; it has one now
        old = shown(verdict.verified, verdict.value, verdict.denominator, verdict.not_applicable)
        raise Conflict(code, old, new_text)
    old_text = shown(verdict.verified, verdict.value, verdict.denominator, verdict.not_applicable)
    comment = comment.strip()
    unchanged = (
        verdict.pk is not None
        and old_text == new_text
        and verdict.comment == comment
        and verdict.evidence_requested == evidence_requested
    )
    if unchanged:
        return verdict
    verdict.verified = verified
    verdict.value = parsed.value
    verdict.denominator = parsed.denominator
    verdict.not_applicable = not_applicable
    verdict.comment = comment
    verdict.evidence_requested = evidence_requested
    verdict.revision += 1
    verdict.updated_at = timezone.now()
    verdict.updated_by = by
    _create_or_save(verdict, lambda: Conflict(code, _stored_verdict(verdict), new_text))
    _check_scores(participation, round_)
    note = _("Round %(round)s") % {"round": round_}
    if evidence_requested:
        note += " · " + _("more evidence requested")
    if comment:
        note += " · " + comment
    record(
        Action.REVIEW,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        code=code,
        old=old_text,
        new=new_text,
        note=note,
        detail={"round": round_, "evidence_requested": evidence_requested},
    )
    return verdict


def _check_scores(participation: Participation, round_: int) -> None:
    """AnswerError, undoing the verdict just saved, when the core cannot score the unit with
    it: points on a group whose criteria the unit answered would give both."""
    try:
        scores_of(participation, range(1, round_ + 1))
    except InvalidData as error:
        raise AnswerError(
            _("This answer does not go with the unit's other answers: %(problem)s")
            % {"problem": error.message}
        ) from None


@transaction.atomic
def accept_group(participation: Participation, group: str, *, by: Any) -> int:
    """Accept the criteria of ``group`` that have no verified answer in the open round: round 1
    takes the submitted answers, round 2 keeps round 1's verified answers. Returns how many."""
    review = Review.objects.filter(cycle_id=participation.cycle_id).first()
    if review is None or review.current_round is None:
        raise NotAllowed(_("No review round is open."))
    framework = participation.cycle.framework.framework
    codes = [
        code
        for code in reviewable_codes(framework, participation.block)
        if code == group or group in framework.ancestors(code)
    ]
    if not codes:
        raise KeyError(group)
    round_ = review.current_round
    done = set(
        Verdict.objects.filter(
            participation=participation, round=round_, verified=True
        ).values_list("code", flat=True)
    )
    submission = Submission.objects.filter(participation=participation).first()
    answers = {a.code: a for a in submission.answers.all()} if submission else {}
    earlier = {v.code: v for v in participation.verdicts.filter(round__lt=round_, verified=True)}
    count = 0
    for code in codes:
        if code in done:
            continue
        base = earlier.get(code) or answers.get(code)
        current = Verdict.objects.filter(participation=participation, round=round_, code=code)
        verdict = current.first()
        save_verdict(
            participation,
            code,
            value=base.value if base else "",
            denominator=str(base.denominator) if base and base.denominator is not None else "",
            not_applicable=bool(base and base.not_applicable),
            comment=verdict.comment if verdict else "",
            evidence_requested=verdict.evidence_requested if verdict else False,
            revision=verdict.revision if verdict else None,
            by=by,
        )
        count += 1
    return count


# --- responses -----------------------------------------------------------------------


@transaction.atomic
def respond(
    participation: Participation,
    code: str,
    *,
    text: str,
    files: Iterable[UploadedFile[bytes]] = (),
    revision: int | None = None,
    by: Any,
) -> Response:
    """The unit's response to round 1 on one criterion: an explanation and new evidence,
    accepted until the deadline (UploadError for a refused file)."""
    review = Review.objects.select_for_update().filter(cycle_id=participation.cycle_id).first()
    if not roles.is_member_of(by, participation.unit_id):
        raise NotAllowed(_("Only the unit's editors and head respond for it."))
    if participation.cycle.state == CycleState.PUBLISHED:
        raise NotAllowed(_("The results of this cycle are published: responses are closed."))
    if review is None or not review.responses_open:
        raise NotAllowed(_("Responses are not accepted now."))
    framework = participation.cycle.framework.framework
    if code not in framework.max_for(participation.block):
        raise KeyError(code)
    files = list(files)
    checked = [(upload, *check_upload(upload)) for upload in files]
    response = Response.objects.filter(participation=participation, code=code).first()
    text = text.strip()
    if response is None:
        if revision not in (None, 0):
            raise Conflict(code, "", text)
        response = Response(participation=participation, code=code, revision=0)
    elif revision != response.revision:  # None or 0: the form had no response; it has one now
        raise Conflict(code, response.text, text)
    old = response.text
    if old == text and not checked and response.pk is not None:
        return response
    response.text = text
    response.revision += 1
    response.updated_at = timezone.now()
    response.updated_by = by
    _create_or_save(response, lambda: Conflict(code, _stored_response(response), text))
    for upload, content_type, digest in checked:
        ResponseFile.objects.create(
            response=response,
            file=upload,
            name=(upload.name or "file")[-200:],
            content_type=content_type,
            size=upload.size or 0,
            sha256=digest,
            uploaded_by=by,
        )
    record(
        Action.RESPONSE,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        code=code,
        old=old,
        new=text,
        note=", ".join(upload.name or "" for upload in files),
    )
    notices.response_received(participation, code)
    return response


def _create_or_save(row: Verdict | Response, conflict: Callable[[], Conflict]) -> None:
    """Save ``row``; a new one that someone else created meanwhile (the unique constraint
    refuses the second) is a Conflict, so that a save without a revision never replaces."""
    if row.pk is not None:
        row.save()
        return
    try:
        with transaction.atomic():
            row.save()
    except IntegrityError:
        raise conflict() from None


def _stored_verdict(verdict: Verdict) -> str:
    theirs = Verdict.objects.get(
        participation_id=verdict.participation_id, round=verdict.round, code=verdict.code
    )
    return shown(theirs.verified, theirs.value, theirs.denominator, theirs.not_applicable)


def _stored_response(response: Response) -> str:
    theirs = Response.objects.get(participation_id=response.participation_id, code=response.code)
    return theirs.text
