"""Criteria crosswalk: comparing results across two versions of a framework.

Criteria change from year to year: renumbered (II.b in 2021 is B.3 in 2022), merged (this
group is those parts), new, dropped. A crosswalk says, for each criterion or group of this
year's framework, which of the earlier framework's it continues:

* **same**: the same code in both (the default for a code the crosswalk does not name);
* **renumbered**: one earlier code under another code;
* **combined**: several earlier codes, whose points are added (this group = those parts);
* **new**: no earlier code;
* **split**: an earlier code that several of this year's continue — its points cannot be
  shared out, so none of them can be compared.

Points are compared as percentages of the maximum (the maxima change with the framework), in
percentage points; a criterion whose maximum was 0 in either year, or that a unit has no
result for in either year, is not compared. Both years are scored by the engine; nothing is
scored here.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal
from enum import StrEnum

from chiso.core.framework import Framework
from chiso.core.lineage import Lineage, carry
from chiso.core.messages import Message
from chiso.core.model import (
    Carried,
    CycleResult,
    LineageChange,
    MergePolicy,
    NodeResult,
    PreviousResult,
    UnitResult,
)
from chiso.core.numbers import ZERO, percent
from chiso.core.tiers import normalize_name

__all__ = [
    "Comparison",
    "Correspondence",
    "Crosswalk",
    "CrosswalkError",
    "Earlier",
    "Kind",
    "Pair",
    "build_crosswalk",
    "compare_years",
    "earlier_results",
]

_EXACT = Context(prec=34)
"""A mean of a merger's points may not end: 34 significant digits, as the lineage's means."""


class CrosswalkError(ValueError):
    """A pair that cannot be used; ``pair``: its index."""

    def __init__(self, message: str, pair: int | None, field: str | None = None) -> None:
        self.message = message
        self.pair = pair
        self.field = field
        super().__init__(message)


class Kind(StrEnum):
    SAME = "same"
    RENUMBERED = "renumbered"
    COMBINED = "combined"
    NEW = "new"
    SPLIT = "split"


@dataclass(frozen=True, slots=True)
class Pair:
    """One row of a crosswalk file: ``code`` (this year's; empty: ``earlier`` was dropped)
    continues ``earlier`` (empty: ``code`` is new)."""

    code: str
    earlier: str


@dataclass(frozen=True, slots=True)
class Correspondence:
    code: str
    kind: Kind
    earlier: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Crosswalk:
    codes: dict[str, Correspondence]
    """Every criterion and group of this year's framework."""
    dropped: tuple[str, ...]
    """The earlier framework's codes that nothing continues, nor any of their parts."""

    def comparable(self, code: str) -> bool:
        return self.codes[code].kind not in (Kind.NEW, Kind.SPLIT)


def build_crosswalk(current: Framework, earlier: Framework, pairs: Sequence[Pair]) -> Crosswalk:
    """The correspondence of every code of ``current``; a :class:`CrosswalkError` names the
    pair that names a code neither framework has, or that is given twice."""
    named: dict[str, list[str]] = defaultdict(list)
    listed_dropped: set[str] = set()
    seen: set[tuple[str, str]] = set()
    for index, pair in enumerate(pairs):
        if not pair.code and not pair.earlier:
            raise CrosswalkError(Message("the row names no criterion"), index, "code")
        if pair.code and not current.has_node(pair.code):
            raise CrosswalkError(
                Message(
                    "{code!r} is not a criterion of {framework}",
                    code=pair.code,
                    framework=current.id,
                ),
                index,
                "code",
            )
        if pair.earlier and not earlier.has_node(pair.earlier):
            raise CrosswalkError(
                Message(
                    "{code!r} is not a criterion of {framework}",
                    code=pair.earlier,
                    framework=earlier.id,
                ),
                index,
                "earlier_code",
            )
        if (pair.code, pair.earlier) in seen:
            raise CrosswalkError(Message("the row is given twice"), index, "code")
        seen.add((pair.code, pair.earlier))
        if not pair.code:
            listed_dropped.add(pair.earlier)
            continue
        if pair.earlier:
            named[pair.code].append(pair.earlier)
        else:
            named.setdefault(pair.code, [])
    sources: dict[str, list[str]] = {}
    for code in current.nodes:
        if code in named:
            sources[code] = named[code]
        elif earlier.has_node(code) and code not in listed_dropped:
            sources[code] = [code]
        else:
            sources[code] = []
    heirs: dict[str, list[str]] = defaultdict(list)
    for code, found in sources.items():
        for source in found:
            heirs[source].append(code)

    def shared(code: str, source: str) -> bool:
        """Whether ``source`` also goes to a code that is neither ``code``'s group nor one of
        its parts (a group and its only part may both continue the same earlier codes)."""
        line = {code, *current.ancestors(code)}
        return any(
            other != code and other not in line and code not in current.ancestors(other)
            for other in heirs[source]
        )

    codes = {}
    for code, found in sources.items():
        if not found:
            kind = Kind.NEW
        elif any(shared(code, source) for source in found):
            kind = Kind.SPLIT
        elif len(found) > 1:
            kind = Kind.COMBINED
        else:
            kind = Kind.SAME if found[0] == code else Kind.RENUMBERED
        codes[code] = Correspondence(code, kind, tuple(found))
    continued = {a for source in heirs for a in (source, *earlier.ancestors(source))}
    dropped = tuple(code for code in earlier.nodes if code not in continued)
    return Crosswalk(codes, dropped)


@dataclass(frozen=True, slots=True)
class Comparison:
    """One unit's criterion (or group) this year and the year before, as percentages of
    the maxima; ``change`` in percentage points. ``reason``: why it is not compared."""

    code: str
    points: Decimal | None
    max: Decimal
    earlier_points: Decimal | None
    earlier_max: Decimal | None
    change: Decimal | None
    reason: str | None = None


def _sum(unit: UnitResult, codes: Iterable[str]) -> tuple[Decimal, Decimal] | None:
    nodes = [unit.nodes.get(code) for code in codes]
    if any(node is None for node in nodes):
        return None
    return (
        sum((n.score for n in nodes if n is not None), ZERO),
        sum((n.max for n in nodes if n is not None), ZERO),
    )


@dataclass(frozen=True, slots=True)
class Earlier:
    """The earlier result a unit of this year is compared with: its own, or through the
    lineage the results it continues (``carried`` says how)."""

    results: tuple[UnitResult, ...]
    """One result; several for a merger under the ``mean`` policy (their means are taken)."""
    carried: Carried | None = None


def earlier_results(
    current: CycleResult, earlier: CycleResult, lineage: Lineage | None = None
) -> tuple[dict[str, Earlier], list[str]]:
    """Each unit's earlier result, by its normalized name (the unit of the same name, or the
    units ``lineage`` says it continues: a renamed or split unit its one predecessor's, a
    merged one its chosen predecessor's, or all of them under the ``mean`` policy); and the
    earlier units with results that no unit of this year has or continues."""
    before = {normalize_name(u.unit): u for b in earlier.blocks for u in b.units if u.has_data}
    names = [u.unit for b in current.blocks for u in b.units]
    if lineage is None:
        found = {normalize_name(n): Earlier((before[normalize_name(n)],)) for n in names
                 if normalize_name(n) in before}  # fmt: skip
        left = [u.unit for key, u in before.items() if key not in found]
        return found, left
    rows = [
        PreviousResult(u.unit, b.block, earlier.year, u.rank, u.total)
        for b in earlier.blocks
        for u in b.units
        if u.has_data
    ]
    carried = carry(names, rows, lineage)
    found = {}
    for row in carried.results:
        how = row.carried
        if how is None:
            chosen = [row.unit]
        elif how.how is LineageChange.MERGED and how.policy is MergePolicy.MEAN:
            chosen = list(how.earlier)
        elif how.how is LineageChange.MERGED:
            chosen = [how.chosen or how.earlier[0]]
        else:
            chosen = [how.earlier[0]]
        results = tuple(before[normalize_name(name)] for name in chosen)
        found[normalize_name(row.unit)] = Earlier(results, how)
    return found, [rows[index].unit for index in carried.unused]


def _mean(sums: list[tuple[Decimal, Decimal] | None]) -> tuple[Decimal, Decimal] | None:
    """The predecessors' mean points and maximum (one predecessor: its own)."""
    if not sums or any(found is None for found in sums):
        return None
    if len(sums) == 1:
        return sums[0]
    count = Decimal(len(sums))
    points = sum((found[0] for found in sums if found is not None), ZERO)
    most = sum((found[1] for found in sums if found is not None), ZERO)
    return _EXACT.divide(points, count), _EXACT.divide(most, count)


def compare_years(
    crosswalk: Crosswalk,
    current: CycleResult,
    earlier: CycleResult,
    lineage: Lineage | None = None,
    codes: Sequence[str] | None = None,
) -> dict[tuple[str, str], list[Comparison]]:
    """Each unit's comparisons (by block and name: a unit of this year and the unit of the
    same name of the earlier year, or those ``lineage`` says it continues: see
    :func:`earlier_results`), every criterion and group it has a result for, in the
    framework's order; ``codes`` (in the framework's order): these only, of those it has a
    result for (what a publication compares: its groups and their parts)."""
    before, _left = earlier_results(current, earlier, lineage)
    found: dict[tuple[str, str], list[Comparison]] = {}
    for block in current.blocks:
        for unit in block.units:
            if not unit.has_data:
                continue
            then = before.get(normalize_name(unit.unit))
            rows = []
            for code, node in _nodes(unit, codes):
                link = crosswalk.codes[code]
                rows.append(_comparison(code, node.score, node.max, link, then))
            found[block.block, unit.unit] = rows
    return found


def _nodes(unit: UnitResult, codes: Sequence[str] | None) -> Iterable[tuple[str, NodeResult]]:
    if codes is None:
        return unit.nodes.items()
    found = ((code, unit.nodes.get(code)) for code in codes)
    return [(code, node) for code, node in found if node is not None]


def _comparison(
    code: str, points: Decimal, most: Decimal, link: Correspondence, then: Earlier | None
) -> Comparison:
    def without(reason: str) -> Comparison:
        return Comparison(code, points, most, None, None, None, reason)

    if link.kind is Kind.NEW:
        return without("new")
    if link.kind is Kind.SPLIT:
        return without("split")
    if then is None:
        return without("no earlier result")
    earlier = _mean([_sum(result, link.earlier) for result in then.results])
    if earlier is None:
        return without("no earlier result")
    earlier_points, earlier_max = earlier
    now, before = percent(points, most), percent(earlier_points, earlier_max)
    if now is None or before is None:
        return Comparison(code, points, most, earlier_points, earlier_max, None, "maximum of 0")
    return Comparison(code, points, most, earlier_points, earlier_max, now - before)
