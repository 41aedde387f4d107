"""The timeline: preparation, drawing, and the explorer driven through every control."""

import csv
import itertools

import numpy as np
import pandas as pd
import pytest

from balkan_diplomacy import data, style, timeline


@pytest.fixture(scope="module")
def events():
    return timeline.prepare(data.load("events"))


def test_prepare_places_events(events):
    assert events["x"].is_monotonic_increasing
    row = events.set_index("event_id").loc["E006"]
    assert row["when"] == data.format_date(row["date"], row["date_precision"])
    assert int(np.floor(row["x"])) == row["year"] == row["date"].year
    # two events of a category on one day are spread apart, not drawn on top of each other
    dup = events[events.duplicated(["category", "date"], keep=False)]
    for _, group in dup.groupby(["category", "date"], observed=True):
        assert group["y"].nunique() == len(group)


def test_draw_timeline_counts_and_colours(events):
    fig = style.new_figure()
    ax = fig.add_subplot()
    art = timeline.draw_timeline(ax, events, 1999, 2026)
    for c, coll in art.points.items():
        assert len(coll.get_offsets()) == int((events["category"] == c).sum())
    assert len(art.article.get_offsets()) == int(events["in_article"].sum())
    assert [t.get_text() for t in ax.get_yticklabels()] == \
        [style.CATEGORY_LABELS[c] for c in timeline.CATEGORIES]
    assert ax.get_xlim() == (1998.5, 2027)
    assert not art.empty.get_visible()
    timeline.update_timeline(art, events.iloc[:0], 2000, 2001, None)
    assert art.empty.get_visible() and not art.selected.get_visible()


def shown_in(e):
    return sum(len(c.get_offsets()) for c in e.artists.points.values())


def test_explorer_years_categories_and_events(events, monkeypatch):
    # the loops check what is drawn, not PNG encoding (~0.1 s each): one real PNG at the end
    real_png = style.png
    monkeypatch.setattr(style, "png", lambda fig: b"png")
    e = timeline.timeline_explorer()
    years, cats, pick = (e.controls[k] for k in ("years", "categories", "event"))
    lo, hi = years.min, years.max
    assert (lo, hi) == (1999, int(events["year"].max()))
    xlim = e.figure.axes[0].get_xlim()
    # every value of each handle, plus a grid of narrower ranges (all pairs would take 30 s)
    pairs = {(a, hi) for a in range(lo, hi + 1)} | {(lo, b) for b in range(lo, hi + 1)}
    pairs |= set(itertools.combinations_with_replacement(range(lo, hi + 1, 4), 2))
    pairs |= {(y, y) for y in range(lo, hi + 1)}
    for a, b in sorted(pairs):
        years.value = (a, b)
        assert e.last_error is None
        want = events[(events["year"] >= a) & (events["year"] <= b)]
        assert shown_in(e) == len(want)
        assert len(e.artists.article.get_offsets()) == int(want["in_article"].sum())
        if want.empty:
            assert e.artists.empty.get_visible() and "No event" in e.caption.value
        else:
            assert f"{len(want)} event" in e.caption.value
        inside = pick.value in set(want["event_id"])
        assert ("outside the chosen" in e.caption.value) == (not inside)
        assert e.figure.axes[0].get_xlim() == xlim  # the axis never jumps
    years.value = (lo, hi)
    for chosen in [(), *[(c,) for c in timeline.CATEGORIES], tuple(timeline.CATEGORIES)]:
        cats.value = chosen
        assert e.last_error is None
        assert shown_in(e) == int(events["category"].isin(chosen).sum())
        if not chosen:
            assert "No category" in e.caption.value
            assert "Outside the years or categories" in e.details.value
    assert [v for _, v in pick.options] == list(events["event_id"])  # every event, by date
    for _label, event_id in pick.options:
        pick.value = event_id
        row = events.set_index("event_id").loc[event_id]
        assert e.last_error is None
        assert row["when"] in e.caption.value
        assert e.artists.selected.get_xdata()[0] == pytest.approx(row["x"])
        assert 'href="http' in e.details.value
    assert real_png(e.figure)[:4] == b"\x89PNG"


def test_details_are_escaped():
    sources = data.load("sources")
    events = timeline.prepare(data.load("events"))
    row = events.iloc[0].copy()
    row["summary"] = "<script>alert(1)</script>"
    out = timeline.details_html(row, sources)
    assert "<script>" not in out and "&lt;script&gt;" in out


def test_figures_list():
    assert [f["slug"] for f in timeline.FIGURES] == ["01_timeline", "01_events_per_category"]
    for entry in timeline.FIGURES:
        assert entry["make"]().axes and entry["alt"] and entry["source"]


def test_category_bars_match_counts(events):
    fig = style.new_figure()
    ax = fig.add_subplot()
    counts = events["category"].astype(str).value_counts().reindex(timeline.CATEGORIES)
    bars = timeline.draw_category_counts(ax, counts)
    assert [b.get_width() for b in bars] == list(counts)
    assert [t.get_text() for t in ax.texts] == [str(n) for n in counts]


