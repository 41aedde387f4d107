"""Lesson 07: forecasts with probabilities, scored with the Brier score once questions resolve.

Two parts.

* Blind forecasts "as of January 2019": :func:`blind_form` collects a probability per settled
  question (``question_set == 'blind_2019'`` in ``forecast_questions.csv``), kept in the kernel;
  :func:`reveal` shows the outcomes with the Brier score of the student's forecasts beside the
  class's (from any class register) and beside our reading of the article.
* A forecast register: :func:`register_form` appends a student's forecasts to a CSV file in the
  student's own folder (never overwriting it); ``python -m balkan_diplomacy.forecast merge FILES
  --out class_register_YYYYMMDD.csv`` merges a class's files into a class register and refuses to
  overwrite an earlier one; :func:`score` scores every forecast whose question has resolved, from
  the sourced outcomes of ``forecast_questions.csv``.

Brier score of one forecast: (probability - outcome)², outcome 1 if it happened, 0 if not.
0 is perfect, 0.25 is what "50%" always earns, 1 is confidently wrong. Lower is better.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import html
import re
import sys
import unicodedata
from pathlib import Path

import pandas as pd

from . import data

#: Columns of a student's forecast file and of a class register (plus ``source_file``).
FIELDS = ["student", "question_id", "probability", "reasoning", "forecast_date", "resolves_by"]
#: How a second forecast for one question on one day is refused (the blind form says it once).
SAVED_TODAY = "you already saved a forecast for"
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")


class RegisterError(ValueError):
    """Problems in forecast files; each names the file, the row (line) and what is wrong."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        super().__init__(f"{len(problems)} problem(s); nothing was written:\n  - "
                         + "\n  - ".join(problems))


def questions(frame: pd.DataFrame | None = None) -> pd.DataFrame:
    """The forecast questions (validated table), indexed by question_id."""
    frame = data.load("forecast_questions") if frame is None else frame
    return frame.set_index("question_id", drop=False)


def brier(probability: float, outcome: bool) -> float:
    """(probability - outcome)²: 0 is perfect, 0.25 is a coin toss, 1 is confidently wrong."""
    if not 0 <= probability <= 1:
        raise ValueError(f"probability must be between 0 and 1, got {probability!r}")
    return (float(probability) - (1.0 if outcome else 0.0)) ** 2


# --- blind forecasts "as of January 2019" ----------------------------------------------------

def blind_questions(qs: pd.DataFrame | None = None) -> pd.DataFrame:
    qs = questions(qs)
    return qs[qs.question_set == "blind_2019"]


