"""Every explorer carries its chart's alternative text, kept to what the chart shows now, and
names its slider handles in the browser (balkan_diplomacy/access.py; axe-core checks the page in
tests/browser/test_accessibility.py)."""

import html
import re

import pytest

from balkan_diplomacy import access, widgets


def caption_text(explorer) -> str:
    return html.unescape(re.sub(r"<[^>]+>", "", explorer.caption.value))


@pytest.mark.parametrize("name, build", list(widgets.explorer_builders()),
                         ids=[n for n, _ in widgets.explorer_builders()])
def test_alt_text_says_what_the_chart_shows_now(name, build):
    explorer = build()
    assert explorer.access in explorer.children
    assert explorer.access.alt.startswith(explorer.alt_text)
    assert caption_text(explorer) in explorer.access.alt
    # change the first control that offers another value: the alt text follows the caption
    for control in explorer.controls.values():
        values = widgets.allowed_values(control)
        others = [v for v in (values or []) if v != control.value]
        if others:
            before = explorer.access.alt
            control.value = others[len(others) // 2]
            assert caption_text(explorer) in explorer.access.alt
            if caption_text(explorer) not in before:
                assert explorer.access.alt != before
            break


def test_the_browser_part_names_images_and_slider_handles():
    esm = access.Access._esm
    assert 'setAttribute("alt"' in esm and 'setAttribute("aria-label"' in esm
    assert access.HOST_CLASS in esm and "MutationObserver" in esm
