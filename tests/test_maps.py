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
    partner = maps.LEVEL_NAMES["NATO"].index("partner (PfP) only")
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
    assert len(art.patches) == 14 and set(art.patches.values()) <= set(ax.patches)
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


def _edges(path):
    """Each segment of a matplotlib Path, as an unordered pair of rounded points."""
    edges, last = set(), None
    for (x, y), code in path.iter_segments(simplify=False, curves=False):
        point = (round(x, 6), round(y, 6))
        if code == path.LINETO and last is not None:
            edges.add(frozenset((last, point)))
        last = point
    return edges


def _ring_edges(region, code):
    (country,) = [c for c in region["countries"] if c["code"] == code]
    return {frozenset(((round(a[0], 6), round(a[1], 6)), (round(b[0], 6), round(b[1], 6))))
            for polygon in country["polygons"] for ring in polygon
            for a, b in zip(ring, ring[1:] + ring[:1])}


@pytest.fixture(scope="module")
def viewer():
    return maps.map_explorer()


def test_each_view_says_whose_it_is(viewer):
    holders = {"belgrade": "Belgrade", "pristina": "Pristina", "neutral": "footnote"}
    assert set(maps.VIEWS) == set(holders)
    for view, holder in holders.items():
        viewer.controls["view"].value = view
        assert viewer.last_error is None, viewer.last_error
        title = viewer.artists["year"].get_text()
        assert holder.lower() in title.lower() and title.startswith(maps.VIEWS[view]["whose"])
        assert holder.lower() in viewer.caption.value.lower()
        assert viewer.artists["note"].get_text().replace("\n", " ").startswith(
            {"belgrade": "As Belgrade presents it", "pristina": "As Pristina presents it",
             "neutral": "*Kosovo*"}[view])
        assert holder in maps.VIEWS[view]["label"]
        # no view calls itself neutral: each says whose drawing or which convention it is
        assert "neutral" not in (maps.VIEWS[view]["label"] + maps.VIEWS[view]["caption"]).lower()
    viewer.controls["view"].value = "neutral"


def test_pristina_view_before_2008_draws_no_state_border(viewer):
    """Pristina's view of a state dates from the declaration of 17 February 2008: before it,
    Kosovo was under UN administration, drawn as the footnote view draws it, and the note and
    the caption say so."""
    viewer.controls["view"].value = "pristina"
    for year, before in ((2003, True), (2007, True), (2008, False)):
        viewer.controls["year"].value = year
        assert viewer.last_error is None, viewer.last_error
        note = viewer.artists["note"].get_text().replace("\n", " ")
        assert note.startswith("As Pristina presents it")
        assert ("under UN administration (Resolution 1244" in note) == before, year
        assert ("UN administration" in viewer.caption.value) == before, year
        for org in ("NATO", "EU"):
            kosovo = viewer.artists[org].patches["XK"]
            assert (kosovo.get_linestyle() != "solid") == before, (year, org)
    viewer.controls["year"].value = 2025
    viewer.controls["view"].value = "neutral"


def test_belgrade_view_has_no_state_border_around_kosovo(viewer):
    region = maps.load_region()
    shared = _ring_edges(region, "RS") & _ring_edges(region, "XK")
    assert len(shared) > 10  # the Serbia-Kosovo line exists in the boundary file
    viewer.controls["view"].value = "belgrade"
    for org in ("NATO", "EU"):
        art = viewer.artists[org]
        kosovo, serbia = art.patches["XK"], art.patches["RS"]
        # Serbia's state border is the outline around both: none of it on the shared line,
        # and it runs along Kosovo's other borders (Albania, North Macedonia, Montenegro)
        assert art.outline.get_visible()
        outline = _edges(art.outline.get_path())
        assert not outline & shared
        assert _ring_edges(region, "XK") - shared <= outline
        assert serbia.get_linewidth() == 0  # Serbia's own outline would cross Kosovo's edge
        assert kosovo.get_linestyle() == ":"  # the province's boundary, dotted
        assert to_hex(kosovo.get_facecolor()) == to_hex(serbia.get_facecolor())
        assert art.statuses["XK"].get_text() == ""
        assert "Metohija" in art.names["XK"].get_text()
    assert "Autonomous Province of Kosovo and Metohija" in viewer.artists["note"].get_text() \
        .replace("\n", " ")
    viewer.controls["view"].value = "neutral"


