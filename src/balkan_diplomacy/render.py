"""An Agg canvas that remembers how it drew each piece of text.

matplotlib 3.11 lays out and rasterises every text glyph by glyph on each draw: about 1-2 ms for
a label, most of what a widget change costs when a chart has a few dozen labels. The same label
at the same place in the same font always gives the same glyph images, so this renderer keeps
them: the first draw of a text records the glyph images and where they went, later draws of the
same text replay those calls. Text drawn as a path (labels with a white halo) keeps the path of
its outline in the same way. The replay makes the same calls with the same arguments, so the
pixels are the same as without the cache (``tests/test_render.py`` checks it for every chart).

Only plain text is kept; mathtext and TeX go through matplotlib untouched.
"""

from __future__ import annotations

import io
import math
import os
import struct
import threading
import zlib
from collections import OrderedDict
from functools import lru_cache

import matplotlib as mpl
import numpy as np
from matplotlib.backends.backend_agg import FigureCanvasAgg, RendererAgg, get_hinting_flag
from matplotlib.ft2font import FT2Font, RenderMode
from matplotlib import cbook
from matplotlib import colors as mcolors
from matplotlib.font_manager import fontManager, get_font
from matplotlib.text import Text, TextToPath
from matplotlib.transforms import IdentityTransform

#: Texts kept per canvas (a label is a few kB of glyph images).
MAX_TEXTS = 4096


class _LRU(OrderedDict):
    def __init__(self, limit: int):
        super().__init__()
        self.limit = limit

    def get_or(self, key, make):
        try:
            value = self[key]
            self.move_to_end(key)
            return value
        except KeyError:
            value = make()
            self[key] = value
            if len(self) > self.limit:
                self.popitem(last=False)
            return value


def _font_key(prop):
    """A hashable key for a FontProperties (what its own __hash__ uses, plus what decides the
    font files it stands for: the rcParams that say which fonts a family such as "sans-serif"
    means, and the fonts known), or None."""
    try:
        key = (type(prop), tuple(prop.__dict__.items()),
               tuple(tuple(mpl.rcParams[name]) for name in _FAMILY_RC), len(fontManager.ttflist))
        hash(key)
        return key
    except TypeError:
        return None


def _ft_font(prop):
    """matplotlib's FT2Font for ``prop`` (with its fallbacks), its files looked up once per font.

    The size is left out of the key when every font known is scalable: matplotlib's match
    score then does not depend on it (score_size is 0), yet it caches each size apart, and
    each new lookup scores every font on the system (1-2 ms)."""
    key = _font_key(prop)
    lookup = lambda: fontManager._find_fonts_by_props(prop)  # noqa: E731
    if key is None:
        return _memory_font(lookup())
    if _all_scalable(len(fontManager.ttflist), len(fontManager.afmlist)):
        key = (key[0], tuple(item for item in key[1] if item[0] != "_size"), *key[2:])
    return _memory_font(_FILES.get_or(key, lookup))


@lru_cache(maxsize=256)
def _font_paths(files: tuple):
    """The (real path, face index) of each font file, as ``get_font`` keys them, or None when
    they are not all font files named by path."""
    try:
        return tuple((os.path.realpath(f.path), f.face_index) if hasattr(f, "face_index")
                     else (os.path.realpath(f), 0) for f in files)
    except TypeError:
        return None


def _memory_font(files):
    """What ``matplotlib.font_manager.get_font(files)`` gives (the first font, the others and
    matplotlib's Last Resort font as its fallbacks), with each font file read into memory.

    matplotlib 3.11 hands FreeType a Python file object, so every glyph FreeType loads while
    shaping, measuring or rasterising a text is a seek and a read on the file: about 18 us
    per character shaped. From bytes in memory the same calls take about 6 us and give the
    same glyphs (``tests/test_render.py`` compares the pixels with matplotlib's own fonts).
    Anything but font files named by path, or a matplotlib where this does not hold
    (:func:`_memory_fonts_fit`), goes to ``get_font``."""
    try:
        paths = _font_paths(tuple(files))
    except TypeError:  # (files that cannot be a cache key)
        paths = None
    if paths is None or not _memory_fonts_fit():
        return get_font(files)
    font = _memory_font_for(paths)
    font._set_transform(_IDENTITY, (0, 0))  # as get_font leaves it
    return font


