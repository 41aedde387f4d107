"""Neutral narration: the narrator never counts Kosovo among "states" or "countries" in its own
voice. Kosovo's status is contested; the lessons say whose view a statement is ("Pristina regards
the line as a state border") and otherwise use neutral words: the eight entries of the lessons
(seven UN member states and Kosovo), governments, the Western Balkan six, Belgrade and Pristina.
"Province" is already always attributed; this test does the same for "state" and "country".

Scanned: every markdown cell of every notebook, the text columns of the data tables written in
our words (events, glossary, quizzes, memberships, polls, recognitions, honorary citizenships;
not sources.csv, whose titles are the publishers' own, nor the article's quotes), every string
literal of the package (docstrings, titles, alt text, captions), the READMEs, and
figures/index.csv when `make figures` has written it. Quotations ("…"), the text of markdown
links (a source's own title) and sentences that attribute the view are left out.
"""

from __future__ import annotations

import ast
import csv
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

# unattributed counts of the lessons' entries as states, and the region's entries as states
FORBIDDEN = [
    re.compile(r"\b(?:the|of|all)\s+(?:eight|six|seven|8|6)\s+(?:states|countries)\b",
               re.IGNORECASE),
    re.compile(r"\bWestern\s+Balkan\s+(?:states?|countr(?:y|ies))(?:'s?)?\b", re.IGNORECASE),
    re.compile(r"\b(?:each|every)\s+state\s+of\s+the\s+Western\s+Balkans\b", re.IGNORECASE),
    # Kosovo itself called a state or country in the narrator's voice
    # ("whether Kosovo is a state" asks, it does not say)
    re.compile(r"(?<!whether )(?<!if )\bKosovo(?:'s)?\b[^.;:!?]{0,40}?"
               r"\b(?:is|as|was|has\s+been|became|becomes)\s+"
               r"(?:a|an|the)?\s*(?:[\w-]+\s+)?(?:state|country)\b", re.IGNORECASE),
    # one row / lane "per country" in a list that includes Kosovo
    re.compile(r"\bone\s+(?:(?:row|lane|bar)\s+)?(?:per|for\s+each)\s+country\b[^.]*Kosovo",
               re.IGNORECASE),
]
# a sentence that says whose view it is may use the words of that view
ATTRIBUTED = re.compile(
    # a table row or list item whose first word names the holder of the view
    r"^\W*(?:Pristina|Prishtina|Priština)\b|"
    r"\b(?:Pristina|Prishtina|Priština|Kosovo's\s+(?:government|Assembly|foreign\s+ministry)|"
    r"governments?\s+that\s+recogni[sz]e|recognising\s+governments)\b[^.]{0,120}?"
    r"\b(?:regards?|calls?|counts?|sees?|says?|declares?|considers?|claims?|view)\b|"
    r"\bin\s+(?:Pristina's|its|their)\s+view\b|"
    # Belgrade's denial, reported as Belgrade's ("Vučić ... saying Serbia does not treat Kosovo as a state")
    r"\b(?:Belgrade|Serbia|Vučić|Vucic)\b[^.]{0,80}?\b(?:does|do|did|would|will)\s+not\s+"
    r"(?:treat|recogni[sz]e|regard|accept)\b|"
    r"\bwhich\s+(?:Pristina|the\s+\d+\s+governments\s+that\s+recogni[sz]e\s+it)\s+call",
    re.IGNORECASE)
# phrasings checked by hand and allowed: they name only states that joined NATO, every one a UN
# member whose statehood nobody disputes
ALLOWED = [
    "Which Western Balkan states joined NATO, and when?",
    "Four Western Balkan states joined NATO between 2009 and 2020",
]


def _sentences(text: str):
    return re.split(r"(?<=[.!?])\s+|\n\s*\n|\n\s*[-*|#]", text)


def _unquoted(text: str) -> str:
    """The text without quotations and without the text of markdown links (titles of sources)."""
    text = re.sub(r"\[[^\]]*\]\([^)]*\)", " ", text)  # [a source's title](url)
    text = re.sub(r"“[^”]*”|\"[^\"\n]*\"|'[^'\n]{0,80}'|«[^»]*»", " ", text)
    return text


def narrator_problems(text: str) -> list[str]:
    """The phrases of ``text`` that count Kosovo as a state in the narrator's own voice."""
    found = []
    # links first: a title like "U.S. Recognizes ..." would otherwise be cut at "U.S." below
    text = re.sub(r"\[[^\]]*\]\([^)]*\)", " ", text)
    for sentence in _sentences(text):
        if any(phrase in sentence for phrase in ALLOWED):
            continue
        plain = _unquoted(sentence)
        if ATTRIBUTED.search(plain):
            continue
        for pattern in FORBIDDEN:
            if m := pattern.search(plain):
                found.append(m.group(0))
    return found


