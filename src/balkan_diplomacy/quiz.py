"""Self-check quizzes (data/quizzes.csv, at a lesson's end) and checks halfway through a lesson
(data/checks.csv): each answer gets feedback at once. A first wrong choice gets "Not quite." and
the row's hint, not the answer, so that the student tries again; the right choice, or a second
wrong one, shows the answer with the reason and its source."""

from __future__ import annotations

import html

import ipywidgets

from . import data, static, widgets

OPTION_SEPARATOR = " | "


class Quiz(ipywidgets.VBox):
    """One lesson's questions. ``questions`` holds (buttons, feedback, answer) for tests."""

    def __init__(self, lesson: str, rows=None, title: str = "Self-check",
                 label: str = "Self-check quiz"):
        # rows: questions with the columns of quizzes.csv (default: that lesson's quiz);
        # title heads the widget, label names it where widgets cannot be shown
        if rows is None:
            table = data.load("quizzes")
            rows = table[table.quiz == lesson].sort_values("question_no")
            if rows.empty:
                raise KeyError(f"data/quizzes.csv has no questions for lesson {lesson!r}")
        sources = data.load("sources")
        # the publisher and address of each source a question cites (no copy of the table)
        cited = sources[sources.source_id.isin(rows.source_id)]
        sources = {r["source_id"]: r for r in cited[["source_id", "url", "publisher"]]
                   .to_dict("records")}
        self.questions = []
        intro = ipywidgets.HTML(f"<b>{html.escape(title)} ({len(rows)} questions)</b>: "
                                "choose an answer to see if it is right. A wrong first choice "
                                "gets a hint; the answer and why follow the right choice or a "
                                "second wrong one.")
        # the texts share one layout and one style, and so do the choices: one model each in
        # the front end instead of one per widget (a quiz of four questions opens 22 fewer comms)
        text = {"layout": intro.layout, "style": intro.style}
        choice = {"layout": ipywidgets.Layout(width="max-content")}
        children = [intro]
        for row in rows.to_dict("records"):
            options = row["options"].split(OPTION_SEPARATOR)
            buttons = ipywidgets.RadioButtons(options=options, value=None, **choice)
            choice["style"] = buttons.style
            feedback = ipywidgets.HTML(**text)
            source = sources[row["source_id"]]
            why = (f"{html.escape(row['explanation'])} <i>(Source: "
                   f"<a href=\"{html.escape(source['url'])}\" target=\"_blank\" "
                   f"rel=\"noopener\">{html.escape(source['publisher'])}</a>)</i>")

            hint = html.escape(row["hint"])
            # wrong choices so far, and whether the answer has been shown (then it stays shown)
            state = {"wrong": 0, "shown": False}

            def react(change, answer=row["answer"], feedback=feedback, why=why, hint=hint,
                      state=state):
                if change["new"] is None:
                    feedback.value = ""
                elif change["new"] == answer:
                    state["shown"] = True
                    feedback.value = f'<span class="bd-right" style="color:#006b4f">✔ Right. {why}</span>'
                else:
                    state["wrong"] += 1
                    if state["wrong"] == 1 and not state["shown"]:
                        feedback.value = (f'<span class="bd-wrong" style="color:#a34700">✘ Not quite. '
                                          f"{hint} Try another answer.</span>")
                    else:
                        state["shown"] = True
                        feedback.value = (f'<span class="bd-wrong" style="color:#a34700">✘ Not quite: '
                                          f"the answer is “{html.escape(answer)}”. {why}</span>")

            buttons.observe(react, names="value")
            self.questions.append((buttons, feedback, row["answer"]))
            children += [ipywidgets.HTML(f"<b>{int(row['question_no'])}.</b> "
                                         f"{html.escape(row['question'])}", **text),
                         buttons, feedback]
        super().__init__(children)
        self.lesson = lesson
        self.label = label
        self._rows = [{**row, "options": row["options"].split(OPTION_SEPARATOR),
                       "source_url": sources[row["source_id"]]["url"],
                       "source_publisher": sources[row["source_id"]]["publisher"]}
                      for row in rows.to_dict("records")]

    # a static page (the course website and handouts, see static.py): the questions as text,
    # answers folded; None (nothing added to the widget's display) unless BALKAN_STATIC_PAGES
    def _repr_html_(self) -> str | None:
        return static.quiz_html(self._rows) if static.enabled() else None

    def __repr__(self) -> str:
        # what a viewer without widgets shows (ipywidgets' own repr writes out every child)
        return (f"[{self.label} of lesson {self.lesson}, {len(self.questions)} questions, "
                f"{widgets.NEEDS_WIDGETS}]")


def quiz(lesson: str) -> Quiz:
    """The self-check quiz of lesson ``lesson`` ('00' to '07')."""
    return Quiz(lesson)


def check(check_id: str) -> Quiz:
    """A short check halfway through a lesson, e.g. ``check("02-texts")``: its questions live in
    data/checks.csv and work as the quiz's do."""
    table = data.load("checks")
    rows = table[table.check_id == check_id].sort_values("question_no")
    if rows.empty:
        known = ", ".join(sorted(table.check_id.unique()))
        raise KeyError(f"data/checks.csv has no check {check_id!r}; the checks are: {known}")
    return Quiz(rows["lesson"].iloc[0], rows, title="Check your understanding",
                label=f"Check {check_id}")
