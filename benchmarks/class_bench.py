"""A class on one server, measured: N students open a lesson, Run All, then move its controls.

Run ``make bench-class`` (or ``python benchmarks/class_bench.py --students 5 10 --duration 60``).

One Jupyter server on 127.0.0.1 (what every student's browser talks to, through its REST API and
kernel websockets) runs one kernel per simulated student. For each class size N:

1. the N students arrive over ``--ramp`` seconds (seeded random order and times) and each starts a
   kernel (POST /api/kernels) and sends every code cell of the lesson at once, as JupyterLab's
   Run All does; "Run All" is the time from the kernel's start request to its last cell's reply;
2. then, for ``--duration`` seconds, each changes one control of the lesson's chart every 1-3 s
   (uniformly random, seeded): it sends the comm message a browser sends when a student moves a
   slider or picks an option (``comm_msg``, method ``update``, the new ``value`` or ``index``);
   "change to image" is the time from sending it to receiving the chart's new picture (the
   kernel's ``comm_msg`` ``update`` of the Image widget, its PNG in the message's buffers);
3. every second, the resident memory (RSS) and CPU time of each kernel and of the server.

It prints one table: Run All p50/p95, change-to-image p50/p95, kernel memory per student (peak
RSS; PSS, which counts shared library pages once, after the run), memory in all (kernels and
server), and the largest N whose p95 change-to-image stays under ``--target-ms`` (250 ms).
``--json FILE`` also writes every measure. Loopback only; every kernel and the server are
stopped at the end of each N (also on Ctrl+C or an error). On a hub each student also has a
Jupyter server of their own: its memory (an idle server's RSS, measured here) is added to the
per-student figure of the sizing line.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from dataclasses import dataclass, field
from pathlib import Path

import nbformat
import psutil
from websockets.asyncio.client import connect

ROOT = Path(__file__).resolve().parents[1]
WS_PROTOCOL = "v1.kernel.websocket.jupyter.org"  # jupyter_server's documented binary protocol
#: the models of controls a student changes, and how (the synced name of their value)
INDEXED = {"DropdownModel", "RadioButtonsModel", "ToggleButtonsModel", "SelectModel",
           "SelectionSliderModel"}
SLIDERS = {"IntSliderModel", "FloatSliderModel"}
RANGES = {"IntRangeSliderModel", "FloatRangeSliderModel"}
MiB = 1024 * 1024


# ---------------------------------------------------------------- the kernel websocket (v1)

def pack(channel: str, msg: dict) -> bytes:
    """A message in jupyter_server's v1 kernel websocket protocol: a count of offsets, the
    offsets, then the channel name and the four JSON parts (and any buffers)."""
    parts = [json.dumps(msg[k]).encode() for k in ("header", "parent_header", "metadata",
                                                     "content")]
    chan = channel.encode()
    offsets = [8 * (1 + 1 + len(parts) + 1)]
    offsets.append(offsets[-1] + len(chan))
    for part in parts:
        offsets.append(offsets[-1] + len(part))
    return b"".join([len(offsets).to_bytes(8, "little"),
                     *(o.to_bytes(8, "little") for o in offsets), chan, *parts])


def unpack(data: bytes) -> tuple[str, dict, list[bytes]]:
    n = int.from_bytes(data[:8], "little")
    offsets = [int.from_bytes(data[8 * (i + 1):8 * (i + 2)], "little") for i in range(n)]
    channel = data[offsets[0]:offsets[1]].decode()
    parts = [data[offsets[i]:offsets[i + 1]] for i in range(1, n - 1)]
    msg = {k: json.loads(p) for k, p in zip(("header", "parent_header", "metadata", "content"),
                                             parts[:4])}
    return channel, msg, parts[4:]


def new_msg(session: str, msg_type: str, content: dict) -> dict:
    return {"header": {"msg_id": uuid.uuid4().hex, "msg_type": msg_type, "username": "student",
                       "session": session, "date": "", "version": "5.3"},
            "parent_header": {}, "metadata": {}, "content": content}


# ---------------------------------------------------------------- one student

@dataclass
class Student:
    index: int
    rng: random.Random
    kernel_id: str = ""
    run_all: float | None = None
    error: str | None = None
    latencies: list[float] = field(default_factory=list)
    unchanged: list[float] = field(default_factory=list)  # ms to idle, no new picture came
    models: dict = field(default_factory=dict)  # comm_id -> widget state
    pending: dict = field(default_factory=dict)  # msg_id -> future of execute_reply
    waiting_image: tuple | None = None  # (Image comm ids, future, msg_id of the change)


def explorer_controls(models: dict) -> list[tuple[str, set[str]]]:
    """(control comm id, the Image comm ids of its explorer) for every control a student can
    change in a box that also holds a chart image (quizzes and other widgets are left alone)."""
    def kids(cid):
        state = models.get(cid, {})
        return [c.removeprefix("IPY_MODEL_") for c in state.get("children", [])]

    def descendants(cid, seen):
        for k in kids(cid):
            if k not in seen:
                seen.add(k)
                descendants(k, seen)
        return seen

    out, taken = [], set()
    boxes = [c for c, s in models.items() if s.get("children")]
    # innermost boxes that hold an image first, so a control joins its own chart
    for box in sorted(boxes, key=lambda b: len(descendants(b, set()))):
        below = descendants(box, set())
        images = {c for c in below if models.get(c, {}).get("_model_name") == "ImageModel"}
        if not images:
            continue
        for c in sorted(below - taken):
            name = models.get(c, {}).get("_model_name")
            if name in INDEXED | SLIDERS | RANGES | {"SelectMultipleModel", "CheckboxModel"}:
                out.append((c, images))
                taken.add(c)
    return out


def new_state(state: dict, rng: random.Random) -> dict | None:
    """A different value for a control, as the browser would send it."""
    name = state["_model_name"]
    if name in INDEXED:
        n = len(state.get("_options_labels", []))
        if n < 2:
            return None
        now = state.get("index")
        return {"index": rng.choice([i for i in range(n) if i != now])}
    if name == "SelectMultipleModel":
        n = len(state.get("_options_labels", []))
        if n < 1:
            return None
        return {"index": sorted(rng.sample(range(n), rng.randint(1, n)))}
    if name in SLIDERS:
        lo, hi, step = state["min"], state["max"], state.get("step") or 1
        values = [lo + i * step for i in range(int(round((hi - lo) / step)) + 1)]
        values = [v for v in values if v != state.get("value")]
        return {"value": rng.choice(values)} if values else None
    if name in RANGES:
        lo, hi, step = state["min"], state["max"], state.get("step") or 1
        values = [lo + i * step for i in range(int(round((hi - lo) / step)) + 1)]
        a, b = sorted(rng.sample(values, 2)) if len(values) > 1 else (None, None)
        return {"value": [a, b]} if a is not None else None
    if name == "CheckboxModel":
        return {"value": not state.get("value")}
    return None


def image_changed(data: dict) -> bool:
    """An Image widget's update carries its new picture: ipywidgets moves the bytes of
    ``value`` into the message's buffers and names them in ``buffer_paths``."""
    return "value" in data.get("state", {}) or ["value"] in data.get("buffer_paths", [])


