"""The reports package's modules and the names each offers: what the renderers, the web and
the tests may import."""

from __future__ import annotations

import importlib

import pytest

PUBLIC = {
    "chiso.format": [
        "DECIMAL_COMMA",
        "MINUS",
        "THOUSANDS_DOT",
        "change",
        "comma",
        "date",
        "exact",
        "mean_decimals",
        "number",
        "percent",
        "plain",
        "points",
    ],
    "chiso.reports.data": ["BlockReport", "Report", "build_report"],
    "chiso.reports.tables": [
        "Cell",
        "Column",
        "Kind",
        "Section",
        "Table",
        "cell_text",
        "display_percent",
        "group_tables",
        "method_table",
        "overall_table",
        "scored_groups",
    ],
    "chiso.reports.layout": ["Layout", "fit", "spans", "table_layout", "text_width"],
    "chiso.reports.chart_data": [
        "Chart",
        "FigureNumbers",
        "groups_chart",
        "tiers_chart",
        "units_chart",
    ],
    "chiso.reports.method": [
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
    ],
    "chiso.reports.narrative": [
        "block_sentences",
        "conclusion_sentences",
        "mean_decimals",
        "summary_sentences",
    ],
    "chiso.reports.statistics": ["Statistic", "statistics", "statistics_rows"],
    "chiso.reports.scorecard": [
        "LostPoints",
        "Scorecard",
        "ScorecardGroup",
        "ScorecardYear",
        "build_scorecard",
        "build_scorecards",
        "lost_points",
    ],
    "chiso.reports.codec": ["CodecError", "VERSION", "decode", "encode"],
    "chiso.reports.robustness": [
        "RANGE_TITLE",
        "block_sentence",
        "range_text",
        "ranges_note",
        "widest",
    ],
    "chiso.reports.crosswalk": [
        "YearComparison",
        "block_sentence",
        "change_title",
        "group_notes",
        "year_comparison",
    ],
    "chiso.reports.overclaim": ["TITLE", "block_gap", "block_sentence", "overclaim_table"],
    "chiso.reports.publication": [
        "Part",
        "Publication",
        "assemble",
        "build_publication",
        "head_of",
        "join",
        "parts",
        "read_chart",
        "read_head",
        "read_scorecard",
        "read_table",
    ],
}


@pytest.mark.parametrize("module", sorted(PUBLIC))
def test_module_offers_exactly_its_public_names(module: str) -> None:
    imported = importlib.import_module(module)
    assert sorted(imported.__all__) == PUBLIC[module]
    assert all(hasattr(imported, name) for name in imported.__all__)
