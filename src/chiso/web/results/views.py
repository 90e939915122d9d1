from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from functools import lru_cache, wraps
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from chiso.reports import charts
from chiso.reports.chart_data import Chart
from chiso.reports.data import Report
from chiso.web.accounts import roles
from chiso.web.accounts.access import AuthedRequest
from chiso.web.cycles.models import Cycle, CycleState, Unit
from chiso.web.cycles.services import set_public_scorecards
from chiso.web.jobs import services as jobs
from chiso.web.jobs.models import Job, Kind
from chiso.web.results import display, documents, refresh, services, tasks
from chiso.web.results.access import (
    Shown,
    draft_cycles,
    follows_unit,
    get_cycle_to_publish,
    get_results,
    get_scorecard,
    scorecards_are_public,
    sees_drafts,
)
from chiso.web.results.display import ChartTable, chart_table, table_view
from chiso.web.results.models import ResultRevision
from chiso.web.results.provenance import provenance as trace
from chiso.web.results.publishing import correction_consequences, publication_consequences
from chiso.web.results.snapshot import Computed, Entry, Results, Stored


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The published cycles, for everyone, under each assessor's name; the others' drafts for
    their assessor's administrator and viewers."""
    cycles = Cycle.objects.select_related("organisation").order_by("-year", "name")
    published = (
        cycles.filter(state=CycleState.PUBLISHED, revisions__isnull=False)
        .distinct()
        .order_by("organisation__name", "organisation_id", "-year", "name")
    )
    drafts = draft_cycles(request.user, cycles.exclude(pk__in=published))
    return render(request, "results/index.html", {"published": published, "drafts": drafts})


@require_safe
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    """A cycle's results (published, or the draft): the summary, the contents, each block's
    statistics and charts, and one ranking table — ``?table=<key>`` (the first when none),
    a page of its units at a time (``&page=N``), narrowed to the units whose name holds
    ``?q=``. Only that table is read and printed; its region alone for htmx."""
    shown = get_results(request.user, pk, draft="draft" in request.GET)
    try:
        results = shown.results
        report = results.overview()
        contents = results.contents()
    except services.ResultsError as error:
        return _cannot_compute(request, shown, error)
    key = request.GET.get("table") or (contents[0].key if contents else "")
    if key and key not in {entry.key for entry in contents}:
        raise Http404  # before any query: a key may hold what the database refuses
    table = results.table(key) if key else None
    block = table.block if table else ""
    search = request.GET.get("q", "").strip()[:100]
    units = _scorecard_links(request.user, shown, results)
    suffix = "?draft" if shown.is_draft else ""
    links = {name: reverse("results:scorecard", args=[pk, unit]) + suffix for name, unit in units}
    page = request.GET.get("page")
    view = table_view(table, links, search, page, display.PER_PAGE) if table else None
    context = {
        "shown": shown,
        "cycle": shown.cycle,
        "report": report,
        "blocks": _blocks(report, contents, shown.is_draft),
        "charts": _charts(report.charts),
        "table": view,
        "table_block": next((b.heading for b in report.blocks if b.block == block), ""),
        "query": _query(shown, key, search),
        "search": search,
        # a long list of names is the tables' column: each name there links its scorecard
        "units": units if len(units) <= display.PER_PAGE else [],
        "revisions": shown.cycle.revisions.select_related("published_by"),
        "is_assessor": roles.is_assessor(request.user) and sees_drafts(request.user, shown.cycle),
        "formats": _formats(),
        "draft": shown.draft,
    }
    if request.headers.get("HX-Request") == "true" and not request.headers.get(
        "HX-History-Restore-Request"
    ):
        return render(request, "results/_table_region.html", context)
    return render(request, "results/cycle.html", context)


def _blocks(report: Report, contents: list[Entry], draft: bool) -> list[dict[str, Any]]:
    """Each block's heading, the links to its tables, its statistics, charts and narrative."""
    groups = {g.code: g.name for g in report.groups}
    statistics = report.statistics[1:]
    return [
        {
            "block": block.block,
            "name": block.name,
            "heading": block.heading,
            "contents": [
                (entry.key, _short_caption(entry, groups))
                for entry in contents
                if entry.block == block.block
            ],
            "charts": _charts(block.charts),
            "narrative": block.narrative,
            "statistics": [row[1:] for row in statistics if row[0] == block.name],
        }
        for block in report.blocks
    ]


def _query(shown: Shown, key: str, search: str) -> str:
    """The page's address's query without its page number: the pages' links add theirs."""
    query = {"table": key, **({"q": search} if search else {})}
    return ("draft&" if shown.is_draft else "") + urlencode(query)


