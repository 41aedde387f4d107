"""Lesson 04: the road to the EU of each of the eight entries, as swimlanes over time.

Data flow: ``data.load("memberships")`` -> :func:`eu_steps` (EU rows, decimal years) ->
:func:`status_segments` (time spans at each stage) -> :func:`draw_swimlanes` (one lane per
country) -> :func:`swimlane_explorer` (country and date selectors). :func:`step_durations` and
:func:`draw_durations` compare how long each step took with Croatia and Slovenia.

Dates are shown only as precisely as the table knows them (:func:`data.format_date`). A month- or
year-precision date is placed at the start of its period, so durations computed from it can be
off by up to a month (or a year): the tables keep the precision column for that reason.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import product

import numpy as np
import pandas as pd
from matplotlib.collections import PolyCollection
from matplotlib.patches import Patch

from . import data, exercise, style, widgets

#: EU steps in the order of the accession process (the table's milestone codes).
EU_STEPS = ["saa_signed", "saa_in_force", "application", "candidate", "talks_opened", "accession"]
STEP_LABELS = {
    "saa_signed": "SAA signed", "saa_in_force": "SAA in force", "application": "applied",
    "candidate": "candidate status", "talks_opened": "accession talks opened",
    "accession": "EU member",
}
#: Short words written at the end of each lane.
STAGE_WORDS = {"saa_signed": "SAA signed", "saa_in_force": "SAA in force",
               "application": "applicant", "candidate": "candidate", "talks_opened": "in talks",
               "accession": "member"}
#: Colour of a lane while a country is at a stage (the furthest step reached so far).
STAGE_COLORS = {
    "saa_signed": "#D9D9D9", "saa_in_force": style.OKABE_ITO["grey"],
    "application": style.OKABE_ITO["sky"], "candidate": style.OKABE_ITO["blue"],
    "talks_opened": style.OKABE_ITO["orange"], "accession": style.ACTOR_COLORS["EU"],
}
#: Lanes from top to bottom: the two former Yugoslav members first, then by date of application.
COUNTRIES = ["Slovenia", "Croatia", "North Macedonia", "Montenegro", "Albania", "Serbia",
             "Bosnia and Herzegovina", "Kosovo"]
COMPARATORS = ["Croatia", "Slovenia"]
ARTICLE_DATE = pd.Timestamp("2019-01-22")
X_LIMITS = (1995.0, 2027.5)  # fixed: the chart must not jump when a control changes
SOURCE_LINE = ("memberships.csv (EU institutions, governments, news; see the lesson's Sources); "
               "2025 from the Commission's strategy of Feb 2018 (events.csv E021)")


def decimal_year(when: pd.Series | pd.Timestamp):
    """Datetime(s) -> year as a float (2013-07-01 -> 2013.50); for positions on a year axis."""
    if isinstance(when, pd.Timestamp):
        return when.year + (when.day_of_year - 1) / 365.25
    return when.dt.year + (when.dt.day_of_year - 1) / 365.25


def eu_steps(members: pd.DataFrame) -> pd.DataFrame:
    """The EU rows of ``memberships``, one per (country, milestone), in date order.

    Returns columns country, milestone (str), date (datetime64), date_text, date_precision,
    year (float), step_no (0-5, position in :data:`EU_STEPS`), label, note.
    """
    eu = members[members["organisation"] == "EU"].copy()
    eu["milestone"] = eu["milestone"].astype(str)
    eu["country"] = eu["country"].astype(str)
    eu["year"] = decimal_year(eu["date"])
    eu["step_no"] = eu["milestone"].map(EU_STEPS.index)
    eu["label"] = eu["milestone"].map(STEP_LABELS)
    cols = ["country", "milestone", "date", "date_text", "date_precision", "year", "step_no",
            "label", "note", "source_id"]
    return eu[cols].sort_values(["country", "date", "step_no"]).reset_index(drop=True)


def data_as_of(members: pd.DataFrame, sources: pd.DataFrame) -> pd.Timestamp:
    """The latest date on which the sources behind the EU rows were read ('now' of the chart)."""
    used = sources[sources["source_id"].isin(members["source_id"])]
    return pd.Timestamp(used["accessed_date"].max())


def stage_at(steps: pd.DataFrame, country: str, when: pd.Timestamp) -> str | None:
    """The furthest EU step ``country`` had reached by ``when`` (a milestone code, or None)."""
    # plain numpy: this runs for every lane and caption (a pandas filter costs ~1 ms each)
    mine = ((steps["country"].to_numpy() == country)
            & (steps["date"].to_numpy() <= np.datetime64(pd.Timestamp(when))))
    return EU_STEPS[int(steps["step_no"].to_numpy()[mine].max())] if mine.any() else None


def status_segments(steps: pd.DataFrame, until: pd.Timestamp) -> pd.DataFrame:
    """Time spans during which each country stood at each stage, cut off at ``until``.

    A stage is the furthest step reached so far (an SAA entering into force after candidacy does
    not move a country back). Returns columns country, stage, start, end (decimal years).
    """
    rows = []
    end_year = decimal_year(until)
    done = steps[steps["date"] <= until]
    by_country: dict[str, list] = {}  # in the order the countries first appear, like groupby
    for country, step_no, year in zip(done["country"], done["step_no"], done["year"]):
        by_country.setdefault(country, []).append((step_no, year))
    for country, group in by_country.items():
        furthest, start = -1, None
        for step_no, year in group:
            if step_no > furthest:
                if start is not None:
                    rows.append((country, EU_STEPS[furthest], start, year))
                furthest, start = step_no, year
        rows.append((country, EU_STEPS[furthest], start, end_year))
    return pd.DataFrame(rows, columns=["country", "stage", "start", "end"])


@dataclass
class _Lane:
    """One country's lane up to a date, as plain lists (what each change of a control sets)."""

    stages: list = field(default_factory=list)
    starts: list = field(default_factory=list)
    ends: list = field(default_factory=list)
    dots: list = field(default_factory=list)  # decimal years of the steps reached

    def verts(self, lane: int, height: float = 0.5) -> list:
        """Rectangles (as vertex lists) for the segments, centred on y = ``lane``."""
        lo, hi = lane - height / 2, lane + height / 2
        return [[(a, lo), (b, lo), (b, hi), (a, hi)] for a, b in zip(self.starts, self.ends)]


