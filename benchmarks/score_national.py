"""Benchmark: `chiso score` on a synthetic national cycle, end to end.

Generates, deterministically (fixed seed), a national-sized cycle into a temporary directory
(or ``--workdir``):

* ``framework.yaml`` — 3 blocks (tinh, so, xa), 10 groups × 3 parts × 5 = 150 leaf criteria
  with a realistic mix of rules (yes_no, yes_no_evidence, bands, proportional, count with
  per_item and with thresholds, choice, points, one relative), some criteria for some blocks
  only, not-applicable-able criteria and one not-applicable-able part (full credit), two tags,
  tiers (the xa block with a "below lowest" level), ranking by percent with a tie breaker;
* ``units.csv`` — 4,000 units (DATA format: unit, block, status, not_applicable, one column
  per criterion, ``CODE:evidence`` columns), a few ``voluntary`` and ``no_data`` units, some
  ``na`` answers, ratios as ``numerator/denominator``, Vietnamese decimal commas;
* ``p1.csv``, ``p2.csv``, ``p3.csv`` — three earlier years (PREVIOUS format: unit, block, year,
  rank, score).

Then times the whole command as a subprocess (interpreter start, imports, reading, scoring,
writing JSON), run from the work directory::

    chiso score --framework framework.yaml --data units.csv --previous p1.csv \\
        --previous p2.csv --previous p3.csv --format json --out result.json

side by side with the yardstick, benchmarks/score_pandas.py: the same job done by a plain,
vectorised pandas script on the same files. The runs are paired (each run of chiso next to one
of the yardstick, which goes first alternating) and each command is measured alone (os.wait4):
CPU time (user + system: steadier when other processes share the cores), wall clock and peak
memory (ru_maxrss); it prints the medians, the best and the paired ratio of CPU times, with
the load average. The commands keep their bytecode as an installed one does (with
PYTHONDONTWRITEBYTECODE set, in the work directory's ``pycache``). Every run's output is
checked (3 blocks, 4,000 units, ranks present, …), the yardstick's too, so a broken run
cannot report a fast time; how far the yardstick agrees with chiso (totals, tiers, ranks) is
printed once. Without pandas (the ``bench`` extra) chiso runs alone. ``--units`` scales the
cycle (16,000: the linear growth of the cost); ``--profile`` also prints a cProfile top 20 of
one in-process run of ``chiso.cli.main`` (by cumulative time, then by own time); ``--phases``
the wall clock and CPU time of each step of one in-process run, without a profiler;
``--floor`` what any Python program doing the job pays before it scores anything
(benchmarks/score_floor.py).

    .venv/bin/python benchmarks/score_national.py [--runs 5] [--units 4000] [--workdir DIR]
        [--no-yardstick] [--profile] [--phases] [--floor]

docs/performance.md records the figures.
"""

from __future__ import annotations

import argparse
import cProfile
import csv
import gc
import io
import json
import os
import platform
import pstats
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

SEED = 20250601
YEAR = 2025
PREVIOUS_YEARS = (2024, 2023, 2022)  # p1.csv, p2.csv, p3.csv
BLOCK_SIZES = {"tinh": 63, "so": 1137, "xa": 2800}  # 4,000 units (--units scales them)
BLOCK_NAMES = {
    "tinh": "UBND tỉnh, thành phố trực thuộc trung ương",
    "so": "Sở, ban, ngành",
    "xa": "UBND xã, phường, thị trấn",
}
GROUPS = 10
PARTS_PER_GROUP = 3
LEAVES_PER_PART = 5  # 10 × 3 × 5 = 150 leaf criteria
TARGET_CPU = 0.5  # seconds of CPU for the whole command, at 4,000 units
TARGET_MEMORY_MB = 150  # peak resident memory of the command, at 4,000 units
YARDSTICK = Path(__file__).resolve().parent / "score_pandas.py"
YARDSTICK_RESULT = "result-pandas.json"
FLOOR = Path(__file__).resolve().parent / "score_floor.py"

# How many leaves of each rule (150 in all), shuffled over the tree with the seed.
RULE_MIX = {
    "yes_no": 40,
    "yes_no_evidence": 25,
    "bands": 25,
    "proportional": 25,
    "count_per_item": 12,
    "count_thresholds": 4,
    "choice": 10,
    "points": 8,
    "relative": 1,
}
NA_LEAVES = 8  # leaves a unit may declare not applicable (answered "na")
NA_PART = "B.3"  # a part a unit may declare not applicable (not_applicable column), full credit
STATUS_COUNTS = {"voluntary": ("so", 12), "no_data": ("xa", 15)}  # status: (block, units)
EXTRA_NO_DATA = {"so": 3, "tinh": 1}

FRAMEWORK_FILE = "framework.yaml"
UNITS_FILE = "units.csv"
PREVIOUS_FILES = ("p1.csv", "p2.csv", "p3.csv")
RESULT_FILE = "result.json"

