"""Charts and quizzes on a static page (the course website and its printed handouts).

A static page cannot run ipywidgets, so an explorer or a quiz shown there needs a plain view as
well. With ``BALKAN_STATIC_PAGES=1`` in the kernel's environment (``make site`` sets it),
explorers, quizzes and ``style.show`` figures also offer IPython's ``text/html`` representation:
the chart as an image with its alt text, caption and source line; the quiz as a list of questions
with the answers folded. In JupyterLab nothing changes (the variable is unset, and a front end
with widgets shows the widget view first anyway).

This module is the lowest layer (it imports nothing from the package), so ``style``, ``widgets``
and ``quiz`` can all use it.
"""

from __future__ import annotations

import base64
import html
import os

#: The environment variable that turns the static views on.
ENV = "BALKAN_STATIC_PAGES"

#: Said under an explorer's picture on a static page.
STATIC_NOTE = ("On this page the chart shows its default settings; run the lesson to move "
               "its controls.")


def enabled() -> bool:
    """True when the kernel renders for a static page (``BALKAN_STATIC_PAGES=1``)."""
    return os.environ.get(ENV, "") not in ("", "0")


def source_lines(fig) -> list[str]:
    """The source line(s) written under a chart by ``style.add_source``, as one-line texts."""
    return [" ".join(t.get_text().split()) for t in fig.texts
            if t.get_text().startswith("Source: ")]


def figure_description(fig) -> str:
    """A text alternative built from what the chart itself says: its titles and axis labels
    (for a chart drawn without a written alt text)."""
    parts = []
    for ax in fig.axes:
        title = " ".join(t for t in (ax.get_title(loc="left"), ax.get_title(),
                                     ax.get_title(loc="right")) if t)
        labels = [f"{axis} axis: {label}" for axis, label in
                  (("horizontal", ax.get_xlabel()), ("vertical", ax.get_ylabel())) if label]
        if title or labels:
            parts.append(" ".join(title.split()) + (f" ({'; '.join(labels)})" if labels else ""))
    text = "Chart: " + "; ".join(parts) if parts else "Chart"
    return text + "."


def figure_html(png: bytes, alt: str, width_px: int, caption: str = "", sources=(),
                note: str = "") -> str:
    """One chart as a self-contained HTML figure: the PNG inline (nothing loads from another
    file or host), its alt text, and under it the caption, the source line and a note."""
    data = base64.b64encode(png).decode("ascii")
    text = [f'<span class="bd-caption">{html.escape(caption)}</span>'] if caption else []
    text += [f'<span class="bd-source">{html.escape(s)}</span>' for s in sources]
    text += [f'<span class="bd-static-note">{html.escape(note)}</span>'] if note else []
    figcaption = f"<figcaption>{''.join(text)}</figcaption>" if text else ""
    return (f'<figure class="bd-static-figure">'
            f'<img src="data:image/png;base64,{data}" alt="{html.escape(alt)}" '
            f'style="width:100%;max-width:{int(width_px)}px;height:auto">'
            f"{figcaption}</figure>")


def quiz_html(rows) -> str:
    """A quiz as printed questions with lettered choices; the answers and why, folded under
    each question (``rows``: dicts with question, options (a list), answer, explanation, and
    optionally source_publisher and source_url)."""
    items = []
    for row in rows:
        options = row["options"]
        letters = "abcdefghij"
        choices = "".join(f"<li>{html.escape(o)}</li>" for o in options)
        answer = options.index(row["answer"]) if row["answer"] in options else None
        said = (f"({letters[answer]}) " if answer is not None else "") + row["answer"]
        source = ""
        if row.get("source_url"):
            source = (f' <i>(Source: <a href="{html.escape(row["source_url"])}">'
                      f'{html.escape(row.get("source_publisher") or row["source_url"])}</a>)</i>')
        items.append(
            f'<li class="bd-quiz-question"><p>{html.escape(row["question"])}</p>'
            f'<ol type="a">{choices}</ol>'
            f'<details class="bd-quiz-answer"><summary>Show the answer</summary>'
            f"<p>{html.escape(said)}. {html.escape(row['explanation'])}{source}</p></details></li>")
    return (f'<div class="bd-static-quiz"><p><b>Self-check ({len(items)} questions)</b>: '
            f"choose an answer, then open the answer under the question to check it.</p>"
            f'<ol>{"".join(items)}</ol></div>')
