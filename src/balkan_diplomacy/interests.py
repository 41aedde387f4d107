"""Lesson 06: who wants what, and who gains or loses under the status quo or a settlement.

The table ``interests.csv`` holds one point per row, each attributed: either the article's author
('Samorukov (the article's argument)', tied to a claim id) or an actor's own stated position (or
the record), tied to a source. The chart is a matrix of actors (rows) by wants/gains/loses/record
(columns, the table's classification, not the speaker's word); each cell names the rows (ids) of
the chosen scenario, the author's, the actors' own and our readings apart, and under the chart the
explorer prints every point of the chosen actors in full, as evidence cards with their attribution
and source: the material of the lesson's debate.
"""

from __future__ import annotations

import html
import re
from collections import Counter
from itertools import product
from dataclasses import dataclass, field

import ipywidgets
import pandas as pd

from . import data, exercise, style, widgets

ACTORS = ["Belgrade", "Pristina", "Moscow", "Brussels", "Washington"]
#: How an actor is written on charts and in captions: both forms of the capital's name.
ACTOR_NAMES = {a: ("Priština/Prishtina" if a == "Pristina" else a) for a in ACTORS}
#: A row is a goal (wants), a stake in the scenario (gains, loses), or a fact on record that bears
#: on the actor's position without being any of these (record), as datapackage.json defines them.
ASPECTS = ["wants", "gains", "loses", "record"]
SCENARIOS = {"status_quo": "Status quo (no settlement)", "settlement": "A settlement"}
VIEWS = {"all": "Everyone", "article": "Only the article's argument",
         "own": "Only the actors' own positions and the record"}
ARTICLE = "Samorukov (the article's argument)"
#: Words that say a row is a reading by whoever wrote the row (a student, the table's authors),
#: not the words of the author or of an actor: "Our reading of ...", "My inference from ...".
_READING = re.compile(r"\b(our|my|mine|reading|inference)\b", re.IGNORECASE)
#: Who could be taken for the speaker of a row about Belgrade (checked outside a "not ..." clause).
_SPEAKERS = re.compile(r"belgrade|serbia|vu[čc]i[ćc]|government|president|assembly|minister"
                       r"|stated position", re.IGNORECASE)
#: A constitution is a text, not a speaker: "our reading of Serbia's Constitution" names no one.
_TEXTS = re.compile(r"serbia's constitution|constitution of serbia", re.IGNORECASE)


def names_a_speaker(attributed_to: str) -> bool:
    """True if ``attributed_to`` names a government, leader or stated position as the speaker
    (a name after "not", as in "(not Belgrade's words)", says who did NOT say it)."""
    said = re.split(r"\bnot\b", attributed_to, maxsplit=1, flags=re.IGNORECASE)[0]
    return bool(_SPEAKERS.search(_TEXTS.sub("", said)))


def whose(attributed_to: str) -> str:
    """'article' (the author's argument), 'ours' (a reading by whoever wrote the row, e.g. "Our
    reading of the Constitution") or 'own' (an actor's own stated position, or the record)."""
    if attributed_to == ARTICLE:
        return "article"
    if _READING.search(attributed_to) and not names_a_speaker(attributed_to):
        return "ours"
    return "own"
#: Capitals stand for governments; each keeps its country's colour from style.ACTOR_COLORS.
ACTOR_COLOR = {"Belgrade": style.ACTOR_COLORS["Serbia"], "Pristina": style.ACTOR_COLORS["Kosovo"],
               "Moscow": style.ACTOR_COLORS["Russia"], "Brussels": style.ACTOR_COLORS["EU"],
               "Washington": style.ACTOR_COLORS["USA"]}
SOURCE_LINE = ("interests.csv (this project), built from Samorukov, The Moscow Times, 22 Jan 2019, "
               "and the actors' own statements listed in sources.csv")


