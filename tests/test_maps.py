"""The region map: the boundary file, the status levels, the drawing and the year explorer."""


import pandas as pd
import pytest
from matplotlib.colors import to_hex

from balkan_diplomacy import data, maps, style


@pytest.fixture(scope="module")
def members():
    return data.load("memberships")


def test_region_file_has_the_eight_states_and_neighbours():
    region = maps.load_region()
    codes = {c["code"]: c for c in region["countries"]}
    assert set(maps.FOCUS) <= set(codes)
    assert {"HU", "RO", "BG", "GR", "IT", "AT"} <= set(codes)
    assert codes["XK"]["name_in_source"] == "Kosovo"
    assert "public domain" in region["license"] and "Natural Earth" in region["credit"]
    for c in region["countries"]:
        for polygon in c["polygons"]:
            for ring in polygon:
                lons, lats = zip(*ring)
                assert 10 < min(lons) and max(lons) < 26 and 38 < min(lats) and max(lats) < 49
    assert (data.data_dir() / "region_map.json").stat().st_size < 200_000


def test_status_levels_match_the_table(members):
    levels = maps.status_levels(members, 2009)
    nato_members = set(members.query("organisation == 'NATO' and milestone == 'accession'")
                       .loc[lambda f: f["date"].dt.year <= 2009, "country_code"].astype(str))
    member = len(maps.LEVEL_NAMES["NATO"]) - 1
    assert set(levels.index[levels["NATO"] == member]) == nato_members
    # Serbia is a partner (PfP since December 2006), not a state with no step; Kosovo has no
    # NATO row at all
    partner = maps.LEVEL_NAMES["NATO"].index("partner (PfP), no membership step")
    assert levels.loc["RS", "NATO"] == partner and levels.loc["XK", "NATO"] == 0
    assert maps.status_levels(members, 2005).loc["RS", "NATO"] == 0
    # Montenegro: partner in 2006, MAP from 2009, member from 2017
    assert [int(maps.status_levels(members, y).loc["ME", "NATO"]) for y in (2006, 2009, 2017)] \
        == [partner, partner + 1, member]
    assert len(maps.FILLS["NATO"]) == len(maps.LEVEL_NAMES["NATO"]) == len(maps.LEVEL_SHORT["NATO"])
    last = int(members["date"].dt.year.max())
    eu = maps.status_levels(members, last)["EU"]
    eu_members = set(members.query("organisation == 'EU' and milestone == 'accession'")
                     ["country_code"].astype(str))
    assert set(eu.index[eu == 4]) == eu_members


def test_draw_status_map_fills_by_level():
    fig = style.new_figure()
    ax = fig.add_subplot()
    levels = pd.Series({c: i % 4 for i, c in enumerate(maps.FOCUS)})
    art = maps.draw_status_map(ax, maps.load_region(), levels, "NATO")
    assert len(ax.patches) == 14
    for code in maps.FOCUS:
        assert to_hex(art.patches[code].get_facecolor()) == maps.FILLS["NATO"][levels[code]]
        assert art.statuses[code].get_text() == maps.LEVEL_SHORT["NATO"][levels[code]]
    assert art.patches["XK"].get_linestyle() == "--"
    assert art.names["XK"].get_text() == "Kosovo*"


def test_map_explorer_every_year(members, monkeypatch):
    # the loops check what is drawn, not PNG encoding (~0.1 s each): one real PNG at the end
    real_png = style.png
    monkeypatch.setattr(style, "png", lambda fig: b"png")
    e = maps.map_explorer()
    slider = e.controls["year"]
    newest = max(int(members["date"].dt.year.max()),
                 int(data.load("events")["date"].dt.year.max()))
    assert slider.min == 1999 and slider.max == newest
    seen = set()
    for year in range(slider.min, slider.max + 1):
        slider.value = year
        assert e.last_error is None
        assert f"end of {year}" in e.caption.value
        expected = maps.status_levels(members, year)
        for org in ("NATO", "EU"):
            for code in maps.FOCUS:
                patch = e.artists[org].patches[code]
                assert to_hex(patch.get_facecolor()) == maps.FILLS[org][expected.loc[code, org]]
        seen.add(e.caption.value)
    assert len(seen) > 5  # the caption follows the year
    slider.value = 1999
    assert "Slovenia" in e.caption.value
    assert real_png(e.figure)[:4] == b"\x89PNG"


def test_figures_list():
    (entry,) = maps.FIGURES
    assert entry["slug"].startswith("00_")
    fig = entry["make"]()
    assert fig.axes and entry["alt"] and entry["source"]


def test_status_table_names_each_entry_and_its_steps_in_words(members):
    """Lesson 00 shows the map's year as a table: the entry's name and its furthest steps in
    words, the same levels the map colours."""
    for year in (2006, 2022):
        table = maps.status_table(members, year)
        levels = maps.status_levels(members, year)
        assert list(table.index) == list(maps.FOCUS)
        assert list(table["country"]) == [maps.NAMES[c] for c in maps.FOCUS]
        for org in ("NATO", "EU"):
            assert list(table[org]) == [maps.LEVEL_NAMES[org][int(v)] for v in levels[org]]
    assert maps.status_table(members, 2022).loc["HR", "EU"] == "member"
