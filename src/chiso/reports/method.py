"""The method section of the publication (Mục I): the basis of the assessment (who assessed,
the units of each block, which gave data and which are not ranked), the scoring rules, the list
of the tables and figures, the groups and their maximum points per block, the tiers, the
ranking rule and the units' criteria declared not applicable."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from chiso.core import BlockResult, CycleResult, Framework, NotRankedReason, UnitResult
from chiso.core.framework import CountRule
from chiso.core.tiers import display_value
from chiso.reports.chart_data import Chart
from chiso.reports.labels import block_phrase, first_upper, grouped, tier_phrase, unit_list
from chiso.reports.tables import Table
from chiso.reports.template import words

if TYPE_CHECKING:
    from chiso.reports.data import Report

__all__ = [
    "FULL_CREDIT",
    "MethodGroup",
    "MethodPart",
    "MethodSection",
    "basis_part",
    "contents_part",
    "exemptions",
    "method_groups",
    "method_sections",
    "ranking_sentence",
    "scoring_part",
    "tier_sentences",
]


FULL_CREDIT = "được tính điểm tối đa"
"""The effect of a criterion declared not applicable under the ``full_credit`` policy."""


@dataclass(frozen=True, slots=True)
class MethodGroup:
    code: str
    name: str
    maxima: tuple[Decimal | None, ...]
    """Per block of the report, in order; None when the group does not apply."""
    level: int = 0


@dataclass(frozen=True, slots=True)
class MethodPart:
    """A numbered part of Mục I printed before the groups' maxima: "1. Cơ sở đánh giá"."""

    title: str
    paragraphs: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class MethodSection:
    """A numbered part of Mục I as the documents print it: "2. Mức đánh giá"."""

    heading: str
    paragraphs: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    """Lines printed after a dash."""
    table: bool = False
    """The table of the groups' maximum points goes here."""


def method_sections(report: Report) -> list[MethodSection]:
    """Mục I in order, numbered, with nothing to say left out (no "Mức đánh giá" for a
    framework without tiers): the report's own parts, the groups' maxima, the tiers, the
    ranking rule, the units with criteria not applicable."""
    sections: list[tuple[str, tuple[str, ...], tuple[str, ...], bool]] = [
        (m.title, m.paragraphs, (), False) for m in report.method_parts
    ]
    sections.append(("Điểm tối đa của các nhóm tiêu chí", (), (), True))
    if report.tiers:
        sections.append(("Mức đánh giá", (), report.tiers, False))
    sections.append(("Xếp hạng", (report.ranking,), (), False))
    if report.exemptions:
        sections.append(("Đơn vị có tiêu chí không áp dụng", (), report.exemptions, False))
    return [
        MethodSection(f"{number}. {title}", paragraphs, items, table)
        for number, (title, paragraphs, items, table) in enumerate(sections, start=1)
    ]


def basis_part(framework: Framework, result: CycleResult) -> MethodPart:
    """Who assessed what, on whose data; the units of each block, how many gave data and are
    ranked, and why the others are not; the earlier years compared."""
    subject = words(framework.name, framework.assessor, result.year)["subject"]
    per_block = " và xếp hạng riêng theo từng khối" if len(result.blocks) > 1 else " và xếp hạng"
    paragraphs = [
        f"Kết quả {subject} được {framework.assessor} tổng hợp, chấm điểm theo bộ tiêu chí"
        f" đánh giá{per_block}, trên cơ sở số liệu do các cơ quan, đơn vị cung cấp.",
        f"Đối tượng đánh giá gồm {sum(len(b.units) for b in result.blocks)} cơ quan, đơn vị:",
    ]
    paragraphs += [f"- {_block_units(block)}" for block in result.blocks]
    years = sorted({p.year for b in result.blocks for u in b.units for p in u.previous})
    if years:
        paragraphs.append(
            "Kết quả được so sánh với kết quả đánh giá, xếp hạng đã công bố năm "
            + ", ".join(map(str, years))
            + "."
        )
    return MethodPart("Cơ sở đánh giá", tuple(paragraphs))


