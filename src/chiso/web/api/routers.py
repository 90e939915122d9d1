"""Routers of the API: cycles, a unit's submission, evidence. Each call goes through the
access helpers and services of the pages, so it is allowed exactly when the page is."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django.db import transaction
from django.http import FileResponse, Http404, HttpRequest
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from ninja import Router, Status

from chiso.web.accounts.access import require_assessor
from chiso.web.api.schemas import (
    AnswerIn,
    AnswerOut,
    ConflictOut,
    CycleDetail,
    CycleOut,
    Error,
    EvidenceOut,
    LineageOut,
    LinkIn,
    LinkOut,
    PolicyIn,
    SubmissionOut,
)
from chiso.web.cycles import lineage
from chiso.web.cycles.access import (
    get_cycle,
    get_cycle_for_assessor,
    get_participation,
    visible_cycles,
    visible_participations,
)
from chiso.web.cycles.models import Cycle, Participation, Unit, UnitLink
from chiso.web.results.services import earlier_years
from chiso.web.submissions import services
from chiso.web.submissions.access import read_evidence
from chiso.web.submissions.models import Evidence, Submission
from chiso.web.submissions.scoring import live_result, live_result_of

cycles = Router(tags=["cycles"])
submissions = Router(tags=["submissions"])
ERRORS: dict[int, Any] = {403: Error, 404: Error, 422: Error}


def _cycle(cycle: Cycle) -> dict[str, Any]:
    return {
        "id": cycle.pk,
        "name": cycle.name,
        "year": cycle.year,
        "framework": str(cycle.framework),
        "deadline": cycle.deadline,
        "state": cycle.state,
    }


def _participation(participation: Participation) -> dict[str, Any]:
    submission = getattr(participation, "submission", None)
    return {
        "id": participation.pk,
        "unit": participation.unit.name,
        "block": participation.block,
        "voluntary": participation.voluntary,
        "state": submission.state if submission else "nothing",
        "submitted_at": submission.submitted_at if submission else None,
    }


@cycles.get("/", response=list[CycleOut])
def list_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    return [_cycle(cycle) for cycle in visible_cycles(request.user).distinct()]


@cycles.get("/{int:cycle_id}", response={200: CycleDetail, **ERRORS})
def cycle_detail(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    cycle = get_cycle(request.user, cycle_id)
    participations = visible_participations(request.user, cycle).select_related("submission")
    return {**_cycle(cycle), "participations": [_participation(p) for p in participations]}


@cycles.get("/{int:cycle_id}/lineage", response={200: LineageOut, **ERRORS})
def cycle_lineage(request: HttpRequest, cycle_id: int) -> dict[str, Any]:
    """The assessor's unit lineage as the cycle follows it (its lineage page): each link, what
    it is and whether it carries an earlier result into the cycle, and the merge policy."""
    cycle = get_cycle_for_assessor(request.user, cycle_id)
    return {
        "cycle": cycle.pk,
        "merge_policy": cycle.merge_policy,
        "links": [_link(d.link, d.kind, d.carries) for d in _described(cycle)],
    }


@cycles.post("/{int:cycle_id}/lineage/links", response={201: LinkOut, **ERRORS})
def add_link(request: HttpRequest, cycle_id: int, payload: LinkIn) -> Any:
    """Add a link (the assessor), refused as the lineage page refuses it (422)."""
    cycle = _lineage_cycle(request, cycle_id)
    unit = get_object_or_404(Unit, pk=payload.unit_id, organisation_id=cycle.organisation_id)
    link = lineage.add_link(unit, year=payload.year, earlier=payload.earlier,
                            weight=payload.weight, by=request.user)  # fmt: skip
    (described,) = (d for d in _described(cycle) if d.link.pk == link.pk)
    return Status(201, _link(link, described.kind, described.carries))


@cycles.delete("/{int:cycle_id}/lineage/links/{int:link_id}", response={204: None, **ERRORS})
def remove_link(request: HttpRequest, cycle_id: int, link_id: int) -> Any:
    cycle = _lineage_cycle(request, cycle_id)
    link = get_object_or_404(UnitLink, pk=link_id, unit__organisation_id=cycle.organisation_id)
    lineage.remove_link(link, by=request.user)
    return Status(204, None)


@cycles.put("/{int:cycle_id}/lineage/policy", response={200: LineageOut, **ERRORS})
def set_merge_policy(request: HttpRequest, cycle_id: int, payload: PolicyIn) -> dict[str, Any]:
    """The cycle's merge policy; ``largest`` is refused (422) while a merger has no weights."""
    cycle = _lineage_cycle(request, cycle_id)
    lineage.set_merge_policy(cycle, payload.merge_policy, by=request.user)
    return cycle_lineage(request, cycle_id)


