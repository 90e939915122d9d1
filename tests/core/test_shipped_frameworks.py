"""The frameworks shipped with chiso: they load, their maxima are the published ones, and they
score the way the provinces' reports do.

Every expected number here is worked out by hand from the sources (the seed reports and the
golden tables in /work/shared/golden), never taken from the code's own output.
"""

from __future__ import annotations

from decimal import Decimal

import pytest

from chiso.core import (
    Answer,
    Framework,
    InvalidData,
    NotRankedReason,
    Status,
    UnitData,
    UnitResult,
    load_framework,
    score,
    shipped_frameworks,
)

D = Decimal

EXPECTED_IDS = {
    "binh-dinh-2021",
    "son-la-2020",
    "cao-bang-2020",
    "binh-phuoc-2021",
    "dti-922-2022",
}


def _unit(name: str, block: str, status: Status = Status.SUBMITTED, **points: str) -> UnitData:
    """A unit whose answers are points per criterion code ("NA" = not applicable)."""
    answers = {
        code.replace("_", "."): Answer(not_applicable=True)
        if value == "NA"
        else Answer(value=D(value))
        for code, value in points.items()
    }
    return UnitData(unit=name, block=block, answers=answers, status=status)


def _results(framework: Framework, units: list[UnitData], block: str) -> dict[str, UnitResult]:
    cycle = score(framework, units)
    (found,) = [b for b in cycle.blocks if b.block == block]
    return {result.unit: result for result in found.units}


def _spread(total: str, groups: list[tuple[str, str]]) -> dict[str, str]:
    """``total`` points filled into the groups in order, each up to its maximum."""
    rest = D(total)
    parts = {}
    for code, maximum in groups:
        part = min(rest, D(maximum))
        parts[code] = str(part)
        rest -= part
    assert rest == 0
    return parts


# --- every shipped framework --------------------------------------------------------------


def test_the_expected_frameworks_are_shipped() -> None:
    assert set(shipped_frameworks()) >= EXPECTED_IDS


@pytest.mark.parametrize("framework_id", sorted(shipped_frameworks()))
def test_shipped_framework_loads(framework_id: str) -> None:
    framework = load_framework(framework_id)
    assert framework.id == framework_id
    for block in framework.blocks:
        assert framework.total_max(block.code) > 0
        assert framework.ranking_for(block.code) is not None


@pytest.mark.parametrize(
    ("framework_id", "block", "total"),
    [
        ("binh-dinh-2021", "so", "85"),
        ("binh-dinh-2021", "huyen", "100"),
        ("son-la-2020", "tinh", "100"),
        ("son-la-2020", "huyen", "100"),
        ("cao-bang-2020", "so", "60"),
        ("cao-bang-2020", "huyen", "120"),
        # placeholders: 7 and 9 pillars of 100 points
        ("binh-phuoc-2021", "so", "700"),
        ("binh-phuoc-2021", "huyen", "900"),
        ("dti-922-2022", "tinh", "1000"),
    ],
)
def test_total_maximum(framework_id: str, block: str, total: str) -> None:
    assert load_framework(framework_id).total_max(block) == D(total)


@pytest.mark.parametrize(
    ("framework_id", "block", "code", "maximum"),
    [
        ("son-la-2020", "tinh", "TD", "100"),
        ("son-la-2020", "huyen", "TD", "100"),
        ("cao-bang-2020", "so", "1", "8"),
        ("cao-bang-2020", "so", "2", "16"),
        ("cao-bang-2020", "so", "3", "20"),
        ("cao-bang-2020", "so", "4", "6"),
        ("cao-bang-2020", "so", "5", "5"),
        ("cao-bang-2020", "so", "6", "5"),
        ("cao-bang-2020", "huyen", "I", "40"),
        ("cao-bang-2020", "huyen", "I.1", "24"),
        ("cao-bang-2020", "huyen", "I.2", "9"),
        ("cao-bang-2020", "huyen", "I.3", "7"),
        ("cao-bang-2020", "huyen", "II", "80"),
        ("cao-bang-2020", "huyen", "II.1", "38"),
        ("cao-bang-2020", "huyen", "II.2", "30"),
        ("cao-bang-2020", "huyen", "II.3", "9"),
        ("cao-bang-2020", "huyen", "II.4", "3"),
        ("dti-922-2022", "tinh", "NTS", "100"),
        ("dti-922-2022", "tinh", "TCS", "100"),
        ("dti-922-2022", "tinh", "HTS", "100"),
        ("dti-922-2022", "tinh", "NLS", "100"),
        ("dti-922-2022", "tinh", "ATTT", "100"),
        ("dti-922-2022", "tinh", "DTTM", "0"),
        ("dti-922-2022", "tinh", "CQS", "200"),
        ("dti-922-2022", "tinh", "KTS", "150"),
        ("dti-922-2022", "tinh", "XHS", "150"),
    ],
)
def test_criterion_maximum(framework_id: str, block: str, code: str, maximum: str) -> None:
    assert load_framework(framework_id).max_for(block)[code] == D(maximum)


