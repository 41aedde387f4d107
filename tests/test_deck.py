"""Slides a room can read: a word budget per slide, sources and solutions off the slides.

Cells are grouped as jupyterlab-slideshow groups them: a cell with slide_type "slide" or
"subslide" starts a slide, a cell with no slide_type ("" or missing) or "fragment" continues the
current one, and "skip" and "notes" cells are not on any slide. The budget counts the words of
every cell on a slide, markdown and code (what the room has to read), not outputs.
"""

from __future__ import annotations

from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))

#: words on one slide: about what a presenter can leave up while the room reads it
WORD_BUDGET = 120
STARTS = {"slide", "subslide"}
CONTINUES = {"", "fragment"}
OFF_DECK = {"skip", "notes"}


def slide_type(cell) -> str:
    return cell.metadata.get("slideshow", {}).get("slide_type", "") or ""


def slides(nb) -> list[list]:
    """The cells of each slide, in order (cells before the first slide start one)."""
    found: list[list] = []
    for cell in nb.cells:
        kind = slide_type(cell)
        if kind in OFF_DECK:
            continue
        if kind in STARTS or not found:
            found.append([])
        found[-1].append(cell)
    return found


def words(cells) -> int:
    return sum(len(c.source.split()) for c in cells)


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_every_slide_is_within_the_word_budget(path):
    nb = nbformat.read(path, as_version=4)
    over = [(words(s), s[0].source.strip().splitlines()[0][:70] if s[0].source.strip() else "")
            for s in slides(nb) if words(s) > WORD_BUDGET]
    assert not over, (f"{path.name}: slides over {WORD_BUDGET} words (split the cell, start a "
                      f"subslide, or move long notes to slide_type 'notes'): {over}")


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_slide_types_are_ones_the_deck_understands(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        kind = slide_type(cell)
        # "-" is the classic continuation value; jupyterlab-slideshow never shows such a cell
        assert kind in STARTS | CONTINUES | OFF_DECK, f"{path.name}: slide_type {kind!r}"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_sources_and_solutions_are_off_the_slides(path):
    nb = nbformat.read(path, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## Sources"):
            assert slide_type(cell) in OFF_DECK, f"{path.name}: the Sources list is a slide"
        if "solution" in cell.metadata.get("tags", []):
            assert slide_type(cell) == "skip", f"{path.name}: a solution is on a slide"
    assert slides(nb), f"{path.name}: no slides"


def test_grouping_follows_jupyterlab_slideshow():
    nb = nbformat.v4.new_notebook(cells=[
        nbformat.v4.new_markdown_cell("# Title", metadata={"slideshow": {"slide_type": "slide"}}),
        nbformat.v4.new_code_cell("x = 1"),
        nbformat.v4.new_markdown_cell("hidden", metadata={"slideshow": {"slide_type": "skip"}}),
        nbformat.v4.new_markdown_cell("said", metadata={"slideshow": {"slide_type": "notes"}}),
        nbformat.v4.new_markdown_cell("more", metadata={"slideshow": {"slide_type": "subslide"}}),
        nbformat.v4.new_markdown_cell(" ".join(["word"] * (WORD_BUDGET + 1))),
    ])
    groups = slides(nb)
    assert [[c.source for c in g] for g in groups][0] == ["# Title", "x = 1"]
    assert words(groups[1]) == WORD_BUDGET + 2  # a continuation adds to its slide: over budget
