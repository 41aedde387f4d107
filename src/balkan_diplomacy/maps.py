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

import copy
import json
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import matplotlib
import matplotlib.patheffects as patheffects
import numpy as np
import pandas as pd
from matplotlib.font_manager import FontProperties
from matplotlib.patches import Patch, PathPatch
from matplotlib.path import Path as MplPath
from matplotlib.textpath import TextPath
from matplotlib.transforms import Affine2D, ScaledTranslation

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
    "NATO": ["no step yet", "partner (PfP) only", "Membership Action Plan",
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
_TODAY = ("Borders are today's in every year: Montenegro became independent in 2006; Kosovo was "
          "under UN administration from 1999.")
#: The three ways of drawing Kosovo (the ``view`` control of :func:`map_explorer`): whose view
#: each is, how Kosovo and Serbia are drawn, and the note printed under the maps. Every
#: position is attributed to whoever holds it (``sources``: ids in data/sources.csv).
VIEWS = {
    "neutral": {
        "label": "The 2012 agreed footnote (Kosovo*)",
        "whose": "The 2012 agreed footnote (Kosovo*)",
        "kosovo_name": "Kosovo*",
        # the footnote as the Council of the EU prints it [consilium-prado-kosovo-footnote];
        # its 2012 wording [b92-tanjug-2012-regional-representation-text] says "UNSC 1244"
        "note": ("*Kosovo*: \u201cThis designation is without prejudice to positions on status and "
                 "is in line with UNSCR 1244/1999 and the ICJ Opinion on the Kosovo declaration of "
                 "independence\u201d (the footnote the Council of the EU prints; Belgrade and "
                 "Pristina agreed on it in the EU-facilitated dialogue on 24 February 2012). Dashed "
                 "border: a status in dispute. " + _TODAY),
        "caption": ("The 2012 agreed footnote: Kosovo has a dashed border and the footnote Belgrade "
                    "and Pristina agreed in 2012, which marks the status as disputed and does not "
                    "say who is right."),
        "sources": ["consilium-prado-kosovo-footnote", "b92-tanjug-2012-regional-representation-text"],
    },
    "belgrade": {
        "label": "As Belgrade presents it",
        "whose": "As Belgrade presents it",
        "kosovo_name": "Kosovo and\nMetohija",
        "note": ("As Belgrade presents it: the Constitution of Serbia (2006, Article 182) names the "
                 "Autonomous Province of Kosovo and Metohija as part of the Republic of Serbia, so no "
                 "state border is drawn around it (dotted: the province's boundary) and it takes "
                 "Serbia's shade. " + _TODAY),
        "caption": ("As Belgrade presents it: Kosovo and Metohija is drawn inside Serbia's border, "
                    "as a province with Serbia's shade."),
        "sources": ["pravno-informacioni-sistem-rs-constitution-article-182",
                    "ombudsman-rs-constitution-of-serbia-2006"],
    },
    "pristina": {
        "label": "As Pristina presents it",
        "whose": "As Pristina presents it",
        "kosovo_name": "Kosovo",
        "note": ("As Pristina presents it: the Republic of Kosovo, a state since its Assembly "
                 "declared independence on 17 February 2008, with a state border like its "
                 "neighbours'. " + _TODAY),
        "caption": ("As Pristina presents it: the Republic of Kosovo is drawn with a state border "
                    "like its neighbours'."),
        "sources": ["assembly-kosovo-declaration-of-independence-2008",
                    "mfa-kosovo-international-recognitions"],
    },
}
#: Pristina's view before the declaration of 17 February 2008: Kosovo was under UN
#: administration, so it is drawn as in the footnote view, and the note says why.
BEFORE_2008 = 2008
PRISTINA_BEFORE_NOTE = ("As Pristina presents it, from 17 February 2008 only: before that date Kosovo "
                        "was under UN administration (Resolution 1244, 10 June 1999) and had not "
                        "declared independence, so no state border is drawn; the dashed line is the "
                        "footnote view's. " + _TODAY)
#: The footnote view's note (kept under its old name for the lessons that quote it).
KOSOVO_NOTE = VIEWS["neutral"]["note"]
SOURCE = ("NATO and EU steps: data/memberships.csv (one source per row). Boundaries: Natural "
          "Earth 1:50m (public domain) via the world-atlas package.")
ALT = ("Two maps of the Western Balkans side by side, NATO on the left and the European Union on "
       "the right. Each of the eight entries (Slovenia, Croatia, Bosnia and Herzegovina, Serbia, "
       "Kosovo, Montenegro, Albania, North Macedonia) is shaded darker the further it had gone "
       "towards membership by the end of the chosen year, and its status is written under its "
       "name. A second control draws Kosovo as Belgrade presents it (a province inside Serbia's "
       "border, with Serbia's shade), as Pristina presents it (a state with its own border), or in "
       "as the 2012 agreed footnote draws it (a dashed border and the footnote of the 2012 "
       "Belgrade-Pristina arrangement); the title says whose view is shown.")


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


@lru_cache(maxsize=4)
def _region_text(path: Path, stamp: tuple) -> str:
    del stamp  # part of the cache key: the file read again when it changes
    return path.read_text(encoding="utf-8")


def load_region() -> dict:
    """The boundary file as a dict: ``countries`` (code, name, role, polygons), credit, licence."""
    path = data.data_dir() / "region_map.json"
    stat = path.stat()
    return json.loads(_region_text(path, (stat.st_mtime_ns, stat.st_size)))


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


#: Glyph outlines of each label text, laid out once per process: (text, font, spacing,
#: alignment) -> Path. A few hundred small paths (the names, status words, titles).
_GLYPH_PATHS: dict = {}


def _span(path: MplPath) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) of a path's vertices: its control points bound its curves, and
    ``get_extents``, which solves each curve for its extremes, took most of a label's layout."""
    if not len(path.vertices):
        return 0.0, 0.0, 0.0, 0.0
    x0, y0 = path.vertices.min(axis=0)
    x1, y1 = path.vertices.max(axis=0)
    return float(x0), float(y0), float(x1), float(y1)


