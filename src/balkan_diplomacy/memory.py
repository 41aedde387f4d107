"""One full garbage collection less per lesson, and none in the middle of a student's click.

Python's cyclic garbage collector now and then walks every object the kernel holds (a "full
collection"). After a lesson's first cell, that is some 137,000 objects made by importing
pandas, matplotlib, ipywidgets, IPython and this package: each walk took 76-93 ms on this
project's 2-core test machine, and lessons 00 and 02 paid one while running in each of two runs,
lesson 07 in one of them (measured with ``gc.callbacks``). Those objects live as long as the
kernel, so walking them finds nothing.

``register()`` (run when the package is imported) asks IPython, through its public events API,
to call :func:`gc.freeze` once, when the first cell run after the import has finished: what
exists then is moved to the collector's permanent generation and never walked again. Later
collections walk only what the lesson made since (about 20,000 objects), and anything of that
which becomes garbage is freed as before. Outside IPython nothing is registered.
"""

from __future__ import annotations

import gc


class FreezeAfterFirstCell:
    """An IPython ``post_run_cell`` callback that calls :func:`gc.freeze` the first time only."""

    def __init__(self) -> None:
        self.done = False

    def __call__(self, result=None) -> None:
        if not self.done:
            self.done = True
            gc.freeze()


def register() -> FreezeAfterFirstCell | None:
    """In a running IPython shell, freeze what exists once the current cell has run; return
    the callback (None outside IPython)."""
    try:
        from IPython import get_ipython
    except ImportError:
        return None
    shell = get_ipython()
    if shell is None:
        return None
    callback = FreezeAfterFirstCell()
    shell.events.register("post_run_cell", callback)
    return callback
