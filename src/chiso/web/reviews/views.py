"""The review pages: the assessor's overview (rounds, team), a reviewer's queue, the review
of one unit (htmx saves per criterion) and the history of a unit's review with its responses."""

from __future__ import annotations

import datetime
import hashlib
from typing import Any
from urllib.parse import urlencode

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Page, Paginator
from django.db.models import F, Q, QuerySet
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chiso.io.overclaim import overclaim_csv
from chiso.web.accounts import roles
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.accounts.models import Role, User
from chiso.web.audit.kept import Reads, kept
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.reviews import services
from chiso.web.reviews.access import (
    Scope,
    get_cycle_for_review,
    get_participation_for_history,
    get_participation_for_overclaim,
    get_participation_for_review,
)
from chiso.web.reviews.files import UploadError
from chiso.web.reviews.forms import (
    AssignForm,
    AssignmentFilter,
    ReviewerForm,
    StageForm,
    UnitFilter,
)
from chiso.web.reviews.models import Assignment, ResponseFile, Review, Stage
from chiso.web.reviews.overclaim import (
    dashboard_gaps,
    gaps_by_round,
    gaps_by_year,
    overclaims,
    rows_of,
    unit_overclaim,
)
from chiso.web.reviews.pages import rows, step_consequences
from chiso.web.reviews.selectors import (
    Queue,
    QueueItem,
    QueueState,
    review_of,
    scores_of,
    step_facts,
)
from chiso.web.reviews.selectors import queue as queue_of
from chiso.web.submissions.models import Evidence, SubmissionState
from chiso.web.submissions.scoring import AnswerError

STEP_LABELS = {
    Stage.ROUND_1: gettext_lazy("Open review round 1"),
    Stage.RESPONSES: gettext_lazy("Close round 1: units see the results and respond"),
    Stage.ROUND_2: gettext_lazy("Close the responses and open round 2"),
    Stage.FINAL: gettext_lazy("Close round 2: the verified answers are final"),
}


def _revision(text: str | None) -> int | None:
    """The revision a form posted: None for a text that is not a number ("" for a new one);
    -1, stale, for more digits than int() reads, as no revision ever reaches them."""
    if not text or not text.isdecimal():  # isdigit() would take "²", which int() refuses
        return None
    try:
        return int(text)
    except ValueError:
        return -1