async def reader(ws, st: Student) -> None:
    async for data in ws:
        if isinstance(data, str):
            continue
        channel, msg, _buffers = unpack(data)
        kind = msg["header"]["msg_type"]
        parent = msg["parent_header"].get("msg_id")
        content = msg["content"]
        if (kind == "status" and content.get("execution_state") == "idle"
                and st.waiting_image and parent == st.waiting_image[2]
                and not st.waiting_image[1].done()):
            st.waiting_image[1].set_result(-time.perf_counter())  # done, no new picture
        elif kind == "execute_reply" and parent in st.pending:
            st.pending.pop(parent).set_result(content)
        elif kind == "comm_open":
            st.models[content["comm_id"]] = dict(content["data"].get("state", {}))
        elif kind == "comm_msg":
            data_ = content.get("data", {})
            cid = content["comm_id"]
            if data_.get("method") in ("update", "echo_update") and cid in st.models:
                st.models[cid].update(data_.get("state", {}))
            if (data_.get("method") == "update" and st.waiting_image
                    and cid in st.waiting_image[0] and image_changed(data_)
                    and not st.waiting_image[1].done()):
                st.waiting_image[1].set_result(time.perf_counter())


async def run_student(st: Student, server: Server, cells: list[str], start_at: float,
                      run_until_after_ready: float, timeout: float) -> None:
    await asyncio.sleep(max(0.0, start_at - time.monotonic()))
    t0 = time.perf_counter()
    try:
        st.kernel_id = (await asyncio.to_thread(
            server.api, "/api/kernels", "POST", {"name": "python3",
                                                  "path": f"student{st.index:02d}"}))["id"]
        session = uuid.uuid4().hex
        url = (f"ws://127.0.0.1:{server.port}/api/kernels/{st.kernel_id}/channels"
               f"?session_id={session}")
        async with connect(url, subprotocols=[WS_PROTOCOL], max_size=None,
                           additional_headers={"Authorization": f"token {server.token}"},
                           open_timeout=60) as ws:
            task = asyncio.create_task(reader(ws, st))
            try:
                loop = asyncio.get_running_loop()
                futures = []
                for source in cells:  # all at once, as JupyterLab's Run All
                    msg = new_msg(session, "execute_request",
                                  {"code": source, "silent": False, "store_history": True,
                                   "user_expressions": {}, "allow_stdin": False,
                                   "stop_on_error": True})
                    fut = loop.create_future()
                    st.pending[msg["header"]["msg_id"]] = fut
                    futures.append(fut)
                    await ws.send(pack("shell", msg))
                replies = await asyncio.wait_for(asyncio.gather(*futures), timeout)
                st.run_all = time.perf_counter() - t0
                failed = [r for r in replies if r.get("status") != "ok"]
                if failed:
                    st.error = f"{failed[0].get('ename')}: {failed[0].get('evalue')}"
                    return
                controls = explorer_controls(st.models)
                if not controls:
                    st.error = "the lesson shows no chart with a control"
                    return
                end = time.monotonic() + run_until_after_ready
                while True:
                    await asyncio.sleep(st.rng.uniform(1.0, 3.0))  # a human's pace
                    if time.monotonic() >= end:
                        break
                    cid, images = st.rng.choice(controls)
                    change = new_state(st.models[cid], st.rng)
                    if change is None:
                        continue
                    st.models[cid].update(change)
                    fut = loop.create_future()
                    msg = new_msg(session, "comm_msg", {"comm_id": cid, "data": {
                        "method": "update", "state": change, "buffer_paths": []}})
                    st.waiting_image = (images, fut, msg["header"]["msg_id"])
                    sent = time.perf_counter()
                    await ws.send(pack("shell", msg))
                    got = await asyncio.wait_for(fut, timeout)
                    if got < 0:  # the kernel was done and sent no new picture (the same chart)
                        st.unchanged.append((-got - sent) * 1000)
                    else:
                        st.latencies.append((got - sent) * 1000)
                    st.waiting_image = None
            finally:
                task.cancel()
    except Exception as exc:  # noqa: BLE001 - reported in the table, never hidden
        st.error = st.error or f"{exc.__class__.__name__}: {exc}"