def _laid_out(text: str, font: FontProperties, linespacing: float, va: str,
              ha: str = "center") -> MplPath:
    """``text`` as one Path of glyph outlines, in points: lines centred on x = 0 (``ha``
    "center") or starting there ("left"), the block's
    bottom (``va="bottom"``: the last line's descender) or top (its first line's ascender) on
    y = 0. Line height as matplotlib's text layout takes it: the height of "lp" (ascender to
    descender) times the line spacing."""
    _, lp_bottom, _, lp_top = _span(TextPath((0, 0), "lp", prop=font))
    step = (lp_top - lp_bottom) * linespacing
    lines = text.split("\n") if text else []
    parts = []
    for i, line in enumerate(lines):
        glyphs = TextPath((0, 0), line, prop=font)
        x0, _, x1, _ = _span(glyphs)
        left = -(x0 + x1) / 2 if ha == "center" else 0.0
        parts.append(glyphs.transformed(Affine2D().translate(left, -i * step)))
    if not parts:
        return MplPath(np.zeros((0, 2)))
    shift = (len(lines) - 1) * step - lp_bottom if va == "bottom" else -lp_top
    return MplPath.make_compound_path(*parts).transformed(Affine2D().translate(0, shift))


class PathLabel(PathPatch):
    """A label drawn as the outline of its glyphs, with a white halo: what a ``Text`` with a
    stroke path effect draws, but each string's glyph outlines are laid out once and kept, so
    a redraw fills a ready path instead of laying out and loading every glyph again (about half
    of the map's redraw time went there). ``set_text`` swaps in the kept path of a string.

    ``parent``: an Axes (``xy`` in data coordinates) or a Figure (``xy`` in figure fractions);
    ``va``: "bottom" (the block of lines sits on ``xy``) or "top" (it hangs from ``xy``);
    ``ha``: lines centred on ``xy`` ("center") or starting there ("left"); ``halo``: the white
    outline's width in points (0: none).
    """

    def __init__(self, parent, xy, text: str, size: float, weight: str = "normal",
                 linespacing: float = 1.2, va: str = "bottom", color: str = "black",
                 halo: float = 2.5, ha: str = "center", **kwargs):
        self._ha = ha
        self._font = FontProperties(family=style.rc()["font.family"], size=size, weight=weight)
        self._linespacing, self._va, self._text = linespacing, va, None
        # glyph outlines are in points: to inches, to pixels, then to the data point
        fig = parent.get_figure(root=True)
        where = parent.transData if hasattr(parent, "transData") else parent.transFigure
        transform = (Affine2D().scale(1 / 72) + fig.dpi_scale_trans
                     + ScaledTranslation(xy[0], xy[1], where))
        effects = [patheffects.withStroke(linewidth=halo, foreground="white")] if halo else []
        super().__init__(self._path_of(text), facecolor=color, edgecolor="none", linewidth=0,
                         transform=transform, path_effects=effects, **kwargs)
        self._text = text
        parent.add_artist(self)

    def _path_of(self, text: str) -> MplPath:
        font = self._font
        key = (text, font.get_family()[0], font.get_size_in_points(), font.get_weight(),
               self._linespacing, self._va, self._ha)
        if key not in _GLYPH_PATHS:
            _GLYPH_PATHS[key] = _laid_out(text, font, self._linespacing, self._va, self._ha)
        return _GLYPH_PATHS[key]

    def set_text(self, text: str) -> None:
        if text != self._text:
            self._text = text
            self.set_path(self._path_of(text))

    def get_text(self) -> str:
        return self._text


