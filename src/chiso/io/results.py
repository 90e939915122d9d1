"""Results out: the JSON contract (exact text, for the command and the web), the
CSV/XLSX results file (which is also next year's previous-results file)."""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Iterator, Sequence
from decimal import Context, Decimal
from json.encoder import encode_basestring  # json.dumps's string literals, ensure_ascii=False
from operator import add
from pathlib import Path
from typing import IO, Any

from chiso.core import (
    BlockResult,
    CycleResult,
    Framework,
    NotRankedReason,
    Summary,
    TierCount,
    UnitResult,
)
from chiso.core.model import BlockStats, Carried, UnitNodes, scores_of, tiers_of
from chiso.core.robustness import Robustness
from chiso.io.cells import quote, sheet_text

__all__ = [
    "NOT_RANKED_WORDS",
    "RESULTS_SHEET",
    "index_of",
    "json_number",
    "json_text",
    "result_heading",
    "result_rows",
    "sheet_row",
    "sheet_value",
    "write_csv",
    "write_xlsx",
]


RESULTS_SHEET = "Kết quả"
"""The sheet of the results in a workbook (``chiso score --format xlsx``, the report's
workbook): what ``--previous`` reads of a workbook that has one."""

RESULT_HEADINGS = {
    "unit": "Tên cơ quan, đơn vị",
    "block": "Khối",
    "year": "Năm",
    "rank": "Xếp hạng",
    "score": "Tổng điểm",
    "max": "Điểm tối đa",
    "percent": "Tỷ lệ",
    "index": "Chỉ số",
    "tier": "Mức xếp loại",
    "not_ranked_reason": "Lý do không xếp hạng",
}
"""The Vietnamese heading of each column of :func:`result_rows` (the report workbook's
results sheet); the previous-results reader takes them for the English names."""

NOT_RANKED_WORDS = {
    NotRankedReason.NO_DATA: "Không xếp hạng do không cung cấp số liệu",
    NotRankedReason.VOLUNTARY: "Không xếp hạng (đơn vị tham gia tự nguyện)",
    NotRankedReason.BELOW_LOWEST_LEVEL: "Không xếp hạng (dưới mức thấp nhất)",
}
"""Why a unit is not ranked, as the tables, the scorecards and the results sheet say it; the
CSV and the JSON give the reason's code (``no_data``), which the previous-results reader
takes too."""

_YEAR_HEADINGS = {
    "rank_": "Xếp hạng {}",
    "rank_change_": "Thay đổi xếp hạng so với {}",
    "score_change_": "Thay đổi điểm so với {}",
    "index_change_": "Thay đổi chỉ số so với {}",
}


def result_heading(column: str) -> str:
    """The Vietnamese heading of a column of :func:`result_rows`: ``score`` → "Tổng điểm",
    ``rank_2020`` → "Xếp hạng 2020"; a group's code as it is."""
    if column in RESULT_HEADINGS:
        return RESULT_HEADINGS[column]
    for prefix in ("rank_change_", "score_change_", "index_change_", "rank_"):
        year = column.removeprefix(prefix)
        if year != column and year.isdigit():
            return _YEAR_HEADINGS[prefix].format(year)
    return column


def _number(value: Decimal | None) -> float | int | None:
    if value is None:
        return None
    whole = int(value)
    return whole if whole == value else float(value)


def json_number(value: Decimal | None) -> str:
    """``value`` as a JSON number with its exact decimal value, ``null`` for None.

    A whole number is written without a fraction (``12``), any other as plain positional
    digits without trailing zeros (``12.5``, ``95.29411764705882352941176471``), never with an
    exponent: the text reads back as the same Decimal, and as the nearest binary float. Most
    values are written by ``str()`` as they are (no exponent, a last digit that is not 0); the
    others (``12.50``, ``1E+1``, ``1E-7``, ``-0``) are rewritten by :func:`_exact`."""
    if value is None:
        return "null"
    text = str(value)
    if text[-1] in _NONZERO_DIGITS and "E" not in text and "e" not in text:
        return text
    return _exact(text, value)


def _numbers(values: Iterable[Decimal]) -> list[str]:
    """:func:`json_number` of many values (not None) without a call per value: a unit's
    ≈ 40 group scores, 160,000 in a national cycle."""
    return [
        text
        if (text := str(value))[-1] in _NONZERO_DIGITS and "E" not in text and "e" not in text
        else _exact(text, value)
        for value in values
    ]


_NONZERO_DIGITS = "123456789"


def _exact(text: str, value: Decimal) -> str:
    """The JSON number of ``value`` whose ``str()`` is ``text``, when that text has trailing
    zeros, an exponent (``E``, or ``e`` under a context with ``capitals=0``), or is ``-0``."""
    if not value.is_finite():
        raise ValueError(f"{value} has no JSON number")
    if "E" in text or "e" in text:
        text = format(value, "f")  # positional, every digit of the coefficient
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return "0" if text == "-0" else text


