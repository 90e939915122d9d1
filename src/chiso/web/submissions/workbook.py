"""The self-assessment as a workbook: written for a unit to fill offline, read back as the
changes it makes, each checked as the form checks it, then saved through
:func:`services.save_answer` (the same revisions, audit entries and messages as the form).

The workbook has one row per criterion and group of the unit's block, the answer cell with a
data-validation list or range by rule type, a denominator where the rule takes one, a
not-applicable list where the framework allows it, and a note; the sheet is protected with only
those cells open. A hidden sheet identifies the cycle, the unit and the framework version, so
that another unit's or another cycle's workbook is refused by name. Reading is bounded (bytes,
zip members, rows) and never evaluates a formula: a cell holding one is refused.
"""

from __future__ import annotations

import io
import math
from dataclasses import asdict, dataclass, field
from decimal import Decimal
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import gettext as _

from chiso import format as fmt
from chiso.core import Framework
from chiso.core.framework import Node
from chiso.core.messages import message_of, say
from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip
from chiso.io.cells import printable, text_cell, yes_no
from chiso.web.cycles.models import Participation
from chiso.web.cycles.services import message_language
from chiso.web.submissions import services
from chiso.web.submissions.models import Answer, Submission
from chiso.web.submissions.scoring import AnswerError, parse_answer
from chiso.web.submissions.selectors import Item, describe, page_for

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "CellError",
    "Change",
    "Identity",
    "Preview",
    "WorkbookRefused",
    "apply",
    "file_name",
    "preview",
    "read_identity",
    "write",
]

MAX_BYTES = 5 * 1024 * 1024
"""The largest workbook read (a form of a few hundred criteria is some 30 KB)."""
MAX_ROWS = 2_000
"""The most rows read from the form's sheet (frameworks have a few hundred criteria)."""
LIMITS = ZipLimits(unpacked=64 * 1024 * 1024, members=200)

ID_SHEET = "chiso"
LIST_SHEET = "lists"
FIRST_ROW = 5
"""The first criterion's row; the header is the row above."""
CODE, NAME, GUIDANCE, MAXIMUM, VALUE, DENOMINATOR, NA, NOTE = "ABCDEFGH"
CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class WorkbookRefused(ValueError):
    """A file that is not this unit's form: the message says why, in one line."""


@dataclass(frozen=True)
class Identity:
    """What the hidden sheet says the workbook is the form of."""

    cycle: int
    unit: int
    framework: int
    cycle_name: str
    unit_name: str


@dataclass(frozen=True)
class Change:
    """One criterion's answer as the workbook gives it, with the revision seen at upload."""

    code: str
    value: str
    denominator: str
    not_applicable: bool
    comment: str | None
    revision: int
    old: str = ""
    new: str = ""
    old_note: str = ""
    new_note: str = ""


@dataclass(frozen=True)
class CellError:
    sheet: str
    row: int
    column: str
    code: str
    message: str


@dataclass
class Preview:
    identity: Identity
    changes: list[Change] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)

    def stored(self) -> list[dict[str, Any]]:
        """The changes as the session keeps them until confirmed."""
        return [asdict(change) for change in self.changes]


# --- writing ---------------------------------------------------------------------------------


def _yes_no() -> tuple[str, str]:
    """The labels written in a yes/no cell, in the site's language (Có, Không) whatever the
    page's: a workbook downloaded from the English page may be uploaded from the Vietnamese
    one. Reading takes either language's labels (:func:`chiso.io.cells.yes_no`)."""
    with translation.override(settings.LANGUAGE_CODE):
        return _("Yes"), _("No")


