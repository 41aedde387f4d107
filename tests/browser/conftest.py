"""Fixtures for the browser tests: headless Chromium (Debian's), a private JupyterLab, Voila.

Every server runs on 127.0.0.1 with a random token, serves a temporary copy of notebooks/ (Lab
autosaves into what it serves) and uses temporary Jupyter config, runtime, workspace and settings
folders, so the tests never touch the real notebooks or the user's Jupyter setup. Every process
started here is stopped in teardown (also when a test fails), kernels included: they run in their
own sessions, so they are found by walking /proc and killed by pid.

Without /usr/bin/chromium or the playwright package the whole folder is skipped (students running
``make test`` on their own machine); CI installs Debian's Chromium.
"""

from __future__ import annotations

import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM = Path("/usr/bin/chromium")
SCREENSHOTS = ROOT / "tests" / "screenshots"
WIDGETS_EXTENSION = "@jupyter-widgets/jupyterlab-manager"
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run"]

try:
    from playwright.sync_api import sync_playwright
except ImportError:  # pragma: no cover - depends on the machine
    sync_playwright = None

if not CHROMIUM.exists():
    SKIP_REASON = (f"browser tests need Debian's Chromium at {CHROMIUM} "
                   "(sudo apt-get install chromium); CI installs it")
elif sync_playwright is None:
    SKIP_REASON = "browser tests need the playwright package (pip install -e '.[test]')"
else:
    SKIP_REASON = None

HERE = Path(__file__).resolve().parent


def pytest_collection_modifyitems(config, items):
    if SKIP_REASON is None:
        return
    skip = pytest.mark.skip(reason=SKIP_REASON)
    for item in items:
        if HERE in Path(str(item.fspath)).resolve().parents:
            item.add_marker(skip)


def lesson_notebooks() -> list[Path]:
    """The lesson notebooks present now (others are still being written)."""
    return sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


# ------------------------------------------------------------------------------------------
# processes


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _children_map() -> dict[int, list[int]]:
    kids: dict[int, list[int]] = {}
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            stat = (entry / "stat").read_text()
        except OSError:
            continue
        ppid = int(stat[stat.rindex(")") + 2:].split()[1])
        kids.setdefault(ppid, []).append(int(entry.name))
    return kids


def descendants(pid: int) -> set[int]:
    kids, out, todo = _children_map(), set(), [pid]
    while todo:
        for child in kids.get(todo.pop(), []):
            if child not in out:
                out.add(child)
                todo.append(child)
    return out


def alive(pid: int) -> bool:
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return False
    return stat[stat.rindex(")") + 2] != "Z"  # a zombie has exited


def stop_process(proc: subprocess.Popen, name: str) -> None:
    """Terminate a server started with start_new_session=True, its group and every descendant
    (kernels run in sessions of their own); asserts that nothing is left."""
    family = descendants(proc.pid)  # kernels included: they run in sessions of their own
    if proc.poll() is None:
        try:
            os.killpg(proc.pid, signal.SIGTERM)  # the server shuts its kernels down on SIGTERM
        except ProcessLookupError:
            pass
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pass
    for pid in family:
        if alive(pid):
            _signal(pid, signal.SIGTERM)
    deadline = time.monotonic() + 5
    while time.monotonic() < deadline and any(alive(p) for p in family):
        time.sleep(0.1)
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        pass
    for pid in family:
        if alive(pid):
            _signal(pid, signal.SIGKILL)
    proc.wait(timeout=10)
    time.sleep(0.2)
    left = [p for p in family if alive(p)]
    assert not left, f"{name}: processes left behind: {left}"


def _signal(pid: int, sig) -> None:
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        pass


def wait_http(url: str, proc: subprocess.Popen, log: Path, timeout: float = 60,
              request_timeout: float = 2) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url, timeout=request_timeout) as resp:
                if resp.status == 200:
                    return
        except urllib.error.HTTPError:
            return  # it answers (Voila redirects /api/status to its login page)
        except (urllib.error.URLError, OSError):
            pass
        time.sleep(0.25)
    raise RuntimeError(f"server did not answer {url} within {timeout} s:\n"
                       f"{log.read_text()[-3000:]}")


