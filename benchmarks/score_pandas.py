"""The yardstick of benchmarks/score_national.py: the national cycle scored with pandas.

What a province's analyst who knows pandas and numpy would write to do the job of
``chiso score`` on the benchmark's files, vectorised column by column, in float64: read the
unit file and the earlier years' files, parse the answers as the framework's rules say (yes/no
words, "na", percentages, ratios "45/60", decimal commas, evidence columns, the declared
not-applicable part), points per criterion, the totals, maxima and percentages of every unit,
group and part, tiers (with the block's precision and its "below the lowest tier" level),
competition ranks with the tie breakers, the comparison with each earlier year, the block's
and the whole cycle's statistics, and the result as JSON in the shape that chiso writes.

It reads what the benchmark's framework uses (3 levels: group, part, criterion; the rule
types, tiers and ranking of benchmarks/score_national.py), not any framework. Being float64,
it may put a unit whose exact percentage sits on a tier threshold or a rounding boundary on
the wrong side: the yardstick measures the cost of the work, chiso must also be exact.

    python benchmarks/score_pandas.py --framework framework.yaml --data units.csv \\
        --previous p1.csv --previous p2.csv --previous p3.csv --out result-pandas.json

Needs pandas: ``pip install -e '.[bench]'`` (``make bench`` installs it).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

# as the chiso command does: numpy's OpenBLAS on one thread (its thread pool costs CPU time and
# nothing here is a matrix product worth sharing out), so that the two are timed on their work
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import numpy as np
import pandas as pd
import yaml

YES = ["1", "có", "co", "yes", "y", "x", "true", "đạt", "dat"]
NO = ["0", "không", "khong", "no", "n", "false", "không đạt", "khong dat"]
NOT_APPLICABLE = ["na", "n/a", "không áp dụng", "khong ap dung", "kad"]
YES_NO = {**dict.fromkeys(YES, 1.0), **dict.fromkeys(NO, 0.0)}
STATUSES = {"": "submitted", "submitted": "submitted", "voluntary": "voluntary"}
STATUSES["no_data"] = "no_data"


class BadData(Exception):
    pass


@dataclass
class Leaf:
    code: str
    group: str
    part: str
    maxima: dict[str, float]
    rule: dict[str, Any]


def leaves_of(framework: dict[str, Any]) -> list[Leaf]:
    blocks = [block["code"] for block in framework["blocks"]]
    leaves = []
    for group in framework["criteria"]:
        for part in group["children"]:
            for leaf in part["children"]:
                top = leaf["max"]
                maxima = dict(top) if isinstance(top, dict) else dict.fromkeys(blocks, top)
                leaves.append(Leaf(leaf["code"], group["code"], part["code"], maxima, leaf["rule"]))
    return leaves


def numbers(cells: pd.Series) -> tuple[pd.Series, pd.Series]:
    """(value, denominator) of number cells: "45", "45,5", "75%", "45/60"; NaN when empty."""
    text = cells.str.replace(",", ".", regex=False).str.removesuffix("%")
    parts = text.str.split("/", n=1, expand=True)
    value = pd.to_numeric(parts[0].replace("", np.nan), errors="coerce")
    bad = value.isna() & (parts[0] != "")
    denominator = pd.Series(np.nan, index=cells.index)
    if parts.shape[1] > 1:
        below = parts[1].fillna("")
        denominator = pd.to_numeric(below.replace("", np.nan), errors="coerce")
        bad |= parts[1].notna() & denominator.isna()
    return value.where(~bad), denominator.where(~bad)  # a bad cell: no value


def band_points(value: np.ndarray, bands: list[dict[str, Any]]) -> np.ndarray:
    points = np.zeros(len(value))
    for band in bands:  # ascending minima: the last band reached gives the points
        points = np.where(value >= band["min"], band["points"], points)
    return np.where(np.isnan(value), np.nan, points)


NUMBER_RULES = ("bands", "proportional", "count", "points", "relative")


def answers(leaves: list[Leaf], units: pd.DataFrame) -> dict[str, tuple[np.ndarray, ...]]:
    """(value, denominator, "na") of every row of each criterion's column; NaN: no answer.
    The columns read alike (numbers; yes/no; options) are parsed together, each distinct text
    once (pd.factorize), then taken per cell."""
    parsed: dict[str, tuple[np.ndarray, ...]] = {}
    how = {"number": [], "yes_no": []}
    for leaf in leaves:
        kind = leaf.rule["type"]
        if kind == "choice":
            options = {o["value"].casefold(): o["points"] for o in leaf.rule["options"]}
            parsed[leaf.code] = _parse_cells(units[[leaf.code]], options)[0]
        else:
            how["number" if kind in NUMBER_RULES else "yes_no"].append(leaf.code)
    for kind, codes in how.items():
        columns = _parse_cells(units[codes], YES_NO if kind == "yes_no" else None)
        parsed.update(zip(codes, columns, strict=True))
    return parsed


def _parse_cells(
    cells: pd.DataFrame, words: dict[str, float] | None
) -> list[tuple[np.ndarray, ...]]:
    """Each column's (value, denominator, "na"): numbers, or ``words`` mapped to values."""
    matrix = cells.to_numpy()
    codes, texts = pd.factorize(matrix.ravel())
    distinct = pd.Series(texts, dtype=str).str.strip()
    lowered = distinct.str.lower()
    na = lowered.isin(NOT_APPLICABLE)
    distinct = distinct.where(~na, "")
    if words is None:
        value, denominator = numbers(distinct)
    else:
        value = lowered.where(~na, "").map(words)
        denominator = pd.Series(np.nan, index=distinct.index)
    bad = value.isna() & (distinct != "")
    if bad.any():
        cell = np.flatnonzero(bad.to_numpy()[codes])[0]
        row, column = divmod(cell, matrix.shape[1])
        raise BadData(f"row {row + 2}, column {cells.columns[column]!r}: {texts[bad.idxmax()]!r}")
    shape = matrix.shape
    value, denominator, na = (
        series.to_numpy()[codes].reshape(shape) for series in (value, denominator, na)
    )
    return [(value[:, j], denominator[:, j], na[:, j]) for j in range(shape[1])]


