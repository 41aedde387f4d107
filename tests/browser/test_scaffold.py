"""A student fills a scaffold in real JupyterLab (exercise.py), in lesson 00's primer and in a
lesson's exercise: after Run All the empty scaffold says how many blanks are left; filled wrongly
and run (Shift+Enter) it says "Not yet" and why; filled rightly, "Right".
Screenshots: tests/screenshots/scaffold_<exercise>_wrong.png and _right.png."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from balkan_diplomacy import exercise

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
#: a primer's Try it cell (typing the label instead of the code) and a lesson's exercise
CASES = [("00_start_here.ipynb", "00-try-codes"), ("01_timeline.ipynb", "01-order")]


def scaffold_index(lesson: Path, exercise_id: str) -> tuple[int, str]:
    nb = nbformat.read(lesson, as_version=4)
    return next((i, c.source) for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and c.source.startswith(f"%%exercise {exercise_id}"))


@pytest.mark.parametrize("name, exercise_id", CASES, ids=[e for _, e in CASES])
def test_a_student_fills_a_scaffold_and_is_told_why(bt, lab, open_lab_notebook, shot, name,
                                                     exercise_id):
    lesson = ROOT / "notebooks" / name
    nb = open_lab_notebook(lab, name, width=1280, height=900)
    state = nb.run_all()
    assert state["done"] == state["total"], state
    index, source = scaffold_index(lesson, exercise_id)
    cells = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cell = cells.filter(has_text=f"%%exercise {exercise_id}")
    assert cell.count() == 1 and cells.nth(index).inner_text() == cell.inner_text()
    cell.scroll_into_view_if_needed()
    output = cell.locator(".jp-OutputArea").first
    blanks = exercise.blanks(source)
    assert re.search(rf"{blanks} blanks? ___ left", output.inner_text()), output.inner_text()
    ex = exercise.get(exercise_id)

    def run_with(fills) -> str:
        before = cell.locator(".jp-InputPrompt").inner_text()
        cell.locator(".cm-content").click()
        nb.page.keyboard.press("Control+A")
        nb.page.keyboard.insert_text(exercise.fill(source, fills))  # no auto-indent, as pasted
        nb.page.keyboard.press("Shift+Enter")
        nb.page.wait_for_function(
            "([el, before]) => { const p = el.querySelector('.jp-InputPrompt').innerText;"
            " return p !== before && !p.includes('*'); }", arg=[cell.element_handle(), before],
            timeout=30_000)
        cell.scroll_into_view_if_needed()
        return output.inner_text()

    wrong_fills, phrase = ex.wrong[0]
    said = run_with(wrong_fills)
    # the page shows `code` as code, without its backticks
    assert "✘ Not yet" in said and phrase.replace("`", "") in said, said
    nb.page.screenshot(path=str(shot(f"scaffold_{exercise_id}_wrong")))
    said = run_with(ex.fills)
    assert "✔ Right" in said and "Not yet" not in said, said
    nb.page.screenshot(path=str(shot(f"scaffold_{exercise_id}_right")))
