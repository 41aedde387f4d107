"""Lesson 07: the article's claims and expectations against what happened, as a scoreboard.

Each claim of ``article_claims.csv`` is one square, in the band of its verdict, coloured with
``style.VERDICT_COLORS``. The verdicts drawn are exactly those of the table (nothing is
re-judged here).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import pandas as pd

from . import data, exercise, style, widgets

VERDICTS = list(style.VERDICT_COLORS)  # fixed order: every band is drawn, even an empty one
PER_LINE = 12  # squares per line inside a verdict band
#: Claims that state an expectation about the future without being typed 'prediction': the 2025
#: date and Bosnia's path to NATO (read together with the three predictions).
EXPECTATIONS = ["C05", "C10"]
SOURCE_LINE = ("article_claims.csv (this project): quotes from Samorukov, The Moscow Times, "
               "22 Jan 2019; verdicts against the sources named in each row")


def forward_looking(claims: pd.DataFrame) -> pd.DataFrame:
    """The predictions (claim_kind 'prediction') and the EXPECTATIONS, in reading order."""
    keep = (claims.claim_kind == "prediction") | claims.claim_id.isin(EXPECTATIONS)
    return claims[keep].sort_values("claim_id")


#: Darker shades for the band labels where the verdict colour is too light for text on white.
_LABEL_COLORS = {"partly_holds": "#7a6f00", "unresolved": "#5f5f5f",
                 "rhetorical_premise_checked": "#2d6f99"}


def _text_color(hex_color: str) -> str:
    from matplotlib.colors import to_rgb

    r, g, b = to_rgb(hex_color)
    return "black" if 0.299 * r + 0.587 * g + 0.114 * b > 0.5 else "white"


def band_layout(claims: pd.DataFrame) -> dict:
    """Top y (in square units) and number of lines of each verdict's band, from the full table."""
    counts = claims.verdict.value_counts()
    layout, top = {}, 0.0
    for v in VERDICTS:
        lines = max(1, math.ceil(int(counts.get(v, 0)) / PER_LINE))
        layout[v] = (top, lines)
        top += lines + 0.5  # half a square of air between bands
    return layout


@dataclass
class ScoreArtists:
    """What :func:`draw_scoreboard` drew. ``squares``/``labels`` are keyed by claim id."""

    squares: dict = field(default_factory=dict)
    labels: dict = field(default_factory=dict)
    verdict_of: dict = field(default_factory=dict)
    counts: dict = field(default_factory=dict)
    layout: dict = field(default_factory=dict)
    highlight: object = None
    empty: object = None


def _place(art: ScoreArtists, claim_id: str, i: int) -> None:
    """Put claim ``claim_id`` at position ``i`` (0-based) of its verdict band."""
    top, _ = art.layout[art.verdict_of[claim_id]]
    x, y = i % PER_LINE, top + i // PER_LINE
    art.squares[claim_id].set_xy((x + 0.05, y + 0.05))
    art.labels[claim_id].set_position((x + 0.5, y + 0.5))


