"""Lesson 07: the scoreboard shows exactly the verdicts of article_claims.csv."""

import itertools

import pytest

from balkan_diplomacy import data, scoreboard, style


@pytest.fixture(scope="module")
def claims():
    return data.load("article_claims")


def test_draw_scoreboard_uses_the_table_verdicts(claims):
    fig = style.new_figure()
    ax = fig.add_subplot()
    art = scoreboard.draw_scoreboard(ax, claims)
    assert set(art.squares) == set(claims.claim_id)
    verdicts = claims.set_index("claim_id").verdict
    for claim_id, square in art.squares.items():
        assert art.verdict_of[claim_id] == verdicts[claim_id]
        assert square.get_facecolor()[:3] == pytest.approx(
            __import__("matplotlib.colors", fromlist=["to_rgb"]).to_rgb(
                style.VERDICT_COLORS[verdicts[claim_id]]))
        assert art.labels[claim_id].get_text() == claim_id
        top, lines = art.layout[verdicts[claim_id]]
        assert top <= square.get_y() < top + lines
    counts = verdicts.value_counts()
    for v, text in art.counts.items():
        assert text.get_text() == f"{style.VERDICT_LABELS[v]}: {int(counts.get(v, 0))}"


def test_forward_looking_claims(claims):
    fwd = scoreboard.forward_looking(claims)
    assert set(claims[claims.claim_kind == "prediction"].claim_id) <= set(fwd.claim_id)
    assert {"C05", "C10"} <= set(fwd.claim_id)


def _shown(ex):
    return {c for c, sq in ex.artists.squares.items() if sq.get_visible()}


def test_explorer_every_filter(claims, no_png):
    ex = scoreboard.scoreboard_explorer()
    assert ex.last_error is None
    kinds = [k for k, _ in ex.controls["kinds"].options]
    lo, hi = ex.controls["paragraphs"].min, ex.controls["paragraphs"].max
    assert (lo, hi) == (int(claims.paragraph.min()), int(claims.paragraph.max()))
    kind_sets = [()] + [(k,) for k in kinds] + [tuple(kinds)]
    every = list(itertools.combinations_with_replacement(range(lo, hi + 1), 2))
    for ks in kind_sets:
        ex.controls["kinds"].value = ks
        # every range for all kinds at once; whole, single-paragraph and edge ranges otherwise
        ranges = every if ks == tuple(kinds) else [(lo, hi), (lo, lo), (hi, hi), (lo + 1, hi - 1)]
        for a, b in ranges:
            ex.controls["paragraphs"].value = (a, b)
            assert ex.last_error is None
            want = claims[claims.claim_kind.isin(ks) & claims.paragraph.between(a, b)]
            assert _shown(ex) == set(want.claim_id)
            assert ex.artists.empty.get_visible() == want.empty
            if not want.empty:
                assert f"{len(want)} of {len(claims)} claims" in ex.caption.value


def test_explorer_every_claim(claims, no_png):
    ex = scoreboard.scoreboard_explorer()
    sources = data.load("sources").set_index("source_id")
    for _, c in claims.iterrows():
        ex.controls["claim"].value = c.claim_id
        assert ex.last_error is None
        cap = ex.caption.value
        assert style.VERDICT_LABELS[c.verdict] in cap
        assert c.claim_id in cap
        assert ex.artists.highlight.get_visible()
        assert ex.artists.highlight.get_xy() == ex.artists.squares[c.claim_id].get_xy()
        if sources.kind[c.record_source_id] == "state_affiliated_media":
            assert "state-affiliated media" in cap
    ex.controls["kinds"].value = ()
    assert "outside this filter" in ex.caption.value
    assert not ex.artists.highlight.get_visible()


def test_figures_list():
    (fig,) = scoreboard.FIGURES
    assert fig["slug"].startswith("07_")
    assert fig["make"]().axes