@pytest.mark.parametrize(
    ("framework_id", "block", "absent"),
    [
        # Cao Bằng: the departments' groups and the districts' criteria are disjoint
        ("cao-bang-2020", "so", ["I", "I.1", "I.2", "I.3", "II", "II.1", "II.2", "II.3", "II.4"]),
        ("cao-bang-2020", "huyen", ["1", "2", "3", "4", "5", "6"]),
        # Bình Phước: block-specific pillars
        ("binh-phuoc-2021", "so", ["KNAT", "NTXH", "TCXH", "NLXH"]),
        ("binh-phuoc-2021", "huyen", ["DL", "NL"]),
    ],
)
def test_criteria_of_the_other_block_do_not_apply(
    framework_id: str, block: str, absent: list[str]
) -> None:
    maxima = load_framework(framework_id).max_for(block)
    assert not set(absent) & set(maxima)


@pytest.mark.parametrize(
    ("framework_id", "block", "groups"),
    [
        ("son-la-2020", "tinh", 1),  # the hạng mục maxima are not published: one total
        ("son-la-2020", "huyen", 1),
        ("cao-bang-2020", "so", 6),
        ("cao-bang-2020", "huyen", 2),  # ĐKSS CQĐT and KQ CQĐT
        ("binh-phuoc-2021", "so", 7),
        ("binh-phuoc-2021", "huyen", 9),
        ("dti-922-2022", "tinh", 9),
    ],
)
def test_number_of_top_level_groups(framework_id: str, block: str, groups: int) -> None:
    framework = load_framework(framework_id)
    maxima = framework.max_for(block)
    assert len([root for root in framework.criteria if root.code in maxima]) == groups


# --- Sơn La 2020 ------------------------------------------------------------------------

# Bảng 1 and Bảng 2 of QĐ 2793/QĐ-UBND, scores of 2020.
SON_LA_TINH_2020 = {
    "Sở Nội vụ": "95.3",
    "Sở Thông tin và Truyền thông": "95.3",
    "Ban Dân tộc": "93.1",
    "Sở Khoa học và Công nghệ": "92.9",
    "Sở Y tế": "92.4",
    "Sở Giao thông vận tải": "92.3",
    "Sở Văn hóa, Thể thao và Du lịch": "90.7",
    "Văn phòng UBND tỉnh": "90.6",
    "Sở Công Thương": "90.2",
    "Sở Xây dựng": "90.1",
    "Sở Tài chính": "90.1",
    "Sở Kế hoạch và Đầu tư": "84.3",
    "Sở Tài nguyên và Môi trường": "83.6",
    "Sở Nông nghiệp và Phát triển nông thôn": "82.7",
    "Sở Tư pháp": "81.4",
    "Sở Lao động - Thương binh và Xã hội": "80.1",
    "Ban Quản lý các khu công nghiệp tỉnh": "77.8",
    "Thanh tra tỉnh": "76.8",
    "Sở Ngoại vụ": "75.5",
    "Sở Giáo dục và Đào tạo": "70.4",
}
SON_LA_HUYEN_2020 = {
    "UBND huyện Mộc Châu": "89.2",
    "UBND thành phố Sơn La": "89.1",
    "UBND huyện Sông Mã": "86.5",
    "UBND huyện Sốp Cộp": "84.9",
    "UBND huyện Mai Sơn": "84.6",
    "UBND huyện Phù Yên": "84.5",
    "UBND huyện Yên Châu": "84.0",
    "UBND huyện Quỳnh Nhai": "81.6",
    "UBND huyện Bắc Yên": "80.1",
    "UBND huyện Thuận Châu": "79.5",
    "UBND huyện Mường La": "78.1",
    "UBND huyện Vân Hồ": "73.5",
}


