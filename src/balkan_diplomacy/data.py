"""Load the tables in ``data/`` as typed pandas DataFrames, validated first.

Validation runs the files through the ``frictionless`` library against ``data/datapackage.json``
(types, constraints, primary and foreign keys), plus two checks the Table Schema cannot express:
that each file is UTF-8 and that each partial date (``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD``) is a real
date whose length agrees with its precision column. Any problem raises one :class:`DataError`
that lists every problem with its file, line, column and value; no row is ever dropped or
repaired.

Validating the package costs about a second (frictionless itself takes half a second to import),
so a successful validation is remembered by the files' content hash (SHA-256 of every file, worked
out on each load: about 0.3 ms for these small files): in this process, and on disk in the
user's cache folder, so the next kernel skips it while nothing has changed.
"""

from __future__ import annotations

import calendar
import copy
import csv
import hashlib
import io
import json
import os
import re
from dataclasses import dataclass
from functools import lru_cache, cache
from pathlib import Path

import pandas as pd

#: Bump when the validation rules change, so that earlier cache entries no longer count.
VALIDATOR_VERSION = "5"

PRECISIONS = ("day", "month", "year")
_PARTIAL_DATE = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$", re.ASCII)
# the schema's patterns use \d, which in Python also matches other scripts' digits ('２０１９')
_PARTIAL_DATE_ANY_DIGITS = re.compile(r"^\d{4}(?:-\d{2}(?:-\d{2})?)?$")
# numbers as pandas reads them; Python (and so frictionless) also takes '1_000' and '٥٠'
_PLAIN_NUMBER = {
    "integer": re.compile(r"^\s*[+-]?\d+\s*$", re.ASCII),
    "number": re.compile(r"^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$", re.ASCII),
    "date": re.compile(r"^\d{4}-\d{2}-\d{2}$", re.ASCII),
}
_PRECISION_OF_PARTS = {1: "year", 2: "month", 3: "day"}


def data_dir() -> Path:
    """The folder holding the CSV files: ``$BALKAN_DATA_DIR`` or the repository's ``data/``."""
    env = os.environ.get("BALKAN_DATA_DIR")
    if env:
        return Path(env).resolve()
    return _repository_data()


@lru_cache(maxsize=1)
def _repository_data() -> Path:
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
    """The parsed ``datapackage.json`` (read-only: shared by every caller while the file's
    content stays the same; parsing its 40 kB took about 0.4 ms, three times per table)."""
    path = folder / "datapackage.json"
    try:
        return _parsed_descriptor(path.read_bytes())
    except FileNotFoundError:
        raise DataError([Problem(str(path), None, None, None, "file not found")]) from None
    except (json.JSONDecodeError, UnicodeDecodeError) as exc:
        raise DataError([Problem(str(path), None, None, None, f"not valid JSON ({exc})")]) from None


@lru_cache(maxsize=16)
def _parsed_descriptor(content: bytes) -> dict:
    return json.loads(content.decode("utf-8"))


def table_names(folder: Path | None = None) -> list[str]:
    """Names of the tables described in ``datapackage.json``, in its order."""
    return [r["name"] for r in _descriptor(folder or data_dir())["resources"]]


def schema(name: str, folder: Path | None = None) -> dict:
    """The Table Schema of one table (fields, keys) as a dict (a copy: yours to change)."""
    return copy.deepcopy(_schema(name, folder or data_dir()))


def _schema(name: str, folder: Path) -> dict:
    """The Table Schema of one table, read-only (shared with the parsed descriptor)."""
    for r in _descriptor(folder)["resources"]:
        if r["name"] == name:
            return r["schema"]
    raise KeyError(f"no table named {name!r}; the tables are {table_names(folder)}")


def describe_table(name: str, folder: Path | None = None) -> pd.DataFrame:
    """One row per column of a table: its type, unit, constraints and description."""
    rows = []
    for f in _schema(name, folder or data_dir())["fields"]:
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
    """A SHA-256 hash of the package's files (the descriptor and every table, by content),
    which keys the validation stamp and the typed tables. The files are small: hashing them
    all took about 0.3 ms (190 kB), so it is done on every load, and any edit is seen."""
    paths = [folder / "datapackage.json"] + [folder / r["path"] for r in descriptor["resources"]]
    h = hashlib.sha256(VALIDATOR_VERSION.encode())
    h.update(paths[0].read_bytes())
    for r, p in zip(descriptor["resources"], paths[1:]):
        h.update(r["path"].encode())
        try:
            h.update(p.read_bytes())
        except FileNotFoundError:
            h.update(b"<missing>")
    return h.hexdigest()


