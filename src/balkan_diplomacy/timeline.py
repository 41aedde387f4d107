"""Lesson 01: an interactive timeline of the events in ``data/events.csv`` (1999 to today).

One row per category, one dot per event, coloured by category; events the article refers to
(``in_article``) get a black ring. A year-range slider and category toggles choose what is shown;
a dropdown of the events shown picks one whose details (date as precise as it is known, summary,
source with link) appear under the chart.

Dates are plotted as decimal years at the start of their period: an event known only to the
month sits on the first of that month (``data.load`` parses partial dates that way).
"""

from __future__ import annotations

import html
from collections import Counter
from dataclasses import dataclass

import ipywidgets
import numpy as np
import pandas as pd
from matplotlib.patches import Rectangle

from . import data, exercise, style, widgets

CATEGORIES = list(style.CATEGORY_LABELS)  # top to bottom, in the schema's order
TITLE = "Events in the Western Balkans, 1999 to today"
#: The day the article appeared in The Moscow Times (Samorukov, 22 January 2019).
ARTICLE_DATE = pd.Timestamp("2019-01-22")
ARTICLE_LABEL = "article published"
#: The article's "past eighteen months": the window before it that lesson 01 asks about.
WINDOW_MONTHS = 18
SOURCE = ("data/events.csv: dated events compiled for these lessons, each row with its own "
          "source (see the details under the chart). Ringed: events Samorukov (2019) refers to.")
ALT = ("A timeline from 1999 to 2026. Six rows, one per category (Kosovo's status, NATO, EU, "
       "Russia–Serbia, Serbian politics, region), each event a coloured dot at its date; dots "
       "of events the article refers to have a black ring; the selected event is marked by a "
       "vertical line and named at the top. A dashed vertical line labelled 'article published' "
       "marks 22 January 2019. A shaded band shows the chosen years.")


#: Display a static figure (the same for every lesson: style.show).
show = style.show


def category_counts_chart(events: pd.DataFrame):
    """A horizontal bar chart of the number of events per category; returns (figure, bars)."""
    counts = events["category"].astype(str).value_counts().reindex(CATEGORIES, fill_value=0)
    fig = style.new_figure(8.0, 3.6)
    fig.subplots_adjust(left=0.2, right=0.95, top=0.85, bottom=0.24)
    with style.context():
        ax = fig.add_subplot()
        bars = draw_category_counts(ax, counts)
        ax.set_title("Events per category in events.csv", loc="left", fontweight="bold")
    style.add_source(fig, "data/events.csv (events compiled for these lessons)")
    return fig, bars


def draw_category_counts(ax, counts: pd.Series):
    """Bars of ``counts`` (events per category, in CATEGORIES order), each labelled with its
    number; returns the BarContainer."""
    labels = [style.CATEGORY_LABELS[c] for c in counts.index]
    bars = ax.barh(labels, counts.to_numpy(), color=[style.CATEGORY_COLORS[c] for c in counts.index])
    ax.bar_label(bars, padding=3)
    ax.invert_yaxis()  # first category at the top, as on the timeline
    ax.set_xlabel("Number of events")
    ax.grid(axis="y", visible=False)
    return bars


def decimal_year(dates: pd.Series) -> np.ndarray:
    """Dates as decimal years (2008-07-01 -> about 2008.5), as a float array."""
    days = dates.to_numpy("datetime64[D]")
    start = days.astype("datetime64[Y]")  # 1 January of each date's year
    year = start.astype(int) + 1970
    leap = (year % 4 == 0) & ((year % 100 != 0) | (year % 400 == 0))
    return year + (days - start.astype("datetime64[D]")).astype(float) / np.where(leap, 366.0, 365.0)


