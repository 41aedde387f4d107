"""The widget layer: an :class:`Explorer` wraps one chart and the controls that drive it.

Every explorer follows one pattern (see STYLE.md): the data work is done once when it is built; the
chart is drawn once by a ``draw_*`` function that returns its artists; each change of a control
only calls a ``render`` function that updates those artists in place and returns a sentence that
says, in words, what is selected; the figure is then saved to PNG into an ``ipywidgets.Image``
of fixed width (sharp, no flicker). Tests drive ``explorer.controls`` and read
``explorer.artists``, ``explorer.caption.value`` and ``explorer.last_error``.
"""

from __future__ import annotations

import html
import re
import traceback
from collections.abc import Mapping
from typing import Callable

import ipywidgets

from . import static, style


#: Said in place of a widget where Jupyter widgets cannot show (see Explorer.__repr__).
NEEDS_WIDGETS = "shown with ipywidgets"


class Explorer(ipywidgets.VBox):
    """A chart plus its controls. Display it as the last expression of a cell."""

    #: Tests that sweep thousands of states switch the PNG step off to check the logic alone.
    draw_images = True

    def __init__(self, controls: dict, figure, artists, render: Callable[[dict], str],
                 alt_text: str, title: str = "", above: list | None = None,
                 cache_images: bool = False, dynamic="auto"):
        self.controls = controls
        # Blitting: the artists that render() changes (``dynamic``: a list, a callable returning
        # one, "auto" for every artist the draw_* function returned, or None for full redraws)
        # are drawn on each change over a background image that holds everything else (axes,
        # ticks, labels, titles: most of the cost), drawn once. tests/test_widget_states.py
        # checks that the result is pixel for pixel the full drawing.
        self._dynamic = (lambda: collect_artists(self.artists)) if dynamic == "auto" else dynamic
        self._background = None
        # a chart that depends only on its controls' values may keep each state's PNG, so moving
        # a slider back to a year already seen costs nothing (the map: ~70 labels per drawing)
        self._png_cache = {} if cache_images else None
        self.figure = figure
        self.artists = artists
        self.render = render
        self.alt_text = alt_text
        self.last_error: str | None = None
        self.renders = 0
        # no tooltip: ipywidgets 8's front end cannot draw an Image that has one (it reads the
        # description an Image lacks); the alt text is shown under the chart instead
        # image, caption and description share one layout (and the texts one style): one
        # model each in the front end
        self.image = ipywidgets.Image(format="png", layout={"width": style.image_width()})
        self.caption = ipywidgets.HTML(layout=self.image.layout)
        self.alt = ipywidgets.HTML(
            f'<span class="bd-alt" style="font-size:85%;color:#555">Chart description: '
            f"{html.escape(alt_text)}</span>", layout=self.image.layout, style=self.caption.style)
        head = [ipywidgets.HTML(f"<b>{html.escape(title)}</b>", style=self.caption.style)
                ] if title else []
        rows = list(above or []) or [_control_rows(controls)]
        super().__init__(head + rows + [self.image, self.caption, self.alt])
        for widget in controls.values():
            widget.observe(self.update, names="value")
        self.update()

    def __repr__(self) -> str:
        # what a viewer without Jupyter widgets (GitHub, a text export, a Lab without the
        # ipywidgets extension) shows in place of the chart; also spares ipywidgets' repr,
        # which writes out every child widget (~3 ms)
        return f"[Interactive chart, {NEEDS_WIDGETS}] {self.alt_text}"

    def dynamic_artists(self) -> list:
        """What each change draws, in the order a full drawing would draw it."""
        dynamic = self._dynamic() if callable(self._dynamic) else self._dynamic
        return _drawing_order(self.figure, dynamic or [])

    def _blit_png(self) -> bytes:
        canvas = self.figure.canvas
        if self._background is None:
            self._blit_list = self.dynamic_artists()
            for artist in self._blit_list:
                artist.set_animated(True)  # left out of full draws: the rest is the background
            canvas.draw()
            self._background = canvas.copy_from_bbox(self.figure.bbox)
        else:
            canvas.restore_region(self._background)
        for artist in self._blit_list:
            self.figure.draw_artist(artist)
        return style.canvas_png(canvas)

    def full_png(self) -> bytes:
        """The whole figure drawn from scratch (what blitting must reproduce)."""
        animated = [a for a in getattr(self, "_blit_list", []) if a.get_animated()]
        for artist in animated:
            artist.set_animated(False)
        try:
            return style.png(self.figure)
        finally:
            for artist in animated:
                artist.set_animated(True)

    def values(self) -> dict:
        return {name: widget.value for name, widget in self.controls.items()}

    def update(self, change=None) -> None:
        """Redraw for the controls' current values (called on every change)."""
        key = repr(sorted(self.values().items()))
        try:
            sentence = self.render(self.values())
            self.last_error = None
            self.caption.value = f'<span class="bd-caption">{html.escape(sentence)}</span>'
        except Exception as exc:  # noqa: BLE001 - a control must never raise in class
            self.last_error = "".join(traceback.format_exception(exc))
            self.caption.value = ('<span class="bd-error" style="color:#a00">This selection '
                                  f"could not be drawn ({html.escape(type(exc).__name__)}: "
                                  f"{html.escape(str(exc))}).</span>")
            key = None  # never reuse a failed drawing
        if self.draw_images:
            cache = self._png_cache
            if cache is None or key is None or key not in cache:
                picture = self._blit_png() if self._dynamic is not None else style.png(self.figure)
                if cache is not None and key is not None:
                    cache[key] = picture
            else:
                picture = cache[key]
            self.image.value = picture
        self.renders += 1

    # -- a static page (the course website and handouts, see static.py). Kept apart from the
    # widget machinery above: IPython adds this text/html to the widget's own display bundle,
    # and it is None (nothing added) unless BALKAN_STATIC_PAGES is set.
    def _repr_html_(self) -> str | None:
        return self.static_html() if static.enabled() else None

    def static_html(self) -> str:
        """The chart as it stands now, as an HTML figure: image, alt text, caption, source."""
        sentence = html.unescape(re.sub(r"<[^>]+>", "", self.caption.value))
        return static.figure_html(self.full_png(), self.alt_text,
                                  style.IMAGE_WIDTH_PX[style.mode()], caption=sentence,
                                  sources=static.source_lines(self.figure),
                                  note=static.STATIC_NOTE)


