"""Print the nbgitpuller link that gives a student the lessons in one click.

    python deploy/gitpuller_link.py https://hub.school.example https://github.com/ORG/REPO --lesson 05

The link opens the student's own server on the hub, clones the repository into
``~/<repository name>`` the first time (or merges the latest version into it later, keeping
the student's own edits: nbgitpuller merges with the student's side winning, restores files a
student deleted, and renames a student's file that a new upstream file would overwrite), then
opens the lesson in JupyterLab.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parents[1]


def lesson_path(lesson: str) -> str:
    """notebooks/<file> for a lesson number ("05") or a file name."""
    matches = sorted(p.name for p in (ROOT / "notebooks").glob("*.ipynb")
                     if p.name == lesson or p.name.startswith(f"{lesson}_"))
    if len(matches) != 1:
        raise SystemExit(f"no single lesson matches {lesson!r} in notebooks/ (found {matches})")
    return f"notebooks/{matches[0]}"


def link(hub: str, repo: str, branch: str = "main", lesson: str = "00") -> str:
    """The hub's user-redirect to the student's own server's /git-pull, then to the lesson."""
    target = repo.rstrip("/").split("/")[-1].removesuffix(".git")
    query = urlencode({"repo": repo, "branch": branch, "targetpath": target,
                       "urlpath": f"lab/tree/{target}/{lesson_path(lesson)}"})
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{query}"


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("hub", help="the hub's address, e.g. https://hub.school.example")
    ap.add_argument("repo", help="the repository students get the lessons from")
    ap.add_argument("--branch", default="main")
    ap.add_argument("--lesson", default="00", help="lesson number or notebook file name")
    args = ap.parse_args(argv)
    print(link(args.hub, args.repo, args.branch, args.lesson))
    return 0


if __name__ == "__main__":
    sys.exit(main())
