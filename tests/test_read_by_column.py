"""The data file read column by column (the table the core scores) says what reading it row by
row says: the same answers for every unit, the same results, the same first problem."""

from __future__ import annotations

import csv
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, event, given, settings
from hypothesis import strategies as st

from chiso.core import RowAnswers, Status, UnitData, load_framework, score
from chiso.io.data import _Reader, read_units
from chiso.io.tables import DataError, read_grid
from chiso.io.unit_table import unit_rows
from core.test_engine import cycles


def _write(rows: list[dict[str, str]], folder: str) -> Path:
    path = Path(folder) / "units.csv"
    with path.open("w", encoding="utf-8", newline="") as file:
        writer = csv.DictWriter(file, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


def _read(framework, path, how):
    """``read_units`` (by column, row by row only to find a problem), or row by row."""
    try:
        if how == "column":
            return read_units(framework, path)
        return _Reader(framework, read_grid(path)).by_row()
    except DataError as error:
        return str(error)


def _seen(unit: UnitData):
    return unit.unit, unit.block, unit.status, dict(unit.answers)


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(cycles(), st.data())
def test_reading_by_column_is_reading_row_by_row(cycle, data):
    framework, units = cycle
    if data.draw(st.booleans()):  # a unit without data: its answers are not written
        first = units[0]
        units = [UnitData(first.unit, first.block, first.answers, Status.NO_DATA), *units[1:]]
    with tempfile.TemporaryDirectory() as folder:
        path = _write(unit_rows(framework, units), folder)
        by_column = _read(framework, path, "column")
        by_row = _read(framework, path, "row")
    event("a problem" if isinstance(by_row, str) else "read")
    if isinstance(by_row, str):  # a problem: the same one, whichever way the file is read
        assert by_column == by_row
        return
    assert not isinstance(by_column, str), by_column
    assert all(type(unit.answers) is RowAnswers for unit in by_column.units)
    assert [_seen(u) for u in by_column.units] == [_seen(u) for u in by_row.units]
    assert by_column.rows == by_row.rows
    assert score(framework, by_column.units) == score(framework, by_row.units)


def test_a_bad_cell_before_a_bad_row_is_the_problem_reported(tmp_path):
    """Read column by column, the file's problems are met in another order; the one reported
    is still the first row by row (row 3's cell, not row 4's unknown block)."""
    framework = load_framework("binh-dinh-2021")
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,block,I,II,III,IV,V,VI\n"
        "Sở A,so,13,26,15,5,8,12\n"
        "Sở B,so,13,abc,15,5,8,12\n"
        "Sở C,tinh,13,26,15,5,8,12\n",
        encoding="utf-8",
    )
    reader = _Reader(framework, read_grid(path))
    with pytest.raises(DataError, match="unknown block"):
        reader.by_column()  # checks the rows first: meets row 4 before row 3's cell
    by_column = _read(framework, path, "column")
    assert by_column == _read(framework, path, "row")
    assert "row 3, column 'II'" in by_column


def test_blank_and_repeated_cells_read_once_across_columns(tmp_path):
    """Cells are read once per distinct text for all the columns that read numbers alike: the
    same text in two columns is one answer, and a blank cell (spaces too) is no answer."""
    framework = load_framework("binh-dinh-2021")
    path = tmp_path / "units.csv"
    path.write_text(
        "unit,block,I,II,III,IV,V,VI\n"
        "Sở A,so,13,26,15,5,8,12\n"
        "Sở B,so, ,13,13,5,8,12\n"
        "Sở C,so,,26,15, 5 ,8,12\n",
        encoding="utf-8",
    )
    by_column = read_units(framework, path)
    by_row = _Reader(framework, read_grid(path)).by_row()
    assert [_seen(u) for u in by_column.units] == [_seen(u) for u in by_row.units]
    first, second, third = (unit.answers for unit in by_column.units)
    assert "I" not in second and "I" not in third  # " " and "": no answer
    assert second["II"] is second["III"]  # "13" in two columns: one answer
    assert first["I"] is second["II"]
    assert third["IV"].value == first["IV"].value == 5