def _lanes(steps: pd.DataFrame, segs: pd.DataFrame, until: pd.Timestamp) -> dict:
    """{country: _Lane} from the segments and the steps up to ``until``: one pass over each
    (a frame filter per lane and change cost about 3 ms a change)."""
    lanes: dict[str, _Lane] = {}
    for country, stage, start, end in zip(segs["country"], segs["stage"], segs["start"],
                                          segs["end"]):
        lane = lanes.setdefault(country, _Lane())
        lane.stages.append(stage)
        lane.starts.append(start)
        lane.ends.append(end)
    done = steps["date"].to_numpy() <= np.datetime64(pd.Timestamp(until))
    for country, year in zip(steps["country"].to_numpy()[done], steps["year"].to_numpy()[done]):
        lanes.setdefault(country, _Lane()).dots.append(year)
    return lanes


def draw_swimlanes(ax, steps: pd.DataFrame, until: pd.Timestamp,
                   countries: list[str] = COUNTRIES, lanes: dict | None = None) -> dict:
    """One horizontal lane per country, coloured by the EU stage reached, up to ``until``.

    Draws a white dot at every EU step, the 2025 'perspective' band and the article's date.
    Returns a dict: lanes {country: PolyCollection}, dots {country: Line2D},
    names {country: Text}, stage_text {country: Text}, until_line (Line2D), band, band_label,
    article_line, empty (Text). y positions are 0, 1, ... from the top; x is in decimal years.
    """
    if lanes is None:  # (the explorer passes the lanes it has already worked out)
        lanes = _lanes(steps, status_segments(steps, until), until)
    art = {"lanes": {}, "dots": {}, "names": {}, "stage_text": {}}
    with style.context():
        art["band"] = ax.axvspan(2025, 2026, color=style.OKABE_ITO["yellow"], alpha=0.35, lw=0)
        art["band_label"] = ax.text(2025.5, -0.95, "2025\n'perspective'", ha="center",
                                    va="bottom", fontsize="small")
        art["article_line"] = ax.axvline(decimal_year(ARTICLE_DATE), color="black", ls="--", lw=1.2)
        ax.text(decimal_year(ARTICLE_DATE) - 0.2, -0.95, "article\n22 Jan 2019", ha="right",
                va="bottom", fontsize="small")
        art["until_line"] = ax.axvline(decimal_year(until), color="#555555", lw=1)
        for lane, country in enumerate(countries):
            _draw_lane(ax, art, lanes.get(country, _Lane()), country, lane)
        ax.set_ylim(len(countries) - 0.4, -2.0)  # top lane first; room for the labels above
        ax.set_xlim(*X_LIMITS)
        ax.set_yticks([])
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Year")
        ax.set_title("Eight roads to the EU: the furthest step reached")
        handles = [Patch(color=STAGE_COLORS[s], label=STEP_LABELS[s]) for s in EU_STEPS]
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.4, -0.11), ncol=3,
                  frameon=False, fontsize="small", handlelength=1.2, columnspacing=1.0)
        art["empty"] = style.empty_message(ax)
    return art


