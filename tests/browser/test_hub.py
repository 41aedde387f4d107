"""A real JupyterHub, two students: each logs in, opens lesson 05, runs it and changes a chart;
neither can see or reach the other's work.

The hub runs deploy/jupyterhub_config.py (the single-server recipe, loaded with
``load_subconfig``) with only what a test machine cannot have swapped out: system accounts (a
shared test password for two allowed users instead of PAM), systemd (SimpleLocalProcessSpawner:
each user's server is a local process in a home folder of its own under a temporary folder) and
the addresses (free ports on 127.0.0.1). The idle culler of the recipe runs as the hub's service.
configurable-http-proxy comes from npm into .cache/npm (``.ci/run`` installs it).

SimpleLocalProcessSpawner runs every server as the same Linux user, so the file system itself is
shared here: what this test proves is what a student can reach *through the hub* (pages, the
contents API, another user's server URL). On a real server each student is a Linux user of their
own (SystemdSpawner) or a container (Kubernetes), which also separates their files on disk.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import nbformat
import pytest

pytestmark = [pytest.mark.browser, pytest.mark.hub]

ROOT = Path(__file__).resolve().parents[2]
RECIPE = ROOT / "deploy" / "jupyterhub_config.py"
PROXY = ROOT / ".cache" / "npm" / "node_modules" / ".bin" / "configurable-http-proxy"
LESSON = "05_putin_in_serbian_opinion.ipynb"
USERS = ("ana", "boris")


@pytest.fixture(scope="module")
def hub(tmp_path_factory, bt):
    if not PROXY.exists():
        message = (f"the JupyterHub test needs configurable-http-proxy at {PROXY}: "
                   "npm install --prefix .cache/npm configurable-http-proxy (.ci/run does it)")
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    tmp = tmp_path_factory.mktemp("hub")
    password, token = secrets.token_urlsafe(16), secrets.token_hex(24)
    port, hub_port, api_port = bt.free_port(), bt.free_port(), bt.free_port()
    homes = tmp / "homes"
    for user in USERS:
        home = homes / user
        home.mkdir(parents=True)
        shutil.copy2(ROOT / "notebooks" / LESSON, home / LESSON)
        settings = home / ".jupyter" / "lab" / "user-settings" / "@jupyterlab"
        bt._write_json(settings / "apputils-extension" / "notification.jupyterlab-settings",
                       {"fetchNews": "false", "checkForUpdates": False})
        bt._write_json(settings / "notebook-extension" / "tracker.jupyterlab-settings",
                       {"windowingMode": "none"})
    config = tmp / "jupyterhub_config.py"
    config.write_text(f"""
c = get_config()
load_subconfig({str(RECIPE)!r})
# addresses: free ports on loopback
c.JupyterHub.bind_url = "http://127.0.0.1:{port}"
c.JupyterHub.hub_port = {hub_port}
c.ConfigurableHTTPProxy.api_url = "http://127.0.0.1:{api_port}"
c.ConfigurableHTTPProxy.command = [{str(PROXY)!r}]
c.JupyterHub.cookie_secret_file = {str(tmp / "cookie_secret")!r}
c.JupyterHub.db_url = "sqlite:///{tmp / 'hub.sqlite'}"
# accounts: two allowed users with a shared test password instead of PAM
c.JupyterHub.authenticator_class = "shared-password"
c.SharedPasswordAuthenticator.user_password = {password!r}
c.Authenticator.allowed_users = {set(USERS)!r}
c.Authenticator.admin_users = set()
# servers: local processes in homes of their own instead of systemd units of system users
c.JupyterHub.spawner_class = "simple"
c.SimpleLocalProcessSpawner.home_dir_template = {str(homes / "{username}")!r}
c.Spawner.args = {["--ServerApp.allow_root=True"] if os.geteuid() == 0 else []!r}
c.Spawner.environment["BALKAN_DATA_DIR"] = {str(ROOT / "data")!r}
# the test's own token: it reads the hub's user list and each server's kernel sessions
c.JupyterHub.services.append({{"name": "test", "api_token": {token!r}}})
c.JupyterHub.load_roles.append({{"name": "test", "services": ["test"],
    "scopes": ["list:users", "read:users", "read:servers", "access:servers", "list:services",
               "read:services"]}})
