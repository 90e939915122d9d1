"""Writes of the assessor: framework versions, cycles and their state."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils.translation import get_language, gettext_noop
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.core import FrameworkError, parse_framework
from chiso.core.loader import MAX_YAML_BYTES
from chiso.core.messages import Message
from chiso.io.framework_workbook import workbook_to_yaml
from chiso.io.tables import NOT_TEXT, DataError
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import record, record_change, snapshot
from chiso.web.cycles.models import (
    Cycle,
    CycleState,
    FrameworkVersion,
    Organisation,
    Participation,
    Unit,
)
from chiso.web.notifications.models import Kind
from chiso.web.notifications.services import notify, people_by_unit


class TransitionNotAllowed(Exception):
    """A change of a cycle's state that its current state does not allow."""


# The cycle's path: draft → open → under review → published (a step back only to reopen
# the self-assessment, or to correct before publication).
TRANSITIONS: dict[str, set[str]] = {
    CycleState.DRAFT: {CycleState.OPEN},
    CycleState.OPEN: {CycleState.UNDER_REVIEW, CycleState.DRAFT},
    CycleState.UNDER_REVIEW: {CycleState.PUBLISHED, CycleState.OPEN},
    CycleState.PUBLISHED: set(),
}


@transaction.atomic
def import_framework(
    organisation: Organisation, source: str, *, source_name: str = "", by: Any = None
) -> FrameworkVersion:
    """Store a framework file as the next version of its id; FrameworkError when invalid.

    Uploading the same content as the latest version changes nothing.
    """
    framework = parse_framework(source, source_name or "<framework>")
    latest = (
        FrameworkVersion.objects.filter(organisation=organisation, framework_id=framework.id)
        .order_by("-version")
        .first()
    )
    digest = FrameworkVersion.digest(source)
    if latest is not None and latest.sha256 == digest:
        return latest
    version = FrameworkVersion.objects.create(
        organisation=organisation,
        framework_id=framework.id,
        version=(latest.version + 1) if latest else 1,
        name=framework.name,
        year=framework.year,
        source=source,
        source_name=source_name,
        sha256=digest,
        created_by=by,
    )
    record(Action.FRAMEWORK, actor=by, new=str(version), note=source_name)
    return version


def check_framework(source: str, source_name: str) -> str | None:
    """The framework file's first error as one line (file, line, field) in the language of
    the page, or None."""
    try:
        parse_framework(source, source_name)
    except FrameworkError as error:
        return error.in_language(message_language())
    return None


def message_language() -> str:
    """The language of the core's messages for the active language of the page."""
    return "vi" if (get_language() or "vi").startswith("vi") else "en"


def file_problem(name: str, error: DataError) -> str:
    """A reader's problem with the uploaded file ``name`` as one line in the page's language:
    the file, row and column, then the problem (a file that is not text: how to save it from a
    spreadsheet, instead of the command line's ``--encoding``)."""
    message = error.message
    if isinstance(message, Message) and message.template == NOT_TEXT:
        message = _(
            "is not UTF-8 text (byte %(byte)s): save it as CSV UTF-8 or as an XLSX workbook"
        ) % {"byte": message.params["byte"]}
    return DataError(name, message, error.row, error.column).in_language(message_language())


TABLE_SUFFIXES = (".csv", ".xlsx")
"""What an uploaded table (a crosswalk, a lineage) may be: the readers read a CSV file or an
XLSX workbook, and read any other name as CSV."""


def table_upload_problem(name: str, data: bytes, *, limit: int) -> str | None:
    """Why the uploaded table ``name`` is refused before it is read, as one line naming the
    file (not a .csv or .xlsx file, larger than ``limit`` bytes); None when it may be read
    (what is wrong inside it, an empty file among others, the reader says: file_problem)."""
    if not name.lower().endswith(TABLE_SUFFIXES):
        return f"{name}: " + _(
            "is not a .csv or .xlsx file: save it as CSV UTF-8 or as an XLSX workbook"
        )
    if len(data) > limit:
        return f"{name}: " + _("the file is larger than %(limit)s MB") % {"limit": limit >> 20}
    return None