def blind_form(qs: pd.DataFrame | None = None, folder: str | Path = "my_forecasts"):
    """One slider (0-100 %) per blind question; ``form.probabilities`` holds the values (0-1).

    The values stay in the kernel until :func:`reveal` uses them. A name and the button *Save my
    blind forecasts* append them to the student's own file in ``folder`` (as the register form
    does), so the class column of a later reveal holds forecasts made before any outcome was
    shown, not after.
    """
    import ipywidgets

    blind = blind_questions(qs)
    probabilities = {q: 0.5 for q in blind.question_id}
    rows = []
    # the rows share one layout (and style) per kind of widget: one model each in the front
    # end instead of one per row (each model is a message to the browser)
    look = {"slider": {"layout": ipywidgets.Layout(width="320px")},
            "label": {"layout": ipywidgets.Layout()}, "row": {"layout": ipywidgets.Layout()}}
    for q in blind.itertuples():
        slider = ipywidgets.IntSlider(value=50, min=0, max=100, step=5, description="",
                                      **look["slider"])
        slider.observe(lambda ch, q=q.question_id: probabilities.__setitem__(q, ch["new"] / 100),
                       names="value")
        label = ipywidgets.HTML(f"<b>{q.question_id}</b> {html.escape(q.question)} "
                                "<i>(your probability, %)</i>", **look["label"])
        look["slider"]["style"], look["label"]["style"] = slider.style, label.style
        rows.append(ipywidgets.VBox([label, slider], **look["row"]))
    intro = ipywidgets.HTML("<b>It is 22 January 2019.</b> You have read the article and nothing "
                            "later. For each question, how likely is 'yes'? (50 = no idea)")
    name = ipywidgets.Text(description="Your name", placeholder="e.g. Ana Petrović")
    save = ipywidgets.Button(description="Save my blind forecasts", button_style="primary",
                             layout={"width": "auto"})
    status = ipywidgets.HTML()

    def on_save(_=None):
        saved, problems = [], []
        for q in blind.question_id:
            try:
                save_forecast(folder, name.value, q, probabilities[q],
                              "blind forecast, made before the outcomes were shown", qs)
            except RegisterError as e:
                problems += e.problems
            except ValueError as e:
                problems.append(str(e))
            else:
                saved.append(q)
        done = f"Saved {', '.join(saved)}. " if saved else ""
        # a problem shared by every question (no name given) is said once, and so is a second
        # save on the same day (a double click): the first forecasts are kept
        said = list(dict.fromkeys(problems))
        if not saved and said and all(SAVED_TODAY in p for p in said):
            said = ["you saved your blind forecasts already today; the first ones are kept, and "
                    "moving the sliders now changes nothing saved"]
        status.value = html.escape(done) + ("<b>Not saved:</b><br>" + "<br>".join(
            html.escape(p) for p in said) if said else "")

    save.on_click(on_save)
    from . import widgets

    form = widgets.Form([intro, *rows, ipywidgets.HBox([name, save]), status],
                        "Your forecasts as of 22 January 2019, one slider per question.",
                        "<ul>" + "".join(f"<li><b>{q.question_id}</b> {html.escape(q.question)}</li>"
                                         for q in blind.itertuples()) + "</ul>")
    form.probabilities = probabilities
    form.fields = {"name": name, "button": save, "status": status}
    form.save = on_save
    return form


def my_blind_probabilities(form, folder: str | Path = "my_forecasts",
                           qs: pd.DataFrame | None = None) -> dict:
    """The blind forecasts to score: those the student saved earlier from a blind form (the
    earliest saved for each question, in the file of the name typed in ``form``), else the
    values of ``form``'s sliders now."""
    mine = dict(form.probabilities)
    name = form.fields["name"].value.strip()
    if name:
        path = student_file(folder, name)
        if path.exists():
            saved, _ = read_forecasts(path, questions(qs))
            saved = saved[saved.question_id.isin(list(mine))].sort_values("forecast_date")
            for row in saved.drop_duplicates("question_id").itertuples():
                mine[row.question_id] = float(row.probability)
    return mine


def reveal(probabilities: dict, qs: pd.DataFrame | None = None,
           register: pd.DataFrame | None = None) -> pd.DataFrame:
    """Outcomes of the blind questions with your Brier score, the class's and the article's.

    ``probabilities``: question_id -> probability (0-1). ``register``: a class register (from
    :func:`read_register`, or several concatenated) or None; the class column is its mean
    Brier per question over the students who forecast it (blank when no one did), each student
    counted once, by their earliest forecast (a student in two registers, or one who saved again
    after seeing the outcomes, is not counted twice). Returns one row per question and a last
    row 'mean' (means over the questions that have a value).
    """
    blind = blind_questions(qs)
    rows = []
    for q in blind.itertuples():
        if pd.isna(q.outcome):
            continue
        mine = probabilities.get(q.question_id)
        art = None if pd.isna(q.article_probability) else float(q.article_probability)
        klass, n = None, 0
        if register is not None and len(register):
            asked = register[register.question_id == q.question_id]
            theirs = (asked.assign(key=asked["student"].map(student_key))
                      .sort_values("forecast_date", kind="stable")
                      .drop_duplicates("key").probability)
            n = len(theirs)
            if n:
                klass = sum(brier(p, bool(q.outcome)) for p in theirs) / n
        rows.append({
            "question_id": q.question_id, "question": q.question,
            "outcome": "yes" if q.outcome else "no", "what happened": q.outcome_note,
            "your probability": mine,
            "your Brier": None if mine is None else round(brier(mine, bool(q.outcome)), 3),
            "class Brier": None if klass is None else round(klass, 3), "class n": n,
            "article (our reading)": art,
            "article Brier": None if art is None else round(brier(art, bool(q.outcome)), 3),
        })
    table = pd.DataFrame(rows)
    mean = {c: round(table[c].dropna().mean(), 3) if table[c].notna().any() else None
            for c in ["your Brier", "class Brier", "article Brier"]}
    table.loc[len(table)] = {"question_id": "mean", "question": "mean over the questions",
                             **mean, "class n": int(table["class n"].sum())}
    return table