def _block_units(block: BlockResult) -> str:
    """ "Khối UBND các huyện, thành phố: 10 đơn vị; 9/10 đơn vị cung cấp số liệu, 9 đơn vị
    được xếp hạng; Huyện Thạch An không cung cấp số liệu nên không được chấm điểm, xếp hạng."
    """
    stats = block.stats
    text = (
        f"{first_upper(block_phrase(block.name))}: {stats.units} đơn vị;"
        f" {stats.with_data}/{stats.units} đơn vị cung cấp số liệu,"
        f" {stats.ranked} đơn vị được xếp hạng"
    )
    reasons: dict[NotRankedReason, list[str]] = {}
    for unit in block.units:
        if unit.rank is None and unit.not_ranked_reason is not None:
            reasons.setdefault(unit.not_ranked_reason, []).append(unit.unit)
    wording = {
        NotRankedReason.NO_DATA: "không cung cấp số liệu nên không được chấm điểm, xếp hạng",
        NotRankedReason.VOLUNTARY: "tham gia tự nguyện: được chấm điểm, không xếp hạng",
        NotRankedReason.BELOW_LOWEST_LEVEL: "dưới mức thấp nhất nên không được xếp hạng",
    }
    for reason, names in reasons.items():
        who = names[0] if len(names) == 1 else f"{len(names)} đơn vị ({unit_list(names)})"
        text += f"; {who} {wording[reason]}"
    return text + "."


_RULES = {
    "yes_no": "Tiêu chí đánh giá “có” hoặc “không”: “có” đạt điểm tối đa của tiêu chí,"
    " “không” được 0 điểm.",
    "yes_no_evidence": "Tiêu chí đánh giá “có” hoặc “không” kèm tài liệu kiểm chứng: “có” và có"
    " tài liệu kiểm chứng đạt điểm tối đa của tiêu chí; “không”, hoặc “có” nhưng không có tài"
    " liệu kiểm chứng, được 0 điểm.",
    "bands": "Tiêu chí tính theo tỷ lệ (%): điểm theo các bậc tỷ lệ quy định cho từng tiêu chí.",
    "proportional": "Tiêu chí tính theo tỷ lệ (%): điểm tỷ lệ thuận với tỷ lệ đạt được, không"
    " vượt quá điểm tối đa của tiêu chí.",
    "count_thresholds": "Tiêu chí tính theo số lượng: điểm theo các ngưỡng số lượng quy định"
    " cho từng tiêu chí.",
    "count_per_item": "Tiêu chí tính theo số lượng: điểm theo số lượng đạt được (mỗi đơn vị"
    " số lượng một mức điểm quy định), không vượt quá điểm tối đa của tiêu chí.",
    "choice": "Tiêu chí lựa chọn: mỗi phương án có mức điểm quy định.",
    "relative": "Tiêu chí so sánh: điểm tối đa của tiêu chí nhân với tỷ lệ giữa giá trị của"
    " đơn vị và giá trị cao nhất trong khối.",
    "points": "Tiêu chí chấm điểm trực tiếp: từ 0 đến điểm tối đa của tiêu chí.",
}