def select(frame: pd.DataFrame, scenario: str, view: str = "all") -> pd.DataFrame:
    """Rows that apply to ``scenario`` (its own rows plus the 'any' goals), seen from ``view``.

    ``view`` is 'all', 'article' (only the author's argument) or 'own' (the actors' own stated
    positions and the record; a row that is our reading, see :func:`whose`, is in neither).
    """
    rows = frame[frame.scenario.isin([scenario, "any"])]
    if view in ("article", "own"):
        rows = rows[rows.attributed_to.map(whose) == view]
    return rows


def cell_counts(rows: pd.DataFrame) -> pd.DataFrame:
    """Points per actor and aspect: one row per (actor, aspect) in ACTORS x ASPECTS order.

    Columns: actor, aspect, article (count of the author's points), own (the actor's own stated
    positions and the record), ours (readings by whoever wrote the row, e.g. "Our reading of the
    Constitution": not the actor's words), total.
    """
    counts = {"article": Counter(), "own": Counter(), "ours": Counter()}
    for actor, aspect, who in zip(rows.actor, rows.aspect, rows.attributed_to):
        counts[whose(who)][(actor, aspect)] += 1
    counted = pd.DataFrame([(a, p, counts["article"][(a, p)], counts["own"][(a, p)],
                             counts["ours"][(a, p)]) for a in ACTORS for p in ASPECTS],
                           columns=["actor", "aspect", "article", "own", "ours"])
    counted = counted.astype({"actor": rows.actor.dtype, "aspect": rows.aspect.dtype})
    counted["total"] = counted.article + counted.own + counted.ours
    return counted


@dataclass
class MatrixArtists:
    """What :func:`draw_matrix` drew: one box and one text per (actor, aspect)."""

    boxes: dict = field(default_factory=dict)
    texts: dict = field(default_factory=dict)
    row_labels: dict = field(default_factory=dict)
    highlight: object = None
    title: object = None
    empty: object = None


def cell_ids(rows: pd.DataFrame) -> dict:
    """(actor, aspect) -> (ids of the author's points, ids of the actor's own positions and the
    record, ids of our readings), in row order."""
    ids = {(a, p): ([], [], []) for a in ACTORS for p in ASPECTS}
    slot = {"article": 0, "own": 1, "ours": 2}
    for rid, actor, aspect, who in zip(rows.row_id, rows.actor, rows.aspect, rows.attributed_to):
        ids[(actor, aspect)][slot[whose(who)]].append(rid)
    return ids


def _cells(counts: pd.DataFrame):
    """(actor, aspect, article, own, ours, total) of each row of ``counts``, as plain values."""
    return zip(counts.actor, counts.aspect, counts.article.tolist(), counts.own.tolist(),
               counts.ours.tolist(), counts.total.tolist())


def _id_lines(label: str, ids: list) -> list:
    # three ids a line keeps every cell inside its box
    return [f"{label} " + " ".join(ids[i:i + 3]) for i in range(0, len(ids), 3)]


def _cell_text(article, own, ours=()) -> str:
    """The row ids of a cell: the author's after 'article', the actor's own and the record's after
    'own', our readings after 'ours'; '–' if none.

    ``article``, ``own`` and ``ours`` are lists of row ids (or, as before, counts)."""
    if isinstance(article, int):
        article, own, ours = [""] * article, [""] * own, [""] * (ours or 0)
    lines = [line for label, ids in (("article", article), ("own", own), ("ours", ours)) if ids
             for line in _id_lines(label, list(ids))]
    return "\n".join(lines) if lines else "–"


def _shade(actor: str, total: int) -> tuple:
    """The actor's colour mixed with white: stronger with more points, never so dark that black
    text is hard to read. Opaque (no alpha), which keeps the PNG fast to draw."""
    from matplotlib.colors import to_rgb

    weight = 0.0 if total == 0 else min(0.18 + 0.14 * total, 0.6)
    return tuple(1 - weight + weight * c for c in to_rgb(ACTOR_COLOR[actor]))


