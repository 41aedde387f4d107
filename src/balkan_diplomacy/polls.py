"""Lesson 05: where 'about 80 percent' comes from — poll figures by question, pollster and reporter.

Data flow: ``data.load("polls")`` + ``data.load("sources")`` -> :func:`poll_table` (adds the
kind of source that reported each figure and a decimal year) -> :func:`draw_polls` (points
coloured by what was asked, shaped by whom it was about, ringed when state-affiliated media
reported the figure, and the article's claim as a reference line) -> :func:`poll_explorer`
(filters for measure, subject, pollster and source kind). :func:`draw_eu_support` shows Serbian
support for EU membership by survey series.
"""

from __future__ import annotations

from dataclasses import dataclass

import matplotlib
import numpy as np
import pandas as pd
from matplotlib.lines import Line2D

from . import data, exercise, style, widgets

MEASURE_LABELS = {
    "favourable_view": "favourable view", "trust": "trust", "approval": "approval",
    "most_popular_foreign_leader": "most popular foreign leader",
    "friendliest_country": "friend or ally",
    "support_eu_membership": "support for EU membership",
}
MEASURE_COLORS = {
    "favourable_view": style.OKABE_ITO["vermillion"], "trust": style.OKABE_ITO["blue"],
    "approval": style.OKABE_ITO["sky"], "most_popular_foreign_leader": style.OKABE_ITO["orange"],
    "friendliest_country": style.OKABE_ITO["purple"],
    "support_eu_membership": style.ACTOR_COLORS["EU"],
}
SUBJECT_MARKERS = {"Putin": "o", "Russia": "s", "EU": "D", "China": "^", "USA": "v"}
KIND_LABELS = {"news": "news outlet", "poll_report": "pollster's or commissioner's own report",
               "state_affiliated_media": "state-affiliated media", "reference_work": "reference work",
               "primary_document": "primary document", "analysis": "analysis", "article": "article"}
ALL_POLLSTERS = "All pollsters"
X_LIMITS = (2007.5, 2026.5)
Y_LIMITS = (0, 100)
SOURCE_LINE = ("polls.csv (each figure as reported; reporters in sources.csv); the 80% line is the "
               "article's claim (article_claims.csv C17)")


def poll_table(polls: pd.DataFrame, sources: pd.DataFrame) -> pd.DataFrame:
    """Polls with the reporting source's ``kind``, a ``state_affiliated`` flag and ``year``.

    ``year`` is the date as a decimal year (fieldwork or publication, see ``date_kind``); the
    percentages stay in ``value_pct`` (0-100). One row per poll figure.
    """
    # looked up by source id (the key of sources.csv); the same frame a left merge gives, at a
    # fifth of its cost
    by_id = sources.set_index("source_id")
    if not by_id.index.is_unique:
        raise ValueError("sources: source_id is not unique")
    out = polls.reset_index(drop=True)
    out["kind"] = out["source_id"].map(by_id["kind"])
    out["source_publisher"] = out["source_id"].map(by_id["publisher"])
    for col in ("measure", "subject", "kind"):
        out[col] = out[col].astype(str)
    out["state_affiliated"] = out["kind"] == "state_affiliated_media"
    out["year"] = out["date"].dt.year + (out["date"].dt.day_of_year - 1) / 365.25
    return out


def claim_80(claims: pd.DataFrame) -> pd.Series:
    """The article's 'about 80 percent' row of the claims table (C17)."""
    return claims.set_index("claim_id").loc["C17"]


