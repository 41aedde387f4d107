"""Lesson 06: the interests table, the matrix drawing and the explorer."""

import itertools
import re

import pandas as pd
import pytest

from balkan_diplomacy import data, interests, style


@pytest.fixture(scope="module")
def table():
    return data.load("interests")


def test_every_row_is_attributed_and_article_rows_have_a_claim(table):
    article = table[table.attributed_to == interests.ARTICLE]
    assert (article.source_id == "samorukov-2019").all()
    assert article.claim_id.notna().all()
    assert set(article.actor) >= {"Belgrade", "Moscow", "Brussels", "Washington"}
    # Pristina is absent from the article's argument: its rows are its own or the record
    assert "Pristina" not in set(article.actor)
    assert len(table[table.actor == "Pristina"]) >= 3
    for actor in interests.ACTORS:
        own = table[(table.actor == actor) & (table.attributed_to != interests.ARTICLE)]
        assert len(own) >= 1, actor


def test_state_media_rows_say_so(table):
    kinds = data.load("sources").set_index("source_id").kind
    for _, row in table.iterrows():
        if kinds[row.source_id] == "state_affiliated_media":
            assert "state" in row.statement.lower() or "state" in row.attributed_to.lower()


def test_cell_counts_match_pandas(table):
    rows = interests.select(table, "settlement")
    counts = interests.cell_counts(rows)
    assert len(counts) == len(interests.ACTORS) * len(interests.ASPECTS) == 20
    moscow_loses = counts.query("actor == 'Moscow' and aspect == 'loses'").iloc[0]
    expected = table[(table.actor == "Moscow") & (table.aspect == "loses")
                     & table.scenario.isin(["settlement", "any"])]
    assert moscow_loses.total == len(expected)
    assert moscow_loses.article == (expected.attributed_to == interests.ARTICLE).sum()


def test_draw_matrix(table):
    fig = style.new_figure()
    ax = fig.add_subplot()
    counts = interests.cell_counts(interests.select(table, "status_quo"))
    art = interests.draw_matrix(ax, counts, "t")
    assert len(art.boxes) == len(art.texts) == 20  # 5 actors x 4 aspects
    assert len(ax.patches) == 21  # 20 cells + the highlight outline
    assert art.texts[("Washington", "loses")].get_text() == "–"
    c = counts.query("actor == 'Moscow' and aspect == 'gains'").iloc[0]
    assert art.texts[("Moscow", "gains")].get_text() == \
        "\n".join(["article " + " ".join([""] * c.article), "own " + " ".join([""] * c.own)])
    ids = interests.cell_ids(interests.select(table, "status_quo"))
    named = interests.draw_matrix(style.new_figure().add_subplot(), counts, "t", ids)
    moscow = table[(table.actor == "Moscow") & (table.aspect == "gains")
                   & table.scenario.isin(["status_quo", "any"])]
    text = named.texts[("Moscow", "gains")].get_text()
    assert sorted(re.findall(r"I\d\d", text)) == sorted(moscow.row_id)
    assert named.texts[("Washington", "loses")].get_text() == "–"
    assert art.row_labels["Pristina"].get_color() == style.ACTOR_COLORS["Kosovo"]
    assert art.title.get_text() == "t"


def _visible_total(explorer):
    """Rows named in the visible cells (each cell lists its row ids)."""
    return sum(len(re.findall(r"\bI\d\d\b", text.get_text()))
               for text in explorer.artists.texts.values() if text.get_visible())


def test_explorer_every_state(table, no_png):
    ex = interests.interests_explorer()
    assert ex.last_error is None
    seen = set()
    subsets = [()] + [tuple(c) for n in (1, 2, 5) for c in itertools.combinations(interests.ACTORS, n)]
    for scenario, view in itertools.product(interests.SCENARIOS, interests.VIEWS):
        ex.controls["scenario"].value = scenario
        ex.controls["view"].value = view
        rows = interests.select(table, scenario, view)
        for actors in subsets:
            ex.controls["actors"].value = actors
            assert ex.last_error is None
            assert ex.artists.empty.get_visible() == (not actors)
            assert _visible_total(ex) == rows.actor.isin(actors).sum()
            # the cards under the chart give every chosen actor's points in full, no others
            shown = rows[rows.actor.isin(actors)]
            assert sorted(re.findall(r"<code>(I\d\d)</code>", ex.details.value)) == \
                sorted(shown.row_id)
            seen.add(ex.caption.value)
    for cell in [o[1] for o in ex.controls["cell"].options]:
        ex.controls["cell"].value = cell
        assert ex.last_error is None
        assert interests.ACTOR_NAMES[cell[0]] in ex.caption.value and cell[1] in ex.caption.value
    assert len(seen) > 20


