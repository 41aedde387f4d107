"""memory.py: in an IPython shell, what exists once the importing cell has run is frozen (kept out
of later full garbage collections) exactly once; outside IPython nothing changes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

IN_SHELL = """
import gc, json
from IPython.core.interactiveshell import InteractiveShell
shell = InteractiveShell.instance()
counts = {"before": gc.get_freeze_count()}
shell.run_cell("import pandas as pd\\nfrom balkan_diplomacy import data")
counts["after import cell"] = gc.get_freeze_count()
gc.unfreeze()
shell.run_cell("events = data.load('events')")
counts["after next cell"] = gc.get_freeze_count()
# a cycle made after the freeze is still collected
shell.run_cell("a = []; a.append(a); import weakref\\nclass C: pass\\n"
               "c = C(); c.self = c; r = weakref.ref(c); del a, c")
gc.collect()
counts["cycle collected"] = shell.user_ns["r"]() is None
print(json.dumps(counts))
"""

OUTSIDE = """
import gc, json
import balkan_diplomacy
from balkan_diplomacy import data
data.load("events")
print(json.dumps({"frozen": gc.get_freeze_count()}))
"""


def run(script: str) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True,
                         env=env, timeout=120, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_the_importing_cell_is_frozen_once_in_a_shell():
    counts = run(IN_SHELL)
    assert counts["before"] == 0
    # pandas, IPython and the package: tens of thousands of objects set aside
    assert counts["after import cell"] > 20_000, counts
    # once only: what later cells make is collected as usual
    assert counts["after next cell"] == 0, counts
    assert counts["cycle collected"] is True


def test_nothing_is_frozen_outside_ipython():
    assert run(OUTSIDE) == {"frozen": 0}
