"""Unit lineage: which units of earlier years a unit of the cycle continues.

The 2025 reform merged provinces and communes; departments are renamed, merged and split
from one year to the next. A link says that from ``year`` on, ``unit`` continues ``earlier``:

* renamed: one link into the unit, from an earlier unit no other unit continues;
* merged: several links into the unit (its predecessors);
* split: one earlier unit continued by several units, each of which inherits its result.

:func:`carry` turns the earlier results, which name the units of their own year, into the
earlier results of the cycle's units: each value carried through a link is marked with how
(:class:`Carried`), and the earlier rows that no unit of the cycle continues are listed, so
that no unit silently loses its history. Links chain across years (A renamed B in 2022, B
merged into C in 2025: C's 2021 result is A's).

A merged unit's earlier result follows the policy (:class:`MergePolicy`): the predecessors'
best, their mean, or the largest predecessor's (by the weight its link gives).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal

from chiso.core.messages import Message
from chiso.core.model import Carried, LineageChange, MergePolicy, PreviousResult
from chiso.core.tiers import normalize_name

__all__ = [
    "Carried",
    "Carry",
    "Lineage",
    "LineageChange",
    "LineageError",
    "Link",
    "MergePolicy",
    "carry",
]


class LineageError(ValueError):
    """A lineage that cannot be followed; ``link`` is the index of the link at fault."""

    def __init__(self, message: str, link: int | None = None) -> None:
        self.message = message
        self.link = link
        super().__init__(message)


@dataclass(frozen=True, slots=True)
class Link:
    year: int
    """The first year of ``unit`` as it is: earlier results are those of ``earlier``."""
    unit: str
    earlier: str
    weight: Decimal | None = None
    """The earlier unit's size, for the ``largest`` policy."""


@dataclass(frozen=True, slots=True)
class Lineage:
    links: tuple[Link, ...]
    policy: MergePolicy = MergePolicy.BEST


@dataclass(frozen=True, slots=True)
class Carry:
    results: list[PreviousResult]
    """The earlier results of the cycle's units: their own rows, and rows carried (marked)."""
    unused: list[int]
    """The indices of the earlier rows that no unit of the cycle continues."""


_MEAN = Context(prec=34)
"""A mean of three or more scores may not end: 34 significant digits, far below any printed
precision (the scores themselves have a few)."""


def carry(units: Iterable[str], previous: Sequence[PreviousResult], lineage: Lineage) -> Carry:
    """The earlier results as the cycle's ``units`` have them, through ``lineage``."""
    _check(lineage)
    into: dict[str, list[tuple[int, Link]]] = defaultdict(list)
    for index, link in enumerate(lineage.links):
        into[normalize_name(link.unit)].append((index, link))
    rows: dict[int, dict[str, int]] = defaultdict(dict)
    for index, row in enumerate(previous):
        rows[row.year][normalize_name(row.unit)] = index
    weights = {normalize_name(link.earlier): link.weight for link in lineage.links}

    def ancestors(name: str, year: int, before: int | None) -> list[str]:
        """The units of ``year`` that ``name`` (a unit until ``before``) continues."""
        links = [
            link
            for _index, link in into.get(normalize_name(name), [])
            if year < link.year and (before is None or link.year < before)
        ]
        if not links:
            return [name]
        found: list[str] = []
        for link in links:
            for earlier in ancestors(link.earlier, year, link.year):
                if normalize_name(earlier) not in map(normalize_name, found):
                    found.append(earlier)
        return found

    names = list(dict.fromkeys(units))
    lines = {(name, year): ancestors(name, year, None) for name in names for year in rows}
    heirs: dict[tuple[str, int], int] = defaultdict(int)
    for (_name, year), earlier in lines.items():
        for unit in earlier:
            heirs[normalize_name(unit), year] += 1
    used: set[int] = set()
    results: list[PreviousResult] = []
    for (name, year), earlier in lines.items():
        found = [rows[year][key] for e in earlier if (key := normalize_name(e)) in rows[year]]
        used.update(found)
        if not found:
            continue
        if [normalize_name(e) for e in earlier] == [normalize_name(name)]:
            results.append(previous[found[0]])  # the unit's own row
            continue
        chosen = [previous[i] for i in found]
        if len(earlier) > 1:
            results.append(_merged(name, year, earlier, chosen, lineage.policy, weights))
        else:
            only = normalize_name(earlier[0])
            how = LineageChange.SPLIT if heirs[only, year] > 1 else LineageChange.RENAMED
            results.append(chosen[0]._replace(unit=name, carried=Carried(how, (chosen[0].unit,))))
    unused = [index for index in range(len(previous)) if index not in used]
    return Carry(results, unused)


def _merged(
    name: str,
    year: int,
    earlier: list[str],
    rows: list[PreviousResult],
    policy: MergePolicy,
    weights: Mapping[str, Decimal | None],
) -> PreviousResult:
    names = tuple(row.unit for row in rows)
    if policy is MergePolicy.MEAN:
        blocks = {row.block for row in rows}
        scores = [row.score for row in rows]
        percents = [row.percent for row in rows]
        return PreviousResult(
            unit=name,
            block=rows[0].block if len(blocks) == 1 else "",
            year=year,
            rank=None,
            score=_mean(scores),
            percent=_mean(percents),
            tier=None,
            score_digits=min(
                (row.score_digits for row in rows if row.score_digits is not None),
                default=None,
            ),
            carried=Carried(LineageChange.MERGED, names, policy),
        )
    if policy is MergePolicy.LARGEST:
        best = max(rows, key=lambda row: weights[normalize_name(row.unit)] or Decimal(0))
    else:
        ranked = [row for row in rows if row.rank is not None]
        if ranked:
            best = min(ranked, key=lambda row: row.rank or 0)
        else:
            best = max(rows, key=lambda row: row.score if row.score is not None else -1)
    return best._replace(unit=name, carried=Carried(LineageChange.MERGED, names, policy, best.unit))


def _mean(values: Sequence[Decimal | None]) -> Decimal | None:
    if not values or any(value is None for value in values):
        return None
    total = sum((value for value in values if value is not None), Decimal(0))
    return _MEAN.divide(total, Decimal(len(values))).normalize(_MEAN)


def _check(lineage: Lineage) -> None:
    seen: dict[tuple[int, str, str], int] = {}
    for index, link in enumerate(lineage.links):
        key = (link.year, normalize_name(link.unit), normalize_name(link.earlier))
        if key in seen:
            raise LineageError(
                Message(
                    "the link of {unit!r} to {earlier!r} in {year} is given twice",
                    unit=link.unit,
                    earlier=link.earlier,
                    year=link.year,
                ),
                index,
            )
        seen[key] = index
        if lineage.policy is MergePolicy.LARGEST and link.weight is None:
            merged = [
                other
                for other in lineage.links
                if other.year == link.year and normalize_name(other.unit) == key[1]
            ]
            if len(merged) > 1:
                raise LineageError(
                    Message(
                        "the merger into {unit!r} needs the weight of {earlier!r} under the"
                        " 'largest' policy",
                        unit=link.unit,
                        earlier=link.earlier,
                    ),
                    index,
                )
