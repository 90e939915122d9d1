"""Every participating unit's self-assessment workbook of a cycle in one ZIP, and the check of
a ZIP of filled workbooks sent back: each matched to its unit by the identification inside
(not by its file name), with its preview. Nothing here saves: a unit's answers are written only
by its own people (docs/roles.md), each uploading its workbook on its form's page."""

from __future__ import annotations

import zipfile
import zlib
from dataclasses import dataclass
from pathlib import PurePath
from typing import IO

from django.utils.translation import gettext as _

from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip, read_member
from chiso.web.cycles.models import Cycle, Participation
from chiso.web.submissions.models import Submission
from chiso.web.submissions.workbook import (
    MAX_BYTES,
    Preview,
    WorkbookRefused,
    file_name,
    preview,
    read_identity,
    write,
)

__all__ = ["MAX_ZIP_BYTES", "UnitWorkbook", "check_zip", "write_zip"]

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
            _("The file is not a ZIP archive chiso reads: %(problem)s") % {"problem": error}
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