class _Strings(dict[str, str]):
    """JSON string literals by string, each distinct string (codes, tier labels, names)
    escaped once, exactly as ``json.dumps(..., ensure_ascii=False)`` escapes it."""

    def __missing__(self, key: str) -> str:
        literal = self[key] = encode_basestring(key)
        return literal


class _Keys(_Strings):
    """Object keys: the string literal and the separator after it."""

    def __missing__(self, key: str) -> str:
        literal = self[key] = encode_basestring(key) + ": "
        return literal


def _optional_int(value: int | None) -> str:
    return "null" if value is None else str(value)


def _summary_text(summary: Summary, strings: _Strings) -> str:
    best = ", ".join([strings[name] for name in summary.best])
    worst = ", ".join([strings[name] for name in summary.worst])
    return (
        f'{{"count": {summary.count}, "mean": {json_number(summary.mean)},'
        f' "max": {json_number(summary.max)}, "min": {json_number(summary.min)},'
        f' "gap": {json_number(summary.gap)}, "at_or_above_mean": {summary.at_or_above_mean},'
        f' "share_at_or_above_mean": {json_number(summary.share_at_or_above_mean)},'
        f' "best": [{best}], "worst": [{worst}]}}'
    )


def _tiers_text(tiers: tuple[TierCount, ...], strings: _Strings) -> str:
    items = ", ".join(
        [
            f'{{"label": {strings[t.label]}, "count": {t.count}, "share": {json_number(t.share)}}}'
            for t in tiers
        ]
    )
    return f"[{items}]"


def index_of(percent: Decimal | None) -> Decimal | None:
    """A percentage (0–100) as an index (0–1), exactly: the decimal point moved two places."""
    return None if percent is None else percent.scaleb(-2, _WIDE)


_WIDE = Context(prec=100)


def _carried_text(carried: Carried) -> str:
    """The lineage of an earlier result that was another unit's (renamed, merged, split)."""
    earlier = ", ".join(encode_basestring(name) for name in carried.earlier)
    policy = "null" if carried.policy is None else f'"{carried.policy.value}"'
    chosen = "null" if carried.chosen is None else encode_basestring(carried.chosen)
    return (
        f', "carried": {{"how": "{carried.how.value}", "earlier": [{earlier}],'
        f' "policy": {policy}, "chosen": {chosen}}}'
    )


def _unit_text(
    unit: UnitResult,
    nodes_text: tuple[str, str] | None,
    keys: _Keys,
    strings: _Strings,
    ratio: bool = False,
) -> str:
    """``ratio``: the framework displays an index (0–1): ``index`` and ``index_change`` are
    written beside the percentages."""
    groups, group_tiers = nodes_text or ("", "")
    tags = ", ".join([keys[tag] + json_number(r.score) for tag, r in unit.tags.items()])
    excluded = ", ".join([strings[code] for code in unit.excluded])
    previous = ", ".join(
        [
            f'{{"year": {p.year}, "rank": {_optional_int(p.rank)},'
            f' "score": {json_number(p.score)}, "rank_change": {_optional_int(p.rank_change)},'
            f' "score_change": {json_number(p.score_change)}'
            + (
                f', "index": {json_number(index_of(p.percent))},'
                f' "index_change": {json_number(index_of(p.percent_change))}'
                if ratio
                else ""
            )
            + (_carried_text(p.carried) if p.carried is not None else "")
            + "}"
            for p in unit.previous
        ]
    )
    tier = "null" if unit.tier is None else strings[unit.tier]
    reason = "null" if unit.not_ranked_reason is None else strings[unit.not_ranked_reason.value]
    index = f' "index": {json_number(index_of(unit.percent))},' if ratio else ""
    return (
        f'{{"unit": {strings[unit.unit]}, "status": {strings[unit.status.value]},'
        f' "total": {json_number(unit.total)}, "max": {json_number(unit.max)},'
        f' "percent": {json_number(unit.percent)},{index} "tier": {tier},'
        f' "rank": {_optional_int(unit.rank)}, "not_ranked_reason": {reason},'
        f' "groups": {{{groups}}}, "group_tiers": {{{group_tiers}}},'
        f' "not_applicable": [{excluded}], "tags": {{{tags}}},'
        f' "previous": [{previous}]}}'
    )


