"""Lesson 02: how many states recognise Kosovo, as each side counts them.

``recognitions.csv`` keeps every published count with who claims it: Pristina's government,
Belgrade's government, or an independent compilation. The counts disagree (they count different
things and dispute withdrawals), so the chart draws one series per claimant side and never merges
them. Belgrade's claimed *withdrawals* are a different measure and are drawn distinctly (dashed,
crosses) on the same scale of states.
"""

from __future__ import annotations

import bisect

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from . import data, style, widgets

#: Series of the chart: (side, measure) pairs, in drawing order.
SERIES = {
    "kosovo_government": ("kosovo_government", "recognising"),
    "serbia_government": ("serbia_government", "recognising"),
    "independent": ("independent", "recognising"),
    "serbia_withdrawn": ("serbia_government", "withdrawn"),
}
SERIES_LABELS = {
    "kosovo_government": "Pristina's government: states recognising",
    "serbia_government": "Belgrade's government: states recognising",
    "independent": "Independent counts: states recognising",
    "serbia_withdrawn": "Belgrade's government: recognitions it says were withdrawn",
}
#: Short labels written at the end of each line.
SHORT_LABELS = {
    "kosovo_government": "Pristina's claims",
    "serbia_government": "Belgrade's claims",
    "independent": "Independent counts",
    "serbia_withdrawn": "Withdrawals\nBelgrade claims",
}
SERIES_COLORS = {
    "kosovo_government": style.ACTOR_COLORS["Kosovo"],
    "serbia_government": style.ACTOR_COLORS["Serbia"],
    "independent": style.OKABE_ITO["black"],
    "serbia_withdrawn": style.ACTOR_COLORS["Serbia"],
}
#: Whose claim, in the caption's words.
CLAIMANT_WORDS = {
    "kosovo_government": "Pristina's latest count",
    "serbia_government": "Belgrade's latest count of states recognising",
    "independent": "the latest independent count",
    "serbia_withdrawn": "Belgrade's latest count of withdrawals",
}
#: The three ways of presenting the counts (the ``view`` control): whose view each is, in its
#: title, and the series it draws. Each government's own figures are drawn as it presents
#: them; the 'every count' view (key ``neutral``) draws every entry of the table with who claims it.
VIEWS = {
    "neutral": {"label": "Every count, with who claims it",
                "title": "Every published count, side by side, with who claims it",
                "series": tuple(SERIES)},
    "pristina": {"label": "As Pristina presents it",
                 "title": "As Pristina presents it: states recognising, by its government's count",
                 "series": ("kosovo_government",)},
    "belgrade": {"label": "As Belgrade presents it",
                 "title": "As Belgrade presents it: states recognising, and withdrawals it "
                          "announces",
                 "series": ("serbia_government", "serbia_withdrawn")},
}


def check_view(view: str) -> None:
    """Raise a ValueError naming the views when ``view`` is not one of them."""
    if view not in VIEWS:
        raise ValueError(f"no recognition view {view!r}: the views are "
                         f"{', '.join(map(repr, VIEWS))}")


UN_MEMBERS = 193
MAJORITY = UN_MEMBERS // 2 + 1  # 97: more than half of 193, the threshold Dačić argued about
Y_MAX = 130  # fixed: the highest count in the table is 118
X_RANGE = (pd.Timestamp("2008-01-01"), pd.Timestamp("2027-01-01"))
SOURCE = ("recognitions.csv: counts as claimed by the governments in Pristina and Belgrade and by "
          "independent compilations (Wikipedia revisions, The Economist, Political Geography Now, "
          "Reuters).")


def state_media_note(frame: pd.DataFrame, sources: pd.DataFrame) -> str:
    """Which counts in ``frame`` are known only through state-affiliated media, in words."""
    kinds = sources.set_index("source_id")["kind"]
    flagged = frame[frame["source_id"].map(kinds) == "state_affiliated_media"]
    if flagged.empty:
        return ""
    items = [f"{r.claimant} ({data.format_date(r.as_of_date, r.date_precision)})"
             for r in flagged.sort_values("as_of_date").itertuples()]
    return " Known only via state-affiliated media: " + "; ".join(items) + "."