def prepare(events: pd.DataFrame) -> pd.DataFrame:
    """Add plotting columns: ``x`` (decimal year), ``y`` (row of the category, 0 at the top,
    nudged apart when two events of a category share a date), ``year`` (int) and ``when``
    (the date written as precisely as it is known). Returns a new frame sorted by date.

    Event ids are labels, not positions: an event inserted later keeps the next free id whatever
    its date, so the order is the date's alone (a stable sort: events of one day keep the order
    of the file)."""
    out = events.sort_values("date", kind="stable").reset_index(drop=True)
    out["x"] = decimal_year(out["date"])
    out["year"] = out["date"].dt.year.astype(int)
    # events of one category on the same day would hide each other: spread them vertically
    keys = list(zip(out["category"].astype(str), out["date"]))
    size = Counter(keys)
    rank, seen = [], Counter()
    for key in keys:
        rank.append(seen[key])
        seen[key] += 1
    row = {c: i for i, c in enumerate(CATEGORIES)}
    out["y"] = [row[c] + (r - (size[(c, d)] - 1) / 2) * 0.22 for (c, d), r in zip(keys, rank)]
    out["when"] = [data.format_date(d, p) for d, p in zip(out["date"], out["date_precision"])]
    return out


def article_marker(ax):
    """A dashed vertical line at the article's date (22 January 2019) labelled "article
    published", drawn on ``ax`` whose x axis is in decimal years; returns (line, label).

    Both sit just above the grid and below everything a control changes (zorder 0.55, under the
    band of chosen years at 0.6), so an explorer keeps them in its background: drawn once,
    never redrawn, and the band still shades them as a full drawing would."""
    x = float(decimal_year(pd.Series([ARTICLE_DATE]))[0])
    with style.context():
        line = ax.axvline(x, color="#222222", linewidth=1.4, linestyle="--",
                          zorder=0.55, gid="article-published")
        label = ax.text(x, 0.99, f" {ARTICLE_LABEL}", transform=ax.get_xaxis_transform(),
                        ha="left", va="top", color="#222222", zorder=0.55,
                        fontsize=style.rc()["font.size"] * 0.85, fontweight="bold",
                        gid="article-published-label")
    return line, label


def counts_by_window(events: pd.DataFrame, end: pd.Timestamp = ARTICLE_DATE,
                     months: int = WINDOW_MONTHS) -> pd.DataFrame:
    """Events of ``events`` counted in back-to-back windows of ``months`` months that end on
    ``end`` (the first window is the ``months`` months just before it, the next the ``months``
    before that, back to the first event). A window holds the days from its ``start`` up to the
    day before its ``end``. Columns: ``start``, ``end``, ``events``, ``referred_to`` (events the
    article refers to, ``in_article``) and ``others``; most recent window first."""
    first = events["date"].min()
    rows, stop = [], end
    while stop > first:
        start = stop - pd.DateOffset(months=months)
        inside = events[(events["date"] >= start) & (events["date"] < stop)]
        referred = int(inside["in_article"].fillna(False).astype(bool).sum())
        rows.append({"start": start, "end": stop, "events": len(inside),
                     "referred_to": referred, "others": len(inside) - referred})
        stop = start
    return pd.DataFrame(rows)


@dataclass
class TimelineArtists:
    """What :func:`draw_timeline` drew."""

    points: dict  # category -> PathCollection of its dots
    article: object  # PathCollection: black rings around in_article events
    selected: object  # Line2D: vertical line at the selected event
    selected_label: object  # Text: the selected event, top left (also when filtered out)
    span: Rectangle  # shaded band of the chosen years
    empty: object  # Text shown when nothing is selected