# ---------------------------------------------------------------- the server

class Server:
    def __init__(self, tmp: Path, lesson: Path, students: int):
        self.tmp, self.port, self.token = tmp, free_port(), secrets.token_hex(24)
        root = tmp / "root"
        for i in range(students):
            (root / f"student{i:02d}").mkdir(parents=True)
            shutil.copy2(lesson, root / f"student{i:02d}" / lesson.name)
        env = dict(os.environ)
        for name in [n for n in env if n.startswith("JUPYTER")]:
            env.pop(name)
        env.update({"JUPYTER_CONFIG_DIR": str(tmp / "config"),
                    "JUPYTER_RUNTIME_DIR": str(tmp / "runtime"),
                    "JUPYTER_DATA_DIR": str(tmp / "data"),
                    "BALKAN_DATA_DIR": str(ROOT / "data"), "PYTHONUNBUFFERED": "1"})
        env.pop("PYTHONWARNINGS", None)
        env.pop("MPLBACKEND", None)
        self.log = tmp / "server.log"
        args = [sys.executable, "-m", "jupyter_server", "--no-browser", "--ServerApp.ip=127.0.0.1",
                f"--ServerApp.port={self.port}", "--ServerApp.port_retries=0",
                f"--IdentityProvider.token={self.token}", f"--ServerApp.root_dir={root}"]
        args += ["--allow-root"] if os.geteuid() == 0 else []
        with open(self.log, "wb") as out:
            self.proc = subprocess.Popen(args, cwd=root, env=env, stdout=out,
                                         stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                         start_new_session=True)
        deadline = time.monotonic() + 60
        while True:
            try:
                self.api("/api/status")
                break
            except OSError:
                if self.proc.poll() is not None or time.monotonic() > deadline:
                    self.stop()
                    raise RuntimeError("the Jupyter server did not start:\n"
                                       + self.log.read_text()[-2000:]) from None
                time.sleep(0.25)

    def api(self, path: str, method: str = "GET", body: dict | None = None):
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(f"http://127.0.0.1:{self.port}{path}", data=data,
                                     method=method,
                                     headers={"Authorization": f"token {self.token}",
                                              "Content-Type": "application/json"})
        with urllib.request.urlopen(req, timeout=60) as resp:
            text = resp.read()
        return json.loads(text) if text else None

    def kernel_processes(self) -> dict[str, psutil.Process]:
        """kernel id -> its process (the kernel's connection file is named after its id)."""
        out = {}
        try:
            children = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            return out
        for p in children:
            try:
                cmd = " ".join(p.cmdline())
            except psutil.Error:
                continue
            if "ipykernel" in cmd and "kernel-" in cmd:
                kid = cmd.split("kernel-", 1)[1].split(".json", 1)[0]
                out[kid] = p
        return out

    def stop(self) -> None:
        try:
            family = psutil.Process(self.proc.pid).children(recursive=True)
        except psutil.NoSuchProcess:
            family = []
        if self.proc.poll() is None:
            try:
                os.killpg(self.proc.pid, signal.SIGTERM)
                self.proc.wait(timeout=20)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                pass
        for p in family:
            try:
                p.kill()
            except psutil.Error:
                pass
        try:
            os.killpg(self.proc.pid, signal.SIGKILL)
        except (ProcessLookupError, PermissionError):
            pass
        self.proc.wait(timeout=10)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ---------------------------------------------------------------- one class size

