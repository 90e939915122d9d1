"""Units and people in bulk: the workbook template, its reading, the preview of each row and
the import, in one transaction with one audit entry per unit or person added or changed.

The workbook has two sheets, "Đơn vị" (units: name, short name, default block, active) and
"Người dùng" (people: full name, e-mail, phone, unit, role, active), with Vietnamese headings
(the English keys ``name``, ``email``… are read too). A CSV file holds one of them, known by
its header row. A unit is matched by its name (composed, without regard to case or spacing:
see ``normalize_name``), a person by their e-mail address without regard to case, so that the
same file imported twice changes nothing; a new person's user name is their e-mail address.
Only the columns the header names are read and stored (a file of unit names alone changes no
short name). Nothing is deleted: "Không" in the active column deactivates, a blank cell leaves
the flag as it is (a new row is active). New people with an e-mail address get their
invitation (accounts/invitations.py) once the import is stored.
"""

from __future__ import annotations

import csv
import io
import unicodedata
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import transaction
from django.utils.translation import gettext as _

from chiso.core.messages import message_of, say
from chiso.core.tiers import normalize_name
from chiso.io.archives import ArchiveRefused, ZipLimits, open_zip
from chiso.io.cells import has_control_characters, sheet_text, yes_no
from chiso.io.tables import clean
from chiso.web.accounts.invitations import invite
from chiso.web.accounts.models import Role, User
from chiso.web.accounts.roles import role_has_unit, role_named, role_names
from chiso.web.audit.models import Action
from chiso.web.audit.services import record_change, snapshot
from chiso.web.cycles.models import Organisation, Unit
from chiso.web.cycles.services import message_language

__all__ = [
    "MAX_BYTES",
    "MAX_ROWS",
    "PEOPLE_SHEET",
    "UNIT_SHEET",
    "Problem",
    "Report",
    "RowResult",
    "import_people",
    "report_data",
    "report_from",
    "report_lines",
    "template_workbook",
]

UNIT_SHEET = "Đơn vị"
PEOPLE_SHEET = "Người dùng"
MAX_BYTES = 2 * 1024 * 1024
"""The largest file read: a province's 200 units and 2,000 people take about 100 KB."""
MAX_ROWS = 5_000
"""The most rows of a sheet."""

UNIT_COLUMNS = {"name": "Tên đơn vị", "short_name": "Tên viết tắt", "block": "Khối",
                "active": "Đang hoạt động"}  # fmt: skip
PEOPLE_COLUMNS = {"full_name": "Họ và tên", "email": "Thư điện tử", "phone": "Điện thoại",
                  "unit": "Đơn vị", "role": "Vai trò", "active": "Đang hoạt động"}  # fmt: skip
_REQUIRED = {UNIT_SHEET: ("name",), PEOPLE_SHEET: ("email", "role")}
_COLUMNS = {UNIT_SHEET: UNIT_COLUMNS, PEOPLE_SHEET: PEOPLE_COLUMNS}
YES, NO = "Có", "Không"
_USERNAME_LENGTH = 150
"""The longest user name (Django's), hence the longest e-mail address an import accepts."""
_LIMITS = {"name": 200, "short_name": 80, "block": 40, "full_name": 150, "phone": 40}


@dataclass(frozen=True)
class Problem:
    """What is wrong, where: the sheet (or the file), its row and column as the file shows."""

    sheet: str
    message: str
    row: int | None = None
    column: str = ""

    def __str__(self) -> str:
        where = [self.sheet]
        if self.row is not None:
            where.append(_("row %(row)d") % {"row": self.row})
        if self.column:
            where.append(_("column “%(column)s”") % {"column": self.column})
        return f"{', '.join(where)}: {self.message}"


@dataclass
class RowResult:
    sheet: str
    row: int
    key: str
    status: str = "unchanged"
    """``new``, ``changed``, ``unchanged`` or ``error``."""
    changes: list[str] = field(default_factory=list)
    """The headings of the columns whose values change."""
    problems: list[Problem] = field(default_factory=list)
    values: dict[str, Any] = field(default_factory=dict)
    target: Any = None

    def refuse(self, column: str, message: str) -> None:
        heading = _COLUMNS[self.sheet].get(column, column)
        self.problems.append(Problem(self.sheet, message, self.row, heading))
        self.status = "error"


