"""Load the tables in ``data/`` as typed pandas DataFrames, validated first.

Validation runs the files through the ``frictionless`` library against ``data/datapackage.json``
(types, constraints, primary and foreign keys), plus two checks the Table Schema cannot express:
that each file is UTF-8 and that each partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) is a real
date whose length agrees with its precision column. Any problem raises one :class:`DataError`
that lists every problem with its file, line, column and value; no row is ever dropped or
repaired.

Validating the package costs about a second (frictionless itself takes half a second to import),
so a successful validation is remembered by the files' content hash: in this process, and on disk
in the user's cache folder, so the next kernel skips it while nothing has changed.
"""

from __future__ import annotations

import calendar
import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pandas as pd

#: Bump when the validation rules change, so that earlier cache entries no longer count.
VALIDATOR_VERSION = "3"

PRECISIONS = ("day", "month", "year")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
_PRECISION_OF_PARTS = {1: "year", 2: "month", 3: "day"}


def data_dir() -> Path:
    """The folder holding the CSV files: ``$BALKAN_DATA_DIR`` or the repository's ``data/``."""
    env = os.environ.get("BALKAN_DATA_DIR")
    if env:
        return Path(env).resolve()
    return Path(__file__).resolve().parents[2] / "data"


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one cell, row or file."""

    file: str
    line: int | None  # line of the file, header = 1; None for problems of the whole file
    column: str | None
    value: str | None
    message: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.column:
            where += f", column '{self.column}'"
        if self.value is not None:
            where += f", value {self.value!r}"
        return f"{where}: {self.message}"


class DataError(ValueError):
    """Raised when a data file breaks its schema. ``problems`` lists every problem found."""

    def __init__(self, problems: list[Problem]):
        self.problems = list(problems)
        shown = "\n".join(f"  - {p}" for p in self.problems[:50])
        more = f"\n  ... and {len(self.problems) - 50} more" if len(self.problems) > 50 else ""
        super().__init__(
            f"{len(self.problems)} problem(s) in the data files; nothing was loaded.\n{shown}{more}"
        )


# --------------------------------------------------------------------------------------------
# the package descriptor


def _descriptor(folder: Path) -> dict:
    path = folder / "datapackage.json"
    try:
        return json.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise DataError([Problem(str(path), None, None, None, "file not found")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(str(path), None, None, None, f"not valid JSON ({exc})")]) from None


def table_names(folder: Path | None = None) -> list[str]:
    """Names of the tables described in ``datapackage.json``, in its order."""
    return [r["name"] for r in _descriptor(folder or data_dir())["resources"]]


def schema(name: str, folder: Path | None = None) -> dict:
    """The Table Schema of one table (fields, keys) as a dict."""
    for r in _descriptor(folder or data_dir())["resources"]:
        if r["name"] == name:
            return r["schema"]
    raise KeyError(f"no table named {name!r}; the tables are {table_names(folder)}")


def describe_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One row per column of a table: its type, unit, constraints and description."""
    rows = []
    for f in schema(name, folder)["fields"]:
        c = f.get("constraints", {})
        rows.append({
            "column": f["name"], "type": f["type"], "unit": f.get("unit", ""),
            "required": bool(c.get("required")),
            "allowed": ", ".join(map(str, c.get("enum", []))),
            "description": f.get("description", ""),
        })
    return pd.DataFrame(rows)


# --------------------------------------------------------------------------------------------
# validation


def _fingerprint(folder: Path, descriptor: dict) -> str:
    h = hashlib.sha256(VALIDATOR_VERSION.encode())
    h.update((folder / "datapackage.json").read_bytes())
    for r in descriptor["resources"]:
        p = folder / r["path"]
        h.update(r["path"].encode())
        h.update(p.read_bytes() if p.exists() else b"<missing>")
    return h.hexdigest()


def _cache_file() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "balkan_diplomacy" / "validated.json"


def _cached_ok(fp: str) -> bool:
    try:
        return fp in json.loads(_cache_file().read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


def _remember_ok(fp: str) -> None:
    path = _cache_file()
    try:
        try:
            known = json.loads(path.read_text(encoding="utf-8"))[-20:]
        except (OSError, ValueError):
            known = []
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(known + [fp]), encoding="utf-8")
    except OSError:
        pass  # a read-only home only costs the next kernel a re-validation


