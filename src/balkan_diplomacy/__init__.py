"""Helpers for the Balkan diplomacy notebooks: validated data, charts, widgets and styling.

Notebooks import what they need, e.g. ``from balkan_diplomacy import data``. Nothing heavy runs
at import time.
"""

__version__ = "0.1.0"