TITLE = "How many states recognise Kosovo? It depends who is counting"
ALT = ("Line chart of the number of states recognising Kosovo, 2008 to 2025, one line per "
       "claimant: Pristina's government (orange) rises from 74 in 2011 to 114 in 2017, 116 in "
       "2018, 117 in 2020 and 2021 and 118 in 2025; independent counts (black) "
       "rise from 52 in 2008 to about 110 in 2025, with two different counts (97 and 101) for "
       "September 2020; Belgrade's government (blue) gives 92 in 2020 and 84 in 2023. A dashed "
       "blue line shows the withdrawals Belgrade claims: 11 in 2018, 14 in 2019, 18 in 2020. A "
       "dotted line marks 97, more than half of the 193 UN members (a yardstick for counts of UN "
       "members only; some counts include states outside the UN), and a vertical line marks the "
       "year chosen with the slider. A menu draws the counts as Pristina presents them (its "
       "government's line alone), as Belgrade presents them (its counts and the withdrawals it "
       "announces), or all of them side by side with who claims each; the title says whose view it is.")


def series_frames(frame: pd.DataFrame) -> dict[str, pd.DataFrame]:
    """Rows of ``recognitions`` for each series key of :data:`SERIES`, sorted by date.

    Returns {series key: DataFrame with as_of_date, as_of_date_text, date_precision, count,
    claimant, note, source_id}; a series with no rows gets an empty frame.
    """
    # sorted once, then split by (side, measure) with plain Python (a frame filter per series
    # and per column cost about 10 ms in all)
    ordered = frame.sort_values(["as_of_date", "count"], kind="stable")
    pairs = list(zip(ordered["side"].astype(str), ordered["measure"].astype(str)))
    return {key: ordered.iloc[[i for i, p in enumerate(pairs) if p == pair]].reset_index(drop=True)
            for key, pair in SERIES.items()}


def year_end(year: int) -> pd.Timestamp:
    """The last day of ``year``: the slider compares the claims as they stood then."""
    return pd.Timestamp(year=int(year), month=12, day=31)


def claims_at(frame: pd.DataFrame, when) -> pd.DataFrame:
    """Each series' latest claim on or before ``when`` (a date or a year).

    Returns one row per series that has a claim by then (columns: series, label, as_of, count,
    claimant, source_id); several counts of the same latest date are all kept, because the
    sources disagree and we show the disagreement.
    """
    when = year_end(when) if isinstance(when, (int, np.integer)) else pd.Timestamp(when)
    rows = []
    for key, part in series_frames(frame).items():
        part = part[part["as_of_date"] <= when]
        if part.empty:
            continue
        latest = part[part["as_of_date"] == part["as_of_date"].max()]
        for _, r in latest.iterrows():
            rows.append({"series": key, "label": SERIES_LABELS[key],
                         "as_of": data.format_date(r["as_of_date"], r["date_precision"]),
                         "count": int(r["count"]), "claimant": r["claimant"],
                         "source_id": r["source_id"]})
    columns = ["series", "label", "as_of", "count", "claimant", "source_id"]
    return pd.DataFrame(rows, columns=columns)


@dataclass
class RecognitionArtists:
    """What :func:`draw_recognitions` drew, by series key."""

    lines: dict = field(default_factory=dict)     # series -> Line2D (all its claims)
    labels: dict = field(default_factory=dict)    # series -> Text at the right edge
    current: dict = field(default_factory=dict)   # series -> Line2D, the claim at the marker
    marker: object = None                         # vertical Line2D at the chosen date
    marker_label: object = None                   # Text above it
    majority: object = None                       # horizontal Line2D at 97
    empty: object = None                          # Text shown when nothing is selected
    title: object = None                          # Text: the title, saying whose view


def _spread(values: list[float], gap: float) -> list[float]:
    """Nudge label heights apart so no two are closer than ``gap`` (data units)."""
    order = sorted(range(len(values)), key=lambda i: values[i])
    out = list(values)
    for before, i in zip(order, order[1:]):
        out[i] = max(out[i], out[before] + gap)
    return out


