"""One look for every chart: colours, sizes, projector mode, source lines, PNG output.

Colours are the Okabe-Ito palette (safe for the common colour-vision deficiencies). Serbia,
Kosovo, Russia, NATO and the EU keep the same colour in every lesson.

Projector mode: ``balkan_diplomacy.present()`` makes every chart built afterwards larger and
bolder (bigger fonts and lines, black text, higher resolution) and tables larger;
``balkan_diplomacy.default()`` switches back.
"""

from __future__ import annotations

import html
import io
from contextlib import contextmanager

import matplotlib
from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure

from . import render, static

OKABE_ITO = {
    "orange": "#E69F00", "sky": "#56B4E9", "green": "#009E73", "yellow": "#F0E442",
    "blue": "#0072B2", "vermillion": "#D55E00", "purple": "#CC79A7", "black": "#000000",
    "grey": "#999999",
}

#: The same actor is the same colour in every lesson.
ACTOR_COLORS = {
    "Serbia": OKABE_ITO["blue"], "Kosovo": OKABE_ITO["orange"], "Russia": OKABE_ITO["vermillion"],
    "NATO": OKABE_ITO["sky"], "EU": OKABE_ITO["green"], "USA": OKABE_ITO["purple"],
    "China": OKABE_ITO["yellow"], "other": OKABE_ITO["grey"],
}

CATEGORY_COLORS = {
    "kosovo_status": ACTOR_COLORS["Kosovo"], "nato": ACTOR_COLORS["NATO"],
    "eu": ACTOR_COLORS["EU"], "russia_serbia": ACTOR_COLORS["Russia"],
    "domestic_politics": ACTOR_COLORS["Serbia"], "regional": OKABE_ITO["purple"],
}
CATEGORY_LABELS = {
    "kosovo_status": "Kosovo's status", "nato": "NATO", "eu": "EU",
    "russia_serbia": "Russia–Serbia", "domestic_politics": "Serbian politics",
    "regional": "Region",
}

VERDICT_COLORS = {
    "holds": OKABE_ITO["green"], "partly_holds": OKABE_ITO["yellow"],
    "does_not_hold": OKABE_ITO["vermillion"], "prediction_came_true": OKABE_ITO["blue"],
    "prediction_failed": OKABE_ITO["purple"], "unresolved": OKABE_ITO["grey"],
    "rhetorical_premise_checked": OKABE_ITO["sky"],
}
VERDICT_LABELS = {
    "holds": "holds", "partly_holds": "partly holds", "does_not_hold": "does not hold",
    "prediction_came_true": "prediction came true", "prediction_failed": "prediction failed",
    "unresolved": "unresolved", "rhetorical_premise_checked": "rhetorical: premise checked",
}

_MODES = {
    "default": {"font.size": 11, "axes.titlesize": 13, "axes.labelsize": 11,
                "xtick.labelsize": 10, "ytick.labelsize": 10, "legend.fontsize": 10,
                "lines.linewidth": 2.0, "lines.markersize": 6, "axes.linewidth": 0.8,
                "text.color": "#222222", "axes.labelcolor": "#222222",
                "xtick.color": "#222222", "ytick.color": "#222222"},
    "projector": {"font.size": 15, "axes.titlesize": 18, "axes.labelsize": 15,
                  "xtick.labelsize": 14, "ytick.labelsize": 14, "legend.fontsize": 14,
                  "lines.linewidth": 3.2, "lines.markersize": 10, "axes.linewidth": 1.6,
                  "text.color": "#000000", "axes.labelcolor": "#000000",
                  "xtick.color": "#000000", "ytick.color": "#000000"},
}
_COMMON = {"axes.spines.top": False, "axes.spines.right": False, "axes.grid": True,
           "grid.alpha": 0.3, "font.family": "DejaVu Sans", "svg.hashsalt": "balkan-diplomacy",
           "svg.fonttype": "none", "figure.facecolor": "white", "axes.facecolor": "white",
           "axes.titley": 1.0, "axes.axisbelow": True}

#: Width (in screen pixels) at which chart images are shown; fixed so they stay sharp.
IMAGE_WIDTH_PX = {"default": 760, "projector": 1000}
_DPI = {"default": 100, "projector": 110}
_TABLE_FONT = {"default": "100%", "projector": "150%"}

_state = {"mode": "default"}


def mode() -> str:
    """'default' or 'projector'."""
    return _state["mode"]


def present() -> str:
    """Projector mode on: charts and tables built from now on are large and high-contrast."""
    _state["mode"] = "projector"
    return "Projector mode on: re-run the cells below to redraw charts large."


