"""The dashboard under Voila in Chromium, offline: no code shown, one tab per explorer, each tab
chosen from the keyboard shows its chart, caption and source line, and its chart is live.

Voila serves a temporary copy of notebooks/dashboard.ipynb on 127.0.0.1 with a random token (as
scripts/serve_dashboard.py does, with the default 'lab' template). Chromium may reach only
127.0.0.1: every other request is aborted, as on a classroom machine without internet.
"""

from __future__ import annotations

import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "notebooks" / "dashboard.ipynb"


def check_dashboard(bt, page, server, expected: int, log: list, shot=None) -> list[str]:
    page.goto(server.url("/"))  # voila NOTEBOOK serves it at the root
    # Voila renders cell by cell: wait until the first tab's chart is there (or an error shows)
    page.wait_for_function(
        "() => document.querySelector('.widget-tab img.widget-image[src], "
        ".jupyter-widgets-error-widget, [data-mime-type=\"application/vnd.jupyter.stderr\"]')",
        timeout=120_000, polling=250)
    page.wait_for_load_state("load")
    body = page.locator("body")
    failures = bt.output_problems(body)
    code = page.locator(".jp-CodeCell:not(.jp-mod-noInput) .jp-InputArea, .cm-editor")
    if code.count():
        failures.append(f"{code.count()} code cell input(s) visible")
    for snippet in ("from balkan_diplomacy import", "dashboard.dashboard()"):
        if snippet in body.inner_text():
            failures.append(f"code is visible on the page: {snippet!r}")
    tabs = page.locator(".widget-tab .lm-TabBar-tab")
    if tabs.count() != expected:
        failures.append(f"{tabs.count()} tabs shown, {expected} expected")
    panel = page.locator(".widget-tab > .widget-tab-contents > :not(.lm-mod-hidden)")
    for i in range(tabs.count()):
        t0 = time.monotonic()
        if i:  # from the keyboard: the focused tab bar moves on with ArrowRight, Enter chooses
            tabs.nth(i - 1).focus()
            page.keyboard.press("ArrowRight")
            page.keyboard.press("Enter")
        try:
            page.wait_for_function("el => el.classList.contains('lm-mod-current')",
                                   arg=tabs.nth(i).element_handle(), timeout=5_000)
        except Exception:  # noqa: BLE001
            tabs.nth(i).click()  # the keyboard did not choose it: say so, go on with the mouse
            failures.append(f"tab {i} could not be chosen from the keyboard")
        panel.locator("img.widget-image[src]").first.wait_for(state="visible", timeout=60_000)
        label = tabs.nth(i).inner_text()
        shown = panel.inner_text()
        if "Source:" not in shown:
            failures.append(f"tab {label!r}: no source line")
        log.append(f"tab {label!r} {time.monotonic() - t0:.1f} s")
        failures += [f"tab {label!r}: {f}" for f in
                     bt.exercise_explorers(panel, log, expect=True, only_visible=True)]
        if shot is not None and i in (0, 2, 7):
            page.screenshot(path=str(shot(f"voila_dashboard_tab{i}")), full_page=True)
    failures += bt.output_problems(body)
    return failures


def test_dashboard_in_voila(bt, tmp_path, page_for, shot):
    from balkan_diplomacy import dashboard

    expected = len(dashboard.PANELS)
    t0 = time.monotonic()
    server = bt.start_voila(tmp_path, DASHBOARD)
    try:
        page = page_for(server, width=1280, height=900)
        log = [f"server up {time.monotonic() - t0:.1f} s"]
        failures = check_dashboard(bt, page, server, expected, log, shot)
        log.append(f"total {time.monotonic() - t0:.1f} s")
        if page.blocked:
            log.append(f"offline: {len(page.blocked)} request(s) off this machine refused, "
                       f"e.g. {page.blocked[0]}")
        print("\ndashboard.ipynb in Voila: " + "; ".join(log))
        assert not failures, "dashboard in Voila:\n- " + "\n- ".join(failures)
    finally:
        bt.stop_process(server.proc, "voila")