""")
    env = dict(os.environ)
    for name in [n for n in env if n.startswith(("JUPYTER", "PYTHONWARNINGS"))]:
        env.pop(name)
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    log = tmp / "hub.log"
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", "jupyterhub", "-f", str(config)],
                                cwd=tmp, env=env, stdout=out, stderr=subprocess.STDOUT,
                                stdin=subprocess.DEVNULL, start_new_session=True)
    base = f"http://127.0.0.1:{port}"
    try:
        bt.wait_http(f"{base}/hub/api/", proc, log)
        # the login page itself (through the proxy, its template rendered once): on a loaded
        # machine the first one has taken over 30 s after the API already answered
        bt.wait_http(f"{base}/hub/login", proc, log, timeout=180, request_timeout=60)
        yield Hub(base, token, password, homes, proc, log)
    finally:
        bt.stop_process(proc, "jupyterhub")


class Hub:
    def __init__(self, base, token, password, homes, proc, log):
        self.base, self.token, self.password = base, token, password
        self.homes, self.proc, self.log = homes, proc, log

    def api(self, path: str):
        req = urllib.request.Request(self.base + path,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            return json.loads(resp.read())


class UserServer:
    """What bt.LabNotebook needs of a server: its kernel sessions, through the hub."""

    def __init__(self, hub: Hub, user: str):
        self.hub, self.user, self.proc = hub, user, hub.proc

    def sessions(self):
        return self.hub.api(f"/user/{self.user}/api/sessions")

    def wait_kernel_idle(self, notebook, timeout=90, sleep=time.sleep):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(s["path"].endswith(notebook) and s["kernel"]["execution_state"] == "idle"
                   for s in self.sessions()):
                return
            sleep(0.25)
        raise AssertionError(f"{self.user}: kernel of {notebook} not idle after {timeout} s")


def open_login(page, hub: Hub) -> None:
    # on a loaded machine a hub page can take longer than Playwright's 30 s: one reload, then
    # up to 90 s more; if even that fails, the hub's own log says why
    page.goto(f"{hub.base}/hub/login")
    try:
        page.locator("#username_input").wait_for(timeout=30_000)
    except Exception:  # noqa: BLE001 - try once more, then fail with the hub's log
        page.goto(f"{hub.base}/hub/login")
        try:
            page.locator("#username_input").wait_for(timeout=90_000)
        except Exception as error:  # noqa: BLE001
            raise AssertionError(f"the hub's login page did not show in 120 s: {error}\n"
                                 f"hub log:\n{hub.log.read_text()[-3000:]}") from error


def log_in(page, hub: Hub, user: str) -> None:
    open_login(page, hub)
    page.fill("#username_input", user)
    page.fill("#password_input", hub.password)
    page.click("#login_submit")


def test_two_students_on_one_hub(bt, hub, page_for, shot):
    t0 = time.monotonic()
    pages = {user: page_for(hub, width=1300, height=900) for user in USERS}
    # a wrong password is refused before anything else
    open_login(pages["ana"], hub)
    pages["ana"].fill("#username_input", "ana")
    pages["ana"].fill("#password_input", hub.password + "x")
    pages["ana"].click("#login_submit")
    error = pages["ana"].locator("p.login_error")
    error.wait_for(state="visible", timeout=15_000)
    assert "invalid" in error.inner_text().lower() and "/hub/login" in pages["ana"].url
    # both log in (their servers start side by side), then each opens lesson 05
    for user in USERS:
        log_in(pages[user], hub, user)
    notebooks, log = {}, []
    for user in USERS:
        page = pages[user]
        page.wait_for_url(f"**/user/{user}/lab**", timeout=90_000)
        page.goto(f"{hub.base}/user/{user}/lab/tree/{LESSON}")
        nb = bt.LabNotebook(page, UserServer(hub, user), LESSON)
        nb.notebook.locator(".jp-Cell").first.wait_for(state="visible", timeout=60_000)
        nb.server.wait_kernel_idle(LESSON, sleep=lambda s, p=page: p.wait_for_timeout(s * 1000))
        # the recipe's deploy/jupyter/ reached the student's server (JUPYTER_CONFIG_PATH)
        config = json.loads(page.locator("#jupyter-config-data").text_content())
        assert config["buildCheck"] is False, config.get("buildCheck")
        notebooks[user] = nb
    log.append(f"logged in and opened: {time.monotonic() - t0:.1f} s")
    # the hub runs one server per student, each at its own URL
    servers = {u["name"]: u["servers"][""]["url"] for u in hub.api("/hub/api/users")
               if u["servers"].get("")}
    assert servers == {user: f"/user/{user}/" for user in USERS}, servers
    # the recipe's idle culler runs as a service of the hub
    culler = hub.api("/hub/api/services").get("idle-culler")
    assert culler and culler["pid"] and bt.alive(culler["pid"]), culler

    for user, nb in notebooks.items():
        state = nb.run_all()
        assert state["done"] == state["total"], f"{user}: not every cell ran: {state}"
        assert not nb.problems(), f"{user}: {nb.problems()}"
        failures = bt.exercise_explorers(nb.notebook, log)
        assert not failures, f"{user}: {failures}"
    log.append(f"ran and changed the charts: {time.monotonic() - t0:.1f} s")
    notebooks["ana"].full_screenshot(shot("hub_ana_05"))

    # ana saves her notebook (with its outputs) and writes a file of her own
    ana, boris = pages["ana"], pages["boris"]
    ana.keyboard.press("Escape")
    ana.keyboard.press("Control+s")
    saved = hub.homes / "ana" / LESSON
    deadline = time.monotonic() + 20
    while time.monotonic() < deadline and not any(
            c.get("outputs") for c in nbformat.read(saved, as_version=4).cells
            if c.cell_type == "code"):
        ana.wait_for_timeout(250)
    assert any(c.get("outputs") for c in nbformat.read(saved, as_version=4).cells
               if c.cell_type == "code"), "ana's save did not reach her home folder"
    xsrf = next(c["value"] for c in ana.context.cookies() if c["name"] == "_xsrf")
    put = ana.request.put(f"{hub.base}/user/ana/api/contents/ana_notes.txt",
                          headers={"X-XSRFToken": xsrf, "Content-Type": "application/json"},
                          data=json.dumps({"type": "file", "format": "text",
                                           "content": "my answer to exercise 2"}))
    assert put.status == 201, put.text()
    assert (hub.homes / "ana" / "ana_notes.txt").read_text() == "my answer to exercise 2"

    # boris sees only his own folder: his lesson without ana's outputs, no ana_notes.txt
    listing = boris.request.get(f"{hub.base}/user/boris/api/contents")
    assert listing.status == 200
    names = {item["name"] for item in listing.json()["content"]}
    assert LESSON in names and "ana_notes.txt" not in names, names
    assert boris.request.get(f"{hub.base}/user/boris/api/contents/ana_notes.txt").status == 404
    his = boris.request.get(f"{hub.base}/user/boris/api/contents/{LESSON}").json()
    assert not any(c.get("outputs") for c in his["content"]["cells"] if c["cell_type"] == "code")
    # ... and cannot reach ana's server: not its API, not its pages, not her file
    for path in ("api/contents", "api/contents/ana_notes.txt", "api/sessions"):
        resp = boris.request.get(f"{hub.base}/user/ana/{path}", max_redirects=0)
        assert resp.status == 403, (path, resp.status)
    resp = boris.goto(f"{hub.base}/user/ana/lab/tree/{LESSON}")
    assert resp.status == 403, resp.status
    assert boris.locator(bt.NOTEBOOK).count() == 0
    assert "do not have permission" in boris.locator("body").inner_text()
    shot_path = shot("hub_boris_refused")
    boris.screenshot(path=str(shot_path))
    # ana, on the other hand, still reaches her own file
    assert ana.request.get(f"{hub.base}/user/ana/api/contents/ana_notes.txt").status == 200
    log.append(f"isolation checked: {time.monotonic() - t0:.1f} s")
    print("\nhub: " + "; ".join(log))
