"""Every lesson's quiz, answered right and wrong: the feedback says which, with the answer and
its source; questions come in order; an unknown lesson is a clear error."""

import ipywidgets
import pytest

from balkan_diplomacy import data, quiz

LESSONS = sorted(data.load("quizzes")["quiz"].unique())


@pytest.mark.parametrize("lesson", LESSONS)
def test_each_answer_gets_its_feedback(lesson):
    q = quiz.quiz(lesson)
    rows = data.load("quizzes").query("quiz == @lesson").sort_values("question_no")
    assert [answer for _, _, answer in q.questions] == list(rows["answer"])
    sources = data.load("sources").set_index("source_id")
    for (buttons, feedback, answer), source_id in zip(q.questions, rows["source_id"]):
        assert answer in buttons.options and buttons.value is None and feedback.value == ""
        buttons.value = answer
        assert "Right" in feedback.value
        assert sources.loc[source_id, "url"].replace("&", "&amp;") in feedback.value
        wrong = next(option for option in buttons.options if option != answer)
        buttons.value = wrong
        assert "Not quite" in feedback.value and "Right" not in feedback.value
        buttons.value = None
        assert feedback.value == ""


def test_texts_and_choices_share_their_layout_and_style():
    q = quiz.quiz(LESSONS[0])
    texts = [w for w in q.children if type(w) is ipywidgets.HTML]
    choices = [w for w in q.children if isinstance(w, ipywidgets.RadioButtons)]
    assert len(texts) == 1 + 2 * len(q.questions) and len(choices) == len(q.questions)
    for group in (texts, choices):
        assert len({id(w.layout) for w in group}) == 1 and len({id(w.style) for w in group}) == 1
    assert choices[0].layout.width == "max-content"


def test_unknown_lesson_is_a_clear_error():
    with pytest.raises(KeyError, match="no questions for lesson '99'"):
        quiz.quiz("99")


def test_text_shown_without_widgets_says_what_the_output_is():
    bundle = quiz.quiz(LESSONS[0])._repr_mimebundle_()
    assert bundle["text/plain"].startswith(f"[Self-check quiz of lesson {LESSONS[0]}")
    assert "ipywidgets" in bundle["text/plain"]
