"""Check published tables against the methodology and against each other.

Every check compares a printed value with the value the *other printed values* imply — not
with our own scoring of some other data — so a finding always points at an inconsistency
inside the publication:

* a total or group against the sum of its printed parts (in the same table, and across tables);
* the same cell printed differently in two tables;
* a percentage against score ÷ the unit's own maximum;
* a tier against the thresholds; a rank against the printed scores and the tie policy;
* the order of the rows; the year-over-year columns (rank change, earlier ranks).

A table without a ``score`` column (an index table that prints the groups, the index and the
rank) is checked on what it prints: its percentage (or index) against the sum of its printed
groups, its ranks and order against the printed index (or that sum). A value worked out from
printed figures is known only within their rounding, so such a row's value is a range (see
:class:`_Estimate`). :func:`table_checks` says which checks a table's columns allow.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from chiso.core.framework import Classification, Framework
from chiso.core.numbers import HUNDRED, ZERO, percent, round_half_up
from chiso.core.ranking import RankingRule, rank_bounds
from chiso.core.scoring import applicable_max
from chiso.core.tiers import (
    TierForm,
    classify,
    display_value,
    match_tier,
    normalize_name,
    tier_labels,
)
from chiso.format import MINUS, change, exact

__all__ = [
    "CHECKS",
    "Finding",
    "PublishedRow",
    "PublishedTable",
    "TableChecks",
    "YearCells",
    "audit_tables",
    "table_checks",
]

Kind = Literal["error", "rounding"]
TOTAL = ""
"""The node key of a unit's total."""


@dataclass(frozen=True, slots=True)
class YearCells:
    """What a row prints for one earlier year."""

    rank: int | None = None
    score: Decimal | None = None
    change: str | None = None
    tier: str | None = None
    nodes: dict[str, Decimal] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PublishedRow:
    line: int
    unit: str
    block: str
    score: Decimal | None = None
    """The subject's printed value: the total, or the group's value in a group's table."""
    percent: Decimal | None = None
    tier: str | None = None
    rank: int | None = None
    rank_blank: bool = True
    nodes: dict[str, Decimal] = field(default_factory=dict)
    not_applicable: frozenset[str] = frozenset()
    voluntary: bool = False
    years: dict[int, YearCells] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class PublishedTable:
    name: str
    rows: list[PublishedRow]
    group: str | None = None
    """The criterion the table is about; None for a table of totals."""
    columns: frozenset[str] = frozenset()
    """Which of score, percent, tier, rank and rank_YYYY the table prints."""


Value = Decimal | int | str | None
"""A published or expected cell: a number (points, a percentage, a rank), a text (a tier,
"place 3", a range of ranks "15–16"), or None for a blank cell."""


@dataclass(frozen=True, slots=True)
class Finding:
    table: str
    line: int | None
    unit: str
    column: str
    published: Value
    expected: Value
    kind: Kind
    message: str

    @property
    def published_text(self) -> str:
        """The published value as printed in Vietnamese ("97,3")."""
        return _text(self.published)

    @property
    def expected_text(self) -> str:
        return _text(self.expected)


def _text(value: Value) -> str:
    if value is None:
        return ""
    return exact(value) if isinstance(value, Decimal) else str(value)


CHECKS = ("sums", "percent", "tier", "rank", "order", "year over year")
"""The checks of one table, in the order docs/cli.md lists them."""


@dataclass(frozen=True, slots=True)
class TableChecks:
    """Which checks a table's columns allow (``done``) and why the others cannot be made."""

    table: str
    done: tuple[str, ...]
    not_done: tuple[tuple[str, str], ...]
    """(check, why), e.g. ("tier", "no tier column")."""


def audit_tables(
    framework: Framework, tables: Sequence[PublishedTable], *, year: int | None = None
) -> list[Finding]:
    """Every inconsistency of the tables, each alone and between them; ``year``: the year
    they assess (by default the framework's), which names their own columns without a year."""
    findings: list[Finding] = []
    for table in tables:
        findings += _audit_table(framework, table)
    findings += _cross_table(framework, tables, framework.year if year is None else year)
    return findings


