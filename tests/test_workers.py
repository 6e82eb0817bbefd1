"""Issue 16: work handed to forked worker processes (sitegen.parallel).

Results come back in order, an exception raised in a worker reaches the caller
unchanged, and a worker that dies (kill -9, the OOM killer) fails the run at
once with ServiceError (exit 3) instead of leaving the build waiting forever,
with build/ left as it was.
"""
from __future__ import annotations

import hashlib
import multiprocessing
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from conftest import BUILD_DATE, SITES
from sitegen.errors import EXIT_SERVICE, Problem, ServiceError, SitegenError
from sitegen.parallel import WORKER_DIED, parallel_map

PARENT = os.getpid()


@contextmanager
def deadline(seconds: float) -> Iterator[None]:
    """Fail the block with TimeoutError after SECONDS, so a hang cannot stall the suite."""
    def expire(signum, frame):
        raise TimeoutError(f"still running after {seconds} s")
    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def die_at(target: int):
    """A task that returns its item, except that its worker SIGKILLs itself at TARGET."""
    def task(item: int) -> int:
        if item == target and os.getpid() != PARENT:
            os.kill(os.getpid(), signal.SIGKILL)
        return item
    return task


# --- the library ------------------------------------------------------------------------

def test_results_come_back_in_order_from_forked_workers():
    with deadline(20):
        results = list(parallel_map(lambda item: (item * item, os.getpid()), range(3000), jobs=2))
    assert [square for square, _ in results] == [item * item for item in range(3000)]
    assert PARENT not in {pid for _, pid in results}   # the work was done in workers


def test_few_items_or_one_job_run_here_without_importing_multiprocessing():
    assert set(parallel_map(lambda _: os.getpid(), range(500), jobs=1)) == {PARENT}
    assert set(parallel_map(lambda _: os.getpid(), range(10), jobs=4)) == {PARENT}
    script = ("import sys; from sitegen.parallel import parallel_map;"
              " assert list(parallel_map(str, range(10), 4)) == [str(i) for i in range(10)];"
              " print(sorted(m for m in sys.modules if m.startswith(('multiprocessing', 'concurrent'))))")
    shown = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=30, check=True)
    assert shown.stdout.strip() == "[]"


def test_a_killed_worker_is_a_service_error_promptly():
    started = time.monotonic()
    with deadline(20), pytest.raises(ServiceError) as raised:
        list(parallel_map(die_at(1234), range(3000), jobs=2))
    assert time.monotonic() - started < 10
    assert raised.value.exit_code == EXIT_SERVICE
    assert raised.value.problems == [Problem("sitegen", 0, 0, WORKER_DIED)]
    assert multiprocessing.active_children() == []   # the other worker is gone too
    # and the next run forks afresh
    with deadline(20):
        assert list(parallel_map(lambda item: item + 1, range(300), jobs=2)) == list(range(1, 301))


def test_an_error_in_a_worker_reaches_the_caller_unchanged():
    problem = Problem("templates/page.html", 3, 0, "template error while making about/index.html")

    def bad_template(item: int) -> int:
        if item == 250:
            raise SitegenError([problem])
        return item

    with deadline(20), pytest.raises(SitegenError) as raised:
        list(parallel_map(bad_template, range(1000), jobs=2))
    assert type(raised.value) is SitegenError and raised.value.exit_code == 1
    assert raised.value.problems == [problem]

    def bug(item: int) -> int:
        raise KeyError(f"item {item}")

    with deadline(20), pytest.raises(KeyError, match="item 0"):
        list(parallel_map(bug, range(1000), jobs=2))


# --- sitegen build ----------------------------------------------------------------------

# Runs `sitegen ARGS...` with one worker SIGKILLing itself: while rendering the
# output at build path TARGET, or while loading the area folder named TARGET.
KILLING_SITEGEN = """
import os, signal, sys
from sitegen.build import writeout
from sitegen.content import arealoader

parent = os.getpid()
stage, target = sys.argv[1:3]

def dying(original, at):
    def wrapper(ctx, thing, *rest):
        if os.getpid() != parent and at(thing) == target:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(ctx, thing, *rest)
    return wrapper

if stage == "render":
    writeout.render_located = dying(writeout.render_located, lambda output: output.path)
else:
    arealoader.load_area_folder = dying(arealoader.load_area_folder, lambda folder: folder.name)
from sitegen.cli import main
sys.argv = ["sitegen", *sys.argv[3:]]
main()
"""


@pytest.fixture(scope="module")
def many_areas(tmp_path_factory) -> Path:
    """The minimal site with 210 more areas (enough for loading and rendering to fork), built once."""
    site = tmp_path_factory.mktemp("workers") / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    for index in range(210):
        folder = site / "content/areas" / f"ward-{index}"
        folder.mkdir(parents=True)
        (folder / "area.yaml").write_text(f"name: Ward {index}\nborough: Testshire\n")
    subprocess.run([sys.executable, "-m", "sitegen.cli", "build", "--site", str(site), "--build-date", BUILD_DATE,
                    "--jobs", "1"], capture_output=True, timeout=60, check=True)
    # The next build would change every page, if it finished.
    site_yaml = site / "site.yaml"
    site_yaml.write_text(site_yaml.read_text().replace("name: ", "name: Renamed ", 1))
    return site


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.mark.parametrize(("stage", "target", "clean"), [
    ("load", "ward-150", ["--clean"]),   # else the areas come from the area cache
    ("render", "areas/ward-150/index.html", ["--clean"]),
    ("render", "areas/ward-150/index.html", []),   # rendered aside, to update build/ in place
])
def test_a_build_whose_worker_dies_exits_3_and_leaves_build_as_it_was(many_areas, stage, target, clean):
    before = snapshot(many_areas / "build")
    args = ["build", "--site", str(many_areas), "--build-date", BUILD_DATE, "--jobs", "2", *clean]
    result = subprocess.run([sys.executable, "-c", KILLING_SITEGEN, stage, target, *args],
                            capture_output=True, text=True, timeout=60)
    assert (result.returncode, result.stderr, result.stdout) == (EXIT_SERVICE, f"sitegen: {WORKER_DIED}\n", "")
    assert snapshot(many_areas / "build") == before
    assert [name for name in os.listdir(many_areas) if name.startswith(".build.")] == []
