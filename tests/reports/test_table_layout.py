"""Tables that fit, for every shipped framework: measured in the PDF's own layout (WeasyPrint's
boxes, before the file is written) — no text outside its cell, no number on two lines, no
header over four lines, no table wider than its page, tier rows and captions kept with the
rows after them — and in the DOCX's table properties."""

from __future__ import annotations

from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import docx
import pytest
from docx.enum.section import WD_ORIENT
from docx.oxml.ns import qn
from weasyprint.formatting_structure import boxes

from chiso.core import load_framework, parse_framework
from chiso.io.data import score_files
from chiso.reports import pdf
from chiso.reports.data import Report, build_report
from chiso.reports.docx import write_docx
from chiso.reports.template import load_template

from .conftest import DATA
from .synthetic import write_units

FRAMEWORK_FILES = Path(__file__).resolve().parents[2] / "src" / "chiso" / "frameworks"
FRAMEWORKS = ("binh-dinh-2021", "binh-phuoc-2021", "cao-bang-2020", "dti-922-2022", "son-la-2020")
PX_PER_MM = 96 / 25.4
EPSILON = 0.6  # px: rounding of the layout


@cache
def report(framework_id: str, folder: Path) -> Report:
    framework = load_framework(framework_id)
    data = DATA / framework_id / "units.csv"
    previous = [DATA / framework_id / "previous.csv"]
    if not data.exists():  # no published data in the repository: a synthetic cycle
        data, previous = write_units(framework_id, folder / f"{framework_id}.csv"), []
    return build_report(framework, score_files(framework, data, previous))


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tmp_path_factory.mktemp("layout")


def classes(box: boxes.Box) -> set[str]:
    return set((box.element.get("class") or "").split()) if box.element is not None else set()


def grids(page: object) -> Iterator[boxes.TableBox]:
    for box in page._page_box.descendants():  # type: ignore[attr-defined]
        if isinstance(box, boxes.TableBox) and "grid" in classes(box):
            yield box


def text_of(box: boxes.Box) -> str:
    return " ".join(d.text for d in box.descendants() if isinstance(d, boxes.TextBox))


@cache
def laid_out(framework_id: str, folder: Path) -> object:
    the_report = report(framework_id, folder)
    return pdf._render(pdf.appendix_html(the_report, load_template("generic"), {}))


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_every_cell_holds_its_text(framework_id: str, folder: Path) -> None:
    document = laid_out(framework_id, folder)
    cells = 0
    for number, page in enumerate(document.pages, start=1):  # type: ignore[attr-defined]
        page_width = page._page_box.width
        for table in grids(page):
            assert table.width <= page_width + EPSILON, f"page {number}: a table wider than it"
            for cell in table.descendants():
                if not isinstance(cell, boxes.TableCellBox):
                    continue
                cells += 1
                left = cell.content_box_x()
                right = left + cell.width
                where = f"page {number}, cell {text_of(cell)!r}"
                for text in cell.descendants():
                    if isinstance(text, boxes.TextBox):
                        assert text.position_x >= left - EPSILON, where
                        assert text.position_x + text.width <= right + EPSILON, where
                lines = [c for c in cell.children if isinstance(c, boxes.LineBox)]
                if "n" in classes(cell):  # a number is never cut over two lines
                    assert len(lines) <= 1, where
                if cell.element_tag == "th":
                    assert len(lines) <= 4, where
    assert cells > 100


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_no_page_ends_on_a_tier_row_or_a_bare_header(framework_id: str, folder: Path) -> None:
    document = laid_out(framework_id, folder)
    for number, page in enumerate(document.pages, start=1):  # type: ignore[attr-defined]
        for table in grids(page):
            body = [
                row
                for group in table.children
                if isinstance(group, boxes.TableRowGroupBox) and not group.is_header
                for row in group.children
            ]
            assert body, f"page {number}: a table's header without a row under it"
            last = body[-1]  # a tier's row on a page's last line, its units on the next
            assert "tier" not in classes(last), f"page {number} ends on {text_of(last)!r}"


def test_wide_tables_turn_and_use_short_labels(folder: Path) -> None:
    """The DTI's overall table (9 groups, "1.000,00" points) goes on a landscape page; Bình
    Định's six groups keep the portrait page with short labels and their legend."""
    document = laid_out("dti-922-2022", folder)
    turned = [p for p in document.pages if p.width > p.height]  # type: ignore[attr-defined]
    assert turned
    text = " ".join(text_of(t) for p in turned for t in grids(p))
    assert "1.000,00" in text and "1000,00" not in text
    bd = laid_out("binh-dinh-2021", folder)
    assert all(p.width < p.height for p in bd.pages)  # type: ignore[attr-defined]
    table = report("binh-dinh-2021", folder).blocks[0].tables[0]
    assert table.short_legend.startswith("Ghi chú: I: Hạ tầng kỹ thuật CNTT; II: Ứng dụng")
    words = " ".join(
        text_of(b)
        for p in bd.pages  # type: ignore[attr-defined]
        for b in p._page_box.descendants()
        if isinstance(b, boxes.BlockBox) and "note" in classes(b)
    )
    assert table.short_legend in " ".join(words.split())


