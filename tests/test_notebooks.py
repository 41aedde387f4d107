"""Every notebook runs top to bottom on a fresh kernel, offline, with no error and no warning."""

import html
import json
import re

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
    cut = truncated_cells(nb)
    assert not cut, f"{path.name}: table cells cut short (pandas' max_colwidth?): {cut[:5]}"
    shown = unfolded_solutions(nb)
    assert not shown, f"{path.name}: solution output shown, not folded: {shown}"


def unfolded_solutions(nb) -> list[str]:
    """Solution cells whose output is anything but one closed <details> (reveal.py's %%answer):
    JupyterLab shows every output again on Run All, whatever outputs_hidden says."""
    found = []
    for cell in nb.cells:
        if cell.cell_type != "code" or "solution" not in cell.metadata.get("tags", []):
            continue
        outs = cell.get("outputs", [])
        page = "".join(o.get("data", {}).get("text/html", "") for o in outs)
        if (len(outs) != 1 or not page.startswith('<details class="bd-answer">')
                or "<details open" in page or 'class="bd-answer" open' in page):
            found.append(cell.source[:60])
    return found


def test_answer_magic_folds_everything_a_solution_shows(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_code_cell("import balkan_diplomacy\nimport pandas as pd"),
        nbformat.v4.new_code_cell("%%answer\nprint('seven years')\ndisplay(pd.DataFrame({'a': [1]}))\n"
                                  "pd.DataFrame({'b': ['whole text ' * 9]})",
                                  metadata={"tags": ["solution"]}),
        nbformat.v4.new_code_cell("print('not a solution')")])
    path = tmp_path / "answer.ipynb"
    nbformat.write(nb, path)
    done = execute(path, timeout=60)
    assert not unfolded_solutions(done)
    page = done.cells[1].outputs[0]["data"]["text/html"]
    assert "seven years" in page and ">a<" in page and ("whole text " * 9).strip() in page
    assert done.cells[2].outputs[0]["text"] == "not a solution\n"
    done.cells[1].outputs = done.cells[2].outputs  # an unfolded output is caught
    assert unfolded_solutions(done)


CELL = re.compile(r"<t[dh]\b[^>]*>(.*?)</t[dh]>", re.S)


def _whole_values() -> set[str]:
    """Every text cell of the data tables as written: a title that its publisher itself ends in
    '…' is whole, not cut."""
    import csv

    values = set()
    for path in (ROOT / "data").glob("*.csv"):
        with open(path, encoding="utf-8", newline="") as fh:
            for row in csv.reader(fh):
                values.update(v.strip() for v in row)
    return values


def truncated_cells(nb) -> list[str]:
    """Text of every HTML table cell in the outputs that ends in '...' or '…' (cut short),
    unless a data table holds that very text."""
    whole = _whole_values()
    found = []
    for _, out in outputs_of(nb):
        page = out.get("data", {}).get("text/html", "")
        page = "".join(page) if isinstance(page, list) else page
        for cell in CELL.findall(page):
            text = html.unescape(re.sub(r"<[^>]+>", "", cell)).strip()
            if text.endswith(("...", "…")) and text not in whole:
                found.append(text[-80:])
    return found


def test_truncation_check_sees_a_cut_cell():
    import pandas as pd

    frame = pd.DataFrame({"note": ["Brussels finally named a possible date for Serbia " * 3]})
    # what pandas' notebook display printed before (max_colwidth 50)
    cut_page = "<table><tr><td>Brussels finally named a possible date for Ser...</td></tr></table>"
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(outputs=[
        nbformat.v4.new_output("display_data", data={"text/html": cut_page})])])
    assert truncated_cells(nb)
    import balkan_diplomacy  # noqa: F401 - applies the package's table options
    from balkan_diplomacy import frames

    assert not truncated_cells(nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(
        outputs=[nbformat.v4.new_output("display_data",
                                        data={"text/html": frames.frame_html(frame)})])]))


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
