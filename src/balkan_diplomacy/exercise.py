"""``%%exercise ID``: a scaffold a student completes, checked when it runs.

An exercise's code part is a cell that starts with ``%%exercise 01-order`` and holds the
solution's code with blanks, ``___``, where the student writes. While a blank is left, the cell
does not run: it says how many blanks are left and what the finished cell must make. When none is
left, it runs like any cell, then checks the variable the exercise names and says "✔ Right" with
why, or "✘ Not yet" with the first thing that differs and a hint. An error in the student's code
shows as usual, with a line saying what to do next.

A check computes its expected answer from ``data/`` when it runs, never from a stored result.
Each lesson module registers its exercises with ``register`` (lesson 00's live in ``maps``);
``tests/test_exercises.py`` fills every scaffold with the registered right fills and wrong ones,
runs the lessons, and checks that the right answer is accepted and each wrong one is rejected
with its reason. The magic is registered when the package is imported in an IPython kernel.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from typing import Any
from collections.abc import Callable

import pandas as pd

BLANK = "___"
BLANK_PATTERN = re.compile(r"(?<![\w])___(?![\w])")


@dataclass(frozen=True)
class Exercise:
    """One scaffolded exercise.

    ``expected(namespace)`` computes the right value from the data (``namespace`` holds the
    notebook's variables, for exercises that build on an earlier cell); ``compare(got, expected)``
    returns ``None`` when ``got`` is right, else the reason it is not, in words a student reads.
    ``fills`` are the texts that complete the scaffold's blanks, in order (the tests use them);
    ``wrong`` are other fills, each with a phrase its reason must contain."""

    exercise_id: str
    variable: str
    task: str
    expected: Callable[[dict], Any]
    compare: Callable[[Any, Any], str | None]
    why: str
    fills: tuple[str, ...]
    wrong: tuple[tuple[tuple[str, ...], str], ...] = field(default=())


_REGISTRY: dict[str, Exercise] = {}


def register(exercise: Exercise) -> Exercise:
    """Add ``exercise`` to the exercises ``%%exercise`` knows (a lesson module calls this)."""
    _REGISTRY[exercise.exercise_id] = exercise
    return exercise


def exercises() -> dict[str, Exercise]:
    """Every registered exercise by id (importing the lesson modules registers theirs)."""
    from . import lesson_modules

    lesson_modules()
    return dict(sorted(_REGISTRY.items()))


def get(exercise_id: str) -> Exercise:
    if exercise_id in _REGISTRY:  # its lesson module is imported already (the lesson uses it)
        return _REGISTRY[exercise_id]
    known = exercises()
    if exercise_id not in known:
        raise KeyError(f"no exercise {exercise_id!r}; the exercises are: {', '.join(known)}")
    return known[exercise_id]


def shown(value: Any) -> str:
    """``value`` as a student would type it: a numpy number as a plain one (``5``, not
    ``np.int64(5)``)."""
    if not isinstance(value, (pd.Series, pd.DataFrame, pd.Index)) and hasattr(value, "item") \
            and getattr(value, "ndim", None) == 0:
        value = value.item()
    return repr(value)


def blanks(code: str) -> int:
    """How many blanks ``___`` are left in ``code``."""
    return len(BLANK_PATTERN.findall(code))


def fill(code: str, fills: tuple[str, ...]) -> str:
    """``code`` with its blanks replaced by ``fills``, in order (for tests and the guide)."""
    parts = BLANK_PATTERN.split(code)
    if len(parts) - 1 != len(fills):
        raise ValueError(f"the scaffold has {len(parts) - 1} blanks, but {len(fills)} fills were given")
    out = [parts[0]]
    for text, rest in zip(fills, parts[1:]):
        out += [text, rest]
    return "".join(out)


def verdict(exercise_id: str, got: Any, namespace: dict | None = None) -> str | None:
    """``None`` when ``got`` answers exercise ``exercise_id``, else the reason it does not."""
    exercise = get(exercise_id)
    return exercise.compare(got, exercise.expected(namespace or {}))


def check(exercise_id: str, got: Any, namespace: dict | None = None) -> Feedback:
    """The feedback a student sees for ``got`` (what the magic shows after the cell runs)."""
    exercise = get(exercise_id)
    reason = verdict(exercise_id, got, namespace)
    if reason is None:
        return Feedback(True, f"✔ Right. {exercise.why}")
    return Feedback(False, f"✘ Not yet: {reason}")


@dataclass(frozen=True)
class Feedback:
    right: bool
    text: str

    def _repr_html_(self) -> str:
        css, colour = ("bd-right", "#006b4f") if self.right else ("bd-wrong", "#a34700")
        # `code` in a message shows as code, as in the lesson's text
        text = re.sub(r"`([^`]+)`", r"<code>\1</code>", html.escape(self.text))
        return f'<p class="{css}" style="color:{colour};font-weight:bold">{text}</p>'

    def __repr__(self) -> str:
        return self.text


def _waiting(exercise: Exercise, left: int) -> str:
    word = "blank" if left == 1 else "blanks"
    return (f"Exercise {exercise.exercise_id}: {left} {word} ___ left. Replace each ___ with your "
            f"code, then run this cell again (Shift+Enter). When it runs, the cell must {exercise.task}; "
            f"it then tells you whether `{exercise.variable}` is right, and why not when it is not.")


#: What a beginner's usual errors mean, in a sentence each: (error type, words in its message or
#: "" for any, the sentence). The first match is shown under the error's own one-line message.
ERROR_HINTS = [
    ("NameError", "", "Python does not know the name {name}. Text values and column names go in "
                      'quotes ("P009", "date"); a variable you made yourself needs its cell run first.'),
    ("KeyError", "", "That label is not in the table. Check its spelling, capitals and underscores "
                     "against the column names or the values printed above."),
    ("ValueError", "truth value", "Join conditions on columns with & (and) or | (or), each one in "
                                  'brackets: (df["a"] == 1) & (df["b"] > 2). The words and / or do '
                                  "not work on columns."),
    ("TypeError", "not callable", "Something that is not a function got brackets (). Properties "
                                  "such as .dt.year, .index or .columns take none."),
    ("TypeError", "comparison", "Two kinds of value were compared: a number needs no quotes (75), "
                                'a date does ("2017-12-31").'),
    ("TypeError", "not supported between", "Two kinds of value were compared: a number needs no "
                                           'quotes (75), a date does ("2017-12-31").'),
    ("TypeError", "ufunc", "Two kinds of value were compared: a number needs no quotes (75), a "
                           'date does ("2017-12-31").'),
    ("ValueError", "expected type bool", "True and False take no quotes: ascending=False."),
    ("TypeError", "'method'", "A method needs brackets to run: .min(), .max(), .sum()."),
    ("AttributeError", "", "That name after the dot does not exist here: check its spelling "
                           "against the primer in lesson 00."),
    ("SyntaxError", "", "Python could not read the cell: check that every bracket and every quote "
                        "you opened is closed, and that no ___ is left."),
]


def error_hint(error: BaseException) -> str:
    """A sentence on what ``error`` usually means in a beginner's cell ("" if none fits)."""
    kinds = {kind.__name__ for kind in type(error).__mro__}
    message = str(error)
    for kind, words, hint in ERROR_HINTS:
        if kind in kinds and words in message:
            name = getattr(error, "name", None)
            return hint.format(name=f"`{name}`" if name else "used there")
    return ""


def exercise_magic(line: str, cell: str) -> None:
    """The ``%%exercise ID`` cell magic (see the module's text)."""
    from IPython import get_ipython
    from IPython.display import display
    from IPython.utils.capture import capture_output

    exercise = get(line.strip())
    left = blanks(cell)
    if left:
        print(_waiting(exercise, left))
        return
    shell = get_ipython()
    # what the cell prints and shows is held back and shown under the verdict, so that the
    # verdict is not below a long table (IPython's own capture, as %%capture uses it); an error
    # is reported in one line (the traceback mode %xmode Minimal sets), then what it usually means
    mode = shell.InteractiveTB.mode
    shell.InteractiveTB.set_mode("Minimal")
    try:
        with capture_output(display=True) as output:
            result = shell.run_cell(cell)
    finally:
        shell.InteractiveTB.set_mode(mode)
    if not result.success:
        output.show()
        error = result.error_in_exec or result.error_before_exec
        hint = error_hint(error) if error is not None else ""
        display(Feedback(False, f"✘ The code stopped with an error (its message is above). "
                                f"{hint} Fix the cell and run it again; the check runs when the "
                                "cell runs without an error."))
        return
    if exercise.variable not in shell.user_ns:
        display(Feedback(False, f"✘ Not yet: the cell must make a variable called "
                                f"`{exercise.variable}` (it must {exercise.task})."))
    else:
        display(check(exercise.exercise_id, shell.user_ns[exercise.variable], shell.user_ns))
    output.show()


def register_magic() -> None:
    """Register ``%%exercise`` in the running IPython shell (nothing outside IPython)."""
    from .reveal import register_cell_magic

    register_cell_magic(exercise_magic, "exercise")


# ---- comparisons a check is made of: each returns None when right, else a reason in words ----

def same_number(got: Any, expected: float, *, what: str, tolerance: float = 0.0,
                unit: str = "") -> str | None:
    """``got`` is one number within ``tolerance`` of ``expected``."""
    if isinstance(got, (pd.Series, pd.DataFrame)):
        return (f"`{what}` should be one number, but it is a pandas {type(got).__name__} "
                f"of {len(got)} rows. Pick the one value you need (for example with `.iloc[0]`).")
    try:
        value = float(got)
    except (TypeError, ValueError):
        return f"`{what}` should be a number, but it is {shown(got)}."
    if abs(value - expected) > tolerance:
        direction = "too high" if value > expected else "too low"
        return f"`{what}` is {value:g}{unit}, which is {direction}. Check which rows you counted."
    return None


def _rows_needed(n: int) -> str:
    """'the one row it needs', 'both rows it needs' or 'all 3 of the rows it needs'."""
    return {1: "the one row it needs", 2: "both rows it needs"}.get(
        n, f"all {n} of the rows it needs")


def same_frame(got: Any, expected: pd.DataFrame, *, key: str, columns: list[str] | None = None,
               ordered: bool = True, what: str = "the table") -> str | None:
    """``got`` is a table with ``expected``'s rows (matched by column ``key``), in the same order
    when ``ordered``, with the same values in ``columns``."""
    if isinstance(got, pd.Series) and got.name == key:
        got = got.to_frame()
    if not isinstance(got, pd.DataFrame):
        return f"{what} should be a pandas DataFrame, but it is {type(got).__name__}."
    if key not in got.columns:
        return f"{what} has no column `{key}`: keep it, so that each row can be told apart."
    missing = [k for k in expected[key] if k not in set(got[key])]
    extra = [k for k in got[key] if k not in set(expected[key])]
    if got.empty and not expected.empty:
        return (f"{what} has no rows, so it lacks {_rows_needed(len(expected))}: your "
                "filter kept none; check your filter: the text it compares with must match the "
                "column's values exactly, capitals and underscores too (look at the column in "
                "the tables shown earlier in the lesson).")
    if missing and extra and len(extra) == len(got):
        return (f"{what} lacks {_rows_needed(len(missing))}, and none of its rows "
                f"belongs (for example {shown(extra[0])}): check your filter, and the value it "
                "compares with.")
    if missing:
        return (f"{what} lacks {len(missing)} of the rows it needs (for example {shown(missing[0])}): "
                "check your filter.")
    if extra:
        return (f"{what} has {len(extra)} row(s) too many (for example {shown(extra[0])}): "
                "check your filter.")
    if len(got) != len(expected):
        return f"{what} has {len(got)} rows, but {len(expected)} are expected: is a row there twice?"
    if ordered and list(got[key]) != list(expected[key]):
        first = next(i for i, (a, b) in enumerate(zip(got[key], expected[key])) if a != b)
        return (f"the rows are not in the right order: row {first + 1} is {shown(got[key].iloc[first])}, "
                f"but {shown(expected[key].iloc[first])} comes there. Check what you sorted by.")
    for column in columns or []:
        if column not in got.columns:
            return f"{what} has no column `{column}`."
        mine = got.set_index(key)[column]
        theirs = expected.set_index(key)[column]
        for k in expected[key]:
            a, b = mine[k], theirs[k]
            if pd.isna(a) and pd.isna(b):
                continue
            if isinstance(b, float) and not pd.isna(a):
                try:
                    if abs(float(a) - b) <= 0.051:
                        continue
                except (TypeError, ValueError):
                    pass
            if pd.isna(a) or pd.isna(b) or a != b:
                return f"in row {shown(k)}, `{column}` is {shown(a)}, but it should be {shown(b)}."
    return None


def same_set(got: Any, expected: set, *, what: str) -> str | None:
    """``got`` (a list, a Series, an Index or a set) holds exactly the items of ``expected``."""
    if isinstance(got, pd.DataFrame):
        return f"`{what}` should be a list of names, not a whole table: pick one column."
    if isinstance(got, str) or not hasattr(got, "__iter__"):
        return f"`{what}` should be a list of names, but it is {shown(got)}."
    items = set(got)
    if not items and expected:
        return (f"`{what}` is empty: your filter kept nothing. The text you compare with must match "
                "the column's values exactly, capitals and underscores too.")
    if items - expected:
        return f"`{what}` includes {sorted(map(str, items - expected))[0]!r}, which does not belong."
    if expected - items:
        return f"`{what}` lacks {len(expected - items)} of the names it needs."
    return None