def _texts():
    """(where, text) for everything the narrator writes."""
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(json.loads(path.read_text(encoding="utf-8"))["cells"]):
            if cell["cell_type"] == "markdown":
                yield f"{path.name} cell {i}", "".join(cell["source"])
    # sources: the publishers' own titles; quote: the article's words; interests: each row says
    # whose view it is; quiz options: candidate answers, the wrong ones false on purpose
    # primary_sources: the documents' own titles and words, each row naming whose text it is
    skip_columns = {"sources": None, "article_claims": {"quote"}, "interests": None,
                    "quizzes": {"options"},
                    "primary_sources": {"document", "excerpt", "english"}}
    for path in sorted((ROOT / "data").glob("*.csv")):
        skip = skip_columns.get(path.stem, set())
        if skip is None:
            continue
        with open(path, encoding="utf-8", newline="") as fh:
            for line, row in enumerate(csv.DictReader(fh), start=2):
                for column, value in row.items():
                    if column not in skip and value and not column.endswith("_id"):
                        yield f"{path.name} line {line} column {column}", value
    for path in sorted((ROOT / "src" / "balkan_diplomacy").glob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                yield f"{path.name} line {node.lineno}", node.value
            elif isinstance(node, ast.JoinedStr):
                parts = [v.value for v in node.values if isinstance(v, ast.Constant)]
                yield f"{path.name} line {node.lineno}", "{}".join(parts)
    for path in (ROOT / "README.md", ROOT / "data" / "README.md", ROOT / "figures" / "index.csv"):
        if path.exists():
            yield path.name, path.read_text(encoding="utf-8")


# the wording this test replaced: each must be caught
OLD_WORDING = [
    "The map below colours the eight states of the lessons by the furthest NATO step.",
    "Which of the eight states in this lesson were EU members by the latest data?",
    "| `memberships.csv` | a NATO or EU step of one of eight states |",
    "Each of the eight states (Slovenia, Croatia, Serbia, Kosovo, Montenegro) is shaded.",
    "NATO and EU steps of the Western Balkan states",
    "NATO steps of the Western Balkan states, by year",
    "How far along the road to EU membership was each Western Balkan state in January 2019?",
    "Lesson 04: each Western Balkan state's road to the EU, as swimlanes over time.",
    "Lanes per Western Balkan country coloured by the furthest EU step reached over time.",
    "Each state of the Western Balkans shaded by how far it had gone towards NATO and the EU.",
    "Horizontal lanes, one per country from Slovenia to Kosovo, coloured by the furthest step.",
    "Grid with one row per country (Slovenia, Croatia, Serbia, Kosovo) and one column per year.",
    "No Western Balkan state joined the EU by the end of 2025.",
    "Kosovo is a country in the Balkans.",
    "Since 2008 Kosovo has been an independent state.",
]
# attributed or neutral: each must pass
NEUTRAL_WORDING = [
    "The map colours the eight entries of the lessons (seven UN member states and Kosovo).",
    "Pristina regards the line between Kosovo and Serbia as a state border, so in its view "
    "Kosovo is the neighbour.",
    "| **Pristina** (government of Kosovo) | Kosovo has been an independent state since 2008, its "
    "government says. |",
    'The instructor guide warns against "Kosovo is a country" stated as settled fact.',
    "- Reuters, [Kenya recognises Kosovo as independent state](https://example.org/x)",
    "None of the Western Balkan six joined the EU by the end of 2025.",
    "Four Western Balkan states joined NATO between 2009 and 2020, three of them on Serbia's "
    "undisputed borders",
    "How many states recognise Kosovo depends on who is counting.",
]


@pytest.mark.parametrize("text", OLD_WORDING)
def test_the_old_wording_is_caught(text):
    assert narrator_problems(text), text


@pytest.mark.parametrize("text", NEUTRAL_WORDING)
def test_attributed_and_neutral_wording_passes(text):
    assert narrator_problems(text) == [], text


def test_the_narrator_never_counts_kosovo_as_a_state():
    found = [f"{where}: {phrase!r}" for where, text in _texts()
             for phrase in narrator_problems(text)]
    assert not found, "unattributed 'state'/'country' for Kosovo:\n" + "\n".join(found)
