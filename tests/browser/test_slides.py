"""A lesson presented as slides with jupyterlab-slideshow inside JupyterLab, widgets live.

Open a lesson, Run All, select the first cell, start the deck (toolbar button "Toggle Deck"),
page forward with the arrow keys until a slide shows an explorer, move its slider inside the
slide and check that the chart changes. A screenshot of that slide goes to tests/screenshots/.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
ONSCREEN = ".jp-deck-mod-onscreen"


def first_lesson_with_explorer():
    for path in sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb")):
        nb = nbformat.read(path, as_version=4)
        if any("explorer(" in c.source for c in nb.cells if c.cell_type == "code"):
            return path
    return None


def present_and_drive(bt, nb, log: list, max_slides: int = 40) -> list[str]:
    """Start the deck on the first slide, go to the first slide with a chart, move its control."""
    page = nb.page
    first = nb.notebook.locator(".jp-Cell").first
    first.scroll_into_view_if_needed()
    first.click()  # the deck opens at the active cell's slide
    page.keyboard.press("Escape")  # command mode: arrow keys page, not edit
    page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='deck'] button, "
                 ".jp-NotebookPanel:not(.lm-mod-hidden) [data-jp-item-name='deck']").first.click()
    page.locator("body[data-jp-deck-mode='presenting']").wait_for(state="attached", timeout=10_000)
    chart = page.locator(f"{ONSCREEN} {bt.IMAGE}, {ONSCREEN} .jupyter-widgets-error-widget")
    for slide in range(max_slides):
        page.wait_for_timeout(150)
        if chart.count() and chart.first.is_visible():
            log.append(f"explorer on slide {slide + 1}")
            break
        page.keyboard.press("ArrowRight")
    else:
        return [f"no slide with a chart within {max_slides} slides"]
    onscreen = page.locator(ONSCREEN)
    failures = bt.output_problems(onscreen)
    box = chart.first.bounding_box()
    viewport = page.viewport_size
    if box and (box["y"] < 0 or box["y"] + box["height"] > viewport["height"] + 2):
        log.append(f"chart not wholly on screen (top {box['y']:.0f}, height {box['height']:.0f} px, "
                   f"window {viewport['height']} px)")
    failures += bt.exercise_explorers(onscreen, log, expect=True, only_visible=True)
    if page.locator("body[data-jp-deck-mode='presenting']").count() == 0:
        failures.append("moving the slider left the deck")
    return failures


def test_lesson_as_slides(bt, lab, open_lab_notebook, shot):
    path = first_lesson_with_explorer()
    if path is None:
        pytest.skip("no lesson with an explorer yet")
    t0 = time.monotonic()
    nb = open_lab_notebook(lab, path.name, width=1280, height=800)
    nb.run_all()
    log = [f"{path.name}: ran in {time.monotonic() - t0:.1f} s"]
    try:
        failures = present_and_drive(bt, nb, log)
        nb.page.screenshot(path=str(shot(f"slides_{path.stem}")))
    finally:  # leave the deck: its state is saved as a setting of the shared Lab
        deck = nb.page.locator("body[data-jp-deck-mode='presenting']")
        if deck.count():
            nb.page.keyboard.press("Escape")
    print("\n" + "; ".join(log) + f"; total {time.monotonic() - t0:.1f} s")
    assert not failures, f"{path.name} as slides:\n- " + "\n- ".join(failures)
