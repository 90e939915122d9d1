"""How solid each rank is: the ranges of ranks under the rounding, disputed answers and the
weights (chiso.core.robustness). The first cases are worked by hand; the disputed ranges are
also checked against every way the disputed answers could go (brute force, hypothesis)."""

from decimal import Decimal
from itertools import product

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from tests.robust_framework import FRAMEWORK

from chiso.core import Answer, UnitData, parse_framework, score
from chiso.core.robustness import (
    Perturbation,
    disputed_ranges,
    robustness,
    rounding_ranges,
    weight_ranges,
)

D = Decimal


@pytest.fixture(scope="module")
def framework():
    return parse_framework(FRAMEWORK)


def units(**points):
    return [
        UnitData(name, "so", {"A": Answer(D(a)), "B": Answer(D(b))})
        for name, (a, b) in points.items()
    ]


# R 8.0 first; P 7.4 and Q 7.2 print as 7: tied 2nd; S 6.4 prints as 6: 4th
FOUR = {"R": ("8", "0"), "P": ("7.4", "0"), "Q": ("7.2", "0"), "S": ("6.4", "0")}


def by_unit(ranges):
    return {unit: (r.low, r.high) for (_block, unit), r in ranges.items()}


def test_a_tie_one_more_decimal_would_break_gives_the_lower_unit_a_range(framework):
    result = score(framework, units(**FOUR))
    assert {u.unit: u.rank for u in result.blocks[0].units} == {"R": 1, "P": 2, "Q": 2, "S": 4}
    # with one more decimal P (7.4) stays 2nd and Q (7.2) falls to 3rd
    assert by_unit(rounding_ranges(framework, result)) == {
        "R": (1, 1),
        "P": (2, 2),
        "Q": (2, 3),
        "S": (4, 4),
    }


def test_a_disputed_answer_gives_the_ranks_it_could_lead_to(framework):
    """P's A is 7.4 as verified, 8.4 as self-assessed: at 8 P would tie with R for 1st."""
    low = score(framework, units(**FOUR))
    high = score(framework, units(**{**FOUR, "P": ("8.4", "0")}))
    assert by_unit(disputed_ranges(framework, low, high)) == {
        "R": (1, 1),  # 8.4 prints as 8: P could tie R, not pass it
        "P": (1, 2),
        "Q": (2, 3),  # below R and, at worst, P
        "S": (4, 4),
    }


def test_weights_that_favour_one_group_can_swap_two_units(framework):
    """X has 5 in A, Y 4.9 in B (by points at one decimal: X 1st, Y 2nd); weighting B above
    A by 2 % or more puts Y first, which draws within ±20 % often do."""
    two = parse_framework(FRAMEWORK.replace("precision: 0", "precision: 1"))
    result = score(two, units(X=("5", "0"), Y=("0", "4.9")))
    drawn = weight_ranges(two, result, Perturbation(draws=200, seed=7))
    assert by_unit(drawn) == {"X": (1, 2), "Y": (1, 2)}


def test_without_spread_the_weights_give_the_published_ranks(framework):
    result = score(framework, units(**FOUR))
    same = weight_ranges(framework, result, Perturbation(draws=20, spread=D(0)))
    assert by_unit(same) == {u.unit: (u.rank, u.rank) for u in result.blocks[0].units}


def test_the_same_seed_gives_the_same_ranges(framework):
    many = {f"U{i}": (str(i % 7), str((i * 3) % 8)) for i in range(12)}
    result = score(framework, units(**many))
    first = robustness(framework, result, Perturbation(draws=100, seed=3))
    again = robustness(framework, result, Perturbation(draws=100, seed=3))
    assert first == again
    assert first.of("so", "U1") == {
        "rounding": first.kinds["rounding"]["so", "U1"],
        "weights": first.kinds["weights"]["so", "U1"],
    }


answers = st.lists(
    st.tuples(st.integers(0, 20), st.integers(0, 20), st.booleans()), min_size=2, max_size=5
)


@given(answers)
@settings(max_examples=40, deadline=None)
def test_disputed_ranges_are_the_best_and_worst_of_every_outcome(rows):
    """Each unit's A is settled, or disputed between two values: the range is the best and
    the worst rank over every combination of the disputed answers (competition ranking)."""
    framework = parse_framework(FRAMEWORK.replace("max: 10", "max: 20"))
    names = [f"U{i}" for i in range(len(rows))]

    def cycle(values):
        return score(
            framework,
            [
                UnitData(name, "so", {"A": Answer(D(v)), "B": Answer(D(0))})
                for name, v in zip(names, values, strict=True)
            ],
        )

    low = cycle([min(a, b) if disputed else a for a, b, disputed in rows])
    high = cycle([max(a, b) if disputed else a for a, b, disputed in rows])
    ranges = by_unit(disputed_ranges(framework, low, high))
    choices = [(a, b) if disputed else (a,) for a, b, disputed in rows]
    seen: dict[str, list[int]] = {name: [] for name in names}
    for values in product(*choices):
        for unit in cycle(list(values)).blocks[0].units:
            seen[unit.unit].append(unit.rank)
    assert ranges == {name: (min(r), max(r)) for name, r in seen.items()}
