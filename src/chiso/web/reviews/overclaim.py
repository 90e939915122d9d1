"""The over-claim report of a cycle: the units' self-assessed points against the verified ones
(chiso.core.overclaim over two results of the engine: the submitted answers, and the answers
the results count — verified where a closed round verified them); the same after each closed
review round, and for the assessor's earlier cycles that were reviewed.

Computed once per change and kept, as the draft results are (chiso.web.results.drafts: the
key is the count of changes of each of the assessor's cycles in the audit trail, so that a
new verdict, a closed round or an answer reopened is a new key, never a stale report)."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.formats import get_format
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.core import CycleResult, Framework, score
from chiso.core.overclaim import Gap, OverClaim, UnitGap, gap_decimals, largest, overclaim
from chiso.web.audit.kept import kept, peek
from chiso.web.cycles.models import Cycle, CycleState
from chiso.web.reviews.models import Review
from chiso.web.reviews.selectors import final_unit_data
from chiso.web.submissions.scoring import cycle_data

__all__ = [
    "BlockRows",
    "Earlier",
    "OverClaims",
    "cycle_overclaim",
    "dashboard_gaps",
    "gaps_by_round",
    "gaps_by_year",
    "largest_gaps",
    "largest_rows",
    "overclaims",
    "reviewed",
    "rows_of",
    "unit_overclaim",
]

SHOWN_CRITERIA = 5
EARLIER_CYCLES = 5
"""The assessor's earlier reviewed cycles compared, the latest first."""
LARGEST = 10
"""Units and criteria on the dashboard's panel and in the workbook's sheet."""


@dataclass(frozen=True)
class Earlier:
    """An earlier cycle of the same assessor, reviewed: its year, name and report."""

    year: int
    name: str
    report: OverClaim


@dataclass(frozen=True)
class OverClaims:
    report: OverClaim
    """After every closed round: what the results count."""
    rounds: tuple[tuple[int, OverClaim], ...]
    """After each closed round, in order."""
    earlier: tuple[Earlier, ...]
    """The assessor's earlier cycles with a closed round, oldest first."""


def overclaims(cycle: Cycle) -> OverClaims:
    """The cycle's over-claims as they stand now, computed once per change."""
    return kept(cycle, "overclaim", _compute, OverClaims)


def cycle_overclaim(cycle: Cycle) -> OverClaim:
    """The over-claims after every closed round (what the results count), computed once per
    change: alone — what the draft's job, a publication and the dashboard need, without the
    rounds and earlier cycles of :func:`overclaims` — or read from those when a page of the
    review has computed them."""
    return kept(cycle, "overclaim-report", _report, OverClaim)


def _report(cycle: Cycle) -> OverClaim:
    _key, whole = peek(cycle, "overclaim", OverClaims)
    if whole is not None:
        return whole.report
    framework = cycle.framework.framework
    return overclaim(framework, _claimed(cycle), _verified(cycle, _closed_rounds(cycle)))


def _closed_rounds(cycle: Cycle) -> tuple[int, ...]:
    review = Review.objects.filter(cycle=cycle).first()
    return review.closed_rounds if review else ()


def _claimed(cycle: Cycle) -> CycleResult:
    return score(cycle.framework.framework, cycle_data(cycle), year=cycle.year)


def _verified(cycle: Cycle, rounds: tuple[int, ...]) -> CycleResult:
    return score(cycle.framework.framework, final_unit_data(cycle, rounds), year=cycle.year)


def _compute(cycle: Cycle) -> OverClaims:
    framework = cycle.framework.framework
    claimed = _claimed(cycle)
    closed = _closed_rounds(cycle)
    rounds = tuple(
        (number, overclaim(framework, claimed, _verified(cycle, closed[:i])))
        for i, number in enumerate(closed, start=1)
    )
    report = rounds[-1][1] if rounds else overclaim(framework, claimed, _verified(cycle, ()))
    earlier: list[Earlier] = []
    before = Cycle.objects.filter(organisation_id=cycle.organisation_id, year__lt=cycle.year)
    for other in before.select_related("framework").order_by("-year", "-pk"):
        if len(earlier) == EARLIER_CYCLES:
            break
        reviewed = _closed_rounds(other)
        if reviewed:
            other_framework = other.framework.framework
            earlier.append(
                Earlier(
                    other.year,
                    other.name,
                    overclaim(
                        other_framework,
                        _claimed(other),
                        _verified(other, reviewed),
                    ),
                )
            )
    return OverClaims(report, rounds, tuple(reversed(earlier)))


# --- as the pages print it ---------------------------------------------------------------------


@dataclass(frozen=True)
class BlockRows:
    name: str
    units: list[list[str]]
    """Per unit: its name, self-assessed, verified, difference, the criteria that differ most."""
    summary: dict[str, str | int]
    criteria: list[str]


