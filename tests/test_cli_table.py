"""`chiso score --format table` prints the published ranking tables: the numbers as the
reports print them (decimal comma), the tier section rows, the ranks and "So sánh"."""

import csv
import re
from pathlib import Path

from chiso.cli import main

DATA = Path(__file__).parent / "data"


def printed_rows(capsys, province, *extra):
    """Each printed unit row as (section, cells), in printed order."""
    folder = DATA / province
    code = main(["score", "-f", province, "-d", str(folder / "units.csv"), *extra])
    assert code == 0
    rows, section = [], None
    for line in capsys.readouterr().out.splitlines():
        if re.match(r"^  \S", line):  # a section row such as "  Mức tốt"
            section = line.strip()
        elif re.match(r"^\s*\d+  ", line):
            rows.append((section, re.split(r"\s{2,}", line.strip())))
    return rows


def published(province, name):
    with open(DATA / province / "published" / name, encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


def test_binh_dinh_bang_2_as_published(capsys):
    rows = printed_rows(capsys, "binh-dinh-2021")
    by_unit = {cells[1]: (section, cells) for section, cells in rows}
    for row in published("binh-dinh-2021", "bang-2.csv"):
        section, cells = by_unit[row["ten_co_quan"]]
        # TT, name, I–VI, total, %, tier, rank
        assert cells[8:10] == [row["tong_diem"], row["ty_le"]]
        assert section.casefold() == row["muc"].casefold()  # "Mức Tốt" / "Mức tốt"
    ranks = [
        cells[11]
        for _, cells in rows
        if cells[1] in {r["ten_co_quan"] for r in published("binh-dinh-2021", "bang-2.csv")}
    ]
    assert ranks == ["1", "1", "1", "4", "4", "4", "7", "8", "8", "10", "10"]  # Bảng 2, 2021


def test_son_la_bang_1_with_the_change_against_2019(capsys):
    previous = str(DATA / "son-la-2020" / "previous.csv")
    rows = printed_rows(capsys, "son-la-2020", "--previous", previous)
    by_unit = {cells[1]: cells for _, cells in rows}
    for row in published("son-la-2020", "bang-1.csv"):
        cells = by_unit[row["ten_co_quan"]]
        # TT, name, TD, total, %, tier, rank 2020, rank 2019, change
        assert cells[3] == row["diem_2020"].replace(".", ",")  # "95,3"
        assert cells[6:9] == [row["hang_2020"], row["hang_2019"], row["so_sanh"]]
