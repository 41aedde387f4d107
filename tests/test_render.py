"""The PNG writer and the blitting explorer: public matplotlib only, and honest about it."""

import asyncio
import io

import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from PIL import Image

from balkan_diplomacy import render, style, widgets


def _decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def test_png_holds_the_canvas_pixels_and_is_deterministic():
    fig = style.new_figure(3, 2)
    fig.add_subplot().plot([1999, 2008, 2017], [1, 3, 2])
    png = style.png(fig)
    assert png == style.png(fig)
    assert png[:8] == render.PNG_SIGNATURE
    assert (_decode(png) == np.asarray(fig.canvas.buffer_rgba())).all()
    assert Image.open(io.BytesIO(png)).size == fig.canvas.get_width_height(physical=True)


def test_figures_draw_on_matplotlibs_own_agg_canvas():
    assert type(style.new_figure().canvas) is FigureCanvasAgg


def _tiny_explorer(render_fn, dynamic="auto", above=True):
    fig = style.new_figure(3, 2)
    ax = fig.add_subplot()
    moving = ax.plot([0, 1], [0, 1], zorder=2)[0]
    still = ax.axhline(0.5, color="black", zorder=3 if above else 1)  # (above the line?)
    label = ax.set_title("fixed")
    slider = widgets.year_slider([2000, 2001, 2002], value=2000)
    art = {"moving": moving}
    if dynamic == "with still":
        dynamic = [moving, still]
    explorer = widgets.Explorer(
        {"year": slider},
        lambda: widgets.Drawing(fig, art, lambda v: render_fn(v, moving, still, label), dynamic),
        "alt")
    return explorer, still


def test_a_change_to_an_artist_blitting_does_not_redraw_is_a_clear_error():
    def render_fn(values, moving, still, label):
        moving.set_ydata([0, values["year"] - 2000])
        label.set_text(f"year {values['year']}")  # not among the dynamic artists
        return "changed"

    explorer, _ = _tiny_explorer(render_fn)
    assert explorer.last_error is None  # the first drawing is a full one
    explorer.controls["year"].value = 2001
    assert explorer.last_error and "BlitError" in explorer.last_error
    assert "Text('year 2001')" in explorer.last_error and "dynamic" in explorer.last_error
    assert "could not be redrawn" in explorer.caption.value


@pytest.mark.parametrize("above, dynamic, same", [(False, "auto", True), (True, "auto", False),
                                                  (True, "with still", True), (True, None, True)])
def test_blitting_draws_the_full_drawing_when_what_lies_above_is_named(above, dynamic, same):
    """Only the named artists are drawn over the background: a static line drawn above the
    moving one must be named too, or the blitted picture shows it under the moving line (what
    tests/test_widget_states.py checks for every explorer, pixel for pixel)."""
    def render_fn(values, moving, still, label):
        moving.set_ydata([0, values["year"] - 2000])
        return "changed"

    explorer, still = _tiny_explorer(render_fn, dynamic=dynamic, above=above)
    results = []
    for year in (2001, 2002, 2000, 2002):
        explorer.controls["year"].value = year
        assert explorer.last_error is None
        results.append((_decode(explorer.image.value) == _decode(explorer.full_png())).all())
    assert all(results) if same else not all(results)


def test_drawing_order_follows_zorder_then_the_order_artists_were_added():
    fig = style.new_figure(3, 2)
    low, high = fig.add_subplot(), fig.add_axes((0.5, 0.5, 0.3, 0.3), zorder=5)
    a = low.plot([0, 1], [0, 1], zorder=2)[0]
    b = low.plot([0, 1], [1, 0], zorder=2)[0]  # added after a, same zorder: drawn after it
    c = low.axhline(0.5, zorder=1)
    d = high.plot([0, 1], [0, 1], zorder=0)[0]
    e = fig.text(0.5, 0.5, "on the figure")
    assert widgets.drawing_order([e, d, b, c, a]) == [c, a, b, d, e]


def test_spines_over_dynamic_artists_are_redrawn_with_them():
    def render_fn(values, moving, still, label):
        moving.set_ydata([0, values["year"] - 2000])
        return "changed"

    explorer, _ = _tiny_explorer(render_fn)
    drawn = explorer.dynamic_artists()
    ax = explorer.figure.axes[0]
    assert [s for s in ax.spines.values() if s.get_visible()] == [s for s in drawn
                                                                  if s in ax.spines.values()]


@pytest.mark.parametrize("cache", [True, False])
def test_states_seen_before_come_from_the_cache_when_kept(cache):
    def render_fn(values, moving, still, label):
        moving.set_ydata([0, values["year"] - 2000])
        return "changed"

    explorer, _ = _tiny_explorer(render_fn)
    if not cache:
        explorer.IMAGES_KEPT = 0
    first = explorer.image.value
    explorer.controls["year"].value = 2001
    drawn = explorer.images_drawn
    explorer.controls["year"].value = 2000
    assert explorer.image.value == first
    assert explorer.images_drawn == drawn + (0 if cache else 1)


def test_in_a_kernel_the_next_states_are_drawn_ahead_while_idle():
    """In a running event loop (a kernel), the states one step along the control just moved
    are drawn when the kernel is idle: the next key press finds its PNG ready, and that PNG is
    what a full drawing of that state shows. The artists are left showing the state on screen."""
    def render_fn(values, moving, still, label):
        moving.set_ydata([0, values["year"] - 2000])
        return f"year {values['year']}"

    explorer, _ = _tiny_explorer(render_fn, above=False)
    slider = explorer.controls["year"]

    async def step_and_wait():
        slider.value = 2001
        drawn = explorer.images_drawn
        assert explorer.artists["moving"].get_ydata()[1] == 1
        await asyncio.sleep(10 * explorer.PREPARE_AFTER)
        return drawn

    drawn = asyncio.run(step_and_wait())
    assert explorer.images_drawn == drawn + 1  # 2002 drawn ahead (2000 was shown before)
    assert explorer.artists["moving"].get_ydata()[1] == 1  # still the state on screen
    slider.value = 2002
    assert explorer.images_drawn == drawn + 1  # ready: nothing drawn on the press
    assert (_decode(explorer.image.value) == _decode(explorer.full_png())).all()
    assert explorer.caption.value.endswith("year 2002</span>")


def test_outside_a_kernel_nothing_is_drawn_ahead():
    def render_fn(values, moving, still, label):
        moving.set_ydata([0, values["year"] - 2000])
        return "changed"

    explorer, _ = _tiny_explorer(render_fn)
    explorer.controls["year"].value = 2001
    assert explorer.images_drawn == 2  # the first drawing and this change, nothing more
