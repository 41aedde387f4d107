"""Lesson 00: a map of the Western Balkans coloured by each entry's NATO and EU status in a year.

The boundaries come from ``data/region_map.json`` (Natural Earth 1:50m, cut out by
``scripts/build_region_map.py``); they are drawn with plain matplotlib patches in longitude and
latitude (degrees), with the aspect ratio of latitude 43.5° N so the shapes are not squashed. No
GIS package is needed.

Statuses come from ``data/memberships.csv``: an entry has reached a step in a year when the step's
date falls in that year or before (the status *at the end of the year*). A missing row means the
step has not happened.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

import matplotlib.patheffects as patheffects
import pandas as pd
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath

from . import data, style, widgets

#: The eight entries of the lessons (seven UN member states and Kosovo), in the order of
#: memberships.csv's enum.
FOCUS = ("AL", "BA", "HR", "XK", "ME", "MK", "RS", "SI")
NAMES = {"AL": "Albania", "BA": "Bosnia and Herzegovina", "HR": "Croatia", "XK": "Kosovo",
         "ME": "Montenegro", "MK": "North Macedonia", "RS": "Serbia", "SI": "Slovenia"}

#: Steps of each organisation, grouped into levels 0 (nothing yet) to the top level (member).
LEVELS = {
    "NATO": {"pfp": 1, "ipap": 1, "map": 2, "invitation": 3, "accession": 4},
    "EU": {"saa_signed": 1, "saa_in_force": 1, "application": 1, "candidate": 2,
           "talks_opened": 3, "accession": 4},
}
LEVEL_NAMES = {
    "NATO": ["no step yet", "partner (PfP), no membership step", "Membership Action Plan",
             "invited to join", "member"],
    "EU": ["no step yet", "SAA or application", "candidate", "accession talks", "member"],
}
#: Short words printed on the map under each name (the legend gives the long form).
LEVEL_SHORT = {
    "NATO": ["no step", "partner", "MAP", "invited", "member"],
    "EU": ["no step", "SAA/applied", "candidate", "talks", "member"],
}
PANEL_TITLES = {"NATO": "NATO", "EU": "European Union"}

#: Where the names go (lon, lat in degrees): set by hand, because the centroid of Croatia's
#: crescent falls inside Bosnia and Herzegovina.
LABEL_AT = {"SI": (14.75, 46.12), "HR": (15.75, 45.55), "BA": (17.75, 44.25),
            "RS": (20.75, 44.15), "XK": (20.85, 42.62), "ME": (17.95, 42.05),
            "AL": (20.05, 41.05), "MK": (21.75, 41.55)}
#: Montenegro is too small for its name: it sits in the Adriatic with a line to the country.
LEADER = {"ME": ((18.55, 42.2), (19.2, 42.65))}
LABEL_TEXT = {"SI": "Slovenia", "HR": "Croatia", "BA": "Bosnia and\nHerzegovina", "RS": "Serbia",
              "XK": "Kosovo*", "ME": "Montenegro", "AL": "Albania", "MK": "North\nMacedonia"}
CONTEXT_AT = {"AT": (14.9, 47.3), "HU": (19.0, 46.75), "RO": (22.6, 45.7), "BG": (23.55, 42.75),
              "GR": (21.9, 39.85), "IT": (14.0, 41.6)}

VIEW = (13.0, 39.4, 24.1, 47.2)  # lon_min, lat_min, lon_max, lat_max shown (degrees)
ASPECT = 1 / math.cos(math.radians(43.5))  # degrees of latitude are longer than of longitude
KOSOVO_NOTE = ("*Kosovo declared independence in 2008; it is recognised by some states, not by "
               "Serbia. Dashed border: its status is disputed.\nBorders are today's in every "
               "year: Montenegro became independent in 2006; Kosovo was under UN administration "
               "from 1999.")
SOURCE = ("NATO and EU steps: data/memberships.csv (one source per row). Boundaries: Natural "
          "Earth 1:50m (public domain) via the world-atlas package.")
ALT = ("Two maps of the Western Balkans side by side, NATO on the left and the European Union on "
       "the right. Each of the eight entries (Slovenia, Croatia, Bosnia and Herzegovina, Serbia, "
       "Kosovo, Montenegro, Albania, North Macedonia) is shaded darker the further it had gone "
       "towards membership by the end of the chosen year, and its status is written under its "
       "name. Kosovo has a dashed border and a note that its status is disputed.")


def _tint(hex_color: str, share: float) -> str:
    """Mix a colour with white: share 1 is the colour itself, 0 is white."""
    rgb = [int(hex_color[i:i + 2], 16) for i in (1, 3, 5)]
    mixed = [round(255 - share * (255 - c)) for c in rgb]
    return "#{:02x}{:02x}{:02x}".format(*mixed)


#: Fill of each level; level 0 is a light grey so 'no step' differs from the white sea.
FILLS = {
    "NATO": ["#d9d9d9"] + [_tint(style.ACTOR_COLORS["NATO"], s) for s in (0.15, 0.4, 0.7, 1.0)],
    "EU": ["#d9d9d9"] + [_tint(style.ACTOR_COLORS["EU"], s) for s in (0.22, 0.45, 0.7, 1.0)],
}
CONTEXT_FILL = "#f7f7f7"


@lru_cache(maxsize=1)
def _region_text() -> str:
    return (data.data_dir() / "region_map.json").read_text(encoding="utf-8")


def load_region() -> dict:
    """The boundary file as a dict: ``countries`` (code, name, role, polygons), credit, licence."""
    return json.loads(_region_text())


def country_path(polygons: list) -> MplPath:
    """One matplotlib Path for all polygons (and holes) of a country, in lon/lat degrees."""
    vertices, codes = [], []
    for polygon in polygons:
        for ring in polygon:
            vertices += ring + [ring[0]]
            codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(ring) - 1) + [MplPath.CLOSEPOLY]
    return MplPath(vertices, codes)


def status_levels(members: pd.DataFrame, year: int) -> pd.DataFrame:
    """Level reached by the end of ``year``, per entry and organisation.

    Returns a DataFrame indexed by country code (all eight entries) with columns ``NATO`` and
    ``EU`` holding integer levels (0 = no step; 1 = NATO partner; 4 = NATO or EU member).
    """
    return status_by_year(members, [year])[year]


def status_by_year(members: pd.DataFrame, years) -> Mapping[int, pd.DataFrame]:
    """:func:`status_levels` for every year in ``years`` at once: {year: DataFrame}. The table
    is read once; each year's frame is made when first looked up, then kept."""
    steps = [(int(date.year), org, code, LEVELS[org][step])
             for date, org, code, step in zip(members["date"], members["organisation"].astype(str),
                                              members["country_code"].astype(str),
                                              members["milestone"].astype(str))
             if org in LEVELS and step in LEVELS[org] and code in FOCUS and not pd.isna(date)]

    def levels(year: int) -> pd.DataFrame:
        reached = {org: dict.fromkeys(FOCUS, 0) for org in LEVELS}
        for step_year, org, code, level in steps:
            if step_year <= year:
                reached[org][code] = max(reached[org][code], level)
        return pd.DataFrame(reached, index=list(FOCUS), columns=["NATO", "EU"])

    return widgets.OnDemand(sorted(int(y) for y in years), levels)


