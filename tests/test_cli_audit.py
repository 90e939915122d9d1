"""`chiso audit` on small published tables: the summary line and the fields of the csv and
json output.

The framework and every table are literals of this module, written into ``tmp_path``.
"""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from chiso.cli import main

# One block, four groups, 29 points; a unit below 50 % is "Yếu" and not ranked.
FRAMEWORK = """\
id: audit-test-2025
name: Khung thử
assessor: Sở Khoa học và Công nghệ tỉnh Thử
year: 2025
blocks:
  - {code: so, name: "Sở, ban, ngành"}
  - code: huyen
    name: UBND huyện
    ranking: {by: points, ties: competition, precision: 1}
not_applicable_policy: exclude
classification:
  basis: percent
  precision: 1
  tiers:
    - {label: Tốt, min: 80, heading: Mức tốt}
    - {label: Khá, min: 65, heading: Mức khá}
    - {label: Trung bình, min: 50, heading: Mức trung bình}
  below_lowest: {label: Yếu, ranked: false}
ranking: {by: percent, ties: competition, precision: 1}
display: {scale: percent, percent_decimals: 1, score_decimals: 2}
criteria:
  - code: I
    name: Hạ tầng số
    children:
      - {code: I.1, name: Mạng, max: 2}
      - {code: I.2, name: Máy tính, max: 4}
  - code: II
    name: Dịch vụ công trực tuyến
    not_applicable: true
    children:
      - {code: II.1, name: Toàn trình, max: 6}
      - {code: II.2, name: Bưu chính, max: 4}
  - code: III
    name: Chính sách
    children:
      - {code: III.1, name: Kế hoạch, max: 2}
      - {code: III.2, name: An toàn, max: 4}
  - code: IV
    name: Sử dụng
    children:
      - {code: IV.1, name: Truy cập, max: 4}
      - {code: IV.2, name: Báo cáo, max: 3}
"""

HEADER = (
    "unit,block,status,not_applicable,I,II,III,IV,score,percent,tier,rank,rank_2024,change_2024"
)
RANKED = [
    "Sở Tài chính,so,,,6,10,6,6.2,28.2,97.2,Tốt,1,2,+1",
    "Sở Nội vụ,so,,II,6,,4,3.11,13.11,69.0,Khá,2,1,-1",
    "Sở Giáo dục và Đào tạo,so,,,4,9.4,3,3.6,20,69.0,Khá,2,4,+2",
    "Sở Y tế,so,,,4,5,4,3.7,16.7,57.6,Trung bình,4,3,-1",
]
VOLUNTARY = "Văn phòng Tỉnh ủy,so,voluntary,,5,10,6,7,28,96.6,Tốt,,,"
BELOW_LOWEST = "Sở Xây dựng,so,,,0,1.73,0,1.16,2.89,10.0,Yếu,,5,"


def audit(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, *tables: tuple[str, list[str]], **kw: str
) -> tuple[int, str, str]:
    """Audit the tables given as (spec, lines): spec is the file's name or GROUP=name."""
    framework = tmp_path / "khung.yaml"
    framework.write_text(FRAMEWORK, encoding="utf-8")
    argv = ["audit", "-f", str(framework)]
    for spec, lines in tables:
        group, _, name = spec.rpartition("=")
        path = tmp_path / name
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        argv += ["-t", f"{group}={path}" if group else str(path)]
    if "form" in kw:
        argv += ["--format", kw["form"]]
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


def findings(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, rows: list[str], header: str = HEADER
):
    code, out, err = audit(capsys, tmp_path, ("bang-1.csv", [header, *rows]), form="json")
    assert err == ""
    found = json.loads(out)
    assert code == (1 if found else 0)
    return found


# --- the output -----------------------------------------------------------------------------

WRONG = [RANKED[0].replace(",97.2,", ",97.3,"), *RANKED[1:]]  # one wrong percentage


def test_summary_line_singular_and_plural(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]))
    assert code == 1
    assert out.endswith("\n\n1 inconsistency (1 error, 0 within rounding).\n")
    two = [WRONG[0], RANKED[1].replace(",69.0,", ",69.5,"), *RANKED[2:]]
    code, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *two]))
    assert out.endswith("\n\n2 inconsistencies (2 errors, 0 within rounding).\n")


def test_csv_and_json_output_use_the_documented_fields(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fields = ["table", "row", "unit", "column", "published", "expected", "kind", "note"]
    _, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]), form="json")
    assert json.loads(out) == [
        {
            "table": "bang-1.csv",
            "row": 2,
            "unit": "Sở Tài chính",
            "column": "percent",
            "published": "97,3",
            "expected": "97,2",
            "kind": "error",
            "note": "28,2 of a maximum of 29",
        }
    ]
    _, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]), form="csv")
    rows = list(csv.reader(io.StringIO(out)))
    assert rows[0] == fields
    assert rows[1] == [
        "bang-1.csv", "2", "Sở Tài chính", "percent", "97,3", "97,2", "error",
        "28,2 of a maximum of 29",
    ]  # fmt: skip
    _, out, _ = audit(capsys, tmp_path, ("bang-1.csv", [HEADER, *WRONG]))
    assert out.split()[:8] == [name.capitalize() for name in fields]
