"""The unit-data and previous-results files of ``chiso score`` (docs/cli.md describes them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

from chiso.core import (
    Answer,
    CycleResult,
    Framework,
    InvalidData,
    PreviousResult,
    Status,
    UnitData,
    score,
)
from chiso.core.framework import (
    BandsRule,
    ChoiceRule,
    CountRule,
    InfoRule,
    PointsRule,
    ProportionalRule,
    RelativeRule,
    YesNoEvidenceRule,
    YesNoRule,
)
from chiso.core.numbers import parse_decimal
from chiso.core.tiers import normalize_name
from chiso.io.tables import DataError, Row, Table, read_table

__all__ = ["UnitFile", "data_rows", "read_previous", "read_units", "score_files"]

RESERVED = {"unit", "block", "status", "not_applicable", "note", "name", "order"}
EVIDENCE_SUFFIX = ":evidence"
_YES = {"1", "có", "co", "yes", "y", "x", "true", "đạt", "dat"}
_NO = {"0", "không", "khong", "no", "n", "false", "không đạt", "khong dat"}
_NOT_APPLICABLE = {"na", "n/a", "không áp dụng", "khong ap dung", "kad"}
_STATUSES = {
    "": Status.SUBMITTED,
    "submitted": Status.SUBMITTED,
    "voluntary": Status.VOLUNTARY,
    "no_data": Status.NO_DATA,
}


@dataclass(frozen=True, slots=True)
class UnitFile:
    """Units read from a data file, with where each came from (for error messages)."""

    table: Table
    units: list[UnitData]
    rows: dict[str, int]
    """Row number of each unit (by normalized name)."""


def read_units(framework: Framework, path: str | Path, encoding: str | None = None) -> UnitFile:
    table = read_table(path, encoding)
    single_block = framework.blocks[0].code if len(framework.blocks) == 1 else None
    required = ["unit"] if single_block else ["unit", "block"]
    for name in required:
        if name not in table.columns:
            raise table.error(f"missing column {name!r}", 1)
    codes = _answer_columns(framework, table)
    numeric = _numeric_codes(framework, codes)
    with_evidence = frozenset(c for c in codes if c + EVIDENCE_SUFFIX in table.columns)
    parsers = {code: _parser(framework, code) for code in codes}
    if not table.rows:
        raise table.error("no units: the file has only a header", 1)
    units: list[UnitData] = []
    rows: dict[str, int] = {}
    for row in table.rows:
        name = row.cells["unit"]
        if not name:
            raise table.error("the unit has no name", row.number, "unit")
        key = normalize_name(name)
        if key in rows:
            raise table.error(
                f"unit {name!r} appears twice (first on row {rows[key]})", row.number, "unit"
            )
        rows[key] = row.number
        block = row.cells.get("block") or single_block or ""
        if not framework.has_block(block):
            known = ", ".join(b.code for b in framework.blocks)
            raise table.error(f"unknown block {block!r} (known: {known})", row.number, "block")
        status_text = row.cells.get("status", "").strip().lower()
        if status_text not in _STATUSES:
            raise table.error(
                f"unknown status {status_text!r} (voluntary, no_data or empty)",
                row.number,
                "status",
            )
        status = _STATUSES[status_text]
        answers = (
            {}
            if status is Status.NO_DATA
            else _answers(framework, table, row, codes, numeric, with_evidence, parsers)
        )
        units.append(UnitData(name, block, answers, status))
    _check_coverage(framework, table, codes, {unit.block for unit in units})
    return UnitFile(table, units, rows)


def _answer_columns(framework: Framework, table: Table) -> list[str]:
    codes = []
    for column in table.columns:
        if column in RESERVED:
            continue
        code = column.removesuffix(EVIDENCE_SUFFIX)
        if not framework.has_node(code):
            raise table.error("unknown criterion code (not in the framework)", 1, column)
        if column.endswith(EVIDENCE_SUFFIX):
            if code not in table.columns:
                raise table.error(f"evidence of {code} without a column {code!r}", 1, column)
            continue
        codes.append(code)
    return codes


_NUMERIC_START = frozenset("0123456789.-+")
_NUMERIC_RULES = (PointsRule, BandsRule, ProportionalRule, CountRule, RelativeRule)


def _numeric_codes(framework: Framework, codes: list[str]) -> frozenset[str]:
    """Criteria whose cells are numbers: groups and the rules scored on a number."""
    result = set()
    for code in codes:
        node = framework.node(code)
        if not node.is_leaf or isinstance(node.effective_rule, _NUMERIC_RULES):
            result.add(code)
    return frozenset(result)


def _answers(
    framework: Framework,
    table: Table,
    row: Row,
    codes: list[str],
    numeric: frozenset[str],
    with_evidence: frozenset[str],
    parsers: dict[str, Parser],
) -> dict[str, Answer]:
    answers: dict[str, Answer] = {}
    declared = _not_applicable_list(framework, table, row)
    for code in declared:
        answers[code] = Answer(not_applicable=True)
    cells = row.cells
    for code in codes:
        text = cells[code]
        if not text:
            continue
        if not declared and text[0] in _NUMERIC_START and code in numeric:
            # the common case, a plain number for a criterion scored on numbers
            try:
                number = Decimal(text)
            except ArithmeticError:
                pass
            else:
                if number.is_finite() and code not in with_evidence:
                    answers[code] = Answer(number)
                    continue
        if text[0] in "nNkK" and text.strip().lower() in _NOT_APPLICABLE:
            answers[code] = Answer(not_applicable=True)
            continue
        excluded = (
            [c for c in [code, *framework.ancestors(code)] if c in declared] if declared else []
        )
        if excluded:
            raise table.error(
                f"{text!r} given, but {excluded[0]} is declared not applicable in column"
                " 'not_applicable'",
                row.number,
                code,
            )
        evidence_text = cells.get(code + EVIDENCE_SUFFIX, "")
        evidence = _yes_no(evidence_text) if evidence_text else False
        if evidence is None:
            raise table.error(
                f"{evidence_text!r} is not yes or no", row.number, code + EVIDENCE_SUFFIX
            )
        try:
            answers[code] = parsers[code](text, evidence)
        except ValueError as error:
            raise table.error(str(error), row.number, code) from None
    return answers


def _not_applicable_list(framework: Framework, table: Table, row: Row) -> list[str]:
    text = row.cells.get("not_applicable", "")
    codes = [code for code in re.split(r"[;,\s]+", text) if code]
    for code in codes:
        if not framework.has_node(code):
            raise table.error(f"unknown criterion code {code!r}", row.number, "not_applicable")
        if not framework.node(code).not_applicable:
            raise table.error(
                f"criterion {code} cannot be declared not applicable", row.number, "not_applicable"
            )
    return codes


Parser = Callable[[str, bool], Answer]


def _parser(framework: Framework, code: str) -> Parser:
    """How the cells of one criterion's column are read, chosen once per file."""
    node = framework.node(code)
    rule = node.effective_rule if node.is_leaf else None
    if isinstance(rule, ChoiceRule):
        return _choice_answer
    if isinstance(rule, (YesNoRule, YesNoEvidenceRule)):
        return _yes_no_answer
    if isinstance(rule, InfoRule):
        return _info_answer
    return _number_answer


