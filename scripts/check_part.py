"""Quick stdlib-only check of data tables (and sources parts) while they are being written.

Usage: python3 scripts/check_part.py events [memberships ...]
Checks columns, required fields, enums, patterns, min/max, unique keys and that every source id
used is defined in data/sources.csv or data/sources_parts/*.csv. The real validation is
balkan_diplomacy.data (frictionless); this is a helper for authors of the tables.
"""
import csv
import glob
import json
import re
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent / "data"


def read(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def main(tables):
    pkg = json.loads((DATA / "datapackage.json").read_text(encoding="utf-8"))
    res = {r["name"]: r for r in pkg["resources"]}
    source_ids = {}
    for p in [DATA / "sources.csv", *sorted(glob.glob(str(DATA / "sources_parts" / "*.csv")))]:
        p = Path(p)
        if not p.exists():
            continue
        rows = read(p)
        hdr = rows[0]
        if hdr != [f["name"] for f in res["sources"]["schema"]["fields"]]:
            print(f"{p.name}: header {hdr} differs from sources schema")
        for i, r in enumerate(rows[1:], 2):
            rec = dict(zip(hdr, r))
            sid = rec.get("source_id", "")
            if sid in source_ids and source_ids[sid][1] != rec.get("url"):
                print(f"{p.name} row {i}: source_id {sid!r} also in {source_ids[sid][0]} with another url")
            source_ids[sid] = (p.name, rec.get("url"))
            check_row(p.name, i, rec, res["sources"]["schema"]["fields"])
    problems = 0
    for t in tables:
        fields = res[t]["schema"]["fields"]
        path = DATA / f"{t}.csv"
        rows = read(path)
        hdr = rows[0]
        want = [f["name"] for f in fields]
        if hdr != want:
            print(f"{t}.csv: header {hdr}\n  expected {want}")
            problems += 1
            continue
        pk = res[t]["schema"]["primaryKey"]
        seen = set()
        for i, r in enumerate(rows[1:], 2):
            if len(r) != len(hdr):
                print(f"{t}.csv row {i}: {len(r)} cells, expected {len(hdr)}")
                problems += 1
                continue
            rec = dict(zip(hdr, r))
            problems += check_row(f"{t}.csv", i, rec, fields)
            key = tuple(rec[k] for k in pk)
            if key in seen:
                print(f"{t}.csv row {i}: duplicate key {key}")
                problems += 1
            seen.add(key)
            for fk in res[t]["schema"].get("foreignKeys", []):
                v = rec[fk["fields"]]
                if v and v not in source_ids:
                    print(f"{t}.csv row {i}: {fk['fields']}={v!r} not defined in sources")
                    problems += 1
        print(f"{t}.csv: {len(rows) - 1} rows checked")
    print("OK" if not problems else f"{problems} problems")


def check_row(name, i, rec, fields):
    n = 0
    for f in fields:
        v = rec.get(f["name"], "")
        c = f.get("constraints", {})
        if v == "":
            if c.get("required"):
                print(f"{name} row {i}: column {f['name']} is required but empty")
                n += 1
            continue
        if "enum" in c and v not in c["enum"]:
            print(f"{name} row {i}: column {f['name']} value {v!r} not in {c['enum']}")
            n += 1
        if "pattern" in c and not re.fullmatch(c["pattern"], v):
            print(f"{name} row {i}: column {f['name']} value {v!r} does not match {c['pattern']}")
            n += 1
        if f["type"] in ("number", "integer"):
            try:
                x = float(v) if f["type"] == "number" else int(v)
            except ValueError:
                print(f"{name} row {i}: column {f['name']} value {v!r} is not a {f['type']}")
                n += 1
                continue
            if "minimum" in c and x < c["minimum"] or "maximum" in c and x > c["maximum"]:
                print(f"{name} row {i}: column {f['name']} value {v!r} out of range")
                n += 1
        if f["type"] == "boolean" and v not in ("true", "false"):
            print(f"{name} row {i}: column {f['name']} value {v!r} must be true or false")
            n += 1
        if f["type"] == "date" and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", v):
            print(f"{name} row {i}: column {f['name']} value {v!r} is not YYYY-MM-DD")
            n += 1
        if "maxLength" in c and len(v) > c["maxLength"]:
            print(f"{name} row {i}: column {f['name']} longer than {c['maxLength']}")
            n += 1
    return n


if __name__ == "__main__":
    main(sys.argv[1:])