def cache_dir() -> Path:
    """The package's folder in the user's cache (``$XDG_CACHE_HOME`` or ``~/.cache``)."""
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base) / "balkan_diplomacy"


def _cache_file() -> Path:
    return cache_dir() / "validated.json"


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
    """Problems frictionless reports poorly: missing, empty, non-UTF-8 or cut-short files, and a
    header row that does not name the schema's columns in order."""
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
    text = raw.decode("utf-8-sig")
    if not text.strip():  # a byte-order mark alone
        want = ",".join(f["name"] for f in fields)
        return [Problem(name, None, None, None, f"file is empty; expected a header row: {want}")]
    problems = _check_header(name, text, [f["name"] for f in fields])
    if not problems and not re.search(r"[\r\n]", text.strip()):
        problems.append(Problem(name, None, None, None, "file has a header row but no data rows"))
    if not problems and "\n" in text and re.search(r"\r(?!\n)", text):
        # a lone CR in a file whose lines end in LF (a cell pasted from an old Mac file):
        # frictionless ends the row there, quoted or not, and numbers every later line one too
        # high, while pandas may read it as part of the cell; name the cell instead
        marked = re.sub(r"\r(?!\n)", "\uffff", text)
        header = [f["name"] for f in fields]
        for line, row in enumerate(csv.reader(io.StringIO(marked, newline="")), start=1):
            for col, cell in zip(header, row):
                if "\uffff" in cell:
                    problems.append(Problem(name, line, col, cell.replace("\uffff", "\r"),
                                            "a carriage return (\\r) alone, in a file whose "
                                            "lines end in \\n; replace it with a space"))
    return problems


def _check_last_line(path: Path) -> list[Problem]:
    """Every line of a CSV file ends with a line break; a file cut short mid-row does not, and
    when the cut falls inside an optional last column, nothing else would show it."""
    text = path.read_bytes().decode("utf-8-sig")
    if text.endswith(("\n", "\r")):
        return []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    return [Problem(path.name, len(lines), None, lines[-1][-40:],
                    "the last line has no line break at its end, so the file may be cut short "
                    "mid-row; if that row is complete, end it with a line break")]


def _check_header(name: str, text: str, want: list[str]) -> list[Problem]:
    """The header row (line 1) must name the schema's columns, each once, in the schema's order.

    Frictionless compares the header position by position, so one missing column shows as every
    later column being 'incorrect', followed by a type error in every row; this says which column
    is missing or extra instead. A bad header makes the file unreadable: no row is checked."""
    try:
        header = next(csv.reader(io.StringIO(text, newline="")), [])
    except csv.Error as exc:
        return [Problem(name, 1, None, None, f"header row cannot be read as CSV ({exc})")]
    if header == want:
        return []
    expected = f"expected the columns {','.join(want)}"
    problems = []
    for i, label in enumerate(header, start=1):
        if not label.strip():
            problems.append(Problem(name, 1, f"#{i}", label, f"column {i} has no name; {expected}"))
        elif header.count(label) > 1 and header.index(label) < i - 1:
            problems.append(Problem(name, 1, label, label,
                                    f"column named twice in the header; {expected}"))
    for label in dict.fromkeys(header):
        if label.strip() and label not in want:
            problems.append(Problem(name, 1, label, label,
                                    f"column not described in datapackage.json; {expected}"))
    for field in want:
        if field not in header:
            problems.append(Problem(name, 1, field, None,
                                    f"column missing from the header row; {expected}"))
    if not problems:
        problems.append(Problem(name, 1, None, ",".join(header), f"columns out of order; {expected}"))
    return problems


