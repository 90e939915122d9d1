"""The publication files of a cycle — decision with appendix (.docx, .pdf) and workbook
(.xlsx) — written by chiso.reports from the core's results, as `chiso report` writes them."""

from __future__ import annotations

import tempfile
from pathlib import Path

from django.core.files.base import ContentFile

from chiso.core import CycleResult, Framework, UnitData
from chiso.reports.bundle import FORMATS, write_outputs
from chiso.reports.data import Report
from chiso.reports.template import Template, load_template, parse_template
from chiso.web.cycles.models import Cycle
from chiso.web.results.models import ResultDocument, ResultRevision

CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def template_of(cycle: Cycle) -> Template:
    """The assessor's own template when it has one, else the shipped one for the framework."""
    framework_id = cycle.framework.framework_id
    source = cycle.organisation.report_template.strip()
    if not source:
        return load_template(None, framework_id)
    return parse_template(source, f"{cycle.organisation} (report template)")


def write(
    cycle: Cycle,
    framework: Framework,
    result: CycleResult,
    units: list[UnitData],
    *,
    draft: bool,
    report: Report | None = None,
    formats: tuple[str, ...] = tuple(CONTENT_TYPES),
) -> dict[str, bytes]:
    """The files, as bytes by format (docx, pdf, xlsx: all three unless ``formats`` says),
    of the publication's ``report`` when it is given."""
    suffixes = [suffix for suffix in FORMATS if suffix[1:] in formats]
    with tempfile.TemporaryDirectory() as folder:
        paths = [str(Path(folder) / f"ket-qua-{cycle.year}{suffix}") for suffix in suffixes]
        write_outputs(
            framework,
            result,
            paths,
            template=template_of(cycle),
            units=units,
            draft=draft,
            report=report,
        )
        return {Path(path).suffix[1:]: Path(path).read_bytes() for path in paths}


def store(revision: ResultRevision, files: dict[str, bytes]) -> None:
    for fmt, content in files.items():
        name = f"ket-qua-{revision.cycle.year}-lan-{revision.number}.{fmt}"
        ResultDocument.objects.create(
            revision=revision, format=fmt, file=ContentFile(content, name=name)
        )