def _lineage_cycle(request: HttpRequest, cycle_id: int) -> Cycle:
    """The cycle whose lineage the assessor changes (404 unseen, 403 seen but not allowed)."""
    cycle = get_cycle_for_assessor(request.user, cycle_id)
    require_assessor(request.user)
    return cycle


def _described(cycle: Cycle) -> list[lineage.DescribedLink]:
    links = UnitLink.objects.filter(unit__organisation_id=cycle.organisation_id)
    return lineage.described_links(list(links.select_related("unit")), earlier_years(cycle))


def _link(link: UnitLink, kind: str, carries: bool) -> dict[str, Any]:
    return {"id": link.pk, "unit_id": link.unit_id, "unit": link.unit.name, "year": link.year,
            "earlier": link.earlier, "weight": _plain(link.weight), "kind": kind,
            "carries": carries}  # fmt: skip


def _plain(value: Decimal | None) -> Decimal | None:
    """A stored decimal without the trailing zeros of its column (200.0000 is 200)."""
    return None if value is None else Decimal(f"{value.normalize():f}")


@submissions.get("/{int:participation_id}", response={200: SubmissionOut, **ERRORS})
def read_submission(request: HttpRequest, participation_id: int) -> dict[str, Any]:
    participation = get_participation(request.user, participation_id)
    submission = Submission.objects.filter(participation=participation).first()
    if submission is None:  # nothing yet: a read creates nothing
        result = live_result_of(participation, [], [])
        answers: list[Any] = []
    else:
        result = live_result(submission)
        answers = list(submission.answers.order_by("code"))
    return {
        "participation": participation.pk,
        "unit": participation.unit.name,
        "block": participation.block,
        "state": submission.state if submission else "nothing",
        "submitted_at": submission.submitted_at if submission else None,
        "total": result.total,
        "max": result.max,
        "answers": answers,
    }


@submissions.put(
    "/{int:participation_id}/answers/{code}", response={200: AnswerOut, 409: ConflictOut, **ERRORS}
)
def write_answer(request: HttpRequest, participation_id: int, code: str, payload: AnswerIn) -> Any:
    """Store one answer; 409 with both values when someone changed it since ``revision``."""
    participation = get_participation(request.user, participation_id)
    framework = participation.cycle.framework.framework
    if not framework.has_node(code) or code not in framework.max_for(participation.block):
        raise Http404
    try:
        with transaction.atomic():  # a refused save leaves no empty self-assessment behind
            return services.save_answer(
                services.submission_for(participation),
                code,
                value=payload.value,
                denominator=payload.denominator,
                not_applicable=payload.not_applicable,
                comment=payload.comment,
                revision=payload.revision,
                by=request.user,
            )
    except services.Conflict as conflict:
        theirs = conflict.theirs if conflict.theirs.pk else None
        return Status(
            409,
            {
                "detail": _("Someone else changed this answer after you read it."),
                "field": "revision",
                "theirs": theirs,
                "yours": conflict.yours,
            },
        )


@submissions.post("/{int:participation_id}/submit", response={200: SubmissionOut, **ERRORS})
def submit(request: HttpRequest, participation_id: int) -> dict[str, Any]:
    participation = get_participation(request.user, participation_id)
    with transaction.atomic():
        services.submit(services.submission_for(participation), by=request.user)
    return read_submission(request, participation_id)


@submissions.get("/{int:participation_id}/evidence", response={200: list[EvidenceOut], **ERRORS})
def list_evidence(request: HttpRequest, participation_id: int) -> list[dict[str, Any]]:
    participation = get_participation(request.user, participation_id)
    files = Evidence.objects.current().filter(submission__participation=participation)
    return [
        {
            "id": e.pk,
            "code": e.code,
            "name": e.name,
            "content_type": e.content_type,
            "size": e.size,
            "uploaded_at": e.uploaded_at,
            "url": reverse("api-v1:download_evidence", args=[e.pk]),
        }
        for e in files
    ]


@submissions.get("/evidence/{int:evidence_id}", response={200: None, **ERRORS})
def download_evidence(request: HttpRequest, evidence_id: int) -> FileResponse:
    evidence = read_evidence(request.user, evidence_id)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )
