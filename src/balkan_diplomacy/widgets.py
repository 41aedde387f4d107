"""The widget layer: an :class:`Explorer` wraps one chart and the controls that drive it.

Every explorer follows one pattern (see STYLE.md): the data work and the controls are made when
it is built; its ``build()`` draws the chart once with a ``draw_*`` function that returns its
artists, and returns them with a ``render`` function (a :class:`Drawing`); each change of a
control only calls ``render``, which updates those artists in place and returns a sentence that
says, in words, what is selected; the figure is then saved to PNG into an ``ipywidgets.Image``
of fixed width (sharp, no flicker). The first picture is kept on disk (:mod:`pictures`): a later
run shows it and calls ``build()`` only when a control first changes. Tests drive
``explorer.controls`` and read ``explorer.artists``, ``explorer.caption.value`` and
``explorer.last_error``.
"""

from __future__ import annotations

import asyncio
import html
import re
import traceback
from collections import OrderedDict
from collections.abc import Callable, Mapping
from typing import NamedTuple

import ipywidgets
import matplotlib
from matplotlib.figure import Figure

from . import access, pictures, static, style


#: Said in place of a widget where Jupyter widgets cannot show (see Explorer.__repr__).
NEEDS_WIDGETS = "shown with ipywidgets"


class Drawing(NamedTuple):
    """What an explorer's ``build()`` returns: the figure, the artists its ``draw_*`` function
    returned, the ``render`` function that updates them for the controls' values and returns a
    sentence, and ``dynamic``: the artists a change redraws (a list, a callable returning one,
    "auto" for every artist in ``artists``, or None for a full redraw on each change)."""

    figure: Figure
    artists: object
    render: Callable[[dict], str]
    dynamic: object = "auto"


