"""What the assessor sees of a framework before it is stored: its blocks with their maxima
and its criteria tree, one row per criterion or group."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso.core import Framework, FrameworkError
from chiso.core.framework import Node


@dataclass(frozen=True)
class CriterionRow:
    code: str
    name: str
    depth: int
    maxima: list[Decimal | None]
    """The criterion's maximum in each block, in the order of the blocks; None where the
    block does not use it."""
    rule: str
    """The rule's type for a criterion, empty for a group."""
    not_applicable: bool
    evidence_required: bool


@dataclass(frozen=True)
class BlockColumn:
    code: str
    name: str
    total: Decimal


def framework_blocks(framework: Framework) -> list[BlockColumn]:
    return [
        BlockColumn(block.code, block.name, framework.total_max(block.code))
        for block in framework.blocks
    ]


def framework_rows(framework: Framework) -> list[CriterionRow]:
    maxima = [framework.max_for(block.code) for block in framework.blocks]
    rows: list[CriterionRow] = []

    def visit(node: Node, depth: int) -> None:
        rows.append(
            CriterionRow(
                code=node.code,
                name=node.name,
                depth=depth,
                maxima=[block.get(node.code) for block in maxima],
                rule=node.effective_rule.type if node.is_leaf else "",
                not_applicable=node.not_applicable,
                evidence_required=node.evidence_required,
            )
        )
        for child in node.children:
            visit(child, depth + 1)

    for root in framework.criteria:
        visit(root, 0)
    return rows


@dataclass(frozen=True)
class Problem:
    """A framework's problem as the page shows it: where (a line of the file, or a workbook's
    sheet, row and column) and what, in the page's language."""

    file: str
    line: int | None
    sheet: str | None
    row: int | None
    column: str | None
    field: str
    message: str


def problems(error: FrameworkError, language: str) -> list[Problem]:
    """The problem of ``error`` and those found with it."""
    return [problem(found, language) for found in [error, *error.others]]


def problem(error: FrameworkError, language: str) -> Problem:
    row = column = None
    if error.cell:
        column = error.cell.rstrip("0123456789")
        row = int(error.cell[len(column) :])
    return Problem(
        file=error.source,
        line=error.line,
        sheet=error.sheet,
        row=row,
        column=column,
        field=error.field,
        message=error.message_in(language),
    )