def _draw_lane(ax, art: dict, mine: _Lane, country: str, lane: int) -> None:
    """Add one country's lane, dots (decimal years of its steps so far), name and stage label
    to ``art`` (inside style.context()). The view is set by the caller: no autoscaling."""
    coll = PolyCollection(mine.verts(lane), facecolors=[STAGE_COLORS[s] for s in mine.stages],
                          edgecolors="white", linewidths=0.5)
    art["lanes"][country] = ax.add_collection(coll, autolim=False)
    (art["dots"][country],) = ax.plot(mine.dots, [lane] * len(mine.dots), "o", ms=5, mfc="white",
                                      mec="black", mew=0.8, zorder=3, scalex=False, scaley=False)
    art["names"][country] = ax.text(-0.01, lane, country, transform=ax.get_yaxis_transform(),
                                    ha="right", va="center")
    end = max(mine.ends) if mine.ends else X_LIMITS[0]
    stage = STAGE_WORDS[mine.stages[-1]] if mine.stages else ""
    art["stage_text"][country] = ax.text(end, lane - 0.3, stage, ha="right", va="bottom",
                                         fontsize="small", color="#333333")


def update_swimlanes(art: dict, steps: pd.DataFrame, until: pd.Timestamp, highlight: str | None,
                     countries: list[str] = COUNTRIES, lanes: dict | None = None) -> None:
    """Redraw the lanes in place for a new cut-off date and highlighted country (None = all).

    ``lanes`` (``_lanes(steps, status_segments(steps, until), until)``) may be passed
    pre-computed to save time.
    """
    if lanes is None:
        lanes = _lanes(steps, status_segments(steps, until), until)
    art["until_line"].set_xdata([decimal_year(until)] * 2)
    for lane, country in enumerate(countries):
        mine = lanes.get(country, _Lane())
        coll = art["lanes"][country]
        coll.set_verts(mine.verts(lane))
        coll.set_facecolor([STAGE_COLORS[s] for s in mine.stages])
        art["dots"][country].set_data(mine.dots, [lane] * len(mine.dots))
        text = art["stage_text"][country]
        text.set_text(STAGE_WORDS[mine.stages[-1]] if mine.stages else "no EU step yet")
        text.set_x(max(mine.ends) if mine.ends else decimal_year(until))
        lit = highlight is None or highlight == country
        for artist in (coll, art["dots"][country], text):
            artist.set_alpha(1.0 if lit else 0.2)
        art["names"][country].set_fontweight("bold" if highlight == country else "normal")
        art["names"][country].set_alpha(1.0 if lit else 0.45)


def describe_country(steps: pd.DataFrame, country: str, until: pd.Timestamp) -> str:
    """'Serbia: SAA signed 29 April 2008; applied 22 December 2009; ...' up to ``until``."""
    mine = steps[(steps["country"] == country) & (steps["date"] <= until)]
    if mine.empty:
        return f"{country}: no EU step by {data.format_date(until, 'day')}."
    parts = [f"{row.label} {data.format_date(row.date, row.date_precision)}"
             for row in mine.itertuples()]
    stage = STEP_LABELS[stage_at(steps, country, until)]
    return (f"{country}, steps up to {data.format_date(until, 'day')}: {'; '.join(parts)}. "
            f"Furthest step: {stage}.")