_SYLLABLES = (
    "An",
    "Bình",
    "Phú",
    "Hòa",
    "Thạnh",
    "Tân",
    "Đông",
    "Long",
    "Phước",
    "Mỹ",
    "Hưng",
    "Quảng",
    "Thái",
    "Vĩnh",
    "Xuân",
    "Hải",
    "Lâm",
    "Sơn",
    "Trung",
    "Nghĩa",
    "Thuận",
    "Đức",
    "Hiệp",
    "Lợi",
    "Thành",
    "Cường",
    "Khánh",
    "Lộc",
    "Yên",
    "Định",
    "Hà",
    "Giang",
    "Nam",
    "Bắc",
    "Tây",
)
_SO = (
    "Sở Nội vụ",
    "Sở Tư pháp",
    "Sở Kế hoạch và Đầu tư",
    "Sở Tài chính",
    "Sở Công Thương",
    "Sở Nông nghiệp và Phát triển nông thôn",
    "Sở Giao thông vận tải",
    "Sở Xây dựng",
    "Sở Tài nguyên và Môi trường",
    "Sở Thông tin và Truyền thông",
    "Sở Lao động - Thương binh và Xã hội",
    "Sở Văn hóa, Thể thao và Du lịch",
    "Sở Khoa học và Công nghệ",
    "Sở Giáo dục và Đào tạo",
    "Sở Y tế",
    "Thanh tra tỉnh",
    "Văn phòng UBND tỉnh",
    "Ban Dân tộc",
    "Ban Quản lý các khu công nghiệp",
)


@dataclass
class Leaf:
    code: str
    kind: str
    maxima: dict[str, int]  # per block; a block left out does not use the criterion
    not_applicable: bool = False
    spec: dict[str, Any] = field(default_factory=dict)


@dataclass
class Unit:
    name: str
    block: str
    status: str  # "", "voluntary" or "no_data"
    skill: float


# --- generation ---------------------------------------------------------------------------------


def _group_codes() -> list[str]:
    return [chr(ord("A") + i) for i in range(GROUPS)]


def make_leaves(rng: random.Random) -> list[Leaf]:
    kinds = [kind for kind, count in RULE_MIX.items() for _ in range(count)]
    rng.shuffle(kinds)
    codes = [
        f"{group}.{part}.{leaf}"
        for group in _group_codes()
        for part in range(1, PARTS_PER_GROUP + 1)
        for leaf in range(1, LEAVES_PER_PART + 1)
    ]
    assert len(kinds) == len(codes) == 150
    leaves = []
    for code, kind in zip(codes, kinds, strict=True):
        base = rng.choice((1, 2, 2, 3, 3, 4, 5))
        maxima = {block: base for block in BLOCK_SIZES}
        roll = rng.random()
        if roll < 0.06:
            del maxima["xa"]  # provincial criteria only
        elif roll < 0.10:
            del maxima["tinh"]  # criteria of departments and communes only
        elif roll < 0.18:
            maxima["xa"] = max(1, base - 1)  # a commune can earn less
        leaves.append(Leaf(code, kind, maxima))
    for leaf in leaves:
        leaf.spec = _rule_spec(leaf, rng)
    candidates = [
        leaf
        for leaf in leaves
        if leaf.kind not in ("relative",) and not leaf.code.startswith(NA_PART + ".")
    ]
    for leaf in rng.sample(candidates, NA_LEAVES):
        leaf.not_applicable = True
    return leaves


def _rule_spec(leaf: Leaf, rng: random.Random) -> dict[str, Any]:
    top = min(leaf.maxima.values())  # fixed point values must fit every block's maximum
    if leaf.kind in ("yes_no", "yes_no_evidence", "proportional", "relative", "points"):
        return {"type": leaf.kind}
    if leaf.kind == "bands":
        return {
            "type": "bands",
            "bands": [
                {"min": 0, "points": 0},
                {"min": 50, "points": top / 2},
                {"min": 80, "points": top},
            ],
        }
    if leaf.kind == "count_per_item":
        return {"type": "count", "per_item": rng.choice((0.25, 0.5, 1))}
    if leaf.kind == "count_thresholds":
        return {
            "type": "count",
            "thresholds": [{"min": 1, "points": top / 2}, {"min": 5, "points": top}],
        }
    if leaf.kind == "choice":
        return {
            "type": "choice",
            "options": [
                {"value": "cao", "label": "Mức cao", "points": top},
                {"value": "trung_binh", "label": "Mức trung bình", "points": top / 2},
                {"value": "thap", "label": "Mức thấp", "points": 0},
            ],
        }
    raise AssertionError(leaf.kind)


def _max_field(maxima: dict[str, int]) -> int | dict[str, int]:
    values = set(maxima.values())
    if len(values) == 1 and len(maxima) == len(BLOCK_SIZES):
        return values.pop()
    return dict(maxima)