def _check_cells(path: Path, fields: list[dict]) -> list[Problem]:
    """Numbers and dates the type checks let through but pandas cannot read as written: other
    scripts' digits ('٥٠'), digit separators ('1_000'), 'NaN' and 'inf' (read as missing)."""
    kinds = {f["name"]: f["type"] for f in fields if f["type"] in _PLAIN_NUMBER}
    required = [f["name"] for f in fields if f.get("constraints", {}).get("required")]
    problems = []
    text = path.read_text(encoding="utf-8-sig")
    for line, row in enumerate(csv.DictReader(io.StringIO(text, newline="")), start=2):
        for col in required:
            value = row.get(col)
            # frictionless counts a cell of spaces as filled; a reader sees nothing there
            if value and not value.strip():
                problems.append(Problem(path.name, line, col, value,
                                        "only spaces where a value is required"))
        for col, kind in kinds.items():
            value = row.get(col)
            if value and value.strip() and not _PLAIN_NUMBER[kind].match(value):
                how = {"date": "YYYY-MM-DD and the digits 0-9", "integer": "the digits 0-9",
                       "number": "the digits 0-9 and '.' for decimals"}[kind]
                problems.append(Problem(path.name, line, col, value,
                                        f"not a plain {kind}: write it with {how}"))
    return problems


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
                if _PARTIAL_DATE_ANY_DIGITS.match(value):  # the pattern let it through
                    problems.append(Problem(path.name, line, col, value,
                                            "write dates with the digits 0-9"))
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
    keys = {}
    for r in _descriptor(folder)["resources"]:
        key = r["schema"].get("primaryKey", [])
        keys[r["name"]] = [key] if isinstance(key, str) else list(key)
    problems = []
    for task in report.tasks:
        file = Path(task.place).name if task.place else task.name
        # a cell missing from a short row is reported twice (missing, and required with the
        # value 'None'); keep the first, which says what happened
        missing = {(e.row_number, e.field_name) for e in task.errors if e.type == "missing-cell"}
        # a key cell that cannot be read counts as empty, so rows with one look like duplicates
        # of each other; the cell's own error says what is wrong
        key = keys.get(task.name, [])
        bad_key_rows = {getattr(e, "row_number", None) for e in task.errors
                        if getattr(e, "field_name", None) in key}
        for err in task.errors:
            if err.type == "constraint-error" and (getattr(err, "row_number", None),
                                                   getattr(err, "field_name", None)) in missing:
                continue
            if err.type == "primary-key" and getattr(err, "row_number", None) in bad_key_rows:
                continue
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


def validate(folder: Path | str | None = None, *, use_cache: bool = True) -> str:
    """Check every table of the package; raise :class:`DataError` listing all problems.

    Returns the package's content hash (what the cache of validated packages is keyed by)."""
    folder = Path(folder) if folder else data_dir()
    descriptor = _descriptor(folder)
    fp = _fingerprint(folder, descriptor)
    if use_cache and (fp in _VALIDATED or _cached_ok(fp)):
        _VALIDATED.add(fp)
        return fp
    problems: list[Problem] = []
    unreadable = False
    for r in descriptor["resources"]:
        file_problems = _check_file(folder / r["path"], r["schema"]["fields"])
        unreadable |= bool(file_problems)
        problems += file_problems
    if not unreadable:
        for r in descriptor["resources"]:
            problems += _check_last_line(folder / r["path"])
        problems += _frictionless_problems(folder)
        for r in descriptor["resources"]:
            problems += _check_partial_dates(folder / r["path"], r["schema"]["fields"])
        # only cells that frictionless accepted: one problem per cell
        seen = {(p.file, p.line, p.column) for p in problems}
        for r in descriptor["resources"]:
            problems += [p for p in _check_cells(folder / r["path"], r["schema"]["fields"])
                         if (p.file, p.line, p.column) not in seen]
    if problems:
        raise DataError(problems)
    _VALIDATED.add(fp)
    _remember_ok(fp)
    return fp


_VALIDATED: set[str] = set()


# --------------------------------------------------------------------------------------------
# typed loading