def draw_polls(ax, frame: pd.DataFrame, claim_pct: float) -> dict:
    """Scatter of poll figures: x decimal year, y percent of respondents.

    Returns a dict: points {subject: PathCollection} (colour = measure), rings (PathCollection
    around figures reported by state-affiliated media), claim_line (Line2D), claim_label (Text),
    key (list of (Line2D, Text) slots: the legend, listing only what is drawn), empty (Text).
    """
    art = {"points": {}}
    with style.context():
        for subject, marker in SUBJECT_MARKERS.items():
            mine = frame[frame["subject"] == subject]
            art["points"][subject] = ax.scatter(
                mine["year"], mine["value_pct"].astype(float), marker=marker, s=55,
                c=[MEASURE_COLORS[m] for m in mine["measure"]], edgecolors="white",
                linewidths=0.6, zorder=3)
        ringed = frame[frame["state_affiliated"]]
        art["rings"] = ax.scatter(ringed["year"], ringed["value_pct"].astype(float), s=190,
                                  facecolors="none", edgecolors="black", linewidths=1.3, zorder=4)
        art["claim_line"] = ax.axhline(claim_pct, color="black", ls="--", lw=1.2, zorder=2)
        art["claim_label"] = ax.text(X_LIMITS[0] + 0.2, claim_pct - 2,
                                     f"the article's claim:\n'about {claim_pct:.0f} percent' (Jan 2019)",
                                     fontsize="small", va="top")
        _year_axis(ax)
        ax.set_xlabel("Year (fieldwork, or publication where fieldwork is not known)")
        ax.set_ylabel("Share of respondents (%)")
        ax.set_title("Poll figures from Serbia: it depends what was asked")
        art["key"] = draw_key(ax)
        art["empty"] = style.empty_message(ax, "No poll figure matches these filters")
    update_key(art["key"], legend_entries(frame))
    return art


def _year_axis(ax) -> None:
    """Fixed limits (the chart never jumps) and whole-year ticks."""
    ax.set_xlim(*X_LIMITS)
    ax.set_ylim(*Y_LIMITS)
    ax.set_xticks(range(2008, 2027, 2))


#: The key beside the chart has room for every entry; it shows only those the chart draws.
KEY_SLOTS = len(MEASURE_COLORS) + len(SUBJECT_MARKERS) + 1
STATE_MEDIA_LABEL = "reported by state-\naffiliated media"


def legend_entries(frame: pd.DataFrame) -> list[tuple[str, dict]]:
    """(label, marker style) for what the chart draws for ``frame``, in key order: the colour of
    each question shown, the shape of each subject shown, and the ring if a shown figure came
    from state-affiliated media. Nothing for what is not drawn."""
    measures, subjects = set(frame["measure"]), set(frame["subject"])
    entries = [(MEASURE_LABELS[m], {"marker": "o", "markerfacecolor": c,
                                    "markeredgecolor": "white", "markersize": 8})
               for m, c in MEASURE_COLORS.items() if m in measures]
    entries += [(f"about {s}", {"marker": mk, "markerfacecolor": "#777777",
                                "markeredgecolor": "white", "markersize": 8})
                for s, mk in SUBJECT_MARKERS.items() if s in subjects]
    if frame["state_affiliated"].any():
        entries.append((STATE_MEDIA_LABEL, {"marker": "o", "markerfacecolor": "none",
                                            "markeredgecolor": "black", "markersize": 12}))
    return entries


@dataclass
class Key:
    """A legend whose entries change: ``slots`` of (marker, label), ``step`` one line's height in
    axes fractions."""

    slots: list
    step: float


def draw_key(ax) -> Key:
    """Empty key slots (a marker and its label) to the right of the axes, top down; filled by
    :func:`update_key`. Drawn as artists of their own, like a legend whose entries can change."""
    fig = ax.figure
    size = matplotlib.rcParams["legend.fontsize"]
    size = size if isinstance(size, (int, float)) else matplotlib.rcParams["font.size"]
    size *= 0.85
    slots = []
    for _ in range(KEY_SLOTS):
        mark = Line2D([1.04], [1.0], ls="", transform=ax.transAxes, clip_on=False, visible=False)
        ax.add_artist(mark)
        label = ax.text(1.075, 1.0, "", transform=ax.transAxes, va="center", ha="left",
                        fontsize=size, visible=False)
        slots.append((mark, label))
    # one line of the key, in axes fractions
    return Key(slots, size * 1.75 / 72 * fig.dpi / max(ax.bbox.height, 1.0))