@dataclass
class MapArtists:
    """What :func:`draw_status_map` drew on one panel."""

    organisation: str
    patches: dict = field(default_factory=dict)  # code -> PathPatch (focus and context)
    names: dict = field(default_factory=dict)  # code -> Text (the entry's name)
    statuses: dict = field(default_factory=dict)  # code -> Text (short status word)
    leaders: list = field(default_factory=list)  # Line2D from a name to a small state


def draw_status_map(ax, region: dict, levels: pd.Series, organisation: str) -> MapArtists:
    """Draw one panel: every country of ``region``, the eight entries filled by ``levels``.

    ``levels``: integer level per country code (as from :func:`status_levels`); ``organisation``:
    'NATO' or 'EU'. Returns the patches and labels so that :func:`update_status_map` can recolour.
    """
    art = MapArtists(organisation)
    halo = [patheffects.withStroke(linewidth=2.5, foreground="white")]
    with style.context():
        size = style.rc()["font.size"]
        for country in region["countries"]:
            code, focus = country["code"], country["role"] == "focus"
            patch = PathPatch(country_path(country["polygons"]), linewidth=0.8 if focus else 0.4,
                              edgecolor="#333333" if focus else "#aaaaaa",
                              facecolor=CONTEXT_FILL, linestyle="--" if code == "XK" else "-",
                              zorder=2 if focus else 1)
            ax.add_artist(patch)  # no autoscaling: the view is set below (add_patch measures
            # every curve of the outline for the data limits: ~0.1 s for the map)
            art.patches[code] = patch
            if not focus and code in CONTEXT_AT:
                ax.text(*CONTEXT_AT[code], country["name"], ha="center", va="center",
                        fontsize=size * 0.68, color="#888888", style="italic", zorder=3)
        if "XK" in art.patches:  # a dashed border needs more weight to be seen
            art.patches["XK"].set_linewidth(1.6)
            art.patches["XK"].set_zorder(2.5)
        for start, end in LEADER.values():
            art.leaders += ax.plot(*zip(start, end), color="#333333", linewidth=0.8, zorder=4)
        for code in FOCUS:
            x, y = LABEL_AT[code]
            art.names[code] = ax.text(x, y, LABEL_TEXT[code], ha="center", va="bottom",
                                      fontsize=size * 0.72, fontweight="bold", zorder=4,
                                      linespacing=0.95, path_effects=halo)
            art.statuses[code] = ax.text(x, y - 0.05, "", ha="center", va="top",
                                         fontsize=size * 0.68, zorder=4, path_effects=halo)
        ax.set_xlim(VIEW[0], VIEW[2])
        ax.set_ylim(VIEW[1], VIEW[3])
        ax.set_aspect(ASPECT)
        ax.set_xticks([])
        ax.set_yticks([])
        ax.grid(False)
        for spine in ax.spines.values():
            spine.set_visible(False)
        ax.set_facecolor("white")
        ax.set_title(PANEL_TITLES[organisation], fontweight="bold")
    update_status_map(art, levels)
    return art


