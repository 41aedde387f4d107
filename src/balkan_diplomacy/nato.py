"""Lesson 03: NATO membership in the Western Balkans, year by year.

From ``memberships.csv`` (NATO rows only) each country's status at the end of each year is one of:
no NATO step, partner (Partnership for Peace, or Serbia's Individual Partnership Action Plan),
Membership Action Plan (MAP), invited, member. A partner is not on the way to membership: Serbia
has been a partner since 2006 and militarily neutral since 2007. The chart is a country × year grid
(one ``QuadMesh``); the year slider greys out the years after the one chosen, and the labels on
the right say each country's status in that year.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pandas as pd
from matplotlib.colors import BoundaryNorm, ListedColormap, to_rgb
from matplotlib.patches import Patch

from . import data, exercise, style, widgets

#: Status codes, in the order a country moves through them. FUTURE is drawing only.
NONE, PARTNER, MAP, INVITED, MEMBER, FUTURE = 0, 1, 2, 3, 4, 5
STATUS_OF_MILESTONE = {"pfp": PARTNER, "ipap": PARTNER, "map": MAP, "invitation": INVITED,
                       "accession": MEMBER}
STATUS_LABELS = {NONE: "no NATO step", PARTNER: "partner (PfP)", MAP: "Membership Action Plan",
                 INVITED: "invited", MEMBER: "member"}
#: Countries of memberships.csv that share a border with Serbia (wikipedia-serbia-babylon-copy).
#: Kosovo is left out on purpose: whether the Serbia–Kosovo line is a border between states is
#: exactly what the parties dispute, so the lesson discusses it in words instead.
NEIGHBOURS = ("BA", "HR", "ME", "MK")
FIRST_YEAR = 1999  # NATO adopted the Membership Action Plan in April 1999
SOURCE = ("memberships.csv (NATO rows: Partnership for Peace, Membership Action Plan, invitation, "
          "accession; "
          "NATO, CRS and government sources); Serbia's neutrality: events.csv (E005).")
TITLE = "NATO steps in the Western Balkans, by year"
ALT = ("Grid with one row per entry (Slovenia, Croatia, Albania, Montenegro, North Macedonia, "
       "Bosnia and Herzegovina, Serbia, Kosovo) and one column per year from 1999. Cells are the "
       "palest blue for a Partnership for Peace partner, pale blue for a Membership Action Plan, "
       "mid blue once invited and NATO blue once a member: "
       "Slovenia from 2004, Albania and Croatia from 2009, Montenegro from 2017, North Macedonia "
       "from 2020. Bosnia and Herzegovina has had a conditional Membership Action Plan since 2010; "
       "Serbia has been a partner since 2006 (militarily neutral since 2007), and the Kosovo row "
       "stays grey. Years after the one chosen with the slider are blank.")


def _tint(color: str, share: float) -> tuple:
    """``color`` mixed with white (share 1 = the colour itself)."""
    return tuple(1 - share * (1 - c) for c in to_rgb(color))


STATUS_COLORS = {NONE: "#E6E6E6", PARTNER: _tint(style.ACTOR_COLORS["NATO"], 0.15),
                 MAP: _tint(style.ACTOR_COLORS["NATO"], 0.4),
                 INVITED: _tint(style.ACTOR_COLORS["NATO"], 0.7),
                 MEMBER: style.ACTOR_COLORS["NATO"], FUTURE: "#FFFFFF"}


def nato_rows(members: pd.DataFrame) -> pd.DataFrame:
    """NATO milestones only: country_code, country, milestone, date, date_text, date_precision,
    note, source_id; sorted by date."""
    rows = members[members["organisation"] == "NATO"].copy()
    rows["milestone"] = rows["milestone"].astype(str)
    rows["country_code"] = rows["country_code"].astype(str)
    rows["country"] = rows["country"].astype(str)
    return rows.sort_values("date").reset_index(drop=True)


def country_order(members: pd.DataFrame, nato: pd.DataFrame | None = None) -> list[tuple[str, str]]:
    """(code, name) of every country in the table: NATO members by accession date first, then
    the others by their first NATO step, then those with none (top to bottom of the grid).
    ``nato``: :func:`nato_rows` of ``members``, when already at hand."""
    nato = nato_rows(members) if nato is None else nato
    everyone = members[["country_code", "country"]].astype(str).drop_duplicates()
    joined, first = {}, {}
    for code, step, date in zip(nato["country_code"], nato["milestone"], nato["date"]):
        first[code] = min(first.get(code, date), date)
        if step == "accession":
            joined[code] = min(joined.get(code, date), date)

    def key(row):
        code = row.country_code
        return (code not in joined, joined.get(code, first.get(code, pd.Timestamp.max)),
                row.country)

    ordered = sorted(everyone.itertuples(index=False), key=key)
    return [(r.country_code, r.country) for r in ordered]


def status_grid(members: pd.DataFrame, years: list[int], nato: pd.DataFrame | None = None,
                order: list | None = None) -> pd.DataFrame:
    """Status code of each country (rows, by name, in :func:`country_order`) at the end of each
    year (columns). Values: 0 none, 1 partner, 2 MAP, 3 invited, 4 member. ``nato`` and ``order``: the
    :func:`nato_rows` and :func:`country_order` of ``members``, when already at hand."""
    nato = nato_rows(members) if nato is None else nato
    order = country_order(members, nato) if order is None else order
    years = list(years)
    cells = {name: [NONE] * len(years) for _, name in order}
    ends = [pd.Timestamp(year=y, month=12, day=31) for y in years]
    for country, step, date in zip(nato["country"], nato["milestone"], nato["date"]):
        code, row = STATUS_OF_MILESTONE[step], cells[country]
        for i, end in enumerate(ends):  # a later, higher step wins; statuses only move forward
            if date <= end:
                row[i] = max(row[i], code)
    return pd.DataFrame.from_dict(cells, orient="index", columns=years)


@dataclass
class GridArtists:
    """What :func:`draw_membership_grid` drew."""

    mesh: object = None                          # QuadMesh; get_array() holds the status codes
    status_labels: dict = field(default_factory=dict)  # country -> Text right of the grid
    marker: object = None                        # vertical Line2D after the chosen year
    counter: object = None                       # Text above the grid
    years: list = field(default_factory=list)
    countries: list = field(default_factory=list)


def _cmap():
    codes = (NONE, PARTNER, MAP, INVITED, MEMBER, FUTURE)
    colors = [STATUS_COLORS[k] for k in codes]
    return ListedColormap(colors), BoundaryNorm(np.arange(-0.5, len(codes) + 0.5, 1), len(codes))


def draw_membership_grid(ax, grid: pd.DataFrame, neighbours=()) -> GridArtists:
    """Draw ``grid`` (countries × years of status codes) as coloured cells onto ``ax``.

    Rows top to bottom in the grid's order; neighbour names in bold. Returns the artists; the
    status labels start empty and :func:`show_year` fills them.
    """
    years, countries = list(grid.columns), list(grid.index)
    cmap, norm = _cmap()
    with style.context():
        x = np.arange(years[0] - 0.5, years[-1] + 1.5)
        y = np.arange(len(countries) + 1) - 0.5
        mesh = ax.pcolormesh(x, y, grid.to_numpy(dtype=float), cmap=cmap, norm=norm,
                             edgecolors="white", linewidth=1.5)
        ax.set_xlim(x[0], x[-1])
        ax.set_ylim(y[-1], y[0])  # first country on top
        # long names wrap onto two lines so they are not clipped at projector size
        ax.set_yticks(range(len(countries)), [_wrap(c) for c in countries])
        for tick, name in zip(ax.get_yticklabels(), countries):
            tick.set_fontweight("bold" if name in neighbours else "normal")
        ax.set_xticks([yr for yr in years if yr % 5 == 0])
        ax.grid(False)
        ax.tick_params(length=0)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("End of year")
        labels = {c: ax.annotate("", xy=(1.02, i), xycoords=("axes fraction", "data"), va="center",
                                 fontsize="small", annotation_clip=False)
                  for i, c in enumerate(countries)}
        marker = ax.axvline(years[-1] + 0.5, color="#222222", linewidth=2)
        counter = ax.text(0, 1.03, "", transform=ax.transAxes, va="bottom")
        ax.set_title(TITLE, loc="left", pad=48)
        handles = [Patch(facecolor=STATUS_COLORS[k], label=STATUS_LABELS[k]) for k in STATUS_LABELS]
        ax.legend(handles=handles, ncol=3, loc="lower left", bbox_to_anchor=(0, 1.09),
                  frameon=False, handlelength=1.2, borderaxespad=0, fontsize="small")
    return GridArtists(mesh, labels, marker, counter, years, countries)


def _wrap(name: str) -> str:
    return name.replace(" and ", " and\n") if len(name) > 16 else name


def status_words(code: int, since: int | None, note: str = "") -> str:
    """'member since 2009', 'invited (2015)', 'MAP since 2010', 'partner since 2006', 'no NATO
    step' (+ note)."""
    if code == NONE and note:
        return note.lstrip("\n")  # e.g. Serbia: its stated policy says more than 'no step'
    if code == PARTNER:
        words = f"partner since {since}"
    elif code == MEMBER:
        words = f"member since {since}"
    elif code == INVITED:
        words = f"invited ({since})"
    elif code == MAP:
        words = f"MAP since {since}"
    else:
        words = "no NATO step"
    return f"{words}{note}"


