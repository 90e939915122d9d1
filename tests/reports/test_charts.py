"""The charts' text is set in the bundled font, whatever fonts the system has."""

from __future__ import annotations

import warnings
from pathlib import Path

import matplotlib
from matplotlib import font_manager

from chiso.reports import charts

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