def _choice_answer(text: str, evidence: bool) -> Answer:
    return Answer(text, evidence=evidence)


_ANSWERS = {
    (flag, evidence): Answer(Decimal(int(flag)), evidence=evidence)
    for flag in (True, False)
    for evidence in (True, False)
}


def _yes_no_answer(text: str, evidence: bool) -> Answer:
    flag = _yes_no(text)
    if flag is None:
        raise ValueError(f"{text!r} is not yes or no (có/không, 1/0)")
    return _ANSWERS[(flag, evidence)]


def _info_answer(text: str, evidence: bool) -> Answer:
    try:
        return Answer(parse_decimal(text), evidence=evidence)
    except ValueError:
        return Answer(text, evidence=evidence)


def _number_answer(text: str, evidence: bool) -> Answer:
    """A number, a percentage ("75%") or a ratio ("45/60")."""
    if "/" in text:
        numerator, _, denominator = text.partition("/")
        try:
            return Answer(parse_decimal(numerator), parse_decimal(denominator), evidence)
        except ValueError:
            raise ValueError(f"{text!r} is not a ratio like 45/60") from None
    try:
        return Answer(parse_decimal(text.removesuffix("%")), evidence=evidence)
    except ValueError:
        raise ValueError(f"{text!r} is not a number") from None


def _yes_no(text: str) -> bool | None:
    lowered = text.strip().lower()
    if lowered in _YES:
        return True
    if lowered in _NO:
        return False
    return None


def _check_coverage(framework: Framework, table: Table, codes: list[str], blocks: set[str]) -> None:
    """Every criterion of the blocks in the file must have a column, itself or a group of it."""
    given = set(codes)
    for block in framework.blocks:
        if block.code not in blocks:
            continue
        maxima = framework.max_for(block.code)
        for code, node in framework.nodes.items():
            if code not in maxima or not node.is_leaf or isinstance(node.rule, InfoRule):
                continue
            if code in given or any(a in given for a in framework.ancestors(code)):
                continue
            path = " or ".join([code, *framework.ancestors(code)])
            raise table.error(f"missing column for criterion {path} (block {block.code})", 1)