def update_status_map(art: MapArtists, levels: pd.Series) -> None:
    """Recolour the eight entries and rewrite their status words (in place)."""
    fills, words = FILLS[art.organisation], LEVEL_SHORT[art.organisation]
    for code in FOCUS:
        level = int(levels.get(code, 0))
        if code in art.patches:
            art.patches[code].set_facecolor(fills[level])
        art.statuses[code].set_text(words[level])


def describe(levels: pd.DataFrame, year: int) -> str:
    """One sentence: who had reached which NATO and EU step by the end of ``year``."""
    parts = []
    for org in ("NATO", "EU"):
        groups = []
        for level in range(len(LEVEL_NAMES[org]) - 1, 0, -1):
            who = [NAMES[c] for c in FOCUS if levels.loc[c, org] == level]
            if who:
                groups.append(f"{LEVEL_NAMES[org][level]}: {', '.join(who)}")
        none = "none of the eight had taken a step"
        parts.append(f"{org} — " + ("; ".join(groups) if groups else none))
    return f"At the end of {year}, {' | '.join(parts)}."


def _legend(ax, organisation: str) -> None:
    """A small legend under one panel (the shades alone do not say what they mean)."""
    with style.context():
        handles = [Patch(facecolor=fill, edgecolor="#555555", linewidth=0.5, label=name)
                   for fill, name in zip(FILLS[organisation], LEVEL_NAMES[organisation])]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, -0.01), ncol=2,
                  fontsize=style.rc()["legend.fontsize"] * 0.85, frameon=False,
                  handlelength=1.2, columnspacing=0.9, borderaxespad=0)


