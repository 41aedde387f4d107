"""The course website (make site) and its handouts (make handouts), in headless Chromium.

The site is built once per session with scripts/build_site.py into build/site (the lessons'
executed outputs are cached by the package's and data's hash, so a build after ``make site``
takes seconds). Every page is opened; a test fails on a missing image, a broken internal link
(file or #anchor), a console error, a request to another host, or an axe-core violation rated
serious or critical. axe-core comes from npm through scripts/get_axe.sh (.cache/axe).
"""

from __future__ import annotations

import html.parser
import importlib.util
import json
import os
import re
import shutil
import subprocess
import urllib.parse
from pathlib import Path

import pytest

from conftest import ROOT

# builds the site (the `site` extra) and opens it in Chromium: with the other browser tests, not
# in the lowest-versions run
pytestmark = pytest.mark.browser

AXE = ROOT / ".cache" / "axe" / "axe.min.js"


def _script(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "scripts" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_site = _script("build_site")
print_handouts = _script("print_handouts")


@pytest.fixture(scope="session")
def site() -> Path:
    """The student site (no guide), built now."""
    return build_site.build(guide=False, quiet=True)


@pytest.fixture(scope="session")
def base_url(site):
    with print_handouts.serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def chromium(browser):
    """The session's Chromium (tests/browser/conftest.py): Playwright's sync API allows one
    running instance per thread."""
    return browser


@pytest.fixture(scope="session")
def axe_source() -> str:
    if not AXE.exists():
        done = subprocess.run([str(ROOT / "scripts" / "get_axe.sh")], capture_output=True,
                              text=True)
        if done.returncode != 0:
            if os.environ.get("CI"):
                pytest.fail(f"scripts/get_axe.sh failed: {done.stderr}")
            pytest.skip(f"axe-core not available: {done.stderr.strip()}")
    return AXE.read_text(encoding="utf-8")


def pages(site: Path) -> list[Path]:
    """The site's pages (not the theme's template fragments that Sphinx copies to _static)."""
    return sorted(p for p in site.rglob("*.html") if "_static" not in p.relative_to(site).parts)


# ------------------------------------------------------------------------------------------
# the built files


class Refs(html.parser.HTMLParser):
    """Every resource a page loads (scripts, styles, fonts, images, frames) and every link."""

    def __init__(self):
        super().__init__()
        self.loads, self.links, self.ids = [], [], set()

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if "id" in a:
            self.ids.add(a["id"])
        if tag in ("script", "img", "iframe", "source", "audio", "video", "embed") and a.get("src"):
            self.loads.append((tag, a["src"]))
        if tag == "link" and a.get("href"):
            rel = (a.get("rel") or "").lower()
            if rel != "canonical":
                self.loads.append((f"link rel={rel}", a["href"]))
        if tag == "a" and a.get("href"):
            self.links.append(a["href"])


def parse(path: Path) -> Refs:
    refs = Refs()
    refs.feed(path.read_text(encoding="utf-8"))
    return refs


def is_external(url: str) -> bool:
    return bool(re.match(r"^(?:[a-z][a-z0-9+.-]*:)?//", url, re.I))


def test_the_site_has_every_lesson_data_table_and_sources_page(site):
    names = {p.relative_to(site).as_posix() for p in pages(site)}
    lessons = sorted(p.stem for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
    assert {f"lessons/{s}.html" for s in lessons} <= names
    assert {f"sources/{s}.html" for s in lessons} <= names
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    for res in package["resources"]:
        assert f"data/{res['name']}.html" in names
        page = (site / "data" / f"{res['name']}.html").read_text(encoding="utf-8")
        assert res["path"] in page
        for field in res["schema"]["fields"]:  # every column described
            code = ('<code class="docutils literal notranslate"><span class="pre">'
                    f"{field['name']}</span></code>")
            assert code in page
        # the download link works: the CSV is in the site, byte for byte
        href = re.search(r'href="([^"]+/' + re.escape(res["path"]) + r')"', page).group(1)
        assert (site / "data" / href).read_bytes() == (ROOT / "data" / res["path"]).read_bytes()
    assert "glossary.html" in names and "index.html" in names
    assert not any(n.startswith("guide/") for n in names), "the guide is left out by default"


def test_no_page_or_stylesheet_loads_from_another_host(site):
    found = []
    for path in pages(site):
        for tag, url in parse(path).loads:
            if is_external(url):
                found.append(f"{path.relative_to(site)}: <{tag}> {url}")
    for css in site.rglob("*.css"):
        text = css.read_text(encoding="utf-8", errors="replace")
        for url in re.findall(r"url\(\s*['\"]?([^'\")]+)", text) + re.findall(
                r"@import\s+['\"]([^'\"]+)", text):
            if is_external(url):
                found.append(f"{css.relative_to(site)}: {url}")
    for js in site.rglob("*.js"):  # scripts that would fetch fonts or styles from a CDN
        text = js.read_text(encoding="utf-8", errors="replace")
        found += [f"{js.relative_to(site)}: {u}" for u in re.findall(
            r"https?://(?:fonts\.googleapis|fonts\.gstatic|cdn\.jsdelivr|cdnjs\.cloudflare|unpkg)"
            r"[^\s'\"]*", text)]
    assert not found, "\n".join(found)


def test_every_internal_link_resolves(site):
    ids = {}
    broken = []
    for path in pages(site):
        refs = parse(path)
        for href in refs.links:
            if is_external(href) or href.startswith(("mailto:", "javascript:")):
                continue
            url = urllib.parse.urlsplit(href)
            target = (path.parent / urllib.parse.unquote(url.path)).resolve() if url.path else path
            if target.is_dir():
                target = target / "index.html"
            if not target.exists():
                broken.append(f"{path.relative_to(site)} -> {href}")
                continue
            if url.fragment and target.suffix == ".html":
                if target not in ids:
                    ids[target] = parse(target).ids
                if urllib.parse.unquote(url.fragment) not in ids[target]:
                    broken.append(f"{path.relative_to(site)} -> {href} (no such anchor)")
    assert not broken, "\n".join(broken)


def test_lessons_show_charts_and_fold_their_solutions(site):
    for path in sorted((site / "lessons").glob("*.html")):
        page = path.read_text(encoding="utf-8")
        nb = (ROOT / "notebooks" / f"{path.stem}.ipynb").read_text(encoding="utf-8")
        explorers = len(re.findall(r"_explorer\(", nb))
        quizzes = len(re.findall(r"quiz\.(?:quiz|check)\(", nb))  # the quiz and the checks halfway
        assert page.count('class="bd-static-figure"') >= explorers, path.name
        assert page.count('class="bd-static-quiz"') == quizzes, path.name
        assert "shown with ipywidgets" not in page, f"{path.name}: a widget without its picture"
        assert "application/vnd.jupyter.widget" not in page
        # the run box: the notebook as committed to download, and the commands
        text = re.sub(r"<[^>]+>", "", page)
        assert "bd-run-lesson" in page and "make lab" in text and "git-pull?repo=" in text
        href = re.search(r'href="(\.\./_downloads/[^"]+/' + re.escape(path.stem) + r'\.ipynb)"',
                         page)
        assert href, f"{path.name}: no download link to its notebook"
        assert ((path.parent / href.group(1)).read_bytes()
                == (ROOT / "notebooks" / f"{path.stem}.ipynb").read_bytes())
        cells = json.loads(nb)["cells"]
        # code solutions carry the tag on the page; a written model answer (markdown) is its own
        # closed <details> in the text
        solutions = sum(c["cell_type"] == "code" and "solution" in c["metadata"].get("tags", [])
                        for c in cells)
        assert solutions, path.name
        assert page.count("tag_solution") == solutions, path.name
        # every solution cell sits in a closed <details> (MyST-NB's hide-cell)
        for cell in re.findall(r'<div class="cell tag_solution[^"]*"[^>]*>(.{0,400})', page, re.S):
            assert "<details" in cell and "open" not in cell.split(">", 1)[0], path.name


# ------------------------------------------------------------------------------------------
# in the browser


def test_every_page_in_chromium(site, base_url, chromium, axe_source):
    problems = []
    local = urllib.parse.urlsplit(base_url).netloc
    for path in pages(site):
        rel = path.relative_to(site).as_posix()
        page = chromium.new_page()
        errors = []
        page.on("console", lambda m, e=errors: e.append(f"console {m.type}: {m.text}")
                if m.type == "error" else None)
        page.on("pageerror", lambda exc, e=errors: e.append(f"page error: {exc}"))
        page.on("requestfailed", lambda r, e=errors: e.append(f"request failed: {r.url}"))

        def route(r, e=errors):
            if urllib.parse.urlsplit(r.request.url).netloc not in (local, ""):
                e.append(f"request to another host: {r.request.url}")
                return r.abort()
            return r.continue_()

        page.route("**/*", route)
        response = page.goto(f"{base_url}/{rel}", wait_until="load")
        page.wait_for_load_state("networkidle")  # late requests too (the icon, fonts)
        if response is None or not response.ok:
            errors.append(f"HTTP {response.status if response else 'no response'}")
        missing = page.evaluate("""() => Array.from(document.images)
            .filter(i => !i.complete || i.naturalWidth === 0)
            .map(i => (i.getAttribute('src') || '').slice(0, 80))""")
        errors += [f"missing image {m}" for m in missing]
        page.add_script_tag(content=axe_source)
        violations = page.evaluate("""async () => {
            const r = await axe.run(document, {resultTypes: ['violations']});
            return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
              .map(v => `${v.impact} ${v.id}: ${v.help} (${v.nodes.length}x, e.g. `
                        + `${v.nodes[0].target.join(' ')})`);
        }""")
        errors += [f"axe {v}" for v in violations]
        page.close()
        problems += [f"{rel}: {e}" for e in errors]
    assert not problems, "\n".join(problems)


def test_a_solution_opens_on_click_only(base_url, chromium):
    page = chromium.new_page()
    page.goto(f"{base_url}/lessons/03_nato_western_balkans.html", wait_until="load")
    cell = page.locator(".cell.tag_solution").first
    assert not cell.locator(".cell_input").is_visible(), "a solution is shown open"
    cell.locator("summary").first.click()
    assert cell.locator(".cell_input").is_visible()
    answer = page.locator(".bd-quiz-answer").first
    assert not answer.locator("p").is_visible()
    answer.locator("summary").click()
    assert answer.locator("p").is_visible()
    page.close()


# ------------------------------------------------------------------------------------------
# handouts

needs_poppler = pytest.mark.skipif(shutil.which("pdfimages") is None and not os.environ.get("CI"),
                                   reason="handouts are checked with poppler-utils' pdfimages")


@needs_poppler
def test_the_cut_chart_checks_catch_a_cut(tmp_path, chromium):
    """Chromium moves a picture that fits on a page to the next page rather than cut it; one
    taller than a page is cut. The check before printing refuses it, and the check of the PDF
    finds it drawn on two pages; a picture that fits, placed across a break, passes both."""
    import base64
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGB", (400, 300), (30, 90, 160)).save(buf, "PNG")
    src = "data:image/png;base64," + base64.b64encode(buf.getvalue()).decode()

    def page(name, height):
        (tmp_path / f"{name}.html").write_text(
            "<!doctype html><html lang=en><title>t</title><div style='height:820px'>text</div>"
            f"<figure><img src='{src}' alt='a block' style='display:block;width:600px;"
            f"height:{height}px'></figure></html>", encoding="utf-8")

    page("fits", 450)
    page("tall", 1300)
    with print_handouts.serve(tmp_path) as url:
        print_handouts.print_page(chromium, f"{url}/fits.html", tmp_path / "fits.pdf")
        assert list(print_handouts.images_on_pages(tmp_path / "fits.pdf").values()) == [[2]]
        with pytest.raises(print_handouts.CutChart, match="taller than a printed page"):
            print_handouts.print_page(chromium, f"{url}/tall.html", tmp_path / "tall.pdf")
        # the PDF check on its own, on the tall page printed without the first check
        p = chromium.new_page()
        p.goto(f"{url}/tall.html")
        p.evaluate("Promise.all([...document.images].map(i => i.decode()))")  # as print_page does
        p.pdf(path=str(tmp_path / "tall.pdf"), **print_handouts.PAGE)
        p.close()
        assert list(print_handouts.cut_images(tmp_path / "tall.pdf").values()) == [[2, 3]]


@needs_poppler
def test_a_handout_has_charts_and_no_code_solutions_or_answers(site, base_url, chromium,
                                                               tmp_path):
    pdf = tmp_path / "03.pdf"
    pages_printed = print_handouts.print_page(
        chromium, f"{base_url}/lessons/03_nato_western_balkans.html", pdf)
    assert pages_printed >= 2
    text = subprocess.run(["pdftotext", str(pdf), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "NATO enlargement around Serbia" in text
    assert "Exercise 1" in text and "Sources" in text and "Self-check" in text
    assert "import pandas" not in text, "code is left out of a handout"
    assert "Show the worked solution" not in text and "Show the answer" not in text
    assert "Run this lesson" not in text
    images = print_handouts.images_on_pages(pdf)
    assert images, "the handout has its charts"
