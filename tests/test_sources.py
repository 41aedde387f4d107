"""Sources a provenance lesson can stand behind: every row of sources.csv names a real title, an
address on the web that is not a bare IP, and says nothing about how it was looked up; Wikipedia
is cited only as what it is, an encyclopedia.

The rules (data/README.md, "How a source is cited", says the same in prose):

- the title is the page's own title, never a placeholder in square brackets;
- no text speaks of how a page was found or kept ("stored copy", "title not shown", "URL slug:",
  "mirror", "retrieved via search"): a reader cannot know what that means, and it is not a fact
  about the source;
- the URL's host is a name, not an IP address: an address like http://3.127.128.221/ names no
  publisher and changes owner without notice;
- Wikipedia (on wikipedia.org or in a copy elsewhere) is allowed only as an encyclopedia entry cited
  as such: ``kind`` is ``reference_work`` and ``publisher`` starts with "Wikipedia", and a copy
  outside wikipedia.org says whose copy it is ("Wikipedia (English), copy published by Wikiwand").
  Why allow it at all: recognitions.csv records what Wikipedia's editors counted as one of the
  claimants (lesson 02 compares their revisions with Belgrade's and Pristina's counts), and the
  glossary defines a few general terms; in both the encyclopedia itself is what is cited. A fact
  that an encyclopedia merely repeats is cited from its original publisher instead.
"""

from __future__ import annotations

import ipaddress
import json
import re
from urllib.parse import urlsplit

import pandas as pd
import pytest

from balkan_diplomacy import data

# how a page was looked up or kept, said in a source's text instead of what the source says
LOOKUP_TALK = re.compile(
    r"stored (?:copy|page|opening|text|version)|\bnot shown\b|title not shown|"
    r"\burl (?:slug|path)\s*:|\bmirror\b|retrieved (?:via|from|through) (?:a |the )?search|"
    r"\bsearch (?:result|engine|index)|\bcached (?:copy|page)",
    re.IGNORECASE)
# a Wikipedia page or a copy of one, recognisable from its address
WIKI_URL = re.compile(r"wikipedia|/wiki/|enwiki|wiki(?:wand|mili)|piglix|theinfolist|kiwix",
                      re.IGNORECASE)
WIKI_COPY_PUBLISHER = re.compile(r"^Wikipedia \([^)]+\), copy (?:published by|saved on) \S")


def _host(url: str) -> str:
    return (urlsplit(url).hostname or "").lower()


def is_ip_host(url: str) -> bool:
    try:
        ipaddress.ip_address(_host(url).strip("[]"))
    except ValueError:
        return False
    return True


def source_problems(row: dict) -> list[str]:
    """What is wrong with one row of sources.csv (an empty list when nothing is)."""
    problems = []
    title, publisher, url = str(row["title"]), str(row["publisher"]), str(row["url"])
    kind = str(row["kind"])
    if re.match(r"^\s*\[", title) or re.search(r"\]\s*$", title):
        problems.append(f"title in brackets, not the page's own title: {title!r}")
    for field in ("publisher", "title", "author", "note"):
        text = row.get(field)
        if isinstance(text, str) and (m := LOOKUP_TALK.search(text)):
            problems.append(f"{field} speaks of how the page was looked up ({m.group(0)!r})")
    if is_ip_host(url):
        problems.append(f"URL at a raw IP address, which names no publisher: {url}")
    on_wikipedia = _host(url).endswith("wikipedia.org")
    wiki_like = on_wikipedia or bool(WIKI_URL.search(url)) or "wikipedia" in publisher.lower()
    if wiki_like:
        if kind != "reference_work" or not publisher.startswith("Wikipedia"):
            problems.append("Wikipedia content must be cited as an encyclopedia entry: kind "
                            f"'reference_work' and a publisher starting 'Wikipedia' (got {kind!r}, "
                            f"{publisher!r})")
        elif not on_wikipedia and not WIKI_COPY_PUBLISHER.match(publisher):
            problems.append("a copy of Wikipedia outside wikipedia.org must say whose copy it is: "
                            f"'Wikipedia (English), copy published by …' (got {publisher!r})")
    return problems


def _row(**fields) -> dict:
    base = dict(source_id="x", publisher="Reuters", title="Kenya recognises Kosovo", author=None,
                published_date="2025-03-26", url="https://www.reuters.com/world/x", kind="news",
                accessed_date="2026-12-07", note=None)
    base.update(fields)
    return base


@pytest.mark.parametrize("bad", [
    _row(title="[title not shown in stored copy; URL slug: few-serbs-want-to-join-eu-1462241]"),
    _row(note="Undated stored copy: says Kosovo is recognised by 117 countries."),
    _row(publisher="Reuters (copy on a mirror site)"),
    _row(url="http://3.127.128.221/2025/03/26/kenya-recognises-kosovo-as"),
    _row(url="http://[2001:db8::1]/page"),
    _row(publisher="Babylon (copy of English Wikipedia)",
         url="http://bis.babylon.com/?term=Serbia", kind="reference_work"),
    _row(publisher="Wikipedia", url="https://en.wikipedia.org/wiki/Prespa_Agreement"),
    _row(publisher="Wikiwand (copy of Wikipedia)", kind="reference_work",
         url="https://www.wikiwand.com/en/International_recognition_of_Kosovo"),
    _row(publisher="Wikipedia", kind="reference_work",
         url="https://www.wikiwand.com/en/International_recognition_of_Kosovo"),
])
def test_the_rules_reject_the_old_kinds_of_row(bad):
    assert source_problems(bad)


@pytest.mark.parametrize("good", [
    _row(),
    _row(publisher="Wikipedia", kind="reference_work",
         url="https://en.wikipedia.org/w/index.php?title=Prespa_Agreement&oldid=882463679"),
    _row(publisher="Wikipedia (English), copy published by Wikiwand", kind="reference_work",
         url="https://www.wikiwand.com/en/International_recognition_of_Kosovo"),
    _row(note="The N1 URL slug says 58 percent, but the headline says 55."),
    _row(url="https://web.archive.org/web/20090512114922/http://www.america.gov/st/x.html"),
])
def test_the_rules_accept_proper_citations(good):
    assert source_problems(good) == []


def test_every_source_is_cited_as_the_readme_says():
    sources = data.load("sources")
    found = {r["source_id"]: p for r in sources.to_dict("records") if (p := source_problems(r))}
    assert not found, "\n".join(f"{sid}: {'; '.join(p)}" for sid, p in found.items())


def test_no_table_speaks_of_how_a_source_was_looked_up():
    found = []
    for name in data.table_names():
        frame = data.load(name)
        for col in frame.columns:
            if not pd.api.types.is_string_dtype(frame[col]):
                continue
            for i, text in frame[col].dropna().items():
                if m := LOOKUP_TALK.search(str(text)):
                    found.append(f"{name}.csv row {i + 2}, column {col}: {m.group(0)!r}")
    assert not found, "\n".join(found)


def test_no_lesson_source_list_speaks_of_lookups_or_cites_an_ip_address():
    found = []
    for path in sorted((data.data_dir().parent / "notebooks").glob("*.ipynb")):
        for cell in json.loads(path.read_text(encoding="utf-8"))["cells"]:
            if cell["cell_type"] != "markdown":
                continue
            text = "".join(cell["source"])
            if m := LOOKUP_TALK.search(text):
                found.append(f"{path.name}: {m.group(0)!r}")
            for url in re.findall(r"\]\((https?://[^)\s]+)\)", text):
                if is_ip_host(url):
                    found.append(f"{path.name}: link to a raw IP address {url}")
    assert not found, "\n".join(found)