def update_key(key: Key, entries) -> None:
    """Fill the first slots with ``entries`` (label, marker style), hide the rest."""
    y = 0.98
    for i, (mark, label) in enumerate(key.slots):
        if i >= len(entries):
            mark.set_visible(False)
            label.set_visible(False)
            continue
        text, look = entries[i]
        lines = text.count("\n") + 1
        y_here = y - (lines - 1) * key.step / 2
        mark.set_data([1.04], [y_here])
        mark.set(**look)
        label.set_text(text)
        label.set_y(y_here)
        mark.set_visible(True)
        label.set_visible(True)
        y -= lines * key.step


def update_polls(art: dict, frame: pd.DataFrame) -> None:
    """Show only the rows of ``frame`` (positions and colours updated in place)."""
    # numpy, not pandas: this runs on every change of a control
    xy = _xy(frame)
    subject = frame["subject"].to_numpy(object)
    measure = frame["measure"].to_numpy(object)
    for name, coll in art["points"].items():
        mine = subject == name
        coll.set_offsets(xy[mine])
        coll.set_facecolor([MEASURE_COLORS[m] for m in measure[mine]] or "none")
    art["rings"].set_offsets(xy[frame["state_affiliated"].to_numpy(bool)])
    art["empty"].set_visible(frame.empty)
    update_key(art["key"], legend_entries(frame))


def _xy(frame: pd.DataFrame) -> np.ndarray:
    """(n, 2) array of (year, percent); shape (0, 2) when empty so set_offsets accepts it."""
    return np.column_stack([frame["year"].to_numpy(float),
                            frame["value_pct"].to_numpy(float)]).reshape(-1, 2)


def select(table: pd.DataFrame, measures, subjects, pollster: str, kinds) -> pd.DataFrame:
    """Rows matching the chosen measures, subjects, pollster (or all) and source kinds."""
    measures, subjects, kinds = set(measures), set(subjects), set(kinds)
    keep = [m in measures and s in subjects and k in kinds and pollster in (ALL_POLLSTERS, p)
            for m, s, k, p in zip(table["measure"], table["subject"], table["kind"],
                                  table["pollster"])]
    return table[np.array(keep, dtype=bool)]


def describe(frame: pd.DataFrame, total: int) -> str:
    """One sentence on the visible figures: how many, their range, how many via state media."""
    if frame.empty:
        return f"No poll figure of the {total} matches these filters; widen the selection."
    low, high = frame["value_pct"].min(), frame["value_pct"].max()
    state = int(frame["state_affiliated"].sum())
    asked = ", ".join(sorted({MEASURE_LABELS[m] for m in frame["measure"]}))
    return (f"Showing {len(frame)} of {total} figures ({asked}), from {low:g}% to {high:g}%; "
            f"{state} of them reported by state-affiliated media (ringed).")


def poll_explorer(polls: pd.DataFrame | None = None, sources: pd.DataFrame | None = None,
                  claims: pd.DataFrame | None = None) -> widgets.Explorer:
    """All poll figures over time with filters for measure, subject, pollster and source kind.

    Starts with the questions about Putin and Russia (the article's subject); choose 'support for
    EU membership' and subject 'EU' to see the EU series on the same axes.
    """
    inputs = (polls, sources, claims)
    polls = data.load("polls") if polls is None else polls
    sources = data.load("sources") if sources is None else sources
    claims = data.load("article_claims") if claims is None else claims
    table = poll_table(polls, sources)
    claimed = float(claim_80(claims)["claimed_number"])
    measures = widgets.toggles({MEASURE_LABELS[m]: m for m in MEASURE_LABELS
                                if m in set(table["measure"])}, "What was asked")
    subjects = widgets.toggles({s: s for s in SUBJECT_MARKERS if s in set(table["subject"])},
                               "About whom")
    subjects.value = [s for s in ("Putin", "Russia") if s in set(table["subject"])]
    pollster = widgets.dropdown([ALL_POLLSTERS] + sorted(set(table["pollster"])),
                                description="Pollster")
    kinds = widgets.toggles({KIND_LABELS[k]: k for k in sorted(set(table["kind"]))},
                            "Reported by")

    def build() -> widgets.Drawing:
        fig = style.new_figure(10.5, 5.6)
        big = style.mode() == "projector"  # the legend beside the axes needs more room
        fig.subplots_adjust(left=0.09, right=0.64 if big else 0.7, top=0.9, bottom=0.2)
        with style.context():
            ax = fig.add_subplot()
        art = draw_polls(ax, table, claimed)
        style.add_source(fig, SOURCE_LINE)

        def render(values: dict) -> str:
            shown = select(table, values["measure"], values["subject"], values["pollster"],
                           values["kind"])
            update_polls(art, shown)
            return describe(shown, len(table))

        return widgets.Drawing(fig, art, render)

    alt = ("Scatter of poll percentages from 2008 to 2025 against a dashed line at 80 percent, "
           "the article's claim; favourable-view figures for Putin sit near or above the line, "
           "trust and 'best friend' figures well below it.")
    controls = {"measure": measures, "subject": subjects, "pollster": pollster, "kind": kinds}
    return widgets.Explorer(controls, build, alt, inputs=inputs,
                            title="Poll figures from Serbia, filtered by question and source")