@dataclass
class Report:
    source: str
    units: list[RowResult] = field(default_factory=list)
    people: list[RowResult] = field(default_factory=list)
    file_problems: list[Problem] = field(default_factory=list)
    saved: bool = False
    invited: int = 0

    @property
    def rows(self) -> list[RowResult]:
        return [*self.units, *self.people]

    @property
    def problems(self) -> list[Problem]:
        return [*self.file_problems, *(p for row in self.rows for p in row.problems)]

    def count(self, status: str) -> int:
        return sum(row.status == status for row in self.rows)


class _Refused(Exception):
    pass


# --- reading -------------------------------------------------------------------------------


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return YES if value else NO
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return clean(str(value))


_DAMAGED = (SyntaxError, zlib.error)
"""A part of the zip that is not well-formed XML (xml's ParseError, lxml's XMLSyntaxError:
both SyntaxErrors) or whose compressed bytes are cut."""


def _damaged_message() -> str:
    return _("the workbook is damaged (a part of the file cannot be read): save it again.")


def _read_xlsx(data: bytes) -> dict[str, list[list[str]]]:
    from openpyxl import load_workbook

    try:
        open_zip(io.BytesIO(data), ZipLimits()).close()
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except ArchiveRefused as error:
        message = _("it is not a workbook chiso reads (%(error)s).") % {
            "error": say(message_of(error), message_language())
        }
        raise _Refused(message) from None
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        raise _Refused(_("it is not a readable XLSX workbook.")) from None
    except _DAMAGED:
        raise _Refused(_damaged_message()) from None
    sheets: dict[str, list[list[str]]] = {}
    try:
        for name in (UNIT_SHEET, PEOPLE_SHEET):
            if name not in workbook.sheetnames:
                continue
            sheet = workbook[name]
            sheet.reset_dimensions()
            rows: list[list[str]] = []
            for values in sheet.iter_rows(values_only=True, max_col=20):
                if len(rows) > MAX_ROWS:
                    raise _Refused(_("a sheet has more than %(rows)d rows.") % {"rows": MAX_ROWS})
                rows.append([_text(value) for value in values])
            sheets[name] = rows
    except (zipfile.BadZipFile, KeyError, OSError, ValueError, EOFError):
        raise _Refused(_("it is not a readable XLSX workbook.")) from None
    except _DAMAGED:
        raise _Refused(_damaged_message()) from None
    finally:
        workbook.close()
    if not sheets:
        raise _Refused(
            _("the workbook has neither a sheet “%(units)s” nor a sheet “%(people)s”.")
            % {"units": UNIT_SHEET, "people": PEOPLE_SHEET}
        )
    return sheets


def _read_csv(data: bytes) -> dict[str, list[list[str]]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise _Refused(_("it is not UTF-8 text: save it as “CSV UTF-8”.")) from None
    delimiter = max(",;\t", key=text.split("\n", 1)[0].count)
    rows: list[list[str]] = []
    try:
        for cells in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=True):
            if len(rows) > MAX_ROWS:
                raise _Refused(_("a sheet has more than %(rows)d rows.") % {"rows": MAX_ROWS})
            rows.append([clean(cell) for cell in cells[:20]])
    except csv.Error:
        raise _Refused(_("it is not a readable CSV file.")) from None
    header = {_key(cell) for cell in rows[0]} if rows else set()
    if "email" in header:
        return {PEOPLE_SHEET: rows}
    if "name" in header:
        return {UNIT_SHEET: rows}
    raise _Refused(
        _("its first row names neither the units' columns nor the people's (see the template).")
    )


def _key(heading: str) -> str:
    """The key of a column named by its Vietnamese heading or its English key."""
    folded = heading.casefold()
    for columns in (UNIT_COLUMNS, PEOPLE_COLUMNS):
        for key, name in columns.items():
            if folded in (key, name.casefold()):
                return key
    return ""


