"""``chiso overclaim``: self-assessed against verified points, worked by hand.

Verified: X 2 + 2 + 3 = 7, Y 0 + 3 + 4 = 7, Z 2 + 1 + 5 = 8.
Self-assessed: X 2 + 3 + 5 = 10 (+3: I.2 +1, II.1 +2), Y 2 + 3 + 4 = 9 (+2: I.1 +2),
Z 2 + 1 + 4 = 7 (−1: II.1 −1). The block: 26 against 22, +4; two units over, one under.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from chiso.cli import main

FRAMEWORK = """
id: overclaim-2026
name: Khung thử
assessor: Sở thử
year: 2026
blocks:
  - {code: so, name: Khối sở}
ranking: {by: points, ties: competition, precision: 1}
criteria:
  - code: I
    name: Hạ tầng
    children:
      - {code: I.1, name: Có mạng LAN, max: 2, rule: {type: yes_no}}
      - {code: I.2, name: Số hệ thống, max: 3, rule: {type: points}}
  - code: II
    name: Ứng dụng
    children:
      - {code: II.1, name: Dịch vụ công, max: 5, rule: {type: points}}
"""
VERIFIED = "unit,I.1,I.2,II.1\nX,1,2,3\nY,0,3,4\nZ,1,1,5\n"
CLAIMED = "unit,I.1,I.2,II.1\nX,1,3,5\nY,1,3,4\nZ,1,1,4\n"


@pytest.fixture
def files(tmp_path: Path) -> list[str]:
    (tmp_path / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (tmp_path / "verified.csv").write_text(VERIFIED, encoding="utf-8")
    (tmp_path / "self.csv").write_text(CLAIMED, encoding="utf-8")
    return [
        "overclaim",
        "-f",
        str(tmp_path / "f.yaml"),
        "-d",
        str(tmp_path / "verified.csv"),
        "--self",
        str(tmp_path / "self.csv"),
    ]


def run(capsys, *argv):
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_json_gives_every_unit_criterion_and_block_both_ways(capsys, files):
    code, out, err = run(capsys, *files, "--format", "json")
    assert (code, err) == (0, "")
    (block,) = json.loads(out)["blocks"]
    assert (block["claimed"], block["verified"], block["difference"]) == (26, 22, 4)
    assert (block["over"], block["under"]) == (2, 1)
    assert [(c["code"], c["difference"], c["units"]) for c in block["criteria"]] == [
        ("I", 3, 2),
        ("I.1", 2, 1),
        ("I.2", 1, 1),
        ("II", 1, 2),
        ("II.1", 1, 2),
    ]
    assert [(u["unit"], u["difference"]) for u in block["units"]] == [
        ("X", 3),
        ("Y", 2),
        ("Z", -1),
    ]
    x = block["units"][0]
    assert (x["claimed"], x["verified"]) == (10, 7)
    assert [(c["code"], c["claimed"], c["verified"]) for c in x["criteria"]] == [
        ("I", 5, 4),
        ("I.2", 3, 2),
        ("II", 5, 3),
        ("II.1", 5, 3),
    ]


def test_the_table_reads_as_the_review_team_would_write_it(capsys, files):
    code, out, _err = run(capsys, *files)
    assert code == 0
    assert "Bảng 1. Điểm tự đánh giá và điểm thẩm định — Khối sở" in out
    x = next(line for line in out.splitlines() if line.startswith(" 1  X"))
    assert x.split() == ["1", "X", "10,0", "7,0", "+3,0", "II.1", "(+2,0),", "I.2", "(+1,0)"]
    assert (
        "Tổng: tự đánh giá 26,0, thẩm định 22,0, chênh lệch +4,0 điểm; 2 đơn vị tự chấm cao hơn,"
        " 1 đơn vị thấp hơn." in out
    )
    assert (
        "Tiêu chí chênh lệch nhiều nhất: I (+3,0 điểm, 2 đơn vị); I.1 (+2,0 điểm, 1 đơn vị)" in out
    )


def test_the_csv_has_a_row_per_unit_total_and_criterion_that_differs(capsys, files):
    code, out, _err = run(capsys, *files, "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    z = [
        (r["code"], r["claimed"], r["verified"], r["difference"]) for r in rows if r["unit"] == "Z"
    ]
    assert z == [("", "7", "8", "-1"), ("II", "4", "5", "-1"), ("II.1", "4", "5", "-1")]


def test_a_unit_missing_from_one_file_is_named_not_compared(capsys, files, tmp_path):
    (tmp_path / "self.csv").write_text(CLAIMED + "W,1,1,1\n", encoding="utf-8")
    code, out, _err = run(capsys, *files)
    assert code == 0
    assert "Không so sánh (thiếu một trong hai bộ số liệu): W" in out


def test_a_bad_self_assessment_file_names_its_row_and_column(capsys, files, tmp_path):
    (tmp_path / "self.csv").write_text("unit,I.1,I.2,II.1\nX,1,9,5\n", encoding="utf-8")
    code, _out, err = run(capsys, *files)
    assert code == 2
    assert "self.csv, row 2, column 'I.2'" in err