def leaf_points(
    leaf: Leaf,
    units: pd.DataFrame,
    parsed: tuple[np.ndarray, ...],
    blocks: tuple[np.ndarray, pd.Index],
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """(points, "na", maximum) of every row for one criterion (points NaN: no answer; the
    maximum NaN where the unit's block does not use the criterion); ``blocks``: the rows'
    blocks, factorized."""
    codes, names = blocks
    top = np.array([leaf.maxima.get(name, np.nan) for name in names], dtype=float)[codes]
    value, denominator, na = parsed
    kind = leaf.rule["type"]
    if kind in ("yes_no", "yes_no_evidence"):
        evidence = units.get(leaf.code + ":evidence")
        if kind == "yes_no_evidence" and evidence is not None:
            codes, texts = pd.factorize(evidence)
            given = pd.Series(texts, dtype=str).str.strip().str.lower().map(YES_NO).fillna(0.0)
            value = value * given.to_numpy()[codes]
        return value * top, na, top
    if kind == "choice":
        return value, na, top
    if kind in ("bands", "proportional"):
        share = np.where(np.isnan(denominator), value, value * 100 / denominator)
        if ((share < 0) | (share > 100) | (denominator <= 0)).any():
            raise BadData(f"column {leaf.code!r}: a percentage outside 0..100")
        if kind == "bands":
            return band_points(share, leaf.rule["bands"]), na, top
        full_at = leaf.rule.get("full_at", 100)
        return top * np.minimum(share, full_at) / full_at, na, top
    if kind == "count":
        if ((value < 0) | (value % 1 > 0)).any():
            raise BadData(f"column {leaf.code!r}: a count that is not a whole number")
        if "thresholds" in leaf.rule:
            return band_points(value, leaf.rule["thresholds"]), na, top
        return np.minimum(value * leaf.rule["per_item"], top), na, top
    if kind == "points":
        if ((value < 0) | (value > top)).any():
            raise BadData(f"column {leaf.code!r}: points outside 0..max")
        return value, na, top
    if kind == "relative":  # max × value / the block's best, once the blocks are known
        return value, na, top
    raise BadData(f"rule {kind!r} is not handled by this script")


def declared_rows(units: pd.DataFrame) -> dict[str, np.ndarray]:
    """For each code in the column ``not_applicable``, the rows that declare it."""
    declared = units["not_applicable"].str.strip().str.split(r"[;,\s]+", regex=True).explode()
    declared = declared[declared != ""]
    masks = {}
    for code, rows in declared.groupby(declared).groups.items():
        masks[code] = np.zeros(len(units), bool)
        masks[code][rows] = True
    return masks


def round_half_up(values: np.ndarray, decimals: int) -> np.ndarray:
    factor = 10.0**decimals
    return np.floor(values * factor + 0.5) / factor


def tiers_of(percent: np.ndarray, classification: dict[str, Any]) -> tuple[np.ndarray, np.ndarray]:
    """Tier labels (None without a percentage) and whether below the lowest tier."""
    value = percent
    if classification.get("precision") is not None:
        value = round_half_up(percent, classification["precision"])
    below = classification.get("below_lowest")
    conditions = [value >= tier.get("min", -np.inf) for tier in classification["tiers"]]
    labels = [tier["label"] for tier in classification["tiers"]]
    lowest = below["label"] if below else None
    label = np.select(conditions, labels, default=lowest).astype(object)
    label[np.isnan(percent)] = None
    is_below = np.zeros(len(value), bool) if not below else ~np.logical_or.reduce(conditions)
    return label, is_below & ~np.isnan(percent)


def competition_ranks(keys: list[np.ndarray]) -> np.ndarray:
    """Competition ranks (1, 1, 3) of the rows, higher keys first; equal keys, same rank."""
    table = pd.DataFrame({i: key for i, key in enumerate(keys)})
    ordered = table.sort_values(list(table.columns), ascending=False)
    new = ordered.ne(ordered.shift()).any(axis=1).to_numpy()
    positions = np.arange(1, len(ordered) + 1)
    ranks = np.empty(len(ordered), int)
    ranks[ordered.index.to_numpy()] = np.maximum.accumulate(np.where(new, positions, 0))
    return ranks


def summary(values: pd.Series, names: pd.Series) -> dict[str, Any]:
    values = values.dropna()
    if values.empty:
        return {"count": 0, "mean": None, "max": None, "min": None, "gap": None}
    mean, high, low = values.mean(), values.max(), values.min()
    above = int((values >= mean).sum())
    return {
        "count": len(values),
        "mean": mean,
        "max": high,
        "min": low,
        "gap": high - low,
        "at_or_above_mean": above,
        "share_at_or_above_mean": above * 100 / len(values),
        "best": names[values.index[values == high]].tolist(),
        "worst": names[values.index[values == low]].tolist(),
    }


def tier_shares(labels: pd.Series, classification: dict[str, Any]) -> list[dict[str, Any]]:
    order = [tier["label"] for tier in classification["tiers"]]
    if classification.get("below_lowest"):
        order.append(classification["below_lowest"]["label"])
    counts = labels.value_counts()
    total = len(labels)
    return [
        {
            "label": label,
            "count": int(counts.get(label, 0)),
            "share": 100 * counts.get(label, 0) / total,
        }
        for label in order
    ]


def name_key(names: pd.Series) -> pd.Series:
    return names.str.split().str.join(" ").str.casefold()


def read_previous(paths: list[str]) -> list[tuple[int, pd.DataFrame]]:
    years = []
    for path in paths:
        table = pd.read_csv(path, dtype={"unit": str, "block": str}, keep_default_na=False)
        table["unit"] = table["unit"].str.strip()
        table["rank"] = pd.to_numeric(table["rank"].replace("", np.nan))
        table["score"] = pd.to_numeric(table["score"].astype(str).str.replace(",", "."), "coerce")
        table["key"] = name_key(table["unit"])
        if table.duplicated(["year", "key"]).any():
            raise BadData(f"{path}: a unit appears twice")
        years += list(table.groupby("year", sort=False))
    return [(int(year), table) for year, table in years]


def score(framework: dict[str, Any], data: str, previous: list[str]) -> dict[str, Any]:
    units = pd.read_csv(data, dtype=str, keep_default_na=False)
    units["unit"] = units["unit"].str.strip()
    units["status"] = units["status"].str.strip().str.lower().map(STATUSES)
    if units["status"].isna().any():
        raise BadData("unknown status")
    if units["unit"].duplicated().any():
        raise BadData("a unit appears twice")
    leaves = leaves_of(framework)
    blocks = [block["code"] for block in framework["blocks"]]
    declared = declared_rows(units)
    nobody = np.zeros(len(units), bool)
    block_rows = pd.factorize(units["block"])
    n = len(units)
    points = np.zeros((n, len(leaves)))
    maxima = np.zeros((n, len(leaves)))
    na = np.zeros((n, len(leaves)), bool)
    full_credit = {
        part["code"]
        for group in framework["criteria"]
        for part in group["children"]
        if part.get("not_applicable_policy") == "full_credit"
    }
    parsed = answers(leaves, units)
    for j, leaf in enumerate(leaves):
        got, said_na, top = leaf_points(leaf, units, parsed[leaf.code], block_rows)
        if leaf.rule["type"] == "relative":
            best = pd.Series(got).groupby(units["block"]).transform("max").to_numpy()
            got = np.where(best > 0, top * got / best, 0.0)
        part_declared = declared.get(leaf.part, nobody)
        credit = part_declared & (leaf.part in full_credit)  # the part's full points
        excluded = (part_declared | declared.get(leaf.code, nobody)) & ~credit
        got = np.where(credit, top, got)
        points[:, j] = np.where(np.isnan(got) | np.isnan(top), 0.0, got)
        na[:, j] = said_na | excluded
        maxima[:, j] = np.where(np.isnan(top) | na[:, j], 0.0, top)
    points[na] = 0.0
    codes = [leaf.code for leaf in leaves]
    nodes = list(dict.fromkeys(c for leaf in leaves for c in (leaf.group, leaf.part)))
    member = np.array([[code in (leaf.group, leaf.part) for code in nodes] for leaf in leaves])
    node_points = pd.DataFrame(points @ member, columns=nodes)
    node_maxima = pd.DataFrame(maxima @ member, columns=nodes)
    tags = {}
    for group in framework["criteria"]:
        for part in group["children"]:
            for tag in part.get("tags", ()):
                tags.setdefault(tag, []).append(part["code"])
    units["total"] = points.sum(axis=1)
    units["max"] = maxima.sum(axis=1)
    units["percent"] = units["total"] * 100 / units["max"]
    no_data = units["status"] == "no_data"
    for column in ("total", "max", "percent"):
        units.loc[no_data, column] = np.nan
    history = read_previous(previous)
    units["key"] = name_key(units["unit"])
    result_blocks = []
    for block_spec in framework["blocks"]:
        block = block_spec["code"]
        rows = units.index[units["block"] == block]
        result_blocks.append(
            score_block(
                framework,
                block_spec,
                units.loc[rows].reset_index(drop=True),
                node_points.loc[rows].reset_index(drop=True),
                node_maxima.loc[rows].reset_index(drop=True),
                na[rows],
                codes,
                tags,
                history,
                float(sum(leaf.maxima.get(block, 0) for leaf in leaves)),
            )
        )
    assert blocks == [b["block"] for b in result_blocks]
    scored = units[units["total"].notna()]
    return {
        "framework": framework["id"],
        "year": framework["year"],
        "blocks": result_blocks,
        "overall": summary(scored["total"], scored["unit"]),
    }


def score_block(framework, spec, units, node_points, node_maxima, na, codes, tags, history, top):
    block = spec["code"]
    classification = spec.get("classification") or framework["classification"]
    ranking = framework["ranking"]
    with_data = units["status"] != "no_data"
    node_points = node_points.where(with_data)
    node_percent = node_points * 100 / node_maxima.where(node_maxima > 0)
    groups = [group["code"] for group in framework["criteria"]]
    label, below = tiers_of(units["percent"].to_numpy(), classification)
    units["tier"] = label
    ranked = (units["status"] == "submitted") & ~below
    reason = np.select(
        [units["status"] == "no_data", units["status"] == "voluntary", below],
        ["no_data", "voluntary", "below_lowest_level"],
        default="",
    ).astype(object)
    reason[reason == ""] = None
    units["not_ranked_reason"] = reason
    keys = [round_half_up(units["percent"].to_numpy(), ranking["precision"])]
    for breaker in ranking["tie_breakers"]:
        measure = units["total"] if breaker == "points" else node_points[breaker]
        keys.append(measure.to_numpy())
    chosen = ranked.to_numpy()
    rank = np.full(len(units), np.nan)
    rank[chosen] = competition_ranks([key[chosen] for key in keys])
    units["rank"] = rank
    group_tiers = pd.DataFrame(
        {g: tiers_of(node_percent[g].to_numpy(), classification)[0] for g in groups}
    )
    tag_points = pd.DataFrame({tag: node_points[parts].sum(axis=1) for tag, parts in tags.items()})
    comparisons = []
    for year, before in history:
        here = before[before["block"] == block].set_index("key")
        joined = units[["key"]].join(here[["rank", "score"]], on="key")
        comparisons.append((year, joined["rank"], joined["score"]))
    order = (
        units.assign(_rank=units["rank"].fillna(np.inf))
        .sort_values(["_rank", "percent"], ascending=[True, False])
        .index
    )
    json_units = []
    records = units[
        ["unit", "status", "total", "max", "percent", "tier", "rank", "not_ranked_reason"]
    ].to_dict("records")
    point_records, tier_records, tag_records = (
        [dict(zip(frame.columns, row, strict=True)) for row in frame.to_numpy().tolist()]
        for frame in (node_points, group_tiers, tag_points)
    )
    na_lists = [[codes[j] for j in np.flatnonzero(row)] for row in na]
    previous_columns = [
        (year, ranks.to_numpy(), scores.to_numpy()) for year, ranks, scores in comparisons
    ]
    for i in order:
        record = records[i]
        has_data = record["status"] != "no_data"
        record["rank"] = None if np.isnan(record["rank"]) else int(record["rank"])
        record["groups"] = point_records[i] if has_data else {}
        record["group_tiers"] = tier_records[i] if has_data else {}
        record["not_applicable"] = na_lists[i]
        record["tags"] = tag_records[i] if has_data else {}
        record["previous"] = [
            _comparison(year, ranks[i], scores[i], record["rank"], record["total"])
            for year, ranks, scores in previous_columns
        ]
        json_units.append(_clean(record))
    scored = units[with_data]
    stats = {
        "units": len(units),
        "with_data": int(with_data.sum()),
        "ranked": int(ranked.sum()),
        "score": summary(scored["total"], scored["unit"]),
        "percent": summary(scored["percent"], scored["unit"]),
        "tiers": tier_shares(scored["tier"], classification),
        "groups": {
            code: summary(node_points.loc[with_data, code], scored["unit"])
            for code in node_points.columns
        },
        "group_tiers": {
            g: tier_shares(group_tiers.loc[with_data, g], classification) for g in groups
        },
        "previous": [
            _previous_stats(year, before, units, top, classification) for year, before in history
        ],
    }
    return {"block": block, "name": spec["name"], "max": top, "units": json_units, "stats": stats}


def _comparison(year, before_rank, before_score, rank, total):
    had_rank, had_score = not np.isnan(before_rank), not np.isnan(before_score)
    return {
        "year": year,
        "rank": int(before_rank) if had_rank else None,
        "score": before_score if had_score else None,
        "rank_change": int(before_rank) - rank if had_rank and rank is not None else None,
        "score_change": total - before_score if had_score and not np.isnan(total) else None,
    }


def _previous_stats(year, before, units, top, classification):
    """An earlier year's units of the block: count, mean score, tiers (of the percentage of
    the unit's maximum this year, or of the block's for a unit gone since)."""
    here = before[before["block"] == units["block"].iloc[0]]
    maxima = here["key"].map(units.set_index("key")["max"]).fillna(top)
    percent = (here["score"] * 100 / maxima).to_numpy()
    labels, _ = tiers_of(percent, classification)
    return {
        "year": year,
        "count": len(here),
        "mean_score": here["score"].mean(),
        "tiers": tier_shares(pd.Series(labels), classification),
    }


def _clean(record: dict[str, Any]) -> dict[str, Any]:
    for name in ("total", "max", "percent", "tier", "not_ranked_reason"):
        if isinstance(record[name], float) and np.isnan(record[name]):
            record[name] = None
    return record


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--framework", required=True)
    parser.add_argument("--data", required=True)
    parser.add_argument("--previous", action="append", default=[])
    parser.add_argument("--out", required=True)
    args = parser.parse_args(argv)
    text = Path(args.framework).read_text(encoding="utf-8")
    framework = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    try:
        result = score(framework, args.data, args.previous)
    except BadData as error:
        print(f"score_pandas: {error}", file=sys.stderr)
        return 1
    text = json.dumps(result, ensure_ascii=False, default=float)
    Path(args.out).write_text(text + "\n", encoding="utf-8")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
