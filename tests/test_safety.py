"""Issue 8, safety: untrusted text is escaped, no eval/exec, servers bind localhost with auth.

The data is text that anyone may edit (a teacher's copy, a pull request), and it reaches the
browser through ipywidgets.HTML values and HTML tables, where it would run as markup.
A copy of data/ whose every free-text cell carries two payloads is loaded through
BALKAN_DATA_DIR, and every explorer, quiz, answer key and styled table built from it must show
the payloads only escaped.
"""

from __future__ import annotations

import csv
import importlib.util
import re
import shutil
from pathlib import Path

import ipywidgets
import pytest

from balkan_diplomacy import data, widgets

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
PAYLOADS = (SCRIPT, IMG)
ESCAPED = ("&lt;script&gt;alert(1)&lt;/script&gt;", "&lt;img src=x onerror=alert(1)&gt;")
LESSONS = sorted(p.name[:2] for p in (ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# --------------------------------------------------------------------------------------------
# a hostile copy of the data


def _hostile(value, f, line):
    """``value`` with a payload added, kept valid for its field (length, pattern, enum)."""
    c = f.get("constraints", {})
    if f["type"] != "string" or "enum" in c or not value:
        return value
    payload = PAYLOADS[line % 2]
    pattern = c.get("pattern", "")
    if f["name"] == "url":
        return value.rstrip("/") + "/%22%3E" + SCRIPT  # no spaces: still matches ^https?://\S+$
    if f["name"] == "options":  # 'a | b | c': every option, so the answer still is one of them
        return " | ".join(f"{o} {payload}" for o in value.split(" | "))
    if pattern:
        return value  # ids, dates, codes: a payload would break the schema, not test escaping
    text = f"{value} {payload}"
    if "maxLength" in c and len(text) > c["maxLength"]:
        text = f"{value[: c['maxLength'] - len(payload) - 1]} {payload}"
    return text


@pytest.fixture(scope="module")
def hostile_data(tmp_path_factory):
    folder = tmp_path_factory.mktemp("hostile") / "data"
    shutil.copytree(data.data_dir(), folder, ignore=shutil.ignore_patterns("README.md"))
    for name in data.table_names(folder):
        path = folder / f"{name}.csv"
        with open(path, encoding="utf-8", newline="") as fh:
            table = list(csv.reader(fh))
        fields = {f["name"]: f for f in data.schema(name, folder)["fields"]}
        header = table[0]
        options_of = {}
        for line, row in enumerate(table[1:], start=2):
            for i, col in enumerate(header):
                old = row[i]
                row[i] = _hostile(old, fields[col], line)
                if col == "options":
                    options_of[line] = dict(zip(old.split(" | "), row[i].split(" | ")))
            if "answer" in header and line in options_of:  # the answer is one of the options
                a = header.index("answer")
                row[a] = options_of[line].get(row[a], row[a])
        with open(path, "w", encoding="utf-8", newline="") as fh:
            csv.writer(fh, lineterminator="\n").writerows(table)
    data.validate(folder, use_cache=False)  # still a valid package: only the text is hostile
    return folder


@pytest.fixture
def hostile(hostile_data, monkeypatch):
    """The loader pointed at the hostile copy, with every cache emptied before and after."""
    monkeypatch.setenv("BALKAN_DATA_DIR", str(hostile_data))

    def clear():
        data._load_cached.cache_clear()
        data._VALIDATED.clear()
        from balkan_diplomacy import maps
        for value in vars(maps).values():
            if hasattr(value, "cache_clear"):
                value.cache_clear()

    clear()
    yield hostile_data
    clear()


def html_of(widget, seen=None):
    """Every HTML string a widget tree sends to the browser: HTML/HTMLMath values, descriptions
    that allow HTML, and HTML outputs inside Output widgets."""
    seen = set() if seen is None else seen
    if id(widget) in seen:
        return []
    seen.add(id(widget))
    found = []
    if isinstance(widget, (ipywidgets.HTML, ipywidgets.HTMLMath)):
        found.append(widget.value)
    if getattr(widget, "description_allow_html", False):
        found.append(widget.description)
    if isinstance(widget, ipywidgets.Output):
        for out in widget.outputs:
            found += [v for k, v in out.get("data", {}).items() if "html" in k]
    for child in getattr(widget, "children", ()) or ():
        found += html_of(child, seen)
    return found


def assert_escaped(chunks, what):
    text = "\n".join(chunks)
    for payload in PAYLOADS:
        assert payload not in text, f"{what}: raw {payload!r} in the HTML"
    return text


def test_the_checker_finds_raw_payloads():
    """Proves the check can fail: an HTML widget with unescaped data is caught."""
    with pytest.raises(AssertionError, match="raw"):
        assert_escaped(html_of(ipywidgets.VBox([ipywidgets.HTML(f"<b>{SCRIPT}</b>")])), "probe")


def test_hostile_copy_holds_payloads(hostile):
    events = data.load("events")
    assert events.title.str.contains(SCRIPT, regex=False).any()
    assert events.summary.str.contains(IMG, regex=False).any()


# --------------------------------------------------------------------------------------------
# what reaches the browser

BUILDERS = dict(widgets.explorer_builders())


@pytest.mark.parametrize("name", sorted(BUILDERS))
def test_explorers_escape_data(hostile, name, monkeypatch):
    """Every explorer built from the hostile data, its controls driven to their first, middle
    and last values; no state may show a raw payload. An explorer that put a title into
    `caption.value` without html.escape fails here."""
    monkeypatch.setattr(widgets.Explorer, "draw_images", False)  # escaping, not pictures
    explorer = BUILDERS[name]()
    chunks = html_of(explorer)
    for _key, widget in explorer.controls.items():
        values = widgets.allowed_values(widget) or []
        for value in ([values[0], values[len(values) // 2], values[-1]] if values else []):
            widget.value = value
            chunks += html_of(explorer)
            # a selection of data text shows in the dropdown as text, which is safe; the
            # caption that repeats it is HTML
    assert_escaped(chunks, name)
    assert explorer.last_error is None, explorer.last_error


def test_explorers_show_escaped_payloads_somewhere(hostile, monkeypatch):
    """The payloads do reach the explorers' HTML (escaped): otherwise the test above would pass
    for nothing."""
    monkeypatch.setattr(widgets.Explorer, "draw_images", False)
    text = "\n".join(c for build in BUILDERS.values() for c in html_of(build()))
    assert any(e in text for e in ESCAPED)


@pytest.mark.parametrize("lesson", LESSONS)
def test_quiz_escapes_data(hostile, lesson):
    """Every question, option, explanation, publisher and source URL of a lesson's quiz, with
    every option chosen in turn (right and wrong feedback)."""
    from balkan_diplomacy import quiz

    q = quiz.quiz(lesson)
    chunks = html_of(q)
    for buttons, feedback, answer in q.questions:
        for option in buttons.options:
            buttons.value = option
            chunks.append(feedback.value)
        assert answer in buttons.options
    text = assert_escaped(chunks, f"quiz {lesson}")
    assert any(e in text for e in ESCAPED), "the payloads never reached the quiz"
    assert 'href="https://' in text and "/%22%3E&lt;script&gt;" in text  # escaped inside href


@pytest.mark.parametrize("lesson", LESSONS)
def test_answer_key_escapes_data(hostile, lesson):
    from balkan_diplomacy import guide

    text = assert_escaped([guide.answer_key(lesson).data], f"answer key {lesson}")
    assert any(e in text for e in ESCAPED)


@pytest.mark.parametrize("name", data.table_names())
def test_styled_tables_escape_data(hostile, name):
    """style.table on every table (and describe_table): ``DataFrame.to_html`` escapes only when
    asked (``escape=True``, and the caption is ours to escape); without it this fails for every
    table."""
    from balkan_diplomacy import style

    frame = data.load(name)
    html = style.table(frame, caption=f"{name} {SCRIPT}").to_html()
    text = assert_escaped([html], f"style.table({name})")
    assert any(e in text for e in ESCAPED)
    assert_escaped([style.table(data.describe_table(name)).to_html()], f"describe {name}")


# --------------------------------------------------------------------------------------------
# no eval or exec


EVAL = re.compile(r"(?<![\w.])(eval|exec)\s*\(|\bexecfile\s*\(|__import__\s*\(|"
                  r"\bpickle\.loads?\s*\(|get_ipython\(\)\.run_cell")


def test_no_eval_or_exec_in_modules_or_notebooks():
    """A module or notebook that calls eval/exec (or unpickles, or runs cells from strings) on
    anything from the data would run it; none may. `ast.literal_eval` is allowed."""
    import nbformat

    assert EVAL.search("x = eval(text)") and EVAL.search("exec(code)")
    assert not EVAL.search("ast.literal_eval(x)") and not EVAL.search("df.eval_thing()")
    found = []
    for path in sorted((ROOT / "src").rglob("*.py")) + sorted((ROOT / "scripts").glob("*.py")):
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            if EVAL.search(line.split("#")[0]):
                found.append(f"{path.relative_to(ROOT)}:{n}: {line.strip()}")
    for path in sorted((ROOT / "notebooks").glob("*.ipynb")):
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code" and EVAL.search(cell.source):
                found.append(f"{path.relative_to(ROOT)} cell {i}")
    assert not found, "\n".join(found)


# --------------------------------------------------------------------------------------------
# serving

FORBIDDEN = [r"--ServerApp\.token=(''|\"\"|\s|$)", r"--NotebookApp\.token=", r"--no-token",
             r"disable_check_xsrf", r"--ServerApp\.password=(''|\"\"|\s|$)",
             r"allow_origin\s*=\s*['\"]?\*", r"--token=(''|\"\"|\s|$)", r"0\.0\.0\.0",
             r"--ip=\*", r"--ServerApp\.ip=\*"]
SERVER = re.compile(r"\b(jupyter[ -](lab|notebook|server)|voila)\b(?! build)")


def _commands(path):
    """Shell commands of a file: lines in ``` blocks of a markdown file; recipe lines of a
    Makefile."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        return [line for block in re.findall(r"```[a-z]*\n(.*?)```", text, re.S)
                for line in block.splitlines()]
    return [line for line in text.splitlines() if line.startswith("\t")]


@pytest.mark.parametrize("file", ["README.md", "Makefile"])
def test_server_commands_bind_localhost_with_auth(file):
    """Every command that starts Jupyter or Voila binds 127.0.0.1 and keeps token and XSRF.
    Fails on, e.g., `jupyter lab --ip=0.0.0.0 --ServerApp.token=''`."""
    path = ROOT / file
    commands = [c.split("#")[0] for c in _commands(path)]
    servers = [c for c in commands if SERVER.search(c)]
    for c in servers:
        assert "127.0.0.1" in c, f"{file}: {c.strip()!r} does not bind 127.0.0.1"
    text = path.read_text(encoding="utf-8")
    for bad in FORBIDDEN:
        assert not re.search(bad, text, re.M), f"{file}: {bad}"
    if file == "Makefile":
        assert servers, "make lab starts no server?"


def test_dashboard_script_binds_localhost_with_a_fresh_token(monkeypatch):
    """scripts/serve_dashboard.py, run with os.execv caught: the Voila command it would start
    binds 127.0.0.1 and carries a long random token that differs on each start."""
    path = ROOT / "scripts" / "serve_dashboard.py"
    if not path.exists():
        pytest.skip("scripts/serve_dashboard.py does not exist yet")
    text = path.read_text(encoding="utf-8")
    for bad in FORBIDDEN:
        assert not re.search(bad, text, re.M), f"serve_dashboard.py: {bad}"
    spec = importlib.util.spec_from_file_location("serve_dashboard", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    started = []
    monkeypatch.setattr(module.os, "execv", lambda exe, argv: started.append(argv))
    monkeypatch.setattr(module.os, "chdir", lambda where: None)
    if not module.DASHBOARD.exists():
        pytest.skip(f"{module.DASHBOARD} does not exist yet")
    module.main(["--port", "0"])
    module.main(["--port", "0"])
    tokens = []
    for argv in started:
        assert "voila" in argv and "--Voila.ip=127.0.0.1" in argv, argv
        token = next(a.split("=", 1)[1] for a in argv if a.startswith("--token="))
        assert len(token) >= 24, argv
        tokens.append(token)
        assert not any(re.search(bad, " ".join(argv)) for bad in FORBIDDEN), argv
    assert tokens[0] != tokens[1]


def test_readme_says_how_to_serve_a_class():
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = re.search(r"#+ Serving a whole class\n(.*?)(\n#+ |\Z)", text, re.S)
    assert section, "README has no 'Serving a whole class' section"
    body = section.group(1)
    for word in ["JupyterHub", "Binder", "environment.yml", "token"]:
        assert word in body, word