def _records(sheet: str, rows: list[list[str]]) -> Iterator[tuple[int, dict[str, str]]]:
    """Each non-empty row below the header, by column key: only the columns the header names
    (a short row's missing cells are blank); a missing required column is refused."""
    numbered = [(number, cells) for number, cells in enumerate(rows, 1) if any(cells)]
    if not numbered:
        return
    header_number, header = numbered[0]
    keys = [_key(cell) for cell in header]
    for key in _REQUIRED[sheet]:
        if key not in keys:
            heading = _COLUMNS[sheet][key]
            raise _Refused(
                _("the sheet “%(sheet)s” has no column “%(column)s” (row %(row)d).")
                % {"sheet": sheet, "column": heading, "row": header_number}
            )
    for number, cells in numbered[1:]:
        padded = [*cells, *[""] * (len(keys) - len(cells))]
        yield number, {key: cell for key, cell in zip(keys, padded, strict=False) if key}


# --- the plan ------------------------------------------------------------------------------


def _active(result: RowResult, text: str) -> bool | None:
    """True or False; None for a blank cell (an existing row keeps its flag)."""
    if not text.strip():
        return None
    active = yes_no(text)
    if active is None:
        result.refuse("active", _("write “Có” or “Không”."))
    return bool(active)


def _checked_text(result: RowResult, record: dict[str, str], key: str) -> str:
    text = record.get(key, "")
    if has_control_characters(text):
        result.refuse(key, _("Enter the text without control characters."))
    elif len(text) > _LIMITS.get(key, 254):
        result.refuse(key, _("at most %(count)d characters.") % {"count": _LIMITS.get(key, 254)})
    return text


def _compare(result: RowResult, target: Any, values: dict[str, Any], names: dict[str, str]) -> None:
    result.values, result.target = values, target
    if result.status == "error":
        return
    if target is None:
        result.status = "new"
        return
    result.changes = [
        names[key]
        for key, value in values.items()
        if not isinstance(value, RowResult) and getattr(target, key) != value
    ]
    result.status = "changed" if result.changes else "unchanged"


def _unit_key(name: str) -> str:
    """How a unit's name is matched: composed (NFC), without regard to case or spacing."""
    return normalize_name(unicodedata.normalize("NFC", name))


def _plan_units(organisation: Organisation, records: Any, report: Report) -> dict[str, Any]:
    """The units' rows; the units by folded name, those stored and those the file adds."""
    units: dict[str, Any] = {_unit_key(u.name): u for u in organisation.units.all()}
    seen: dict[str, int] = {}
    names = UNIT_COLUMNS
    for number, record in records:
        name = record.get("name", "")
        result = RowResult(UNIT_SHEET, number, name)
        report.units.append(result)
        # only the columns the file has: a missing column leaves the stored values alone
        values: dict[str, Any] = {
            k: _checked_text(result, record, k) for k in ("short_name", "block") if k in record
        }
        active = _active(result, record.get("active", ""))
        if active is not None:
            values["active"] = active
        _checked_text(result, record, "name")
        folded = _unit_key(name)
        if not name:
            result.refuse("name", _("the unit's name is missing."))
        elif folded in seen:
            result.refuse("name", _("this unit is already on row %(row)d.") % {"row": seen[folded]})
        else:
            seen[folded] = number
        target = units.get(folded)
        if target is None:
            values["name"] = name
        _compare(result, target, values, names)
        if result.status == "new":
            units[folded] = result  # a person's unit may be one this file adds
    _check_short_names(organisation, report.units)
    return units


def _check_short_names(organisation: Organisation, rows: list[RowResult]) -> None:
    """Refuse the rows that would give a unit a short name another unit of the assessor has
    (the review's assignment finds a unit by it), counting the short names the file gives."""
    final: dict[int | str, str] = dict(
        organisation.units.exclude(short_name="").values_list("pk", "short_name")
    )
    for result in rows:
        if "short_name" in result.values and result.status != "error":
            key = result.target.pk if result.target is not None else _unit_key(result.key)
            final[key] = result.values["short_name"]
    holders: dict[str, list[int | str]] = {}
    for key, short in final.items():
        if short.strip():
            holders.setdefault(_unit_key(short), []).append(key)
    names = dict(organisation.units.values_list("pk", "name"))
    for result in rows:
        if result.status == "error":  # its target may be a row of the file (a name twice)
            continue
        short = result.values.get("short_name", "").strip()
        stored = result.target.short_name.strip() if result.target is not None else ""
        if not short or _unit_key(short) == _unit_key(stored):
            continue  # what is stored already stays as it is
        mine = result.target.pk if result.target is not None else _unit_key(result.key)
        others = [key for key in holders[_unit_key(short)] if key != mine]
        if others:
            other = others[0]
            name = names.get(other, other) if isinstance(other, int) else _other_row(rows, other)
            result.refuse(
                "short_name",
                _("the short name “%(short)s” is also %(unit)s's.")
                % {"short": short, "unit": name},
            )


