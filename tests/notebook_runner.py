"""Run a notebook the way a student's "Restart and run all" does, but strict and offline."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = Path(__file__).resolve().parent / "offline"


#: Warnings the libraries raise in their own start-up or shutdown, ignored by category and the
#: module that raises them (PYTHONWARNINGS's module field is the whole module name): any
#: other warning in a kernel, the package's and the notebooks' own included, is an error.
LIBRARY_WARNINGS = [
    # ipykernel's own shutdown notice
    "ignore::PendingDeprecationWarning",
    # Python 3.12+: tornado's IOLoop.current() calls asyncio.get_event_loop() while the
    # kernel starts ("There is no current event loop"); the kernel dies without this
    "ignore::DeprecationWarning:tornado.ioloop",
]


def kernel_env(extra_path: str | None = None) -> dict:
    env = dict(os.environ)
    env["PYTHONWARNINGS"] = ",".join(["error", *LIBRARY_WARNINGS])
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(OFFLINE), extra_path) if p)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
    env["BALKAN_KEEP_PICTURES"] = "1"  # as in class (see balkan_diplomacy/pictures.py)
    return env


@contextmanager
def kernel_environment():
    """This process's environment set to :func:`kernel_env` (a kernel inherits it), then restored."""
    saved = dict(os.environ)
    os.environ.update(kernel_env())
    try:
        yield kernel_env()
    finally:
        os.environ.clear()
        os.environ.update(saved)


def execute(path: Path, timeout: int = 180, cwd: Path | None = None) -> nbformat.NotebookNode:
    nb = nbformat.read(path, as_version=4)
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(cwd or path.parent)}})
    with kernel_environment() as env:
        client.execute(env=env)
    return nb


def outputs_of(nb, kind: str | None = None):
    for cell in nb.cells:
        for out in cell.get("outputs", []):
            if kind is None or out.get("output_type") == kind:
                yield cell, out
