"""The export of a cycle's answers in the data format of ``chiso score`` (docs/cli.md):
written in the request for a province, by a background job for a larger cycle."""

from __future__ import annotations

import io

from django.conf import settings
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chiso.io import unit_table
from chiso.io.results import write_csv, write_xlsx
from chiso.web.cycles.models import Cycle
from chiso.web.reviews.overclaim import cycle_overclaim, largest_rows, reviewed
from chiso.web.submissions.models import Answer
from chiso.web.submissions.scoring import cycle_data

__all__ = ["CONTENT_TYPES", "answers_file", "too_large_for_a_request"]

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def too_large_for_a_request(cycle: Cycle) -> bool:
    """Whether the cycle holds more answers than an export written in the request may
    (``CHISO_EXPORT_IN_REQUEST_ANSWERS``)."""
    answers = Answer.objects.filter(submission__participation__cycle=cycle)
    return answers.count() > settings.CHISO_EXPORT_IN_REQUEST_ANSWERS


def answers_file(cycle: Cycle, fmt: str) -> tuple[str, bytes]:
    """The file's name and content: every unit's submitted answers; units that have not
    submitted are ``no_data``. Once a review round has closed, the workbook has a second
    sheet: the largest over-claims (units and criteria)."""
    rows = unit_table.unit_rows(cycle.framework.framework, cycle_data(cycle))
    name = f"{slugify(cycle.name) or 'cycle'}-{cycle.year}.{fmt}"
    if fmt == "csv":
        return name, write_csv(rows).encode("utf-8")
    buffer = io.BytesIO()
    more = []
    if reviewed(cycle):
        more.append((_("Largest over-claims"), largest_rows(cycle, cycle_overclaim(cycle))))
    write_xlsx(rows, buffer, title=_("Data"), more=more)
    return name, buffer.getvalue()