def scoring_part(framework: Framework, result: CycleResult) -> MethodPart:
    """How points are given: a group is the sum of its criteria, the total the sum of the
    groups; the kinds of criteria the framework scores and how; a criterion not applicable;
    the percentage the tiers and ranks read."""
    blocks = [b.block for b in result.blocks]
    groups = max(
        len([c for c in framework.groups(b) if framework.max_for(b)[c] > 0]) for b in blocks
    )
    paragraphs = [
        "Điểm của mỗi nhóm tiêu chí là tổng điểm của các tiêu chí thành phần; tổng điểm của"
        " các nhóm tiêu chí là tổng điểm để đánh giá, xếp hạng tổng thể."
        if groups > 1
        else "Tổng điểm của các tiêu chí là tổng điểm để đánh giá, xếp hạng tổng thể."
    ]
    kinds: list[str] = []
    policies: list[str] = []
    for root in framework.criteria:
        for node in root.walk():
            if not any(framework.max_for(b).get(node.code, 0) > 0 for b in blocks):
                continue  # an information criterion, or one of no block here: no points
            if node.not_applicable and framework.na_policy(node.code) not in policies:
                policies.append(framework.na_policy(node.code))
            if node.is_leaf:
                rule = node.effective_rule
                kind = rule.type
                if isinstance(rule, CountRule):
                    kind = "count_thresholds" if rule.thresholds is not None else "count_per_item"
                if kind in _RULES and kind not in kinds:
                    kinds.append(kind)
    paragraphs += [f"- {_RULES[kind]}" for kind in kinds]
    effects = {
        "exclude": "không tính vào tổng điểm tối đa của đơn vị",
        "full_credit": FULL_CREDIT,
    }
    paragraphs += [
        f"- Tiêu chí không áp dụng đối với đơn vị: {effects[policy]}."
        for policy in policies
        if policy in effects
    ]
    if framework.display.scale == "ratio":
        paragraphs.append(
            "Chỉ số của đơn vị là tổng điểm đạt được chia cho tổng điểm tối đa của đơn vị."
        )
    elif any(_reads_percent(framework, b) for b in blocks):
        paragraphs.append(
            "Tỷ lệ điểm đạt được (%) = tổng điểm đạt được / tổng điểm tối đa của đơn vị × 100."
        )
    return MethodPart("Phương pháp tính điểm", tuple(paragraphs))


def _reads_percent(framework: Framework, block: str) -> bool:
    """Whether the block's ranking or tiers read the percentage of the maximum."""
    classification = framework.classification_for(block)
    return framework.ranking_for(block).by == "percent" or (
        classification is not None and classification.basis == "percent"
    )


def contents_part(tables: Sequence[Table], charts: Sequence[Chart]) -> MethodPart:
    """The tables and figures that follow, each as its caption: "Bảng 1. …", "Hình 1. …"."""
    lines = [f"- {t.caption}." for t in tables if t.part is None]
    lines += [f"- {c.number}. {c.title}." for c in charts]
    return MethodPart("Danh mục các bảng, hình", tuple(lines))


def method_groups(framework: Framework, result: CycleResult) -> tuple[MethodGroup, ...]:
    """The groups and their parts with their maximum points per block."""
    groups = []
    blocks = [b.block for b in result.blocks]

    def visit(code: str, level: int) -> None:
        maxima = tuple(framework.max_for(b).get(code) for b in blocks)
        if all(m is None for m in maxima):
            return
        node = framework.node(code)
        groups.append(MethodGroup(code, node.name, maxima, level))
        if level == 0:
            for child in node.children:
                if not child.is_leaf or level == 0:
                    visit(child.code, level + 1)

    for root in framework.criteria:
        visit(root.code, 0)
    return tuple(groups)


def tier_sentences(framework: Framework, result: CycleResult) -> tuple[str, ...]:
    """One sentence per tier: "Mức “Tốt”: tỷ lệ điểm … từ 80% trở lên"."""
    seen = []
    sentences: list[str] = []
    for block in result.blocks:
        classification = framework.classification_for(block.block)
        if classification is None or classification in seen:
            continue
        seen.append(classification)
        display = framework.display_for(block.block)
        points = classification.basis == "points"
        unit = " điểm" if points else ("" if display.scale == "ratio" else "%")
        decimals = display.score_decimals if points else display.percent_decimals
        own = framework.block(block.block).classification is not None
        prefix = (
            f"{first_upper(block_phrase(block.name))}: " if own and len(result.blocks) > 1 else ""
        )
        upper: Decimal | None = None
        for tier in classification.tiers:
            low = (
                display_value(tier.min, display.scale)
                if tier.min is not None and not points
                else tier.min
            )
            if low is not None and upper is None:
                text = f"từ {grouped(low, decimals)}{unit} trở lên"
            elif low is not None:
                text = (
                    f"từ {grouped(low, decimals)}{unit} đến dưới {grouped(upper, decimals)}{unit}"
                )
            elif upper is not None:
                text = f"dưới {grouped(upper, decimals)}{unit}"
            else:
                text = "mọi kết quả"
            basis = "tổng điểm" if points else "tỷ lệ điểm đạt được so với điểm tối đa"
            sentences.append(f"{prefix}{first_upper(tier_phrase(tier.label))}: {basis} {text}.")
            upper = low
        if classification.below_lowest is not None:
            sentences.append(f"{prefix}Dưới mức thấp nhất: “{classification.below_lowest.label}”.")
    return tuple(sentences)