def label(parent, xy, text: str, size: float, weight: str = "normal",
          linespacing: float = 1.2, va: str = "bottom", color: str = "black", halo: float = 2.5,
          outlines: bool = True, ha: str = "center", **kwargs):
    """A :class:`PathLabel` (``outlines``: fast to redraw, for the explorer) or the same label
    as a ``Text`` with a halo (for the static figures, whose SVG keeps its words as text)."""
    if outlines:
        return PathLabel(parent, xy, text, size, weight, linespacing, va, color, halo, ha,
                         **kwargs)
    effects = [patheffects.withStroke(linewidth=halo, foreground="white")] if halo else []
    where = parent.transData if hasattr(parent, "transData") else parent.transFigure
    return parent.text(*xy, text, ha=ha, va=va, fontsize=size, fontweight=weight,
                       linespacing=linespacing, color=color, path_effects=effects,
                       transform=where, **kwargs)


def union_outline(region: dict, codes=("RS", "XK")) -> MplPath:
    """The outer border of the countries ``codes`` taken as one (their shared edges left out):
    Serbia's border as Belgrade presents it, with Kosovo inside. Natural Earth's shapes share
    their vertices along a common border, so a shared edge appears in both outlines."""
    rings = [[tuple(p) for p in ring] for c in region["countries"] if c["code"] in codes
             for polygon in c["polygons"] for ring in polygon]
    seen: dict = {}
    for ring in rings:
        for a, b in zip(ring, ring[1:] + ring[:1]):
            key = frozenset((a, b))
            seen[key] = seen.get(key, 0) + 1
    vertices, path_codes = [], []
    for ring in rings:
        closed = ring + ring[:1]
        run: list = []
        for a, b in zip(closed, closed[1:]):
            if seen[frozenset((a, b))] == 1:
                run = run or [a]
                run.append(b)
            elif run:
                vertices += run
                path_codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(run) - 1)
                run = []
        if run:
            vertices += run
            path_codes += [MplPath.MOVETO] + [MplPath.LINETO] * (len(run) - 1)
    return MplPath(vertices, path_codes)


@dataclass
class MapArtists:
    """What :func:`draw_status_map` drew on one panel."""

    organisation: str
    patches: dict = field(default_factory=dict)  # code -> PathPatch (focus and context)
    names: dict = field(default_factory=dict)  # code -> PathLabel (the entry's name)
    statuses: dict = field(default_factory=dict)  # code -> PathLabel (short status word)
    leaders: list = field(default_factory=list)  # Line2D from a name to a small state
    outline: object = None  # PathPatch: Serbia's border with Kosovo inside (Belgrade's view)
    view: str = "neutral"


