"""The pandas primer of lesson 00 shows every pandas feature that an exercise's worked solution
or its scaffold (``%%exercise``, which a student completes) uses, so that no exercise asks a
beginner for code the lessons never showed.

The solutions (cells tagged ``solution`` in lessons 00-07) and the primer (cells of lesson 00
tagged ``primer``) are read with ``ast``, not run. A *feature* is one of:

- a pandas function or constant: ``pd.crosstab``, ``pd.Timestamp``, ``pd.NA``;
- a method called on a DataFrame, Series, Index, Timestamp or Timedelta: ``.isin()``,
  ``.value_counts()``; a name counts when pandas has a public attribute of that name;
- a property or accessor: ``.loc``, ``.dt``, ``.days``, ``.index``;
- a way of indexing: a boolean mask ``df[df["x"] == 1]``, a list of columns ``df[["a", "b"]]``,
  conditions joined with ``&``, ``|`` or negated with ``~``, and ``set_index([...])`` with two or
  more columns (a MultiIndex);
- a comparison of a column with a value, each operator on its own: ``==``, ``!=``, ``<``, ``<=``,
  ``>``, ``>=`` (a lesson that says "shown in the primer: a mask with ``!=``" is held to it).

Calls on what is plainly not pandas are left out: modules and names imported in the notebook
(``data.load``, ``style.table``), text constants (``", ".join``), and names bound in the notebook
to a literal, a comprehension or a builtin's result (``on_that_day.items()``).
"""

from __future__ import annotations

import ast
import builtins
import inspect
import json
from pathlib import Path

import pandas as pd
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
PRIMER = ROOT / "notebooks" / "00_start_here.ipynb"
PRIMER_TAG = "primer"
SOLUTION_TAG = "solution"

ACCESSORS = {"dt", "str", "cat"}
INDEXERS = {"loc", "iloc", "at", "iat"}


def _public(obj) -> set[str]:
    return {n for n in dir(obj) if not n.startswith("_")}


def _pandas_names() -> tuple[set[str], set[str]]:
    """(method names, property names) of pandas' public objects a lesson meets."""
    frame = pd.DataFrame({"a": [1], "d": pd.to_datetime(["2020-01-01"]), "s": ["x"]})
    objects = [pd.DataFrame, pd.Series, pd.Index, pd.MultiIndex, pd.Timestamp, pd.Timedelta,
               frame["d"].dt, (frame["d"] - frame["d"]).dt, frame["s"].str,
               frame.groupby("a"), frame.groupby("a")["s"]]
    methods, properties = set(), set()
    for obj in objects:
        kind = obj if inspect.isclass(obj) else type(obj)
        for name in _public(obj):
            # a name may be a method of one object and a property of another (Series.max(),
            # Timestamp.max): it counts as whichever the code uses it as
            attr = inspect.getattr_static(kind, name, None)
            if isinstance(attr, property) or inspect.isdatadescriptor(attr) \
                    or inspect.isgetsetdescriptor(attr) or inspect.ismemberdescriptor(attr) \
                    or not callable(attr):
                properties.add(name)
            else:
                methods.add(name)
    return methods, properties | ACCESSORS | INDEXERS


METHODS, PROPERTIES = _pandas_names()
BUILTINS = set(dir(builtins))
NOT_PANDAS_VALUES = (ast.Constant, ast.JoinedStr, ast.Dict, ast.DictComp, ast.List, ast.ListComp,
                     ast.Set, ast.SetComp, ast.Tuple, ast.GeneratorExp)


def _bound_names(target) -> list[str]:
    return [n.id for n in ast.walk(target) if isinstance(n, ast.Name)]


def _not_pandas(tree: ast.AST, already: set[str]) -> set[str]:
    """Names that plainly hold no pandas object: imports, and names bound to literals,
    comprehensions or builtins' results (a later pandas assignment takes a name back)."""
    names = set(already)
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            names |= {(a.asname or a.name).split(".")[0] for a in node.names}
        elif isinstance(node, ast.Assign):
            value = node.value
            plain = isinstance(value, NOT_PANDAS_VALUES) or (
                isinstance(value, ast.Call) and isinstance(value.func, ast.Name)
                and value.func.id in BUILTINS)
            for target in node.targets:
                for name in _bound_names(target):
                    (names.add if plain else names.discard)(name)
    names.discard("pd")
    return names


