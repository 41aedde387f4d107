"""Lesson 03 chart: NATO status of the Western Balkan states by year."""

import numpy as np
import pytest

from balkan_diplomacy import data, nato, style


@pytest.fixture(scope="module")
def members():
    return data.load("memberships")


@pytest.fixture(scope="module")
def explorer():
    return nato.membership_explorer()


def _members_by(members, year):
    """Countries whose NATO accession date is on or before the end of ``year`` (pandas)."""
    acc = members[(members.organisation == "NATO") & (members.milestone == "accession")]
    return set(acc.loc[acc.date <= f"{year}-12-31", "country"].astype(str))


def test_status_grid_matches_the_table(members):
    years = list(range(1999, 2027))
    grid = nato.status_grid(members, years)
    assert set(grid.index) == set(members.country.astype(str))
    for year in years:
        assert set(grid.index[grid[year] == nato.MEMBER]) == _members_by(members, year)
    assert grid.loc["Montenegro", 2016] == nato.INVITED
    assert grid.loc["Montenegro", 2017] == nato.MEMBER
    assert grid.loc["Bosnia and Herzegovina", 2010] == nato.MAP
    # Serbia: no step until 2005, a partner (PfP, then an IPAP) from 2006, never a MAP
    assert (grid.loc["Serbia", list(range(1999, 2006))] == nato.NONE).all()
    assert (grid.loc["Serbia", list(range(2006, 2027))] == nato.PARTNER).all()
    assert (grid.loc["Kosovo"] == nato.NONE).all()
    assert grid.loc["Montenegro", 2006] == nato.PARTNER and grid.loc["Montenegro", 2009] == nato.MAP
    # statuses only move forward
    assert (grid.diff(axis=1).fillna(0) >= 0).all().all()


def test_draw_membership_grid(members):
    years = list(range(1999, 2027))
    grid = nato.status_grid(members, years)
    fig = style.new_figure()
    ax = fig.add_subplot()
    art = nato.draw_membership_grid(ax, grid, neighbours=["Croatia"])
    cells = np.asarray(art.mesh.get_array()).reshape(grid.shape)
    assert (cells == grid.to_numpy()).all()
    assert [t.get_text() for t in ax.get_yticklabels()] == [nato._wrap(c) for c in grid.index]
    bold = {t.get_text(): t.get_fontweight() for t in ax.get_yticklabels()}
    assert bold["Croatia"] == "bold" and bold["Serbia"] == "normal"
    assert ax.get_xlim() == (1998.5, 2026.5)
    assert ax.get_title(loc="left") and ax.get_xlabel()
    assert ax.get_legend() is not None


def test_explorer_every_year(explorer, members):
    slider = explorer.controls["year"]
    assert slider.min == 1999
    assert slider.max == data.load("events").date.max().year
    grid_years = explorer.artists.years
    for year in range(slider.min, slider.max + 1):
        slider.value = year
        assert explorer.last_error is None
        want = _members_by(members, year)
        assert f"end of {year}, {len(want)} of the 8 states" in explorer.caption.value
        for name in want:
            assert name in explorer.caption.value
        cells = np.asarray(explorer.artists.mesh.get_array()).reshape(8, len(grid_years))
        future = [i for i, y in enumerate(grid_years) if y > year]
        assert (cells[:, future] == nato.FUTURE).all()
        assert explorer.artists.marker.get_xdata()[0] == year + 0.5
        labels = {c: t.get_text() for c, t in explorer.artists.status_labels.items()}
        for name in want:
            assert labels[name].startswith("member since")
        want_serbia = ("no NATO step" if year < 2006 else "partner since 2006" if year == 2006
                       else "partner since 2006\nmilitarily neutral since 2007")
        assert labels["Serbia"] == want_serbia
        assert ("Serbia" in explorer.caption.value.split("Partners without")[-1]) == (year >= 2006)
    slider.value = 2020
    assert "3 of the 4 states in the table with an undisputed border with Serbia were" in \
        explorer.caption.value
    slider.value = slider.max


def test_figures_entry():
    (entry,) = nato.FIGURES
    fig = entry["make"]()
    assert any(t.get_text().startswith("Source:") for t in fig.texts)


def test_works_in_projector_mode():
    style.present()
    try:
        assert nato.membership_explorer().last_error is None
    finally:
        style.default()
