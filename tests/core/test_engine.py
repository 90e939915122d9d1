"""The engine gives what the methodology read literally gives (the reference in
``tests/core/oracle.py``: a tree walk, unit by unit, in exact arithmetic) on randomly generated
frameworks and units: every criterion's score, maximum and tier, every total, maximum,
percentage, tier, rank, reason for not ranking, tag and declaration, and every printed value.
The frameworks vary what decides: tier thresholds and ranking precisions on and near rounding
boundaries, both display scales, both not-applicable policies, the three tie policies."""

from decimal import Context, Decimal
from fractions import Fraction

import numpy as np
import pytest
import yaml
from hypothesis import given
from hypothesis import strategies as st
from tests.core.oracle import exact_round, reference
from tests.core.oracle import tier_of as reference_tier
from tests.fuzzing import fuzz

from chiso.core import (
    Answer,
    InvalidData,
    NodeResult,
    NotRankedReason,
    Status,
    UnitData,
    parse_framework,
    score,
)
from chiso.core.engine import tier_labels
from chiso.core.model import UnitNodes, score_of, tier_of
from chiso.core.numbers import round_half_up
from chiso.core.scoring import score_unit

D = Decimal
BLOCKS = ("a", "b")
RULES = [
    "yes_no",
    "yes_no_evidence",
    "bands",
    "proportional",
    "count",
    "choice",
    "points",
    "relative",
    "info",
]


@st.composite
def leaves(draw, code):
    kind = draw(st.sampled_from(RULES))
    maximum = draw(st.integers(min_value=1, max_value=6))
    node = {"code": code, "name": f"Tiêu chí {code}", "max": maximum}
    if draw(st.booleans()):
        node["max"] = {"a": maximum}  # not used by block b
    rule = {"type": kind}
    if kind == "bands":
        rule["bands"] = [{"min": 0, "points": 0}, {"min": 50, "points": maximum}]
    elif kind == "count":
        rule["per_item"] = "0.5"
    elif kind == "choice":
        rule["options"] = [{"value": "x", "points": 0}, {"value": "y", "points": maximum}]
    elif kind == "info":
        del node["max"]
    if kind != "points" or draw(st.booleans()):
        node["rule"] = rule
    node["not_applicable"] = draw(st.booleans())
    if node["not_applicable"] and draw(st.booleans()):
        node["not_applicable_policy"] = draw(st.sampled_from(["exclude", "full_credit"]))
    return node


@st.composite
def groups(draw, code, depth):
    count = draw(st.integers(min_value=1, max_value=3))
    children = []
    for index in range(1, count + 1):
        child = f"{code}.{index}"
        if depth < 2 and draw(st.booleans()):
            children.append(draw(groups(child, depth + 1)))
        else:
            children.append(draw(leaves(child)))
    node = {"code": code, "name": f"Nhóm {code}", "children": children}
    node["not_applicable"] = draw(st.booleans())
    node["classify"] = draw(st.booleans())
    if draw(st.booleans()):
        node["tags"] = ["t"]
    return node


THRESHOLDS = ["80", "79.96", "62.5", "50", "45.25", "33.3", "66.67"]


@st.composite
def classifications(draw):
    """Tiers whose thresholds sit where rounding decides (79,96 % at precision 1 is 80,0)."""
    basis = draw(st.sampled_from(["percent", "percent", "points"]))
    least = sorted(set(draw(st.lists(st.sampled_from(THRESHOLDS), min_size=1, max_size=3))))
    least.sort(key=Decimal, reverse=True)
    tiers = [{"label": f"Mức {i}", "min": value} for i, value in enumerate(least)]
    if basis == "points":
        for tier in tiers:
            tier["min"] = str(Decimal(tier["min"]) / 10)
    data = {"basis": basis, "precision": draw(st.sampled_from([None, 0, 1, 2])), "tiers": tiers}
    if draw(st.booleans()):
        data["below_lowest"] = {"label": "Chưa đạt", "ranked": draw(st.booleans())}
    else:
        tiers.append({"label": "Thấp"})
    return data


@st.composite
def frameworks(draw):
    roots = [draw(groups(code, 1)) for code in "ABC"[: draw(st.integers(1, 3))]]
    for root in roots:
        root.pop("tags", None)
        for child in root["children"]:
            child.pop("tags", None)  # a tag on a group and on its part would count twice
    data = {
        "id": "random",
        "name": "Khung ngẫu nhiên",
        "assessor": "Thử",
        "year": 2026,
        "blocks": [{"code": code, "name": code} for code in BLOCKS],
        "tags": [{"code": "t", "name": "Tag"}],
        "not_applicable_policy": draw(st.sampled_from(["exclude", "full_credit"])),
        "classification": draw(classifications()),
        "ranking": {
            "by": draw(st.sampled_from(["percent", "points"])),
            "ties": draw(st.sampled_from(["competition", "dense", "ordinal"])),
            "precision": draw(st.sampled_from([None, 0, 1, 2, 4])),
            "tie_breakers": draw(st.sampled_from([[], [roots[0]["code"]], ["points"]])),
        },
        "display": {"scale": draw(st.sampled_from(["percent", "ratio"]))},
        "criteria": roots,
    }
    try:
        return parse_framework(yaml.safe_dump(data, allow_unicode=True))
    except Exception:  # e.g. a group none of whose parts applies to block b
        draw(st.nothing())


