"""Each person's start page, the site's icon, and the assessor's dashboard of a cycle: every
unit's progress, reopening a submission, the export of the submitted answers."""

from __future__ import annotations

import io
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from chiso.io import unit_table
from chiso.io.results import write_csv, write_xlsx
from chiso.web.accounts import roles
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.console.forms import DashboardFilter, ReopenForm
from chiso.web.console.selectors import (
    choose,
    days_to_deadline,
    tallies,
    unit_rows,
    with_completeness,
)
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.cycles.models import Cycle, CycleState, Participation
from chiso.web.submissions import services as submissions
from chiso.web.submissions.models import Submission
from chiso.web.submissions.scoring import cycle_data

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
    cycles = Cycle.objects.select_related("framework")
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
    if chosen["sort"] == "missing":  # sorting by missing answers reads every unit's answers
        found = with_completeness(cycle, found)
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
    units that have not submitted are ``no_data``."""
    cycle = get_cycle_for_assessor(request.user, pk)
    rows = unit_table.unit_rows(cycle.framework.framework, cycle_data(cycle))
    name = f"{slugify(cycle.name) or 'cycle'}-{cycle.year}"
    if fmt == "csv":
        response = HttpResponse(write_csv(rows), content_type="text/csv; charset=utf-8")
    else:
        buffer = io.BytesIO()
        write_xlsx(rows, buffer, title=_("Data"))
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response
