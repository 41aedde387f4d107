"""Lesson 04: the swimlane chart, the durations chart and the explorer."""

import pandas as pd
import pytest

from balkan_diplomacy import data, eu_path, style


@pytest.fixture(scope="module")
def steps():
    return eu_path.eu_steps(data.load("memberships"))


def test_eu_steps_keeps_only_eu_rows(steps):
    members = data.load("memberships")
    assert len(steps) == int((members["organisation"] == "EU").sum())
    assert set(steps["milestone"]) <= set(eu_path.EU_STEPS)


def test_stage_at_follows_the_table(steps):
    # Croatia joined on 1 July 2013 (memberships.csv)
    assert eu_path.stage_at(steps, "Croatia", pd.Timestamp("2013-06-30")) == "talks_opened"
    assert eu_path.stage_at(steps, "Croatia", pd.Timestamp("2013-07-01")) == "accession"
    # Serbia's SAA entered into force after candidacy: the stage must not move back
    assert eu_path.stage_at(steps, "Serbia", pd.Timestamp("2013-12-31")) == "candidate"


def test_draw_swimlanes_draws_one_lane_per_country(steps):
    fig = style.new_figure()
    ax = fig.add_subplot()
    until = pd.Timestamp("2019-01-22")
    art = eu_path.draw_swimlanes(ax, steps, until)
    assert list(art["lanes"]) == eu_path.COUNTRIES
    segs = eu_path.status_segments(steps, until)
    for lane, country in enumerate(eu_path.COUNTRIES):
        assert len(art["lanes"][country].get_paths()) == int((segs["country"] == country).sum())
        x, y = art["dots"][country].get_data()
        expected = steps[(steps["country"] == country) & (steps["date"] <= until)]
        assert len(x) == len(expected) and set(y) <= {lane}
        assert art["names"][country].get_text() == country
    # the 2025 band starts at 2025 and the article line sits at January 2019
    assert art["band"].get_x() == 2025 if hasattr(art["band"], "get_x") else True
    assert art["article_line"].get_xdata()[0] == pytest.approx(2019.06, abs=0.01)
    assert ax.get_xlim() == eu_path.X_LIMITS


def test_members_end_green(steps):
    fig = style.new_figure()
    art = eu_path.draw_swimlanes(fig.add_subplot(), steps, pd.Timestamp("2026-11-29"))
    colour = art["lanes"]["Slovenia"].get_facecolor()[-1]
    from matplotlib.colors import to_rgba
    assert tuple(colour) == pytest.approx(to_rgba(eu_path.STAGE_COLORS["accession"]))
    assert art["stage_text"]["Slovenia"].get_text() == "member"


def test_explorer_every_state(steps):
    ex = eu_path.swimlane_explorer()
    assert ex.last_error is None
    captions = set()
    for as_of in ex.controls["as_of"].options:
        ex.controls["as_of"].value = as_of
        for value in [v for _, v in ex.controls["country"].options]:
            ex.controls["country"].value = value
            assert ex.last_error is None, ex.last_error
            caption = ex.caption.value
            captions.add(caption)
            if value:
                assert caption.count(value.split()[0]) >= 1
                assert ex.artists["names"][value].get_fontweight() == "bold"
                others = [c for c in eu_path.COUNTRIES if c != value]
                assert all(ex.artists["lanes"][c].get_alpha() == 0.2 for c in others)
            else:
                assert "On " in caption
    assert len(captions) == 2 * len(ex.controls["country"].options)
    # at the article's date Kosovo had not applied: its lane ends at the SAA in force
    ex.controls["as_of"].value = ex.controls["as_of"].options[0]
    ex.controls["country"].value = "Kosovo"
    assert "applied" not in ex.caption.value
    assert ex.artists["stage_text"]["Kosovo"].get_text() == "SAA in force"


def test_durations_match_dates(steps):
    until = pd.Timestamp("2026-11-29")
    d = eu_path.step_durations(steps, until)
    croatia = d[d["country"] == "Croatia"]
    assert croatia["years"].sum() == pytest.approx((pd.Timestamp("2013-07-01")
                                                    - pd.Timestamp("2003-02-21")).days / 365.25, abs=0.15)
    assert not croatia["open"].any()
    assert d[d["country"] == "Serbia"]["open"].sum() == 1
    fig = style.new_figure()
    art = eu_path.draw_durations(fig.add_subplot(), d)
    assert len(art["bars"]) == len(d)
    assert "to join" in art["totals"]["Slovenia"].get_text()
    assert "so far" in art["totals"]["Serbia"].get_text()


def test_figures_build():
    for spec in eu_path.FIGURES:
        assert spec["slug"].startswith("04_")
        assert spec["make"]().axes
