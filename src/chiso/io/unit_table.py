"""Units' answers back into the DATA format of ``chiso score`` (docs/cli.md): the raw-data
sheet of the report workbook, readable again with ``chiso score --data``."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal

from chiso.core import Answer, Framework, Status, UnitData
from chiso.core.framework import InfoRule

__all__ = ["unit_rows"]

_STATUS = {Status.SUBMITTED: "", Status.VOLUNTARY: "voluntary", Status.NO_DATA: "no_data"}


def unit_rows(framework: Framework, units: Sequence[UnitData]) -> list[dict[str, str]]:
    """One row per unit: ``unit, block, status, not_applicable``, then one column per answered
    criterion or group in the framework's order, and ``CODE:evidence`` where evidence was
    given. Numbers are written with a decimal point, ratios as ``45/60``, ``na`` for a
    criterion that does not apply. A unit without data (``no_data``) has empty cells: the core
    does not read its answers, and the reader refuses them."""
    # each unit's answers read once (a data file's are views of its columns), and each
    # distinct answer's text made once (a column has a few hundred for thousands of units)
    given = [dict(u.answers) if u.status is not Status.NO_DATA else {} for u in units]
    texts: dict[int, str] = {}  # by the answer's id: equal answers may be written apart
    # a criterion that may be declared not applicable goes in the column `not_applicable`;
    # any other "does not apply" is an `na` cell of its own column
    declared = {
        code
        for code in {c for answers in given for c in answers}
        if framework.node(code).not_applicable
    }
    answered: set[str] = set()
    evidence: set[str] = set()
    for answers in given:
        for code, answer in answers.items():
            text = texts.get(id(answer))
            if text is None:
                text = texts[id(answer)] = _cell(answer)
            if text and not (answer.not_applicable and code in declared):
                answered.add(code)
            if answer.evidence:
                evidence.add(code)
    # the reader wants a column for every criterion of the blocks present, answered or not
    for block in {unit.block for unit in units}:
        for code in framework.max_for(block):
            node = framework.node(code)
            covered = code in answered or any(a in answered for a in framework.ancestors(code))
            if node.is_leaf and not isinstance(node.rule, InfoRule) and not covered:
                answered.add(code)
    codes = [code for code in framework.nodes if code in answered]
    columns = ["unit", "block", "status", "not_applicable"]
    for code in codes:
        columns.append(code)
        if code in evidence:
            columns.append(f"{code}:evidence")
    rows = []
    for unit, answers in zip(units, given, strict=True):
        row = dict.fromkeys(columns, "")
        row["unit"], row["block"], row["status"] = unit.unit, unit.block, _STATUS[unit.status]
        if unit.status is Status.NO_DATA:
            rows.append(row)
            continue
        row["not_applicable"] = ";".join(
            code for code, a in answers.items() if a.not_applicable and code in declared
        )
        for code, answer in answers.items():
            if code in row and not (answer.not_applicable and code in declared):
                row[code] = texts[id(answer)]
            if answer.evidence and f"{code}:evidence" in row:
                row[f"{code}:evidence"] = "1"
        rows.append(row)
    return rows


def _number(value: Decimal) -> str:
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _cell(answer: Answer) -> str:
    if answer.not_applicable:
        return "na"
    value = answer.value
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    if answer.denominator is not None:
        return f"{_number(value)}/{_number(answer.denominator)}"
    return _number(value)
