"""JupyterHub for one class on one Linux server (plain JupyterHub, no Kubernetes).

Each student logs in with a Linux account of the group ``students`` and gets a JupyterLab server of
their own, run as that user by systemd with a memory and CPU limit, in their own home folder. The
lessons reach each home through an nbgitpuller link (deploy/README.md); a student's edits stay.

Install (deploy/README.md has every step):
    python3 -m venv /opt/balkan && /opt/balkan/bin/pip install '/path/to/repo[hub]'
    npm install -g configurable-http-proxy
    /opt/balkan/bin/jupyterhub -f /path/to/repo/deploy/jupyterhub_config.py

The limits below come from ``make bench-class`` (README, "Serving a whole class"): a student's
kernel and server peak near the memory per student measured there; see deploy/README.md for how
to size the server.

tests/browser/test_hub.py starts a real JupyterHub with this file (``load_subconfig``) and only
swaps what a test machine cannot have: system accounts and systemd (it uses throwaway users in
temporary home folders instead), and the public address.
"""

import sys
from pathlib import Path

c = get_config()  # noqa: F821 - provided by JupyterHub when it loads this file

BIN = Path(sys.executable).parent  # the environment JupyterHub runs in serves the lessons too

# -- where the hub listens: loopback, behind a reverse proxy that terminates TLS (nginx, Caddy).
#    Never serve it over plain http on a public address.
c.JupyterHub.bind_url = "http://127.0.0.1:8000"
c.JupyterHub.hub_ip = "127.0.0.1"
c.ConfigurableHTTPProxy.command = ["configurable-http-proxy"]
c.JupyterHub.cookie_secret_file = "/srv/jupyterhub/jupyterhub_cookie_secret"
c.JupyterHub.db_url = "sqlite:////srv/jupyterhub/jupyterhub.sqlite"

# -- who may log in: Linux accounts (PAM) in the group "students", and the teacher as admin
c.LocalAuthenticator.allowed_groups = {"students"}
c.Authenticator.admin_users = {"teacher"}

# -- one server per student, as that student, with limits (jupyterhub-systemdspawner)
c.JupyterHub.spawner_class = "systemdspawner.SystemdSpawner"
c.Spawner.cmd = [str(BIN / "jupyterhub-singleuser")]
c.Spawner.default_url = "/lab"
c.Spawner.mem_limit = "1G"  # a lesson's kernel and its server peak well below; see README
c.Spawner.cpu_limit = 1.0  # one student never takes more than one core
c.SystemdSpawner.isolate_tmp = True
c.SystemdSpawner.isolate_devices = True
# every student's server also reads deploy/jupyter/: kernels left idle 20 minutes are shut down
# (a student who opened five lessons would otherwise keep five kernels of about 150 MiB each),
# and JupyterLab skips its "is the build up to date?" check at each first page load (about
# 0.5 s of CPU per student, for a build no student can change)
c.Spawner.environment = {"JUPYTER_CONFIG_PATH": str(Path(__file__).resolve().parent / "jupyter")}
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 60

# -- how many at once: beyond this the hub asks a student to wait instead of slowing everyone
c.JupyterHub.active_server_limit = 30
c.JupyterHub.concurrent_spawn_limit = 10

# -- stop servers idle for an hour (a closed laptop keeps a kernel's memory otherwise)
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler", "--timeout=3600",
                "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
