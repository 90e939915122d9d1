"""Every participating unit's self-assessment workbook of a cycle in one ZIP, and a ZIP of filled
workbooks sent back: each matched to its unit by the identification inside (not by its file
name), with its preview; once the assessor confirms, each unit's changes are saved on its
behalf through ``save_answer`` (docs/roles.md), unit by unit, all or nothing for each: a unit
whose workbook has a refused cell, whose form is submitted or whose cycle is closed is not
touched, and a change made since the upload is a conflict for that unit only."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO, Any

from django.utils.translation import gettext as _

from chiso.core.messages import message_of, say
from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip, read_member
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.cycles.services import message_language
from chiso.web.submissions.models import Submission
from chiso.web.submissions.scoring import AnswerError
from chiso.web.submissions.services import Conflict, NotAllowed
from chiso.web.submissions.workbook import (
    MAX_BYTES,
    Preview,
    WorkbookRefused,
    apply,
    file_name,
    preview,
    read_identity,
    write,
)

__all__ = [
    "MAX_ZIP_BYTES",
    "Saved",
    "UnitWorkbook",
    "check_zip",
    "save_zip",
    "stored",
    "write_zip",
]

MAX_ZIP_BYTES = 100 * 1024 * 1024
"""The largest ZIP of workbooks read (a province's 200 units' forms are some 6 MB)."""
ZIP_LIMITS = ZipLimits(unpacked=512 * 1024 * 1024, members=2_000)


def write_zip(cycle: Cycle, target: IO[bytes]) -> None:
    """Every participating unit's workbook, filled with what it saved, in one ZIP."""
    participations = cycle.participations.select_related("unit", "cycle__framework")
    submissions = {
        s.participation_id: s for s in Submission.objects.filter(participation__cycle=cycle)
    }
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for participation in participations.order_by("unit__name"):
            content = write(participation, submissions.get(participation.pk))
            archive.writestr(file_name(participation), content)


@dataclass
class UnitWorkbook:
    """One workbook of a ZIP: whose it is, and what it would change (or why it is refused)."""

    name: str
    participation: Participation | None = None
    preview: Preview | None = None
    problem: str = ""
    not_editable: str = ""

    @property
    def skipped(self) -> str:
        """Why confirming saves nothing of this workbook, or '' when it saves its changes."""
        if self.problem:
            return self.problem
        if self.not_editable:
            return _("Not editable: reported, not changed.") + " " + self.not_editable
        if self.preview is None:
            return _("The file is not an Excel workbook (XLSX).")
        if self.preview.errors:
            return _("Some cells of this workbook cannot be saved: nothing of this unit is saved.")
        if not self.preview.changes:
            return _("The workbook holds the answers that are saved: nothing to change.")
        return ""


@dataclass(frozen=True)
class Saved:
    """What confirming did with one workbook of the ZIP: how many changes it saved, or why
    it saved none."""

    name: str
    unit: str
    count: int = 0
    problem: str = ""