def _to_period_start(text: pd.Series, path: Path, col: str) -> pd.Series:
    """'2008', '2008-02' or '2008-02-17' -> the first day of that period, as datetime64.

    The texts were checked against the column's pattern first (YYYY, YYYY-MM or YYYY-MM-DD),
    so ISO 8601 parsing, which reads a year or a month as its first day, gives exactly that."""
    values = pd.to_datetime(text, format="ISO8601", errors="coerce")
    _refuse(path, col, text, values.isna(), "a date (YYYY, YYYY-MM or YYYY-MM-DD)")
    return values


def _line_numbers(path: Path) -> list[int]:
    """The line of the file on which each data row starts, as ``pd.read_csv`` counts rows
    (blank lines skipped; a quoted cell may hold line breaks): for naming a bad cell's line."""
    with open(path, encoding="utf-8-sig", newline="") as fh:
        reader = csv.reader(fh)
        lines = []
        start = 1
        for row in reader:
            if row:
                lines.append(start)
            start = reader.line_num + 1
    return lines[1:]


#: one pandas dtype per list of allowed values, made once (making one checks every category)
_CATEGORIES: dict[tuple, pd.CategoricalDtype] = {}


def _typed(path: Path, fields: list[dict]) -> pd.DataFrame:
    """The table read by ``pd.read_csv`` (every cell as text, an empty cell missing), each
    column then typed from its schema field: integers ``Int64``, numbers ``Float64``,
    booleans ``boolean``, dates and partial dates ``datetime64``, enumerations categoricals,
    other text as pandas reads text. A cell that cannot be typed raises :class:`DataError`
    naming it; nothing is turned into a missing value on the way."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""],
                      encoding="utf-8-sig")
    out = {}
    for f in fields:
        col, c, kind = f["name"], f.get("constraints", {}), f["type"]
        if col not in raw.columns:
            raise DataError([Problem(path.name, 1, col, None, "column missing from the header")])
        text = raw[col]
        if kind in ("integer", "number"):
            values = pd.to_numeric(text, errors="coerce")
            values = values.astype("Int64" if kind == "integer" else "Float64")
            what = "an integer" if kind == "integer" else "a number"
            if kind == "integer":
                # (a decimal such as '1.5' passes to_numeric: an integer is whole)
                whole = values.isna() | (values.astype("Float64") % 1 == 0)
                _refuse(path, col, text, values.isna() | ~whole.astype(bool), what)
        elif kind == "boolean":
            truth = {**dict.fromkeys(f.get("trueValues", ["true"]), True),
                     **dict.fromkeys(f.get("falseValues", ["false"]), False)}
            values = text.map(truth).astype("boolean")
            what = "true or false"
        elif kind == "date":
            values = pd.to_datetime(text, format="%Y-%m-%d", errors="coerce")
            what = "a date (YYYY-MM-DD)"
        elif "enum" in c:
            allowed = tuple(c["enum"])
            if allowed not in _CATEGORIES:
                _CATEGORIES[allowed] = pd.CategoricalDtype(list(allowed), ordered=False)
            what = f"one of {list(allowed)}"
            _refuse(path, col, text, ~text.isin(allowed), what)  # (astype would make them NaN)
            values = text.astype(_CATEGORIES[allowed])
        elif c.get("pattern", "").startswith(r"^\d{4}(-(0[1-9]"):
            # a partial date: its first day, and the text as written right after it
            out[col] = _to_period_start(text, path, col)
            out[f"{col}_text"] = text
            continue
        else:
            out[col] = text
            continue
        _refuse(path, col, text, values.isna(), what)
        out[col] = values
    return pd.DataFrame(out, index=raw.index)


def _refuse(path: Path, col: str, text: pd.Series, missing: pd.Series, what: str) -> None:
    """Raise :class:`DataError` for the first cell that holds text but was not read."""
    bad = text.notna() & missing
    if bad.any():
        row = int(bad.to_numpy().nonzero()[0][0])
        line = _line_numbers(path)[row]
        raise DataError([Problem(path.name, line, col, text.iloc[row],
                                 f"cannot be read as {what}")])


@cache
def _load_cached(name: str, folder: str, fp: str) -> pd.DataFrame:
    del fp  # part of the cache key only
    path = Path(folder)
    return _typed(path / f"{name}.csv", _schema(name, path)["fields"])


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
    fp = validate(path)  # the same hash keys the cache of typed tables: files read once per call
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
