"""Student copies drop the solutions, keep everything else, and never overwrite a student's work."""

import json

import nbformat

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
        kept = [c.source for c in original.cells if "solution" not in c.metadata.get("tags", [])]
        assert [c.source for c in copy.cells] == kept
        assert not any("solution" in c.metadata.get("tags", []) for c in copy.cells)


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
