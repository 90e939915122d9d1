from __future__ import annotations

from collections.abc import Mapping
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.http.response import HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from chiso.core import NotRankedReason
from chiso.core.framework import Display
from chiso.core.model import NodeResult, not_scored
from chiso.core.tiers import display_value
from chiso.reports import charts
from chiso.reports.format import vn_number
from chiso.reports.labels import NOT_RANKED
from chiso.reports.template import TemplateError
from chiso.web.accounts import roles
from chiso.web.accounts.access import AuthedRequest, require_assessor
from chiso.web.cycles.models import Cycle, CycleState, Unit
from chiso.web.cycles.services import TransitionNotAllowed
from chiso.web.results import documents, services
from chiso.web.results.access import Shown, get_results, get_scorecard, sees_drafts
from chiso.web.results.display import table_view
from chiso.web.results.models import ResultRevision
from chiso.web.results.snapshot import chart_of


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    """The published cycles, for everyone; the others' drafts for the assessor and viewers."""
    cycles = Cycle.objects.select_related("organisation").order_by("-year", "name")
    published = cycles.filter(state=CycleState.PUBLISHED, revisions__isnull=False).distinct()
    drafts = cycles.exclude(pk__in=published) if sees_drafts(request.user) else cycles.none()
    return render(request, "results/index.html", {"published": published, "drafts": drafts})


@require_safe
def cycle_results(request: HttpRequest, pk: int) -> HttpResponse:
    """The ranking tables, statistics and charts of a cycle (published, or the draft)."""
    shown = get_results(request.user, pk, draft="draft" in request.GET)
    try:
        data = shown.data
    except services.ResultsError as error:
        return render(request, "results/error.html", {"cycle": shown.cycle, "error": error})
    blocks = [
        {**block, "tables": [table_view(t) for t in block["tables"]]}
        for block in data["report"]["blocks"]
    ]
    context = {
        "shown": shown,
        "cycle": shown.cycle,
        "report": data["report"],
        "blocks": blocks,
        "units": _scorecard_links(request.user, shown, data),
        "revisions": shown.cycle.revisions.select_related("published_by"),
        "is_assessor": roles.is_assessor(request.user),
        "formats": [
            ("docx", _("Decision with appendix (DOCX)")),
            ("pdf", _("Decision with appendix (PDF)")),
            ("xlsx", _("Workbook of tables (XLSX)")),
        ],
    }
    return render(request, "results/cycle.html", context)


