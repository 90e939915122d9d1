"""What a framework does not have is not printed empty: a group that carries no points (the
national DTI's information-only "Đô thị thông minh", 0 of 1,000) has no column of zeros in
the overall table and no ranking table of zeros; groups without tiers have no tier column on
the unit's scorecard."""

from __future__ import annotations

import unicodedata
from pathlib import Path

from pypdf import PdfReader

from chiso.cli import main
from chiso.core import load_framework
from chiso.io.data import score_files
from chiso.reports.data import build_report
from chiso.reports.scorecard import build_scorecards

DATA = """unit,NTS,TCS,HTS,NLS,ATTT,CQS,KTS,XHS
Tỉnh A,80,70,60,50,40,150,100,90
Tỉnh B,70,60,50,40,30,140,90,80
Tỉnh C,60,50,40,30,20,130,80,70
"""


def test_a_group_of_no_points_has_no_column_and_no_table(tmp_path: Path) -> None:
    framework = load_framework("dti-922-2022")
    assert framework.max_for("tinh")["DTTM"] == 0  # the premise
    data = tmp_path / "dti.csv"
    data.write_text(DATA, encoding="utf-8")
    block = build_report(framework, score_files(framework, data, [])).blocks[0]
    overall, *groups = block.tables
    titles = [column.title for column in overall.columns]
    assert "NTS. Nhận thức số" in titles
    assert not any(title.startswith("DTTM") for title in titles)
    assert [table.code for table in groups] == [
        "NTS",
        "TCS",
        "HTS",
        "NLS",
        "ATTT",
        "CQS",
        "KTS",
        "XHS",
    ]
    assert [table.number for table in groups] == [f"Bảng 1.{n}" for n in range(1, 9)]


def test_a_scorecard_without_group_tiers_has_no_empty_tier_column(tmp_path: Path) -> None:
    """The DTI gives its groups no tiers: the unit's scorecard had an empty "Xếp loại"
    column beside its groups; it is left out, and so is the card's tier box (the DTI has no
    tiers at all)."""
    data = tmp_path / "dti.csv"
    data.write_text(DATA, encoding="utf-8")
    out = tmp_path / "tinh-a.pdf"
    assert (
        main(["report", "-f", "dti-922-2022", "-d", str(data), "-u", "Tỉnh A", "-o", str(out)]) == 0
    )
    text = unicodedata.normalize("NFC", PdfReader(out).pages[0].extract_text())
    assert text.count("Xếp loại") == 0  # neither a column nor a box of the card's facts
    assert "TB khối" in text
    framework = load_framework("dti-922-2022")
    cards = build_scorecards(framework, score_files(framework, data, []))
    assert not any(card.group_tiers for card in cards)
