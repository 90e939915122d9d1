"""docs/frameworks.md: its example framework (Tỉnh Mẫu 2026) scores as the page works it out.

The YAML block after the line ``<!-- example: tinh-mau-2026 -->`` is read from the page itself,
so the page cannot drift from what chiso computes. The other claims of the page that carry
numbers (Bình Định's shared rank 10, Sơn La's "95,3", the three tie policies, the validation
errors) are checked here as well.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest
import yaml

from chiso.cli import main
from chiso.core import (
    Answer,
    CycleResult,
    Framework,
    FrameworkError,
    NotRankedReason,
    Status,
    UnitData,
    UnitResult,
    load_framework,
    parse_framework,
    round_half_up,
    score,
)
from chiso.core.ranking import TiePolicy, rank

DOC = Path(__file__).resolve().parents[2] / "docs" / "frameworks.md"
MARKER = "<!-- example: tinh-mau-2026 -->"


def _example() -> tuple[str, int]:
    """The example's YAML and the line of docs/frameworks.md where it starts."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index(MARKER)
    assert lines[start + 1] == "```yaml", "the example block must follow the marker line"
    end = lines.index("```", start + 2)
    return "\n".join(lines[start + 2 : end]) + "\n", start + 3


EXAMPLE, FIRST_LINE = _example()


def _in_doc(text: str) -> str:
    """``text`` preceded by blank lines, so that errors name lines of docs/frameworks.md."""
    return "\n" * (FIRST_LINE - 1) + text


def _doc_line(fragment: str) -> int:
    """The line of docs/frameworks.md holding the example's first line containing ``fragment``."""
    for number, line in enumerate(EXAMPLE.splitlines(), start=FIRST_LINE):
        if fragment in line:
            return number
    raise AssertionError(f"{fragment!r} is not in the example")


def yes(evidence: bool = False) -> Answer:
    return Answer(value=Decimal(1), evidence=evidence)


def no() -> Answer:
    return Answer(value=Decimal(0))


def num(value: str, denominator: str | None = None) -> Answer:
    return Answer(
        value=Decimal(value),
        denominator=None if denominator is None else Decimal(denominator),
    )


def pick(option: str) -> Answer:
    return Answer(value=option)


NA = Answer(not_applicable=True)

DEPARTMENTS = [
    UnitData(
        "Sở Alpha",
        "so",
        {
            "A.1": yes(),
            "A.2": num("50", "50"),
            "A.3": num("4"),
            "B.1": num("80"),
            "B.2": NA,
            "C.1": yes(evidence=True),
            "C.2": yes(evidence=True),
            "C.3": pick("toan-bo"),
            "D.1": num("4"),
            "D.2": num("3"),
            "E.1": num("1200"),
            "E.2": num("3"),
        },
    ),
    UnitData(
        "Sở Beta",
        "so",
        {
            "A.1": yes(),
            "A.2": num("45", "60"),
            "A.3": num("2"),
            "B.1": num("150", "250"),
            "B.2": num("45"),
            "C.1": yes(),
            "C.2": yes(evidence=True),
            "C.3": pick("mot-phan"),
            "D.1": num("3"),
            "D.2": num("2.5"),
            "E.1": num("900"),
        },
    ),
    UnitData(
        "Sở Gamma",
        "so",
        {
            "A.1": yes(),
            "A.2": num("60"),
            "A.3": num("1"),
            "B": NA,
            "C.1": yes(evidence=True),
            "C.2": yes(evidence=True),
            "C.3": pick("Mot-Phan"),
            "D.1": num("2"),
            "D.2": num("2.65"),
            "E.1": num("720"),
        },
    ),
    UnitData(
        "Sở Theta",
        "so",
        {
            "A.1": yes(),
            "A.2": num("30"),
            "A.3": num("0"),
            "B.1": num("40"),
            "B.2": num("50"),
            "C.1": yes(evidence=True),
            "C.2": no(),
            "C.3": pick("chua"),
            "D.1": num("2"),
            "D.2": num("3"),
            "E.1": num("1140"),
        },
    ),
    UnitData(
        "Ban Delta",
        "so",
        {
            "A.1": yes(),
            "A.2": num("100"),
            "B.1": num("80"),
            "C.3": pick("toan-bo"),
            "D.2": num("3"),
            "E.1": num("300"),
        },
        Status.VOLUNTARY,
    ),
    UnitData("Sở Epsilon", "so", {"A.1": yes(), "D.2": num("1")}),
    UnitData("Sở Zeta", "so", {}, Status.NO_DATA),
]

