"""Issue 8, bad data: broken variants of every table in data/ must give one clear DataError.

Each broken copy either raises :class:`data.DataError` whose problems name the file, line, column
and value that are wrong, or (where the variant is harmless: a BOM, CRLF or CR line ends) loads a
frame equal to the original. No other exception type may leave ``data.load`` (a raw traceback from
inside pandas or frictionless fails the test), and a frame that loads never differs from what the
file says. Each test's docstring names the broken variant that proves the check can fail; the
variants marked "(found by this file)" did get through, or crashed, before data.py was fixed.
"""

from __future__ import annotations

import csv
import shutil
import time

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from balkan_diplomacy import data

TABLES = data.table_names()
PARTIAL_DATE = r"^\d{4}(-(0[1-9]"


# --------------------------------------------------------------------------------------------
# helpers


def rows(path):
    with open(path, encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write(path, table, encoding="utf-8", lineterminator="\n"):
    with open(path, "w", encoding=encoding, newline="") as fh:
        csv.writer(fh, lineterminator=lineterminator).writerows(table)


def fields(name):
    return data.schema(name)["fields"]


def field(name, column):
    return next(f for f in fields(name) if f["name"] == column)


def required(name):
    return [f["name"] for f in fields(name) if f.get("constraints", {}).get("required")]


def is_partial_date(f):
    return f.get("constraints", {}).get("pattern", "").startswith(PARTIAL_DATE)


def precision_of(name, column):
    """The precision column that goes with a partial-date column (as data.py pairs them)."""
    names = [f["name"] for f in fields(name)]
    stem = column[: -len("_date")] if column.endswith("_date") else ""
    return next((p for p in (f"{column}_precision", f"{stem}_date_precision", "date_precision")
                 if p in names), None)


def problems_of(folder, name):
    """The problems of a broken package; any exception other than DataError fails the test."""
    try:
        frame = data.load(name, folder)
    except data.DataError as exc:
        assert exc.problems, "a DataError without problems"
        return exc.problems, str(exc)
    except Exception as exc:  # noqa: BLE001 - exactly what this file looks for
        pytest.fail(f"data.load raised {type(exc).__name__} instead of DataError: {exc}")
    pytest.fail(f"the broken {name}.csv loaded without error ({len(frame)} rows)")


def cells(problems):
    return {(p.file, p.line, p.column) for p in problems}


@pytest.fixture(scope="module")
def pristine(tmp_path_factory):
    """A snapshot of data/ taken once: other people may edit data/ while the tests run."""
    folder = tmp_path_factory.mktemp("pristine") / "data"
    shutil.copytree(data.data_dir(), folder, ignore=shutil.ignore_patterns("README.md"))
    return folder


@pytest.fixture(scope="module")
def originals(pristine):
    return {name: data.load(name, pristine) for name in TABLES}


def test_every_table_is_covered():
    assert len(TABLES) == len(list(data.data_dir().glob("*.csv"))) >= 10


# --------------------------------------------------------------------------------------------
# columns


@pytest.mark.parametrize("name", TABLES)
def test_missing_column(data_copy, name):
    """Variant: one required column removed (header and every row). Before data.py named it,
    frictionless reported the *last* column as missing and every later one as 'incorrect', then
    a type error in every row (found by this file: 172 problems for events.csv)."""
    column = required(name)[1]
    table = rows(data_copy / f"{name}.csv")
    i = table[0].index(column)
    write(data_copy / f"{name}.csv", [r[:i] + r[i + 1:] for r in table])
    problems, text = problems_of(data_copy, name)
    assert cells(problems) == {(f"{name}.csv", 1, column)}, text
    assert "missing" in problems[0].message and ",".join(table[0]) in problems[0].message


@pytest.mark.parametrize("name", TABLES)
def test_extra_column(data_copy, name):
    """Variant: a column 'remarks' the schema does not describe, appended to every row (found by
    this file: the message was 'events.csv: Extra Label: ', naming neither column nor value)."""
    table = rows(data_copy / f"{name}.csv")
    write(data_copy / f"{name}.csv", [r + ["remarks" if i == 0 else "x"]
                                      for i, r in enumerate(table)])
    problems, text = problems_of(data_copy, name)
    assert [(p.file, p.line, p.column, p.value) for p in problems] == \
        [(f"{name}.csv", 1, "remarks", "remarks")], text


@pytest.mark.parametrize("name", TABLES)
def test_renamed_and_reordered_columns(data_copy, name):
    """Variants: a column renamed to upper case; two columns swapped (same names, wrong order:
    pandas would read it, but the positions the schema describes no longer hold)."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    first = table[0][0]
    table[0][0] = first.upper()
    write(path, table)
    problems, text = problems_of(data_copy, name)
    assert cells(problems) == {(f"{name}.csv", 1, first.upper()), (f"{name}.csv", 1, first)}, text

    table[0][0] = first
    write(path, [[r[1], r[0], *r[2:]] for r in table])
    problems, text = problems_of(data_copy, name)
    assert [(p.line, p.message.split(";")[0]) for p in problems] == [(1, "columns out of order")]


# --------------------------------------------------------------------------------------------
# cells


@pytest.mark.parametrize("name", TABLES)
def test_empty_required_cells(data_copy, name):
    """Variant: each required column emptied on its own line (line 2 for the first required
    column, line 3 for the next, ...): every one is reported at its line and column."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    expected = set()
    for k, column in enumerate(required(name)):
        line = 2 + k % (len(table) - 1)
        table[line - 1][table[0].index(column)] = ""
        expected.add((f"{name}.csv", line, column))
    write(path, table)
    problems, text = problems_of(data_copy, name)
    found = cells(problems)
    assert expected <= found, text
    # nothing else is blamed but the emptied lines (a key made of empty cells is also reported)
    assert {line for _, line, _ in found} <= {line for _, line, _ in expected}, text


DATE_COLUMNS = [(n, f["name"]) for n in TABLES for f in fields(n)
                if f["type"] == "date" or is_partial_date(f)]


@pytest.mark.parametrize("name,column", DATE_COLUMNS, ids=[f"{n}.{c}" for n, c in DATE_COLUMNS])
def test_bad_and_impossible_dates(data_copy, name, column):
    """Variants: 2019-02-30 (no such day), 2019-13 (no such month), 'June 1999' (text),
    '２０１９-０１-０１' (full-width digits: the schema's \\d pattern accepts them and pandas
    then crashed, found by this file), each on its own line; precision columns set to agree."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    header = table[0]
    prec = precision_of(name, column) if field(name, column)["type"] != "date" else None
    bad = [("2019-02-30", "day"), ("2019-13", "month"), ("June 1999", "month"),
           ("２０１９-０１-０１", "day")]
    expected = set()
    for line, (value, precision) in enumerate(bad, start=2):
        table[line - 1][header.index(column)] = value
        if prec:
            table[line - 1][header.index(prec)] = precision
        expected.add((f"{name}.csv", line, column, value))
    write(path, table)
    problems, text = problems_of(data_copy, name)
    assert {(p.file, p.line, p.column, p.value) for p in problems} == expected, text


NUMBER_COLUMNS = [(n, f["name"]) for n in TABLES for f in fields(n)
                  if f["type"] in ("integer", "number")]



def assert_each_reported(folder, name, column, bad):
    """Write the bad values into ``column`` on lines 2, 3, ...; each must be reported exactly
    there, and nothing else."""
    path = folder / f"{name}.csv"
    table = rows(path)
    for line, value in enumerate(bad, start=2):
        table[line - 1][table[0].index(column)] = value
    write(path, table)
    problems, text = problems_of(folder, name)
    assert {(p.file, p.line, p.column, p.value) for p in problems} == \
        {(f"{name}.csv", line, column, v) for line, v in enumerate(bad, start=2)}, text


@pytest.mark.parametrize("name,column", NUMBER_COLUMNS,
                         ids=[f"{n}.{c}" for n, c in NUMBER_COLUMNS])
def test_numbers_as_text(data_copy, name, column):
    """Variants: 'eighty', '80%', '1,5' (decimal comma), and two that Python's int()/Decimal()
    (so frictionless) accept but pandas cannot read, which crashed the loader with a raw
    ValueError (found by this file): '1_000' and Arabic-Indic digits '٥٠'."""
    assert_each_reported(data_copy, name, column, ["eighty", "80%", "1,5", "1_000", "٥٠"])


BOUNDED = [(n, f["name"], f["constraints"]) for n in TABLES for f in fields(n)
           if {"minimum", "maximum"} & set(f.get("constraints", {}))]


@pytest.mark.parametrize("name,column,limits", BOUNDED, ids=[f"{n}.{c}" for n, c, _ in BOUNDED])
def test_numbers_out_of_range(data_copy, name, column, limits):
    """Variants: one below the minimum, one above the maximum (a percentage of 180 or -5), and
    'NaN' (which pandas would read as missing) on separate lines."""
    bad = []
    if "minimum" in limits:
        bad.append(str(limits["minimum"] - 1))
    if "maximum" in limits:
        bad.append(str(limits["maximum"] + 80))
    bad.append("NaN")
    assert_each_reported(data_copy, name, column, bad)


@pytest.mark.parametrize("name", TABLES)
def test_duplicate_key(data_copy, name):
    """Variant: line 4 gets the primary key of line 2."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    key = data.schema(name)["primaryKey"]
    key = [key] if isinstance(key, str) else key
    for column in key:
        i = table[0].index(column)
        table[3][i] = table[1][i]
    write(path, table)
    problems, text = problems_of(data_copy, name)
    mine = [p for p in problems if p.file == f"{name}.csv"]
    assert mine and all(p.line == 4 for p in mine), text
    assert any(p.value == table[1][table[0].index(key[0])] or "PrimaryKey" in p.message
               for p in mine), text


FOREIGN_KEYS = [(n, fk["fields"] if isinstance(fk["fields"], str) else fk["fields"][0])
                for n in TABLES for fk in data.schema(n).get("foreignKeys", [])]


@pytest.mark.parametrize("name,column", FOREIGN_KEYS, ids=[f"{n}.{c}" for n, c in FOREIGN_KEYS])
def test_dangling_foreign_key(data_copy, name, column):
    """Variant: a reference to a row that does not exist ('no-such-source' / 'C99')."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    value = "C99" if field(name, column).get("constraints", {}).get("pattern") == r"^C\d{2}$" \
        else "no-such-source"
    table[2][table[0].index(column)] = value
    write(path, table)
    problems, text = problems_of(data_copy, name)
    assert [(p.file, p.line, p.column, p.value) for p in problems] == \
        [(f"{name}.csv", 3, column, value)], text


# --------------------------------------------------------------------------------------------
# whole files


@pytest.mark.parametrize("name", TABLES)
def test_bom_crlf_and_cr_are_read_unchanged(data_copy, name):
    """Harmless variants: a UTF-8 byte-order mark with CRLF line ends (Excel on Windows), and
    old-Mac CR line ends. Checked by comparing with the original frame; a loader that kept the
    BOM in the first column's name or a '\\r' in the last column would fail here."""
    path = data_copy / f"{name}.csv"
    original = data.load(name, data_copy)
    lf = path.read_bytes()
    assert b"\r" not in lf
    path.write_bytes(b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n"))
    pd.testing.assert_frame_equal(data.load(name, data_copy), original)
    path.write_bytes(lf.replace(b"\n", b"\r"))
    pd.testing.assert_frame_equal(data.load(name, data_copy), original)


@pytest.mark.parametrize("encoding,letter", [("latin-1", "é"), ("cp1250", "č")])
@pytest.mark.parametrize("name", TABLES)
def test_not_utf8(data_copy, name, encoding, letter):
    """Variants: the file saved as Latin-1 or Windows-1250 (Serbian Latin in old Excel), with a
    non-ASCII letter put into a text cell of line 3 so that the encodings differ."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    text_col = next(f["name"] for f in fields(name) if f["type"] == "string"
                    and not f.get("constraints", {}).get("pattern")
                    and not f.get("constraints", {}).get("enum"))
    table[2][table[0].index(text_col)] = f"Ni{letter} " + table[2][table[0].index(text_col)]
    # anything the old code page cannot hold becomes '?': the file is then what Excel would write
    with open(path, "w", encoding=encoding, errors="replace", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)
    problems, text = problems_of(data_copy, name)
    first_bad_line = next(i for i, line in enumerate(path.read_bytes().split(b"\n"), start=1)
                          if any(b > 127 for b in line))
    assert [(p.file, p.line) for p in problems] == [(f"{name}.csv", first_bad_line)], text
    assert "UTF-8" in problems[0].message and problems[0].value


@pytest.mark.parametrize("name", TABLES)
def test_truncated_last_line(data_copy, name):
    """Variants: the last row cut at half its length, and just before its last character.
    sources.csv ends with an optional 'note' column, so a cut inside it loaded a shortened note
    with no error (found by this file); every cut is now reported at the last line."""
    path = data_copy / f"{name}.csv"
    raw = path.read_bytes()
    start = raw[:-1].rfind(b"\n") + 1
    last_line = raw.count(b"\n")
    length = len(raw) - 1 - start
    for cut in (start + length // 2, len(raw) - 2):
        cut_raw = raw[:cut]
        while True:  # never cut inside a multi-byte letter (that is the non-UTF-8 test)
            try:
                cut_raw.decode("utf-8")
                break
            except UnicodeDecodeError:
                cut_raw = cut_raw[:-1]
        path.write_bytes(cut_raw)
        problems, text = problems_of(data_copy, name)
        assert {(p.file, p.line) for p in problems} == {(f"{name}.csv", last_line)}, text
        assert any("cut short" in p.message for p in problems), text


@pytest.mark.parametrize("name", TABLES)
def test_empty_and_header_only_files(data_copy, name):
    """Variants: a 0-byte file; a byte-order mark alone; a header row with no data rows (found
    by this file: it loaded as an empty table, which every lesson would then fail on)."""
    path = data_copy / f"{name}.csv"
    header = ",".join(rows(path)[0])
    for content, word in [(b"", "empty"), (b"\xef\xbb\xbf", "empty"),
                          (header.encode() + b"\n", "no data rows")]:
        path.write_bytes(content)
        problems, text = problems_of(data_copy, name)
        assert [(p.file, p.line) for p in problems] == [(f"{name}.csv", None)], text
        assert word in problems[0].message


@pytest.mark.parametrize("name", TABLES)
def test_blank_line_and_short_row(data_copy, name):
    """Variants: a blank line inserted as line 3; line 4 missing its last cell."""
    path = data_copy / f"{name}.csv"
    table = rows(path)
    last = table[0][-1]
    table[3] = table[3][:-1]
    write(path, table[:2] + [[]] + table[2:])
    problems, text = problems_of(data_copy, name)
    assert {(p.line, p.column) for p in problems} == {(3, None), (5, last)}, text


# --------------------------------------------------------------------------------------------
# a huge file


def test_huge_valid_file_loads_in_reasonable_time(data_copy, capsys):
    """Variant: glossary.csv grown to 200,000 rows (~58 MB), every term unique, so it is valid
    and must load, whole and unchanged, well within a minute (measured: about 17 s here, all but
    a second of it frictionless checking row by row)."""
    path = data_copy / "glossary.csv"
    table = rows(path)
    body = table[1:]
    big = [table[0]] + [[f"{r[0]} #{i}", *r[1:]] for i, r in
                        ((i, body[i % len(body)]) for i in range(200_000))]
    write(path, big)
    size = path.stat().st_size / 1e6
    t0 = time.perf_counter()
    frame = data.load("glossary", data_copy)
    seconds = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n  huge glossary.csv: 200,000 rows, {size:.0f} MB, loaded in {seconds:.1f} s")
    assert size > 20
    assert len(frame) == 200_000
    assert frame.term.iloc[-1] == big[-1][0] and frame.definition.iloc[-1] == big[-1][1]
    assert seconds < 60


def test_huge_broken_file_fails_clearly_in_reasonable_time(data_copy, capsys):
    """Variant: events.csv with its rows repeated to 200,000 (~67 MB): every repeated id is a
    duplicate. The error must come quickly, list the first problems by line, and say how many
    more there are rather than print hundreds of thousands of lines."""
    path = data_copy / "events.csv"
    table = rows(path)
    body = table[1:]
    write(path, [table[0]] + [body[i % len(body)] for i in range(200_000)])
    t0 = time.perf_counter()
    problems, text = problems_of(data_copy, "events")
    seconds = time.perf_counter() - t0
    with capsys.disabled():
        print(f"\n  huge events.csv with duplicates: DataError after {seconds:.1f} s")
    first = problems[0]
    assert (first.file, first.line, first.column, first.value) == \
        ("events.csv", len(body) + 2, "event_id", body[0][0])
    assert "... and" in text and len(text.splitlines()) <= 52
    assert seconds < 60


def test_lone_carriage_return_in_a_cell(data_copy):
    """Variant: a cell holding a lone carriage return ('a\rb'), quoted or not, in a file whose
    lines end in LF. Frictionless ended the row there and numbered every later line one too
    high, so a problem further down ('war' on line 11) was reported on line 12, and the cell
    itself was blamed as 'missing' cells of later columns (found by this file); data.py now
    names the cell. (A file with CR line ends throughout is fine: see the BOM/CRLF/CR test.)"""
    table = rows(data_copy / "events.csv")
    table[1][table[0].index("title")] = "a\rb"
    table[10][table[0].index("category")] = "war"
    for quoting in (csv.QUOTE_MINIMAL, csv.QUOTE_ALL):  # csv.writer leaves 'a\rb' unquoted
        with open(data_copy / "events.csv", "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n", quoting=quoting).writerows(table)
        problems, text = problems_of(data_copy, "events")
        assert [(p.file, p.line, p.column, p.value) for p in problems] == \
            [("events.csv", 2, "title", "a\rb")], text


# --------------------------------------------------------------------------------------------
# random corruption of a random required cell (property-based)

# keys other tables point at: changing one breaks references in other files (covered above)
REFERENCED = {("sources", "source_id"), ("article_claims", "claim_id")}
TARGETS = [(n, c) for n in TABLES for c in required(n) if (n, c) not in REFERENCED]
EDGE_VALUES = ["", " ", "NA", "None", "null", "nan", "NaN", "inf", "-1", "0", "1", "100",
               "100.0", "1e2", "+5", " 7", "true", "false", "True", "yes", "2019", "2019-02",
               "2019-02-28", "2019-02-30", "2019-13", "June 1999", "1_000", "٥٠", "１２", "x,y",
               'say "hi"', "a\nb", "a\rb", "a\r\nb", "\x00", "<b>", "😀", "Đorđe Čačak", "day", "month",
               "year", "nato", "EU", "status_quo", "C01", "E001"]


def _expected_cell(f, value):
    """What the loader must hold for ``value`` written in field ``f``, if it loads at all."""
    kind = f["type"]
    if kind == "integer":
        return int(value)
    if kind == "number":
        return float(value)
    if kind == "boolean":
        return {"true": True, "false": False}[value]
    if kind == "date":
        return pd.Timestamp(value)
    return value


@pytest.fixture(scope="module")
def scratch(tmp_path_factory, pristine):
    folder = tmp_path_factory.mktemp("random") / "data"
    shutil.copytree(pristine, folder)
    return folder


# each example validates the whole package (about a second on a busy 2-core machine)
@settings(max_examples=20, deadline=None, derandomize=True,
          phases=[Phase.explicit, Phase.generate],  # shrinking a failure costs minutes
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(st.data())
def test_random_corruption_of_a_required_cell(scratch, pristine, originals, draw):
    """Variant: one random required cell of one random table replaced by a random value (edge
    cases, text, other values of the column). Either a DataError names that file, line and column
    (or its precision column, or, for a key now held twice, the other line that holds it), or the
    table loads and equals the original in every cell but that one, which holds what was
    written. A loader that silently read 'NaN' as missing, ' 7' as text, or '٥٠' as 50 would
    fail here."""
    name, column = draw.draw(st.sampled_from(TARGETS), label="column")
    path = scratch / f"{name}.csv"
    table = rows(pristine / f"{name}.csv")
    line = draw.draw(st.integers(2, len(table)), label="line")
    i = table[0].index(column)
    others = sorted({r[i] for r in table[1:]})
    value = draw.draw(st.one_of(st.sampled_from(EDGE_VALUES), st.sampled_from(others),
                                st.text(max_size=12),
                                st.integers(-10**6, 10**6).map(str),
                                st.floats(allow_nan=True).map(str)), label="value")
    table[line - 1][i] = value
    write(path, table)
    try:
        try:
            frame = data.load(name, scratch)
        except data.DataError as exc:
            allowed_columns = {column, precision_of(name, column)}
            mine = [p for p in exc.problems if p.file == f"{name}.csv"]
            assert mine and len(mine) == len(exc.problems), str(exc)
            assert any(p.line == line and p.column in allowed_columns for p in mine) or \
                (value in others and any(p.column == column for p in mine)), str(exc)
            holders = {k for k, r in enumerate(table[1:], start=2) if r[i] == value}
            assert all(p.line in {line} | holders for p in mine), str(exc)
            return
        except Exception as exc:  # noqa: BLE001
            pytest.fail(f"{name}.{column} line {line} = {value!r}: raised "
                        f"{type(exc).__name__}: {exc}")
        original = originals[name]
        row = line - 2
        f = field(name, column)
        got = frame.at[row, f"{column}_text" if is_partial_date(f) else column]
        try:
            want = _expected_cell(f, value)
        except (ValueError, KeyError):
            pytest.fail(f"{name}.{column} line {line}: {value!r} loaded as {got!r}")
        assert got == want, f"{name}.{column} line {line}: wrote {value!r}, loaded {got!r}"
        rest = [c for c in frame.columns if c not in (column, f"{column}_text")]
        pd.testing.assert_frame_equal(frame[rest], original[rest])
        pd.testing.assert_frame_equal(frame.drop(index=row), original.drop(index=row))
    finally:
        shutil.copy(pristine / f"{name}.csv", path)