def read_previous(paths: Sequence[str | Path], encoding: str | None = None) -> list[PreviousResult]:
    results = []
    seen: dict[tuple[int, str], tuple[str, int]] = {}
    for path in paths:
        table = read_table(path, encoding)
        for name in ("unit", "block", "year", "rank", "score"):
            if name not in table.columns:
                raise table.error(f"missing column {name!r}", 1)
        for row in table.rows:
            cells = row.cells
            if not cells["unit"]:
                raise table.error("the unit has no name", row.number, "unit")
            try:
                year = int(cells["year"])
            except ValueError:
                raise table.error(f"{cells['year']!r} is not a year", row.number, "year") from None
            rank = _optional_int(table, row.number, "rank", cells["rank"])
            key = (year, normalize_name(cells["unit"]))
            if key in seen:
                source, number = seen[key]
                first = f"row {number}" if source == table.source else f"{source}, row {number}"
                raise table.error(
                    f"unit {cells['unit']!r} appears twice for {year} (first on {first})",
                    row.number,
                    "unit",
                )
            seen[key] = (table.source, row.number)
            results.append(
                PreviousResult(
                    unit=cells["unit"],
                    block=cells["block"],
                    year=year,
                    rank=rank,
                    score=_optional_decimal(table, row.number, "score", cells["score"]),
                    percent=_optional_decimal(
                        table, row.number, "percent", cells.get("percent", "")
                    ),
                    tier=cells.get("tier") or None,
                )
            )
    return results


def _optional_int(table: Table, number: int, column: str, text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(parse_decimal(text))
    except ValueError:
        raise table.error(f"{text!r} is not a rank", number, column) from None
    if value < 1 or value != parse_decimal(text):
        raise table.error(f"{text!r} is not a rank (1, 2, 3 …)", number, column)
    return value


def _optional_decimal(table: Table, number: int, column: str, text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        raise table.error(f"{text!r} is not a number", number, column) from None


def score_files(
    framework: Framework,
    data: str | Path,
    previous: Sequence[str | Path] = (),
    encoding: str | None = None,
) -> CycleResult:
    """Read, check and score; any problem is a :class:`DataError` naming file, row and column."""
    unit_file = read_units(framework, data, encoding)
    history = read_previous(previous, encoding)
    try:
        return score(framework, unit_file.units, history)
    except InvalidData as error:
        row = unit_file.rows.get(normalize_name(error.unit)) if error.unit else None
        column = error.code
        if column is not None and column not in unit_file.table.columns:
            column = "not_applicable"
        source = unit_file.table.source if row is not None else ", ".join(map(str, previous))
        raise DataError(source or str(data), error.message, row, column) from None


def data_rows(framework: Framework, units: Sequence[UnitData]) -> list[dict[str, str]]:
    """Units as rows of a data file that :func:`read_units` reads back to the same answers.

    Columns: unit, block, status, not_applicable, then in the framework's order every
    criterion of the blocks present (and any group answered directly), and ``CODE:evidence``
    for the criteria whose score depends on evidence. Ratios are written ``45/60``, yes/no
    ``1``/``0``, numbers with a decimal point.
    """
    blocks = {unit.block for unit in units}
    answered = {code for unit in units for code in unit.answers}
    codes: list[str] = []
    for code, node in framework.nodes.items():
        in_block = any(code in framework.max_for(block) for block in blocks)
        if in_block and (node.is_leaf or code in answered):
            codes.append(code)
            if node.is_leaf and isinstance(node.effective_rule, YesNoEvidenceRule):
                codes.append(code + EVIDENCE_SUFFIX)
    rows = []
    for unit in units:
        row = {
            "unit": unit.unit,
            "block": unit.block,
            "status": "" if unit.status is Status.SUBMITTED else unit.status.value,
            "not_applicable": ";".join(c for c, a in unit.answers.items() if a.not_applicable),
        }
        for column in codes:
            code = column.removesuffix(EVIDENCE_SUFFIX)
            answer = unit.answers.get(code)
            if answer is None or answer.not_applicable:
                row[column] = ""
            elif column.endswith(EVIDENCE_SUFFIX):
                row[column] = "1" if answer.evidence else "0"
            else:
                row[column] = _cell(answer)
        rows.append(row)
    return rows


def _cell(answer: Answer) -> str:
    value = answer.value
    if value is None:
        return ""
    text = value if isinstance(value, str) else _plain(value)
    return f"{text}/{_plain(answer.denominator)}" if answer.denominator is not None else text


def _plain(number: Decimal) -> str:
    text = format(number, "f")
    return text.rstrip("0").rstrip(".") if "." in text else text
