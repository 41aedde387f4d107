"""The article the lessons are built on: citation, link, and (for tests) its paragraphs.

The project ships no copy of the text. Tests that check quotes read it from ``$ARTICLE_TEXT``,
by default ``../shared/article/article.txt`` beside the repository.
"""

from __future__ import annotations

import os
from pathlib import Path

AUTHOR = "Maxim Samorukov"
TITLE = "Escaping the Kremlin's Embrace: Why Serbia Has Tired of Russian Support"
PUBLISHER = "The Moscow Times"
DATE = "2019-01-22"
URL = ("https://themoscowtimes.com/2019/01/22/"
       "escaping-the-kremlins-embrace-why-serbia-has-tired-of-russian-support-a64242")
FIRST_PUBLISHED = "https://carnegie.ru/commentary/78173"
CITATION = f"{AUTHOR}, “{TITLE}”, {PUBLISHER}, 22 January 2019"
MAX_QUOTE_WORDS = 25

_FIRST = "Russian President Vladimir Putin's recent visit"
_AFTER_LAST = "Maxim Samorukov is Deputy Editor"


def text_path() -> Path:
    env = os.environ.get("ARTICLE_TEXT")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[3] / "shared" / "article" / "article.txt"


def paragraphs(path: Path | None = None) -> list[str]:
    """The 15 body paragraphs, in order (paragraph 1 is index 0).

    The stored page also holds menus, link teasers ('[...](#)', 'Read more') and a footer; only the
    text from the first sentence of the article to the author's byline counts.
    """
    text = (path or text_path()).read_text(encoding="utf-8")
    body = text[text.index(_FIRST): text.index(_AFTER_LAST)]
    lines = (line.strip() for line in body.splitlines())
    return [line for line in lines
            if line and not line.startswith("[") and line not in {"news", "Read more"}]


def word_count(quote: str) -> int:
    return len(quote.split())