def test_explorer_details_show_attribution(table):
    ex = interests.interests_explorer()
    ex.controls["scenario"].value = "status_quo"
    ex.controls["view"].value = "all"
    ex.controls["actors"].value = tuple(interests.ACTORS)
    ex.controls["cell"].value = ("Moscow", "gains")
    assert "Samorukov (the article&#x27;s argument)" in ex.details.value
    assert "state-affiliated media" in ex.details.value
    import html
    for statement in table[table.actor == "Moscow"].query("scenario != 'settlement'").statement:
        assert html.escape(statement) in ex.details.value   # the full text, not a count
    assert "background:#fff3b0" in ex.details.value          # the chosen cell is marked
    ex.controls["cell"].value = ("Washington", "loses")
    assert "No point is recorded for Washington · loses" in ex.details.value
    assert "background:#fff3b0" not in ex.details.value  # an empty cell has no card to mark
    assert ex.artists.highlight.get_visible()
    ex.controls["actors"].value = ("Belgrade",)
    assert not ex.artists.highlight.get_visible()
    assert "not selected" in ex.caption.value


def test_figures_list():
    (fig,) = interests.FIGURES
    assert fig["slug"].startswith("06_")
    assert fig["make"]().axes


def test_our_readings_are_counted_apart_from_the_actors_own_words(table):
    # no row of the table is our reading: each is the author's, an actor's own or the record
    assert set(table.attributed_to.map(interests.whose)) == {"article", "own"}
    assert interests.whose("Our reading of the Constitution of 2006 (not Belgrade's words)") == "ours"
    for speaker in ["Belgrade", "Vučić", "Government of Serbia (stated position)",
                    "Belgrade's reading", "x"]:
        assert interests.whose(speaker) == "own", speaker
    ours = table.head(1).assign(row_id="I99", actor="Belgrade", scenario="settlement",
                                aspect="loses", attributed_to="Our reading of the Constitution")
    counts = interests.cell_counts(interests.select(ours, "settlement"))
    cell = counts.query("actor == 'Belgrade' and aspect == 'loses'").iloc[0]
    assert (cell.article, cell.own, cell.ours, cell.total) == (0, 0, 1, 1)
    assert interests.select(ours, "settlement", "own").empty
    assert interests.cell_ids(interests.select(ours, "settlement"))[("Belgrade", "loses")] == \
        ([], [], ["I99"])


@pytest.mark.parametrize("who, reason", [
    ("Belgrade", "Belgrade never said this"), ("Vučić", "Belgrade never said this"),
    ("Government of Serbia (stated position)", "Belgrade never said this"),
    ("x", "say whose reading it is"), ("me", "say whose reading it is"),
    (interests.ARTICLE, "Samorukov did not write it"),
    ("Our reading of the Constitution of 2006 (not Belgrade's words)", None),
    ("My reading of Serbia's Constitution", None),
])
def test_the_added_row_must_say_it_is_our_reading(table, who, reason):
    new = table.head(1).assign(row_id="I99", actor="Belgrade", scenario="settlement",
                               aspect="loses", attributed_to=who)
    bigger = pd.concat([table, new], ignore_index=True)
    got = interests._check_added_row(bigger, interests._added_row_facts({}))
    assert (got is None) if reason is None else (reason in got), got


def test_the_lessons_source_list_names_every_source_of_the_table(table):
    import nbformat
    path = data.data_dir().parent / "notebooks" / "06_interests_and_leverage.ipynb"
    cells = [c.source for c in nbformat.read(path, as_version=4).cells
             if c.cell_type == "markdown" and c.source.lstrip().startswith("## Sources")]
    assert len(cells) == 1
    missing = [s for s in dict.fromkeys(table.source_id) if f"(`{s}`)" not in cells[0]]
    assert not missing, f"lesson 06's Sources list misses {missing}"