def rows_of(cycle: Cycle, report: OverClaim) -> list[BlockRows]:
    """The report as the page prints it: numbers the Vietnamese way (decimal comma), each
    difference with its sign."""
    framework = cycle.framework.framework
    separator = get_format("DECIMAL_SEPARATOR")
    blocks = []
    for block in report.blocks:
        d = _decimals(framework, block.block)

        def shown(value: Decimal, d: int = d) -> str:
            return fmt.points(value, d, separator)

        def signed(value: Decimal, d: int = d) -> str:
            return ("+" if value > 0 else "") + shown(value, d)

        units = []
        for unit in block.units:
            leaves = [g for g in unit.criteria if framework.node(g.code).is_leaf]
            leaves.sort(key=lambda g: (-abs(g.difference), framework.order[g.code]))
            units.append(
                [
                    unit.unit,
                    shown(unit.total.claimed),
                    shown(unit.total.verified),
                    signed(unit.total.difference),
                    ", ".join(
                        f"{g.code} ({signed(g.difference)})" for g in leaves[:SHOWN_CRITERIA]
                    ),
                ]
            )
        criteria = [
            f"{code} ({signed(total)}, {count})"
            for code, total, count in block.criteria
            if framework.node(code).is_leaf and total > 0
        ][:SHOWN_CRITERIA]
        summary: dict[str, str | int] = {
            "claimed": shown(block.claimed),
            "verified": shown(block.verified),
            "difference": signed(block.difference),
            "over": block.over,
            "under": block.under,
        }
        blocks.append(BlockRows(block.name, units, summary, criteria))
    return blocks


_decimals = gap_decimals


def _signed(framework: Framework, block: str, value: Decimal) -> str:
    d = _decimals(framework, block)
    text = fmt.points(value, d, get_format("DECIMAL_SEPARATOR"))
    return ("+" if value > 0 else "") + text


def _differences(report: OverClaim) -> dict[tuple[str, str], Decimal]:
    return {(u.block, u.unit): u.total.difference for b in report.blocks for u in b.units}


@dataclass(frozen=True)
class Table:
    """Per block: a table of each unit's total difference under several headings."""

    name: str
    headings: list[str]
    units: list[list[str]]
    totals: list[str]


def gaps_by_round(cycle: Cycle, found: OverClaims) -> list[Table]:
    """Each unit's difference after each closed round, per block ("" before it was compared)."""
    if not found.rounds:
        return []
    framework = cycle.framework.framework
    after = [_differences(report) for _n, report in found.rounds]
    tables = []
    for block in found.report.blocks:
        units = [
            [
                unit.unit,
                *(
                    _signed(framework, block.block, d[(block.block, unit.unit)])
                    if (block.block, unit.unit) in d
                    else ""
                    for d in after
                ),
            ]
            for unit in block.units
        ]
        totals = [
            _signed(framework, block.block, b.difference)
            for _n, report in found.rounds
            for b in report.blocks
            if b.block == block.block
        ]
        tables.append(Table(block.name, [str(n) for n, _r in found.rounds], units, totals))
    return tables


def gaps_by_year(cycle: Cycle, found: OverClaims) -> list[Table]:
    """Each unit's difference in the assessor's earlier reviewed cycles and in this one,
    where both its self-assessed and its verified points are known ("" where not)."""
    if not found.earlier:
        return []
    framework = cycle.framework.framework
    years = [_by_unit(e.report) for e in found.earlier]
    headings = [str(e.year) for e in found.earlier] + [str(cycle.year)]
    tables = []
    for block in found.report.blocks:
        units = []
        for unit in block.units:
            cells = [
                _signed(framework, block.block, y[unit.unit]) if unit.unit in y else ""
                for y in years
            ]
            if any(cells):
                now = _signed(framework, block.block, unit.total.difference)
                units.append([unit.unit, *cells, now])
        if units:
            tables.append(Table(block.name, headings, units, []))
    return tables


def _by_unit(report: OverClaim) -> dict[str, Decimal]:
    return {u.unit: u.total.difference for b in report.blocks for u in b.units}


@dataclass(frozen=True)
class Largest:
    """The units and criteria with the largest over-claims of every block together."""

    units: list[tuple[str, str, str, str, str]]
    """Name, block name, self-assessed, verified, difference."""
    criteria: list[tuple[str, str, str, int]]
    """Code, name, the sum of the units' differences, how many units differ."""


def reviewed(cycle: Cycle) -> bool:
    """Whether a review round of the cycle has closed (no query before the review: opening
    its round 1 puts the cycle under review)."""
    return cycle.state not in (CycleState.DRAFT, CycleState.OPEN) and bool(_closed_rounds(cycle))


def dashboard_gaps(cycle: Cycle) -> Largest | None:
    """The dashboard's panel: None until a review round has closed."""
    if not reviewed(cycle):
        return None
    return largest_gaps(cycle, cycle_overclaim(cycle))