def _other_row(rows: list[RowResult], key: str) -> str:
    return next((r.key for r in rows if r.target is None and _unit_key(r.key) == key), key)


def _guard(result: RowResult, target: User | None, values: dict[str, Any], by: Any) -> None:
    """Refuse a row that changes a superuser at all, or takes the importing person's own role
    or access away: an import does not lock out those who run the site."""
    if target is None:
        return
    changed = [
        key
        for key, value in values.items()
        if isinstance(value, RowResult) or getattr(target, key) != value
    ]
    columns = {"is_active": "active"}
    if target.is_superuser:
        for key in changed:
            result.refuse(columns.get(key, key), _("a superuser is not changed by an import."))
        return
    if by is not None and getattr(by, "pk", None) == target.pk:
        if "role" in changed:
            result.refuse("role", _("you cannot change your own role by an import."))
        if "is_active" in changed:
            result.refuse("active", _("you cannot deactivate yourself by an import."))


def _plan_people(
    organisation: Organisation,
    records: Any,
    units: dict[str, Any],
    report: Report,
    by: Any = None,
) -> None:
    people = {u.email.casefold(): u for u in User.objects.exclude(email="").select_related("unit")}
    usernames = {name.casefold() for name in User.objects.values_list("username", flat=True)}
    seen: dict[str, int] = {}
    names = {"full_name": PEOPLE_COLUMNS["full_name"], "phone": PEOPLE_COLUMNS["phone"],
             "role": PEOPLE_COLUMNS["role"], "unit": PEOPLE_COLUMNS["unit"],
             "is_active": PEOPLE_COLUMNS["active"]}  # fmt: skip
    for number, record in records:
        email = record.get("email", "")
        result = RowResult(PEOPLE_SHEET, number, email)
        report.people.append(result)
        folded = email.casefold()
        try:
            validate_email(email)
        except ValidationError:
            result.refuse("email", _("“%(value)s” is not an e-mail address.") % {"value": email})
        else:
            if len(email) > _USERNAME_LENGTH:  # a new person's user name is their address
                result.refuse("email", _("at most %(count)d characters.")
                              % {"count": _USERNAME_LENGTH})  # fmt: skip
        if folded in seen:
            result.refuse(
                "email", _("this person is already on row %(row)d.") % {"row": seen[folded]}
            )
        seen.setdefault(folded, number)
        target = people.get(folded)
        if target is None and folded in usernames:
            result.refuse("email", _("another account already has this address as its user name."))
        elif (  # a superuser's row is refused by _guard
            target is not None
            and not target.is_superuser
            and target.organisation_id not in (None, organisation.pk)
        ):
            result.refuse("email", _("this address is a person of another assessor."))
        # only the columns the file has: a missing column leaves the stored values alone
        values: dict[str, Any] = {
            k: _checked_text(result, record, k) for k in ("full_name", "phone") if k in record
        }
        role = role_named(record.get("role", ""))
        if role is None:
            result.refuse("role", _("“%(value)s” is not a role: choose one from the list.")
                          % {"value": record.get("role", "")})  # fmt: skip
        values["role"] = role
        if "unit" in record:
            unit_name = record["unit"]
            unit = units.get(_unit_key(unit_name)) if unit_name else None
        else:  # no unit column: a person keeps their unit
            unit = target.unit if target is not None else None
            unit_name = unit.name if unit is not None else ""
        if unit_name and unit is None:
            result.refuse("unit", _("no unit is named “%(value)s”.") % {"value": unit_name})
        elif isinstance(unit, RowResult) and unit.status == "error":
            result.refuse("unit", _("the row of this unit has an error."))
        if role is not None and role_has_unit(role) and not unit_name:
            result.refuse("unit", _("A unit editor or unit head belongs to a unit."))
        if role is not None and not role_has_unit(role) and unit_name:
            result.refuse("unit", _("Only unit editors and unit heads belong to a unit."))
        if "unit" in record:
            values["unit"] = unit
        active = _active(result, record.get("active", ""))
        if active is not None:
            values["is_active"] = active
        if role is not None:
            _guard(result, target, values, by)
        _compare(result, target, values, names)
        if isinstance(unit, RowResult) and result.status == "unchanged":
            result.status = "changed"  # moves to a unit this file adds
        if isinstance(unit, RowResult) and result.status == "changed":
            result.changes = [*result.changes, names["unit"]]


