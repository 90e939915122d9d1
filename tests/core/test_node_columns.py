"""NodeColumns reads a criterion's scores and tiers for many units, as score_of and tier_of
read them one unit at a time."""

from decimal import Decimal as D

from chiso.core import NodeResult
from chiso.core.model import NodeColumns, NodeScores, score_of, tier_of

INDEX = {"A.1": 0, "A.2": 1, "A": 2, "B": 3}
CODES = [*INDEX, "Z"]


def _units() -> list[NodeScores]:
    maxima = [D(2), D(3), D(5), D(5)]
    return [
        NodeScores(INDEX, [D(1), None, D(1), D(2)], maxima, {2: "Khá"}, {0}),
        NodeScores(INDEX, [D(2), D("1.5"), D("3.5"), D(0)], maxima, {2: "Tốt", 3: "Yếu"}),
        NodeScores(INDEX, [None, None, D(4), D(5)], maxima),
    ]


def test_columns_of_one_block_read_as_each_unit() -> None:
    units = _units()
    columns = NodeColumns(units)
    for code in CODES:
        assert columns.scores(code) == [score_of(unit, code) for unit in units], code
        assert columns.tiers(code) == [tier_of(unit, code) for unit in units], code
    assert columns.scores("A") == [D(1), D("3.5"), D(4)]
    assert columns.tiers("B") == [None, "Yếu", None]
    assert columns.scores("Z") == [None, None, None]


def test_columns_of_mixed_results_read_unit_by_unit() -> None:
    other_index = dict(INDEX)  # equal but not the same layout: read unit by unit
    plain = {"A": NodeResult(D(3), D(5), "Khá")}
    units = [
        *_units(),
        NodeScores(other_index, [D(1), D(1), D(2), D(2)], [D(2), D(3), D(5), D(5)]),
        plain,
    ]
    columns = NodeColumns(units)
    for code in CODES:
        assert columns.scores(code) == [score_of(unit, code) for unit in units], code
        assert columns.tiers(code) == [tier_of(unit, code) for unit in units], code
    assert columns.scores("A")[-2:] == [D(2), D(3)]
    assert columns.tiers("A")[-1] == "Khá"


def test_columns_of_no_units_are_empty() -> None:
    columns = NodeColumns([])
    assert columns.scores("A") == [] and columns.tiers("A") == []