@dataclass
class Server:
    """A running Jupyter server (Lab or Voila)."""

    base: str  # http://127.0.0.1:port
    token: str
    root: Path  # the folder it serves
    proc: subprocess.Popen
    log: Path
    env: dict = field(default_factory=dict)

    def url(self, path: str, **query) -> str:
        sep = "&" if "?" in path else "?"
        extra = "".join(f"&{k}={v}" if v is not None else f"&{k}" for k, v in query.items())
        return f"{self.base}{path}{sep}token={self.token}{extra}"

    def api(self, path: str, method: str = "GET"):
        req = urllib.request.Request(self.base + path, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as resp:
            body = resp.read()
        return json.loads(body) if body else None

    def sessions(self) -> list[dict]:
        return self.api("/api/sessions")

    def wait_kernel_idle(self, notebook: str, timeout: float = 60, sleep=time.sleep) -> None:
        """Until the notebook's kernel is connected and idle (the toolbar can claim 'idle'
        too early, and Run All then does nothing)."""
        deadline = time.monotonic() + timeout
        state = None
        while time.monotonic() < deadline:
            for s in self.sessions():
                if s.get("path", "").endswith(notebook) and s.get("kernel"):
                    state = s["kernel"].get("execution_state")
                    if state == "idle":
                        return
            sleep(0.25)
        raise AssertionError(f"kernel of {notebook} not idle after {timeout} s (last: {state})")

    def shutdown_sessions(self) -> None:
        for s in self.sessions():
            try:
                self.api(f"/api/sessions/{s['id']}", method="DELETE")
            except urllib.error.URLError:
                pass


def _base_env(tmp: Path) -> dict:
    env = dict(os.environ)
    for name in ("JUPYTER_CONFIG_DIR", "JUPYTER_RUNTIME_DIR", "JUPYTERLAB_WORKSPACES_DIR",
                 "JUPYTERLAB_SETTINGS_DIR", "JUPYTER_DATA_DIR"):
        env.pop(name, None)
    env.update({
        "JUPYTER_CONFIG_DIR": str(tmp / "config"),
        "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
        "JUPYTERLAB_WORKSPACES_DIR": str(tmp / "workspaces"),
        "JUPYTERLAB_SETTINGS_DIR": str(tmp / "settings"),
        "JUPYTER_DATA_DIR": str(tmp / "data"),  # no kernelspecs from the user's home
        "XDG_CACHE_HOME": str(tmp / "cache"),
        "BALKAN_DATA_DIR": str(ROOT / "data"),
        "JUPYTER_PLATFORM_DIRS": "1",
        "PYTHONUNBUFFERED": "1",
    })
    env.pop("PYTHONWARNINGS", None)
    for sub in ("config", "runtime", "workspaces", "settings", "data", "cache"):
        (tmp / sub).mkdir(parents=True, exist_ok=True)
    settings = tmp / "settings"
    _write_json(settings / "@jupyterlab" / "apputils-extension" / "notification.jupyterlab-settings",
                {"fetchNews": "false", "checkForUpdates": False})
    # every cell in the DOM (no windowing): checks see every output, screenshots show them
    _write_json(settings / "@jupyterlab" / "notebook-extension" / "tracker.jupyterlab-settings",
                {"windowingMode": "none"})
    return env


def _write_json(path: Path, obj) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(obj))


def copy_notebooks(dst: Path) -> Path:
    shutil.copytree(ROOT / "notebooks", dst,
                    ignore=shutil.ignore_patterns(".ipynb_checkpoints", "*.bak"))
    return dst


