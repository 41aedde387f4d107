"""The blind forecasts and the forecast register (lesson 07): scoring, saving, merging."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

from balkan_diplomacy import data, forecast

HEADER = ",".join(forecast.FIELDS)


@pytest.fixture(scope="module")
def qs():
    return forecast.questions()


def write(path, *lines):
    path.write_text("\n".join([HEADER, *lines]) + "\n", encoding="utf-8")
    return path


def test_brier_scores():
    assert forecast.brier(1, True) == 0
    assert forecast.brier(0.5, False) == 0.25
    assert forecast.brier(0.7, False) == pytest.approx(0.49)
    with pytest.raises(ValueError):
        forecast.brier(1.2, True)


def test_every_resolved_question_has_a_sourced_outcome_and_open_ones_are_blank(qs):
    for q in qs.itertuples():
        resolved = not pd.isna(q.outcome)
        assert resolved == (not pd.isna(q.outcome_source_id)) == (not pd.isna(q.outcome_note)), \
            q.question_id
        if q.question_set == "blind_2019":
            assert resolved, f"{q.question_id}: a blind question must be settled"
            assert pd.Timestamp(q.resolves_by) < pd.Timestamp.today()
    assert (qs.question_set == "open").sum() >= 3


def test_reveal_scores_mine_the_class_and_the_article(qs):
    blind = forecast.blind_questions(qs)
    mine = {q: 0.5 for q in blind.question_id}
    mine["B01"] = 0.9                                    # Serbia in the EU by 2025: no
    register = pd.DataFrame({"student": ["a", "b"], "question_id": ["B01", "B01"],
                             "probability": [0.0, 1.0],
                             "forecast_date": ["2026-01-10", "2026-01-10"]})
    table = forecast.reveal(mine, qs, register).set_index("question_id")
    assert table.loc["B01", "your Brier"] == pytest.approx(0.81)
    assert table.loc["B01", "class Brier"] == pytest.approx(0.5)   # (0 + 1) / 2
    assert table.loc["B01", "class n"] == 2
    assert table.loc["B01", "article Brier"] == pytest.approx(0.49)  # 0.7 and 'no'
    assert pd.isna(table.loc["B02", "article Brier"])               # the article says nothing
    assert pd.isna(table.loc["B02", "class Brier"])
    expected = (0.81 + 0.25 * (len(blind) - 1)) / len(blind)
    assert table.loc["mean", "your Brier"] == pytest.approx(expected, abs=1e-3)


def test_blind_form_keeps_the_values_in_the_kernel(qs):
    form = forecast.blind_form(qs)
    sliders = [row.children[1] for row in form.children[1:-2]]  # then: name and button, status
    assert len(sliders) == len(forecast.blind_questions(qs))
    sliders[0].value = 80
    assert form.probabilities[forecast.blind_questions(qs).question_id.iloc[0]] == 0.8


def test_blind_forecasts_are_saved_before_the_outcomes_only_from_the_blind_form(tmp_path, qs):
    form = forecast.blind_form(qs, folder=tmp_path)
    form.children[1].children[1].value = 80
    form.save()  # no name yet
    assert "Not saved" in form.fields["status"].value and not any(tmp_path.iterdir())
    # said once, not once per question, and without the register's "problem(s)" preamble
    assert form.fields["status"].value.count("give your name") == 1
    assert "problem(s)" not in form.fields["status"].value
    form.fields["name"].value = "Ana"
    form.save()
    saved, problems = forecast.read_forecasts(tmp_path / "forecasts_ana.csv", qs)
    assert problems == []
    assert set(saved.question_id) == set(forecast.blind_questions(qs).question_id)
    assert saved.probability.iloc[0] == pytest.approx(0.8)
    # lesson 07 scores what was saved then, not the sliders moved since
    form.children[1].children[1].value = 10
    first = forecast.blind_questions(qs).question_id.iloc[0]
    assert forecast.my_blind_probabilities(form, tmp_path, qs)[first] == pytest.approx(0.8)
    form.fields["name"].value = "Someone else"
    assert forecast.my_blind_probabilities(form, tmp_path, qs)[first] == pytest.approx(0.1)
    # the register form, used after the outcomes are shown, offers the open questions only
    offered = [value for _, value in forecast.register_form(tmp_path, qs).fields["question"].options]
    assert offered and all(q.startswith("O") for q in offered)


def test_save_appends_and_never_overwrites(tmp_path, qs):
    day = dt.date(2026, 12, 7)
    p = forecast.save_forecast(tmp_path, "Ana Petrović", "O01", 0.2, "slow talks", qs, day)
    forecast.save_forecast(tmp_path, "Ana Petrović", "O03", 0.05, "see C35", qs, day)
    with pytest.raises(forecast.RegisterError, match="already saved a forecast for O01"):
        forecast.save_forecast(tmp_path, "Ana Petrović", "O01", 0.3, "again", qs, day)
    frame, problems = forecast.read_forecasts(p, qs)
    assert problems == [] and list(frame.question_id) == ["O01", "O03"]
    assert p.name == "forecasts_ana_petrović.csv"  # her name whole
    with pytest.raises(forecast.RegisterError, match="outside 0-1"):
        forecast.save_forecast(tmp_path, "Ana", "O01", 70, "percent by mistake", qs, day)
    with pytest.raises(forecast.RegisterError, match="missing value in column 'reasoning'"):
        forecast.save_forecast(tmp_path, "Ana", "O01", 0.7, "  ", qs, day)


def test_register_form_saves_through_its_button(tmp_path, qs):
    form = forecast.register_form(tmp_path, qs)
    form.fields["name"].value = "Marko"
    form.fields["reasoning"].value = "E041 and C35"
    form.fields["probability"].value = 35
    form.save()
    assert "Saved" in form.fields["status"].value
    form.save()  # the same question on the same day again
    assert "Not saved" in form.fields["status"].value
    assert len(forecast.read_forecasts(tmp_path / "forecasts_marko.csv", qs)[0]) == 1


def test_bad_files_are_named_by_file_and_line(tmp_path, qs):
    bad = write(tmp_path / "bad.csv",
                "Ana,O01,1.4,too sure,2026-12-07,2030-12-31",
                "Ana,O02,,no number,2026-12-07,2028-12-31",
                "Ana,O99,0.5,unknown question,2026-12-07,2030-12-31",
                "Ana,O03,0.1,fine,2026-12-07,2030-12-31",
                "Ana,O03,0.2,same again,2026-12-07,2030-12-31",
                "Ana,O04,0.3,date,07/12/2026,2030-12-31")
    frame, problems = forecast.read_forecasts(bad, qs)
    text = "\n".join(problems)
    assert f"{bad}, line 2: probability 1.4 is outside 0-1" in text
    assert f"{bad}, line 3: missing value in column 'probability'" in text
    assert f"{bad}, line 4: unknown question_id 'O99'" in text
    assert f"{bad}, line 6: duplicate of line 5" in text
    assert f"{bad}, line 7: forecast_date '07/12/2026' is not a date" in text
    assert list(frame.question_id) == ["O03"]   # the rest is reported, not silently dropped
    unreadable = tmp_path / "latin1.csv"
    unreadable.write_bytes((HEADER + "\nPetrovi\xe6,O01,0.5,x,2026-12-07,2030-12-31\n")
                           .encode("latin-1"))
    assert "cannot read the file" in forecast.read_forecasts(unreadable, qs)[1][0]
    no_header = tmp_path / "nohead.csv"
    no_header.write_text("name,prob\nAna,0.5\n", encoding="utf-8")
    assert "line 1: missing column(s)" in forecast.read_forecasts(no_header, qs)[1][0]


def test_merge_writes_a_new_register_and_refuses_to_overwrite(tmp_path, qs):
    a = write(tmp_path / "forecasts_a.csv", "Ana,O01,0.2,slow,2026-12-07,2030-12-31",
              "Ana,B01,0.6,as of 2019,2026-12-07,2025-12-31")
    b = write(tmp_path / "forecasts_b.csv", "Boris,O01,0.4,hm,2026-12-07,2030-12-31")
    out = tmp_path / "class_register_20261207.csv"
    register = forecast.merge([a, b], out, qs)
    assert len(register) == 3 and out.exists()
    before = out.read_bytes()
    with pytest.raises(FileExistsError, match="never overwritten"):
        forecast.merge([a], out, qs)
    assert out.read_bytes() == before
    again = forecast.read_register(out, qs)
    scored = forecast.score(again, qs, today=dt.date(2026, 12, 7)).set_index("question_id")
    assert scored.loc["B01", "brier"] == pytest.approx(0.36)   # 0.6, and Serbia did not join
    assert scored.loc["B01", "outcome_source_id"] == qs.loc["B01", "outcome_source_id"]
    assert (scored.loc["O01", "status"] == "open").all()
    assert scored.loc["O01", "brier"].isna().all()


def test_merge_with_a_bad_file_or_a_cross_file_duplicate_writes_nothing(tmp_path, qs):
    a = write(tmp_path / "a.csv", "Ana,O01,0.2,slow,2026-12-07,2030-12-31")
    dup = write(tmp_path / "dup.csv", "Ana,O01,0.3,copy,2026-12-07,2030-12-31")
    bad = write(tmp_path / "bad.csv", "Boris,O01,-0.1,neg,2026-12-07,2030-12-31")
    out = tmp_path / "class_register_x.csv"
    with pytest.raises(forecast.RegisterError) as err:
        forecast.merge([a, dup, bad, tmp_path / "missing.csv"], out, qs)
    text = str(err.value)
    assert "is also in" in text and f"{bad}, line 2" in text and "missing.csv: cannot read" in text
    assert not out.exists()


def test_the_command_line_merges_and_scores(tmp_path, qs, capsys):
    a = write(tmp_path / "forecasts_a.csv", "Ana,B03,0.9,slated,2026-12-07,2019-12-31")
    out = tmp_path / "class_register_1.csv"
    assert forecast.main(["merge", str(a), "--out", str(out)]) == 0
    assert forecast.main(["merge", str(a), "--out", str(out)]) == 1
    assert "never overwritten" in capsys.readouterr().err
    assert forecast.main(["score", str(out)]) == 0
    assert "0.81" in capsys.readouterr().out    # 0.9 on a 'no'


def test_the_repository_ships_no_student_forecasts():
    root = data.data_dir().parent
    for folder in ("notebooks", "data", "registers"):
        assert not list((root / folder).glob("**/forecasts_*.csv")), folder
    assert not list((root / "registers").glob("class_register_*.csv"))


def test_each_open_question_says_where_things_stood_with_a_source():
    table = data.load("forecast_questions")
    sources = set(data.load("sources")["source_id"])
    for row in table.itertuples():
        if row.question_set == "open":
            assert isinstance(row.status_note, str) and row.status_note.strip(), row.question_id
            assert row.status_source_id in sources, row.question_id
        else:  # the blind questions of 2019 are scored on their outcome instead
            assert not isinstance(row.status_note, str), row.question_id


def test_a_student_file_keeps_the_letters_of_any_script(tmp_path):
    # a Serbian class writes names in Latin with diacritics or in Cyrillic: each keeps its own
    # file, and two names that differ only in those letters do not share one
    names = ["Đorđe Šćepanović", "Ђорђе", "Ćić", "Cic", "Ana Petrović"]
    files = [forecast.student_file(tmp_path, n).name for n in names]
    assert files[0] == "forecasts_đorđe_šćepanović.csv" and files[1] == "forecasts_ђорђе.csv"
    assert len(set(files)) == len(names), files
    with pytest.raises(ValueError, match="give your name"):
        forecast.student_file(tmp_path, " -- ")


def test_the_class_column_counts_each_student_once_by_their_earliest_forecast(qs):
    # ana saved before the outcomes (0.9) and again after them (0.1), and her file reached two
    # registers; boris saved once: the class is two students, ana's blind 0.9 counted once
    register = pd.DataFrame({
        "student": ["Ana", "Ana", "Boris", "Ana"], "question_id": ["B01"] * 4,
        "probability": [0.1, 0.9, 0.0, 0.9],
        "forecast_date": ["2026-03-02", "2026-01-10", "2026-01-10", "2026-01-10"]})
    table = forecast.reveal({}, qs, register).set_index("question_id")
    assert table.loc["B01", "class n"] == 2
    assert table.loc["B01", "class Brier"] == pytest.approx((0.81 + 0.0) / 2)  # B01: no


def test_one_student_is_one_whatever_the_case_spaces_or_unicode_form(tmp_path, qs):
    import unicodedata

    day = dt.date(2026, 12, 7)
    forecast.save_forecast(tmp_path, "Ana Petrović", "O01", 0.2, "slow talks", qs, day)
    # the same student typed in lower case, with two spaces, in decomposed Unicode: same file,
    # and refused as a second forecast the same day
    again = unicodedata.normalize("NFD", "ana  petrović")
    assert forecast.student_file(tmp_path, again) == forecast.student_file(tmp_path, "Ana Petrović")
    with pytest.raises(forecast.RegisterError, match="already saved a forecast for O01"):
        forecast.save_forecast(tmp_path, again, "O01", 0.9, "again", qs, day)
    # and counted once in the class column
    register = pd.DataFrame({"student": ["Ana Petrović", again], "question_id": ["B01", "B01"],
                             "probability": [0.9, 0.1],
                             "forecast_date": ["2026-01-10", "2026-02-10"]})
    table = forecast.reveal({}, qs, register).set_index("question_id")
    assert table.loc["B01", "class n"] == 1


def test_a_second_blind_save_the_same_day_is_said_once(tmp_path, qs):
    form = forecast.blind_form(qs, folder=tmp_path)
    form.fields["name"].value = "Ana"
    form.save()
    form.save()  # a double click
    status = form.fields["status"].value
    assert "already today" in status and status.count("<br>") == 1, status
