"""Writes of a self-assessment: answers, evidence, submit, the signed form, reopen. Each is
one transaction with its audit entries."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from decimal import Decimal
from pathlib import PurePath
from typing import Any, TypeAlias

from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from chiso.core import InvalidData
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import record
from chiso.web.cycles.models import CycleState, Participation
from chiso.web.notifications.models import Kind
from chiso.web.notifications.services import notify
from chiso.web.submissions.files import EVIDENCE_KINDS, SCAN_KINDS, FileRefused, check_upload
from chiso.web.submissions.models import Answer, Evidence, Submission, SubmissionState
from chiso.web.submissions.scoring import AnswerError, Live, live, parse_answer

MAX_NOTE = 2000
"""The longest note a unit writes beside an answer."""

Upload: TypeAlias = "UploadedFile[bytes]"


class NotAllowed(Exception):
    """A change that the submission's state or the person's role does not allow."""


@dataclass(frozen=True)
class Conflict(Exception):
    """Someone else changed the answer since the form was loaded: both values are shown."""

    code: str
    theirs: Answer
    yours: str


def submission_for(participation: Participation) -> Submission:
    submission, _created = Submission.objects.get_or_create(participation=participation)
    submission.participation = participation  # read already, with its unit, cycle, framework
    return submission


def _check_member(submission: Submission, user: Any) -> None:
    if not roles.is_member_of(user, submission.participation.unit_id):
        raise NotAllowed(_("Only the unit's editors and head change its self-assessment."))


def _check_editable(submission: Submission, user: Any, *, on_behalf: bool = False) -> None:
    if submission.is_locked:
        raise NotAllowed(_("The self-assessment has been submitted and is locked."))
    if not submission.participation.cycle.is_open:
        raise NotAllowed(_("The cycle is not open for self-assessment."))
    if on_behalf:
        if not roles.is_assessor(user):
            raise NotAllowed(_("Only the assessor enters answers on a unit's behalf."))
        return
    _check_member(submission, user)


def _on_behalf_note(participation: Participation) -> str:
    """The note of an audit entry of an answer the assessor entered for the unit."""
    return _("Entered on behalf of %(unit)s from an Excel workbook") % {
        "unit": participation.unit.name
    }


def _shown(value: str, denominator: Decimal | None, not_applicable: bool) -> str:
    if not_applicable:
        return "N/A"
    if denominator is not None and value:
        return f"{value}/{format(denominator.normalize(), 'f')}"
    return value


def check_note(comment: str) -> None:
    """AnswerError for a note longer than the form takes."""
    if len(comment) > MAX_NOTE:
        message = _("Enter a note of at most %(count)s characters.") % {"count": MAX_NOTE}
        raise AnswerError(message, field="comment")


@transaction.atomic
def save_answer(submission: Submission, code: str, **answer: Any) -> Answer:
    """:func:`save` of one answer: the answer as stored."""
    return save(submission, code, **answer).answer


@dataclass(frozen=True)
class Saved:
    """What a save stored and read."""

    answer: Answer
    was_not_applicable: bool
    """Whether the answer was "not applicable" before."""
    found: Live | None
    """The unit's answers, evidence and scores after the save (None when nothing changed)."""