def table_checks(framework: Framework, table: PublishedTable) -> TableChecks:
    """Which of :data:`CHECKS` the table's columns allow, and why the others cannot be made
    (an index table without a score column is still checked on its index, ranks and order)."""
    estimates = [_estimate(framework, table, row) for row in table.rows]
    valued = any(e is not None for e in estimates)
    nothing = "no score, percent or all of the groups to work the value out from"
    reasons: dict[str, str | None] = {}
    summed = any(next(_summed_cells(framework, table, row), None) for row in table.rows)
    reasons["sums"] = None if summed else "no total or group printed with all of its parts"
    if "percent" not in table.columns:
        reasons["percent"] = "no percent column"
    elif "score" not in table.columns and not any(
        _parts_sum(framework, table, row) for row in table.rows
    ):
        reasons["percent"] = "no score column and not all of the groups"
    else:
        reasons["percent"] = None
    classified = any(_tier_classification(framework, table, row) for row in table.rows)
    if not classified:
        reasons["tier"] = "the framework has no tiers" + (" for this group" if table.group else "")
    elif "tier" not in table.columns:
        reasons["tier"] = "no tier column"
    else:
        reasons["tier"] = None if valued else nothing
    if "rank" not in table.columns:
        reasons["rank"] = "no rank column"
    else:
        reasons["rank"] = None if valued else nothing
    reasons["order"] = None if valued else nothing
    earlier = any(row.years for row in table.rows)
    reasons["year over year"] = None if earlier else "no earlier year's columns"
    return TableChecks(
        table.name,
        tuple(check for check in CHECKS if reasons[check] is None),
        tuple((check, why) for check in CHECKS if (why := reasons[check]) is not None),
    )


# --- one table ------------------------------------------------------------------------------


def _audit_table(framework: Framework, table: PublishedTable) -> list[Finding]:
    findings: list[Finding] = []
    headings = _prints_headings(framework, table)
    estimates = {row.line: _estimate(framework, table, row) for row in table.rows}
    for row in table.rows:
        findings += _sums(framework, table, row)
        findings += _percent(framework, table, row)
        findings += _tier(framework, table, row, estimates[row.line], headings)
        findings += _changes(table, row)
    by_block: dict[str, list[PublishedRow]] = defaultdict(list)
    for row in table.rows:
        by_block[row.block].append(row)
    for block, rows in by_block.items():
        findings += _ranks(framework, table, block, rows, estimates)
        findings += _order(framework, table, block, rows, estimates)
        for year in sorted({y for row in rows for y in row.years}):
            findings += _earlier_ranks(framework, table, block, rows, year)
    return findings


def _subject(table: PublishedTable) -> str:
    return table.group if table.group is not None else TOTAL


def _children(framework: Framework, block: str, code: str) -> list[str]:
    maxima = framework.max_for(block)
    if code == TOTAL:
        return [root.code for root in framework.criteria if root.code in maxima]
    return [child.code for child in framework.node(code).children if child.code in maxima]


def _sum_finding(
    table: str,
    row: PublishedRow,
    column: str,
    published: Decimal,
    parts: list[Decimal],
) -> Finding | None:
    expected = sum(parts, ZERO)
    decimals = max(_decimals(v) for v in [published, *parts])
    if round_half_up(expected, decimals) == published:
        return None
    difference = abs(expected - published)
    slack = _slack(parts, decimals)
    kind: Kind = "rounding" if difference <= slack else "error"
    return Finding(
        table,
        row.line,
        row.unit,
        column,
        published,
        expected,
        kind,
        "the sum of its parts" + (" (within rounding of the parts)" if kind == "rounding" else ""),
    )


def _row_values(row: PublishedRow, subject: str) -> dict[str, Decimal]:
    values = dict(row.nodes)
    if row.score is not None:
        values[subject] = row.score
    return values


def _sums(framework: Framework, table: PublishedTable, row: PublishedRow) -> list[Finding]:
    findings = []
    for column, published, parts in _summed_cells(framework, table, row):
        finding = _sum_finding(table.name, row, column, published, parts)
        if finding is not None:
            findings.append(finding)
    return findings


