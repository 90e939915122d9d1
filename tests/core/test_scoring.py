"""Scoring a cycle: rules, not applicable, tiers, ranks, previous years, statistics.

Every expected number here is worked by hand from the framework below.
"""

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from chiso.core import (
    Answer,
    InvalidData,
    NotRankedReason,
    PreviousResult,
    Status,
    UnitData,
    parse_framework,
    score,
)

D = Decimal

FRAMEWORK = """
id: test-2026
name: Khung thử
assessor: Sở Thông tin và Truyền thông tỉnh Thử
year: 2026
blocks:
  - {code: so, name: Sở}
  - {code: xa, name: Xã}
not_applicable_policy: exclude
classification:
  tiers:
    - {label: Tốt, min: 80, heading: Mức tốt}
    - {label: Khá, min: 60}
    - {label: Trung bình}
ranking: {by: percent, ties: competition, precision: 0}
criteria:
  - code: A
    name: Hạ tầng
    classify: true
    children:
      - {code: A.1, name: Có mạng LAN, max: 2, rule: {type: yes_no}}
      - {code: A.2, name: Có quy chế, max: 1, rule: {type: yes_no_evidence}}
      - code: A.3
        name: Tỷ lệ máy tính
        max: 2
        rule: {type: bands, bands: [{min: 0, points: 0}, {min: 50, points: 1}, {min: 80, points: 2}]}
      - {code: A.4, name: Tỷ lệ hồ sơ trực tuyến, max: 4, rule: {type: proportional}}
  - code: B
    name: Ứng dụng
    children:
      - code: B.1
        name: Số hệ thống
        max: 3
        rule: {type: count, per_item: 0.5}
      - code: B.2
        name: Mức độ dịch vụ
        max: 3
        rule: {type: choice, options: [{value: "2", points: 0}, {value: "3", points: 1.5}, {value: "4", points: 3}]}
      - {code: B.3, name: Số hồ sơ, max: 4, rule: {type: relative}}
      - {code: B.4, name: Số liệu thu thập, rule: {type: info}}
  - code: C
    name: Dịch vụ công
    max: {so: 6}
    not_applicable: true
"""


@pytest.fixture(scope="module")
def framework():
    return parse_framework(FRAMEWORK, "test.yaml")


def close(a, b):
    return abs(a - b) < D("1e-20")


def unit(name, block="so", status=Status.SUBMITTED, **answers):
    return UnitData(name, block, {code.replace("_", "."): a for code, a in answers.items()}, status)


def by_name(result):
    return {u.unit: u for block in result.blocks for u in block.units}


def test_maxima(framework):
    assert framework.total_max("so") == 25  # A 2+1+2+4, B 3+3+4+0, C 6
    assert framework.total_max("xa") == 19  # C does not apply to communes


@pytest.mark.parametrize(
    ("code", "answer", "points"),
    [
        ("A.1", Answer(D(1)), D(2)),
        ("A.1", Answer(D(0)), D(0)),
        ("A.2", Answer(D(1)), D(0)),  # yes without evidence counts nothing
        ("A.2", Answer(D(1), evidence=True), D(1)),
        ("A.3", Answer(D(49.9)), D(0)),
        ("A.3", Answer(D(50)), D(1)),
        ("A.3", Answer(D(40), D(50)), D(2)),  # 40/50 = 80 %
        ("A.4", Answer(D(30), D(40)), D(3)),  # 75 % of 4 points
        ("B.1", Answer(D(4)), D(2)),
        ("B.1", Answer(D(9)), D(3)),  # capped at the maximum
        ("B.2", Answer("3"), D("1.5")),
        ("B.4", Answer(D(123)), D(0)),
    ],
)
def test_each_rule(framework, code, answer, points):
    result = score(framework, [unit("Sở A", **{code.replace(".", "_"): answer})])
    assert by_name(result)["Sở A"].nodes[code].score == points