def start_lab(tmp: Path, disabled_extensions: tuple[str, ...] = ()) -> Server:
    env = _base_env(tmp)
    root = copy_notebooks(tmp / "notebooks")
    # no "is the build up to date?" check: it costs about 10 s of CPU at the first page load
    page_config = {"buildCheck": False, "buildAvailable": False}
    if disabled_extensions:  # what a broken widgets install looks like to the browser
        # as `jupyter labextension disable --level=user EXT` writes it (the CLI takes 11 s)
        page_config["disabledExtensions"] = {ext: True for ext in disabled_extensions}
    _write_json(tmp / "config" / "labconfig" / "page_config.json", page_config)
    port, token = free_port(), secrets.token_hex(24)
    args = ["jupyter", "lab", "--no-browser", "--ServerApp.ip=127.0.0.1",
            f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
            f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
            "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
    args += ["--allow-root"] if os.geteuid() == 0 else []  # CI containers run as root
    return _launch(args, root, env, tmp / "lab.log", port, token, "jupyter lab")


def _launch(args, root: Path, env: dict, log: Path, port: int, token: str, name: str) -> Server:
    """Start ``python -m <args>`` in its own session and wait until it answers on ``port``."""
    with open(log, "wb") as out:
        proc = subprocess.Popen([sys.executable, "-m", *args], cwd=root, env=env, stdout=out,
                                stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                start_new_session=True)
    server = Server(f"http://127.0.0.1:{port}", token, root, proc, log, env)
    try:
        wait_http(server.url("/api/status"), proc, log)
    except BaseException:
        stop_process(proc, name)
        raise
    return server


def start_voila(tmp: Path, notebook: Path) -> Server:
    env = _base_env(tmp)
    root = tmp / "dashboard"
    root.mkdir()
    shutil.copy2(notebook, root / notebook.name)
    port, token = free_port(), secrets.token_hex(24)
    args = ["voila", notebook.name, "--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
            f"--token={token}"]
    return _launch(args, root, env, tmp / "voila.log", port, token, "voila")


# ------------------------------------------------------------------------------------------
# fixtures


@pytest.fixture(scope="session")
def browser():
    pw = sync_playwright().start()
    try:
        chromium = pw.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                      args=CHROMIUM_ARGS)
        try:
            yield chromium
        finally:
            chromium.close()
    finally:
        pw.stop()


@pytest.fixture(scope="session")
def lab(tmp_path_factory):
    """One JupyterLab for all lesson notebooks (and the slides test)."""
    server = start_lab(tmp_path_factory.mktemp("lab"))
    try:
        yield server
    finally:
        stop_process(server.proc, "jupyter lab")


@pytest.fixture
def page_for(browser):
    """page_for(server) -> a fresh page (own context) that may only reach 127.0.0.1; every
    request elsewhere is aborted and listed in page.blocked (the tests run offline)."""
    contexts = []

    def make(server: Server, width: int = 1400, height: int = 1000):
        context = browser.new_context(viewport={"width": width, "height": height})
        context.set_default_timeout(30_000)
        blocked: list[str] = []

        def refuse(route):
            blocked.append(route.request.url)
            route.abort()

        # the pattern is matched inside the driver, so requests to the server never wait on
        # Python (a callable matcher would stall every request while a test sleeps)
        context.route(re.compile(r"^(?!(https?|wss?)://127\.0\.0\.1[:/]|data:|blob:)"), refuse)
        contexts.append(context)
        page = context.new_page()
        page.blocked = blocked
        page.console_errors = []
        def on_console(msg):
            if msg.type == "error":
                page.console_errors.append(msg.text)

        page.on("console", on_console)
        page.on("pageerror", lambda e: page.console_errors.append(str(e)))
        return page

    yield make
    for context in contexts:
        context.close()


@pytest.fixture(scope="session", autouse=True)
def _no_processes_left_behind():
    """After the browser tests, no Jupyter server, kernel, Voila or Chromium we started runs on."""
    yield
    pattern = re.compile(r"jupyter|voila|ipykernel|chrom", re.I)
    left = []
    for pid in descendants(os.getpid()):
        try:
            cmd = Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode()
        except OSError:
            continue
        if alive(pid) and pattern.search(cmd):
            left.append(f"{pid}: {cmd[:120]}")
    assert not left, "processes left behind:\n" + "\n".join(left)