def plan(organisation: Organisation, source: str, data: bytes, *, by: Any = None) -> Report:
    """What the file would change, row by row, without changing anything; ``by``, the person
    importing, may not change their own role or deactivate themself."""
    report = Report(source)
    try:
        if len(data) > MAX_BYTES:
            raise _Refused(_("the file is larger than %(size)d MB.") % {"size": MAX_BYTES >> 20})
        if data[:4] == b"PK\x03\x04":
            sheets = _read_xlsx(data)
        elif source.lower().endswith((".xlsx", ".xls")):
            raise _Refused(_("it is not a readable XLSX workbook."))
        else:
            sheets = _read_csv(data)
        unit_records = list(_records(UNIT_SHEET, sheets.get(UNIT_SHEET, [])))
        people_records = list(_records(PEOPLE_SHEET, sheets.get(PEOPLE_SHEET, [])))
    except _Refused as error:
        report.file_problems.append(Problem(source, str(error)))
        return report
    units = _plan_units(organisation, unit_records, report)
    _plan_people(organisation, people_records, units, report, by)
    return report


# --- the import ----------------------------------------------------------------------------


def import_people(
    organisation: Organisation,
    source: str,
    data: bytes,
    *,
    by: Any = None,
    actor_name: str = "",
    dry_run: bool = False,
) -> Report:
    """Read the file ``source`` (its bytes ``data``) and, unless it is a dry run or a row has
    an error, store every new or changed unit and person in one transaction; then invite the
    new people. The report says what each row does (or did)."""
    created: list[User] = []
    with transaction.atomic():  # planned and stored on the same rows
        report = plan(organisation, source, data, by=by)
        if dry_run or report.problems:
            return report
        for result in report.units:
            if result.status in ("new", "changed"):
                _store_unit(organisation, result, by, actor_name)
        for result in report.people:
            if result.status in ("new", "changed"):
                person = _store_person(organisation, result, by, actor_name)
                if result.status == "new":
                    created.append(person)
    report.saved = True
    report.invited = sum(invite(person, by=by, actor_name=actor_name) for person in created)
    return report


def _store_unit(organisation: Organisation, result: RowResult, by: Any, actor_name: str) -> None:
    unit = result.target or Unit(organisation=organisation)
    before = snapshot(unit) if unit.pk else {}
    for key, value in result.values.items():
        setattr(unit, key, value)
    unit.save()
    result.target = unit
    action = Action.CHANGED if before else Action.ADDED
    record_change(action, unit, by=by, actor_name=actor_name, before=before,
                  after=snapshot(unit), note=_("Imported from a file"))  # fmt: skip


def _store_person(organisation: Organisation, result: RowResult, by: Any, actor_name: str) -> User:
    values = dict(result.values)
    if isinstance(values.get("unit"), RowResult):
        values["unit"] = values["unit"].target
    person: User | None = result.target
    before = snapshot(person) if person is not None else {}
    if person is None:
        person = User(username=result.key.lower(), email=result.key)
        person.set_unusable_password()
    for key, value in values.items():
        setattr(person, key, value)
    if not person.is_superuser:  # a unit's person: the unit's, which is this assessor's
        person.organisation = organisation
    person.save()
    action = Action.CHANGED if before else Action.ADDED
    record_change(action, person, by=by, actor_name=actor_name, before=before,
                  after=snapshot(person), note=_("Imported from a file"))  # fmt: skip
    return person


def report_data(report: Report) -> dict[str, Any]:
    """The report as plain values (JSON), as a background job keeps it for its page."""

    def row(result: RowResult) -> dict[str, Any]:
        return {"sheet": result.sheet, "row": result.row, "key": result.key,
                "status": result.status, "changes": result.changes,
                "problems": [asdict(problem) for problem in result.problems]}  # fmt: skip

    return {
        "source": report.source,
        "units": [row(result) for result in report.units],
        "people": [row(result) for result in report.people],
        "file_problems": [asdict(problem) for problem in report.file_problems],
        "saved": report.saved,
        "invited": report.invited,
    }