async def sample(server: Server, samples: dict, stop: asyncio.Event) -> None:
    """Every second: each kernel's RSS and CPU seconds, the server's RSS."""
    server_proc = psutil.Process(server.proc.pid)
    while not stop.is_set():
        for kid, p in server.kernel_processes().items():
            try:
                with p.oneshot():
                    rss, cpu = p.memory_info().rss, sum(p.cpu_times()[:2])
            except psutil.Error:
                continue
            peak = samples["kernels"].setdefault(kid, {"rss": 0, "cpu": 0.0})
            peak["rss"], peak["cpu"] = max(peak["rss"], rss), max(peak["cpu"], cpu)
        try:
            samples["server_rss"] = max(samples["server_rss"], server_proc.memory_info().rss)
        except psutil.Error:
            pass
        try:
            await asyncio.wait_for(stop.wait(), 1.0)
        except TimeoutError:
            pass


def pss_of(processes) -> list[int]:
    out = []
    for p in processes:
        try:
            out.append(p.memory_full_info().pss)
        except (psutil.Error, AttributeError):
            pass
    return out


def percentile(values, q):
    values = sorted(values)
    if not values:
        return float("nan")
    return values[min(len(values) - 1, int(round(q / 100 * (len(values) - 1))))]


async def one_class(n: int, lesson: Path, args) -> dict:
    cells = [c.source for c in nbformat.read(lesson, as_version=4).cells
             if c.cell_type == "code" and c.source.strip()]
    seed_rng = random.Random(args.seed * 1000 + n)
    with tempfile.TemporaryDirectory(prefix="class_bench_") as tmp:
        server = Server(Path(tmp), lesson, n)
        try:
            time.sleep(1.0)
            idle_server_rss = psutil.Process(server.proc.pid).memory_info().rss
            students = [Student(i, random.Random(seed_rng.random())) for i in range(n)]
            t_start = time.monotonic() + 0.5
            arrivals = sorted(seed_rng.uniform(0, args.ramp) for _ in range(n))
            samples = {"kernels": {}, "server_rss": 0}
            stop = asyncio.Event()
            sampler = asyncio.create_task(sample(server, samples, stop))
            t_wall = time.perf_counter()
            await asyncio.gather(*(run_student(st, server, cells, t_start + arrivals[i],
                                               args.duration, args.timeout)
                                   for i, st in enumerate(students)))
            wall = time.perf_counter() - t_wall
            kernels = server.kernel_processes()
            pss = pss_of(kernels.values())
            server_pss = pss_of([psutil.Process(server.proc.pid)])
            stop.set()
            await sampler
        finally:
            server.stop()
    runs = [st.run_all for st in students if st.run_all is not None]
    lat = [x for st in students for x in st.latencies]
    rss = [k["rss"] for k in samples["kernels"].values()]
    cpu = [k["cpu"] for k in samples["kernels"].values()]
    return {
        "students": n, "wall_s": wall, "errors": [f"student {st.index}: {st.error}"
                                                 for st in students if st.error],
        "run_all_s": runs, "change_to_image_ms": lat,
        "unchanged_ms": [x for st in students for x in st.unchanged],
        "kernel_peak_rss_bytes": rss, "kernel_pss_bytes": pss, "kernel_cpu_s": cpu,
        "server_peak_rss_bytes": samples["server_rss"], "server_pss_bytes": server_pss,
        "idle_server_rss_bytes": idle_server_rss,
    }


