"""Every notebook runs top to bottom on a fresh kernel, offline, with no error and no warning."""

import json

import nbformat
import pytest

from notebook_runner import ROOT, execute, outputs_of

NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSONS = [p for p in NOTEBOOKS]


def test_there_are_lessons():
    assert len(LESSONS) >= 1


@pytest.mark.notebooks
@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_notebook_runs_clean(path):
    nb = execute(path)
    for _cell, out in outputs_of(nb):
        assert out.output_type != "error", f"{path.name}: {out.get('ename')}: {out.get('evalue')}"
        if out.output_type == "stream":
            assert out.name != "stderr", f"{path.name}: printed to stderr:\n{out.text[:500]}"
        text = json.dumps(out.get("data", {}))
        assert "Traceback" not in text


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_notebook_is_committed_clean(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, f"{path.name}: committed with outputs"
            assert cell.execution_count is None, f"{path.name}: committed with execution counts"
    nbformat.validate(nb)


def test_the_offline_guard_refuses_the_network(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import socket\n"
        "try:\n"
        "    socket.create_connection(('192.0.2.1', 80), timeout=2)\n"
        "    print('CONNECTED')\n"
        "except OSError as exc:\n"
        "    print(type(exc).__name__)")])
    path = tmp_path / "probe.ipynb"
    nbformat.write(nb, path)
    out = execute(path, timeout=60)
    text = "".join(o.text for _, o in outputs_of(out, "stream"))
    assert "NetworkDisabled" in text


def test_warnings_fail_a_notebook(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        "import warnings\nwarnings.warn('stale', DeprecationWarning)")])
    path = tmp_path / "warns.ipynb"
    nbformat.write(nb, path)
    with pytest.raises(Exception, match="DeprecationWarning"):
        execute(path, timeout=60)