def _receiver_is_pandas(node: ast.AST, not_pandas: set[str]) -> bool:
    if isinstance(node, (ast.Constant, ast.JoinedStr)) or isinstance(node, NOT_PANDAS_VALUES):
        return False
    if isinstance(node, ast.Name):
        return node.id not in not_pandas and node.id not in BUILTINS
    if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
        return node.func.id not in BUILTINS  # sorted(...).count(): a list, not pandas
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name):
        # module.CONSTANT (interests.SCENARIOS) is not pandas; frame.column is
        return node.value.id not in not_pandas
    return True


COMPARISONS = {ast.Eq: "==", ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">",
               ast.GtE: ">="}


def features(code: str, not_pandas: set[str] = frozenset()) -> set[str]:
    """The pandas features one cell's code uses (see the module docstring)."""
    tree = ast.parse(_python(code))
    skip = _not_pandas(tree, set(not_pandas))
    found = set()
    called = {id(n.func) for n in ast.walk(tree) if isinstance(n, ast.Call)}
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute):
            base = node.value
            if isinstance(base, ast.Name) and base.id == "pd":
                found.add(f"pd.{node.attr}")
            elif not _receiver_is_pandas(base, skip):
                continue
            elif id(node) in called and node.attr in METHODS:
                found.add(f".{node.attr}()")
            elif id(node) not in called and node.attr in PROPERTIES:
                found.add(f".{node.attr}")
        elif isinstance(node, ast.Subscript) and _receiver_is_pandas(node.value, skip):
            index = node.slice
            if isinstance(index, ast.List):
                found.add("[[columns]]")
            elif isinstance(index, (ast.Compare, ast.BinOp)) or (
                    isinstance(index, ast.Call) and isinstance(index.func, ast.Attribute)
                    and index.func.attr in {"isin", "notna", "isna", "between", "lt", "le", "gt",
                                            "ge", "eq", "ne"}):
                found.add("[mask]")
        elif isinstance(node, ast.Compare) and _receiver_is_pandas(node.left, skip):
            # a comparison of a column makes a mask: each operator is a feature of its own
            found.update(f"column {COMPARISONS[type(op)]} value" for op in node.ops
                         if type(op) in COMPARISONS)
        elif isinstance(node, ast.BinOp) and isinstance(node.op, (ast.BitAnd, ast.BitOr)):
            found.add("mask & mask" if isinstance(node.op, ast.BitAnd) else "mask | mask")
        elif isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.Invert):
            found.add("~mask")
        elif isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute) \
                and node.func.attr == "set_index" and node.args \
                and isinstance(node.args[0], ast.List) and len(node.args[0].elts) > 1:
            found.add("set_index([...]) (MultiIndex)")
    return found


def _cells(path: Path) -> list[dict]:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    for cell in cells:
        cell["text"] = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        cell["tags"] = cell.get("metadata", {}).get("tags", [])
    return cells


def _python(code: str) -> str:
    """A cell's code without IPython's magics and shell escapes, which are not Python."""
    return "\n".join(line for line in code.splitlines()
                     if not line.lstrip().startswith(("%", "!")))


def _imports(cells: list[dict]) -> set[str]:
    code = "\n".join(_python(c["text"]) for c in cells if c["cell_type"] == "code")
    return {name for name in _not_pandas(ast.parse(code), set())
            if any(name in c["text"] and "import" in c["text"] for c in cells)}


def used_by_solutions() -> dict[str, list[str]]:
    """Feature -> where a solution or a scaffold uses it ('03_nato_western_balkans, cell 19')."""
    where: dict[str, list[str]] = {}
    for path in LESSONS:
        cells = _cells(path)
        skip = _imports(cells)
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code" and (SOLUTION_TAG in cell["tags"]
                                                or cell["text"].startswith("%%exercise")):
                for feature in features(cell["text"], skip):
                    where.setdefault(feature, []).append(f"{path.stem}, cell {i}")
    return where


def primer_cells() -> list[dict]:
    return [c for c in _cells(PRIMER) if c["cell_type"] == "code" and PRIMER_TAG in c["tags"]]


def shown_by(cells: list[dict]) -> set[str]:
    skip = _imports(_cells(PRIMER))
    return set().union(*(features(c["text"], skip) for c in cells)) if cells else set()


