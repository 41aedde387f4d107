"""The deployment recipe in deploy/, checked as far as this machine can.

- deploy/config.yaml (Zero to JupyterHub): parses, and every key is one the chart's values
  schema allows (tests/fixtures/z2jh_values_schema.json: chart 4.4.0's schema cut to the keys
  the config sets, by deploy/vendor_z2jh_schema.py), with the types it asks for;
- deploy/jupyterhub_config.py (one server): JupyterHub loads it, and every setting names a real
  option of the class it configures (tests/browser/test_hub.py also runs a hub with it);
- nbgitpuller, as the recipe uses it: a student's edits survive an update of the lessons;
- the image: repo2docker reads the Python version from environment.yml.
"""

from __future__ import annotations

import copy
import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import jsonschema
import nbformat
import pytest
import yaml

ROOT = Path(__file__).resolve().parents[1]
DEPLOY = ROOT / "deploy"
SCHEMA = json.loads((ROOT / "tests" / "fixtures" / "z2jh_values_schema.json").read_text())
sys.path.insert(0, str(DEPLOY))

import gitpuller_link  # noqa: E402


def z2jh_config() -> dict:
    return yaml.safe_load((DEPLOY / "config.yaml").read_text(encoding="utf-8"))


def schema_errors(config: dict) -> list[str]:
    return [f"{'.'.join(map(str, e.absolute_path))}: {e.message}"
            for e in jsonschema.Draft7Validator(SCHEMA).iter_errors(config)]


# ---------------------------------------------------------------- Zero to JupyterHub

def test_z2jh_config_keys_are_the_charts():
    assert "4.4.0" in SCHEMA["$comment"]
    assert "4.4.0" in (DEPLOY / "config.yaml").read_text(encoding="utf-8")
    assert schema_errors(z2jh_config()) == []


@pytest.mark.parametrize("path, value", [
    (("singleuser", "memroy"), {"limit": "1G"}),  # a misspelt key
    (("singleuser", "cpu", "limit"), "1"),  # a string where the chart wants a number
    (("hub", "config", "jupyterhub"), {}),  # traitlets classes start with a capital
    (("cull", "timeout"), "1h"),
])
def test_the_schema_check_catches_mistakes(path, value):
    bad = copy.deepcopy(z2jh_config())
    node = bad
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    assert schema_errors(bad), f"{'.'.join(path)} = {value!r} passed the chart's schema"


def test_z2jh_resources_and_culling():
    single = z2jh_config()["singleuser"]
    mib = {"M": 1, "G": 1024}
    guarantee = int(single["memory"]["guarantee"][:-1]) * mib[single["memory"]["guarantee"][-1]]
    limit = int(single["memory"]["limit"][:-1]) * mib[single["memory"]["limit"][-1]]
    assert guarantee <= limit and single["cpu"]["guarantee"] <= single["cpu"]["limit"]
    cull = z2jh_config()["cull"]
    assert cull["enabled"] and 0 < cull["every"] < cull["timeout"]
    assert single["extraFiles"]["kernel-culling"]["data"]["MappingKernelManager"][
        "cull_idle_timeout"] > 0


def test_both_recipes_give_servers_the_same_jupyter_config():
    """config.yaml mounts deploy/jupyter/'s files into /etc/jupyter; the single server points
    JUPYTER_CONFIG_PATH at deploy/jupyter/."""
    files = {f"/etc/jupyter/{p.relative_to(DEPLOY / 'jupyter')}": json.loads(p.read_text())
             for p in (DEPLOY / "jupyter").rglob("*.json")}
    mounted = {f["mountPath"]: f["data"]
               for f in z2jh_config()["singleuser"]["extraFiles"].values()}
    assert mounted == files
    assert files["/etc/jupyter/labconfig/page_config.json"]["buildCheck"] is False


def test_z2jh_pulls_the_lessons_with_gitpuller():
    command = z2jh_config()["singleuser"]["lifecycleHooks"]["postStart"]["exec"]["command"]
    assert command[0] == "gitpuller" and len(command) == 4  # gitpuller REPO BRANCH TARGET
    assert shutil.which("gitpuller", path=str(Path(sys.executable).parent)), \
        "the environment has no gitpuller (nbgitpuller is a dependency)"


# ---------------------------------------------------------------- one server

def test_single_server_config_loads_into_jupyterhub():
    from jupyterhub.app import JupyterHub
    from jupyterhub.auth import PAMAuthenticator
    from systemdspawner import SystemdSpawner
    from traitlets.config.loader import PyFileConfigLoader

    config = PyFileConfigLoader("jupyterhub_config.py", path=str(DEPLOY)).load_config()
    classes = {"JupyterHub": JupyterHub, "Spawner": SystemdSpawner,
               "SystemdSpawner": SystemdSpawner, "Authenticator": PAMAuthenticator,
               "LocalAuthenticator": PAMAuthenticator, "ConfigurableHTTPProxy": None}
    for section, values in config.items():
        assert section in classes, f"{section}: not a class this recipe configures"
        if classes[section] is None:
            continue
        traits = classes[section].class_traits(config=True)
        for name in values:
            assert name in traits, f"c.{section}.{name} is not an option of {section}"
    app = JupyterHub(config=config)
    assert app.spawner_class is SystemdSpawner
    assert app.bind_url.startswith("http://127.0.0.1:")
    names = {s["name"] for s in app.services}
    assert "idle-culler" in names
    role = next(r for r in app.load_roles if r["name"] == "idle-culler")
    assert {"list:users", "read:users:activity", "delete:servers"} <= set(role["scopes"])
    spawner = config.Spawner
    assert spawner.mem_limit and spawner.cpu_limit and spawner.default_url == "/lab"
    assert Path(spawner.environment["JUPYTER_CONFIG_PATH"]) == DEPLOY / "jupyter"