def write(participation: Participation, submission: Submission | None) -> bytes:
    """The unit's form as an XLSX workbook, filled with what is saved."""
    from openpyxl import Workbook
    from openpyxl.styles import Alignment, Font, PatternFill, Protection

    cycle = participation.cycle
    page = page_for(participation, submission)
    book = Workbook()
    sheet: Any = book.active
    sheet.title = _("Self-assessment")[:31]
    lists: Any = book.create_sheet(LIST_SHEET)
    lists.sheet_state = "hidden"
    ident: Any = book.create_sheet(ID_SHEET)
    ident.sheet_state = "hidden"
    for key, value in (
        ("cycle", cycle.pk),
        ("unit", participation.unit_id),
        ("framework", cycle.framework_id),
        ("cycle_name", cycle.name),
        ("unit_name", participation.unit.name),
    ):
        ident.append([key, printable(value)])
        text_cell(ident.cell(ident.max_row, 2))
    ident.protection.sheet = True

    # names typed by people: without the control characters a cell cannot hold (a 500 else)
    title = sheet.cell(1, 1, printable(_("Self-assessment") + f": {participation.unit.name}"))
    text_cell(title).font = Font(bold=True, size=13)
    text_cell(
        sheet.cell(
            2,
            1,
            printable(
                _("Cycle: %(cycle)s · Framework: %(framework)s · Block: %(block)s")
                % {
                    "cycle": cycle.name,
                    "framework": cycle.framework,
                    "block": cycle.framework.framework.block(participation.block).name,
                }
            ),
        )
    )
    sheet.cell(3, 1, _("Fill in only the white cells; then upload this file on the form's page."))
    headers = [
        _("Code"),
        _("Criterion"),
        _("Guidance"),
        _("Maximum"),
        _("Answer"),
        _("Denominator"),
        _("Not applicable"),
        _("Note"),
    ]
    for index, header in enumerate(headers, start=1):
        cell = sheet.cell(FIRST_ROW - 1, index, header)
        cell.font = Font(bold=True)
        cell.fill = PatternFill("solid", fgColor="DDDDDD")
    yes, no = _yes_no()
    yes_no = _validation(
        sheet, _("Choose yes or no."), type="list", formula1=f'"{yes},{no}"', allow_blank=True
    )
    counts = _validation(
        sheet,
        _("Enter a whole number, 0 or more."),
        type="whole",
        operator="greaterThanOrEqual",
        formula1="0",
    )
    decimals = _validation(
        sheet,
        _("Enter a number (decimals with a comma, e.g. 12,5)."),
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
    )
    points: dict[Decimal, Any] = {}  # a range 0..maximum, one per maximum
    open_cell = Protection(locked=False)
    wrap = Alignment(wrap_text=True, vertical="top")
    lists_used = 0
    for row, item in enumerate(page.items.values(), start=FIRST_ROW):
        node = item.node
        guidance = "\n".join(part for part in (node.guidance or "", item.hint) if part)
        text_cell(sheet.cell(row, 1, node.code))
        text_cell(sheet.cell(row, 2, printable(("  " * item.depth) + node.name)))
        text_cell(sheet.cell(row, 3, printable(guidance)))
        sheet.cell(row, 4, item.maximum)
        for column in range(1, 9):
            sheet.cell(row, column).alignment = wrap
        if not item.is_leaf:
            for column in range(1, 9):
                sheet.cell(row, column).font = Font(bold=True)
        answer = item.answer
        if item.is_leaf:
            value = sheet.cell(row, 5, _shown_value(item))
            if isinstance(value.value, str):
                text_cell(value)
            value.protection = open_cell
            if item.kind in ("yes_no", "yes_no_evidence"):
                yes_no.add(value.coordinate)
            elif item.kind == "choice":
                lists_used += 1
                for place, (_value, label) in enumerate(item.options, start=1):
                    text_cell(lists.cell(place, lists_used, printable(label)))
                letter = lists.cell(1, lists_used).column_letter
                choice = _validation(
                    sheet,
                    _("Choose one of the options."),
                    type="list",
                    formula1=f"{LIST_SHEET}!${letter}$1:${letter}${len(item.options)}",
                    allow_blank=True,
                )
                choice.add(value.coordinate)
            elif item.kind == "count":
                counts.add(value.coordinate)
            elif item.kind == "ratio":
                decimals.add(value.coordinate)
            elif item.kind == "points":
                if item.maximum not in points:
                    points[item.maximum] = _validation(
                        sheet,
                        _("Enter points from 0 to %(max)s.") % {"max": fmt.plain(item.maximum)},
                        type="decimal",
                        operator="between",
                        formula1="0",
                        formula2=str(item.maximum),
                    )
                points[item.maximum].add(value.coordinate)
            if item.kind == "ratio":
                denominator = sheet.cell(row, 6, answer.denominator if answer else None)
                denominator.protection = open_cell
                decimals.add(denominator.coordinate)
            note = sheet.cell(row, 8, printable(answer.comment) if answer else None)
            text_cell(note).protection = open_cell
        if node.not_applicable:
            na = sheet.cell(row, 7, (yes if item.declared_na else no))
            na.protection = open_cell
            yes_no.add(na.coordinate)
    for letter, width in zip("ABCDEFGH", (9, 50, 50, 9, 16, 12, 12, 30), strict=True):
        sheet.column_dimensions[letter].width = width
    sheet.freeze_panes = f"A{FIRST_ROW}"
    sheet.protection.sheet = True
    sheet.protection.formatColumns = False
    sheet.protection.formatRows = False
    sheet.print_title_rows = f"{FIRST_ROW - 1}:{FIRST_ROW - 1}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _validation(sheet: Any, message: str, **rule: Any) -> Any:
    """A data validation of ``sheet`` that Excel enforces, with the form's own message."""
    from openpyxl.worksheet.datavalidation import DataValidation

    validation = DataValidation(showErrorMessage=True, error=message, **rule)
    sheet.add_data_validation(validation)
    return validation