def describe_all(steps: pd.DataFrame, until: pd.Timestamp, countries=COUNTRIES) -> str:
    """Who stood at which stage on ``until``, furthest stage first."""
    by_stage: dict[str, list[str]] = {}
    for country in countries:
        stage = stage_at(steps, country, until)
        by_stage.setdefault(STEP_LABELS[stage] if stage else "no EU step", []).append(country)
    order = [STEP_LABELS[s] for s in reversed(EU_STEPS)] + ["no EU step"]
    parts = [f"{label}: {', '.join(by_stage[label])}" for label in order if label in by_stage]
    return f"On {data.format_date(until, 'day')}: " + "; ".join(parts) + "."


def swimlane_explorer(members: pd.DataFrame | None = None,
                      sources: pd.DataFrame | None = None) -> widgets.Explorer:
    """Swimlanes with a country selector (highlights a lane, lists its steps in the caption)
    and a date selector (the day of the article, or the latest data)."""
    inputs = (members, sources)
    members = data.load("memberships") if members is None else members
    sources = data.load("sources") if sources is None else sources
    steps = eu_steps(members)
    now = data_as_of(members, sources)
    dates = {"22 January 2019 (the article)": ARTICLE_DATE,
             f"{data.format_date(now, 'day')} (latest data)": now}
    country = widgets.dropdown([("All eight", "")] + [(c, c) for c in COUNTRIES],
                               description="Lane")
    as_of = widgets.dropdown(list(dates), value=list(dates)[-1], description="Show steps up to")

    def build() -> widgets.Drawing:
        fig = style.new_figure(10, 6)
        big = style.mode() == "projector"  # larger fonts need wider margins for names, legend
        fig.subplots_adjust(left=0.3 if big else 0.24, right=0.97, top=0.92,
                            bottom=0.3 if big else 0.24)
        with style.context():  # ticks and labels take the current mode's sizes
            ax = fig.add_subplot()
        # everything a control can ask for, worked out once
        lanes = {label: _lanes(steps, status_segments(steps, when), when)
                 for label, when in dates.items()}
        art = draw_swimlanes(ax, steps, now, lanes=lanes[list(dates)[-1]])
        style.add_source(fig, SOURCE_LINE)
        # each (date, country) sentence, written the first time it is asked for
        captions = widgets.OnDemand(
            product(dates, ["", *COUNTRIES]),
            lambda key: (describe_country(steps, key[1], dates[key[0]]) if key[1]
                         else describe_all(steps, dates[key[0]])))

        def render(values: dict) -> str:
            until = dates[values["as_of"]]
            chosen = values["country"] or None
            update_swimlanes(art, steps, until, chosen, lanes=lanes[values["as_of"]])
            return captions[(values["as_of"], values["country"])]

        return widgets.Drawing(fig, art, render)

    alt = ("Horizontal lanes, one per entry from Slovenia to Kosovo, coloured by the furthest "
           "EU step reached over time from 1996; Slovenia (2004) and Croatia (2013) turn green as "
           "members, the others are still candidates or applicants; a yellow band marks 2025.")
    return widgets.Explorer({"country": country, "as_of": as_of}, build, alt,
                            title="The road to the EU, 1996 to the latest data", inputs=inputs)


#: The key steps whose gaps we time (the SAA runs in parallel and is left out).
KEY_STEPS = ["application", "candidate", "talks_opened", "accession"]


def step_durations(steps: pd.DataFrame, until: pd.Timestamp, countries=COUNTRIES) -> pd.DataFrame:
    """Years between consecutive key steps, and from the last step to ``until`` if not a member.

    Returns one row per gap: country, from_step, to_step ('' for a gap still open), start, end
    (datetime64), years (float, 1 decimal), open (bool). Missing steps are skipped (Slovenia had
    no separate candidate decision), so a gap can span two steps.
    """
    key = steps[steps["milestone"].isin(KEY_STEPS)].sort_values("date", kind="stable")
    by_country: dict[str, list] = {}
    for country, milestone, date in zip(key["country"], key["milestone"], key["date"]):
        by_country.setdefault(country, []).append((milestone, date))
    rows = []
    for country in countries:
        mine = by_country.get(country, [])
        for (step, start), (following, end) in zip(mine, mine[1:]):
            rows.append((country, step, following, start, end, False))
        if mine and mine[-1][0] != "accession":
            rows.append((country, mine[-1][0], "", mine[-1][1], until, True))
    out = pd.DataFrame(rows, columns=["country", "from_step", "to_step", "start", "end", "open"])
    out["years"] = ((out["end"] - out["start"]).dt.days / 365.25).round(1)
    return out