# --- the register: students' files ----------------------------------------------------------

def student_key(student: str) -> str:
    """How one student is told from another: the name in one Unicode form (NFC), case-folded,
    its spaces collapsed ("Ana  Petrović" and "ana petrović" are one student, as they share
    one file). Two students who type the same name are one student here too."""
    return " ".join(unicodedata.normalize("NFC", student).casefold().split())


def student_file(folder: str | Path, student: str) -> Path:
    """``folder/forecasts_<name>.csv`` with the name reduced to letters, digits and _ (letters
    of any script kept as they are: Đorđe, Ђорђе and Šćepanović keep their own names)."""
    slug = re.sub(r"\W+", "_", unicodedata.normalize("NFC", student.strip())).strip("_").lower()
    if not slug:
        raise ValueError("give your name (letters or digits) before saving")
    return Path(folder) / f"forecasts_{slug}.csv"


def _problems_in_row(row: dict, where: str, qs: pd.DataFrame) -> list[str]:
    problems = []
    for col in FIELDS:
        if not (row.get(col) or "").strip():
            problems.append(f"{where}: missing value in column '{col}'")
    p = (row.get("probability") or "").strip()
    if p:
        try:
            value = float(p)
        except ValueError:
            problems.append(f"{where}: probability {p!r} is not a number")
        else:
            if not 0 <= value <= 1:
                problems.append(f"{where}: probability {p} is outside 0-1 "
                                "(write 0.7 for 70 %)")
    q = (row.get("question_id") or "").strip()
    if q and q not in qs.index:
        problems.append(f"{where}: unknown question_id {q!r} (not in forecast_questions.csv)")
    for col in ("forecast_date", "resolves_by"):
        v = (row.get(col) or "").strip()
        if v:
            try:
                if not _DATE.match(v):
                    raise ValueError
                dt.date.fromisoformat(v)
            except ValueError:
                problems.append(f"{where}: {col} {v!r} is not a date YYYY-MM-DD")
    return problems


def save_forecast(folder: str | Path, student: str, question_id: str, probability: float,
                  reasoning: str, qs: pd.DataFrame | None = None,
                  today: dt.date | None = None) -> Path:
    """Append one forecast to the student's file (created with a header if new); never
    overwrites. Raises RegisterError (nothing written) on bad input or a duplicate."""
    qs = questions(qs)
    path = student_file(folder, student)
    today = today or dt.date.today()
    row = {"student": student.strip(), "question_id": question_id,
           "probability": f"{probability:g}", "reasoning": " ".join(reasoning.split()),
           "forecast_date": today.isoformat(),
           "resolves_by": (str(qs.loc[question_id, "resolves_by"])
                           if question_id in qs.index else "")}
    problems = _problems_in_row(row, f"{path}, new row", qs)
    if path.exists():
        earlier, more = read_forecasts(path, qs)
        problems += more
        key = (student_key(row["student"]), row["question_id"], row["forecast_date"])
        if any((student_key(r.student), r.question_id, r.forecast_date) == key for r in
               earlier[["student", "question_id", "forecast_date"]].itertuples(index=False)):
            problems.append(f"{path}: {SAVED_TODAY} {question_id} today; "
                            "a revised forecast can be saved on another day")
    if problems:
        raise RegisterError(problems)
    path.parent.mkdir(parents=True, exist_ok=True)
    new = not path.exists()
    with open(path, "a", encoding="utf-8", newline="") as f:
        writer = csv.DictWriter(f, fieldnames=FIELDS)
        if new:
            writer.writeheader()
        writer.writerow(row)
    return path