def _summed_cells(
    framework: Framework, table: PublishedTable, row: PublishedRow
) -> Iterator[tuple[str, Decimal, list[Decimal]]]:
    """The row's printed values printed with all of their parts: (column, value, parts)."""
    subject = _subject(table)
    layers: list[tuple[str, dict[str, Decimal]]] = [("", _row_values(row, subject))]
    for year, cells in sorted(row.years.items(), reverse=True):
        values = dict(cells.nodes)
        if cells.score is not None:
            values[subject] = cells.score
        layers.append((f"_{year}", values))
    for suffix, values in layers:
        for code, published in values.items():
            parts = _children(framework, row.block, code)
            present = [p for p in parts if p not in row.not_applicable or p in values]
            if present and all(p in values for p in present):
                yield _column_name(code, suffix), published, [values[p] for p in present]


def _column_name(code: str, suffix: str = "") -> str:
    return ("score" if code == TOTAL else code) + suffix


def _tier_classification(
    framework: Framework, table: PublishedTable, row: PublishedRow
) -> Classification | None:
    subject = _subject(table)
    return (
        framework.classification_for(row.block)
        if subject == TOTAL
        else framework.node_classification(subject, row.block)
    )


def _tier_form(classification: Classification, printed: str) -> TierForm | None:
    """Whether a printed tier is a tier's label ("Khá") or its section heading ("Mức khá");
    None when it is neither."""
    match = match_tier(classification, printed)
    return None if match is None else match[1]


def _prints_headings(framework: Framework, table: PublishedTable) -> bool:
    """Whether the table's tier column prints the section headings rather than the labels."""
    for row in table.rows:
        classification = _tier_classification(framework, table, row) if row.tier else None
        if classification is not None and row.tier is not None:
            form = _tier_form(classification, row.tier)
            if form is not None:
                return form == "heading"
    return False


def _slack(parts: list[Decimal], decimals: int) -> Decimal:
    """How far the sum of ``parts`` printed at ``decimals`` may be from the sum of the values
    they print: half a unit of the last digit each; whole points are taken as exact."""
    return Decimal(len(parts)) * Decimal(5).scaleb(-decimals - 1) if decimals else ZERO


def _parts_sum(
    framework: Framework, table: PublishedTable, row: PublishedRow
) -> tuple[Decimal, Decimal] | None:
    """The sum of the printed parts of the row's subject and how far it may be from their
    true sum (:func:`_slack`); None unless every part that applies is printed."""
    parts = _children(framework, row.block, _subject(table))
    present = [p for p in parts if p not in row.not_applicable or p in row.nodes]
    if not present or not all(p in row.nodes for p in present):
        return None
    values = [row.nodes[p] for p in present]
    return sum(values, ZERO), _slack(values, max(map(_decimals, values)))


@dataclass(frozen=True, slots=True)
class _Estimate:
    """A row's subject as its printed cells give it: its points and its percentage (0–100),
    each the range it is known to lie within — one value from a printed score; the sum of the
    printed parts within their rounding (:func:`_slack`), when the table prints no score; the
    printed percentage (or index) within its own rounding, when that range is narrower."""

    points: tuple[Decimal, Decimal]
    percent: tuple[Decimal, Decimal] | None
    """None: of a maximum of 0."""
    basis: Literal["score", "parts", "percent"]

    @property
    def exact(self) -> bool:
        return self.points[0] == self.points[1]


_BELOW = Decimal("1e-12")
"""How far below a printed value's upper rounding limit its range ends (half up: a value at
the limit is printed as the next figure)."""


def _estimate(framework: Framework, table: PublishedTable, row: PublishedRow) -> _Estimate | None:
    maximum = applicable_max(framework, row.block, _subject(table) or None, row.not_applicable)
    if row.score is not None:
        share = percent(row.score, maximum)
        return _Estimate((row.score,) * 2, None if share is None else (share, share), "score")
    candidates = []
    parts = _parts_sum(framework, table, row)
    if parts is not None:
        total, slack = parts
        low, high = percent(total - slack, maximum), percent(total + slack, maximum)
        shares = None if low is None or high is None else (low, high)
        candidates.append(_Estimate((total - slack, total + slack), shares, "parts"))
    if row.percent is not None and maximum > 0:
        half = Decimal(5).scaleb(-_decimals(row.percent) - 1)
        factor = HUNDRED if framework.display.scale == "ratio" else Decimal(1)
        low, high = (row.percent - half) * factor, (row.percent + half - _BELOW) * factor
        points = (low * maximum / HUNDRED, high * maximum / HUNDRED)
        candidates.append(_Estimate(points, (low, high), "percent"))
    return min(candidates, key=lambda e: e.points[1] - e.points[0], default=None)