def draw_timeline(ax, events: pd.DataFrame, first: int = 1999, last: int | None = None):
    """Draw the timeline axes once, showing ``events`` (a :func:`prepare`-d frame).

    ``first``/``last``: the x-axis limits in years (fixed, so the chart never jumps). Returns
    a :class:`TimelineArtists`; :func:`update_timeline` changes what they show.
    """
    last = int(events["year"].max()) if last is None and len(events) else (last or 2026)
    with style.context():
        size = style.rc()["lines.markersize"] ** 2 * (1.5 if style.mode() == "projector" else 2.2)
        # above the grid (zorder 0.5) but translucent, so a change of years redraws only the
        # band and the points, not the axes' tick labels
        span = Rectangle((first, -0.6), last + 1 - first, len(CATEGORIES) + 0.2,
                         facecolor="#e3e3e3", alpha=0.5, edgecolor="none", zorder=0.6)
        ax.add_patch(span)
        points = {c: ax.scatter([], [], s=size, color=style.CATEGORY_COLORS[c],
                                edgecolor="white", linewidth=0.6, zorder=3) for c in CATEGORIES}
        article = ax.scatter([], [], s=size * 2.6, facecolor="none", edgecolor="black",
                             linewidth=style.rc()["lines.linewidth"] * 0.8, zorder=4)
        selected = ax.axvline(first, color="#333333", linewidth=1.2, linestyle=":", zorder=2,
                              visible=False)
        selected_label = ax.text(0.0, 1.01, "", transform=ax.transAxes, ha="left",
                                 va="bottom", fontsize=style.rc()["font.size"] * 0.9)
        empty = style.empty_message(ax, "No event in this selection")
        if first <= ARTICLE_DATE.year <= last:
            article_marker(ax)
        ax.set_xlim(first - 0.5, last + 1)
        ax.set_ylim(len(CATEGORIES) - 0.4, -0.6)  # first category at the top
        ax.set_yticks(range(len(CATEGORIES)), [style.CATEGORY_LABELS[c] for c in CATEGORIES])
        for tick, c in zip(ax.get_yticklabels(), CATEGORIES):
            tick.set_color(style.CATEGORY_COLORS[c])
            tick.set_fontweight("bold")
        ax.set_xlabel("Year")
        ax.grid(axis="y", visible=False)
        ax.tick_params(axis="y", length=0)
    art = TimelineArtists(points, article, selected, selected_label, span, empty)
    update_timeline(art, events, first, last, None)
    return art


def update_timeline(art: TimelineArtists, shown: pd.DataFrame, first: int, last: int,
                    selected: pd.Series | None) -> None:
    """Show only ``shown`` (a filtered :func:`prepare`-d frame), shade ``first``-``last`` and
    mark ``selected`` (a row of it, or None)."""
    # numpy, not pandas: this runs on every change of a control
    xy = np.column_stack([shown["x"].to_numpy(float), shown["y"].to_numpy(float)])
    category = shown["category"].to_numpy(object)
    for c, collection in art.points.items():
        collection.set_offsets(xy[category == c])
    art.article.set_offsets(xy[shown["in_article"].to_numpy(bool, na_value=False)])
    art.span.set_x(first)
    art.span.set_width(last + 1 - first)
    art.empty.set_visible(shown.empty)
    if selected is None:
        art.selected.set_visible(False)
        art.selected_label.set_text("")
        return
    art.selected.set_xdata([selected["x"], selected["x"]])
    art.selected.set_visible(True)
    art.selected_label.set_text(f"Selected: {selected['when']} · {selected['title']}")


def describe(shown: pd.DataFrame, first: int, last: int, categories, selected=None,
             inside: bool = True) -> str:
    """One sentence saying what the timeline shows (and which event is picked)."""
    span = f"in {first}" if first == last else f"from {first} to {last}"
    picked = ""
    if selected is not None:
        where = "" if inside else " (outside the chosen years or categories)"
        picked = f" Selected: {selected['when']}, {selected['title']}{where}."
    if not categories:
        return (f"No category is selected, so no event is shown ({span}); choose at least "
                f"one.{picked}")
    names = ", ".join(style.CATEGORY_LABELS[c] for c in CATEGORIES if c in categories)
    if shown.empty:
        return f"No event {span} in the chosen categories ({names}).{picked}"
    ringed = int(shown["in_article"].fillna(False).astype(bool).sum())
    sentence = (f"{len(shown)} event{'s' if len(shown) != 1 else ''} {span} in {names}; "
                f"{ringed} of them the article refers to (ringed)")
    return sentence + "." + picked


