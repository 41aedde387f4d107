"""Projector mode makes charts and tables larger; a second call switches back."""

import pytest

import balkan_diplomacy
from balkan_diplomacy import style


def _title_size():
    fig = style.new_figure()
    ax = fig.add_subplot()
    with style.context():
        title = ax.set_title("Montenegro joins NATO")
        line, = ax.plot([2009, 2017], [2, 3])
    return title.get_fontsize(), line.get_linewidth(), fig.dpi


def test_projector_mode_round_trip():
    small = _title_size()
    balkan_diplomacy.present()
    try:
        big = _title_size()
        assert "150%" in str(style.table_styles())
    finally:
        balkan_diplomacy.default()
    assert big[0] >= small[0] * 1.3 and big[1] > small[1] and big[2] >= small[2]
    assert _title_size() == small
    assert "100%" in str(style.table_styles())


def test_palette_is_fixed_per_actor():
    assert style.ACTOR_COLORS["Serbia"] != style.ACTOR_COLORS["Kosovo"]
    assert len(set(style.ACTOR_COLORS.values())) == len(style.ACTOR_COLORS)


def test_png_has_no_timestamp():
    fig = style.new_figure()
    fig.add_subplot().plot([1, 2])
    assert style.png(fig) == style.png(fig)
    assert b"Software" not in style.png(fig)


def test_table_escapes_text():
    import pandas as pd
    html = style.table(pd.DataFrame({"x": ["<script>alert(1)</script>"]}), caption="<b>").to_html()
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert "&lt;b&gt;" in html


def test_wrap_lines_fits_the_width_and_keeps_every_word():
    fig = style.new_figure(6, 3)
    text = ("Source: recognitions.csv: counts as claimed by the governments in Priština/Prishtina "
            "and Belgrade and by independent compilations.\nKnown only via state-affiliated media: "
            "Ivica Dačić (via Sputnik), 16 August 2019; a_very_long_unbreakable_word_" + "x" * 150)
    wrapped = style.wrap_lines(fig, text, fontsize=8, width=0.5)
    assert wrapped.split() == text.split()  # nothing lost, nothing added
    assert wrapped.count("\n") >= 4 and "2019;\n" not in wrapped.split("\n", 1)[0]
    from matplotlib.font_manager import FontProperties

    renderer = fig.canvas.get_renderer()
    font = FontProperties(family="DejaVu Sans", size=8)
    for line in wrapped.split("\n"):
        width = renderer.get_text_width_height_descent(line, font, False)[0]
        assert width <= 0.5 * fig.bbox.width or " " not in line, line  # a lone long word may not
    # and each line is as full as it can be: with the next line's first word it would not fit
    lines = wrapped.split("\n")
    for line, after in zip(lines, lines[1:]):
        if after.startswith("Known only"):  # a paragraph's end
            continue
        longer = f"{line} {after.split(' ')[0]}"
        assert renderer.get_text_width_height_descent(longer, font, False)[0] > (
            0.5 * fig.bbox.width), (line, after)
    # the paragraph break is kept: the second paragraph starts a line
    assert "\nKnown only" in wrapped


def test_table_cells_are_left_aligned_and_sized_for_the_mode():
    import pandas as pd
    frame = pd.DataFrame({"state": ["Serbia", None], "share": [80.0, 45.5]})
    html = style.table(frame, caption="Putin").to_html()
    assert html.count('text-align: left; vertical-align: top') == 4  # every cell, inline
    assert "<caption>Putin</caption>" in html and "–" in html and "font-size: 100%" in html
    balkan_diplomacy.present()
    try:
        assert "font-size: 150%" in style.table(frame)._repr_html_()
    finally:
        balkan_diplomacy.default()


@pytest.mark.parametrize("mode", ["default", "projector"])
def test_titles_fixed_at_the_top_draw_as_matplotlib_would_place_them(mode, monkeypatch):
    """The style sets axes.titley = 1.0, which spares matplotlib placing each title by the
    extent of the axis's tick labels at every draw (10-30 ms per chart). Every chart must look
    exactly as with matplotlib's automatic placement (a chart with tick labels on top would
    need it: its title would then differ here)."""
    import io

    import numpy as np
    from PIL import Image

    from balkan_diplomacy import widgets

    def pictures():
        (style.present if mode == "projector" else style.default)()
        try:
            return {name: np.asarray(Image.open(io.BytesIO(style.png(build().figure))))
                    for name, build in widgets.explorer_builders()}
        finally:
            style.default()

    fixed = pictures()
    monkeypatch.delitem(style._COMMON, "axes.titley")
    placed = pictures()
    for name in fixed:
        assert fixed[name].shape == placed[name].shape and (fixed[name] == placed[name]).all(), \
            f"{name} ({mode}): the title is not where matplotlib would place it"


def test_importing_the_package_shows_table_text_whole():
    import pandas as pd

    from balkan_diplomacy import frames

    assert pd.get_option("display.max_colwidth") is None
    long = "Brussels finally named a possible date for Serbia's accession: 2025, " * 2
    frame = pd.DataFrame({"note": [long, "<script>x</script>"]})
    assert "..." not in frame.to_string() and long.strip() in frame.to_string()
    page = frames.frame_html(frame)
    assert long.strip() in page and "<script>" not in page
    import re

    assert page.count("white-space: normal") == len(re.findall(r"<t[dh][ >]", page))
    assert "font-size: 100%" in page
    assert "white-space: normal" in style.table(frame).to_html()


def test_plain_dataframes_grow_in_projector_mode():
    import pandas as pd

    from balkan_diplomacy import frames

    balkan_diplomacy.present()
    try:
        assert "font-size: 150%" in frames.frame_html(pd.DataFrame({"x": [1]}))
    finally:
        balkan_diplomacy.default()


def test_the_html_view_is_registered_in_a_kernel():
    """In an IPython shell, apply() makes DataFrames display through frames.frame_html."""
    import pandas as pd
    from IPython.core.interactiveshell import InteractiveShell

    from balkan_diplomacy import frames

    shell = InteractiveShell.instance()
    try:
        frames.apply()
        data, _ = shell.display_formatter.format(pd.DataFrame({"note": ["x" * 90]}))
        assert "white-space: normal" in data["text/html"] and "x" * 90 in data["text/html"]
    finally:
        InteractiveShell.clear_instance()


def test_a_static_chart_carries_alternative_text():
    fig = style.new_figure()
    ax = fig.add_subplot()
    with style.context():
        ax.set_title("Events per category")
        ax.set_xlabel("Number of events")
        ax.bar(["EU", "NATO"], [3, 2])
    data, meta = style.show(fig)._repr_mimebundle_()
    assert 'alt="Chart: Events per category; x axis: Number of events."' in data["text/html"]
    assert data["text/html"].startswith("<img src=\"data:image/png;base64,")
    assert meta["image/png"]["alt"] in data["text/plain"]
    import base64

    assert base64.b64decode(data["image/png"]) == style.png(fig)
    assert 'alt="a &lt;b&gt; chart"' in style.show(fig, alt="a <b> chart")._repr_mimebundle_()[0][
        "text/html"]
