"""Each explorer's first picture, kept on disk so that the next run of a lesson shows it at once.

Building an explorer's chart and drawing its first picture took 110-240 ms per explorer in a
fresh kernel, most of a lesson's run-all time beyond starting Python. The first picture depends
only on what :func:`key` hashes: the package's code, the files of the data folder, the library versions and
the font, matplotlib's settings and the projector mode, the explorer's arguments (a table a
student passes in is hashed by content) and its controls' first values. When all of that is the
same as in an earlier run, the explorer shows the kept picture and sentences and builds its chart
only when a control first changes (see :class:`~balkan_diplomacy.widgets.Explorer`).

Kept in the user's cache folder (``$XDG_CACHE_HOME`` or ``~/.cache``), under
``balkan_diplomacy/pictures``, the newest :data:`KEPT` pictures; a home that cannot be written
only means each run draws its pictures. ``BALKAN_KEEP_PICTURES=0`` switches the store off.
"""

from __future__ import annotations

import hashlib
import json
import os
import sys
import tempfile
import time
from pathlib import Path

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties, findfont

from . import data, style

#: Bump when what a kept picture holds changes, so that older ones no longer count.
VERSION = "1"
#: How many pictures are kept (each 30-120 kB).
KEPT = 120


def enabled() -> bool:
    return os.environ.get("BALKAN_KEEP_PICTURES", "1") != "0"


def folder() -> Path:
    return data.cache_dir() / "pictures"


def _sources() -> list[Path]:
    return sorted(Path(__file__).parent.glob("*.py"))


def _stamps() -> list[tuple]:
    out = []
    for path in _sources():
        stat = path.stat()
        out.append((path.name, stat.st_mtime_ns, stat.st_size))
    return out


def _code_hash() -> str:
    """A hash of the package's own source files (any edit to a drawing changes it), taken when
    this module is imported: the code this process runs. A file changed on disk since then (a
    ``git pull`` in a running kernel) may or may not be the code a later import runs, so from
    then on nothing is kept in this process (:func:`key`); the next kernel has its own hash."""
    h = hashlib.sha256()
    for path in _sources():
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


STAMPS = _stamps()
CODE = _code_hash()


def settings() -> dict:
    """matplotlib's settings now, but the backend (iterating the keys, not ``items()``, which
    would make matplotlib resolve its backend and import pyplot)."""
    return {k: matplotlib.rcParams[k] for k in matplotlib.rcParams if k != "backend"}


def settings_changed(saved: dict) -> dict:
    """The settings in ``saved`` that differ from matplotlib's now (what a chart built later
    must set again to be built as it would have been)."""
    now = settings()
    return {k: v for k, v in saved.items() if k in now and now[k] != v}


def _value(x, h) -> bool:
    """Feed ``x`` into the hash ``h``; False for a kind of value it cannot hash faithfully."""
    if x is None or isinstance(x, (bool, int, float, str)):
        h.update(f"{type(x).__name__}:{x!r};".encode())
    elif isinstance(x, pd.DataFrame):
        columns = [x.iloc[:, i] for i in range(x.shape[1])] + [x.index.to_series()]
        h.update(repr((x.shape, list(x.columns), list(x.columns.names), list(x.index.names),
                       [repr(c.dtype) for c in columns])).encode())
        try:
            h.update(pd.util.hash_pandas_object(x, index=True).to_numpy().tobytes())
            for column in columns:
                if isinstance(column.dtype, pd.CategoricalDtype):  # every category, in order
                    h.update(repr((list(column.cat.categories), column.cat.ordered)).encode())
                elif column.dtype == object:  # hashed by text: the values' types go in too
                    h.update(repr([type(v).__name__ for v in column.tolist()]).encode())
        except (TypeError, ValueError):  # cells pandas cannot hash (lists, dicts)
            return False
    elif isinstance(x, (list, tuple)):
        h.update(f"{type(x).__name__}[{len(x)}]".encode())
        return all(_value(v, h) for v in x)
    elif isinstance(x, dict):
        h.update(f"dict[{len(x)}]".encode())
        return all(_value(k, h) and _value(v, h) for k, v in x.items())
    else:
        return False
    return True


def key(build, inputs, values: dict) -> str | None:
    """The hash that names a first picture, or None when nothing is to be kept: one of
    ``inputs`` cannot be hashed, or ``build`` is not the package's own (its code is not in
    :data:`CODE`)."""
    if not build.__module__.startswith(f"{__package__}.") or _stamps() != STAMPS:
        return None
    h = hashlib.sha256(f"{VERSION};{build.__module__}.{build.__qualname__};".encode())
    # every file of the data folder (the tables, and the map's boundary file beside them)
    for path in sorted(data.data_dir().iterdir()):
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    versions = (sys.version_info[:2], matplotlib.__version__, pd.__version__, np.__version__)
    font = findfont(FontProperties(family=style.rc()["font.family"]))
    for part in (CODE, versions, font, style.mode(), sorted(settings().items()),
                 sorted(values.items())):
        h.update(repr(part).encode())
    if not _value(list(inputs), h):
        return None
    return h.hexdigest()


def read(name: str, outputs: int) -> tuple[bytes, dict] | None:
    """The kept picture and texts named ``name`` (with ``outputs`` texts besides the sentence),
    or None: none kept, or not whole, or not of that shape."""
    try:
        texts = json.loads((folder() / f"{name}.json").read_text(encoding="utf-8"))
        picture = (folder() / f"{name}.png").read_bytes()
    except (OSError, ValueError):
        return None
    if not (isinstance(texts, dict) and isinstance(texts.get("sentence"), str)
            and isinstance(texts.get("outputs"), list) and len(texts["outputs"]) == outputs
            and all(isinstance(t, str) for t in texts["outputs"])
            and texts.get("png_bytes") == len(picture) and picture.startswith(b"\x89PNG")):
        return None
    return picture, texts


def write(name: str, picture: bytes, texts: dict) -> None:
    """Keep a picture and its texts (the PNG first, then the texts that say it is whole), each
    written to a file of its own and renamed into place; then only the newest :data:`KEPT`."""
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        for suffix, body in ((".png", bytes(picture)),
                             (".json", json.dumps({**texts, "png_bytes": len(picture)}).encode())):
            handle, part = tempfile.mkstemp(dir=where, prefix=f"{name}{suffix}.", suffix=".part")
            try:
                with os.fdopen(handle, "wb") as out:
                    out.write(body)
                os.replace(part, where / f"{name}{suffix}")
            finally:
                Path(part).unlink(missing_ok=True)
        _prune(where, name)
    except OSError:
        pass  # a home that cannot be written: the next run draws the picture again


def _prune(where: Path, newest: str) -> None:
    """Remove all but the newest :data:`KEPT` pictures (never ``newest``), and what a write cut
    short left behind an hour ago or more: a picture without its texts, an unfinished part."""
    def age(path: Path) -> tuple:
        return (path.stat().st_mtime_ns, path.name)

    kept = sorted((p for p in where.glob("*.json") if p.stem != newest), key=age)
    for old in kept[:max(0, len(kept) - (KEPT - 1))]:
        for suffix in (".json", ".png"):
            old.with_suffix(suffix).unlink(missing_ok=True)
    hour_ago = time.time() - 3600  # (another kernel may be writing one now)
    for path in [*where.glob("*.part"), *where.glob("*.png")]:
        if (path.suffix == ".part" or not path.with_suffix(".json").exists()) \
                and path.stat().st_mtime < hour_ago:
            path.unlink(missing_ok=True)
