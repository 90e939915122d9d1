"""The charts' text is set in the bundled font, whatever fonts the system has."""

from __future__ import annotations

import warnings
from decimal import Decimal
from functools import cache
from itertools import combinations
from pathlib import Path

import matplotlib
import pytest
from matplotlib import font_manager
from matplotlib.axes import Axes
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg
from matplotlib.figure import Figure
from matplotlib.text import Text
from matplotlib.transforms import Bbox

from chiso.core import load_framework
from chiso.io.data import score_files
from chiso.reports import charts
from chiso.reports.chart_data import Chart
from chiso.reports.data import Report, build_report

FONTS = Path(charts.__file__).resolve().parent / "fonts"


def test_the_charts_family_is_the_bundled_font() -> None:
    """A system may have a Liberation Serif of its own (Debian's fonts-liberation 1.07, which
    has no Vietnamese letters such as 'ạ' or 'ế'): the charts must not take it."""
    with matplotlib.rc_context(charts._rc()):
        found = font_manager.findfont(font_manager.FontProperties(), fallback_to_default=False)
        bold = font_manager.findfont(
            font_manager.FontProperties(weight="bold"), fallback_to_default=False
        )
    assert Path(found) == FONTS / "LiberationSerif-Regular.ttf"
    assert Path(bold) == FONTS / "LiberationSerif-Bold.ttf"


def test_vietnamese_labels_are_drawn_without_missing_glyphs() -> None:
    labels = ["Sở Tài nguyên và Môi trường", "Ủy ban nhân dân huyện Đức Trọng", "Mức trung bình"]
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        png = charts.groups_chart(labels, [("Điểm đạt được", [12.5, 8.25, 3.0])])
        charts.tier_chart(["Tốt", "Khá", "Trung bình", "Yếu"], [3, 5, 2, 1])
    assert png.startswith(b"\x89PNG")
    missing = [str(w.message) for w in caught if "missing from font" in str(w.message)]
    assert missing == []


# The layout, measured: every text's extent as the Agg renderer draws it (pixels) must lie
# inside the figure and clear of every other text and of the legend.

DATA = Path(__file__).resolve().parents[1] / "data"
PROVINCES = ["binh-dinh-2021", "son-la-2020", "cao-bang-2020"]
TIERS = ["Tốt", "Khá", "Trung bình", "Yếu"]


@cache
def _report(province: str) -> Report:
    framework = load_framework(province)
    return build_report(framework, score_files(framework, DATA / province / "units.csv"))


def _chart(province: str, key: str) -> Chart:
    return next(c for c in _report(province).all_charts if c.key == key)


def _texts(figure: Figure) -> list[Text]:
    """The texts drawn: not empty, not the labels of ticks outside the axes' view."""
    hidden = {
        id(label)
        for axes in figure.axes
        for axis in (axes.xaxis, axes.yaxis)
        for tick in axis.get_major_ticks()
        if not min(axis.get_view_interval()) <= tick.get_loc() <= max(axis.get_view_interval())
        for label in (tick.label1, tick.label2)
    }
    return [
        t
        for t in figure.findobj(Text)
        if t.get_visible() and t.get_text().strip() and id(t) not in hidden
    ]


def _apart(a: Bbox, b: Bbox) -> bool:
    """No overlap (half a pixel of touching allowed: two lines of a name meet)."""
    return a.x1 <= b.x0 + 0.5 or b.x1 <= a.x0 + 0.5 or a.y1 <= b.y0 + 0.5 or b.y1 <= a.y0 + 0.5


def _inside(a: Bbox, box: Bbox) -> bool:
    return box.x0 <= a.x0 and a.x1 <= box.x1 and box.y0 <= a.y0 and a.y1 <= box.y1


def _drawn(figure: Figure) -> RendererAgg:
    """Draw the figure as its PNG is drawn; the renderer measures its texts."""
    canvas = FigureCanvasAgg(figure)
    canvas.draw()
    return canvas.get_renderer()