#: Inches kept under the maps for legends, the Kosovo note and the source line, per mode.
_BOTTOM_IN = {"default": 1.45, "projector": 2.3}
_TOP_IN = {"default": 0.5, "projector": 0.75}
_NOTE_IN = {"default": 0.42, "projector": 0.58}


def map_explorer(members: pd.DataFrame | None = None, region: dict | None = None):
    """A year slider (1999 to the newest year in events.csv) driving the two maps.

    Returns a :class:`widgets.Explorer`; its ``artists`` are ``{"NATO": MapArtists,
    "EU": MapArtists, "year": Text}``.
    """
    members = data.load("memberships") if members is None else members
    region = load_region() if region is None else region
    # up to the newest year in the timeline, so the map reaches the same "today" as lesson 01
    # (an entry's status holds from its last step until the next one)
    last = max([int(members["date"].dt.year.max())] if len(members) else [1999])
    last = max(last, int(data.load("events")["date"].dt.year.max()))
    years = range(1999, max(last, 1999) + 1)
    by_year = status_by_year(members, years)  # prepared once
    height = 4.6 + _BOTTOM_IN[style.mode()] + _TOP_IN[style.mode()]
    fig = style.new_figure(9.0, height)
    axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.04})
    fig.subplots_adjust(left=0.01, right=0.99, top=1 - _TOP_IN[style.mode()] / height,
                        bottom=_BOTTOM_IN[style.mode()] / height)
    art = {}
    for ax, org in zip(axes, ("NATO", "EU")):
        art[org] = draw_status_map(ax, region, by_year[years[-1]][org], org)
        _legend(ax, org)
    with style.context():
        art["year"] = fig.suptitle("", fontweight="bold", y=1 - 0.12 / height, va="top")
        style.fig_note(fig, 0.01, _NOTE_IN[style.mode()] / height, KOSOVO_NOTE,
                       fontsize=style.rc()["font.size"] * 0.72, color="#333333")
    style.add_source(fig, SOURCE)
    slider = widgets.year_slider(years, description="Year (status at year end)")

    def render(values: dict) -> str:
        year = values["year"]
        for org in ("NATO", "EU"):
            update_status_map(art[org], by_year[year][org])
        art["year"].set_text(f"Steps towards NATO and the EU, end of {year}")
        return describe(by_year[year], year)

    # what a change redraws: the eight entries' fills, their status words and the title, and
    # what lies on top of the fills (names, leader lines); the neighbours' shapes and names
    # never change: they stay in the background image
    dynamic = [art["year"]] + [a for org in ("NATO", "EU") for a in
                               [art[org].patches[c] for c in FOCUS if c in art[org].patches]
                               + art[org].leaders + list(art[org].names.values())
                               + list(art[org].statuses.values())]
    return widgets.Explorer({"year": slider}, fig, art, render, ALT,
                            dynamic=dynamic, title="Who had joined what, year by year")


FIGURES = [{
    "slug": "00_region_map",
    "title": "NATO and EU steps in the Western Balkans",
    "alt": ALT,
    "source": SOURCE,
    "make": lambda: map_explorer().figure,
}]


# ---- lesson 00: the table under the map, and the checks of its scaffolded cells (exercise.py) ----

from . import exercise  # noqa: E402  (kept with lesson 00's block, which the map code does not use)


def status_table(members: pd.DataFrame, year: int) -> pd.DataFrame:
    """The furthest NATO and EU step of each of the eight entries by the end of ``year``, in
    words: one row per entry (indexed by code), columns ``country``, ``NATO`` and ``EU``."""
    levels = status_levels(members, year)
    return pd.DataFrame({
        "country": [NAMES[code] for code in levels.index],
        "NATO": [LEVEL_NAMES["NATO"][int(level)] for level in levels["NATO"]],
        "EU": [LEVEL_NAMES["EU"][int(level)] for level in levels["EU"]],
    }, index=levels.index)


