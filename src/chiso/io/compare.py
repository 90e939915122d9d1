"""The comparison of two years through a crosswalk, as text and JSON (``chiso compare``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from decimal import Decimal

from chiso import format as fmt
from chiso.core.crosswalk import Comparison, Crosswalk, Kind
from chiso.core.framework import Framework
from chiso.core.model import Carried, CycleResult
from chiso.core.numbers import percent
from chiso.io.jsondoc import Number, dump
from chiso.io.results import json_number

__all__ = ["comparison_json", "comparison_text"]

CARRIED_MARK = "†"
"""As the ranking tables mark an earlier result that was another unit's."""

KIND_WORDS = {
    Kind.SAME: "giữ nguyên",
    Kind.RENUMBERED: "đánh số lại",
    Kind.COMBINED: "gộp",
    Kind.NEW: "mới",
    Kind.SPLIT: "tách — không so sánh được",
}
REASON_WORDS = {
    "new": "mới",
    "split": "tách",
    "no earlier result": "—",
    "maximum of 0": "—",
}

Found = dict[tuple[str, str], list[Comparison]]


def comparison_text(
    framework: Framework,
    result: CycleResult,
    earlier: CycleResult,
    crosswalk: Crosswalk,
    found: Found,
    notes: Mapping[str, str] | None = None,
    left: Sequence[str] = (),
) -> str:
    """Per block, each unit's top-level groups this year in % of their maxima, with the
    change since the earlier year in percentage points; then what the crosswalk changed.
    ``notes``: how a unit's earlier result came to it through the lineage, by its name (the
    unit is marked †); ``left``: the earlier units no unit continues."""
    notes = notes or {}
    parts = []
    for index, block in enumerate(result.blocks, start=1):
        d = framework.display_for(block.block).percent_decimals
        codes = framework.groups(block.block)
        header = ["TT", "Tên cơ quan, đơn vị", *(f"{code} (%)" for code in codes)]
        rows = []
        for position, unit in enumerate(block.units, start=1):
            by_code = {c.code: c for c in found.get((block.block, unit.unit), [])}
            name = unit.unit + (CARRIED_MARK if unit.unit in notes else "")
            rows.append([str(position), name, *(_cell(by_code.get(c), d) for c in codes)])
        widths = [max(len(r[i]) for r in [header, *rows]) for i in range(len(header))]

        def line(cells: list[str], widths: list[int] = widths) -> str:
            return "  ".join(
                c.ljust(w) if i == 1 else c.rjust(w)
                for i, (c, w) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        rule = "-" * len(line(header))
        title = (
            f"Bảng {index}. Tỷ lệ điểm năm {result.year} và thay đổi so với năm "
            f"{earlier.year} (điểm phần trăm) — {block.name}"
        )
        parts.append("\n".join([title, rule, line(header), rule, *map(line, rows), rule]))
        said = [f"{CARRIED_MARK} {u.unit} ({earlier.year}): {notes[u.unit]}." for u in block.units
                if u.unit in notes]  # fmt: skip
        if said:
            parts.append("\n".join(said))
    changed = [
        f"{c.code} ← {' + '.join(c.earlier)} ({KIND_WORDS[c.kind]})"
        if c.earlier
        else f"{c.code}: {KIND_WORDS[c.kind]}"
        for c in crosswalk.codes.values()
        if c.kind is not Kind.SAME
    ]
    if changed:
        parts.append("Tiêu chí thay đổi so với năm trước: " + "; ".join(changed) + ".")
    if crosswalk.dropped:
        parts.append("Tiêu chí năm trước không còn: " + ", ".join(crosswalk.dropped) + ".")
    if left:
        parts.append(
            f"Đơn vị năm {earlier.year} không đơn vị nào năm {result.year} kế thừa: "
            + ", ".join(left)
            + "."
        )
    return "\n\n".join(parts) + "\n"


def _cell(comparison: Comparison | None, decimals: int) -> str:
    if comparison is None:
        return ""
    now = fmt.number(_percent(comparison), decimals)
    if comparison.change is None:
        reason = REASON_WORDS.get(comparison.reason or "", "")
        return f"{now} ({reason})" if reason else now
    change = fmt.number(comparison.change, decimals)
    return f"{now} ({'+' if comparison.change > 0 else ''}{change})"


def _percent(comparison: Comparison) -> Decimal | None:
    if comparison.points is None:
        return None
    return percent(comparison.points, comparison.max)


def comparison_json(
    crosswalk: Crosswalk,
    found: Found,
    carried: Mapping[str, Carried] | None = None,
    left: Sequence[str] = (),
) -> str:
    """The correspondences and every unit's comparisons, numbers exact; with a lineage, how
    a unit's earlier result came to it (``carried``, by the unit's name) and the earlier
    units no unit continues (``unmatched``)."""
    carried = carried or {}

    def number(value: Decimal | None) -> Number | None:
        return None if value is None else Number(json_number(value))

    document = {
        "crosswalk": [
            {"code": c.code, "kind": c.kind.value, "earlier": list(c.earlier)}
            for c in crosswalk.codes.values()
        ],
        "dropped": list(crosswalk.dropped),
        **({"unmatched": list(left)} if left else {}),
        "units": [
            {
                "block": block,
                "unit": unit,
                **({"carried": _carried(carried[unit])} if unit in carried else {}),
                "criteria": [
                    {
                        "code": c.code,
                        "points": number(c.points),
                        "max": number(c.max),
                        "earlier_points": number(c.earlier_points),
                        "earlier_max": number(c.earlier_max),
                        "change": number(c.change),
                        "reason": c.reason,
                    }
                    for c in comparisons
                ],
            }
            for (block, unit), comparisons in found.items()
        ],
    }
    return dump(document)


def _carried(how: Carried) -> dict[str, object]:
    """As ``chiso score`` writes it (chiso.io.results)."""
    return {
        "how": how.how.value,
        "earlier": list(how.earlier),
        "policy": how.policy.value if how.policy is not None else None,
        "chosen": how.chosen,
    }
