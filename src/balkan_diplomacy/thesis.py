"""Lesson 07: the article's thesis put to the evidence, weighed by each student.

``thesis_tests.csv`` lists observable implications of the thesis with what was observed and our
judgement. Students weigh each row (0 = ignore, 3 = decisive) and may change its judgement; the
balance is the weighted count of rows for the thesis minus those against it. This is kept apart
from the fact-check of single claims (article_claims.csv).
"""

from __future__ import annotations

import html

import pandas as pd

from . import data, widgets

#: The thesis in one attributed sentence; the quoted words are the article's (its subtitle and
#: the paragraph beginning "In reality").
THESIS = ("Samorukov (The Moscow Times, 22 January 2019) argues that Serbia's leaders have tired "
          "of Russian support but cannot rid themselves of it: it \u201cleaves Belgrade no room "
          "for maneuver at the Kosovo negotiations\u201d.")
#: The thesis has two halves, and a test may bear on one or both (the notes of thesis_tests.csv
#: say which): H1 "tired" (leaders seek distance from Moscow where it is cheap) and H2 "cannot
#: break away" (costly breaks do not happen while Kosovo and voters tie them to Moscow).
HALVES = {"H1": "tired of Russian support: Belgrade seeks distance from Moscow where it is cheap",
          "H2": "cannot break away: costly breaks with Moscow do not happen while Kosovo and "
                "voters tie Belgrade to it"}
JUDGEMENTS = {"fits_thesis": "fits the thesis", "against_thesis": "against the thesis",
              "mixed": "mixed"}
#: The dropdown's value before a student has judged a row (counted nowhere).
UNJUDGED = "unjudged"
_SIGN = {"fits_thesis": 1, "against_thesis": -1, "mixed": 0}


def weigh(judgements: dict, weights: dict) -> dict:
    """Weighted balance of the evidence.

    ``judgements``: test_id -> 'fits_thesis' | 'against_thesis' | 'mixed' | 'unjudged' (not
    counted); ``weights``:
    test_id -> 0-3. Returns the weighted totals 'for', 'against', 'mixed', the 'balance'
    (for - against), the 'share_for' of the decided weight (None if nothing is weighed) and a
    one-line 'verdict'.
    """
    totals = {"for": 0, "against": 0, "mixed": 0}
    for tid, j in judgements.items():
        w = weights.get(tid, 0)
        if not 0 <= w <= 3:
            raise ValueError(f"weight of {tid} must be 0-3, got {w}")
        if j == UNJUDGED:
            continue
        totals[{1: "for", -1: "against", 0: "mixed"}[_SIGN[j]]] += w
    decided = totals["for"] + totals["against"]
    share = None if decided == 0 else totals["for"] / decided
    if share is None and totals["mixed"]:
        verdict = ("only mixed rows are weighed so far, and a mixed row counts for neither "
                   "side: judge some rows as fitting the thesis or against it, with a weight above 0")
    elif share is None:
        verdict = ("no decided evidence weighed yet: judge some rows and give them a weight "
                   "above 0")
    elif share >= 2 / 3:
        verdict = "your weighing supports the thesis"
    elif share <= 1 / 3:
        verdict = "your weighing goes against the thesis"
    else:
        verdict = "your weighing is balanced: the evidence cuts both ways"
    return {**totals, "balance": totals["for"] - totals["against"], "share_for": share,
            "verdict": verdict}


def describe(result: dict) -> str:
    """The weighing in one sentence."""
    share = ("" if result["share_for"] is None
             else f" ({result['share_for']:.0%} of the decided weight for the thesis)")
    return (f"Weight for the thesis: {result['for']}, against: {result['against']}, mixed: "
            f"{result['mixed']}{share}. Conclusion: {result['verdict']}.")


def weighing_form(tests: pd.DataFrame | None = None, ours: bool = True):
    """One row per implication: what was observed, a judgement (changeable), a weight 0-3;
    the sentence at the bottom adds them up. ``explorer.result`` holds the latest weighing.

    ``ours=True`` shows our judgement and starts each dropdown at it; ``ours=False`` hides it
    and starts each row "not judged yet", so students judge before they see ours."""
    import ipywidgets

    tests = data.load("thesis_tests") if tests is None else tests
    sources = data.load("sources").set_index("source_id")
    judge, weight, rows = {}, {}, []
    # the rows share one layout (and style) per kind of widget: one model each in the front
    # end instead of one per row (each model is a message to the browser: 138 became 66)
    look = {"text": {"layout": ipywidgets.Layout(width="70%")},
            "judge": {"layout": ipywidgets.Layout(width="260px")},
            "weight": {"layout": ipywidgets.Layout(width="260px")},
            "row": {"layout": ipywidgets.Layout()}, "column": {"layout": ipywidgets.Layout()}}
    for t in tests.itertuples():
        src = sources.loc[t.source_id]
        media = " [state-affiliated media]" if src["kind"] == "state_affiliated_media" else ""
        text = ipywidgets.HTML(
            f"<b>{t.test_id} · {html.escape(t.area)}</b><br>"
            f"<i>If the thesis held:</i> {html.escape(t.if_thesis_holds)}<br>"
            f"<i>If not:</i> {html.escape(t.if_thesis_fails)}<br>"
            f"<i>Observed ({html.escape(t.observed_date_text)}):</i> {html.escape(t.observed)} "
            f"— <a href=\"{html.escape(src['url'])}\" target=\"_blank\" rel=\"noopener\">"
            f"{html.escape(src['publisher'])}</a>{media}"
            + (f"<br><i>Our judgement:</i> {JUDGEMENTS[t.judgement]}. "
               f"{html.escape(t.judgement_note)}" if ours else ""),
            **look["text"])
        options = [(v, k) for k, v in JUDGEMENTS.items()]
        judge[t.test_id] = ipywidgets.Dropdown(
            options=options if ours else [("not judged yet", UNJUDGED), *options],
            value=t.judgement if ours else UNJUDGED, description="Judgement", **look["judge"])
        weight[t.test_id] = ipywidgets.IntSlider(value=1, min=0, max=3, description="Weight",
                                                 **look["weight"])
        # the first row's styles serve the rows after it
        look["text"]["style"] = text.style
        look["judge"]["style"] = judge[t.test_id].style
        look["weight"]["style"] = weight[t.test_id].style
        rows.append(ipywidgets.HBox([text, ipywidgets.VBox([judge[t.test_id], weight[t.test_id]],
                                                           **look["column"])], **look["row"]))
    summary = ipywidgets.HTML()
    head = ipywidgets.HTML(f"<b>The thesis:</b> {html.escape(THESIS)}<br>Its two halves: "
                           + "; ".join(f"<b>{k}</b> {html.escape(v)}" for k, v in HALVES.items()))
    box = widgets.Form([head, *rows, summary],
                       "Weigh each implication of the thesis (judgement and weight 0-3) into "
                       "a verdict of your own.",
                       "".join(f"<p>{row.children[0].value}</p>" for row in rows))

    def update(_=None):
        box.result = weigh({k: w.value for k, w in judge.items()},
                           {k: w.value for k, w in weight.items()})
        summary.value = f"<b>{html.escape(describe(box.result))}</b>"

    for w in [*judge.values(), *weight.values()]:
        w.observe(update, names="value")
    update()
    box.judgements, box.weights = judge, weight
    return box
