"""``chiso compare``: criteria compared across a renumbered framework, worked by hand.

tests/data/crosswalk: the 2024 framework (I: I.1 of 2, I.2 of 3; II: II.a, II.b of 5, II.c
of 2) became the 2025 one (A: A.1 of 2, A.2 of 4; B: B.1 of 10 = II.a + II.b; C: C.1 new);
II.c was dropped.

Sở X: A 2 + 2 = 4 of 6 = 66,67 % against I 2 + 3 = 5 of 5 = 100 %: −33,33 points; B 8 of 10
= 80 % against II.a + II.b 4 + 1 = 5 of 10 = 50 %: +30. Sở Y: A 6 of 6 against I 1 of 5:
+80; A.2 4 of 4 against I.2 1 of 3: +66,67; B 60 % against 100 %: −40.
"""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from chiso.cli import main
from chiso.core import parse_framework
from chiso.core.crosswalk import CrosswalkError, Kind, Pair, build_crosswalk

HERE = Path(__file__).resolve().parent / "data" / "crosswalk"
ARGS = [
    "compare",
    "-f",
    str(HERE / "current-2025.yaml"),
    "-d",
    str(HERE / "units-2025.csv"),
    "--earlier-framework",
    str(HERE / "earlier-2024.yaml"),
    "--earlier-data",
    str(HERE / "units-2024.csv"),
]
CROSSWALK = ["-x", str(HERE / "crosswalk-2024-2025.csv")]


def run(capsys, *argv):
    code = main([*ARGS, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_each_criterion_is_compared_through_the_crosswalk(capsys):
    code, out, err = run(capsys, *CROSSWALK, "--format", "json")
    assert (code, err) == (0, "")
    document = json.loads(out, parse_float=Decimal)
    kinds = {c["code"]: (c["kind"], c["earlier"]) for c in document["crosswalk"]}
    assert kinds["A.2"] == ("renumbered", ["I.2"])
    assert kinds["B"] == ("combined", ["II.a", "II.b"])
    assert kinds["C.1"] == ("new", [])
    assert document["dropped"] == ["II.c"]
    units = {u["unit"]: {c["code"]: c for c in u["criteria"]} for u in document["units"]}
    x, y = units["Sở X"], units["Sở Y"]
    assert round(x["A"]["change"], 2) == Decimal("-33.33")
    assert (x["B"]["earlier_points"], x["B"]["earlier_max"], x["B"]["change"]) == (5, 10, 30)
    assert (y["A"]["change"], round(y["A.2"]["change"], 2), y["B"]["change"]) == (
        80,
        Decimal("66.67"),
        -40,
    )
    assert (x["C"]["change"], x["C"]["reason"]) == (None, "new")


def test_the_table_gives_the_groups_and_what_changed(capsys):
    code, out, _err = run(capsys, *CROSSWALK)
    assert code == 0
    x = next(line for line in out.splitlines() if "Sở X" in line)
    assert x.split()[-6:] == ["66,7", "(−33,3)", "80,0", "(+30,0)", "60,0", "(mới)"]
    assert "B ← II.a + II.b (gộp)" in out
    assert "Tiêu chí năm trước không còn: II.c." in out


def test_without_a_crosswalk_only_the_codes_of_both_years_are_compared(capsys):
    code, out, _err = run(capsys, "--format", "json")
    assert code == 0
    kinds = {c["code"]: c["kind"] for c in json.loads(out)["crosswalk"]}
    assert set(kinds.values()) == {"new"}  # no code of 2025 was a code of 2024


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("code\nA\n", "row 1: missing column 'earlier_code'"),
        ("code,earlier_code\nZ,I\n", "row 2, column 'code': 'Z' is not a criterion of mau-2025"),
        ("code,earlier_code\nA,IX\n", "row 2, column 'earlier_code': 'IX' is not a criterion"),
        ("code,earlier_code\nA,I\nA,I\n", "row 3, column 'code': the row is given twice"),
    ],
)
def test_a_bad_crosswalk_names_its_row_and_column(capsys, tmp_path, text, expected):
    (tmp_path / "x.csv").write_text(text, encoding="utf-8")
    code, _out, err = run(capsys, "-x", str(tmp_path / "x.csv"))
    assert code == 2
    assert f"x.csv, {expected}" in err, err


