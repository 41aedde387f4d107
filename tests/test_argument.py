"""Issue 18: the verdicts are defined, the thesis is tested, forecasts are scored."""

from __future__ import annotations

import re

import pandas as pd
import pytest

from balkan_diplomacy import data, style


@pytest.fixture(scope="module")
def claims():
    return data.load("article_claims")


@pytest.fixture(scope="module")
def verdicts():
    return data.load("verdicts")


def test_every_verdict_in_the_claims_is_defined(claims, verdicts):
    undefined = set(claims.verdict.astype(str)) - set(verdicts.verdict)
    assert not undefined, f"verdicts used in article_claims.csv but not defined: {undefined}"


def test_every_defined_verdict_is_used_or_reserved(claims, verdicts):
    used = set(claims.verdict.astype(str))
    for row in verdicts.itertuples():
        if row.status == "used":
            assert row.verdict in used, f"{row.verdict} is marked 'used' but no claim has it"
            example = claims.set_index("claim_id").loc[row.example_claim_id]
            assert example.verdict == row.verdict, (row.verdict, row.example_claim_id)
        else:
            assert row.verdict not in used, f"{row.verdict} is 'reserved' but claims use it"
            assert pd.isna(row.example_claim_id)


def test_the_schema_enum_the_colours_and_the_table_name_the_same_verdicts(verdicts):
    fields = data.schema("article_claims")["fields"]
    enum = next(f for f in fields if f["name"] == "verdict")["constraints"]["enum"]
    assert set(enum) == set(verdicts.verdict) == set(style.VERDICT_COLORS) \
        == set(style.VERDICT_LABELS)
    for row in verdicts.itertuples():
        assert style.VERDICT_LABELS[row.verdict] == row.label


def test_rhetorical_questions_have_their_own_verdict(claims):
    questions = claims.quote.str.strip().str.endswith("?")
    assert questions.sum() >= 4  # C26-C29
    rhetorical = claims.verdict == "rhetorical_premise_checked"
    wrong = claims.loc[questions != rhetorical, ["claim_id", "quote", "verdict"]]
    assert wrong.empty, f"a question must be (and only a question may be) rhetorical:\n{wrong}"


def test_verdicts_apply_to_their_claim_kinds(claims, verdicts):
    kinds = {r.verdict: r.applies_to for r in verdicts.itertuples()}
    for c in claims.itertuples():
        allowed = kinds[c.verdict]
        assert allowed == "any kind" or c.claim_kind in [k.strip() for k in allowed.split(",")], \
            (c.claim_id, c.claim_kind, c.verdict)


def test_verdicts_are_shown_before_the_first_lesson_that_uses_them():
    import json
    from pathlib import Path

    folder = Path(data.data_dir()).parent / "notebooks"
    for path in sorted(folder.glob("0*.ipynb")):
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        text = ["".join(c["source"]) for c in cells]
        first_use = next((i for i, t in enumerate(text)
                          if re.search(r"\bverdict\b", t) and "verdicts" not in t), None)
        if first_use is None:
            continue
        shown = next((i for i, t in enumerate(text) if 'data.load("verdicts")' in t), None)
        # the table comes before, or right after, the cell that first names a verdict
        assert shown is not None and shown <= first_use + 1, \
            f"{path.name} uses a verdict (cell {first_use}) without showing verdicts.csv"
        break  # the first lesson that uses verdicts is the one that must define them
    else:
        pytest.fail("no lesson uses a verdict")


def test_thesis_tests_give_both_implications_a_source_and_a_judgement():
    tests = data.load("thesis_tests")
    assert len(tests) >= 8
    assert set(tests.judgement.astype(str)) == {"fits_thesis", "against_thesis", "mixed"}
    areas = " ".join(tests.area).lower()
    for needle in ["putin", "eu membership", "sanctions", "un general assembly", "energy", "arms",
                   "visits"]:
        assert needle in areas, needle
    assert (tests.if_thesis_holds != tests.if_thesis_fails).all()


def test_the_thesis_quote_and_the_articles_words_in_forecasts_are_verbatim(article_paragraphs):
    from balkan_diplomacy import thesis

    article_text = " ".join(article_paragraphs)
    readings = data.load("forecast_questions").article_reading.dropna()
    for reading in readings:
        for words in re.findall(r"'([^']+)'", reading):
            assert words in article_text, words
    quoted = re.findall("\u201c([^\u201d]+)\u201d", thesis.THESIS)
    assert quoted and all(q in article_text for q in quoted)
    assert all(len(q.split()) <= 25 for q in quoted)


