"""The instructor guide runs clean, covers every lesson, and agrees with the lessons and quizzes.

The guide's timing lines are written from the lessons' header lines; these tests catch the two
drifting apart, a lesson with too few exercises, and an answer key that misses a quiz answer.
"""

import html
import json
import re

import nbformat
import pytest

from balkan_diplomacy import article, guide
from notebook_runner import ROOT, execute, outputs_of

GUIDE = ROOT / "notebooks" / "instructor_guide.ipynb"
LESSONS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
NUMBERS = [p.name[:2] for p in LESSONS]
# "*Teaching 20 min · exercises 15 min · needs: 01_timeline*" in a lesson's header (lesson 06
# adds "· debate 20 min")
TIMING = re.compile(r"Teaching\s+\d+\s*min(?:\s*·\s*\w+\s+\d+\s*min)*", re.IGNORECASE)
PART = re.compile(r"(\w+)\s+(\d+)\s*min")
SECTION = re.compile(r"^##\s+(\d\d)\b")
ANSWER_KEY = re.compile(r"""guide\.answer_key\(\s*["'](\d\d)["']\s*\)""")
ARTICLE_QUOTE = re.compile(r"“([^”]+)”")  # the guide puts quotations from the article in “ ”


@pytest.fixture(scope="module")
def guide_nb():
    return nbformat.read(GUIDE, as_version=4)


def sections(nb) -> dict[str, list]:
    """Cells of each lesson section, keyed by lesson number: from '## NN ...' to the next '## '."""
    found, current = {}, None
    for cell in nb.cells:
        first = cell.source.lstrip().splitlines()[0] if cell.source.strip() else ""
        if cell.cell_type == "markdown" and first.startswith("## "):
            m = SECTION.match(first)
            current = m.group(1) if m else None
            if current:
                found.setdefault(current, [])
        if current:
            found[current].append(cell)
    return found


def timing_in(cells) -> dict[str, int] | None:
    """{'teaching': 20, 'exercises': 15, ...} from the first timing line in ``cells``."""
    for cell in cells:
        if cell.cell_type == "markdown":
            m = TIMING.search(cell.source)
            if m:
                return {k.lower(): int(v) for k, v in PART.findall(m.group(0))}
    return None


def lesson_timing(path) -> dict[str, int] | None:
    """The timing stated in the lesson's header (its first markdown cells, before any '## ')."""
    header = []
    for cell in nbformat.read(path, as_version=4).cells:
        if cell.cell_type == "markdown" and cell.source.lstrip().startswith("## "):
            break
        header.append(cell)
    return timing_in(header)


def guide_text(nb) -> str:
    return "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")


def test_guide_is_committed_clean(guide_nb):
    for cell in guide_nb.cells:
        if cell.cell_type == "code":
            assert not cell.outputs, "instructor_guide.ipynb: committed with outputs"
            assert cell.execution_count is None, "instructor_guide.ipynb: execution counts"
    nbformat.validate(guide_nb)


def test_first_code_cell_imports_guide(guide_nb):
    code = [c for c in guide_nb.cells if c.cell_type == "code"]
    assert code and code[0].source.strip() == "from balkan_diplomacy import guide"


def test_every_answer_key_in_the_guide_has_a_lesson(guide_nb):
    called = {m.group(1) for c in guide_nb.cells if c.cell_type == "code"
              for m in ANSWER_KEY.finditer(c.source)}
    assert called, "the guide calls guide.answer_key for no lesson"
    missing = sorted(called - set(NUMBERS))
    assert not missing, f"the guide has answer keys for lessons that do not exist yet: {missing}"


@pytest.mark.notebooks
def test_guide_runs_clean(guide_nb):
    called = {m.group(1) for c in guide_nb.cells if c.cell_type == "code"
              for m in ANSWER_KEY.finditer(c.source)}
    if called - set(NUMBERS):
        pytest.skip(f"lessons not written yet: {sorted(called - set(NUMBERS))}")
    nb = execute(GUIDE)
    for _cell, out in outputs_of(nb):
        assert out.output_type != "error", f"{out.get('ename')}: {out.get('evalue')}"
        if out.output_type == "stream":
            assert out.name != "stderr", f"printed to stderr:\n{out.text[:500]}"
        assert "Traceback" not in json.dumps(out.get("data", {}))
    keys = [c for c in nb.cells if c.cell_type == "code" and ANSWER_KEY.search(c.source)]
    for cell in keys:  # each answer key shows something
        assert any(o.output_type == "execute_result" for o in cell.outputs), cell.source


