"""Student copies drop the solutions, keep everything else, and never overwrite a student's work."""

import json
import re

import nbformat
import pytest

from balkan_diplomacy import student

from notebook_runner import ROOT


def lessons():
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def test_every_lesson_has_tagged_solutions():
    for path in lessons():
        nb = nbformat.read(path, as_version=4)
        tagged = [c for c in nb.cells if "solution" in c.metadata.get("tags", [])]
        assert len(tagged) >= 2, f"{path.name}: fewer than two solution cells"
        for cell in tagged:
            assert cell.metadata.get("jupyter", {}).get("source_hidden") is True, path.name


def test_copies_drop_solutions_and_keep_the_rest(tmp_path):
    student.write_copies(out=tmp_path)
    for path in lessons():
        original = nbformat.read(path, as_version=4)
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        kept = [c.source for c in original.cells
                if not {"solution", "solutions-note"} & set(c.metadata.get("tags", []))]
        # the answer cells the copy adds have ids "answer-..."; a lesson's own (tagged answer) stays
        assert [c.source for c in copy.cells if not c.get("id", "").startswith("answer-")] == kept
        assert not any("solution" in c.metadata.get("tags", []) for c in copy.cells)


EXERCISE = re.compile(r"^##\s+Exercise\s+\d+")


def test_every_exercise_in_a_copy_has_a_place_for_code_and_words(tmp_path):
    # code: the exercise's scaffold (%%exercise, kept from the lesson) or an empty answer cell
    student.write_copies(out=tmp_path)
    for path in lessons():
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        exercises = 0
        for i, cell in enumerate(copy.cells):
            if not (cell.cell_type == "markdown" and EXERCISE.match(cell.source.lstrip())):
                continue
            exercises += 1
            section = []  # the cells up to the next heading
            for later in copy.cells[i + 1:]:
                if later.cell_type == "markdown" and later.source.lstrip().startswith("#"):
                    break
                section.append(later)
            answers = [c for c in section if "answer" in c.metadata.get("tags", [])]
            scaffold = [c for c in section if c.cell_type == "code"
                        and c.source.startswith("%%exercise")]
            kinds = sorted(c.cell_type for c in answers)
            heading = cell.source.splitlines()[0]
            assert kinds == (["markdown"] if scaffold else ["code", "markdown"]), \
                f"{path.name} {heading}: answer cells {kinds}"
            for code in [c for c in answers if c.cell_type == "code"]:
                assert all(line.lstrip().startswith("#") for line in code.source.splitlines()), (
                    f"{path.name} {heading}: the answer cell holds code")
        assert exercises >= 2, f"{path.name}: {exercises} exercises found"


# what the full lessons may say about their hidden solutions, but a copy without them may not
ABOUT_SOLUTIONS = re.compile(r"(worked|hidden)\s+solutions?|solutions?\s+(cells?|are\s+hidden|"
                             r"follow)|three\s+dots|open\s+(one|them|the\s+solution)|"
                             r"cells?\s+marked\s+\*?solution", re.IGNORECASE)


def test_no_text_in_a_copy_refers_to_the_removed_solutions(tmp_path):
    student.write_copies(out=tmp_path)
    for path in lessons():
        copy = nbformat.read(tmp_path / path.name, as_version=4)
        for cell in copy.cells:
            if cell.cell_type == "markdown":
                found = ABOUT_SOLUTIONS.search(cell.source)
                assert not found, f"{path.name}: {found.group(0)!r} in {cell.source[:120]!r}"
    # and the check does see such text where it is (lesson 00 explains how to open solutions)
    full = "\n".join(c.source for c in nbformat.read(lessons()[0], as_version=4).cells)
    assert ABOUT_SOLUTIONS.search(full)


def test_solutions_hidden_code_and_output_and_skipped_in_the_deck():
    for path in lessons():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if "solution" in cell.metadata.get("tags", []):
                hidden = cell.metadata.get("jupyter", {})
                assert hidden.get("source_hidden") is True, path.name
                assert hidden.get("outputs_hidden") is True, f"{path.name}: output shows after Run All"
                assert cell.metadata.get("slideshow", {}).get("slide_type") == "skip", path.name
                # Run All in JupyterLab shows outputs again: %%answer keeps them folded; a
                # written model answer (markdown, shown whole once run) sits in a <details>
                if cell.cell_type == "markdown":
                    assert cell.source.lstrip().startswith("<details>"), f"{path.name}: unfolded"
                else:
                    assert cell.source.startswith("%%answer\n"), f"{path.name}: no %%answer"


def test_a_students_edit_survives_regeneration(tmp_path):
    student.write_copies(out=tmp_path)
    target = tmp_path / lessons()[0].name
    nb = nbformat.read(target, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("My own notes: Prespa was signed in 2018."))
    nbformat.write(nb, target)
    edited = target.read_bytes()

    report = student.write_copies(out=tmp_path)

    assert target.read_bytes() == edited
    beside = target.with_suffix(".new.ipynb")
    assert beside.exists()
    assert any(line.startswith(f"kept {target.name}") for line in report)
    # unedited copies are refreshed in place, not duplicated
    others = [p for p in lessons()[1:]]
    assert all(not (tmp_path / p.name).with_suffix(".new.ipynb").exists() for p in others)


def test_an_unknown_file_is_treated_as_the_students(tmp_path):
    target = tmp_path / lessons()[0].name
    target.write_text(json.dumps({"mine": True}), encoding="utf-8")
    student.write_copies(out=tmp_path)
    assert json.loads(target.read_text(encoding="utf-8")) == {"mine": True}


def test_regenerating_twice_is_stable(tmp_path):
    student.write_copies(out=tmp_path)
    first = {p.name: p.read_bytes() for p in tmp_path.iterdir()}
    report = student.write_copies(out=tmp_path)
    assert {p.name: p.read_bytes() for p in tmp_path.iterdir()} == first
    assert all(line.startswith("unchanged") for line in report)


def test_readme_lesson_table_matches_the_lessons():
    import re

    from balkan_diplomacy import guide

    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\d\d_\w+)` \|.*\| (\d+) \|$", readme, re.M))
    plan = guide.lesson_plan()
    assert table == {n[:-6]: str(t) for n, t in zip(plan.notebook, plan["total (min)"])}


def test_help_prints_usage_and_writes_nothing(tmp_path, capsys, monkeypatch):
    """``--help`` is an option, not a folder to write into."""
    monkeypatch.chdir(tmp_path)
    with pytest.raises(SystemExit) as done:
        student.main(["--help"])
    assert done.value.code == 0
    assert "usage:" in capsys.readouterr().out
    assert not any(tmp_path.iterdir())
