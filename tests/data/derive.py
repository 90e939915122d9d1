"""Derive the golden-test input files from the published tables.

Input: only ``tests/data/<province>/published/*.csv`` — byte-for-byte copies of the published
tables (see ``tests/data/README.md`` for where they come from). Nothing is corrected here: every
number is copied as printed (the text of the cell, not a float), except the 2019 totals of
Cao Bằng, which the report does not print and which are summed from its printed 2019 columns.

Output, for each of binh-dinh-2021, son-la-2020 and cao-bang-2020, in ``tests/data/<province>/``:

* ``units.csv``    the DATA file of ``chiso score``: the current year's published points per
                   group, one row per unit of the block's overall table, in printed order;
* ``previous.csv`` the PREVIOUS file: the earlier year's published ranks (and scores);
* ``bang-*.csv``   one AUDIT table per published unit table (``chiso audit``), named after it;
* ``tables.csv``   the index of the audit tables: file, printed table name, group code.

The README beside this script describes every column. Unit names are the overall table's
spelling; the few printed variants (``RENAMES``) are replaced so units match across tables, and
the script stops if any name of a table does not match a unit of its block's overall table.

Run it from anywhere (``python tests/data/derive.py``); it is deterministic: the same input
gives byte-identical output (UTF-8, "\\n" line ends, rows in printed order).
"""

from __future__ import annotations

import csv
import re
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Printed variants of a unit name → the spelling of the block's overall table.
RENAMES = {
    "binh-dinh-2021": {
        "Sở Công thương": "Sở Công Thương",  # Bảng 1.1
        "Ban Quản lý Khu Kinh tế": "Ban Quản lý Khu kinh tế",  # Bảng 1.3
    },
    "son-la-2020": {},
    "cao-bang-2020": {
        "Ban Quản lý khu kinh tế": "Ban QL KKT",  # Bảng 6, 7
        "Sở Lao động-TB&XH": "Sở Lao động, TB&XH",  # Bảng 2–7
        "TP.Cao Bằng": "Thành phố Cao Bằng",  # Bảng 13
        "Huyện Quảng Uyên": "Huyện Quảng Hòa",  # Bảng 9, 14, 17
    },
}

MAX_ROW = "Điểm tối đa"


# --- files ---------------------------------------------------------------------------------


def read(province: str, name: str) -> list[dict[str, str]]:
    path = HERE / province / "published" / f"{name}.csv"
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    return [row for row in rows if _name(row) != MAX_ROW]


def write(province: str, name: str, columns: list[str], rows: list[dict[str, str]]) -> None:
    path = HERE / province / f"{name}.csv"
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle, lineterminator="\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([row.get(column, "") for column in columns])


def _name(row: dict[str, str]) -> str:
    return row.get("ten_co_quan") or row.get("don_vi") or ""


class Names:
    """The units of each block's overall table; renames and checks the names of other tables."""

    def __init__(self, province: str) -> None:
        self.province = province
        self.blocks: dict[str, dict[str, str]] = {}

    def add_overall(self, block: str, rows: list[dict[str, str]]) -> None:
        self.blocks[block] = {_name(row).casefold(): _name(row) for row in rows}

    def unit(self, block: str, row: dict[str, str], table: str) -> str:
        printed = _name(row)
        name = RENAMES[self.province].get(printed, printed)
        if name.casefold() not in self.blocks[block]:
            raise SystemExit(f"{self.province}/{table}: {printed!r} is not a unit of {block}")
        return name


class Index:
    """The rows of ``tables.csv``."""

    def __init__(self) -> None:
        self.rows: list[dict[str, str]] = []

    def add(self, file: str, table: str, group: str = "") -> None:
        self.rows.append({"file": f"{file}.csv", "table": table, "group": group})

    def write(self, province: str) -> None:
        """In the order of the report: Bảng 1, 1.1, 1.2 a), …, 2, 2.1, …, 10."""

        def number(row: dict[str, str]) -> list[int | str]:
            return [int(p) if p.isdigit() else p for p in re.findall(r"\d+|[a-z]", row["table"])]

        write(province, "tables", ["file", "table", "group"], sorted(self.rows, key=number))