def _percent(framework: Framework, table: PublishedTable, row: PublishedRow) -> list[Finding]:
    """The printed percentage (or index) against the printed score, or, in a table without
    one, against the sum of the printed parts (a difference within their rounding is kind
    ``rounding``)."""
    if row.percent is None:
        return []
    maximum = applicable_max(framework, row.block, _subject(table) or None, row.not_applicable)
    scale = framework.display.scale
    decimals = _decimals(row.percent)
    if row.score is not None:
        total, slack, note = row.score, ZERO, f"{exact(row.score)} of a maximum of {exact(maximum)}"
    else:
        parts = _parts_sum(framework, table, row)
        if parts is None:
            return []
        total, slack = parts
        note = f"the sum of the printed parts, {exact(total)}, of a maximum of {exact(maximum)}"
    share = percent(total, maximum)
    if share is None:
        return []
    expected = round_half_up(display_value(share, scale), decimals)
    if expected == row.percent:
        return []
    kind: Kind = "error"
    if slack:
        low = display_value(percent(total - slack, maximum) or ZERO, scale)
        high = display_value(percent(total + slack, maximum) or ZERO, scale)
        half = Decimal(5).scaleb(-decimals - 1)
        if low < row.percent + half and row.percent - half <= high:
            kind = "rounding"
            note += " (within rounding of the parts)"
    return [Finding(table.name, row.line, row.unit, "percent", row.percent, expected, kind, note)]


def _tier(
    framework: Framework,
    table: PublishedTable,
    row: PublishedRow,
    estimate: _Estimate | None,
    headings: bool,
) -> list[Finding]:
    """The printed tier against the classification of the row's value; ``headings``: whether
    the table prints tiers as their section headings (the expected tier is shown in the form
    the table uses). A value known within a range may have any tier of that range."""
    classification = _tier_classification(framework, table, row)
    if not row.tier or classification is None or estimate is None:
        return []
    scale = framework.display.scale
    shares = estimate.percent or (None, None)
    labels: list[str | None] = [
        classify(classification, points, share, scale)[0]
        for points, share in zip(estimate.points, shares, strict=True)
    ]
    known = tier_labels(classification)
    if labels[0] != labels[1] and labels[0] in known and labels[1] in known:
        labels = [label for label in known[known.index(labels[1]) : known.index(labels[0]) + 1]]
    sections = {t.label: t.section for t in classification.tiers}
    accepted = {
        name.casefold() for label in labels if label for name in (label, sections.get(label, label))
    }
    if row.tier.casefold() in accepted:
        return []
    form = _tier_form(classification, row.tier)
    if form is None:
        form = "heading" if headings else "label"
    shown = [
        sections.get(label, label) if form == "heading" else label for label in labels if label
    ]
    return [
        Finding(
            table.name,
            row.line,
            row.unit,
            "tier",
            row.tier,
            " or ".join(dict.fromkeys(shown)),
            "error",
            _tier_note(estimate, row),
        )
    ]


def _tier_note(estimate: _Estimate, row: PublishedRow) -> str:
    low, high = estimate.percent or (ZERO, ZERO)
    if estimate.basis == "score":
        return f"{exact(estimate.points[0])} points, {exact(round_half_up(low, 1))} %"
    if estimate.basis == "percent":
        return f"{exact(row.percent or ZERO)} printed"
    points = (estimate.points[0] + estimate.points[1]) / 2
    return (
        f"{exact(points)} points (the sum of the printed parts),"
        f" {exact(round_half_up((low + high) / 2, 1))} %"
    )


