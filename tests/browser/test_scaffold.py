"""A student fills a scaffolded exercise in real JupyterLab (exercise.py): after Run All the
empty scaffold says how many blanks are left; filled wrongly and run (Shift+Enter) it says
"Not yet" and why; filled rightly, "Right". Screenshots: tests/screenshots/scaffold_*.png."""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest

from balkan_diplomacy import exercise

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "01_timeline.ipynb"
EXERCISE_ID = "01-order"


def scaffold_index() -> tuple[int, str]:
    nb = nbformat.read(LESSON, as_version=4)
    return next((i, c.source) for i, c in enumerate(nb.cells)
                if c.cell_type == "code" and c.source.startswith(f"%%exercise {EXERCISE_ID}"))


def test_a_student_fills_a_scaffold_and_is_told_why(bt, lab, open_lab_notebook, shot):
    nb = open_lab_notebook(lab, LESSON.name, width=1280, height=900)
    state = nb.run_all()
    assert state["done"] == state["total"], state
    index, source = scaffold_index()
    cells = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    cell = cells.filter(has_text=f"%%exercise {EXERCISE_ID}")
    assert cell.count() == 1 and cells.nth(index).inner_text() == cell.inner_text()
    cell.scroll_into_view_if_needed()
    output = cell.locator(".jp-OutputArea").first
    assert re.search(r"2 blanks ___ left", output.inner_text()), output.inner_text()
    ex = exercise.get(EXERCISE_ID)

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
    assert "✘ Not yet" in said and phrase in said, said
    nb.page.screenshot(path=str(shot("scaffold_wrong")))
    said = run_with(ex.fills)
    assert "✔ Right" in said and "Not yet" not in said, said
    nb.page.screenshot(path=str(shot("scaffold_right")))