def _scorecard_links(user: Any, shown: Shown, data: dict[str, Any]) -> list[tuple[str, int]]:
    if not user.is_authenticated:
        return []
    units = [(name, entry["id"]) for name, entry in data["units"].items() if entry["id"]]
    if sees_drafts(user) or (roles.is_reviewer(user) and not shown.is_draft):
        return units
    if roles.is_unit_member(user) and not shown.is_draft:
        return [(name, pk) for name, pk in units if pk == user.unit_id]
    return []


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
    try:
        files = services.draft_documents(shown.cycle)
    except (services.ResultsError, TemplateError) as error:
        return render(request, "results/error.html", {"cycle": shown.cycle, "error": error})
    name = f"du-thao-{name}"
    response = HttpResponse(files[fmt], content_type=documents.CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@require_safe
def chart(request: HttpRequest, pk: int, key: str) -> HttpResponse:
    """One chart of the results as a PNG image, drawn from the stored chart data."""
    shown = get_results(request.user, pk, draft="draft" in request.GET)
    if shown.revision is not None:
        image = _revision_chart(shown.revision.pk, key)
    else:
        image = _draw(_find_chart(shown.data, key))
    return HttpResponse(image, content_type="image/png")


@lru_cache(maxsize=256)
def _revision_chart(revision_pk: int, key: str) -> bytes:
    # a revision never changes, so its images are drawn once per process
    revision = ResultRevision.objects.get(pk=revision_pk)
    return _draw(_find_chart(revision.data, key))


def _find_chart(data: dict[str, Any], key: str) -> dict[str, Any]:
    report = data["report"]
    for found in [c for b in report["blocks"] for c in b["charts"]] + report["charts"]:
        if found["key"] == key:
            return dict(found)
    raise Http404


def _draw(data: dict[str, Any]) -> bytes:
    return charts.render(chart_of(data), "png")


@login_required
@require_safe
def scorecard(request: AuthedRequest, pk: int, unit_pk: int) -> HttpResponse:
    """One unit's results: score, rank, tier, change, groups against the block, and the
    criteria where it lost points, the largest loss first, with the reviewers' comments."""
    shown = get_scorecard(request.user, pk, unit_pk, draft="draft" in request.GET)
    data = shown.data
    unit = get_object_or_404(Unit, pk=unit_pk)
    name = next((n for n, e in data["units"].items() if e["id"] == unit.pk), None)
    if name is None:
        raise Http404
    entry = data["units"][name]
    block = next(b for b in data["results"]["blocks"] if b["block"] == entry["block"])
    result = next(u for u in block["units"] if u["unit"] == name)
    comments = services.review_comments(shown.cycle, unit)
    lost = [{**row, "comment": comments.get(row["code"], "")} for row in entry["lost"]]
    display = shown.cycle.framework.framework.display_for(entry["block"])
    reason = result["not_ranked_reason"]
    context = {
        "shown": shown,
        "cycle": shown.cycle,
        "unit": unit,
        "percent": _percent(result["percent"], display),
        "not_ranked": NOT_RANKED[NotRankedReason(reason)] if reason else "",
        "name": name,
        "entry": entry,
        "groups": [_group(g, _block_maxima(shown, entry["block"])) for g in entry["groups"]],
        "result": result,
        "lost": lost,
        "display": display,
    }
    return render(request, "results/scorecard.html", context)


def _block_maxima(shown: Shown, block: str) -> Mapping[str, Decimal]:
    """The maxima of the criteria in ``block`` of the shown cycle's framework."""
    return shown.cycle.framework.framework.max_for(block)


def _group(group: dict[str, Any], block_maxima: Mapping[str, Decimal]) -> dict[str, Any]:
    """A group's row of the scorecard. Whether the unit is not scored on it is the core's
    :func:`not_scored` of its stored points and maximum against the block's: results
    published before marked a group whose maximum is 0 for every unit (an ``info`` group)
    ``not_applicable`` too. Results published before ``full_credit`` was stored marked a
    criterion declared under full credit ``not_applicable`` too: it is the one that keeps a
    maximum."""
    score, maximum = group["score"], group["max"]
    node = NodeResult(Decimal(str(score)), Decimal(str(maximum))) if score is not None else None
    excluded = not_scored(node, block_maxima.get(group["code"], Decimal(0)))
    if "full_credit" in group:
        full_credit = bool(group["full_credit"])
    else:
        full_credit = bool(group["not_applicable"]) and bool(maximum)
    return {**group, "not_applicable": excluded, "full_credit": full_credit}


def _percent(value: float | None, display: Display) -> str:
    if value is None:
        return ""
    return vn_number(display_value(Decimal(str(value)), display.scale), display.percent_decimals)


@login_required
@require_safe
def scorecard_chart(request: AuthedRequest, pk: int, unit_pk: int) -> HttpResponse:
    """The unit's groups against its block's mean, as a share of their maximum (PNG)."""
    shown = get_scorecard(request.user, pk, unit_pk, draft="draft" in request.GET)
    entry = next((e for e in shown.data["units"].values() if e["id"] == unit_pk), None)
    if entry is None:
        raise Http404
    # a group excluded as not applicable has no bar (it would read 0 for the unit)
    maxima = _block_maxima(shown, entry["block"])
    groups = [
        g
        for g in (_group(g, maxima) for g in entry["groups"])
        if g["top"] and not g["not_applicable"]
    ]
    image = charts.groups_chart(
        [f"{g['code']}. {g['name']}" for g in groups],
        [
            (_("This unit"), [g["percent"] or 0 for g in groups]),
            (_("Block average"), [g["block_mean_percent"] or 0 for g in groups]),
        ],
    )
    return HttpResponse(image, content_type="image/png")


@login_required
@require_POST
def publish(request: AuthedRequest, pk: int) -> HttpResponse:
    require_assessor(request.user)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        revision = services.publish(cycle, by=request.user)
    except (services.ResultsError, TransitionNotAllowed) as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Results published (revision %(n)s).") % {"n": revision.number})
    return redirect("results:cycle", pk)


@login_required
@require_POST
def correct(request: AuthedRequest, pk: int) -> HttpResponse:
    require_assessor(request.user)
    cycle = get_object_or_404(Cycle, pk=pk)
    try:
        revision = services.correct(cycle, reason=request.POST.get("reason", ""), by=request.user)
    except services.ResultsError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request, _("Correction published (revision %(n)s).") % {"n": revision.number}
        )
    return redirect("results:cycle", pk)


@login_required
@require_POST
def import_previous(request: AuthedRequest, pk: int) -> HttpResponse:
    require_assessor(request.user)
    cycle = get_object_or_404(Cycle, pk=pk)
    upload = request.FILES.get("file")
    if upload is None:
        messages.error(request, _("Choose a CSV or XLSX file."))
        return redirect("results:cycle", pk)
    try:
        count = services.import_previous(cycle, upload, by=request.user)
    except services.ResultsError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("%(n)s results of earlier years imported.") % {"n": count})
    return redirect(reverse("results:cycle", args=[pk]) + "?draft")