def audit_columns(rows: list[dict[str, str]], middle: list[str]) -> list[str]:
    """unit, block, the optional columns that have a value, then ``middle``."""
    columns = ["unit", "block"]
    columns += [c for c in ("not_applicable", "note") if any(row.get(c) for row in rows)]
    return columns + middle


def rounded_sum(values: list[str]) -> str:
    """Sum of printed numbers, rounded half up to the most decimals among them."""
    numbers = [Decimal(value) for value in values]
    decimals = max(-int(n.as_tuple().exponent) for n in numbers)
    total = sum(numbers, Decimal(0))
    return str(total.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP))


# --- Bình Định 2021 ------------------------------------------------------------------------

BD = "binh-dinh-2021"
BD_GROUPS = {
    "muc_i_ha_tang": "I",
    "muc_ii_ung_dung": "II",
    "muc_iii_trang_ttdt": "III",
    "muc_iv_attt": "IV",
    "muc_v_co_che_chinh_sach": "V",
    "muc_vi_nhan_luc_dau_tu": "VI",
}
BD_MARKERS = {"*": "II.b.2", "**": "II.b"}  # the exemptions marked after the name in Bảng 1
BD_OVERALL = {"so": ("bang-1", "Bảng 1"), "huyen": ("bang-2", "Bảng 2")}
BD_PARTS = [("1", "I"), ("2a", "II.a"), ("2b", "II.b")] + [
    (str(n), code) for n, code in zip(range(3, 7), ("III", "IV", "V", "VI"), strict=True)
]


def _related(code: str, group: str) -> bool:
    return code == group or code.startswith(group + ".") or group.startswith(code + ".")


def binh_dinh() -> None:
    names = Names(BD)
    index = Index()
    units: list[dict[str, str]] = []
    previous: list[dict[str, str]] = []
    exempt: dict[str, str] = {}
    for block, (file, title) in BD_OVERALL.items():
        rows = read(BD, file)
        names.add_overall(block, rows)
        audit = []
        for row in rows:
            name = _name(row)
            na = BD_MARKERS.get(row["note"], "")
            exempt[name] = na
            groups = {code: row[column] for column, code in BD_GROUPS.items()}
            units.append({"unit": name, "block": block, "not_applicable": na, **groups})
            previous.append(
                {"unit": name, "block": block, "year": "2020", "rank": row["xep_hang_2020"]}
            )
            audit.append(
                {
                    "unit": name,
                    "block": block,
                    "not_applicable": na,
                    **groups,
                    "score": row["tong_diem"],
                    "percent": row["ty_le"],
                    "tier": row["muc"],
                    "rank": row["xep_hang_2021"],
                    "rank_2020": row["xep_hang_2020"],
                }
            )
        middle = [*BD_GROUPS.values(), "score", "percent", "tier", "rank", "rank_2020"]
        write(BD, file, audit_columns(audit, middle), audit)
        index.add(file, title)
    for block, (file, title) in BD_OVERALL.items():
        for suffix, group in BD_PARTS:
            part = f"{file}-{suffix}"
            printed = f"{title}.{suffix[0]}" + (f" {suffix[1]})" if len(suffix) > 1 else "")
            audit = []
            for row in read(BD, part):
                name = names.unit(block, row, part)
                na = exempt[name] if _related(exempt[name], group) else ""
                audit.append(
                    {
                        "unit": name,
                        "block": block,
                        "not_applicable": na,
                        "note": "" if row["note"] in BD_MARKERS else row["note"],
                        "score": row["tong_diem"],
                        "percent": row["ty_le"],
                        "tier": row["muc"],
                    }
                )
            write(BD, part, audit_columns(audit, ["score", "percent", "tier"]), audit)
            index.add(part, printed, group)
    columns = ["unit", "block", "not_applicable", *BD_GROUPS.values()]
    write(BD, "units", columns, units)
    write(BD, "previous", ["unit", "block", "year", "rank", "score"], previous)
    index.write(BD)


