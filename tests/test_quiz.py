"""Every lesson's quiz and every check halfway through a lesson, answered wrong, wrong again and
right: a first wrong choice gets a hint and not the answer, a second one (or the right one) the
answer with its source; questions come in order; an unknown lesson is a clear error.

The question tables themselves (quizzes.csv and checks.csv together): no fact is asked twice, a
question whose answer is a date, a year or a number is kind ``recall`` (found by a regular
expression, so the kind cannot be set to hide a recall question), at most a third of each quiz or
check is recall, each lesson from 02 on asks which evidence would change a verdict, and neither
the right option's place nor its length gives it away (in the quizzes, and in all checks
together). Each rule is a function returning its problems, run on the real tables (no problem)
and on a copy broken on purpose (the problem found).
"""

import html
import re

import ipywidgets
import pandas as pd
import pytest

from balkan_diplomacy import data, quiz, static

QUIZZES = data.load("quizzes")
CHECKS = data.load("checks")
LESSONS = sorted(QUIZZES["quiz"].unique())
CHECK_IDS = sorted(CHECKS["check_id"].unique())
#: lessons whose quiz must ask which evidence would change a verdict (lesson 02 introduces verdicts)
EVIDENCE_LESSONS = [nn for nn in LESSONS if nn >= "02"]


def questions() -> pd.DataFrame:
    """quizzes.csv and checks.csv as one table: ``set`` names the quiz or check, ``lesson`` its
    lesson."""
    q = QUIZZES.assign(set=QUIZZES["quiz"].astype(str), lesson=QUIZZES["quiz"].astype(str))
    c = CHECKS.assign(set=CHECKS["check_id"].astype(str), lesson=CHECKS["lesson"].astype(str))
    cols = ["set", "lesson", "question_no", "question", "options", "answer", "explanation",
            "kind", "fact", "hint"]
    return pd.concat([q[cols], c[cols]], ignore_index=True).astype({"kind": str})


# --------------------------------------------------------------------------------------------
# the rules

_NUMBER_WORDS = (r"one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|"
                 r"forty|fifty|hundred|thousand|dozens?")
#: an answer that holds a year, a date or a number: digits (not those of an id such as C05),
#: a per cent, a month's name, or a number word with a unit ("four years", "four in five")
NUMERIC_ANSWER = re.compile(
    r"(?<!\w)\d|%|\b(?:January|February|March|April|May|June|July|August|September|October|"
    r"November|December)\b|(?i:\bper\s*cent\b|\b(?:" + _NUMBER_WORDS + r")\b(?:\s+and\s+a\s+half)?"
    r"\s+(?:years?|months?|weeks?|days?|decades?|times|percent|per\s+cent|in\s+(?:"
    + _NUMBER_WORDS + r")\b))")
#: a question that asks for a date or a number
NUMERIC_QUESTION = re.compile(
    r"^(?:When|In\s+(?:which|what)\s+year|On\s+what\s+date|How\s+(?:many|much|long|old))\b",
    re.IGNORECASE)


def asks_for_a_number(question: str, answer: str) -> bool:
    return bool(NUMERIC_ANSWER.search(answer) or NUMERIC_QUESTION.search(question))


def facts_asked_twice(table) -> list[str]:
    where = table.assign(place=table["set"] + " Q" + table["question_no"].astype(str))
    twice = where[where.duplicated("fact", keep=False)]
    return [f"{fact}: {', '.join(rows['place'])}" for fact, rows in twice.groupby("fact")]


def numbers_not_recall(table) -> list[str]:
    return [f"{r.set} Q{r.question_no} ({r.kind}): the answer {r.answer!r} is a date or number"
            for r in table.itertuples()
            if r.kind != "recall" and asks_for_a_number(r.question, r.answer)]


def too_much_recall(table) -> list[str]:
    share = table.groupby("set")["kind"].apply(lambda k: (k == "recall").mean())
    return [f"{name}: {s:.0%} recall" for name, s in share.items() if s > 1 / 3 + 1e-9]


def lessons_without_evidence(table, lessons=EVIDENCE_LESSONS) -> list[str]:
    has = set(table.loc[table["kind"] == "evidence", "lesson"])
    return [nn for nn in lessons if nn not in has]


