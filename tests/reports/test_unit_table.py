"""The raw-data rows of the workbook read back as the same units: every kind of answer of the
example framework of docs/frameworks.md (yes/no with and without evidence, ratios, decimals,
choices, criteria declared not applicable, "na" answers, statuses)."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from chiso.core import Answer, Status, UnitData, parse_framework
from chiso.io.data import read_units
from chiso.io.results import write_csv
from chiso.io.unit_table import unit_rows

DOC = Path(__file__).resolve().parents[2] / "docs" / "frameworks.md"


def example_framework_text() -> str:
    lines = DOC.read_text(encoding="utf-8").splitlines()
    start = lines.index("<!-- example: tinh-mau-2026 -->") + 2
    end = lines.index("```", start)
    return "\n".join(lines[start:end])


def n(value: str, denominator: str | None = None, evidence: bool = False) -> Answer:
    return Answer(Decimal(value), Decimal(denominator) if denominator else None, evidence)


NA = Answer(not_applicable=True)
UNITS = [
    UnitData(
        "Sở Alpha",
        "so",
        {
            "A.1": n("1"),
            "A.2": n("45", "60"),
            "A.3": n("4"),
            "B.1": n("80"),
            "B.2": NA,  # declared: the part may be declared not applicable
            "C.1": n("1", evidence=True),
            "C.2": n("0"),
            "C.3": Answer("toan-bo"),
            "D.1": n("4"),
            "D.2": n("2.65"),
            "E.1": n("1200"),
            "E.2": n("3"),
        },
    ),
    UnitData(
        "Sở Gamma",
        "so",
        {"A.1": n("1"), "A.2": n("60"), "B": NA, "C.2": n("1", evidence=True), "D.2": n("1.5")},
    ),
    UnitData("Sở Zeta", "so", {}, Status.NO_DATA),
    UnitData(
        "Ban Delta", "so", {"A.1": n("0"), "C.3": Answer("chua"), "E.1": n("300")}, Status.VOLUNTARY
    ),
    # evidence attached to criteria scored without it (the web's evidence files)
    UnitData(
        "Xã Bắc",
        "xa",
        {"A.1": n("1", evidence=True), "B.1": n("80", evidence=True), "D.2": n("3"), "F": n("1")},
    ),
]


def test_unit_rows_read_back_as_the_same_units(tmp_path: Path) -> None:
    framework = parse_framework(example_framework_text())
    rows = unit_rows(framework, UNITS)
    assert list(rows[0])[:4] == ["unit", "block", "status", "not_applicable"]
    assert rows[0]["A.2"] == "45/60" and rows[0]["C.1:evidence"] == "1" and rows[0]["D.2"] == "2.65"
    assert rows[0]["not_applicable"] == "B.2" and rows[1]["not_applicable"] == "B"
    assert rows[2]["status"] == "no_data" and rows[3]["status"] == "voluntary"
    assert rows[4]["A.1:evidence"] == rows[4]["B.1:evidence"] == "1"
    path = tmp_path / "units.csv"
    path.write_text(write_csv(rows), encoding="utf-8")
    assert read_units(framework, path).units == UNITS


def test_a_unit_without_data_is_written_without_answers(tmp_path: Path) -> None:
    """The core does not read the answers of a unit without data, and the reader refuses them:
    its row is written with empty cells, and reads back without answers."""
    framework = parse_framework(example_framework_text())
    units = [UNITS[0], UnitData("Sở Zeta", "so", {"A.1": n("1"), "E.1": n("5")}, Status.NO_DATA)]
    rows = unit_rows(framework, units)
    assert rows[1]["status"] == "no_data"
    assert all(
        not rows[1][column] for column in rows[1] if column not in ("unit", "block", "status")
    )
    path = tmp_path / "units.csv"
    path.write_text(write_csv(rows), encoding="utf-8")
    assert read_units(framework, path).units[1] == UnitData("Sở Zeta", "so", {}, Status.NO_DATA)