def _category_rows(namespace: dict) -> pd.DataFrame:
    events = data.load("events")
    return events[events["category"] == "kosovo_status"]


def _partly_holds(namespace: dict) -> float:
    claims = data.load("article_claims")
    return float((claims["verdict"] == "partly_holds").sum())


def _verdict_count(got, expected: float) -> str | None:
    """A count of claims; 0 usually means the label was typed instead of the code."""
    reason = exercise.same_number(got, expected, what="partly")
    if reason and not isinstance(got, (pd.Series, pd.DataFrame)) and got == 0:
        return ("`partly` is 0: no row matched. The `verdict` column holds codes such as "
                "`partly_holds` (with an underscore), not the labels such as 'partly holds' that "
                "the tables print in words.")
    return reason


def _latest_accessions(namespace: dict) -> pd.DataFrame:
    members = data.load("memberships")
    joined = members[(members["organisation"] == "NATO") & (members["milestone"] == "accession")]
    return joined.sort_values("date", ascending=False)


def _state_media(namespace: dict) -> pd.DataFrame:
    sources = data.load("sources")
    return sources[sources["kind"] == "state_affiliated_media"]


def _candidates(namespace: dict) -> pd.DataFrame:
    members = data.load("memberships")
    return (members[(members["organisation"] == "EU") & (members["milestone"] == "candidate")]
            .sort_values("date"))


exercise.register(exercise.Exercise(
    exercise_id="00-try-mask",
    variable="kosovo_steps",
    task="make `kosovo_steps`: the rows of `events` about Kosovo's status (pick the category "
         "from the list above the cell)",
    expected=_category_rows,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="event_id", ordered=False, what="`kosovo_steps`"),
    why="The mask `events[\"category\"] == \"kosovo_status\"` is True on exactly those rows, and "
        "`events[mask]` keeps them. A value is typed as the table stores it, in quotes.",
    fills=('"kosovo_status"',),
    wrong=((('"nato"',), "lacks"),),
))

exercise.register(exercise.Exercise(
    exercise_id="00-try-codes",
    variable="partly",
    task="make `partly`: the number of the article's claims that partly hold (type the verdict "
         "the way the `verdict` column stores it)",
    expected=_partly_holds,
    compare=_verdict_count,
    why="A filter compares with the value stored in the column: the code `partly_holds`. The "
        "words 'partly holds' are only its label, shown in tables for reading.",
    fills=('"partly_holds"',),
    wrong=((('"partly holds"',), "codes such as `partly_holds`"),),
))

exercise.register(exercise.Exercise(
    exercise_id="00-try-sort",
    variable="latest_first",
    task="make `latest_first`: the NATO accessions of `joined`, the most recent first",
    expected=_latest_accessions,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="country", what="`latest_first`"),
    why="`ascending=False` turns the order round: the latest date comes first.",
    fills=("False",),
    wrong=((("True",), "not in the right order"),),
))

exercise.register(exercise.Exercise(
    exercise_id="00-state-media",
    variable="state_media",
    task="make `state_media`: the rows of `sources` whose kind is `state_affiliated_media`",
    expected=_state_media,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="source_id", ordered=False, what="`state_media`"),
    why="The mask keeps the sources whose `kind` is the code `state_affiliated_media`; `len` "
        "counts them, and the three columns say who published each one and when.",
    fills=('"state_affiliated_media"',),
    wrong=((('"news"',), "lacks"),),
))

exercise.register(exercise.Exercise(
    exercise_id="00-candidates",
    variable="candidates",
    task="make `candidates`: the EU rows of `members` whose milestone is `candidate`, sorted by "
         "date",
    expected=_candidates,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="country", columns=["date_text"], what="`candidates`"),
    why="Two conditions joined with `&` keep the EU candidate rows, and sorting by `date` puts "
        "them in time order; `date_text` shows each date only as precisely as it is known.",
    fills=('"candidate"', '"date"'),
    wrong=((('"candidate"', '"country"'), "not in the right order"),
           (('"accession"', '"date"'), "lacks")),
))
