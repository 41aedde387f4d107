"""Numbers in lesson prose that the data can change are checked against the data.

Two parts:

- ``CHECKED``: each phrase that states a count or figure from data/ as written in a lesson, with
  the function that works it out from the tables. The phrase must still be in the lesson (so a
  reworded sentence is checked again) and the computed value must match what it says.
- a scan of every lesson's markdown for a number next to a word that counts records (events,
  claims, predictions, recognitions, figures, polls, states, members): each hit must lie inside a
  checked phrase or a phrase listed in ``FIXED`` (numbers that are not our data: the UN Charter,
  the text of an agreement, how a table is laid out). A new count typed into prose fails here
  until it is computed in its cell or registered with a check.

Counts that other work may change (how many events, how many of them each category has) are not
typed in prose at all: lesson 01 prints them from the data in the cell that shows them.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from balkan_diplomacy import data, maps

ROOT = Path(__file__).resolve().parents[1]
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
ARTICLE_DATE = pd.Timestamp("2019-01-22")

NUMBER_WORDS = ("one two three four five six seven eight nine ten eleven twelve thirteen fourteen "
                "fifteen sixteen seventeen eighteen nineteen twenty").split()
NUM = r"(?:\d{1,3}(?!\d)|" + "|".join(NUMBER_WORDS) + r")"
NOUN = (r"(?:events?|claims?|predictions?|recogni[sz]\w*|figures?|polls?|states|countries|"
        r"members?)")
COUNT = re.compile(rf"\b{NUM}\s+(?:[\w'’-]+\s+){{0,3}}?{NOUN}\b|\b{NUM}\s+of\s+the\s+{NUM}\b",
                   re.IGNORECASE)


def _t(name):
    return data.load(name)


def _months_before(event_title: str) -> int:
    events = _t("events")
    row = events[events["title"] == event_title].iloc[0]
    return int(round((ARTICLE_DATE - row["date"]).days / 30.44))


def _recognition(record_id: str) -> int:
    rec = _t("recognitions").set_index("record_id")
    return int(rec.loc[record_id, "count"])


def _latest(side: str, measure: str = "recognising") -> int:
    rec = _t("recognitions")
    rows = rec[(rec["side"] == side) & (rec["measure"] == measure)].sort_values("as_of_date")
    return int(rows.iloc[-1]["count"])


def _on_date(date: str) -> list[int]:
    rec = _t("recognitions")
    rows = rec[(rec["as_of_date"] == pd.Timestamp(date)) & (rec["side"] == "independent")
               & (rec["measure"] == "recognising")]
    return sorted(int(n) for n in rows["count"])


def _belgrade_via_state_media() -> int:
    rec = _t("recognitions").merge(_t("sources")[["source_id", "kind"]], on="source_id")
    return int(((rec["side"] == "serbia_government")
                & (rec["kind"] == "state_affiliated_media")).sum())


def _eight() -> set[str]:
    return set(maps.NAMES.values())


def _reached(organisation: str, milestone: str) -> set[str]:
    m = _t("memberships")
    rows = m[(m["organisation"] == organisation) & (m["milestone"] == milestone)]
    return set(rows["country"]) & _eight()


def _nato_joined_between(first: int, last: int) -> int:
    m = _t("memberships")
    rows = m[(m["organisation"] == "NATO") & (m["milestone"] == "accession")
             & m["date"].dt.year.between(first, last)]
    return len(set(rows["country"]) & _eight())


def _claims(kind: str | None = None, verdict: str | None = None) -> int:
    c = _t("article_claims")
    keep = pd.Series(True, index=c.index)
    if kind:
        keep &= c["claim_kind"] == kind
    if verdict:
        keep &= c["verdict"] == verdict
    return int(keep.sum())


def _in_article_recent_majority() -> bool:
    events = _t("events")
    ref = events[events["in_article"]]
    months = (ARTICLE_DATE - ref["date"]).dt.days / 30.44
    return int(months.round(0).between(0, 18).sum()) > len(ref) / 2


def _windows() -> pd.DataFrame:
    from balkan_diplomacy import timeline

    return timeline.counts_by_window(_t("events"))


def _category_ranks() -> tuple[list[str], str]:
    counts = _t("events")["category"].value_counts()
    return sorted(counts.index[:2]), counts.index[-1]


def _ceper_putin_favourable() -> list[float]:
    p = _t("polls")
    rows = p[(p["pollster"] == "Ceper") & (p["subject"] == "Putin")
             & (p["measure"] == "favourable_view")].sort_values("date")
    return list(rows["value_pct"])


#: (lesson, phrase exactly as written, check returning True when the data agree)
CHECKED = [
    ("01", "Most events are dated to the day", lambda: (
        (_t("events")["date_precision"] == "day").mean() > 0.5)),
    ("01", "Most of these rows fall within the eighteen months before the article",
     _in_article_recent_majority),
    ("01", "Montenegro's NATO accession (20 months before)",
     lambda: _months_before("Montenegro joins NATO") == 20),
    ("01", "The longest bars are Kosovo's status and the EU (the chart prints each count); "
           "Serbian politics is the shortest",
     lambda: _category_ranks() == (["eu", "kosovo_status"], "domestic_politics")),
    ("01", "The eighteen months before the article are the busiest window of the record",
     lambda: _windows()["events"].iloc[0] > _windows()["events"].iloc[1:].max()),
    ("01", "the window only ties with the busiest earlier window",
     lambda: _windows()["others"].iloc[0] == _windows()["others"].iloc[1:].max()),
    ("02", "Belgrade's count was 92 states recognising (3 March 2020)",
     lambda: _recognition("R13") == 92),
    ("02", "Two revisions of the same Wikipedia article give 97 and 101 for 4 September 2020",
     lambda: _on_date("2020-09-04") == [97, 101]),
    ("02", "By 2025 Pristina's list had reached 118", lambda: _latest("kosovo_government") == 118),
    ("02", "Belgrade's latest figure in the table is 84",
     lambda: _latest("serbia_government") == 84),
    ("02", "Two of Belgrade's figures reach us through copies of Russian state media",
     lambda: _belgrade_via_state_media() == 2),
    ("03", "Four Western Balkan states joined NATO between 2009 and 2020",
     lambda: _nato_joined_between(2009, 2020) == 4),
    ("04", "two of the eight are EU members", lambda: len(_reached("EU", "accession")) == 2),
    ("04", "four states are in accession talks",
     lambda: len(_reached("EU", "talks_opened") - _reached("EU", "accession")) == 4),
    ("05", "the fall from 77% to 59% (Ceper)", lambda: _ceper_putin_favourable() == [77, 59]),
    ("07", "Three claims are predictions", lambda: _claims("prediction") == 3),
    ("07", "the one prediction recorded as *came true*",
     lambda: _claims("prediction", "prediction_came_true") == 1),
    ("07", "the three predictions fall", lambda: _claims("prediction") == 3),
]

#: Numbers next to a counting word that are not counts of our records (with why).
FIXED = {
    "eight states": "the lessons' set of eight entries (maps.NAMES), fixed by design",
    "eight entries": "the lessons' set of eight entries (maps.NAMES), fixed by design",
    "seven UN member states": "the eight entries less Kosovo, which is not a UN member",
    "one permanent member": "the UN Charter: one veto suffices",
    "nine members": "the UN Charter, Article 27: nine votes in the Security Council",
    "193 UN members": "UN membership, the denominator of 'more than half' (not a table of ours)",
    "15 points": "the text of the Brussels Agreement",
    "five EU members": "as reported in December 2022, cited where it is used (events E039)",
    "six events": "the size of the exercise's sample (events.sample(6))",
    "one of its predictions": "a row about one prediction, no count",
    "one prediction": "a row about one prediction, no count",
    "one figure": "each row is one figure (table layout)",
    "one event": "each row is one event (table layout)",
    "one row per event": "table layout",
    "two claims about 2025": "the cell above selects these two claims by their ids",
    "one row per step": "table layout",
    "one row per country": "table layout",
    "30th member": "North Macedonia's place in NATO, as NATO states it",
    "Article 4 of the 2023": "an article of the 2023 agreement",
}


def markdown(path: Path) -> str:
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    return "\n\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"
                       and not "".join(c["source"]).lstrip().startswith("## Sources"))


def flat(text: str) -> str:
    return " ".join(text.split())


@pytest.mark.parametrize("lesson, phrase, check", CHECKED,
                         ids=[f"{n}:{p[:30]}" for n, p, _ in CHECKED])
def test_checked_phrase_is_in_the_lesson_and_agrees_with_the_data(lesson, phrase, check):
    path = next(p for p in LESSONS if p.name.startswith(lesson))
    assert phrase in flat(markdown(path)), (
        f"{path.name}: the checked phrase {phrase!r} is gone; update CHECKED for the new wording")
    assert check(), f"{path.name}: {phrase!r} no longer agrees with the data"


@pytest.mark.parametrize("path", LESSONS, ids=[p.stem for p in LESSONS])
def test_no_unchecked_count_in_prose(path):
    text = flat(markdown(path))
    nn = path.name[:2]
    covered = [p for n, p, _ in CHECKED if n == nn] + list(FIXED)
    loose = []
    for m in COUNT.finditer(text):
        start, end = m.span()
        if not any(m.group(0).lower() in c.lower() or _inside(text, start, end, c)
                   for c in covered):
            loose.append(text[max(0, start - 60):end + 40])
    assert not loose, (f"{path.name}: numbers in prose that the data may change, neither "
                       "computed in a cell nor checked in tests/test_prose_numbers.py:\n- "
                       + "\n- ".join(loose))


def _inside(text: str, start: int, end: int, phrase: str) -> bool:
    for m in re.finditer(re.escape(phrase), text):
        if m.start() <= start and end <= m.end():
            return True
    return False


def test_the_scan_catches_a_typed_count():
    text = "The count shows 51 events dated to the day and 14 claims about the EU."
    assert len(COUNT.findall(text)) == 2
    assert COUNT.search("Six of the eleven rows fall within the window")


def test_lesson_01_prints_the_counts_it_talks_about():
    """The counts lesson 01 once typed by hand (51 events to the day, 14 EU events) are printed
    from the data by the cells that show them."""
    path = next(p for p in LESSONS if p.name.startswith("01"))
    cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
    code = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "code")
    assert 'precision[\'day\']' in code and 'value_counts()' in code
    assert re.search(r'events\["category"\]\.value_counts\(\)', code)
    assert not re.search(r"\b\d+ events\b", markdown(path))
