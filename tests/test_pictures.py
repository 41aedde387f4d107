"""Kept first pictures (balkan_diplomacy/pictures.py): an explorer started from one shows what a
fresh build shows, builds its chart on the first change and then draws as a fresh one does; any
change to what the picture depends on makes a new one."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import matplotlib
import pandas as pd
import pytest

from balkan_diplomacy import data, pictures, style, widgets

BUILDERS = dict(widgets.explorer_builders())


@pytest.fixture
def kept(monkeypatch, tmp_path):
    monkeypatch.setenv("BALKAN_KEEP_PICTURES", "1")
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    data.validate()  # (the validation stamp of this folder: not what is tested here)
    return tmp_path / "cache" / "balkan_diplomacy" / "pictures"


def _shown(explorer) -> tuple:
    details = getattr(explorer, "details", None)
    return (explorer.image.value, explorer.caption.value, explorer.access.alt,
            details.value if details is not None else None)


def _change(explorer) -> None:
    """Move the first control that has another value to it."""
    for widget in explorer.controls.values():
        options = [v for v in widgets.allowed_values(widget) or [] if v != widget.value]
        if options:
            widget.value = options[-1]
            return
    raise AssertionError("no control to change")


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_kept_start_shows_what_a_fresh_build_shows_and_draws_alike_after(kept, name):
    fresh = BUILDERS[name]()
    assert not fresh.started_from_kept and fresh.built
    assert len(list(kept.glob("*.png"))) == 1 and len(list(kept.glob("*.json"))) == 1
    again = BUILDERS[name]()
    assert again.started_from_kept and not again.built  # nothing drawn, nothing built
    assert again.last_error is None
    assert _shown(again) == _shown(fresh)
    _change(fresh)
    _change(again)
    assert again.built and again.last_error is None
    assert _shown(again) == _shown(fresh)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_a_kept_start_asked_for_its_figure_gives_the_chart_it_shows(kept, name, monkeypatch):
    """What make figures, the course website and the handouts read (explorer.figure and
    static_html), before any change: the chart drawn for the first values, not a blank one."""
    BUILDERS[name]()  # (kept now)
    again = BUILDERS[name]()
    monkeypatch.setenv("BALKAN_KEEP_PICTURES", "0")
    fresh = BUILDERS[name]()
    assert again.started_from_kept and not fresh.started_from_kept
    assert again.full_png() == fresh.full_png()
    assert again.static_html() == fresh.static_html()


def test_the_key_changes_with_what_the_picture_depends_on(kept, monkeypatch):
    build = BUILDERS["maps.map_explorer"]  # (only its name is read)
    members = data.load("memberships")
    values = {"year": 2008}
    base = pictures.key(build, (members, "neutral"), values)
    assert base == pictures.key(build, (members.copy(), "neutral"), values)  # content, not id
    assert base != pictures.key(build, (members.iloc[:-1], "neutral"), values)
    edited = members.copy()
    edited.loc[0, "note"] = "edited by a student"
    assert base != pictures.key(build, (edited, "neutral"), values)
    assert base != pictures.key(build, (members, "belgrade"), values)
    assert base != pictures.key(build, (members, "neutral"), {"year": 2009})
    with style.mode_as("projector"):
        assert base != pictures.key(build, (members, "neutral"), values)
    with matplotlib.rc_context({"lines.linewidth": 5}):
        assert base != pictures.key(build, (members, "neutral"), values)
    # an input it cannot hash by content: nothing is kept
    assert pictures.key(build, (object(),), values) is None


def test_an_edited_data_file_makes_a_new_picture(kept, data_copy, monkeypatch):
    monkeypatch.setenv("BALKAN_DATA_DIR", str(data_copy))
    build = BUILDERS["nato.membership_explorer"]
    assert not build().started_from_kept
    assert build().started_from_kept
    path = data_copy / "events.csv"
    path.write_text(path.read_text(encoding="utf-8").replace("Montenegro", "Montenegro ", 1),
                    encoding="utf-8")
    assert not build().started_from_kept
    assert build().started_from_kept
    before = BUILDERS["maps.map_explorer"]()
    assert BUILDERS["maps.map_explorer"]().started_from_kept
    region = data_copy / "region_map.json"  # not a table, but the map is drawn from it
    boundaries = json.loads(region.read_text(encoding="utf-8"))
    boundaries["countries"] = [c for c in boundaries["countries"] if c["name"] != "Hungary"]
    region.write_text(json.dumps(boundaries), encoding="utf-8")
    after = BUILDERS["maps.map_explorer"]()
    assert not after.started_from_kept and after.image.value != before.image.value


def test_pictures_are_kept_from_one_kernel_to_the_next(tmp_path):
    """The point of it all: a new process finds the picture the last one kept (and reading
    matplotlib's settings does not make it choose a backend through pyplot)."""
    env = {**os.environ, "BALKAN_KEEP_PICTURES": "1", "XDG_CACHE_HOME": str(tmp_path)}
    env.pop("MPLBACKEND", None)
    probe = ("import sys\nfrom balkan_diplomacy import maps\ne = maps.map_explorer()\n"
             "print(e.started_from_kept, 'matplotlib.pyplot' in sys.modules)")
    runs = [subprocess.run([sys.executable, "-c", probe], env=env, capture_output=True,
                           text=True, check=True).stdout.split() for _ in range(2)]
    assert runs == [["False", "False"], ["True", "False"]]


TAKES_TABLES = {  # builder: the tables a student may pass in, and a column to blank in each
    "maps.map_explorer": {"members": ("memberships", "milestone")},
    "timeline.timeline_explorer": {"events": ("events", "title"),
                                   "sources": ("sources", "publisher")},
    "recognition.recognition_explorer": {"frame": ("recognitions", "count")},
    "nato.membership_explorer": {"members": ("memberships", "milestone"),
                                 "events": ("events", "title")},
    "eu_path.swimlane_explorer": {"members": ("memberships", "milestone"),
                                  "sources": ("sources", "publisher")},
    "polls.poll_explorer": {"polls": ("polls", "value_pct"), "sources": ("sources", "publisher"),
                            "claims": ("article_claims", "claimed_number")},
    "interests.interests_explorer": {"frame": ("interests", "statement")},
    "scoreboard.scoreboard_explorer": {"claims": ("article_claims", "verdict")},
}


def test_every_builder_that_takes_a_table_is_listed():
    import inspect

    for name, build in BUILDERS.items():
        frames = [p for p in inspect.signature(build).parameters.values()
                  if "DataFrame" in str(p.annotation)]
        assert sorted(p.name for p in frames) == sorted(TAKES_TABLES[name]), name


@pytest.mark.parametrize("name", sorted(TAKES_TABLES))
def test_a_table_edited_after_a_kept_start_does_not_change_the_chart(kept, name):
    tables = {arg: data.load(table) for arg, (table, _) in TAKES_TABLES[name].items()}
    fresh = BUILDERS[name](**{arg: t.copy() for arg, t in tables.items()})
    again = BUILDERS[name](**tables)
    assert again.started_from_kept
    for arg, (_, column) in TAKES_TABLES[name].items():  # a later cell edits them in place
        frame = tables[arg]
        frame[column] = frame[column].iloc[::-1].to_numpy()
    _change(fresh)
    _change(again)
    assert _shown(again) == _shown(fresh)


def test_a_table_with_cells_pandas_cannot_hash_is_not_kept(kept):
    odd = pd.DataFrame({"a": [[1, 2], [3]]})
    assert pictures.key(BUILDERS["maps.map_explorer"], (odd,), {}) is None
    twice = pd.DataFrame([[1, "a"]], columns=["x", "x"])  # a name twice: still hashed
    assert pictures.key(BUILDERS["maps.map_explorer"], (twice,), {}) is not None
    index = pd.DataFrame({"a": [1, 2]}, index=pd.Index([1, "x"], dtype=object))
    assert (pictures.key(BUILDERS["maps.map_explorer"], (index,), {})
            != pictures.key(BUILDERS["maps.map_explorer"],
                            (index.set_axis(pd.Index(["1", "x"], dtype=object)),), {}))
    many = pd.DataFrame({"c": pd.Categorical(["a"], categories=[f"k{i}" for i in range(150)]
                                             + ["a"])})
    reordered = many.assign(c=many["c"].cat.reorder_categories(
        ["a"] + [f"k{i}" for i in range(150)]))
    assert (pictures.key(BUILDERS["maps.map_explorer"], (many,), {})
            != pictures.key(BUILDERS["maps.map_explorer"], (reordered,), {}))
    # and mixed types that hash alike as text still make different keys
    assert (pictures.key(BUILDERS["maps.map_explorer"], (pd.DataFrame({"a": [1, "x"]}),), {})
            != pictures.key(BUILDERS["maps.map_explorer"], (pd.DataFrame({"a": ["1", "x"]}),), {}))


def test_a_builder_outside_the_package_keeps_nothing(kept):
    def build():
        raise AssertionError("not called")

    assert pictures.key(build, (), {}) is None


def test_after_the_package_changed_on_disk_this_process_keeps_nothing(kept, monkeypatch):
    """(A git pull in a running kernel: a module imported later may run the new code under
    the hash of the old.)"""
    build = BUILDERS["nato.membership_explorer"]
    assert pictures.key(build, (), {}) is not None
    monkeypatch.setattr(pictures, "STAMPS", [("widgets.py", 0, 0)])
    assert pictures.key(build, (), {}) is None
    assert not build().started_from_kept and not build().started_from_kept


def test_a_damaged_or_missing_picture_is_drawn_again(kept):
    build = BUILDERS["polls.poll_explorer"]
    fresh = build()
    png = next(kept.glob("*.png"))
    png.write_bytes(png.read_bytes()[:1000])  # cut short (a full disk, say)
    again = build()
    assert not again.started_from_kept and again.image.value == fresh.image.value
    assert build().started_from_kept  # written whole again
    texts = next(kept.glob("*.json"))
    whole = texts.read_text(encoding="utf-8")
    for broken in ("{not json", "[]", "null", json.dumps({**json.loads(whole), "sentence": 1}),
                   json.dumps({**json.loads(whole), "outputs": ["one too many"]})):
        texts.write_text(broken, encoding="utf-8")
        assert not build().started_from_kept
        texts.write_text(whole, encoding="utf-8")
        assert build().started_from_kept


def test_a_home_that_cannot_be_written_only_costs_the_drawing(kept, monkeypatch, tmp_path):
    blocked = tmp_path / "file-not-folder"
    blocked.write_text("", encoding="utf-8")
    monkeypatch.setattr(pictures, "folder", lambda: blocked / "pictures")
    build = BUILDERS["scoreboard.scoreboard_explorer"]
    assert not build().started_from_kept
    explorer = build()
    assert not explorer.started_from_kept and explorer.last_error is None
    assert bytes(explorer.image.value).startswith(b"\x89PNG")


def test_switched_off_nothing_is_kept(kept, monkeypatch):
    monkeypatch.setenv("BALKAN_KEEP_PICTURES", "0")
    build = BUILDERS["timeline.timeline_explorer"]
    build()
    assert not build().started_from_kept and not kept.exists()


def test_the_chart_is_built_in_the_mode_the_explorer_was_made_in(kept):
    build = BUILDERS["nato.membership_explorer"]
    with style.mode_as("projector"):
        fresh = build()
        build_again = build()
    assert build_again.started_from_kept
    # projector mode switched off before the first change: the chart stays the projector's
    _change(fresh)
    _change(build_again)
    assert build_again.image.value == fresh.image.value
    assert build_again.figure.dpi == fresh.figure.dpi != style.new_figure().dpi


def test_only_the_newest_pictures_are_kept(kept, monkeypatch):
    monkeypatch.setattr(pictures, "KEPT", 3)
    for i in range(5):
        pictures.write(f"{i:064d}", b"\x89PNG" + bytes(10), {"sentence": str(i), "outputs": []})
        for suffix in (".json", ".png"):  # a second apart (a file system's clock is coarse)
            os.utime(kept / f"{i:064d}{suffix}", (1_000_000 + i, 1_000_000 + i))
    names = sorted(p.stem for p in kept.glob("*.json"))
    assert names == [f"{i:064d}" for i in (2, 3, 4)] and len(list(kept.glob("*.png"))) == 3
    assert pictures.read(f"{4:064d}", 0)[1]["sentence"] == "4"
    assert json.loads((kept / f"{4:064d}.json").read_text())["png_bytes"] == 14
    # the one just written stays, whatever its time; leftovers an hour old go
    (kept / "left.png").write_bytes(b"\x89PNG")
    (kept / "x.png.abc.part").write_bytes(b"cut")
    for path in (kept / "left.png", kept / "x.png.abc.part"):
        os.utime(path, (1_000, 1_000))
    pictures.write(f"{9:064d}", b"\x89PNG", {"sentence": "9", "outputs": []})
    os.utime(kept / f"{9:064d}.json", (1, 1))
    pictures.write(f"{8:064d}", b"\x89PNG", {"sentence": "8", "outputs": []})
    assert pictures.read(f"{8:064d}", 0) is not None
    assert not (kept / "left.png").exists() and not (kept / "x.png.abc.part").exists()
    assert not list(kept.glob("*.part"))
