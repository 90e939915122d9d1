"""Reading unit data: each distinct cell text of a column is read once and the answer shared;
the same text always gives the same answer, whatever the row, and the first bad cell of a row
is the one reported."""

from decimal import Decimal

import pytest

from chiso.core import Answer, parse_framework
from chiso.io.data import read_units
from chiso.io.tables import DataError

D = Decimal

FRAMEWORK = """
id: read-test
name: Khung đọc
assessor: Thử
year: 2026
blocks: [{code: so, name: Sở}]
criteria:
  - code: A
    name: Nhóm A
    not_applicable: true
    children:
      - {code: A.1, name: Có mạng, max: 2, rule: {type: yes_no_evidence}}
      - {code: A.2, name: Tỷ lệ, max: 4, rule: {type: proportional}}
      - {code: A.3, name: Mức, max: 2, rule: {type: choice, options: [{value: cao, points: 2}, {value: thap, points: 0}]}}
  - {code: B, name: Điểm, max: 5, not_applicable: true}
"""


@pytest.fixture(scope="module")
def framework():
    return parse_framework(FRAMEWORK)


def read(framework, tmp_path, text):
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    return {unit.unit: unit.answers for unit in read_units(framework, path).units}


def test_the_same_text_gives_the_same_answer_in_every_row(framework, tmp_path):
    answers = read(
        framework,
        tmp_path,
        "unit,A.1,A.1:evidence,A.2,A.3,B,not_applicable\n"
        "Sở 1,có,1,45/60,cao,2.5,\n"
        'Sở 2,có,,45/60, cao ,"2,5",\n'
        "Sở 3,Có,không,75%,CAO,na,\n"
        "Sở 4,có,1,45/60,,2.5,\n"
        "Sở 5,,,,,2.5,A\n",
    )
    assert answers["Sở 1"] == {
        "A.1": Answer(D(1), evidence=True),
        "A.2": Answer(D(45), D(60)),
        "A.3": Answer("cao"),
        "B": Answer(D("2.5")),
    }
    assert answers["Sở 2"]["A.1"] == Answer(D(1))  # no evidence this time
    assert answers["Sở 2"]["A.3"] == Answer("cao") and answers["Sở 2"]["B"] == Answer(D("2.5"))
    assert answers["Sở 3"]["A.1"] == Answer(D(1)) and answers["Sở 3"]["A.2"] == Answer(D(75))
    assert answers["Sở 3"]["B"] == Answer(not_applicable=True)
    assert "A.3" not in answers["Sở 4"]  # an empty cell is no answer
    assert answers["Sở 4"]["A.2"] is answers["Sở 1"]["A.2"]  # read once, shared
    assert answers["Sở 5"] == {"A": Answer(not_applicable=True), "B": Answer(D("2.5"))}


@pytest.mark.parametrize(
    ("row", "message"),
    [
        ("Sở 2,có,2,45/60,cao,1", "row 3, column 'A.1:evidence': '2' is not yes or no"),
        ("Sở 2,có,1,45/x,cao,1", "row 3, column 'A.2': '45/x' is not a ratio like 45/60"),
        ("Sở 2,có,1,45/60,giua,1", None),  # an unknown option is the core's to refuse
        ("Sở 2,ừ,,45/x,cao,1", "row 3, column 'A.1': 'ừ' is not yes or no (có/không, 1/0)"),
        ("Sở 2,ừ,2,45/x,cao,1", "row 3, column 'A.1:evidence': '2' is not yes or no"),
        ("Sở 2,có,1,45/60,cao,abc", "row 3, column 'B': 'abc' is not a number"),
    ],
)
def test_the_first_bad_cell_of_a_row_is_reported_even_after_good_rows(
    framework, tmp_path, row, message
):
    good = "Sở 1,có,1,45/60,cao,1\n"
    text = f"unit,A.1,A.1:evidence,A.2,A.3,B\n{good}{row}\n"
    path = tmp_path / "units.csv"
    path.write_text(text, encoding="utf-8")
    if message is None:
        assert len(read_units(framework, path).units) == 2
        return
    with pytest.raises(DataError) as error:
        read_units(framework, path)
    assert str(error.value).endswith(message) and str(path) in str(error.value)


def test_reserved_names_in_any_case(framework, tmp_path):
    text = (
        "unit,A.1,A.1:evidence,A.2,A.3,B,not_applicable\nSở 1,có,1,45/60,cao,2.5,\nSở 2,,,,,2.5,A\n"
    )
    expected = read(framework, tmp_path, text)
    header = " UNIT,A.1,A.1:Evidence,A.2 ,A.3,B,Not_Applicable \n"
    assert read(framework, tmp_path, header + text.split("\n", 1)[1]) == expected
    assert expected["Sở 1"]["A.1"] == Answer(D(1), evidence=True)  # the evidence column counts


def test_a_criterion_coded_like_a_reserved_name_keeps_its_column(tmp_path):
    framework = parse_framework(
        FRAMEWORK.replace("code: B, name: Điểm", "code: Status, name: Điểm")
    )
    answers = read(framework, tmp_path, "unit,A,Status\nSở 1,na,2.5\n")
    assert answers["Sở 1"]["Status"] == Answer(D("2.5"))
