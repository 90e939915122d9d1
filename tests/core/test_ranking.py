"""Ranks under the three tie policies: table-driven cases and properties."""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.core.ranking import rank, rank_bounds, rank_ranges
from chiso.core.tiers import _letters_and_tones, name_sort_key, normalize_name


@pytest.mark.parametrize(
    ("scores", "ties", "expected"),
    [
        ([95.3, 95.3, 93.1, 92.9], "competition", [1, 1, 3, 4]),  # Sơn La's "01, 01, 03"
        ([95.3, 95.3, 93.1, 92.9], "dense", [1, 1, 2, 3]),
        ([90, 90, 90, 87, 87, 87, 81], "competition", [1, 1, 1, 4, 4, 4, 7]),  # Bình Định Bảng 2
        ([10, 20, 30], "ordinal", [3, 2, 1]),
        ([5, 5, 5], "competition", [1, 1, 1]),
        ([], "competition", []),
    ],
)
def test_rank_policies(scores, ties, expected):
    keys = [(Decimal(str(s)),) for s in scores]
    names = [f"unit {i}" for i in range(len(scores))]
    assert rank(keys, names, ties) == expected


def test_ordinal_ties_are_ordered_by_name_not_by_input_order():
    keys = [(Decimal("39.7"),), (Decimal("39.7"),)]
    assert rank(keys, ["Sở Khoa học và Công nghệ", "Sở Kế hoạch và Đầu tư"], "ordinal") == [2, 1]
    assert rank(keys[::-1], ["Sở Kế hoạch và Đầu tư", "Sở Khoa học và Công nghệ"], "ordinal") == [
        1,
        2,
    ]


def test_rank_ranges_accept_any_position_in_an_ordinal_tie():
    keys = [(Decimal(41),), (Decimal("39.7"),), (Decimal("39.7"),), (Decimal(38),)]
    ranges = rank_ranges(keys, ["a", "b", "c", "d"], "ordinal")
    assert [list(r) for r in ranges] == [[1], [2, 3], [2, 3], [4]]


entries = st.lists(
    st.tuples(st.integers(min_value=0, max_value=20), st.text(min_size=1, max_size=8)),
    max_size=30,
    unique_by=lambda e: e[1],
)


@given(entries, st.sampled_from(["competition", "dense", "ordinal"]), st.randoms())
def test_input_order_does_not_change_any_rank(items, ties, random):
    keys = [(Decimal(score),) for score, _ in items]
    names = [name for _, name in items]
    ranks = dict(zip(names, rank(keys, names, ties), strict=True))
    shuffled = list(items)
    random.shuffle(shuffled)
    again = rank([(Decimal(s),) for s, _ in shuffled], [n for _, n in shuffled], ties)
    assert dict(zip([n for _, n in shuffled], again, strict=True)) == ranks


@given(entries)
def test_competition_ranks_count_the_better_units(items):
    keys = [(Decimal(score),) for score, _ in items]
    ranks = rank(keys, [n for _, n in items], "competition")
    for (score, _), r in zip(items, ranks, strict=True):
        assert r == 1 + sum(1 for other, _ in items if other > score)


@given(entries)
def test_equal_scores_share_a_rank_and_better_scores_rank_higher(items):
    keys = [(Decimal(score),) for score, _ in items]
    for ties in ("competition", "dense"):
        ranks = rank(keys, [n for _, n in items], ties)
        for (a, _), ra in zip(items, ranks, strict=True):
            for (b, _), rb in zip(items, ranks, strict=True):
                if a == b:
                    assert ra == rb
                elif a > b:
                    assert ra < rb


@given(entries)
def test_ordinal_ranks_are_a_permutation(items):
    keys = [(Decimal(score),) for score, _ in items]
    ranks = rank(keys, [n for _, n in items], "ordinal")
    assert sorted(ranks) == list(range(1, len(items) + 1))


@given(
    st.text(
        alphabet=st.sampled_from(
            [*"aAdđĐeoOuy xXz1 \t", "ă", "Ế", "ợ", "\u0301", "\u0323", "\u0302", "\u031b"]
        ),
        max_size=12,
    )
)
def test_name_keys_word_by_word_are_the_keys_character_by_character(name):
    expected = (*_letters_and_tones(normalize_name(name)), name)
    assert name_sort_key(name) == expected


@given(
    st.lists(st.integers(min_value=0, max_value=6), max_size=12),
    st.sampled_from(["competition", "dense", "ordinal"]),
)
def test_rank_bounds_of_known_values_are_the_rank_ranges(values, ties):
    """A value known exactly (a range of one value) may have exactly the ranks of
    :func:`rank_ranges`."""
    decimals = [Decimal(v) for v in values]
    names = [f"unit {i}" for i in range(len(values))]
    assert rank_bounds([(d, d) for d in decimals], ties) == rank_ranges(
        [(d,) for d in decimals], names, ties
    )


D = Decimal


@pytest.mark.parametrize(
    ("values", "ties", "expected"),
    [
        # 0.9601 and 0.9593–0.9594 (the sum of rounded parts): the two others may be tied or not
        (
            [(D("0.9601"), D("0.9601")), (D("0.9593"), D("0.9594")), (D("0.9594"), D("0.9594"))],
            "competition",
            [range(1, 2), range(2, 4), range(2, 3)],
        ),
        (
            [(D("0.9601"), D("0.9601")), (D("0.9593"), D("0.9594")), (D("0.9594"), D("0.9594"))],
            "ordinal",
            [range(1, 2), range(2, 4), range(2, 4)],
        ),
        # dense: at least one distinct value above the overlapping pair, at most two
        (
            [(D(5), D(6)), (D(5), D(5)), (D(4), D(4))],
            "dense",
            [range(1, 2), range(1, 3), range(2, 4)],
        ),
    ],
)
def test_rank_bounds_of_values_known_within_a_range(values, ties, expected):
    assert rank_bounds(values, ties) == expected


def test_rank_bounds_with_tie_breakers_let_equal_values_rank_apart():
    values = [(D(5), D(5)), (D(5), D(5))]
    assert rank_bounds(values, "competition") == [range(1, 2), range(1, 2)]
    assert rank_bounds(values, "competition", broken=True) == [range(1, 3), range(1, 3)]