def details_html(event: pd.Series | None, sources: pd.DataFrame, inside: bool = True) -> str:
    """The selected event as escaped HTML: date, category, title, summary, actors, source link;
    a note when it lies outside the chosen years or categories."""
    if event is None:
        return "<i>No event selected.</i>"
    note = ("" if inside else '<span style="color:#a34700">Outside the years or categories '
            "you chose (not drawn as a dot).</span><br>")
    e = {k: html.escape(str(v)) for k, v in event.items()}
    src = sources.set_index("source_id").loc[event["source_id"]]
    label = " (state-affiliated media)" if src["kind"] == "state_affiliated_media" else ""
    link = (f'<a href="{html.escape(src["url"])}" target="_blank" rel="noopener">'
            f'{html.escape(src["publisher"])}, “{html.escape(src["title"])}”</a>{label}')
    article = "yes" if bool(event["in_article"]) else "no"
    if pd.notna(event.get("claim_ids")):  # the claims of article_claims.csv about this event
        article += f" (claims {html.escape(str(event['claim_ids']))} in article_claims.csv)"
    return (f'<div class="bd-event">{note}<b>{e["when"]}</b> · '
            f'{html.escape(style.CATEGORY_LABELS[str(event["category"])])} · {e["event_id"]}<br>'
            f'<b>{e["title"]}</b><br>{e["summary"]}<br>'
            f'<span style="color:#555">Actors: {e["actors"]}. Referred to in the article: '
            f'{article}.</span><br>Source: {link}</div>')


def _options(shown: pd.DataFrame) -> list[tuple[str, str]]:
    """Menu entries 'date · title' -> event id, in date order."""
    return [(f"{d} · {t}", i) for d, t, i in zip(shown["date_text"], shown["title"],
                                                  shown["event_id"])]


def timeline_explorer(events: pd.DataFrame | None = None, sources: pd.DataFrame | None = None):
    """Years slider, category toggles and an event dropdown driving the timeline.

    Returns a :class:`widgets.Explorer` whose ``artists`` is a :class:`TimelineArtists`; the
    event details are in ``explorer.details`` (an HTML widget under the chart).
    """
    inputs = (events, sources)
    table = prepare(data.load("events") if events is None else events)
    sources = data.load("sources") if sources is None else sources.copy()
    first, last = 1999, int(table["year"].max())
    labels = {style.CATEGORY_LABELS[c]: c for c in CATEGORIES}
    years = widgets.year_range_slider(first, last)
    cats = widgets.toggles(labels, "Categories (Ctrl/Cmd-click)")
    pick = widgets.dropdown(_options(table), description="Event")
    pick.layout = {"width": "640px"}
    details = ipywidgets.HTML(layout={"width": style.image_width()})

    def build() -> widgets.Drawing:
        # what each change filters on, as arrays (the table is already in date order)
        year = table["year"].to_numpy()
        category = table["category"].to_numpy(object)
        position = {event: i for i, event in enumerate(table["event_id"])}
        by_id = table.set_index("event_id", drop=False)
        fig = style.new_figure(9.0, 4.8)
        projector = style.mode() == "projector"  # larger labels need wider margins
        fig.subplots_adjust(left=0.23 if projector else 0.17, right=0.98, top=0.83,
                            bottom=0.23 if projector else 0.2)
        with style.context():  # spines and grid of the current mode
            ax = fig.add_subplot()
        art = draw_timeline(ax, table, first, last)
        with style.context():
            fig.suptitle(TITLE, fontweight="bold", x=0.01, ha="left", y=0.975)
        style.add_source(fig, SOURCE)

        def render(values: dict) -> str:
            lo, hi = values["years"]
            chosen = [c for c in CATEGORIES if c in values["categories"]]
            mask = (year >= lo) & (year <= hi) & np.isin(category, chosen)
            shown = table[mask]
            # the menu always lists every event (a list that changed with the filters would
            # make some menu values invalid); an event outside the selection is still described
            selected = by_id.loc[values["event"]]
            inside = bool(mask[position[values["event"]]])
            update_timeline(art, shown, lo, hi, selected)
            details.value = details_html(selected, sources, inside)
            return describe(shown, lo, hi, chosen, selected, inside)

        return widgets.Drawing(fig, art, render)

    explorer = widgets.Explorer({"years": years, "categories": cats, "event": pick}, build, ALT,
                                title="Timeline of events", inputs=inputs, outputs=[details])
    explorer.details = details
    explorer.children = (*explorer.children, details)
    return explorer