# ---------------------------------------------------------------- nbgitpuller

def _git(cwd: Path, *args: str) -> str:
    return subprocess.run(["git", "-c", "user.email=teacher@school.example", "-c",
                           "user.name=Teacher", "-c", "init.defaultBranch=main", *args],
                          cwd=cwd, check=True, capture_output=True, text=True).stdout


def _notebook(text: str) -> str:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(text),
                                         nbformat.v4.new_code_cell("x = 1")])
    return nbformat.writes(nb)


def test_gitpuller_keeps_a_students_edits_across_an_update(tmp_path):
    """The teacher updates the lessons; a student who edited one keeps their edit, gets the new
    lesson, and a file they deleted comes back."""
    if shutil.which("git") is None:
        pytest.skip("git is not installed")
    gitpuller = str(Path(sys.executable).parent / "gitpuller")
    upstream = tmp_path / "upstream"
    (upstream / "notebooks").mkdir(parents=True)
    _git(upstream, "init", "-q")
    (upstream / "notebooks" / "05_polls.ipynb").write_text(_notebook("Lesson five"))
    (upstream / "notebooks" / "06_interests.ipynb").write_text(_notebook("Lesson six"))
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-qm", "lessons")
    home = tmp_path / "home"
    home.mkdir()
    env = dict(os.environ, HOME=str(home))
    subprocess.run([gitpuller, upstream.as_uri(), "main", "balkan-diplomacy"], cwd=home,
                   env=env, check=True, capture_output=True)
    mine = home / "balkan-diplomacy" / "notebooks" / "05_polls.ipynb"
    assert "Lesson five" in mine.read_text()
    # the student answers in lesson 05 and deletes lesson 06 by mistake
    nb = nbformat.read(mine, as_version=4)
    nb.cells.append(nbformat.v4.new_markdown_cell("My answer: the 80% came from TASS."))
    nbformat.write(nb, mine)
    (home / "balkan-diplomacy" / "notebooks" / "06_interests.ipynb").unlink()
    # the teacher fixes lesson 05's first cell and adds lesson 07
    (upstream / "notebooks" / "05_polls.ipynb").write_text(_notebook("Lesson five, corrected"))
    (upstream / "notebooks" / "07_then_and_now.ipynb").write_text(_notebook("Lesson seven"))
    _git(upstream, "add", "-A")
    _git(upstream, "commit", "-qm", "update")
    subprocess.run([gitpuller, upstream.as_uri(), "main", "balkan-diplomacy"], cwd=home,
                   env=env, check=True, capture_output=True)
    after = mine.read_text()
    assert "My answer: the 80% came from TASS." in after  # the student's edit is kept
    nbformat.validate(nbformat.reads(after, as_version=4))  # and the notebook is whole
    notebooks = home / "balkan-diplomacy" / "notebooks"
    assert "Lesson seven" in (notebooks / "07_then_and_now.ipynb").read_text()
    assert "Lesson six" in (notebooks / "06_interests.ipynb").read_text()


def test_gitpuller_link_opens_the_lesson():
    url = gitpuller_link.link("https://hub.school.example/",
                              "https://github.com/example-school/balkan-diplomacy.git",
                              lesson="05")
    parts = urlsplit(url)
    assert parts.path == "/hub/user-redirect/git-pull"
    query = {k: v[0] for k, v in parse_qs(parts.query).items()}
    # the names nbgitpuller's /git-pull handler reads
    assert query["repo"] == "https://github.com/example-school/balkan-diplomacy.git"
    assert query["branch"] == "main" and query["targetpath"] == "balkan-diplomacy"
    lesson = query["urlpath"].removeprefix("lab/tree/balkan-diplomacy/")
    assert (ROOT / lesson).is_file() and lesson.startswith("notebooks/05_")
    with pytest.raises(SystemExit):
        gitpuller_link.link("https://hub.school.example", "https://x/y", lesson="99")


# ---------------------------------------------------------------- the image

#: repo2docker 2026.04.0, repo2docker/buildpacks/conda/__init__.py: how it reads the Python
#: version of environment.yml (no match: it builds on its default, Python 3.10)
REPO2DOCKER_PYTHON = re.compile(r"python\s*=+\s*([\d\.]*)")
#: Python versions repo2docker 2026.04.0 has a locked base environment for
REPO2DOCKER_PYTHONS = {"3.10", "3.11", "3.12", "3.13", "3.14"}


def test_repo2docker_builds_the_image_on_the_tested_python():
    env = yaml.safe_load((ROOT / "environment.yml").read_text(encoding="utf-8"))
    found = [m.group(1) for d in env["dependencies"] if isinstance(d, str)
             for m in [REPO2DOCKER_PYTHON.match(d)] if m]
    assert found, "repo2docker would not see a Python version in environment.yml"
    assert ".".join(found[0].split(".")[:2]) in REPO2DOCKER_PYTHONS
    assert tuple(map(int, found[0].split(".")[:2])) >= (3, 11)
    conda = [d for d in env["dependencies"] if isinstance(d, str)]
    assert any(d.startswith("nbgitpuller") for d in conda), "the image needs nbgitpuller"
