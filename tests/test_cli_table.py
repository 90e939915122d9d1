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


# An index without tiers, with an information-only group of 0 points (the DTI's "Đô thị thông
# minh"): neither has a column, since nothing would be printed in it.
NO_TIERS = """\
id: chi-so-2024
name: Chỉ số thử
assessor: Thử
year: 2024
blocks: [{code: all, name: Countries}]
display: {scale: ratio, percent_decimals: 4, score_decimals: 2}
criteria:
  - {code: A, name: Online services, max: 1, rule: {type: points}}
  - {code: B, name: Human capital, max: 2, rule: {type: points}}
  - code: C
    name: Information only
    children:
      - {code: C.1, name: A note, rule: {type: info}}
"""


def test_a_framework_without_tiers_has_no_tier_column_nor_one_for_a_0_point_group(capsys, tmp_path):
    framework = tmp_path / "chi-so-2024.yaml"
    framework.write_text(NO_TIERS, encoding="utf-8")
    units = tmp_path / "units.csv"
    units.write_text("unit,A,B,C.1\nCountry A,1,1.5,yes\nCountry B,0.5,2,\n", encoding="utf-8")
    assert main(["score", "-f", str(framework), "-d", str(units)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Bảng 1. Kết quả đánh giá, xếp hạng năm 2024 — Countries"
    assert re.split(r"\s{2,}", lines[2]) == [
        "TT", "Tên cơ quan, đơn vị", "A", "B", "Tổng điểm", "Chỉ số", "Xếp hạng 2024"
    ]  # fmt: skip
    assert [re.split(r"\s{2,}", line.strip()) for line in lines[4:7]] == [
        ["Điểm tối đa", "1,00", "2,00", "3,00"],
        ["1", "Country A", "1,00", "1,50", "2,50", "0,8333", "1"],
        ["2", "Country B", "0,50", "2,00", "2,50", "0,8333", "1"],
    ]