def read_forecasts(path: str | Path, qs: pd.DataFrame | None = None,
                   extra: tuple = ()) -> tuple[pd.DataFrame, list[str]]:
    """Read one forecast file (or a register with ``extra`` columns). Returns the good rows and
    a list of problems, each naming the file and line; a bad row is listed, never dropped
    silently (callers refuse to write when the list is not empty)."""
    qs = questions(qs)
    path = Path(path)
    cols = FIELDS + list(extra)
    try:
        with open(path, encoding="utf-8", newline="") as f:
            reader = csv.DictReader(f)
            header = reader.fieldnames or []
            lines = [(reader.line_num, r) for r in reader]
    except (OSError, UnicodeDecodeError, csv.Error) as e:
        return pd.DataFrame(columns=cols), [f"{path}: cannot read the file ({e})"]
    missing = [c for c in cols if c not in header]
    if missing:
        return pd.DataFrame(columns=cols), [f"{path}, line 1: missing column(s) {missing}"]
    problems, good, seen = [], [], {}
    for line, r in lines:
        where = f"{path}, line {line}"
        if None in r:  # more cells than the header has
            problems.append(f"{where}: more cells than columns")
            continue
        these = _problems_in_row(r, where, qs)
        key = (student_key(r["student"]), r["question_id"].strip(), r["forecast_date"].strip())
        if key in seen:
            these.append(f"{where}: duplicate of line {seen[key]} (same student, question "
                         "and date)")
        seen.setdefault(key, line)
        problems += these
        if not these:
            good.append({c: r[c].strip() for c in cols})
    frame = pd.DataFrame(good, columns=cols)
    frame["probability"] = frame.probability.astype(float)
    return frame, problems


def merge(paths, out: str | Path, qs: pd.DataFrame | None = None) -> pd.DataFrame:
    """Merge students' forecast files into a new class register at ``out``.

    Refuses to overwrite: if ``out`` exists, FileExistsError. Any problem in any file (or a
    duplicate across files) raises RegisterError listing them all, and nothing is written.
    """
    qs = questions(qs)
    out = Path(out)
    if out.exists():
        raise FileExistsError(f"{out} already exists: a class register is never overwritten; "
                              "choose another name with --out")
    if not paths:
        raise RegisterError(["no forecast files given"])
    frames, problems, seen = [], [], {}
    for path in paths:
        frame, more = read_forecasts(path, qs)
        problems += more
        for r in frame.itertuples(index=False):
            key = (student_key(r.student), r.question_id, r.forecast_date)
            if key in seen:
                problems.append(f"{path}: forecast of {r.student} for {r.question_id} on "
                                f"{r.forecast_date} is also in {seen[key]} (duplicate)")
            seen.setdefault(key, str(path))
        frames.append(frame.assign(source_file=str(path)))
    if problems:
        raise RegisterError(problems)
    register = pd.concat(frames, ignore_index=True)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "x", encoding="utf-8", newline="") as f:  # "x": fail if it appeared meanwhile
        register.to_csv(f, index=False)
    return register


def read_register(path: str | Path, qs: pd.DataFrame | None = None) -> pd.DataFrame:
    """A class register written by :func:`merge`; RegisterError if anything in it is wrong."""
    frame, problems = read_forecasts(path, qs, extra=("source_file",))
    if problems:
        raise RegisterError(problems)
    return frame


def class_registers(folder: str | Path) -> list[Path]:
    """The class registers in ``folder`` (class_register_*.csv), oldest name first."""
    return sorted(Path(folder).glob("class_register_*.csv"))


def score(register: pd.DataFrame, qs: pd.DataFrame | None = None,
          today: dt.date | None = None) -> pd.DataFrame:
    """Every forecast with its question's outcome and Brier score once the question has an
    outcome in forecast_questions.csv; open questions get status 'open' and no score."""
    qs = questions(qs)
    today = today or dt.date.today()
    rows = []
    for r in register.itertuples(index=False):
        q = qs.loc[r.question_id]
        resolved = not pd.isna(q.outcome)
        status = "resolved" if resolved else (
            "past deadline, outcome not yet recorded"
            if dt.date.fromisoformat(str(q.resolves_by)) < today else "open")
        rows.append({"student": r.student, "question_id": r.question_id,
                     "question": q.question, "probability": r.probability,
                     "forecast_date": r.forecast_date, "status": status,
                     "outcome": (("yes" if q.outcome else "no") if resolved else None),
                     "brier": round(brier(r.probability, bool(q.outcome)), 3) if resolved else None,
                     "outcome_source_id": q.outcome_source_id if resolved else None})
    return pd.DataFrame(rows, columns=["student", "question_id", "question", "probability",
                                       "forecast_date", "status", "outcome", "brier",
                                       "outcome_source_id"])


