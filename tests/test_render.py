"""The fast renderer draws what matplotlib's own Agg draws, and its PNGs hold those pixels."""

import io

import matplotlib.patheffects as patheffects
import numpy as np
import pytest
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.text import Text
from PIL import Image

from balkan_diplomacy import render, style, widgets

BUILDERS = dict(widgets.explorer_builders())
HALO = [patheffects.withStroke(linewidth=2.5, foreground="white")]


def _decode(png: bytes) -> np.ndarray:
    return np.asarray(Image.open(io.BytesIO(png)).convert("RGBA"))


def _plain_agg_pixels(fig) -> np.ndarray:
    """The figure drawn by matplotlib's own FigureCanvasAgg (no cache, no sprites)."""
    animated = [a for a in fig.findobj() if a.get_animated()]
    own = fig.canvas
    for artist in animated:
        artist.set_animated(False)
    try:
        plain = FigureCanvasAgg(fig)
        plain.draw()
        return np.asarray(plain.buffer_rgba()).copy()
    finally:
        for artist in animated:
            artist.set_animated(True)
        fig.set_canvas(own)


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_explorers_draw_what_plain_agg_draws(name):
    """Every chart, in several states of each control (so cached labels are replayed at new
    places and with new words), against a drawing by matplotlib's plain Agg canvas. Glyph
    replay is exact; a SpriteText picture may differ by rounding (one level of 255)."""
    explorer = BUILDERS[name]()
    has_sprites = any(isinstance(a, render.SpriteText) for a in explorer.figure.findobj())
    states = 0
    for key, widget in explorer.controls.items():
        values = widgets.allowed_values(widget) or []
        for value in values[:: max(1, len(values) // 4)][:4] + values[:1]:
            widget.value = value
            ours = _decode(explorer.image.value)
            plain = _plain_agg_pixels(explorer.figure)
            where = f"{name} {key}={value!r}"
            if has_sprites:
                assert_same_picture(ours, plain, where)
            else:
                assert (ours == plain).all(), f"{where}: {(ours != plain).any(-1).sum()} differ"
            states += 1
    assert states >= 3


def _labels(cls, texts):
    fig = style.new_figure(4, 2)
    ax = fig.add_axes([0, 0, 1, 1])
    ax.set_facecolor("#88aacc")
    ax.axvline(0.3, color="black")
    made = []
    for (x, y), (words, kwargs) in zip([(0.3, 0.5), (0.61, 0.23), (0.8, 0.8)], texts):
        made.append(ax.add_artist(cls(x, y, words, **kwargs)))
    return fig, made


SAMPLE = [("Bosnia and\nHerzegovina", dict(ha="center", va="top", fontweight="bold",
                                          path_effects=HALO)),
          ("member", dict(ha="center", va="bottom", path_effects=HALO, color="#222222")),
          ("Vučić, Priština", dict(ha="left", alpha=0.6, rotation=20, style="italic"))]


def assert_same_picture(ours: np.ndarray, plain: np.ndarray, where: str = "") -> None:
    """Equal, but for rounding where a label's picture is blended in (one level of 255, at a
    few pixels on the edges of letters); a stale or misplaced label differs far more."""
    assert ours.shape == plain.shape, where
    diff = np.abs(ours.astype(int) - plain.astype(int)).max(axis=-1)
    assert diff.max() <= 1, f"{where}: a pixel differs by {diff.max()}"
    assert (diff > 0).mean() < 0.001, f"{where}: {(diff > 0).mean():.3%} of pixels differ"


def test_sprite_text_matches_text_and_follows_changes():
    fig_text, _ = _labels(Text, SAMPLE)
    fig_sprite, sprites = _labels(render.SpriteText, SAMPLE)
    assert_same_picture(style_pixels(fig_sprite), style_pixels(fig_text), "first draw")
    # second draw: every label from its picture
    assert_same_picture(style_pixels(fig_sprite), style_pixels(fig_text), "second draw")
    # a change of word, colour, place or visibility is drawn, not the old picture
    for what, change in [("text", lambda t: t.set_text("candidate")),
                         ("colour", lambda t: t.set_color("#d55e00")),
                         ("place", lambda t: t.set_position((0.45, 0.6))),
                         ("hidden", lambda t: t.set_visible(False))]:
        before = style_pixels(fig_sprite)
        fig_text, texts = _labels(Text, SAMPLE)
        for i in (0, 1, 2):
            change(texts[i])
            change(sprites[i])
        after = style_pixels(fig_sprite)
        assert (after != before).any(), what
        assert_same_picture(after, style_pixels(fig_text), what)
        fig_sprite, sprites = _labels(render.SpriteText, SAMPLE)


def style_pixels(fig) -> np.ndarray:
    fig.canvas.draw()
    return np.asarray(fig.canvas.buffer_rgba()).copy()


def test_sprite_text_is_vector_text_in_svg():
    fig, _ = _labels(render.SpriteText, SAMPLE)
    svg = style.svg(fig).decode()
    # no picture in the SVG; the label without a halo is SVG text (halos are outlines there)
    assert "Vučić, Priština</text>" in svg and "<image" not in svg


def test_png_holds_the_canvas_pixels_and_is_deterministic():
    fig = style.new_figure(3, 2)
    fig.add_subplot().plot([1999, 2008, 2017], [1, 3, 2])
    png = style.png(fig)
    assert png == style.png(fig)
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    assert (_decode(png) == np.asarray(fig.canvas.buffer_rgba())).all()
    assert Image.open(io.BytesIO(png)).size == fig.canvas.get_width_height(physical=True)


def test_caches_stay_bounded(monkeypatch):
    monkeypatch.setattr(render, "MAX_TEXTS", 5)
    fig = style.new_figure(3, 2)
    ax = fig.add_subplot()
    label = ax.add_artist(render.SpriteText(0.5, 0.5, "", path_effects=HALO))
    plain = ax.text(0.2, 0.2, "")
    for year in range(1999, 2026):
        label.set_text(str(year))
        plain.set_text(str(year))
        fig.canvas.draw()
    renderer = fig.canvas.get_renderer()
    assert len(renderer._sprites) <= 5
    assert len(renderer._glyphs) <= render.MAX_TEXTS
    for cache in [v for v in vars(render).values() if isinstance(v, render._LRU)]:
        assert len(cache) <= cache.limit


def test_glyph_images_reused_at_new_places_draw_what_plain_agg_draws():
    """Glyph images are kept by position within the pixel: the same words at many places
    (whole and fractional pixels apart), plain, not antialiased, rotated, with mathtext and a
    fallback font, drawn by the fast path and by matplotlib's plain Agg: the same pixels."""
    assert render._GLYPH_FAST_PATH  # on with this matplotlib (off, matplotlib draws alone)
    fig = style.new_figure(5, 3)
    ax = fig.add_axes([0, 0, 1, 1])
    for i in range(24):
        x, y = 0.03 + 0.037 * i, 0.05 + 0.0371 * i
        ax.text(x, y, "Vučić 2008 Priština", fontsize=7 + i % 4, antialiased=i % 5 != 0)
    ax.text(0.5, 0.5, "rotated 1244", rotation=30)
    ax.text(0.1, 0.8, r"$\sqrt{x}$ 80%", fontsize=11)
    ax.text(0.6, 0.9, "Kosovo ✓ ∑", fontsize=9)
    fig.canvas.draw()
    ours = np.asarray(fig.canvas.buffer_rgba()).copy()
    fig.canvas.draw()  # drawn again: every glyph from the cache
    again = np.asarray(fig.canvas.buffer_rgba()).copy()
    plain = _plain_agg_pixels(fig)
    assert (ours == plain).all(), f"{(ours != plain).any(-1).sum()} pixels differ"
    assert (again == plain).all()


def test_width_guesser_is_close_to_the_measured_width():
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    fig = style.new_figure(4, 2)
    renderer = fig.canvas.get_renderer()
    font = FontProperties(family="DejaVu Sans", size=8)
    for text in ["Source:", "recognitions.csv: counts as claimed by Priština/Prishtina",
                 "Vučić, 16 August 2019"]:
        measured = renderer.get_text_width_height_descent(text, font, False)[0]
        guess = render.width_guesser(font, fig.dpi)(text)
        assert abs(guess - measured) <= 0.02 * measured + 2
        plain = RendererAgg(10, 10, fig.dpi).get_text_width_height_descent(text + "!", font, False)
        assert renderer.set_text_width(text + "!", font) == plain[0]


@pytest.mark.parametrize("hinting", ["default", "no_hinting", "force_autohint"])
def test_measures_from_shaped_glyphs_equal_matplotlibs(hinting):
    """Texts are measured from their shaped glyphs (kept for drawing) instead of by a second
    shaping: the measures must be matplotlib's own, to the 1/64 pixel, for every text in the
    data tables (accents, quotes, dashes, symbols), in several sizes, weights and styles."""
    import matplotlib
    from matplotlib.backends.backend_agg import RendererAgg
    from matplotlib.font_manager import FontProperties

    from balkan_diplomacy import data

    texts = set()
    for name in ("events", "article_claims", "recognitions", "memberships"):
        frame = data.load(name)
        for column in frame.columns:
            if frame[column].dtype == "str":
                texts.update(t[:60] for t in frame[column].dropna().head(60))
    assert len(texts) > 300
    with matplotlib.rc_context({"text.hinting": hinting}):
        assert render._layout_path_fits()
        plain, ours = RendererAgg(10, 10, 110), render.TextCachingRendererAgg(10, 10, 110)
        for size, weight, slant in [(7, "normal", "normal"), (11, "bold", "normal"),
                                    (13.5, "normal", "italic")]:
            prop = FontProperties(family="DejaVu Sans", size=size, weight=weight, style=slant)
            for text in sorted(texts):
                assert (ours._measure(text, prop, render._font_key(prop)) ==
                        plain.get_text_width_height_descent(text, prop, False)), (text, size)


def test_fonts_read_from_memory_shape_as_matplotlibs_own():
    """The renderer's fonts are matplotlib's font files read into memory (not read glyph by
    glyph through a file object): the same chain of fallbacks, the same shaped glyphs, and
    one font object per font, kept."""
    from matplotlib.backends.backend_agg import get_hinting_flag
    from matplotlib.font_manager import FontProperties, fontManager, get_font

    assert render._memory_fonts_fit()
    for weight in ("normal", "bold"):
        prop = FontProperties(family="DejaVu Sans", size=9.5, weight=weight)
        ours, theirs = render._ft_font(prop), get_font(fontManager._find_fonts_by_props(prop))
        assert ours is not theirs and ours is render._ft_font(prop)
        assert not isinstance(ours.fname, str)  # an in-memory file, not a path
        assert (ours.family_name, ours.style_name, ours.num_glyphs) == (
            theirs.family_name, theirs.style_name, theirs.num_glyphs)
        for font in (ours, theirs):
            font.set_size(9.5, 110)
        for text in ("Vučić – Priština/Prishtina", "AV Tito ✓ 80%", "Kosovo (UNSC 1244)"):
            shaped = [[(item.ft_object.family_name, item.glyph_index, item.x, item.y)
                       for item in font._layout(text, flags=get_hinting_flag())]
                      for font in (ours, theirs)]
            assert shaped[0] == shaped[1], text


def test_fonts_fall_back_to_matplotlibs_own_when_memory_fonts_do_not_fit(monkeypatch):
    """On a matplotlib where fonts read into memory would not shape as its own (checked once a
    session), the renderer uses ``get_font``: the same font objects as matplotlib's."""
    from matplotlib.font_manager import FontProperties, fontManager, get_font

    monkeypatch.setattr(render, "_memory_fonts_fit", lambda: False)
    prop = FontProperties(family="DejaVu Sans", size=9.5)
    assert render._ft_font(prop) is get_font(fontManager._find_fonts_by_props(prop))