def _changes(table: PublishedTable, row: PublishedRow) -> list[Finding]:
    findings = []
    for year, cells in row.years.items():
        if cells.change is None or row.rank is None or cells.rank is None:
            continue
        moved = cells.rank - row.rank
        expected = change(moved)
        if cells.change.replace(MINUS, "-").replace(" ", "") != expected:
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    f"change_{year}",
                    cells.change,
                    expected,
                    "error",
                    f"rank {cells.rank} in {year}, {row.rank} now",
                )
            )
    return findings


# --- ranks and order ------------------------------------------------------------------------


def _key(
    framework: Framework, table: PublishedTable, row: PublishedRow
) -> tuple[Decimal, ...] | None:
    if row.score is None:
        return None
    subject = _subject(table)
    maximum = applicable_max(framework, row.block, subject or None, row.not_applicable)
    rule = RankingRule.of(framework, row.block)
    share = percent(row.score, maximum)
    if subject != TOTAL:  # a group's table ranks on the group alone
        return (rule.measure(row.score, share),)
    return rule.key(row.score, share, row.nodes)


Range = tuple[Decimal, Decimal]


def _measure(
    framework: Framework, table: PublishedTable, row: PublishedRow, estimate: _Estimate | None
) -> Range | None:
    """The range of the value the row is ranked on (:meth:`RankingRule.measure`): one value
    in a table that prints scores (None for a row without one), else that of the row's
    estimate."""
    if "score" in table.columns:
        key = _key(framework, table, row)
        return None if key is None else (key[0], key[0])
    if estimate is None:
        return None
    rule = RankingRule.of(framework, row.block)
    shares = estimate.percent or (None, None)
    low, high = (
        rule.measure(points, share) for points, share in zip(estimate.points, shares, strict=True)
    )
    return low, high


def _not_ranked(
    framework: Framework, table: PublishedTable, row: PublishedRow, estimate: _Estimate | None
) -> str | None:
    """Why a row with a value has no rank ("voluntary", "below the lowest tier"), or None.
    A value known within a range that reaches below the lowest tier is taken as below it
    when the row prints no rank."""
    if row.voluntary:
        return "voluntary"
    classification = framework.classification_for(row.block)
    if (
        classification is None
        or _subject(table) != TOTAL
        or classification.ranks_below_lowest
        or estimate is None
    ):
        return None
    scale = framework.display.scale
    shares = estimate.percent or (None, None)
    below = [
        classify(classification, points, share, scale)[1]
        for points, share in zip(estimate.points, shares, strict=True)
    ]
    if below[1] or (below[0] and row.rank is None):
        return "below the lowest tier"
    return None


def _ranks(
    framework: Framework,
    table: PublishedTable,
    block: str,
    rows: list[PublishedRow],
    estimates: dict[int, _Estimate | None],
) -> list[Finding]:
    if "rank" not in table.columns:
        return []
    candidates: list[tuple[PublishedRow, Range]] = []
    findings = []
    for row in rows:
        estimate = estimates[row.line]
        measure = _measure(framework, table, row, estimate)
        if measure is None:
            continue
        reason = _not_ranked(framework, table, row, estimate)
        if reason is None:
            candidates.append((row, measure))
        elif row.rank is not None:
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    "rank",
                    row.rank,
                    None,
                    "error",
                    f"a rank printed for a unit that is not ranked ({reason})",
                )
            )
    if not candidates:
        return findings
    rule = RankingRule.of(framework, block)
    ties: list[Any]  # what two rows must share to be tied
    if "score" in table.columns:
        ties = [_key(framework, table, row) for row, _ in candidates]
        ranges = rule.rank_ranges(ties, [row.unit for row, _ in candidates])
        note = "rank of the printed values"
    else:  # values known within a range: ties may be broken either way
        ties = [measure for _, measure in candidates]
        broken = bool(rule.tie_breakers) and _subject(table) == TOTAL
        ranges = rank_bounds(ties, rule.ties, broken=broken)
        printed_index = all(row.percent is not None for row, _ in candidates)
        note = "rank of the printed " + ("index" if printed_index else "values")
    previous: tuple[PublishedRow, Any, int | None] | None = None
    for (row, _), tie, allowed in zip(candidates, ties, ranges, strict=True):
        tied = previous is not None and previous[1] == tie
        printed = row.rank
        if printed is None and tied and previous is not None and previous[2] is not None:
            printed = previous[2]  # a merged cell: the tie group's rank is printed once
        if printed is None or printed not in allowed:
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    "rank",
                    row.rank,
                    _show_range(allowed),
                    "error",
                    note + (f" (tied with {previous[0].unit})" if tied and previous else ""),
                )
            )
        previous = (row, tie, printed)
    return findings