def make_framework(leaves: list[Leaf]) -> dict[str, Any]:
    by_code = {leaf.code: leaf for leaf in leaves}
    criteria = []
    for group in _group_codes():
        parts = []
        for part in range(1, PARTS_PER_GROUP + 1):
            part_code = f"{group}.{part}"
            children = []
            for index in range(1, LEAVES_PER_PART + 1):
                leaf = by_code[f"{part_code}.{index}"]
                node: dict[str, Any] = {
                    "code": leaf.code,
                    "name": f"Tiêu chí {leaf.code}: {leaf.kind.replace('_', ' ')}",
                    "max": _max_field(leaf.maxima),
                    "rule": leaf.spec,
                }
                if leaf.not_applicable:
                    node["not_applicable"] = True
                children.append(node)
            part_node: dict[str, Any] = {
                "code": part_code,
                "name": f"Nội dung {part_code}",
                "children": children,
            }
            if part_code == NA_PART:
                part_node["not_applicable"] = True
                part_node["not_applicable_policy"] = "full_credit"
            if part_code in ("C.2", "D.1"):
                part_node["tags"] = ["dvc"]
            if part_code in ("F.3",):
                part_node["tags"] = ["attt"]
            parts.append(part_node)
        criteria.append(
            {
                "code": group,
                "name": f"Nhóm tiêu chí {group}",
                "name_en": f"Group {group}",
                "classify": True,
                "children": parts,
            }
        )

    def tiers() -> list[dict[str, Any]]:  # fresh dicts: no YAML anchors
        return [
            {"label": "Tốt", "min": 80, "heading": "Mức tốt"},
            {"label": "Khá", "min": 65, "heading": "Mức khá"},
            {"label": "Trung bình", "min": 50, "heading": "Mức trung bình"},
        ]

    blocks: list[dict[str, Any]] = [
        {"code": code, "name": name, "name_en": f"Block {code}"}
        for code, name in BLOCK_NAMES.items()
    ]
    blocks[2]["classification"] = {
        "basis": "percent",
        "precision": 1,
        "tiers": [*tiers(), {"label": "Yếu", "min": 35}],
        "below_lowest": {"label": "Không xếp hạng", "ranked": False},
    }
    return {
        "id": "quoc-gia-bench-2025",
        "name": "Đánh giá mức độ chuyển đổi số của các cơ quan nhà nước (dữ liệu tổng hợp)",
        "name_en": "Synthetic national e-government assessment (benchmark)",
        "assessor": "Bộ Thông tin và Truyền thông (giả lập)",
        "year": YEAR,
        "blocks": blocks,
        "tags": [
            {"code": "dvc", "name": "Dịch vụ công trực tuyến"},
            {"code": "attt", "name": "An toàn thông tin"},
        ],
        "not_applicable_policy": "exclude",
        "classification": {
            "basis": "percent",
            "tiers": [*tiers(), {"label": "Yếu", "heading": "Mức yếu"}],
        },
        "ranking": {
            "by": "percent",
            "ties": "competition",
            "precision": 2,
            "tie_breakers": ["A", "points"],
        },
        "display": {"scale": "percent", "percent_decimals": 2, "score_decimals": 2},
        "criteria": criteria,
    }


def block_sizes(units: int) -> dict[str, int]:
    """The units of each block for a cycle of ``units`` (4,000: the national cycle)."""
    scale = units / sum(BLOCK_SIZES.values())
    sizes = {block: max(1, round(count * scale)) for block, count in BLOCK_SIZES.items()}
    sizes["xa"] += units - sum(sizes.values())
    return sizes


def _scaled(count: int, scale: float) -> int:
    return max(1, round(count * scale))


def make_units(rng: random.Random, sizes: dict[str, int]) -> list[Unit]:
    units = []
    seen: set[str] = set()

    def place() -> str:
        while True:
            name = " ".join(rng.sample(_SYLLABLES, 2))
            if name not in seen:
                seen.add(name)
                return name

    provinces = [place() for _ in range(sizes["tinh"])]
    for province in provinces:
        units.append(Unit(f"UBND tỉnh {province}", "tinh", "", rng.betavariate(6, 2)))
    so_names = [f"{so} tỉnh {province}" for province in provinces for so in _SO]
    assert len(so_names) >= sizes["so"]
    for name in so_names[: sizes["so"]]:
        units.append(Unit(name, "so", "", rng.betavariate(5, 2)))
    for index in range(sizes["xa"]):
        kind = rng.choice(("xã", "xã", "xã", "phường", "thị trấn"))
        commune = " ".join(rng.sample(_SYLLABLES, 2))
        province = provinces[index % len(provinces)]
        name = f"UBND {kind} {commune} số {index + 1}, tỉnh {province}"
        units.append(Unit(name, "xa", "", rng.betavariate(3, 2)))
    scale = sum(sizes.values()) / sum(BLOCK_SIZES.values())
    for status, (block, count) in STATUS_COUNTS.items():
        chosen = rng.sample(
            [u for u in units if u.block == block and not u.status], _scaled(count, scale)
        )
        for unit in chosen:
            unit.status = status
    for block, count in EXTRA_NO_DATA.items():
        chosen = rng.sample(
            [u for u in units if u.block == block and not u.status], _scaled(count, scale)
        )
        for unit in chosen:
            unit.status = "no_data"
    assert len(units) == sum(sizes.values())
    rng.shuffle(units)  # the rows of a real file are in no particular order
    return units


def _clamp(value: float) -> float:
    return min(1.0, max(0.0, value))


def _decimal_text(value: float, rng: random.Random) -> str:
    text = f"{value:.2f}".rstrip("0").rstrip(".")
    return text.replace(".", ",") if rng.random() < 0.3 else text  # Vietnamese decimal comma


