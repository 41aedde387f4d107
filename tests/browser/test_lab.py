"""Each lesson in real JupyterLab: Run All, no error, every chart shows and reacts, quizzes answer.

One Lab serves a temporary copy of notebooks/ for all lessons. Per notebook: open it, wait until
its kernel is idle (GET /api/sessions), Run > Run All Cells, wait for every cell, then check what
a student sees. A screenshot of each whole notebook goes to tests/screenshots/.

The last test shows the checks can fail: with the widgets front-end extension disabled (in the
temporary Jupyter config only) the same checks must report the broken chart.
"""

from __future__ import annotations

import time

import nbformat
import pytest

from pathlib import Path

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))  # others may still be written


def uses_widget(path, *words) -> bool:
    nb = nbformat.read(path, as_version=4)
    return any(w in c.source for c in nb.cells if c.cell_type == "code" for w in words)


def check_notebook(bt, nb, expect_explorer: bool, expect_quiz: bool, log: list) -> list[str]:
    """Every check of one executed notebook; returns the failures (empty: all good)."""
    failures = list(nb.problems())
    failures += bt.exercise_explorers(nb.notebook, log, expect=expect_explorer)
    if expect_quiz:
        failures += bt.answer_quiz(nb.notebook, log)
    return failures


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_lesson_in_jupyterlab(bt, path, lab, open_lab_notebook, shot):
    t0 = time.monotonic()
    nb = open_lab_notebook(lab, path.name)
    opened = time.monotonic()
    state = nb.run_all()
    ran = time.monotonic()
    log = [f"open {opened - t0:.1f} s, run all {ran - opened:.1f} s, cells {state}"]
    failures = check_notebook(bt, nb, uses_widget(path, "explorer(", "Explorer("),
                              uses_widget(path, "quiz("), log)
    nb.full_screenshot(shot(f"lab_{path.stem}"))
    log.append(f"total {time.monotonic() - t0:.1f} s")
    print(f"\n{path.name}: " + "; ".join(log))
    assert state["done"] == state["total"], f"not every cell ran: {state}"
    assert not failures, f"{path.name}:\n- " + "\n- ".join(failures)


PROBE = """from balkan_diplomacy import maps
maps.map_explorer()"""


def test_checks_fail_without_the_widgets_frontend(bt, tmp_path, open_lab_notebook, shot):
    """The same checks, on a Lab whose widgets extension is disabled, must report the chart."""
    server = bt.start_lab(tmp_path, disabled_extensions=(bt.WIDGETS_EXTENSION,))
    try:
        nbformat.write(nbformat.v4.new_notebook(
            cells=[nbformat.v4.new_code_cell(PROBE)],
            metadata={"kernelspec": {"name": "python3", "display_name": "Python 3",
                                     "language": "python"}}), server.root / "probe.ipynb")
        nb = open_lab_notebook(server, "probe.ipynb")
        nb.run_all()
        log: list = []
        failures = check_notebook(bt, nb, expect_explorer=True, expect_quiz=False, log=log)
        nb.full_screenshot(shot("lab_broken_widgets_frontend"))
        print("\nwith the widgets front-end disabled the checks report:\n- " + "\n- ".join(failures))
        assert any("no chart image" in f for f in failures), failures
        assert any("shown as text" in f or "Error displaying widget" in f for f in failures), failures
    finally:
        bt.stop_process(server.proc, "jupyter lab (widgets disabled)")