def _order(
    framework: Framework,
    table: PublishedTable,
    block: str,
    rows: list[PublishedRow],
    estimates: dict[int, _Estimate | None],
) -> list[Finding]:
    """The ranked rows must follow the ranking. A unit that is not ranked (voluntary, below
    the lowest tier) is listed after the ranked ones, or among them at the place of its value;
    a row without a value is not looked at. Of values known within a range, two whose ranges
    overlap may be in either order."""
    ranked: list[tuple[PublishedRow, Range]] = []
    unranked: list[tuple[PublishedRow, Range, str, int]] = []  # ..., reason, ranked before it
    for row in rows:
        estimate = estimates[row.line]
        measure = _measure(framework, table, row, estimate)
        if measure is None:
            continue
        reason = _not_ranked(framework, table, row, estimate)
        if reason is None:
            ranked.append((row, measure))
        else:
            unranked.append((row, measure, reason, len(ranked)))
    values = [value for _, value in ranked]
    keep = _longest_non_increasing(values)
    places = rank_bounds(values, "ordinal")
    findings = []
    for index, (row, value) in enumerate(ranked):
        if index in keep:
            continue
        findings.append(
            Finding(
                table.name,
                row.line,
                row.unit,
                "order",
                f"place {index + 1}",
                f"place {_show_range(places[index])}",
                "error",
                f"rows are not in the order of the ranking ({_show_value(value)})",
            )
        )
    for row, value, reason, before in unranked:
        if before == len(ranked):
            continue  # after the ranked units
        if (before == 0 or values[before - 1][1] >= value[0]) and value[1] >= values[before][0]:
            continue  # at the place of its value
        findings.append(
            Finding(
                table.name,
                row.line,
                row.unit,
                "order",
                f"before place {before + 1}",
                f"after place {len(ranked)}",
                "error",
                f"not ranked ({reason}), listed among the ranked units ({_show_value(value)})",
            )
        )
    return findings


def _show_value(value: Range) -> str:
    low, high = value
    return exact(low) if low == high else f"{exact(low)}–{exact(high)}"


def _longest_non_increasing(values: list[Range]) -> set[int]:
    """Indexes of a longest run of rows that may be in ranking order (each row's range
    reaches the next one's or above), keeping earlier rows when it can."""
    n = len(values)
    length = [1] * n
    following: list[int | None] = [None] * n
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if values[j][0] <= values[i][1] and length[j] + 1 > length[i]:
                length[i], following[i] = length[j] + 1, j
    if not n:
        return set()
    best = max(range(n), key=lambda i: (length[i], -i))
    chain: set[int] = set()
    current: int | None = best
    while current is not None:
        chain.add(current)
        current = following[current]
    return chain


