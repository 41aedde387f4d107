"""Lesson 05: the poll scatter, its filters and the EU-support chart."""

import numpy as np
import pytest

from balkan_diplomacy import data, polls, style


@pytest.fixture(scope="module")
def table():
    return polls.poll_table(data.load("polls"), data.load("sources"))


def test_poll_table_flags_state_media(table):
    sources = data.load("sources").set_index("source_id")
    expected = table["source_id"].map(sources["kind"]) == "state_affiliated_media"
    assert (table["state_affiliated"] == expected).all()
    assert table["state_affiliated"].any()
    assert len(table) == len(data.load("polls"))


def test_draw_polls_draws_every_row(table):
    fig = style.new_figure()
    ax = fig.add_subplot()
    art = polls.draw_polls(ax, table, 80.0)
    drawn = sum(len(c.get_offsets()) for c in art["points"].values())
    assert drawn == len(table)
    assert len(art["rings"].get_offsets()) == int(table["state_affiliated"].sum())
    assert art["claim_line"].get_ydata()[0] == 80.0
    assert "80 percent" in art["claim_label"].get_text()
    # colour = what was asked
    putin = table[table["subject"] == "Putin"]
    from matplotlib.colors import to_rgba
    want = [to_rgba(polls.MEASURE_COLORS[m]) for m in putin["measure"]]
    assert np.allclose(art["points"]["Putin"].get_facecolors(), want)
    assert ax.get_ylim() == polls.Y_LIMITS


def test_claim_line_comes_from_the_claims_table():
    row = polls.claim_80(data.load("article_claims"))
    assert row["claimed_number"] == 80 and row["claimed_unit"] == "percent"


def _visible(ex):
    return sorted(tuple(p) for c in ex.artists["points"].values() for p in c.get_offsets())


def _check(ex, table):
    v = ex.values()
    assert ex.last_error is None, ex.last_error
    want = polls.select(table, v["measure"], v["subject"], v["pollster"], v["kind"])
    got = _visible(ex)
    assert got == sorted(zip(want["year"].astype(float), want["value_pct"].astype(float)))
    assert ex.artists["empty"].get_visible() == want.empty
    if want.empty:
        assert "No poll figure" in ex.caption.value
    else:
        assert f"Showing {len(want)} of {len(table)}" in ex.caption.value
    return len(want)


def test_explorer_every_option(table):
    """Each control through every option on its own, the others showing everything."""
    ex = polls.poll_explorer()
    c = ex.controls
    everything = {n: tuple(v for _, v in c[n].options) for n in ("measure", "subject", "kind")}
    for name, values in everything.items():
        c[name].value = values
    assert _check(ex, table) == len(table)
    for name, values in everything.items():
        counts = []
        for value in values:
            c[name].value = (value,)
            counts.append(_check(ex, table))
        assert sum(counts) == len(table)  # each row has exactly one measure, subject and kind
        c[name].value = values
    counts = []
    for pollster in c["pollster"].options[1:]:
        c["pollster"].value = pollster
        counts.append(_check(ex, table))
    assert sum(counts) == len(table) and min(counts) >= 1


def test_explorer_empty_selections():
    ex = polls.poll_explorer()
    for name in ("measure", "subject", "kind"):
        before = ex.controls[name].value
        ex.controls[name].value = ()
        assert ex.last_error is None
        assert _visible(ex) == []
        assert ex.artists["empty"].get_visible()
        assert len(ex.artists["rings"].get_offsets()) == 0
        ex.controls[name].value = before
        assert not ex.artists["empty"].get_visible()


def test_state_media_filter_shows_only_ringed(table):
    ex = polls.poll_explorer()
    ex.controls["subject"].value = tuple(v for _, v in ex.controls["subject"].options)
    ex.controls["kind"].value = ("state_affiliated_media",)
    n = int(table["state_affiliated"].sum())
    assert len(_visible(ex)) == n == len(ex.artists["rings"].get_offsets())
    assert f"{n} of them reported by state-affiliated media" in ex.caption.value


def test_eu_support_chart(table):
    fig = style.new_figure()
    art = polls.draw_eu_support(fig.add_subplot(), table)
    eu = table[table["measure"] == "support_eu_membership"]
    import numpy as np

    # every figure is drawn once; NaN only marks the breaks where a series skips years
    points = [x for line in art["lines"].values() for x in line.get_xdata() if not np.isnan(x)]
    assert len(points) == len(eu)
    for line in art["lines"].values():
        x = np.asarray(line.get_xdata(), float)
        runs = np.split(x, np.nonzero(np.isnan(x))[0])
        for run in runs:
            run = run[~np.isnan(run)]
            assert (np.diff(run) <= 2.5).all(), "a line joins surveys more than 2.5 years apart"
    gov = art["lines"]["Serbian government office / ministry"]
    assert gov.get_linestyle() == "-" and len(gov.get_xdata()) >= 10
    assert art["lines"][polls.OTHER_SERIES[0]].get_linestyle() == "None"


def test_figures_build():
    for spec in polls.FIGURES:
        assert spec["slug"].startswith("05_")
        assert spec["make"]().axes


def _key_labels(art):
    return [label.get_text() for mark, label in art["key"].slots if label.get_visible()]


def test_the_key_lists_only_what_the_chart_draws(table):
    ex = polls.poll_explorer()
    shown = polls.select(table, *(ex.values()[k] for k in ("measure", "subject", "pollster", "kind")))
    labels = _key_labels(ex.artists)
    want = [polls.MEASURE_LABELS[m] for m in polls.MEASURE_COLORS if m in set(shown["measure"])]
    want += [f"about {s}" for s in polls.SUBJECT_MARKERS if s in set(shown["subject"])]
    if shown["state_affiliated"].any():
        want.append(polls.STATE_MEDIA_LABEL)
    assert labels == want
    assert len(labels) < polls.KEY_SLOTS, "the default view lists entries for points not drawn"
    assert "about China" not in labels and "about EU" not in labels
    # every marker shown has its label, and the slots below the last entry are hidden
    assert all(m.get_visible() == t.get_visible() for m, t in ex.artists["key"].slots)
    # a change of selection changes the key with it
    ex.controls["subject"].value = ["EU"]
    ex.controls["measure"].value = ["support_eu_membership"]
    assert _key_labels(ex.artists)[:2] == ["support for EU membership", "about EU"]
    ex.controls["measure"].value = []
    assert _key_labels(ex.artists) == []


def test_the_key_entries_stack_without_overlap():
    ex = polls.poll_explorer()
    ex.figure.canvas.draw()
    renderer = ex.figure.canvas.get_renderer()
    boxes = [t.get_window_extent(renderer) for m, t in ex.artists["key"].slots if t.get_visible()]
    for upper, lower in zip(boxes, boxes[1:]):
        assert lower.y1 <= upper.y0 + 1, "two key labels overlap"