def draw_matrix(ax, counts: pd.DataFrame, title: str = "", ids: dict | None = None) -> MatrixArtists:
    """Draw the actors x aspects matrix of ``counts`` (from :func:`cell_counts`) onto ``ax``.

    Rows are ACTORS top to bottom, columns ASPECTS; each cell is a box coloured by the actor
    (stronger with more points) with a text naming its rows (``ids`` from :func:`cell_ids`, by
    attribution). Returns the artists.
    """
    import matplotlib
    from matplotlib.patches import Rectangle

    art = MatrixArtists()
    with style.context():
        for actor, aspect, article, own, ours, total in _cells(counts):
            x, y = ASPECTS.index(aspect), ACTORS.index(actor)
            box = Rectangle((x + 0.03, y + 0.05), 0.94, 0.9,
                            facecolor=_shade(actor, total), edgecolor="none")
            ax.add_patch(box)
            art.boxes[(actor, aspect)] = box
            art.texts[(actor, aspect)] = ax.text(
                x + 0.5, y + 0.5,
                _cell_text(*ids[(actor, aspect)]) if ids else _cell_text(article, own, ours),
                ha="center", va="center", linespacing=1.2,
                fontsize=matplotlib.rcParams["font.size"] * 0.8)
        art.highlight = Rectangle((0.03, 0.05), 0.94, 0.9, fill=False, edgecolor="black",
                                  linewidth=3, visible=False)
        ax.add_patch(art.highlight)
        for y, actor in enumerate(ACTORS):
            art.row_labels[actor] = ax.text(-0.06, y + 0.5, ACTOR_NAMES[actor], ha="right",
                                            va="center",
                                            color=ACTOR_COLOR[actor], fontweight="bold")
        ax.set_xlim(0, len(ASPECTS))
        ax.set_ylim(len(ACTORS), 0)  # first actor on top
        ax.set_xticks([i + 0.5 for i in range(len(ASPECTS))], [a.capitalize() for a in ASPECTS])
        ax.xaxis.tick_top()
        ax.tick_params(axis="x", length=0, labelsize=matplotlib.rcParams["axes.labelsize"])
        ax.set_yticks([])
        ax.grid(False)
        for side in ("left", "bottom", "top", "right"):
            ax.spines[side].set_visible(False)
        ax.set_xlabel("Rows of interests.csv in each cell: 'article' = the author's argument,\n"
                      "'own' = the actor's own stated position or the record, 'ours' = our "
                      "reading\n(the aspect is the table's classification; full text below)",
                      fontsize=matplotlib.rcParams["font.size"] * 0.85)
        art.title = ax.set_title(title, pad=34)
        art.empty = style.empty_message(ax, "No actor selected: choose at least one")
    return art


def update_matrix(art: MatrixArtists, counts: pd.DataFrame, actors, selected=None,
                  ids: dict | None = None) -> None:
    """Show ``counts`` (and the row ``ids``) for the chosen ``actors`` only; outline the
    ``selected`` (actor, aspect)."""
    shown = set(actors)
    for actor, aspect, article, own, ours, total in _cells(counts):
        key = (actor, aspect)
        visible = actor in shown
        art.boxes[key].set_facecolor(_shade(actor, total))
        art.boxes[key].set_visible(visible)
        art.texts[key].set_text(_cell_text(*ids[key]) if ids else _cell_text(article, own, ours))
        art.texts[key].set_visible(visible)
    for actor, label in art.row_labels.items():
        label.set_alpha(1.0 if actor in shown else 0.3)
    art.empty.set_visible(not shown)
    if selected and selected[0] in shown:
        art.highlight.set_xy((ASPECTS.index(selected[1]) + 0.03, ACTORS.index(selected[0]) + 0.05))
        art.highlight.set_visible(True)
    else:
        art.highlight.set_visible(False)