def test_weighing_adds_up_and_follows_the_student():
    from balkan_diplomacy import thesis

    j = {"T01": "fits_thesis", "T02": "against_thesis", "T03": "mixed"}
    r = thesis.weigh(j, {"T01": 3, "T02": 1, "T03": 2})
    assert (r["for"], r["against"], r["mixed"], r["balance"]) == (3, 1, 2, 2)
    assert r["verdict"] == "your weighing supports the thesis"
    assert thesis.weigh(j, {"T01": 1, "T02": 3})["verdict"].endswith("against the thesis")
    assert thesis.weigh(j, {"T03": 3})["share_for"] is None
    # weighing only mixed rows is not "nothing weighed": the student is told mixed rows count
    # for neither side
    assert "mixed row counts for neither side" in thesis.weigh(j, {"T03": 3})["verdict"]
    assert thesis.weigh(j, {"T03": 0})["verdict"].startswith("no decided evidence")
    with pytest.raises(ValueError):
        thesis.weigh(j, {"T01": 5})


def test_weighing_form_reacts_to_weights_and_changed_judgements():
    from balkan_diplomacy import thesis

    tests = data.load("thesis_tests")
    box = thesis.weighing_form(tests)
    first = box.result
    fits = tests[tests.judgement == "fits_thesis"].test_id.iloc[0]
    box.weights[fits].value = 0
    assert box.result["for"] == first["for"] - 1
    box.judgements[fits].value = "against_thesis"
    box.weights[fits].value = 3
    assert box.result["against"] == first["against"] + 3
    assert "Conclusion" in box.children[-1].value


def test_students_can_judge_before_they_see_our_judgement():
    from balkan_diplomacy import thesis

    tests = data.load("thesis_tests")
    box = thesis.weighing_form(tests, ours=False)
    assert "Our judgement" not in "".join(getattr(c, "value", "") for c in box.children
                                          if isinstance(getattr(c, "value", None), str))
    assert all(d.value == thesis.UNJUDGED for d in box.judgements.values())
    assert box.result["for"] == box.result["against"] == box.result["mixed"] == 0
    first = tests.test_id.iloc[0]
    box.judgements[first].value = "against_thesis"
    box.weights[first].value = 2
    assert box.result["against"] == 2


def test_lesson_07_names_the_mixed_rows_as_the_table_judges_them():
    """The cell on the thesis's two halves names rows that test both at once as *mixed*, and
    rows of one half: those ids must carry that judgement in thesis_tests.csv."""
    import json
    from pathlib import Path

    judged = data.load("thesis_tests").set_index("test_id").judgement.astype(str)
    root = Path(__file__).resolve().parents[1]
    nb = json.loads((root / "notebooks" / "07_then_and_now.ipynb").read_text())
    text = next("".join(c["source"]) for c in nb["cells"]
                if c["cell_type"] == "markdown" and "both halves at once" in "".join(c["source"]))
    for sentence in re.split(r"(?<=[.:])\s", text):
        ids = re.findall(r"\bT\d\d\b", sentence)
        if "*mixed*" in sentence:
            assert ids and all(judged[i] == "mixed" for i in ids), sentence
        elif "fit H1" in sentence or "fits H1" in sentence:
            assert ids and all(judged[i] == "fits_thesis" for i in ids), sentence


def test_lesson_07_cites_the_dialogue_events_its_table_shows():
    """The text under the dialogue table cites event ids; each is a kosovo_status event from 2023
    on, the rows the cell shows, and the first two are the 2023 agreement and its annex."""
    import json
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    nb = json.loads((root / "notebooks" / "07_then_and_now.ipynb").read_text())
    text = next("".join(c["source"]) for c in nb["cells"]
                if "The table lists the dialogue's steps since 2023" in "".join(c["source"]))
    events = data.load("events")
    shown = events[(events.category == "kosovo_status") & (events["date"].dt.year >= 2023)]
    cited = re.findall(r"\bE\d{3}\b", text)
    assert cited and set(cited) <= set(shown.event_id), set(cited) - set(shown.event_id)
    first_two = shown.sort_values("date").event_id.tolist()[:2]
    assert cited[:2] == first_two
