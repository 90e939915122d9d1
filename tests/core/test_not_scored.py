"""Whether a unit is not scored on a group: its maximum for the unit is 0 and the block's is
not (it declared the group, or every part of it, not applicable under ``exclude``). A group
under ``full_credit`` is scored, and an ``info`` group (maximum 0 in the block) is scored 0 of
0 — for the statistics too."""

from decimal import Decimal

from chiso.core import Answer, UnitData, parse_framework, score
from chiso.core.model import NodeResult, not_scored

FRAMEWORK = """
id: thu-2026
name: Khung thử
assessor: Sở Thông tin và Truyền thông tỉnh Thử
year: 2026
blocks:
  - {code: so, name: Sở}
not_applicable_policy: exclude
criteria:
  - code: A
    name: Hạ tầng
    children:
      - {code: A.1, name: Mạng, max: 2, rule: {type: points}, not_applicable: true}
      - {code: A.2, name: Quy chế, max: 3, rule: {type: points}, not_applicable: true}
  - code: B
    name: Dịch vụ
    max: 4
    not_applicable: true
    not_applicable_policy: full_credit
  - code: I
    name: Đô thị thông minh
    rule: {type: info}
"""

NA = Answer(not_applicable=True)


def test_not_scored_only_where_the_unit_maximum_is_0_and_the_block_one_is_not() -> None:
    framework = parse_framework(FRAMEWORK, "thu.yaml")
    units = [
        UnitData(
            "Sở A", "so", {"A.1": NA, "A.2": NA, "B": Answer(Decimal(1)), "I": Answer(Decimal(5))}
        ),
        UnitData("Sở B", "so", {"A.1": Answer(Decimal(1)), "A.2": Answer(Decimal(0)), "B": NA}),
        UnitData("Sở C", "so", {"A.1": Answer(Decimal(2)), "A.2": NA, "B": Answer(Decimal(4))}),
    ]
    [block] = score(framework, units).blocks
    results = {u.unit: u for u in block.units}
    maxima = framework.max_for("so")
    codes = ["A", "B", "I"]
    assert results["Sở A"].not_scored(codes, maxima) == ["A"]  # every part of A excluded
    assert results["Sở B"].not_scored(codes, maxima) == []  # B: full credit, 4 of 4
    assert results["Sở C"].not_scored(codes, maxima) == []  # A: 2 of 2
    # the declarations, by policy, in the framework's order
    assert (results["Sở A"].excluded, results["Sở A"].full_credit) == (("A.1", "A.2"), ())
    assert (results["Sở B"].excluded, results["Sở B"].full_credit) == ((), ("B",))
    assert (results["Sở C"].excluded, results["Sở C"].full_credit) == (("A.2",), ())
    for unit in results.values():  # the info group: 0 of 0 for everyone, not "not scored"
        assert (unit.nodes["I"].score, unit.nodes["I"].max) == (0, 0)
        assert not not_scored(unit.nodes["I"], maxima["I"])
    # the statistics leave out only Sở A's A; the info group counts every unit
    assert block.stats.groups["A"].count == 2
    assert block.stats.groups["I"].count == 3
    assert block.stats.groups["B"].count == 3


def test_the_predicate() -> None:
    zero, five = Decimal(0), Decimal(5)
    assert not_scored(NodeResult(zero, zero, not_applicable=True), five)
    assert not_scored(NodeResult(zero, zero), five)  # every part excluded
    assert not not_scored(NodeResult(zero, zero), zero)  # an info group
    assert not not_scored(NodeResult(zero, five), five)  # a real 0
    assert not not_scored(NodeResult(five, five, not_applicable=True), five)  # full credit
    assert not not_scored(None, five)  # no data