def ranking_sentence(framework: Framework) -> str:
    """The ranking rule in words: measure, precision and ties."""
    ranking = framework.ranking
    measure = (
        "tỷ lệ phần trăm điểm đạt được so với tổng điểm tối đa của đơn vị"
        if ranking.by == "percent"
        else "tổng điểm đạt được"
    )
    ties = {
        "competition": "các đơn vị bằng nhau cùng thứ hạng, thứ hạng kế tiếp bỏ qua các vị trí"
        " đã chiếm (1, 1, 3)",
        "dense": "các đơn vị bằng nhau cùng thứ hạng, thứ hạng kế tiếp liền sau (1, 1, 2)",
        "ordinal": "mỗi đơn vị một thứ hạng riêng",
    }[ranking.ties]
    precision = (
        f", làm tròn đến {ranking.precision} chữ số thập phân"
        if ranking.precision
        else (", làm tròn đến số nguyên" if ranking.precision == 0 else "")
    )
    return f"Xếp hạng theo thứ tự từ cao đến thấp của {measure}{precision}; {ties}."


def exemptions(framework: Framework, result: CycleResult, limit: int = 20) -> tuple[str, ...]:
    """The units that declare criteria not applicable, each declaration with its effect — taken
    out of the unit's maximum (the ``exclude`` policy: its own maximum is lower) or scored at
    the criterion's maximum (``full_credit``) — and the units whose own maximum is lower for
    another reason; past ``limit`` units, the number of units per criterion (the workbook's
    raw data has each)."""
    exempt: list[tuple[BlockResult, UnitResult, tuple[str, ...], tuple[str, ...]]] = []
    for block in result.blocks:
        for unit in block.units:
            if not unit.has_data:
                continue
            if unit.max < block.max or unit.excluded or unit.full_credit:
                exempt.append((block, unit, unit.excluded, unit.full_credit))
    if len(exempt) > limit:
        counts: dict[str, int] = {}
        for _, _, excluded, full in exempt:
            for code in (*excluded, *full):
                counts[code] = counts.get(code, 0) + 1
        order = framework.order
        return (
            f"{len(exempt)} đơn vị có tiêu chí không áp dụng:",
            *(
                f"{code} “{framework.node(code).name}”: {counts[code]} đơn vị"
                + (
                    f" ({FULL_CREDIT})."
                    if framework.na_policy(code) == "full_credit"
                    else " (không tính vào tổng điểm tối đa của đơn vị)."
                )
                for code in sorted(counts, key=order.__getitem__)
            ),
        )
    sentences = []
    for block, unit, excluded, full in exempt:
        display = framework.display_for(block.block)
        what = [
            f"{label}: " + "; ".join(f"{c} “{framework.node(c).name}”" for c in codes)
            for label, codes in (
                ("không áp dụng", excluded),
                (f"không áp dụng, {FULL_CREDIT}", full),
            )
            if codes
        ]
        sentences.append(
            f"{unit.unit}: tổng điểm tối đa {grouped(unit.max, display.score_decimals)}"
            " điểm" + (f" ({'; '.join(what)})" if what else "") + "."
        )
    return tuple(sentences)