def _answer(leaf: Leaf, block: str, skill: float, rng: random.Random) -> tuple[str, str]:
    """(cell, evidence cell) of one unit for one leaf."""
    maximum = leaf.maxima[block]
    level = _clamp(skill + rng.gauss(0, 0.15))
    kind = leaf.kind
    if kind in ("yes_no", "yes_no_evidence"):
        yes = rng.random() < level
        cell = rng.choice(("có", "1", "Có")) if yes else rng.choice(("không", "0", "Không"))
        evidence = ""
        if kind == "yes_no_evidence":
            evidence = "1" if yes and rng.random() < 0.9 else "0"
        return cell, evidence
    if kind == "bands":
        share = level * 100
        return (f"{share:.0f}%" if rng.random() < 0.5 else _decimal_text(share, rng)), ""
    if kind == "proportional":
        denominator = rng.randint(5, 800)
        return f"{round(denominator * level)}/{denominator}", ""
    if kind == "count_per_item":
        cap = int(maximum / leaf.spec["per_item"]) + 2
        return str(round(cap * level)), ""
    if kind == "count_thresholds":
        return str(round(8 * level)), ""
    if kind == "choice":
        return ("cao" if level > 0.75 else "trung_binh" if level > 0.4 else "thap"), ""
    if kind == "points":
        return _decimal_text(maximum * level, rng), ""
    if kind == "relative":
        return str(round(2000 * level * rng.random())), ""
    raise AssertionError(kind)


def write_units(path: Path, leaves: list[Leaf], units: list[Unit], rng: random.Random) -> int:
    columns = ["unit", "block", "status", "not_applicable"]
    for leaf in leaves:
        columns.append(leaf.code)
        if leaf.kind == "yes_no_evidence":
            columns.append(leaf.code + ":evidence")
    na_part_leaves = {leaf.code for leaf in leaves if leaf.code.startswith(NA_PART + ".")}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(columns)
    na_answers = 0
    for unit in units:
        row = {"unit": unit.name, "block": unit.block, "status": unit.status}
        declared = unit.status != "no_data" and unit.block != "tinh" and rng.random() < 0.04
        if declared:
            row["not_applicable"] = NA_PART
        if unit.status != "no_data":
            for leaf in leaves:
                if unit.block not in leaf.maxima or (declared and leaf.code in na_part_leaves):
                    continue
                if rng.random() < 0.01:
                    continue  # left blank: 0 points
                if leaf.not_applicable and rng.random() < 0.06:
                    row[leaf.code] = rng.choice(("na", "NA", "không áp dụng"))
                    na_answers += 1
                    continue
                cell, evidence = _answer(leaf, unit.block, unit.skill, rng)
                row[leaf.code] = cell
                if leaf.kind == "yes_no_evidence":
                    row[leaf.code + ":evidence"] = evidence
        writer.writerow([row.get(column, "") for column in columns])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return na_answers


def write_previous(path: Path, year: int, units: list[Unit], rng: random.Random) -> int:
    """One earlier year: most current units (some are new), a few units since merged away."""
    rows: list[tuple[str, str, float | None, bool]] = []  # unit, block, score, ranked
    for unit in units:
        if rng.random() < 0.05:
            continue  # did not exist yet, or not assessed that year
        if rng.random() < 0.02:
            rows.append((unit.name, unit.block, None, False))
            continue
        drift = (YEAR - year) * 0.03
        score = 100 * _clamp(unit.skill - drift + rng.gauss(0, 0.08)) * 3.5
        rows.append((unit.name, unit.block, round(score, 2), rng.random() > 0.01))
    for index in range(25):
        rows.append((f"UBND xã đã sáp nhập số {index + 1}", "xa", 150.0 + index, True))
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["unit", "block", "year", "rank", "score"])
    for block in BLOCK_SIZES:
        entries = [r for r in rows if r[1] == block]
        scores = sorted(((r[2], r[0]) for r in entries if r[2] is not None and r[3]), reverse=True)
        ranks: dict[str, int] = {}
        first: dict[float, int] = {}  # competition ranking: equal scores share the best rank
        for position, (score, name) in enumerate(scores, start=1):
            ranks[name] = first.setdefault(score, position)
        for name, _, score, _ in entries:
            rank = ranks.get(name)
            score_text = "" if score is None else f"{score:.2f}"
            writer.writerow([name, block, year, "" if rank is None else rank, score_text])
    path.write_text(buffer.getvalue(), encoding="utf-8")
    return len(rows)


@dataclass(frozen=True)
class Cycle:
    workdir: Path
    units: int
    per_block: dict[str, int]
    voluntary: int
    no_data: int
    leaves: int
    na_answers: int


def generate(workdir: Path, size: int = sum(BLOCK_SIZES.values())) -> Cycle:
    """Write the cycle's files into ``workdir``: ``size`` units (4,000: the national cycle)."""
    rng = random.Random(SEED)
    leaves = make_leaves(rng)
    framework = make_framework(leaves)
    text = yaml.safe_dump(framework, allow_unicode=True, sort_keys=False, width=100)
    (workdir / FRAMEWORK_FILE).write_text(text, encoding="utf-8")
    units = make_units(rng, block_sizes(size))
    na_answers = write_units(workdir / UNITS_FILE, leaves, units, rng)
    for name, year in zip(PREVIOUS_FILES, PREVIOUS_YEARS, strict=True):
        write_previous(workdir / name, year, units, rng)
    return Cycle(
        workdir=workdir,
        units=len(units),
        per_block={block: sum(u.block == block for u in units) for block in BLOCK_SIZES},
        voluntary=sum(u.status == "voluntary" for u in units),
        no_data=sum(u.status == "no_data" for u in units),
        leaves=len(leaves),
        na_answers=na_answers,
    )