def report_from(data: dict[str, Any]) -> Report:
    """The report :func:`report_data` gave (without the rows' stored values and targets)."""

    def row(values: dict[str, Any]) -> RowResult:
        problems = [Problem(**problem) for problem in values["problems"]]
        return RowResult(values["sheet"], values["row"], values["key"], values["status"],
                         list(values["changes"]), problems)  # fmt: skip

    return Report(
        str(data.get("source", "")),
        units=[row(values) for values in data.get("units", [])],
        people=[row(values) for values in data.get("people", [])],
        file_problems=[Problem(**problem) for problem in data.get("file_problems", [])],
        saved=bool(data.get("saved")),
        invited=int(data.get("invited", 0)),
    )


def report_lines(report: Report) -> list[str]:
    """The report as lines of text (the command's output)."""
    words = {"new": _("new"), "changed": _("changed"), "unchanged": _("unchanged"),
             "error": _("error")}  # fmt: skip
    lines = [str(problem) for problem in report.file_problems]
    for result in report.rows:
        line = f"{result.sheet}, {_('row %(row)d') % {'row': result.row}}: {result.key} — "
        line += words[result.status]
        if result.changes:
            line += f" ({', '.join(result.changes)})"
        lines.append(line)
        lines.extend(f"    {problem}" for problem in result.problems)
    summary = _("%(new)d new, %(changed)d changed, %(unchanged)d unchanged, %(error)d with errors.")
    lines.append(summary % {status: report.count(status) for status in words})
    return lines


# --- the template --------------------------------------------------------------------------


def template_workbook(organisation: Organisation) -> bytes:
    """The workbook to fill: both sheets with their headings, the lists of roles and of yes/no,
    and the units and people there are (so that it imports unchanged)."""
    from openpyxl import Workbook
    from openpyxl.styles import Font
    from openpyxl.worksheet.datavalidation import DataValidation

    names = role_names()
    workbook = Workbook()
    units_sheet: Any = workbook.active
    units_sheet.title = UNIT_SHEET
    people_sheet: Any = workbook.create_sheet(PEOPLE_SHEET)
    units = list(organisation.units.order_by("name"))
    unit_ids = {unit.pk for unit in units}
    units_sheet.append(list(UNIT_COLUMNS.values()))
    for unit in units:
        row = [unit.name, unit.short_name, unit.block, YES if unit.active else NO]
        units_sheet.append([sheet_text(units_sheet, value) for value in row])
    people_sheet.append(list(PEOPLE_COLUMNS.values()))
    people = User.objects.exclude(email="").select_related("unit").order_by("unit__name", "email")
    for person in people.filter(organisation=organisation):
        if person.unit_id is not None and person.unit_id not in unit_ids:
            continue  # a unit of another assessor's
        row = [person.full_name, person.email, person.phone,
               person.unit.name if person.unit else "", names[Role(person.role)],
               YES if person.is_active else NO]  # fmt: skip
        people_sheet.append([sheet_text(people_sheet, value) for value in row])
    yes_no = f'"{YES},{NO}"'
    for sheet, column in ((units_sheet, "D"), (people_sheet, "F")):
        check = DataValidation(type="list", formula1=yes_no, allow_blank=True)
        check.add(f"{column}2:{column}{MAX_ROWS}")
        sheet.add_data_validation(check)
    roles = DataValidation(type="list", formula1='"' + ",".join(names.values()) + '"')
    roles.add(f"E2:E{MAX_ROWS}")
    people_sheet.add_data_validation(roles)
    in_units = DataValidation(type="list", formula1=f"'{UNIT_SHEET}'!$A$2:$A${MAX_ROWS}",
                              allow_blank=True)  # fmt: skip
    in_units.add(f"D2:D{MAX_ROWS}")
    people_sheet.add_data_validation(in_units)
    for sheet, widths in (
        (units_sheet, (50, 20, 12, 16)),
        (people_sheet, (30, 34, 16, 50, 34, 16)),
    ):
        for index, width in enumerate(widths):
            sheet.column_dimensions["ABCDEF"[index]].width = width
        for cell in sheet[1]:
            cell.font = Font(bold=True)
        sheet.freeze_panes = "A2"
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
