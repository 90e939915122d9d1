"""Benchmark: each publication document of a national cycle, alone and together.

Generates the national cycle of ``benchmarks/score_national.py`` (seed 20250601: 4,000 units in
3 blocks, 150 criteria, three earlier years; ``--units`` scales it) and runs, each as a child
process from the work directory::

    chiso score  -f framework.yaml -d units.csv -p p1.csv -p p2.csv -p p3.csv -o result.json
    chiso report -f framework.yaml -d units.csv -p p1.csv -p p2.csv -p p3.csv -o ket-qua.xlsx
    chiso report ... --out ket-qua.pdf
    chiso report ... --out ket-qua.docx
    chiso report ... --out ket-qua.docx --out ket-qua.pdf --out ket-qua.xlsx

The first, the scoring alone, is the yardstick: what every document's command pays before it
writes anything (reading, scoring, ranking), in the same run on the same machine. Each command
is measured alone (os.wait4): CPU time (user + system, of the command and of the PDF's second
process, which it waits for), wall clock and peak resident memory of its largest process
(ru_maxrss). Every output is opened and checked (the DOCX's tables, the PDF's first page, the
workbook's raw-data rows), so a broken run cannot report a time.

The command is ``python -m chiso.cli`` of the interpreter running this script, so that the
tree on ``PYTHONPATH`` is the one measured (before/after: run it once with each tree)::

    PYTHONPATH=src .venv/bin/python benchmarks/report_national.py [--runs 1] [--units 4000]

docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
from pathlib import Path

import score_national  # the national cycle's generator (benchmarks/ is on sys.path)
from score_national import BrokenRun, Run, run_command

TARGET_CPU = 60.0  # seconds of CPU, the three documents of the 4,000-unit cycle together
TARGET_MEMORY_MB = 500  # peak resident memory of any one process
JOBS = {
    "score (yardstick)": (),
    "XLSX": ("ket-qua.xlsx",),
    "PDF": ("ket-qua.pdf",),
    "DOCX": ("ket-qua.docx",),
    "DOCX + PDF + XLSX": ("ket-qua.docx", "ket-qua.pdf", "ket-qua.xlsx"),
}


def command(outputs: tuple[str, ...]) -> list[str]:
    args = score_national.score_args()
    if outputs:
        args = ["report", *args[1 : args.index("--format")]]
        for name in outputs:
            args += ["--out", name]
    return [sys.executable, "-m", "chiso.cli", *args]


def check(workdir: Path, outputs: tuple[str, ...], cycle: score_national.Cycle) -> str:
    """Open each output; a short summary of what it holds."""
    found = []
    for name in outputs:
        path = workdir / name
        size = f"{path.stat().st_size / 1024 / 1024:.1f} MiB"
        if name.endswith(".docx"):
            import docx

            tables = len(docx.Document(str(path)).tables)
            if tables < 2 + 1 + len(cycle.per_block):
                raise BrokenRun(f"the DOCX has {tables} tables")
            found.append(f"DOCX {size}, {tables} tables")
        elif name.endswith(".pdf"):
            from pypdf import PdfReader

            reader = PdfReader(path)
            if "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" not in reader.pages[0].extract_text():
                raise BrokenRun("the PDF's first page has no national motto")
            found.append(f"PDF {size}, {len(reader.pages)} pages")
        else:
            from openpyxl import load_workbook

            workbook = load_workbook(path, read_only=True)
            rows = sum(1 for _ in workbook["Dữ liệu"].iter_rows(values_only=True)) - 1
            sheets = len(workbook.sheetnames)
            workbook.close()
            if rows != cycle.units:
                raise BrokenRun(f"the workbook has {rows} raw-data rows")
            found.append(f"XLSX {size}, {sheets} sheets")
    return "; ".join(found) or "result.json"


def measure(workdir: Path, cycle: score_national.Cycle, runs: int) -> dict[str, list[Run]]:
    measured: dict[str, list[Run]] = {name: [] for name in JOBS}
    for index in range(runs):
        for name, outputs in JOBS.items():
            for output in outputs:
                (workdir / output).unlink(missing_ok=True)
            run = run_command(command(outputs), workdir)
            summary = check(workdir, outputs, cycle)
            measured[name].append(run)
            print(
                f"run {index + 1}/{runs} {name:<18} {run.cpu:6.1f} s CPU {run.wall:6.1f} s wall"
                f" {run.memory_mb:6.0f} MB peak — {summary}",
                flush=True,
            )
    return measured


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", "-n", type=int, default=1, help="runs of each command")
    parser.add_argument("--units", type=int, default=4000, help="units of the cycle")
    parser.add_argument("--workdir", type=Path, help="keep the files here")
    args = parser.parse_args(argv)
    print(f"machine:   {score_national.machine()}, load average {os.getloadavg()[0]:.1f}")
    with tempfile.TemporaryDirectory(prefix="chiso-report-national-") as folder:
        workdir = args.workdir or Path(folder)
        workdir.mkdir(parents=True, exist_ok=True)
        cycle = score_national.generate(workdir, args.units)
        print(f"cycle:     {cycle.units} units {cycle.per_block}, {cycle.leaves} criteria")
        print(f"command:   cd {workdir} && {' '.join(command(JOBS['DOCX + PDF + XLSX']))}")
        try:
            measured = measure(workdir, cycle, args.runs)
        except BrokenRun as error:
            print(f"report_national: BROKEN RUN, no timing reported: {error}", file=sys.stderr)
            return 1
    print(f"\n{'command':<18} {'CPU s':>7} {'wall s':>7} {'peak MB':>8}  (medians of {args.runs})")
    for name, runs in measured.items():
        cpu = statistics.median(r.cpu for r in runs)
        wall = statistics.median(r.wall for r in runs)
        memory = statistics.median(r.memory_mb for r in runs)
        print(f"{name:<18} {cpu:7.1f} {wall:7.1f} {memory:8.0f}")
    bundle = measured["DOCX + PDF + XLSX"]
    cpu = statistics.median(r.cpu for r in bundle)
    memory = max(r.memory_mb for name in JOBS for r in measured[name])
    print(
        f"targets at 4,000 units: the three documents ≤ {TARGET_CPU:.0f} s of CPU"
        f" ({'met' if cpu <= TARGET_CPU else 'NOT met'}: {cpu:.1f} s),"
        f" ≤ {TARGET_MEMORY_MB} MB per process"
        f" ({'met' if memory <= TARGET_MEMORY_MB else 'NOT met'}: {memory:.0f} MB)"
    )
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