# --- running and checking ------------------------------------------------------------------------


def score_args(folder: Path | None = None) -> list[str]:
    """The arguments after ``chiso``; file names relative to the work directory or in ``folder``."""

    def at(name: str) -> str:
        return str(folder / name) if folder is not None else name

    args = ["score", "--framework", at(FRAMEWORK_FILE), "--data", at(UNITS_FILE)]
    for name in PREVIOUS_FILES:
        args += ["--previous", at(name)]
    return [*args, "--format", "json", "--out", at(RESULT_FILE)]


def find_chiso() -> Path:
    candidates = [
        Path(__file__).resolve().parents[1] / ".venv" / "bin" / "chiso",
        Path(sys.executable).parent / "chiso",
    ]
    for candidate in candidates:
        if candidate.is_file() and os.access(candidate, os.X_OK):
            return candidate
    found = shutil.which("chiso")
    if found is None:
        sys.exit("score_national: no chiso command found (run `make install`)")
    return Path(found)


class BrokenRun(Exception):
    pass


def check_result(path: Path, cycle: Cycle) -> dict[str, int]:
    """Fail unless the JSON is a complete, sane result of the generated cycle."""
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise BrokenRun(f"{path}: no readable JSON result ({error})") from None
    problems = []
    if data.get("year") != YEAR:
        problems.append(f"year {data.get('year')!r}, expected {YEAR}")
    blocks = data.get("blocks") or []
    codes = [block.get("block") for block in blocks]
    if codes != list(BLOCK_SIZES):
        problems.append(f"blocks {codes}, expected {list(BLOCK_SIZES)}")
    counts = {"units": 0, "ranked": 0, "voluntary": 0, "no_data": 0, "below_lowest": 0}
    for block in blocks:
        units = block.get("units") or []
        expected = cycle.per_block.get(block.get("block"), -1)
        if len(units) != expected:
            problems.append(f"block {block.get('block')}: {len(units)} units, expected {expected}")
        ranks = []
        for unit in units:
            counts["units"] += 1
            reason = unit.get("not_ranked_reason")
            if reason is None:
                if not isinstance(unit.get("rank"), int) or unit["rank"] < 1:
                    problems.append(f"{unit.get('unit')!r}: no rank")
                    continue
                if not isinstance(unit.get("total"), (int, float)) or not unit.get("groups"):
                    problems.append(f"{unit.get('unit')!r}: ranked without a score")
                ranks.append(unit["rank"])
            else:
                if unit.get("rank") is not None:
                    problems.append(f"{unit.get('unit')!r}: {reason} but ranked")
                key = "below_lowest" if reason == "below_lowest_level" else reason
                counts[key] = counts.get(key, 0) + 1
            if len(unit.get("previous") or []) != len(PREVIOUS_FILES):
                problems.append(f"{unit.get('unit')!r}: not compared with the 3 earlier years")
        counts["ranked"] += len(ranks)
        if not ranks or min(ranks) != 1 or max(ranks) > len(ranks):
            problems.append(f"block {block.get('block')}: ranks do not run from 1")
        if ranks != sorted(ranks):
            problems.append(f"block {block.get('block')}: units are not in rank order")
        if block.get("stats", {}).get("ranked") != len(ranks):
            problems.append(f"block {block.get('block')}: stats.ranked differs from the ranks")
    if counts["units"] != cycle.units:
        problems.append(f"{counts['units']} units, expected {cycle.units}")
    if counts["voluntary"] != cycle.voluntary or counts["no_data"] != cycle.no_data:
        problems.append(
            f"{counts['voluntary']} voluntary / {counts['no_data']} no_data units,"
            f" expected {cycle.voluntary} / {cycle.no_data}"
        )
    if counts["ranked"] < 0.8 * cycle.units:
        problems.append(f"only {counts['ranked']} of {cycle.units} units ranked")
    if problems:
        shown = "; ".join(problems[:5])
        more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
        raise BrokenRun(f"{path}: {shown}{more}")
    return counts


@dataclass(frozen=True)
class Run:
    """One run of a command: wall clock, CPU time (user + system) and peak memory."""

    wall: float
    cpu: float
    memory_mb: float


BYTECODE = "pycache"
"""The folder of the work directory where the timed commands keep their bytecode when the
environment says to write none (PYTHONDONTWRITEBYTECODE): an installed command has its modules
compiled once (pip does it), not at every run (≈ 50 ms of CPU for chiso's)."""


def child_env(workdir: Path) -> dict[str, str]:
    """The environment of the timed commands: this one, with bytecode kept (see BYTECODE) and
    ``PYTHONPATH`` made absolute: the commands run in the work directory, where a relative
    ``src`` names nothing, and the installed tree would be measured in its place."""
    env = dict(os.environ)
    if env.get("PYTHONPATH"):
        entries = env["PYTHONPATH"].split(os.pathsep)
        env["PYTHONPATH"] = os.pathsep.join(str(Path(p).resolve()) for p in entries if p)
    if env.pop("PYTHONDONTWRITEBYTECODE", None) is not None:
        env.setdefault("PYTHONPYCACHEPREFIX", str(workdir / BYTECODE))
    return env


