"""Build the course website: ``make site`` (students) or ``make site GUIDE=1`` (with the guide).

Writes the site's pages into ``build/site-src`` from what the repository holds, then runs Sphinx
with MyST-NB (configuration: ``website/conf.py``) into ``build/site/html``:

- ``index.md``: the home page, from the README's introduction and its lesson table;
- ``lessons/NN_*.ipynb``: each lesson, executed at build time; a "Run this lesson" box under its
  title; its solution cells folded (tag ``solution`` -> MyST-NB's ``hide-cell``);
- ``data/*.md``: one page per table of ``data/datapackage.json`` (columns described, the CSV to
  download), and ``glossary.md`` from ``data/glossary.csv``;
- ``sources/NN_*.md``: each lesson's sources (its "Sources" section);
- ``guide/instructor_guide.ipynb`` only with ``--guide``.

Sphinx rereads every page on each build (``-E``: a change to the configuration or the theme
reaches every page). The lessons run in kernels with ``BALKAN_STATIC_PAGES=1``, so every explorer and quiz also gives
a static view (``balkan_diplomacy.static``). Executed notebooks are cached under
``build/site-cache/<hash of the package and data>``: a rebuild with nothing changed does not run
them again, and a change to the package or the data runs them all again.

Options: ``--guide``; ``--repo-url URL`` (for the clone command and the JupyterHub link; default:
``$SITE_REPO_URL``, then GitHub Actions' repository, then ``git remote get-url origin``);
``--branch NAME`` (default ``main``); ``--out DIR``.
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SRC = ROOT / "build" / "site-src"
OUT = ROOT / "build" / "site"
CACHE = ROOT / "build" / "site-cache"

LESSON_GLOB = "[0-9][0-9]_*.ipynb"
#: The two commands that run a lesson on one's own machine (after the clone), as in the README.
SETUP = "make lab"


# ------------------------------------------------------------------------------------------
# small helpers


def write_if_changed(path: Path, text: str | bytes) -> None:
    """Write only when the content differs (Sphinx then rereads only what changed)."""
    data = text.encode("utf-8") if isinstance(text, str) else text
    if path.exists() and path.read_bytes() == data:
        return
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(data)


def md_cell_text(text: str) -> str:
    """Escape a table cell for a MyST pipe table."""
    return " ".join(str(text).split()).replace("|", "\\|")


def lessons() -> list[Path]:
    return sorted((ROOT / "notebooks").glob(LESSON_GLOB))


def lesson_title(nb: dict) -> str:
    """The lesson's H1 without the '#', e.g. '03 · NATO enlargement around Serbia'."""
    for cell in nb["cells"]:
        if cell["cell_type"] == "markdown":
            for line in "".join(cell["source"]).splitlines():
                if line.startswith("# "):
                    return line[2:].strip()
    raise ValueError("a lesson notebook has no '# ' title in its markdown cells")


def sources_section(nb: dict, path: Path) -> str:
    """The body of the lesson's '## Sources' markdown cell (without its heading)."""
    for cell in nb["cells"]:
        text = "".join(cell["source"])
        if cell["cell_type"] == "markdown" and text.lstrip().startswith("## Sources"):
            return text.split("\n", 1)[1].strip() if "\n" in text else ""
    raise ValueError(f"{path.name}: no markdown cell starting with '## Sources'")


