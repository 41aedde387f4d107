"""Helpers for the Balkan diplomacy notebooks: validated data, charts, widgets and styling.

Notebooks import what they need, e.g. ``from balkan_diplomacy import data``. Nothing heavy runs
at import time.

For a projector: ``balkan_diplomacy.present()`` makes every chart and table built afterwards large
and high-contrast; ``balkan_diplomacy.default()`` switches back.
"""

__version__ = "0.1.0"

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
