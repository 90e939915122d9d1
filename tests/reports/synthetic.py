"""A data file for a shipped framework that has no published data in the repository (Bình
Phước 2021, the national DTI 2022): units of every block with the points of each group, drawn
from a fixed seed, so that the documents of every framework can be written and measured."""

from __future__ import annotations

import csv
import random
from decimal import Decimal
from pathlib import Path

from chiso.core.loader import load_framework

# how many units each block gets: enough for a table over a page, and the DTI's 63 provinces
SIZES = {"so": 22, "huyen": 11, "tinh": 63}
# long real names, so that the tables meet the widths the documents must hold
NAMES = (
    "Sở Lao động, Thương binh và Xã hội",
    "Ban Quản lý các khu công nghiệp và khu kinh tế",
    "Thành phố Hồ Chí Minh",
    "Ủy ban nhân dân thị xã Chơn Thành",
    "Sở Văn hóa, Thể thao và Du lịch",
)


def write_units(
    framework_id: str, path: Path, seed: int = 2021, sizes: dict[str, int] | None = None
) -> Path:
    """``path``: a units file of ``framework_id`` (unit, block, one column per top-level
    group with points between 35 % and 100 % of its maximum, one decimal); ``sizes``: the
    units of each block, else :data:`SIZES`."""
    sizes = SIZES if sizes is None else sizes
    framework = load_framework(framework_id)
    rng = random.Random(seed)
    codes = [root.code for root in framework.criteria]
    rows: list[dict[str, str]] = []
    for block in framework.blocks:
        maxima = framework.max_for(block.code)
        for _ in range(sizes.get(block.code, 20)):
            name = f"{NAMES[len(rows) % len(NAMES)]} {len(rows) + 1}"
            row = {"unit": name, "block": block.code}
            skill = rng.uniform(0.35, 1.0)
            for code in codes:
                maximum = maxima.get(code)
                if maximum is None:
                    row[code] = ""
                    continue
                share = min(1.0, max(0.0, skill + rng.uniform(-0.15, 0.15)))
                points = (maximum * Decimal(str(round(share, 3)))).quantize(Decimal("0.1"))
                row[code] = str(min(points, maximum).normalize())
            rows.append(row)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=["unit", "block", *codes])
        writer.writeheader()
        writer.writerows(rows)
    return path
