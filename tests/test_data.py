"""The tables in data/: they validate, every row is sourced, and they cover what the lessons need."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest

from balkan_diplomacy import article, data

TABLES = data.table_names()
ROOT = Path(__file__).resolve().parents[1]


def test_every_table_validates_without_cache():
    data.validate(use_cache=False)


@pytest.mark.parametrize("name", TABLES)
def test_every_row_names_a_source(tables, name):
    frame = tables[name]
    cols = [c for c in frame.columns if c.endswith("source_id")]
    assert cols, f"{name} has no source column"
    assert len(frame) > 0, f"{name} is empty"
    for col in cols:
        if data.schema(name)["fields"][[f["name"] for f in data.schema(name)["fields"]].index(col)] \
                .get("constraints", {}).get("required"):
            assert frame[col].notna().all(), f"{name}: rows without {col}"


def test_every_source_is_complete_and_used(tables):
    sources = tables["sources"]
    assert sources[["publisher", "title", "url", "kind", "accessed_date"]].notna().all().all()
    used, cited_in_notes = set(), set()
    for name, frame in tables.items():
        for col in frame.columns:
            if name != "sources" and col.endswith("source_id"):
                used |= set(frame[col].dropna())
            elif pd.api.types.is_string_dtype(frame[col].dtype):  # (object on pandas 2, str on 3)
                # a note may cite a further source by its id in square brackets: [source-id]
                for text in frame[col].dropna():
                    cited_in_notes |= set(re.findall(r"\[([a-z0-9][a-z0-9-]*[a-z0-9])\]", text))
    dangling = cited_in_notes - set(sources.source_id)
    assert not dangling, f"notes cite unknown source ids: {sorted(dangling)}"
    used |= cited_in_notes
    # a lesson may cite a source in its prose or its Sources list, by id or by URL
    prose = " ".join(p.read_text(encoding="utf-8") for p in
                     [*(data.data_dir().parent / "notebooks").glob("*.ipynb"),
                      *data.data_dir().glob("*.json")])
    used |= {r.source_id for r in sources.itertuples() if r.source_id in prose or r.url in prose}
    unused = set(sources.source_id) - used
    assert not unused, f"sources nobody cites: {sorted(unused)}"


def test_typed_columns(tables):
    events = tables["events"]
    assert pd.api.types.is_datetime64_any_dtype(events["date"])
    assert isinstance(events["category"].dtype, pd.CategoricalDtype)
    assert events["in_article"].dtype == "boolean"
    assert pd.api.types.is_float_dtype(tables["polls"]["value_pct"])
    assert tables["polls"]["value_pct"].between(0, 100).all()


def test_partial_dates_keep_their_text_and_precision(tables):
    events = tables["events"]
    for _, row in events.iterrows():
        n_parts = len(row["date_text"].split("-"))
        assert {"year": 1, "month": 2, "day": 3}[row["date_precision"]] == n_parts
        assert row["date"] == pd.Timestamp(row["date_text"] + {1: "-01-01", 2: "-01", 3: ""}[n_parts])


def test_events_span_1999_to_this_year_and_hold_the_anchors(tables):
    events = tables["events"]
    assert len(events) >= 40
    assert events.date.min().year == 1999
    assert events.date.max().year >= 2025
    # ids are stable labels, not positions: an event inserted later may carry a higher id than
    # events after it in time (test_event_ids_are_unique_and_every_reference_resolves)
    assert events.event_id.is_unique
    anchors = {"1999-06-10", "2008-02-17", "2017-06-05"}
    assert anchors <= set(events.date_text), anchors - set(events.date_text)
    assert events.in_article.sum() >= 8


EVENT_ID = re.compile(r"\bE\d{3}\b")


def event_references(root) -> dict[str, set[str]]:
    """Every event id cited in the lessons, the package, the data's text columns and the READMEs,
    as {id: {where it is cited}}."""
    root = Path(root)
    cited: dict[str, set[str]] = {}
    texts = [(p, p.read_text(encoding="utf-8")) for p in
             [*sorted((root / "notebooks").glob("*.ipynb")),
              *sorted((root / "src" / "balkan_diplomacy").glob("*.py")),
              root / "README.md", root / "data" / "README.md"] if p.exists()]
    for name in data.table_names(root / "data"):
        if name == "events":
            continue  # its own ids are the definitions
        texts.append((root / "data" / f"{name}.csv",
                      (root / "data" / f"{name}.csv").read_text(encoding="utf-8")))
    for path, text in texts:
        if path.suffix == ".py":
            text = re.sub(r"#\s*noqa\b[^\n]*", "", text)  # linter codes such as E731
        for eid in EVENT_ID.findall(text):
            cited.setdefault(eid, set()).add(path.name)
    return cited


def test_event_ids_are_unique_and_every_reference_resolves(tables):
    """The only order an id promises is none: a test fails when ids repeat or a reference points
    nowhere, not when a later id carries an earlier date."""
    ids = tables["events"]["event_id"]
    assert ids.is_unique, f"duplicate event ids: {sorted(ids[ids.duplicated()])}"
    dangling = {eid: sorted(where) for eid, where in event_references(ROOT).items()
                if eid not in set(ids)}
    assert not dangling, f"references to events that do not exist: {dangling}"


def test_a_dangling_event_reference_is_caught(data_copy, tmp_path):
    """The reference check can fail: a note citing an event id that events.csv lacks is found."""
    assert data_copy == tmp_path / "data"
    (tmp_path / "notebooks").mkdir()
    (tmp_path / "notebooks" / "x.ipynb").write_text('{"cells": [{"source": "see E998"}]}',
                                                    encoding="utf-8")
    cited = event_references(tmp_path)
    assert cited["E998"] == {"x.ipynb"}
    assert "E998" not in set(data.load("events", data_copy)["event_id"])


def test_event_claim_ids_exist(tables):
    claims = set(tables["article_claims"].claim_id)
    for _, row in tables["events"].dropna(subset=["claim_ids"]).iterrows():
        for cid in row["claim_ids"].split("; "):
            assert cid in claims, f"events.csv {row['event_id']}: unknown claim {cid}"


def test_claims_cover_the_article(tables):
    claims = tables["article_claims"]
    assert len(claims) >= 25
    assert (claims.source_id == "samorukov-2019").all()
    assert list(claims.claim_id) == [f"C{i:02d}" for i in range(1, len(claims) + 1)]
    assert claims.paragraph.is_monotonic_increasing, "claims follow reading order"
    # each body paragraph that states a checkable fact has at least one claim
    assert claims.paragraph.nunique() >= 10


def test_quotes_are_verbatim_short_and_in_their_paragraph(tables, article_paragraphs):
    for _, row in tables["article_claims"].iterrows():
        words = article.word_count(row["quote"])
        assert words <= article.MAX_QUOTE_WORDS, f"{row['claim_id']}: {words} words"
        para = article_paragraphs[int(row["paragraph"]) - 1]
        assert row["quote"] in para, f"{row['claim_id']}: quote not in paragraph {row['paragraph']}"


def test_memberships_cover_the_eight_states(tables):
    m = tables["memberships"]
    assert set(m.country_code) == {"AL", "BA", "HR", "XK", "ME", "MK", "RS", "SI"}
    nato = m[m.organisation == "NATO"]
    accessions = nato[nato.milestone == "accession"].set_index("country_code").date_text
    assert accessions["ME"] == "2017-06-05"
    assert "RS" not in accessions.index
    # within a country, a later step never predates an earlier one
    order = {"NATO": ["pfp", "ipap", "map", "invitation", "accession"],
             "EU": ["saa_signed", "saa_in_force", "application", "candidate", "talks_opened",
                    "accession"]}
    for (code, org), g in m.groupby(["country_code", "organisation"], observed=True):
        steps = g.set_index("milestone").date.reindex(order[org]).dropna()
        if org == "EU":
            # the SAA and the application need not come in that order (Croatia applied first)
            steps = steps.drop(["saa_signed", "saa_in_force"], errors="ignore")
        assert steps.is_monotonic_increasing, f"{code} {org}: steps out of order {steps.to_dict()}"


def test_recognitions_show_more_than_one_side(tables):
    r = tables["recognitions"]
    assert len(r) >= 10
    assert r.side.nunique() >= 2


def test_polls_hold_several_measures_and_pollsters(tables):
    p = tables["polls"]
    assert len(p) >= 15
    assert p.measure.nunique() >= 3
    assert p.pollster.nunique() >= 4
    assert (p.measure == "support_eu_membership").sum() >= 4


def test_glossary_defines_the_key_terms(tables):
    terms = " ".join(tables["glossary"].term).lower()
    for needle in ["1244", "veto", "membership action plan", "stabilisation and association",
                   "candidate"]:
        assert needle in terms, needle


def test_kosovo_code_is_explained():
    desc = [r for r in data._descriptor(data.data_dir())["resources"] if r["name"] == "memberships"]
    assert re.search(r"XK.*user-assigned", desc[0]["description"])


def test_schema_is_a_copy_and_an_edited_descriptor_is_read_again(tmp_path):
    import shutil

    mine = data.schema("events")
    mine["fields"].clear()  # a student's experiment must not reach the loader
    assert len(data.schema("events")["fields"]) > 5
    assert "date_text" in data.load("events")
    copy = tmp_path / "data"
    shutil.copytree(data.data_dir(), copy)
    assert "glossary" in data.table_names(copy)
    descriptor = json.loads((copy / "datapackage.json").read_text(encoding="utf-8"))
    descriptor["resources"] = [r for r in descriptor["resources"] if r["name"] != "glossary"]
    (copy / "datapackage.json").write_text(json.dumps(descriptor), encoding="utf-8")
    assert "glossary" not in data.table_names(copy)


def _same_size_edit(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert len(old) == len(new) and text.count(old) == 1
    path.write_text(text.replace(old, new), encoding="utf-8")


def test_an_edit_of_the_same_size_is_seen_at_once_and_later(data_copy):
    """The package is known by its files' content: an edit that keeps the size is seen both
    right after a save and with an old modification time put back."""
    import os

    events = data_copy / "events.csv"
    first = data.load("events", data_copy).loc[0, "title"]
    # a save a moment ago: hashed again, the edit is there
    _same_size_edit(events, first, first.upper() if first.upper() != first else first.lower())
    assert data.load("events", data_copy).loc[0, "title"] != first
    # an old file: hashed once, then known by its signature ...
    for p in data_copy.iterdir():
        os.utime(p, (1_600_000_000, 1_600_000_000))
    before = data.load("events", data_copy).loc[0, "title"]
    fp = data.validate(data_copy)
    assert data.validate(data_copy) == fp
    # ... until it changes, even with the same size and the old mtime put back
    _same_size_edit(events, before, first)
    os.utime(events, (1_600_000_000, 1_600_000_000))
    assert data.validate(data_copy) != fp
    assert data.load("events", data_copy).loc[0, "title"] == first


def _read_by_pandas(path, fields):
    """What pandas' own reader and casts make of a table: the oracle for ``data._typed``."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, na_values=[""], encoding="utf-8-sig")
    out = {}
    for f in fields:
        col, c, s = f["name"], f.get("constraints", {}), raw[f["name"]]
        if f["type"] == "integer":
            s = pd.to_numeric(s).astype("Int64")
        elif f["type"] == "number":
            s = pd.to_numeric(s).astype("Float64")
        elif f["type"] == "boolean":
            s = s.map({"true": True, "false": False}).astype("boolean")
        elif f["type"] == "date":
            s = pd.to_datetime(s, format="%Y-%m-%d")
        elif "enum" in c:
            s = s.astype(pd.CategoricalDtype(c["enum"], ordered=False))
        elif c.get("pattern", "").startswith(r"^\d{4}(-(0[1-9]"):
            out[col] = pd.to_datetime(s, format="ISO8601")
            col += "_text"
        out[col] = s
    return pd.DataFrame(out, index=raw.index)


