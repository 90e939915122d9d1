"""The Bình Định 2021 publication, written once per test session through the command.

Two data files: the published Bảng 1/2 (``units.csv``: Mục II as one number), and the same
with Mục II in its two published parts, a) from Bảng 1.2 a)/2.2 a) and b) from Bảng 1.2 b)/2.2 b)
(so that the parts' tables are written too).
"""

from __future__ import annotations

import csv
from collections.abc import Callable
from pathlib import Path

import pytest

from chiso.cli import main

DATA = Path(__file__).resolve().parents[1] / "data"
BD = DATA / "binh-dinh-2021"


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8-sig", newline="") as handle:
        return list(csv.DictReader(handle))


def write_parts_data(path: Path) -> Path:
    """units.csv with II replaced by II.a and II.b from the published part tables."""
    parts: dict[str, dict[str, str]] = {}
    for stem, code in [
        ("bang-1-2a", "II.a"),
        ("bang-2-2a", "II.a"),
        ("bang-1-2b", "II.b"),
        ("bang-2-2b", "II.b"),
    ]:
        for row in read_csv(BD / f"{stem}.csv"):
            parts.setdefault(row["unit"], {})[code] = row["score"]
    rows = []
    for row in read_csv(BD / "units.csv"):
        del row["II"]
        row["II.a"] = parts[row["unit"]]["II.a"]
        row["II.b"] = parts[row["unit"]]["II.b"]
        rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return path


Writer = Callable[..., Path]


@pytest.fixture(scope="session")
def bd_report(tmp_path_factory: pytest.TempPathFactory) -> Writer:
    """``bd_report("xlsx")`` → the report of units.csv (with the 2020 ranks);
    ``bd_report("xlsx", parts=True)`` → of the data with Mục II in parts."""
    folder = tmp_path_factory.mktemp("binh-dinh")
    parts_data = write_parts_data(folder / "units-parts.csv")
    written: dict[tuple[str, bool, bool], Path] = {}

    def write(suffix: str, *, parts: bool = False, draft: bool = False) -> Path:
        key = (suffix, parts, draft)
        if key not in written:
            out = folder / f"ket-qua{'-parts' if parts else ''}{'-draft' if draft else ''}.{suffix}"
            argv = [
                "report",
                "--framework",
                "binh-dinh-2021",
                "--data",
                str(parts_data if parts else BD / "units.csv"),
                "--previous",
                str(BD / "previous.csv"),
                "--out",
                str(out),
            ]
            assert main([*argv, *(["--draft"] if draft else [])]) == 0
            written[key] = out
        return written[key]

    return write
