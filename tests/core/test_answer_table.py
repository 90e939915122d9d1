"""Many units' answers by criterion: the table the core scores, and a row read as a mapping."""

from __future__ import annotations

from decimal import Decimal

import pytest

from chiso.core import Answer, AnswerTable, RowAnswers

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