def _check_file(path: Path, fields: list[dict]) -> list[Problem]:
    """Problems frictionless reports poorly: missing, empty or non-UTF-8 files."""
    name = path.name
    if not path.exists():
        return [Problem(name, None, None, None, "file not found")]
    raw = path.read_bytes()
    if not raw.strip():
        want = ",".join(f["name"] for f in fields)
        return [Problem(name, None, None, None, f"file is empty; expected a header row: {want}")]
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = raw[: exc.start].count(b"\n") + 1
        bad = raw[exc.start : exc.end + 8].decode("latin-1")
        return [Problem(name, line, None, bad,
                        f"not UTF-8 (byte {raw[exc.start]:#x}); save the file as UTF-8")]
    return []


def _check_partial_dates(path: Path, fields: list[dict]) -> list[Problem]:
    """Each partial date is a real date and agrees with its ``*_precision`` column."""
    names = {f["name"] for f in fields}
    pairs = []
    for f in fields:
        if f.get("constraints", {}).get("pattern", "").startswith(r"^\d{4}(-(0[1-9]"):
            col = f["name"]
            stem = col[: -len("_date")] if col.endswith("_date") else ""
            prec = next((p for p in (f"{col}_precision", f"{stem}_date_precision", "date_precision")
                         if p in names), None)
            pairs.append((col, prec))
    if not pairs:
        return []
    problems = []
    text = path.read_text(encoding="utf-8-sig")
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        for col, prec in pairs:
            value = row.get(col) or ""
            m = _PARTIAL_DATE.match(value)
            if not m:
                continue  # empty, or already reported by the pattern constraint
            y, mo, d = (int(x) if x else None for x in m.groups())
            if mo and d and d > calendar.monthrange(y, mo)[1]:
                problems.append(Problem(path.name, line, col, value,
                                        f"no such day: {calendar.month_name[mo]} {y} has "
                                        f"{calendar.monthrange(y, mo)[1]} days"))
                continue
            if prec and row.get(prec):
                implied = _PRECISION_OF_PARTS[sum(x is not None for x in (y, mo, d))]
                if row[prec] in PRECISIONS and row[prec] != implied:
                    problems.append(Problem(path.name, line, prec, row[prec],
                                            f"{col} is {value!r}, which is {implied} precision"))
            elif prec and not row.get(prec):
                problems.append(Problem(path.name, line, prec, "",
                                        f"{col} is given, so its precision is required"))
    return problems


def _frictionless_problems(folder: Path) -> list[Problem]:
    import frictionless  # imported here: it costs ~0.5 s and is only needed when files changed

    report = frictionless.validate(str(folder / "datapackage.json"), limit_errors=10_000)
    problems = []
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        for err in task.errors:
            line = getattr(err, "row_number", None)
            column = getattr(err, "field_name", None)
            value = getattr(err, "cell", None)
            if err.type == "foreign-key":
                column = ", ".join(getattr(err, "field_names", []) or []) or column
                cells = getattr(err, "field_cells", None) or []
                value = ", ".join(map(str, cells)) or value
            problems.append(Problem(file, line, column, value, f"{err.title}: {err.note}"))
    for err in report.errors:
        problems.append(Problem("datapackage.json", None, None, None, f"{err.title}: {err.note}"))
    return problems


def validate(folder: Path | str | None = None, *, use_cache: bool = True) -> None:
    """Check every table of the package; raise :class:`DataError` listing all problems."""
    folder = Path(folder) if folder else data_dir()
    descriptor = _descriptor(folder)
    fp = _fingerprint(folder, descriptor)
    if use_cache and (fp in _VALIDATED or _cached_ok(fp)):
        _VALIDATED.add(fp)
        return
    problems: list[Problem] = []
    unreadable = False
    for r in descriptor["resources"]:
        file_problems = _check_file(folder / r["path"], r["schema"]["fields"])
        unreadable |= bool(file_problems)
        problems += file_problems
    if not unreadable:
        problems += _frictionless_problems(folder)
        for r in descriptor["resources"]:
            problems += _check_partial_dates(folder / r["path"], r["schema"]["fields"])
    if problems:
        raise DataError(problems)
    _VALIDATED.add(fp)
    _remember_ok(fp)


