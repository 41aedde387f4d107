"""Static views for the website (balkan_diplomacy.static) and the pages build_site.py writes."""

from __future__ import annotations

import base64
import html
import importlib.util
import io
import json
import re
from pathlib import Path

import pytest
from PIL import Image

from balkan_diplomacy import data, quiz, static, style, timeline

ROOT = Path(__file__).resolve().parents[1]

spec = importlib.util.spec_from_file_location("build_site", ROOT / "scripts" / "build_site.py")
build_site = importlib.util.module_from_spec(spec)
spec.loader.exec_module(build_site)


@pytest.fixture
def static_on(monkeypatch):
    monkeypatch.setenv(static.ENV, "1")


def test_nothing_is_added_outside_a_static_build(monkeypatch):
    monkeypatch.delenv(static.ENV, raising=False)
    explorer = timeline.timeline_explorer()
    assert explorer._repr_html_() is None
    assert quiz.quiz("01")._repr_html_() is None
    fig, _ = timeline.category_counts_chart(data.load("events"))
    assert type(style.show(fig)).__name__ == "Chart"  # the notebook's own image with alt text


def test_an_explorer_gives_its_current_view_as_an_image_with_alt_text(static_on):
    explorer = timeline.timeline_explorer()
    page = explorer._repr_html_()
    src = re.search(r'src="data:image/png;base64,([^"]+)"', page).group(1)
    png = base64.b64decode(src)
    assert png == explorer.full_png()  # the chart as the widget shows it now
    width, height = Image.open(io.BytesIO(png)).size
    assert width > 300 and height > 200
    assert f'alt="{html.escape(explorer.alt_text)}"' in page
    source = static.source_lines(explorer.figure)
    assert source and source[0].startswith("Source: ")
    assert html.escape(source[0]) in page
    sentence = html.unescape(re.sub(r"<[^>]+>", "", explorer.caption.value))
    assert html.escape(sentence) in page
    # and the widget's own bundle is still there for JupyterLab
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle


def test_a_static_view_follows_the_controls(static_on):
    explorer = timeline.timeline_explorer()
    before = explorer._repr_html_()
    years = explorer.controls["years"]
    years.value = (2015, 2019)
    assert explorer._repr_html_() != before


def test_a_shown_figure_gets_a_text_alternative_from_its_titles(static_on):
    fig, _ = timeline.category_counts_chart(data.load("events"))
    page = style.show(fig).data
    assert 'alt="Chart: Events per category in events.csv (horizontal axis: Number of events)."' \
        in page
    assert "Source: data/events.csv" in page


def test_a_static_quiz_folds_every_answer(static_on):
    q = quiz.quiz("03")
    page = q._repr_html_()
    rows = data.load("quizzes").query("quiz == '03'")
    assert page.count('<li class="bd-quiz-question">') == len(rows)
    assert page.count("<details") == len(rows) and not re.search(r"<details[^>]*\bopen", page)
    for row in rows.itertuples():
        assert html.escape(row.question) in page
        answer_at = page.index(html.escape(row.answer), page.index(html.escape(row.question)))
        # the answer appears among the choices, and its explanation only inside <details>
        explanation_at = page.index(html.escape(row.explanation))
        details_at = page.rindex("<details", 0, explanation_at)
        assert "</details>" not in page[details_at:explanation_at]
        assert answer_at < explanation_at


def test_lesson_copies_fold_solutions_and_carry_a_run_box(tmp_path):
    info = build_site.write_pages(tmp_path, guide=False, url="https://example.org/o/course",
                                  branch="main")
    for path in build_site.lessons():
        original = json.loads(path.read_text(encoding="utf-8"))
        copy = json.loads((tmp_path / "lessons" / path.name).read_text(encoding="utf-8"))
        assert len(copy["cells"]) == len(original["cells"]) + 1
        for cell in copy["cells"]:
            tags = cell["metadata"].get("tags", [])
            assert ("solution" in tags) == ("hide-cell" in tags)
        box = "".join(copy["cells"][1]["source"])
        assert "Run this lesson" in box and f"_notebooks/{path.name}" in box
        assert "git clone https://example.org/o/course.git course && cd course" in box
        assert ("git-pull?repo=https%3A%2F%2Fexample.org%2Fo%2Fcourse&branch=main"
                f"&urlpath=lab/tree/course/notebooks/{path.name}") in box
        assert (tmp_path / "_notebooks" / path.name).read_bytes() == path.read_bytes()
        sources = (tmp_path / "sources" / f"{path.stem}.md").read_text(encoding="utf-8")
        assert build_site.sources_section(original, path) in sources
    assert set(info["lessons"]) == {p.stem for p in build_site.lessons()}
    assert not (tmp_path / "guide").exists()


def test_the_home_page_lists_the_readme_lessons_in_order(tmp_path):
    build_site.write_pages(tmp_path, guide=False, url=None, branch="main")
    home = (tmp_path / "index.md").read_text(encoding="utf-8")
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    readme_rows = re.findall(r"^\| `(\d\d_[a-z0-9_]+)` \|", readme, re.M)
    linked = re.findall(r"\]\(lessons/(\d\d_[a-z0-9_]+)\.ipynb\)", home)
    assert linked == readme_rows and readme_rows
    assert "For instructors" not in home


def test_the_guide_is_added_on_request(tmp_path):
    build_site.write_pages(tmp_path, guide=True, url=None, branch="main")
    assert (tmp_path / "guide" / "instructor_guide.ipynb").exists()
    assert "guide/instructor_guide" in (tmp_path / "index.md").read_text(encoding="utf-8")
    build_site.write_pages(tmp_path, guide=False, url=None, branch="main")
    assert not (tmp_path / "guide" / "instructor_guide.ipynb").exists()


def test_the_glossary_names_each_terms_source(tmp_path):
    build_site.write_pages(tmp_path, guide=False, url=None, branch="main")
    page = (tmp_path / "glossary.md").read_text(encoding="utf-8")
    terms = data.load("glossary")
    sources = data.load("sources").set_index("source_id")
    for row in terms.itertuples():
        assert f"\n{row.term}\n" in page
        assert sources.loc[row.source_id, "url"] in page