def test_son_la_reproduces_the_published_ranks_with_shared_ties() -> None:
    framework = load_framework("son-la-2020")
    units = [_unit(name, "tinh", TD=value) for name, value in SON_LA_TINH_2020.items()]
    results = _results(framework, units, "tinh")
    ranks = {name: result.rank for name, result in results.items()}
    # the published "Năm 2020" ranks of Bảng 1: 1, 1, 3 … 10, 10, 12 …
    assert ranks == {
        "Sở Nội vụ": 1,
        "Sở Thông tin và Truyền thông": 1,
        "Ban Dân tộc": 3,
        "Sở Khoa học và Công nghệ": 4,
        "Sở Y tế": 5,
        "Sở Giao thông vận tải": 6,
        "Sở Văn hóa, Thể thao và Du lịch": 7,
        "Văn phòng UBND tỉnh": 8,
        "Sở Công Thương": 9,
        "Sở Xây dựng": 10,
        "Sở Tài chính": 10,
        "Sở Kế hoạch và Đầu tư": 12,
        "Sở Tài nguyên và Môi trường": 13,
        "Sở Nông nghiệp và Phát triển nông thôn": 14,
        "Sở Tư pháp": 15,
        "Sở Lao động - Thương binh và Xã hội": 16,
        "Ban Quản lý các khu công nghiệp tỉnh": 17,
        "Thanh tra tỉnh": 18,
        "Sở Ngoại vụ": 19,
        "Sở Giáo dục và Đào tạo": 20,
    }


def test_son_la_decides_ties_on_one_decimal() -> None:
    framework = load_framework("son-la-2020")
    units = [
        _unit("A", "tinh", TD="95.34"),  # 95.3
        _unit("B", "tinh", TD="95.25"),  # 95.3 (half up)
        _unit("C", "tinh", TD="95.24"),  # 95.2
    ]
    ranks = {name: r.rank for name, r in _results(framework, units, "tinh").items()}
    assert ranks == {"A": 1, "B": 1, "C": 3}


@pytest.mark.parametrize(
    ("points", "tier"),
    [
        ("100", "Tốt"),
        ("86.3", "Tốt"),
        ("85", "Tốt"),
        ("84.9", "Khá"),
        ("70.2", "Khá"),
        ("70", "Khá"),
        ("69.9", "Trung bình"),
        ("60.1", "Trung bình"),
        ("0", "Trung bình"),
    ],
)
def test_son_la_tiers(points: str, tier: str) -> None:
    framework = load_framework("son-la-2020")
    (result,) = _results(framework, [_unit("X", "huyen", TD=points)], "huyen").values()
    assert result.tier == tier
    assert result.rank == 1


@pytest.mark.parametrize(
    ("block", "scores", "shares"),
    [
        # "Về tỷ lệ mức độ", Năm 2020: 55 % / 45 % / 0 % and 25 % / 75 % / 0 %
        ("tinh", SON_LA_TINH_2020, {"Tốt": 55, "Khá": 45, "Trung bình": 0}),
        ("huyen", SON_LA_HUYEN_2020, {"Tốt": 25, "Khá": 75, "Trung bình": 0}),
    ],
)
def test_son_la_reproduces_the_published_tier_shares(
    block: str, scores: dict[str, str], shares: dict[str, int]
) -> None:
    framework = load_framework("son-la-2020")
    cycle = score(framework, [_unit(name, block, TD=value) for name, value in scores.items()])
    (found,) = [b for b in cycle.blocks if b.block == block]
    assert {t.label: t.share for t in found.stats.tiers} == {k: D(v) for k, v in shares.items()}


# --- Cao Bằng 2020 ------------------------------------------------------------------------

# the departments' groups with their maxima (row "Điểm tối đa" of Bảng 1)
CB_SO = [("1", "8"), ("2", "16"), ("3", "20"), ("4", "6"), ("5", "5"), ("6", "5")]