def draw_scoreboard(ax, claims: pd.DataFrame, title: str = "") -> ScoreArtists:
    """Draw one square per claim in its verdict's band onto ``ax``; return the artists.

    x: position in the band (squares, left to right in claim order); y: verdict bands top to
    bottom in VERDICTS order, each labelled with its name and the number of claims it holds.
    """
    import matplotlib
    from matplotlib.patches import Rectangle

    art = ScoreArtists(layout=band_layout(claims))
    with style.context():
        small = matplotlib.rcParams["font.size"] * 0.72
        ordered = claims.sort_values("claim_id")
        for claim_id, verdict in zip(ordered.claim_id, ordered.verdict):
            color = style.VERDICT_COLORS[verdict]
            art.verdict_of[claim_id] = verdict
            art.squares[claim_id] = ax.add_patch(
                Rectangle((0, 0), 0.9, 0.9, facecolor=color, edgecolor="none"))
            art.labels[claim_id] = ax.text(0, 0, claim_id, ha="center", va="center",
                                           fontsize=small, color=_text_color(color))
        for v, (top, lines) in art.layout.items():
            art.counts[v] = ax.text(-0.3, top + lines / 2, "", ha="right", va="center",
                                    color=_LABEL_COLORS.get(v, style.VERDICT_COLORS[v]),
                                    fontweight="bold")
        art.highlight = ax.add_patch(Rectangle((0, 0), 0.9, 0.9, fill=False, edgecolor="black",
                                               linewidth=3, visible=False, zorder=5))
        bottom = max(top + lines for top, lines in art.layout.values())
        ax.set_xlim(0, PER_LINE)
        ax.set_ylim(bottom + 0.1, -0.1)
        ax.set_yticks([])
        ax.set_xticks([])
        ax.grid(False)
        for side in ("left", "bottom"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("One square per claim of the article (labelled with its claim id)",
                      fontsize=small / 0.72 * 0.85)
        ax.set_title(title or "How the article's claims stand, by verdict")
        art.empty = style.empty_message(ax, "No claim matches this filter")
    update_scoreboard(art, list(art.squares))
    return art


def update_scoreboard(art: ScoreArtists, shown, selected: str | None = None) -> None:
    """Show only the claims in ``shown`` (packed from the left of each band); outline ``selected``."""
    shown = set(shown)
    used = {v: 0 for v in VERDICTS}
    for claim_id in sorted(art.squares):
        visible = claim_id in shown
        art.squares[claim_id].set_visible(visible)
        art.labels[claim_id].set_visible(visible)
        if visible:
            verdict = art.verdict_of[claim_id]
            _place(art, claim_id, used[verdict])
            used[verdict] += 1
    for v, text in art.counts.items():
        text.set_text(f"{style.VERDICT_LABELS[v]}: {used[v]}")
    art.empty.set_visible(not shown)
    if selected in shown:
        art.highlight.set_xy(art.squares[selected].get_xy())
        art.highlight.set_visible(True)
    else:
        art.highlight.set_visible(False)


def describe_claim(c: pd.Series, sources: pd.DataFrame) -> str:
    """The selected claim in words: quote, claimed value, recorded value, verdict and source."""
    src = sources.set_index("source_id").loc[c.record_source_id]
    media = " (state-affiliated media)" if src["kind"] == "state_affiliated_media" else ""
    return (f"{c.claim_id} (paragraph {c.paragraph}, {c.claim_kind}): the article says "
            f"“{c.quote}”; claimed: {c.claimed_value}; recorded: {c.recorded_value}; verdict: "
            f"{style.VERDICT_LABELS[c.verdict]}; source: {src['publisher']}{media}, "
            f"“{src['title']}”.")


def describe(shown: pd.DataFrame, total: int, kinds, paragraphs, selected: str,
             claim_text: str) -> str:
    """The filter and its result in words, then the selected claim (or why it is not shown)."""
    span = f"paragraphs {paragraphs[0]}–{paragraphs[1]}"
    if not kinds or shown.empty:
        head = f"No claim matches (kinds: {', '.join(kinds) or 'none'}; {span})"
    else:
        tally = shown.verdict.value_counts()
        parts = [f"{int(tally[v])} {style.VERDICT_LABELS[v]}" for v in VERDICTS if tally.get(v, 0)]
        head = f"{len(shown)} of {total} claims shown ({span}): " + ", ".join(parts)
    if selected not in set(shown.claim_id):
        return f"{head}. The chosen claim {selected} is outside this filter."
    return f"{head}. {claim_text}"


def scoreboard_explorer(claims: pd.DataFrame | None = None, selected: str = "C07") -> widgets.Explorer:
    """Filter the claims by kind and paragraph; read the selected claim in words."""
    inputs = (claims, selected)
    claims = (data.load("article_claims") if claims is None else claims).sort_values("claim_id")
    sources = data.load("sources")
    by_id = claims.set_index("claim_id", drop=False)
    # each claim's sentence, written the first time it is chosen
    texts = widgets.OnDemand(claims.claim_id, lambda i: describe_claim(by_id.loc[i], sources))
    kinds = [k for k in claims.claim_kind.cat.categories if (claims.claim_kind == k).any()]
    first, last = int(claims.paragraph.min()), int(claims.paragraph.max())
    controls = {
        "kinds": widgets.toggles({k: k for k in kinds}, "Claim kind"),
        "paragraphs": widgets.year_range_slider(first, last, description="Paragraphs"),
        "claim": widgets.dropdown([(f"{i} · ¶{p} · {v[:60]}", i) for i, p, v in
                                   zip(claims.claim_id, claims.paragraph, claims.claimed_value)],
                                  value=selected, description="Claim"),
    }

    def build() -> widgets.Drawing:
        fig = style.new_figure(9.5, 5.6)
        with style.context():
            ax = fig.add_axes((0.33, 0.13, 0.65, 0.78))
        art = draw_scoreboard(ax, claims)
        style.add_source(fig, SOURCE_LINE)

        def render(v: dict) -> str:
            lo, hi = v["paragraphs"]
            shown = claims[claims.claim_kind.isin(list(v["kinds"]))
                           & claims.paragraph.between(lo, hi)]
            update_scoreboard(art, shown.claim_id, v["claim"])
            return describe(shown, len(claims), list(v["kinds"]), (lo, hi), v["claim"],
                            texts[v["claim"]])

        dynamic = [*art.squares.values(), *art.labels.values(), *art.counts.values(),
                   art.highlight, art.empty]
        return widgets.Drawing(fig, art, render, dynamic)

    alt = (f"{len(VERDICTS)} bands, one per verdict ({', '.join(style.VERDICT_LABELS.values())}; "
           "each defined in verdicts.csv), each with one coloured square per claim of the "
           "article and the number of claims it holds; the chosen claim is outlined in black.")
    return widgets.Explorer(controls, build, alt, title="Scoreboard: the article's claims",
                            inputs=inputs)


FIGURES = [{
    "slug": "07_scoreboard",
    "title": "How the article's claims stand",
    "alt": (f"One square per claim of the article in {len(VERDICTS)} verdict bands (one per "
            "verdict defined in verdicts.csv), with the number of claims per verdict, as recorded "
            "in article_claims.csv."),
    "source": SOURCE_LINE,
    "make": lambda: scoreboard_explorer().figure,
}]


# ---- lesson 07's exercises (exercise.py): checked against the data when they run ----

def _albania_years(namespace: dict) -> pd.DataFrame:
    """Exercise 07-albania's answer: claim C11 with the calendar years between the claimed and
    the recorded date (from article_claims.csv)."""
    claims = data.load("article_claims")
    c11 = claims[claims["claim_id"] == "C11"]
    return c11.assign(years_late=c11["recorded_date"].dt.year - c11["claimed_date"].dt.year)


def _check_albania_years(got, expected: pd.DataFrame) -> str | None:
    """The row C11, and its ``years_late`` as a plain number in the reason a student reads."""
    reason = exercise.same_frame(got, expected, key="claim_id", what="`c11`")
    if reason:
        return reason
    if "years_late" not in got.columns:
        return "`c11` has no column `years_late`: add it with `.assign(years_late=...)`."
    value, right = got["years_late"].tolist()[0], expected["years_late"].tolist()[0]
    if value != right:
        return (f"`years_late` is {value}, which is not the recorded year minus the claimed "
                "year: take `.dt.year` of both dates.")
    return None


def _against_thesis(namespace: dict) -> pd.DataFrame:
    """Exercise 07-against's answer: the rows of thesis_tests.csv judged against the thesis."""
    tests = data.load("thesis_tests")
    return tests[tests["judgement"] == "against_thesis"]


exercise.register(exercise.Exercise(
    exercise_id="07-albania",
    variable="c11",
    task="make `c11`: claim C11 with a column `years_late`, the recorded year minus the "
         "claimed year",
    expected=_albania_years,
    compare=_check_albania_years,
    why="`.dt.year` takes the year of each date; the claim names only a year, so the honest "
        "difference is counted in calendar years, not in days.",
    fills=('"C11"', "year"),
    wrong=((('"C11"', "month"), "`years_late`"),
           (('"C10"', "year"), "check your filter")),
))

exercise.register(exercise.Exercise(
    exercise_id="07-against",
    variable="against",
    task="make `against`: the rows of `tests` whose judgement is against the thesis (its code "
         "is in the `judgement` column)",
    expected=_against_thesis,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="test_id", columns=["area"], ordered=False, what="`against`"),
    why="`value_counts()` counts the rows per judgement, and the mask keeps the ones our "
        "judgement calls against the thesis; whether you agree with each is the written part.",
    fills=('"against_thesis"',),
    wrong=((('"fits_thesis"',), "check your filter"),
           (('"against the thesis"',), "capitals and underscores")),
))
