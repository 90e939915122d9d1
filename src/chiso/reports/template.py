"""The assessor's own wording of the decision: an editable YAML file per assessor.

The numbers, tables, charts and narrative come from the results; everything a province says
in its own words — issuing body, number, date and place, title, legal bases, articles,
signature, recipients, the appendix's introduction and conclusion — comes from this file
(docs/reports.md describes it). ``{year}``, ``{number}``, ``{date}`` and ``{place}`` in any
text are replaced by the cycle's year and the template's number, date (dd/mm/yyyy) and place.
"""

from __future__ import annotations

import datetime
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from chiso import format as fmt
from chiso.core import FrameworkError
from chiso.core.loader import load_yaml, locate, validation_message

__all__ = [
    "Signature",
    "Template",
    "TemplateError",
    "load_template",
    "shipped_templates",
    "vn_date",
]


class TemplateError(FrameworkError):
    """A template file that cannot be used; ``str()`` is one line naming file and field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Signature(_Model):
    capacity: str = ""
    """"TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH" (CAPS); empty when the head signs himself."""
    position: str = Field(min_length=1)
    name: str = ""


class Appendix(_Model):
    heading: str = "KẾT QUẢ"
    title: str = Field(min_length=1)
    reference: str = ""
    introduction: list[str] = []
    conclusion: list[str] = []


class Template(_Model):
    parent_agency: str = ""
    issuing_agency: str = Field(min_length=1)
    number: str = ""
    """"5136/QĐ-UBND"; empty in a draft: the number is given when the decision is signed."""
    symbol: str = "QĐ-UBND"
    place: str = Field(min_length=1)
    date: datetime.date | None = None
    document_type: str = "QUYẾT ĐỊNH"
    title: str = Field(min_length=1)
    authority: str = ""
    legal_bases: list[str] = []
    proposal: str = ""
    articles: list[str] = Field(min_length=1)
    signature: Signature
    recipients: list[str] = []

    appendix: Appendix

    def fill(self, text: str, year: int) -> str:
        values = {
            "year": str(year),
            "number": self.number_text,
            "date": fmt.date(self.date) if self.date else "     /     /     ",
            "place": self.place,
        }
        return text.format_map(_Keep(values))

    @property
    def number_text(self) -> str:
        return self.number or f"      /{self.symbol}"

    def date_line(self, year: int) -> str:
        """ "Bình Định, ngày 23 tháng 12 năm 2021" (day below 10 and months 1–2 with a 0)."""
        return f"{self.place}, {vn_date(self.date, year)}"


class _Keep(dict[str, str]):
    def __missing__(self, key: str) -> str:
        return "{" + key + "}"


def vn_date(date: datetime.date | None, year: int) -> str:
    if date is None:
        return f"ngày      tháng      năm {year}"
    month = f"{date.month:02d}" if date.month <= 2 else str(date.month)
    return f"ngày {date.day:02d} tháng {month} năm {date.year}"


def shipped_templates() -> dict[str, Path]:
    folder = resources.files("chiso") / "reports" / "templates"
    return {
        Path(entry.name).stem: Path(str(entry))
        for entry in folder.iterdir()
        if entry.name.endswith(".yaml")
    }


def load_template(name_or_path: str | Path | None, framework_id: str = "") -> Template:
    """A template file, a shipped template by name, or (None) the shipped template named
    after the framework's id, else the generic one."""
    shipped = shipped_templates()
    if name_or_path is None:
        name_or_path = framework_id if framework_id in shipped else "generic"
    path = Path(name_or_path)
    if not path.is_file():
        if str(name_or_path) not in shipped:
            known = ", ".join(sorted(shipped))
            raise TemplateError(str(name_or_path), f"no such file (shipped templates: {known})")
        path = shipped[str(name_or_path)]
    source = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as error:
        raise TemplateError(source, f"cannot be read ({error.strerror})") from None
    except UnicodeDecodeError:
        raise TemplateError(source, "is not UTF-8 text") from None
    try:
        data = load_yaml(text, source)  # the framework's reading: duplicate keys, hints
    except FrameworkError as error:
        raise TemplateError(source, error.message, error.line, error.field) from None
    if not isinstance(data, dict):
        raise TemplateError(source, "must be a mapping of fields (see docs/reports.md)")
    try:
        return Template.model_validate(data)
    except ValidationError as error:
        # an unknown field is most often a misspelt one: say that first
        problems = sorted(error.errors(), key=lambda e: e["type"] != "extra_forbidden")
        first = problems[0]
        line, field = locate(yaml.compose(text, Loader=yaml.SafeLoader), tuple(first["loc"]))
        message = {
            "extra_forbidden": "unknown field (the fields are in docs/reports.md)",
            "missing": "missing (the fields are in docs/reports.md)",
        }.get(first["type"]) or validation_message(first)
        raise TemplateError(source, message, line, field) from None
