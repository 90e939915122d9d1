"""The assessor's unit lineage: which units of earlier years each of its units continues
(renamed, merged, split), added one link at a time or from a lineage file in the format of
``chiso score --lineage`` (docs/frameworks.md section 13), and the merge policy of a cycle.

Every change is in the audit trail. A link is the assessor's, not a cycle's: a change counts
as a change of each of the assessor's cycles, whose results are computed from it
(results.drafts keeps draft results until their cycle's count changes)."""

from __future__ import annotations

import tempfile
from decimal import Decimal
from pathlib import Path, PurePath
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from chiso.core.lineage import Lineage, LineageError, Link, carry
from chiso.core.lineage import MergePolicy as CorePolicy
from chiso.core.messages import say
from chiso.core.tiers import normalize_name
from chiso.io.lineage import read_lineage
from chiso.io.tables import DataError
from chiso.web.accounts import roles
from chiso.web.audit.models import Action
from chiso.web.audit.services import count_changes, describe, record
from chiso.web.cycles.models import Cycle, CycleState, MergePolicy, Organisation, Unit, UnitLink
from chiso.web.cycles.services import file_problem, message_language

__all__ = [
    "MAX_BYTES",
    "LineageRefused",
    "add_link",
    "core_lineage",
    "import_lineage",
    "lineage_problem",
    "remove_link",
    "set_merge_policy",
]

MAX_BYTES = 2 * 1024 * 1024
"""A lineage file holds a line per link: a few thousand communes fit in far less."""


