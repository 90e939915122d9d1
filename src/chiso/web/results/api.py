"""Published results in the API: public, read only, the JSON contract of
``chiso score --format json`` (docs/cli.md) as frozen at publication; where a unit's numbers
came from, as far as its scorecard is shown (results.provenance)."""

from __future__ import annotations

from typing import Any

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils.http import http_date
from ninja import Router, Schema

from chiso.web.cycles.models import Cycle, CycleState, Unit
from chiso.web.results.access import get_scorecard, published_revision
from chiso.web.results.provenance import Provenance, provenance
from chiso.web.results.services import ResultsError
from chiso.web.results.snapshot import Stored

router = Router(auth=None, tags=["results"])


class PublishedCycle(Schema):
    id: int
    name: str
    year: int
    assessor: str
    revision: int
    url: str


@router.get("/", response=list[PublishedCycle], url_name="results_list")
def published_cycles(request: HttpRequest) -> list[dict[str, Any]]:
    """The published cycles, newest first."""
    cycles = (
        Cycle.objects.filter(state=CycleState.PUBLISHED, revisions__isnull=False)
        .select_related("organisation")
        .distinct()
        .order_by("-year", "name")
    )
    listed = []
    for cycle in cycles:
        revision = published_revision(cycle)
        assert revision is not None
        listed.append(
            {
                "id": cycle.pk,
                "name": cycle.name,
                "year": cycle.year,
                "assessor": cycle.organisation.name,
                "revision": revision.number,
                "url": request.build_absolute_uri(f"/api/v1/results/{cycle.pk}"),
            }
        )
    return listed


@router.get("/{cycle_id}", url_name="results_cycle", response={200: dict[str, Any]})
def cycle_results(request: HttpRequest, cycle_id: int) -> HttpResponse:
    """The published results of a cycle, exactly as ``chiso score --format json`` writes them
    (the latest revision; its number is in the header ``X-Results-Revision``)."""
    cycle = get_object_or_404(Cycle, pk=cycle_id)
    revision = published_revision(cycle)
    if revision is None:
        raise Http404
    response = HttpResponse(Stored(revision).results_text(), content_type="application/json")
    response["X-Results-Revision"] = str(revision.number)
    response["Last-Modified"] = http_date(revision.published_at.timestamp())
    return response


@router.get(
    "/{cycle_id}/units/{unit_id}/provenance",
    url_name="results_provenance",
    response={200: Provenance, 409: dict[str, str]},
)
def unit_provenance(
    request: HttpRequest, cycle_id: int, unit_id: int, item: str = "", draft: bool = False
) -> Any:
    """Where a unit's numbers came from: ``item`` a group's or criterion's code, ``rank``, or
    none for the total; as far as the unit's scorecard is shown (404 otherwise). ``draft``:
    the draft results, for the assessor and viewers. Numbers are exact decimals as text."""
    shown = get_scorecard(request.user, cycle_id, unit_id, draft=draft)
    unit = get_object_or_404(Unit, pk=unit_id)
    try:
        return provenance(request.user, shown, unit, item[:80])
    except ResultsError as error:
        return 409, {"detail": str(error)}