@pytest.mark.parametrize("name", TABLES)
def test_loader_gives_what_pandas_reader_gives(name):
    expected = _read_by_pandas(data.data_dir() / f"{name}.csv", data.schema(name)["fields"])
    pd.testing.assert_frame_equal(data.load(name), expected, check_exact=True)


FIELDS = [
    {"name": "id", "type": "string"},
    {"name": "n", "type": "integer"},
    {"name": "share", "type": "number"},
    {"name": "flag", "type": "boolean", "trueValues": ["true"], "falseValues": ["false"]},
    {"name": "side", "type": "string", "constraints": {"enum": ["Belgrade", "Pristina"]}},
    {"name": "when", "type": "string",
     "constraints": {"pattern": r"^\d{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12]\d|3[01]))?)?$"}},
    {"name": "day", "type": "date"},
]


def test_loader_reads_quotes_bom_crlf_and_blank_lines_as_pandas_does(tmp_path):
    path = tmp_path / "t.csv"
    path.write_bytes("\ufeffid,n,share,flag,side,when,day\r\n"
                     '"a, quoted ""one""",1,2.5,true,Belgrade,2008,2008-02-17\r\n'
                     "\r\n"
                     '"two\r\nlines",,,,,2008-02,\r\n'
                     "c,-3,0.25,false,Pristina,2008-02-17,1999-06-10\r\n".encode("utf-8"))
    pd.testing.assert_frame_equal(data._typed(path, FIELDS), _read_by_pandas(path, FIELDS),
                                  check_exact=True)


@pytest.mark.parametrize("column, value", [("n", "two"), ("share", "1,5"), ("flag", "yes"),
                                           ("side", "Beograd")])
def test_loader_names_the_cell_it_cannot_read(tmp_path, column, value):
    # (validation stops such cells first; the loader still refuses them rather than guess)
    row = {"id": "x", "n": "1", "share": "0.5", "flag": "true", "side": "Pristina",
           "when": "2008", "day": "2008-02-17", column: value}
    path = tmp_path / "t.csv"
    path.write_text(",".join(row) + "\n" + "a,2,1,false,Belgrade,1999,1999-06-10\n"
                    + ",".join(f'"{v}"' for v in row.values()) + "\n", encoding="utf-8")
    with pytest.raises(data.DataError) as info:
        data._typed(path, FIELDS)
    p = info.value.problems[0]
    assert (p.file, p.line, p.column, p.value) == ("t.csv", 3, column, value)
