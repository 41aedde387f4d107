"""Scaffolded exercises (exercise.py): every exercise of lessons 01-07 has a scaffold whose blanks a
student fills; filled rightly it says "Right", filled wrongly it says "Not yet" and why; left blank
it runs without error and says what to do. Student copies keep the scaffolds."""

import json
import re
from pathlib import Path

import nbformat
import pytest

from balkan_diplomacy import exercise, student
from notebook_runner import execute

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("0[0-7]_*.ipynb"))
MAGIC = re.compile(r"^%%exercise\s+(\S+)")


def scaffolds(nb) -> list[tuple[int, str]]:
    return [(i, MAGIC.match(c.source).group(1)) for i, c in enumerate(nb.cells)
            if c.cell_type == "code" and MAGIC.match(c.source)]


def test_blanks_are_counted_and_filled():
    code = 'x = df.sort_values(___)\ny = x.___()  # not a blank: a___b, ____\n'
    assert exercise.blanks(code) == 2
    assert exercise.fill(code, ('"date"', "diff")).startswith('x = df.sort_values("date")\ny = x.diff()')
    with pytest.raises(ValueError, match="2 blanks, but 1 fills"):
        exercise.fill(code, ("a",))


def test_an_unknown_exercise_is_a_clear_error():
    with pytest.raises(KeyError, match="no exercise '99-x'; the exercises are: "):
        exercise.get("99-x")


def test_every_registered_exercise_has_a_scaffold_and_wrong_answers():
    used = {eid for path in LESSONS for _, eid in scaffolds(nbformat.read(path, as_version=4))}
    registered = exercise.exercises()
    assert used == set(registered), "scaffolds and registered exercises differ"
    for eid, ex in registered.items():
        assert ex.wrong, f"{eid}: no wrong answer is tested"
        assert eid[:2] in {p.name[:2] for p in LESSONS}