COMMUNES = [  # deliberately not in rank order
    UnitData(
        "Xã Bắc",
        "xa",
        {
            "A.1": yes(),
            "A.2": num("80"),
            "B.1": num("80"),
            "C.1": yes(evidence=True),
            "C.3": pick("toan-bo"),
            "D.2": num("3"),
            "E.1": num("500"),
            "F": yes(),
        },
    ),
    UnitData(
        "Phường Đông",
        "xa",
        {
            "A.1": yes(),
            "B.1": num("80"),
            "C.3": pick("toan-bo"),
            "D.2": num("3"),
            "E.1": num("1000"),
            "F": yes(),
        },
    ),
    UnitData(
        "Xã An",
        "xa",
        {
            "A.1": yes(),
            "B.1": num("80"),
            "B.2": num("100"),
            "C.1": yes(evidence=True),
            "C.3": pick("toan-bo"),
            "D.2": num("3"),
            "E.1": num("500"),
            "F": yes(),
        },
    ),
    UnitData("Xã Tây", "xa", {"A.1": yes(), "B": NA, "D.2": num("1"), "F": no()}),
]


@pytest.fixture(scope="module")
def framework() -> Framework:
    return parse_framework(_in_doc(EXAMPLE), "docs/frameworks.md")


@pytest.fixture(scope="module")
def results(framework: Framework) -> CycleResult:
    return score(framework, DEPARTMENTS + COMMUNES)


def unit(results: CycleResult, name: str) -> UnitResult:
    return next(u for block in results.blocks for u in block.units if u.unit == name)


# --- the file ---------------------------------------------------------------------------------


def test_example_has_the_documented_maxima(framework: Framework) -> None:
    assert framework.id == "tinh-mau-2026"
    assert framework.total_max("so") == 25
    assert framework.total_max("xa") == 30
    so, xa = framework.max_for("so"), framework.max_for("xa")
    assert {code: so[code] for code in "ABCDE"} == {"A": 5, "B": 6, "C": 4, "D": 5, "E": 5}
    assert {code: xa[code] for code in "ABCDEF"} == {
        "A": 5,
        "B": 6,
        "C": 4,
        "D": 5,
        "E": 6,
        "F": 4,
    }
    assert "F" not in so  # a block left out of `max` does not use the criterion
    assert so["E.2"] == 0  # info


def test_example_uses_every_rule_type(framework: Framework) -> None:
    used = {node.effective_rule.type for node in framework.nodes.values() if node.is_leaf}
    assert used == {
        "yes_no",
        "yes_no_evidence",
        "bands",
        "proportional",
        "count",
        "choice",
        "relative",
        "info",
        "points",
    }


# --- section 5: every rule, with the page's worked numbers -------------------------------------


