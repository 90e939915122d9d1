"""Ranks of a group's own table: the same ranks as the core's ranking of totals."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from chiso.core.groups import ranks_in_order
from chiso.core.ranking import rank


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