#: Survey series of the EU-support figures, keyed by who commissioned them.
EU_SERIES = [
    ("Serbian government office / ministry", ("Serbian Government", "Ministry of European Integration"),
     style.ACTOR_COLORS["Serbia"]),
    ("Eurobarometer (European Commission)", ("European Commission",), style.ACTOR_COLORS["EU"]),
    ("Institute for European Affairs", ("Institute for European Affairs",), style.OKABE_ITO["orange"]),
    ("IRI (US International Republican Institute)", ("International Republican Institute",),
     style.OKABE_ITO["purple"]),
]
JOINED_SERIES = ("Serbian government office / ministry", "Eurobarometer (European Commission)")
OTHER_SERIES = ("other pollsters and commissioners", style.OKABE_ITO["grey"])


def eu_series(table: pd.DataFrame) -> pd.Series:
    """Series name of each EU-support row, from ``commissioned_by`` (unknown -> other)."""
    who = table["commissioned_by"].fillna("")
    out = pd.Series(OTHER_SERIES[0], index=table.index, dtype="str")
    for name, keys, _ in EU_SERIES:
        out[who.str.contains("|".join(keys), regex=True)] = name
    return out


def _break_gaps(x, y, years: float = 2.5):
    """Insert a gap (NaN) wherever two points of a series lie more than ``years`` apart, so the
    line does not suggest figures for years without a survey."""
    import numpy as np

    cut = np.nonzero(np.diff(x) > years)[0] + 1
    return np.insert(x, cut, np.nan), np.insert(y, cut, np.nan)


def draw_eu_support(ax, table: pd.DataFrame) -> dict:
    """Serbian support for EU membership (percent) over time, one line per survey series.

    Returns a dict: lines {series: Line2D} with the series' rows in date order (a legend names
    the series: their last points fall too close together for labels at the lines).
    """
    eu = table[table["measure"] == "support_eu_membership"].sort_values("date")
    series = eu_series(eu)
    art = {"lines": {}}
    with style.context():
        for name, colour in [(n, c) for n, _, c in EU_SERIES] + [OTHER_SERIES]:
            mine = eu[series == name]
            # join only series that repeat one question; the others mix wordings
            ls = "-" if name in JOINED_SERIES else ""
            x, y = _break_gaps(mine["year"].to_numpy(float), mine["value_pct"].to_numpy(float))
            (line,) = ax.plot(x, y, ls=ls, marker="o", color=colour, lw=1.6, ms=6, label=name)
            art["lines"][name] = line
        _year_axis(ax)
        ax.axhline(50, color="#777777", lw=0.8)
        ax.set_xlabel("Year (fieldwork, or publication where fieldwork is not known)")
        ax.set_ylabel("Share of respondents in favour (%)")
        ax.set_title("Support for EU membership in Serbia, by survey series")
        ax.legend(loc="upper right", frameon=False, fontsize="small")
    return art


def eu_support_figure(polls: pd.DataFrame | None = None, sources: pd.DataFrame | None = None):
    """The EU-support chart as a Figure."""
    polls = data.load("polls") if polls is None else polls
    sources = data.load("sources") if sources is None else sources
    fig = style.new_figure(10, 5.2)
    fig.subplots_adjust(left=0.09, right=0.97, top=0.9, bottom=0.2)
    with style.context():
        ax = fig.add_subplot()
    draw_eu_support(ax, poll_table(polls, sources))
    style.add_source(fig, "polls.csv (questions differ: 'would vote yes in a referendum', "
                          "'a good thing', 'support membership')")
    return fig