def details_html(rows: pd.DataFrame, sources: pd.DataFrame) -> str:
    """The points of one cell as an HTML list: statement, whose view, claim id, linked source."""
    if rows.empty:
        return "<i>No point is recorded for this cell in this view.</i>"
    by_id = sources.set_index("source_id")
    items = []
    for _, r in rows.iterrows():
        rid = f"<code>{html.escape(r.row_id)}</code> " if "row_id" in rows else ""
        src = by_id.loc[r.source_id]
        claim = f" (claim {r.claim_id})" if pd.notna(r.claim_id) else ""
        media = " [state-affiliated media]" if src["kind"] == "state_affiliated_media" else ""
        items.append(f"<li>{rid}{html.escape(r.statement)} <b>— {html.escape(r.attributed_to)}"
                     f"{claim}</b>; source: <a href=\"{html.escape(src['url'])}\" target=\"_blank\" "
                     f"rel=\"noopener\">{html.escape(src['publisher'])}</a>{media}</li>")
    return "<ul style='margin:0'>" + "".join(items) + "</ul>"


def card_groups(rows: pd.DataFrame, sources: pd.DataFrame) -> dict:
    """(actor, aspect) -> the HTML list of that cell's points (only cells that have points)."""
    return {(a, p): details_html(group, sources)
            for (a, p), group in rows.groupby(["actor", "aspect"], observed=True, sort=False)}


def cards_html(groups: dict, actors, cell) -> str:
    """Every point of the chosen ``actors`` as evidence cards, grouped by actor and aspect (from
    :func:`card_groups`): full statement, whose view, claim id and linked source. The chosen
    ``cell`` (actor, aspect) is marked; if it holds no point, a line says so first."""
    parts = []
    actor, aspect = cell
    if actor in actors and (actor, aspect) not in groups:
        parts.append(f"<p><i>No point is recorded for {html.escape(ACTOR_NAMES[actor])} · "
                     f"{aspect} in this view.</i></p>")
    for a in ACTORS:
        if a not in actors:
            continue
        for p in ASPECTS:
            if (a, p) not in groups:
                continue
            mark = " style='background:#fff3b0'" if (a, p) == tuple(cell) else ""
            parts.append(f"<div{mark}><b style='color:{ACTOR_COLOR[a]}'>"
                         f"{html.escape(ACTOR_NAMES[a])}</b> · <b>{p}</b>"
                         + groups[(a, p)] + "</div>")
    if not parts:
        return "<i>No actor selected: choose at least one to read its points.</i>"
    return "".join(parts)


def describe(counts: pd.DataFrame, scenario: str, view: str, actors, cell) -> str:
    """One plain-text sentence saying what the matrix shows and what the chosen cell holds."""
    if not actors:
        return (f"{SCENARIOS[scenario]}, {VIEWS[view].lower()}: no actor is selected, so the "
                "matrix is empty; choose at least one actor.")
    shown = counts[counts.actor.isin(actors)]
    head = (f"{SCENARIOS[scenario]}, {VIEWS[view].lower()}: {int(shown.total.sum())} points for "
            f"{', '.join(ACTOR_NAMES[a] for a in ACTORS if a in actors)}")
    actor, aspect = cell
    name = ACTOR_NAMES[actor]
    if actor not in actors:
        return f"{head}; the chosen cell ({name} · {aspect}) is hidden because {name} is not selected."
    c = counts[(counts.actor == actor) & (counts.aspect == aspect)].iloc[0]
    ours = f", {int(c.ours)} our reading(s), not {name}'s words" if c.ours else ""
    return (f"{head}; what {name} {aspect}: {int(c.total)} point(s), {int(c.article)} from the "
            f"article's argument and {int(c.own)} from {name}'s own stated positions or the record"
            f"{ours} (their full text is below the chart, with the other points of the chosen "
            "actors).")