def _answer(draw, framework, code, block):
    node = framework.node(code)
    rule = node.effective_rule.type
    choices = ["none"] + (["na"] if node.not_applicable else [])
    choice = draw(st.sampled_from([*choices, "value", "value", "value"]))
    if choice == "none":
        return None
    if choice == "na":
        return Answer(not_applicable=True)
    maximum = framework.max_for(block)[code]
    if rule in ("yes_no", "yes_no_evidence"):
        return Answer(D(draw(st.integers(0, 1))), evidence=draw(st.booleans()))
    if rule in ("bands", "proportional"):
        denominator = draw(st.integers(1, 50))
        if draw(st.booleans()):
            return Answer(D(draw(st.integers(0, denominator))), D(denominator))
        return Answer(D(draw(st.integers(0, 1000))) / 10)
    if rule in ("count", "relative"):
        return Answer(D(draw(st.integers(0, 20))))
    if rule == "choice":
        return Answer(draw(st.sampled_from(["x", "Y"])))
    if rule == "info":
        return Answer(draw(st.sampled_from([D(3), "ghi chú"])))
    return Answer(D(draw(st.integers(0, int(maximum * 4)))) / 4)


@st.composite
def cycles(draw):
    framework = draw(frameworks())
    units = []
    for number in range(draw(st.integers(1, 8))):
        block = draw(st.sampled_from(BLOCKS))
        maxima = framework.max_for(block)
        answers = {}
        for code in maxima:
            node = framework.node(code)
            if node.is_leaf:
                given = _answer(draw, framework, code, block)
                if given is not None:
                    answers[code] = given
            elif node.not_applicable and draw(st.integers(0, 4)) == 0:
                answers[code] = Answer(not_applicable=True)
        inner = [code for code in maxima if not framework.node(code).is_leaf]
        if inner and draw(st.integers(0, 3)) == 0:
            # points given for a group directly: none for its parts or the groups around it
            group = draw(st.sampled_from(inner))
            around = {group, *framework.ancestors(group)}
            for code in list(answers):
                if around & {code, *framework.ancestors(code)}:
                    del answers[code]
            answers[group] = Answer(D(draw(st.integers(0, int(maxima[group])))))
        status = draw(st.sampled_from([Status.SUBMITTED] * 4 + [Status.VOLUNTARY, Status.NO_DATA]))
        if status is Status.NO_DATA:
            answers = {}
        units.append(UnitData(f"Đơn vị {number}", block, answers, status))
    return framework, units


_PERCENT = Context(prec=34)


@fuzz(200)
@given(cycles())
def test_the_engine_gives_what_the_reference_gives(cycle):
    framework, units = cycle
    try:
        expected = reference(framework, units)
    except ValueError:  # points given to a group over what applies to it
        with pytest.raises(InvalidData, match="over the maximum"):
            score(framework, units)
        return
    result = score(framework, units)
    display = framework.display
    for block in result.blocks:
        for got in block.units:
            if got.total is None:
                assert (got.rank, got.not_ranked_reason) == (None, NotRankedReason.NO_DATA)
                continue
            want = expected[got.unit]
            assert list(got.nodes) == list(want.nodes)  # same criteria, in the same order
            for code, node in got.nodes.items():
                assert (node.score, node.max, node.tier, node.not_applicable) == want.nodes[code]
                assert score_of(got.nodes, code) == node.score
                assert tier_of(got.nodes, code) == node.tier
            assert (got.total, got.max) == (want.total, want.max)
            if want.share is None:
                assert got.percent is None
            else:
                exact = _PERCENT.divide(want.share.numerator, want.share.denominator)
                assert got.percent == exact
                printed = round_half_up(got.percent, display.percent_decimals)
                assert printed == exact_round(want.share, display.percent_decimals)
            assert round_half_up(got.total, display.score_decimals) == exact_round(
                Fraction(want.total), display.score_decimals
            )
            assert (got.tier, got.not_ranked_reason, got.rank) == (
                want.tier,
                want.reason,
                want.rank,
            )
            assert {t: (r.score, r.max) for t, r in got.tags.items()} == want.tags
            assert (got.excluded, got.full_credit) == (want.excluded, want.full_credit)


