"""The words the reports and the ranking tables print for results that are not numbers,
defined once for every renderer, and the wording of a tier."""

from __future__ import annotations

import re
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

from chiso import format as fmt
from chiso.core.model import Carried, LineageChange, MergePolicy
from chiso.io.results import NOT_RANKED_WORDS

if TYPE_CHECKING:
    from chiso.reports.data import Report
    from chiso.reports.template import Body

__all__ = [
    "CARRIED_MARK",
    "LEGEND",
    "NOT_RANKED",
    "NOT_SCORED",
    "NOT_SCORED_MARK",
    "ROMAN",
    "block_phrase",
    "carried_note",
    "closing_sections",
    "first_upper",
    "grouped",
    "name_of_year",
    "tier_phrase",
    "unit_list",
]

_NAMED_YEAR = re.compile(r"\b(năm\s+)(\d{4})(\W*)$", re.IGNORECASE)


def name_of_year(name: str, year: int) -> str:
    """A framework's ``name`` for the results of ``year``: a framework may serve several
    years, and the "… năm 2021" that ends its name says the year it was written for, not the
    one assessed (a year inside the name, of a decision cited, stays)."""
    return _NAMED_YEAR.sub(lambda found: f"{found[1]}{year}{found[3]}", name)


NOT_RANKED = NOT_RANKED_WORDS
"""Why a unit is not ranked, in words: the results sheet says it too (one place)."""
NOT_SCORED = "Không chấm điểm, đánh giá"
"""In place of the points of a group the unit is not scored on
(:meth:`chiso.core.UnitResult.not_scored`), in a group's table."""
NOT_SCORED_MARK = "KCĐ"
""":data:`NOT_SCORED` shortened for a column of numbers (the overall table's groups, the
ranking tables of ``chiso score``, the scorecard), told by :data:`LEGEND` under the table."""
LEGEND = f"{NOT_SCORED_MARK}: {NOT_SCORED} (không áp dụng đối với đơn vị)."
CARRIED_MARK = "†"
"""Beside an earlier rank that was another unit's (renamed, merged, split: the lineage), told
by :func:`carried_note` under the table."""


def carried_note(carried: Carried) -> str:
    """How an earlier result came to the unit, in words: "hợp nhất từ A, B (lấy kết quả tốt
    nhất: A)"."""
    earlier = ", ".join(carried.earlier)
    if carried.how is LineageChange.RENAMED:
        return f"đổi tên từ {earlier}"
    if carried.how is LineageChange.SPLIT:
        return f"chia tách từ {earlier}"
    if carried.policy is MergePolicy.MEAN:
        return f"hợp nhất từ {earlier} (lấy bình quân)"
    if carried.policy is MergePolicy.LARGEST:
        return f"hợp nhất từ {earlier} (lấy kết quả của đơn vị lớn nhất: {carried.chosen})"
    return f"hợp nhất từ {earlier} (lấy kết quả tốt nhất: {carried.chosen})"


def tier_phrase(label: str) -> str:
    """ "mức “Tốt”", but "“Mức I”" for a label that already says "Mức"."""
    return f"“{label}”" if label.casefold().startswith("mức") else f"mức “{label}”"


def block_phrase(name: str) -> str:
    """ "khối Sở, ban, ngành" inside a sentence, but "khối các cơ quan Đảng" for a block whose
    name already says "Khối" (never "khối Khối …")."""
    if name.casefold().startswith("khối"):
        return name[:1].lower() + name[1:]
    return f"khối {name}"


def grouped(value: Decimal | None, decimals: int) -> str:
    """Points in a sentence as the tables print them: "1.000,00"."""
    return fmt.number(value, decimals, grouped=True)


def unit_list(names: Sequence[str], limit: int = 3) -> str:
    """ "Sở A, Sở B, Sở C và 4 đơn vị khác"."""
    if len(names) <= limit:
        return ", ".join(names)
    return ", ".join(names[:limit]) + f" và {len(names) - limit} đơn vị khác"


def first_upper(text: str) -> str:
    return text[:1].upper() + text[1:]


ROMAN = ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X")


def closing_sections(report: Report, text: Body) -> list[tuple[str, str, str, list[str]]]:
    """The sections after the results (I: the method, II: the results), numbered on: the
    conclusion (when there is something to say: the summary, the charts across blocks or
    the template's words) and the recommendations (when the template has any), each as
    (numeral, "conclusion" or "recommendations", heading, the template's paragraphs)."""
    sections = []
    if report.charts or report.summary or text.conclusion:
        sections.append(("conclusion", text.conclusion_heading, text.conclusion))
    if text.recommendations:
        sections.append(("recommendations", text.recommendations_heading, text.recommendations))
    return [
        (ROMAN[index], kind, heading, paragraphs)
        for index, (kind, heading, paragraphs) in enumerate(sections, start=2)
    ]
