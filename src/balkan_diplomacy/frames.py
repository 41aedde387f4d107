"""How DataFrames show in the lessons: whole text, wrapped, sized for the current mode.

pandas cuts every text cell at 50 characters in its displays ("Brussels finally named a possible
date for Ser..."), and JupyterLab draws tables in small print. ``apply()`` runs when the package
is imported (``balkan_diplomacy/__init__.py``) and sets, through pandas' public options, that
cells are shown whole; inside an IPython kernel it also registers, through IPython's public
formatter API, an HTML view of DataFrames whose cells wrap (white-space: normal) and take the
table size of the current mode (larger in projector mode, ``balkan_diplomacy.present()``).
"""

from __future__ import annotations

#: pandas options set on import (public names, see ``pandas.describe_option``)
PANDAS_OPTIONS = {
    "display.max_colwidth": None,  # never cut a text cell
    "display.max_rows": 100,  # a table of ours is at most a few dozen rows: show them all
    "display.min_rows": 100,
    "display.max_columns": 30,
    "display.width": 120,  # plain-text displays (a terminal, a text export) wrap, not cut
}

#: CSS of every cell, inline so that JupyterLab's own table rules do not win
CELL_CSS = "white-space: normal; text-align: left; vertical-align: top; max-width: 40em"


def apply() -> None:
    """Set the pandas options and, in an IPython kernel, the DataFrame HTML view."""
    import pandas as pd

    for name, value in PANDAS_OPTIONS.items():
        pd.set_option(name, value)
    try:
        from IPython import get_ipython
    except ImportError:  # plain Python: the options are all there is
        return
    shell = get_ipython()
    if shell is None:
        return
    shell.display_formatter.formatters["text/html"].for_type(pd.DataFrame, frame_html)


def frame_html(frame) -> str:
    """A DataFrame as an HTML table: index kept as pandas shows it, every cell escaped and whole,
    text wrapped, font size of the current mode (projector mode: larger)."""
    import pandas as pd

    from . import style

    body = frame.to_html(max_rows=pd.get_option("display.max_rows"),
                         max_cols=pd.get_option("display.max_columns"),
                         show_dimensions=len(frame) > pd.get_option("display.max_rows"),
                         escape=True, border=0, classes="bd-frame", na_rep="–")
    size = style.table_font_size()
    body = (body.replace('<tr style="text-align: right;">', "<tr>")
            .replace("<th>", f'<th style="{CELL_CSS}">')
            .replace("<td>", f'<td style="{CELL_CSS}">'))
    head, rest = body.split(">", 1)  # the opening <table ...> tag
    return f'{head} style="font-size: {size}">{rest}'