def test_an_event_inserted_with_a_new_id_and_an_earlier_date(data_copy, no_png):
    """Issue 15: ids are labels. An event appended to events.csv with the next free id but a date
    in 2004 validates, loads, sorts among the 2004 events and is drawn and listed there; no other
    row or reference has to change."""
    events_csv = data_copy / "events.csv"
    before = data.load("events", data_copy)
    new_id = f"E{max(int(i[1:]) for i in before['event_id']) + 1:03d}"
    source = before["source_id"].iloc[0]
    with open(events_csv, "a", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerow(
            [new_id, "2004-03-17", "day", "Inserted test event", "kosovo_status",
             "Test actor", "An event added after the others, dated earlier.", "false", "",
             source])
    data.validate(data_copy, use_cache=False)
    loaded = data.load("events", data_copy)
    assert list(loaded["event_id"])[-1] == new_id  # last in the file, not in time
    table = timeline.prepare(loaded)
    assert table["x"].is_monotonic_increasing
    position = table.index[table["event_id"] == new_id][0]
    # after every earlier event and, ties kept in file order, after any other event of that day
    not_later = table["date"] <= pd.Timestamp("2004-03-17")
    assert position == int(not_later.sum()) - 1
    row = table.loc[position]
    assert row["x"] == pytest.approx(2004 + (31 + 29 + 16) / 366)
    # drawn in its category at its date
    fig = style.new_figure()
    art = timeline.draw_timeline(fig.add_subplot(), table, 1999, int(table["year"].max()))
    offsets = art.points["kosovo_status"].get_offsets()
    assert any(np.allclose(xy, (row["x"], row["y"])) for xy in offsets)
    # listed in the menu in date order, and selectable
    e = timeline.timeline_explorer(loaded, data.load("sources", data_copy))
    pick = e.controls["event"]
    assert [v for _, v in pick.options] == list(table["event_id"])
    pick.value = new_id
    assert e.last_error is None
    assert e.artists.selected.get_xdata()[0] == pytest.approx(row["x"])
    assert "Inserted test event" in e.caption.value


def test_the_article_date_is_marked_and_labelled(events):
    fig = style.new_figure()
    ax = fig.add_subplot()
    art = timeline.draw_timeline(ax, events, 1999, 2026)
    lines = [a for a in ax.get_lines() if a.get_gid() == "article-published"]
    labels = [t for t in ax.texts if t.get_gid() == "article-published-label"]
    assert len(lines) == 1 and len(labels) == 1
    x = timeline.decimal_year(pd.Series([pd.Timestamp("2019-01-22")]))[0]
    assert list(lines[0].get_xdata()) == [x, x] and 2019.05 < x < 2019.06
    assert labels[0].get_text().strip() == "article published"
    assert labels[0].get_position()[0] == x
    # under the band of chosen years, so the explorer keeps it in its background
    art_zorders = [a.get_zorder() for a in (lines[0], labels[0])]
    assert max(art_zorders) < art.span.get_zorder()
    # a range of years without 2019 draws no marker
    ax2 = style.new_figure().add_subplot()
    timeline.draw_timeline(ax2, events, 1999, 2010)
    assert not [a for a in ax2.get_lines() if a.get_gid() == "article-published"]


def test_the_explorer_shows_the_article_marker_and_keeps_it_static():
    e = timeline.timeline_explorer()
    ax = e.figure.axes[0]
    marker = [a for a in ax.get_children() if a.get_gid() in ("article-published",
                                                               "article-published-label")]
    assert len(marker) == 2
    assert not set(map(id, marker)) & set(map(id, e.dynamic_artists()))


def test_counts_by_window_covers_every_event_once():
    events = data.load("events")
    windows = timeline.counts_by_window(events)
    first = windows.iloc[0]
    assert first["end"] == pd.Timestamp("2019-01-22") and first["start"] == pd.Timestamp("2017-07-22")
    mask = (events["date"] >= first["start"]) & (events["date"] < first["end"])
    assert first["events"] == mask.sum()
    assert first["referred_to"] == events[mask]["in_article"].sum()
    assert (windows["events"] == windows["referred_to"] + windows["others"]).all()
    # back to back, most recent first, and together they hold every event before the article
    assert (windows["start"].iloc[:-1].to_numpy() == windows["end"].iloc[1:].to_numpy()).all()
    assert windows["start"].iloc[-1] <= events["date"].min()
    assert windows["events"].sum() == (events["date"] < pd.Timestamp("2019-01-22")).sum()


def test_counts_by_window_other_lengths():
    events = data.load("events")
    yearly = timeline.counts_by_window(events, end=pd.Timestamp("2020-01-01"), months=12)
    by_year = events["date"].dt.year.value_counts()
    for row in yearly.itertuples():
        assert row.events == by_year.get(row.start.year, 0), row.start