def draw_durations(ax, durations: pd.DataFrame, countries=COUNTRIES) -> dict:
    """Stacked horizontal bars: years spent at each stage since applying, one bar per country.

    Gaps still open at the data date are hatched. Returns a dict: bars {(country, from_step): Rectangle},
    totals {country: Text}. x is in years since the application.
    """
    art = {"bars": {}, "totals": {}}
    with style.context():
        # every bar in one barh call (a call per bar cost ~1 ms each), in the same order
        rows, totals, waiting = [], {}, set()
        for country, step, years, still_open in zip(durations["country"], durations["from_step"],
                                                    durations["years"], durations["open"]):
            if country in countries:
                rows.append((countries.index(country), totals.get(country, 0.0), years,
                             country, step, still_open))
                totals[country] = totals.get(country, 0.0) + years
                if still_open:
                    waiting.add(country)
        rows.sort(key=lambda r: r[0])  # lane by lane, each lane's steps in table order
        bars = ax.barh([r[0] for r in rows], [r[2] for r in rows], left=[r[1] for r in rows],
                       height=0.6, color=[STAGE_COLORS[r[4]] for r in rows], edgecolor="white")
        for bar, (_, _, _, country, step, still_open) in zip(bars, rows):
            if still_open:
                bar.set_hatch("//")
            art["bars"][(country, step)] = bar
        for lane, country in enumerate(countries):
            left = totals.get(country, 0.0)
            word = "so far" if country in waiting else "to join"
            art["totals"][country] = ax.text(left + 0.3, lane, f"{left:.1f} years {word}",
                                             va="center", fontsize="small")
        ax.set_yticks(range(len(countries)), countries)
        ax.set_ylim(len(countries) - 0.5, -0.5)
        ax.set_xlim(0, 28)
        ax.grid(axis="y", visible=False)
        ax.set_xlabel("Years since the EU membership application")
        ax.set_title("How long each stage lasted (hatched: still waiting)")
        handles = [Patch(color=STAGE_COLORS[s], label=label) for s, label in
                   [("application", "applicant"), ("candidate", "candidate"),
                    ("talks_opened", "in accession talks")]]
        ax.legend(handles=handles, loc="lower right", frameon=False, fontsize="small")
    return art


def durations_figure(members: pd.DataFrame | None = None, sources: pd.DataFrame | None = None):
    """The durations chart as a Figure, up to the latest data date."""
    members = data.load("memberships") if members is None else members
    sources = data.load("sources") if sources is None else sources
    steps = eu_steps(members)
    fig = style.new_figure(10, 5.2)
    fig.subplots_adjust(left=0.3 if style.mode() == "projector" else 0.24, right=0.97, top=0.9,
                        bottom=0.2)
    with style.context():
        ax = fig.add_subplot()
    draw_durations(ax, step_durations(steps, data_as_of(members, sources)))
    style.add_source(fig, "memberships.csv; open gaps run to the date the sources were last read")
    return fig


#: Display a static figure (the same for every lesson: style.show).
show = style.show


FIGURES = [
    {"slug": "04_eu_swimlanes", "title": "Eight roads to the EU",
     "alt": "One lane for each of the eight entries, coloured by the furthest EU step reached "
            "over time, with the 2025 band of the Commission's 2018 strategy and the article's "
            "date.",
     "source": SOURCE_LINE, "make": lambda: swimlane_explorer().figure},
    {"slug": "04_eu_step_durations", "title": "How long each stage lasted",
     "alt": "Stacked bars of the years each of the eight spent as applicant, candidate and in "
            "talks, compared with Croatia and Slovenia.",
     "source": "memberships.csv", "make": lambda: durations_figure()},
]


# ---- lesson 04's scaffolded exercises (exercise.py) ----