def _note(notes: dict, country: str, code: int, year: int) -> str:
    """The suffix (or, for no step, the replacement) that applies to ``country`` in ``year``;
    a note whose status code is None applies whatever the status."""
    from_year, applies_to, text = notes.get(country, (None, None, ""))
    if not text or year < from_year:
        return ""
    return text if applies_to is None or applies_to == code else ""


def show_year(artists: GridArtists, grid: pd.DataFrame, year: int, since: dict, notes: dict) -> dict:
    """Update the artists for the end of ``year``: grey out later years, set the labels.

    ``since`` maps (country, status code) to the year that status began; ``notes`` maps a
    country to (from year, status code, text) for its label. Returns {country: status code}.
    """
    shown = grid.to_numpy(dtype=float).copy()
    shown[:, [i for i, y in enumerate(artists.years) if y > year]] = FUTURE
    artists.mesh.set_array(shown.ravel())
    artists.marker.set_xdata([year + 0.5] * 2)
    status = {c: int(grid.loc[c, year]) for c in artists.countries}
    for country, code in status.items():
        text = status_words(code, since.get((country, code)), _note(notes, country, code, year))
        artists.status_labels[country].set_text(text)
        artists.status_labels[country].set_fontweight("bold" if code == MEMBER else "normal")
    members = [c for c, code in status.items() if code == MEMBER]
    artists.counter.set_text(f"End of {year}: {len(members)} of {len(status)} are NATO members")
    return status