def hints_giving_the_answer(table) -> list[str]:
    return [f"{r.set} Q{r.question_no}: the hint holds the answer" for r in table.itertuples()
            if r.answer.casefold() in r.hint.casefold() or r.hint.strip() == r.explanation.strip()]


def position_and_length(table) -> dict:
    """Shares of questions whose right option is first, longest and shortest; and the largest
    share of any one position."""
    options = table["options"].str.split(quiz.OPTION_SEPARATOR, regex=False)
    place = [o.index(a) for o, a in zip(options, table["answer"])]
    lengths = [sorted(map(len, o)) for o in options]
    return {
        "first": sum(p == 0 for p in place) / len(place),
        "most at one place": pd.Series(place).value_counts(normalize=True).max(),
        "longest": sum(len(a) == ls[-1] for a, ls in zip(table["answer"], lengths)) / len(place),
        "shortest": sum(len(a) == ls[0] for a, ls in zip(table["answer"], lengths)) / len(place),
    }


# --------------------------------------------------------------------------------------------
# the rules on the real tables

def test_no_fact_is_asked_twice_across_quizzes_and_checks():
    assert facts_asked_twice(questions()) == []


def test_every_answer_that_is_a_date_or_number_is_recall():
    assert numbers_not_recall(questions()) == []


def test_at_most_a_third_of_each_quiz_and_check_is_recall():
    assert too_much_recall(questions()) == []


def test_each_lesson_from_02_asks_which_evidence_would_change_a_verdict():
    assert EVIDENCE_LESSONS == ["02", "03", "04", "05", "06", "07"]
    assert lessons_without_evidence(questions()) == []
    # in the lesson's own quiz, not only in a check
    assert lessons_without_evidence(questions().query("set == lesson")) == []


def test_hints_point_the_way_without_giving_the_answer():
    assert hints_giving_the_answer(questions()) == []


def test_the_right_option_is_neither_placed_nor_sized_to_give_it_away():
    shares = position_and_length(questions().query("set == lesson"))
    assert shares["first"] <= 1 / 3 and shares["most at one place"] <= 1 / 2, shares
    assert shares["longest"] <= 0.4 and shares["shortest"] <= 0.4, shares


def test_in_the_checks_too_the_right_option_is_neither_placed_nor_sized_to_give_it_away():
    # all checks together (three questions each, too few to judge one check alone); the longest
    # option was once right in 22 of 23 checks, and the first in 10
    shares = position_and_length(questions().query("set != lesson"))
    assert shares["first"] <= 1 / 3 and shares["most at one place"] <= 1 / 2, shares
    assert shares["longest"] <= 0.3 and shares["shortest"] <= 0.4, shares


def test_each_quiz_keeps_four_or_five_questions():
    # the quiz's minutes in each lesson's run sheet are fixed (guide.QUIZ_MIN)
    assert QUIZZES.groupby("quiz").size().between(4, 5).all()


# --------------------------------------------------------------------------------------------
# the same rules find what they are for

def test_the_rules_catch_a_broken_table():
    t = questions()
    # the same fact asked in a later quiz (as Albania's 2022 talks once were, three times)
    again = t.iloc[[0]].assign(set="07", lesson="07", question_no=9)
    assert facts_asked_twice(pd.concat([t, again], ignore_index=True)) == [
        f"{t.loc[0, 'fact']}: {t.loc[0, 'set']} Q{t.loc[0, 'question_no']}, 07 Q9"]
    # a date answer labelled 'understanding' to pass the recall limit
    dated = t.index[[t.kind[i] == "recall" and asks_for_a_number(t.question[i], t.answer[i])
                     for i in t.index]][0]
    t2 = t.copy()
    t2.loc[dated, "kind"] = "understanding"
    assert len(numbers_not_recall(t2)) == 1
    # a quiz of four with two recall questions
    t3 = t.copy()
    t3.loc[(t3.set == "03") & (t3.kind != "recall"), "kind"] = "recall"
    assert too_much_recall(t3) == ["03: 100% recall"]
    # lesson 05's evidence question turned into understanding
    t4 = t.copy()
    t4.loc[(t4.lesson == "05") & (t4.kind == "evidence"), "kind"] = "understanding"
    assert lessons_without_evidence(t4) == ["05"]
    # a hint that says the answer
    t5 = t.copy()
    t5.loc[0, "hint"] = "It is " + t5.loc[0, "answer"] + "."
    assert len(hints_giving_the_answer(t5)) == 1
    # every right option moved to the front and made the longest, in the quizzes and the checks
    for which, longest in (("set == lesson", 0.4), ("set != lesson", 0.3)):
        t6 = t.query(which).copy()
        t6["options"] = [a + " (and more words)" + quiz.OPTION_SEPARATOR +
                         quiz.OPTION_SEPARATOR.join(o for o in opts.split(quiz.OPTION_SEPARATOR)
                                                    if o != a)
                         for a, opts in zip(t6.answer, t6.options)]
        t6["answer"] = t6.answer + " (and more words)"
        shares = position_and_length(t6)
        assert shares["first"] == 1 and shares["longest"] > longest, which


