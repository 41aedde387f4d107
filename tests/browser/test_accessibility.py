"""axe-core in Chromium: no serious or critical accessibility violation in what we make.

Two pages: the Voila dashboard (every tab chosen once, so that every explorer is on the page), and
the output areas of a lesson after Run All in JupyterLab. JupyterLab's own interface (menus, side
bars, toolbars) is not ours: its findings are printed for information, never failed on.

axe-core is not committed (MPL-2.0, 650 kB): ``.ci/run`` fetches it with ``npm pack axe-core@4``
into ``.cache/axe/``; elsewhere set AXE_CORE_JS to an ``axe.min.js``. Without it these tests skip.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import pytest

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
DASHBOARD = ROOT / "notebooks" / "dashboard.ipynb"
AXE = Path(os.environ.get("AXE_CORE_JS", ROOT / ".cache" / "axe" / "axe.min.js"))
FAILING = ("serious", "critical")
#: lessons whose outputs are checked in JupyterLab: sliders, range sliders, multi-selects and
#: dropdowns (02), toggles, a dropdown and the quiz (05); about 50 s each
LESSONS = ["02_kosovo_2008.ipynb", "05_putin_in_serbian_opinion.ipynb"]


@pytest.fixture(scope="module")
def axe_js() -> str:
    if not AXE.exists():
        pytest.skip(f"axe-core not found at {AXE} (.ci/run fetches it: npm pack axe-core@4)")
    return AXE.read_text(encoding="utf-8")


def run_axe(page, axe_js: str, context: str | None = None) -> list[dict]:
    """axe's violations on ``page`` (within the elements matching ``context``, or the whole
    document), as [{id, impact, help, nodes: [target, ...]}]."""
    if not page.evaluate("() => typeof window.axe !== 'undefined'"):
        page.add_script_tag(content=axe_js)
    found = page.evaluate(
        """async (context) => {
            const where = context ? {include: [...document.querySelectorAll(context)]} : document;
            const r = await axe.run(where, {resultTypes: ['violations']});
            return r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,
                                           nodes: v.nodes.map(n => n.target.join(' '))}));
        }""", context)
    return found


def summary(violations: list[dict]) -> dict:
    counts: dict[str, int] = {}
    for v in violations:
        counts[v["impact"]] = counts.get(v["impact"], 0) + len(v["nodes"])
    return counts


def failing(violations: list[dict]) -> list[str]:
    return [f"{v['impact']}: {v['id']} ({v['help']}) x{len(v['nodes'])}: {v['nodes'][:3]}"
            for v in violations if v["impact"] in FAILING]


def axe_every_tab(page, axe_js: str, log: list) -> tuple[int, list[dict]]:
    """Choose each tab of the dashboard in turn, wait for its chart, run axe on the page (axe
    skips what is hidden, so each tab is checked while it shows); returns the tab count and
    the violations, each node once."""
    tabs = page.locator(".widget-tab .lm-TabBar-tab")
    count = tabs.count()
    merged: dict[str, dict] = {}
    for i in range(count):
        tabs.nth(i).click()
        panel = page.locator(".widget-tab > .widget-tab-contents > :not(.lm-mod-hidden)")
        panel.locator("img.widget-image[src]").first.wait_for(state="visible", timeout=60_000)
        page.wait_for_timeout(300)
        for v in run_axe(page, axe_js):
            seen = merged.setdefault(v["id"], v | {"nodes": []})
            seen["nodes"] += [n for n in v["nodes"] if n not in seen["nodes"]]
    log.append(f"{count} tabs checked")
    return count, list(merged.values())


def test_dashboard_has_no_serious_or_critical_violation(bt, tmp_path, page_for, shot, axe_js):
    server = bt.start_voila(tmp_path, DASHBOARD)
    try:
        page = page_for(server, width=1280, height=900)
        page.goto(server.url("/"))
        page.locator(".widget-tab .lm-TabBar-tab").first.wait_for(timeout=120_000)
        log: list = []
        tabs, violations = axe_every_tab(page, axe_js, log)
        print(f"\naxe on the dashboard ({tabs} tabs): {summary(violations)} "
              + json.dumps([(v["id"], v["impact"], len(v["nodes"])) for v in violations]))
        assert tabs >= 8
        bad = failing(violations)
        assert not bad, "dashboard:\n- " + "\n- ".join(bad)
    finally:
        bt.stop_process(server.proc, "voila")


@pytest.mark.parametrize("lesson", LESSONS)
def test_lesson_outputs_have_no_serious_or_critical_violation(bt, lab, open_lab_notebook, axe_js,
                                                              lesson):
    t0 = time.monotonic()
    nb = open_lab_notebook(lab, lesson)
    nb.run_all()
    page = nb.page
    page.wait_for_timeout(500)
    ours = run_axe(page, axe_js, ".jp-OutputArea-output")
    whole = run_axe(page, axe_js)
    in_outputs = {(v["id"], n) for v in ours for n in v["nodes"]}
    chrome = [v | {"nodes": [n for n in v["nodes"] if (v["id"], n) not in in_outputs]}
              for v in whole]
    chrome = [v for v in chrome if v["nodes"]]
    print(f"\naxe on {lesson} after Run All ({time.monotonic() - t0:.0f} s): outputs "
          f"{summary(ours)} " + json.dumps([(v["id"], v["impact"], len(v["nodes"])) for v in ours])
          + f"\nJupyterLab's own interface (not failed on): {summary(chrome)} "
          + json.dumps([(v["id"], v["impact"], len(v["nodes"]), v["nodes"][:2]) for v in chrome]))
    bad = failing(ours)
    assert not bad, f"{lesson} outputs:\n- " + "\n- ".join(bad)


def test_axe_sees_a_chart_without_alternative_text(bt, lab, page_for, axe_js):
    """The check can fail: an <img> with no alt in an output area is a critical violation."""
    page = page_for(lab)
    page.set_content('<div class="jp-OutputArea-output"><img src="data:image/png;base64,'
                     'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAE'
                     'hQGAhKmMIQAAAABJRU5ErkJggg=="><div role="slider" tabindex="0" '
                     'aria-valuenow="1" aria-valuemin="0" aria-valuemax="2"></div></div>')
    ids = {v["id"] for v in run_axe(page, axe_js, ".jp-OutputArea-output")
           if v["impact"] in FAILING}
    assert {"image-alt", "aria-input-field-name"} <= ids, ids
