"""Unit lineage: earlier results carried to renamed, merged and split units.

The cycle (2025) has five communes. Of the communes of 2024:
* Xã Tây Sơn is the merger of Bình Tân, Tây Thuận and Tây Giang;
* Bình Tân itself was Xã Bình Tân Cũ until 2023 (renamed in 2024);
* Xã An Nhơn and Xã An Hòa are the split of Xã An Nhơn Cũ;
* Xã Phước Sơn kept its name; Xã Cát Hải is new; Xã Mỹ Lợi of 2024 is continued by no unit.

Every expected value below is worked by hand.
"""

from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chiso.core import Answer, PreviousResult, UnitData, parse_framework, score
from chiso.core.lineage import (
    Lineage,
    LineageChange,
    LineageError,
    Link,
    MergePolicy,
    carry,
)
from chiso.core.scoring import unmatched_previous

D = Decimal

FRAMEWORK = """
id: lineage-2025
name: Khung thử
assessor: Sở Khoa học và Công nghệ tỉnh Thử
year: 2025
blocks:
  - {code: xa, name: Xã}
ranking: {by: points, ties: competition, precision: 0}
criteria:
  - {code: A, name: Điểm, max: 100, rule: {type: points}}
"""

LINKS = (
    Link(2025, "Xã Tây Sơn", "Xã Bình Tân", D(12000)),
    Link(2025, "Xã Tây Sơn", "Xã Tây Thuận", D(30000)),
    Link(2025, "Xã Tây Sơn", "Xã Tây Giang", D(8000)),
    Link(2024, "Xã Bình Tân", "Xã Bình Tân Cũ", D(12000)),
    Link(2025, "Xã An Nhơn", "Xã An Nhơn Cũ"),
    Link(2025, "Xã An Hòa", "Xã An Nhơn Cũ"),
)

PREVIOUS = [
    PreviousResult("Xã Bình Tân", "xa", 2024, rank=2, score=D(80)),
    PreviousResult("Xã Tây Thuận", "xa", 2024, rank=4, score=D(70)),
    PreviousResult("Xã Tây Giang", "xa", 2024, rank=5, score=D(61)),
    PreviousResult("Xã An Nhơn Cũ", "xa", 2024, rank=1, score=D(90)),
    PreviousResult("Xã Phước Sơn", "xa", 2024, rank=3, score=D(75)),
    PreviousResult("Xã Mỹ Lợi", "xa", 2024, rank=6, score=D(50)),
    PreviousResult("Xã Bình Tân Cũ", "xa", 2023, rank=1, score=D(77)),
    PreviousResult("Xã Tây Thuận", "xa", 2023, rank=2, score=D(66)),
]

UNITS = [
    UnitData("Xã Tây Sơn", "xa", {"A": Answer(D(85))}),  # rank 2
    UnitData("Xã An Nhơn", "xa", {"A": Answer(D(88))}),  # rank 1
    UnitData("Xã An Hòa", "xa", {"A": Answer(D(72))}),  # rank 4
    UnitData("Xã Phước Sơn", "xa", {"A": Answer(D(80))}),  # rank 3
    UnitData("Xã Cát Hải", "xa", {"A": Answer(D(60))}),  # rank 5
]


@pytest.fixture(scope="module")
def framework():
    return parse_framework(FRAMEWORK)


def previous_of(result, unit):
    found = next(u for b in result.blocks for u in b.units if u.unit == unit)
    return {p.year: p for p in found.previous}


def test_a_merger_takes_the_best_predecessor_by_default(framework):
    result = score(framework, UNITS, PREVIOUS, Lineage(LINKS))
    tay_son = previous_of(result, "Xã Tây Sơn")
    # 2024: Bình Tân ranked 2nd, the best of the three: 2 → 2 = 0, 85 − 80 = 5
    assert (tay_son[2024].rank, tay_son[2024].rank_change, tay_son[2024].score_change) == (
        2,
        0,
        5,
    )
    carried = tay_son[2024].carried
    assert carried.how is LineageChange.MERGED
    assert carried.earlier == ("Xã Bình Tân", "Xã Tây Thuận", "Xã Tây Giang")
    assert (carried.policy, carried.chosen) == (MergePolicy.BEST, "Xã Bình Tân")
    # 2023: Bình Tân was Bình Tân Cũ (1st, 77), Tây Thuận 2nd (66); Tây Giang has no row
    assert (tay_son[2023].rank, tay_son[2023].rank_change, tay_son[2023].score_change) == (
        1,
        -1,
        8,
    )
    assert tay_son[2023].carried.earlier == ("Xã Bình Tân Cũ", "Xã Tây Thuận")


def test_a_split_gives_each_successor_the_predecessors_result(framework):
    result = score(framework, UNITS, PREVIOUS, Lineage(LINKS))
    for unit, rank_change, score_change in (("Xã An Nhơn", 0, -2), ("Xã An Hòa", -3, -18)):
        before = previous_of(result, unit)[2024]
        assert (before.rank, before.rank_change, before.score_change) == (
            1,
            rank_change,
            score_change,
        )
        assert before.carried.how is LineageChange.SPLIT
        assert before.carried.earlier == ("Xã An Nhơn Cũ",)