def _montenegro_and_croatia(namespace: dict) -> pd.DataFrame:
    """Exercise 04-montenegro's answer: Montenegro's and Croatia's gaps between key steps, in
    years up to the latest data, and whether Montenegro's is longer."""
    members = data.load("memberships")
    durations = step_durations(eu_steps(members), data_as_of(members, data.load("sources")))
    d = durations.set_index(["country", "from_step"])["years"]
    compare = pd.DataFrame({"Montenegro": d["Montenegro"], "Croatia": d["Croatia"]})
    compare["Montenegro longer?"] = compare["Montenegro"] > compare["Croatia"]
    return compare


def _plain(value) -> str:
    """A number of years to one decimal (``1.3``, not ``np.float64(1.3)``); else as typed."""
    if isinstance(value, (bool, np.bool_)):
        return str(bool(value))
    try:
        return f"{float(value):.1f}"
    except (TypeError, ValueError):
        return exercise.shown(value)


def _same_comparison(got, expected: pd.DataFrame) -> str | None:
    if not isinstance(got, pd.DataFrame):
        return f"`compare` should be a pandas DataFrame, but it is {type(got).__name__}."
    for column in expected.columns:
        if column not in got.columns:
            return f"`compare` has no column {column!r}."
    if list(got.index) != list(expected.index):
        return (f"`compare` has the rows {list(got.index)}, but {list(expected.index)} are "
                "expected: pick each country's gaps by its name.")
    for column in expected.columns:
        for step in expected.index:
            a, b = got.loc[step, column], expected.loc[step, column]
            if pd.isna(a) and pd.isna(b):
                continue
            if pd.isna(a) or pd.isna(b) or (a != b if isinstance(b, (bool, np.bool_))
                                            else abs(float(a) - float(b)) > 0.051):
                return (f"in row {step!r}, `{column}` is {_plain(a)}, but it should be {_plain(b)}: check "
                        f"which country the column takes, and the comparison that makes "
                        f"'Montenegro longer?'.")
    return None


def _same_entries(got, expected: set) -> str | None:
    """Exercise 04-stage's check; an empty list most often means a step's label was typed
    where `stage_at`'s code belongs."""
    reason = exercise.same_set(got, expected, what="in_talks")
    if reason and isinstance(got, (list, set, tuple)) and not got:
        reason += (" `in_talks` is empty: `stage_at` gives a step's code, such as 'talks_opened' "
                   f"(one of {list(EU_STEPS)}), not its label in the tables such as "
                   f"{STEP_LABELS['talks_opened']!r}.")
    return reason


def _in_talks_on_strategy_day(namespace: dict) -> set:
    """Exercise 04-stage's answer: the entries in accession talks on the strategy's day (E021)."""
    events = data.load("events").set_index("event_id")
    steps = eu_steps(data.load("memberships"))
    day = events.loc["E021", "date"]
    return {c for c in COUNTRIES if stage_at(steps, c, day) == "talks_opened"}


exercise.register(exercise.Exercise(
    exercise_id="04-montenegro",
    variable="compare",
    task="make `compare`: Montenegro's and Croatia's years per step side by side, with a column "
         "'Montenegro longer?'",
    expected=_montenegro_and_croatia,
    compare=_same_comparison,
    why="With country and step as a two-level index, `d['Montenegro']` gives Montenegro's gaps "
        "by step, and `>` compares them with Croatia's row by row. Montenegro's talks gap is still "
        "open, so it runs to the latest data and can only grow.",
    fills=('"Montenegro"', '"Croatia"'),
    wrong=((('"Serbia"', '"Croatia"'), "which country"),
           (('"Croatia"', '"Montenegro"'), "which country")),
))

exercise.register(exercise.Exercise(
    exercise_id="04-stage",
    variable="in_talks",
    task="make `in_talks`: the entries that were in accession talks on the day of event E021",
    expected=_in_talks_on_strategy_day,
    compare=_same_entries,
    why="`stage_at` gives each entry's furthest step on the strategy's day; those at "
        "'talks_opened' are the ones the strategy named for a 2025 perspective.",
    fills=('"E021"', '"talks_opened"'),
    wrong=((('"E021"', '"candidate"'), "does not belong"),
           (('"E021"', f'"{STEP_LABELS["talks_opened"]}"'), "not its label")),
))