@pytest.mark.parametrize(
    ("name", "code", "points"),
    [
        # yes_no
        ("Sở Alpha", "A.1", "1"),
        ("Sở Theta", "A.1", "1"),
        ("Xã Tây", "F", "0"),
        ("Xã Bắc", "F", "4"),
        # yes_no_evidence: yes only counts with evidence
        ("Sở Alpha", "C.1", "1"),
        ("Sở Beta", "C.1", "0"),
        ("Sở Theta", "C.2", "0"),
        # bands: 45/60 = 75 % reaches 50, not 80
        ("Sở Beta", "A.2", "1"),
        ("Sở Alpha", "A.2", "2"),
        ("Sở Theta", "A.2", "0"),
        # count with thresholds
        ("Sở Theta", "A.3", "0"),
        ("Sở Beta", "A.3", "1"),
        ("Sở Alpha", "A.3", "2"),
        # proportional: 4 × 60 / 80 = 3; 2 × 45 / 100 = 0.9
        ("Sở Beta", "B.1", "3"),
        ("Sở Beta", "B.2", "0.9"),
        ("Sở Theta", "B.1", "2"),
        # count per item, capped at max
        ("Sở Beta", "D.1", "1.5"),
        ("Sở Alpha", "D.1", "2"),
        # choice (case does not matter)
        ("Sở Beta", "C.3", "1"),
        ("Sở Gamma", "C.3", "1"),
        ("Sở Alpha", "C.3", "2"),
        # relative: 5 × 900 / 1200 = 3.75; communes: 6 × 500 / 1000 = 3
        ("Sở Alpha", "E.1", "5"),
        ("Sở Beta", "E.1", "3.75"),
        ("Sở Theta", "E.1", "4.75"),
        ("Ban Delta", "E.1", "1.25"),
        ("Phường Đông", "E.1", "6"),
        ("Xã An", "E.1", "3"),
        ("Xã Tây", "E.1", "0"),
        # info
        ("Sở Alpha", "E.2", "0"),
        # points (the default rule)
        ("Sở Beta", "D.2", "2.5"),
        ("Sở Gamma", "D.2", "2.65"),
    ],
)
def test_rule_gives_the_documented_points(
    results: CycleResult, name: str, code: str, points: str
) -> None:
    assert unit(results, name).nodes[code].score == Decimal(points)


def test_count_per_item_is_capped_at_max(framework: Framework) -> None:
    trained = UnitData("Sở Kappa", "so", {"D.1": num("7")})
    assert score(framework, [trained]).blocks[0].units[0].nodes["D.1"].score == 2


# --- section 11.1: departments -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "total", "maximum", "printed_percent", "tier", "rank_"),
    [
        ("Sở Alpha", "25", "25", "100.0", "Tốt", 1),
        ("Sở Beta", "16.65", "25", "66.6", "Khá", 2),
        ("Sở Gamma", "12.65", "19", "66.6", "Khá", 2),
        ("Sở Theta", "13.75", "25", "55.0", "Trung bình", 4),
        ("Ban Delta", "13.25", "25", "53.0", "Trung bình", None),
        ("Sở Epsilon", "2", "25", "8.0", "KXH", None),
    ],
)
def test_department_results(
    results: CycleResult,
    name: str,
    total: str,
    maximum: str,
    printed_percent: str,
    tier: str,
    rank_: int | None,
) -> None:
    result = unit(results, name)
    assert result.total == Decimal(total)
    assert result.max == Decimal(maximum)
    assert result.percent is not None
    assert round_half_up(result.percent, 1) == Decimal(printed_percent)
    assert result.tier == tier
    assert result.rank == rank_


def test_shared_rank_is_decided_on_the_printed_percentage(results: CycleResult) -> None:
    beta, gamma = unit(results, "Sở Beta"), unit(results, "Sở Gamma")
    assert beta.percent == Decimal("66.6")
    assert gamma.percent is not None
    assert round_half_up(gamma.percent, 3) == Decimal("66.579")  # 12.65 / 19
    assert beta.rank == gamma.rank == 2
    assert unit(results, "Sở Theta").rank == 4  # competition: 1, 2, 2, 4


def test_excluded_group_leaves_the_units_own_maximum(results: CycleResult) -> None:
    gamma = unit(results, "Sở Gamma")
    assert gamma.nodes["B"].not_applicable
    assert (gamma.nodes["B"].score, gamma.nodes["B"].max) == (Decimal(0), Decimal(0))
    assert "B.1" not in gamma.nodes  # declaring a group covers its parts
    assert gamma.max == 19
    assert gamma.tags["dvc"].max == 0


