"""Write the publication files of a cycle: the decision with its appendix (.docx, .pdf), the
workbook (.xlsx), or one unit's scorecard (.pdf)."""

from __future__ import annotations

import gc
import multiprocessing
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from chiso.core import CycleResult, Framework, UnitData, UnitResult
from chiso.core.tiers import normalize_name
from chiso.reports.data import Report, build_report
from chiso.reports.template import Template

__all__ = ["FORMATS", "ReportError", "write_outputs"]

FORMATS = (".docx", ".pdf", ".xlsx")


class ReportError(ValueError):
    """An output that cannot be written as asked (one line for a person)."""


def check_outputs(paths: Sequence[str], unit: str | None) -> None:
    for path in paths:
        suffix = Path(path).suffix.lower()
        if suffix not in FORMATS:
            raise ReportError(
                f"{path}: unknown output format {suffix or '(none)'!r} (.docx, .pdf or .xlsx)"
            )
        if unit is not None and suffix != ".pdf":
            raise ReportError(f"{path}: a unit's scorecard is a .pdf")
        if not Path(path).resolve().parent.is_dir():
            raise ReportError(f"{path}: no such folder")


def write_outputs(
    framework: Framework,
    result: CycleResult,
    paths: Sequence[str],
    *,
    template: Template | None = None,
    units: Sequence[UnitData] = (),
    draft: bool = False,
    unit: str | None = None,
    report: Report | None = None,
) -> Report:
    """Write each of ``paths`` in the format its suffix names; charts are drawn once.
    ``report``: the publication's report when it is built already (the web's publication),
    else it is built from ``result``."""
    check_outputs(paths, unit)
    report = report or build_report(framework, result)
    if unit is not None:
        from chiso.reports.pdf import write_scorecard

        found = _find_unit(result, unit)
        for path in paths:
            write_scorecard(framework, result, found, path, draft=draft)
        return report
    from chiso.reports.charts import render_all

    pngs = render_all(report, "png")
    pdfs = [p for p in paths if Path(p).suffix.lower() == ".pdf"]
    others = [p for p in paths if Path(p).suffix.lower() != ".pdf"]
    if (
        pdfs
        and others
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1
    ):
        # WeasyPrint's layout is most of the time of a large bundle: lay the PDF out in a
        # second process while this one writes the DOCX and the workbook. Only from a process
        # of one thread (the command): a fork copies no other thread, and a lock one of them
        # held (a web server's, a driver's) would stay locked in the child for ever
        context = multiprocessing.get_context("fork")
        problems: Any = context.SimpleQueue()
        child = context.Process(
            target=_write_pdfs, args=(report, template, pdfs, pngs, draft, problems)
        )
        child.start()
        _write_others(framework, result, report, template, others, units, pngs, draft)
        child.join()
        if child.exitcode != 0:
            message = problems.get() if not problems.empty() else f"exit code {child.exitcode}"
            raise ReportError(f"{pdfs[0]}: the PDF could not be written ({message})")
    else:
        _write_others(framework, result, report, template, others, units, pngs, draft)
        _write_pdfs(report, template, pdfs, pngs, draft, None)
    return report


def _write_pdfs(
    report: Report,
    template: Template | None,
    paths: Sequence[str],
    pngs: dict[str, bytes],
    draft: bool,
    problems: Any,
) -> None:
    from chiso.reports.pdf import write_pdf

    assert template is not None
    try:
        for path in paths:
            write_pdf(report, template, path, charts=pngs, draft=draft)
    except Exception as error:
        if problems is None:
            raise
        problems.put(f"{type(error).__name__}: {error}")
        raise SystemExit(1) from None


def _write_others(
    framework: Framework,
    result: CycleResult,
    report: Report,
    template: Template | None,
    paths: Sequence[str],
    units: Sequence[UnitData],
    pngs: dict[str, bytes],
    draft: bool,
) -> None:
    for number, path in enumerate(paths):
        if number:
            # the document before left cycles (python-docx's, openpyxl's) that the command's
            # collector, turned off, would keep: a national DOCX then workbook peaked at 513 MB
            gc.collect()
        if Path(path).suffix.lower() == ".xlsx":
            from chiso.io.results import result_rows
            from chiso.io.unit_table import unit_rows
            from chiso.reports.xlsx import write_workbook

            write_workbook(
                report,
                path,
                data_rows=unit_rows(framework, units),
                result_rows=result_rows(framework, result, words=True),
                charts=pngs,
                draft=draft,
            )
        else:
            from chiso.reports.docx import write_docx

            assert template is not None
            write_docx(report, template, path, charts=pngs, draft=draft)


def _find_unit(result: CycleResult, name: str) -> UnitResult:
    key = normalize_name(name)
    for block in result.blocks:
        for candidate in block.units:
            if normalize_name(candidate.unit) == key:
                return candidate
    raise ReportError(f"no unit named {name!r} in the data")