def test_relative_rule_scores_against_the_best_of_the_block(framework):
    result = score(
        framework,
        [
            unit("Sở A", B_3=Answer(D(200))),
            unit("Sở B", B_3=Answer(D(50))),
            unit("Xã C", block="xa", B_3=Answer(D(10))),  # another block: its own best
        ],
    )
    units = by_name(result)
    assert units["Sở A"].nodes["B.3"].score == 4
    assert units["Sở B"].nodes["B.3"].score == 1
    assert units["Xã C"].nodes["B.3"].score == 4


def test_excluded_criterion_leaves_score_and_maximum(framework):
    result = score(
        framework,
        [unit("Sở A", A=Answer(D(9)), B=Answer(D(8)), C=Answer(not_applicable=True))],
    )
    sở_a = by_name(result)["Sở A"]
    assert (sở_a.total, sở_a.max) == (17, 19)
    assert close(sở_a.percent, D(1700) / 19)
    assert sở_a.nodes["C"].not_applicable


def test_full_credit_gives_the_criterion_its_maximum(framework):
    full = framework.model_copy(update={"not_applicable_policy": "full_credit"})
    result = score(
        full, [unit("Sở A", A=Answer(D(9)), B=Answer(D(8)), C=Answer(not_applicable=True))]
    )
    sở_a = by_name(result)["Sở A"]
    assert (sở_a.total, sở_a.max) == (23, 25)


@given(
    a=st.integers(min_value=0, max_value=9),
    b=st.integers(min_value=0, max_value=10),
    policy=st.sampled_from(["exclude", "full_credit"]),
)
def test_not_applicable_property(framework, a, b, policy):
    fw = framework.model_copy(update={"not_applicable_policy": policy})
    answers = {"A": Answer(D(a)), "B": Answer(D(b)), "C": Answer(not_applicable=True)}
    result = by_name(score(fw, [UnitData("Sở A", "so", answers)]))["Sở A"]
    if policy == "exclude":
        assert (result.total, result.max) == (a + b, 19)
    else:
        assert (result.total, result.max) == (a + b + 6, 25)
    assert close(result.percent, D(result.total) * 100 / result.max)


def test_group_points_given_directly_are_checked_against_the_group_maximum(framework):
    with pytest.raises(InvalidData) as error:
        score(framework, [unit("Sở A", A=Answer(D(10)))])
    assert (error.value.unit, error.value.code) == ("Sở A", "A")
    assert "maximum of 9" in error.value.message


def test_a_group_and_its_part_together_are_refused(framework):
    with pytest.raises(InvalidData, match=r"both A and its part A\.1"):
        score(framework, [unit("Sở A", A=Answer(D(5)), A_1=Answer(D(1)))])


@pytest.mark.parametrize(
    ("answers", "message"),
    [
        ({"Z": Answer(D(1))}, "unknown criterion 'Z'"),
        ({"A.1": Answer(D(2))}, "not a yes/no answer"),
        ({"A.3": Answer(D(101))}, "not a percentage"),
        ({"A.4": Answer(D(5), D(4))}, "more than 100 %"),
        ({"B.1": Answer(D("1.5"))}, "not a count"),
        ({"B.2": Answer("5")}, "not one of the options"),
        ({"A": Answer(D(-1))}, "below 0"),
        ({"A.1": Answer(not_applicable=True)}, "cannot be declared not applicable"),
    ],
)
def test_invalid_answers_name_unit_and_criterion(framework, answers, message):
    with pytest.raises(InvalidData, match=message):
        score(framework, [UnitData("Sở A", "so", answers)])


def test_criterion_of_another_block_is_refused(framework):
    with pytest.raises(InvalidData, match="does not apply to block 'xa'"):
        score(framework, [UnitData("Xã A", "xa", {"C": Answer(D(1))})])


def test_duplicate_unit_and_unknown_block_are_refused(framework):
    with pytest.raises(InvalidData, match="appears twice"):
        score(framework, [unit("Sở A"), unit("sở  a")])
    with pytest.raises(InvalidData, match="unknown block 'huyen'"):
        score(framework, [unit("Sở A", block="huyen")])


