"""The ``chiso`` command: validate a framework, score a cycle, audit a published table."""

from __future__ import annotations

import argparse
import atexit
import gc
import os
import stat
import sys
import tempfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

from chiso import __version__

# chiso uses no pydantic plugins. Without this, pydantic looks for them in the entry points of
# every installed package when chiso.core builds its first model (≈ 5 ms of every command):
# PYDANTIC_DISABLE_PLUGINS is pydantic's documented switch; a value set by the user wins.
os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
# numpy's OpenBLAS starts a thread per core when numpy is imported (≈ 30 ms of CPU on two
# cores, more on more) for matrix products that a command never makes large enough to share
# out: one thread. A value set by the user wins.
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

from chiso.core import Framework, FrameworkError, load_framework

if TYPE_CHECKING:
    from chiso.core import CycleResult
    from chiso.core.robustness import Robustness
    from chiso.reports.crosswalk import YearComparison

__all__ = ["console", "main", "run"]

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2
EXIT_BROKEN_PIPE = 1
"""A closed output (``chiso … | head``): 1 as Python's documentation advises for SIGPIPE;
the same as the audit's findings (docs/cli.md says so)."""


class _Parser(argparse.ArgumentParser):
    """argparse with exit code 2 and one line on a usage error (as for any bad input)."""

    def error(self, message: str) -> None:  # type: ignore[override]
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see --help)\n")


def _formatter(prog: str) -> argparse.HelpFormatter:
    return argparse.RawDescriptionHelpFormatter(prog, max_help_position=32)


