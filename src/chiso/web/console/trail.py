"""The audit trail of a cycle as people read it: per unit, criterion and action, a page at a
time, and the same entries as a CSV or XLSX file.

The trail stores values as the code wrote them (``draft``, ``round_1``, ``12.5``, ``N/A``,
``cycles.cycle #3 Đánh giá năm 2021``, ``public_scorecards: no``); they are shown here in the
reader's words — states by their names, numbers with the language's decimal separator, a
record by its kind and name, its fields by their labels, yes and no, dates as dates. The page
lives in the console because those words belong to the apps above the trail (cycles,
submissions, reviews).
"""

from __future__ import annotations

import csv
import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

from django import forms
from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import models
from django.db.models import QuerySet, TextChoices
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.formats import date_format, get_format
from django.utils.text import capfirst, slugify
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, pgettext
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

_RECORDS = frozenset({Action.ADDED, Action.CHANGED, Action.DELETED})
"""The actions of a record changed outside the services, whose values are its fields."""
_RECORD = re.compile(r"(?P<label>\w+\.\w+) #(?P<pk>\d+)(?: (?P<name>.*))?", re.DOTALL)
"""A record as the trail names it (:func:`chiso.web.audit.services.describe`)."""
_SECRET = re.compile(r"(?:\A|; )(?P<name>password) (?P<what>changed|set)\Z")


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


def shown_record(target: str) -> tuple[type[models.Model] | None, str]:
    """A record the trail names (``cycles.cycle #3 Đánh giá năm 2021``) in the reader's words
    (“Kỳ đánh giá “Đánh giá năm 2021””), with its model; any other text as it is."""
    match = _RECORD.fullmatch(target)
    if match is None:
        return None, target
    try:
        model = apps.get_model(match["label"])
    except (LookupError, ValueError):
        return None, target
    kind = capfirst(str(model._meta.verbose_name))
    return model, f"{kind} “{match['name']}”" if match["name"] else f"{kind} #{match['pk']}"


def shown_fields(model: type[models.Model], text: str) -> str:
    """A record's fields as the trail stores them (``year: 2021; public_scorecards: no``) in
    the reader's words (``Năm: 2021; Công khai phiếu điểm: không``). The text is cut only
    where the name of one of the model's fields follows ``; ``, so a value with a semicolon
    stays whole; a text that does not begin with a field's name is shown as it is."""
    secret = _SECRET.search(text)
    if secret is not None:
        text = text[: secret.start()]
    fields: dict[str, models.Field[Any, Any]] = {
        field.name: field
        for field in model._meta.get_fields()
        if isinstance(field, models.Field) and not field.auto_created
    }
    names = "|".join(re.escape(name) for name in sorted(fields, key=len, reverse=True))
    starts = list(re.finditer(rf"(?:\A|; )({names}): ", text)) if text and names else []
    if text and (not starts or starts[0].start() != 0):
        return text
    shown = []
    ends = [start.start() for start in starts[1:]] + [len(text)]
    for here, end in zip(starts, ends, strict=False):  # no field: one end, no start
        field = fields[here[1]]
        value = text[here.end() : end]
        shown.append(f"{capfirst(str(field.verbose_name))}: {_field_value(field, value)}")
    if secret is not None:
        secret_field = fields.get(secret["name"])
        label = capfirst(str(secret_field.verbose_name if secret_field else secret["name"]))
        what = _("changed") if secret["what"] == "changed" else pgettext("password", "set")
        shown.append(f"{label}: {what}")
    return "; ".join(shown)


def _field_value(field: models.Field[Any, Any], value: str) -> str:
    """One field's value as the trail stores it (:func:`chiso.web.audit.services.snapshot`)
    in the reader's words."""
    if not value:
        return "—"
    if isinstance(field, models.BooleanField) and value in ("yes", "no"):
        return _("yes") if value == "yes" else _("no")
    if field.choices:
        labels = {str(key): label for key, label in field.flatchoices}
        if value in labels:
            return str(labels[value])
    try:  # a text that only looks like a date (in a name cut before it) stays as stored
        if isinstance(field, models.DateTimeField):
            moment = parse_datetime(value)
            if moment is not None:
                moment = timezone.localtime(moment) if timezone.is_aware(moment) else moment
                return date_format(moment, "SHORT_DATETIME_FORMAT")
        elif isinstance(field, models.DateField):
            day = parse_date(value)
            if day is not None:
                return date_format(day, "SHORT_DATE_FORMAT")
    except (ValueError, OverflowError):
        return value
    if isinstance(field, models.DecimalField | models.FloatField) and _NUMBER.fullmatch(value):
        return value.replace(".", str(get_format("DECIMAL_SEPARATOR")))
    return value


def trail_row(entry: AuditEntry) -> TrailRow:
    model, record = shown_record(entry.target)
    if model is not None and entry.action in _RECORDS:
        old, new = shown_fields(model, entry.old), shown_fields(model, entry.new)
    else:
        old, new = shown_value(entry.action, entry.old), shown_value(entry.action, entry.new)
    return TrailRow(
        at=timezone.localtime(entry.at),
        who=entry.actor_name,
        username=entry.actor_username,
        action=str(entry.get_action_display()),
        unit=str(entry.unit or ""),
        subject=entry.code or record,
        old=old,
        new=new,
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