def points(a, b, c):
    return {"A": Answer(D(a)), "B": Answer(D(b)), "C": Answer(D(c))}


def test_tiers_ranks_and_not_ranked_units(framework):
    units = [
        UnitData("Sở A", "so", points(9, 10, 6)),  # 25/25 = 100 %
        UnitData("Sở B", "so", points(9, 8, 4)),  # 21/25 = 84 %
        UnitData("Sở C", "so", points(8, 8, 5)),  # 21/25 = 84 %
        UnitData("Sở D", "so", points(6, 6, 3)),  # 15/25 = 60 % exactly: Khá
        UnitData("Sở E", "so", points(9, 10, 6), Status.VOLUNTARY),
        UnitData("Sở F", "so", {}, Status.NO_DATA),
        UnitData("Sở G", "so", points(3, 3, 3)),  # 36 %
    ]
    result = score(framework, units)
    got = {u.unit: (u.tier, u.rank, u.not_ranked_reason) for u in result.blocks[0].units}
    assert got == {
        "Sở A": ("Tốt", 1, None),
        "Sở B": ("Tốt", 2, None),
        "Sở C": ("Tốt", 2, None),
        "Sở D": ("Khá", 4, None),
        "Sở G": ("Trung bình", 5, None),
        "Sở E": ("Tốt", None, NotRankedReason.VOLUNTARY),
        "Sở F": (None, None, NotRankedReason.NO_DATA),
    }
    order = [u.unit for u in result.blocks[0].units]
    assert order == ["Sở A", "Sở B", "Sở C", "Sở D", "Sở G", "Sở E", "Sở F"]


def test_ties_are_decided_at_the_ranking_precision(framework):
    # 0 decimals of percent: 84.4 % and 83.6 % both print 84 and share the rank
    units = [
        UnitData("Xã A", "xa", {"A": Answer(D("8.036")), "B": Answer(D(8))}),  # 16.036/19 = 84.4 %
        UnitData("Xã B", "xa", {"A": Answer(D("7.884")), "B": Answer(D(8))}),  # 15.884/19 = 83.6 %
    ]
    assert [u.rank for u in score(framework, units).blocks[1].units] == [1, 1]


def test_previous_years_give_rank_and_score_changes(framework):
    units = [UnitData("Sở A", "so", points(9, 10, 6)), UnitData("Sở B", "so", points(9, 8, 4))]
    previous = [
        PreviousResult("Sở A", "so", 2025, rank=2, score=D(20)),
        PreviousResult("SỞ B", "so", 2025, rank=1, score=D(22)),
        PreviousResult("Sở B", "so", 2024, rank=2, score=D("19.5")),
    ]
    result = by_name(score(framework, units, previous))
    assert [(p.year, p.rank_change, p.score_change) for p in result["Sở A"].previous] == [
        (2025, 1, 5),
        (2024, None, None),
    ]
    assert [(p.year, p.rank_change, p.score_change) for p in result["Sở B"].previous] == [
        (2025, -1, -1),
        (2024, 0, D("1.5")),
    ]


def test_a_framework_scored_for_an_earlier_year_gives_results_of_that_year(framework):
    """A framework may serve several years: scored for 2024, the framework of 2026 gives
    results of 2024, compared with the years before 2024 only."""
    units = [UnitData("Sở A", "so", points(9, 10, 6)), UnitData("Sở B", "so", points(9, 8, 4))]
    previous = [
        PreviousResult("Sở A", "so", 2023, rank=2, score=D(20)),
        PreviousResult("Sở B", "so", 2023, rank=1, score=D(22)),
    ]
    result = score(framework, units, previous, year=2024)
    assert (result.framework, result.year) == ("test-2026", 2024)
    assert [(p.year, p.rank_change) for p in by_name(result)["Sở A"].previous] == [(2023, 1)]
    assert [p.year for p in result.blocks[0].stats.previous] == [2023]
    assert score(framework, units, previous).year == 2026  # by default, the framework's


