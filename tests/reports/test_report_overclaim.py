"""``chiso report --overclaim``: per block, each unit's self-assessed and verified totals and
their difference, largest first, in the workbook and the documents; worked by hand.

Khối sở — verified: X 1·2 + 2 + 3 = 7, Y 0 + 3 + 4 = 7; self-assessed: X 2 + 3 + 5 = 10
(+3), Y 2 + 3 + 4 = 9 (+2); the block 19 against 14, +5, two units over.
Khối huyện — verified: H 2 + 2.25 + 4.5 = 8.75; self-assessed H 2 + 2 + 4.5 = 8.5 (−0.25):
one unit under. Points are published without decimals; the gaps with two, so they add up.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from docx import Document
from openpyxl import load_workbook

from chiso.cli import main
from chiso.core import parse_framework
from chiso.core.overclaim import overclaim
from chiso.io.data import score_files
from chiso.reports.data import build_report
from chiso.reports.publication import build_publication, head_of, join, parts
from chiso.reports.tables import Section, cell_text

FRAMEWORK = """
id: overclaim-2026
name: Khung thử
assessor: Sở thử
year: 2026
blocks:
  - {code: so, name: Khối sở}
  - {code: huyen, name: Khối huyện}
display: {score_decimals: 0}
ranking: {by: points, ties: competition, precision: 0}
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
VERIFIED = "unit,block,I.1,I.2,II.1\nX,so,1,2,3\nY,so,0,3,4\nH,huyen,1,2.25,4.5\n"
CLAIMED = "unit,block,I.1,I.2,II.1\nX,so,1,3,5\nY,so,1,3,4\nH,huyen,1,2,4.5\n"

HEADER = ["TT", "Tên cơ quan, đơn vị", "Tự đánh giá", "Thẩm định", "Chênh lệch"]


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "f.yaml").write_text(FRAMEWORK, encoding="utf-8")
    (tmp_path / "verified.csv").write_text(VERIFIED, encoding="utf-8")
    (tmp_path / "self.csv").write_text(CLAIMED, encoding="utf-8")
    return tmp_path


def report_args(at: Path, *extra: str) -> list[str]:
    return [
        "report",
        "-f",
        str(at / "f.yaml"),
        "-d",
        str(at / "verified.csv"),
        *extra,
    ]


def test_the_workbook_has_each_blocks_table_largest_gap_first(files: Path) -> None:
    out = files / "r.xlsx"
    argv = report_args(files, "--self", str(files / "self.csv"), "--overclaim", "-o", str(out))
    assert main(argv) == 0
    book = load_workbook(out)
    so = [list(r) for r in book["Bảng 1.3"].iter_rows(values_only=True)]
    assert so[0][0] == "Bảng 1.3. Điểm tự đánh giá và điểm thẩm định của Khối sở"
    assert so[1] == HEADER
    assert so[2:4] == [[1, "X", 10, 7, 3], [2, "Y", 9, 7, 2]]
    assert "tự đánh giá 19,00, thẩm định 14,00, chênh lệch +5,00 điểm" in so[5][0]
    huyen = [list(r) for r in book["Bảng 2.3"].iter_rows(values_only=True)]
    assert huyen[2] == [1, "H", 8.5, 8.75, -0.25]
    assert book["Bảng 2.3"]["E3"].number_format == '+0.00;-0.00;"="'


def test_the_document_prints_the_table_and_the_sentence(files: Path) -> None:
    out = files / "r.docx"
    argv = report_args(files, "--self", str(files / "self.csv"), "--overclaim", "-o", str(out))
    assert main(argv) == 0
    document = Document(str(out))
    tables = [
        [[c.text for c in row.cells] for row in t.rows]
        for t in document.tables
        if t.rows[0].cells[-1].text == "Chênh lệch"
    ]
    assert tables == [
        [HEADER, ["1", "X", "10,00", "7,00", "+3,00"], ["2", "Y", "9,00", "7,00", "+2,00"]],
        [HEADER, ["1", "H", "8,50", "8,75", "-0,25"]],
    ]
    text = [p.text for p in document.paragraphs]
    assert (
        "Tổng điểm tự đánh giá của 2 đơn vị là 19,00, điểm thẩm định là 14,00 (chênh lệch"
        " +5,00 điểm); 2 đơn vị tự chấm cao hơn điểm thẩm định, 0 đơn vị thấp hơn (Bảng 1.3)."
    ) in text
    assert any("(chênh lệch −0,25 điểm); 0 đơn vị tự chấm cao hơn" in p for p in text)


def test_without_the_option_there_is_no_table(files: Path) -> None:
    out = files / "r.xlsx"
    assert main(report_args(files, "-o", str(out))) == 0
    assert "Bảng 1.3" not in load_workbook(out).sheetnames


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--overclaim"], "--overclaim needs --self"),
        (["--self", "SELF"], "--self goes with --robustness or --overclaim"),
    ],
)
def test_the_option_and_the_self_file_go_together(files, capsys, extra, message) -> None:
    extra = [str(files / "self.csv") if e == "SELF" else e for e in extra]
    assert main(report_args(files, *extra, "-o", str(files / "r.xlsx"))) == 2
    assert message in capsys.readouterr().err


def test_the_table_survives_the_stored_publication(files: Path) -> None:
    framework = parse_framework(FRAMEWORK)
    verified = score_files(framework, str(files / "verified.csv"))
    claimed = score_files(framework, str(files / "self.csv"))
    gaps = overclaim(framework, claimed, verified)
    publication = build_publication(framework, verified, overclaim=gaps)
    table = next(t for t in publication.report.tables if t.key == "2.3")
    assert table.rows == ((1, "H", Decimal("8.5"), Decimal("8.75"), Decimal("-0.25")),)
    assert not any(isinstance(r, Section) for r in table.rows)
    assert cell_text(table.columns[4], table.rows[0][4]) == "-0,25"
    stored = join(head_of(publication.report), parts(publication))
    assert stored.report == publication.report
    # the other tables are those of the publication without the option
    assert build_report(framework, verified).tables == tuple(
        t for t in publication.report.tables if not t.key.endswith(".3")
    )
