"""Charts of the publication (matplotlib, no display needed): PNG or SVG bytes from plain data.

Each drawing function takes plain labels and numbers, so a web page can draw the same chart
from its own data; :func:`render` draws a :class:`~chiso.reports.chart_data.Chart` of a report.
Text is set in the bundled Liberation Serif (Times New Roman's metrics, Vietnamese glyphs),
numbers with a decimal comma.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from decimal import Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import matplotlib

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.figure import Figure
from matplotlib.ticker import FuncFormatter

from chiso import format as fmt

if TYPE_CHECKING:
    from chiso.reports.chart_data import Chart
    from chiso.reports.data import Report

__all__ = [
    "average_decimals",
    "groups_chart",
    "render",
    "render_all",
    "tier_chart",
    "units_chart",
]

Format = Literal["png", "svg"]
FONT_FAMILY = "ChisoSerif"
"""The bundled Liberation Serif's family name in charts, as in the PDF's stylesheet."""
TIER_COLOURS = ("#2e7d32", "#1565c0", "#f9a825", "#c62828", "#6d4c41", "#757575")
BLOCK_COLOURS = ("#1565c0", "#ef6c00", "#2e7d32", "#6a1b9a", "#00838f")


@cache
def _font() -> str:
    """Register the bundled Liberation Serif with matplotlib, under a family name of its own
    (the PDF's, ``ChisoSerif``): a system may have an older Liberation Serif without the
    Vietnamese letters (Debian's fonts-liberation 1.07, which Chromium installs), and under the
    same name matplotlib would take that one. The entries are made directly: ``addfont`` reads
    every name table of the font, a quarter of a second per file."""
    folder = resources.files("chiso") / "reports" / "fonts"
    for style, weight in (("Regular", 400), ("Bold", 700)):
        font_manager.fontManager.ttflist.append(
            font_manager.FontEntry(
                fname=str(folder / f"LiberationSerif-{style}.ttf"),
                name=FONT_FAMILY,
                style="normal",
                variant="normal",
                weight=weight,
                stretch="normal",
                size="scalable",
            )
        )
    font_manager.fontManager._findfont_cached.cache_clear()  # type: ignore[attr-defined]
    return FONT_FAMILY


def _figure(width: float, height: float) -> Figure:
    figure = Figure(figsize=(width, height), dpi=150)
    figure.set_layout_engine("constrained")
    return figure


def _rc() -> Any:
    return {"font.family": _font(), "font.size": 10, "svg.fonttype": "none"}


def _save(figure: Figure, form: Format) -> bytes:
    buffer = io.BytesIO()
    metadata: dict[str, Any] = {"Software": None} if form == "png" else {"Date": None}
    figure.savefig(buffer, format=form, metadata=metadata)
    return buffer.getvalue()


Number = Decimal | float | int
"""A chart's value: exact (a Decimal) from the publication, so that its label is rounded as
every printed figure is; drawn as a float."""


def _vn(value: Number, decimals: int) -> str:
    return fmt.number(value, decimals)


def _floats(values: Sequence[Number]) -> list[float]:
    return [float(v) for v in values]


def _comma(decimals: int) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: _vn(value, decimals))


def tier_chart(labels: Sequence[str], counts: Sequence[Number], form: Format = "png") -> bytes:
    """Units per tier as a pie, each slice labelled "Tốt: 17 (81%)"; empty tiers in the
    legend only."""
    with matplotlib.rc_context(_rc()):
        figure = _figure(5.5, 3.4)
        axes = figure.add_subplot()
        total = Decimal(sum(int(c) for c in counts) or 1)
        shown = [
            (lab, c, TIER_COLOURS[i % 6])
            for i, (lab, c) in enumerate(zip(labels, counts, strict=True))
            if c
        ]
        axes.pie(
            [float(c) for _, c, _ in shown] or [1.0],
            labels=[f"{lab}: {int(c)} ({_vn(int(c) * 100 / total, 0)}%)" for lab, c, _ in shown]
            or ["—"],
            colors=[col for _, _, col in shown] or ["#cccccc"],
            startangle=90,
            counterclock=False,
            wedgeprops={"linewidth": 1, "edgecolor": "white"},
        )
        axes.legend(
            handles=_patches(len(labels)),
            labels=[lab if lab.casefold().startswith("mức") else f"Mức {lab}" for lab in labels],
            loc="center left",
            bbox_to_anchor=(1.0, 0.5),
            frameon=False,
        )
        axes.set_aspect("equal")
        return _save(figure, form)


def _patches(count: int) -> list[Any]:
    from matplotlib.patches import Patch

    return [Patch(color=TIER_COLOURS[i % 6]) for i in range(count)]


def groups_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number]]],
    form: Format = "png",
    *,
    size: tuple[float, float] | None = None,
) -> bytes:
    """Each group's points as a share of its maximum (%), one bar per series (a block's
    mean, a unit and its block's mean)."""
    with matplotlib.rc_context(_rc()):
        height = 0.33 * len(labels) * max(1, len(series)) + 1.2
        figure = _figure(*(size or (6.3, height)))
        axes = figure.add_subplot()
        height = 0.8 / max(1, len(series))
        positions = range(len(labels))
        for index, (name, values) in enumerate(series):
            offsets = [p + (index - (len(series) - 1) / 2) * height for p in positions]
            bars = axes.barh(
                offsets, _floats(values), height=height, label=name, color=BLOCK_COLOURS[index % 5]
            )
            axes.bar_label(bars, labels=[_vn(v, 0) for v in values], padding=2, fontsize=8)
        axes.set_yticks(list(positions), [_wrap(label, 40) for label in labels])
        axes.invert_yaxis()
        axes.set_xlim(0, 110)
        axes.xaxis.set_major_formatter(_comma(0))
        axes.set_xlabel("% điểm tối đa")
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            axes.legend(
                loc="lower center", bbox_to_anchor=(0.5, 1.0), ncols=len(series), frameon=False
            )
        return _save(figure, form)


BELOW_COLOUR = "#90a4ae"
"""The bar of a unit below its block's average (the others take ``BLOCK_COLOURS[0]``)."""


def average_decimals(unit: str) -> int:
    """The decimals of a block's average where a chart states it: one more than the results'
    axis (a percentage 79,3%; an index 0,793)."""
    return 3 if unit == "" else 1


def units_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    average: Number | None,
    *,
    unit: str = "%",
    histogram: bool = False,
    form: Format = "png",
) -> bytes:
    """Each unit's result (bars, in the given order) against the block average (a line); with
    ``histogram``, ``labels`` are ranges of the scale and ``values`` counts of units."""
    with matplotlib.rc_context(_rc()):
        if histogram:
            figure = _figure(6.3, 3.2)
            axes = figure.add_subplot()
            axes.bar(range(len(labels)), _floats(values), color=BLOCK_COLOURS[0])
            axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
            axes.set_ylabel("Số đơn vị")
            if average is not None:
                top = 1.0 if unit == "" else 100.0
                axes.axvline(
                    float(average) / top * len(labels) - 0.5,
                    color="#c62828",
                    linestyle="--",
                    label=f"Trung bình: {_vn(average, average_decimals(unit))}{unit}",
                )
                axes.legend(frameon=False)
        else:
            figure = _figure(6.3, 0.22 * len(labels) + 1.0)
            axes = figure.add_subplot()
            colours = [
                BLOCK_COLOURS[0] if average is None or v >= average else BELOW_COLOUR
                for v in values
            ]
            axes.barh(range(len(labels)), _floats(values), color=colours, height=0.7)
            axes.set_yticks(range(len(labels)), [_wrap(label, 45) for label in labels], fontsize=8)
            axes.invert_yaxis()
            axes.xaxis.set_major_formatter(_comma(1 if unit == "" else 0))
            axes.set_xlim(0, 1.05 if unit == "" else 105)
            if average is not None:
                from matplotlib.patches import Patch

                line = axes.axvline(
                    float(average),
                    color="#c62828",
                    linestyle="--",
                    label=f"Trung bình khối: {_vn(average, average_decimals(unit))}{unit}",
                )
                # the bars' two colours say where a unit stands against the line
                axes.legend(
                    handles=[
                        Patch(color=BLOCK_COLOURS[0], label="Từ trung bình khối trở lên"),
                        Patch(color=BELOW_COLOUR, label="Dưới trung bình khối"),
                        line,
                    ],
                    loc="lower center",
                    bbox_to_anchor=(0.5, 1.0),
                    ncols=3,
                    frameon=False,
                    fontsize=8,
                )
        axes.spines[["top", "right"]].set_visible(False)
        return _save(figure, form)


def _wrap(text: str, width: int) -> str:
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines[:3])


def render(chart: Chart, form: Format = "png") -> bytes:
    if chart.kind == "tiers":
        return tier_chart(chart.labels, chart.values, form)
    if chart.kind == "groups":
        return groups_chart(chart.labels, chart.series, form)
    return units_chart(
        chart.labels,
        chart.values,
        chart.reference,
        unit=chart.unit,
        histogram=chart.histogram,
        form=form,
    )


def render_all(report: Report, form: Format = "png") -> dict[str, bytes]:
    """Every chart of the report, by key."""
    return {chart.key: render(chart, form) for chart in report.all_charts}