@pytest.mark.parametrize("earlier", [2024, 2025])
def test_an_earlier_result_of_the_year_assessed_or_later_is_refused(framework, earlier):
    units = [UnitData("Sở A", "so", points(9, 10, 6))]
    previous = [PreviousResult("Sở A", "so", earlier, rank=1, score=D(20))]
    with pytest.raises(InvalidData) as error:
        score(framework, units, previous, year=2024)
    assert error.value.message == (
        f"the {earlier} result of 'Sở A' is not earlier than the cycle's year 2024"
    )
    with pytest.raises(InvalidData, match="not earlier than the cycle's year 2026"):
        score(framework, units, [PreviousResult("Sở A", "so", 2026, rank=1, score=D(20))])


def test_a_score_known_to_some_digits_changes_at_that_precision(framework):
    # A worth 26/3 points: totals 24.666… and 20.666… that no float or short decimal holds
    a = D(26) / D(3)
    units = [
        UnitData("Sở A", "so", {**points(0, 10, 6), "A": Answer(a)}),
        UnitData("Sở B", "so", {**points(0, 8, 4), "A": Answer(a)}),
    ]
    totals = {u.unit: u.total for u in score(framework, units).blocks[0].units}
    a_float = D(repr(float(totals["Sở A"])))  # Sở A's total as a spreadsheet keeps it
    assert a_float != totals["Sở A"]
    previous = [
        PreviousResult("Sở A", "so", 2025, 1, a_float, score_digits=15),
        # Sở B one point lower, to 16 significant digits, known to 15
        PreviousResult("Sở B", "so", 2025, 2, D("19.66666666666667"), score_digits=15),
        # the same value, exact: the change is exact too
        PreviousResult("Sở B", "so", 2024, 2, D("19.66666666666667")),
    ]
    result = by_name(score(framework, units, previous))
    before, _ = result["Sở A"].previous
    assert before.score_change == 0 and str(before.score_change) == "0"
    # 0.9999999999999966…, rounded at the 15th significant digit of 19.6…: 13 decimals
    known, exact = result["Sở B"].previous
    assert known.score_change == 1
    assert exact.score_change == totals["Sở B"] - D("19.66666666666667") != 1


def test_a_unit_is_compared_only_with_its_results_in_the_same_block(framework):
    """Ranks are per block: Sở A ranked 1st among the communes in 2025 has no rank change in
    the departments' table; that result still counts in the communes' statistics of 2025."""
    units = [
        UnitData("Sở A", "so", points(9, 10, 6)),  # 25: 1st
        UnitData("Sở B", "so", points(9, 8, 4)),  # 21: 2nd
        UnitData("Sở D", "so", {}, Status.NO_DATA),
        UnitData("Xã C", "xa", {"A": Answer(D(8)), "B": Answer(D(8))}),  # 16: 1st
    ]
    previous = [
        PreviousResult("Sở A", "xa", 2025, rank=1, score=D(15)),
        PreviousResult("Sở B", "so", 2025, rank=1, score=D(20)),
        PreviousResult("Sở D", "xa", 2025, rank=3, score=D(10)),
        PreviousResult("Xã C", "xa", 2025, rank=2, score=D(12)),
        PreviousResult("Sở A", "so", 2024, rank=2, score=D(18)),
    ]
    result = score(framework, units, previous)
    units_by_name = by_name(result)
    assert [
        (p.year, p.rank, p.score, p.rank_change, p.score_change)
        for p in units_by_name["Sở A"].previous
    ] == [(2025, None, None, None, None), (2024, 2, 18, 1, 7)]
    assert [(p.year, p.rank) for p in units_by_name["Sở D"].previous] == [
        (2025, None),
        (2024, None),
    ]
    assert [(p.rank_change, p.score_change) for p in units_by_name["Sở B"].previous] == [
        (-1, 1),
        (None, None),
    ]
    assert [(p.rank_change, p.score_change) for p in units_by_name["Xã C"].previous] == [
        (1, 4),
        (None, None),
    ]
    so, xa = (block.stats.previous for block in result.blocks)
    assert [(p.year, p.count, p.mean_score) for p in so] == [(2025, 1, 20), (2024, 1, 18)]
    assert [(p.year, p.count, p.mean_score) for p in xa] == [(2025, 3, D(37) / 3), (2024, 0, None)]
    # 15/19, 10/19 and 12/19 of a commune's maximum: 78.9 %, 52.6 %, 63.2 %
    assert [(t.label, t.count) for t in xa[0].tiers] == [("Tốt", 0), ("Khá", 2), ("Trung bình", 1)]