def test_a_unit_that_kept_its_name_is_not_marked(framework):
    result = score(framework, UNITS, PREVIOUS, Lineage(LINKS))
    phuoc_son = previous_of(result, "Xã Phước Sơn")[2024]
    assert (phuoc_son.rank_change, phuoc_son.score_change, phuoc_son.carried) == (0, 5, None)
    assert previous_of(result, "Xã Cát Hải")[2024].rank is None  # new: no history


def test_a_renaming_is_followed_across_years():
    links = (Link(2024, "Xã Bình Tân", "Xã Bình Tân Cũ"),)
    carried = carry(["Xã Bình Tân"], PREVIOUS, Lineage(links))
    by_year = {row.year: row for row in carried.results}
    assert by_year[2023].score == 77
    assert by_year[2023].unit == "Xã Bình Tân"
    assert by_year[2023].carried.how is LineageChange.RENAMED
    assert by_year[2024].carried is None  # its own row of 2024


def test_the_mean_policy_averages_scores_and_gives_no_rank(framework):
    result = score(framework, UNITS, PREVIOUS, Lineage(LINKS, MergePolicy.MEAN))
    tay_son = previous_of(result, "Xã Tây Sơn")[2024]
    # (80 + 70 + 61) / 3 = 70.333…; 85 − 70.333… = 14.666…
    assert tay_son.rank is None and tay_son.rank_change is None
    assert round(tay_son.score, 2) == D("70.33")
    assert round(tay_son.score_change, 2) == D("14.67")
    assert tay_son.carried.policy is MergePolicy.MEAN


def test_the_largest_policy_takes_the_heaviest_predecessor(framework):
    result = score(framework, UNITS, PREVIOUS, Lineage(LINKS, MergePolicy.LARGEST))
    tay_son = previous_of(result, "Xã Tây Sơn")[2024]
    # Tây Thuận, 30,000: 4th with 70 → 2nd with 85
    assert (tay_son.rank, tay_son.rank_change, tay_son.score_change) == (4, 2, 15)
    assert tay_son.carried.chosen == "Xã Tây Thuận"


def test_the_largest_policy_needs_the_weights_of_a_merger():
    links = (Link(2025, "Xã Tây Sơn", "Xã Bình Tân"), Link(2025, "Xã Tây Sơn", "Xã Tây Thuận"))
    with pytest.raises(LineageError, match="weight of 'Xã Bình Tân'") as error:
        carry(["Xã Tây Sơn"], PREVIOUS, Lineage(links, MergePolicy.LARGEST))
    assert error.value.link == 0


def test_the_rows_no_unit_continues_are_listed(framework):
    unmatched = unmatched_previous(UNITS, PREVIOUS, Lineage(LINKS))
    assert [PREVIOUS[index].unit for index, _close in unmatched] == ["Xã Mỹ Lợi"]
    without = unmatched_previous(UNITS, PREVIOUS)
    assert len(without) == 7  # without the lineage, every renamed or merged row is lost


def test_the_block_statistics_count_each_unit_of_the_cycle_once(framework):
    result = score(framework, UNITS, PREVIOUS, Lineage(LINKS))
    stats = result.blocks[0].stats
    # 2024 as the cycle's units carry it: Tây Sơn 80, An Nhơn 90, An Hòa 90, Phước Sơn 75
    year = next(p for p in stats.previous if p.year == 2024)
    assert year.count == 4
    assert year.mean_score == D("83.75")


def test_a_link_given_twice_is_refused():
    links = (Link(2025, "Xã A", "Xã B"), Link(2025, "xã a", "XÃ B"))
    with pytest.raises(LineageError, match="given twice") as error:
        carry(["Xã A"], [], Lineage(links))
    assert error.value.link == 1


@given(
    scores=st.lists(st.integers(0, 100), min_size=1, max_size=6),
    earlier=st.lists(st.tuples(st.integers(1, 6), st.integers(0, 100)), min_size=1, max_size=6),
    year=st.integers(2019, 2024),
)
@settings(max_examples=60, deadline=None)
def test_renaming_every_unit_changes_nothing_but_the_marks(scores, earlier, year):
    """A history written under earlier names and carried by a lineage of renamings gives
    every unit the comparisons it has with its history under today's names."""
    framework = parse_framework(FRAMEWORK)
    units = [UnitData(f"Xã {i}", "xa", {"A": Answer(D(s))}) for i, s in enumerate(scores)]
    named = [
        PreviousResult(f"Xã {i}", "xa", year, rank=rank, score=D(points))
        for i, (rank, points) in enumerate(earlier[: len(units)])
    ]
    renamed = [row._replace(unit=f"Xã cũ {row.unit[3:]}") for row in named]
    links = tuple(Link(2025, f"Xã {i}", f"Xã cũ {i}") for i in range(len(units)))
    plain = score(framework, units, named)
    carried = score(framework, units, renamed, Lineage(links))

    def comparisons(result):
        return [
            [(p.year, p.rank, p.rank_change, p.score_change) for p in unit.previous]
            for unit in result.blocks[0].units
        ]

    assert comparisons(carried) == comparisons(plain)
    assert carried.blocks[0].stats.previous == plain.blocks[0].stats.previous
    assert all(
        p.carried is not None and p.carried.how is LineageChange.RENAMED
        for unit in carried.blocks[0].units
        for p in unit.previous
        if p.rank is not None
    )