def _draw_series(ax, key: str, part: pd.DataFrame, artists: RecognitionArtists) -> None:
    withdrawn = key == "serbia_withdrawn"
    color = SERIES_COLORS[key]
    (line,) = ax.plot(part["as_of_date"], part["count"].astype(float), color=color,
                      linestyle="--" if withdrawn else "-", marker="X" if withdrawn else "o",
                      markerfacecolor="white" if withdrawn else color, label=SERIES_LABELS[key])
    (current,) = ax.plot([], [], marker="o", markersize=14, markerfacecolor="none",
                         markeredgecolor=color, markeredgewidth=2.5, linestyle="none")
    artists.lines[key], artists.current[key] = line, current


def draw_recognitions(ax, frame: pd.DataFrame, parts: dict | None = None) -> RecognitionArtists:
    """Draw every series of ``recognitions`` (counts of states against dates) onto ``ax``.

    Fixed limits: x from 2008 to 2026, y from 0 to 130 states. ``parts``: the
    :func:`series_frames` of ``frame`` when already at hand. Returns the artists; the marker
    starts at the end of the last year in the table.
    """
    parts = series_frames(frame) if parts is None else parts
    artists = RecognitionArtists()
    with style.context():
        for key, part in parts.items():
            _draw_series(ax, key, part, artists)
        ends = {k: float(p["count"].iloc[-1]) for k, p in parts.items() if not p.empty}
        ends["majority"] = float(MAJORITY)
        for key, y in zip(ends, _spread(list(ends.values()), gap=12)):
            # labels sit in the right margin, nudged apart, instead of a legend
            text = SHORT_LABELS.get(key, f"{MAJORITY}: over half of the\n{UN_MEMBERS} UN members only")
            label = ax.annotate(text, xy=(1.01, y), xycoords=("axes fraction", "data"),
                                color=SERIES_COLORS.get(key, "#555555"), va="center",
                                fontweight="normal" if key == "majority" else "bold",
                                fontsize="small" if key == "majority" else None,
                                annotation_clip=False)
            if key != "majority":
                artists.labels[key] = label
        artists.majority = ax.axhline(MAJORITY, color=style.OKABE_ITO["grey"], linestyle=":",
                                      linewidth=1.5)
        last = int(frame["as_of_date"].max().year) if len(frame) else X_RANGE[1].year - 1
        artists.marker = ax.axvline(year_end(last), color="#555555", linewidth=1.2)
        artists.marker_label = ax.text(year_end(last), Y_MAX, f"end of {last}", ha="right",
                                       va="top", color="#555555", fontsize="small")
        ax.set_xlim(*X_RANGE)
        ax.set_ylim(0, Y_MAX)
        ax.set_ylabel("Number of states (count)")
        ax.set_xlabel("Date the count refers to (year)")
        artists.title = ax.set_title(VIEWS["neutral"]["title"], loc="left")
        artists.empty = style.empty_message(ax, "No claimant selected: choose one above")
    return artists


def _latest_by_year(parts: dict, years: list[int]) -> dict:
    """{series: {year: DataFrame of the latest claim(s) by the end of that year}}; each year's
    frame is picked out when first asked for, then kept (render only looks up), and shared by
    every year with the same latest date."""
    def latest_of(part: pd.DataFrame) -> widgets.OnDemand:
        dates = sorted(pd.Timestamp(d) for d in part["as_of_date"].dropna().unique())
        at_date: dict = {}

        def at_end_of(year: int) -> pd.DataFrame:
            i = bisect.bisect_right(dates, year_end(year))
            if not i:
                return part.iloc[0:0]
            when = dates[i - 1]
            if when not in at_date:
                at_date[when] = part[part["as_of_date"] == when]
            return at_date[when]

        return widgets.OnDemand(years, at_end_of)

    return {key: latest_of(part) for key, part in parts.items()}


def _phrase(key: str, rows: pd.DataFrame) -> str:
    """'Pristina's latest count: 99 (5 April 2013)' or 'Pristina's ...: none yet'."""
    if rows.empty:
        return f"{CLAIMANT_WORDS[key]}: none in the table yet"
    counts = sorted(int(c) for c in rows["count"])
    value = str(counts[0]) if len(counts) == 1 else " and ".join(map(str, counts))
    first = rows.iloc[0]
    when = data.format_date(first["as_of_date"], first["date_precision"])
    return f"{CLAIMANT_WORDS[key]}: {value} ({when})"