def test_cao_bang_full_credit_for_the_office_without_procedures() -> None:
    framework = load_framework("cao-bang-2020")
    # Văn phòng UBND tỉnh, Bảng 1: 5,0 + 13,2 + 12,0 + (6,0 by exemption) + 4,0 + 5,0 = 45,2
    # (printed 44,2: erratum CB-1 of the golden tables)
    answers = {"1": "5.0", "2": "13.2", "3": "12.0", "4": "NA", "5": "4.0", "6": "5.0"}
    office = _unit("Văn phòng UBND tỉnh", "so", **answers)
    result = _results(framework, [office], "so")["Văn phòng UBND tỉnh"]
    assert result.nodes["4"].score == D(6)
    assert result.nodes["4"].max == D(6)
    assert result.nodes["4"].not_applicable
    assert result.total == D("45.2")
    assert result.max == D(60)  # full credit keeps the maximum at 60
    assert result.tier == "Mức III"  # 42 ≤ 45,2 < 48


def test_cao_bang_unit_below_mức_iv_is_kxh_but_still_ranked() -> None:
    framework = load_framework("cao-bang-2020")
    units = [
        # Sở Giáo dục và Đào tạo, Bảng 1: 8,0 + 15,9 + 19,0 + 3,4 + 5,0 + 5,0 = 56,3
        _unit("Sở Giáo dục và Đào tạo", "so",
              **{"1": "8.0", "2": "15.9", "3": "19.0", "4": "3.4", "5": "5.0", "6": "5.0"}),
        # a made-up department: 4,0 + 11,9 + 8,0 + 3,0 + 4,0 + 5,0 = 35,9 < 36
        _unit("Sở 35,9 điểm", "so",
              **{"1": "4.0", "2": "11.9", "3": "8.0", "4": "3.0", "5": "4.0", "6": "5.0"}),
    ]  # fmt: skip
    results = _results(framework, units, "so")
    low = results["Sở 35,9 điểm"]
    assert low.total == D("35.9")
    assert low.tier == "KXH"
    assert low.rank == 2
    assert low.not_ranked_reason is None
    top = results["Sở Giáo dục và Đào tạo"]
    assert (top.total, top.tier, top.rank) == (D("56.3"), "Mức I", 1)


@pytest.mark.parametrize(
    ("block", "points", "tier"),
    [
        ("so", "60", "Mức I"),
        ("so", "54", "Mức I"),
        ("so", "53.9", "Mức II"),
        ("so", "48", "Mức II"),
        ("so", "47.9", "Mức III"),
        ("so", "42", "Mức III"),
        ("so", "41.9", "Mức IV"),
        ("so", "36", "Mức IV"),
        ("so", "35.9", "KXH"),
        ("huyen", "108", "Mức I"),
        ("huyen", "107.99", "Mức II"),
        ("huyen", "100.4", "Mức II"),
        ("huyen", "100.39", "Mức III"),
        ("huyen", "93.05", "Mức III"),
        ("huyen", "93.04", "Mức IV"),
        ("huyen", "85.7", "Mức IV"),
        ("huyen", "85.69", "KXH"),
    ],
)
def test_cao_bang_tiers(block: str, points: str, tier: str) -> None:
    framework = load_framework("cao-bang-2020")
    groups = CB_SO if block == "so" else [("I", "40"), ("II", "80")]  # districts: inner nodes
    unit = _unit("X", block, **_spread(points, groups))
    (result,) = _results(framework, [unit], block).values()
    assert result.total == D(points)
    assert result.tier == tier
    assert result.rank == 1


