"""The data of the publication's charts, numbered "Hình 1", "Hình 2" … in the order the
documents show them; :mod:`chiso.reports.charts` draws them."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Literal

from chiso import format as fmt
from chiso.core import BlockResult, CycleResult, Framework
from chiso.core.tiers import display_value

__all__ = ["Chart", "FigureNumbers", "groups_chart", "tiers_chart", "units_chart"]


@dataclass(frozen=True, slots=True)
class Chart:
    key: str
    number: str
    """"Hình 1"."""
    title: str
    kind: Literal["tiers", "groups", "units"]
    labels: tuple[str, ...]
    values: tuple[Decimal, ...]
    """Exact: the charts label bars with them, rounded as every printed figure is."""
    reference: Decimal | None = None
    """The block average (units chart)."""
    series: tuple[tuple[str, tuple[Decimal | None, ...]], ...] = ()
    """Several series over ``labels`` (groups chart: one per block; None where the block does
    not have the group, or no unit of it has points in it)."""
    unit: str = "%"
    histogram: bool = False
    """Units chart of a large block: ``labels`` are ranges of the scale, ``values`` counts."""


class FigureNumbers:
    """The next figure's number: "Hình 1", then "Hình 2" …"""

    def __init__(self) -> None:
        self.value = 0

    def next(self) -> str:
        self.value += 1
        return f"Hình {self.value}"


def groups_chart(framework: Framework, result: CycleResult, figure: FigureNumbers) -> Chart | None:
    """The groups' mean shares compared across blocks; None for a single group."""
    codes_per_block = [framework.groups(b.block) for b in result.blocks]
    roots = [
        root.code
        for root in framework.criteria
        if any(root.code in codes for codes in codes_per_block)
    ]
    if len(roots) <= 1:
        return None
    series = []
    for block in result.blocks:
        values = []
        for code in roots:
            summary = block.stats.groups.get(code)
            maximum = framework.max_for(block.block).get(code)
            values.append(_share_of(summary.mean if summary else None, maximum))
        series.append((block.name, tuple(values)))
    return Chart(
        key="groups",
        number=figure.next(),
        title="Điểm trung bình của từng nhóm tiêu chí (tỷ lệ % điểm tối đa) theo khối",
        kind="groups",
        labels=tuple(f"{c}. {framework.node(c).name}" for c in roots),
        values=(),
        series=tuple(series),
    )


def tiers_chart(block: BlockResult, figure: FigureNumbers) -> Chart | None:
    """Units per tier of a block; None when the block has no tiers."""
    tiers = list(block.stats.tiers)
    if not tiers:
        return None
    return Chart(
        key=f"tiers-{block.block}",
        number=figure.next(),
        title=f"Tỷ lệ đơn vị theo mức xếp loại — {block.name}",
        kind="tiers",
        labels=tuple(t.label for t in tiers),
        values=tuple(Decimal(t.count) for t in tiers),
        unit="",
    )


def units_chart(
    framework: Framework, block: BlockResult, figure: FigureNumbers, max_units: int
) -> Chart:
    display = framework.display_for(block.block)
    scored = [u for u in block.units if u.percent is not None]
    mean = block.stats.percent.mean
    reference = display_value(mean, display.scale) if mean is not None else None
    unit = "" if display.scale == "ratio" else "%"
    if len(scored) <= max_units:
        return Chart(
            key=f"units-{block.block}",
            number=figure.next(),
            title=f"Kết quả của từng đơn vị so với trung bình khối — {block.name}",
            kind="units",
            labels=tuple(u.unit for u in scored),
            values=tuple(
                display_value(u.percent, display.scale) for u in scored if u.percent is not None
            ),
            reference=reference,
            unit=unit,
        )
    # too many units for one bar each: how many units fall in each tenth of the scale
    top = Decimal(1) if display.scale == "ratio" else Decimal(100)
    bins = [0] * 10
    for u in scored:
        assert u.percent is not None
        share = display_value(u.percent, display.scale) / top
        bins[min(int(share * 10), 9)] += 1
    step = top / 10
    labels = tuple(
        f"{fmt.number(step * i, 1 if display.scale == 'ratio' else 0)}–"
        f"{fmt.number(step * (i + 1), 1 if display.scale == 'ratio' else 0)}"
        for i in range(10)
    )
    return Chart(
        key=f"units-{block.block}",
        number=figure.next(),
        title=f"Phân bố kết quả các đơn vị so với trung bình khối — {block.name}",
        kind="units",
        labels=labels,
        values=tuple(Decimal(b) for b in bins),
        reference=reference,
        unit=unit,
        histogram=True,
    )


def _share_of(value: Decimal | None, maximum: Decimal | None) -> Decimal | None:
    """The mean as a share (%) of the maximum; None when the block has no such group (or a
    group of 0 points): the chart draws no bar rather than a bar of 0."""
    if value is None or not maximum:
        return None
    return value * 100 / maximum