def test_pristina_view_draws_a_state_border(viewer, members):
    viewer.controls["view"].value = "pristina"
    viewer.controls["year"].value = 2025
    for org in ("NATO", "EU"):
        art = viewer.artists[org]
        kosovo, albania = art.patches["XK"], art.patches["AL"]
        assert not art.outline.get_visible()
        assert kosovo.get_linestyle() == albania.get_linestyle() == "solid"
        assert kosovo.get_linewidth() == albania.get_linewidth() > 0
        assert art.patches["RS"].get_linewidth() > 0
        level = maps.status_levels(members, 2025).loc["XK", org]
        assert to_hex(kosovo.get_facecolor()) == maps.FILLS[org][level]  # its own steps
        assert art.names["XK"].get_text() == "Kosovo"
    viewer.controls["view"].value = "neutral"


def test_neutral_view_shows_the_footnote(viewer):
    viewer.controls["view"].value = "neutral"
    note = viewer.artists["note"].get_text().replace("\n", " ")
    footnote = ("This designation is without prejudice to positions on status and is in line "
                "with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of "
                "independence")
    assert footnote in note and "24 February 2012" in note
    sources = data.load("sources").set_index("source_id")
    # the footnote's wording as the cited page prints it
    assert footnote in sources.loc["consilium-prado-kosovo-footnote", "note"]
    for org in ("NATO", "EU"):
        art = viewer.artists[org]
        assert art.patches["XK"].get_linestyle() == "--" and not art.outline.get_visible()
        assert art.names["XK"].get_text() == "Kosovo*"


def test_every_view_names_its_sources():
    known = set(data.load("sources")["source_id"])
    for view in maps.VIEWS.values():
        assert view["sources"] and set(view["sources"]) <= known


def test_a_view_that_does_not_exist_is_a_clear_error():
    with pytest.raises(ValueError, match="no map view 'serbia'.*'belgrade'"):
        maps.map_explorer(view="serbia")
    fig = style.new_figure()
    with pytest.raises(ValueError, match="'pristina'"):
        maps.draw_status_map(fig.add_subplot(), maps.load_region(),
                             pd.Series(dtype=int), "NATO", view="Pristina's")


def test_blitting_matches_a_full_drawing_across_views(viewer):
    """Each view has its own background (the note): switching views and years in any order
    shows what a full drawing shows."""
    from test_widget_states import _pixels

    for view, year in [("belgrade", 2008), ("pristina", 2008), ("belgrade", 2017),
                       ("neutral", 2017), ("pristina", 2001)]:
        viewer.controls["view"].value = view
        viewer.controls["year"].value = year
        assert viewer.last_error is None, viewer.last_error
        assert (_pixels(viewer.image.value) == _pixels(viewer.full_png())).all(), (view, year)
    viewer.controls["view"].value = "neutral"


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


def test_a_change_of_view_draws_no_whole_figure(monkeypatch):
    """The view changes only artists that each change redraws (the note and the title are
    glyph outlines like the labels): no view needs a background of its own."""
    e = maps.map_explorer()
    e.controls["year"].value = 2002  # the background is drawn (at the first picture)
    drawn = []
    real_draw = type(e.figure.canvas).draw
    monkeypatch.setattr(type(e.figure.canvas), "draw",
                        lambda canvas: drawn.append(1) or real_draw(canvas))
    for view, year in [("belgrade", 2003), ("pristina", 2004), ("neutral", 2005)]:
        e.controls["view"].value = view
        e.controls["year"].value = year
        assert e.last_error is None, e.last_error
    assert not drawn