def test_cao_bang_equal_totals_get_distinct_ranks() -> None:
    framework = load_framework("cao-bang-2020")
    # Sở Kế hoạch và Đầu tư and Sở Khoa học và Công nghệ, Bảng 1: both 39,7
    same = {"1": "4.0", "2": "12.8", "3": "13.0", "4": "3.9", "5": "3.0", "6": "3.0"}
    units = [
        _unit("Sở Kế hoạch và Đầu tư", "so", **same),
        _unit("Sở Khoa học và Công nghệ", "so", **same),
        _unit("Ban Dân tộc", "so",
              **{"1": "2.0", "2": "13.1", "3": "17.0", "4": "1.0", "5": "2.0", "6": "5.0"}),
    ]  # fmt: skip
    results = _results(framework, units, "so")
    assert results["Ban Dân tộc"].total == D("40.1")
    assert results["Ban Dân tộc"].rank == 1
    tied = [results["Sở Kế hoạch và Đầu tư"], results["Sở Khoa học và Công nghệ"]]
    assert [r.total for r in tied] == [D("39.7"), D("39.7")]
    assert sorted(r.rank for r in tied) == [2, 3]
    assert {r.tier for r in tied} == {"Mức IV"}


def test_cao_bang_districts_sum_readiness_and_results() -> None:
    framework = load_framework("cao-bang-2020")
    units = [
        # Bảng 8, Thành phố Cao Bằng: ĐKSS 16,34 + 6,82 + 7,00 = 30,16;
        # KQ 22,50 + 22,25 + 2,26 + 1,00 = 48,01 (printed 48,02, see errata); total 78,17
        _unit("Thành phố Cao Bằng", "huyen", I_1="16.34", I_2="6.82", I_3="7.00",
              II_1="22.50", II_2="22.25", II_3="2.26", II_4="1.00"),
        # Huyện Hà Quảng: 12,34 + 7,54 + 5,00 = 24,88; 21,50 + 21,69 + 1,97 + 1,00 = 46,16
        _unit("Huyện Hà Quảng", "huyen", I_1="12.34", I_2="7.54", I_3="5.00",
              II_1="21.50", II_2="21.69", II_3="1.97", II_4="1.00"),
        _unit("Huyện Thạch An", "huyen", status=Status.NO_DATA),
    ]  # fmt: skip
    results = _results(framework, units, "huyen")
    city = results["Thành phố Cao Bằng"]
    assert city.nodes["I"].score == D("30.16")
    assert city.nodes["I"].max == D(40)
    assert city.nodes["II"].score == D("48.01")
    assert city.nodes["II"].max == D(80)
    assert city.total == D("78.17")
    assert city.max == D(120)
    assert (city.tier, city.rank) == ("KXH", 1)  # 78,17 < 85,7, yet "Thứ tự xếp hạng" 1
    ha_quang = results["Huyện Hà Quảng"]
    assert (ha_quang.total, ha_quang.tier, ha_quang.rank) == (D("71.04"), "KXH", 2)
    thach_an = results["Huyện Thạch An"]
    assert thach_an.total is None
    assert thach_an.rank is None
    assert thach_an.not_ranked_reason is NotRankedReason.NO_DATA


def test_cao_bang_rank_precision_and_display_per_block() -> None:
    framework = load_framework("cao-bang-2020")
    assert framework.ranking_for("so").ties == "ordinal"
    assert framework.ranking_for("so").precision == 1
    assert framework.ranking_for("huyen").ties == "ordinal"
    assert framework.ranking_for("huyen").precision == 2
    assert framework.display_for("so").score_decimals == 1
    assert framework.display_for("huyen").score_decimals == 2


def test_cao_bang_department_criteria_cannot_be_given_to_a_district() -> None:
    framework = load_framework("cao-bang-2020")
    with pytest.raises(InvalidData):
        score(framework, [_unit("Huyện Bảo Lạc", "huyen", **{"4": "NA"})])


# --- Bình Phước 2021 (placeholder maxima and tiers) --------------------------------------

BP_SO = ["NT", "TC", "HT", "DL", "CQS", "AT", "NL"]
BP_HUYEN = ["NT", "TC", "HT", "CQS", "AT", "KNAT", "NTXH", "TCXH", "NLXH"]


@pytest.mark.parametrize(
    ("block", "each", "total", "percent", "tier"),
    [
        ("so", "80", "560", "80", "Tốt"),  # 7 × 80 = 560 of 700
        ("so", "65", "455", "65", "Khá"),  # 7 × 65 = 455 of 700
        ("huyen", "50", "450", "50", "Trung bình"),  # 9 × 50 = 450 of 900
        ("huyen", "40", "360", "40", "Yếu"),  # 9 × 40 = 360 of 900
    ],
)
def test_binh_phuoc_placeholder_tiers(
    block: str, each: str, total: str, percent: str, tier: str
) -> None:
    framework = load_framework("binh-phuoc-2021")
    codes = BP_SO if block == "so" else BP_HUYEN
    (result,) = _results(
        framework, [_unit("X", block, **dict.fromkeys(codes, each))], block
    ).values()
    assert result.total == D(total)
    assert result.percent == D(percent)
    assert result.tier == tier