def _nodes_texts(
    units: tuple[UnitResult, ...], codes: list[str], keys: _Keys, strings: _Strings
) -> list[tuple[str, str] | None]:
    """Each unit's "groups" and "group_tiers" members: read column by column from the
    engine's columns when the unit's results are a row of them, else from its results."""
    columns = next((u.nodes.columns for u in units if type(u.nodes) is UnitNodes), None)
    by_row: list[tuple[str, str]] = []
    if columns is not None:
        present = [code for code in codes if code in columns.index]
        classified = [code for code in present if columns.index[code] in columns.tiers]
        scores = [columns.texts(columns.index[code]) for code in present]
        tiers = [
            [strings[t] if t else None for t in columns.tiers[columns.index[code]]]
            for code in classified
        ]
        count = len(columns.scores)
        by_row = list(
            zip(
                _members(present, scores, keys, count),
                _members(classified, tiers, keys, count),
                strict=True,
            )
        )
    found: list[tuple[str, str] | None] = []
    for unit in units:
        nodes = unit.nodes
        if type(nodes) is UnitNodes and nodes.columns is columns:
            found.append(by_row[nodes.row])
            continue
        points = scores_of(nodes, codes)
        found.append(
            (
                ", ".join(map(add, map(keys.__getitem__, points), _numbers(points.values()))),
                ", ".join(
                    [keys[code] + strings[tier] for code, tier in tiers_of(nodes, codes).items()]
                ),
            )
        )
    return found


def _members(
    codes: list[str], columns: list[list[str | None]], keys: _Keys, count: int
) -> list[str]:
    """Each row's members ``"code": text`` of an object, one per column of ``columns`` (the
    JSON texts of ``codes``, None: no member), in the order of ``codes``."""
    if not codes:
        return [""] * count
    names = [keys[code] for code in codes]
    template = ", ".join([name.replace("%", "%%") + "%s" for name in names])
    return [
        template % row
        if None not in row
        else ", ".join([name + text for name, text in zip(names, row, strict=True) if text])
        for row in zip(*columns, strict=True)
    ]


def _stats_text(stats: BlockStats, keys: _Keys, strings: _Strings) -> str:
    score = _summary_text(stats.score, strings)
    percent = _summary_text(stats.percent, strings)
    groups = ", ".join([keys[code] + _summary_text(s, strings) for code, s in stats.groups.items()])
    group_tiers = ", ".join(
        [keys[code] + _tiers_text(t, strings) for code, t in stats.group_tiers.items()]
    )
    previous = ", ".join(
        [
            f'{{"year": {p.year}, "count": {p.count}, "mean_score": {json_number(p.mean_score)},'
            f' "tiers": {_tiers_text(p.tiers, strings)}}}'
            for p in stats.previous
        ]
    )
    return (
        f'{{"units": {stats.units}, "with_data": {stats.with_data}, "ranked": {stats.ranked},'
        f' "score": {score}, "percent": {percent}, "tiers": {_tiers_text(stats.tiers, strings)},'
        f' "groups": {{{groups}}}, "group_tiers": {{{group_tiers}}}, "previous": [{previous}]}}'
    )


def _ranges_text(found: Robustness | None, block: str, unit: str) -> str:
    if found is None:
        return ""
    ranges = ", ".join(
        f'"{kind}": [{r.low}, {r.high}]' for kind, r in found.of(block, unit).items()
    )
    return f', "robustness": {{{ranges}}}'


def _block_chunks(
    framework: Framework,
    block: BlockResult,
    keys: _Keys,
    strings: _Strings,
    found: Robustness | None = None,
) -> Iterator[str]:
    codes = framework.groups(block.block, parts=True)
    nodes = _nodes_texts(block.units, codes, keys, strings)
    yield (
        f'{{"block": {strings[block.block]}, "name": {strings[block.name]},'
        f' "max": {json_number(block.max)}, "units": ['
    )
    ratio = framework.display.scale == "ratio"
    for i, (unit, node_text) in enumerate(zip(block.units, nodes, strict=True)):
        text = _unit_text(unit, node_text, keys, strings, ratio)
        if found is not None:
            text = text[:-1] + _ranges_text(found, block.block, unit.unit) + "}"
        yield (", " if i else "") + text
    yield f'], "stats": {_stats_text(block.stats, keys, strings)}}}'


def json_chunks(
    framework: Framework, result: CycleResult, found: Robustness | None = None
) -> Iterator[str]:
    """The output of ``chiso score --format json`` (docs/cli.md, "The JSON contract") in
    pieces, a unit at a time, to be written as they come: one line laid out as
    ``json.dumps(..., ensure_ascii=False)`` lays out a document, with every number exact
    (:func:`json_number`). Written directly as text, without dicts, for speed (≈ 200,000
    numbers in a national cycle). ``found``: each unit's rank ranges (``--robustness``)."""
    strings = _Strings()
    keys = _Keys()
    yield f'{{"framework": {strings[result.framework]}, "year": {result.year}, "blocks": ['
    for i, block in enumerate(result.blocks):
        if i:
            yield ", "
        yield from _block_chunks(framework, block, keys, strings, found)
    yield f'], "overall": {_summary_text(result.overall, strings)}'
    if found is not None:
        p = found.perturbation
        yield (
            f', "robustness": {{"draws": {p.draws}, "spread": {json_number(p.spread)},'
            f' "seed": {p.seed}, "percentiles": [{p.percentiles[0]}, {p.percentiles[1]}]}}'
        )
    yield "}"