def _shown_value(item: Item) -> Any:
    """The saved answer as the cell holds it: a number, Có/Không, an option's label, a text."""
    answer = item.answer
    if answer is None or answer.not_applicable or answer.value == "":
        return None
    if item.kind in ("yes_no", "yes_no_evidence"):
        yes, no = _yes_no()
        return yes if answer.value == "1" else no if answer.value == "0" else answer.value
    if item.kind == "choice":
        labels = dict(item.options)
        return labels.get(answer.value, answer.value)
    if item.kind == "info":
        return answer.value
    try:
        return Decimal(answer.value)
    except ArithmeticError:
        return answer.value


def file_name(participation: Participation) -> str:
    name = slugify(participation.unit.name) or "unit"
    return f"tu-danh-gia-{name}-{participation.cycle.year}-{participation.pk}.xlsx"


# --- reading ---------------------------------------------------------------------------------


def _open(raw: bytes) -> Any:
    from openpyxl import load_workbook

    if len(raw) > MAX_BYTES:
        raise WorkbookRefused(
            _("The file is larger than %(mb)s MB: it is not a self-assessment workbook.")
            % {"mb": MAX_BYTES // (1024 * 1024)}
        )
    try:
        open_zip(io.BytesIO(raw), LIMITS).close()
        return load_workbook(io.BytesIO(raw), read_only=True, data_only=False)
    except ArchiveRefused as error:
        raise WorkbookRefused(
            _("The file is not a workbook chiso reads: %(problem)s")
            % {"problem": say(message_of(error), message_language())}
        ) from None
    except Exception:  # openpyxl raises many kinds for a file that is not XLSX
        raise WorkbookRefused(_("The file is not an Excel workbook (XLSX).")) from None


def _identity(book: Any) -> Identity:
    if ID_SHEET not in book.sheetnames:
        raise WorkbookRefused(
            _("The workbook is not a self-assessment form downloaded from chiso.")
        )
    values: dict[str, str] = {}
    for number, row in enumerate(book[ID_SHEET].iter_rows(max_col=2, values_only=True)):
        if number > 20:
            break
        if row and row[0] is not None:
            values[str(row[0])] = "" if len(row) < 2 or row[1] is None else str(row[1])
    try:
        return Identity(
            int(values["cycle"]),
            int(values["unit"]),
            int(values["framework"]),
            values.get("cycle_name", "")[:200],
            values.get("unit_name", "")[:200],
        )
    except (KeyError, ValueError):
        raise WorkbookRefused(
            _("The workbook is not a self-assessment form downloaded from chiso.")
        ) from None


def read_identity(raw: bytes) -> Identity:
    """Whose form the workbook ``raw`` is (WorkbookRefused when it is none)."""
    book = _open(raw)
    try:
        return _identity(book)
    finally:
        book.close()


def _check_identity(identity: Identity, participation: Participation) -> None:
    cycle = participation.cycle
    if identity.cycle != cycle.pk:
        raise WorkbookRefused(
            _("This workbook is the form of the cycle “%(theirs)s”, not of “%(ours)s”.")
            % {"theirs": identity.cycle_name, "ours": cycle.name}
        )
    if identity.unit != participation.unit_id:
        raise WorkbookRefused(
            _("This workbook is the form of “%(theirs)s”, not of “%(ours)s”.")
            % {"theirs": identity.unit_name, "ours": participation.unit.name}
        )
    if identity.framework != cycle.framework_id:
        raise WorkbookRefused(
            _("This workbook was made for another version of the framework: download it again.")
        )


def _value(cell: Any) -> Any:
    """A cell's value; a number shown as a percentage (typed "45%", held as 0.45) as the
    percentage shown, as the form takes "45%"."""
    value = getattr(cell, "value", None)
    shown = getattr(cell, "number_format", "") or ""
    if isinstance(value, (int, float)) and not isinstance(value, bool) and "%" in shown:
        if isinstance(value, float) and not math.isfinite(value):
            return value
        return format((Decimal(repr(value)) * 100).normalize(), "f")
    return value


def _text(value: Any) -> str:
    """A cell's value as the form's field would hold it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, float):
        if not math.isfinite(value) or value != int(value):
            return repr(value)
        return str(int(value))
    return str(value).strip()


def _answer_text(item: Item, text: str) -> str:
    """A list cell's label back to the value the form posts."""
    if item.kind in ("yes_no", "yes_no_evidence"):
        flag = yes_no(text)  # Có/Không, Yes/No, 1/0 …; another text is the form's to refuse
        return text if flag is None else "1" if flag else "0"
    if item.kind == "choice":
        labels = {label.casefold(): value for value, label in item.options}
        return labels.get(text.casefold(), text)
    return text


def preview(participation: Participation, raw: bytes) -> Preview:
    """The changes the workbook ``raw`` makes to the unit's saved answers, and every cell that
    the form would refuse (WorkbookRefused for a file that is not this unit's form)."""
    book = _open(raw)
    try:
        identity = _identity(book)
        _check_identity(identity, participation)
        sheet = book.worksheets[0]
        title = str(sheet.title)[:31]
        sheet.reset_dimensions()  # the size the file claims is not trusted
        rows = _sheet_rows(sheet)
    finally:
        book.close()
    return _changes(participation, Preview(identity), title, rows)


@dataclass(frozen=True)
class _Row:
    number: int
    values: dict[str, Any]
    formulas: list[str]
    """The columns whose cell holds a formula (refused, never evaluated)."""


def _sheet_rows(sheet: Any) -> list[_Row]:
    """The criteria's rows of the sheet, at most MAX_ROWS read (openpyxl reads a cell as it is
    iterated, and raises many kinds of errors for one it cannot read)."""
    rows: list[_Row] = []
    letters = "ABCDEFGH"
    try:
        for number, cells in enumerate(sheet.iter_rows(max_col=8), start=1):
            if number > MAX_ROWS:
                raise WorkbookRefused(
                    _(
                        "The sheet “%(sheet)s” has more than %(rows)s rows: it is not a"
                        " self-assessment form."
                    )
                    % {"sheet": str(sheet.title)[:31], "rows": f"{MAX_ROWS:,}".replace(",", ".")}
                )
            if number < FIRST_ROW:
                continue
            values = {letters[i]: _value(cell) for i, cell in enumerate(cells)}
            formulas = [
                letters[i] for i, cell in enumerate(cells) if getattr(cell, "data_type", "") == "f"
            ]
            rows.append(_Row(number, values, formulas))
    except WorkbookRefused:
        raise
    except Exception:
        raise WorkbookRefused(_("The file is not an Excel workbook (XLSX).")) from None
    return rows


def _changes(
    participation: Participation, result: Preview, title: str, rows: list[_Row]
) -> Preview:
    submission = Submission.objects.filter(participation=participation).first()
    page = page_for(participation, submission)
    framework = participation.cycle.framework.framework
    seen: set[str] = set()
    for row in rows:
        values = row.values
        code = _text(values.get(CODE))[:80]

        def error(column: str, message: str, code: str = code, number: int = row.number) -> None:
            result.errors.append(CellError(title, number, column, code, message))

        if row.formulas:
            for column in row.formulas:
                error(column, _("The cell holds a formula: enter the value itself."))
            continue
        if not code:
            if any(_text(v) for v in values.values()):
                error(CODE, _("This row has no criterion code."))
            continue
        item = page.items.get(code)
        if item is None:
            error(CODE, _("Unknown criterion code for this unit's block."))
            continue
        if code in seen:
            error(CODE, _("This criterion appears twice."))
            continue
        seen.add(code)
        _read_row(result, item, values, error, framework=framework, block=participation.block)
    for code in page.items:
        if code not in seen:
            result.errors.append(
                CellError(title, 0, CODE, code, _("This criterion is missing from the sheet."))
            )
    return result


def _read_row(
    result: Preview,
    item: Item,
    values: dict[str, Any],
    error: Any,
    *,
    framework: Framework,
    block: str,
) -> None:
    node: Node = item.node
    na_text = _text(values.get(NA))
    declared = yes_no(na_text) if na_text else False  # a blank cell: not declared
    if declared is None:
        error(NA, _("Choose yes or no."))
        return
    not_applicable = declared
    if not_applicable and not node.not_applicable:
        error(NA, _("This criterion cannot be declared not applicable."))
        return
    answer: Answer | None = item.answer
    if item.is_leaf:
        value = _answer_text(item, _text(values.get(VALUE)))
        denominator = _text(values.get(DENOMINATOR))
        comment: str | None = _text(values.get(NOTE))
        if denominator and item.kind != "ratio":
            error(DENOMINATOR, _("This criterion takes no denominator."))
            return
    else:
        filled = [column for column in (VALUE, DENOMINATOR, NOTE) if _text(values.get(column))]
        for column in filled:
            error(column, _("A group takes no answer here: answer its criteria."))
        if filled:
            return
        value = denominator = ""
        comment = None
    try:
        if comment is not None:
            services.check_note(comment)
        parsed = parse_answer(
            framework,
            block,
            node.code,
            "" if not_applicable else value,
            "" if not_applicable else denominator,
        )
    except AnswerError as refused:
        error(NOTE if refused.field == "comment" else VALUE, str(refused))
        return
    if answer is None:
        old = describe(node, "")
    else:
        old = describe(node, answer.value, answer.denominator, answer.not_applicable)
    new = describe(node, parsed.value, parsed.denominator, not_applicable)
    old_note = answer.comment if answer else ""
    same = (
        (answer.value if answer else "") == parsed.value
        and (answer.denominator if answer else None) == parsed.denominator
        and (answer.not_applicable if answer else False) == not_applicable
        and (comment is None or comment == old_note)
    )
    if same:
        return
    result.changes.append(
        Change(
            node.code,
            value,
            denominator,
            not_applicable,
            comment,
            answer.revision if answer else 0,
            old,
            new,
            old_note,
            comment if comment is not None else old_note,
        )
    )


# --- saving ----------------------------------------------------------------------------------


@transaction.atomic
def apply(
    participation: Participation,
    stored: list[dict[str, Any]],
    *,
    by: Any,
    on_behalf: bool = False,
) -> int:
    """Save the confirmed changes through :func:`services.save_answer`, all or none: a
    Conflict (an answer changed since the upload), an AnswerError or NotAllowed undoes them.
    ``on_behalf``: the assessor enters the unit's workbook (from a ZIP of them)."""
    submission = services.submission_for(participation)
    for change in stored:
        try:
            services.save_answer(
                submission,
                change["code"],
                value=change["value"],
                denominator=change["denominator"],
                not_applicable=change["not_applicable"],
                comment=change["comment"],
                revision=change["revision"],
                by=by,
                on_behalf=on_behalf,
            )
        except AnswerError as refused:  # the unit's answers together: nothing is saved
            raise AnswerError(f"{change['code']}: {refused}", refused.field) from None
    return len(stored)