def test_an_earlier_criterion_continued_by_two_criteria_is_a_split_not_compared():
    current = parse_framework((HERE / "current-2025.yaml").read_text(encoding="utf-8"))
    earlier = parse_framework((HERE / "earlier-2024.yaml").read_text(encoding="utf-8"))
    crosswalk = build_crosswalk(
        current, earlier, [Pair("A.2", "I.2"), Pair("C.1", "I.2"), Pair("B.1", "II.a")]
    )
    assert crosswalk.codes["A.2"].kind is Kind.SPLIT
    assert crosswalk.codes["C.1"].kind is Kind.SPLIT
    assert crosswalk.codes["B.1"].kind is Kind.RENUMBERED
    assert not crosswalk.comparable("A.2")
    with pytest.raises(CrosswalkError, match="names no criterion"):
        build_crosswalk(current, earlier, [Pair("", "")])


# --- following the unit lineage (--lineage) --------------------------------------------------
# Sở X and Sở Y of 2024 under 2025's names: Sở X renamed "Sở X mới"; Sở Y split into Sở Y1 and
# Sở Y2 (each compared with Sở Y: A 100 % against 20 %: +80; B 60 % against 100 %: −40); Sở X
# and Sở Y merged into Sở Z (Sở X's answers of 2025). Under "mean", Sở Z's 2024 group I is the
# mean of 5 and 1 of 5 = 3 of 5 = 60 % (A 66,67 %: +6,67) and B of 5 and 10 of 10 = 75 % (80 %:
# +5); under "largest" (Sở Y weighs 20, Sở X 10) Sở Y's: A +46,67, B −20.

UNITS_2025 = "unit,A.1,A.2,B.1,C.1\nSở X mới,1,2,8,3\nSở Y1,1,4,6,5\nSở Y2,1,4,6,5\nSở Z,1,2,8,3\n"


def with_lineage(capsys, tmp_path, links, *more):
    (tmp_path / "units.csv").write_text(UNITS_2025, encoding="utf-8")
    (tmp_path / "lineage.csv").write_text("year,unit,earlier_unit,weight\n" + links, "utf-8")
    argv = [*ARGS, *CROSSWALK, "-d", str(tmp_path / "units.csv")]
    code = main([*argv, "--lineage", str(tmp_path / "lineage.csv"), *more])
    out, err = capsys.readouterr()
    return code, out, err


def changes(out):
    document = json.loads(out, parse_float=Decimal)
    return {
        u["unit"]: (
            u.get("carried", {}).get("how"),
            *(round(c["change"], 2) if c["change"] is not None else None
              for c in u["criteria"] if c["code"] in ("A", "B")),
        )
        for u in document["units"]
    }, document.get("unmatched", [])  # fmt: skip


def test_compare_follows_a_renamed_and_a_split_unit(capsys, tmp_path):
    links = "2025,Sở X mới,Sở X,\n2025,Sở Y1,Sở Y,\n2025,Sở Y2,Sở Y,\n"
    code, out, err = with_lineage(capsys, tmp_path, links, "--format", "json")
    assert (code, err) == (0, "")
    found, unmatched = changes(out)
    assert found["Sở X mới"] == ("renamed", Decimal("-33.33"), 30)
    assert found["Sở Y1"] == found["Sở Y2"] == ("split", 80, -40)
    assert found["Sở Z"] == (None, None, None)  # no unit of 2024 of that name, no link
    assert unmatched == []
    code, out, _err = with_lineage(capsys, tmp_path, links)
    assert "Sở X mới†" in out and "† Sở Y2 (2024): chia tách từ Sở Y." in out


def test_compare_takes_a_merger_under_the_policy(capsys, tmp_path):
    links = "2025,Sở Z,Sở X,10\n2025,Sở Z,Sở Y,20\n"
    code, out, _err = with_lineage(capsys, tmp_path, links, "--format", "json",
                                   "--merge-policy", "mean")  # fmt: skip
    assert code == 0
    assert changes(out)[0]["Sở Z"] == ("merged", Decimal("6.67"), 5)
    code, out, _err = with_lineage(capsys, tmp_path, links, "--format", "json",
                                   "--merge-policy", "largest")  # fmt: skip
    assert changes(out)[0]["Sở Z"] == ("merged", Decimal("46.67"), -20)


def test_compare_lists_the_earlier_units_no_unit_continues(capsys, tmp_path):
    code, out, _err = with_lineage(capsys, tmp_path, "2025,Sở X mới,Sở X,\n")
    assert code == 0
    assert "Đơn vị năm 2024 không đơn vị nào năm 2025 kế thừa: Sở Y." in out
    code, out, _err = with_lineage(capsys, tmp_path, "2025,Sở X mới,Sở X,\n", "--format", "json")
    assert changes(out)[1] == ["Sở Y"]


def test_a_bad_lineage_file_for_compare_names_its_row_and_column(capsys, tmp_path):
    code, _out, err = with_lineage(capsys, tmp_path, "2025,Sở X mới,Sở X,nhiều\n")
    assert code == 2
    assert "lineage.csv, row 2, column 'weight'" in err
