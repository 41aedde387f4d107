"""Kept first pictures (balkan_diplomacy/pictures.py): an explorer started from one shows what a
fresh build shows, builds its chart on the first change and then draws as a fresh one does; any
change to what the picture depends on makes a new one."""

from __future__ import annotations

import json

import matplotlib
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


def test_the_key_changes_with_what_the_picture_depends_on(kept, monkeypatch):
    def build():
        raise AssertionError("not called")

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
    BUILDERS["maps.map_explorer"]()
    assert BUILDERS["maps.map_explorer"]().started_from_kept
    region = data_copy / "region_map.json"  # not a table, but the map is drawn from it
    region.write_text(region.read_text(encoding="utf-8") + "\n", encoding="utf-8")
    assert not BUILDERS["maps.map_explorer"]().started_from_kept


def test_a_damaged_or_missing_picture_is_drawn_again(kept):
    build = BUILDERS["polls.poll_explorer"]
    fresh = build()
    png = next(kept.glob("*.png"))
    png.write_bytes(png.read_bytes()[:1000])  # cut short (a full disk, say)
    again = build()
    assert not again.started_from_kept and again.image.value == fresh.image.value
    assert build().started_from_kept  # written whole again
    next(kept.glob("*.json")).write_text("{not json", encoding="utf-8")
    assert not build().started_from_kept


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
    names = sorted(p.stem for p in kept.glob("*.json"))
    assert len(names) == 3 and len(list(kept.glob("*.png"))) == 3
    assert pictures.read(f"{4:064d}")[1]["sentence"] == "4"
    assert json.loads((kept / f"{4:064d}.json").read_text())["png_bytes"] == 14