def save(
    submission: Submission,
    code: str,
    *,
    value: str = "",
    denominator: str = "",
    not_applicable: bool = False,
    comment: str | None = None,
    revision: int | None,
    by: Any,
    on_behalf: bool = False,
) -> Saved:
    """Store one answer after checking it against its rule (AnswerError) and the revision the
    form was loaded with: a Conflict when the answer changed since, or when ``revision`` is
    None or 0 (the form had no answer yet) and an answer exists.

    Only the unit's people write its answers, except with ``on_behalf``: the assessor enters
    the workbooks units sent in (a ZIP of them), each audit entry saying so. Only that ZIP's
    confirmation passes it: the form and the API never do, and refuse the assessor."""
    locked = Submission.objects.select_for_update().get(pk=submission.pk)
    if Submission.participation.is_cached(submission):
        locked.participation = submission.participation  # not its framework read again
    submission = locked
    _check_editable(submission, by, on_behalf=on_behalf)
    participation = submission.participation
    framework = participation.cycle.framework.framework
    node = framework.node(code)  # KeyError for an unknown code: the view gives 404
    if not_applicable and not node.not_applicable:
        raise NotAllowed(_("This criterion cannot be declared not applicable."))
    if comment is not None:
        check_note(comment)
    parsed = parse_answer(
        framework,
        participation.block,
        code,
        "" if not_applicable else value,
        "" if not_applicable else denominator,
    )
    new_text = _shown(parsed.value, parsed.denominator, not_applicable)
    answers = list(submission.answers.all())  # all of them: the unit is scored with the new one
    found = next((stored for stored in answers if stored.code == code), None)
    if revision in (None, 0):  # a new answer: the unique constraint refuses a second one
        answer = Answer(submission=submission, code=code, revision=0)
        answers = [stored for stored in answers if stored.code != code] + [answer]
        old_text = ""
    else:
        if found is None or revision != found.revision:
            raise Conflict(code, found or Answer(code=code), new_text)
        answer = found
        old_text = _shown(answer.value, answer.denominator, answer.not_applicable)
    was_not_applicable = answer.not_applicable
    same = (
        answer.pk is not None
        and answer.value == parsed.value
        and answer.denominator == parsed.denominator
        and answer.not_applicable == not_applicable
        and (comment is None or comment == answer.comment)
    )
    if same:
        return Saved(answer, was_not_applicable, None)
    old_comment = answer.comment
    answer.value = parsed.value
    answer.denominator = parsed.denominator
    answer.not_applicable = not_applicable
    if comment is not None:
        answer.comment = comment
    answer.revision += 1
    answer.updated_at = timezone.now()
    answer.updated_by = by
    _store(answer, new_text)
    found_now = _check_scores(submission, answers)
    submission.updated_at = answer.updated_at
    submission.save(update_fields=["updated_at"])
    behalf = _on_behalf_note(participation) if on_behalf else ""
    if old_text != new_text:
        record(
            Action.ANSWER,
            actor=by,
            cycle=participation.cycle,
            unit=participation.unit,
            code=code,
            old=old_text,
            new=new_text,
            note=behalf,
            detail={"field": "value"},
        )
    if comment is not None and comment != old_comment:
        record(
            Action.ANSWER,
            actor=by,
            cycle=participation.cycle,
            unit=participation.unit,
            code=code,
            old=old_comment,
            new=comment,
            note=" · ".join(part for part in (_("Note on the answer"), behalf) if part),
            detail={"field": "note"},
        )
    return Saved(answer, was_not_applicable, found_now)


def _check_scores(submission: Submission, answers: list[Answer]) -> Live:
    """The unit scored with the answer just stored (among ``answers``); AnswerError, undoing
    it (the save's transaction), when the core cannot score the unit with it: points on a
    group whose part the unit answered give both."""
    try:
        return live(submission, answers)
    except InvalidData as error:
        raise AnswerError(
            _("This answer does not go with the unit's other answers: %(problem)s")
            % {"problem": error.message}
        ) from None


def _store(answer: Answer, new_text: str) -> None:
    """Save the answer; a new one that someone else created meanwhile is a Conflict (its
    revision was not read), so that a save without a revision never replaces an answer."""
    if answer.pk is not None:
        answer.save()
        return
    try:
        with transaction.atomic():
            answer.save()
    except IntegrityError:
        theirs = Answer.objects.get(submission_id=answer.submission_id, code=answer.code)
        raise Conflict(answer.code, theirs, new_text) from None


@transaction.atomic
def submit(submission: Submission, *, by: Any, note: str = "") -> Submission:
    """The unit head submits: the answers are locked. ``note`` says what was still missing."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_editable(submission, by)
    if not roles.can_submit(by):
        raise NotAllowed(_("Only the unit head submits the self-assessment."))
    submission.state = SubmissionState.SUBMITTED
    submission.submitted_at = timezone.now()
    submission.submitted_by = by
    submission.save()
    participation = submission.participation
    record(
        Action.SUBMITTED,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        old=SubmissionState.DRAFT,
        new=SubmissionState.SUBMITTED,
        note=note,
    )
    people = [
        *roles.unit_people([participation.unit_id]),
        *roles.assessor_admins(participation.cycle.organisation_id),
    ]
    notify(
        people,
        Kind.SUBMITTED,
        gettext_noop("%(unit)s submitted its self-assessment in “%(cycle)s”."),
        {"unit": participation.unit, "cycle": participation.cycle.name},
        link=reverse("submissions:form", args=[participation.pk]),
    )
    return submission


@transaction.atomic
def reopen(submission: Submission, *, reason: str, by: Any) -> Submission:
    """The assessor reopens a submitted self-assessment, with a reason that is logged."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    if not roles.is_assessor(by):
        raise NotAllowed(_("Only the assessor reopens a submission."))
    if not submission.is_locked:
        raise NotAllowed(_("The self-assessment is not submitted."))
    if not reason.strip():
        raise NotAllowed(_("Give the reason for reopening."))
    submission.state = SubmissionState.DRAFT
    submission.save(update_fields=["state"])
    participation = submission.participation
    record(
        Action.REOPENED,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        old=SubmissionState.SUBMITTED,
        new=SubmissionState.DRAFT,
        note=reason.strip(),
    )
    notify(
        roles.unit_people([participation.unit_id]),
        Kind.REOPENED,
        gettext_noop(
            "The self-assessment of %(unit)s in “%(cycle)s” is reopened for changes: %(reason)s"
        ),
        {"unit": participation.unit, "cycle": participation.cycle.name, "reason": reason.strip()},
        link=reverse("submissions:form", args=[participation.pk]),
    )
    return submission