@fuzz(100)
@given(cycles())
def test_a_unit_scored_alone_is_scored_as_in_a_cycle_of_its_own(cycle):
    """score_unit (a form's live points) skips the block's statistics and the other blocks:
    each unit's result is the one score() gives it in a cycle that holds only it."""
    framework, units = cycle
    for unit in units:
        try:
            whole = score(framework, [unit])
        except InvalidData as problem:
            with pytest.raises(InvalidData, match=str(problem.message)[:20]):
                score_unit(framework, unit)
            continue
        alone = next(got for block in whole.blocks for got in block.units)
        assert score_unit(framework, unit) == alone


@pytest.mark.parametrize("basis", ["percent", "points"])
@pytest.mark.parametrize("scale", ["percent", "ratio"])
@pytest.mark.parametrize("precision", [None, 0, 1, 2])
def test_tiers_are_decided_exactly_on_every_small_fraction(basis, scale, precision):
    # 0–60 hundredths of a point out of maxima 1–9: many land on a threshold exactly, or on a
    # rounding boundary of it (45,25 → 45,3; 79,96 % at precision 1 → 80,0)
    data = {
        "id": "tiers",
        "name": "Mức",
        "assessor": "Thử",
        "year": 2026,
        "blocks": [{"code": "a", "name": "A"}],
        "classification": {
            "basis": basis,
            "precision": precision,
            "tiers": [
                {"label": "Tốt", "min": "79.96" if basis == "percent" else "0.4525"},
                {"label": "Khá", "min": "45.25" if basis == "percent" else "0.25"},
            ],
            "below_lowest": {"label": "Yếu"},
        },
        "display": {"scale": scale},
        "criteria": [{"code": "X", "name": "X", "max": 9, "rule": {"type": "points"}}],
    }
    classification = parse_framework(yaml.safe_dump(data)).classification
    assert classification is not None
    scores = [s for s in range(61) for _ in range(1, 10)]
    maxima = [m for _ in range(61) for m in range(1, 10)]
    labels, below = tier_labels(
        classification, scale, np.array(scores) * 100, np.array(maxima) * 10_000, 4
    )
    for k, (s, m) in enumerate(zip(scores, maxima, strict=True)):
        want = reference_tier(classification, scale, Decimal(s) / 100, Decimal(m))
        assert (labels[k], bool(below[k])) == want, (s, m)


def test_units_that_share_answer_objects_are_scored_alike():
    # a file reader gives every cell of the same text one Answer: checked and scored once
    framework = parse_framework(
        yaml.safe_dump(
            {
                "id": "shared",
                "name": "Chung",
                "assessor": "Thử",
                "year": 2026,
                "blocks": [{"code": "a", "name": "A"}, {"code": "b", "name": "B"}],
                "criteria": [
                    {"code": "X", "name": "X", "max": {"a": 2, "b": 4}, "rule": {"type": "yes_no"}},
                    {"code": "Y", "name": "Y", "max": 4, "rule": {"type": "proportional"}},
                ],
            }
        )
    )
    yes, ratio = Answer(D(1)), Answer(D(3), D(4))
    units = [
        UnitData("Một", "a", {"X": yes, "Y": ratio}),
        UnitData("Hai", "b", {"X": yes, "Y": ratio}),
        UnitData("Ba", "a", {"X": yes}),
    ]
    result = {u.unit: u for block in score(framework, units).blocks for u in block.units}
    assert (result["Một"].nodes["X"].score, result["Hai"].nodes["X"].score) == (2, 4)
    assert result["Một"].nodes["Y"].score == result["Hai"].nodes["Y"].score == 3
    assert result["Ba"].total == 2 and result["Ba"].nodes["Y"].score == 0


def test_a_unit_reads_its_results_as_a_mapping():
    framework = parse_framework(
        yaml.safe_dump(
            {
                "id": "mapping",
                "name": "Ánh xạ",
                "assessor": "Thử",
                "year": 2026,
                "blocks": [{"code": "a", "name": "A"}],
                "criteria": [
                    {
                        "code": "A",
                        "name": "A",
                        "children": [
                            {"code": "A.1", "name": "A.1", "max": 2, "not_applicable": True},
                            {"code": "A.2", "name": "A.2", "max": 3},
                        ],
                    },
                    {
                        "code": "B",
                        "name": "B",
                        "children": [{"code": "B.1", "name": "B.1", "max": 5}],
                    },
                ],
            }
        )
    )
    answers = {"A.1": Answer(not_applicable=True), "A.2": Answer(D(1)), "B": Answer(D("2.5"))}
    (result,) = score(framework, [UnitData("Một", "a", answers)]).blocks[0].units
    nodes = result.nodes
    assert type(nodes) is UnitNodes
    assert list(nodes) == ["A.1", "A.2", "A", "B"]  # B.1 has no result: B is given
    assert len(nodes) == 4 and "B.1" not in nodes and "Z" not in nodes
    assert nodes["A.1"] == NodeResult(D(0), D(0), None, True)
    assert nodes["B"] == NodeResult(D("2.5"), D(5))
    assert nodes.get("B.1") is None and score_of(nodes, "B.1") is None
    assert (result.total, result.max, result.excluded) == (D("3.5"), D(8), ("A.1",))
