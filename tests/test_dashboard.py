"""The Voila dashboard (notebooks/dashboard.ipynb) runs clean like a lesson, and is committed clean.

tests/test_notebooks.py only globs the lessons (NN_*.ipynb); this is the same check for the
dashboard. Its browser test (Voila in Chromium) is tests/browser/test_voila.py.
"""

import json

import nbformat
import pytest

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
    explorers = sum("explorer(" in c.source for c in nb.cells if c.cell_type == "code")
    assert explorers >= 3 and widgets == explorers, (explorers, widgets)
