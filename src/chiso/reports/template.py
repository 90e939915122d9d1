"""The assessor's own wording of the document: an editable YAML file per assessor.

Two forms of Decree 30 are made, as the template's ``document_type`` says: a decision
(QUYẾT ĐỊNH: legal bases, articles, the results in its appendix) or the assessing
department's report (BÁO CÁO: sections I, II, III… with the results in its body, no
articles). The numbers, tables, charts and narrative come from the results; everything a
province says in its own words — issuing body, number, date and place, title, legal bases,
articles, signature, recipients, introduction, conclusion and recommendations — comes from
this file (docs/reports.md describes it). In any text ``{year}`` is the assessed year,
``{number}``, ``{date}`` and ``{place}`` the template's, and ``{subject}``, ``{assessor}``,
``{agency}``, ``{agency_code}`` and ``{province}`` come from the framework (:func:`words`).
"""

from __future__ import annotations

import datetime
import re
import unicodedata
from collections.abc import Callable
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, model_validator

from chiso import format as fmt
from chiso.core import FrameworkError
from chiso.core.framework import InvalidAt
from chiso.core.loader import load_yaml, locate, validation_message
from chiso.reports.labels import name_of_year

__all__ = [
    "Body",
    "Signature",
    "Template",
    "TemplateError",
    "closing",
    "load_template",
    "parse_template",
    "shipped_templates",
    "vn_date",
    "words",
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


class Body(_Model):
    """The text around the results: what comes before them and the closing sections."""

    introduction: list[str] = []
    conclusion_heading: str = "Nhận xét chung"
    """The section after the results: "Nhận xét chung", "Kết luận" …"""
    conclusion: list[str] = []
    recommendations_heading: str = "Đề xuất, kiến nghị"
    recommendations: list[str] = []
    """Paragraphs of the section after the conclusion ("Đề nghị …"); none: no section."""


class Appendix(Body):
    heading: str = "KẾT QUẢ"
    title: str = Field(min_length=1)
    reference: str = ""


REPORT = "BÁO CÁO"
DECISION = "QUYẾT ĐỊNH"
# what only a decision has: a report is the department's own account, with no articles
_DECISION_ONLY = ("authority", "legal_bases", "proposal", "articles", "appendix")


class Template(_Model):
    parent_agency: str = ""
    issuing_agency: str = Field(min_length=1)
    number: str = ""
    """"5136/QĐ-UBND"; empty in a draft: the number is given when the document is signed."""
    symbol: str = ""
    """Printed after an empty number: default "QĐ-UBND" for a decision, "BC-" and the
    agency's initials for a report ("BC-STTTT")."""
    place: str = Field(min_length=1)
    date: datetime.date | None = None
    document_type: str = DECISION
    """"QUYẾT ĐỊNH" (a decision and its appendix) or "BÁO CÁO" (a report)."""
    title: str = Field(min_length=1)
    authority: str = ""
    legal_bases: list[str] = []
    proposal: str = ""
    articles: list[str] = []
    signature: Signature
    recipients: list[str] = []

    appendix: Appendix | None = None
    """A decision's results appendix."""
    body: Body = Body()
    """A report's text around its results (a decision's is in its appendix)."""
    closing: str = ""
    """A report's last paragraph: "Trên đây là Báo cáo …"."""

    @model_validator(mode="after")
    def _check_form(self) -> Template:
        kind = self.kind
        if kind not in (DECISION, REPORT):
            raise InvalidAt(("document_type",), f"must be {DECISION!r} or {REPORT!r}")
        if kind == REPORT:
            for name in _DECISION_ONLY:
                if getattr(self, name):
                    raise InvalidAt(
                        (name,),
                        f"a report ({REPORT}) has no {name}: its text goes in 'body'"
                        " (docs/reports.md)",
                    )
            if not self.closing.strip():
                raise InvalidAt(
                    ("closing",),
                    "a report ends with its closing paragraph (“Trên đây là Báo cáo …”), kept"
                    " with the signature",
                )
            return self
        if not self.articles:
            raise InvalidAt(("articles",), "a decision needs at least one article")
        if self.appendix is None:
            raise InvalidAt(("appendix",), "a decision needs its appendix (title at least)")
        if self.body != Body() or self.closing:
            name = "closing" if self.closing else "body"
            raise InvalidAt(
                (name,), f"a decision's text around the results goes in 'appendix', not {name!r}"
            )
        return self

    @property
    def kind(self) -> str:
        """The document's type as printed: "QUYẾT ĐỊNH" or "BÁO CÁO"."""
        return " ".join(self.document_type.split()).upper()

    @property
    def is_report(self) -> bool:
        return self.kind == REPORT

    @property
    def text(self) -> Body:
        """The introduction, conclusion and recommendations: the report's body or the
        decision's appendix."""
        return self.appendix if self.appendix is not None else self.body

    def filler(self, name: str, assessor: str, year: int) -> Callable[[str], str]:
        """``fill(text)`` for a framework's ``name`` and ``assessor`` and the assessed
        ``year``: every placeholder of the module's list replaced."""
        values = words(name, assessor, year)
        values |= {
            "number": self.number_text_for(values),
            "date": fmt.date(self.date) if self.date else "     /     /     ",
        }
        values["place"] = _filled(self.place, values)
        return lambda text: _filled(text, values)

    def number_text_for(self, values: dict[str, str]) -> str:
        """ "5136/QĐ-UBND", or blanks before the symbol until the document is numbered."""
        symbol = self.symbol or ("BC-{agency_code}" if self.is_report else "QĐ-UBND")
        return self.number or f"      /{_filled(symbol, values)}"

    def date_line(self, fill: Callable[[str], str] = str, issued: int | None = None) -> str:
        """ "Bình Định, ngày 23 tháng 12 năm 2021" (day below 10 and months 1–2 with a 0);
        without a date, blanks to fill in and the year it is issued (this year)."""
        return f"{fill(self.place)}, {vn_date(self.date, issued)}"


def words(name: str, assessor: str, year: int) -> dict[str, str]:
    """What the generic templates say from the framework: ``subject`` (its name, to follow
    "Kết quả …", with the year when the name has none), ``assessor``, ``agency`` (the
    assessor without its province), ``agency_code`` ("STTTT", "SKHCN": the initials of the
    agency, as document symbols have them), ``province`` ("tỉnh Bình Định"; "..." when the
    assessor names none) and ``year``."""
    subject = name_of_year(" ".join(name.split()), year)
    if subject[:1].isupper() and subject[1:2].islower():
        subject = subject[0].lower() + subject[1:]
    if str(year) not in subject:
        subject += f" năm {year}"
    found = re.search(r"\b(tỉnh|thành phố)\s+(\S.*)$", assessor, re.IGNORECASE)
    province = f"{found.group(1).lower()} {found.group(2).strip()}" if found else "..."
    agency = assessor[: found.start()].strip() if found else assessor.strip()
    return {
        "year": str(year),
        "subject": subject,
        "assessor": assessor.strip(),
        "agency": agency,
        "agency_code": _initials(agency),
        "province": province,
        "province_name": found.group(2).strip() if found else "...",
    }


def _initials(agency: str) -> str:
    letters = []
    for word in agency.split():
        if word.lower() in ("và", "-", "&"):
            continue
        first = unicodedata.normalize("NFD", word)[0]
        letters.append("Đ" if word[0] in "Đđ" else first.upper())
    return "".join(letter for letter in letters if letter.isalpha())


_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _filled(text: str, values: dict[str, str]) -> str:
    """``text`` with each ``{name}`` of ``values`` replaced; any other brace is the
    assessor's own text and stays as it is (``{year``, ``mục II}``, ``{other}``)."""
    return _PLACEHOLDER.sub(lambda found: values.get(found.group(1), found.group(0)), text)


def closing(text: str) -> str:
    """The last words of a document end in "./."."""
    return text if text.endswith("./.") else text.rstrip(".") + "./."


def vn_date(date: datetime.date | None, issued: int | None = None) -> str:
    if date is None:
        return f"ngày      tháng      năm {issued or datetime.date.today().year}"
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
    return parse_template(text, source)


def parse_template(text: str, source: str = "<template>") -> Template:
    """The template written in ``text``; a :class:`TemplateError` names ``source``, the line
    and the field."""
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
        loc = tuple(first["loc"])
        cause = first.get("ctx", {}).get("error")
        if isinstance(cause, InvalidAt):  # the form's check says which field
            loc += cause.loc
        line, field = locate(yaml.compose(text, Loader=yaml.SafeLoader), loc)
        message = {
            "extra_forbidden": "unknown field (the fields are in docs/reports.md)",
            "missing": "missing (the fields are in docs/reports.md)",
        }.get(first["type"]) or validation_message(first)
        raise TemplateError(source, message, line, field) from None
