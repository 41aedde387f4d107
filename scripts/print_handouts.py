"""Print one PDF handout per lesson from the course website: ``make handouts``.

Each lesson page of ``build/site/html`` (``make site``) is opened in Debian's Chromium through
Playwright and printed with the site's print stylesheet (``website/_static/course.css``): the
lesson's questions, charts and tables, its exercises without their solutions, the self-check
questions without their answers, and its sources. No code, no navigation.

A chart is never cut in half. Chromium moves a picture that fits on a page to the next page
rather than cut it, and the stylesheet keeps each figure with its caption (``break-inside:
avoid``); a picture taller than a page would still be cut. Two checks:

- before printing, in the print layout: every chart must fit on one page;
- after printing, in the PDF (poppler's ``pdfimages -list``): no image may be drawn on two pages
  (Chromium draws a cut picture on both pages, so an image object listed on two pages is a
  chart cut in half).

The handouts go to ``build/handouts/NN_name.pdf``. Options: ``--site DIR`` (default
``build/site/html``), ``--out DIR``, ``--only NN`` (one lesson, by its number).
"""

from __future__ import annotations

import argparse
import functools
import http.server
import shutil
import subprocess
import sys
import threading
from collections import defaultdict
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITE = ROOT / "build" / "site" / "html"
OUT = ROOT / "build" / "handouts"
CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]
#: A4 with the stylesheet's margins (14 mm left and right, 14 mm top, 16 mm bottom).
PAGE = {"format": "A4", "margin": {"top": "14mm", "bottom": "16mm", "left": "14mm",
                                   "right": "14mm"}}
PAGE_CONTENT_HEIGHT_MM = 297 - 14 - 16
MM_PX = 96 / 25.4  # CSS pixels per millimetre
#: What a chart is on a lesson page.
CHARTS = "img, figure, svg"
FOOTER = ('<div style="font-size:8px;width:100%;padding:0 14mm;color:#555;'
          'font-family:sans-serif;display:flex;justify-content:space-between">'
          '<span class="title"></span><span>page <span class="pageNumber"></span> of '
          '<span class="totalPages"></span></span></div>')


class CutChart(Exception):
    """A chart that a page break would cut, or did cut."""


@contextmanager
def serve(folder: Path):
    """Serve ``folder`` on 127.0.0.1 (a free port) while the block runs; yields the base URL."""
    class Quiet(http.server.SimpleHTTPRequestHandler):
        def log_message(self, *args):
            pass

    class Server(http.server.ThreadingHTTPServer):
        def handle_error(self, request, client_address):
            # the browser closed a connection it no longer needed (a page closed while a
            # script or font was still coming): not an error of the site
            if not isinstance(sys.exc_info()[1], (BrokenPipeError, ConnectionResetError)):
                super().handle_error(request, client_address)

    server = Server(("127.0.0.1", 0), functools.partial(Quiet, directory=str(folder)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


def too_tall(page) -> list[str]:
    """Charts taller than a printed page, in the print layout (each: a short description)."""
    limit = PAGE_CONTENT_HEIGHT_MM * MM_PX
    found = page.evaluate(
        """([selector, limit]) => Array.from(document.querySelectorAll(selector))
             .filter(e => e.getBoundingClientRect().height > limit && e.offsetParent !== null)
             .map(e => `${e.tagName.toLowerCase()} ${(e.getAttribute('alt') || '').slice(0, 60)}`
                       + ` (${Math.round(e.getBoundingClientRect().height)} px)`)""",
        [CHARTS, limit])
    return found


def images_on_pages(pdf: Path) -> dict[str, list[int]]:
    """{image object id: [pages it is drawn on]} from ``pdfimages -list`` (poppler-utils)."""
    exe = shutil.which("pdfimages")
    if exe is None:
        raise SystemExit("make handouts needs pdfimages from poppler-utils "
                         "(sudo apt-get install poppler-utils)")
    listing = subprocess.run([exe, "-list", str(pdf)], capture_output=True, text=True,
                             check=True).stdout.splitlines()
    pages = defaultdict(list)
    for line in listing[2:]:  # two header lines
        cols = line.split()
        # page num type width height color comp bpc enc interp object ID x-ppi y-ppi size ratio
        if len(cols) >= 12 and cols[2] == "image":  # an smask belongs to its image
            pages[f"{cols[10]} {cols[11]}"].append(int(cols[0]))
    return {obj: sorted(set(p)) for obj, p in pages.items()}


def cut_images(pdf: Path) -> dict[str, list[int]]:
    """Images drawn on more than one page of ``pdf``: charts a page break cut."""
    return {obj: p for obj, p in images_on_pages(pdf).items() if len(p) > 1}


def print_page(b, url: str, pdf: Path) -> int:
    """Print one page to ``pdf`` after checking its charts fit a page; returns the PDF's page
    count. Raises CutChart when a chart is too tall for a page or was cut."""
    page = b.new_page()
    try:
        page.emulate_media(media="print")
        page.goto(url, wait_until="load")
        page.evaluate("document.fonts.ready")
        # every picture decoded before printing: on a busy machine Chromium may print a page
        # whose images are loaded but not yet decoded, and leave them out of the PDF
        page.evaluate("Promise.all([...document.images].map(i => i.decode().catch(() => null)))")
        tall = too_tall(page)
        if tall:
            raise CutChart(f"{url}: taller than a printed page: {'; '.join(tall)}")
        page.pdf(path=str(pdf), print_background=True, display_header_footer=True,
                 header_template="<span></span>", footer_template=FOOTER, **PAGE)
    finally:
        page.close()
    cut = cut_images(pdf)
    if cut:
        where = "; ".join(f"image {obj} on pages {', '.join(map(str, p))}"
                          for obj, p in cut.items())
        raise CutChart(f"{pdf.name}: a page break cuts a chart: {where}")
    listing = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True,
                             check=False).stdout if shutil.which("pdfinfo") else ""
    for line in listing.splitlines():
        if line.startswith("Pages:"):
            return int(line.split()[1])
    return 0


def lesson_pages(site: Path) -> list[Path]:
    return sorted((site / "lessons").glob("[0-9][0-9]_*.html"))


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=SITE)
    parser.add_argument("--out", type=Path, default=OUT)
    parser.add_argument("--only", default=None, help="one lesson, by number (e.g. 03)")
    args = parser.parse_args(argv)
    pages = lesson_pages(args.site)
    if args.only:
        pages = [p for p in pages if p.name.startswith(args.only)]
    if not pages:
        print(f"handouts: no lesson pages in {args.site / 'lessons'} (run make site first)",
              file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    failed = []
    with serve(args.site) as base, browser() as b:
        for html_page in pages:
            pdf = args.out / f"{html_page.stem}.pdf"
            url = f"{base}/{html_page.relative_to(args.site).as_posix()}"
            try:
                n = print_page(b, url, pdf)
            except CutChart as exc:
                failed.append(str(exc))
                print(f"handouts: {exc}", file=sys.stderr)
                continue
            print(f"handouts: {pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}"
                  f" ({n} pages)")
    return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
