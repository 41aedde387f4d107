"""Self-check quizzes: questions live in data/quizzes.csv; each answer gets feedback at once."""

from __future__ import annotations

import html

import ipywidgets

from . import data, static, widgets

OPTION_SEPARATOR = " | "


class Quiz(ipywidgets.VBox):
    """One lesson's questions. ``questions`` holds (buttons, feedback, answer) for tests."""

    def __init__(self, lesson: str):
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
        intro = ipywidgets.HTML(f"<b>Self-check ({len(rows)} questions)</b>: "
                                "choose an answer to see if it is right, and why.")
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

            def react(change, answer=row["answer"], feedback=feedback, why=why):
                if change["new"] is None:
                    feedback.value = ""
                elif change["new"] == answer:
                    feedback.value = f'<span class="bd-right" style="color:#006b4f">✔ Right. {why}</span>'
                else:
                    feedback.value = (f'<span class="bd-wrong" style="color:#a34700">✘ Not quite: '
                                      f"the answer is “{html.escape(answer)}”. {why}</span>")

            buttons.observe(react, names="value")
            self.questions.append((buttons, feedback, row["answer"]))
            children += [ipywidgets.HTML(f"<b>{int(row['question_no'])}.</b> "
                                         f"{html.escape(row['question'])}", **text),
                         buttons, feedback]
        super().__init__(children)
        self.lesson = lesson
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
        return (f"[Self-check quiz of lesson {self.lesson}, {len(self.questions)} questions, "
                f"{widgets.NEEDS_WIDGETS}]")


def quiz(lesson: str) -> Quiz:
    """The self-check quiz of lesson ``lesson`` ('00' to '07')."""
    return Quiz(lesson)