def _sha256(upload: Upload) -> str:
    digest = hashlib.sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return digest.hexdigest()


def _file_name(upload: Upload) -> str:
    return PurePath(upload.name or "file").name[-120:] or "file"


@transaction.atomic
def add_evidence(submission: Submission, code: str, upload: Upload, *, by: Any) -> Evidence:
    """Attach a file to criterion ``code``: FileRefused when its content is not accepted."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_editable(submission, by)
    participation = submission.participation
    if code not in participation.cycle.framework.framework.max_for(participation.block):
        raise KeyError(code)  # not a criterion of the unit's block: the view gives 404
    name = _file_name(upload)
    kind = check_upload(upload, name, upload.size or 0, kinds=EVIDENCE_KINDS)
    sha256 = _sha256(upload)
    if submission.evidence.current().filter(code=code, sha256=sha256).exists():
        raise FileRefused(_("This file is already attached to this criterion."))
    evidence = Evidence(
        submission=submission,
        code=code,
        name=name,
        content_type=kind.content_type,
        size=upload.size or 0,
        sha256=sha256,
        uploaded_by=by,
    )
    evidence.file.save(name, upload, save=False)
    evidence.save()
    submission.updated_at = evidence.uploaded_at
    submission.save(update_fields=["updated_at"])
    record(
        Action.EVIDENCE_ADDED,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        code=code,
        new=name,
        note=f"sha256 {sha256}",
    )
    return evidence


@transaction.atomic
def remove_evidence(evidence: Evidence, *, by: Any) -> Evidence:
    """Take a file off its criterion while the self-assessment is a draft; the record, the
    file and the trail stay."""
    submission = Submission.objects.select_for_update().get(pk=evidence.submission_id)
    _check_editable(submission, by)
    evidence = Evidence.objects.select_for_update().get(pk=evidence.pk)
    if evidence.removed_at is not None:
        raise NotAllowed(_("This file has already been removed."))
    evidence.removed_at = timezone.now()
    evidence.save(update_fields=["removed_at"])
    participation = submission.participation
    record(
        Action.EVIDENCE_REMOVED,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        code=evidence.code,
        old=evidence.name,
        note=f"sha256 {evidence.sha256}",
    )
    return evidence


@transaction.atomic
def upload_signed_scan(submission: Submission, upload: Upload, *, by: Any) -> Submission:
    """Store the scan of the printed form, signed and stamped by the unit head."""
    submission = Submission.objects.select_for_update().get(pk=submission.pk)
    _check_member(submission, by)
    state = submission.participation.cycle.state
    if state == CycleState.PUBLISHED:
        raise NotAllowed(
            _("The results of this cycle are published: its signed forms no longer change.")
        )
    if state == CycleState.DRAFT:
        raise NotAllowed(_("The cycle is not open for self-assessment."))
    if not submission.is_locked:
        raise NotAllowed(_("Submit the self-assessment first, then print, sign and upload it."))
    name = _file_name(upload)
    kind = check_upload(upload, name, upload.size or 0, kinds=SCAN_KINDS)
    sha256 = _sha256(upload)
    stem = PurePath(name).stem[:80] or "scan"
    old = PurePath(submission.signed_scan.name or "").name if submission.signed_scan else ""
    submission.signed_scan.save(f"{stem}.{kind.extension}", upload, save=False)
    submission.save(update_fields=["signed_scan"])
    participation = submission.participation
    record(
        Action.SIGNED_SCAN,
        actor=by,
        cycle=participation.cycle,
        unit=participation.unit,
        old=old,
        new=PurePath(submission.signed_scan.name or "").name,
        note=f"sha256 {sha256}",
    )
    return submission