def largest_gaps(cycle: Cycle, report: OverClaim, count: int = LARGEST) -> Largest:
    """Only over-claims (a positive difference): a unit given more than it claimed is not one."""
    framework = cycle.framework.framework
    names = {b.block: b.name for b in report.blocks}
    separator = get_format("DECIMAL_SEPARATOR")

    def shown(block: str, value: Decimal) -> str:
        return fmt.points(value, _decimals(framework, block), separator)

    units = [
        (
            u.unit,
            names[u.block],
            shown(u.block, u.total.claimed),
            shown(u.block, u.total.verified),
            "+" + shown(u.block, u.total.difference),
        )
        for u in largest(report, count)
        if u.total.difference > 0
    ]
    sums: dict[str, tuple[Decimal, int, str]] = {}
    for block in report.blocks:
        for code, total, n in block.criteria:
            if framework.node(code).is_leaf:
                before, counted, _b = sums.get(code, (Decimal(0), 0, block.block))
                sums[code] = (before + total, counted + n, block.block)
    ranked = sorted(
        ((code, s) for code, s in sums.items() if s[0] > 0),
        key=lambda item: (-item[1][0], framework.order[item[0]]),
    )[:count]
    criteria = [
        (code, framework.node(code).name, "+" + shown(block, total), n)
        for code, (total, n, block) in ranked
    ]
    return Largest(units, criteria)


def _both(gap: Gap) -> tuple[Decimal, Decimal, Decimal]:
    return gap.claimed, gap.verified, gap.difference


def largest_rows(cycle: Cycle, report: OverClaim, count: int = LARGEST) -> list[dict[str, object]]:
    """The workbook's sheet of the largest over-claims: the units, then the criteria (the sum
    of the units' differences), exact numbers; names are written as text, never formulas."""
    framework = cycle.framework.framework
    names = {b.block: b.name for b in report.blocks}
    headings = [
        _("Kind"),
        _("Block"),
        _("Code"),
        _("Name"),
        _("Self-assessed"),
        _("Verified"),
        _("Difference"),
        _("Units"),
    ]
    rows: list[list[object]] = [
        [_("Unit"), names[u.block], "", u.unit, *_both(u.total), ""]
        for u in largest(report, count)
        if u.total.difference > 0
    ]
    sums: dict[str, tuple[Decimal, int]] = {}
    for block in report.blocks:
        for code, total, n in block.criteria:
            if framework.node(code).is_leaf:
                before, counted = sums.get(code, (Decimal(0), 0))
                sums[code] = (before + total, counted + n)
    ranked = sorted(
        ((code, s) for code, s in sums.items() if s[0] > 0),
        key=lambda item: (-item[1][0], framework.order[item[0]]),
    )[:count]
    rows += [
        [_("Criterion"), "", code, framework.node(code).name, "", "", total, n]
        for code, (total, n) in ranked
    ]
    return [dict(zip(headings, row, strict=True)) for row in rows]


@dataclass(frozen=True)
class UnitView:
    """One unit's own over-claim, as its page prints it."""

    total: list[str] | None
    """Self-assessed, verified, difference; None when the unit was not compared."""
    criteria: list[tuple[str, str, bool, str, str, str]]
    """Code, name, whether a group, self-assessed, verified, difference."""
    rounds: list[tuple[int, str]]
    """Each closed round and the unit's difference after it."""
    years: list[tuple[int, str, str, str, str]]
    """Earlier cycles: year, name, self-assessed, verified, difference."""


def _find(report: OverClaim, name: str) -> UnitGap | None:
    for block in report.blocks:
        for unit in block.units:
            if unit.unit == name:
                return unit
    return None


def unit_overclaim(cycle: Cycle, found: OverClaims, name: str) -> UnitView:
    """The unit ``name``'s own over-claim: its total, each criterion and group that differs,
    after each closed round, and in the assessor's earlier reviewed cycles."""
    framework = cycle.framework.framework
    separator = get_format("DECIMAL_SEPARATOR")
    mine = _find(found.report, name)
    if mine is None:
        return UnitView(None, [], [], [])
    d = _decimals(framework, mine.block)

    def shown(value: Decimal) -> str:
        return fmt.points(value, d, separator)

    def signed(value: Decimal) -> str:
        return ("+" if value > 0 else "") + shown(value)

    total = mine.total
    criteria = [
        (
            g.code,
            framework.node(g.code).name,
            not framework.node(g.code).is_leaf,
            shown(g.claimed),
            shown(g.verified),
            signed(g.difference),
        )
        for g in mine.criteria
    ]
    rounds = []
    for number, report in found.rounds:
        then = _find(report, name)
        if then is not None:
            rounds.append((number, signed(then.total.difference)))
    years = []
    for earlier in found.earlier:
        then = _find(earlier.report, name)
        if then is not None:
            years.append(
                (
                    earlier.year,
                    earlier.name,
                    shown(then.total.claimed),
                    shown(then.total.verified),
                    signed(then.total.difference),
                )
            )
    return UnitView(
        [shown(total.claimed), shown(total.verified), signed(total.difference)],
        criteria,
        rounds,
        years,
    )
