"""The method section of the publication: the groups and their maximum points per block, the
tiers, the ranking rule and the units' criteria declared not applicable."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework, UnitResult
from chiso.core.tiers import display_value
from chiso.reports.labels import block_phrase, first_upper, tier_phrase

__all__ = [
    "FULL_CREDIT",
    "MethodGroup",
    "exemptions",
    "method_groups",
    "ranking_sentence",
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
                text = f"từ {fmt.number(low, decimals)}{unit} trở lên"
            elif low is not None:
                text = (
                    f"từ {fmt.number(low, decimals)}{unit}"
                    f" đến dưới {fmt.number(upper, decimals)}{unit}"
                )
            elif upper is not None:
                text = f"dưới {fmt.number(upper, decimals)}{unit}"
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
            f"{unit.unit}: tổng điểm tối đa {fmt.number(unit.max, display.score_decimals)}"
            " điểm" + (f" ({'; '.join(what)})" if what else "") + "."
        )
    return tuple(sentences)