#: Display a static figure (the same for every lesson: style.show).
show = style.show


FIGURES = [
    {"slug": "05_poll_figures", "title": "Poll figures from Serbia: it depends what was asked",
     "alt": "Scatter of poll percentages about Putin and Russia, 2008-2025, with the article's "
            "80 percent claim as a dashed line; figures reported by state-affiliated media ringed.",
     "source": SOURCE_LINE, "make": lambda: poll_explorer().figure},
    {"slug": "05_eu_support", "title": "Support for EU membership in Serbia, by survey series",
     "alt": "Lines of the share of Serbians supporting EU membership, 2009-2025, by survey series; "
            "most values fall between about 30 and 65 percent.",
     "source": "polls.csv", "make": lambda: eu_support_figure()},
]


# ---- lesson 05's exercises (exercise.py): checked against polls.csv when they run ----

def _poll_p009(namespace: dict) -> pd.DataFrame:
    """Exercise 05-source's answer: row P009 of the lesson's table (from polls.csv)."""
    table = poll_table(data.load("polls"), data.load("sources"))
    return table[table["poll_id"] == "P009"]


def _putin_above_75(namespace: dict) -> pd.DataFrame:
    """Exercise 05-high's answer: every figure about Putin above 75% (from polls.csv)."""
    table = poll_table(data.load("polls"), data.load("sources"))
    return table[(table["subject"] == "Putin") & (table["value_pct"] > 75)]


exercise.register(exercise.Exercise(
    exercise_id="05-source",
    variable="p009",
    task="make `p009`: row P009 of `table`, with the columns that say who ran, paid for and "
         "reported the poll, the kind of outlet, the question and the figure",
    expected=_poll_p009,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="poll_id", columns=["kind", "value_pct"], what="`p009`"),
    why="A mask on `poll_id` keeps the one row, and the list of columns keeps what you need to "
        "judge a figure: who ran it, who paid, who reported it and what kind of outlet that is, "
        "and what exactly was asked.",
    fills=('"P009"', '"kind"'),
    wrong=((('"P010"', '"kind"'), "check your filter"),
           (('"P009"', '"date_text"'), "no column `kind`")),
))

exercise.register(exercise.Exercise(
    exercise_id="05-high",
    variable="high",
    task="make `high`: the rows of `table` about Putin whose value_pct is above 75",
    expected=_putin_above_75,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="poll_id", columns=["measure"], ordered=False, what="`high`"),
    why="Two conditions joined with `&` keep only rows that meet both: the subject is Putin and "
        "the figure is above 75. Read the `measure` column of what is left.",
    fills=('"Putin"', "75"),
    wrong=((('"Putin"', "50"), "check your filter"),
           (('"EU"', "75"), "check your filter")),
))


def _putin_favourable_by_pollster(namespace: dict) -> pd.DataFrame:
    """Exercise 05-same-pollster's answer: the favourable views of Putin, each pollster's rows
    together and in date order (from polls.csv)."""
    table = poll_table(data.load("polls"), data.load("sources"))
    fav = table[(table["subject"] == "Putin") & (table["measure"] == "favourable_view")]
    return fav.sort_values(["pollster", "date"])


exercise.register(exercise.Exercise(
    exercise_id="05-same-pollster",
    variable="by_pollster",
    task="make `by_pollster`: the favourable views of Putin in `table`, sorted so that each "
         "pollster's figures stand together in date order",
    expected=_putin_favourable_by_pollster,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="poll_id", columns=["pollster", "value_pct"], what="`by_pollster`"),
    why="Sorting by two columns groups the rows by the first (the pollster) and orders each group "
        "by the second (the date): read down one pollster's rows to see one series before and "
        "after February 2022, without mixing pollsters or questions.",
    fills=('"favourable_view"', '["pollster", "date"]'),
    wrong=((('"trust"', '["pollster", "date"]'), "check your filter"),
           (('"favourable_view"', '["date", "pollster"]'), "not in the right order")),
))
