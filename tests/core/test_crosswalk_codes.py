"""compare_years restricted to some codes (the groups and parts a publication compares) gives
exactly the comparisons of those codes that the full comparison gives (tests/data/crosswalk,
worked by hand in tests/reports/test_report_crosswalk.py)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from chiso.core import load_framework
from chiso.core.crosswalk import Pair, build_crosswalk, compare_years
from chiso.io.data import score_files

DATA = Path(__file__).resolve().parents[1] / "data" / "crosswalk"


def test_compared_codes_are_those_asked_with_the_full_comparisons_values() -> None:
    current = load_framework(DATA / "current-2025.yaml")
    earlier = load_framework(DATA / "earlier-2024.yaml")
    pairs = [Pair("A", "I"), Pair("A.1", "I.1"), Pair("A.2", "I.2"), Pair("B", "II.a"),
             Pair("B", "II.b"), Pair("B.1", "II.a"), Pair("B.1", "II.b"), Pair("", "II.c")]  # fmt: skip
    crosswalk = build_crosswalk(current, earlier, pairs)
    now = score_files(current, DATA / "units-2025.csv")
    before = score_files(earlier, DATA / "units-2024.csv")
    every = compare_years(crosswalk, now, before)
    some = compare_years(crosswalk, now, before, codes=["A", "B", "C", "Z"])
    assert [c.code for c in some["so", "Sở X"]] == ["A", "B", "C"]
    assert [c.code for c in every["so", "Sở X"]] == ["A.1", "A.2", "A", "B.1", "B", "C.1", "C"]
    for key, rows in some.items():
        full = {c.code: c for c in every[key]}
        assert all(row == full[row.code] for row in rows)
    changes = {c.code: c.change for c in some["so", "Sở Y"]}
    assert changes["A"] == Decimal(80) and changes["B"] == Decimal(-40) and changes["C"] is None
