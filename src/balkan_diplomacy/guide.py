"""The instructor's answer key, read live from the lessons and the quiz table.

``guide.answer_key("03")`` shows every exercise of lesson 03 with its worked solution (the cells
tagged ``solution``) and every quiz question with its answer and explanation. Reading them from
the notebooks and data/quizzes.csv keeps the key in step with the lessons.
"""

from __future__ import annotations

import html
import json
from pathlib import Path

from IPython.display import HTML

from . import data

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
    return [{"cell_type": c["cell_type"],
             "source": "".join(c["source"]) if isinstance(c["source"], list) else c["source"],
             "tags": c.get("metadata", {}).get("tags", [])} for c in cells]


def exercises(lesson: str) -> list[tuple[str, str]]:
    """(exercise heading and text, solution code) pairs of one lesson, in order."""
    pairs, prompt = [], None
    for cell in _cells(lesson_path(lesson)):
        if cell["cell_type"] == "markdown" and cell["source"].lstrip().startswith("## Exercise"):
            prompt = cell["source"].strip()
        elif "solution" in cell["tags"]:
            pairs.append((prompt or "(exercise)", cell["source"].strip()))
            prompt = None
    return pairs


def quiz_answers(lesson: str):
    q = data.load("quizzes")
    return q[q.quiz == lesson].sort_values("question_no")[
        ["question_no", "question", "answer", "explanation"]]


def answer_key(lesson: str) -> HTML:
    """The exercises with solutions and the quiz with answers, as HTML (all text escaped)."""
    parts = [f"<h4>Answer key: {html.escape(lesson_path(lesson).stem)}</h4>"]
    for prompt, solution in exercises(lesson):
        parts.append(f"<p><b>{html.escape(prompt.splitlines()[0].lstrip('# '))}</b><br>"
                     f"{html.escape(' '.join(prompt.splitlines()[1:]))}</p>"
                     f"<pre>{html.escape(solution)}</pre>")
    rows = "".join(f"<li><b>{html.escape(r.question)}</b><br>Answer: {html.escape(r.answer)}. "
                   f"{html.escape(r.explanation)}</li>" for r in quiz_answers(lesson).itertuples())
    parts.append(f"<p><b>Quiz</b></p><ol>{rows}</ol>")
    return HTML("\n".join(parts))


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