@pytest.mark.parametrize(("question", "answer", "numeric"), [
    ("When was the first conference held?", "At an accession conference", True),
    ("Which figure matches?", "Gallup International, end of 2017: 81%", True),
    ("How long had it been?", "About four years and three months", True),
    ("What did the record show?", "July 2022", True),
    ("By Belgrade's count, how many recognised it?", "92", True),
    ("Which would make it hold fully?", "Polls finding four in five behind him", True),
    ("Why two verdicts?", "C05 judges what Brussels said then; C07 what happened after", False),
    ("Why?", "Talks go chapter by chapter, and the two have closed different numbers", False),
    ("What may follow?", "Belgrade may drop the deal", False),
])
def test_the_number_rule(question, answer, numeric):
    assert asks_for_a_number(question, answer) is numeric


# --------------------------------------------------------------------------------------------
# the widgets

def _rows(which, name):
    if which == "quiz":
        return quiz.quiz(name), QUIZZES.query("quiz == @name").sort_values("question_no")
    return quiz.check(name), CHECKS.query("check_id == @name").sort_values("question_no")


@pytest.mark.parametrize(("which", "name"), [("quiz", nn) for nn in LESSONS] +
                         [("check", c) for c in CHECK_IDS])
def test_a_wrong_choice_gets_a_hint_and_a_second_one_the_answer(which, name):
    q, rows = _rows(which, name)
    assert [answer for _, _, answer in q.questions] == list(rows["answer"])
    sources = data.load("sources").set_index("source_id")
    for (buttons, feedback, answer), row in zip(q.questions, rows.itertuples()):
        assert answer in buttons.options and buttons.value is None and feedback.value == ""
        url = sources.loc[row.source_id, "url"].replace("&", "&amp;")
        wrong = [option for option in buttons.options if option != answer]
        buttons.value = wrong[0]
        first = feedback.value
        assert "✘ Not quite." in first and html.escape(row.hint) in first
        assert html.escape(answer) not in first and answer not in first
        assert html.escape(row.explanation) not in first and url not in first
        buttons.value = wrong[1]
        second = feedback.value
        assert "Not quite" in second and html.escape(answer) in second
        assert html.escape(row.explanation) in second and url in second
        buttons.value = answer
        assert "✔ Right" in feedback.value and url in feedback.value
        buttons.value = None
        assert feedback.value == ""


@pytest.mark.parametrize("lesson", LESSONS)
def test_the_right_choice_first_shows_the_answer_and_then_stays_shown(lesson):
    q, rows = _rows("quiz", lesson)
    for (buttons, feedback, answer), row in zip(q.questions, rows.itertuples()):
        buttons.value = answer
        assert "✔ Right" in feedback.value and html.escape(row.explanation) in feedback.value
        # once the answer has been shown, a wrong choice says it again rather than hinting
        buttons.value = next(o for o in buttons.options if o != answer)
        assert html.escape(answer) in feedback.value


@pytest.mark.parametrize(("which", "name"), [("quiz", nn) for nn in LESSONS] +
                         [("check", c) for c in CHECK_IDS])
def test_a_static_page_keeps_every_answer_folded(which, name):
    q, rows = _rows(which, name)
    page = static.quiz_html(q._rows)
    assert page.count("<details") == len(rows) and not re.search(r"<details[^>]*\bopen", page)
    outside = re.sub(r"<details.*?</details>", "", page, flags=re.S)
    for row in rows.itertuples():
        assert html.escape(row.question) in outside
        assert html.escape(row.explanation) not in outside
        assert html.escape(row.explanation) in page


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
