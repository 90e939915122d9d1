"""Check published tables against the methodology and against each other.

Every check compares a printed value with the value the *other printed values* imply — not
with our own scoring of some other data — so a finding always points at an inconsistency
inside the publication:

* a total or group against the sum of its printed parts (in the same table, and across tables);
* the same cell printed differently in two tables;
* a percentage against score ÷ the unit's own maximum;
* a tier against the thresholds; a rank against the printed scores and the tie policy;
* the order of the rows; the year-over-year columns (rank change, earlier ranks).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import pairwise
from typing import Any, Literal

from chiso.core.framework import Classification, Framework
from chiso.core.numbers import ZERO, percent, round_half_up
from chiso.core.ranking import RankingRule, rank_ranges
from chiso.core.scoring import applicable_max
from chiso.core.tiers import TierForm, classify, display_value, match_tier, normalize_name
from chiso.format import MINUS, change, exact

__all__ = ["Finding", "PublishedRow", "PublishedTable", "YearCells", "audit_tables"]

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


@dataclass(frozen=True, slots=True)
class Finding:
    table: str
    line: int | None
    unit: str
    column: str
    published: str
    expected: str
    kind: Kind
    message: str


def audit_tables(framework: Framework, tables: Sequence[PublishedTable]) -> list[Finding]:
    findings: list[Finding] = []
    for table in tables:
        findings += _audit_table(framework, table)
    findings += _cross_table(framework, tables)
    return findings


# --- one table ------------------------------------------------------------------------------


def _audit_table(framework: Framework, table: PublishedTable) -> list[Finding]:
    findings: list[Finding] = []
    headings = _prints_headings(framework, table)
    for row in table.rows:
        findings += _sums(framework, table, row)
        findings += _percent_and_tier(framework, table, row, headings)
        findings += _changes(table, row)
    by_block: dict[str, list[PublishedRow]] = defaultdict(list)
    for row in table.rows:
        by_block[row.block].append(row)
    for block, rows in by_block.items():
        findings += _ranks(framework, table, block, rows)
        findings += _order(framework, table, block, rows)
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
    # parts printed with decimals may each be rounded by up to half a unit of their last
    # digit; whole points are taken as exact
    slack = Decimal(len(parts)) * Decimal(5).scaleb(-decimals - 1) if decimals else ZERO
    kind: Kind = "rounding" if difference <= slack else "error"
    return Finding(
        table,
        row.line,
        row.unit,
        column,
        exact(published),
        exact(expected),
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
            if not present or not all(p in values for p in present):
                continue
            finding = _sum_finding(
                table.name,
                row,
                _column_name(code, suffix),
                published,
                [values[p] for p in present],
            )
            if finding is not None:
                findings.append(finding)
    return findings


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


def _percent_and_tier(
    framework: Framework, table: PublishedTable, row: PublishedRow, headings: bool
) -> list[Finding]:
    """The percentage and the tier of a row; ``headings``: whether the table prints tiers
    as their section headings (the expected tier is shown in the form the table uses)."""
    if row.score is None:
        return []
    subject = _subject(table)
    findings = []
    maximum = applicable_max(framework, row.block, subject or None, row.not_applicable)
    share = percent(row.score, maximum)
    scale = framework.display_for(row.block).scale
    if row.percent is not None and share is not None:
        decimals = _decimals(row.percent)
        expected = round_half_up(display_value(share, scale), decimals)
        if expected != row.percent:
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    "percent",
                    exact(row.percent),
                    exact(expected),
                    "error",
                    f"{exact(row.score)} of a maximum of {exact(maximum)}",
                )
            )
    classification = _tier_classification(framework, table, row)
    if row.tier and classification is not None:
        label, _ = classify(classification, row.score, share, scale)
        section = next((t.section for t in classification.tiers if t.label == label), label or "")
        accepted = {label.casefold(), section.casefold()} if label else set()
        if row.tier.casefold() not in accepted:
            form = _tier_form(classification, row.tier)
            if form is None:
                form = "heading" if headings else "label"
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    "tier",
                    row.tier,
                    section if form == "heading" else label or "",
                    "error",
                    f"{exact(row.score)} points, {exact(round_half_up(share or ZERO, 1))} %",
                )
            )
    return findings


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


def _not_ranked(framework: Framework, table: PublishedTable, row: PublishedRow) -> str | None:
    """Why a row with a score has no rank ("voluntary", "below the lowest tier"), or None."""
    if row.voluntary:
        return "voluntary"
    classification = framework.classification_for(row.block)
    if (
        classification is None
        or _subject(table) != TOTAL
        or classification.ranks_below_lowest
        or row.score is None
    ):
        return None
    share = percent(row.score, applicable_max(framework, row.block, None, row.not_applicable))
    _, below = classify(classification, row.score, share, framework.display_for(row.block).scale)
    return "below the lowest tier" if below else None


def _ranks(
    framework: Framework, table: PublishedTable, block: str, rows: list[PublishedRow]
) -> list[Finding]:
    if "rank" not in table.columns:
        return []
    candidates = []
    findings = []
    for row in rows:
        key = _key(framework, table, row)
        if key is None:
            continue
        reason = _not_ranked(framework, table, row)
        if reason is None:
            candidates.append((row, key))
        elif row.rank is not None:
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    "rank",
                    str(row.rank),
                    "",
                    "error",
                    f"a rank printed for a unit that is not ranked ({reason})",
                )
            )
    if not candidates:
        return findings
    ranges = RankingRule.of(framework, block).rank_ranges(
        [key for _, key in candidates], [row.unit for row, _ in candidates]
    )
    previous_row: PublishedRow | None = None
    previous_key: tuple[Decimal, ...] | None = None
    previous_rank: int | None = None
    for (row, key), allowed in zip(candidates, ranges, strict=True):
        printed = row.rank
        if printed is None and previous_key == key and previous_rank is not None:
            printed = previous_rank  # a merged cell: the tie group's rank is printed once
        if printed is None or printed not in allowed:
            findings.append(
                Finding(
                    table.name,
                    row.line,
                    row.unit,
                    "rank",
                    "" if row.rank is None else str(row.rank),
                    _show_range(allowed),
                    "error",
                    "rank of the printed values"
                    + (
                        f" (tied with {previous_row.unit})"
                        if previous_key == key and previous_row
                        else ""
                    ),
                )
            )
        previous_row, previous_key, previous_rank = row, key, printed
    return findings


def _order(
    framework: Framework, table: PublishedTable, block: str, rows: list[PublishedRow]
) -> list[Finding]:
    """The ranked rows must follow the ranking. A unit that is not ranked (voluntary, below
    the lowest tier) is listed after the ranked ones, or among them at the place of its value;
    a row without a score is not looked at."""
    ranked: list[tuple[PublishedRow, Decimal]] = []
    unranked: list[tuple[PublishedRow, Decimal, str, int]] = []  # ..., reason, ranked before it
    for row in rows:
        key = _key(framework, table, row)
        if key is None:
            continue
        reason = _not_ranked(framework, table, row)
        if reason is None:
            ranked.append((row, key[0]))
        else:
            unranked.append((row, key[0], reason, len(ranked)))
    values = [value for _, value in ranked]
    keep = _longest_non_increasing(values)
    places = rank_ranges(
        [(value,) for value in values], [str(i) for i in range(len(values))], "ordinal"
    )
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
                f"rows are not in the order of the ranking ({exact(value)})",
            )
        )
    for row, value, reason, before in unranked:
        if before == len(ranked):
            continue  # after the ranked units
        if (before == 0 or values[before - 1] >= value) and value >= values[before]:
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
                f"not ranked ({reason}), listed among the ranked units ({exact(value)})",
            )
        )
    return findings


def _longest_non_increasing(values: list[Decimal]) -> set[int]:
    """Indexes of a longest non-increasing subsequence, keeping earlier rows when it can."""
    n = len(values)
    length = [1] * n
    following: list[int | None] = [None] * n
    for i in range(n - 1, -1, -1):
        for j in range(i + 1, n):
            if values[j] <= values[i] and length[j] + 1 > length[i]:
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
                        str(c.rank),
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


def _cross_table(framework: Framework, tables: Sequence[PublishedTable]) -> list[Finding]:
    if len(tables) < 2:
        return []
    cells: _Cells = defaultdict(list)  # (block, unit, node, year) -> [(table, row, value)]
    excluded: dict[tuple[str, str], set[str]] = defaultdict(set)
    for table in tables:
        subject = _subject(table)
        for row in table.rows:
            unit = normalize_name(row.unit)
            excluded[(row.block, unit)] |= row.not_applicable
            layers = [(framework.year, _row_values(row, subject))]
            for year, year_cells in row.years.items():
                values = dict(year_cells.nodes)
                if year_cells.score is not None:
                    values[subject] = year_cells.score
                layers.append((year, values))
            for year, values in layers:
                for code, value in values.items():
                    cells[(row.block, unit, code, year)].append((table.name, row, value))
    findings, conflicting = _shifted_years(framework, cells)
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
                _column_name(code, _year_suffix(framework, year)),
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
            _column_name(code, _year_suffix(framework, year)),
            value,
            [cells[k][0][2] for k in keys],
        )
        if finding is not None:
            findings.append(finding)
    return findings


_Cells = dict[tuple[str, str, str, int], list[tuple[str, PublishedRow, Decimal]]]


def _year_suffix(framework: Framework, year: int) -> str:
    return "" if year == framework.year else f"_{year}"


def _shifted_years(framework: Framework, cells: _Cells) -> tuple[list[Finding], set[Any]]:
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
                        _column_name(code, _year_suffix(framework, year)),
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


def _show_range(allowed: range) -> str:
    if len(allowed) == 1:
        return str(allowed.start)
    if not allowed:
        return "not ranked"
    return f"{allowed.start}–{allowed.stop - 1}"
