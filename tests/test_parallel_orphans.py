"""A build killed outright (SIGKILL, which it cannot catch) leaves no worker process behind:
each notices its parent is gone and stops, rather than waiting for work for ever."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

# Forks workers through sitegen.parallel, each of which notes its pid and then works for a minute.
_BUILD = """
import os, sys, time
from sitegen.parallel import parallel_map
folder = sys.argv[1]
def task(item):
    open(os.path.join(folder, str(os.getpid())), "w").close()
    time.sleep(60)
    return item
for _ in parallel_map(task, list(range(8)), 2, min_items=1):
    pass
"""


def _alive(pid: int) -> bool:
    """Whether PID is running (a zombie, stopped and not yet reaped, is not)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rpartition(")")[2].split()[0] != "Z"


def test_workers_of_a_killed_build_stop(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", _BUILD, str(tmp_path)])
    try:
        deadline = time.monotonic() + 30
        while len(os.listdir(tmp_path)) < 2 and time.monotonic() < deadline:
            time.sleep(0.05)
        workers = [int(name) for name in os.listdir(tmp_path)]
        assert len(workers) == 2, "both workers started"
        parent.send_signal(signal.SIGKILL)
        parent.wait()
        deadline = time.monotonic() + 10
        while any(_alive(pid) for pid in workers) and time.monotonic() < deadline:
            time.sleep(0.1)
        assert not any(_alive(pid) for pid in workers), "a worker outlived its killed parent"
    finally:
        parent.kill()
        for name in os.listdir(tmp_path):
            try:
                os.kill(int(name), signal.SIGKILL)
            except ProcessLookupError:
                pass
