"""Benchmark: what the attacks of a probe of the web application cost now, beside a yardstick.

Each case runs in a fresh Python process that has set up Django (chiso.web.settings on a
throwaway SQLite file) and imported everything the request would import; it first calls the
same function on an ordinary input of the same kind (the yardstick: a real document, a usual
answer, a real framework, a real workbook), then on the attack, and reports for each call its
wall-clock time and how much the process's peak memory (ru_maxrss) grew.

The functions are the ones the requests call, with the request's own arguments:

* ``zip-bomb``: ``submissions.files.check_upload`` on a 900-byte OpenDocument file whose
  ``mimetype`` member unpacks to 1 GiB (bzip2), as an editor's evidence upload; and on a
  Word document whose part unpacks to 200 MB (deflate);
* ``exponent``: ``submissions.scoring.parse_answer`` of ``1e-200000000`` on criterion I of
  the demo province (points), as the API's ``PUT …/answers/<code>`` and the autosave;
* ``yaml-aliases``: ``cycles.services.check_framework`` on 471 bytes of nested aliases, as the
  framework upload in /admin/;
* ``sparse-workbook``: ``chiso.io.data.read_previous`` on a 5 KB workbook that claims
  A1:XFD1048576 and has a cell in its last row, as the previous-results import.

    .venv/bin/python benchmarks/input_limits.py [--workdir DIR]

The 1 GiB bzip2 member takes about 7 s of CPU to make; it is kept in ``--workdir`` (default:
a folder in the system's temporary directory) for the next run. docs/performance.md records
the figures.
"""

from __future__ import annotations

import argparse
import bz2
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))  # the attacks are the tests' (tests/attacks.py)

from tests.attacks import deflate_docx, nested_aliases, sparse_workbook, workbook  # noqa: E402

CASES = ("zip-bomb", "exponent", "yaml-aliases", "sparse-workbook")


def bzip2_bomb(folder: Path) -> Path:
    """An OpenDocument text whose ``mimetype`` member unpacks to 1 GiB of zeros."""
    path = folder / "bom.odt"
    if path.exists():
        return path
    compressor = bz2.BZ2Compressor(9)
    chunk = b"\0" * (1 << 24)
    packed = b"".join(compressor.compress(chunk) for _ in range(64)) + compressor.flush()
    info = zipfile.ZipInfo("mimetype")
    info.compress_type = zipfile.ZIP_BZIP2
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("content.xml", b"<x/>")
    # a member written by hand: zipfile would compress the GiB again to write it
    raw = _with_member(buffer.getvalue(), "mimetype", packed, 1 << 30, zipfile.ZIP_BZIP2)
    path.write_bytes(raw)
    return path


def _with_member(raw: bytes, name: str, packed: bytes, size: int, method: int) -> bytes:
    """``raw`` with one more member, already packed, whose unpacked size is ``size``."""
    import struct
    import zlib

    source = zipfile.ZipFile(io.BytesIO(raw))
    out = io.BytesIO()
    entries = []
    for item in source.infolist():
        data = source.read(item.filename)
        offset = out.tell()
        header = struct.pack(
            "<4sHHHHHIIIHH",
            b"PK\x03\x04",
            20,
            0,
            0,
            0,
            0,
            zlib.crc32(data),
            len(data),
            len(data),
            len(item.filename),
            0,
        )
        out.write(header + item.filename.encode() + data)
        entries.append((item.filename.encode(), 0, zlib.crc32(data), len(data), len(data), offset))
    offset = out.tell()
    crc = 0  # never checked: the member is refused before it is unpacked
    header = struct.pack(
        "<4sHHHHHIIIHH",
        b"PK\x03\x04",
        46,
        0,
        method,
        0,
        0,
        crc,
        len(packed),
        size,
        len(name),
        0,
    )
    out.write(header + name.encode() + packed)
    entries.append((name.encode(), method, crc, len(packed), size, offset))
    directory = out.tell()
    for filename, kind, check, packed_size, unpacked, at in entries:
        out.write(
            struct.pack(
                "<4sHHHHHHIIIHHHHHII",
                b"PK\x01\x02",
                46,
                46 if kind else 20,
                0,
                kind,
                0,
                0,
                check,
                packed_size,
                unpacked,
                len(filename),
                0,
                0,
                0,
                0,
                0,
                at,
            )
            + filename
        )
    end = out.tell()
    out.write(
        struct.pack(
            "<4sHHHHIIH",
            b"PK\x05\x06",
            0,
            0,
            len(entries),
            len(entries),
            end - directory,
            directory,
            0,
        )
    )
    return out.getvalue()


