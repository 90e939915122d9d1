"""Values computed from a cycle, computed once per change of what they are computed from and
kept: the draft results, the over-claims, the units reviewed, each unit's missing answers and
verified criteria.

The key says what a value is computed from (``reads``):

- :attr:`Reads.CYCLE`, the cycle's own data — its answers, evidence, verdicts, responses,
  units taking part, states: the cycle's count of changes in the audit trail
  (:class:`chiso.web.audit.models.ChangeCount`; every such change is in the cycle's trail);
- :attr:`Reads.ASSESSOR`, also the assessor's other cycles and the units' names: the count of
  each cycle of the assessor (a cycle's results use the published results of its earlier
  cycles) and the names of the cycle's units (a unit renamed is a change of no cycle).

The key also holds the version of the code that computes the value. The counts are read
before the data: a change that commits in between makes the kept value newer than its key,
never older, and the next page reads the new count. A value can therefore never be served
stale.

One way of keeping: the last few values in this process, and every value in Django's cache,
shared by the site's processes, for :data:`KEPT_SECONDS` (a value under an older count is
never read again: the cache lets it go).

The last value computed of each cycle is also named under the cycle alone (:func:`last_kept`),
with when its data were read: what a page shows, marked as such, while the value of the
cycle's data of now is computed in the background.

A value of the cycle's own data made of one part per unit (``recount``) is computed again only
for the units that changed: each entry of a change of the cycle carries the change's number
(:attr:`chiso.web.audit.models.AuditEntry.change_no`). When the count moved from N, that of the
cycle's last value, to M, the entries numbered above N name the units changed since; when one
of them names no unit (a change of the whole cycle: its framework, its state, a review stage)
or a number up to M has no entry (a change counted outside the trail), or no value is kept at
N, the value is computed whole — unless the entry's action is one the value never depends on
(``passes``: the cycle's state for the missing answers), which changes no unit. The last value
was computed from data read after count N was, so with every change up to N; a unit that no
change since names has the same data now. The entries are read after the count M, so every
change up to M is among them (its entries committed with its number); those numbered above M
that the read also finds are counted again too, which makes the value newer than its key, never
older — and the next count reads from M again, so none is missed.
"""

from __future__ import annotations

import datetime
import hashlib
from collections import OrderedDict
from collections.abc import Callable
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Any, TypeVar

from django.core.cache import cache
from django.utils import timezone

import chiso
from chiso.web.audit.models import AuditEntry, ChangeCount
from chiso.web.audit.services import change_counts

__all__ = ["KEPT_SECONDS", "Reads", "forget", "kept", "key_of", "last_kept", "peek"]

KEPT_SECONDS = 7 * 24 * 3600
"""How long Django's cache keeps a value that no newer change replaced."""
_KEPT = 8
"""Values kept in this process, the last read first."""
_kept: OrderedDict[str, object] = OrderedDict()
T = TypeVar("T")


class Reads(StrEnum):
    """What a kept value is computed from, and so what its key counts."""

    CYCLE = "cycle"
    """The cycle's own data."""
    ASSESSOR = "assessor"
    """Also the assessor's other cycles and the names of the cycle's units."""


def key_of(cycle: Any, name: str = "draft", *, reads: Reads = Reads.ASSESSOR) -> str:
    """What the cycle's (a :class:`chiso.web.cycles.models.Cycle`) value called ``name`` is
    computed from, now (one query for the cycle alone, two for the assessor's)."""
    return _key(cycle.pk, name, _counted(cycle, reads))


def _counted(cycle: Any, reads: Reads) -> int | str:
    """The cycle's count of changes; for the assessor's, a digest of what ``reads`` counts."""
    if reads == Reads.CYCLE:
        count = ChangeCount.objects.filter(cycle_id=cycle.pk).values_list("count", flat=True)
        return count.first() or 0
    counts = sorted(change_counts(cycle.organisation_id).items())
    names = sorted(cycle.participations.values_list("unit_id", "unit__name"))
    return hashlib.sha256(repr((counts, names)).encode()).hexdigest()[:32]


def _key(cycle_pk: int, name: str, counted: int | str) -> str:
    return f"chiso-{name}:{cycle_pk}:{counted}:{_code()}"


