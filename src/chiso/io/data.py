"""The unit-data and previous-results files of ``chiso score`` (docs/cli.md describes them)."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from decimal import Context, Decimal, InvalidOperation
from pathlib import Path
from typing import Any

import numpy as np

from chiso.core import (
    Answer,
    AnswerColumn,
    AnswerTable,
    CycleResult,
    Framework,
    InvalidData,
    PreviousResult,
    RowAnswers,
    Status,
    UnitData,
    score,
)
from chiso.core.framework import (
    ChoiceRule,
    InfoRule,
    YesNoEvidenceRule,
    YesNoRule,
)
from chiso.core.lineage import MergePolicy
from chiso.core.messages import Message, message_of
from chiso.core.model import NO_ANSWER
from chiso.core.numbers import (
    NumberOutOfBounds,
    bounded_answer,
    parse_answer_number,
    parse_decimal,
)
from chiso.core.scoring import unmatched_previous
from chiso.core.tiers import match_tier, normalize_name, tier_labels
from chiso.io.cells import yes_no
from chiso.io.lineage import check_lineage, read_lineage
from chiso.io.results import NOT_RANKED_WORDS, RESULT_HEADINGS, RESULTS_SHEET
from chiso.io.tables import (
    UNREAD_COLUMNS,
    DataError,
    Grid,
    Names,
    clean,
    missing_column,
    read_grid,
    reserved_names,
)

__all__ = ["FLOAT_DIGITS", "UnitFile", "read_previous", "read_units", "score_files"]

RESERVED = {"unit", "block", "status", "not_applicable", "note", "name", "order"}
FLOAT_DIGITS = 15
"""The significant digits that a binary float (a spreadsheet's number) keeps of any decimal."""
PREVIOUS_COLUMNS = {
    "unit",
    "block",
    "year",
    "rank",
    "score",
    "percent",
    "index",
    "tier",
    "not_ranked_reason",
}
_PREVIOUS_NAMES = reserved_names(
    PREVIOUS_COLUMNS,
    # the report workbook's results sheet heads its columns in Vietnamese
    aliases={RESULT_HEADINGS[name].lower(): name for name in PREVIOUS_COLUMNS},
)
_NOT_RANKED_REASONS = {
    normalize_name(text)
    for reason, words in NOT_RANKED_WORDS.items()
    for text in (reason.value, words)
}
"""What a results file says of a unit not ranked: the reason in words (the results sheet of a
workbook), or its code (the CSV, and a workbook written before the sheet said it in words)."""
EVIDENCE_SUFFIX = ":evidence"
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

    source: str
    columns: list[str]
    units: list[UnitData]
    rows: dict[str, int]
    """Row number of each unit (by normalized name)."""


class _CellError(ValueError):
    def __init__(self, message: str, column: str) -> None:
        super().__init__(message)
        self.message = message
        self.column = column


class _Column(dict[str | tuple[str, str], int]):
    """A criterion's column: each distinct answer read in it so far (``answers``, the
    position 0 standing for no answer) and, for each distinct cell text, its answer's position.

    Looking a cell up reads it the first time only: a column of yes/no answers or small
    numbers has a handful of texts for thousands of units. Answers are immutable, so units
    that gave the same text share one. Keys are the cell as read, or (cell, evidence cell)
    when the criterion has an evidence column.
    """

    __slots__ = ("answers", "code", "evidence", "index", "parser")

    def __init__(self, code: str, index: int, evidence: int | None, parser: Parser) -> None:
        super().__init__()
        self.code = code
        self.index = index
        self.evidence = evidence
        """Index of the ``CODE:evidence`` column, if there is one."""
        self.parser = parser
        self.answers: list[Answer] = [NO_ANSWER]

    def __missing__(self, key: str | tuple[str, str]) -> int:
        # one call per distinct cell text (≈ 150,000 in a national cycle): kept lean
        raw, raw_evidence = (key, "") if isinstance(key, str) else key
        text = raw.strip()
        if not text:
            position = 0
        else:
            if not text.isascii():
                text = clean(text)
            answers = self.answers
            position = len(answers)
            if text[0] in "nNkK" and text.lower() in _NOT_APPLICABLE:
                answers.append(_NOT_APPLICABLE_ANSWER)
            elif raw_evidence:
                answers.append(self.parse(text, raw_evidence))
            else:
                try:
                    answers.append(self.parser(text, False))
                except ValueError as error:
                    raise _CellError(message_of(error), self.code) from None
        self[key] = position
        return position

    def read(
        self, texts: Sequence[str], known: dict[str, Answer], blanks: set[str]
    ) -> AnswerColumn:
        """The column of cells ``texts`` (no evidence column), each distinct text read once:
        ``known`` holds the answers of the texts read so far by this column's parser, in any
        column (an empty cell's text is in ``blanks``). The distinct texts are looked up and
        numbered in bulk: a national cycle has some 150,000 of them."""
        distinct = dict.fromkeys(texts)
        parser = self.parser
        for raw in [raw for raw in distinct if raw not in known]:
            # a cell without evidence, read here: a call per distinct text costs too much
            text = raw.strip()
            if not text:
                blanks.add(raw)
                known[raw] = NO_ANSWER  # never looked up: the text is taken out below
                continue
            if not text.isascii():
                text = clean(text)
            if text[0] in "nNkK" and text.lower() in _NOT_APPLICABLE:
                known[raw] = _NOT_APPLICABLE_ANSWER
                continue
            try:
                known[raw] = parser(text, False)
            except ValueError as error:
                raise _CellError(message_of(error), self.code) from None
        for raw in blanks.intersection(distinct):
            del distinct[raw]
        answers = [NO_ANSWER, *map(known.__getitem__, distinct)]
        positions = dict(zip(distinct, range(1, len(answers)), strict=True))
        positions.update(dict.fromkeys(blanks, 0))
        return AnswerColumn(answers, _positions(map(positions.__getitem__, texts), len(texts)))

    def parse(self, text: str, raw_evidence: str) -> Answer:
        """The answer of a cell that is neither empty nor "not applicable"."""
        evidence_text = clean(raw_evidence) if raw_evidence else ""
        evidence = yes_no(evidence_text) if evidence_text else False  # blank: no evidence
        if evidence is None:
            raise _CellError(
                Message("{text!r} is not yes or no", text=evidence_text),
                self.code + EVIDENCE_SUFFIX,
            )
        try:
            return self.parser(text, evidence)
        except ValueError as error:
            raise _CellError(message_of(error), self.code) from None


_NOT_APPLICABLE_ANSWER = Answer(not_applicable=True)


def _positions(positions: Iterable[int], count: int) -> Any:
    """A column's positions as the engine takes them: an array, without a list of a
    national cycle's 570,000 integers on the way."""
    return np.fromiter(positions, dtype=np.intp, count=count)


@dataclass(frozen=True, slots=True)
class _Row:
    """What a row says besides its answers."""

    number: int
    name: str
    block: str
    status: Status
    declared: list[str] | None
    """Criteria the row declares not applicable (None: none)."""


def read_units(framework: Framework, path: str | Path, encoding: str | None = None) -> UnitFile:
    reader = _Reader(framework, read_grid(path, encoding, _data_names(framework), _read))
    try:
        return reader.by_column()
    except (DataError, _CellError):
        # the first problem in the file's order (row by row, cells left to right)
        return reader.by_row()


def _read(column: str) -> bool:
    return column not in UNREAD_COLUMNS


def _data_names(framework: Framework) -> Names:
    """The names of a data file's columns: the reserved ones (``unit``, ``block`` …) and the
    suffix ``:evidence`` in any case (``UNIT``, ``Unit``), criterion codes as written."""
    return reserved_names(RESERVED, as_written=framework.has_node, suffix=EVIDENCE_SUFFIX)


class _Reader:
    """Reads the units of a data file, with its columns' parsers (one per criterion)."""

    def __init__(self, framework: Framework, grid: Grid) -> None:
        self.framework = framework
        self.grid = grid
        index = {name: i for i, name in enumerate(grid.columns)}
        self.single_block = framework.blocks[0].code if len(framework.blocks) == 1 else None
        required = ["unit"] if self.single_block else ["unit", "block"]
        for name in required:
            if name not in index:
                raise grid.error(Message("missing column {name!r}", name=name), 1)
        self.codes = _answer_columns(framework, grid)
        numbers = _Numbers()  # one for all the columns of numbers
        self.columns = [
            _Column(
                code,
                index[code],
                index.get(code + EVIDENCE_SUFFIX),
                _parser(framework, code, numbers),
            )
            for code in self.codes
        ]
        if not grid.rows:
            raise grid.error(Message("no units: the file has only a header"), 1)
        self.reserved = [index.get(name) for name in ("unit", "block", "status", "not_applicable")]
        self.answer_at = [(i, name) for i, name in enumerate(grid.columns) if name not in RESERVED]
        """Index and name of every column of answers and evidence, left to right."""
        self.rows: dict[str, int] = {}

    def row(self, number: int, cells: list[str]) -> _Row:
        """Check the row's unit, block, status and declarations."""
        framework, grid = self.framework, self.grid
        unit_at, block_at, status_at, declared_at = self.reserved
        assert unit_at is not None
        name = clean(cells[unit_at])
        if not name:
            raise grid.error(Message("the unit has no name"), number, "unit")
        key = normalize_name(name)
        if key in self.rows:
            raise grid.error(
                Message(
                    "unit {name!r} appears twice (first on row {first})",
                    name=name,
                    first=self.rows[key],
                ),
                number,
                "unit",
            )
        self.rows[key] = number
        block = _block(
            framework, grid, number, clean(cells[block_at]) if block_at is not None else ""
        )
        status_text = clean(cells[status_at]).lower() if status_at is not None else ""
        if status_text not in _STATUSES:
            raise grid.error(
                Message("unknown status {text!r} (voluntary, no_data or empty)", text=status_text),
                number,
                "status",
            )
        status = _STATUSES[status_text]
        declared_text = clean(cells[declared_at]) if declared_at is not None else ""
        declared = None
        if declared_text and status is not Status.NO_DATA:
            declared = _not_applicable_list(framework, grid, number, declared_text)
        return _Row(number, name, block, status, declared)

    def check_no_answers(self, number: int, cells: list[str]) -> None:
        """A unit without data (status ``no_data``) has no answers and no evidence."""
        for at, column in self.answer_at:
            text = cells[at]
            if text and not text.isspace():
                raise self.grid.error(
                    Message(
                        "{text!r} given, but the unit's status is 'no_data' (it did not"
                        " report: leave its answers empty)",
                        text=clean(text),
                    ),
                    number,
                    column,
                )

    def by_column(self) -> UnitFile:
        """Read the rows, then each criterion's column in one pass (any problem: raised, and
        :meth:`by_row` finds the first one)."""
        grid = self.grid
        self.rows = {}
        rows = [self.row(number, cells) for number, cells in grid.rows]
        cells_by_column = list(zip(*(cells for _, cells in grid.rows), strict=True))
        for i, row in enumerate(rows):
            if row.status is Status.NO_DATA:
                self.check_no_answers(*grid.rows[i])  # so their columns hold no answers
        table = AnswerTable(len(rows))
        known: dict[Parser, dict[str, Answer]] = {}  # by parser: the texts read
        blanks: set[str] = set()
        for column in self.columns:
            texts = cells_by_column[column.index]
            if column.evidence is None:
                parsed = known.setdefault(column.parser, {})
                table.columns[column.code] = column.read(texts, parsed, blanks)
                continue
            keys = list(zip(texts, cells_by_column[column.evidence], strict=True))
            picks = _positions(map(column.__getitem__, keys), len(keys))
            table.columns[column.code] = AnswerColumn(column.answers, picks)
        covered: dict[str, list[AnswerColumn]] = {}
        declared_at: dict[str, int] = {}
        for i, row in enumerate(rows):
            for code in row.declared or ():
                if code not in covered:
                    covered[code] = [
                        table.columns[c.code]
                        for c in self.columns
                        if c.code == code or code in self.framework.ancestors(c.code)
                    ]
                for part in covered[code]:
                    answer = part.answers[part.picks[i]]
                    if answer is not NO_ANSWER and not answer.not_applicable:
                        # by_row names the cell and the declaration (read_units falls back)
                        raise grid.error(
                            Message("an answer under a criterion declared not applicable")
                        )
                declared = table.column(code)
                if code not in declared_at:
                    declared_at[code] = len(declared.answers)
                    declared.answers.append(_NOT_APPLICABLE_ANSWER)
                declared.picks[i] = declared_at[code]
        units = [
            UnitData(row.name, row.block, RowAnswers(table, i), row.status)
            for i, row in enumerate(rows)
        ]
        _check_coverage(self.framework, grid, self.codes, {unit.block for unit in units})
        return UnitFile(grid.source, grid.columns, units, self.rows)

    def by_row(self) -> UnitFile:
        """Read row by row, each row's cells left to right: the first problem in the file's
        order is the one raised."""
        framework, grid, columns = self.framework, self.grid, self.columns
        self.rows = {}
        positions = [column.index for column in columns]
        with_evidence = [(i, c.evidence) for i, c in enumerate(columns) if c.evidence is not None]
        units: list[UnitData] = []
        for number, cells in grid.rows:
            row = self.row(number, cells)
            if row.status is Status.NO_DATA:
                self.check_no_answers(number, cells)
                answers: dict[str, Answer] = {}
            elif row.declared:
                answers = _declaring_answers(framework, grid, number, cells, columns, row.declared)
            else:
                keys: list[str | tuple[str, str]] = [cells[i] for i in positions]
                for position, evidence_at in with_evidence:
                    keys[position] = (cells[positions[position]], cells[evidence_at])
                answers = {}
                for code, column, key in zip(self.codes, columns, keys, strict=True):
                    try:
                        position = column[key]
                    except _CellError as error:
                        raise grid.error(error.message, number, error.column) from None
                    if position:
                        answers[code] = column.answers[position]
            units.append(UnitData(row.name, row.block, answers, row.status))
        _check_coverage(framework, grid, self.codes, {unit.block for unit in units})
        return UnitFile(grid.source, grid.columns, units, self.rows)


def _block(framework: Framework, grid: Grid, number: int, text: str) -> str:
    """A row's block: one of the framework's (an empty cell: the only one, if it has one)."""
    if not text and len(framework.blocks) == 1:
        return framework.blocks[0].code
    if not framework.has_block(text):
        known = ", ".join(b.code for b in framework.blocks)
        raise grid.error(
            Message("unknown block {text!r} (known: {known})", text=text, known=known),
            number,
            "block",
        )
    return text


def _answer_columns(framework: Framework, grid: Grid) -> list[str]:
    codes = []
    for column in grid.columns:
        if column in RESERVED:
            continue
        code = column.removesuffix(EVIDENCE_SUFFIX)
        if not framework.has_node(code):
            raise grid.error(Message("unknown criterion code (not in the framework)"), 1, column)
        if column.endswith(EVIDENCE_SUFFIX):
            if code not in grid.columns:
                raise grid.error(
                    Message("evidence of {code} without a column {code!r}", code=code), 1, column
                )
            continue
        codes.append(code)
    return codes


def _is_not_applicable(text: str) -> bool:
    return text[0] in "nNkK" and text.strip().lower() in _NOT_APPLICABLE


def _declaring_answers(
    framework: Framework,
    grid: Grid,
    number: int,
    cells: list[str],
    columns: list[_Column],
    declared: list[str],
) -> dict[str, Answer]:
    """The answers of a row that declares criteria not applicable: no answer may be given
    for them or their parts."""
    answers = {code: _NOT_APPLICABLE_ANSWER for code in declared}
    for column in columns:
        text = clean(cells[column.index])
        if not text:
            continue
        if _is_not_applicable(text):
            answers[column.code] = _NOT_APPLICABLE_ANSWER
            continue
        excluded = [c for c in [column.code, *framework.ancestors(column.code)] if c in declared]
        if excluded:
            raise grid.error(
                Message(
                    "{text!r} given, but {code} is declared not applicable in column"
                    " 'not_applicable'",
                    text=text,
                    code=excluded[0],
                ),
                number,
                column.code,
            )
        evidence = cells[column.evidence] if column.evidence is not None else ""
        try:
            answers[column.code] = column.parse(text, evidence)
        except _CellError as error:
            raise grid.error(error.message, number, error.column) from None
    return answers


def _not_applicable_list(framework: Framework, grid: Grid, number: int, text: str) -> list[str]:
    codes = [code for code in re.split(r"[;,\s]+", text) if code]
    for code in codes:
        if not framework.has_node(code):
            raise grid.error(
                Message("unknown criterion code {code!r}", code=code), number, "not_applicable"
            )
        if not framework.node(code).not_applicable:
            raise grid.error(
                Message("criterion {code} cannot be declared not applicable", code=code),
                number,
                "not_applicable",
            )
    return codes


Parser = Callable[[str, bool], Answer]


def _parser(framework: Framework, code: str, numbers: Parser) -> Parser:
    """How the cells of one criterion's column are read, chosen once per file (``numbers``:
    how a number is read)."""
    node = framework.node(code)
    rule = node.effective_rule if node.is_leaf else None
    if isinstance(rule, ChoiceRule):
        return _choice_answer
    if isinstance(rule, (YesNoRule, YesNoEvidenceRule)):
        return _yes_no_answer
    if isinstance(rule, InfoRule):
        return _info_answer
    return numbers


def _choice_answer(text: str, evidence: bool) -> Answer:
    return Answer(text, evidence=evidence)


_ANSWERS = {
    (flag, evidence): Answer(Decimal(int(flag)), evidence=evidence)
    for flag in (True, False)
    for evidence in (True, False)
}


def _yes_no_answer(text: str, evidence: bool) -> Answer:
    flag = yes_no(text)  # never blank: a blank cell is no answer
    if flag is None:
        raise ValueError(Message("{text!r} is not yes or no (có/không, 1/0)", text=text))
    return _ANSWERS[(flag, evidence)]


def _info_answer(text: str, evidence: bool) -> Answer:
    try:
        return Answer(parse_decimal(text), evidence=evidence)
    except ValueError:
        return Answer(text, evidence=evidence)


def _number_answer(text: str, evidence: bool) -> Answer:
    """A number, a percentage ("75%") or a ratio ("45/60")."""
    # the common case first: numbers as Decimal reads them ("45.2", "75%", "45/60")
    numerator, slash, denominator = text.removesuffix("%").partition("/")
    try:
        value = Decimal(numerator)
        if slash:
            if text[-1] != "%" and value.is_finite():
                below = Decimal(denominator)
                if below.is_finite():
                    return Answer(
                        bounded_answer(value, numerator),
                        bounded_answer(below, denominator),
                        evidence,
                    )
        elif value.is_finite():
            return Answer(bounded_answer(value, numerator), None, evidence)
    except InvalidOperation:
        pass
    if "/" in text:
        numerator, _, denominator = text.partition("/")
        try:
            return Answer(
                parse_answer_number(numerator), parse_answer_number(denominator), evidence
            )
        except NumberOutOfBounds:
            raise
        except ValueError:
            raise ValueError(Message("{text!r} is not a ratio like 45/60", text=text)) from None
    try:
        return Answer(parse_answer_number(text.removesuffix("%")), evidence=evidence)
    except NumberOutOfBounds:
        raise
    except ValueError:
        raise ValueError(Message("{text!r} is not a number", text=text)) from None


class _Numbers:
    """:func:`_number_answer`, each distinct text read once for all the columns of a file
    (an answer is immutable: criteria and units that gave the same text share one), and each
    number once: a national cycle has some 150,000 distinct cells of numbers, most of them
    ratios whose numerators and denominators are a few hundred numbers."""

    __slots__ = ("parts",)

    def __init__(self) -> None:
        self.parts: dict[str, Decimal | None] = {}
        """A number as written: what ``Decimal`` reads of it, within an answer's bounds, or
        None when that is not a finite number (read again by :func:`_number_answer`)."""

    def __call__(self, text: str, evidence: bool) -> Answer:
        """What :func:`_number_answer` reads: its common case with every number read once."""
        if evidence:
            return _number_answer(text, evidence)
        parts = self.parts  # :meth:`part` inlined for the numbers already read
        numerator, slash, denominator = text.partition("/")
        if not slash:
            number = text.removesuffix("%")
            value = parts[number] if number in parts else self.part(number)
            if value is not None:
                return Answer(value)
        elif text[-1] != "%":
            value = parts[numerator] if numerator in parts else self.part(numerator)
            if value is not None:
                below = parts[denominator] if denominator in parts else self.part(denominator)
                if below is not None:
                    return Answer(value, below)
        return _number_answer(text, False)

    def part(self, text: str) -> Decimal | None:
        parts = self.parts
        if text in parts:
            return parts[text]
        number: Decimal | None = None
        try:
            read = Decimal(text)
        except InvalidOperation:
            pass
        else:
            if read.is_finite():  # NumberOutOfBounds as _number_answer raises it: not kept
                number = bounded_answer(read, text)
        parts[text] = number
        return number


def _check_coverage(framework: Framework, grid: Grid, codes: list[str], blocks: set[str]) -> None:
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
            raise grid.error(
                Message(
                    "missing column for criterion {path} (block {block})",
                    path=path,
                    block=block.code,
                ),
                1,
            )


def read_previous(
    paths: Sequence[str | Path],
    encoding: str | None = None,
    framework: Framework | None = None,
    *,
    year: int | None = None,
) -> list[PreviousResult]:
    """The rows of previous-results files. With ``framework`` (this year's), a row's block
    must be one of its blocks (an empty cell: the only one, if it has one) and its tier one of
    that block's tiers (the label or the heading, case does not count; read as the label);
    with ``year`` (the cycle's year: the framework's on the command line unless --year says
    otherwise), a row's year must be earlier."""
    return _read_previous(paths, encoding, framework, year)[0]


def _read_previous(
    paths: Sequence[str | Path],
    encoding: str | None,
    framework: Framework | None,
    year: int | None,
) -> tuple[list[PreviousResult], list[tuple[str, int]]]:
    """:func:`read_previous`, and where each result was read: (file, row)."""
    results = []
    places: list[tuple[str, int]] = []
    seen: dict[tuple[int, str], tuple[str, int]] = {}
    check = _PreviousCheck(framework) if framework is not None else None
    # each cell text read once (the files of several years name the same units and blocks):
    # a text is kept only once it has been read without a problem
    names: dict[str, tuple[str, str]] = {}  # the unit cell: its name and the name's key
    blocks: dict[str, str] = {}
    numbers: dict[str, Decimal | None] = {}
    for path in paths:
        table = read_grid(
            path, encoding, _PREVIOUS_NAMES, PREVIOUS_COLUMNS.__contains__, sheet=RESULTS_SHEET
        )
        for name in ("unit", "block", "year", "rank", "score"):
            if name not in table.columns:
                raise table.error(missing_column(name, RESULT_HEADINGS[name]), 1)
        # only the columns read here are cleaned: a results file has many more
        at = {name: i for i, name in enumerate(table.columns)}
        unit_at, block_at, year_at, rank_at, score_at = (
            at[name] for name in ("unit", "block", "year", "rank", "score")
        )
        percent_at, tier_at = at.get("percent"), at.get("tier")
        reason_at = at.get("not_ranked_reason")
        # an index (0–1) is read for a framework that displays one, as a percentage
        ratio = framework is None or framework.display.scale == "ratio"
        index_at = at.get("index") if ratio else None
        # a workbook's numbers are binary floats: known to 15 significant digits (PreviousResult)
        score_digits = FLOAT_DIGITS if table.workbook else None
        years: dict[str, int] = {}
        for row_number, raw in table.rows:
            named = names.get(raw[unit_at])
            if named is None:
                unit = clean(raw[unit_at])
                if not unit:
                    raise table.error(Message("the unit has no name"), row_number, "unit")
                named = names[raw[unit_at]] = (unit, normalize_name(unit))
            unit, unit_key = named
            row_year = years.get(raw[year_at])
            if row_year is None:
                year_text = clean(raw[year_at])
                try:
                    row_year = years[raw[year_at]] = int(year_text)
                except ValueError:
                    raise table.error(
                        Message("{text!r} is not a year", text=year_text), row_number, "year"
                    ) from None
            if year is not None and row_year >= year:
                raise table.error(
                    Message(
                        "{year} is not earlier than the cycle's year {cycle}",
                        year=row_year,
                        cycle=year,
                    ),
                    row_number,
                    "year",
                )
            block = blocks.get(raw[block_at])
            if block is None:
                block = clean(raw[block_at])
                if check is not None:
                    block = check.block(table, row_number, block)
                blocks[raw[block_at]] = block
            rank_text = raw[rank_at]  # the common case first: digits alone
            if rank_text.isascii() and rank_text.isdigit() and rank_text[0] != "0":
                rank: int | None = int(rank_text)
            else:
                rank = _optional_int(table, row_number, "rank", clean(rank_text))
            key = (row_year, unit_key)
            if key in seen:
                source, first_number = seen[key]
                first = Message("row {row}", row=first_number)
                if source != table.source:
                    first = Message("{source}, {row}", source=source, row=first)
                raise table.error(
                    Message(
                        "unit {unit!r} appears twice for {year} (first on {first})",
                        unit=unit,
                        year=row_year,
                        first=first,
                    ),
                    row_number,
                    "unit",
                )
            seen[key] = (table.source, row_number)
            score_text = raw[score_at]
            if score_text in numbers:
                score = numbers[score_text]
            else:
                score = numbers[score_text] = _optional_decimal(
                    table, row_number, "score", clean(score_text)
                )
            percent = None
            if percent_at is not None:
                percent_text = clean(raw[percent_at]).removesuffix("%").rstrip()
                percent = _optional_decimal(table, row_number, "percent", percent_text)
            if index_at is not None:
                percent = _index_percent(table, row_number, clean(raw[index_at]), percent)
            tier = clean(raw[tier_at]) if tier_at is not None else ""
            if tier and check is not None:
                tier = check.tier(table, row_number, block, tier)
            if reason_at is not None:
                _check_reason(table, row_number, clean(raw[reason_at]))
            results.append(
                PreviousResult(
                    unit, block, row_year, rank, score, percent, tier or None, score_digits
                )
            )
            places.append((table.source, row_number))
    return results, places


def _check_reason(table: Grid, number: int, text: str) -> None:
    """A row's reason for not being ranked: empty, or one that chiso writes (not kept: a unit
    not ranked has no rank to compare with)."""
    if text and normalize_name(text) not in _NOT_RANKED_REASONS:
        known = "; ".join(f"{words} ({reason.value})" for reason, words in NOT_RANKED_WORDS.items())
        raise table.error(
            Message(
                "unknown reason for not ranking {text!r} ({known}, or empty)",
                text=text,
                known=known,
            ),
            number,
            "not_ranked_reason",
        )


class _PreviousCheck:
    """A previous-results row's block and tier against this year's framework."""

    def __init__(self, framework: Framework) -> None:
        self.framework = framework

    def block(self, table: Grid, number: int, block: str) -> str:
        return _block(self.framework, table, number, block)

    def tier(self, table: Grid, number: int, block: str, tier: str) -> str:
        classification = self.framework.classification_for(block)
        if classification is None:  # this year's framework has no tiers: nothing counts them
            return tier
        match = match_tier(classification, tier)
        if match is None:
            known = ", ".join(tier_labels(classification))
            raise table.error(
                Message(
                    "unknown tier {tier!r} (the framework's tiers: {known}; leave it empty to"
                    " have it classified with them)",
                    tier=tier,
                    known=known,
                ),
                number,
                "tier",
            )
        return match[0]


def _index_percent(table: Grid, number: int, text: str, percent: Decimal | None) -> Decimal | None:
    """The percentage of a row's ``index`` (0–1): the index × 100, exactly; it must be the
    row's ``percent`` / 100 when the row gives both — to the digits a spreadsheet's number
    keeps (:data:`FLOAT_DIGITS`), since each of the two is a binary float in a workbook."""
    index = _optional_decimal(table, number, "index", text)
    if index is None:
        return percent
    if not 0 <= index <= 1:
        raise table.error(
            Message("{text!r} is not an index from 0 to 1", text=text), number, "index"
        )
    value = index.scaleb(2, _WIDE)
    if percent is not None and abs(percent - value) > abs(value).scaleb(3 - FLOAT_DIGITS, _WIDE):
        raise table.error(
            Message(
                "{text!r} is not the row's percent / 100 ({percent} / 100)",
                text=text,
                percent=percent,
            ),
            number,
            "index",
        )
    return value


_WIDE = Context(prec=100)
"""Wide enough that moving a number's decimal point never rounds it."""


def _optional_int(table: Grid, number: int, column: str, text: str) -> int | None:
    if not text:
        return None
    try:
        value = int(parse_decimal(text))
    except ValueError:
        raise table.error(Message("{text!r} is not a rank", text=text), number, column) from None
    if value < 1 or value != parse_decimal(text):
        raise table.error(Message("{text!r} is not a rank (1, 2, 3 …)", text=text), number, column)
    return value


def _optional_decimal(table: Grid, number: int, column: str, text: str) -> Decimal | None:
    if not text:
        return None
    try:
        return parse_decimal(text)
    except ValueError:
        raise table.error(Message("{text!r} is not a number", text=text), number, column) from None


def score_files(
    framework: Framework,
    data: str | Path,
    previous: Sequence[str | Path] = (),
    encoding: str | None = None,
    *,
    strict: bool = False,
    warn: Callable[[str], None] | None = None,
    lineage: str | Path | None = None,
    policy: MergePolicy = MergePolicy.BEST,
    year: int | None = None,
    unit_file: UnitFile | None = None,
) -> CycleResult:
    """Read, check and score; any problem is a :class:`DataError` naming file, row and column.

    ``year``: the year assessed (default: the framework's), which the results carry and
    before which every earlier result must be.

    ``lineage``: a lineage file (:mod:`chiso.io.lineage`), through which earlier results of
    renamed, merged and split units are carried to the cycle's units, mergers by ``policy``.
    An earlier result whose unit is none of the cycle's units (nor continued by one) is left
    out (of the changes and of the statistics); each is given to ``warn`` as one line naming
    its file and row and the closest name of the cycle, or, with ``strict``, the first is a
    :class:`DataError`. ``unit_file``: ``data`` as :func:`read_units` read it already (a
    report's command keeps its units for the workbook's raw data), else it is read here."""
    if unit_file is None:
        unit_file = read_units(framework, data, encoding)
    year = framework.year if year is None else year
    history, places = _read_previous(previous, encoding, framework, year)
    links = read_lineage(lineage, encoding, policy) if lineage is not None else None
    if links is not None:
        check_lineage(links, history)
    found = links.lineage if links is not None else None
    for index, closest in unmatched_previous(unit_file.units, history, found):
        source, number = places[index]
        hint = Message(" (did you mean {closest!r}?)", closest=closest) if closest else ""
        continued = (
            Message(" and no unit continues it in {file}", file=Path(links.source).name)
            if links
            else ""
        )
        problem = DataError(
            source,
            Message(
                "unit {unit!r} is not a unit of {file}{continued}{hint}",
                unit=history[index].unit,
                file=Path(data).name,
                continued=continued,
                hint=hint,
            ),
            number,
            "unit",
        )
        if strict:
            raise problem
        if warn is not None:
            earlier = history[index].year
            warn(f"{problem}: its {earlier} result is left out (--strict makes this an error)")
    try:
        return score(framework, unit_file.units, history, found, year=year)
    except InvalidData as error:
        row = unit_file.rows.get(normalize_name(error.unit)) if error.unit else None
        column = error.code
        if column is not None and column not in unit_file.columns:
            column = "not_applicable"
        source = unit_file.source if row is not None else ", ".join(map(str, previous))
        raise DataError(source or str(data), error.message, row, column) from None