@pytest.mark.parametrize("nn", NUMBERS)
def test_guide_has_a_section_with_an_answer_key_per_lesson(guide_nb, nn):
    found = sections(guide_nb)
    assert nn in found, f"the guide has no '## {nn} ...' section"
    calls = [m.group(1) for c in found[nn] if c.cell_type == "code"
             for m in ANSWER_KEY.finditer(c.source)]
    assert calls == [nn], f"section {nn} should call guide.answer_key({nn!r}) once, found {calls}"


@pytest.mark.parametrize("path", LESSONS, ids=NUMBERS)
def test_guide_timing_equals_the_lesson_header(guide_nb, path):
    nn = path.name[:2]
    in_lesson = lesson_timing(path)
    assert in_lesson, f"{path.name}: no '*Teaching N min · exercises M min*' line in its header"
    in_guide = timing_in(sections(guide_nb).get(nn, []))
    assert in_guide, f"guide section {nn}: no timing line"
    assert in_guide == in_lesson, f"guide says {in_guide}, {path.name} says {in_lesson}"
    assert guide.lesson_minutes(nn) == in_lesson


RUN_SHEET = re.compile(r"""guide\.run_sheet\(\s*["'](\d\d)["']\s*\)""")


@pytest.mark.parametrize("nn", NUMBERS)
def test_guide_section_shows_the_run_sheet(guide_nb, nn):
    calls = [m.group(1) for c in sections(guide_nb)[nn] if c.cell_type == "code"
             for m in RUN_SHEET.finditer(c.source)]
    assert calls == [nn], f"section {nn} should call guide.run_sheet({nn!r}) once, found {calls}"


@pytest.mark.parametrize("nn", NUMBERS)
def test_run_sheet_minutes_add_up_to_the_lesson(nn):
    sheet = guide.run_sheet(nn)
    minutes = guide.lesson_minutes(nn)
    assert sheet["minutes"].sum() == sum(minutes.values())
    assert (sheet["minutes"] > 0).all(), sheet
    assert list(sheet["start (min)"]) == list(sheet["minutes"].cumsum().shift(fill_value=0))
    for kind, key in (("exercise", "exercises"), ("debate", "debate")):
        in_sheet = sheet.loc[sheet["kind"] == kind, "minutes"].sum()
        if kind == "debate":
            assert in_sheet == minutes.get("debate", 0)
        else:
            assert in_sheet + guide.QUIZ_MIN == minutes[key]
    assert sheet["if short of time"].str.len().gt(0).any(), f"lesson {nn}: nothing to cut"


@pytest.mark.parametrize("nn", NUMBERS)
def test_cut_advice_names_sections_the_lesson_has(nn):
    headings = [s["heading"] for s in guide._headed_sections(nn)]
    assert guide.CUT_WHEN_SHORT.get(nn), f"lesson {nn}: no advice for a short class"
    for head, _how in guide.CUT_WHEN_SHORT[nn]:
        assert any(h.startswith(head) for h in headings), f"lesson {nn}: no section {head!r}"


def test_lesson_06_has_its_debate_and_the_course_adds_up():
    minutes = guide.lesson_minutes("06")
    assert minutes.get("debate", 0) > 0, "lesson 06's header lost its debate minutes"
    plan = guide.lesson_plan()
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    table = dict(re.findall(r"^\| `(\d\d)_\w+` \|.*\| (\d+) \|$", readme, re.M))
    assert {k: int(v) for k, v in table.items()} == dict(zip(plan["lesson"], plan["total (min)"]))
    total = int(plan["total (min)"].sum())
    said = re.findall(r"(\d+) minutes in all", readme)
    assert said == [str(total)], f"README should say the course is {total} minutes in all: {said}"


