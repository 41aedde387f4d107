"""The dashboard under Voila in Chromium, offline: no code shown, every chart present and live.

Voila serves a temporary copy of notebooks/dashboard.ipynb on 127.0.0.1 with a random token (as
scripts/serve_dashboard.py does, with the default 'lab' template). Chromium may reach only
127.0.0.1: every other request is aborted, as on a classroom machine without internet.
"""

from __future__ import annotations

import time
from pathlib import Path

import nbformat
import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "notebooks" / "dashboard.ipynb"


def explorer_cells(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum("explorer(" in c.source for c in nb.cells if c.cell_type == "code")


def check_dashboard(bt, page, server, expected: int, log: list) -> list[str]:
    page.goto(server.url("/"))  # voila NOTEBOOK serves it at the root
    # Voila renders cell by cell: wait until every chart is there (or an error shows)
    # (each explorer ends as an image, or as ipywidgets' error box if its view failed)
    page.wait_for_function(
        "n => document.querySelectorAll('img.widget-image[src], "
        ".jupyter-widgets-error-widget').length >= n"
        " || document.querySelector('[data-mime-type=\"application/vnd.jupyter.stderr\"]')",
        arg=expected, timeout=120_000, polling=250)
    page.wait_for_load_state("load")
    body = page.locator("body")
    failures = bt.output_problems(body)
    code = page.locator(".jp-CodeCell:not(.jp-mod-noInput) .jp-InputArea, .cm-editor")
    if code.count():
        failures.append(f"{code.count()} code cell input(s) visible")
    for snippet in ("from balkan_diplomacy import", "_explorer()"):
        if snippet in body.inner_text():
            failures.append(f"code is visible on the page: {snippet!r}")
    shown = page.locator(bt.IMAGE).count()
    if shown != expected:
        failures.append(f"{shown} chart image(s) shown, {expected} expected")
    failures += bt.exercise_explorers(body, log, expect=True)
    return failures


def test_dashboard_in_voila(bt, tmp_path, page_for, shot):
    expected = explorer_cells(DASHBOARD)
    assert expected >= 3, "the dashboard should bring several explorers together"
    t0 = time.monotonic()
    server = bt.start_voila(tmp_path, DASHBOARD)
    try:
        page = page_for(server, width=1280, height=900)
        log = [f"server up {time.monotonic() - t0:.1f} s"]
        failures = check_dashboard(bt, page, server, expected, log)
        log.append(f"total {time.monotonic() - t0:.1f} s")
        # the page scrolls inside #rendered_cells: make the window as tall as the content
        height = page.evaluate("() => (document.querySelector('#rendered_cells') || "
                               "document.body).scrollHeight")
        page.set_viewport_size({"width": 1280, "height": min(max(height + 60, 900), 14000)})
        page.wait_for_timeout(400)
        page.screenshot(path=str(shot("voila_dashboard")), full_page=True)
        if page.blocked:
            log.append(f"offline: {len(page.blocked)} request(s) off this machine refused, "
                       f"e.g. {page.blocked[0]}")
        print("\ndashboard.ipynb in Voila: " + "; ".join(log))
        assert not failures, "dashboard in Voila:\n- " + "\n- ".join(failures)
    finally:
        bt.stop_process(server.proc, "voila")