def interests_explorer(frame: pd.DataFrame | None = None) -> widgets.Explorer:
    """Compare the actors under the status quo and a settlement; read every point of the chosen
    actors in full under the chart (evidence cards for the debate)."""
    inputs = (frame,)
    # (a student's table, copied: the chart may be built later, on the first change)
    frame = data.load("interests") if frame is None else frame.copy()
    sources = data.load("sources")
    # each scenario x view's rows and counts, and each cell's text, when first asked for
    selections = list(product(SCENARIOS, VIEWS))
    chosen = widgets.OnDemand(selections, lambda key: select(frame, *key))
    counted = widgets.OnDemand(selections, lambda key: cell_counts(chosen[key]))
    ids = widgets.OnDemand(selections, lambda key: cell_ids(chosen[key]))
    # each scenario x view's cards, as HTML per cell, written the first time it is chosen
    groups = widgets.OnDemand(selections, lambda key: card_groups(chosen[key], sources))
    controls = {
        "actors": widgets.toggles({ACTOR_NAMES[a]: a for a in ACTORS}, "Actors"),
        "scenario": widgets.dropdown([(v, k) for k, v in SCENARIOS.items()], description="Scenario"),
        "view": widgets.dropdown([(v, k) for k, v in VIEWS.items()], description="Whose view"),
        "cell": widgets.dropdown([(f"{ACTOR_NAMES[a]} · {p}", (a, p)) for a in ACTORS
                                  for p in ASPECTS],
                                 value=("Moscow", "gains"), description="Read the cell"),
    }
    details = ipywidgets.HTML(layout={"width": style.image_width()})

    def build() -> widgets.Drawing:
        fig = style.new_figure(9.5, 6.4)
        with style.context():  # the axes take the mode's tick and label sizes
            # room for "Priština/Prishtina" (projector too)
            ax = fig.add_axes((0.25, 0.17, 0.72, 0.65))
        art = draw_matrix(ax, counted[("status_quo", "all")], ids=ids[("status_quo", "all")])
        style.add_source(fig, SOURCE_LINE)

        def render(v: dict) -> str:
            now = counted[(v["scenario"], v["view"])]
            key = (v["scenario"], v["view"])
            update_matrix(art, now, v["actors"], v["cell"], ids[key])
            art.title.set_text(f"Who wants what: {SCENARIOS[v['scenario']].lower()}")
            details.value = (f"<b>Evidence cards: {html.escape(SCENARIOS[v['scenario']].lower())}, "
                             f"{html.escape(VIEWS[v['view']].lower())}</b>"
                             + cards_html(groups[key], v["actors"], v["cell"]))
            return describe(now, v["scenario"], v["view"], v["actors"], v["cell"])

        return widgets.Drawing(fig, art, render)

    alt = ("A grid with five actors as rows (Belgrade, Priština/Prishtina, Moscow, Brussels, Washington) and "
           "four columns (wants, gains, loses, and facts on record); each cell names the rows "
           "recorded for the "
           "chosen scenario, the article's argument apart from the actor's own positions; the "
           "full text of every point of the chosen actors is listed under the chart.")
    explorer = widgets.Explorer(controls, build, alt, title="Interests and leverage",
                                inputs=inputs, outputs=[details])
    explorer.details = details
    explorer.children = tuple(explorer.children) + (details,)
    return explorer


FIGURES = [{
    "slug": "06_interests_matrix",
    "title": "Who wants what: the status quo",
    "alt": ("Matrix of five actors by wants, gains, loses and facts on record under the status "
            "quo, naming the rows from the article's argument and from the actors' own stated "
            "positions."),
    "source": SOURCE_LINE,
    "make": lambda: interests_explorer().figure,
}]


# ---- lesson 06's exercises (exercise.py): checked against interests.csv when they run ----

def _settlement_losses(namespace: dict) -> pd.DataFrame:
    """Exercise 06-losses' answer: the rows about what an actor loses under a settlement."""
    table = data.load("interests")
    return table[(table["scenario"] == "settlement") & (table["aspect"] == "loses")]