def default() -> str:
    """Projector mode off."""
    _state["mode"] = "default"
    return "Projector mode off."


@contextmanager
def mode_as(name: str):
    """Inside this block the mode is ``name`` (a chart built later, as it was asked for)."""
    saved = _state["mode"]
    _state["mode"] = name
    try:
        yield
    finally:
        _state["mode"] = saved


def rc() -> dict:
    """The matplotlib settings of the current mode."""
    return {**_COMMON, **_MODES[mode()]}


@contextmanager
def context():
    """Draw inside this block so that new artists take the current mode's sizes."""
    with matplotlib.rc_context(rc()):
        yield


def new_figure(width: float = 9.0, height: float = 4.8) -> Figure:
    """A figure outside pyplot (nothing is shown or kept by pyplot), sized in inches."""
    with context():
        fig = Figure(figsize=(width, height), dpi=_DPI[mode()], layout=None)
    FigureCanvasAgg(fig)  # drawn by Agg, outside pyplot
    return fig


def image_width() -> str:
    return f"{IMAGE_WIDTH_PX[mode()]}px"


def add_source(fig: Figure, text: str) -> None:
    """A grey source line under the chart (bottom left)."""
    size = rc()["font.size"] * 0.72
    fig_note(fig, 0.01, 0.012, f"Source: {text}", fontsize=size, color="#555555")


def fig_note(fig: Figure, x: float, y: float, text: str, fontsize: float, **kwargs):
    """Left-aligned small print at (x, y) in figure fractions, broken into lines that fit
    between x and the figure's right edge (less the same margin)."""
    return fig.text(x, y, wrap_lines(fig, text, fontsize, width=1 - 2 * x), fontsize=fontsize,
                    ha="left", va="bottom", **kwargs)


def wrap_lines(fig: Figure, text: str, fontsize: float, width: float = 0.98) -> str:
    """``text`` with line breaks so that no line is wider than ``width`` (a fraction of the
    figure's width) in DejaVu Sans at ``fontsize`` points; existing line breaks are kept.

    Each line takes as many words as fit, measured as a whole line by the renderer's
    ``get_text_width_height_descent``. matplotlib's ``wrap=True`` does the same at every draw,
    measuring the line again for each word added (about 50 ms for one source line). Here the
    average width of a character (one measure of the whole paragraph) guesses where a line ends,
    and a few measures settle it: the line fits, and the line with the next word does not.
    """
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    font = FontProperties(family=rc()["font.family"], size=fontsize)
    limit = width * fig.bbox.width

    def measured(words) -> float:
        return renderer.get_text_width_height_descent(" ".join(words), font, False)[0]

    done = []
    for paragraph in text.split("\n"):
        words = paragraph.split(" ")
        per_char = measured(words) / max(1, len(paragraph))
        start = 0
        while start < len(words):
            # a guess from the average character width, then settled by measuring whole lines
            end, used = start + 1, per_char * len(words[start])
            while end < len(words):
                used += per_char * (1 + len(words[end]))
                if used > limit:
                    break
                end += 1
            shrunk = False
            while end - start > 1 and measured(words[start:end]) > limit:
                end -= 1
                shrunk = True
            # (after shrinking, the line with one more word is known not to fit)
            while not shrunk and end < len(words) and measured(words[start : end + 1]) <= limit:
                end += 1
            done.append(" ".join(words[start:end]))
            start = end
    return "\n".join(done)


def png(fig: Figure) -> bytes:
    """The figure as PNG bytes at its own dpi (no timestamp: the same figure gives the same bytes)."""
    fig.canvas.draw()
    return canvas_png(fig.canvas)


def canvas_png(canvas) -> bytes:
    """PNG bytes of what an Agg canvas holds now (after blitting), encoded like png()."""
    return render.canvas_png(canvas)


class Chart:
    """A static chart in a notebook: a PNG of fixed width with alternative text.

    JupyterLab draws an image/png output as an <img> without alt text (IPython's ``alt`` goes
    into metadata it does not read), so the notebook gets an HTML <img> carrying the alt text
    and the PNG as a data URI; image/png and text/plain stay in the bundle for other front ends.
    """

    def __init__(self, picture: bytes, width: int, alt: str):
        self.png, self.width, self.alt = picture, width, alt

    def _repr_mimebundle_(self, include=None, exclude=None):
        import base64

        encoded = base64.b64encode(self.png).decode("ascii")
        tag = (f'<img src="data:image/png;base64,{encoded}" width="{self.width}" '
               f'alt="{html.escape(self.alt)}">')
        return ({"text/html": tag, "image/png": encoded, "text/plain": f"[Chart] {self.alt}"},
                {"image/png": {"width": self.width, "alt": self.alt}})