def screenshot_path(name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS / f"{name}.png"


# ------------------------------------------------------------------------------------------
# driving JupyterLab (ipywidgets 8 selectors; see /work/shared/notes)

NOTEBOOK = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook"
IMAGE = "img.widget-image"
#: the first control of an explorer, whichever kind comes first
CONTROL = (".widget-slider .noUi-handle, .widget-dropdown select, .widget-select select, "
           ".widget-radio-box input")
WIDGET_AS_TEXT = re.compile(r"^\s*((Explorer|Quiz|VBox|HBox|Box|Image|IntSlider|Dropdown|"
                            r"SelectMultiple|RadioButtons|Output|interactive)\(|"
                            r"\[(Interactive chart|Self-check quiz))")  # (our own stand-in texts)

_EXECUTION_STATE = """() => {
  const nb = document.querySelector('%s');
  if (!nb) return null;
  const cells = [...nb.querySelectorAll('.jp-CodeCell')].filter(
      c => (c.querySelector('.jp-InputArea-editor')?.textContent || '').trim().length > 0);
  const prompts = cells.map(c => (c.querySelector('.jp-InputArea-prompt')?.textContent || '').trim());
  return {
    total: prompts.length,
    running: prompts.filter(p => p.includes('*')).length,
    done: prompts.filter(p => /\\[\\d+\\]/.test(p)).length,
    errors: nb.querySelectorAll(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]').length,
  };
}""" % NOTEBOOK  # noqa: UP031 - a JavaScript template: braces stay as they are


def output_problems(nb) -> list[str]:
    """What a student would see as broken: errors, tracebacks, widgets that failed to show."""
    found = []
    stderr = nb.locator('.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    for text in stderr.all_inner_texts():
        found.append(f"stderr/error output: {text[:600]}")
    for text in nb.locator(".jp-OutputArea-output").all_inner_texts():
        if "Traceback" in text and not any(text[:100] in f for f in found):
            found.append(f"traceback in an output: {text[:600]}")
        if "Error displaying widget" in text:
            found.append(f"Error displaying widget: {text[:300]}")
        if WIDGET_AS_TEXT.match(text):
            found.append(f"a widget shown as text (widgets front-end missing?): {text[:200]}")
    broken = nb.locator(".jupyter-widgets-error-widget")
    if broken.count():  # ipywidgets' "Click to show javascript error." box
        found.append(f"{broken.count()} widget(s) failed to render in the browser "
                     f"('Click to show javascript error.'): {widget_errors(nb)[:3]}")
    for text in nb.locator(".bd-error").all_inner_texts():
        found.append(f"explorer could not draw: {text[:300]}")
    return found


def widget_errors(scope) -> list[str]:
    """Why widgets failed to render: the message behind the first error boxes (a click on
    one shows it, as it would for a student)."""
    out = []
    boxes = scope.locator(".jupyter-widgets-error-widget")
    for i in range(min(boxes.count(), 2)):
        try:
            boxes.nth(i).click()
            scope.page.wait_for_timeout(200)
            lines = [ln for ln in boxes.nth(i).inner_text().splitlines()
                     if ln.strip() and not ln.strip().startswith(("at ", "[Open"))]
            out.append(" / ".join(lines)[:300])
            boxes.nth(i).dblclick()  # closes the message again
        except Exception as exc:  # noqa: BLE001 - a diagnosis only
            out.append(f"(could not read the error: {exc.__class__.__name__})")
    return out


class LabNotebook:
    """One notebook open in JupyterLab in its own page."""

    def __init__(self, page, server: Server, name: str):
        self.page, self.server, self.name = page, server, name

    @property
    def notebook(self):
        return self.page.locator(NOTEBOOK)

    def open(self) -> LabNotebook:
        # a deck started by an earlier test is saved as a setting: Lab would reopen in deck
        # mode, with the menu bar hidden
        settings = Path(self.server.env["JUPYTERLAB_SETTINGS_DIR"])
        _write_json(settings / "jupyterlab-slideshow" / "plugin.jupyterlab-settings",
                    {"active": False})
        self.page.goto(self.server.url(f"/lab/tree/{self.name}", reset=None))
        self.page.locator(f"{NOTEBOOK} .jp-Cell").first.wait_for(state="visible", timeout=60_000)
        dialog = self.page.locator(".jp-Dialog")
        if dialog.count():  # e.g. "Select Kernel" when the notebook names no kernel
            self.page.keyboard.press("Enter")
        # page.wait_for_timeout keeps Playwright's event loop turning (routes, events)
        self.server.wait_kernel_idle(self.name, sleep=lambda s: self.page.wait_for_timeout(s * 1000))
        return self

    def state(self) -> dict:
        return self.page.evaluate(_EXECUTION_STATE)

    def run_all(self, timeout: float = 120) -> dict:
        """Run > Run All Cells, then wait until every non-empty code cell has run (or one failed)."""
        for attempt in range(2):
            self.page.locator("#jp-MainMenu .lm-MenuBar-itemLabel", has_text=re.compile(r"^Run$")).click()
            self.page.locator(".lm-Menu-itemLabel", has_text=re.compile(r"^Run All Cells$")).click()
            try:  # did anything start? (it may not, if the kernel was not really ready)
                self.page.wait_for_function(
                    f"() => {{ const s = ({_EXECUTION_STATE})(); return s && (s.running + s.done) > 0; }}",
                    timeout=8_000)
                break
            except Exception:
                if attempt:
                    raise
        self.page.wait_for_function(
            f"() => {{ const s = ({_EXECUTION_STATE})(); return s && s.running === 0 && "
            "(s.done === s.total || s.errors > 0); }", timeout=timeout * 1000, polling=200)
        return self.state()

    def problems(self) -> list[str]:
        return output_problems(self.notebook)

    def full_screenshot(self, path: Path) -> None:
        """The whole notebook: make the viewport as tall as the notebook, then shoot."""
        size = self.page.viewport_size
        height = self.page.evaluate(
            f"() => {{ const o = document.querySelector('{NOTEBOOK}')?.closest('.jp-WindowedPanel-outer')"
            " || document.querySelector('.jp-WindowedPanel-outer'); return o ? o.scrollHeight : 0; }")
        self.page.set_viewport_size({"width": size["width"], "height": max(size["height"], min(height + 160, 14000))})
        self.page.evaluate("() => document.querySelectorAll('.jp-WindowedPanel-outer')"
                           ".forEach(o => { o.scrollTop = 0; })")
        self.page.keyboard.press("Escape")  # command mode: no blinking cursor in the shot
        self.page.wait_for_timeout(400)
        self.page.screenshot(path=str(path), full_page=True)
        self.page.set_viewport_size(size)


def image_src(img) -> str:
    return img.get_attribute("src") or ""


def wait_src_change(img, before: str, timeout: float = 6_000) -> bool:
    try:
        img.page.wait_for_function("([el, before]) => el.getAttribute('src') !== before",
                                   arg=[img.element_handle(), before], timeout=timeout, polling=50)
        return True
    except Exception:
        return False


def change_control(control) -> str:
    """Change one control the way a student would; returns what was done."""
    tag = control.evaluate("el => el.tagName.toLowerCase()")
    if tag == "select":
        multiple = control.evaluate("el => el.multiple")
        n = control.locator("option").count()
        assert n >= 2, "a selector with a single option cannot be changed"
        selected = control.evaluate("el => [...el.options].map((o, i) => o.selected ? i : -1).filter(i => i >= 0)")
        if multiple:
            choice = [0] if selected != [0] else [1]
        else:
            choice = 1 if selected and selected[0] == 0 else 0
        control.select_option(index=choice)
        return f"selected option(s) {choice}"
    if tag == "input":
        control.click()
        return "clicked a radio button"
    # a noUiSlider handle: step away from the end it stands at
    now, low = (control.get_attribute(a) for a in ("aria-valuenow", "aria-valuemin"))
    key = "ArrowRight" if now is not None and now == low else "ArrowLeft"
    control.focus()
    control.press(key)
    return f"slider {key}"


def nudge_slider_back(control) -> str:
    """The first key press did nothing visible: try two steps the other way."""
    control.focus()
    control.press("ArrowRight")
    control.press("ArrowRight")
    return "slider ArrowRight x2"


def exercise_explorers(scope, log: list, expect: bool = True, only_visible: bool = False) -> list[str]:
    """Every explorer chart in ``scope`` shows an image; changing its first control (a slider
    key press, another dropdown option) must change the image. Returns the failures."""
    failures = []
    images = scope.locator(IMAGE)
    count = images.count()
    log.append(f"{count} explorer image(s)")
    if expect and count == 0:
        failures.append("the notebook builds an explorer but no chart image is shown")
    page = scope.page
    for i in range(count):
        img = images.nth(i)
        if only_visible and not img.is_visible():
            continue
        src = image_src(img)
        if not src:
            failures.append(f"explorer image {i} has an empty src")
            continue
        img.scroll_into_view_if_needed()
        try:
            page.wait_for_function("el => el.complete && el.naturalWidth > 0",
                                   arg=img.element_handle(), timeout=5_000)
        except Exception:  # noqa: BLE001
            failures.append(f"explorer image {i} did not decode")
        controls = img.locator("xpath=..").locator(CONTROL)  # the Explorer VBox's controls
        if controls.count() == 0:
            log.append(f"image {i}: no control")
            continue
        control = controls.first
        control.scroll_into_view_if_needed()
        t0 = time.monotonic()
        what = change_control(control)
        changed = wait_src_change(img, src)
        if not changed and "slider" in what:  # at the left end already: go right instead
            what += ", " + nudge_slider_back(control)
            changed = wait_src_change(img, src)
        log.append(f"image {i}: {what} -> {'new image' if changed else 'NO CHANGE'} "
                   f"({time.monotonic() - t0:.2f} s)")
        if not changed:
            failures.append(f"explorer image {i}: {what} did not change the chart")
    return failures


def answer_quiz(scope, log: list) -> list[str]:
    """Click the first answer of the first quiz question: feedback must appear."""
    radios = scope.locator(".widget-radio-box input[type=radio]")
    if radios.count() == 0:
        return ["the notebook has a quiz but no answer buttons are shown"]
    radios.first.scroll_into_view_if_needed()
    radios.first.click()
    feedback = scope.locator(".bd-right, .bd-wrong").first
    try:
        feedback.wait_for(state="visible", timeout=6_000)
    except Exception:  # noqa: BLE001
        return ["answering a quiz question showed no feedback"]
    log.append(f"quiz feedback: {feedback.inner_text()[:50]!r}")
    return []


@pytest.fixture
def open_lab_notebook(page_for):
    """open_lab_notebook(server, name) -> LabNotebook, opened and its kernel idle."""
    opened = []

    def make(server: Server, name: str, **viewport) -> LabNotebook:
        nb = LabNotebook(page_for(server, **viewport), server, name).open()
        opened.append(nb)
        return nb

    yield make
    for nb in opened:  # free the kernel (2 cores, 8 notebooks)
        if nb.server.proc.poll() is not None:
            continue  # that server is already stopped (and its kernels with it)
        try:
            for s in nb.server.sessions():
                if s.get("path", "").endswith(nb.name):
                    nb.server.api(f"/api/sessions/{s['id']}", method="DELETE")
        except OSError:
            pass


@pytest.fixture
def shot():
    return screenshot_path


_THIS_MODULE = sys.modules[__name__]


@pytest.fixture(scope="session")
def bt():
    """This module's helpers for the tests (two conftest.py files share one module name, so
    the tests must not import from here)."""
    return _THIS_MODULE