# --- Sơn La 2020 ---------------------------------------------------------------------------

SL = "son-la-2020"
SL_TABLES = [("bang-1", "Bảng 1", "tinh"), ("bang-2", "Bảng 2", "huyen")]


def son_la() -> None:
    index = Index()
    units: list[dict[str, str]] = []
    previous: list[dict[str, str]] = []
    for file, title, block in SL_TABLES:
        audit = []
        for row in read(SL, file):
            name = _name(row)
            units.append({"unit": name, "block": block, "TD": row["diem_2020"]})
            previous.append(
                {
                    "unit": name,
                    "block": block,
                    "year": "2019",
                    "rank": row["hang_2019"],
                    "score": row["diem_2019"],
                }
            )
            audit.append(
                {
                    "unit": name,
                    "block": block,
                    "score": row["diem_2020"],
                    "rank": row["hang_2020"],
                    "rank_2019": row["hang_2019"],
                    "score_2019": row["diem_2019"],
                    "change_2019": row["so_sanh"],
                }
            )
        middle = ["score", "rank", "rank_2019", "score_2019", "change_2019"]
        write(SL, file, audit_columns(audit, middle), audit)
        index.add(file, title)
    write(SL, "units", ["unit", "block", "TD"], units)
    write(SL, "previous", ["unit", "block", "year", "rank", "score"], previous)
    index.write(SL)


# --- Cao Bằng 2020 -------------------------------------------------------------------------

CB = "cao-bang-2020"
CB_SO = {
    "ha_tang_ky_thuat": "1",
    "ung_dung_cntt": "2",
    "cung_cap_thong_tin_trang_ttdt": "3",
    "cung_cap_dvctt": "4",
    "nhan_luc": "5",
    "chinh_sach": "6",
}
CB_HUYEN = {
    "dkss_cqdt": "I",
    "co_so_ha_tang": "I.1",
    "nhan_luc": "I.2",
    "chinh_sach": "I.3",
    "kq_cqdt": "II",
    "hien_dien": "II.1",
    "tuong_tac": "II.2",
    "giao_dich": "II.3",
    "chuyen_doi": "II.4",
}
CB_HUYEN_LEAVES = [code for code in CB_HUYEN.values() if "." in code]
_YEARS = {"nam_2020": "score", "nam_2019": "score_2019"}
# file, printed name, block, group, {published column: audit column}
CB_GROUP_TABLES = [
    *((f"bang-{n}", f"Bảng {n}", "so", str(n - 1), _YEARS) for n in range(2, 8)),
    (
        "bang-9",
        "Bảng 9",
        "huyen",
        "I",
        {
            "csht_2020": "I.1",
            "nl_2020": "I.2",
            "cs_2020": "I.3",
            "dkss_cqdt_2020": "score",
            "csht_2019": "I.1_2019",
            "nl_2019": "I.2_2019",
            "cs_2019": "I.3_2019",
            "dkss_cqdt_2019": "score_2019",
        },
    ),
    ("bang-10", "Bảng 10", "huyen", "I.1", _YEARS),
    ("bang-11", "Bảng 11", "huyen", "I.2", _YEARS),
    ("bang-12", "Bảng 12", "huyen", "I.3", _YEARS),
    (
        "bang-13",
        "Bảng 13",
        "huyen",
        "II",
        {
            "hien_dien_2020": "II.1",
            "tuong_tac_2020": "II.2",
            "giao_dich_2020": "II.3",
            "chuyen_doi_2020": "II.4",
            "kq_cqdt_2020": "score",
            "hien_dien_2019": "II.1_2019",
            "tuong_tac_2019": "II.2_2019",
            "giao_dich_2019": "II.3_2019",
            "chuyen_doi_2019": "II.4_2019",
            "kq_cqdt_2019": "score_2019",
        },
    ),
    ("bang-14", "Bảng 14", "huyen", "II.1", _YEARS),
    ("bang-15", "Bảng 15", "huyen", "II.2", _YEARS),
    # Printed "Năm 2019" / "Năm 2018" over the 2020 / 2019 values (erratum CB-15): kept.
    ("bang-16", "Bảng 16", "huyen", "II.3", {"nam_2019": "score_2019", "nam_2018": "score_2018"}),
    ("bang-17", "Bảng 17", "huyen", "II.4", _YEARS),
]