def test_binh_phuoc_encouraged_unit_is_scored_not_ranked() -> None:
    framework = load_framework("binh-phuoc-2021")
    units = [
        _unit("Sở Nội vụ", "so", **dict.fromkeys(BP_SO, "90")),
        _unit("Cục Hải quan", "so", status=Status.VOLUNTARY, **dict.fromkeys(BP_SO, "95")),
        _unit("Sở Xây dựng", "so", **dict.fromkeys(BP_SO, "70")),
    ]
    results = _results(framework, units, "so")
    customs = results["Cục Hải quan"]
    assert customs.total == D(665)  # 7 × 95
    assert customs.rank is None
    assert customs.not_ranked_reason is NotRankedReason.VOLUNTARY
    assert results["Sở Nội vụ"].rank == 1
    assert results["Sở Xây dựng"].rank == 2


# --- DTI, QĐ 922/QĐ-BTTTT ----------------------------------------------------------------


def _province(name: str, xhs: str, **overrides: str) -> UnitData:
    # 80 + 70 + 90 + 60 + 75 + 150 + 100 = 625 before Hoạt động xã hội số
    points = {"NTS": "80", "TCS": "70", "HTS": "90", "NLS": "60", "ATTT": "75", "CQS": "150"}
    points |= {"KTS": "100", "DTTM": "50", "XHS": xhs, **overrides}
    return _unit(name, "tinh", **points)


def test_dti_total_and_index() -> None:
    framework = load_framework("dti-922-2022")
    (result,) = _results(framework, [_province("Tỉnh A", "116")], "tinh").values()
    assert result.nodes["DTTM"].score == D(0)  # collected, not scored
    assert result.nodes["DTTM"].max == D(0)
    assert result.total == D(741)  # 625 + 116
    assert result.max == D(1000)
    assert result.percent == D("74.1")  # published as 0,7410
    assert result.tier is None  # the DTI has no tiers
    assert result.rank == 1
    # tags: foundation 80 + 70 + 90 + 60 + 75 + 0 = 375 of 500; pillars 150/200, 100/150, 116/150
    assert (result.tags["nen_tang"].score, result.tags["nen_tang"].max) == (D(375), D(500))
    assert result.tags["nen_tang"].percent == D(75)
    assert (result.tags["chinh_quyen_so"].score, result.tags["chinh_quyen_so"].max) == (
        D(150),
        D(200),
    )
    assert (result.tags["kinh_te_so"].score, result.tags["kinh_te_so"].max) == (D(100), D(150))
    assert (result.tags["xa_hoi_so"].score, result.tags["xa_hoi_so"].max) == (D(116), D(150))


def test_dti_ranks_on_four_decimals_with_shared_ranks() -> None:
    framework = load_framework("dti-922-2022")
    units = [
        _province("Tỉnh A", "116", CQS="200", KTS="109"),  # 625 + 50 + 9 + 116 = 800 → 0,8000
        _province("Tỉnh B", "116"),  # 741 → 0,7410
        _province("Tỉnh C", "116.04"),  # 741,04 → 0,74104 → 0,7410: tied with B
        _province("Tỉnh D", "116.05"),  # 741,05 → 0,74105 → 0,7411 (half up)
        _province("Tỉnh E", "75"),  # 700 → 0,7000
    ]
    results = _results(framework, units, "tinh")
    assert results["Tỉnh A"].total == D(800)
    ranks = {name: r.rank for name, r in results.items()}
    assert ranks == {"Tỉnh A": 1, "Tỉnh D": 2, "Tỉnh B": 3, "Tỉnh C": 3, "Tỉnh E": 5}
    assert framework.classification_for("tinh") is None
    assert framework.display_for("tinh").scale == "ratio"
    assert framework.display_for("tinh").percent_decimals == 4