def layout_problems(figure: Figure) -> list[str]:
    """Texts cut at the figure's edge, texts over each other or over the legend."""
    renderer = _drawn(figure)
    legends = [*figure.legends, *(a.get_legend() for a in figure.axes if a.get_legend())]
    in_legend = {id(t) for legend in legends for t in legend.get_texts()}
    extents = [(t.get_text(), id(t), t.get_window_extent(renderer)) for t in _texts(figure)]
    problems = [f"{name!r} is cut" for name, _i, e in extents if not _inside(e, figure.bbox)]
    problems += [
        f"{a!r} overlaps {b!r}"
        for (a, _i, ea), (b, _j, eb) in combinations(extents, 2)
        if not _apart(ea, eb)
    ]
    for legend in legends:
        box = legend.get_window_extent(renderer)
        problems += ["the legend is cut"] if not _inside(box, figure.bbox) else []
        problems += [
            f"{name!r} is under the legend"
            for name, i, e in extents
            if i not in in_legend and not _apart(e, box)
        ]
    return problems


def _left_of_the_plot(figure: Figure) -> bool:
    """The bars' names end where the plot begins (they do not run over the bars)."""
    renderer = _drawn(figure)
    axes = figure.axes[0]
    return all(t.get_window_extent(renderer).x1 <= axes.bbox.x0 for t in axes.get_yticklabels())


@pytest.mark.parametrize("province", PROVINCES)
def test_no_text_of_a_publication_chart_is_cut_or_drawn_over_another(province: str) -> None:
    for chart in _report(province).all_charts:
        figure = charts._draw(chart)
        assert layout_problems(figure) == [], chart.key
        if chart.kind != "tiers" and not chart.histogram:
            assert _left_of_the_plot(figure), chart.key