def _earlier_ranks(
    framework: Framework,
    table: PublishedTable,
    block: str,
    rows: list[PublishedRow],
    year: int,
) -> list[Finding]:
    if f"rank_{year}" not in table.columns:
        return []
    rule = RankingRule.of(framework, block)
    ties = rule.ties
    cells = [(row, row.years.get(year, YearCells())) for row in rows]
    findings = []
    with_scores = [(row, c) for row, c in cells if c.rank is not None and c.score is not None]
    if with_scores and rule.by == "points":
        keys = [(rule.measure(c.score, None),) for _, c in with_scores if c.score is not None]
        ranges = rule.rank_ranges(keys, [row.unit for row, _ in with_scores])
        # the units with a rank are that year's whole ranking: every row has one, or the
        # ranks do not reach past them (the others had no rank that year)
        complete = len(with_scores) == len(rows) or max(
            c.rank for _, c in with_scores if c.rank is not None
        ) <= len(with_scores)
        for (row, c), allowed in zip(with_scores, ranges, strict=True):
            if complete and c.rank not in allowed:
                findings.append(
                    Finding(
                        table.name,
                        row.line,
                        row.unit,
                        f"rank_{year}",
                        c.rank,
                        _show_range(allowed),
                        "error",
                        f"rank of the printed {year} scores",
                    )
                )
        return findings
    printed = [c.rank for _, c in cells if c.rank is not None]
    blanks = sum(1 for row, c in cells if c.rank is None and row.score is not None)
    if not printed:
        return []
    same_units = max(printed) <= len(cells)
    problem = _ranking_problem(sorted(printed), len(cells) if same_units else None, ties)
    if problem:
        findings.append(
            Finding(
                table.name,
                None,
                "(column)",
                f"rank_{year}",
                ", ".join(str(r) for r in printed),
                problem,
                "error",
                f"not a valid {ties} ranking of {len(cells)} units",
            )
        )
    # a blank is a unit without a rank that year (not ranked, not yet assessed) unless the
    # printed ranks leave places open that the table's units must have held
    missing = _missing_ranks(printed, ties) if same_units else 0
    if blanks and missing:
        findings.append(
            Finding(
                table.name,
                None,
                "(column)",
                f"rank_{year}",
                _plural(blanks, "blank cell"),
                "a rank on every row" if missing >= blanks else f"a rank on {missing} of them",
                "error",
                f"the {year} ranks are incomplete: {_plural(missing, 'place')} missing",
            )
        )
    return findings


def _missing_ranks(printed: list[int], ties: str) -> int:
    """How many places of the ranking below the highest printed rank no printed rank holds."""
    counts: dict[int, int] = defaultdict(int)
    for value in printed:
        counts[value] += 1
    last = max(counts)
    if ties == "competition":
        return max(last + counts[last] - 1 - len(printed), 0)
    return last - len(counts)  # ordinal and dense: every rank up to the last is printed


def _ranking_problem(values: list[int], units: int | None, ties: str) -> str | None:
    """Why sorted printed ``values`` cannot be completed into a ranking, or None."""
    counts: dict[int, int] = defaultdict(int)
    for value in values:
        counts[value] += 1
    distinct = sorted(counts)
    if distinct[0] < 1:
        return "ranks start at 1"
    if ties == "ordinal":
        repeated = [v for v in distinct if counts[v] > 1]
        if repeated:
            return f"rank {repeated[0]} is printed {counts[repeated[0]]} times"
        if units is not None and distinct[-1] > units:
            return f"rank {distinct[-1]} among {units} units"
        return None
    if ties == "dense":
        return None
    for value, following in pairwise(distinct):
        if following < value + counts[value]:
            return (
                f"{counts[value]} units share rank {value}, so the next rank is"
                f" {value + counts[value]}, not {following}"
            )
    last = distinct[-1]
    if units is not None and last + counts[last] - 1 > units:
        return (
            f"{counts[last]} units share rank {last}, which needs {last + counts[last] - 1} units"
        )
    return None


# --- across tables --------------------------------------------------------------------------