def keep_bytecode(workdir: Path) -> None:
    """In this process, read (and write) bytecode as the timed commands do (child_env)."""
    if sys.dont_write_bytecode:
        sys.dont_write_bytecode = False
        if sys.pycache_prefix is None:
            sys.pycache_prefix = str(workdir / BYTECODE)


def run_command(command: list[str], cwd: Path) -> Run:
    """Run ``command`` and measure it alone (os.wait4: this child's own resource usage)."""
    with tempfile.TemporaryFile() as errors:
        start = time.perf_counter()
        process = subprocess.Popen(
            command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=errors, env=child_env(cwd)
        )
        _, status, usage = os.wait4(process.pid, 0)
        elapsed = time.perf_counter() - start
        process.returncode = code = os.waitstatus_to_exitcode(status)
        if code != 0:
            errors.seek(0)
            message = errors.read().decode("utf-8", "replace").strip()
            raise BrokenRun(f"{Path(command[1]).name} exited with {code}: {message}")
    # ru_maxrss is in kilobytes on Linux
    return Run(elapsed, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024)


def run_chiso(chiso: Path, cycle: Cycle) -> tuple[Run, dict[str, int]]:
    """One run of `chiso score`, its output checked."""
    result = cycle.workdir / RESULT_FILE
    result.unlink(missing_ok=True)  # a stale result must not pass the check
    run = run_command([str(chiso), *score_args()], cycle.workdir)
    return run, check_result(result, cycle)


def yardstick_args() -> list[str]:
    """The arguments of benchmarks/score_pandas.py, run from the work directory."""
    args = ["--framework", FRAMEWORK_FILE, "--data", UNITS_FILE]
    for name in PREVIOUS_FILES:
        args += ["--previous", name]
    return [*args, "--out", YARDSTICK_RESULT]


def has_pandas() -> bool:
    found = subprocess.run(
        [sys.executable, "-c", "import pandas"], capture_output=True, check=False
    )
    return found.returncode == 0


def run_yardstick(cycle: Cycle) -> tuple[Run, dict[str, int]]:
    """One run of the pandas yardstick, its output checked as chiso's is."""
    result = cycle.workdir / YARDSTICK_RESULT
    result.unlink(missing_ok=True)
    run = run_command([sys.executable, str(YARDSTICK), *yardstick_args()], cycle.workdir)
    return run, check_result(result, cycle)


def agreement(cycle: Cycle) -> str:
    """How far the yardstick's result agrees with chiso's: what shows it does the same job
    (totals, percentages, tiers, ranks, comparisons with the earlier years)."""
    ours = json.loads((cycle.workdir / RESULT_FILE).read_text(encoding="utf-8"))
    theirs = json.loads((cycle.workdir / YARDSTICK_RESULT).read_text(encoding="utf-8"))
    counts = dict.fromkeys(("units", "total", "tier", "rank", "groups", "previous"), 0)
    for block, other in zip(ours["blocks"], theirs["blocks"], strict=True):
        found = {unit["unit"]: unit for unit in other["units"]}
        for unit in block["units"]:
            twin = found.get(unit["unit"])
            if twin is None:
                continue
            counts["units"] += 1
            counts["total"] += _close(unit["total"], twin["total"])
            counts["tier"] += unit["tier"] == twin["tier"]
            counts["rank"] += unit["rank"] == twin["rank"]
            counts["groups"] += unit["groups"].keys() == twin["groups"].keys() and all(
                _close(value, twin["groups"][code]) for code, value in unit["groups"].items()
            )
            counts["previous"] += [(p["rank"], p["rank_change"]) for p in unit["previous"]] == [
                (p["rank"], p["rank_change"]) for p in twin["previous"]
            ]
    units = counts.pop("units")
    same = ", ".join(f"{name} {count}" for name, count in counts.items())
    return f"of {units} units, the yardstick gives the same {same}"


def _close(one: float | None, other: float | None) -> bool:
    if one is None or other is None:
        return one is other
    return abs(one - other) <= 1e-9 * max(1.0, abs(one))


def time_startup(chiso: Path, runs: int, workdir: Path) -> float:
    """The floor: the best wall clock of `chiso --version` (interpreter and imports)."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(
            [str(chiso), "--version"], capture_output=True, check=True, env=child_env(workdir)
        )
        times.append(time.perf_counter() - start)
    return min(times)


def floor_once(cycle: Cycle) -> None:
    """The floor (benchmarks/score_floor.py): start-up, imports, reading both files and
    writing the result's text, with none of the work in between, in one process."""
    command = [sys.executable, str(FLOOR), FRAMEWORK_FILE, UNITS_FILE, RESULT_FILE]
    done = subprocess.run(
        command, cwd=cycle.workdir, capture_output=True, env=child_env(cycle.workdir), check=False
    )
    if done.returncode != 0:
        raise BrokenRun(f"score_floor.py failed: {done.stderr.decode().strip()}")
    print(f"\n--- floor (benchmarks/score_floor.py) ---\n{done.stdout.decode().strip()}")