def kept(
    cycle: Any,
    name: str,
    compute: Callable[[Any], T],
    kind: type[T],
    *,
    reads: Reads = Reads.ASSESSOR,
    last: bool = False,
    recount: Callable[[Any, T, set[int]], T] | None = None,
    passes: frozenset[str] = frozenset(),
) -> T:
    """What ``compute`` gives for the cycle now (a ``kind``), computed once per change of what
    it is computed from (:func:`key_of`) and kept under ``name``. ``compute`` must read
    nothing that ``reads`` does not count. ``last``: also named as the cycle's value computed
    last (:func:`last_kept`). ``recount`` (of the cycle's own data): the value from the
    cycle's last one and the ids of the units changed since, read again for those units alone
    (a new value; the last one stays as it is); also names the value as the last.
    ``passes``: the actions of the trail that never change the value; an entry of one of them
    that names no unit changes no unit."""
    if recount is not None and reads != Reads.CYCLE:
        raise ValueError("only a value of the cycle's own data is counted again by unit")
    counted = _counted(cycle, reads)  # before the data
    key = _key(cycle.pk, name, counted)
    found = _found(key, kind)
    if found is None:
        read_at = timezone.now()
        again = None if recount is None else _recounted(cycle, name, kind, counted, recount, passes)
        found = compute(cycle) if again is None else again
        cache.set(key, found, timeout=KEPT_SECONDS)
        if last or recount is not None:
            pointer = (key, read_at, counted)
            cache.set(_last_key(cycle.pk, name), pointer, timeout=KEPT_SECONDS)
        _remember(key, found)
    return found


def _recounted(
    cycle: Any,
    name: str,
    kind: type[T],
    count: object,
    recount: Callable[[Any, T, set[int]], T],
    passes: frozenset[str],
) -> T | None:
    """The cycle's last value counted again for the units changed since (see the module's
    docstring); None when it must be computed whole."""
    pointer = _get(_last_key(cycle.pk, name))
    if not (isinstance(pointer, tuple) and len(pointer) == 3):
        return None
    key, _read_at, since = pointer
    before = _found(key, kind)
    if before is None or not isinstance(since, int) or not isinstance(count, int):
        return None
    units = _units_changed(cycle.pk, since, count, passes)
    return None if units is None else recount(cycle, before, units)


def _units_changed(
    cycle_pk: int, since: int, count: int, passes: frozenset[str] = frozenset()
) -> set[int] | None:
    """The units that the cycle's changes numbered above ``since`` are filed under; None when
    one is filed under no unit (but for an action of ``passes``), or a change up to ``count``
    has no entry (one query)."""
    entries = AuditEntry.objects.filter(cycle_id=cycle_pk, change_no__gt=since).order_by()
    numbers, units = set(), set()
    for number, unit, action in entries.values_list("change_no", "unit_id", "action").distinct():
        numbers.add(number)
        if unit is None:
            if action in passes:
                continue
            return None
        units.add(unit)
    return units if numbers.issuperset(range(since + 1, count + 1)) else None


def peek(
    cycle: Any, name: str, kind: type[T], *, reads: Reads = Reads.ASSESSOR
) -> tuple[str, T | None]:
    """The key of the cycle's value ``name`` now, and the value when it is kept (never
    computed here)."""
    key = key_of(cycle, name, reads=reads)
    return key, _found(key, kind)


def last_kept(cycle: Any, name: str, kind: type[T]) -> tuple[T, datetime.datetime] | None:
    """The value ``name`` last computed for the cycle, whatever its data were, and when they
    were read; None when none is kept."""
    pointer = _get(_last_key(cycle.pk, name))
    if not (isinstance(pointer, tuple) and len(pointer) == 3):
        return None
    key, read_at, _since = pointer
    found = _found(key, kind)
    return None if found is None else (found, read_at)


def _found(key: str, kind: type[T]) -> T | None:
    found = _kept.get(key)
    if not isinstance(found, kind):
        found = _get(key)
        if not isinstance(found, kind):
            return None
    _remember(key, found)
    return found


def _get(key: str) -> object:
    try:
        return cache.get(key)
    except Exception:  # what a cache cannot give back (a pickle of old code) is computed
        return None


def _remember(key: str, found: object) -> None:
    _kept[key] = found
    _kept.move_to_end(key)
    while len(_kept) > _KEPT:
        _kept.popitem(last=False)


def _last_key(cycle_pk: int, name: str) -> str:
    return f"chiso-{name}-last:{cycle_pk}:{_code()}"


def forget() -> None:
    """Drop what this process keeps (a test's database is rolled back under the same keys)."""
    _kept.clear()


@lru_cache(maxsize=1)
def _code() -> str:
    """The version of the code that computes the values: its Python files' digest, so that a
    cache shared across a deployment never hands a new version what an old one computed."""
    root = Path(chiso.__file__).parent
    digest = hashlib.sha256(chiso.__version__.encode())
    for path in sorted(root.rglob("*.py")):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
