"""Helpers for the Balkan diplomacy notebooks: validated data, charts, widgets and styling.

Notebooks import what they need, e.g. ``from balkan_diplomacy import data``. Importing the package
sets one thing: tables show their text whole and wrapped (``frames.apply()``: pandas options,
and in a kernel an HTML view of DataFrames), and in a kernel the ``%%answer`` cell magic of the
solution cells is registered; nothing else runs at import time.

For a projector: ``balkan_diplomacy.present()`` makes every chart and table built afterwards large
and high-contrast; ``balkan_diplomacy.default()`` switches back.
"""

__version__ = "0.1.0"

from . import frames as _frames
from . import reveal as _reveal

_frames.apply()
_reveal.register()  # %%answer: solution cells whose output stays folded (reveal.py)


def present() -> str:
    """Projector mode on (larger fonts and lines, black text, larger tables)."""
    from . import style

    return style.present()


def default() -> str:
    """Projector mode off."""
    from . import style

    return style.default()
