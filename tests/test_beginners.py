"""Lesson 00's reading activity and 02's primary texts: quotes verbatim and short, every side
heard, answers hidden; and the checks halfway through a lesson, answered right and wrong."""

import html
import json
from pathlib import Path

import pytest

from balkan_diplomacy import article, data, quiz

ROOT = Path(__file__).resolve().parents[1]
SIDES = {"Belgrade", "Pristina", "Moscow", "Washington", "Brussels"}
MAX_EXCERPT_WORDS = 40


def test_sentences_to_sort_are_verbatim_short_and_in_their_paragraph(article_paragraphs):
    sentences = data.load("article_sentences")
    assert set(sentences["kind"]) == {"checkable claim", "judgement", "both"}
    for row in sentences.itertuples():
        assert article.word_count(row.quote) <= article.MAX_QUOTE_WORDS, row.sentence_id
        assert row.quote in article_paragraphs[row.paragraph - 1], \
            f"{row.sentence_id}: not verbatim in paragraph {row.paragraph}"


def test_primary_excerpts_are_short_attributed_and_translated():
    texts = data.load("primary_sources")
    assert SIDES <= set(texts["position_of"]), "every side's case in its own words"
    for row in texts.itertuples():
        for column in ("excerpt", "english"):
            words = len(getattr(row, column).split())
            assert words <= MAX_EXCERPT_WORDS, f"{row.excerpt_id}: {column} has {words} words"
        if row.language == "en":
            assert row.english == row.excerpt and not isinstance(row.translation_by, str), row.excerpt_id
        else:
            assert isinstance(row.translation_by, str) and row.translation_by.strip(), \
                f"{row.excerpt_id}: a translation must say whose it is"
    # the four documents the issue names
    documents = " ".join(texts["document"])
    for name in ("Resolution 1244", "Constitution of the Republic of Serbia",
                 "Declaration of Independence", "Advisory opinion of 22 July 2010"):
        assert name in documents, name


def test_primary_excerpts_cite_primary_documents_or_name_the_reporter():
    texts = data.load("primary_sources")
    kinds = data.load("sources").set_index("source_id")["kind"]
    for row in texts.itertuples():
        kind = kinds[row.source_id]
        assert kind == "primary_document" or "report" in row.whose_text, \
            f"{row.excerpt_id}: a {kind} source must say who reported the words"


@pytest.mark.parametrize("check_id", sorted(data.load("checks")["check_id"].unique()))
def test_each_check_answer_gets_its_feedback(check_id):
    c = quiz.check(check_id)
    rows = data.load("checks").query("check_id == @check_id").sort_values("question_no")
    assert [a for _, _, a in c.questions] == list(rows["answer"])
    for buttons, feedback, answer in c.questions:
        assert answer in buttons.options
        buttons.value = answer
        assert "Right" in feedback.value
        buttons.value = next(o for o in buttons.options if o != answer)
        assert "Not quite" in feedback.value and html.escape(answer) in feedback.value
    assert repr(c).startswith(f"[Check {check_id} of lesson {rows['lesson'].iloc[0]}")


def test_an_unknown_check_is_a_clear_error():
    with pytest.raises(KeyError, match="no check '99-x'; the checks are: 00-reading"):
        quiz.check("99-x")


@pytest.mark.parametrize("lesson, check_id", [("00_start_here", "00-reading"),
                                              ("01_timeline", "01-window"),
                                              ("02_kosovo_2008", "02-texts"),
                                              ("03_nato_western_balkans", "03-neighbours"),
                                              ("04_eu_path_2025", "04-perspective"),
                                              ("05_putin_in_serbian_opinion", "05-reporters"),
                                              ("06_interests_and_leverage", "06-whose"),
                                              ("07_then_and_now", "07-board")])
def test_the_check_sits_in_the_middle_of_its_lesson(lesson, check_id):
    cells = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    text = ["".join(c["source"]) for c in cells]
    at = next(i for i, t in enumerate(text) if f'quiz.check("{check_id}")' in t)
    end = next(i for i, t in enumerate(text) if "quiz.quiz(" in t)
    assert 0.2 * len(cells) < at < end, f"{lesson}: the check is not halfway through"


@pytest.mark.parametrize("lesson", ["00_start_here", "02_kosovo_2008", "04_eu_path_2025",
                                    "05_putin_in_serbian_opinion", "06_interests_and_leverage",
                                    "07_then_and_now"])
def test_new_answers_are_hidden_and_left_out_of_slides(lesson):
    cells = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    new = [c for c in cells if "solution" in c["metadata"].get("tags", [])
           and c["metadata"].get("slideshow")]
    assert new, f"{lesson}: no solution cell carries slide metadata"
    for c in new:
        assert c["metadata"]["jupyter"] == {"source_hidden": True, "outputs_hidden": True}
        assert c["metadata"]["slideshow"] == {"slide_type": "skip"}


@pytest.mark.parametrize("lesson", ["00_start_here", "02_kosovo_2008", "04_eu_path_2025",
                                    "05_putin_in_serbian_opinion", "06_interests_and_leverage",
                                    "07_then_and_now"])
def test_new_answers_stay_folded_after_run_all(lesson):
    """JupyterLab shows a hidden cell's outputs, and a markdown cell whole, once Run All has run
    it: every answer is folded, a code cell's output by %%answer (reveal.py) and a written model
    answer in a <details> element, which the student opens."""
    cells = json.loads((ROOT / "notebooks" / f"{lesson}.ipynb").read_text(encoding="utf-8"))["cells"]
    new = ["".join(c["source"]) for c in cells
           if "solution" in c["metadata"].get("tags", []) and c["metadata"].get("slideshow")]
    for text in new:
        assert text.startswith("%%answer") or text.lstrip().startswith("<details>"), text[:80]