def repo_url(given: str | None) -> str | None:
    if given:
        return given
    if os.environ.get("SITE_REPO_URL"):
        return os.environ["SITE_REPO_URL"]
    if os.environ.get("GITHUB_REPOSITORY"):
        server = os.environ.get("GITHUB_SERVER_URL", "https://github.com")
        return f"{server}/{os.environ['GITHUB_REPOSITORY']}"
    try:
        url = subprocess.run(["git", "-C", str(ROOT), "remote", "get-url", "origin"],
                             capture_output=True, text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return None
    if url.startswith("git@") and ":" in url:  # git@host:owner/repo.git -> https://host/owner/repo
        host, path = url[4:].split(":", 1)
        url = f"https://{host}/{path}"
    if not url.startswith(("https://", "http://")):
        return None  # a local path or another scheme: no address a student can clone from
    return url.removesuffix(".git") or None


def inputs_hash() -> str:
    """A hash of everything a lesson's output depends on besides its own code: the package,
    the data and the dependencies' bounds."""
    digest = hashlib.sha256()
    files = sorted([*(ROOT / "src").rglob("*.py"), *(ROOT / "data").iterdir(),
                    ROOT / "pyproject.toml"])
    for path in files:
        if path.is_file():
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


# ------------------------------------------------------------------------------------------
# pages


def run_box(nb_path: Path, url: str | None, branch: str) -> str:
    """The "Run this lesson" box: download, two commands, the JupyterHub link pattern."""
    name = nb_path.name
    repo_dir = url.rstrip("/").rsplit("/", 1)[-1] if url else "balkan-diplomacy"
    if url:
        clone = f"git clone {url}.git {repo_dir} && cd {repo_dir}"
        where = "On your own computer (Python 3.11 or newer and `make`), in a terminal:"
    else:
        clone = f"cd {repo_dir}"
        where = ("On your own computer (Python 3.11 or newer and `make`), in a terminal, from "
                 f"your copy of the course's repository (here called `{repo_dir}`):")
    repo_param = urllib.parse.quote(url, safe="") if url else "<repository address, URL-encoded>"
    hub = (f"https://<your hub>/hub/user-redirect/git-pull?repo={repo_param}"
           f"&branch={branch}&urlpath=lab/tree/{repo_dir}/notebooks/{name}")
    return f"""::::{{admonition}} Run this lesson
:class: bd-run-lesson

This page shows the lesson as it runs at its default settings. To move the charts' controls and
try the exercises, run the notebook.

- **Download** {{download}}`{name} <../_notebooks/{name}>` (it needs the course's package and
  data: run it from a copy of the repository, as below).
- {where}

  ```bash
  {clone}
  {SETUP}
  ```

  JupyterLab opens on `00_start_here`; open `notebooks/{name}` in its file browser. The first
  `{SETUP}` installs everything into `.venv` (a few minutes).
- **On a class JupyterHub** with [nbgitpuller](https://nbgitpuller.readthedocs.io/en/latest/link.html)
  installed, this link pulls the course into each student's server and opens the lesson (replace
  `<your hub>` with the hub's address; the hub's image needs the course installed from
  `environment.yml`):

  ```text
  {hub}
  ```
::::
"""


def lesson_notebook(path: Path, url: str | None, branch: str) -> dict:
    """A copy of the lesson for the site: solutions folded, the run box under the title."""
    nb = json.loads(path.read_text(encoding="utf-8"))
    for cell in nb["cells"]:
        tags = cell.setdefault("metadata", {}).setdefault("tags", [])
        if "solution" in tags and "hide-cell" not in tags:
            tags.append("hide-cell")
    first_md = next(i for i, c in enumerate(nb["cells"]) if c["cell_type"] == "markdown")
    box = {"cell_type": "markdown", "id": "bd-run-lesson", "metadata": {"tags": []},
           "source": run_box(path, url, branch)}
    nb["cells"].insert(first_md + 1, box)
    if "id" not in nb["cells"][0]:  # nbformat < 4.5 has no cell ids: don't add one
        del box["id"]
    return nb


def home_page(titles: dict[str, str], tables: list[str], guide: bool) -> str:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    intro = readme.split("\n## ", 1)[0].split("\n", 1)[1].strip()
    intro = intro.replace("(data/README.md)", "(data/index.md)")
    table = readme.split("\n## The lessons", 1)[1].split("\n\n", 2)[1]
    rows = [r for r in table.splitlines() if r.startswith("|")]
    out = ["| lesson | what students do | minutes |", "|---|---|---|"]
    for row in rows[2:]:
        cells = [c.strip() for c in row.strip("|").split("|")]
        stem = cells[0].strip("`")
        if stem not in titles:
            raise ValueError(f"README's lesson table names {stem!r}, which is not a notebook")
        out.append(f"| [{md_cell_text(titles[stem])}](lessons/{stem}.ipynb) | "
                   f"{cells[1]} | {cells[2]} |")
    after = readme.split("\n## The lessons", 1)[1].split("\n\n", 2)[2].split("\n## ", 1)[0]
    toc_guide = ("\n```{toctree}\n:hidden:\n:caption: For instructors\n\n"
                 "guide/instructor_guide\n```\n") if guide else ""
    lesson_toc = "\n".join(f"lessons/{stem}" for stem in titles)
    source_toc = "\n".join(f"sources/{stem}" for stem in titles)
    # one flat list per caption: the theme's nested entries get a toggle without a name (axe)
    table_toc = "\n".join(f"data/{name}" for name in tables)
    return f"""# Serbia between Moscow and Brussels

{intro}

## The lessons

{chr(10).join(out)}

{after.strip()}

Every lesson page shows its charts at their default settings, with a box under its title that
says how to run it. Also on this site: [the data tables](data/index.md) with their columns
described and each CSV to download, [the glossary](glossary.md), and [each lesson's
sources](sources/index.md). Each lesson page prints as a handout (the site's print stylesheet
leaves out the code, the solutions and the answers).

```{{toctree}}
:hidden:
:caption: Lessons

{lesson_toc}
```

```{{toctree}}
:hidden:
:caption: Data and glossary

data/index
{table_toc}
glossary
```

```{{toctree}}
:hidden:
:caption: Sources

sources/index
{source_toc}
```
{toc_guide}"""


def data_pages(dest: Path) -> list[str]:
    """One page per table of datapackage.json, plus the index; returns the page names."""
    package = json.loads((ROOT / "data" / "datapackage.json").read_text(encoding="utf-8"))
    names = []
    index = ["# The data tables", "",
             "Every number in the lessons comes from one of these tables. Each row names its "
             "source in `sources.csv` (publisher, title, date, address). The tables are "
             "described in [Frictionless](https://specs.frictionlessdata.io/) Table Schema in "
             "{download}`datapackage.json <files/datapackage.json>`; "
             "the folder's README says how they were compiled.", "",
             "| table | what it holds | rows |", "|---|---|---|"]
    files = dest / "files"
    write_if_changed(files / "datapackage.json", (ROOT / "data" / "datapackage.json").read_bytes())
    for res in package["resources"]:
        name, path = res["name"], res["path"]
        raw = (ROOT / "data" / path).read_bytes()
        write_if_changed(files / path, raw)
        with open(ROOT / "data" / path, encoding="utf-8", newline="") as fh:
            rows = list(csv.DictReader(fh))
        schema = res["schema"]
        lines = [f"# {res.get('title', name)} (`{path}`)", "", res.get("description", ""), "",
                 f"{{download}}`Download {path} <files/{path}>` ({len(rows)} rows, "
                 f"{len(schema['fields'])} columns, UTF-8 CSV)."]
        key = schema.get("primaryKey")
        if key:
            key = [key] if isinstance(key, str) else key
            lines += ["", f"Each row is identified by {', '.join(f'`{k}`' for k in key)}."]
        for fk in schema.get("foreignKeys", []):
            fields = fk["fields"] if isinstance(fk["fields"], list) else [fk["fields"]]
            ref = fk["reference"]
            target = ref.get("resource") or name
            target_path = next((r["path"] for r in package["resources"] if r["name"] == target),
                               target)
            lines += ["", f"{', '.join(f'`{f}`' for f in fields)} refers to "
                          f"[`{target_path}`]({target}.md)."]
        lines += ["", "## Columns", "", "| column | type | description |", "|---|---|---|"]
        for f in schema["fields"]:
            c = f.get("constraints", {})
            notes = [" ".join(f.get("description", "").split())]
            if f.get("unit"):
                notes.append(f"Unit: {f['unit']}.")
            notes.append("Required." if c.get("required") else "May be empty.")
            if c.get("enum"):
                notes.append("Allowed values: " + ", ".join(f"`{v}`" for v in c["enum"]) + ".")
            elif "pattern" in c:
                notes.append(f"Pattern: `{c['pattern']}`.")
            bounds = [f"{b} {c[b]}" for b in ("minimum", "maximum") if b in c]
            if bounds:
                notes.append("Range: " + ", ".join(bounds) + ".")
            lines.append(f"| `{f['name']}` | {f['type']} | {md_cell_text(' '.join(notes))} |")
        if name == "quizzes":
            lines += ["", "The rows are not shown here: they hold the quizzes' answers. "
                      "Download the file to read them."]
        elif rows:
            shown = rows[:5]
            lines += ["", f"## The first {len(shown)} rows", "",
                      "| " + " | ".join(f"`{k}`" for k in rows[0]) + " |",
                      "|" + "---|" * len(rows[0])]
            for row in shown:
                lines.append("| " + " | ".join(md_cell_text(v) for v in row.values()) + " |")
        write_if_changed(dest / f"{name}.md", "\n".join(lines) + "\n")
        index.append(f"| [`{path}`]({name}.md) | {md_cell_text(res.get('title', name))} | "
                     f"{len(rows)} |")
        names.append(name)
    write_if_changed(dest / "index.md", "\n".join(index + [""]))
    return names


def glossary_page() -> str:
    with open(ROOT / "data" / "glossary.csv", encoding="utf-8", newline="") as fh:
        terms = list(csv.DictReader(fh))
    with open(ROOT / "data" / "sources.csv", encoding="utf-8", newline="") as fh:
        sources = {r["source_id"]: r for r in csv.DictReader(fh)}
    lines = ["# Glossary", "",
             "The terms the lessons use, from {download}`glossary.csv <data/files/glossary.csv>`; "
             "each definition names the lesson that introduces it and its source.", "",
             "```{glossary}", ":sorted:", ""]
    for t in terms:
        src = sources.get(t["source_id"])
        if src is None:
            raise ValueError(f"data/glossary.csv: term {t['term']!r} cites unknown source_id "
                             f"{t['source_id']!r}")
        lines += [t["term"],
                  f"  {' '.join(t['definition'].split())} (Lesson {t['lesson']}; source: "
                  f"[{src['publisher']}: {src['title']}]({src['url']}))", ""]
    lines += ["```", ""]
    return "\n".join(lines)


def sources_page(stem: str, title: str, body: str) -> str:
    return (f"# Sources: {title}\n\nThe sources that [lesson {stem[:2]}](../lessons/{stem}.ipynb) "
            f"cites, from its last section.\n\n{body}\n")


def write_pages(src: Path, guide: bool, url: str | None, branch: str) -> dict:
    """Write every page of the site into ``src``; returns {'lessons': {...}, 'tables': [...]}."""
    titles, expected = {}, set()
    for path in lessons():
        nb = lesson_notebook(path, url, branch)
        titles[path.stem] = lesson_title(nb)
        out = src / "lessons" / path.name
        write_if_changed(out, json.dumps(nb, indent=1, ensure_ascii=False) + "\n")
        write_if_changed(src / "_notebooks" / path.name, path.read_bytes())
        body = sources_section(nb, path)
        write_if_changed(src / "sources" / f"{path.stem}.md",
                         sources_page(path.stem, titles[path.stem], body))
        expected |= {out, src / "_notebooks" / path.name, src / "sources" / f"{path.stem}.md"}
    index = ["# Sources, lesson by lesson", "",
             "Every table row names its source in `data/sources.csv`; these pages list the ones "
             "each lesson uses.", ""]
    index += [f"- [{titles[s]}]({s}.md)" for s in titles] + [""]
    write_if_changed(src / "sources" / "index.md", "\n".join(index))
    tables = data_pages(src / "data")
    write_if_changed(src / "glossary.md", glossary_page())
    write_if_changed(src / "index.md", home_page(titles, tables, guide))
    guide_nb = src / "guide" / "instructor_guide.ipynb"
    if guide:
        write_if_changed(guide_nb, (ROOT / "notebooks" / "instructor_guide.ipynb").read_bytes())
    elif guide_nb.exists():
        guide_nb.unlink()
    for old in [*(src / "lessons").glob("*.ipynb"), *(src / "sources").glob("[0-9]*.md"),
                *(src / "_notebooks").glob("*.ipynb")]:
        if old not in expected:
            old.unlink()  # a lesson that was renamed or removed
    return {"lessons": titles, "tables": tables}


# ------------------------------------------------------------------------------------------


def build(guide: bool = False, url: str | None = None, branch: str = "main",
          out: Path = OUT, quiet: bool = False) -> Path:
    """Write the pages and run Sphinx; returns the folder of the HTML site."""
    src = SRC / ("with-guide" if guide else "students")
    info = write_pages(src, guide, repo_url(url), branch)
    html_dir = out / "html"
    env = dict(os.environ, BALKAN_STATIC_PAGES="1",
               SITE_GUIDE="1" if guide else "",
               SITE_EXECUTION_CACHE=str(CACHE / inputs_hash()),
               PYDEVD_DISABLE_FILE_VALIDATION="1")
    cmd = [sys.executable, "-m", "sphinx", "-b", "html", "-c", str(ROOT / "website"),
           "-d", str(out / "doctrees"), "-E", "-W", "--keep-going", str(src), str(html_dir)]
    if quiet:
        cmd.insert(3, "-q")
    start = time.perf_counter()
    subprocess.run(cmd, env=env, check=True)
    print(f"site: {len(info['lessons'])} lessons, {len(info['tables'])} data tables"
          f"{', instructor guide' if guide else ''}; {html_dir} "
          f"({time.perf_counter() - start:.0f} s)")
    return html_dir


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--guide", action="store_true", help="add the instructor guide")
    parser.add_argument("--repo-url", default=None)
    parser.add_argument("--branch", default="main")
    parser.add_argument("--out", type=Path, default=None)
    parser.add_argument("-q", "--quiet", action="store_true")
    args = parser.parse_args(argv)
    out = args.out or (OUT.with_name("site-guide") if args.guide else OUT)
    try:
        build(args.guide, args.repo_url, args.branch, out, args.quiet)
    except subprocess.CalledProcessError as exc:
        print(f"site: Sphinx failed (exit {exc.returncode}); see the messages above",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
