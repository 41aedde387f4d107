"""Serve notebooks/dashboard.ipynb with Voila on this machine only, behind a fresh random token.

    make dashboard            (or: .venv/bin/python scripts/serve_dashboard.py [--port 8866])

Prints the link to open (it carries the token). Anyone who can reach the port and has the token
can run code in the dashboard's kernel, so the server listens on 127.0.0.1 only and the token is
new on every start; authentication is never turned off. Uses Voila's default 'lab' template,
which works offline (only Font Awesome button icons come from a CDN; the dashboard has no
buttons). Ctrl+C stops it.
"""

from __future__ import annotations

import argparse
import os
import secrets
import socket
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DASHBOARD = ROOT / "notebooks" / "dashboard.ipynb"


def free_port(preferred: int) -> int:
    """``preferred`` if nothing listens there, else any free port."""
    for port in (preferred, 0):
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
            return s.getsockname()[1]
    raise RuntimeError("no free port on 127.0.0.1")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=8866, help="port to try first (default 8866)")
    args = parser.parse_args(argv)
    if not DASHBOARD.exists():
        sys.exit(f"{DASHBOARD} not found")
    port = free_port(args.port)
    token = secrets.token_urlsafe(24)
    command = [sys.executable, "-m", "voila", DASHBOARD.name, "--no-browser", f"--port={port}",
               "--Voila.ip=127.0.0.1", f"--token={token}"]
    print(f"Dashboard: http://127.0.0.1:{port}/?token={token}\n"
          "(open this link in a browser on this machine; Ctrl+C stops the server)", flush=True)
    os.chdir(DASHBOARD.parent)  # the kernel runs beside the notebook, like in Lab
    os.execv(sys.executable, command)  # Voila takes over this process: Ctrl+C reaches it


if __name__ == "__main__":
    sys.exit(main())