def test_full_credit_part_keeps_its_points(results: CycleResult) -> None:
    alpha = unit(results, "Sở Alpha")
    assert alpha.nodes["B.2"].not_applicable
    assert (alpha.nodes["B.2"].score, alpha.nodes["B.2"].max) == (Decimal(2), Decimal(2))
    assert (alpha.nodes["B"].score, alpha.nodes["B"].max) == (Decimal(6), Decimal(6))


def test_groups_get_tiers_and_tags_add_up(results: CycleResult) -> None:
    beta = unit(results, "Sở Beta")
    groups = {code: (beta.nodes[code].score, beta.nodes[code].tier) for code in "ABCDE"}
    assert groups == {
        "A": (3, "Trung bình"),  # 3 / 5 = 60 %
        "B": (Decimal("3.9"), "Khá"),  # 65 %
        "C": (2, "Trung bình"),  # 50 %
        "D": (4, "Đạt"),  # its own tiers, by points
        "E": (Decimal("3.75"), None),  # not classified
    }
    assert (beta.tags["attt"].score, beta.tags["attt"].max) == (Decimal(3), Decimal(5))
    assert (beta.tags["dvc"].score, beta.tags["dvc"].max) == (Decimal("3.9"), Decimal(6))


def test_units_not_ranked_and_why(results: CycleResult) -> None:
    assert unit(results, "Ban Delta").not_ranked_reason is NotRankedReason.VOLUNTARY
    assert unit(results, "Sở Epsilon").not_ranked_reason is NotRankedReason.BELOW_LOWEST_LEVEL
    zeta = unit(results, "Sở Zeta")
    assert zeta.not_ranked_reason is NotRankedReason.NO_DATA
    assert (zeta.total, zeta.tier, zeta.rank) == (None, None, None)


def test_departments_are_listed_in_published_order(results: CycleResult) -> None:
    assert [u.unit for u in results.blocks[0].units] == [
        "Sở Alpha",
        "Sở Beta",
        "Sở Gamma",
        "Sở Theta",
        "Ban Delta",
        "Sở Epsilon",
        "Sở Zeta",
    ]


def test_tier_is_decided_on_the_printed_percentage(framework: Framework) -> None:
    # 19.99 / 25 = 79.96 %, printed 80.0: Tốt under `precision: 1`.
    answers = {
        "A.1": yes(),
        "A.2": num("100"),
        "A.3": num("3"),
        "B.1": num("80"),
        "B.2": num("100"),
        "C.1": yes(evidence=True),
        "C.2": yes(evidence=True),
        "C.3": pick("toan-bo"),
        "D.1": num("4"),
        "D.2": num("2.99"),
    }
    result = score(framework, [UnitData("Sở Omega", "so", answers)]).blocks[0].units[0]
    assert result.total == Decimal("19.99")
    assert result.percent == Decimal("79.96")
    assert result.tier == "Tốt"


# --- section 11.2: communes --------------------------------------------------------------------


def test_commune_results(results: CycleResult) -> None:
    block = results.blocks[1]
    assert block.block == "xa"
    rows = [(u.unit, u.total, u.max, u.tier, u.rank) for u in block.units]
    assert rows == [
        ("Phường Đông", Decimal(20), Decimal(30), "Khá", 1),
        ("Xã An", Decimal(20), Decimal(30), "Khá", 2),
        ("Xã Bắc", Decimal(20), Decimal(30), "Khá", 3),
        ("Xã Tây", Decimal(2), Decimal(24), "Trung bình", 4),
    ]


def test_commune_ranks_do_not_depend_on_input_order(framework: Framework) -> None:
    forward = score(framework, COMMUNES).blocks[1].units
    backward = score(framework, COMMUNES[::-1]).blocks[1].units
    assert [(u.unit, u.rank) for u in forward] == [(u.unit, u.rank) for u in backward]