def draw_status_map(ax, region: dict, levels: pd.Series, organisation: str,
                    view: str = "neutral", outlines: bool = True) -> MapArtists:
    """Draw one panel: every country of ``region``, the eight entries filled by ``levels``.

    ``levels``: integer level per country code (as from :func:`status_levels`); ``organisation``:
    'NATO' or 'EU'; ``view``: a key of :data:`VIEWS` (how Kosovo is drawn); ``outlines``: labels
    as glyph outlines (see :func:`label`). Returns the patches and labels so that
    :func:`update_status_map` can recolour them and change the view.
    """
    check_view(view)
    art = MapArtists(organisation)
    with style.context():
        size, color = style.rc()["font.size"], style.rc()["text.color"]
        for country in region["countries"]:
            code, focus = country["code"], country["role"] == "focus"
            patch = PathPatch(country_path(country["polygons"]), linewidth=0.8 if focus else 0.4,
                              edgecolor="#333333" if focus else "#aaaaaa",
                              facecolor=CONTEXT_FILL, zorder=2 if focus else 1)
            if code == "XK":  # above its neighbours' borders, in every view (the drawing
                patch.set_zorder(2.5)  # order of a change is fixed when the explorer is made)
            ax.add_artist(patch)  # no autoscaling: the view is set below (add_patch measures
            # every curve of the outline for the data limits: ~0.1 s for the map)
            art.patches[code] = patch
            if not focus and code in CONTEXT_AT:
                ax.text(*CONTEXT_AT[code], country["name"], ha="center", va="center",
                        fontsize=size * 0.68, color="#888888", style="italic", zorder=3)
        if {"RS", "XK"} <= set(art.patches):
            art.outline = PathPatch(union_outline(region), fill=False, linewidth=0.8,
                                    edgecolor="#333333", zorder=2.6, visible=False)
            ax.add_artist(art.outline)
        for start, end in LEADER.values():
            art.leaders += ax.plot(*zip(start, end), color="#333333", linewidth=0.8, zorder=4)
        for code in FOCUS:
            x, y = LABEL_AT[code]
            art.names[code] = label(ax, (x, y), LABEL_TEXT[code], size * 0.72, "bold",
                                    linespacing=0.95, va="bottom", color=color, zorder=4,
                                    outlines=outlines)
            art.statuses[code] = label(ax, (x, y - 0.05), "", size * 0.68, va="top",
                                       color=color, zorder=4, outlines=outlines)
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
    update_status_map(art, levels, view)
    return art


def check_view(view: str) -> None:
    """Raise a ValueError naming the views when ``view`` is not one of them."""
    if view not in VIEWS:
        raise ValueError(f"no map view {view!r}: the views are {', '.join(map(repr, VIEWS))} "
                         "(as Belgrade presents it, as Pristina presents it, and as the 2012 agreed "
                         "footnote draws it)")


def update_status_map(art: MapArtists, levels: pd.Series, view: str | None = None) -> None:
    """Recolour the eight entries, rewrite their status words and draw Kosovo as ``view``
    shows it (in place; ``None`` keeps the current view).

    - neutral (the 2012 agreed footnote, Kosovo*): Kosovo has a dashed border of its own and is shaded by its own steps;
    - belgrade: no state border around Kosovo (Serbia's border runs round both; a dotted
      line marks the province's boundary), and Kosovo takes Serbia's shade and no status word;
    - pristina: Kosovo has a solid state border like its neighbours, shaded by its own steps.
    """
    view = art.view if view is None else view
    check_view(view)
    art.view = view
    fills, words = FILLS[art.organisation], LEVEL_SHORT[art.organisation]
    for code in FOCUS:
        level = int(levels.get(code, 0))
        if code in art.patches:
            art.patches[code].set_facecolor(fills[level])
        art.statuses[code].set_text(words[level])
    patches = art.patches
    if "XK" in patches:
        kosovo, serbia = patches["XK"], patches.get("RS")
        if view == "belgrade":
            if serbia is not None:
                kosovo.set_facecolor(serbia.get_facecolor())
                serbia.set(edgecolor="none", linewidth=0)
            kosovo.set(linestyle=":", linewidth=0.9, edgecolor="#555555")
            art.statuses["XK"].set_text("")
        else:
            if serbia is not None:
                serbia.set(edgecolor="#333333", linewidth=0.8)
            if view == "neutral":  # a dashed border needs more weight to be seen
                kosovo.set(linestyle="--", linewidth=1.6, edgecolor="#333333")
            else:
                kosovo.set(linestyle="solid", linewidth=0.8, edgecolor="#333333")
        if art.outline is not None:
            art.outline.set_visible(view == "belgrade")
    art.names["XK"].set_text(VIEWS[view]["kosovo_name"])


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


