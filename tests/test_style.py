"""Projector mode makes charts and tables larger; a second call switches back."""

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