def _short_caption(table: Entry, groups: dict[str, str]) -> str:
    """A table as the contents name it: a group's table by its number and the group's name
    ("Bảng 1.2. Ứng dụng CNTT …", a part "Bảng 1.2 a) …"), the overall table by its caption."""
    if table.part:
        return f"{table.number} {table.part}"
    if table.code in groups:
        return f"{table.number}. {groups[table.code]}"
    return table.caption


def _charts(charts: tuple[Chart, ...]) -> list[tuple[Chart, ChartTable]]:
    return [(chart, chart_table(chart)) for chart in charts]


def _scorecard_links(user: Any, shown: Shown, results: Results) -> list[tuple[str, int]]:
    """The scorecards the person may open: every one for the assessor and viewers, reviewers
    after publication, and everyone when the scorecards are public; a unit's own people
    theirs."""
    units = results.units()
    if sees_drafts(user, shown.cycle) or (not shown.is_draft and shown.cycle.scorecards_are_public):
        return units
    if shown.is_draft or not user.is_authenticated:
        return []
    return [(name, pk) for name, pk in units if follows_unit(user, pk, shown.cycle)]


@require_safe
def document(request: HttpRequest, pk: int, fmt: str) -> HttpResponseBase:
    """The decision with its appendix (.docx, .pdf) or the workbook (.xlsx): the published
    revision's files for everyone; before publication (or with ?draft) the files of the
    results computed now, watermarked as a draft, for the assessor and viewers."""
    if fmt not in documents.CONTENT_TYPES:
        raise Http404
    shown = get_results(request.user, pk, draft="draft" in request.GET)
    name = f"ket-qua-{shown.cycle.year}.{fmt}"
    if shown.revision is not None:
        stored = get_object_or_404(shown.revision.documents, format=fmt)
        return FileResponse(
            stored.file.open("rb"),
            as_attachment=True,
            filename=name,
            content_type=documents.CONTENT_TYPES[fmt],
        )
    cached = services.cached_draft(shown.cycle, fmt)
    if cached is None:  # a background job writes it (prepare_document)
        context = {"cycle": shown.cycle, "fmt": fmt, "label": _format_label(fmt)}
        return render(request, "results/draft_document.html", context)
    return FileResponse(
        cached.file.open("rb"),
        as_attachment=True,
        filename=f"du-thao-{name}",
        content_type=documents.CONTENT_TYPES[fmt],
    )