class OnDemand(Mapping):
    """``{key: make(key)}`` for a fixed set of keys, each value made when first looked up and
    then kept: what a control can ask for is worked out only when it is asked for (the build
    stays short), and only once (moving back to a choice costs nothing)."""

    def __init__(self, keys, make: Callable):
        self._keys = list(keys)
        self._known = set(self._keys)
        self._make = make
        self._made: dict = {}

    def __getitem__(self, key):
        if key not in self._made:
            if key not in self._known:
                raise KeyError(key)
            self._made[key] = self._make(key)
        return self._made[key]

    def __iter__(self):
        return iter(self._keys)

    def __len__(self) -> int:
        return len(self._keys)


def _drawing_order(figure, dynamic) -> list:
    """The dynamic artists plus every static artist that a full drawing puts on top of one of
    them (a band, a reference line, a spine), in the order a full drawing uses: axes by axes in
    z-order, then the figure's own artists. Whatever is returned is left out of the background,
    so nothing is drawn twice. A static artist drawn above but clear of where the dynamic ones
    can appear (a legend or a title outside the plot area) stays in the background."""
    from matplotlib.axis import Axis
    from matplotlib.spines import Spine

    renderer = figure.canvas.get_renderer()
    dynamic = set(dynamic)
    order = []
    for ax in sorted(figure.axes, key=lambda a: a.get_zorder()):
        children = [c for c in ax.get_children() if c is not ax.patch]
        mine = [c for c in children if c in dynamic]
        if not mine:
            continue
        ax.set_axisbelow(True)  # grid lines under the data, so they stay in the background
        lowest = min(c.get_zorder() for c in mine)
        # where dynamic artists can show: the plot area (they are clipped to it), plus where
        # the unclipped ones (labels in the margins) stand
        region = [ax.bbox] + [_extent(c, renderer) for c in mine if not c.get_clip_on()]

        def above_and_touching(c):
            if c.get_zorder() < lowest or (isinstance(c, Axis) and c.get_zorder() == lowest):
                return False
            if isinstance(c, Spine):
                # a spine edges the plot area, so it touches: taken as such, without its
                # extent (matplotlib works out the axis's ticks for it, ~1 ms a spine)
                return True
            box = _extent(c, renderer)
            return box is None or any(r is None or box.overlaps(r) for r in region)

        chosen = [c for c in children if c in dynamic or above_and_touching(c)]
        order += sorted(chosen, key=lambda c: c.get_zorder())  # stable, like Axes.draw
    placed = set(order)
    order += sorted((a for a in dynamic if a not in placed), key=lambda a: a.get_zorder())
    return order


def _extent(artist, renderer):
    """The artist's box on the canvas, or None when it cannot tell (then it counts as anywhere)."""
    try:
        box = artist.get_window_extent(renderer)
    except Exception:  # noqa: BLE001 - some artists cannot measure themselves before a draw
        return None
    return box if box.width > 0 or box.height > 0 else None