def register_form(folder: str | Path = "my_forecasts", qs: pd.DataFrame | None = None):
    """A small form: name, question, probability, reasoning, Save. Each Save appends one row
    to ``folder/forecasts_<name>.csv`` (never overwriting); the status line says what happened."""
    import ipywidgets

    qs = questions(qs)
    name = ipywidgets.Text(description="Your name", placeholder="e.g. Ana Petrović")
    # open questions only: the blind ones are saved from the blind form, before the outcomes
    open_qs = qs[qs.question_set == "open"]
    question = ipywidgets.Dropdown(
        options=[(f"{q.question_id} · {q.question}", q.question_id) for q in open_qs.itertuples()],
        value=open_qs.question_id.iloc[0], description="Question",
        layout={"width": "95%"})
    probability = ipywidgets.IntSlider(value=50, min=0, max=100, step=1,
                                       description="Probability %",
                                       style={"description_width": "initial"})
    reasoning = ipywidgets.Textarea(description="Reasoning",
                                    placeholder="your evidence (event or claim ids) and the "
                                                "strongest reason you could be wrong",
                                    layout={"width": "95%", "height": "80px"})
    save = ipywidgets.Button(description="Save forecast", button_style="primary")
    status = ipywidgets.HTML()

    def on_save(_=None):
        try:
            path = save_forecast(folder, name.value, question.value, probability.value / 100,
                                 reasoning.value, qs)
        except (RegisterError, ValueError) as e:
            status.value = "<b>Not saved:</b> " + html.escape(str(e)).replace("\n", "<br>")
        else:
            status.value = (f"Saved {html.escape(question.value)} at {probability.value}% to "
                            f"<code>{html.escape(str(path))}</code> (added to the end of the "
                            "file).")

    save.on_click(on_save)
    from . import widgets

    form = widgets.Form([name, question, probability, reasoning, save, status],
                        "Save a forecast of your own (name, question, probability, reasoning) "
                        "to your file for the class register.",
                        "<ul>" + "".join(f"<li><b>{q.question_id}</b> {html.escape(q.question)}"
                                         "</li>" for q in open_qs.itertuples()) + "</ul>")
    form.save = on_save
    form.fields = {"name": name, "question": question, "probability": probability,
                   "reasoning": reasoning, "status": status}
    return form


def main(argv=None) -> int:
    """``merge FILES... [--out PATH]`` or ``score REGISTER``; exit 1 with a message on problems."""
    parser = argparse.ArgumentParser(prog="python -m balkan_diplomacy.forecast",
                                     description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    m = sub.add_parser("merge", help="merge students' forecast files into a new class register")
    m.add_argument("files", nargs="*")
    m.add_argument("--out", default=f"class_register_{dt.date.today():%Y%m%d}.csv")
    s = sub.add_parser("score", help="score a class register against resolved questions")
    s.add_argument("register")
    args = parser.parse_args(argv)
    try:
        if args.command == "merge":
            register = merge(args.files, args.out)
            print(f"wrote {args.out}: {len(register)} forecast(s) from {len(args.files)} file(s)")
        else:
            scored = score(read_register(args.register))
            with pd.option_context("display.width", 200, "display.max_colwidth", 60):
                print(scored.drop(columns=["question"]).to_string(index=False))
            done = scored.dropna(subset=["brier"])
            if len(done):
                print("\nmean Brier per student (resolved questions only):")
                print(done.groupby("student").brier.mean().round(3).to_string())
    except (RegisterError, FileExistsError) as e:
        print(e, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
