"""In JupyterLab, in headless Chromium: key press on a slider handle -> new chart image.

Used by bench.py. It reuses the browser tests' server and page helpers (tests/browser/conftest.py):
a private JupyterLab on 127.0.0.1 with a random token serving a temporary folder, and Debian's
Chromium. The time is taken inside the page: from the keydown event (capture phase) to the
moment the chart image's ``src`` changes, so Playwright's own latency is not counted.
"""

from __future__ import annotations

import importlib.util
import sys
import tempfile
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_SOURCE = ("from balkan_diplomacy import nato\n"
                   "explorer = nato.membership_explorer()\n"
                   "explorer")
WATCH = """() => {
  window.__times = [];
  document.addEventListener('keydown', () => { window.__key = performance.now(); }, true);
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


def key_to_image_ms(presses: int = 20) -> list[float]:
    """Milliseconds from each of ``presses`` ArrowRight/ArrowLeft presses to the new image."""
    bt = _conftest()
    from playwright.sync_api import sync_playwright

    with tempfile.TemporaryDirectory() as tmp:
        tmp = Path(tmp)
        server = bt.start_lab(tmp)
        try:
            nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(NOTEBOOK_SOURCE)])
            nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                         "language": "python"}
            nbformat.write(nb, server.root / "bench.ipynb")
            with sync_playwright() as pw:
                browser = pw.chromium.launch(executable_path=str(bt.CHROMIUM), headless=True,
                                             args=bt.CHROMIUM_ARGS)
                try:
                    page = browser.new_page(viewport={"width": 1400, "height": 1000})
                    lab = bt.LabNotebook(page, server, "bench.ipynb").open()
                    lab.run_all()
                    page.locator("img.widget-image").first.wait_for(state="visible")
                    page.evaluate(WATCH)
                    handle = page.locator(".widget-slider .noUi-handle").first
                    handle.focus()
                    times = []
                    for i in range(presses):
                        # walk back and forth inside the slider's range
                        handle.press("ArrowLeft" if (i // 10) % 2 == 0 else "ArrowRight")
                        page.wait_for_function(f"() => window.__times.length > {i}",
                                               timeout=10_000, polling="raf")
                        page.wait_for_timeout(150)  # let the kernel go idle between presses
                    times = page.evaluate("() => window.__times")
                finally:
                    browser.close()
        finally:
            server.shutdown_sessions()
            bt.stop_process(server.proc, "jupyter lab")
    return times


if __name__ == "__main__":
    result = key_to_image_ms()
    print(", ".join(f"{t:.0f}" for t in result))