@pytest.mark.parametrize("path", LESSONS, ids=lambda p: p.name[:2])
def test_every_exercise_of_a_lesson_has_a_scaffold_and_a_written_part(path):
    nb = nbformat.read(path, as_version=4)
    headings = [i for i, c in enumerate(nb.cells)
                if c.cell_type == "markdown" and re.match(r"##\s+Exercise\s+\d", c.source)]
    assert headings, path.name
    for n, at in enumerate(headings):
        end = headings[n + 1] if n + 1 < len(headings) else len(nb.cells)
        part = nb.cells[at:end]
        text = nb.cells[at].source
        assert "**In words:**" in text, f"{path.name}: {text.splitlines()[0]} asks for no written judgement"
        code = [c for c in part if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
        if code:  # an exercise with code to write has a scaffold to fill
            assert any(MAGIC.match(c.source) for c in part), \
                f"{path.name}: {text.splitlines()[0]} has no %%exercise scaffold"


def test_student_copies_keep_the_scaffolds():
    for path in LESSONS:
        nb = nbformat.read(path, as_version=4)
        ids = [eid for _, eid in scaffolds(nb)]
        copy = student.strip_solutions(nb)
        assert [eid for _, eid in scaffolds(copy)] == ids, path.name


def _checked(nb, path: Path) -> tuple[nbformat.NotebookNode, list[tuple[str, str, str]]]:
    """A copy of lesson ``nb`` in which each scaffold cell is followed by itself filled rightly and
    filled with each wrong fill (then by itself again, filled rightly, so later cells see the right
    variable); returns the copy and (exercise, expectation, cell id) for each added cell."""
    cells, expect = [], []
    for cell in nb.cells:
        cells.append(cell)
        found = MAGIC.match(cell.source) if cell.cell_type == "code" else None
        if not found:
            continue
        ex = exercise.get(found.group(1))
        variants = [(ex.fills, "✔ Right")] + [(fills, phrase) for fills, phrase in ex.wrong]
        variants.append((ex.fills, "✔ Right"))
        for n, (fills, phrase) in enumerate(variants):
            new = nbformat.v4.new_code_cell(exercise.fill(cell.source, fills))
            new.id = f"check-{ex.exercise_id}-{n}"
            cells.append(new)
            expect.append((ex.exercise_id, phrase, new.id))
    copy = nbformat.from_dict(json.loads(json.dumps(nb)))
    copy.cells = cells
    return copy, expect


def _text(cell) -> str:
    parts = []
    for out in cell.get("outputs", []):
        parts.append(out.get("text", ""))
        parts += [str(v) for v in out.get("data", {}).values()]
        if out.get("output_type") == "error":
            parts.append(f"ERROR {out.get('ename')}: {out.get('evalue')}")
    return "\n".join(parts)


@pytest.mark.notebooks
@pytest.mark.parametrize("path", [p for p in LESSONS
                                  if scaffolds(nbformat.read(p, as_version=4))],
                         ids=lambda p: p.name[:2])
def test_scaffolds_accept_the_right_answer_and_reject_wrong_ones(path, tmp_path):
    nb = nbformat.read(path, as_version=4)
    # as the lesson is shipped: each scaffold runs without error and says what to do
    copy, expect = _checked(nb, path)
    target = tmp_path / path.name
    nbformat.write(copy, target)
    done = execute(target, cwd=path.parent)
    by_id = {c.id: c for c in done.cells}
    for index, eid in scaffolds(nb):
        shipped = _text(by_id[nb.cells[index].id])
        assert "blank" in shipped and "left" in shipped, f"{eid}: the empty scaffold says {shipped!r}"
    for eid, phrase, cell_id in expect:
        said = _text(by_id[cell_id])
        assert phrase in said, f"{eid}: expected {phrase!r}, the check said {said!r}"
        if phrase != "✔ Right":
            assert "✘ Not yet" in said, f"{eid}: a wrong answer was not rejected: {said!r}"


def test_feedback_shows_code_as_code_and_escapes_the_rest():
    page = exercise.Feedback(False, "✘ Not yet: `a<b` is <wrong>")._repr_html_()
    assert 'class="bd-wrong"' in page and "<code>a&lt;b</code>" in page and "&lt;wrong&gt;" in page
    assert repr(exercise.Feedback(True, "✔ Right. x")) == "✔ Right. x"


def test_a_scaffolded_exercise_gets_only_a_cell_for_words_in_the_student_copy():
    copy = student.strip_solutions(nbformat.read(ROOT / "notebooks" / "01_timeline.ipynb", as_version=4))
    ids = [c.id for c in copy.cells]
    assert "answer-exercise-1-words" in ids and "answer-exercise-1-code" not in ids
    at = ids.index("answer-exercise-1-words")
    assert copy.cells[at - 1].source.startswith("%%exercise 01-order")


@pytest.mark.parametrize("code, words", [
    ("sort_values(date)", "Python does not know the name `date`"),
    ('events["Date"]', "That label is not in the table"),
    ('events[(events["category"] == "eu") and (events["in_article"])]', "& (and)"),
    ('events["date"].dt.year()', "take none"),
    ('events[events["date"] > 2017]', "a date does"),
    ('events.sort_values("date", ascending="False")', "take no quotes"),
    ('events["date"].min - 1', "A method needs brackets"),
])
def test_a_beginners_usual_errors_get_a_sentence_each(code, words):
    import pandas as pd

    events = pd.DataFrame({"date": pd.to_datetime(["2008-02-17"]), "category": ["eu"],
                           "in_article": [True]})
    try:
        exec(code, {"events": events, "sort_values": lambda x: x})
    except Exception as error:  # noqa: BLE001 - the errors a student meets
        assert words in exercise.error_hint(error), (code, exercise.error_hint(error))
    else:
        pytest.fail(f"{code} ran without an error")


def test_an_empty_result_says_the_filter_kept_nothing():
    import pandas as pd

    expected = pd.DataFrame({"id": ["a", "b"]})
    said = exercise.same_frame(expected.iloc[0:0], expected, key="id", what="`t`")
    assert "your filter kept none" in said and "capitals" in said
    said = exercise.same_frame(pd.DataFrame({"id": ["x"]}), expected, key="id", what="`t`")
    assert "none of its rows belongs" in said
    assert "empty: your filter kept nothing" in exercise.same_set([], {"a"}, what="names")


def test_the_magic_reports_an_error_in_one_line_then_what_it_means():
    """Run in a separate IPython (a shell started here would stay the test process's)."""
    import subprocess
    import sys

    script = (
        "from IPython.testing.globalipapp import start_ipython\n"
        "ip = start_ipython()\n"
        "import balkan_diplomacy\n"
        "ip.run_cell('import pandas as pd\\nfrom balkan_diplomacy import data\\n"
        "events = data.load(\"events\").sort_values(\"date\", kind=\"stable\")\\n"
        "shuffled = events.sample(6, random_state=2019)')\n"
        "ip.run_cell('%%exercise 01-order\\nordered = events.sort_values(date)')\n"
        "ip.run_cell('1/0')\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         timeout=120, cwd=ROOT).stdout
    first, _, rest = out.partition("✘ The code stopped with an error")
    assert first.strip() == "NameError: name 'date' is not defined", out
    assert "Python does not know the name `date`" in rest
    assert "Traceback (most recent call last)" in rest, "the shell's own mode was not restored"