def _cross_table(framework: Framework, tables: Sequence[PublishedTable], now: int) -> list[Finding]:
    if len(tables) < 2:
        return []
    cells: _Cells = defaultdict(list)  # (block, unit, node, year) -> [(table, row, value)]
    excluded: dict[tuple[str, str], set[str]] = defaultdict(set)
    for table in tables:
        subject = _subject(table)
        for row in table.rows:
            unit = normalize_name(row.unit)
            excluded[(row.block, unit)] |= row.not_applicable
            layers = [(now, _row_values(row, subject))]
            for year, year_cells in row.years.items():
                values = dict(year_cells.nodes)
                if year_cells.score is not None:
                    values[subject] = year_cells.score
                layers.append((year, values))
            for year, values in layers:
                for code, value in values.items():
                    cells[(row.block, unit, code, year)].append((table.name, row, value))
    findings, conflicting = _shifted_years(cells, now)
    for key, entries in cells.items():
        block, unit, code, year = key
        if key in conflicting or len({value for _, _, value in entries}) == 1:
            continue
        conflicting.add(key)
        first = entries[0][1]
        findings.append(
            Finding(
                " ↔ ".join(name for name, _, _ in entries),
                first.line,
                first.unit,
                _column_name(code, _year_suffix(now, year)),
                " / ".join(exact(value) for _, _, value in entries),
                "one value",
                "error",
                "the tables print different values for the same cell",
            )
        )
    for (block, unit, code, year), entries in cells.items():
        parts = _children(framework, block, code)
        present = [p for p in parts if p not in excluded[(block, unit)]]
        keys = [(block, unit, p, year) for p in present]
        if not present or any(k not in cells or k in conflicting for k in keys):
            continue
        if (block, unit, code, year) in conflicting:
            continue
        sources = {name for name, _, _ in entries}
        part_sources = {cells[k][0][0] for k in keys}
        if part_sources <= sources:
            continue  # checked inside the table
        name, row, value = entries[0]
        finding = _sum_finding(
            " + ".join([name, *sorted(part_sources - {name})]),
            row,
            _column_name(code, _year_suffix(now, year)),
            value,
            [cells[k][0][2] for k in keys],
        )
        if finding is not None:
            findings.append(finding)
    return findings


_Cells = dict[tuple[str, str, str, int], list[tuple[str, PublishedRow, Decimal]]]


def _year_suffix(now: int, year: int) -> str:
    return "" if year == now else f"_{year}"


def _shifted_years(cells: _Cells, now: int) -> tuple[list[Finding], set[Any]]:
    """A whole column printed under the wrong year (Cao Bằng's Bảng 16 labels its 2020 and
    2019 values "Năm 2019" and "Năm 2018"): one finding instead of one per row."""
    columns: dict[tuple[str, str, int], dict[tuple[str, str], tuple[PublishedRow, Decimal]]] = (
        defaultdict(dict)
    )
    for (block, unit, code, year), entries in cells.items():
        for name, row, value in entries:
            columns[(name, code, year)][(block, unit)] = (row, value)
    findings: list[Finding] = []
    explained: set[Any] = set()
    for (name, code, year), column in columns.items():
        if len(column) < 3:
            continue
        for (other, other_code, other_year), candidate in columns.items():
            if other == name or other_code != code or other_year == year:
                continue
            same_label = columns.get((other, code, year), {})
            # the values match another table's column of another year, which a third
            # table confirms under that year
            confirmed = any(
                third not in (name, other)
                and third_code == code
                and third_year == other_year
                and all(
                    candidate.get(k, (None, None))[1] == v for k, (_, v) in third_column.items()
                )
                for (third, third_code, third_year), third_column in columns.items()
            )
            if (
                confirmed
                and all(candidate.get(k, (None, None))[1] == v for k, (_, v) in column.items())
                and any(k in same_label and same_label[k][1] != v for k, (_, v) in column.items())
            ):
                first_row = min((row for row, _ in column.values()), key=lambda r: r.line)
                findings.append(
                    Finding(
                        name,
                        None,
                        "(column)",
                        _column_name(code, _year_suffix(now, year)),
                        f"labelled {year}",
                        f"the {other_year} values of {other}",
                        "error",
                        f"every row equals {other}'s {other_year} column"
                        f" (from row {first_row.line})",
                    )
                )
                explained |= {(block, unit, code, year) for block, unit in column}
                break
    return findings, explained


def _plural(count: int, noun: str) -> str:
    """ "1 blank cell", "2 blank cells"."""
    return f"{count} {noun}" if count == 1 else f"{count} {noun}s"


def _decimals(value: Decimal) -> int:
    """How many decimals a printed value shows: 45.10 → 2, 45 → 0."""
    exponent = value.as_tuple().exponent
    return max(-exponent, 0) if isinstance(exponent, int) else 0


def _show_range(allowed: range) -> int | str:
    if len(allowed) == 1:
        return allowed.start
    if not allowed:
        return "not ranked"
    return f"{allowed.start}–{allowed.stop - 1}"