@login_required
@require_POST
def prepare_document(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """Start the background job that writes a draft document (the assessor and viewers)."""
    if fmt not in documents.CONTENT_TYPES:
        raise Http404
    shown = get_results(request.user, pk, draft=True)
    if not shown.is_draft:
        raise Http404
    job = jobs.start(
        Kind.DOCUMENT,
        tasks.draft_document,
        by=request.user,
        cycle_pk=pk,
        key=f"draft:{pk}:{fmt}",
        params={"format": fmt},
    )
    return redirect("jobs:job", job.pk)


def _format_label(fmt: str) -> str:
    return dict(_formats())[fmt]


def _formats() -> list[tuple[str, str]]:
    return [
        ("docx", _("Decision with appendix (DOCX)")),
        ("pdf", _("Decision with appendix (PDF)")),
        ("xlsx", _("Workbook of tables (XLSX)")),
    ]


@require_safe
def chart(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One chart of the results as a PNG image, drawn from the stored chart data."""
    shown = get_results(request.user, pk, draft="draft" in request.GET)
    if shown.revision is not None:
        image = _revision_chart(shown.revision, key)
    else:
        try:
            image = _draft_chart(shown.results, key)
        except services.ResultsError as error:
            return _cannot_compute(request, shown, error)
    return HttpResponse(image, content_type="image/png")


def _cannot_compute(
    request: HttpRequest, shown: Shown, error: services.ResultsError
) -> HttpResponse:
    """The page saying why the results cannot be computed, or that the draft is being
    computed (it follows the job and shows the results once they are ready)."""
    if isinstance(error, refresh.NotYetComputed):
        context = {"cycle": shown.cycle, "draft": shown.draft}
        return render(request, "results/computing.html", context)
    return render(request, "results/error.html", {"cycle": shown.cycle, "error": error})


@require_safe
def draft_status(request: HttpRequest, pk: int) -> HttpResponse:
    """What the draft pages poll while the draft is computed: the note again while it is;
    once it is computed (or cannot be), the page is loaded again (htmx's ``HX-Refresh``)."""
    shown = get_results(request.user, pk, draft=True)
    if not shown.is_draft:
        raise Http404
    try:
        draft = shown.draft
    except services.ResultsError:
        draft = None
    if draft is not None and draft.pending:
        context = {"cycle": shown.cycle, "draft": draft}
        return render(request, "results/_draft_status.html", context)
    response = HttpResponse()
    response["HX-Refresh"] = "true"
    return response


def _draft_chart(results: Results, key: str) -> bytes:
    # the draft's results are kept until their data change (results.drafts): so are its images
    if not isinstance(results, Computed):
        return _draw(results.chart(key))
    if key not in results.images:
        results.images[key] = _draw(results.chart(key))
    return results.images[key]


@lru_cache(maxsize=256)
def _revision_chart(revision: ResultRevision, key: str) -> bytes:
    # a revision never changes, so its images are drawn once per process (kept by its id)
    return _draw(Stored(revision).chart(key))


def _draw(found: Chart | None) -> bytes:
    if found is None:
        raise Http404
    return charts.render(found, "png")


def _login_unless_public(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A scorecard asks a visitor to log in, unless the cycle's scorecards are public."""

    @wraps(view)
    def wrapped(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
        if not request.user.is_authenticated and not scorecards_are_public(pk):
            return redirect_to_login(request.get_full_path())
        return view(request, pk, unit_pk)

    return wrapped


@_login_unless_public
@require_safe
def scorecard(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """One unit's results: score, rank, tier, change, groups against the block, and the
    criteria where it lost points, the largest loss first, with the reviewers' comments (for
    those who follow the unit: a public scorecard is the published part alone)."""
    shown = get_scorecard(request.user, pk, unit_pk, draft="draft" in request.GET)
    unit = get_object_or_404(Unit, pk=unit_pk)
    try:
        card = shown.results.scorecard(unit.pk)
    except services.ResultsError as error:
        return _cannot_compute(request, shown, error)
    if card is None:
        raise Http404
    comments = {}
    if follows_unit(request.user, unit.pk, shown.cycle):
        comments = services.review_comments(shown.cycle, unit)
    lost = [(row, comments.get(row.code, "")) for row in card.lost]
    context = {
        "shown": shown,
        "cycle": shown.cycle,
        "unit": unit,
        "card": card,
        "lost": lost,
        "draft": shown.draft,
    }
    return render(request, "results/scorecard.html", context)


@_login_unless_public
@require_safe
def provenance(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """Where a number of the unit's results came from (``?item=``: a group's or criterion's
    code, or ``rank``; none: the total): as far as the scorecard is shown (results.provenance)."""
    shown = get_scorecard(request.user, pk, unit_pk, draft="draft" in request.GET)
    unit = get_object_or_404(Unit, pk=unit_pk)
    try:
        found = trace(request.user, shown, unit, request.GET.get("item", "")[:80])
    except services.ResultsError as error:
        return _cannot_compute(request, shown, error)
    context = {"shown": shown, "cycle": shown.cycle, "unit": unit, "p": found}
    return render(request, "results/provenance.html", context)


@_login_unless_public
@require_safe
def scorecard_chart(request: HttpRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's groups against its block's mean, as a share of their maximum (PNG)."""
    shown = get_scorecard(request.user, pk, unit_pk, draft="draft" in request.GET)
    try:
        card = shown.results.scorecard(unit_pk)
    except services.ResultsError as error:
        return _cannot_compute(request, shown, error)
    if card is None:
        raise Http404
    # a group excluded as not applicable has no bar (it would read 0 for the unit)
    groups = [g for g in card.groups if g.top and not g.not_scored]
    image = charts.groups_chart(
        [f"{g.code}. {g.name}" for g in groups],
        [
            (_("This unit"), [g.percent or Decimal(0) for g in groups]),
            (_("Block average"), [g.block_mean_percent or Decimal(0) for g in groups]),
        ],
    )
    return HttpResponse(image, content_type="image/png")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    """Publishing: GET states what would be frozen, in numbers; POST starts the publication in
    the background and shows its job, unless the results changed since (the page is shown
    again with the new numbers). Confirmed twice, it shows the one job (or the publication
    already done)."""
    cycle = get_cycle_to_publish(request.user, pk)
    refused = ""
    if request.method == "POST":
        seen = request.POST.get("seen", "")
        try:
            services.check_publication(cycle, seen, _not_publishable(cycle))
        except services.StalePublication as stale:
            refused = str(stale)
        except services.ResultsError as error:
            messages.error(request, str(error))
            return redirect("results:cycle", pk)
        else:
            params = {"seen": seen, "overclaim": request.POST.get("overclaim") == "1"}
            job = _publication_job(Kind.PUBLISH, tasks.publish_results, cycle, request, params)
            return redirect("jobs:job", job.pk)
    if cycle.state != CycleState.UNDER_REVIEW:
        context = {"cycle": cycle, "blocked": _not_publishable(cycle)}
        return render(request, "results/publish.html", context)
    try:
        facts = services.publication_facts(cycle)
    except services.ResultsError as error:
        return render(request, "results/error.html", {"cycle": cycle, "error": error})
    context = {
        "cycle": cycle,
        "seen": facts.seen,
        "consequences": publication_consequences(facts),
        "refused": refused,
    }
    return render(request, "results/publish.html", context, status=409 if refused else 200)


def _publication_job(
    kind: Kind, task: Any, cycle: Cycle, request: AuthedRequest, params: dict[str, Any]
) -> Job:
    """The publication's job of the cycle: one at a time (a second confirmation finds the
    first)."""
    return jobs.start(
        kind, task, by=request.user, cycle_pk=cycle.pk, key=f"results:{cycle.pk}", params=params
    )


def _not_publishable(cycle: Cycle) -> str:
    if cycle.state == CycleState.PUBLISHED:
        return _("The results are published; a change is a correction with its reason.")
    return _("The cycle is “%(state)s”: its results are published once it is under review.") % {
        "state": cycle.get_state_display()
    }


@login_required
@require_POST
def public_scorecards(request: AuthedRequest, pk: int) -> HttpResponse:
    """Show every unit's scorecard to anyone once published, or no longer (audited)."""
    cycle = get_cycle_to_publish(request.user, pk)
    public = request.POST.get("public") == "1"
    if public and not cycle.public_scorecards and request.POST.get("confirm") != "1":
        # what anyone has read cannot be taken back: the assessor confirms it first
        messages.error(request, _("Tick the confirmation to make the scorecards public."))
        return redirect(f"{reverse('results:cycle', args=[pk])}#phieu-cong-khai")
    set_public_scorecards(cycle, public, by=request.user)
    if public:
        messages.success(request, _("The units' scorecards are public once the results are."))
    else:
        messages.success(request, _("The units' scorecards are no longer public."))
    return redirect("results:cycle", pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def correct(request: AuthedRequest, pk: int) -> HttpResponse:
    """A correction: GET states what it changes against the latest revision; POST publishes
    it with its reason, unless the results changed since."""
    cycle = get_cycle_to_publish(request.user, pk)
    reason, refused = request.POST.get("reason", ""), ""
    if request.method == "POST":
        seen = request.POST.get("seen", "")
        try:
            services.check_correction(cycle, reason, seen)
        except services.ResultsError as error:
            refused = str(error)
        else:
            params = {"seen": seen, "reason": reason}
            job = _publication_job(Kind.CORRECT, tasks.correct_results, cycle, request, params)
            return redirect("jobs:job", job.pk)
    if cycle.state != CycleState.PUBLISHED:
        blocked = _("Only published results are corrected; publish them first.")
        return render(request, "results/correct.html", {"cycle": cycle, "blocked": blocked})
    try:
        facts = services.correction_facts(cycle)
    except services.ResultsError as error:
        return render(request, "results/error.html", {"cycle": cycle, "error": error})
    context = {
        "cycle": cycle,
        "seen": facts.seen,
        "consequences": correction_consequences(facts),
        "reason": reason,
        "refused": refused,
    }
    return render(request, "results/correct.html", context, status=409 if refused else 200)


def _previous_form(pk: int) -> str:
    """Where the results of earlier years are uploaded: a file refused is corrected there."""
    return reverse("results:cycle", args=[pk]) + "?draft#previous-results"


@login_required
@require_POST
def import_previous(request: AuthedRequest, pk: int) -> HttpResponse:
    cycle = get_cycle_to_publish(request.user, pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("results:cycle", pk)
    try:
        name = services.check_previous_upload(upload)
    except services.ResultsError as error:
        messages.error(request, str(error))
        return redirect(_previous_form(pk))
    job = jobs.start(
        Kind.IMPORT,
        tasks.import_previous,
        by=request.user,
        cycle_pk=cycle.pk,
        key=f"previous:{cycle.pk}",
        params={"name": name, "upload_again": _previous_form(pk)},
        file=upload,
    )
    return redirect("jobs:job", job.pk)
