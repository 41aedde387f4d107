"""In front of a class, in real JupyterLab: after Run All the solutions stay hidden (code hidden,
output folded by %%answer: JupyterLab shows outputs again on every run) and open with one click;
the deck skips them; a plain DataFrame in projector mode shows
every cell whole, wrapped and large.

Screenshots (tests/screenshots/): an exercise slide after Run All, a table in projector mode.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSON = ROOT / "notebooks" / "01_timeline.ipynb"


def solution_indices(path: Path) -> list[int]:
    nb = nbformat.read(path, as_version=4)
    return [i for i, c in enumerate(nb.cells) if "solution" in c.metadata.get("tags", [])]


def test_solutions_stay_hidden_after_run_all_and_open_with_a_click(bt, lab, open_lab_notebook,
                                                                   shot):
    nb = open_lab_notebook(lab, LESSON.name, width=1280, height=800)
    state = nb.run_all()
    assert state["done"] == state["total"], state
    cells = nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook .jp-Cell")
    indices = solution_indices(LESSON)
    assert indices and cells.count() == len(nbformat.read(LESSON, as_version=4).cells)
    failures = []
    for i in indices:
        cell = cells.nth(i)
        if cell.locator(".jp-InputArea-editor").filter(visible=True).count():
            failures.append(f"cell {i}: the solution's code shows after Run All")
        folded = cell.locator("details.bd-answer")
        if folded.count() != 1 or folded.evaluate("el => el.open"):
            failures.append(f"cell {i}: the solution's output is not folded after Run All")
        elif folded.locator(":scope > :not(summary)").filter(visible=True).count():
            failures.append(f"cell {i}: the solution's answer shows after Run All")
    # the exercise slide as the room sees it: select the first exercise, start the deck
    first = cells.nth(indices[0] - 1)
    first.scroll_into_view_if_needed()
    first.click()
    nb.page.keyboard.press("Escape")
    nb.page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='deck']").first.click()
    nb.page.locator("body[data-jp-deck-mode='presenting']").wait_for(state="attached")
    nb.page.wait_for_timeout(600)
    if nb.page.locator(".jp-deck-mod-onscreen details.bd-answer").filter(visible=True).count():
        failures.append("the deck shows a solution")
    nb.page.screenshot(path=str(shot("slides_exercise_after_run_all")))
    nb.page.keyboard.press("Escape")
    nb.page.wait_for_timeout(300)
    # one click on "Answer: click to open" opens the answer; one on the code's bar, the code
    cell = cells.nth(indices[-1])
    cell.scroll_into_view_if_needed()
    cell.locator("details.bd-answer > summary").click()
    try:
        cell.locator("details.bd-answer > :not(summary)").first.wait_for(state="visible",
                                                                          timeout=5_000)
    except Exception:  # noqa: BLE001
        failures.append("one click on the folded answer did not open it")
    cell.locator(".jp-InputPlaceholder").first.click()
    try:
        cell.locator(".jp-InputArea-editor").first.wait_for(state="visible", timeout=5_000)
    except Exception:  # noqa: BLE001
        failures.append("one click on the hidden code did not open it")
    nb.page.screenshot(path=str(shot("solution_opened")))
    assert not failures, "\n- ".join(failures)


PROJECTOR = """import balkan_diplomacy
balkan_diplomacy.present()
from balkan_diplomacy import data
data.load("article_claims")[["claim_id", "quote", "recorded_value"]].head(4)"""


def test_a_plain_table_in_projector_mode_is_whole_wrapped_and_large(bt, lab, open_lab_notebook,
                                                                    shot):
    nbformat.write(nbformat.v4.new_notebook(
        cells=[nbformat.v4.new_code_cell(PROJECTOR)],
        metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}}), lab.root / "projector_table.ipynb")
    nb = open_lab_notebook(lab, "projector_table.ipynb", width=1280, height=800)
    nb.run_all()
    table = nb.notebook.locator(".jp-OutputArea-output table").first
    table.wait_for(state="visible")
    cells = table.locator("td")
    texts = cells.all_inner_texts()
    assert texts and not [t for t in texts if t.rstrip().endswith(("...", "…"))], texts
    look = cells.first.evaluate("el => { const s = getComputedStyle(el); return "
                                "{ws: s.whiteSpace, size: parseFloat(s.fontSize), "
                                "page: parseFloat(getComputedStyle(document.body).fontSize)}; }")
    assert look["ws"] == "normal", look
    # a long quote wraps onto several lines instead of widening the table off the screen
    heights = [cells.nth(k).bounding_box()["height"] for k in range(cells.count())]
    assert max(heights) > 2 * min(heights), heights
    assert table.bounding_box()["width"] <= nb.page.viewport_size["width"]
    table.scroll_into_view_if_needed()
    nb.page.screenshot(path=str(shot("projector_table")))
    print(f"\nprojector table: cell font {look['size']:.1f}px (page {look['page']:.1f}px)")
    assert look["size"] >= 16, look