def check_zip(cycle: Cycle, file: IO[bytes], size: int) -> list[UnitWorkbook]:
    """Each workbook of the ZIP ``file``, matched to its unit by the identification inside
    (not by the file's name), with its preview; nothing is saved. WorkbookRefused for a file
    that is not a ZIP chiso reads."""
    if size > MAX_ZIP_BYTES:
        raise WorkbookRefused(
            _("The file is larger than %(mb)s MB.") % {"mb": MAX_ZIP_BYTES // (1024 * 1024)}
        )
    try:
        archive = open_zip(file, ZIP_LIMITS)
    except ArchiveRefused as error:
        raise WorkbookRefused(
            _("The file is not a ZIP archive chiso reads: %(problem)s")
            % {"problem": say(message_of(error), message_language())}
        ) from None
    except (zipfile.BadZipFile, OSError, ValueError, EOFError):
        raise WorkbookRefused(_("The file is not a ZIP archive of workbooks.")) from None
    participations = {
        p.unit_id: p for p in cycle.participations.select_related("unit", "cycle__framework")
    }
    found: list[UnitWorkbook] = []
    matched: set[int] = set()
    with archive:
        for member in archive.infolist():
            if member.is_dir() or PurePath(member.filename).name.startswith((".", "~$")):
                continue
            entry = UnitWorkbook(member.filename[:200])
            found.append(entry)
            if not member.filename.lower().endswith(".xlsx"):
                entry.problem = _("The file is not an Excel workbook (XLSX).")
                continue
            try:
                raw = read_member(archive, member.filename, MAX_BYTES + 1)
                identity = read_identity(raw)
                if identity.cycle != cycle.pk:
                    raise WorkbookRefused(
                        _("This workbook is the form of the cycle “%(theirs)s”, not of “%(ours)s”.")
                        % {"theirs": identity.cycle_name, "ours": cycle.name}
                    )
                participation = participations.get(identity.unit)
                if participation is None:
                    raise WorkbookRefused(
                        _("This workbook is the form of “%(theirs)s”, which is not in this cycle.")
                        % {"theirs": identity.unit_name}
                    )
                if participation.pk in matched:
                    raise WorkbookRefused(
                        _("A second workbook of “%(unit)s”: only the first is read.")
                        % {"unit": participation.unit.name}
                    )
                matched.add(participation.pk)
                entry.participation = participation
                entry.preview = preview(participation, raw)
            except WorkbookRefused as refused:
                entry.problem = str(refused)
            except (zipfile.BadZipFile, zlib.error, OSError, ValueError, EOFError, RuntimeError):
                entry.problem = _("The file is not an Excel workbook (XLSX).")
            if entry.participation is not None:
                entry.not_editable = _not_editable(entry.participation)
    return found


def _not_editable(participation: Participation) -> str:
    """Why the unit's form takes no answer now (the form's own words), or ''."""
    submission = Submission.objects.filter(participation=participation).first()
    if submission is not None and submission.is_locked:
        return _("The self-assessment has been submitted and is locked.")
    if not participation.cycle.is_open:
        return _("The cycle is not open for self-assessment.")
    return ""


def stored(found: list[UnitWorkbook]) -> list[dict[str, Any]]:
    """The checked workbooks as the session keeps them until the assessor confirms: each
    unit's changes with the revisions seen at the upload, or why it is not saved."""
    return [
        {
            "name": entry.name,
            "unit": entry.participation.unit.name if entry.participation else "",
            "participation": entry.participation.pk if entry.participation else None,
            "skipped": entry.skipped,
            "changes": [] if entry.skipped or entry.preview is None else entry.preview.stored(),
        }
        for entry in found
    ]


def save_zip(cycle: Cycle, held: list[dict[str, Any]], *, by: Any) -> list[Saved]:
    """Save each unit's confirmed changes on its behalf (``held`` from :func:`stored`), each
    unit all or none in its own transaction: a Conflict (an answer changed since the upload),
    a refused answer or a form no longer editable leaves that unit as it was, not the others."""
    participations = {
        p.pk: p for p in cycle.participations.select_related("unit", "cycle__framework")
    }
    results: list[Saved] = []
    for unit in held:
        name, unit_name = str(unit["name"]), str(unit["unit"])
        participation = participations.get(unit["participation"])
        if unit["skipped"] or participation is None:
            problem = unit["skipped"] or _("The unit no longer takes part in this cycle.")
            results.append(Saved(name, unit_name, problem=problem))
            continue
        try:
            count = apply(participation, unit["changes"], by=by, on_behalf=True)
        except Conflict as conflict:
            problem = _(
                "Someone else changed criterion %(code)s since the upload: nothing was saved."
                " Upload the workbook again to see the changes."
            ) % {"code": conflict.code}
        except NotAllowed as refused:  # submitted or closed since the upload
            problem = _("Not editable: reported, not changed.") + " " + str(refused)
        except AnswerError as refused:
            problem = str(refused)
        else:
            results.append(Saved(name, unit_name, count=count))
            continue
        results.append(Saved(name, unit_name, problem=problem))
    return results
