"""Lesson 02 chart: recognition counts of Kosovo, one series per claimant side."""

import itertools

import matplotlib.colors as mcolors
import pandas as pd
import pytest

from balkan_diplomacy import data, recognition, style


@pytest.fixture(scope="module")
def table():
    return data.load("recognitions")


@pytest.fixture(scope="module")
def explorer():
    return recognition.recognition_explorer()


def _expected(table, key):
    side, measure = recognition.SERIES[key]
    return table[(table.side == side) & (table.measure == measure)].sort_values(["as_of_date", "count"])


def test_draw_recognitions_draws_every_claim_once(table):
    fig = style.new_figure()
    ax = fig.add_subplot()
    art = recognition.draw_recognitions(ax, table)
    assert set(art.lines) == set(recognition.SERIES)
    for key, line in art.lines.items():
        want = _expected(table, key)
        assert list(line.get_ydata()) == [float(c) for c in want["count"]]
        assert mcolors.same_color(line.get_color(), recognition.SERIES_COLORS[key])
    # withdrawals are a different measure: drawn distinctly
    assert art.lines["serbia_withdrawn"].get_linestyle() == "--"
    assert art.lines["serbia_government"].get_linestyle() == "-"
    assert mcolors.same_color(art.lines["kosovo_government"].get_color(),
                              style.ACTOR_COLORS["Kosovo"])
    assert mcolors.same_color(art.lines["serbia_government"].get_color(),
                              style.ACTOR_COLORS["Serbia"])
    assert ax.get_ylim() == (0, recognition.Y_MAX)
    assert table["count"].max() < recognition.Y_MAX
    assert art.majority.get_ydata()[0] == 97
    assert ax.get_title(loc="left") and "count" in ax.get_ylabel()
    assert not art.empty.get_visible()


def test_labels_do_not_overlap():
    ys = recognition._spread([118, 110, 84, 97, 18], gap=12)
    pairs = itertools.combinations(sorted(ys), 2)
    assert all(b - a >= 12 for a, b in pairs)


def test_claims_at_keeps_disagreeing_counts(table):
    at = recognition.claims_at(table, 2020)
    independent = at[at.series == "independent"]
    assert sorted(independent["count"]) == [97, 101]  # two revisions, same date: both kept
    belgrade = at[at.series == "serbia_government"]
    assert list(belgrade["count"]) == [92]
    assert recognition.claims_at(table, "2008-01-01").empty


def test_explorer_every_year_and_selection(explorer, table):
    years = range(explorer.controls["year"].min, explorer.controls["year"].max + 1)
    assert explorer.controls["year"].min == table.as_of_date.min().year
    assert explorer.controls["year"].max == table.as_of_date.max().year
    keys = list(recognition.SERIES)
    captions = set()
    for year in years:
        explorer.controls["year"].value = year
        assert explorer.last_error is None
        assert f"end of {year}" in explorer.caption.value
        captions.add(explorer.caption.value)
        marker_x = pd.Timestamp(explorer.artists.marker.get_xdata()[0])
        assert marker_x == pd.Timestamp(year=year, month=12, day=31)
        for key in keys:
            want = _expected(table, key)
            want = want[want.as_of_date <= marker_x]
            current = explorer.artists.current[key]
            if want.empty:
                assert not current.get_visible()
            else:
                latest = want[want.as_of_date == want.as_of_date.max()]
                assert sorted(current.get_ydata()) == sorted(float(c) for c in latest["count"])
                assert str(int(latest["count"].iloc[0])) in explorer.caption.value
    assert len(captions) > 5


def test_explorer_every_subset_of_claimants(explorer):
    keys = list(recognition.SERIES)
    explorer.controls["year"].value = 2020
    for n in range(len(keys) + 1):
        for subset in itertools.combinations(keys, n):
            explorer.controls["series"].value = subset
            assert explorer.last_error is None
            for key in keys:
                assert explorer.artists.lines[key].get_visible() == (key in subset)
            assert explorer.artists.empty.get_visible() == (n == 0)
            if n == 0:
                assert "No claimant selected" in explorer.caption.value
    explorer.controls["series"].value = tuple(keys)


def test_figures_entry():
    (entry,) = recognition.FIGURES
    assert entry["slug"].startswith("02_")
    fig = entry["make"]()
    assert fig.axes and fig.texts  # a chart and its source line
    assert any(t.get_text().startswith("Source:") for t in fig.texts)


def test_works_in_projector_mode():
    style.present()
    try:
        e = recognition.recognition_explorer()
        assert e.last_error is None
    finally:
        style.default()


def test_each_view_says_whose_it_is_and_draws_its_holder_only(table):
    e = recognition.recognition_explorer(table)
    e.controls["year"].value = 2020
    holders = {"pristina": ("As Pristina presents it", {"kosovo_government"}),
               "belgrade": ("As Belgrade presents it", {"serbia_government", "serbia_withdrawn"}),
               "neutral": ("Every published count", set(recognition.SERIES))}
    for view, (holder, drawn) in holders.items():
        e.controls["view"].value = view
        assert e.last_error is None, e.last_error
        assert e.artists.title.get_text().startswith(holder)
        assert {k for k, line in e.artists.lines.items() if line.get_visible()} == drawn
        if view != "neutral":
            assert holder in e.caption.value
        # every number in the caption is a count of the table, claimed by the view's holder
        rows = table[table["side"].isin({recognition.SERIES[k][0] for k in drawn})]
        for key in drawn:
            latest = recognition.claims_at(table, 2020)
            for count in latest.loc[latest["series"] == key, "count"]:
                assert str(count) in e.caption.value and count in set(rows["count"])
    # Belgrade's view shows nothing of Pristina's count, and the other way round
    e.controls["view"].value = "belgrade"
    assert "117" not in e.caption.value and "Pristina" not in e.caption.value
    e.controls["view"].value = "pristina"
    assert "Belgrade" not in e.caption.value
    e.controls["view"].value = "neutral"
    assert "Belgrade" in e.caption.value and "Pristina" in e.caption.value


def test_a_view_with_none_of_its_claimants_selected_says_so(table):
    e = recognition.recognition_explorer(table, view="pristina")
    e.controls["series"].value = ("serbia_government",)
    assert e.last_error is None
    assert e.artists.empty.get_visible() and "none of the claimants" in e.artists.empty.get_text()
    assert "No claimant of this view selected" in e.caption.value


def test_a_view_that_does_not_exist_is_a_clear_error(table):
    with pytest.raises(ValueError, match="no recognition view 'moscow'.*'belgrade'"):
        recognition.recognition_explorer(table, view="moscow")