# --- section 8: ties, Bình Định, Sơn La -------------------------------------------------------


@pytest.mark.parametrize(
    ("ties", "expected"),
    [("competition", [1, 1, 3]), ("dense", [1, 1, 2]), ("ordinal", [1, 2, 3])],
)
def test_tie_policies(ties: TiePolicy, expected: list[int]) -> None:
    keys = [(Decimal("95.3"),), (Decimal("95.3"),), (Decimal("93.1"),)]
    assert rank(keys, ["Sở A", "Sở B", "Sở C"], ties) == expected


# Bảng 1 of Bình Định 2021 as published: groups I, II, III, IV, V, VI and the exemption
# ("*": no procedures via the postal service, II.b.2; "**": no procedures at all, II.b).
BINH_DINH_BANG_1 = [
    ("Sở Tài chính", (13, 26, 15, 5, 8, 12), "*", 1),
    ("Sở Thông tin và Truyền thông", (13, 32, 15, 5, 8, 12), "", 1),
    ("Văn phòng UBND tỉnh", (13, 17, 15, 5, 8, 12), "**", 1),
    ("Sở Xây dựng", (13, 32, 15, 5, 8, 11), "", 4),
    ("Ban Quản lý Khu kinh tế", (13, 32, 15, 5, 8, 11), "", 4),
    ("Sở Khoa học và Công nghệ", (13, 32, 15, 5, 8, 11), "", 4),
    ("Sở Kế hoạch và Đầu tư", (13, 32, 15, 5, 8, 11), "", 4),
    ("Sở Tư pháp", (13, 32, 15, 5, 8, 11), "", 4),  # printed 9: erratum BD-1
    ("Sở Tài Nguyên và Môi trường", (13, 32, 15, 5, 8, 10), "", 9),
    ("Sở Nội vụ", (13, 30, 15, 5, 8, 11), "", 10),
    ("Thanh tra tỉnh", (13, 17, 15, 5, 8, 9), "**", 10),
    ("Sở Y tế", (13, 31, 15, 5, 7, 11), "", 10),
    ("Sở Công Thương", (13, 30, 15, 5, 8, 10), "", 13),
    ("Sở Lao động-TB&XH", (12, 30, 15, 5, 8, 11), "", 13),
    ("Sở Nông nghiệp và PTNT", (13, 29, 15, 5, 8, 11), "", 13),
    ("Sở Ngoại vụ", (11, 32, 15, 5, 8, 9), "", 16),
    ("Sở Giao thông vận tải", (13, 29, 15, 5, 7, 10), "", 17),
    ("Sở Giáo dục và Đào tạo", (13, 28, 15, 5, 7, 11), "", 17),
    ("Sở Du lịch", (13, 31, 15, 5, 6, 9), "", 17),
    ("Ban Dân tộc", (11, 16, 15, 5, 8, 8), "**", 20),
    ("Sở Văn hóa và Thể thao", (12, 30, 15, 5, 5, 8), "", 21),
]


def test_binh_dinh_ranks_on_the_whole_number_percentage() -> None:
    framework = load_framework("binh-dinh-2021")
    units = []
    for name, groups, exemption, _ in BINH_DINH_BANG_1:
        answers = {
            code: Answer(value=Decimal(points))
            for code, points in zip(("I", "II", "III", "IV", "V", "VI"), groups, strict=True)
        }
        if exemption == "*":
            answers["II.b.2"] = NA
        elif exemption == "**":
            answers["II.b"] = NA
        units.append(UnitData(name, "so", answers))
    results = score(framework, units)
    ranks = {u.unit: u.rank for u in results.blocks[0].units}
    assert ranks == {name: expected for name, _, _, expected in BINH_DINH_BANG_1}
    noi_vu, thanh_tra = unit(results, "Sở Nội vụ"), unit(results, "Thanh tra tỉnh")
    totals = (noi_vu.total, noi_vu.max, thanh_tra.total, thanh_tra.max)
    assert totals == tuple(Decimal(n) for n in (82, 85, 67, 70))
    assert noi_vu.percent is not None and thanh_tra.percent is not None
    assert round_half_up(noi_vu.percent, 2) == Decimal("96.47")
    assert round_half_up(thanh_tra.percent, 2) == Decimal("95.71")
    assert unit(results, "Sở Tài chính").max == 79


