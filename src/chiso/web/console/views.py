"""Each person's start page, the site's icon, and the assessor's dashboard of a cycle: every
unit's progress, reopening a submission, the export of the submitted answers."""

from __future__ import annotations

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from chiso.web.accounts import roles
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.console import exports, tasks
from chiso.web.console.forms import DashboardFilter, ReopenForm
from chiso.web.console.selectors import (
    choose,
    days_to_deadline,
    tallies,
    unit_rows,
    with_completeness,
    with_missing,
)
from chiso.web.cycles.access import assessor_scope, get_cycle_for_assessor
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.jobs import services as jobs
from chiso.web.jobs.models import Kind
from chiso.web.submissions import services as submissions
from chiso.web.submissions.models import Submission

PAGE_SIZE = 50
"""Units on a page of the dashboard."""


@login_required
@require_safe
def home(request: AuthedRequest) -> HttpResponse:
    """Each person's start page: their unit's self-assessments, or the cycles they follow."""
    user = request.user
    if roles.is_unit_member(user):
        participations = (
            Participation.objects.filter(unit=user.unit)
            .select_related("cycle")
            .exclude(cycle__state=CycleState.DRAFT)
            .order_by("-cycle__year")
        )
        if len(participations) == 1:
            return redirect("submissions:form", participations[0].pk)
        return render(request, "console/home_unit.html", {"participations": participations})
    cycles = Cycle.objects.select_related("framework").filter(assessor_scope(user))
    return render(request, "console/home.html", {"cycles": cycles})


@require_safe
@cache_control(public=True, max_age=7 * 24 * 60 * 60)
def favicon(request: HttpRequest) -> HttpResponse:
    """The site's icon where browsers and other programs ask for it, on every page (the
    administration's and the API's too), whatever serves the static files."""
    icon = settings.BASE_DIR / "static" / "chiso" / "favicon.ico"
    return HttpResponse(icon.read_bytes(), content_type="image/vnd.microsoft.icon")


@login_required
@require_safe
def dashboard(request: AuthedRequest, pk: int) -> HttpResponse:
    """The cycle at a glance: how many units are in each state, per block; each unit's state,
    last activity, missing answers and evidence, late units marked; a search by name, the
    filters and a sort, in the URL (the units' table alone for htmx)."""
    cycle = get_cycle_for_assessor(request.user, pk)
    today = timezone.localdate()
    filters = DashboardFilter(cycle, request.GET or None)
    chosen = filters.chosen()
    days_left = days_to_deadline(cycle, today)
    every = unit_rows(cycle, today)
    found = choose(every, block=chosen["block"], state=chosen["state"], search=chosen["q"])
    if chosen["sort"] == "missing":  # each unit's count, kept per change of the cycle
        found = with_missing(cycle, found)
    found = choose(found, sort=chosen["sort"])
    page = Paginator(found, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = with_completeness(cycle, page.object_list)
    query = {key: value for key, value in chosen.items() if value}
    context = {
        "cycle": cycle,
        "rows": rows,
        "page": page,
        "query": urlencode(query),
        "found": len(found),
        "total": len(every),
        "tallies": tallies(cycle, every),
        "filters": filters,
        "days_left": days_left,
        "days_over": -days_left if days_left is not None else None,
        "late": sum(row.late for row in every),
        "reopen_form": ReopenForm(),
        "fragment": bool(request.headers.get("HX-Request")),
    }
    # the largest over-claims: a panel the page loads after it (computed once per change)
    context["reviewing"] = cycle.state in (CycleState.UNDER_REVIEW, CycleState.PUBLISHED)
    template = "console/_rows.html" if context["fragment"] else "console/dashboard.html"
    return render(request, template, context)


@login_required
@require_POST
def reopen(request: AuthedRequest, pk: int, submission_pk: int) -> HttpResponse:
    cycle = get_cycle_for_assessor(request.user, pk)
    require_assessor(request.user)
    submission = get_object_or_404(Submission, pk=submission_pk, participation__cycle=cycle)
    form = ReopenForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Give the reason for reopening."))
        return redirect("cycles:dashboard", cycle.pk)
    try:
        submissions.reopen(submission, reason=form.cleaned_data["reason"], by=request.user)
    except submissions.NotAllowed as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("%(unit)s can change its self-assessment again.")
            % {"unit": submission.participation.unit},
        )
    return redirect("cycles:dashboard", cycle.pk)


@login_required
@require_safe
def export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """Every unit's submitted answers in the data format of ``chiso score`` (docs/cli.md);
    units that have not submitted are ``no_data``. A large cycle's is written by a background
    job (``export_prepare``): this page offers it."""
    cycle = get_cycle_for_assessor(request.user, pk)
    if exports.too_large_for_a_request(cycle):
        return render(request, "console/export_job.html", {"cycle": cycle, "fmt": fmt})
    name, content = exports.answers_file(cycle, fmt)
    response = HttpResponse(content, content_type=exports.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_POST
def export_prepare(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """Start the background job that writes a large cycle's export."""
    cycle = get_cycle_for_assessor(request.user, pk)
    if fmt not in exports.CONTENT_TYPES:
        raise Http404
    job = jobs.start(
        Kind.EXPORT,
        tasks.export_answers,
        by=request.user,
        cycle_pk=cycle.pk,
        key=f"export:{cycle.pk}:{fmt}",
        params={"format": fmt},
    )
    return redirect("jobs:job", job.pk)