def framework_text(raw: bytes, source_name: str) -> str:
    """The framework file (YAML text) of an upload: the file itself, or the framework file of
    a framework workbook (.xlsx), checked; FrameworkError naming the line, or the sheet and
    cell, of its first problem."""
    if source_name.lower().endswith(".xlsx"):
        return plain_lines(workbook_to_yaml(raw, source_name))
    if len(raw) > MAX_YAML_BYTES:
        raise FrameworkError(
            source_name,
            Message("the file is larger than {size} MB", size=MAX_YAML_BYTES // (1024 * 1024)),
        )
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise FrameworkError(
            source_name,
            Message("is not UTF-8 text: save it as UTF-8 (byte {byte:#x})", byte=raw[error.start]),
            raw[: error.start].count(b"\n") + 1,
        ) from None
    text = plain_lines(text)
    parse_framework(text, source_name)
    return text


def plain_lines(text: str) -> str:
    """``text`` with its line breaks written as ``\\n``: a browser sends a form's text back
    with CRLF, so the text checked and the text stored are written alike (YAML reads both
    alike, and counts lines alike)."""
    return text.replace("\r\n", "\n").replace("\r", "\n")


@transaction.atomic
def change_state(cycle: Cycle, state: CycleState, *, by: Any, note: str = "") -> Cycle:
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if not roles.is_assessor(by):
        raise TransitionNotAllowed(_("Only the assessor changes the state of a cycle."))
    if state not in TRANSITIONS[cycle.state]:
        raise TransitionNotAllowed(
            _("A cycle cannot go from “%(old)s” to “%(new)s”.")
            % {"old": cycle.get_state_display(), "new": CycleState(state).label}
        )
    old = cycle.state
    cycle.state = state
    cycle.save(update_fields=["state"])
    record(Action.CYCLE_STATE, actor=by, cycle=cycle, old=old, new=state, note=note)
    if old == CycleState.DRAFT and state == CycleState.OPEN:
        _tell_opened(cycle)
    return cycle


def _tell_opened(cycle: Cycle) -> None:
    """Each unit's people: their self-assessment is open, until the deadline."""
    participations = list(cycle.participations.select_related("unit"))
    people = people_by_unit(p.unit_id for p in participations)
    if cycle.deadline:
        message = gettext_noop(
            "The self-assessment of %(unit)s in “%(cycle)s” is open: submit it by %(deadline)s."
        )
    else:
        message = gettext_noop("The self-assessment of %(unit)s in “%(cycle)s” is open.")
    deadline = fmt.date(cycle.deadline) if cycle.deadline else ""
    for participation in participations:
        notify(
            people.get(participation.unit_id, []),
            Kind.CYCLE_OPENED,
            message,
            {"unit": participation.unit, "cycle": cycle.name, "deadline": deadline},
            link=reverse("submissions:form", args=[participation.pk]),
        )


@transaction.atomic
def set_public_scorecards(cycle: Cycle, public: bool, *, by: Any) -> Cycle:
    """Show every unit's scorecard to anyone once the results are published (or no longer);
    the change is in the audit trail as a change of the cycle's record."""
    if not roles.is_assessor(by):
        raise TransitionNotAllowed(_("Only the assessor publishes the units' scorecards."))
    cycle = Cycle.objects.select_for_update().get(pk=cycle.pk)
    if cycle.public_scorecards == public:
        return cycle
    before = snapshot(cycle)
    cycle.public_scorecards = public
    cycle.save(update_fields=["public_scorecards"])
    note = _("Scorecards made public") if public else _("Scorecards made private again")
    record_change(Action.CHANGED, cycle, by=by, before=before, after=snapshot(cycle), note=note)
    return cycle


@dataclass(frozen=True)
class Participant:
    unit: Unit
    block: str
    voluntary: bool = False


@transaction.atomic
def create_cycle(
    *,
    name: str,
    year: int,
    framework: FrameworkVersion,
    deadline: datetime.date | None,
    participants: list[Participant],
    by: Any,
) -> Cycle:
    """A new cycle in the draft state with its participating units; its framework version is
    frozen from now on."""
    if not roles.is_assessor(by):
        raise TransitionNotAllowed(_("Only the assessor creates a cycle."))
    parsed = framework.framework
    for participant in participants:
        if not parsed.has_block(participant.block):
            raise ValueError(
                _("%(unit)s: the framework has no block “%(block)s”.")
                % {"unit": participant.unit, "block": participant.block}
            )
    cycle = Cycle.objects.create(
        organisation=framework.organisation,
        name=name,
        year=year,
        framework=framework,
        deadline=deadline,
    )
    Participation.objects.bulk_create(
        Participation(cycle=cycle, unit=p.unit, block=p.block, voluntary=p.voluntary)
        for p in participants
    )
    record(Action.CYCLE_STATE, actor=by, cycle=cycle, new=cycle.state, note=_("Cycle created"))
    return cycle
