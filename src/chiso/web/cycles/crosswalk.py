"""The criteria crosswalk of a cycle: which criterion or group of an earlier cycle of the
assessor, scored on another framework, each of this cycle's criteria and groups continues
(the file of ``chiso report --crosswalk``, docs/frameworks.md). Attached from a file, checked
against both frameworks, and removed; both in the audit trail of the cycle, whose
year-over-year group changes it gives (results.crosswalk)."""

from __future__ import annotations

import tempfile
from pathlib import Path, PurePath
from typing import Any

from django.db import transaction
from django.db.models import QuerySet
from django.utils.translation import gettext as _

from chiso.core.crosswalk import Crosswalk, Pair, build_crosswalk
from chiso.io.crosswalk import read_pairs
from chiso.io.tables import DataError
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import describe, record
from chiso.web.cycles.lineage import MAX_BYTES
from chiso.web.cycles.models import Cycle, CycleCrosswalk
from chiso.web.cycles.services import file_problem, table_upload_problem

__all__ = [
    "MAX_BYTES",
    "CrosswalkRefused",
    "attach_crosswalk",
    "core_crosswalk",
    "earlier_cycles",
    "remove_crosswalk",
]


class CrosswalkRefused(Exception):
    """A crosswalk that cannot be attached; the message is for people (file, row, column)."""


def earlier_cycles(cycle: Cycle) -> QuerySet[Cycle]:
    """The cycles a crosswalk of ``cycle`` may compare with: the assessor's of earlier years."""
    return Cycle.objects.filter(organisation_id=cycle.organisation_id, year__lt=cycle.year)


def core_crosswalk(found: CycleCrosswalk) -> Crosswalk:
    """The crosswalk as the core follows it, between the two cycles' frameworks."""
    pairs = [Pair(code, earlier) for code, earlier in found.pairs]
    return build_crosswalk(
        found.cycle.framework.framework, found.earlier.framework.framework, pairs
    )


@transaction.atomic
def attach_crosswalk(
    cycle: Cycle, earlier: Cycle, name: str, data: bytes, *, by: Any
) -> CycleCrosswalk:
    """The crosswalk of the file ``name`` (.csv or .xlsx) between ``cycle`` and ``earlier``,
    in place of the one the cycle had. A bad file changes nothing and raises CrosswalkRefused
    naming the file, row and column (a code neither framework has, among others). A cycle's
    published revisions keep the comparison they were published with."""
    _check_assessor(by)
    if not earlier_cycles(cycle).filter(pk=earlier.pk).exists():
        raise CrosswalkRefused(
            _("The earlier cycle must be one of your cycles of an earlier year.")
        )
    name = PurePath(name or "crosswalk.csv").name
    if problem := table_upload_problem(name, data, limit=MAX_BYTES):
        raise CrosswalkRefused(problem)
    current, before = cycle.framework.framework, earlier.framework.framework
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            pairs = read_pairs(path, current, before)
        except DataError as error:
            raise CrosswalkRefused(file_problem(name, error)) from None
    old = CycleCrosswalk.objects.filter(cycle=cycle).first()
    if old is not None:
        _remove(old, by=by)
    found = CycleCrosswalk.objects.create(
        cycle=cycle,
        earlier=earlier,
        pairs=[[pair.code, pair.earlier] for pair in pairs],
        source_name=name,
        created_by=by if by.is_authenticated else None,
    )
    record(Action.ADDED, actor=by, cycle=cycle, target=describe(found), new=_text(found),
           note=name)  # fmt: skip
    return found


@transaction.atomic
def remove_crosswalk(found: CycleCrosswalk, *, by: Any) -> None:
    _check_assessor(by)
    _remove(found, by=by)


def _remove(found: CycleCrosswalk, *, by: Any) -> None:
    record(Action.DELETED, actor=by, cycle=found.cycle, target=describe(found),
           old=_text(found))  # fmt: skip
    found.delete()


def _text(found: CycleCrosswalk) -> str:
    rows = "; ".join(f"{code or '—'} ← {earlier or '—'}" for code, earlier in found.pairs)
    return (
        _("Criteria crosswalk against %(earlier)s") % {"earlier": found.earlier.name}
        + f" ({found.source_name}): {rows}"
    )


def _check_assessor(by: Any) -> None:
    if not roles.is_assessor(by):
        raise CrosswalkRefused(_("Only the assessor changes the criteria crosswalk."))
