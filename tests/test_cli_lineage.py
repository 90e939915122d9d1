"""``chiso score --lineage``: the demo's 2020 ranks carried to 2021 through a lineage file.

``tests/data/lineage/binh-dinh-2020-ranks-old-names.csv`` is the demo's 2020 ranks file with
the departments under constructed earlier names (a made-up history, worked by hand):

* Sở Tư pháp was "Sở Tư pháp (tên cũ)" in 2020 (15th): renamed;
* Sở Công Thương (4th in 2020) and "Sở Du lịch cũ" (13th) merged into Sở Công Thương;
* "Sở Ngoại vụ và Dân tộc" (20th) split into Sở Ngoại vụ and Ban Dân tộc.

In 2021 (the demo's data): Sở Tư pháp is 4th, Sở Công Thương 13th, Sở Ngoại vụ 16th, Ban Dân
tộc 20th.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from chiso.cli import main

HERE = Path(__file__).resolve().parent
DEMO = HERE.parent / "src" / "chiso" / "demo"
DATA = DEMO / "binh-dinh-2021.csv"
OLD_NAMES = HERE / "data" / "lineage" / "binh-dinh-2020-ranks-old-names.csv"
LINEAGE = HERE / "data" / "lineage" / "binh-dinh-2021-lineage.csv"


def run(capsys: pytest.CaptureFixture[str], *argv: object) -> tuple[int, str, str]:
    code = main([str(arg) for arg in argv])
    out, err = capsys.readouterr()
    return code, out, err


def earlier(capsys: pytest.CaptureFixture[str], *more: object) -> dict[str, dict]:
    code, out, err = run(
        capsys,
        "score",
        "-f",
        "binh-dinh-2021",
        "-d",
        DATA,
        "-p",
        OLD_NAMES,
        "--format",
        "json",
        *more,
    )
    assert code == 0, err
    document = json.loads(out)
    return {
        unit["unit"]: unit["previous"][0]
        for block in document["blocks"]
        for unit in block["units"]
        if unit["previous"]
    }


def test_without_the_lineage_the_renamed_and_merged_units_lose_their_history(capsys):
    code, _out, err = run(capsys, "score", "-f", "binh-dinh-2021", "-d", DATA, "-p", OLD_NAMES)
    assert code == 0
    lost = [line for line in err.splitlines() if "is not a unit of" in line]
    assert len(lost) == 3  # Sở Tư pháp (tên cũ), Sở Du lịch cũ, Sở Ngoại vụ và Dân tộc
    assert "'Sở Tư pháp (tên cũ)' is not a unit of binh-dinh-2021.csv" in err
    assert "(did you mean 'Sở Tư pháp'?)" in err


def test_the_lineage_carries_renamed_merged_and_split_results(capsys):
    before = earlier(capsys, "--lineage", LINEAGE)
    assert capsys.readouterr().err == ""  # every 2020 row is some unit's history
    tu_phap = before["Sở Tư pháp"]
    assert (tu_phap["rank"], tu_phap["rank_change"]) == (15, 11)
    assert tu_phap["carried"] == {
        "how": "renamed",
        "earlier": ["Sở Tư pháp (tên cũ)"],
        "policy": None,
        "chosen": None,
    }
    cong_thuong = before["Sở Công Thương"]  # the best of 4th and 13th; 13th now
    assert (cong_thuong["rank"], cong_thuong["rank_change"]) == (4, -9)
    assert cong_thuong["carried"]["how"] == "merged"
    assert cong_thuong["carried"]["earlier"] == ["Sở Công Thương", "Sở Du lịch cũ"]
    assert (cong_thuong["carried"]["policy"], cong_thuong["carried"]["chosen"]) == (
        "best",
        "Sở Công Thương",
    )
    for unit, change in (("Sở Ngoại vụ", 4), ("Ban Dân tộc", 0)):
        split = before[unit]
        assert (split["rank"], split["rank_change"], split["carried"]["how"]) == (
            20,
            change,
            "split",
        )
    assert before["Sở Du lịch"]["rank"] is None  # its 2020 row went into Sở Công Thương
    assert "carried" not in before["Sở Tài chính"]  # kept its name: its own row


def test_the_merger_policy_is_chosen_on_the_command_line(capsys):
    largest = earlier(capsys, "--lineage", LINEAGE, "--merge-policy", "largest")
    assert largest["Sở Công Thương"]["rank"] == 13  # Sở Du lịch cũ weighs 200
    assert largest["Sở Công Thương"]["rank_change"] == 0
    mean = earlier(capsys, "--lineage", LINEAGE, "--merge-policy", "mean")
    assert (mean["Sở Công Thương"]["rank"], mean["Sở Công Thương"]["rank_change"]) == (
        None,
        None,
    )


def test_the_table_marks_the_carried_ranks_and_says_how(capsys):
    code, out, _err = run(
        capsys, "score", "-f", "binh-dinh-2021", "-d", DATA, "-p", OLD_NAMES, "-l", LINEAGE
    )
    assert code == 0
    row = next(line for line in out.splitlines() if " Sở Công Thương " in line)
    assert row.split()[-2:] == ["4†", "-9"]
    assert "† Sở Tư pháp (2020): đổi tên từ Sở Tư pháp (tên cũ)." in out
    assert (
        "† Sở Công Thương (2020): hợp nhất từ Sở Công Thương, Sở Du lịch cũ "
        "(lấy kết quả tốt nhất: Sở Công Thương)." in out
    )
    assert "† Ban Dân tộc (2020): chia tách từ Sở Ngoại vụ và Dân tộc." in out


def test_an_earlier_unit_no_unit_continues_is_a_warning_and_strict_stops(capsys, tmp_path):
    lineage = tmp_path / "lineage.csv"
    lineage.write_text(
        "năm,đơn vị,đơn vị trước đó\n2021,Sở Tư pháp,Sở Tư pháp (tên cũ)\n", encoding="utf-8"
    )
    args = ["score", "-f", "binh-dinh-2021", "-d", DATA, "-p", OLD_NAMES, "-l", lineage]
    code, _out, err = run(capsys, *args)
    assert code == 0
    assert "'Sở Du lịch cũ' is not a unit of binh-dinh-2021.csv and no unit continues it" in err
    assert "Sở Tư pháp (tên cũ)" not in err
    code, _out, err = run(capsys, *args, "--strict")
    assert code == 2
    assert "binh-dinh-2020-ranks-old-names.csv, row" in err


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("unit,earlier_unit\nA,B\n", "row 1: missing column 'year'"),
        ("year,unit,earlier_unit\nhai nghìn,A,B\n", "row 2, column 'year': 'hai nghìn' is not a"),
        ("year,unit,earlier_unit\n2021,A,\n", "row 2, column 'earlier_unit': the earlier unit"),
        ("year,unit,earlier_unit,weight\n2021,A,B,1.000.000\n", "row 2, column 'weight'"),
        ("year,unit,earlier_unit\n2021,A,B\n2021,a,b\n", "row 3, column 'unit': the link of"),
    ],
)
def test_a_bad_lineage_file_names_its_row_and_column(capsys, tmp_path, text, expected):
    lineage = tmp_path / "lineage.csv"
    lineage.write_text(text, encoding="utf-8")
    code, _out, err = run(
        capsys, "score", "-f", "binh-dinh-2021", "-d", DATA, "-p", OLD_NAMES, "-l", lineage
    )
    assert code == 2
    assert f"lineage.csv, {expected}" in err, err


def test_the_largest_policy_refuses_a_merger_without_weights(capsys, tmp_path):
    lineage = tmp_path / "lineage.csv"
    lineage.write_text("year,unit,earlier_unit\n2021,A,B\n2021,A,C\n", encoding="utf-8")
    code, _out, err = run(
        capsys,
        "score",
        "-f",
        "binh-dinh-2021",
        "-d",
        DATA,
        "-l",
        lineage,
        "--merge-policy",
        "largest",
    )
    assert code == 2
    assert "lineage.csv, row 2, column 'unit': the merger into 'A' needs the weight" in err


def test_the_report_says_where_each_carried_rank_came_from(capsys, tmp_path):
    import docx

    out = tmp_path / "ket-qua.docx"
    code, _out, err = run(
        capsys,
        "report",
        "-f",
        "binh-dinh-2021",
        "-d",
        DATA,
        "-p",
        OLD_NAMES,
        "--lineage",
        LINEAGE,
        "--out",
        out,
    )
    assert code == 0, err
    text = [p.text for p in docx.Document(str(out)).paragraphs]
    assert "Kết quả năm 2020 của Sở Tư pháp: đổi tên từ Sở Tư pháp (tên cũ)." in text
    assert "Kết quả năm 2020 của Ban Dân tộc: chia tách từ Sở Ngoại vụ và Dân tộc." in text