def previous_rows() -> list[list[object]]:
    header: list[object] = ["unit", "block", "year", "rank", "score"]
    return [header] + [[f"Sở {index}", "so", 2020, index + 1, 90 - index] for index in range(30)]


# --- one case, in its own process -------------------------------------------------------------


def run_case(case: str, folder: Path) -> dict[str, object]:
    import resource
    import time

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "chiso.web.settings")
    os.environ["CHISO_DATA_DIR"] = str(folder / "var")
    import django

    django.setup()
    from chiso.core import parse_framework, shipped_frameworks
    from chiso.io.data import read_previous
    from chiso.io.tables import DataError
    from chiso.web.cycles.services import check_framework
    from chiso.web.submissions.files import EVIDENCE_KINDS, FileRefused, check_upload
    from chiso.web.submissions.scoring import AnswerError, parse_answer

    framework_text = shipped_frameworks()["dti-922-2022"].read_text(encoding="utf-8")
    demo = parse_framework(shipped_frameworks()["binh-dinh-2021"].read_text(encoding="utf-8"))

    def upload(raw: bytes, name: str) -> str:
        try:
            return check_upload(io.BytesIO(raw), name, len(raw), kinds=EVIDENCE_KINDS).label
        except FileRefused as refused:
            return f"refused: {refused}"

    def answer(value: str) -> str:
        # criterion I of the demo province (points), as the probe's PUT …/answers/I
        try:
            return "accepted " + parse_answer(demo, "so", "I", value).value[:20]
        except AnswerError as refused:
            return f"refused: {refused}"

    def framework(text: str) -> str:
        return f"refused: {error}" if (error := check_framework(text, "khung.yaml")) else "valid"

    def previous(raw: bytes) -> str:
        path = folder / "truoc.xlsx"
        path.write_bytes(raw)
        try:
            return f"{len(read_previous([path]))} rows"
        except DataError as refused:
            return f"refused: {refused}"

    # (label, the input, the call): inputs are made before the clock starts
    calls: list[tuple[str, object, object]]
    if case == "zip-bomb":
        bomb = bzip2_bomb(folder).read_bytes()
        calls = [
            ("yardstick: a 1 MB Word document", (deflate_docx(1, zeros=False), "a.docx"), upload),
            (f"attack: {len(bomb)}-byte .odt, 1 GiB bzip2 member", (bomb, "bom.odt"), upload),
            (
                "attack: .docx unpacking to 200 MB",
                (deflate_docx(200, zeros=True), "b.docx"),
                upload,
            ),
        ]
    elif case == "exponent":
        calls = [
            ("yardstick: 12,5", ("12,5",), answer),
            ("attack: 1e-200000000", ("1e-200000000",), answer),
        ]
    elif case == "yaml-aliases":
        calls = [
            ("yardstick: the national DTI framework", (framework_text,), framework),
            ("attack: nested aliases", (nested_aliases(),), framework),
        ]
    else:
        calls = [
            ("yardstick: 31 rows", (workbook(previous_rows()),), previous),
            ("attack: A1:XFD1048576", (sparse_workbook(previous_rows()),), previous),
        ]
    results = []
    for label, arguments, call in calls:
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        start = time.perf_counter()
        outcome = call(*arguments)  # type: ignore[operator]
        seconds = time.perf_counter() - start
        grown = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before
        results.append(
            {
                "call": label,
                "seconds": seconds,
                "peak_growth_mb": grown / 1024,
                "outcome": outcome[:110],
            }
        )
    return {"case": case, "results": results}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--workdir", type=Path)
    parser.add_argument("--case", choices=CASES, help=argparse.SUPPRESS)
    args = parser.parse_args()
    folder = args.workdir or Path(tempfile.gettempdir()) / "chiso-input-limits"
    folder.mkdir(parents=True, exist_ok=True)
    if args.case:
        print(json.dumps(run_case(args.case, folder)))
        return
    bzip2_bomb(folder)  # made once, outside the measured processes
    print(
        f"python {platform.python_version()}, {platform.machine()}, load {os.getloadavg()[0]:.2f}"
    )
    print(f"{'call':52} {'time':>8} {'memory':>9}  outcome")
    for case in CASES:
        done = subprocess.run(
            [sys.executable, __file__, "--case", case, "--workdir", str(folder)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        for result in json.loads(done.stdout.strip().splitlines()[-1])["results"]:
            print(
                f"{result['call']:52} {result['seconds']:7.3f}s {result['peak_growth_mb']:6.1f} MB"
                f"  {result['outcome']}"
            )


if __name__ == "__main__":
    main()
