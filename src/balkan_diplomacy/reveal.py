"""``%%answer``: a solution cell's output stays folded until someone opens it.

JupyterLab shows a cell's output again whenever the cell runs (its Run All sets the cell's
``outputs_hidden`` back to false), so after "Run All" every solution would be on the screen. A
solution cell therefore starts with the cell magic ``%%answer``: the cell runs as usual, and
everything it prints or shows (its last line's value included) is gathered into one HTML
``<details>`` element, closed, under a line that says "Answer: click to open". One click opens it.

The magic is registered when the package is imported in an IPython kernel.
"""

from __future__ import annotations

import html

SUMMARY = "Answer: click to open (try the exercise first)"


def _as_html(data: dict) -> str:
    if "text/html" in data:
        return data["text/html"]
    if "image/png" in data:
        return f'<img src="data:image/png;base64,{data["image/png"]}" alt="chart of the answer">'
    return f"<pre>{html.escape(data.get('text/plain', ''))}</pre>"


def answer(line: str, cell: str) -> None:
    """Run ``cell`` and show all it prints and shows, folded. Runs it as IPython's own
    ``%%capture`` magic does (``shell.run_cell`` inside ``capture_output``, which also catches
    the value of the last line); an error still shows as usual."""
    from IPython import get_ipython
    from IPython.display import HTML, display
    from IPython.utils.capture import capture_output

    shell = get_ipython()
    with capture_output(display=True) as captured:
        shell.run_cell(cell)
    parts = []
    if captured.stdout:
        parts.append(f"<pre>{html.escape(captured.stdout)}</pre>")
    parts += [_as_html(out.data) for out in captured.outputs]
    if captured.stderr:
        parts.append(f"<pre>{html.escape(captured.stderr)}</pre>")
    display(HTML(f'<details class="bd-answer"><summary>{SUMMARY}</summary>'
                 f'{"".join(parts)}</details>'))


def register_cell_magic(function, name: str) -> None:
    """Register ``function`` as the cell magic ``%%name`` in the running IPython shell (nothing
    outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is not None:
        shell.register_magic_function(function, magic_kind="cell", magic_name=name)


def register() -> None:
    """Register ``%%answer`` in the running IPython shell (nothing outside IPython)."""
    register_cell_magic(answer, "answer")
