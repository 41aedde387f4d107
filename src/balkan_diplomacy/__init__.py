"""Helpers for the Balkan diplomacy notebooks: validated data, charts, widgets and styling.

Notebooks import what they need, e.g. ``from balkan_diplomacy import data``. Importing the package
sets one thing: tables show their text whole and wrapped (``frames.apply()``: pandas options,
and in a kernel an HTML view of DataFrames), and in a kernel the ``%%answer`` cell magic of the
solution cells and the ``%%exercise`` magic of the scaffolds are registered, and the objects
that exist when the importing cell has run are set aside from later full garbage collections
(``memory.py``: they live as long as the kernel); nothing else runs at import time.

For a projector: ``balkan_diplomacy.present()`` makes every chart and table built afterwards large
and high-contrast; ``balkan_diplomacy.default()`` switches back.
"""

__version__ = "0.1.0"

from . import frames as _frames
from . import exercise as _exercise
from . import memory as _memory
from . import reveal as _reveal

_frames.apply()
_reveal.register()  # %%answer: solution cells whose output stays folded (reveal.py)
_exercise.register_magic()  # %%exercise: scaffolds checked when they run (exercise.py)
_memory.register()  # gc.freeze() once the importing cell has run (memory.py)

#: The lesson modules, in lesson order: each holds the lesson's ``draw_*`` functions, its
#: ``*_explorer`` builders and its ``FIGURES`` (what ``widgets.explorer_builders`` and
#: ``figures.figure_specs`` go through).
LESSON_MODULES = ["maps", "timeline", "recognition", "nato", "eu_path", "polls", "interests",
                  "scoreboard"]


def lesson_modules() -> list:
    """The lesson modules, imported, in lesson order (one not written yet is left out)."""
    import importlib

    modules = []
    for name in LESSON_MODULES:
        try:
            modules.append(importlib.import_module(f"{__name__}.{name}"))
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    return modules


def present() -> str:
    """Projector mode on (larger fonts and lines, black text, larger tables)."""
    from . import style

    return style.present()


def default() -> str:
    """Projector mode off."""
    from . import style

    return style.default()