FIGURES = [{
    "slug": "01_timeline",
    "title": TITLE,
    "alt": ALT,
    "source": SOURCE,
    "make": lambda: timeline_explorer().figure,
}]
FIGURES.append({
    "slug": "01_events_per_category",
    "title": "Events per category in events.csv",
    "alt": "Horizontal bars: the number of events in each of the six categories of events.csv, "
           "each bar labelled with its count.",
    "source": "data/events.csv",
    "make": lambda: category_counts_chart(data.load("events"))[0],
})


# ---- lesson 01's scaffolded exercises (exercise.py) ----

def _ordered_events(namespace: dict) -> pd.DataFrame:
    """Exercise 01-order's answer: the six events of ``shuffled`` by date, with the years since
    the one before (computed from events.csv, the way the lesson draws its six)."""
    events = data.load("events").sort_values("date", kind="stable")
    shuffled = namespace.get("shuffled")
    if not isinstance(shuffled, pd.DataFrame) or "event_id" not in shuffled:
        shuffled = events.sample(6, random_state=2019)
    ordered = events[events["event_id"].isin(shuffled["event_id"])].sort_values("date")
    return ordered.assign(years_since_previous=(ordered["date"].diff().dt.days / 365.25).round(1))


exercise.register(exercise.Exercise(
    exercise_id="01-order",
    variable="ordered",
    task="make `ordered`: the six events sorted by date, with a column `years_since_previous`",
    expected=_ordered_events,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="event_id", columns=["years_since_previous"], what="`ordered`"),
    why="Sorting by the event's date puts the events in time order, and `.diff()` takes each "
        "date minus the one before it; the first row has no event before it, so its gap is empty.",
    fills=('"date"', "diff"),
    wrong=((('"title"', "diff"), "not in the right order"),),
))


def _before_after(namespace: dict) -> pd.DataFrame:
    """Exercise 01-after's answer: events per category before and after the article's day."""
    events = data.load("events")
    period = events["date"].lt(ARTICLE_DATE).map({True: "before", False: "after"})
    return pd.crosstab(events["category"], period)[["before", "after"]]


def same_counts(got, expected: pd.DataFrame, *, what: str = "`table`") -> str | None:
    """``got`` is a table of counts with ``expected``'s rows (its index) and columns, and the same
    number in every cell; else the first difference, in words."""
    if not isinstance(got, pd.DataFrame):
        return f"{what} should be a pandas DataFrame, but it is {type(got).__name__}."
    missing = [c for c in expected.columns if c not in got.columns]
    if missing:
        return f"{what} has no column {missing[0]!r}: keep the columns {list(expected.columns)}."
    rows = [str(r) for r in got.index]
    lacking = [str(r) for r in expected.index if str(r) not in rows]
    if lacking or len(rows) != len(expected):
        some = ", ".join(repr(r) for r in rows[:3]) + (", …" if len(rows) > 3 else "")
        return (f"{what} has {len(rows)} rows ({some}), but one row per category is expected "
                f"({[str(r) for r in expected.index]}): count by `events[\"category\"]`.")
    mine = got.set_axis(rows)
    for row in expected.index:
        for column in expected.columns:
            a, b = mine.loc[str(row), column], expected.loc[row, column]
            if a != b:
                return (f"in row {str(row)!r}, `{column}` is {a}, but it should be {b}: check the "
                        "comparison that makes `period` (is an event earlier than the article "
                        "'before' it?).")
    return None


exercise.register(exercise.Exercise(
    exercise_id="01-after",
    variable="table",
    task="make `table`: the number of events of each category before and after 22 January 2019",
    expected=_before_after,
    compare=same_counts,
    why="`.lt(date)` is True for every event earlier than the article, `.map` turns True and False "
        "into 'before' and 'after', and `pd.crosstab` counts each pair of category and period.",
    fills=("lt", "period"),
    wrong=((("gt", "period"), "check the comparison"),),
))
