"""Run a notebook the way a student's "Restart and run all" does, but strict and offline."""

from __future__ import annotations

import os
from contextlib import contextmanager
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
OFFLINE = Path(__file__).resolve().parent / "offline"


def kernel_env(extra_path: str | None = None) -> dict:
    env = dict(os.environ)
    # any warning in a cell is an error; the ignore is ipykernel's own shutdown notice
    env["PYTHONWARNINGS"] = "error,ignore::PendingDeprecationWarning"
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(OFFLINE), extra_path) if p)
    env["MPLBACKEND"] = "module://matplotlib_inline.backend_inline"
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
