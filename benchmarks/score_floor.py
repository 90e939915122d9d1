"""The floor of the national benchmark: what any Python program that does the job of
`chiso score` must spend, before it parses a single answer or adds a single point.

Run from the benchmark's work directory (benchmarks/score_national.py runs it with
``--floor``), it times, in CPU seconds of this process:

* the interpreter and the imports the job needs (numpy for columns, decimal for exact
  numbers, the YAML and CSV readers and the JSON writer);
* the framework file read with the C YAML loader;
* the data file tokenised by the csv module and turned into columns;
* the text of chiso's own result document written again by ``json.dumps`` from the values
  it holds (the document is parsed first, untimed): the least it costs to write 8 MB of
  numbers and names as text, without working out any of them.

It prints one line of figures; their sum is a lower bound of any such command here.

    python benchmarks/score_floor.py framework.yaml units.csv result.json
"""

from __future__ import annotations

import csv
import decimal  # noqa: F401
import json
import sys
import time

import numpy  # noqa: F401
import yaml


def main(argv: list[str]) -> int:
    framework_file, units_file, result_file = argv
    imports = time.process_time()  # since the process started: start-up and imports
    start = time.process_time()
    with open(framework_file, encoding="utf-8") as file:
        yaml.load(file, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    read_framework = time.process_time() - start
    start = time.process_time()
    with open(units_file, encoding="utf-8", newline="") as file:
        columns = list(zip(*csv.reader(file), strict=True))
    read_units = time.process_time() - start
    with open(result_file, encoding="utf-8") as file:
        document = json.load(file)  # untimed: the values a command would hold
    start = time.process_time()
    text = json.dumps(document, ensure_ascii=False)
    write = time.process_time() - start
    floor = imports + read_framework + read_units + write
    print(
        f"floor {floor:.3f} s of CPU: start-up and imports {imports:.3f} s,"
        f" framework {read_framework:.3f} s, units.csv into"
        f" {len(columns)} columns {read_units:.3f} s, JSON text of the result"
        f" ({len(text.encode()) / 2**20:.1f} MiB) {write:.3f} s"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