def build_parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="chiso",
        description="Score and rank the yearly digital-government assessment of state agencies.",
        epilog="Examples:\n"
        "  chiso validate binh-dinh-2021\n"
        "  chiso score --framework binh-dinh-2021 --data units.csv --format table\n"
        "  chiso audit --framework binh-dinh-2021 --table bang-1.csv\n"
        "  chiso report --framework binh-dinh-2021 --data units.csv --out ket-qua.docx\n\n"
        "A framework is a YAML file or the id of a shipped one (see `chiso validate --list`).\n"
        "Documentation: docs/cli.md and docs/frameworks.md.",
        formatter_class=_formatter,
    )
    parser.add_argument("--version", action="version", version=f"chiso {__version__}")
    commands = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=_Parser)

    validate = commands.add_parser(
        "validate",
        help="check a framework file",
        description="Check a framework file and print its blocks and maximum points.",
        epilog="Examples:\n  chiso validate my-province-2026.yaml\n  chiso validate --list",
        formatter_class=_formatter,
    )
    validate.add_argument(
        "framework", nargs="?", help="framework file (.yaml or .xlsx workbook) or shipped id"
    )
    validate.add_argument("--list", action="store_true", help="list the shipped frameworks")
    validate.add_argument(
        "--lang",
        choices=["en", "vi"],
        help="language of the framework's errors (default: vi when LANG is Vietnamese, else en)",
    )

    convert = commands.add_parser(
        "convert",
        help="write a framework file as a workbook, or a workbook as a framework file",
        description="Write a framework file (YAML) as a framework workbook (XLSX), or read a\n"
        "framework workbook and write its framework file; the direction follows OUT's suffix.\n"
        "The framework is checked first, as `chiso validate` checks it.",
        epilog="Examples:\n"
        "  chiso convert binh-dinh-2021 -o binh-dinh-2021.xlsx\n"
        "  chiso convert my-province-2026.xlsx -o my-province-2026.yaml",
        formatter_class=_formatter,
    )
    convert.add_argument("framework", help="framework file (.yaml or .xlsx) or shipped id")
    convert.add_argument("--out", "-o", required=True, help="the file to write: .xlsx or .yaml")
    convert.add_argument("--lang", choices=["en", "vi"], help="language of the errors")

    score = commands.add_parser(
        "score",
        help="score and rank units from a data file",
        description="Compute totals, percentages, tiers, ranks, changes and statistics.",
        epilog="Examples:\n"
        "  chiso score --framework binh-dinh-2021 --data units-2021.csv\n"
        "  chiso score --framework son-la-2020 --data units.xlsx --previous results-2019.csv \\\n"
        "              --format json --out results-2020.json\n\n"
        "DATA: one row per unit with columns unit, block, optional status (voluntary, no_data),\n"
        "optional not_applicable (codes), and one column per criterion or group code.\n"
        "PREVIOUS: unit, block, year, rank, score, optional percent (or index) and tier; the csv\n"
        "output of one year is the previous file of the next (--strict: stop at a row whose unit\n"
        "is not in DATA, instead of a warning).",
        formatter_class=_formatter,
    )
    _input_options(score)
    _previous_options(score)
    score.add_argument("--format", choices=["table", "csv", "json", "xlsx"], default="table")
    score.add_argument("--out", "-o", help="write to this file instead of the screen")
    _lineage_options(score)
    _robustness_options(
        score,
        "add each unit's range of possible ranks (rounding, weights) to the JSON, or to "
        "the table's ranks: 10 (10–12)",
    )

    audit = commands.add_parser(
        "audit",
        help="check a published table for inconsistencies",
        description="Check components against totals, percentages, tiers, ranks, order and\n"
        "year-over-year columns of published tables; list every inconsistency.\n"
        "Exit code 1 when there is any, 0 when there is none.",
        epilog="Examples:\n"
        "  chiso audit --framework binh-dinh-2021 --table bang-1.csv\n"
        "  chiso audit --framework binh-dinh-2021 --table bang-1.csv \\\n"
        "              --table II.a=bang-1-2a.csv --table II.b=bang-1-2b.csv\n\n"
        "A table given as CODE=FILE is the table of one group: its score, percent, tier and\n"
        "rank columns are that group's, its criterion columns that group's parts.",
        formatter_class=_formatter,
    )
    audit.add_argument("--framework", "-f", required=True, help="framework file or shipped id")
    audit.add_argument(
        "--table", "-t", action="append", required=True, help="[GROUP=]FILE (repeatable)"
    )
    audit.add_argument(
        "--year",
        "-y",
        type=int,
        help="the year the tables assess: rank_YEAR of that year is their own rank (default: "
        "the framework's year; a framework may serve several years)",
    )
    audit.add_argument("--format", choices=["table", "csv", "json"], default="table")
    audit.add_argument("--encoding", help="encoding of CSV input that is not UTF-8, e.g. cp1258")

    overclaim = commands.add_parser(
        "overclaim",
        help="compare self-assessed with verified points",
        description="The over-claim report: each unit's self-assessed and verified points, per\n"
        "criterion, group and block, and the criteria with the largest gaps.",
        epilog="Example:\n"
        "  chiso overclaim --framework binh-dinh-2021 --data verified.csv --self self.csv\n\n"
        "DATA holds the verified answers, SELF the units' own, both in the format of\n"
        "chiso score's data file; a difference is self-assessed minus verified.",
        formatter_class=_formatter,
    )
    _input_options(overclaim, data="verified answers, .csv or .xlsx")
    overclaim.add_argument(
        "--self", "-s", required=True, dest="claimed", help="self-assessed answers"
    )
    overclaim.add_argument("--format", choices=["table", "csv", "json"], default="table")
    overclaim.add_argument("--out", "-o", help="write to this file instead of the screen")

    compare = commands.add_parser(
        "compare",
        help="compare criteria with an earlier year scored on another framework",
        description="Each unit's criteria and groups this year against the earlier year, as\n"
        "percentages of their maxima, through a crosswalk of the two frameworks' codes.",
        epilog="Example:\n"
        "  chiso compare --framework dti-2022 --data units-2022.csv \\\n"
        "                --earlier-framework dti-2021 --earlier-data units-2021.csv \\\n"
        "                --crosswalk dti-2021-2022.csv\n\n"
        "CROSSWALK: code, earlier_code (one row per correspondence; several rows for one\n"
        "code add up; an empty earlier_code: new; an empty code: dropped). A code of both\n"
        "frameworks that the file does not name continues itself.",
        formatter_class=_formatter,
    )
    _input_options(compare, framework="this year's framework", data="this year's unit data")
    compare.add_argument("--earlier-framework", required=True, help="the earlier framework")
    compare.add_argument("--earlier-data", required=True, help="the earlier year's unit data")
    compare.add_argument(
        "--earlier-year", type=int, help="the earlier year (default: its framework's year)"
    )
    compare.add_argument("--crosswalk", "-x", help="codes of this year against the earlier")
    _lineage_options(compare)
    compare.add_argument("--format", choices=["table", "json"], default="table")
    compare.add_argument("--out", "-o", help="write to this file instead of the screen")

    report = commands.add_parser(
        "report",
        help="write the publication: decision and results (.docx, .pdf), workbook (.xlsx)",
        description="Write the decision with its results appendix (.docx, .pdf: Decree\n"
        "30/2020 layout, ranking tables, charts, narrative), the workbook (.xlsx: one sheet per\n"
        "table, statistics, charts, results and raw data), or one unit's scorecard (.pdf).\n"
        "The wording of the decision comes from a template (docs/reports.md).",
        epilog="Examples:\n"
        "  chiso report --framework binh-dinh-2021 --data units-2021.csv \\\n"
        "               --previous results-2020.csv --out ket-qua-2021.docx\n"
        "  chiso report -f binh-dinh-2021 -d units-2021.csv -o ket-qua.pdf -o ket-qua.xlsx \\\n"
        "               --template my-province.yaml --draft\n"
        "  chiso report -f binh-dinh-2021 -d units-2021.csv --unit 'Sở Y tế' -o so-y-te.pdf\n\n"
        "DATA and PREVIOUS as for `chiso score`. TEMPLATE: a YAML file or a shipped template\n"
        "(binh-dinh-2021, generic); by default the one named after the framework, else generic.",
        formatter_class=_formatter,
    )
    _input_options(report)
    _previous_options(report)
    report.add_argument(
        "--out",
        "-o",
        action="append",
        required=True,
        help="FILE.docx, FILE.pdf or FILE.xlsx (repeatable)",
    )
    report.add_argument("--template", "-t", help="wording of the decision: YAML file or name")
    report.add_argument("--draft", action="store_true", help="mark every page as a draft")
    report.add_argument("--unit", "-u", help="write this unit's one-page scorecard (.pdf)")
    _lineage_options(report)
    _robustness_options(
        report,
        "add each unit's range of possible ranks beside its rank in the overall tables, "
        "with a note of the method",
    )
    report.add_argument(
        "--crosswalk",
        "-x",
        help="compare each group with --earlier-data through this crosswalk of the codes",
    )
    report.add_argument("--earlier-framework", help="the earlier year's framework (--crosswalk)")
    report.add_argument("--earlier-data", help="the earlier year's unit data (--crosswalk)")
    report.add_argument(
        "--earlier-year",
        type=int,
        help="the earlier year (--crosswalk; default: the earlier framework's year)",
    )
    report.add_argument(
        "--overclaim",
        action="store_true",
        help="add per block a table of each unit's self-assessed (--self) and verified (DATA) "
        "totals and their difference, largest first",
    )

    commands.add_parser(
        "demo",
        help="show chiso on the demo data",
        description="Validate, score and audit the shipped Bình Định 2021 example.",
        epilog="Example:\n  chiso demo",
        formatter_class=_formatter,
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; its exit code. A reader that stops reading (``chiso … | head``) ends
    the command quietly, with exit code 1, as Python's documentation advises for SIGPIPE."""
    try:
        try:
            return run(argv)
        finally:
            sys.stdout.flush()  # here, where a closed pipe can still be met quietly
    except BrokenPipeError:
        # whatever is still buffered for stdout could not be written at exit either
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, sys.stdout.fileno())
        except (OSError, ValueError):
            pass  # a stdout without a file descriptor (captured by a test)
        return EXIT_BROKEN_PIPE


