"""decap-server beside `make serve` (sitegen/devserver.py), so the admin at
http://127.0.0.1:8000/admin/ edits the files on this machine.

decap-server (npm, pinned in package.json) listens on 127.0.0.1 only, on site.yaml's
`admin: local_port` (default 8081, clear of the preview's 8000 and the receiver's free port).
It runs in its `fs` mode, which writes the files straight into content/ (the preview rebuilds
them at once) and never touches git; SITEGEN_DECAP_MODE=git runs its `git` mode instead, where
the editorial workflow works as on GitHub: a branch per draft, merged into the current one on
publish (it switches branches in this folder and commits everything there: use it in a clean clone).
"""
from __future__ import annotations

import os
import shutil
import subprocess
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from ..config import load_config
from ..errors import SitegenError
from ..localserver import port_is_free

DECAP_SERVER = Path(__file__).resolve().parents[2] / "node_modules" / "decap-server" / "dist" / "index.js"
HOST = "127.0.0.1"
MODE_VARIABLE = "SITEGEN_DECAP_MODE"


def start_local_backend(root: Path) -> subprocess.Popen | None:
    """Start decap-server for the site at ROOT, or say in one line why not and return None
    (no admin in site.yaml, site.yaml unreadable, no node or decap-server, the port busy)."""
    try:
        admin = load_config(root).admin
    except SitegenError:
        return None                     # the preview shows site.yaml's problems
    if not admin.enabled:
        return None
    node = shutil.which("node")
    if node is None or not DECAP_SERVER.is_file():
        print("The admin's local backend needs decap-server: run 'make assets' (it installs it with npm).")
        return None
    if not port_is_free(admin.local_port, HOST):
        print(f"Port {admin.local_port} on {HOST} is in use, so the admin's local backend (decap-server) is"
              " not started: stop what uses it, or set admin: local_port in site.yaml.")
        return None
    mode = "git" if os.environ.get(MODE_VARIABLE) == "git" else "fs"
    env = {**os.environ, "PORT": str(admin.local_port), "BIND_HOST": HOST, "MODE": mode,
           "GIT_REPO_DIRECTORY": str(root.resolve()), "LOG_LEVEL": "warn"}
    process = subprocess.Popen([node, str(DECAP_SERVER)], cwd=root, env=env, stdout=subprocess.DEVNULL)
    print(f"The admin's local backend (decap-server, {mode} mode) is on http://{HOST}:{admin.local_port}:"
          " open /admin/ on the preview and choose Login.")
    return process


@contextmanager
def local_backend(root: Path) -> Iterator[subprocess.Popen | None]:
    """decap-server for ROOT while the block runs (see start_local_backend), stopped after."""
    process = start_local_backend(root)
    try:
        yield process
    finally:
        if process is not None and process.poll() is None:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
