"""The publication's JSON form: exact, and read back as the same typed value."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import pytest

from chiso.core import load_framework, score
from chiso.io.data import read_previous, read_units
from chiso.reports.chart_data import Chart
from chiso.reports.codec import VERSION, CodecError, decode, encode
from chiso.reports.publication import Publication, build_publication, head_of, join, parts
from chiso.reports.scorecard import Scorecard
from chiso.reports.tables import Column, Section, Table

BD = Path(__file__).resolve().parents[1] / "data" / "binh-dinh-2021"


def _through_json(value: object) -> object:
    return json.loads(json.dumps(value, ensure_ascii=False))


@pytest.fixture(scope="module")
def publication() -> Publication:
    framework = load_framework("binh-dinh-2021")
    units = read_units(framework, BD / "units.csv")
    previous = read_previous([BD / "previous.csv"], framework=framework)
    return build_publication(framework, score(framework, units.units, previous))


def test_the_publication_comes_back_from_its_parts_through_json(publication: Publication) -> None:
    head = _through_json(head_of(publication.report))
    stored = [
        type(part)(
            part.kind, part.key, part.block, part.position, _through_json(part.data), part.text
        )
        for part in parts(publication)
    ]
    assert head["version"] == VERSION  # type: ignore[index]
    # numbered in the order the pages show them: a database returns them in that order
    assert [part.position for part in stored] == list(range(len(stored)))
    # stored in any order, read back in theirs
    stored.reverse()
    assert join(head, stored) == publication  # type: ignore[arg-type]


def test_a_decimal_is_its_exact_text_and_a_number_among_texts_is_marked() -> None:
    table = Table(
        key="1",
        number="Bảng 1",
        title="Kết quả",
        part=None,
        block="so",
        code=None,
        columns=(Column("Tên", "text"), Column("Tỷ lệ", "percent", 1, Decimal("100"))),
        rows=(
            Section("Mức tốt"),
            ("Sở Tài chính", Decimal("98.82352941176470588235294117647059")),
            ("12.5", None),  # a text that reads like a number stays a text
        ),
    )
    data = encode(table)
    assert data["columns"][1]["maximum"] == "100"
    assert data["rows"][1] == ["Sở Tài chính", {"n": "98.82352941176470588235294117647059"}]
    assert data["rows"][2] == ["12.5", None]
    assert decode(Table, _through_json(data)) == table


def test_a_chart_with_no_bar_for_a_group_comes_back() -> None:
    """A block without the group has None, not 0 (the chart draws no bar for it)."""
    chart = Chart(
        key="groups",
        number="Hình 5",
        title="Điểm trung bình của từng nhóm tiêu chí",
        kind="groups",
        labels=("1. Hạ tầng", "I. Điều kiện sẵn sàng"),
        values=(),
        series=(("Sở", (Decimal("62.5"), None)), ("Huyện", (None, Decimal("50")))),
    )
    data = _through_json(encode(chart))
    assert data["series"][0] == ["Sở", [{"n": "62.5"}, None]]  # type: ignore[index]
    assert decode(Chart, data) == chart


def test_no_float_in_a_scorecard(publication: Publication) -> None:
    card = publication.scorecards[0]
    text = json.dumps(encode(card))
    assert decode(Scorecard, json.loads(text, parse_float=lambda t: pytest.fail(t))) == card


def test_stored_data_of_another_shape_is_an_error() -> None:
    table = encode(
        Table("1", "Bảng 1", "T", None, "so", None, (Column("Điểm", "score", 1),), ((Decimal(1),),))
    )
    assert decode(Table, table).rows == ((Decimal(1),),)
    missing = {k: v for k, v in table.items() if k != "columns"}
    for broken in (missing, table | {"rows": [[1.5]]}, table | {"columns": "Điểm"}):
        with pytest.raises(CodecError, match="not a stored Table"):
            decode(Table, broken)
