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
from functools import cache
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


@cache
def _code() -> str:
    """A hash of the package's own source files (any edit to a drawing changes it)."""
    h = hashlib.sha256()
    for path in sorted(Path(__file__).parent.glob("*.py")):
        h.update(path.name.encode())
        h.update(path.read_bytes())
    return h.hexdigest()


def _value(x, h) -> bool:
    """Feed ``x`` into the hash ``h``; False for a kind of value it cannot hash faithfully."""
    if x is None or isinstance(x, (bool, int, float, str)):
        h.update(f"{type(x).__name__}:{x!r};".encode())
    elif isinstance(x, pd.DataFrame):
        h.update(f"frame{x.shape}{list(x.columns)!r}{[str(t) for t in x.dtypes]!r};".encode())
        h.update(pd.util.hash_pandas_object(x, index=True).to_numpy().tobytes())
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
    """The hash that names a first picture, or None when one of ``inputs`` cannot be hashed
    (then nothing is kept)."""
    h = hashlib.sha256(f"{VERSION};{build.__module__}.{build.__qualname__};".encode())
    # every file of the data folder (the tables, and the map's boundary file beside them)
    for path in sorted(data.data_dir().iterdir()):
        if path.is_file():
            h.update(path.name.encode())
            h.update(path.read_bytes())
    versions = (sys.version_info[:2], matplotlib.__version__, pd.__version__, np.__version__)
    font = findfont(FontProperties(family=style.rc()["font.family"]))
    settings = sorted((k, repr(v)) for k, v in matplotlib.rcParams.items() if k != "backend")
    for part in (_code(), versions, font, style.mode(), settings, sorted(values.items())):
        h.update(repr(part).encode())
    if not _value(list(inputs), h):
        return None
    return h.hexdigest()


def read(name: str) -> tuple[bytes, dict] | None:
    """The kept picture and texts named ``name``, or None (none kept, or not whole)."""
    try:
        texts = json.loads((folder() / f"{name}.json").read_text(encoding="utf-8"))
        picture = (folder() / f"{name}.png").read_bytes()
    except (OSError, ValueError):
        return None
    if len(picture) != texts.get("png_bytes") or not picture.startswith(b"\x89PNG"):
        return None
    return picture, texts


def write(name: str, picture: bytes, texts: dict) -> None:
    """Keep a picture and its texts (the PNG first, then the texts that say it is whole)."""
    where = folder()
    try:
        where.mkdir(parents=True, exist_ok=True)
        for suffix, body in ((".png", picture),
                             (".json", json.dumps({**texts, "png_bytes": len(picture)}).encode())):
            part = where / f"{name}{suffix}.{os.getpid()}.part"
            part.write_bytes(body)
            os.replace(part, where / f"{name}{suffix}")
        kept = sorted(where.glob("*.json"), key=lambda p: p.stat().st_mtime)
        for old in kept[:-KEPT]:
            for suffix in (".json", ".png"):
                old.with_suffix(suffix).unlink(missing_ok=True)
    except OSError:
        pass  # a home that cannot be written: the next run draws the picture again