def missing_from(cells: list[dict]) -> dict[str, list[str]]:
    shown = shown_by(cells)
    return {f: where for f, where in used_by_solutions().items() if f not in shown}


# --------------------------------------------------------------------------------------------


def test_the_reader_finds_pandas_and_ignores_the_rest():
    code = ("import pandas as pd\nfrom balkan_diplomacy import data\n"
            "names = {'a': 1}\nlabel = 'x'\n"
            "df = data.load('events')\n"
            "x = df[df['a'].isin([1]) & (df['b'] > 2)][['a', 'b']].sort_values('a')\n"
            "t = pd.crosstab(df['a'], df['b'])\n"
            "g = (df['d'] - df['d']).dt.days\n"
            "m = df.set_index(['a', 'b']).loc['x']\n"
            "print(', '.join(names.keys()), label.upper(), sorted(names).count(1))\n")
    found = features(code)
    assert {".isin()", ".sort_values()", "pd.crosstab", ".dt", ".days", ".loc", "[mask]",
            "[[columns]]", "mask & mask", "set_index([...]) (MultiIndex)",
            ".set_index()", "column > value"} <= found
    assert "column != value" in features("df = data.load('events')\ndf[df['a'] != 'x']")
    # str.join on a constant, dict.keys, str.upper, a module's function, a builtin's result
    assert not {".join()", ".keys()", ".upper()", ".load()", ".count()"} & found


def test_solutions_use_pandas_features():
    used = used_by_solutions()
    # the exercises of the issue: isin, crosstab, a MultiIndex, iterrows, date arithmetic
    assert {".isin()", "pd.crosstab", "set_index([...]) (MultiIndex)", ".iterrows()",
            ".days"} <= set(used), sorted(used)


def test_the_primer_shows_every_pandas_feature_the_solutions_use():
    cells = primer_cells()
    assert cells, f"{PRIMER.name} has no cell tagged {PRIMER_TAG!r}"
    missing = missing_from(cells)
    assert not missing, "the primer in 00 does not show: " + "; ".join(
        f"{f} (used in {', '.join(w)})" for f, w in sorted(missing.items()))


@pytest.mark.parametrize("feature", ["pd.crosstab", ".iterrows()", "set_index([...]) (MultiIndex)",
                                     ".isin()", ".days"])
def test_removing_a_feature_from_the_primer_is_caught(feature):
    cells = primer_cells()
    kept = [c for c in cells if feature not in features(c["text"], _imports(_cells(PRIMER)))]
    assert len(kept) < len(cells), f"no primer cell shows {feature}"
    assert feature in missing_from(kept)


def test_each_primer_cell_is_short_and_explained():
    cells = _cells(PRIMER)
    for i, cell in enumerate(cells):
        if cell["cell_type"] == "code" and PRIMER_TAG in cell["tags"]:
            lines = [line for line in cell["text"].splitlines() if line.strip()]
            assert len(lines) <= 6, f"primer cell {i} has {len(lines)} lines: keep it short"
            before = cells[i - 1]
            assert before["cell_type"] == "markdown" and before["text"].strip(), \
                f"primer cell {i} has no explanation above it"


def used_by_scaffolds() -> dict[str, list[str]]:
    """Feature -> where a scaffold (a ``%%exercise`` cell, tagged ``scaffold``) uses it. A blank
    ``___`` is a plain name to ``ast``, so a scaffold parses as it stands."""
    where: dict[str, list[str]] = {}
    for path in LESSONS:
        cells = _cells(path)
        skip = _imports(cells)
        for i, cell in enumerate(cells):
            if cell["cell_type"] == "code" and "scaffold" in cell["tags"]:
                for feature in features(cell["text"], skip):
                    where.setdefault(feature, []).append(f"{path.stem}, cell {i}")
    return where


def test_the_primer_shows_every_pandas_feature_the_scaffolds_use():
    used = used_by_scaffolds()
    assert {".sort_values()", "[mask]"} <= set(used), sorted(used)  # the scaffolds are read
    shown = shown_by(primer_cells())
    missing = {f: w for f, w in used.items() if f not in shown}
    assert not missing, "a scaffold uses pandas the primer in 00 does not show: " + "; ".join(
        f"{f} (used in {', '.join(w)})" for f, w in sorted(missing.items()))