def describe(selected, year: int, latest: dict, view: str = "neutral") -> str:
    """One plain sentence: what each selected claimant said by the end of ``year``; ``view``:
    whose view is drawn (only its series are said)."""
    check_view(view)
    whose = "" if view == "neutral" else f"{VIEWS[view]['label']}. "
    if not selected:
        return f"{whose}No claimant selected, so nothing is drawn for the end of {year}."
    selected = [k for k in selected if k in VIEWS[view]["series"]]
    if not selected:
        shown = " or ".join(SERIES_LABELS[k] for k in VIEWS[view]["series"])
        return (f"{whose}No claimant of this view selected (it draws {shown}), so nothing is "
                f"drawn for the end of {year}.")
    parts = [_phrase(k, latest[k][year]) for k in SERIES if k in selected]
    if view != "neutral":
        return f"{whose}At the end of {year}, " + "; ".join(parts) + "."
    return (f"At the end of {year}, " + "; ".join(parts) + ". The counts differ because the "
            "claimants count different things and disagree about withdrawals.")


def recognition_explorer(frame: pd.DataFrame | None = None,
                         view: str = "neutral") -> widgets.Explorer:
    """Chart of recognition counts per claimant, with claimant toggles, a year slider and a
    view menu.

    The slider (bounded by the years of the table) moves a marker to the end of that year and
    circles each selected claimant's latest count by then; the caption states them in words.
    The view (:data:`VIEWS`) draws the counts as Pristina presents them, as Belgrade presents
    them, or all of them with who claims each; the title says whose view it is.
    """
    check_view(view)
    inputs = (frame, view)
    # (a student's table, copied: the chart may be built later, on the first change)
    frame = data.load("recognitions") if frame is None else frame.copy()
    sources = data.load("sources")
    years = list(range(int(frame["as_of_date"].min().year), int(frame["as_of_date"].max().year) + 1))
    parts = series_frames(frame)
    latest = _latest_by_year(parts, years)  # each year picked out once, when first shown
    controls = {"series": widgets.toggles({SERIES_LABELS[k]: k for k in SERIES}, "Claimant"),
                "year": widgets.year_slider(years, description="Compare at the end of"),
                "view": widgets.dropdown([(VIEWS[v]["label"], v) for v in VIEWS], view,
                                         description="Whose count")}
    controls["series"].layout.width = "560px"
    controls["view"].layout.width = "480px"

    def build() -> widgets.Drawing:
        fig = style.new_figure(10, 5.2)
        with style.context():  # axes made inside the context take the mode's tick and label sizes
            ax = fig.add_axes((0.09, 0.26, 0.64, 0.64))
        artists = draw_recognitions(ax, frame, parts)
        style.add_source(fig, SOURCE + state_media_note(frame, sources))

        def render(values: dict) -> str:
            selected, year, shown = set(values["series"]), int(values["year"]), values["view"]
            check_view(shown)
            artists.title.set_text(VIEWS[shown]["title"])
            drawn = selected & set(VIEWS[shown]["series"])
            for key in SERIES:
                on = key in drawn
                artists.lines[key].set_visible(on)
                if key in artists.labels:
                    artists.labels[key].set_visible(on)
                rows = latest[key][year]
                artists.current[key].set_data(list(rows["as_of_date"]),
                                              [float(c) for c in rows["count"]])
                artists.current[key].set_visible(on and not rows.empty)
            artists.marker.set_xdata([year_end(year)] * 2)
            artists.marker_label.set_x(year_end(year))
            artists.marker_label.set_ha("left" if year < years[0] + 2 else "right")  # stay inside
            artists.marker_label.set_text(f"end of {year}")
            artists.empty.set_visible(not drawn)
            artists.empty.set_text("No claimant selected: choose one above" if not selected else
                                   "This view draws none of the claimants selected")
            return describe(selected, year, latest, shown)

        # what a change redraws: what render() changes, and the majority line drawn over the
        # lines
        dynamic = [*artists.lines.values(), *artists.labels.values(), *artists.current.values(),
                   artists.majority, artists.marker, artists.marker_label, artists.empty]
        return widgets.Drawing(fig, artists, render, dynamic)

    # the title changes only with the view: one background image per view
    return widgets.Explorer(controls, build, ALT, title=TITLE, background_by=("view",),
                            inputs=inputs)