def summarise(results: list[dict], args) -> str:
    lines = [
        f"{'N':>3} | {'Run All p50/p95 s':>17} | {'change->image p50/p95 ms':>24} | "
        f"{'new/same':>9} | {'kernel RSS MiB':>14} | {'kernel PSS MiB':>14} | "
        f"{'CPU/kernel s':>12} | {'all, MiB':>8} | errors"]
    lines.append("-" * len(lines[0]))
    best = None
    for r in results:
        runs, lat = r["run_all_s"], r["change_to_image_ms"]
        rss, pss = r["kernel_peak_rss_bytes"], r["kernel_pss_bytes"]
        total = (sum(pss) + sum(r["server_pss_bytes"])) / MiB if pss else float("nan")
        ok = bool(lat) and not r["errors"] and percentile(lat, 95) < args.target_ms
        if ok:
            best = r["students"] if best is None else max(best, r["students"])
        lines.append(
            f"{r['students']:>3} | {statistics.median(runs) if runs else float('nan'):>7.2f} /"
            f"{percentile(runs, 95):>7.2f} | {statistics.median(lat) if lat else float('nan'):>10.0f} /"
            f"{percentile(lat, 95):>10.0f}{'' if ok else ' !':<2} | "
            f"{len(lat):>4}/{len(r['unchanged_ms']):<4} | "
            f"{statistics.mean(rss) / MiB if rss else float('nan'):>8.0f} max "
            f"{max(rss, default=0) / MiB:>3.0f} | "
            f"{statistics.mean(pss) / MiB if pss else float('nan'):>14.0f} | "
            f"{statistics.mean(r['kernel_cpu_s']) if r['kernel_cpu_s'] else float('nan'):>12.1f} | "
            f"{total:>8.0f} | {len(r['errors'])}")
    idle = statistics.median(r["idle_server_rss_bytes"] for r in results) / MiB
    lines.append("")
    lines.append(f"largest N with p95 change->image < {args.target_ms:.0f} ms: "
                 f"{best if best is not None else 'none of those run'}")
    lines.append(f"an idle Jupyter server (one per student on a hub): {idle:.0f} MiB RSS")
    same = [x for r in results for x in r["unchanged_ms"]]
    lines.append("new/same: changes that drew a new chart / that left it as it was (the kernel "
                 "sent no new picture; timed apart, to the kernel's idle: median "
                 f"{statistics.median(same) if same else float('nan'):.0f} ms).")
    lines.append("RSS: each kernel's peak resident memory (what a container limit sees); PSS: "
                 "after the run, shared library pages counted once (what they cost together); "
                 "'all' = kernels' PSS + the one server's PSS.")
    for r in results:
        for e in r["errors"][:3]:
            lines.append(f"N={r['students']}: {e}")
    return "\n".join(lines)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--students", type=int, nargs="+", default=[5, 10, 20, 30],
                    help="class sizes to run, one after the other (default 5 10 20 30)")
    ap.add_argument("--lesson", default="05_putin_in_serbian_opinion.ipynb",
                    help="the lesson every student opens (a file in notebooks/)")
    ap.add_argument("--duration", type=float, default=90,
                    help="seconds each student moves controls after Run All (default 90)")
    ap.add_argument("--ramp", type=float, default=20,
                    help="students arrive over this many seconds (default 20)")
    ap.add_argument("--timeout", type=float, default=600, help="seconds allowed for a Run All")
    ap.add_argument("--target-ms", type=float, default=250, help="p95 change-to-image target")
    ap.add_argument("--seed", type=int, default=2019)
    ap.add_argument("--json", type=Path, help="also write every measure to this file")
    args = ap.parse_args(argv)
    if max(args.students) > 60 or args.duration > 600:
        ap.error("at most 60 students and 600 s per class size (this runs on one machine)")
    lesson = ROOT / "notebooks" / args.lesson
    if not lesson.exists():
        ap.error(f"no lesson {lesson}")
    print(f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, {os.cpu_count()} CPUs, "
          f"{psutil.virtual_memory().total / 2**30:.0f} GiB, load average "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())}; lesson {lesson.stem}, "
          f"{args.duration:.0f} s of changes each, arrivals over {args.ramp:.0f} s", flush=True)
    results = []
    # one warm cache for every kernel: matplotlib's font list and the tables' validation, as on
    # any lesson day but a class's very first (a student's home keeps them between lessons)
    cache = tempfile.TemporaryDirectory(prefix="class_bench_cache_")
    os.environ["XDG_CACHE_HOME"] = cache.name
    subprocess.run([sys.executable, "-c", "import matplotlib.pyplot; "
                    "from balkan_diplomacy import data; data.load_all()"], check=True,
                   env=dict(os.environ, BALKAN_DATA_DIR=str(ROOT / "data")))
    for n in args.students:
        r = asyncio.run(one_class(n, lesson, args))
        r["load_after"] = os.getloadavg()
        results.append(r)
        print(f"N={n}: done in {r['wall_s']:.0f} s", flush=True)
    cache.cleanup()
    report = summarise(results, args)
    print(report)
    if args.json:
        args.json.write_text(json.dumps({"args": {k: str(v) for k, v in vars(args).items()},
                                         "results": results}, indent=1), encoding="utf-8")
    return 1 if any(r["errors"] for r in results) else 0


if __name__ == "__main__":
    sys.exit(main())