def collect_artists(obj) -> list:
    """Every matplotlib artist held in ``obj`` (a draw_* result: artist, dict, list, dataclass),
    without descending into axes or figures."""
    import dataclasses

    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import FigureBase

    found, seen = [], set()

    def walk(x):
        if id(x) in seen:
            return
        seen.add(id(x))
        if isinstance(x, (Axes, FigureBase)):
            return
        if isinstance(x, Artist):
            found.append(x)
        elif dataclasses.is_dataclass(x) and not isinstance(x, type):
            for f in dataclasses.fields(x):
                walk(getattr(x, f.name))
        elif isinstance(x, dict):
            for v in x.values():
                walk(v)
        elif isinstance(x, (list, tuple, set)):
            for v in x:
                walk(v)

    walk(obj)
    return found


def _control_rows(controls: dict):
    return ipywidgets.VBox(list(controls.values()))


def year_slider(years, value=None, description="Year") -> ipywidgets.IntSlider:
    """A slider bounded by the years the data covers."""
    years = sorted(int(y) for y in years)
    return ipywidgets.IntSlider(value=years[-1] if value is None else value, min=years[0],
                                max=years[-1], step=1, description=description,
                                continuous_update=True, style={"description_width": "initial"},
                                layout={"width": "480px"})


def year_range_slider(first: int, last: int, description="Years") -> ipywidgets.IntRangeSlider:
    return ipywidgets.IntRangeSlider(value=(first, last), min=first, max=last, step=1,
                                     description=description, continuous_update=True,
                                     style={"description_width": "initial"},
                                     layout={"width": "480px"})


def toggles(options: dict, description: str) -> ipywidgets.SelectMultiple:
    """Choose any number of options (labels -> values); all are selected at first."""
    return ipywidgets.SelectMultiple(options=list(options.items()), value=list(options.values()),
                                     rows=min(len(options), 7), description=description,
                                     style={"description_width": "initial"})


def dropdown(options, value=None, description="") -> ipywidgets.Dropdown:
    options = list(options)
    first = options[0][1] if isinstance(options[0], tuple) else options[0]
    return ipywidgets.Dropdown(options=options, value=first if value is None else value,
                               description=description, style={"description_width": "initial"})


#: The lesson modules that hold explorers, in lesson order.
LESSON_MODULES = ["maps", "timeline", "recognition", "nato", "eu_path", "polls", "interests",
                  "scoreboard"]


def explorer_builders():
    """(name, builder) for every ``*_explorer`` function of the lesson modules that needs no
    arguments: what the tests and the benchmark drive."""
    import importlib
    import inspect

    for name in LESSON_MODULES:
        try:
            module = importlib.import_module(f"balkan_diplomacy.{name}")
        except ModuleNotFoundError as exc:
            if exc.name == f"balkan_diplomacy.{name}":
                continue
            raise
        for fname, fn in inspect.getmembers(module, inspect.isfunction):
            if fname.endswith("_explorer") and fn.__module__ == module.__name__:
                params = inspect.signature(fn).parameters.values()
                if all(p.default is not p.empty or p.kind in (p.VAR_POSITIONAL, p.VAR_KEYWORD)
                       for p in params):
                    yield f"{name}.{fname}", fn


def allowed_values(widget) -> list | None:
    """Every value a control allows (ranges: every window; multi-selects: prefixes, suffixes and
    the empty selection), or None for a control that holds no choice."""
    if isinstance(widget, ipywidgets.IntRangeSlider):
        lo, hi = widget.min, widget.max
        return [(a, b) for a in range(lo, hi + 1) for b in range(a, hi + 1)]
    if isinstance(widget, (ipywidgets.IntSlider, ipywidgets.FloatSlider)):
        step = widget.step or 1
        n = int(round((widget.max - widget.min) / step)) + 1
        return [widget.min + i * step for i in range(n)]
    if isinstance(widget, ipywidgets.SelectMultiple):
        opts = [o[1] if isinstance(o, tuple) else o for o in widget.options]
        return ([()] + [tuple(opts[: i + 1]) for i in range(len(opts))]
                + [tuple(opts[i:]) for i in range(1, len(opts))] + [(o,) for o in opts])
    if isinstance(widget, (ipywidgets.Dropdown, ipywidgets.RadioButtons,
                           ipywidgets.ToggleButtons, ipywidgets.Select)):
        return [o[1] if isinstance(o, tuple) else o for o in widget.options]
    if isinstance(widget, (ipywidgets.Checkbox, ipywidgets.ToggleButton)):
        return [False, True]
    return None
