"""Many units' answers by criterion: the table the core scores, and a row read as a mapping."""

from __future__ import annotations

from decimal import Decimal

import numpy as np
import pytest

from chiso.core import Answer, AnswerTable, RowAnswers, UnitData, load_framework, score

YES = Answer(Decimal(1))


def test_a_table_of_dicts_keeps_each_answer_object_once():
    other = Answer(Decimal(3), Decimal(4))
    table = AnswerTable.of([{"A.1": YES, "A.2": other}, {"A.1": YES}, {}])
    column = table.columns["A.1"]
    assert column.answers[1:] == [YES]  # position 0: no answer
    assert column.picks == [1, 1, 0]
    assert table.columns["A.2"].picks == [1, 0, 0]
    assert table.columns["A.2"].answers[1] is other


def test_a_row_reads_as_the_dict_it_came_from():
    rows = [{"B.2": YES, "A.1": Answer("x")}, {"A.1": Answer(not_applicable=True)}]
    table = AnswerTable.of(rows)
    first, second = RowAnswers(table, 0), RowAnswers(table, 1)
    assert first == rows[0] and second == rows[1]
    assert list(first) == ["B.2", "A.1"]  # the table's order of columns
    assert len(first) == 2 and len(second) == 1
    assert "B.2" not in second and second.get("B.2") is None
    assert "Z.9" not in first
    with pytest.raises(KeyError):
        second["B.2"]
    assert table.column("C.1").picks == [0, 0]  # a column made on demand: nobody answered
    assert dict(first) == rows[0]


def test_picks_may_be_a_numpy_array():
    # a reader may give each column's picks as an integer array: scored as a list is
    framework = load_framework("son-la-2020")
    answers = [{"TD": Answer(Decimal(value))} for value in ("95.3", "87", "95.3")]
    units = ["Sở Nội vụ", "Sở Tư pháp", "Sở Y tế"]

    def scored(table: AnswerTable) -> list[tuple[str, Decimal | None, int | None]]:
        data = [UnitData(u, "tinh", RowAnswers(table, i)) for i, u in enumerate(units)]
        return [(r.unit, r.total, r.rank) for r in score(framework, data).blocks[0].units]

    listed = AnswerTable.of(answers)
    arrays = AnswerTable.of(answers)
    for column in arrays.columns.values():
        column.picks = np.asarray(column.picks, dtype=np.int64)
    assert scored(arrays) == scored(listed)
    assert [rank for _, _, rank in scored(arrays)] == [1, 1, 3]
