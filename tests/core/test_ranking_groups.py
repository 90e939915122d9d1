"""One ranking rule: a group's own table ranks as the table of totals does."""

from __future__ import annotations

from decimal import Decimal

from hypothesis import given
from hypothesis import strategies as st

from chiso.core import load_framework
from chiso.core.model import NodeResult, Status, UnitResult
from chiso.core.ranking import RankingRule, group_ranking, rank, ranks_in_order


@given(
    st.lists(st.integers(min_value=0, max_value=5), min_size=0, max_size=30),
    st.sampled_from(["competition", "dense", "ordinal"]),
)
def test_ranks_in_order_agree_with_rank(values: list[int], ties: str) -> None:
    names = [f"Đơn vị {i:02d}" for i in range(len(values))]
    expected = rank(values, names, ties)  # type: ignore[arg-type]
    order = sorted(range(len(values)), key=lambda i: (-values[i], names[i]))
    ordered = ranks_in_order([values[i] for i in order], ties)  # type: ignore[arg-type]
    assert [expected[i] for i in order] == ordered


def test_ties_share_a_rank_under_competition() -> None:
    assert ranks_in_order([100, 100, 99, 98, 98, 97], "competition") == [1, 1, 3, 4, 4, 6]
    assert ranks_in_order([100, 100, 99], "dense") == [1, 1, 2]
    assert ranks_in_order([100, 100, 99], "ordinal") == [1, 2, 3]


def _unit(name: str, group: str, points: str, maximum: str) -> UnitResult:
    node = NodeResult(Decimal(points), Decimal(maximum))
    return UnitResult(
        unit=name,
        block="tinh",
        status=Status.SUBMITTED,
        total=node.score,
        max=node.max,
        percent=node.percent,
        tier=None,
        rank=None,
        not_ranked_reason=None,
        nodes={group: node},
        tags={},
    )


def test_a_group_is_measured_on_the_display_scale_before_the_precision() -> None:
    # the national DTI: ratio scale, ranking precision 4 — 74,1201 % and 74,1249 % are both
    # printed 0,7412 and share the group's rank 1, as equal totals would
    framework = load_framework("dti-922-2022")
    rule = RankingRule.of(framework, "tinh")
    assert (rule.scale, rule.precision) == ("ratio", 4)
    units = [
        _unit("Tỉnh B", "NTS", "741249", "1000000"),
        _unit("Tỉnh A", "NTS", "741201", "1000000"),
        _unit("Tỉnh C", "NTS", "741149", "1000000"),
    ]
    rows = group_ranking(framework, "tinh", "NTS", units)
    assert [(unit.unit, r) for unit, _, r in rows] == [("Tỉnh A", 1), ("Tỉnh B", 1), ("Tỉnh C", 3)]
    # each row carries the unit's own result of the group, the one its table prints
    assert [node.score for _, node, _ in rows] == [
        Decimal("741201"),
        Decimal("741249"),
        Decimal("741149"),
    ]
    assert rule.measure(units[0].total, units[0].percent) == Decimal("0.7412")
    # the total's key measures the same way
    assert rule.key(units[0].total, units[0].percent, {})[0] == rule.measure(
        units[1].total, units[1].percent
    )


def test_a_group_that_does_not_apply_is_not_ranked() -> None:
    framework = load_framework("dti-922-2022")
    units = [_unit("Tỉnh A", "NTS", "0", "0"), _unit("Tỉnh B", "NTS", "5", "10")]
    rows = group_ranking(framework, "tinh", "NTS", units)
    assert [(unit.unit, r) for unit, _, r in rows] == [("Tỉnh B", 1), ("Tỉnh A", None)]
    assert rows[1][1] is not None and rows[1][1].max == 0  # not ranked, its result still read