@pytest.mark.parametrize(
    "counts",
    [
        [19, 3, 0, 0],  # Bình Phước 2021, provincial units
        [1, 10, 0, 0],  # Bình Phước 2021, districts
        [11, 9, 0],  # Sơn La 2020, provincial units (the label ran under the legend)
        [30, 1, 1, 1],
        [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
        [0, 0, 0, 0],
    ],
)
def test_no_tier_label_is_cut_or_drawn_over_another_or_the_legend(counts: list[int]) -> None:
    labels = (TIERS + [f"Mức {i}" for i in range(5, 15)])[: len(counts)]
    assert layout_problems(charts._tier_figure(labels, counts)) == []


def test_the_tier_legend_states_every_tier_with_its_units_and_share() -> None:
    figure = charts._tier_figure(TIERS, [1, 10, 0, 0])
    assert [t.get_text() for t in figure.legends[0].get_texts()] == [
        "Mức Tốt: 1 (9%)",
        "Mức Khá: 10 (91%)",
        "Mức Trung bình: 0",
        "Mức Yếu: 0",
    ]
    assert _shares_on_the_pie(figure) == ["9%", "91%"]


def test_a_slice_too_thin_for_its_share_shows_none() -> None:
    assert _shares_on_the_pie(charts._tier_figure(TIERS, [30, 1, 1, 1])) == ["91%"]


def _shares_on_the_pie(figure: Figure) -> list[str]:
    return sorted(t.get_text() for t in figure.axes[0].texts if t.get_text())


@pytest.mark.parametrize(
    ("values", "unit", "start"),
    [
        (["88.2", "96.1", "100"], "%", "80"),  # Bình Định 2021's provincial units
        (["96", "100"], "%", "90"),
        (["95.5", "99"], "%", "90"),
        (["90", "99"], "%", "80"),  # a unit at 90 keeps a bar: the axis starts below it
        (["55", "70"], "%", "50"),
        (["54.9", "70"], "%", "0"),  # from 40 the axis would not be twice as fine
        (["37.1", "65.3"], "%", "0"),  # Cao Bằng 2020's districts
        (["0.91", "0.99"], "", "0.8"),
        (["0.5", "0.99"], "", "0"),
        ([], "%", "0"),
    ],
)
def test_the_units_axis_starts_below_the_smallest_result_when_all_are_high(
    values: list[str], unit: str, start: str
) -> None:
    assert charts.axis_start([Decimal(v) for v in values], unit) == Decimal(start)


def test_a_units_axis_not_starting_at_0_is_broken_and_says_so() -> None:
    figure = charts._draw(_chart("binh-dinh-2021", "units-so"))
    axes = figure.axes[0]
    assert axes.get_xlim()[0] == 80
    assert axes.get_xticklabels()[0].get_text() == "80"
    assert axes.get_xlabel() == "Trục hoành bắt đầu từ 80%, không phải từ 0"
    marks = [line for line in axes.lines if line.get_marker() is charts.BREAK]
    assert len(marks) == 1
    assert marks[0].get_xydata().tolist() == [[0.03, 0.0]]  # on the value axis, near its start


def test_a_units_axis_from_0_is_neither_broken_nor_noted() -> None:
    axes = charts._draw(_chart("cao-bang-2020", "units-huyen")).axes[0]
    assert axes.get_xlim()[0] == 0
    assert axes.get_xlabel() == ""
    assert [line for line in axes.lines if line.get_marker() is charts.BREAK] == []


def _bars(figure: Figure) -> list[tuple[float, float, str]]:
    """Each bar's centre (y), length and label."""
    axes = figure.axes[0]
    return [
        (bar.get_y() + bar.get_height() / 2, bar.get_width(), label.get_text())
        for container, labels in zip(axes.containers, _bar_labels(axes), strict=True)
        for bar, label in zip(container, labels, strict=True)
    ]


def _bar_labels(axes: Axes) -> list[list[Text]]:
    texts = [t for t in axes.texts]
    sizes = [len(container) for container in axes.containers]
    return [texts[sum(sizes[:i]) : sum(sizes[: i + 1])] for i in range(len(sizes))]


def test_the_groups_chart_has_no_bar_for_a_group_a_block_does_not_have() -> None:
    """Cao Bằng 2020's two blocks have no group in common: one bar a group, on its name."""
    chart = _chart("cao-bang-2020", "groups")
    (_so, departments), (_huyen, districts) = chart.series
    assert [v is None for v in departments] == [False] * 6 + [True] * 2
    assert [v is None for v in districts] == [True] * 6 + [False] * 2
    figure = charts._draw(chart)
    bars = _bars(figure)
    assert len(bars) == 8
    assert "0" not in [label for _y, _w, label in bars]
    ticks = figure.axes[0].get_yticks().tolist()
    assert sorted(y for y, _w, _l in bars) == pytest.approx(ticks)


def test_a_group_every_block_has_keeps_a_bar_per_block() -> None:
    chart = _chart("binh-dinh-2021", "groups")
    assert len(_bars(charts._draw(chart))) == 2 * len(chart.labels)


LONG = [
    "I. Hạ tầng kỹ thuật công nghệ thông tin, an toàn thông tin mạng và bảo đảm an ninh mạng "
    "của các cơ quan nhà nước trên địa bàn tỉnh theo quy định",
    "II. Ứng dụng công nghệ thông tin trong hoạt động nội bộ của cơ quan nhà nước",
    "III. Ngắn",
    "IV. Cung cấp dịch vụ công trực tuyến mức độ 3, mức độ 4 và thanh toán trực tuyến",
]


@pytest.mark.parametrize("blocks", [1, 2, 3])
def test_long_group_names_wrap_clear_of_the_bars_and_of_each_other(blocks: int) -> None:
    series = [
        (f"Khối {i + 1}: các cơ quan, đơn vị cấp tỉnh", [Decimal(90 - 10 * i)] * len(LONG))
        for i in range(blocks)
    ]
    figure = charts._groups_figure(LONG, series)
    assert layout_problems(figure) == []
    assert _left_of_the_plot(figure)
    names = [t.get_text() for t in figure.axes[0].get_yticklabels()]
    assert max(name.count("\n") for name in names) >= 3
    assert [" ".join(name.split()) for name in names] == LONG  # wrapped, not cut


def test_long_unit_names_wrap_clear_of_the_bars_and_of_each_other() -> None:
    labels = [
        "Ban Quản lý các Khu công nghiệp, Khu kinh tế và Khu công nghệ cao của tỉnh",
        "Sở Tư pháp",
        "Sở Lao động - Thương binh và Xã hội",
        "Văn phòng Đoàn đại biểu Quốc hội và Hội đồng nhân dân tỉnh",
    ]
    figure = charts._units_figure(labels, [Decimal(v) for v in (99, 97, 92, 89)], Decimal(94), "%")
    assert layout_problems(figure) == []
    assert _left_of_the_plot(figure)


@pytest.mark.parametrize("key", ["tiers-huyen", "units-so", "groups"])
def test_a_chart_is_drawn_the_same_every_time(key: str) -> None:
    chart = _chart("binh-dinh-2021", key)
    assert charts.render(chart) == charts.render(chart)


def test_a_chart_of_nothing_is_drawn_without_a_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert charts.units_chart([], [], None).startswith(b"\x89PNG")
        assert charts.groups_chart([], []).startswith(b"\x89PNG")
        assert charts.tier_chart(TIERS, [0, 0, 0, 0]).startswith(b"\x89PNG")
