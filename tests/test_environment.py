"""environment.yml (conda) and pyproject.toml (pip) ask for the same packages."""

import re
import tomllib
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def conda_requirements():
    reqs, in_pip = {}, False
    text = (ROOT / "environment.yml").read_text(encoding="utf-8")
    for line in text.split("dependencies:", 1)[1].splitlines():
        m = re.match(r"^\s*-\s*([A-Za-z0-9_.\-]+)\s*([<>=!~].*)?$", line)
        if line.strip().startswith("- pip:"):
            in_pip = True
            continue
        if m and not in_pip and m.group(1) != "pip":
            reqs[m.group(1).lower()] = (m.group(2) or "").replace(" ", "")
    return reqs


def pip_requirements():
    meta = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    reqs = {"python": meta["requires-python"].replace(" ", "")}
    for spec in meta["dependencies"]:
        m = re.match(r"^([A-Za-z0-9_.\-]+)\s*(.*)$", spec)
        reqs[m.group(1).lower()] = m.group(2).replace(" ", "")
    return reqs


def test_same_packages_and_bounds():
    conda, pip = conda_requirements(), pip_requirements()
    # conda names one Python (repo2docker reads only `python=X.Y`); pip gives the lowest
    assert conda.pop("python") == "=" + pip.pop("python").removeprefix(">=")
    assert conda == pip


def test_every_dependency_has_a_tested_lower_bound():
    for name, bound in pip_requirements().items():  # requires-python included
        assert bound.startswith(">="), f"{name} needs a lower bound"


def test_conda_env_installs_the_helper_package():
    assert "- -e ." in (ROOT / "environment.yml").read_text(encoding="utf-8")


def lowest_pins():
    pins = {}
    for line in (ROOT / "ci" / "constraints-lowest.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip()
        if line:
            name, version = line.split("==")
            pins[name.strip().lower()] = version.strip()
    return pins


def test_lowest_constraints_pin_every_lower_bound():
    """CI's second run installs ci/constraints-lowest.txt: every lower bound, exactly (and
    maybe a library they use, of the same time)."""
    bounds = {name: bound.removeprefix(">=") for name, bound in pip_requirements().items()
              if name != "python"}
    pins = lowest_pins()
    assert {name: pins.get(name) for name in bounds} == bounds
