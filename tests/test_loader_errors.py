"""Broken copies of the data must give one clear error naming file, line, column and value."""

import csv

import pytest

from balkan_diplomacy import data


def rows(path):
    with open(path, encoding="utf-8", newline="") as fh:
        return list(csv.reader(fh))


def write(path, table):
    with open(path, "w", encoding="utf-8", newline="") as fh:
        csv.writer(fh, lineterminator="\n").writerows(table)


def set_cell(path, line, column, value):
    table = rows(path)
    table[line - 1][table[0].index(column)] = value
    write(path, table)
    return table


def problems_of(folder, name="events"):
    with pytest.raises(data.DataError) as info:
        data.load(name, folder)
    return info.value.problems, str(info.value)


def test_bad_date(data_copy):
    set_cell(data_copy / "events.csv", 3, "date", "2008-02-30")
    problems, text = problems_of(data_copy)
    assert len(problems) == 1
    p = problems[0]
    assert (p.file, p.line, p.column, p.value) == ("events.csv", 3, "date", "2008-02-30")
    assert "events.csv, line 3, column 'date', value '2008-02-30'" in text


def test_date_not_matching_its_precision(data_copy):
    table = set_cell(data_copy / "events.csv", 2, "date_precision", "year")
    problems, _ = problems_of(data_copy)
    assert [(p.line, p.column, p.value) for p in problems] == [(2, "date_precision", "year")]
    assert table[1][table[0].index("date")] in problems[0].message


def test_text_in_a_date_column(data_copy):
    set_cell(data_copy / "events.csv", 4, "date", "June 1999")
    problems, _ = problems_of(data_copy)
    assert [(p.line, p.column, p.value) for p in problems] == [(4, "date", "June 1999")]


def test_missing_column(data_copy):
    table = rows(data_copy / "polls.csv")
    i = table[0].index("value_pct")
    write(data_copy / "polls.csv", [r[:i] + r[i + 1:] for r in table])
    problems, text = problems_of(data_copy, "polls")
    assert any(p.file == "polls.csv" and "value_pct" in (p.column or "") + p.message
               for p in problems), text


def test_percentage_out_of_range(data_copy):
    set_cell(data_copy / "polls.csv", 2, "value_pct", "180")
    problems, _ = problems_of(data_copy, "polls")
    assert [(p.file, p.line, p.column, p.value) for p in problems] == \
        [("polls.csv", 2, "value_pct", "180")]


def test_number_written_as_text(data_copy):
    set_cell(data_copy / "polls.csv", 2, "value_pct", "eighty")
    problems, _ = problems_of(data_copy, "polls")
    assert [(p.line, p.column, p.value) for p in problems] == [(2, "value_pct", "eighty")]


def test_unknown_source_id(data_copy):
    set_cell(data_copy / "events.csv", 5, "source_id", "no-such-source")
    problems, _ = problems_of(data_copy)
    assert [(p.file, p.line, p.value) for p in problems] == \
        [("events.csv", 5, "no-such-source")]
    assert "source_id" in problems[0].column


def test_duplicate_id(data_copy):
    table = rows(data_copy / "events.csv")
    first_id = table[1][0]
    set_cell(data_copy / "events.csv", 3, "event_id", first_id)
    problems, _ = problems_of(data_copy)
    assert any(p.line == 3 and p.value == first_id for p in problems), problems


def test_empty_required_cell(data_copy):
    set_cell(data_copy / "events.csv", 6, "title", "")
    problems, _ = problems_of(data_copy)
    assert [(p.line, p.column) for p in problems] == [(6, "title")]


def test_latin1_file(data_copy):
    path = data_copy / "events.csv"
    text = path.read_text(encoding="utf-8")
    assert "č" in text or "ć" in text or "ë" in text or "ç" in text
    path.write_bytes(text.encode("cp1250", errors="replace").replace(b"\x9a", b"\xe8"))
    problems, text = problems_of(data_copy)
    assert len(problems) == 1 and problems[0].file == "events.csv"
    assert "UTF-8" in problems[0].message and problems[0].line >= 2


def test_empty_file(data_copy):
    (data_copy / "glossary.csv").write_text("", encoding="utf-8")
    problems, text = problems_of(data_copy, "glossary")
    assert [(p.file, p.line) for p in problems] == [("glossary.csv", None)]
    assert "empty" in text and "term,definition" in text


def test_every_problem_is_listed_at_once(data_copy):
    set_cell(data_copy / "events.csv", 2, "category", "war")
    set_cell(data_copy / "polls.csv", 3, "value_pct", "-5")
    problems, _ = problems_of(data_copy)
    assert {(p.file, p.column) for p in problems} == {("events.csv", "category"),
                                                       ("polls.csv", "value_pct")}


def test_bom_and_crlf_are_read_unchanged(data_copy):
    path = data_copy / "events.csv"
    original = data.load("events", data_copy)
    lf = path.read_bytes().replace(b"\r\n", b"\n")
    path.write_bytes(b"\xef\xbb\xbf" + lf.replace(b"\n", b"\r\n"))
    again = data.load("events", data_copy)
    assert again.equals(original)


def test_nothing_is_loaded_from_a_broken_package(data_copy):
    set_cell(data_copy / "polls.csv", 2, "value_pct", "180")
    # a good table in a broken package is refused too: foreign keys span tables
    with pytest.raises(data.DataError):
        data.load("events", data_copy)


def test_unknown_table_name():
    with pytest.raises(KeyError, match="no table named 'event'"):
        data.load("event")


def test_spaces_in_a_required_cell(data_copy):
    set_cell(data_copy / "events.csv", 4, "title", "   ")
    problems, _ = problems_of(data_copy)
    assert [(p.line, p.column, p.value) for p in problems] == [(4, "title", "   ")]
    assert "only spaces" in problems[0].message