def test_not_scored_spans_the_numbers() -> None:
    """“Không chấm điểm, đánh giá” runs across the group table's empty number cells."""
    from chiso.reports.layout import spans
    from chiso.reports.tables import NOT_SCORED, Column

    columns = (
        Column("TT", "index"),
        Column("Tên", "text"),
        Column("Tổng điểm", "score"),
        Column("Tỷ lệ (%)", "percent"),
    )
    assert spans((1, "Sở A", NOT_SCORED, None), columns) == [1, 1, 2, 0]
    assert spans((1, "Sở A", "KCĐ", None), columns) == [1, 1, 1, 1]


@pytest.mark.parametrize("framework_id", FRAMEWORKS)
def test_docx_tables_fit_their_pages(framework_id: str, folder: Path) -> None:
    out = folder / f"{framework_id}.docx"
    write_docx(report(framework_id, folder), load_template("generic"), out)
    document = docx.Document(str(out))
    body = document.element.body
    section_of: dict[object, Any] = {}  # each table's section: the first sectPr after it
    pending: list[object] = []
    for element in body.iterchildren():
        if element.tag == qn("w:tbl"):
            pending.append(element)
        sect_pr = element.find(f"{qn('w:pPr')}/{qn('w:sectPr')}")
        if element.tag == qn("w:sectPr"):
            sect_pr = element
        if sect_pr is not None:
            for table in pending:
                section_of[table] = sect_pr
            pending = []
    tables = [
        t for t in body.iter(qn("w:tbl")) if next(t.iter(qn("w:tblHeader")), None) is not None
    ]
    assert tables
    for table in tables:
        sect_pr = section_of[table]
        margins = sect_pr.find(qn("w:pgMar"))
        room = int(sect_pr.find(qn("w:pgSz")).get(qn("w:w")))
        room -= int(margins.get(qn("w:left"))) + int(margins.get(qn("w:right")))
        width = sum(int(c.get(qn("w:w"))) for c in table.find(qn("w:tblGrid")))
        assert width <= room + 5
        rows = list(table.iter(qn("w:tr")))
        body = [r for r in rows if next(r.iter(qn("w:tblHeader")), None) is None]
        # the header rows and a tier's row stay with the row after them
        for row in rows:
            texts = ["".join(t.text or "" for t in c.iter(qn("w:t"))) for c in row.iter(qn("w:tc"))]
            if row not in body or (len(texts) == 1 and texts[0].startswith(("Mức", "Không"))):
                assert next(row.iter(qn("w:keepNext")), None) is not None, texts
        for cell in (c for row in body for c in row.iter(qn("w:tc"))):
            text = "".join(t.text or "" for t in cell.iter(qn("w:t")))
            no_wrap = cell.find(qn("w:tcPr")).find(qn("w:noWrap")) is not None
            if text and text.replace(",", "").replace(".", "").lstrip("+-−").isdigit():
                assert no_wrap, text  # a number never wraps
            sizes = {s.get(qn("w:val")) for s in cell.iter(qn("w:sz"))}
            assert len(sizes) == 1  # one type size, empty cells included
    if framework_id == "dti-922-2022":
        orientations = [s.orientation for s in document.sections]
        assert WD_ORIENT.LANDSCAPE in orientations
        assert orientations[-1] == WD_ORIENT.PORTRAIT


def test_a_framework_prints_every_part_when_it_says_so(folder: Path) -> None:
    """Cao Bằng's report ranks the districts on each part of their two groups (Bảng 9–17):
    ``display.part_tables: all`` prints them; by default only classified parts are printed
    (Bình Định's Mục II a) and b)), the workbook having them all."""
    cao_bang = report("cao-bang-2020", folder).blocks[1]
    parts = [t.part for t in cao_bang.printed_tables if t.part]
    assert [p.split(")")[0] for p in parts] == ["a", "b", "c", "a", "b", "c", "d"]
    assert parts[0].endswith("Cơ sở hạ tầng thông tin")
    text = (FRAMEWORK_FILES / "cao-bang-2020.yaml").read_text(encoding="utf-8")
    framework = parse_framework(text.replace(", part_tables: all", ""))
    data = DATA / "cao-bang-2020"
    result = score_files(framework, data / "units.csv", [data / "previous.csv"])
    default = build_report(framework, result).blocks[1]
    assert not any(t.part for t in default.printed_tables)
    assert [t.part for t in default.tables if t.part] == parts  # in the workbook


def test_the_page_turns_back_after_a_landscape_table(folder: Path) -> None:
    """Only the wide table is on landscape pages: what follows it (the group tables, the
    figures) is on portrait pages again, as in the DOCX."""
    document = laid_out("dti-922-2022", folder)
    turned = [p.width > p.height for p in document.pages]  # type: ignore[attr-defined]
    first = turned.index(True)
    back = turned.index(False, first)
    assert not any(turned[back:]), turned