def phases_once(cycle: Cycle) -> None:
    """Wall clock and CPU time of each step of `chiso score`, in-process, without a profiler's
    overhead and, as in the command, without the cyclic garbage collector.

    It calls the steps the command calls (chiso.io.data, chiso.core, chiso.io.results); when
    they change, this breakdown may differ from the command's and says so."""
    folder = cycle.workdir
    imported = "chiso.core" in sys.modules
    # as the command does (chiso.cli) before numpy and pydantic are imported, and with its
    # bytecode: the same figures
    os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
    os.environ.setdefault("PYDANTIC_DISABLE_PLUGINS", "__all__")
    keep_bytecode(folder)
    times: list[tuple[str, float, float]] = []
    last = (time.perf_counter(), time.process_time())
    collecting = gc.isenabled()
    gc.disable()

    def mark(name: str) -> None:
        nonlocal last
        now = (time.perf_counter(), time.process_time())
        times.append((name, now[0] - last[0], now[1] - last[1]))
        last = now

    try:
        from chiso.core import load_framework, score
        from chiso.io.data import read_previous, read_units
        from chiso.io.results import json_text

        mark("import chiso (core, io)" + (", already imported" if imported else ""))
        framework = load_framework(folder / FRAMEWORK_FILE)
        mark("load_framework: YAML and validation")
        unit_file = read_units(framework, folder / UNITS_FILE)
        mark("read_units: CSV, parse and check cells")
        history = read_previous([folder / name for name in PREVIOUS_FILES])
        mark("read_previous: 3 files")
        result = score(framework, unit_file.units, history)
        mark("score: check answers, evaluate, rank, stats")
        text = json_text(framework, result) + "\n"
        mark("json_text: the JSON document")
        (folder / RESULT_FILE).write_text(text, encoding="utf-8")
        mark("write result.json")
    except (ImportError, AttributeError, TypeError) as error:
        print(f"\nphase breakdown unavailable (chiso's internals changed?): {error!r}")
        return
    finally:
        if collecting:
            gc.enable()
    total = sum(wall for _, wall, _ in times)
    print("\n--- phases, one in-process run (no profiler) ---")
    print("    wall      CPU  share")
    for name, wall, cpu in times:
        print(f"{wall:7.3f} s {cpu:7.3f} s {100 * wall / total:5.1f} %  {name}")
    cpu_total = sum(cpu for _, _, cpu in times)
    print(f"{total:7.3f} s {cpu_total:7.3f} s          total (no interpreter start-up)")


def profile_once(cycle: Cycle, limit: int) -> None:
    """cProfile of one in-process run; the import of chiso is inside the profile."""
    result = cycle.workdir / RESULT_FILE
    result.unlink(missing_ok=True)
    keep_bytecode(cycle.workdir)
    profiler = cProfile.Profile()
    profiler.enable()
    from chiso.cli import main

    code = main(score_args(cycle.workdir))
    profiler.disable()
    if code != 0:
        raise BrokenRun(f"in-process run returned {code}")
    check_result(result, cycle)
    for order in ("cumulative", "tottime"):
        out = io.StringIO()
        stats = pstats.Stats(profiler, stream=out)
        stats.strip_dirs().sort_stats(order).print_stats(limit)
        print(f"\n--- cProfile, one in-process run, top {limit} by {order} ---")
        print(_trim_stats(out.getvalue()))


def _trim_stats(text: str) -> str:
    lines = text.strip("\n").splitlines()
    for index, line in enumerate(lines):
        if "function calls" in line:
            return "\n".join(lines[index:])
    return text