class Explorer(ipywidgets.VBox):
    """A chart plus its controls. Display it as the last expression of a cell.

    ``build()`` makes the chart (a :class:`Drawing`). With ``inputs`` (the builder's arguments)
    given, the first picture and its sentences are kept on disk (:mod:`pictures`): when nothing
    they depend on has changed since an earlier run, the explorer shows them and builds the chart
    only when a control first changes (or ``figure`` or ``artists`` is asked for). The chart is
    built in the projector mode and matplotlib settings of the moment the explorer was made.
    ``outputs``: widgets besides the caption whose ``value`` ``render`` sets (kept alike)."""

    #: Tests that sweep thousands of states switch the PNG step off to check the logic alone.
    draw_images = True
    #: States whose PNG is kept (a chart's PNG is 30-100 kB).
    IMAGES_KEPT = 256
    #: Seconds the kernel must stay idle after a change before the states next to it (the
    #: slider's next and previous values, a list's next and previous options) are drawn ahead
    PREPARE_AFTER = 0.05

    def __init__(self, controls: dict, build: Callable[[], Drawing], alt_text: str,
                 title: str = "", above: list | None = None, cache_images: bool = True,
                 background_by: tuple = (), inputs: tuple | None = None, outputs=()):
        self.controls = controls
        self._build = build
        self._drawing: Drawing | None = None
        self._mode = style.mode()
        self._settings = pictures.settings()
        self._outputs = list(outputs)
        # Blitting: the artists that render() changes (the drawing's ``dynamic``) are drawn on
        # each change over a background image that holds everything else (axes, ticks, labels,
        # titles: most of the cost), drawn once. tests/test_widget_states.py checks that the
        # result is pixel for pixel the full drawing.
        self._dynamic = None
        self._background = None
        # ``background_by``: names of controls that change only what the background shows (a
        # chart's title that says whose view it is, say): one background image per value of
        # them, drawn the first time that value is shown, then kept; a change of the other
        # controls draws only the dynamic artists
        self._background_by = tuple(background_by)
        self._backgrounds: dict = {}
        self._background_key = None
        # each state's PNG is kept (the most recent IMAGES_KEPT), so moving a control back to a
        # state already seen costs nothing; pass cache_images=False for a chart that depends on
        # anything but its controls' values
        self._png_cache = OrderedDict() if cache_images else None
        self.alt_text = alt_text
        self.last_error: str | None = None
        self.renders = 0
        self.images_drawn = 0  # PNGs drawn (the others came from the cache)
        self._planned = 0  # changes so far whose neighbours were planned (see _prepare_neighbours)
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
        # in the browser: the image's alt text (what the chart shows now) and the slider
        # handles' names, which ipywidgets cannot set (see access.py)
        self.access = access.Access(alt=alt_text)
        super().__init__(head + rows + [self.image, self.caption, self.alt, self.access])
        self.add_class(access.HOST_CLASS)
        for widget in controls.values():
            widget.observe(self.update, names="value")
        # the first picture: kept from an earlier run, or drawn now (and kept for the next)
        name = (pictures.key(build, inputs, self.values())
                if inputs is not None and cache_images and self.draw_images and pictures.enabled()
                else None)
        kept = pictures.read(name, len(self._outputs)) if name else None
        self.started_from_kept = kept is not None
        if kept is not None:
            picture, texts = kept
            self._say(texts["sentence"])
            for widget, value in zip(self._outputs, texts["outputs"]):
                widget.value = value
            self.image.value = picture
            self._png_cache[self._state_key()] = picture
        else:
            self.drawing()  # (an error in build() is the cell's error, as a builder's always was)
            self.update()
            if name and self.last_error is None:
                pictures.write(name, self.image.value, {
                    "sentence": self._sentence, "outputs": [w.value for w in self._outputs]})

    def drawing(self, show_current: bool = True) -> Drawing:
        """The chart, built the first time it is needed (in the mode and settings of the
        explorer's making). After a start from a kept picture its artists are then set to the
        controls' values (what ``figure`` and a static page show), unless ``show_current`` is
        False (``update`` sets them itself)."""
        if self._drawing is None:
            changed = pictures.settings_changed(self._settings)
            with style.mode_as(self._mode), matplotlib.rc_context(changed):
                drawn = self._build()
                self._drawing = drawn
                self._dynamic = ((lambda: collect_artists(drawn.artists))
                                 if isinstance(drawn.dynamic, str) else drawn.dynamic)
                if self.started_from_kept and show_current:
                    try:
                        drawn.render(self.values())
                    except Exception:  # noqa: BLE001 - the next update() says what fails
                        pass
        return self._drawing

    @property
    def built(self) -> bool:
        """Whether the chart has been built (not yet, after a start from a kept picture)."""
        return self._drawing is not None

    @property
    def figure(self):
        return self.drawing().figure

    @property
    def artists(self):
        return self.drawing().artists

    @property
    def render(self) -> Callable[[dict], str]:
        return self.drawing().render

    def _state_key(self, values: dict | None = None) -> str:
        return repr(sorted((self.values() if values is None else values).items()))

    def _say(self, sentence: str) -> None:
        self._sentence = sentence
        self.caption.value = f'<span class="bd-caption">{html.escape(sentence)}</span>'
        self.access.alt = f"{self.alt_text} Now shown: {sentence}"

    def __repr__(self) -> str:
        # what a viewer without Jupyter widgets (GitHub, a text export, a Lab without the
        # ipywidgets extension) shows in place of the chart; also spares ipywidgets' repr,
        # which writes out every child widget (~3 ms)
        return f"[Interactive chart, {NEEDS_WIDGETS}] {self.alt_text}"

    def dynamic_artists(self) -> list:
        """What each change draws over the background, in the order matplotlib's own drawing
        gives artists: by axes, then by zorder (lower first)."""
        dynamic = list(self._dynamic() if callable(self._dynamic) else self._dynamic or [])
        # matplotlib draws an axes' spines above its data (zorder 2.5): where a line or a bar
        # meets the frame, the spine is redrawn over it too (a few cheap lines)
        for ax in {a.axes for a in dynamic if a.axes is not None}:
            lowest = min(a.get_zorder() for a in dynamic if a.axes is ax)
            dynamic += [s for s in ax.spines.values()
                        if s.get_visible() and s.get_zorder() >= lowest and s not in dynamic]
        return drawing_order(dynamic)

    def _blit_png(self, values: dict | None = None) -> bytes:
        """Blitting with matplotlib's public API: the dynamic artists are marked animated (a
        full draw leaves them out), the figure is drawn once and its pixels kept with
        ``copy_from_bbox``; each change restores them and draws the dynamic artists with
        ``draw_artist``. ``values``: the state drawn (the controls' own values by default),
        which picks the background when the explorer has ``background_by`` controls."""
        canvas = self.figure.canvas
        values = self.values() if values is None else values
        key = tuple(repr(values.get(name)) for name in self._background_by)
        if self._background is None:
            self._blit_list = self.dynamic_artists()
            for artist in self._blit_list:
                artist.set_animated(True)
        if self._background is None or key != self._background_key:
            if key in self._backgrounds:
                canvas.restore_region(self._backgrounds[key])
            else:
                canvas.draw()
                self._backgrounds[key] = canvas.copy_from_bbox(self.figure.bbox)
            self._background = self._backgrounds[key]
            self._background_key = key
            # what the background shows is now drawn; a draw leaves artists it skips (hidden
            # ones, say) marked stale, so every artist starts unmarked: any later change marks it
            for artist in self.figure.findobj(lambda a: not a.get_animated()):
                artist.stale = False
        else:
            self._check_only_dynamic_changed()
            canvas.restore_region(self._background)
        for artist in self._blit_list:
            self.figure.draw_artist(artist)
        return style.canvas_png(canvas)

    def _check_only_dynamic_changed(self) -> None:
        """Raise :class:`BlitError` when ``render`` changed an artist that is not redrawn on a
        change. matplotlib marks a changed artist, and the axes and figure that hold it, as
        ``stale``, except an animated one (blitting draws those itself): so a stale figure
        means a change the background image still shows the old way."""
        if not self.figure.stale:
            return
        from matplotlib.axes import Axes
        from matplotlib.figure import FigureBase

        changed = self.figure.findobj(
            lambda a: a.stale and not a.get_animated() and not isinstance(a, (Axes, FigureBase))
        )
        named = ", ".join(_describe(a) for a in changed[:5]) or "the axes themselves"
        raise BlitError(
            f"render() changed {named}, which blitting does not redraw (it is drawn once, into "
            "the background). Add it to the explorer's dynamic artists (the draw_* result, or "
            "dynamic=[...]), or pass dynamic=None to redraw the whole figure on each change."
        )

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
        key = self._state_key()
        try:
            sentence = self.drawing(show_current=False).render(self.values())
            self.last_error = None
            self._say(sentence)
        except Exception as exc:  # noqa: BLE001 - a control must never raise in class
            self.last_error = "".join(traceback.format_exception(exc))
            self.caption.value = ('<span class="bd-error" style="color:#a00">This selection '
                                  f"could not be drawn ({html.escape(type(exc).__name__)}: "
                                  f"{html.escape(str(exc))}).</span>")
            key = None  # never reuse a failed drawing
            self.access.alt = f"{self.alt_text} This selection could not be drawn."
        if not self.draw_images and self._background_by:
            # drawn without a picture: the background_by controls may have changed and changed
            # back, which leaves their artists marked changed; the next picture starts from
            # the kept background of its values (render() draws them alike each time)
            self._background_key = None
        if self.draw_images and self._drawing is not None:  # (None: build() failed)
            try:
                self._draw_picture(key)
            except BlitError as exc:
                self.last_error = "".join(traceback.format_exception(exc))
                self.caption.value = ('<span class="bd-error" style="color:#a00">This chart could '
                                      f"not be redrawn ({html.escape(str(exc))}).</span>")
        self.renders += 1
        if change is not None and key is not None:
            self._prepare_neighbours(change)

    def _prepare_neighbours(self, change) -> None:
        """In a running kernel, draw ahead the states one step away along the control just
        moved, each when the kernel has been idle PREPARE_AFTER seconds, into the PNG cache: a
        student stepping through years finds the next one ready. Each is one callback on the
        kernel's event loop, so a key press waits at most for one drawing; a newer change
        cancels what the older one planned. Outside a kernel's loop (tests, scripts) nothing
        is planned."""
        if self._png_cache is None or self.IMAGES_KEPT <= 0 or not self.draw_images:
            return
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return
        name = next((n for n, w in self.controls.items() if w is change.get("owner")), None)
        if name is None or isinstance(change["owner"], ipywidgets.SelectMultiple):
            return
        options = allowed_values(change["owner"]) or []
        if change["new"] not in options:
            return
        at = options.index(change["new"])
        here = self.values()
        self._planned += 1
        plan = self._planned
        for step, index in enumerate((at + 1, at - 1)):
            if 0 <= index < len(options):
                state = {**here, name: options[index]}
                loop.call_later(self.PREPARE_AFTER * (step + 1), self._prepare, state, here, plan)

    def _prepare(self, state: dict, here: dict, plan: int) -> None:
        key = repr(sorted(state.items()))
        if plan != self._planned or key in self._png_cache or self.values() != here:
            return  # a newer change came, or this state is ready already
        try:
            self.render(state)
            picture = self._blit_png(state)
        except Exception:  # noqa: BLE001 - drawn ahead only: the real change will say what fails
            picture = None
        finally:
            try:
                self.render(here)  # the artists show the state on screen again
            except Exception:  # noqa: BLE001 - (it was drawn a moment ago)
                pass
        if picture is not None:
            self.images_drawn += 1
            self._png_cache[key] = picture
            if len(self._png_cache) > self.IMAGES_KEPT:
                self._png_cache.popitem(last=False)

    def _draw_picture(self, key) -> None:
        """The chart's PNG into the Image widget: kept from before (``cache_images``), blitted,
        or (``dynamic=None``) the whole figure drawn again."""
        cache = self._png_cache
        if cache is None or key is None or key not in cache:
            self.drawing()
            picture = self._blit_png() if self._dynamic is not None else style.png(self.figure)
            self.images_drawn += 1
            if cache is not None and key is not None:
                cache[key] = picture
                if len(cache) > self.IMAGES_KEPT:
                    cache.popitem(last=False)
        else:
            cache.move_to_end(key)
            picture = cache[key]
        self.image.value = picture

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