def test_son_la_ties_on_one_decimal_of_points() -> None:
    framework = parse_framework(
        """\
id: son-la-mini
name: Sơn La (three units)
assessor: Sở Thông tin và Truyền thông tỉnh Sơn La
year: 2020
blocks: [{code: so, name: CQNN cấp tỉnh}]
ranking: {by: points, ties: competition, precision: 1}
criteria:
  - {code: T, name: Tổng điểm, max: 100}
""",
        "son-la-mini.yaml",
    )
    scores = {"Sở Nội vụ": "95.294", "Sở Thông tin và Truyền thông": "95.3", "Ban Dân tộc": "93.1"}
    units = [UnitData(name, "so", {"T": num(value)}) for name, value in scores.items()]
    ranks = {u.unit: u.rank for u in score(framework, units).blocks[0].units}
    assert ranks == {"Sở Nội vụ": 1, "Sở Thông tin và Truyền thông": 1, "Ban Dân tộc": 3}


# --- section 10: validation errors -------------------------------------------------------------


def _replace_once(old: str, new: str) -> str:
    assert EXAMPLE.count(old) == 1, old
    return EXAMPLE.replace(old, new)


def test_documented_error_message() -> None:
    broken = _replace_once(
        "        name: Chất lượng báo cáo chuyển đổi số (Tổ thẩm định chấm)\n        max: 3\n",
        "        name: Chất lượng báo cáo chuyển đổi số (Tổ thẩm định chấm)\n",
    )
    with pytest.raises(FrameworkError) as caught:
        parse_framework(broken, "tinh-mau-2026.yaml")
    assert str(caught.value) == (
        "tinh-mau-2026.yaml, line 139: criteria.D.children.D.2:"
        " a criterion without children needs 'max'"
    )
    assert caught.value.line == 139
    assert caught.value.field == "criteria.D.children.D.2"