def describe_figure(fig: Figure) -> str:
    """Alternative text from what the figure says of itself: each axes' title and axis labels."""
    parts = []
    for ax in fig.axes:
        bits = [ax.get_title()] + [f"{name} axis: {label}" for name, label in
                                   (("x", ax.get_xlabel()), ("y", ax.get_ylabel())) if label]
        bits = [b for b in bits if b]
        if bits:
            parts.append("; ".join(bits))
    return "Chart: " + (". ".join(parts) if parts else "no title") + "."


def show(fig: Figure, alt: str | None = None) -> Chart:
    """Display a static figure in a notebook as a PNG of fixed width (no pyplot involved), with
    ``alt`` as its alternative text (by default: its titles and axis labels)."""
    if static.enabled():  # a static page (the website): an image with a text alternative
        from IPython.display import HTML  # only notebooks need IPython

        return HTML(static.figure_html(png(fig), alt or static.figure_description(fig),
                                       IMAGE_WIDTH_PX[mode()], sources=static.source_lines(fig)))
    return Chart(png(fig), IMAGE_WIDTH_PX[mode()], alt or describe_figure(fig))


def svg(fig: Figure) -> bytes:
    buf = io.BytesIO()
    # a fixed salt gives the same element ids on every run (rcParams are read at save time)
    with matplotlib.rc_context({"svg.hashsalt": _COMMON["svg.hashsalt"], "svg.fonttype": "none"}):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    return buf.getvalue()


EMPTY_GID = "bd-empty-message"


def empty_message(ax, text: str = "Nothing to show for this selection"):
    """A centred message artist, hidden until a selection leaves nothing to draw."""
    with context():
        artist = ax.text(0.5, 0.5, text, transform=ax.transAxes, ha="center", va="center",
                         fontsize=matplotlib.rcParams["font.size"] * 1.2, color="#555555",
                         visible=False, zorder=10)
    artist.set_gid(EMPTY_GID)  # so tests can tell "nothing to show" from a chart
    return artist


def table_styles() -> list[dict]:
    """CSS of our tables in the current mode (selector relative to the table, properties)."""
    # text wraps (white-space: normal): a cell is shown whole, never cut (see frames.py)
    return [{"selector": "", "props": [("font-size", _TABLE_FONT[mode()])]},
            {"selector": "th", "props": [("text-align", "left"), ("white-space", "normal")]},
            {"selector": "td", "props": [("text-align", "left"), ("vertical-align", "top"),
                                         ("white-space", "normal")]}]


def table_font_size() -> str:
    """The font size of tables in the current mode (CSS, relative to the page's)."""
    return _TABLE_FONT[mode()]


class Table:
    """A DataFrame shown as an HTML table: every cell escaped, no index, '–' for a missing
    value, sized for the current mode. Built with ``DataFrame.to_html`` (pandas' Styler would
    import jinja2, about 60 ms of every lesson's run)."""

    def __init__(self, frame, caption: str | None = None):
        self.frame = frame
        self.caption = caption
        self._styles = table_styles()  # the mode when it was made, like a chart

    def to_html(self) -> str:
        # (pandas 2 writes a None in a text column as "None", not na_rep: made NaN first)
        frame = self.frame.mask(self.frame.isna(), float("nan"))
        body = frame.to_html(index=False, escape=True, na_rep="–", border=0, classes="bd-table")
        # the rules go on each cell: JupyterLab's own stylesheet right-aligns table cells and
        # wins over a <style> block; every cell's text is escaped, so no "<td>" is ever content
        css = {rule["selector"] or "table": "; ".join(f"{k}: {v}" for k, v in rule["props"])
               for rule in self._styles}
        body = (body.replace('<tr style="text-align: right;">', "<tr>")
                .replace("<th>", f'<th style="{css["th"]}">')
                .replace("<td>", f'<td style="{css["td"]}">'))
        head, rest = body.split(">", 1)  # the opening <table ...> tag, and the rest
        caption = f"<caption>{html.escape(self.caption)}</caption>" if self.caption else ""
        return f'{head} style="{css["table"]}">{caption}{rest}'

    def _repr_html_(self) -> str:
        return self.to_html()

    def __repr__(self) -> str:  # plain-text front ends (nbconvert to text, a terminal)
        return (f"{self.caption}\n" if self.caption else "") + self.frame.to_string(index=False)


def table(frame, caption: str | None = None) -> Table:
    """Show a DataFrame as a styled table (escaped, readable in projector mode)."""
    return Table(frame, caption)