@login_required
@require_safe
def overclaim(request: AuthedRequest, pk: int) -> HttpResponse:
    """Self-assessed against verified points, unit by unit: for the assessor and viewers."""
    cycle = get_cycle_for_review(request.user, pk)
    if not roles.oversees(request.user):
        raise PermissionDenied
    if request.GET.get("part") == "largest":  # the dashboard's panel
        panel = {"cycle": cycle, "gaps": dashboard_gaps(cycle)}
        return render(request, "reviews/_largest.html", panel)
    found = overclaims(cycle)
    report = found.report
    if request.GET.get("format") == "csv":
        response = HttpResponse(
            overclaim_csv(report, block_names=True), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="chenh-lech-{cycle.pk}.csv"'
        return response
    context = {
        "cycle": cycle,
        "blocks": rows_of(cycle, report),
        "missing": report.missing,
        "by_round": gaps_by_round(cycle, found),
        "by_year": gaps_by_year(cycle, found),
    }
    return render(request, "reviews/overclaim.html", context)


@login_required
@require_safe
def unit_overclaim_page(request: AuthedRequest, pk: int) -> HttpResponse:
    """A unit's own self-assessed against verified points: for the unit once a review round
    has closed, and for the assessor and viewers."""
    participation = get_participation_for_overclaim(request.user, pk)
    cycle = participation.cycle
    review = review_of(cycle)
    verified = bool(review and review.closed_rounds)
    shown = unit_overclaim(cycle, overclaims(cycle), participation.unit.name) if verified else None
    context = {"participation": participation, "cycle": cycle, "verified": verified, "unit": shown}
    return render(request, "reviews/unit_overclaim.html", context)


@login_required
@require_safe
def overview(request: AuthedRequest, pk: int) -> HttpResponse:
    """The review of a cycle: its stage and next step, the team's assignments and progress,
    and a page of its units, found by name, block and state."""
    cycle = get_cycle_for_review(request.user, pk)
    if roles.is_reviewer(request.user):
        return redirect("reviews:queue", pk)
    review = review_of(cycle)
    current = Stage(review.stage) if review else None
    published = cycle.state == CycleState.PUBLISHED  # its review is closed
    steps = [
        (StageForm(initial={"stage": step}), STEP_LABELS[step], step == Stage.RESPONSES)
        for step in ([] if published else services.TRANSITIONS[current])
    ]
    progress = _progress(cycle, review) if review else []
    filters = UnitFilter(cycle, list(SubmissionState.choices), request.GET or None)
    chosen = filters.chosen()
    page = Paginator(chosen_units(cycle, chosen), PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        "cycle": cycle,
        "review": review,
        "steps": steps,
        "page": page,
        "filters": filters,
        "chosen": chosen,
        "form": AssignForm(cycle),
        "progress": progress,
        "second": current in (Stage.ROUND_2, Stage.FINAL),
        "published": published,
    }
    lists = _assignments(cycle, request, chosen, page)
    return render(request, "reviews/overview.html", context | lists)


def _progress(cycle: Cycle, review: Review) -> list[tuple[User, dict[str, int]]]:
    """Each reviewer's units to do, in progress and done: their queue's counts, counted once
    per change of the cycle (a national cycle's verdicts take the database seconds to count;
    assignments, submissions, verdicts, responses and stages are in its trail)."""
    reviewers = list(roles.review_team(cycle.organisation_id))
    members = ",".join(str(pk) for pk in sorted(r.pk for r in reviewers))
    team = hashlib.sha256(members.encode()).hexdigest()[:16]
    counts = kept(
        cycle,
        f"review-progress-{team}",
        lambda cycle: {r.pk: queue_of(r, cycle, review).counts for r in reviewers},
        dict,
        reads=Reads.CYCLE,
    )
    return [(r, counts[r.pk]) for r in reviewers]


def _assignments(
    cycle: Cycle, request: AuthedRequest, chosen: dict[str, str], units: Page[Any]
) -> dict[str, Any]:
    """The overview's page of assignments, one reviewer's or everyone's, and the queries of
    the pages of both lists: each keeps the other's filters and page."""
    shown = AssignmentFilter(cycle, request.GET or None, auto_id="shown_%s")
    reviewer = shown.chosen()
    assignments = cycle.assignments.select_related("reviewer", "participation__unit")
    if reviewer is not None:
        assignments = assignments.filter(reviewer=reviewer)
    by_unit = F("participation__unit__name").asc(nulls_first=True)  # a reviewer's groups first
    assignments = assignments.order_by("reviewer__username", by_unit, "group", "pk")
    page = Paginator(assignments, PAGE_SIZE).get_page(request.GET.get("assignment_page"))
    filtered = {k: v for k, v in chosen.items() if v}
    by_reviewer = {"reviewer": str(reviewer.pk)} if reviewer is not None else {}
    kept_page = {"assignment_page": str(page.number)} if page.number > 1 else {}
    units_page = {"page": str(units.number)} if units.number > 1 else {}
    return {
        "shown": shown,
        "assigned": page,
        "query": urlencode(filtered | by_reviewer | kept_page),
        "assigned_query": urlencode(filtered | units_page | by_reviewer),
        "units_page": units_page,
    }


SUGGESTED = 20
"""How many units the form that assigns a reviewer suggests as one types."""


def chosen_units(cycle: Cycle, chosen: dict[str, str]) -> QuerySet[Participation]:
    """The cycle's units that the filters of the overview keep (a text in their name or
    short name, a block, a state of the self-assessment), by name."""
    units = cycle.participations.select_related("unit").order_by("unit__name", "pk")
    if chosen["q"]:
        text = chosen["q"]
        units = units.filter(Q(unit__name__icontains=text) | Q(unit__short_name__icontains=text))
    if chosen["block"]:
        units = units.filter(block=chosen["block"])
    if chosen["state"]:
        units = units.filter(submission__state=chosen["state"])
    return units


@login_required
@require_safe
def unit_choices(request: AuthedRequest, pk: int) -> HttpResponse:
    """The units of the cycle whose name or short name holds what is typed in the form that
    assigns a reviewer (``?unit=``): its suggestions, a few at a time."""
    cycle = get_cycle_for_review(request.user, pk)
    require_assessor(request.user)
    chosen = UnitFilter(cycle, [], {"q": request.GET.get("unit", "")}).chosen()
    units = chosen_units(cycle, chosen)[:SUGGESTED]
    return render(request, "reviews/_unit_choices.html", {"units": units})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def stage(request: AuthedRequest, pk: int) -> HttpResponse:
    """The review's next step: GET states what it does, in numbers; POST takes it, unless
    those numbers changed since (the page is shown again with the new ones)."""
    cycle = get_cycle_for_review(request.user, pk)
    require_assessor(request.user)
    form = StageForm(request.POST if request.method == "POST" else request.GET)
    form.is_valid()
    data = form.cleaned_data
    refused = ""
    if request.method == "POST":
        if "stage" not in data:
            messages.error(request, _("The step or its deadline is not valid."))
            return redirect("reviews:overview", pk)
        if not data.get("seen"):
            refused = _("Check what the step does below, then confirm it.")
        else:
            try:
                review = services.change_stage(
                    cycle,
                    Stage(data["stage"]),
                    by=request.user,
                    response_deadline=data.get("response_deadline"),
                    seen=data["seen"],
                )
            except services.StaleConfirmation as stale:
                refused = str(stale)
            except services.RoundTransitionNotAllowed as error:
                messages.error(request, str(error))
                return redirect("reviews:overview", pk)
            else:
                label = review.get_stage_display()
                messages.success(request, _("The review is now: %(stage)s.") % {"stage": label})
                return redirect("reviews:overview", pk)
    context = _stage_context(cycle, data.get("response_deadline"), form)
    return render(request, "reviews/stage.html", context | {"refused": refused},
                  status=409 if refused else 200)  # fmt: skip


def _stage_context(cycle: Cycle, deadline: datetime.date | None, form: StageForm) -> dict[str, Any]:
    """The confirmation of the review's next step: its consequences in today's numbers."""
    review = review_of(cycle)
    current = Stage(review.stage) if review else None
    step = next(iter(services.TRANSITIONS[current]), None)
    context: dict[str, Any] = {"cycle": cycle, "review": review, "step": step}
    if step is None:
        return context
    context["label"] = STEP_LABELS[step]
    if step == Stage.RESPONSES:
        try:
            services.check_response_deadline(deadline)
        except services.RoundTransitionNotAllowed as error:
            typed = form.data.get("response_deadline", "")
            return context | {"deadline_error": str(error), "typed_deadline": typed}
    elif step == Stage.ROUND_2 and review is not None:
        deadline = review.response_deadline
    facts = step_facts(cycle, timezone.localdate())
    return context | {
        "consequences": step_consequences(step, facts, cycle, deadline),
        "seen": facts.seen,
        "deadline": deadline if step == Stage.RESPONSES else None,
    }


@login_required
@require_POST
def assign(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign a reviewer one unit, found by its name, or one criteria group."""
    cycle = get_cycle_for_review(request.user, pk)
    require_assessor(request.user)
    form = AssignForm(cycle, request.POST)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assign(
                cycle,
                data["reviewer"],
                participation=data["unit"],
                group=data["group"],
                by=request.user,
            )
            messages.success(request, _("The reviewer is assigned."))
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
    else:
        messages.error(request, _errors(form))
    return _back_to_overview(cycle, request.POST)


@login_required
@require_POST
def assign_units(request: AuthedRequest, pk: int) -> HttpResponse:
    """Assign a reviewer every unit that the overview's filters keep (a block, a search)."""
    cycle = get_cycle_for_review(request.user, pk)
    require_assessor(request.user)
    form = ReviewerForm(cycle, request.POST)
    if form.is_valid():
        chosen = UnitFilter(cycle, list(SubmissionState.choices), request.POST).chosen()
        units = chosen_units(cycle, chosen)
        reviewer = form.cleaned_data["reviewer"]
        try:
            added = services.assign_units(cycle, reviewer, units, by=request.user)
        except services.NotAllowed as refused:
            messages.error(request, str(refused))
            return _back_to_overview(cycle, request.POST)
        text = ngettext(
            "The reviewer is assigned %(n)s more unit.",
            "The reviewer is assigned %(n)s more units.",
            added,
        )
        messages.success(request, text % {"n": added})
    else:
        messages.error(request, _errors(form))
    return _back_to_overview(cycle, request.POST)


def _errors(form: forms.Form) -> str:
    return " ".join(str(e) for errors in form.errors.values() for e in errors)


def _back_to_overview(cycle: Cycle, posted: Any) -> HttpResponse:
    """The overview, its units filtered as they were when the form was posted."""
    chosen = UnitFilter(cycle, list(SubmissionState.choices), posted).chosen()
    query = urlencode({k: v for k, v in chosen.items() if v})
    return redirect(reverse("reviews:overview", args=[cycle.pk]) + (f"?{query}" if query else ""))


@login_required
@require_POST
def unassign(request: AuthedRequest, pk: int) -> HttpResponse:
    assignment = get_object_or_404(Assignment, pk=pk)
    get_cycle_for_review(request.user, assignment.cycle_id)
    require_assessor(request.user)
    try:
        services.unassign(assignment, by=request.user)
        messages.success(request, _("The assignment is removed."))
    except services.NotAllowed as refused:
        messages.error(request, str(refused))
    return redirect("reviews:overview", assignment.cycle_id)


@login_required
@require_safe
def queue(request: AuthedRequest, pk: int) -> HttpResponse:
    """A reviewer's units for the current round: to do, in progress, done; a page of them
    at a time, found by name, block and state (the counts are the whole queue's)."""
    cycle = get_cycle_for_review(request.user, pk)
    reviewer: Any = request.user
    chosen = _revision(request.GET.get("reviewer"))  # a whole number, or None
    if roles.is_assessor(request.user) and chosen is not None and chosen >= 0:
        reviewer = get_object_or_404(
            User, pk=chosen, role=Role.REVIEWER, organisation_id=cycle.organisation_id
        )
    elif roles.is_assessor(request.user):
        return redirect("reviews:overview", pk)  # the assessor has no queue: the whole team's
    elif not roles.is_reviewer(request.user):
        raise PermissionDenied
    review = review_of(cycle)
    items = queue_of(reviewer, cycle, review) if review else None
    states = [(state.value, QUEUE_LABELS[state]) for state in QueueState]
    filters = UnitFilter(cycle, states, request.GET or None)
    wanted = filters.chosen()
    query = {k: v for k, v in wanted.items() if v}
    if reviewer != request.user:
        query = {"reviewer": str(reviewer.pk), **query}
    context = {
        "cycle": cycle,
        "review": review,
        "reviewer": reviewer,
        "queue": items,
        "filters": filters,
        "query": urlencode(query),
    }
    if items is not None:
        page = Paginator(_chosen_items(items, wanted), PAGE_SIZE).get_page(request.GET.get("page"))
        shown = Queue(items.round, list(page.object_list))
        context |= {"page": page} | {state.value: shown.of(state) for state in QueueState}
    return render(request, "reviews/queue.html", context)


PAGE_SIZE = 50

QUEUE_LABELS = {
    QueueState.TODO: gettext_lazy("To do"),
    QueueState.IN_PROGRESS: gettext_lazy("In progress"),
    QueueState.DONE: gettext_lazy("Done"),
    QueueState.NOTHING: gettext_lazy("Nothing to review"),
}


def _chosen_items(items: Queue, chosen: dict[str, str]) -> list[QueueItem]:
    """The queue's units the filters keep, in the queue's order."""
    wanted = chosen["q"].casefold()  # as the overview's search (the database's icontains)
    return [
        item
        for item in items.items
        if (not chosen["state"] or item.state == chosen["state"])
        and (not chosen["block"] or item.participation.block == chosen["block"])
        and (not wanted or wanted in item.participation.unit.name.casefold())
    ]


def _visible_rounds(review: Review | None) -> tuple[int, ...]:
    """The rounds a reviewer or the assessor reads: every one that has started."""
    if review is None:
        return ()
    return (1, 2) if review.stage in (Stage.ROUND_2, Stage.FINAL) else (1,)


def _review_context(participation: Participation, scope: Scope) -> dict[str, Any]:
    review = review_of(participation.cycle)
    submission = getattr(participation, "submission", None)
    submitted = submission is not None and submission.state == SubmissionState.SUBMITTED
    rounds = _visible_rounds(review) if submitted else ()
    results = scores_of(participation, rounds) if submitted else {}
    return {
        "participation": participation,
        "review": review,
        "submitted": submitted,
        "results": results,
        "verified": results.get(f"round_{max(rounds)}") if rounds else None,
        "rows": rows(
            participation,
            rounds=rounds,
            scope=scope,
            review=review if submitted else None,
            results=results,
        )
        if submitted
        else [],
    }


@login_required
@require_safe
def review(request: AuthedRequest, pk: int) -> HttpResponse:
    """The review of one unit: its answers and evidence beside the reviewer's decisions."""
    participation, scope = get_participation_for_review(request.user, pk)
    return render(request, "reviews/review.html", _review_context(participation, scope))


@login_required
@require_POST
def verify(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    """Save one criterion's decision; answers the row (and the scores) for htmx."""
    participation, scope = get_participation_for_review(request.user, pk)
    post = request.POST
    not_applicable = post.get("not_applicable") == "on"
    error, conflict, status = "", None, 200
    try:
        services.save_verdict(
            participation,
            code,
            verified=bool(post.get("value", "").strip()) or not_applicable,
            value=post.get("value", ""),
            denominator=post.get("denominator", ""),
            not_applicable=not_applicable,
            comment=post.get("comment", ""),
            evidence_requested=post.get("evidence_requested") == "on",
            revision=_revision(post.get("revision")),
            by=request.user,
        )
    except KeyError:
        raise Http404 from None
    except services.NotAllowed as refused:
        error, status = str(refused), 403
    except AnswerError as invalid:
        error, status = str(invalid), 422
    except services.Conflict as stale:
        conflict, status = stale, 409
    if request.headers.get("HX-Request") != "true":
        if error or conflict:
            messages.error(request, error or _("Someone else changed this criterion."))
        return redirect(f"{_url(pk)}#c-{code}")
    context = _review_context(participation, scope)
    row = next((r for r in context["rows"] if r.node.code == code), None)
    if row is None:  # no rows to redraw: the unit has not submitted, and the verdict was refused
        raise PermissionDenied(error)
    context |= {
        "row": row,
        "error": error,
        "conflict": conflict,
        "saved": not status or status == 200,
        # a refused answer stays in the form as typed, to be corrected (a conflict shows theirs)
        "typed": _typed(post) if error else None,
    }
    return render(request, "reviews/_verify_response.html", context, status=status)


def _typed(post: Any) -> dict[str, Any]:
    return {
        "value": post.get("value", ""),
        "denominator": post.get("denominator", ""),
        "comment": post.get("comment", ""),
        "not_applicable": post.get("not_applicable") == "on",
        "evidence_requested": post.get("evidence_requested") == "on",
    }


def _url(pk: int) -> str:
    return reverse("reviews:review", args=[pk])


@login_required
@require_POST
def accept(request: AuthedRequest, pk: int, group: str) -> HttpResponse:
    """Accept a group's criteria as submitted (round 2: as round 1 verified them)."""
    participation, _scope = get_participation_for_review(request.user, pk)
    try:
        count = services.accept_group(participation, group, by=request.user)
    except KeyError:
        raise Http404 from None
    except services.NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    messages.success(request, _("%(count)s criteria accepted.") % {"count": count})
    return redirect(f"{_url(pk)}#g-{group}")


@login_required
@require_safe
def history(request: AuthedRequest, pk: int) -> HttpResponse:
    """Per criterion: self-assessed, round 1 and its comment, the response, round 2. A unit
    reads only the rounds that are closed, and responds here while the window is open."""
    participation, everything = get_participation_for_history(request.user, pk)
    review = review_of(participation.cycle)
    rounds = _visible_rounds(review) if everything else (review.closed_rounds if review else ())
    submission = getattr(participation, "submission", None)
    submitted = submission is not None and submission.state == SubmissionState.SUBMITTED
    results = scores_of(participation, rounds) if submitted else {}
    can_respond = bool(
        review
        and review.responses_open
        and roles.is_unit_member(request.user)
        and request.user.unit_id == participation.unit_id
    )
    context = {
        "participation": participation,
        "review": review,
        "rounds": rounds,
        "results": results,
        "verified": results.get("round_2") or results.get("round_1"),
        "rows": rows(participation, rounds=rounds, results=results) if submitted else [],
        "can_respond": can_respond,
    }
    return render(request, "reviews/history.html", context)


@login_required
@require_POST
def respond(request: AuthedRequest, pk: int, code: str) -> HttpResponse:
    participation, _everything = get_participation_for_history(request.user, pk)
    try:
        services.respond(
            participation,
            code,
            text=request.POST.get("text", ""),
            files=request.FILES.getlist("files"),
            revision=_revision(request.POST.get("revision")),
            by=request.user,
        )
    except KeyError:
        raise Http404 from None
    except services.NotAllowed as refused:
        raise PermissionDenied(str(refused)) from None
    except UploadError as refused_file:
        messages.error(request, str(refused_file))
    except services.Conflict as stale:
        messages.error(
            request,
            _("Someone else changed this response meanwhile: %(theirs)s")
            % {"theirs": stale.theirs},
        )
    else:
        messages.success(request, _("Your response on %(code)s is saved.") % {"code": code})
    return redirect(reverse("reviews:history", args=[pk]) + f"#c-{code}")


@login_required
@require_safe
def evidence_file(request: AuthedRequest, pk: int) -> FileResponse:
    """A unit's evidence file, for whoever may read that unit's review."""
    evidence = get_object_or_404(Evidence.objects.select_related("submission"), pk=pk)
    get_participation_for_history(request.user, evidence.submission.participation_id)
    if not roles.reads_files(request.user):
        raise PermissionDenied  # viewers read the scores, not the files
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.name,
        content_type=evidence.content_type,
    )


@login_required
@require_safe
def response_file(request: AuthedRequest, pk: int) -> FileResponse:
    item = get_object_or_404(ResponseFile.objects.select_related("response"), pk=pk)
    get_participation_for_history(request.user, item.response.participation_id)
    if not roles.reads_files(request.user):
        raise PermissionDenied
    return FileResponse(
        item.file.open("rb"), as_attachment=True, filename=item.name, content_type=item.content_type
    )
