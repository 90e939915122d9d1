"""The audit trail of a cycle as people read it: per unit, criterion and action, a page at a
time, and the same entries as a CSV or XLSX file.

The trail stores values as the code wrote them (``draft``, ``round_1``, ``12.5``, ``N/A``);
they are shown here in the reader's words — states by their names, numbers with the
language's decimal separator. The page lives in the console because those words belong to
the apps above the trail (cycles, submissions, reviews).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import QuerySet, TextChoices
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.formats import get_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_safe

from chiso.io.cells import quote
from chiso.io.results import sheet_row
from chiso.web.accounts.access import AuthedRequest
from chiso.web.audit.models import Action, AuditEntry
from chiso.web.cycles.access import get_cycle_for_assessor
from chiso.web.cycles.models import Cycle, CycleState, Unit
from chiso.web.reviews.models import Stage
from chiso.web.submissions.models import SubmissionState

__all__ = ["PAGE_SIZE", "TrailFilter", "TrailRow", "audit", "audit_export", "trail_row"]

PAGE_SIZE = 100
"""Entries on one page of the trail."""

_STATES: dict[str, type[TextChoices]] = {
    Action.SUBMITTED: SubmissionState,
    Action.REOPENED: SubmissionState,
    Action.CYCLE_STATE: CycleState,
    Action.ROUND: Stage,
}
"""The actions whose old and new values are states, and the states they are."""

_ANSWERS = frozenset({Action.ANSWER, Action.REVIEW})
_NUMBER = re.compile(r"-?\d+(\.\d+)?(/\d+(\.\d+)?)?")
"""An answer as the trail stores it: a number, or a numerator/denominator."""
NOT_APPLICABLE = "N/A"


class TrailFilter(forms.Form):
    unit = forms.ModelChoiceField(
        label=gettext_lazy("Unit"),
        queryset=Unit.objects.none(),
        required=False,
        empty_label=gettext_lazy("All"),
    )
    code = forms.CharField(label=gettext_lazy("Criterion"), required=False, max_length=80)
    action = forms.ChoiceField(label=gettext_lazy("Action"), required=False)

    def __init__(self, cycle: Cycle, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["unit"].queryset = Unit.objects.filter(participations__cycle=cycle)  # type: ignore[attr-defined]
        self.fields["action"].choices = [("", gettext_lazy("All")), *Action.choices]  # type: ignore[attr-defined]

    def entries(self, cycle: Cycle) -> QuerySet[AuditEntry]:
        entries = AuditEntry.objects.filter(cycle=cycle).select_related("unit")
        if not self.is_bound:
            return entries
        if not self.is_valid():  # a filter that cannot apply selects nothing, and says why
            return entries.none()
        data = self.cleaned_data
        if data["unit"]:
            entries = entries.filter(unit=data["unit"])
        if data["code"]:
            entries = entries.filter(code=data["code"].strip())
        if data["action"]:
            entries = entries.filter(action=Action(data["action"]))
        return entries


@dataclass(frozen=True)
class TrailRow:
    """One entry in the reader's words."""

    at: datetime.datetime
    who: str
    username: str
    action: str
    unit: str
    subject: str
    """The criterion, or the record for an entry of the administration."""
    old: str
    new: str
    note: str


def shown_value(action: str, value: str) -> str:
    """A value of the trail in the reader's words: a state by its name, a number with the
    language's decimal separator; anything else as stored."""
    if not value:
        return ""
    states = _STATES.get(action)
    if states is not None and value in states.values:
        return str(states(value).label)
    if action in _ANSWERS:
        if value == NOT_APPLICABLE:
            return _("Not applicable")
        if _NUMBER.fullmatch(value):
            return value.replace(".", str(get_format("DECIMAL_SEPARATOR")))
    return value


def trail_row(entry: AuditEntry) -> TrailRow:
    return TrailRow(
        at=timezone.localtime(entry.at),
        who=entry.actor_name,
        username=entry.actor_username,
        action=str(entry.get_action_display()),
        unit=str(entry.unit or ""),
        subject=entry.code or entry.target,
        old=shown_value(entry.action, entry.old),
        new=shown_value(entry.action, entry.new),
        note=entry.note,
    )


@login_required
@require_safe
def audit(request: AuthedRequest, pk: int) -> HttpResponse:
    """The audit trail of a cycle, by unit, criterion and action: who, when, old → new, why;
    the latest first, a page at a time."""
    cycle = get_cycle_for_assessor(request.user, pk)
    filters = TrailFilter(cycle, request.GET or None)
    page = Paginator(filters.entries(cycle), PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    context = {
        "cycle": cycle,
        "filters": filters,
        "page": page,
        "rows": [trail_row(entry) for entry in page],
        "query": query.urlencode(),
    }
    return render(request, "console/audit.html", context)


@login_required
@require_safe
def audit_export(request: AuthedRequest, pk: int, fmt: str) -> HttpResponse:
    """Every entry the page's filters select, the latest first, as a CSV or XLSX file (texts
    that a spreadsheet would run as a formula are written as text)."""
    cycle = get_cycle_for_assessor(request.user, pk)
    filters = TrailFilter(cycle, request.GET or None)
    table = [_header(), *(_cells(trail_row(e)) for e in filters.entries(cycle).iterator())]
    if fmt == "csv":
        text = io.StringIO()
        csv.writer(text, lineterminator="\n").writerows([quote(v) for v in r] for r in table)
        response = HttpResponse(text.getvalue(), content_type="text/csv; charset=utf-8")
    else:
        from openpyxl import Workbook

        workbook = Workbook()
        sheet = workbook.active
        assert sheet is not None
        sheet.title = _("Audit trail")[:31]
        for values in table:
            sheet.append(sheet_row(sheet, values))
        buffer = io.BytesIO()
        workbook.save(buffer)
        response = HttpResponse(
            buffer.getvalue(),
            content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        )
    name = slugify(f"{cycle.name} {cycle.year} {_('audit trail')}") or "audit-trail"
    response["Content-Disposition"] = f'attachment; filename="{name}.{fmt}"'
    return response


def _header() -> list[object]:
    return [
        _("When"), _("Who"), capfirst(_("user name")), _("Action"), _("Unit"),
        _("Criterion or record"), capfirst(_("old value")), capfirst(_("new value")), _("Reason"),
    ]  # fmt: skip


def _cells(row: TrailRow) -> list[object]:
    when = row.at.replace(tzinfo=None, microsecond=0)  # local time: a spreadsheet has no zone
    return [
        when, row.who, row.username, row.action, row.unit, row.subject, row.old, row.new, row.note,
    ]  # fmt: skip