def _added_row_facts(namespace: dict) -> dict:
    """What exercise 06-add's ``bigger`` must show: one row more than interests.csv, and the
    source ids a new row may cite."""
    return {"rows": len(data.load("interests")) + 1,
            "sources": set(data.load("sources")["source_id"])}


def _check_added_row(got, expected: dict) -> str | None:
    if not isinstance(got, pd.DataFrame):
        return f"`bigger` should be a pandas DataFrame, but it is {type(got).__name__}."
    if len(got) != expected["rows"]:
        return (f"`bigger` has {len(got)} rows, but the table with one new row has "
                f"{expected['rows']}: concatenate `table` and `new` once each.")
    added = got[got["row_id"] == "I99"] if "row_id" in got.columns else got.head(0)
    if len(added) != 1:
        return "`bigger` has no row I99: add `new` to the table with `pd.concat`."
    row = added.iloc[0]
    if row["aspect"] != "loses":
        return (f"the new row's aspect is {row['aspect']!r}, but the exercise asks what Belgrade "
                "loses under a settlement: the aspect must be 'loses'.")
    who = row["attributed_to"]
    if not isinstance(who, str) or not who.strip():
        return "the new row's `attributed_to` is empty: every row must say whose view it is."
    if who == ARTICLE or "samorukov" in who.lower():
        return ("the new row says it is the article's argument, but Samorukov did not write it: "
                "say whose reading it is (here, ours).")
    if names_a_speaker(who):
        return (f"the new row is attributed to {who!r}, but Belgrade never said this: the "
                "Constitution does not speak of recognition, so the row is our reading of it; "
                "say whose reading it is, e.g. 'Our reading of the Constitution of 2006'.")
    if whose(who) != "ours":
        return (f"the new row is attributed to {who!r}, which does not say whose reading it is: "
                "name it, e.g. 'Our reading of the Constitution of 2006 (not Belgrade's words)'.")
    if row["source_id"] not in expected["sources"]:
        return (f"the new row's source_id {row['source_id']!r} is not in data/sources.csv: "
                "cite a source that is.")
    return None


exercise.register(exercise.Exercise(
    exercise_id="06-losses",
    variable="losses",
    task="make `losses`: the rows of `table` about what an actor loses under a settlement",
    expected=_settlement_losses,
    compare=lambda got, expected: exercise.same_frame(
        got, expected, key="row_id", columns=["actor"], ordered=False, what="`losses`"),
    why="The two conditions keep the settlement's losses; the crosstab of actor by view then "
        "shows whose words each loss is in, which the crosstab of the whole table could not.",
    fills=('"settlement"', '"loses"'),
    wrong=((('"status_quo"', '"loses"'), "check your filter"),
           (('"settlement"', '"gains"'), "check your filter")),
))

exercise.register(exercise.Exercise(
    exercise_id="06-add",
    variable="bigger",
    task="make `bigger`: the table with one new row, I99, saying what Belgrade loses under a "
         "settlement, whose view it is, and a source from data/sources.csv",
    expected=_added_row_facts,
    compare=_check_added_row,
    why="The new row names its aspect, whose view it is and its source: a reader can tell it "
        "from the author's argument and from Belgrade's own words, and check it.",
    fills=('"loses"', '"Our reading of the Constitution of 2006 (not Belgrade\'s words)"'),
    wrong=((('"gains"', '"Our reading of the Constitution of 2006"'), "must be 'loses'"),
           (('"loses"', '""'), "is empty"),
           (('"loses"', "interests.ARTICLE"), "Samorukov did not write it"),
           (('"loses"', '"Belgrade"'), "Belgrade never said this"),
           (('"loses"', '"Vučić"'), "Belgrade never said this"),
           (('"loses"', '"Government of Serbia (stated position)"'), "Belgrade never said this"),
           (('"loses"', '"Belgrade\'s reading"'), "Belgrade never said this"),
           (('"loses"', '"x"'), "say whose reading it is"),
           (('"loses"', '"me"'), "say whose reading it is")),
))