_VALIDATED: set[str] = set()


# --------------------------------------------------------------------------------------------
# typed loading


def _to_period_start(text: pd.Series) -> pd.Series:
    """'2008', '2008-02' or '2008-02-17' -> the first day of that period, as datetime64."""
    suffix = text.str.len().map({4: "-01-01", 7: "-01", 10: ""})
    return pd.to_datetime(text + suffix, format="%Y-%m-%d")


def _typed(frame: pd.DataFrame, fields: list[dict]) -> pd.DataFrame:
    out = {}
    for f in fields:
        col, c = f["name"], f.get("constraints", {})
        s = frame[col]
        if f["type"] == "integer":
            s = pd.to_numeric(s).astype("Int64")
        elif f["type"] == "number":
            s = pd.to_numeric(s).astype("Float64")
        elif f["type"] == "boolean":
            s = s.map({"true": True, "false": False}).astype("boolean")
        elif f["type"] == "date":
            s = pd.to_datetime(s, format="%Y-%m-%d")
        elif "enum" in c:
            s = s.astype(pd.CategoricalDtype(c["enum"], ordered=False))
        elif c.get("pattern", "").startswith(r"^\d{4}(-(0[1-9]"):
            out[f"{col}_text"] = s
            s = _to_period_start(s)
        out[col] = s
    typed = pd.DataFrame(out, index=frame.index)
    # the raw text of a partial date goes right after the parsed column
    order = []
    for f in fields:
        order.append(f["name"])
        if f"{f['name']}_text" in typed:
            order.append(f"{f['name']}_text")
    return typed[order]


@lru_cache(maxsize=None)
def _load_cached(name: str, folder: str, fp: str) -> pd.DataFrame:
    del fp  # part of the cache key only
    path = Path(folder)
    fields = schema(name, path)["fields"]
    raw = pd.read_csv(path / f"{name}.csv", dtype=str, keep_default_na=False,
                      na_values=[""], encoding="utf-8-sig")
    return _typed(raw, fields)


def load(name: str, folder: Path | str | None = None) -> pd.DataFrame:
    """Return table ``name`` (e.g. ``"events"``) as a typed DataFrame.

    Partial dates become datetime64 columns holding the first day of the period (a year-precision
    ``2008`` becomes 2008-01-01); the text as written stays beside it in ``<column>_text`` and the
    precision column says how much of the date is known. Enumerated text columns are categoricals,
    numbers are nullable ``Int64``/``Float64`` (percentages in percent, 0-100), booleans
    ``boolean``. The package is validated first; a :class:`DataError` lists every problem.
    Returns a fresh copy each call, so a student's edits never leak into another cell's table.
    """
    path = Path(folder).resolve() if folder else data_dir()
    if name not in table_names(path):
        raise KeyError(f"no table named {name!r}; the tables are {table_names(path)}")
    validate(path)
    fp = _fingerprint(path, _descriptor(path))
    return _load_cached(name, str(path), fp).copy()


def load_all(folder: Path | str | None = None) -> dict[str, pd.DataFrame]:
    """Every table, by name."""
    path = Path(folder).resolve() if folder else data_dir()
    return {n: load(n, path) for n in table_names(path)}


def format_date(when, precision: str) -> str:
    """Show a date only as precisely as it is known: '2008', 'February 2008', '17 February 2008'."""
    if pd.isna(when):
        return "date unknown"
    when = pd.Timestamp(when)
    if precision == "year":
        return f"{when.year}"
    if precision == "month":
        return f"{when:%B %Y}"
    return f"{when.day} {when:%B %Y}"


def cite(source_ids, sources: pd.DataFrame | None = None) -> str:
    """A short 'Publisher, "Title" (date)' line for one source id or several."""
    sources = load("sources") if sources is None else sources
    by_id = sources.set_index("source_id")
    ids = [source_ids] if isinstance(source_ids, str) else list(dict.fromkeys(source_ids))
    parts = []
    for sid in ids:
        row = by_id.loc[sid]
        date = f", {row['published_date_text']}" if pd.notna(row["published_date_text"]) else ""
        parts.append(f"{row['publisher']}, “{row['title']}”{date}")
    return "; ".join(parts)