def _documented_errors() -> list[str]:
    """The lines of the block after ``<!-- errors: tinh-mau-2026 -->`` in section 10."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("<!-- errors: tinh-mau-2026 -->")
    assert lines[start + 1] == "```text", "the errors block must follow the marker line"
    return lines[start + 2 : lines.index("```", start + 2)]


DOCUMENTED_MISTAKES = [
    # (old, new) in the example, as the page describes them below its list of errors
    ("id: tinh-mau-2026", "id: Tỉnh Mẫu 2026"),
    ("year: 2026", "year: hai nghìn"),
    ("      tie_breakers: [E]", "      tie_breakers: [E.9]"),
    (
        "  - {label: Khá, min: 65, heading: Mức khá}\n    - {label: Trung bình, min: 50",
        "  - {label: Khá, min: 85, heading: Mức khá}\n    - {label: Trung bình, min: 50",
    ),
    ("            - {min: 50, points: 1}", "            - {min: 50, points: 1,5}"),
    ("            - {min: 3, points: 2}", "            - {mim: 3, points: 2}"),
    (
        "    tags: [dvc]\n    not_applicable: true",
        "    tags: [dvc, mot-cua]\n    not_applicable: true",
    ),
    ("max: {so: 4, xa: 4}", "max: {so: 4, xa: 5}"),
    ("        max: {so: 5, xa: 6}\n", "        max: {so: 5, xa: 6}\n        max: 5\n"),
]


def test_documented_errors_are_chisos() -> None:
    reported = []
    for old, new in DOCUMENTED_MISTAKES:
        with pytest.raises(FrameworkError) as caught:
            parse_framework(_replace_once(old, new), "tinh-mau-2026.yaml")
        reported.append(str(caught.value))
    assert reported == _documented_errors()


@pytest.mark.skipif(not yaml.__with_libyaml__, reason="the page quotes libyaml's words")
def test_documented_indentation_error() -> None:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = next(i for i, line in enumerate(lines) if "one space to the left" in line)
    documented = lines[lines.index("```text", start) + 1]
    broken = _replace_once(
        "        name: Cơ quan kết nối mạng", "       name: Cơ quan kết nối mạng"
    )
    with pytest.raises(FrameworkError) as caught:
        parse_framework(broken, "tinh-mau-2026.yaml")
    assert str(caught.value) == documented


def test_group_max_that_is_not_the_sum_points_at_the_groups_max() -> None:
    broken = _replace_once("    max: 5\n    classify: true\n", "    max: 6\n    classify: true\n")
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_in_doc(broken), "docs/frameworks.md")
    assert caught.value.line == _doc_line("  - code: A") + 3  # A's third field, its max
    assert caught.value.field == "criteria.A.max"
    assert caught.value.message == "max 6 for block 'so' is not the sum of its children (5)"


def test_tag_on_a_criterion_and_its_group_is_refused() -> None:
    broken = _replace_once("    max: 5\n    classify: true\n", "    max: 5\n    tags: [attt]\n")
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_in_doc(broken), "docs/frameworks.md")
    assert caught.value.line == _doc_line("      - code: A.2") + 4  # A.2's tags
    assert caught.value.field == "criteria.A.children.A.2.tags.[0]"
    assert "tag 'attt' is already on A" in caught.value.message


def test_unknown_rule_type_points_at_the_rule() -> None:
    broken = _replace_once("{type: proportional, full_at: 80}", "{type: proportion, full_at: 80}")
    with pytest.raises(FrameworkError) as caught:
        parse_framework(_in_doc(broken), "docs/frameworks.md")
    assert caught.value.line == _doc_line("{type: proportional, full_at: 80}")
    assert caught.value.field == "criteria.B.children.B.1.rule"
    assert "'proportion'" in caught.value.message


# --- section 11.3: the data file -------------------------------------------------------------


def _data_example() -> str:
    """The CSV block after the line ``<!-- data: tinh-mau-2026 -->``."""
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("<!-- data: tinh-mau-2026 -->")
    assert lines[start + 1] == "```csv", "the data block must follow the marker line"
    end = lines.index("```", start + 2)
    return "\n".join(lines[start + 2 : end]) + "\n"


def test_documented_data_file_scores_as_the_worked_example(
    tmp_path: Path, results: CycleResult
) -> None:
    """The page's CSV, read and scored by the command, gives every unit the totals, maxima,
    percentages, tiers, ranks and group points of the worked example (checked above against
    the page's figures)."""
    (tmp_path / "tinh-mau-2026.yaml").write_text(EXAMPLE, encoding="utf-8")
    (tmp_path / "units.csv").write_text(_data_example(), encoding="utf-8")
    out = tmp_path / "result.json"
    code = main(
        [
            "score",
            "--framework",
            str(tmp_path / "tinh-mau-2026.yaml"),
            "--data",
            str(tmp_path / "units.csv"),
            "--format",
            "json",
            "--out",
            str(out),
        ]
    )
    assert code == 0
    document = json.loads(out.read_text(encoding="utf-8"), parse_float=Decimal)
    read = {u["unit"]: u for block in document["blocks"] for u in block["units"]}
    expected = {u.unit: u for block in results.blocks for u in block.units}
    assert read.keys() == expected.keys()
    for name, worked in expected.items():
        given = read[name]
        assert given["status"] == worked.status.value, name
        assert given["total"] == worked.total, name
        assert given["max"] == worked.max, name
        assert given["percent"] == worked.percent, name
        assert given["tier"] == worked.tier, name
        assert given["rank"] == worked.rank, name
        for code_, points in given["groups"].items():
            assert points == worked.nodes[code_].score, (name, code_)