def _since(grid: pd.DataFrame) -> dict:
    """{(country, status code): first year with that status} from the grid."""
    out = {}
    years = [int(y) for y in grid.columns]
    for country, row in zip(grid.index, grid.to_numpy().tolist()):
        for year, code in zip(years, row):
            out.setdefault((country, int(code)), year)
    return out


def _notes(members: pd.DataFrame, events: pd.DataFrame, nato: pd.DataFrame | None = None) -> dict:
    """Label notes from the tables: Serbia's 2007 neutrality (events), Bosnia's conditional MAP
    (its memberships note begins 'Conditional')."""
    notes = {}
    neutral = events[events["title"].str.contains("military neutrality", case=False)]
    if len(neutral):
        year = int(neutral["date"].min().year)
        notes["Serbia"] = (year, None, f"\nmilitarily neutral since {year}")  # 2nd line
    nato = nato_rows(members) if nato is None else nato
    for country, date, milestone, note in zip(nato["country"], nato["date"], nato["milestone"],
                                              nato["note"]):
        if isinstance(note, str) and note.startswith("Conditional"):
            notes[country] = (int(date.year), STATUS_OF_MILESTONE[milestone], " (conditional)")
    return notes


def describe(status: dict, year: int, neighbour_names: list[str]) -> str:
    """One plain sentence: who is a NATO member at the end of ``year``, neighbours counted."""
    members = [c for c, code in status.items() if code == MEMBER]
    near = [c for c in neighbour_names if status.get(c) == MEMBER]
    steps = [f"{c} ({STATUS_LABELS[code]})" for c, code in status.items() if code in (MAP, INVITED)]
    partners = [c for c, code in status.items() if code == PARTNER]
    who = ", ".join(members) if members else "none of them"
    def were(n):
        return "was" if n == 1 else "were"

    return (f"At the end of {year}, {len(members)} of the {len(status)} entries in the table "
            f"{were(len(members))} NATO members ({who}); {len(near)} of the "
            f"{len(neighbour_names)} states in the table with an undisputed border with Serbia "
            f"{were(len(near))} members. On the way: {', '.join(steps) if steps else 'none'}. "
            f"Partners without a membership step: {', '.join(partners) if partners else 'none'}.")