FIGURES = [{
    "slug": "02_recognition_claims", "title": TITLE, "alt": ALT, "source": SOURCE,
    "make": lambda: recognition_explorer().figure,
}]


# ---- lesson 02: the checks of its scaffolded exercises (exercise.py) ----

import numbers  # noqa: E402  (kept with lesson 02's block)

from . import exercise  # noqa: E402


def _is_number(got) -> bool:
    """One plain number (a numpy integer from ``.max()`` counts; True and False do not)."""
    return isinstance(got, numbers.Real) and not isinstance(got, (bool, np.bool_))


def _request_to_opinion(namespace: dict) -> dict:
    """Exercise 02-court-days: days from the General Assembly's request (E008) to the Court's
    opinion (E012), both dated to the day in events.csv; and, to name a common slip, the days
    from the declaration (E006)."""
    dates = data.load("events").set_index("event_id")["date"]
    return {"right": float((dates["E012"] - dates["E008"]).days),
            "from_declaration": float((dates["E012"] - dates["E006"]).days)}


def _court_days(got, expected: dict) -> str | None:
    if _is_number(got):
        if got == expected["from_declaration"] != expected["right"]:
            return (f"`request_to_opinion` is {got:g} days: that counts from the declaration "
                    "(E006). The request is event E008.")
        if got == 0:
            return ("`request_to_opinion` is 0: a Timedelta's length in whole days is `.days` "
                    "(`.seconds` is only the part of a day left over).")
    return exercise.same_number(got, expected["right"], what="request_to_opinion", unit=" days")


def _recognising_gap(namespace: dict) -> dict:
    """Exercise 02-claims-gap: highest minus lowest latest count of states *recognising* Kosovo
    on 30 June 2023 (Belgrade's count of withdrawals is another measure, left out); and the gap
    a student gets when that count is left in."""
    at = claims_at(data.load("recognitions"), "2023-06-30")
    recognising = at[at["series"] != "serbia_withdrawn"]
    return {"right": float(recognising["count"].max() - recognising["count"].min()),
            "with_withdrawn": float(recognising["count"].max() - at["count"].min())}


def _claims_gap(got, expected: dict) -> str | None:
    if _is_number(got) and got == expected["with_withdrawn"] != expected["right"]:
        return (f"`gap` is {got:g}: the lowest count is still Belgrade's count of withdrawals, "
                "which is another measure. Leave out the series `serbia_withdrawn`.")
    return exercise.same_number(got, expected["right"], what="gap", unit=" states")


exercise.register(exercise.Exercise(
    exercise_id="02-court-days",
    variable="request_to_opinion",
    task="make `request_to_opinion`: the number of days from the request (E008) to the "
         "opinion (E012)",
    expected=_request_to_opinion,
    compare=_court_days,
    why="Subtracting the request's date (E008) from the opinion's (E012) gives a Timedelta, and "
        "`.days` is its length in days. Both dates are known to the day, so the count means "
        "something.",
    fills=('"E008"', "days"),
    wrong=((('"E006"', "days"), "counts from the declaration"),
           (('"E008"', "seconds"), "`.days`"),
           (('"E003"', "days"), "too high")),
))

exercise.register(exercise.Exercise(
    exercise_id="02-claims-gap",
    variable="gap",
    task="make `gap`: the highest minus the lowest count of states recognising Kosovo on "
         "30 June 2023, leaving out Belgrade's count of withdrawals",
    expected=_recognising_gap,
    compare=_claims_gap,
    why="The series `serbia_withdrawn` counts something else (recognitions Belgrade says were "
        "withdrawn), so it is left out; the gap is then the highest count minus the lowest. "
        "Look at `as_of`: the counts were made on different dates.",
    fills=('"serbia_withdrawn"', "min"),
    wrong=((('"independent"', "min"), "Leave out the series `serbia_withdrawn`"),
           (('"serbia_withdrawn"', "max"), "too low")),
))