class LineageRefused(Exception):
    """A link or a file that cannot be stored; the message is for people (file, row, field).
    ``field``: the form field at fault, when there is one."""

    def __init__(self, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.field = field


def core_lineage(organisation_id: int, policy: str) -> Lineage:
    """The assessor's links as the core follows them, under the cycle's ``policy``."""
    links = UnitLink.objects.filter(unit__organisation_id=organisation_id).select_related("unit")
    return Lineage(
        tuple(Link(link.year, link.unit.name, link.earlier, link.weight) for link in links),
        CorePolicy(policy),
    )


@transaction.atomic
def add_link(unit: Unit, *, year: int, earlier: str, weight: Decimal | None, by: Any) -> UnitLink:
    """From ``year`` on, ``unit`` continues the earlier unit ``earlier``."""
    _check_assessor(by)
    earlier = earlier.strip()
    if any(
        link.year == year and normalize_name(link.earlier) == normalize_name(earlier)
        for link in unit.lineage.all()
    ):
        raise LineageRefused(
            _("%(unit)s already continues %(earlier)s from %(year)s.")
            % {"unit": unit.name, "earlier": earlier, "year": year}
        )
    link = UnitLink.objects.create(unit=unit, year=year, earlier=earlier, weight=weight)
    if problem := _policy_problem(unit.organisation_id):
        raise LineageRefused(problem, "weight")  # the atomic block drops the link
    _record(Action.ADDED, link, by=by, new=_text(link))
    return link


@transaction.atomic
def remove_link(link: UnitLink, *, by: Any) -> None:
    _check_assessor(by)
    text, target = _text(link), describe(link)
    _record(Action.DELETED, link, by=by, old=text, target=target)
    link.delete()


@transaction.atomic
def import_lineage(organisation: Organisation, name: str, data: bytes, *, by: Any) -> int:
    """Add the links of a lineage file (CSV or XLSX); the links it holds that are stored
    already stay as they are. Returns the number added. A bad file adds nothing and raises
    LineageRefused naming the file, row and column."""
    _check_assessor(by)
    name = PurePath(name or "lineage.csv").name
    if len(data) > MAX_BYTES:
        raise LineageRefused(
            f"{name}: " + _("the file is larger than %(limit)s MB") % {"limit": MAX_BYTES >> 20}
        )
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / name
        path.write_bytes(data)
        try:
            found = read_lineage(path)
        except DataError as error:
            raise LineageRefused(file_problem(name, error)) from None
    units = {normalize_name(unit.name): unit for unit in organisation.units.all()}
    stored = {
        (link.unit_id, link.year, normalize_name(link.earlier))
        for link in UnitLink.objects.filter(unit__organisation=organisation)
    }
    added = 0
    for link, row in zip(found.lineage.links, found.rows, strict=True):
        unit = units.get(normalize_name(link.unit))
        if unit is None:
            message = _("no unit of the assessor is named %(unit)s") % {"unit": link.unit}
            raise LineageRefused(_said(name, message, row, "unit"))
        key = (unit.pk, link.year, normalize_name(link.earlier))
        if key in stored:
            continue
        stored.add(key)
        new = UnitLink.objects.create(
            unit=unit, year=link.year, earlier=link.earlier, weight=link.weight
        )
        _record(Action.ADDED, new, by=by, new=_text(new), note=name)
        added += 1
    if problem := _policy_problem(organisation.pk):
        raise LineageRefused(f"{name}: {problem}")  # the atomic block drops the links
    return added


def _policy_problem(organisation_id: int) -> str:
    """Why the assessor's links cannot be followed under the merge policy of one of its
    cycles (a merger without weights under ``largest``), or nothing."""
    policies = Cycle.objects.filter(organisation_id=organisation_id).order_by("year", "pk")
    for cycle in policies.exclude(merge_policy=MergePolicy.BEST):
        if problem := _merger_problem(organisation_id, cycle.merge_policy, cycle.name):
            return problem
    return ""


def _merger_problem(organisation_id: int, policy: str, cycle: str) -> str:
    """Why the assessor's links cannot be followed under ``policy`` in the cycle named
    ``cycle``, in the page's language, or nothing."""
    lineage = core_lineage(organisation_id, policy)
    try:
        carry([], [], lineage)
    except LineageError as error:
        problem = lineage_problem(lineage, error, cycle)
        if error.message.startswith("the merger into"):
            return problem
        return _("Unit lineage: %(problem)s") % {"problem": problem}
    return ""


def lineage_problem(lineage: Lineage, error: LineageError, cycle: str) -> str:
    """The core's ``error`` following ``lineage`` in the cycle named ``cycle``, in the page's
    language (a merger without weights under ``largest``: which weight to give)."""
    if error.link is None or not error.message.startswith("the merger into"):
        return str(say(error.message, message_language()))
    link = lineage.links[error.link]
    return _(
        "%(unit)s is merged from several earlier units in %(year)s and the cycle "
        "%(cycle)s keeps the earlier result of the largest: give the weight of %(earlier)s."
    ) % {"unit": link.unit, "year": link.year, "cycle": cycle,
         "earlier": link.earlier}  # fmt: skip


@transaction.atomic
def set_merge_policy(cycle: Cycle, policy: str, *, by: Any) -> None:
    """The cycle's merge policy; ``largest`` needs the weight of every merged predecessor."""
    _check_assessor(by)
    policy = MergePolicy(policy)
    if policy == cycle.merge_policy:
        return
    if problem := _merger_problem(cycle.organisation_id, policy, cycle.name):
        raise LineageRefused(problem)
    old = cycle.merge_policy
    Cycle.objects.filter(pk=cycle.pk).update(merge_policy=policy)
    cycle.merge_policy = policy
    label = _("Merge policy")
    record(Action.CHANGED, actor=by, cycle=cycle, target=describe(cycle),
           old=f"{label}: {MergePolicy(old).label}",
           new=f"{label}: {policy.label}")  # fmt: skip


def _said(name: str, message: str, row: int | None, column: str | None) -> str:
    """A problem of the lineage file ``name`` as one line in the page's language: the file,
    row and column, then the problem (a reader's :class:`Message` said in that language)."""
    return DataError(name, message, row, column).in_language(message_language())


def _check_assessor(by: Any) -> None:
    if not roles.is_assessor(by):
        raise LineageRefused(_("Only the assessor changes the unit lineage."))


def _text(link: UnitLink) -> str:
    weight = f" ({link.weight.normalize():f})" if link.weight is not None else ""
    return f"{link.year}: {link.unit.name} ← {link.earlier}{weight}"


def _record(
    action: Action, link: UnitLink, *, by: Any, old: str = "", new: str = "",
    note: str = "", target: str = "",
) -> None:  # fmt: skip
    """The entry of a change of a link, in the trail of each of the assessor's cycles not
    published (whose results it changes), and counted as a change of each of its cycles."""
    cycles = Cycle.objects.filter(organisation_id=link.unit.organisation_id)
    open_: list[Cycle | None] = list(cycles.exclude(state=CycleState.PUBLISHED).order_by("pk"))
    for cycle in open_ or [None]:
        record(action, actor=by, cycle=cycle, unit=link.unit, target=target or describe(link),
               old=old, new=new, note=note)  # fmt: skip
    recorded = [cycle.pk for cycle in open_ if cycle is not None]  # record() counted these
    count_changes(list(cycles.exclude(pk__in=recorded).values_list("pk", flat=True)))
