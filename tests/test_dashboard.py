"""The Voila dashboard (notebooks/dashboard.ipynb) runs clean like a lesson, and is committed clean.

tests/test_notebooks.py only globs the lessons (NN_*.ipynb); this is the same check for the
dashboard, plus: every explorer of the lessons has a tab (balkan_diplomacy/dashboard.py), and
each tab shows a caption, its explorer and a source line. Its browser test (Voila in Chromium)
is tests/browser/test_voila.py.
"""

import html
import json

import nbformat
import pytest

from balkan_diplomacy import dashboard
from balkan_diplomacy import widgets as widgets_mod

from notebook_runner import ROOT, execute, outputs_of

DASHBOARD = ROOT / "notebooks" / "dashboard.ipynb"


def test_dashboard_is_committed_clean():
    nb = nbformat.read(DASHBOARD, as_version=4)
    nbformat.validate(nb)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, "dashboard.ipynb: committed with outputs"
            assert cell.execution_count is None, "dashboard.ipynb: committed with execution counts"


@pytest.mark.notebooks
def test_dashboard_runs_clean():
    nb = execute(DASHBOARD)
    widgets = 0
    for _cell, out in outputs_of(nb):
        assert out.output_type != "error", f"{out.get('ename')}: {out.get('evalue')}"
        if out.output_type == "stream":
            assert out.name != "stderr", f"printed to stderr:\n{out.text[:500]}"
        assert "Traceback" not in json.dumps(out.get("data", {}))
        widgets += "application/vnd.jupyter.widget-view+json" in out.get("data", {})
    assert widgets == 1, f"{widgets} widget outputs: the dashboard is one widget (the tabs)"
    assert any("dashboard.dashboard()" in c.source for c in nb.cells if c.cell_type == "code")


def test_every_explorer_of_the_lessons_has_a_tab():
    """An explorer added to a lesson module and not to the dashboard fails here."""
    in_lessons = {name for name, _ in widgets_mod.explorer_builders()}
    on_dashboard = {f"{p.module}.{p.builder}" for p in dashboard.PANELS}
    assert in_lessons == on_dashboard, (f"missing from the dashboard: {in_lessons - on_dashboard}; "
                                        f"not an explorer: {on_dashboard - in_lessons}")
    assert len(dashboard.PANELS) == len({p.label for p in dashboard.PANELS})


def test_each_tab_has_caption_explorer_and_source_and_is_built_when_chosen():
    board = dashboard.dashboard()
    assert list(board.titles) == [p.label for p in dashboard.PANELS]
    assert list(board.explorers) == [0], "only the first tab is built at once"
    for index, panel in enumerate(dashboard.PANELS):
        board.selected_index = index
        explorer = board.explorers[index]
        assert isinstance(explorer, widgets_mod.Explorer)
        caption, shown, source = board.boxes[index].children
        assert panel.caption.split(",")[0] in html.unescape(caption.value)
        assert shown is explorer and bytes(explorer.image.value[:4]) == b"\x89PNG"
        assert html.unescape(source.value).count(dashboard.figure_entry(panel)["source"]) == 1
        assert explorer.last_error is None
    board.selected_index = 0  # choosing a tab again keeps its explorer, built once
    assert len(board.explorers) == len(dashboard.PANELS)
