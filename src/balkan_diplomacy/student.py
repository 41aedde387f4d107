"""Student copies of the lessons: solution cells removed, a student's own edits never overwritten.

``make student`` (or ``python -m balkan_diplomacy.student [OUT]``) writes ``student/NN_*.ipynb``
from ``notebooks/NN_*.ipynb`` with every cell tagged ``solution`` removed and everything else kept,
except cells tagged ``solutions-note`` (text about the hidden solutions, which the copy no longer
has). In place of each exercise's solution the copy has two empty answer cells, tagged ``answer``:
a code cell for the code and a markdown cell for the sentence of judgement the exercise asks for.
A manifest (``student/.manifest.json``) records the hash of each file as written. On the next run a
copy whose content still has that hash is replaced by the new version; a copy that differs (the
student worked in it), or that the manifest does not know, is kept untouched and the new version is
written beside it as ``NN_*.new.ipynb``.
"""

from __future__ import annotations

import hashlib
import json
import re
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[2]
SOLUTION_TAG = "solution"
#: text that only makes sense beside the solutions (e.g. how to open them): not in the copies
NOTE_TAG = "solutions-note"
ANSWER_TAG = "answer"
MANIFEST = ".manifest.json"
EXERCISE = re.compile(r"^##\s+(Exercise\s+\d+)")


def answer_cells(exercise: str, scaffolded: bool = False, words_given: bool = False) -> list:
    """The empty cells a student answers an exercise in: code, then words; only words when the
    exercise has a scaffold (``%%exercise``), which is where its code is written; no words cell
    when the lesson already has one for the exercise (a markdown cell tagged ``answer``)."""
    code = nbformat.v4.new_code_cell(f"# {exercise}: your code\n")
    words = nbformat.v4.new_markdown_cell(
        f"**{exercise}, your answer in words:** double-click here, replace this line with a "
        "sentence or two, then press Shift+Enter.")
    slug = exercise.lower().replace(" ", "-")
    cells = ([] if scaffolded else [(code, "code")]) + ([] if words_given else [(words, "words")])
    for cell, kind in cells:
        cell.metadata["tags"] = [ANSWER_TAG]
        cell.id = f"answer-{slug}-{kind}"  # fixed ids: the same lesson gives the same copy
    return [cell for cell, _ in cells]


def strip_solutions(nb: nbformat.NotebookNode) -> nbformat.NotebookNode:
    """A copy of ``nb`` without solution cells and without outputs; after every exercise whose
    solution was removed, an empty code cell and an empty markdown cell to answer in (only the
    markdown cell when the exercise has a scaffold: the student writes the code there)."""
    out = nbformat.from_dict(json.loads(json.dumps(nb)))
    cells, exercise, answered, scaffolded, words_given = [], None, set(), False, False
    for cell in out.cells:
        tags = cell.get("metadata", {}).get("tags", [])
        if cell.cell_type == "markdown":
            found = EXERCISE.match(cell.source.lstrip())
            if found or cell.source.lstrip().startswith("## "):
                exercise = found.group(1) if found else None
                scaffolded = words_given = False
            elif ANSWER_TAG in tags:  # the lesson's own cell for the answer in words
                words_given = True
        elif cell.source.startswith("%%exercise"):
            scaffolded = True
        if NOTE_TAG in tags:
            continue
        if SOLUTION_TAG in tags:
            if exercise and exercise not in answered:
                cells += answer_cells(exercise, scaffolded, words_given)
                answered.add(exercise)
            continue
        cells.append(cell)
    out.cells = cells
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
    import argparse

    parser = argparse.ArgumentParser(
        prog="python -m balkan_diplomacy.student",
        description="Write student copies of the lessons (solutions removed, an answer cell after "
                    "every exercise); a copy a student has edited is never overwritten.")
    parser.add_argument("out", nargs="?", type=Path, default=ROOT / "student",
                        help="folder for the copies (default: student/ beside notebooks/)")
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    for line in write_copies(out=args.out):
        print(line)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
