"""The block plan (units that answer leaf criteria, some declared not applicable) scores
exactly as the general walk of the criteria tree, on randomly generated frameworks and
answers; unit results keep their node results compactly (NodeScores) and read as a mapping.
"""

from decimal import Decimal

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chiso.core import Answer, NodeResult, Status, UnitData, parse_framework, score
from chiso.core.model import NodeScores, score_of, tier_of
from chiso.core.numbers import percent
from chiso.core.scoring import _evaluate
from chiso.core.tiers import classify

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
        "classification": {
            "tiers": [{"label": "Tốt", "min": 80}, {"label": "Khá", "min": 50}, {"label": "Yếu"}]
        },
        "ranking": {"by": "percent", "tie_breakers": [roots[0]["code"]]},
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
    for number in range(draw(st.integers(1, 6))):
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
        status = draw(st.sampled_from([Status.SUBMITTED] * 4 + [Status.VOLUNTARY]))
        units.append(UnitData(f"Đơn vị {number}", block, answers, status))
    return framework, units


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cycles())
def test_the_plan_scores_every_node_as_the_tree_walk(cycle):
    framework, units = cycle
    result = score(framework, units)
    for block in result.blocks:
        members = [unit for unit in units if unit.block == block.block]
        maxima = framework.max_for(block.block)
        best = _best(framework, maxima, members)
        by_name = {unit.unit: unit for unit in members}
        for unit_result in block.units:
            walked = _evaluate(framework, maxima, by_name[unit_result.unit], best)
            got = unit_result.nodes
            assert list(got) == list(walked)  # same criteria, in the same order
            for code, expected in walked.items():
                node = got[code]
                assert (node.score, node.max, node.not_applicable) == (
                    expected.score,
                    expected.max,
                    expected.not_applicable,
                ), code
                assert score_of(got, code) == expected.score
            roots = [walked[r.code] for r in framework.criteria if r.code in walked]
            assert unit_result.total == sum((r.score for r in roots), D(0))
            assert unit_result.max == sum((r.max for r in roots), D(0))
            # the criteria listed as excluded are what the unit's maximum lost, each 0 of 0
            lost = sum((maxima[code] for code in unit_result.excluded), D(0))
            assert unit_result.max == framework.total_max(block.block) - lost
            for code in unit_result.excluded:
                assert (walked[code].score, walked[code].max) == (0, 0), code
            for code, expected in walked.items():  # tiers of the classified criteria
                classification = framework.node_classification(code, block.block)
                tier = None
                if classification is not None and expected.max > 0:
                    share = percent(expected.score, expected.max)
                    tier, _ = classify(
                        classification, expected.score, share, framework.display.scale
                    )
                assert got[code].tier == tier, code
            tags: dict[str, tuple[D, D]] = {}
            for code, names in framework.tagged:
                if code in walked:
                    for tag in names:
                        total, most = tags.get(tag, (D(0), D(0)))
                        tags[tag] = (total + walked[code].score, most + walked[code].max)
            assert {t: (r.score, r.max) for t, r in unit_result.tags.items()} == tags


def _best(framework, maxima, members):
    """The best value of the block under each relative criterion (0 when nobody answered)."""
    best = {}
    for code in maxima:
        if framework.node(code).effective_rule.type == "relative":
            values = [
                u.answers[code].value
                for u in members
                if code in u.answers
                and isinstance(u.answers[code].value, D)
                and not u.answers[code].not_applicable
                and u.status is not Status.NO_DATA
            ]
            best[code] = max([D(0), *values])
    return best


def test_node_scores_read_as_a_mapping():
    index = {"A.1": 0, "A.2": 1, "A": 2, "B": 3}
    nodes = NodeScores(index, [D(1), None, D(1), D(2)], [D(2), D(3), D(2), D(5)], {2: "Khá"}, {0})
    assert list(nodes) == ["A.1", "A", "B"]
    assert len(nodes) == 3
    assert "A.2" not in nodes and "Z" not in nodes and "A" in nodes
    assert nodes["A.1"] == NodeResult(D(1), D(2), None, True)
    assert nodes["A"] == NodeResult(D(1), D(2), "Khá")
    assert nodes == {
        "A.1": NodeResult(D(1), D(2), None, True),
        "A": NodeResult(D(1), D(2), "Khá"),
        "B": NodeResult(D(2), D(5)),
    }
    assert nodes.get("A.2") is None
    assert score_of(nodes, "B") == 2 and score_of(nodes, "A.2") is None
    assert tier_of(nodes, "A") == "Khá" and tier_of(nodes, "B") is None
    plain = {"A": NodeResult(D(1), D(2), "Khá")}
    assert score_of(plain, "A") == 1 and tier_of(plain, "A") == "Khá"
    assert score_of(plain, "B") is None and tier_of(plain, "B") is None


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