def console() -> NoReturn:
    """The installed ``chiso`` command: :func:`main`, then the process ends as soon as its
    output is out. A report's command has a few hundred thousand objects and a thousand
    modules at its end; freeing them one by one, as an interpreter's shutdown does, would
    add a tenth to its time (0.3 s of the demo's 3 s) for memory the system frees at once.
    The exit handlers still run, and every file the command writes is closed before it ends."""
    code = main()
    atexit._run_exitfuncs()
    if "logging" in sys.modules:  # its handlers' buffers
        sys.modules["logging"].shutdown()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            code = code or EXIT_BROKEN_PIPE
    os._exit(code)


def run(argv: Sequence[str] | None = None) -> int:
    """:func:`main` without its care for a closed output: for the demo, which runs several
    commands and must stop at the first closed output as one command."""
    # a one-shot command that builds many small objects and frees them at exit: the cyclic
    # garbage collector only costs time here (about 10 % of a national cycle)
    gc.disable()
    parser = build_parser()
    args = parser.parse_args(argv)
    if args.command is None:
        parser.print_help()
        return EXIT_BAD_INPUT
    from chiso.io.tables import DataError

    bad_input: tuple[type[Exception], ...] = (DataError,)
    if args.command == "report":  # the reports' modules take longer to import than the rest
        from chiso.reports.bundle import ReportError

        bad_input += (ReportError,)
    try:
        handler = {
            "validate": _validate,
            "convert": _convert,
            "score": _score,
            "audit": _audit,
            "report": _report,
            "overclaim": _overclaim,
            "compare": _compare,
            "demo": _demo,
        }
        return handler[args.command](args)
    except FrameworkError as error:
        print(f"chiso: error: {error.in_language(_language(args))}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except bad_input as error:
        print(f"chiso: error: {error}", file=sys.stderr)
        return EXIT_BAD_INPUT
    except BrokenPipeError:
        raise  # stdout closed by its reader: main ends quietly
    except OSError as error:
        print(f"chiso: error: {error.filename or ''}: {error.strerror}", file=sys.stderr)
        return EXIT_BAD_INPUT


def _validate(args: argparse.Namespace) -> int:
    from chiso.core import shipped_frameworks

    if args.list or args.framework is None:
        for name, path in sorted(shipped_frameworks().items()):
            framework = load_framework(path)
            print(f"{name:20} {framework.name}")
        return EXIT_OK
    framework = _load_framework(args.framework)
    print(f"{args.framework}: valid — {framework.id}, {framework.name} ({framework.year})")
    for block in framework.blocks:
        maxima = framework.max_for(block.code)
        groups = ", ".join(
            f"{root.code} {maxima[root.code]}" for root in framework.criteria if root.code in maxima
        )
        leaves = sum(1 for code in maxima if framework.node(code).is_leaf)
        print(
            f"  {block.code}: {block.name} — {framework.total_max(block.code)} points,"
            f" {leaves} criteria ({groups})"
        )
    return EXIT_OK


def _language(args: argparse.Namespace) -> str:
    """The language of a framework's errors: ``--lang``, else Vietnamese when the locale
    (LANGUAGE, LC_ALL, LC_MESSAGES, LANG, the first one set) is, else English."""
    chosen: str | None = getattr(args, "lang", None)
    if chosen:
        return chosen
    for name in ("LANGUAGE", "LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "vi" if value.lower().startswith("vi") else "en"
    return "en"


def _overclaim(args: argparse.Namespace) -> int:
    from chiso.core.overclaim import overclaim
    from chiso.io.data import score_files
    from chiso.io.overclaim import overclaim_csv, overclaim_json, overclaim_text

    framework = _load_framework(args.framework)
    verified = score_files(framework, args.data, encoding=args.encoding, year=args.year)
    claimed = score_files(framework, args.claimed, encoding=args.encoding, year=args.year)
    report = overclaim(framework, claimed, verified)
    if args.format == "json":
        text = overclaim_json(report) + "\n"
    elif args.format == "csv":
        text = overclaim_csv(report)
    else:
        text = overclaim_text(framework, report)
    _emit([text], args.out)
    return EXIT_OK


def _compare(args: argparse.Namespace) -> int:
    from chiso.core.crosswalk import build_crosswalk, compare_years, earlier_results
    from chiso.core.lineage import MergePolicy
    from chiso.core.tiers import normalize_name
    from chiso.io.compare import comparison_json, comparison_text
    from chiso.io.crosswalk import read_crosswalk
    from chiso.io.data import score_files
    from chiso.io.lineage import check_lineage, read_lineage
    from chiso.reports.labels import carried_note

    framework = _load_framework(args.framework)
    earlier = _load_framework(args.earlier_framework)
    crosswalk = (
        read_crosswalk(args.crosswalk, framework, earlier, args.encoding)
        if args.crosswalk
        else build_crosswalk(framework, earlier, [])
    )
    result = score_files(framework, args.data, encoding=args.encoding, year=args.year)
    before = score_files(earlier, args.earlier_data, encoding=args.encoding, year=args.earlier_year)
    lineage = None
    if args.lineage:
        links = read_lineage(args.lineage, args.encoding, MergePolicy(args.merge_policy))
        check_lineage(links)
        lineage = links.lineage
    found = compare_years(crosswalk, result, before, lineage)
    chosen, left = earlier_results(result, before, lineage) if lineage else ({}, [])
    carried = {
        unit.unit: how.carried
        for block in result.blocks
        for unit in block.units
        if (how := chosen.get(normalize_name(unit.unit))) is not None and how.carried is not None
    }
    if args.format == "json":
        text = comparison_json(crosswalk, found, carried, left) + "\n"
    else:
        notes = {unit: carried_note(how) for unit, how in carried.items()}
        text = comparison_text(framework, result, before, crosswalk, found, notes, left)
    _emit([text], args.out)
    return EXIT_OK


def _robustness(
    framework: Framework, result: CycleResult, args: argparse.Namespace
) -> Robustness | None:
    """The rank ranges of ``--robustness``; None after an error message on a bad option."""
    from decimal import Decimal, InvalidOperation

    from chiso.core.robustness import Perturbation, robustness

    try:
        spread = Decimal(args.spread.replace(",", "."))
    except InvalidOperation:
        spread = Decimal(-1)
    if not (spread.is_finite() and 0 <= spread < 1 and spread == round(spread, 3)):
        print(
            f"chiso: error: --spread: {args.spread!r} is not a number from 0 to 0.999 "
            "(at most 3 decimals)",
            file=sys.stderr,
        )
        return None
    if not 1 <= args.draws <= 100_000:
        print("chiso: error: --draws: give 1 to 100000 draws", file=sys.stderr)
        return None
    disputed = None
    if args.claimed:
        from chiso.core import score
        from chiso.core.robustness import disputed_units
        from chiso.io.data import read_units

        claimed = read_units(framework, args.claimed, args.encoding).units
        verified = read_units(framework, args.data, args.encoding).units
        year = result.year
        low, high = disputed_units(claimed, verified, score(framework, claimed, year=year), result)
        disputed = (score(framework, low, year=year), score(framework, high, year=year))
    return robustness(framework, result, Perturbation(args.draws, spread, args.seed), disputed)


def _robustness_options(command: argparse.ArgumentParser, what: str) -> None:
    command.add_argument("--robustness", action="store_true", help=what)
    command.add_argument(
        "--draws", type=int, default=1000, help="weight perturbations of --robustness"
    )
    command.add_argument(
        "--spread",
        default="0.2",
        help="each group's weight drawn within 1 ± SPREAD (--robustness; default 0.2)",
    )
    command.add_argument("--seed", type=int, default=1, help="of the draws (--robustness)")
    command.add_argument(
        "--self",
        dest="claimed",
        help="the units' self-assessed answers (DATA: the verified ones): --robustness adds "
        "the ranks each unit could have as the answers that differ go either way",
    )


def _input_options(
    command: argparse.ArgumentParser,
    *,
    framework: str = "framework file or shipped id",
    data: str = "unit data, .csv or .xlsx",
) -> None:
    """--framework, --data, --year and --encoding: what every command that reads unit data
    reads."""
    command.add_argument("--framework", "-f", required=True, help=framework)
    command.add_argument("--data", "-d", required=True, help=data)
    command.add_argument(
        "--year",
        "-y",
        type=int,
        help="the year assessed, which the results carry (default: the framework's year; "
        "a framework may serve several years)",
    )
    command.add_argument("--encoding", help="encoding of CSV input that is not UTF-8, e.g. cp1258")


def _previous_options(command: argparse.ArgumentParser) -> None:
    """--previous and --strict: the earlier years' results, for score and report."""
    command.add_argument(
        "--previous", "-p", action="append", default=[], help="earlier results (repeatable)"
    )
    command.add_argument(
        "--strict",
        action="store_true",
        help="stop (exit 2) at an earlier result of a unit that is not in DATA",
    )


def _lineage_options(command: argparse.ArgumentParser) -> None:
    command.add_argument(
        "--lineage",
        "-l",
        help="units renamed, merged or split since the earlier years: year, unit, "
        "earlier_unit, optional weight (.csv or .xlsx)",
    )
    command.add_argument(
        "--merge-policy",
        choices=["best", "mean", "largest"],
        default="best",
        help="a merged unit's earlier result: its predecessors' best (default), their mean, "
        "or the largest's (by weight)",
    )


def _load_framework(name: str) -> Framework:
    """A framework file, a framework workbook (.xlsx) or a shipped framework by its id."""
    if Path(name).suffix.lower() != ".xlsx":
        return load_framework(name)
    from chiso.core import parse_framework
    from chiso.io.framework_workbook import workbook_to_yaml

    path = Path(name)
    return parse_framework(workbook_to_yaml(path.read_bytes(), str(path)), str(path))


def _convert(args: argparse.Namespace) -> int:
    from chiso.core.loader import shipped_frameworks
    from chiso.io.framework_workbook import workbook_to_yaml, yaml_to_workbook

    source, out = Path(args.framework), Path(args.out)
    if not source.is_file() and args.framework in shipped_frameworks():
        source = shipped_frameworks()[args.framework]
    if out.suffix.lower() == ".xlsx":
        if source.suffix.lower() == ".xlsx":
            raise FrameworkError(str(source), "is a workbook already: write it as .yaml")
        load_framework(source)  # its problems, read as a framework file
        content = yaml_to_workbook(source.read_text(encoding="utf-8-sig"), str(source))
    elif out.suffix.lower() in (".yaml", ".yml"):
        content = workbook_to_yaml(source.read_bytes(), str(source)).encode()
    else:
        raise FrameworkError(str(out), "write the framework as .xlsx or .yaml")
    out.write_bytes(content)
    print(f"{out}: written from {source}")
    return EXIT_OK


def _score(args: argparse.Namespace) -> int:
    from chiso.core.lineage import MergePolicy
    from chiso.io.data import score_files
    from chiso.io.results import json_chunks, result_rows, write_csv, write_xlsx

    if args.claimed and not args.robustness:
        print("chiso: error: --self goes with --robustness", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.robustness and args.format not in ("json", "table"):
        print("chiso: error: --robustness goes with --format json or table", file=sys.stderr)
        return EXIT_BAD_INPUT
    framework = _load_framework(args.framework)
    result = score_files(
        framework,
        args.data,
        args.previous,
        args.encoding,
        strict=args.strict,
        warn=_warn,
        lineage=args.lineage,
        policy=MergePolicy(args.merge_policy),
        year=args.year,
    )
    found = _robustness(framework, result, args) if args.robustness else None
    if args.robustness and found is None:
        return EXIT_BAD_INPUT
    if args.format == "xlsx":
        if not args.out:
            print("chiso: error: --format xlsx needs --out FILE.xlsx", file=sys.stderr)
            return EXIT_BAD_INPUT
        write_xlsx(result_rows(framework, result, words=True), args.out)
        return EXIT_OK
    if args.format == "json":
        # written a unit at a time: a nation's document is some 8 MB
        _emit(json_chunks(framework, result, found), args.out, end="\n")
        return EXIT_OK
    if args.format == "csv":
        text = write_csv(result_rows(framework, result))
    else:
        from chiso.reports.text import render_tables  # only for tables: an import costs

        text = render_tables(framework, result, found)
    _emit([text], args.out)
    return EXIT_OK


def _audit(args: argparse.Namespace) -> int:
    from chiso.core.audit import audit_tables, table_checks
    from chiso.io.audit import read_tables, render_findings

    framework = _load_framework(args.framework)
    tables = read_tables(framework, args.table, args.encoding, args.year)
    findings = audit_tables(framework, tables, year=args.year)
    checks = [table_checks(framework, table) for table in tables]
    _emit([render_findings(findings, args.format, checks)], None)
    return EXIT_FINDINGS if findings else EXIT_OK


def _report(args: argparse.Namespace) -> int:
    from chiso.core.lineage import MergePolicy
    from chiso.io.data import read_units, score_files
    from chiso.reports.bundle import check_outputs, write_outputs
    from chiso.reports.data import build_report
    from chiso.reports.template import load_template

    if args.claimed and not (args.robustness or args.overclaim):
        print("chiso: error: --self goes with --robustness or --overclaim", file=sys.stderr)
        return EXIT_BAD_INPUT
    if args.overclaim and not args.claimed:
        print("chiso: error: --overclaim needs --self (the self-assessed answers)", file=sys.stderr)
        return EXIT_BAD_INPUT
    given = [bool(args.crosswalk), bool(args.earlier_framework), bool(args.earlier_data)]
    if any(given) and not all(given):
        print(
            "chiso: error: --crosswalk, --earlier-framework and --earlier-data go together",
            file=sys.stderr,
        )
        return EXIT_BAD_INPUT
    check_outputs(args.out, args.unit)
    framework = _load_framework(args.framework)
    template = load_template(args.template, framework.id)
    unit_file = read_units(framework, args.data, args.encoding)  # read once: scored and kept
    result = score_files(
        framework,
        args.data,
        args.previous,
        args.encoding,
        strict=args.strict,
        warn=_warn,
        lineage=args.lineage,
        policy=MergePolicy(args.merge_policy),
        year=args.year,
        unit_file=unit_file,
    )
    units = unit_file.units
    found = _robustness(framework, result, args) if args.robustness else None
    if args.robustness and found is None:
        return EXIT_BAD_INPUT
    comparison = _year_comparison(framework, result, args)
    gaps = None
    if args.overclaim:
        from chiso.core.overclaim import overclaim

        claimed = score_files(framework, args.claimed, encoding=args.encoding, year=result.year)
        gaps = overclaim(framework, claimed, result)
    write_outputs(
        framework,
        result,
        args.out,
        template=template,
        units=units,
        draft=args.draft,
        unit=args.unit,
        report=None
        if args.unit
        else build_report(
            framework, result, robustness=found, comparison=comparison, overclaim=gaps
        ),
    )
    return EXIT_OK


def _year_comparison(
    framework: Framework, result: CycleResult, args: argparse.Namespace
) -> YearComparison | None:
    """The groups against the earlier year of ``--crosswalk``; None without it."""
    if not args.crosswalk:
        return None
    from chiso.io.crosswalk import read_crosswalk
    from chiso.io.data import score_files
    from chiso.reports.crosswalk import year_comparison

    earlier = _load_framework(args.earlier_framework)
    crosswalk = read_crosswalk(args.crosswalk, framework, earlier, args.encoding)
    before = score_files(earlier, args.earlier_data, encoding=args.encoding, year=args.earlier_year)
    return year_comparison(crosswalk, result, before, earlier, framework)


def _demo(args: argparse.Namespace) -> int:
    from chiso.demo import run_demo

    return run_demo(run)


def _warn(message: str) -> None:
    print(f"chiso: warning: {message}", file=sys.stderr)


def _emit(chunks: Iterable[str], out: str | None, end: str = "") -> None:
    """Write ``chunks`` then ``end`` to the file ``out``, or to the screen. A file is written
    beside its place and put there whole: a run that fails half-way leaves the file that was
    there (last year's results) as it was."""
    if not out:
        sys.stdout.writelines(chunks)
        sys.stdout.write(end)
        return
    path = Path(out)
    if path.exists() and not path.is_file():  # a device (/dev/stdout), a pipe, a folder
        with open(path, "w", encoding="utf-8") as file:
            file.writelines(chunks)
            file.write(end)
        return
    try:
        part = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed below, then moved)
            "w", encoding="utf-8", dir=path.parent, prefix=f".{path.name}.", delete=False
        )
    except OSError as error:  # the folder is missing or read-only: say so of the file asked for
        raise type(error)(error.errno, error.strerror, out) from None
    try:
        with part:
            part.writelines(chunks)
            part.write(end)
        os.chmod(part.name, _new_file_mode(path))
        os.replace(part.name, path)
    except BaseException:
        Path(part.name).unlink(missing_ok=True)
        raise


def _new_file_mode(path: Path) -> int:
    """The permissions of the file replaced, or those a new file gets (the umask's)."""
    try:
        return stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        umask = os.umask(0)
        os.umask(umask)
        return 0o666 & ~umask


if __name__ == "__main__":
    console()