class BlitError(RuntimeError):
    """A ``render`` callback changed an artist that blitting does not redraw."""


def _describe(artist) -> str:
    label = artist.get_label() or ""
    if hasattr(artist, "get_text"):
        label = repr(artist.get_text()[:40])
    return f"{type(artist).__name__}({label})" if label and not label.startswith("_") else \
        type(artist).__name__


def drawing_order(artists) -> list:
    """``artists`` in the order a full drawing of the figure draws them: the axes by their
    zorder, then the figure's own artists; within each, lower zorder first and, at equal
    zorder, in the order they were added (``get_children``). See matplotlib's "Zorder Demo"."""
    artists = list(artists)
    added = {}
    for parent in {a.axes if a.axes is not None else a.get_figure() for a in artists}:
        if parent is not None:
            added.update({id(c): i for i, c in enumerate(parent.get_children())})

    def key(artist):
        ax = artist.axes
        return (0 if ax is not None else 1, ax.get_zorder() if ax is not None else 0,
                artist.get_zorder(), added.get(id(artist), len(added)))

    return sorted(artists, key=key)


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


class Form(ipywidgets.VBox):
    """Controls without a chart (a forecast form, a weighing of evidence). Where widgets cannot
    run (a viewer without ipywidgets, the course website, a handout) it says in words what it
    is, instead of ipywidgets' own text of every child widget."""

    def __init__(self, children, summary: str, static_text: str = ""):
        super().__init__(children)
        self.summary = summary  # one sentence: what the form is for
        self.static_text = static_text  # HTML shown on a static page under the summary

    def __repr__(self) -> str:
        return f"[Interactive form, {NEEDS_WIDGETS}] {self.summary}"

    def _repr_html_(self) -> str | None:
        if not static.enabled():
            return None
        return (f'<div class="bd-static-form"><p><b>{html.escape(self.summary)}</b> '
                "<i>Run the lesson in Jupyter to use this form.</i></p>"
                f"{self.static_text}</div>")


def explorer_builders():
    """(name, builder) for every ``*_explorer`` function of the lesson modules
    (``balkan_diplomacy.LESSON_MODULES``) that needs no arguments: what the tests and the
    benchmark drive."""
    import inspect

    from . import lesson_modules

    for module in lesson_modules():
        name = module.__name__.rsplit(".", 1)[-1]
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
