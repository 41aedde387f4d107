"""In JupyterLab, in headless Chromium: key press on a slider handle -> new chart image, and
"Restart Kernel and Run All Cells" of each lesson against a notebook that only imports.

Used by bench.py. It reuses the browser tests' server and page helpers (tests/browser/conftest.py):
a private JupyterLab on 127.0.0.1 with a random token serving a temporary folder, and Debian's
Chromium. The time is taken inside the page: from the keydown event (capture phase) to the
moment the chart image's ``src`` changes, so Playwright's own latency is not counted.
"""

from __future__ import annotations

import contextlib
import importlib.util
import re
import sys
import tempfile
import time
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
# cold=True: every press draws a new image (the explorer keeps no PNG and draws nothing ahead:
# the slow case); cold=False: the explorer as a class has it (PNGs kept, the next states drawn
# ahead while the kernel is idle)
NOTEBOOK_SOURCE = ("import ipywidgets\n"
                   "from balkan_diplomacy import widgets\n"
                   "explorer = dict(widgets.explorer_builders())[{label!r}]()\n"
                   "if {cold}:\n"
                   "    explorer.IMAGES_KEPT = 0\n"
                   "# the control pressed: a slider of one value, else a list of one choice\n"
                   "kinds = (ipywidgets.IntSlider, ipywidgets.Dropdown)\n"
                   "pressed = next((w for kind in kinds for w in explorer.controls.values()\n"
                   "                if type(w) is kind), next(iter(explorer.controls.values())))\n"
                   "pressed.add_class('bd-bench')\n"
                   "explorer")
CONTROLS = [".bd-bench .noUi-handle", ".bd-bench select", "select.bd-bench"]
WATCH = """() => {
  window.__times = [];
  const start = () => { if (!window.__key) window.__key = performance.now(); };
  document.addEventListener('keydown', start, true);
  document.addEventListener('input', start, true);
  const img = document.querySelector('img.widget-image');
  new MutationObserver(() => {
    if (window.__key) { window.__times.push(performance.now() - window.__key); window.__key = null; }
  }).observe(img, {attributes: true, attributeFilter: ['src']});
}"""


def _conftest():
    spec = importlib.util.spec_from_file_location("browser_conftest",
                                                  ROOT / "tests" / "browser" / "conftest.py")
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # its dataclasses look themselves up there
    spec.loader.exec_module(module)
    return module


@contextlib.contextmanager
def lab_session():
    """A private JupyterLab serving a copy of the notebooks, and headless Chromium."""
    bt = _conftest()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        server = bt.start_lab(Path(tmp))
        try:
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(bt.CHROMIUM), headless=True,
                                             args=bt.CHROMIUM_ARGS)
                try:
                    yield bt, server, browser
                finally:
                    browser.close()
        finally:
            server.shutdown_sessions()
            bt.stop_process(server.proc, "jupyter lab")


def _write_notebook(server, name: str, source: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    nbformat.write(nb, server.root / name)
    return name


def key_to_image_ms(session, label: str, presses: int = 20, cold: bool = False) -> list[float]:
    """Milliseconds from each of ``presses`` changes of the explorer ``label``'s control (see
    CONTROLS) to its new image: an arrow key on a slider (the direction turns at the end of its
    range), the next option of a list (as chosen with the mouse; timed from its input event)."""
    bt, server, browser = session
    name = _write_notebook(server, "bench.ipynb", NOTEBOOK_SOURCE.format(label=label, cold=cold))
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        lab = bt.LabNotebook(page, server, name).open()
        lab.run_all()
        page.locator("img.widget-image").first.wait_for(state="visible")
        page.evaluate(WATCH)
        control = next(page.locator(css).first for css in CONTROLS
                       if page.locator(css).count())
        control.focus()
        slider = "noUi" in str(control)
        options = [] if slider else control.locator("option").evaluate_all(
            "(os) => os.map((o) => o.value)")
        direction, turned, step = 0, 0, 0
        while len(page.evaluate("() => window.__times")) < presses:
            count = len(page.evaluate("() => window.__times"))
            if slider:
                control.press(["ArrowLeft", "ArrowRight"][direction])
            else:  # a list: the next option chosen (as a click would), walking down the list
                step += 1
                control.select_option(options[step % len(options)])
            try:
                page.wait_for_function(f"() => window.__times.length > {count}",
                                       timeout=3_000, polling="raf")
                turned = 0
            except Exception:  # noqa: BLE001 - no new image: at an end (turn round), or a
                # state that looks the same as the last (the same PNG: the image stays)
                page.evaluate("() => { window.__key = null; }")
                direction, turned = 1 - direction, turned + 1
                if turned > 6:
                    raise RuntimeError(f"{label}: no key press or choice changes the chart") \
                        from None
            page.wait_for_timeout(150)  # let the kernel go idle between presses
        return page.evaluate("() => window.__times")[:presses]
    finally:
        page.close()
        server.shutdown_sessions()


def restart_and_run_all_seconds(session, name: str) -> float:
    """Seconds from confirming Kernel > "Restart Kernel and Run All Cells" to the moment every
    code cell shows its execution number (polled at each animation frame), in a fresh page.
    This is what an instructor waits for: the kernel's restart and imports, every cell, the
    browser drawing the outputs and the Jupyter server passing the messages on, all on the
    same machine."""
    bt, server, browser = session
    page = browser.new_page(viewport={"width": 1400, "height": 1000})
    try:
        lab = bt.LabNotebook(page, server, name).open()
        page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Kernel$")).click()
        page.locator(".lm-Menu-itemLabel",
                     has_text=re.compile(r"^Restart Kernel and Run All Cells")).click()
        confirm = page.locator(".jp-Dialog button.jp-mod-accept")
        confirm.wait_for(state="visible")
        start = time.perf_counter()
        confirm.click()
        page.wait_for_function(
            f"() => {{ const s = ({bt._EXECUTION_STATE})(); "
            "return s && s.total > 0 && s.running === 0 && s.done === s.total; }",
            timeout=180_000, polling="raf")
        seconds = time.perf_counter() - start
        problems = lab.problems()
        if problems:
            raise RuntimeError(f"{name} in JupyterLab: {problems[0]}")
        return seconds
    finally:
        page.close()
        server.shutdown_sessions()
        _wait_no_kernels(server)


def _wait_no_kernels(server, timeout: float = 20) -> None:
    """Until the server runs no kernel (a kernel still shutting down would slow the next run)."""
    deadline = time.monotonic() + timeout
    while server.api("/api/kernels") and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.2)  # and its process has let go of the CPU


def lab_run_all(session, notebooks: list[str], floor_source: str) -> dict[str, tuple[float, float]]:
    """Each notebook's Restart and Run All time and its floor's (the mean of a floor notebook's
    runs right before and right after it), one pass: F N1 F N2 F ... The first lesson is run
    once first, unmeasured: the first kernel to load the data validates it (about 1.7 s, once)."""
    floor = _write_notebook(session[1], "floor.ipynb", floor_source)
    restart_and_run_all_seconds(session, notebooks[0])
    result = {}
    before = restart_and_run_all_seconds(session, floor)
    for name in notebooks:
        seconds = restart_and_run_all_seconds(session, name)
        after = restart_and_run_all_seconds(session, floor)
        result[name] = (seconds, (before + after) / 2)
        before = after
    return result


if __name__ == "__main__":
    with lab_session() as session:
        result = key_to_image_ms(session, "nato.membership_explorer")
    print(", ".join(f"{t:.0f}" for t in result))