def test_a_share_of_an_index_is_a_percentage_with_two_places_fewer(folder: Path) -> None:
    """The DTI prints its index with 4 places (0,7020): the same as a percentage has 2
    (70,20%), in the statistics as in the narrative, not 70,2027%."""
    figures = report("dti-922-2022", folder).statistic_values
    mean = next(f for f in figures if f.label == "Tỷ lệ trung bình (%)")
    assert mean.percent and mean.decimals == 2
    assert load_framework("dti-922-2022").display.share_decimals == 2
    assert load_framework("binh-dinh-2021").display.share_decimals == 0


def test_the_method_table_says_the_total_once(folder: Path) -> None:
    """Sơn La's one group is its total: no second "Tổng điểm" row under it."""
    from chiso.reports.tables import method_table

    _, rows = method_table(report("son-la-2020", folder))
    assert [row[1] for row in rows].count("Tổng điểm") <= 1
    _, rows = method_table(report("binh-dinh-2021", folder))
    assert rows[-1][1] == "Tổng điểm" and rows[-1][2] == 85


def test_a_method_table_of_many_blocks_turns_the_page(tmp_path: Path) -> None:
    """The maxima table has a column per block: with nine blocks it does not fit the portrait
    page, and goes on a landscape one in the PDF and the DOCX, as a wide ranking table does."""
    from chiso.core import parse_framework

    blocks = "".join(
        f"  - {{code: k{n}, name: 'Khối các cơ quan, đơn vị cấp {n} của tỉnh'}}\n"
        for n in range(1, 10)
    )
    text = f"""\
id: nhieu-khoi-2024
name: Đánh giá thử nghiệm năm 2024
assessor: Sở Khoa học và Công nghệ tỉnh Thử Nghiệm
year: 2024
blocks:
{blocks}criteria:
  - {{code: A, name: Hạ tầng, max: 10, rule: {{type: points}}}}
  - {{code: B, name: Dịch vụ, max: 10, rule: {{type: points}}}}
"""
    framework = parse_framework(text)
    data = tmp_path / "units.csv"
    rows = "".join(f"Đơn vị {n},k{n},{n},{10 - n}\n" for n in range(1, 10))
    data.write_text("unit,block,A,B\n" + rows, encoding="utf-8")
    the_report = build_report(framework, score_files(framework, data, []))
    document = pdf._render(pdf.appendix_html(the_report, load_template("generic"), {}))
    turned = [
        page
        for page in document.pages
        if page.width > page.height and any("Nhóm tiêu chí" in text_of(t) for t in grids(page))
    ]
    assert turned, "the maxima table is on a landscape page"
    out = tmp_path / "x.docx"
    write_docx(the_report, load_template("generic"), out)
    orientations = [s.orientation for s in docx.Document(str(out)).sections]
    assert WD_ORIENT.LANDSCAPE in orientations and orientations[-1] == WD_ORIENT.PORTRAIT


@pytest.mark.parametrize("framework_id", ["binh-dinh-2021", "son-la-2020"])
def test_widths_are_those_of_every_cell_measured_at_each_size(
    framework_id: str, folder: Path
) -> None:
    """The layout measures a table's cells once and scales the widest to each size it tries:
    each column's least width is still the widest of its cells measured one by one at that
    size (bold in the "Tổng điểm" row), its header's longest word and its maximum, and the
    names' floor their longest word's."""
    from chiso.reports.layout import (
        NAME_MIN_MM,
        PADDING_MM,
        _name_floor,
        _needs,
        _widest,
        spans,
        text_width,
    )
    from chiso.reports.tables import Section, cell_text

    for table in report(framework_id, folder).tables:
        widest = _widest(table.columns, table.rows)
        for size in (12, 11, 10, 8):
            titles = [c.title for c in table.columns]
            expected = []
            for index, column in enumerate(table.columns):
                if column.kind == "text":
                    expected.append(0.0)
                    continue
                need = max(text_width(w, size, bold=True) for w in column.title.split())
                if column.maximum is not None:
                    need = max(need, text_width(cell_text(column, column.maximum), size, True))
                for row in table.rows:
                    if isinstance(row, Section) or spans(row, table.columns)[index] != 1:
                        continue
                    bold = row[1] == "Tổng điểm"
                    need = max(need, text_width(cell_text(column, row[index]), size, bold))
                expected.append(need + PADDING_MM if need else 0.0)
            assert _needs(table.columns, widest, titles, size) == expected, (table.key, size)
            words = [
                text_width(word, size)
                for row in table.rows
                if not isinstance(row, Section)
                for column, value in zip(table.columns, row, strict=True)
                if column.kind == "text" and isinstance(value, str)
                for word in value.split()
            ]
            floor = max(NAME_MIN_MM * size / 12, max(words, default=0.0) + PADDING_MM)
            assert _name_floor(widest, size) == floor, (table.key, size)