def test_block_statistics(framework):
    units = [
        UnitData("Sở A", "so", points(9, 10, 6)),  # 25
        UnitData("Sở B", "so", points(9, 8, 4)),  # 21
        UnitData("Sở C", "so", points(6, 6, 3)),  # 15
        UnitData("Sở D", "so", {}, Status.NO_DATA),
    ]
    previous = [
        PreviousResult("Sở A", "so", 2025, rank=1, score=D(22)),  # 88 % → Tốt
        PreviousResult("Sở B", "so", 2025, rank=2, score=D(14)),  # 56 % → Trung bình
    ]
    stats = score(framework, units, previous).blocks[0].stats
    assert (stats.units, stats.with_data, stats.ranked) == (4, 3, 3)
    assert stats.score.mean == D(61) / 3
    assert (stats.score.max, stats.score.min, stats.score.gap) == (25, 15, 10)
    assert stats.score.at_or_above_mean == 2
    assert stats.score.best == ("Sở A",) and stats.score.worst == ("Sở C",)
    assert [(t.label, t.count) for t in stats.tiers] == [("Tốt", 2), ("Khá", 1), ("Trung bình", 0)]
    assert stats.groups["A"].mean == 8
    assert [(t.label, t.count) for t in stats.group_tiers["A"]] == [
        ("Tốt", 2),
        ("Khá", 1),
        ("Trung bình", 0),
    ]
    (before,) = stats.previous
    assert before.year == 2025 and before.mean_score == 18
    assert [(t.label, t.count) for t in before.tiers] == [("Tốt", 1), ("Khá", 0), ("Trung bình", 1)]


def test_results_do_not_depend_on_the_order_of_units(framework):
    units = [UnitData(f"Sở {i}", "so", points(i % 10, (i * 7) % 11, i % 7)) for i in range(12)]
    forward = score(framework, units)
    backward = score(framework, units[::-1])
    assert forward == backward


@given(
    lan=st.sampled_from([0, 1]),
    rate=st.integers(min_value=0, max_value=100),
    systems=st.integers(min_value=0, max_value=9),
    level=st.sampled_from(["2", "3", "4"]),
)
def test_a_declaration_elsewhere_does_not_change_the_other_criteria(
    framework, lan, rate, systems, level
):
    # the second unit declares C not applicable, which takes the general scoring path;
    # the first unit takes the one-pass plan: both must score A and B alike
    answers = {
        "A.1": Answer(D(lan)),
        "A.3": Answer(D(rate)),
        "A.4": Answer(D(rate), D(100)),
        "B.1": Answer(D(systems)),
        "B.2": Answer(level),
    }
    plain = UnitData("Sở A", "so", answers)
    declared = UnitData("Sở B", "so", {**answers, "C": Answer(not_applicable=True)})
    units = by_name(score(framework, [plain, declared]))
    for code in ["A", "A.1", "A.3", "A.4", "B", "B.1", "B.2"]:
        assert units["Sở A"].nodes[code] == units["Sở B"].nodes[code]
    assert units["Sở A"].nodes["A.3"].score == (2 if rate >= 80 else 1 if rate >= 50 else 0)


@pytest.mark.parametrize(
    ("written", "read"), [("", None), ('version: "1.10"', "1.10"), ("version: 2", "2")]
)
def test_version_is_text_and_a_whole_number_its_digits(written, read):
    text = FRAMEWORK.replace("year: 2026", f"year: 2026\n{written}", 1)
    assert "year: 2026" in FRAMEWORK
    assert parse_framework(text, "test.yaml").version == read