def membership_explorer(members: pd.DataFrame | None = None,
                        events: pd.DataFrame | None = None) -> widgets.Explorer:
    """Country × year grid of NATO status with a year slider (1999 to the last year of events)."""
    inputs = (members, events)
    members = data.load("memberships") if members is None else members
    events = data.load("events") if events is None else events
    years = list(range(FIRST_YEAR, int(events["date"].max().year) + 1))
    nato = nato_rows(members)  # read once for the order, the grid and the notes
    order = country_order(members, nato)
    grid = status_grid(members, years, nato, order)
    since = _since(grid)
    codes = dict(order)
    neighbour_names = [codes[c] for c in NEIGHBOURS if c in codes]
    notes = _notes(members, events, nato)
    controls = {"year": widgets.year_slider(years, description="End of year")}

    def build() -> widgets.Drawing:
        fig = style.new_figure(10, 5.4)
        with style.context():
            ax = fig.add_axes((0.2, 0.2, 0.48, 0.58))
        artists = draw_membership_grid(ax, grid, neighbour_names)
        style.add_source(fig, SOURCE + " Bold names: neighbours with an undisputed border with "
                         "Serbia.")

        def render(values: dict) -> str:
            year = int(values["year"])
            status = show_year(artists, grid, year, since, notes)
            return describe(status, year, neighbour_names)

        return widgets.Drawing(fig, artists, render)

    return widgets.Explorer(controls, build, ALT, title=TITLE, inputs=inputs)


FIGURES = [{
    "slug": "03_nato_membership_grid", "title": TITLE, "alt": ALT, "source": SOURCE,
    "make": lambda: membership_explorer().figure,
}]


# ---- lesson 03's scaffolded exercises (exercise.py) ----

def _montenegro_wait(namespace: dict) -> float:
    """Exercise 03-wait's answer: years from Montenegro's MAP to its accession, one decimal."""
    members = data.load("memberships")
    me = members[(members["country"] == "Montenegro") & (members["organisation"] == "NATO")]
    me = me.set_index("milestone")
    return round((me.loc["accession", "date"] - me.loc["map", "date"]).days / 365.25, 1)


def _members_by_2017(namespace: dict) -> pd.DataFrame:
    """Exercise 03-recount's answer: the NATO accession rows dated up to 31 December 2017."""
    members = data.load("memberships")
    accessions = members[(members["organisation"] == "NATO") & (members["milestone"] == "accession")]
    return accessions[accessions["date"] <= pd.Timestamp("2017-12-31")]


exercise.register(exercise.Exercise(
    exercise_id="03-wait",
    variable="wait_years",
    task="make `wait_years`: the years from Montenegro's Membership Action Plan to its accession, "
         "to one decimal",
    expected=_montenegro_wait,
    compare=lambda got, expected: exercise.same_number(got, expected, what="wait_years",
                                                       tolerance=0.05, unit=" years"),
    why="With the milestones as the index, `.loc['accession', 'date']` and `.loc['map', 'date']` "
        "are the two dates; their difference in days over 365.25 is the wait in years. Check "
        "`date_precision`: a date known only to the month makes the wait exact to about a month.",
    fills=('"milestone"', '"map"'),
    wrong=((('"milestone"', '"invitation"'), "too low"),),
))

def _same_members(got, expected: pd.DataFrame) -> str | None:
    """Exercise 03-recount's check: the same countries, and each row an accession with its date
    (up to 2017 the invitations name the same four countries, so the countries alone cannot
    tell the two steps apart)."""
    reason = exercise.same_frame(got, expected, key="country", columns=["milestone", "date"],
                                 ordered=False, what="`members_by`")
    if reason and ("`milestone`" in reason or "`date`" in reason):
        reason += (" A country is a member from its accession, not from its invitation: "
                   "filter on the milestone that makes a member.")
    return reason


exercise.register(exercise.Exercise(
    exercise_id="03-recount",
    variable="members_by",
    task="make `members_by`: the NATO accession rows dated up to 31 December 2017",
    expected=_members_by_2017,
    compare=_same_members,
    why="An accession row dated on or before 31 December 2017 means the country was a NATO member "
        "at the end of that year; the chart's sentence counts the same rows.",
    fills=('"accession"', '"2017-12-31"'),
    wrong=((('"accession"', '"2020-12-31"'), "too many"),
           (('"map"', '"2017-12-31"'), "too many"),
           (('"invitation"', '"2017-12-31"'), "not from its invitation")),
))