def json_text(framework: Framework, result: CycleResult) -> str:
    """:func:`json_chunks` as one text."""
    return "".join(json_chunks(framework, result))


def result_rows(
    framework: Framework, result: CycleResult, *, words: bool = False
) -> list[dict[str, Any]]:
    """One flat row per unit; the columns ``unit, block, year, rank, score, percent, tier``
    (and ``index`` of a framework that displays one) make the file readable as ``--previous``
    next year. Numbers are the core's exact
    Decimals: :func:`write_csv` writes them exactly, :func:`write_xlsx` as spreadsheet
    numbers (:func:`sheet_value`). ``not_ranked_reason``: the reason's code, or with
    ``words`` (a workbook's results sheet) as the tables say it (:data:`NOT_RANKED_WORDS`)."""
    reasons: dict[NotRankedReason, str] = (
        NOT_RANKED_WORDS if words else {reason: reason.value for reason in NotRankedReason}
    )
    codes: list[str] = []
    for block in result.blocks:
        codes += [c for c in framework.groups(block.block, parts=True) if c not in codes]
    years = sorted(
        {p.year for b in result.blocks for u in b.units for p in u.previous}, reverse=True
    )
    ratio = framework.display.scale == "ratio"
    rows = []
    for block in result.blocks:
        maxima = framework.max_for(block.block)
        block_codes = framework.groups(block.block, parts=True)
        for unit in block.units:
            row: dict[str, Any] = {
                "unit": unit.unit,
                "block": block.block,
                "year": result.year,
                "rank": unit.rank,
                "score": unit.total,
                "max": unit.max,
                "percent": unit.percent,
                **({"index": index_of(unit.percent)} if ratio else {}),
                "tier": unit.tier,
                "not_ranked_reason": reasons[unit.not_ranked_reason]
                if unit.not_ranked_reason
                else None,
            }
            # an empty cell, not 0, for a group the unit is not scored on
            excluded = unit.not_scored(block_codes, maxima)
            for code in codes:
                node = unit.nodes.get(code)
                row[code] = node.score if node and code not in excluded else None
            by_year = {p.year: p for p in unit.previous}
            for year in years:
                p = by_year.get(year)
                row[f"rank_{year}"] = p.rank if p else None
                row[f"rank_change_{year}"] = p.rank_change if p else None
                row[f"score_change_{year}"] = p.score_change if p else None
                if ratio:
                    row[f"index_change_{year}"] = index_of(p.percent_change) if p else None
            rows.append(row)
    return rows


def _csv_cell(value: object) -> object:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return json_number(value)
    return quote(value)


def write_csv(rows: list[dict[str, Any]]) -> str:
    """The rows as CSV; a Decimal is written exactly, in plain digits (:func:`json_number`),
    a text that a spreadsheet would run as a formula with an apostrophe before it
    (:func:`chiso.io.cells.quote`)."""
    buffer = io.StringIO()
    if rows:
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow([quote(name) for name in rows[0]])
        writer.writerows([_csv_cell(v) for v in row.values()] for row in rows)
    return buffer.getvalue()


def sheet_value(value: object) -> object:
    """A cell's value for a spreadsheet: a Decimal becomes a number (an int when whole, else
    the nearest binary float, all that a spreadsheet cell holds); anything else is kept."""
    return _number(value) if isinstance(value, Decimal) else value


def sheet_row(sheet: Any, values: Iterable[object]) -> list[Any]:
    """A row for ``sheet``.append: numbers as numbers (:func:`sheet_value`), text as text,
    never as a formula (:func:`chiso.io.cells.sheet_text`)."""
    return [sheet_text(sheet, sheet_value(value)) for value in values]


def write_xlsx(
    rows: list[dict[str, Any]],
    path: str | Path | IO[bytes],
    *,
    title: str = RESULTS_SHEET,
    more: Sequence[tuple[str, list[dict[str, Any]]]] = (),
) -> None:
    """``rows`` in the first sheet, ``title``; ``more``: further sheets, by title (a reader
    of the data reads the first)."""
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    sheet.title = title
    for index, (name, table) in enumerate([(title, rows), *more]):
        if index:
            sheet = workbook.create_sheet(name)
        if table:
            sheet.append(sheet_row(sheet, table[0]))
            for row in table:
                sheet.append(sheet_row(sheet, row.values()))
    workbook.save(path)