def map_explorer(members: pd.DataFrame | None = None, region: dict | None = None,
                 view: str = "neutral", outlines: bool = True):
    """A year slider (1999 to the newest year in events.csv) and a view menu driving the two
    maps. The views (:data:`VIEWS`) draw Kosovo as Belgrade presents it, as Pristina presents
    it, or as the 2012 agreed footnote draws it; the title and the note under the maps say whose view it is.
    ``outlines``: labels as glyph outlines, fast to redraw (False: as text, for the static
    figures).

    Returns a :class:`widgets.Explorer`; its ``artists`` are ``{"NATO": MapArtists,
    "EU": MapArtists, "year": Text, "note": Text}``.
    """
    check_view(view)
    inputs = (members, region, view, outlines)
    members = data.load("memberships") if members is None else members
    # (a student's own boundaries, copied: the chart may be built later, on the first change)
    region = load_region() if region is None else copy.deepcopy(region)
    # up to the newest year in the timeline, so the map reaches the same "today" as lesson 01
    # (an entry's status holds from its last step until the next one)
    last = max([int(members["date"].dt.year.max())] if len(members) else [1999])
    last = max(last, int(data.load("events")["date"].dt.year.max()))
    years = range(1999, max(last, 1999) + 1)
    by_year = status_by_year(members, years)  # prepared once
    controls = {"year": widgets.year_slider(years, description="Year (status at year end)"),
                "view": widgets.dropdown([(VIEWS[v]["label"], v) for v in VIEWS], view,
                                         description="Whose map")}
    controls["view"].layout.width = "480px"

    def build() -> widgets.Drawing:
        height = 4.6 + _BOTTOM_IN[style.mode()] + _TOP_IN[style.mode()]
        fig = style.new_figure(9.0, height)
        axes = fig.subplots(1, 2, gridspec_kw={"wspace": 0.04})
        fig.subplots_adjust(left=0.01, right=0.99, top=1 - _TOP_IN[style.mode()] / height,
                            bottom=_BOTTOM_IN[style.mode()] / height)
        art = {}
        for ax, org in zip(axes, ("NATO", "EU")):
            art[org] = draw_status_map(ax, region, by_year[years[-1]][org], org, view, outlines)
            _legend(ax, org)
        with style.context():
            # the title as glyph outlines laid out once per text (a Text lays out and renders
            # its glyphs again on every change)
            title_size = FontProperties(
                size=matplotlib.rcParams["figure.titlesize"]).get_size_in_points()
            art["year"] = label(fig, (0.5, 1 - 0.12 / height), "", title_size, "bold",
                                va="top", color=style.rc()["text.color"], halo=0,
                                outlines=outlines)
            note_size = style.rc()["font.size"] * 0.72
            # the note, like the labels, as glyph outlines: redrawn on a change of view at the
            # cost of one path (as text, its few hundred glyphs took ~10 ms a change)
            art["note"] = label(fig, (0.01, _NOTE_IN[style.mode()] / height), "", note_size,
                                va="bottom", ha="left", color="#333333", halo=0,
                                outlines=outlines)
        # each view's note broken into lines when it is first shown, then kept (measuring text
        # is slow: the five notes took ~80 ms, four of them for views not shown yet)
        texts = {**{v: VIEWS[v]["note"] for v in VIEWS}, "pristina_before": PRISTINA_BEFORE_NOTE}
        notes = widgets.OnDemand(texts, lambda key: style.wrap_lines(fig, texts[key], note_size,
                                                                     width=0.98))
        style.add_source(fig, SOURCE)

        def render(values: dict) -> str:
            year, shown = values["year"], values["view"]
            check_view(shown)
            # Pristina's view of a state dates from the declaration: before 2008, the footnote
            # view
            before = shown == "pristina" and year < BEFORE_2008
            for org in ("NATO", "EU"):
                update_status_map(art[org], by_year[year][org], "neutral" if before else shown)
            art["year"].set_text(f"{VIEWS[shown]['whose']}: NATO and EU steps, end of {year}")
            art["note"].set_text(notes["pristina_before" if before else shown])
            caption = (PRISTINA_BEFORE_NOTE.split(" " + _TODAY)[0] if before
                       else VIEWS[shown]["caption"])
            return f"{caption} {describe(by_year[year], year)}"

        # what a change redraws: the eight entries' patches (fills; Kosovo's and Serbia's
        # borders change with the view), Serbia's outline in Belgrade's view, their names and
        # status words, the leader lines on top, the title and the note; the neighbours' shapes
        # and names never change: they stay in the background image
        dynamic = [art["year"], art["note"]] + [
            a for org in ("NATO", "EU") for a in
            [art[org].patches[c] for c in FOCUS if c in art[org].patches]
            + ([art[org].outline] if art[org].outline is not None else [])
            + art[org].leaders + list(art[org].names.values()) + list(art[org].statuses.values())]
        return widgets.Drawing(fig, art, render, dynamic)

    return widgets.Explorer(controls, build, ALT, title="Who had joined what, year by year",
                            inputs=inputs)


FIGURES = [{
    "slug": "00_region_map",
    "title": "NATO and EU steps in the Western Balkans",
    "alt": ALT,
    "source": SOURCE,
    # the footnote view (key "neutral"); labels as text, so that the SVG keeps its words as text
    "make": lambda: map_explorer(outlines=False).figure,
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