def machine() -> str:
    model = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return (
        f"{os.cpu_count()} CPUs ({model}), Python {platform.python_version()}"
        f" ({platform.python_implementation()}), {platform.system()} {platform.release()}"
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--runs", "-n", type=int, default=5, help="timed runs (default 5)")
    parser.add_argument("--workdir", type=Path, help="generate here and keep the files")
    parser.add_argument("--profile", action="store_true", help="print a cProfile top 20")
    parser.add_argument(
        "--phases", action="store_true", help="print the time of each step (in-process)"
    )
    parser.add_argument(
        "--units", type=int, default=sum(BLOCK_SIZES.values()), help="units (default 4000)"
    )
    parser.add_argument(
        "--no-yardstick", action="store_true", help="do not run the pandas yardstick"
    )
    parser.add_argument(
        "--floor", action="store_true", help="print the floor: what any Python program pays"
    )
    parser.add_argument("--profile-limit", type=int, default=20, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    if args.units < 100:
        parser.error("--units must be at least 100")

    temporary = None
    if args.workdir is None:
        temporary = tempfile.TemporaryDirectory(prefix="chiso-bench-")
        workdir = Path(temporary.name)
    else:
        workdir = args.workdir.resolve()
        workdir.mkdir(parents=True, exist_ok=True)
    try:
        return _bench(workdir, args)
    except BrokenRun as error:
        print(f"score_national: BROKEN RUN, no timing reported: {error}", file=sys.stderr)
        return 1
    finally:
        if temporary is not None:
            temporary.cleanup()


def _bench(workdir: Path, args: argparse.Namespace) -> int:
    chiso = find_chiso()
    start = time.perf_counter()
    cycle = generate(workdir, args.units)
    generated = time.perf_counter() - start
    sizes = {
        name: (workdir / name).stat().st_size
        for name in (FRAMEWORK_FILE, UNITS_FILE, *PREVIOUS_FILES)
    }
    print(f"machine:   {machine()}")
    print(f"workdir:   {workdir}  (generated in {generated:.2f} s, seed {SEED})")
    blocks = ", ".join(f"{block} {count}" for block, count in cycle.per_block.items())
    print(
        f"cycle:     {cycle.units} units ({blocks};"
        f" {cycle.voluntary} voluntary, {cycle.no_data} no_data), {cycle.leaves} criteria,"
        f" {cycle.na_answers} 'na' answers, {len(PREVIOUS_FILES)} earlier years"
    )
    files = ", ".join(f"{name} {size / 1024:.0f} KiB" for name, size in sizes.items())
    print(f"files:     {files}")
    print(f"command:   cd {workdir} && {chiso} {' '.join(score_args())}")

    with_yardstick = not args.no_yardstick and has_pandas()
    if with_yardstick:
        print(
            f"yardstick: cd {workdir} && {sys.executable} {YARDSTICK} {' '.join(yardstick_args())}"
        )
    elif not args.no_yardstick:
        print("yardstick: pandas is not installed (pip install -e '.[bench]'): chiso alone")

    _, counts = run_chiso(chiso, cycle)  # warm-up (bytecode, page cache), checked too
    output = (workdir / RESULT_FILE).stat().st_size
    print(
        f"output:    {RESULT_FILE} {output / 1024 / 1024:.1f} MiB, {counts['ranked']} ranked,"
        f" {counts['voluntary']} voluntary, {counts['no_data']} no_data,"
        f" {counts['below_lowest']} below the lowest tier — checked"
    )
    if with_yardstick:
        run_yardstick(cycle)  # warm-up, checked too
        print(f"yardstick: {YARDSTICK_RESULT} checked; {agreement(cycle)}")
    runs: dict[str, list[Run]] = {"chiso": [], "pandas": []}
    load_before = os.getloadavg()[0]
    for index in range(args.runs):
        # paired: the same files, one after the other, the first one alternating
        order = ["chiso", "pandas"] if index % 2 == 0 else ["pandas", "chiso"]
        for name in order if with_yardstick else ["chiso"]:
            run, _ = run_chiso(chiso, cycle) if name == "chiso" else run_yardstick(cycle)
            runs[name].append(run)
        line = f"run {index + 1}/{args.runs}: chiso {_shown(runs['chiso'][-1])}"
        if with_yardstick:
            ratio = runs["chiso"][-1].cpu / runs["pandas"][-1].cpu
            line += f" | pandas {_shown(runs['pandas'][-1])} | CPU ratio {ratio:.2f}"
        print(line + " (outputs checked)")
    load_after = os.getloadavg()[0]
    startup = time_startup(chiso, 3, workdir)
    print()
    for name, measured in runs.items():
        if measured:
            print(_summary(name, measured))
    if with_yardstick:
        ratios = [c.cpu / p.cpu for c, p in zip(runs["chiso"], runs["pandas"], strict=True)]
        print(
            f"CPU ratio chiso / pandas, paired runs: median {statistics.median(ratios):.2f}"
            f" (best {min(ratios):.2f}, worst {max(ratios):.2f})"
        )
    print(f"load average (1 min) before / after the runs: {load_before:.2f} / {load_after:.2f}")
    print(f"startup floor (chiso --version, best of 3): {startup:.3f} s")
    _targets(cycle, runs)
    if args.floor:
        floor_once(cycle)
    if args.profile:  # first: the import of chiso is part of its profile
        profile_once(cycle, args.profile_limit)
    if args.phases:
        phases_once(cycle)
    return 0


def _shown(run: Run) -> str:
    return f"{run.wall:.3f} s, CPU {run.cpu:.3f} s, {run.memory_mb:.0f} MB"


def _summary(name: str, runs: list[Run]) -> str:
    cpu = [run.cpu for run in runs]
    wall = [run.wall for run in runs]
    memory = max(run.memory_mb for run in runs)
    return (
        f"{name:6} CPU (user + system) median {statistics.median(cpu):.3f} s, best {min(cpu):.3f}"
        f" s; wall median {statistics.median(wall):.3f} s, best {min(wall):.3f} s;"
        f" peak memory {memory:.0f} MB ({len(runs)} runs)"
    )


def _targets(cycle: Cycle, runs: dict[str, list[Run]]) -> None:
    """The goals of the national cycle: CPU and memory at 4,000 units, and beating pandas."""
    cpu = statistics.median(run.cpu for run in runs["chiso"])
    per_unit = 1e3 * cpu / cycle.units
    print(
        f"chiso CPU per unit: {per_unit:.3f} ms ({cycle.units} units; linear growth: 16,000"
        " units within 4.4 × the time of 4,000)"
    )
    if cycle.units == sum(BLOCK_SIZES.values()):
        memory = max(run.memory_mb for run in runs["chiso"])
        print(
            f"target: CPU at most {TARGET_CPU} s — {'met' if cpu <= TARGET_CPU else 'NOT met'}"
            f" (median); peak memory at most {TARGET_MEMORY_MB} MB —"
            f" {'met' if memory <= TARGET_MEMORY_MB else 'NOT met'}"
        )
    if runs["pandas"]:
        theirs = statistics.median(run.cpu for run in runs["pandas"])
        print(f"target: faster than pandas — {'met' if cpu < theirs else 'NOT met'} (median CPU)")


if __name__ == "__main__":
    raise SystemExit(main())
