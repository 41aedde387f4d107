"""Student copies of the lessons: solution cells removed, a student's own edits never overwritten.

``make student`` (or ``python -m balkan_diplomacy.student [OUT]``) writes ``student/NN_*.ipynb``
from ``notebooks/NN_*.ipynb`` with every cell tagged ``solution`` removed and everything else kept.
A manifest (``student/.manifest.json``) records the hash of each file as written. On the next run a
copy whose content still has that hash is replaced by the new version; a copy that differs (the
student worked in it), or that the manifest does not know, is kept untouched and the new version is
written beside it as ``NN_*.new.ipynb``.
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTION_TAG = "solution"
MANIFEST = ".manifest.json"


def strip_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solution cells and without outputs."""
    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    out.cells = [c for c in out.cells if SOLUTION_TAG not in c.get("metadata", {}).get("tags", [])]
    for cell in out.cells:
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
    return out


def _digest(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def write_copies(src: Path = ROOT / "notebooks", out: Path = ROOT / "student") -> list[str]:
    """Write the student copies; return one line per notebook saying what was done."""
    out.mkdir(parents=True, exist_ok=True)
    manifest_path = out / MANIFEST
    manifest = json.loads(manifest_path.read_text(encoding="utf-8")) if manifest_path.exists() else {}
    report = []
    for path in sorted(src.glob("[0-9][0-9]_*.ipynb")):
        nb = strip_solutions(nbformat.read(path, as_version=4))
        data = (nbformat.writes(nb) + "\n").encode("utf-8")
        target = out / path.name
        if target.exists() and _digest(target.read_bytes()) != manifest.get(path.name):
            beside = target.with_suffix(".new.ipynb")
            beside.write_bytes(data)
            report.append(f"kept {target.name} (edited by the student); new version in {beside.name}")
            continue
        state = "unchanged" if target.exists() and target.read_bytes() == data else "wrote"
        target.write_bytes(data)
        manifest[path.name] = _digest(data)
        report.append(f"{state} {target.name}")
    manifest_path.write_text(json.dumps(manifest, indent=1, sort_keys=True) + "\n", encoding="utf-8")
    return report


def main(argv=None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    out = Path(argv[0]) if argv else ROOT / "student"
    for line in write_copies(out=out):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
