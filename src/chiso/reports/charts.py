"""Charts of the publication (matplotlib, no display needed): PNG or SVG bytes from plain data.

Each drawing function takes plain labels and numbers, so a web page can draw the same chart
from its own data; :func:`render` draws a :class:`~chiso.reports.chart_data.Chart` of a report.
Text is set in the bundled Liberation Serif (Times New Roman's metrics, Vietnamese glyphs),
numbers with a decimal comma.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from decimal import ROUND_FLOOR, Decimal
from functools import cache
from importlib import resources
from typing import TYPE_CHECKING, Any, Literal

import matplotlib
import PIL.Image

matplotlib.use("Agg")

from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.colors import to_rgb
from matplotlib.figure import Figure
from matplotlib.patches import Patch
from matplotlib.path import Path
from matplotlib.ticker import FuncFormatter, MaxNLocator

from chiso import format as fmt

if TYPE_CHECKING:
    from chiso.reports.chart_data import Chart
    from chiso.reports.data import Report

__all__ = [
    "average_decimals",
    "axis_start",
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
    FigureCanvasAgg(figure)  # text is measured with the renderer the PNG is drawn with
    figure.set_layout_engine("constrained")
    return figure


def _rc() -> Any:
    return {"font.family": _font(), "font.size": 10, "svg.fonttype": "none"}


def _save(figure: Figure, form: Format) -> bytes:
    buffer = io.BytesIO()
    with matplotlib.rc_context(_rc()):
        if form == "svg":
            figure.savefig(buffer, format="svg", metadata={"Date": None})
        else:
            # an RGB picture: the figure is opaque, and a PDF holds an alpha channel as a
            # second image that WeasyPrint would encode again for each chart
            canvas = figure.canvas
            canvas.draw()
            rgba = canvas.buffer_rgba()  # type: ignore[attr-defined]
            height, width = rgba.shape[:2]
            pixels = PIL.Image.frombuffer("RGBA", (width, height), rgba)
            pixels.convert("RGB").save(buffer, format="png", dpi=(figure.dpi, figure.dpi))
    return buffer.getvalue()


Number = Decimal | float | int
"""A chart's value: exact (a Decimal) from the publication, so that its label is rounded as
every printed figure is; drawn as a float."""


def _vn(value: Number, decimals: int) -> str:
    return fmt.number(value, decimals)


def _decimal(value: Number) -> Decimal:
    return Decimal(float.__repr__(value)) if isinstance(value, float) else Decimal(value)


def _comma(decimals: int) -> FuncFormatter:
    return FuncFormatter(lambda value, _pos: _vn(value, decimals))


def _line_height(fontsize: float) -> float:
    """The height of a line of text, in inches (matplotlib's line spacing, 1.2)."""
    return fontsize * 1.2 / 72


def _rows(heights: Sequence[float]) -> list[float]:
    """The centre of each row of a bar chart, top down, each row as tall as given (inches)."""
    centres, top = [], 0.0
    for height in heights:
        centres.append(top + height / 2)
        top += height
    return centres


def _fit_height(figure: Figure, axes: Axes, inches: float) -> None:
    """Make the plot ``inches`` tall, so that a row of the chart keeps the height it was given
    (its wrapped label fits in it): the legend, ticks and axis label take what they need
    besides, the same at any height, so one measure of them is enough."""
    engine = figure.get_layout_engine()
    assert engine is not None
    engine.execute(figure)
    drawn = axes.get_position().height * figure.get_figheight()
    figure.set_figheight(figure.get_figheight() + inches - drawn)


def _legend(
    figure: Figure, handles: Sequence[Any], labels: Sequence[str], fontsize: float = 10
) -> None:
    """A legend above the plot, centred on the figure, in as many columns as its width holds
    (one entry a line at worst): a legend wider than the figure would be cut at its edge."""
    renderer = figure.canvas.get_renderer()  # type: ignore[attr-defined]
    labels = [_wrap(label, 60) for label in labels]
    for columns in range(len(handles), 0, -1):
        legend = figure.legend(
            handles,
            labels,
            loc="outside upper center",
            ncols=columns,
            frameon=False,
            fontsize=fontsize,
        )
        if columns == 1 or legend.get_window_extent(renderer).width <= 0.98 * figure.bbox.width:
            return
        legend.remove()


def tier_chart(labels: Sequence[str], counts: Sequence[Number], form: Format = "png") -> bytes:
    """Units per tier as a pie; the legend names each tier with its units and share ("Mức Tốt:
    17 (81%)"), empty tiers too, and a slice large enough for it shows its share."""
    return _save(_tier_figure(labels, counts), form)


INSIDE_SHARE = Decimal(7)
"""The smallest share (%) whose slice shows it: a smaller slice's text would spill over its
neighbours'; the legend states every share."""


def _tier_figure(labels: Sequence[str], counts: Sequence[Number]) -> Figure:
    with matplotlib.rc_context(_rc()):
        figure = _figure(5.5, 3.4)
        axes = figure.add_subplot()
        total = sum(int(c) for c in counts)
        shares = [Decimal(int(c) * 100) / (total or 1) for c in counts]
        colours = [TIER_COLOURS[i % 6] for i in range(len(labels))]
        shown = [i for i, c in enumerate(counts) if c]
        wedges = axes.pie(
            [float(counts[i]) for i in shown] or [1.0],
            colors=[colours[i] for i in shown] or ["#cccccc"],
            startangle=90,
            counterclock=False,
            wedgeprops={"linewidth": 1, "edgecolor": "white"},
        )[0]
        for wedge, i in zip(wedges, shown, strict=False):
            if shares[i] >= INSIDE_SHARE:
                angle = math.radians((wedge.theta1 + wedge.theta2) / 2)
                axes.text(
                    0.62 * math.cos(angle),
                    0.62 * math.sin(angle),
                    f"{_vn(shares[i], 0)}%",
                    ha="center",
                    va="center",
                    color=_ink(colours[i]),
                )
        axes.set_aspect("equal")
        figure.legend(
            handles=_patches(len(labels)),
            labels=[
                f"{_tier_name(label)}: {int(count)}" + (f" ({_vn(share, 0)}%)" if count else "")
                for label, count, share in zip(labels, counts, shares, strict=True)
            ],
            loc="outside right center",
            frameon=False,
        )
        return figure


def _tier_name(label: str) -> str:
    return label if label.casefold().startswith("mức") else f"Mức {label}"


def _ink(colour: str) -> str:
    """Black or white, whichever reads on ``colour`` (its relative luminance)."""
    red, green, blue = to_rgb(colour)
    return "black" if 0.2126 * red + 0.7152 * green + 0.0722 * blue > 0.45 else "white"


def _patches(count: int) -> list[Any]:
    return [Patch(color=TIER_COLOURS[i % 6]) for i in range(count)]


GROUP_BAR = 0.25
"""The thickness of a bar of the groups chart (inches)."""


def groups_chart(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    form: Format = "png",
    *,
    size: tuple[float, float] | None = None,
) -> bytes:
    """Each group's points as a share of its maximum (%), one bar per series (a block's
    mean, a unit and its block's mean); a value None (a group the block does not have) has
    no bar, and the group's other bars are centred on its label. Each group's row is as tall
    as its bars and its wrapped name need; ``size`` fixes the figure's size instead."""
    return _save(_groups_figure(labels, series, size), form)


def _groups_figure(
    labels: Sequence[str],
    series: Sequence[tuple[str, Sequence[Number | None]]],
    size: tuple[float, float] | None = None,
) -> Figure:
    with matplotlib.rc_context(_rc()):
        figure = _figure(*(size or (6.3, 4.0)))
        axes = figure.add_subplot()
        names = [_wrap(label, 40) for label in labels]
        present = [
            [j for j, (_name, values) in enumerate(series) if values[i] is not None]
            for i in range(len(labels))
        ]
        heights = [
            max(len(bars) * GROUP_BAR + 0.2, (name.count("\n") + 1) * _line_height(10) + 0.12)
            for name, bars in zip(names, present, strict=True)
        ]
        centres = _rows(heights)
        for index, (_name, values) in enumerate(series):
            bars = [
                (centres[i] + (row.index(index) - (len(row) - 1) / 2) * GROUP_BAR, value)
                for i, (row, value) in enumerate(zip(present, values, strict=True))
                if value is not None
            ]
            drawn = axes.barh(
                [y for y, _value in bars],
                [float(value) for _y, value in bars],
                height=GROUP_BAR,
                color=BLOCK_COLOURS[index % 5],
            )
            axes.bar_label(drawn, labels=[_vn(v, 0) for _y, v in bars], padding=2, fontsize=8)
        axes.set_yticks(centres, names)
        plot = max(sum(heights), GROUP_BAR)  # a chart without groups is not squashed to nothing
        axes.set_ylim(plot, 0)
        ticks, _decimals = _ticks(Decimal(0), Decimal(100))
        axes.set_xticks([float(t) for t in ticks], [_vn(t, 0) for t in ticks])
        axes.set_xlim(0, 110)  # room for the label of a bar of 100
        axes.set_xlabel("% điểm tối đa")
        axes.spines[["top", "right"]].set_visible(False)
        if len(series) > 1:
            _legend(
                figure,
                [Patch(color=BLOCK_COLOURS[i % 5]) for i in range(len(series))],
                [name for name, _values in series],
            )
        if size is None:
            _fit_height(figure, axes, plot)
        return figure


BELOW_COLOUR = "#90a4ae"
"""The bar of a unit below its block's average (the others take ``BLOCK_COLOURS[0]``)."""


def average_decimals(unit: str) -> int:
    """The decimals of a block's average where a chart states it: one more than the results'
    axis (a percentage 79,3%; an index 0,793)."""
    return 3 if unit == "" else 1


def axis_start(values: Sequence[Number], unit: str = "%") -> Decimal:
    """Where the units chart's axis starts: 0, unless every result lies in the upper half of
    the scale; then at the largest tenth of the scale at least half a tenth below the smallest
    result (88,2% → 80%, 96% → 90%, 0,91 → 0,8), if that is at least half the scale — the axis
    is at least twice as fine as from 0 and the gaps between units show. The chart marks such
    an axis (a break on it and a note under it)."""
    top = Decimal(1) if unit == "" else Decimal(100)
    if not values:
        return Decimal(0)
    step = top / 10
    lowest = min(_decimal(v) for v in values)
    start = ((lowest - step / 2) / step).to_integral_value(ROUND_FLOOR) * step
    return start if start >= top / 2 else Decimal(0)


def units_chart(
    labels: Sequence[str],
    values: Sequence[Number],
    average: Number | None,
    *,
    unit: str = "%",
    histogram: bool = False,
    form: Format = "png",
) -> bytes:
    """Each unit's result (bars, in the given order) against the block average (a line), on
    an axis from :func:`axis_start`; with ``histogram``, ``labels`` are ranges of the scale
    and ``values`` counts of units."""
    if histogram:
        return _save(_histogram_figure(labels, values, average, unit), form)
    return _save(_units_figure(labels, values, average, unit), form)


def _histogram_figure(
    labels: Sequence[str], values: Sequence[Number], average: Number | None, unit: str
) -> Figure:
    with matplotlib.rc_context(_rc()):
        figure = _figure(6.3, 3.2)
        axes = figure.add_subplot()
        axes.bar(range(len(labels)), [float(v) for v in values], color=BLOCK_COLOURS[0])
        axes.set_xticks(range(len(labels)), labels, rotation=45, ha="right", fontsize=8)
        axes.set_ylabel("Số đơn vị")
        axes.yaxis.set_major_locator(MaxNLocator(integer=True))
        axes.yaxis.set_major_formatter(_comma(0))
        if average is not None:
            top = 1.0 if unit == "" else 100.0
            line = axes.axvline(
                float(average) / top * len(labels) - 0.5,
                color="#c62828",
                linestyle="--",
            )
            _legend(figure, [line], [f"Trung bình: {_vn(average, average_decimals(unit))}{unit}"])
        axes.spines[["top", "right"]].set_visible(False)
        return figure


UNIT_ROW = 0.22
"""The height of a unit's row in the units chart (inches), more for a name on two lines."""


def _units_figure(
    labels: Sequence[str], values: Sequence[Number], average: Number | None, unit: str
) -> Figure:
    with matplotlib.rc_context(_rc()):
        figure = _figure(6.3, 3.0)
        axes = figure.add_subplot()
        names = [_wrap(label, 45) for label in labels]
        heights = [max(UNIT_ROW, (name.count("\n") + 1) * _line_height(8) + 0.06) for name in names]
        centres = _rows(heights)
        colours = [
            BLOCK_COLOURS[0] if average is None or v >= average else BELOW_COLOUR for v in values
        ]
        axes.barh(centres, [float(v) for v in values], color=colours, height=0.7 * UNIT_ROW)
        axes.set_yticks(centres, names, fontsize=8)
        plot = max(sum(heights), UNIT_ROW)  # a block without results is not squashed to nothing
        axes.set_ylim(plot, 0)
        start = axis_start(values, unit)
        top = Decimal(1) if unit == "" else Decimal(100)
        ticks, decimals = _ticks(start, top)
        axes.set_xticks([float(t) for t in ticks], [_vn(t, decimals) for t in ticks])
        axes.set_xlim(float(start), float(top) * 1.05)
        if start:
            # room under the last bar for the break on the axis
            plot += 0.1
            axes.set_ylim(plot, 0)
            _break_mark(axes)
            origin = f"{_vn(start, 1 if unit == '' else 0)}{unit}"
            axes.set_xlabel(f"Trục hoành bắt đầu từ {origin}, không phải từ 0", fontsize=8)
        if average is not None:
            line = axes.axvline(float(average), color="#c62828", linestyle="--")
            # the bars' two colours say where a unit stands against the line
            _legend(
                figure,
                [Patch(color=BLOCK_COLOURS[0]), Patch(color=BELOW_COLOUR), line],
                [
                    "Từ trung bình khối trở lên",
                    "Dưới trung bình khối",
                    f"Trung bình khối: {_vn(average, average_decimals(unit))}{unit}",
                ],
                fontsize=8,
            )
        axes.spines[["top", "right"]].set_visible(False)
        _fit_height(figure, axes, plot)
        return figure


def _ticks(start: Decimal, top: Decimal) -> tuple[list[Decimal], int]:
    """The value axis's ticks from ``start`` to ``top``, at the finest round step that makes
    at most six (100 by 20, 80–100 by 5, 90–100 by 2), and the decimals they are written with."""
    span = top - start
    step = next(s for s in (top / 50, top / 20, top / 10, top / 5) if span / s <= 5)
    ticks = [start + step * i for i in range(int(span / step) + 1)]
    return ticks, max(0, -step.normalize().as_tuple().exponent)  # type: ignore[operator]


BREAK = Path([(-3, -4), (-1, 4), (1, -4), (3, 4)], [Path.MOVETO, Path.LINETO] * 2)
"""Two slashes: the mark of an axis that does not start at 0."""
GAP = Path([(-3, -4), (-1, 4), (3, 4), (1, -4), (-3, -4)], closed=True)
"""The white between the slashes, where the axis is cut."""


def _break_mark(axes: Axes) -> None:
    """Cut the value axis near its start with two slashes."""
    for marker, face, edge in ((GAP, "white", "none"), (BREAK, "none", "black")):
        axes.plot(
            [0.03],
            [0],
            transform=axes.transAxes,
            marker=marker,
            markersize=10,
            markeredgewidth=1.2,
            markerfacecolor=face,
            markeredgecolor=edge,
            linestyle="none",
            clip_on=False,
            zorder=5,
        )


def _wrap(text: str, width: int) -> str:
    """``text`` in lines of at most ``width`` characters (a longer word on a line of its
    own), all of it: a chart names every group in full."""
    words, lines, line = text.split(), [], ""
    for word in words:
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "\n".join(lines)


def render(chart: Chart, form: Format = "png") -> bytes:
    return _save(_draw(chart), form)


def _draw(chart: Chart) -> Figure:
    if chart.kind == "tiers":
        return _tier_figure(chart.labels, chart.values)
    if chart.kind == "groups":
        return _groups_figure(chart.labels, chart.series)
    if chart.histogram:
        return _histogram_figure(chart.labels, chart.values, chart.reference, chart.unit)
    return _units_figure(chart.labels, chart.values, chart.reference, chart.unit)


def render_all(report: Report, form: Format = "png") -> dict[str, bytes]:
    """Every chart of the report, by key."""
    return {chart.key: render(chart, form) for chart in report.all_charts}
