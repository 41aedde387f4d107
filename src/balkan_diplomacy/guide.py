"""The instructor's run-sheet and answer key, read live from the lessons and the quiz table.

``guide.run_sheet("03")`` gives lesson 03 minute by minute (each activity, its start and length,
what to cut when short of time), from the minutes in the lesson's header. ``guide.answer_key("03")``
runs the lesson's solutions and shows each exercise's answer with its values (what the solution
prints and shows), its code folded under it, and every quiz question with its answer and
explanation. Reading them from the notebooks and data/quizzes.csv keeps the guide in step with
the lessons.
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

from IPython.display import HTML

from . import data, reveal

NOTEBOOKS = Path(__file__).resolve().parents[2] / "notebooks"


def lesson_path(lesson: str) -> Path:
    found = sorted(NOTEBOOKS.glob(f"{lesson}_*.ipynb"))
    if not found:
        raise KeyError(f"no lesson notebook numbered {lesson!r} in {NOTEBOOKS}")
    return found[0]


def _cells(path: Path) -> list[dict]:
    """The cells of a notebook as dicts with 'cell_type', 'source' (one string) and 'tags'.

    Read as plain JSON: nbformat would cost a lesson about two seconds of imports (its
    validator's URI grammar), and the answer key only needs the text."""
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    found = []
    for c in cells:
        source = "".join(c["source"]) if isinstance(c["source"], list) else c["source"]
        if source.startswith("%%answer"):  # the solution's folding magic (reveal.py): not code
            source = source.split("\n", 1)[1] if "\n" in source else ""
        found.append({"cell_type": c["cell_type"], "source": source,
                      "tags": c.get("metadata", {}).get("tags", [])})
    return found


def exercises(lesson: str) -> list[tuple[str, str]]:
    """(exercise heading and text, solution code) pairs of one lesson, in order."""
    pairs, prompt = [], None
    for cell in _cells(lesson_path(lesson)):
        if cell["cell_type"] == "markdown" and cell["source"].lstrip().startswith("## Exercise"):
            prompt = cell["source"].strip()
        elif cell["cell_type"] == "markdown" and cell["source"].lstrip().startswith("## "):
            prompt = None  # a new section: a solution here belongs to no exercise
        elif "solution" in cell["tags"]:
            # an exercise may have a code solution and a written model answer
            pairs.append((prompt or "(exercise)", cell["source"].strip()))
    return pairs


def quiz_answers(lesson: str):
    q = data.load("quizzes")
    return q[q.quiz == lesson].sort_values("question_no")[
        ["question_no", "question", "answer", "explanation"]]


def lesson_plan():
    """One row per lesson: number, title, notebook and minutes, read from each lesson's header
    (its '# NN · Title' line and its '*Teaching N min · exercises N min ...*' line)."""
    import re

    import pandas as pd

    rows = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        text = "\n".join(c["source"] for c in _cells(path) if c["cell_type"] == "markdown")
        title = re.search(r"^# \d{2} · (.+)$", text, re.M)
        timing = re.search(r"^\*(Teaching[^*]*)\*", text, re.M)
        minutes = ({k.lower(): int(v) for k, v in re.findall(r"(\w+) (\d+) min", timing.group(1))}
                   if timing else {})
        rows.append({"lesson": path.stem[:2], "title": title.group(1) if title else path.stem,
                     "notebook": path.name, **{f"{k} (min)": v for k, v in minutes.items()}})
    plan = pd.DataFrame(rows).fillna(0)
    numeric = [c for c in plan.columns if c.endswith("(min)")]
    plan[numeric] = plan[numeric].astype(int)
    plan["total (min)"] = plan[numeric].sum(axis=1)
    return plan


# ------------------------------------------------------------------------------------------
# the run-sheet: minutes per activity, what to cut, answers with their values

#: Fixed minutes of the activities every lesson has: the opening (question, objectives, the
#: article's passage), the key points, the self-check quiz. The rest of the teaching time is
#: shared among the lesson's sections by how much they hold; the rest of the exercise time
#: equally among its exercises; a debate (lesson 06) takes the minutes its header gives it.
OPENING_MIN, KEY_POINTS_MIN, QUIZ_MIN = 3, 2, 4
#: Minutes of a mid-lesson check (``quiz.check``): a row of its own in the run-sheet, taken
#: from the teaching time of the header.
CHECK_MIN = 3

#: What to cut when a class is short of time, per lesson: (heading the advice is about, how).
#: The headings are the start of a '## ' heading in the lesson (a test checks they exist).
CUT_WHEN_SHORT = {
    "00": [("Exercise 2", "set it as homework: the student copy has its answer cells"),
           ("A pandas primer", "set the primer as homework; do its three Try it cells together "
            "on the projector"),
           ("Eight lessons", "show the plan table for a moment and move on"),
           ("A notebook runs one cell", "run the cells yourself rather than letting each "
            "student find the tables")],
    "01": [("Exercise 1", "do it together on the projector: guess the order aloud, then sort"),
           ("The EU and Kosovo's status", "show the chart, skip the discussion of categories")],
    "02": [("In their own words", "set the part 'Before 2008' as reading, and ask for one "
            "sentence on it at the start of the next class"),
           ("One permanent member's veto", "state Article 4(2) and Article 27 in one sentence "
            "each and skip the claims table"),
           ("Exercise 2", "set it as homework")],
    "03": [("Bosnia and Herzegovina", "one sentence: a Membership Action Plan since 2010, no "
            "invitation"),
           ("Exercise 2", "set it as homework")],
    "04": [("Croatia joined", "skip the durations table; keep Croatia's 10.3 years as the one "
            "comparison"),
           ("Exercise 3", "set it as homework")],
    "05": [("One survey, several reporters", "show one pair of differing reports, not all"),
           ("Exercise 2", "set it as homework")],
    "06": [("The debate", "keep the debate; drop the cross-questions (27 minutes) rather than "
            "drop it"),
           ("Exercise 2", "set it as homework"),
           ("The article reports Moscow's official line", "read the two Lavrov rows only")],
    "07": [("The timeline records no", "show the timeline at 2019-2026 without discussion"),
           ("Exercise 2", "let students write their forecast at home; collect it next class"),
           ("Who wrote it", "say in two sentences who the author is and where he wrote; set "
            "Vuksanović's reading as homework"),
           ("Save your forecast", "set it as homework: the form works the same at home; the "
            "teacher merges the files next class")],
}


def _headed_sections(lesson: str) -> list[dict]:
    """The lesson's '## ' sections in order: heading, kind (teaching, exercise, quiz, key
    points, sources, debate) and the words of their cells."""
    sections: list[dict] = []
    for cell in _cells(lesson_path(lesson)):
        text = cell["source"].lstrip()
        if cell["cell_type"] == "markdown" and text.startswith("## "):
            heading = text.splitlines()[0][3:].strip()
            low = heading.lower()
            kind = ("exercise" if low.startswith("exercise") else
                    "quiz" if low.startswith("self-check") else
                    "key points" if low.startswith("key points") else
                    "sources" if low.startswith("sources") else
                    # the debate itself; sections that prepare it ("ideas for the debate") teach
                    "debate" if low.startswith("the debate") else "teaching")
            sections.append({"heading": heading, "kind": kind, "words": 0, "checks": 0})
        if sections and cell["cell_type"] == "code" and "quiz.check(" in cell["source"]:
            sections[-1]["checks"] += 1
        if sections and "solution" not in cell["tags"]:
            sections[-1]["words"] += len(cell["source"].split())
    return sections


def _shares(total: int, weights: list[float]) -> list[int]:
    """``total`` minutes in whole minutes in proportion to ``weights`` (largest remainder)."""
    if not weights:
        return []
    exact = [total * w / sum(weights) for w in weights]
    whole = [int(x) for x in exact]
    for i in sorted(range(len(exact)), key=lambda i: exact[i] - whole[i], reverse=True)[
            :total - sum(whole)]:
        whole[i] += 1
    return whole


def lesson_minutes(lesson: str) -> dict:
    """The minutes of one lesson's header line, e.g. {'teaching': 25, 'exercises': 15}."""
    plan = lesson_plan().set_index("lesson")
    row = plan.loc[lesson]
    return {c[:-6]: int(row[c]) for c in plan.columns
            if c.endswith("(min)") and c != "total (min)" and int(row[c])}  # only its own parts


def run_sheet(lesson: str):
    """Minute by minute: one row per activity of the lesson, with its start, its length and what
    to cut if short of time. The minutes add up to the lesson's header line. A section whose
    heading states its time ("(15 minutes)") gets it; the rest of the teaching time is shared by
    how much the other sections hold, the rest of the exercise time equally."""
    import pandas as pd

    minutes = lesson_minutes(lesson)
    sections = [s for s in _headed_sections(lesson) if s["kind"] != "sources"]
    # a heading that states its own time, "(15 minutes)", keeps it; the rest is shared
    fixed = {id(s): int(m.group(1)) for s in sections
             if (m := re.search(r"\((\d+) minutes\)", s["heading"]))}
    teaching = [s for s in sections if s["kind"] == "teaching" and id(s) not in fixed]
    exercises = [s for s in sections if s["kind"] == "exercise" and id(s) not in fixed]

    def stated(kind: str) -> int:
        return sum(fixed[id(s)] for s in sections if s["kind"] == kind and id(s) in fixed)

    rows = [{"activity": "Opening: the question, the objectives, the article's passage",
             "kind": "teaching", "minutes": OPENING_MIN}]
    checks = sum(s["checks"] for s in sections)
    left = (minutes.get("teaching", 0) - OPENING_MIN - KEY_POINTS_MIN - stated("teaching")
            - CHECK_MIN * checks)
    shares = dict(zip(map(id, teaching), _shares(left, [s["words"] for s in teaching])))
    shares.update(fixed)
    ex_shares = dict(zip(map(id, exercises), _shares(
        minutes.get("exercises", 0) - QUIZ_MIN - stated("exercise"), [1] * len(exercises))))
    ex_shares.update(fixed)
    for s in sections:
        length = {"teaching": shares.get(id(s)), "exercise": ex_shares.get(id(s)),
                  "quiz": QUIZ_MIN, "key points": KEY_POINTS_MIN,
                  "debate": minutes.get("debate", 0)}[s["kind"]]
        rows.append({"activity": s["heading"], "kind": s["kind"], "minutes": length})
        if s["checks"]:
            rows.append({"activity": "Check your reading (the questions halfway)", "kind": "check",
                         "minutes": CHECK_MIN * s["checks"]})
    plan = pd.DataFrame(rows)
    plan.insert(0, "start (min)", plan["minutes"].cumsum().shift(fill_value=0).astype(int))
    cuts = CUT_WHEN_SHORT.get(lesson, [])
    plan["if short of time"] = [
        "; ".join(how for head, how in cuts if a.startswith(head)) for a in plan["activity"]]
    return plan


_RUNS: dict = {}


def executed(lesson: str) -> dict:
    """The lesson as a fresh kernel runs it top to bottom (nbconvert in a process of its own,
    as "Restart Kernel and Run All" would; about 5-10 s), kept until the lesson file changes."""
    import subprocess
    import sys

    path = lesson_path(lesson)
    key = (path, path.stat().st_mtime_ns)
    if key not in _RUNS:
        run = subprocess.run([sys.executable, "-m", "nbconvert", "--to", "notebook", "--execute",
                              "--stdout", "--ExecutePreprocessor.timeout=300", str(path)],
                             capture_output=True, text=True, cwd=path.parent)
        if run.returncode:
            raise RuntimeError(f"running {path.name} for its answers failed:\n"
                               f"{run.stderr[-3000:]}")
        _RUNS[key] = json.loads(run.stdout)
    return _RUNS[key]


def answers(lesson: str) -> list[dict]:
    """Each exercise of the lesson with its solution's result, from a run of the whole lesson:
    [{'exercise': its heading and text, 'code': the solution, 'html': what the solution printed
    and showed (the folded answer a student opens, here open)}]."""
    found, prompt = [], None
    for cell in executed(lesson)["cells"]:
        source = "".join(cell["source"]) if isinstance(cell["source"], list) else cell["source"]
        if cell["cell_type"] == "markdown" and source.lstrip().startswith("## Exercise"):
            prompt = source.strip()
        if "solution" not in cell.get("metadata", {}).get("tags", []):
            continue
        if cell["cell_type"] == "markdown":  # a written model answer, folded in the lesson
            inner = re.sub(r"</?details>|<summary>.*?</summary>", "", source, flags=re.S)
            found.append({"exercise": prompt or "(exercise)", "code": "",
                          "html": f'<details class="bd-answer" open><summary>{reveal.SUMMARY}'
                                  f"</summary>{_markdown_html(inner)}</details>"})
            continue
        shown = []
        for out in cell.get("outputs", []):
            data = out.get("data", {})
            if "text/html" in data:
                page = data["text/html"]
                page = "".join(page) if isinstance(page, list) else page
                shown.append(page.replace('<details class="bd-answer">',
                                          '<details class="bd-answer" open>', 1))
            elif out.get("output_type") == "stream":
                text = "".join(out["text"]) if isinstance(out["text"], list) else out["text"]
                shown.append(f"<pre>{html.escape(text)}</pre>")
        code = source.split("\n", 1)[1] if source.startswith("%%answer") else source
        found.append({"exercise": prompt or "(exercise)", "code": code.strip(),
                      "html": "".join(shown)})
    return found


def _markdown_html(text: str) -> str:
    """Markdown as HTML, with the converter nbconvert uses (mistune)."""
    import mistune

    return mistune.html(text)


def answer_key(lesson: str) -> HTML:
    """The exercises with their solutions' results from a run of the lesson (what each solution
    prints and shows), the code folded after it; then the quiz with answers."""
    parts = [f"<h4>Answers: {html.escape(lesson_path(lesson).stem)}</h4>"]
    for item in answers(lesson):
        head = item["exercise"].splitlines()
        parts.append(f"<p><b>{html.escape(head[0].lstrip('# '))}</b></p>")
        parts.append(item["html"])
        if item["code"]:
            parts.append(f"<details><summary>the code</summary><pre>{html.escape(item['code'])}"
                         "</pre></details>")
    rows = "".join(f"<li><b>{html.escape(r.question)}</b><br>Answer: {html.escape(r.answer)}. "
                   f"{html.escape(r.explanation)}</li>" for r in quiz_answers(lesson).itertuples())
    parts.append(f"<p><b>Quiz</b></p><ol>{rows}</ol>")
    return HTML("\n".join(parts))