def cao_bang() -> None:
    names = Names(CB)
    index = Index()
    so_rows, huyen_rows = read(CB, "bang-1"), read(CB, "bang-8")
    names.add_overall("so", so_rows)
    names.add_overall("huyen", huyen_rows)

    units: list[dict[str, str]] = []
    audit = []
    for row in so_rows:
        groups = {code: row[column] for column, code in CB_SO.items()}
        units.append({"unit": _name(row), "block": "so", **groups})
        audit.append(
            {
                "unit": _name(row),
                "block": "so",
                "note": row["note"],
                **groups,
                "score": row["tong_diem_2020"],
                "tier": row["muc_xep_hang_2020"],
                "rank": row["thu_tu_xep_hang_2020"],
                "rank_2019": row["thu_tu_xep_hang_2019"],
            }
        )
    middle = [*CB_SO.values(), "score", "tier", "rank", "rank_2019"]
    write(CB, "bang-1", audit_columns(audit, middle), audit)
    index.add("bang-1", "Bảng 1")

    audit = []
    for row in huyen_rows:
        groups = {code: row[column] for column, code in CB_HUYEN.items()}
        no_data = bool(row["note"]) and not row["tong_diem_2020"]
        units.append(
            {
                "unit": _name(row),
                "block": "huyen",
                "status": "no_data" if no_data else "",
                **{code: groups[code] for code in CB_HUYEN_LEAVES},
            }
        )
        audit.append(
            {
                "unit": _name(row),
                "block": "huyen",
                "note": row["note"],
                **groups,
                "score": row["tong_diem_2020"],
                "tier": row["muc_xh_2020"],
                "rank": row["thu_tu_xep_hang_2020"],
                "rank_2019": row["thu_tu_xep_hang_2019"],
            }
        )
    middle = [*CB_HUYEN.values(), "score", "tier", "rank", "rank_2019"]
    write(CB, "bang-8", audit_columns(audit, middle), audit)
    index.add("bang-8", "Bảng 8")

    published_2019: dict[str, list[str]] = {}  # unit → its printed 2019 group values
    for file, title, block, group, mapping in CB_GROUP_TABLES:
        audit = []
        for row in read(CB, file):
            name = names.unit(block, row, file)
            entry = {"unit": name, "block": block, "note": row["note"]}
            entry |= {target: row[source] for source, target in mapping.items()}
            audit.append(entry)
            # The 2019 totals: departments = sum of Bảng 2–7, districts = Bảng 9 + Bảng 13.
            if file in {f"bang-{n}" for n in (2, 3, 4, 5, 6, 7, 9, 13)} and entry["score_2019"]:
                published_2019.setdefault(name, []).append(entry["score_2019"])
        write(CB, file, audit_columns(audit, list(mapping.values())), audit)
        index.add(file, title, group)

    previous = []
    for block, rows, parts in (("so", so_rows, 6), ("huyen", huyen_rows, 2)):
        for row in rows:
            values = published_2019.get(_name(row), [])
            if not values:
                continue  # no 2019 result published (Huyện Thạch An)
            if len(values) != parts:
                raise SystemExit(f"{CB}: {_name(row)} has {len(values)} 2019 parts, not {parts}")
            previous.append(
                {
                    "unit": _name(row),
                    "block": block,
                    "year": "2019",
                    "rank": row["thu_tu_xep_hang_2019"],
                    "score": rounded_sum(values),
                }
            )

    columns = ["unit", "block", "status", *CB_SO.values(), *CB_HUYEN_LEAVES]
    write(CB, "units", columns, units)
    write(CB, "previous", ["unit", "block", "year", "rank", "score"], previous)
    index.write(CB)


if __name__ == "__main__":
    binh_dinh()
    son_la()
    cao_bang()