def test_guide_types_no_total_of_its_own(guide_nb):
    """The plan is computed in the guide (guide.lesson_plan()), never a typed table."""
    text = guide_text(guide_nb)
    assert "All lessons" not in text and not re.search(r"\|\s*\*\*\d{3}\*\*\s*\|", text)
    code = "\n".join(c.source for c in guide_nb.cells if c.cell_type == "code")
    assert "guide.lesson_plan()" in code


def test_guide_has_the_debate_protocol_and_a_page_for_a_class_of_30(guide_nb):
    text = guide_text(guide_nb)
    six = "\n".join(c.source for c in sections(guide_nb)["06"] if c.cell_type == "markdown")
    debate = guide.lesson_minutes("06")["debate"]
    assert "Debate protocol" in six and f"{debate} minutes" in six  # the header's minutes
    assert "## Running a class of 30" in text
    for must in ("Setup", "Before class", "kernel dies", "Widgets show as text"):
        assert must in text, must


@pytest.mark.parametrize("nn", NUMBERS)
def test_answer_key_shows_values_not_only_code(nn):
    found = guide.answers(nn)
    assert len(found) == len(guide.exercises(nn))
    for item in found:
        assert len(re.sub(r"<[^>]+>", "", item["html"])) > 60, (
            f"lesson {nn}: {item['exercise'][:40]} shows no result")
        assert item["html"].startswith('<details class="bd-answer" open>'), item["html"][:80]
    shown = guide.answer_key(nn).data
    assert "<details><summary>the code</summary>" in shown
    assert shown.index("<details>") > shown.index("</b></p>"), "the answer comes before its code"


@pytest.mark.parametrize("nn", NUMBERS)
def test_every_lesson_has_at_least_two_exercises_with_solutions(nn):
    pairs = guide.exercises(nn)
    assert len(pairs) >= 2, f"lesson {nn}: {len(pairs)} exercise/solution pairs, want at least 2"
    for prompt, solution in pairs:
        assert prompt.startswith("## Exercise"), f"lesson {nn}: solution cell without an exercise"
        assert solution.strip(), f"lesson {nn}: empty solution for {prompt.splitlines()[0]}"


@pytest.mark.parametrize("nn", NUMBERS)
def test_answer_key_contains_every_quiz_answer(nn):
    quiz = guide.quiz_answers(nn)
    lesson = "\n".join(c.source for c in nbformat.read(guide.lesson_path(nn), as_version=4).cells)
    if re.search(rf"""quiz\(\s*["']{nn}["']\s*\)""", lesson):
        assert len(quiz), f"lesson {nn} shows quiz({nn!r}) but data/quizzes.csv has no questions"
    shown = html.unescape(guide.answer_key(nn).data)
    for row in quiz.itertuples():
        assert row.question in shown, f"lesson {nn}: question {row.question_no} missing"
        assert f"Answer: {row.answer}." in shown, f"lesson {nn}: answer to Q{row.question_no} missing"


def test_guide_quotes_the_article_verbatim_and_briefly(guide_nb, article_paragraphs):
    body = " ".join(" ".join(p.split()) for p in article_paragraphs)
    quotes = ARTICLE_QUOTE.findall(guide_text(guide_nb))
    assert quotes, "the guide quotes nothing from the article"
    for q in quotes:
        q = " ".join(q.split())
        assert article.word_count(q) <= article.MAX_QUOTE_WORDS, f"quote too long: {q}"
        assert q in body, f"not verbatim in the article: {q}"


def test_guide_keeps_both_name_forms_and_diacritics(guide_nb):
    text = guide_text(guide_nb)
    for name in ("Priština", "Prishtina", "Vučić", "Kurti"):
        assert name in text, name
    assert "Vucic" not in text and "Pristina/Prishtina" not in text
    assert article.URL in text


def test_a_heading_that_states_its_minutes_gets_them():
    """Lesson 00's reading and primer say their minutes in their headings; the run-sheet keeps
    them and shares only the rest, so the sheet and the headings agree."""
    sheet = guide.run_sheet("00")
    for heading, stated in (("Exercise: Read the article itself (15 minutes)", 15),
                            ("A pandas primer (20 minutes)", 20),
                            ("Reference: come back when a lesson points here (5 minutes)", 5)):
        row = sheet[sheet["activity"].str.startswith(heading)]
        assert list(row["minutes"]) == [stated], (heading, sheet)