def _memory_font_for(paths):
    """The in-memory font chain for these paths, under the settings get_font keys by."""
    return _memory_font_chain(paths, mpl.rcParams["text.kerning_factor"], threading.get_ident(),
                              mpl.rcParams["font.enable_last_resort"])


@lru_cache(maxsize=1)
def _memory_fonts_fit() -> bool:
    """Whether fonts read into memory stand in for ``get_font``'s: checked once per session,
    on a text with kerning, accents and a fallback chain, against matplotlib's own font."""
    from matplotlib.font_manager import FontProperties

    try:
        files = fontManager._find_fonts_by_props(FontProperties(family="DejaVu Sans"))
        ours, theirs = _memory_font_for(_font_paths(tuple(files))), get_font(files)
        shaped = []
        for font in (ours, theirs):
            font.set_size(10, 100)
            shaped.append([(item.ft_object.family_name, item.glyph_index, item.x, item.y)
                           for item in font._layout("AV Vučić gj ✓", flags=get_hinting_flag())])
        return shaped[0] == shaped[1]
    except Exception:  # noqa: BLE001 - any surprise in matplotlib's internals: stay off
        return False


@lru_cache(maxsize=64)
def _font_bytes(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


@lru_cache(maxsize=64)
def _memory_font_chain(paths, kerning_factor, thread_id, enable_last_resort):
    """matplotlib's ``font_manager._get_font``, each font made from the file's bytes."""
    del thread_id  # part of the key only: FT2Font objects are not shared across threads
    extra = {} if kerning_factor is None else {"_kerning_factor": kerning_factor}

    def make(path, index=0, **kwargs):
        return FT2Font(io.BytesIO(_font_bytes(path)), face_index=index, **extra, **kwargs)

    (first, first_index), *rest = paths
    fallbacks = [make(path, index) for path, index in rest]
    last_resort = os.path.realpath(cbook._get_data_path("fonts", "ttf",
                                                         "LastResortHE-Regular.ttf"))
    try:
        last_index = paths.index((last_resort, 0))
    except ValueError:
        last_index = -1
        if enable_last_resort:
            fallbacks.append(make(last_resort, _warn_if_used=True))
            last_index = len(fallbacks)
    font = make(first, first_index, _fallback_list=fallbacks)
    # (as matplotlib does: the Last Resort font's Unicode charmap is the empty Windows one)
    if last_index == 0:
        font.set_charmap(0)
    elif last_index > 0:
        fallbacks[last_index - 1].set_charmap(0)
    return font


if hasattr(os, "register_at_fork"):  # (FT2Font objects must not cross a fork, as matplotlib's)
    os.register_at_fork(after_in_child=_memory_font_chain.cache_clear)


@lru_cache(maxsize=4)
def _all_scalable(ttf_count: int, afm_count: int) -> bool:
    del ttf_count, afm_count  # the cache key: fonts added since are looked at again
    return all(f.size == "scalable" for f in [*fontManager.ttflist, *fontManager.afmlist])


def _font_height_metrics(prop, dpi: float):
    """What matplotlib 3.11's ``Text._get_layout`` computes for each text from the font's
    tables (OS/2, else hhea): the ascent, descent and line gap, scaled to the font size."""
    font = _ft_font(prop)
    for table_name, gap, ascent, descent in [
            ("OS/2", "sTypoLineGap", "sTypoAscender", "sTypoDescender"),
            ("hhea", "lineGap", "ascent", "descent")]:
        table = font.get_sfnt_table(table_name)
        if table is None:
            continue
        scale = 1 / font.get_sfnt_table("head")["unitsPerEm"] * prop.get_size_in_points() * dpi / 72
        return table[ascent] * scale, -table[descent] * scale, table[gap] * scale
    return None, None, None


def width_guesser(prop, dpi: float):
    """A function giving about how wide a text is in pixels: the sum of its characters'
    advances, each looked up once per font (kerning left out). Within a pixel or two of a
    measurement of the text, at a small part of its cost (no shaping): for guessing where a
    line ends."""
    font = _font_key(prop)
    table = {} if font is None else _ADVANCES.get_or((font, dpi), dict)

    def advance(char):
        ft = _ft_font(prop)
        ft.set_size(prop.get_size_in_points(), dpi)
        table[char] = ft.load_char(ord(char), flags=get_hinting_flag()).horiAdvance / 64
        return table[char]

    def guess(text: str) -> float:
        return sum(table[char] if char in table else advance(char) for char in text)

    return guess


def _glyph_fast_path_fits() -> bool:
    """The glyph drawing below stands in for RendererAgg._draw_text_glyphs_and_boxes of
    matplotlib 3.11; with any other shape of it (or of the font calls it makes), it stays off."""
    import inspect

    from matplotlib import ft2font

    method = getattr(RendererAgg, "_draw_text_glyphs_and_boxes", None)
    if method is None or not all(hasattr(ft2font.FT2Font, name)
                                 for name in ("_set_transform", "_render_glyph", "set_size")):
        return False
    names = list(inspect.signature(method).parameters)
    return names == ["self", "gc", "x", "y", "angle", "glyphs", "boxes"]


_GLYPH_FAST_PATH = _glyph_fast_path_fits()


def _hashable(language):
    """A text's language setting as a cache key (a list of (language, start, end) or a str)."""
    return tuple(map(tuple, language)) if isinstance(language, list) else language


@lru_cache(maxsize=1)
def _layout_path_fits() -> bool:
    """Whether texts may be measured and drawn from their shaped glyphs (as RendererAgg of
    matplotlib 3.11 draws them): checked once per session, on a text with kerning, accents and
    a descender, against RendererAgg's own measure (tests/test_render.py checks hundreds)."""
    from matplotlib.font_manager import FontProperties

    if not _GLYPH_FAST_PATH or not hasattr(RendererAgg, "_prepare_font"):
        return False
    try:
        plain, ours = RendererAgg(10, 10, 100), TextCachingRendererAgg(10, 10, 100)
        prop = FontProperties(family="DejaVu Sans", size=9.5)
        text = "AV Vučić gj ✓"
        return (ours._measure(text, prop, _font_key(prop)) ==
                plain.get_text_width_height_descent(text, prop, False))
    except Exception:  # noqa: BLE001 - any surprise in matplotlib's internals: stay off
        return False


class _Recorder:
    """Stands in for the C++ renderer while a text is drawn, and notes each glyph image drawn."""

    def __init__(self, inner):
        self.inner = inner
        self.calls = []

    def draw_text_image(self, image, x, y, angle, gc):
        # (matplotlib's own drawing may reuse its buffer: a copy is kept)
        self.calls.append((np.array(image, copy=True), x, y, angle))
        self.inner.draw_text_image(image, x, y, angle, gc)

    def draw_path(self, *args, **kwargs):  # boxes (mathtext only): not kept
        self.calls = None
        self.inner.draw_path(*args, **kwargs)


#: Shared by every renderer: what a text measures, and its outline, depend only on the font,
#: the text (and the resolution, for measures), not on the figure.
_MEASURES = _LRU(MAX_TEXTS)
_PATHS = _LRU(MAX_TEXTS)
#: Glyph images by font, size, resolution, glyph and position within the pixel (a glyph moved
#: by whole pixels gives the same image, moved): in a chart's first drawing about a third of
#: the glyphs are found here (digits, common letters on one baseline).
_BITMAPS = _LRU(16 * MAX_TEXTS)
#: Per font and resolution: the ascent, descent and line gap a line of text is given.
_HEIGHTS = _LRU(256)
#: Per font: the font files (the font and its fallbacks) matplotlib looks up on each text.
_FILES = _LRU(256)
#: Per font and resolution: the advance of each character looked up, in pixels (see
#: width_guesser).
_ADVANCES = _LRU(256)
#: Per font, text, resolution, hinting, features and language: its glyphs as shaped (font,
#: glyph, offset), which both measuring and drawing a text start from.
_LAYOUTS = _LRU(MAX_TEXTS)
#: Per font, size, resolution, glyph and hinting: the glyph's lowest and highest points and its
#: advance (1/64 pixel), from which a text's measure is summed.
_GLYPH_METRICS = _LRU(16 * MAX_TEXTS)
_IDENTITY = ((0x10000, 0), (0, 0x10000))
#: rcParams that decide which font files a font family names
_FAMILY_RC = ("font.family", "font.sans-serif", "font.serif", "font.monospace", "font.cursive",
              "font.fantasy")


class CachingTextToPath(TextToPath):
    """TextToPath that keeps the outline of each (font, text) it has converted."""

    def __init__(self):
        super().__init__()
        self._paths = _PATHS

    def _get_font(self, prop):
        # as TextToPath's, with the font's files looked up once per font (see _ft_font)
        font = _ft_font(prop)
        font.set_size(self.FONT_SCALE, self.DPI)
        return font

    def get_text_path(self, prop, s, ismath=False, *, features=None, language=None):
        font = _font_key(prop)
        if ismath or font is None:
            return super().get_text_path(prop, s, ismath, features=features, language=language)
        key = (font, s, tuple(features) if features else None, language)
        return self._paths.get_or(key, lambda: self._readonly(
            super(CachingTextToPath, self).get_text_path(prop, s, ismath, features=features,
                                                         language=language)))

    @staticmethod
    def _readonly(result):
        verts, codes = result
        verts, codes = np.array(verts, dtype=float), np.array(codes)
        verts.flags.writeable = codes.flags.writeable = False
        return verts, codes


class TextCachingRendererAgg(RendererAgg):
    """RendererAgg that replays the glyph images of texts it has drawn before."""

    def __init__(self, width, height, dpi):
        super().__init__(width, height, dpi)
        self._text2path = CachingTextToPath()
        self._glyphs = _LRU(MAX_TEXTS)
        self._sprites = _LRU(MAX_TEXTS)  # SpriteText pictures

    def get_text_width_height_descent(self, s, prop, ismath):
        font = _font_key(prop)
        if ismath or font is None:
            return super().get_text_width_height_descent(s, prop, ismath)
        key = (font, s, self.dpi, get_hinting_flag())
        if not _layout_path_fits():
            return _MEASURES.get_or(key, lambda: super(TextCachingRendererAgg, self)
                                    .get_text_width_height_descent(s, prop, ismath))
        return _MEASURES.get_or(key, lambda: self._measure(s, prop, font))

    def set_text_width(self, s, prop) -> float:
        """The width RendererAgg measures for a plain text (the same number as
        get_text_width_height_descent), by FreeType's set_text, which is quicker than shaping
        a text for drawing: for candidate lines that will not be drawn. Kept like any measure."""
        font = _font_key(prop)
        measure = lambda: RendererAgg.get_text_width_height_descent(self, s, prop, False)  # noqa: E731
        if font is None:
            return measure()[0]
        return _MEASURES.get_or((font, s, self.dpi, get_hinting_flag()), measure)[0]

    def _measure(self, s, prop, font):
        """What RendererAgg measures (FT2Font.set_text: the advance, and the extent of the
        glyphs' boxes up and down), summed from the text's shaped glyphs, which its drawing
        then reuses, and from each glyph's box, looked up once: one shaping of the text
        instead of two. Checked against set_text on first use (:func:`_layout_path_fits`)."""
        items = self._layout_items(s, prop, font, None, None)
        if not items:
            return super().get_text_width_height_descent(s, prop, False)
        flags, size, dpi = get_hinting_flag(), prop.get_size_in_points(), self.dpi
        low, high, prepared = math.inf, -math.inf, False
        for item in items:
            key = (item.ft_object, size, dpi, item.glyph_index, flags)
            metrics = _GLYPH_METRICS.get(key)
            if metrics is None:
                if not prepared:  # sizes the font and its fallbacks, with no offset
                    self._prepare_font(prop)
                    prepared = True
                glyph = item.ft_object.load_glyph(item.glyph_index, flags)
                metrics = _GLYPH_METRICS[key] = (glyph.bbox[1], glyph.bbox[3], glyph.horiAdvance)
                if len(_GLYPH_METRICS) > _GLYPH_METRICS.limit:
                    _GLYPH_METRICS.popitem(last=False)
            rise = round(item.y * 64)
            low, high = min(low, metrics[0] + rise), max(high, metrics[1] + rise)
        advance = round(items[-1].x * 64) + metrics[2]
        return advance / 64, (high - low) / 64, -low / 64

    def _layout_items(self, s, prop, font, features, language):
        """The text's glyphs as matplotlib shapes them for drawing (``FT2Font._layout``), kept."""
        flags = get_hinting_flag()
        key = (font, s, self.dpi, flags, tuple(features) if features else None,
               _hashable(language))
        return _LAYOUTS.get_or(key, lambda: tuple(self._prepare_font(prop)._layout(
            s, flags=flags, features=features, language=language)))

    def _prepare_font(self, font_prop):
        # as RendererAgg's, with the lookup of the font's files (about 0.1 ms) done once per font
        ft = _ft_font(font_prop)
        ft.clear()
        ft.set_size(font_prop.get_size_in_points(), self.dpi)
        return ft

    def _get_font_height_metrics(self, prop):
        # matplotlib asks this (when a renderer has it) before it looks the font up and reads
        # its tables again for each text, about 0.15 ms; the answer depends on the font only
        font = _font_key(prop)
        if font is None:
            return _font_height_metrics(prop, self.dpi)
        return _HEIGHTS.get_or((font, self.dpi), lambda: _font_height_metrics(prop, self.dpi))

    def _draw_text_glyphs_and_boxes(self, gc, x, y, angle, glyphs, boxes):
        """matplotlib's glyph loop for unrotated text, without its per-glyph matrix arithmetic
        and with glyph images reused from :data:`_BITMAPS`: the same calls to Agg with the same
        images at the same places (``tests/test_render.py`` compares the pixels)."""
        glyphs = list(glyphs)
        if (angle != 0 or not _GLYPH_FAST_PATH
                or any(slant != 0 or extend != 1 for _, _, _, slant, extend, _, _ in glyphs)):
            # (slanted or stretched glyphs come only from TeX's font effects)
            return super()._draw_text_glyphs_and_boxes(gc, x, y, angle, glyphs, boxes)
        flags = get_hinting_flag()
        antialiased = gc.get_antialiased()
        mode = RenderMode.NORMAL if antialiased else RenderMode.MONO
        dpi, height = self.dpi, self.height
        # while draw_text records a text, the glyph images (held by _BITMAPS, never changed)
        # are noted as they are, without the copy the recorder makes of matplotlib's images
        recorder = self._renderer if isinstance(self._renderer, _Recorder) else None
        draw = (recorder.inner if recorder else self._renderer).draw_text_image
        if recorder is not None and recorder.calls is None:  # not kept (see draw_path)
            recorder = None
        sized = None
        for font, size, index, _, _, dx, dy in glyphs:
            # where the glyph's origin falls, in 1/64 pixel, FreeType's y upwards (as matplotlib
            # computes it with cos 0 = 1 and sin 0 = 0)
            px, py = round(0x40 * (x + dx)), round(0x40 * (height - y + dy))
            key = (font, size, dpi, index, flags, antialiased, px & 63, py & 63)
            cached = _BITMAPS.get(key)
            if cached is None:
                if sized != (font, size):
                    font.set_size(size, dpi)
                    sized = (font, size)
                font._set_transform(_IDENTITY, (px & 63, py & 63))
                bitmap = font._render_glyph(index, flags, mode)
                image = np.array(bitmap.buffer, copy=True)
                if not antialiased:
                    image *= 0xff
                cached = _BITMAPS[key] = (image, bitmap.left, bitmap.top)
                if len(_BITMAPS) > _BITMAPS.limit:
                    _BITMAPS.popitem(last=False)
            image, left, top = cached
            gx, gy = left + (px >> 6), int(height) - top - (py >> 6) + image.shape[0]
            if recorder is not None:
                recorder.calls.append((image, gx, gy, 0))
            draw(image, gx, gy, 0, gc)
        if boxes:  # (mathtext's rules: drawn after the glyphs, as matplotlib does)
            super()._draw_text_glyphs_and_boxes(gc, x, y, angle, [], boxes)

    def draw_text(self, gc, x, y, s, prop, angle, ismath=False, mtext=None):
        font = _font_key(prop)
        if ismath or font is None:
            return super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        features = mtext.get_fontfeatures() if mtext is not None else None
        language = mtext.get_language() if mtext is not None else None
        key = (font, s, float(x), float(y), float(angle), bool(gc.get_antialiased()),
               tuple(features) if features else None, _hashable(language), get_hinting_flag())
        calls = self._glyphs.get(key)
        if calls is not None:
            self._glyphs.move_to_end(key)
            for image, gx, gy, gangle in calls:
                self._renderer.draw_text_image(image, gx, gy, gangle, gc)
            return
        inner = self._renderer
        recorder = self._renderer = _Recorder(inner)
        try:
            if _layout_path_fits():
                # RendererAgg.draw_text, from the glyphs shaped (and kept) when it was measured
                size = prop.get_size_in_points()
                self._draw_text_glyphs_and_boxes(
                    gc, x, y, angle,
                    ((item.ft_object, size, item.glyph_index, 0, 1, item.x, item.y)
                     for item in self._layout_items(s, prop, font, features, language)), [])
            else:
                super().draw_text(gc, x, y, s, prop, angle, ismath, mtext)
        finally:
            self._renderer = inner
        # nothing recorded (only spaces, or a matplotlib that draws text some other way):
        # not kept, so such a text is always drawn by matplotlib itself
        if recorder.calls:
            self._glyphs[key] = recorder.calls
            if len(self._glyphs) > self._glyphs.limit:
                self._glyphs.popitem(last=False)


class CanvasAgg(FigureCanvasAgg):
    """FigureCanvasAgg drawing with :class:`TextCachingRendererAgg`."""

    def get_renderer(self):
        w, h = self.get_width_height(physical=True)
        key = w, h, self.figure.dpi
        if getattr(self, "_bd_key", None) != key:
            self.renderer = TextCachingRendererAgg(w, h, self.figure.dpi)
            self._bd_key = key
        return self.renderer



class SpriteText(Text):
    """A label that Agg draws from a picture of itself, made on its first draw.

    For labels drawn with path effects (a white halo: the outline is stroked, then filled),
    which cost about 0.7 ms each to draw, 20 times the plain ones. On a
    :class:`TextCachingRendererAgg` the label is drawn once onto a small transparent canvas at
    the same sub-pixel position and that picture is blended in on this and every later draw
    with the same look (text, font, colour, alignment, halo, position within the pixel). Full
    draws and blitted draws both go through here, so they give the same pixels; the blend
    differs from drawing straight onto the chart by rounding only (at most a few levels of 255
    at the edges of letters). Other renderers (SVG, PDF) draw the text as usual.

    Add one with ``ax.add_artist(SpriteText(x, y, s, ...))`` (same arguments as ``ax.text``);
    text with a box (``bbox=``), wrapping, TeX or mathtext falls back to the usual drawing.
    """

    #: Pixels kept around the text's box for the halo's stroke.
    PAD = 6

    def draw(self, renderer):
        if (not isinstance(renderer, TextCachingRendererAgg) or not self.get_visible()
                or self.get_text() == "" or self._bbox_patch is not None or self.get_wrap()
                or self.get_usetex() or self._preprocess_math(self.get_text())[1]):
            return super().draw(renderer)
        self._renderer = renderer
        posx, posy = self.get_transform().transform(self.get_unitless_position())
        if not (np.isfinite(posx) and np.isfinite(posy)):
            return super().draw(renderer)
        ix, iy = math.floor(posx), math.floor(posy)
        key = (self._look(renderer), round((posx - ix) * 64), round((posy - iy) * 64))
        sprite = renderer._sprites.get(key)
        if sprite is None:
            sprite = self._make_sprite(renderer, posx, posy)
            renderer._sprites[key] = sprite
            if len(renderer._sprites) > MAX_TEXTS:
                renderer._sprites.popitem(last=False)
        image, dx, dy = sprite
        if image is not None:
            renderer.open_group("text", self.get_gid())
            gc = renderer.new_gc()  # the text's alpha is in the picture already
            self._set_gc_clip(gc)
            renderer.draw_image(gc, ix + dx, iy + dy, image)
            gc.restore()
            renderer.close_group("text")
        self.stale = False

    def _look(self, renderer):
        effects = tuple(id(e) for e in self.get_path_effects())
        return (self.get_text(), mcolors.to_rgba(self.get_color()), self.get_alpha(),
                _font_key(self._fontproperties), self.get_horizontalalignment(),
                self.get_verticalalignment(), self._multialignment, self.get_rotation(),
                self.get_rotation_mode(), self._linespacing, self._antialiased, effects,
                self.get_fontfeatures(), self.get_language(), renderer.dpi)

    def _make_sprite(self, renderer, posx: float, posy: float):
        """Draw a copy of this text (anchored at ``posx, posy`` on the chart) alone on a
        transparent canvas; keep the part it covers."""
        box = self.get_window_extent(renderer)
        fx, fy = posx - math.floor(posx), posy - math.floor(posy)
        # the canvas's corner in chart pixels, relative to the pixel the anchor falls in
        left = math.floor(box.x0 - posx) - self.PAD
        bottom = math.floor(box.y0 - posy) - self.PAD
        width = math.ceil(box.width) + 2 * self.PAD + 2
        height = math.ceil(box.height) + 2 * self.PAD + 2
        canvas = TextCachingRendererAgg(width, height, renderer.dpi)
        copy = Text(fx - left, fy - bottom, self.get_text(), transform=IdentityTransform(),
                    clip_on=False)
        copy.update_from(self)
        copy.set_transform(IdentityTransform())
        copy.set_clip_on(False)
        copy.set_clip_path(None)
        copy.set_fontfeatures(self.get_fontfeatures())
        copy.set_language(self.get_language())
        copy.set_figure(self.get_figure(root=True))
        copy.draw(canvas)
        pixels = np.asarray(canvas.buffer_rgba())
        rows = np.flatnonzero(pixels[:, :, 3].any(axis=1))
        cols = np.flatnonzero(pixels[:, :, 3].any(axis=0))
        if not len(rows):
            return None, 0, 0
        top, low, first, last = rows[0], rows[-1] + 1, cols[0], cols[-1] + 1
        # a copy (the canvas goes away), bottom row first as draw_image takes it
        image = np.array(pixels[top:low, first:last][::-1])
        # draw_image takes the bottom left corner, counted from the canvas's bottom
        return image, left + int(first), bottom + (height - int(low))



def sprite_text(ax, x, y, s: str, **kwargs) -> SpriteText:
    """Like ``ax.text(x, y, s, **kwargs)``, drawn as a :class:`SpriteText`."""
    text = ax.add_artist(SpriteText(x, y, s, **kwargs))
    if "clip_on" not in kwargs and "clip_path" not in kwargs:
        text.set_clip_path(None)  # add_artist clips to the axes; ax.text does not
        text.set_clip_box(None)
    return text


def canvas_png(canvas) -> bytes:
    """PNG bytes of what an Agg canvas holds now: its RGBA rows as they are, each row with PNG's
    filter "none", deflated at zlib level 1.

    This skips the RGBA to RGB conversion and the per-row filter search of Pillow's encoder:
    about half the time of ``Image.save(compress_level=1)`` on these charts (large flat areas),
    for files within about 10% of its size. No timestamp: the same pixels give the same bytes.
    """
    width, height = canvas.get_width_height(physical=True)
    pixels = memoryview(canvas.buffer_rgba()).cast("B")
    stride = 4 * width
    if len(pixels) != stride * height:
        raise ValueError(f"canvas buffer holds {len(pixels)} bytes, expected {stride * height}")
    deflate = zlib.compressobj(1)
    idat = [deflate.compress(b"\x00" + pixels[row * stride:(row + 1) * stride])
            for row in range(height)]
    idat.append(deflate.flush())
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8-bit RGBA, no interlace
    return b"".join([PNG_SIGNATURE, _chunk(b"IHDR", header), _chunk(b"IDAT", b"".join(idat)),
                     _chunk(b"IEND", b"")])


PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


def _chunk(tag: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + tag + body + struct.pack(">I", zlib.crc32(tag + body))
