"""Issue 15, the build's side of classes A, B and E.

A: a template override naming a template that does not exist is a located
   problem; a disk that is full or read-only is exit 3 naming the path, with
   the previous build/ left as it was.
B: builds killed part-way leave nothing behind once another build has run,
   and a running build's staging folder is never removed by another.
E: build/ exists and is a whole build at every instant, also while builds are
   killed at random points; a rerun converges on what a clean build makes.
"""
from __future__ import annotations

import errno
import hashlib
import os
import random
import resource
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.build.checks import check_templates
from sitegen.build.staging import clean_leftovers, sibling, staging, swap_into_place
from sitegen.fileio import file_system_failure
from sitegen.outputfolder import BUILD_MARKER
from sitegen.render import make_environment


def snapshot(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def leftovers(folder: Path) -> list[str]:
    return sorted(name for name in os.listdir(folder) if name.startswith(".build."))


def sitegen(*args: str, preexec=None, **kwargs) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "sitegen.cli", *args], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, preexec_fn=preexec, **kwargs)


def build_args(site: Path, *extra: str) -> list[str]:
    return ["build", "--site", str(site), "--build-date", BUILD_DATE, *extra]


# --- A: templates -----------------------------------------------------------------------

TEMPLATE_NAME = st.from_regex(r"[a-z][a-z0-9_]{0,12}(/[a-z][a-z0-9_]{0,8})?\.html", fullmatch=True)
REFERENCES = {
    "extends": '{{% extends "{}" %}}',
    "includes": '{{% include "{}" %}}',
    "imports": '{{% import "{}" as things %}}',
    "from": '{{% from "{}" import thing %}}',
}


@settings(max_examples=25, deadline=None)
@given(name=TEMPLATE_NAME, kind=st.sampled_from(sorted(REFERENCES)), blank_lines=st.integers(0, 5),
       override=st.sampled_from(["page.html", "partials/extra.html"]))
def test_a_missing_template_is_a_located_problem(tmp_path_factory, name, kind, blank_lines, override):
    root = tmp_path_factory.mktemp("site")
    path = root / "templates" / override
    path.parent.mkdir(parents=True)
    path.write_text("\n" * blank_lines + REFERENCES[kind].format("missing-" + name) + "\n")
    problems = check_templates(root, make_environment(root))
    verb = "imports" if kind == "from" else kind
    assert [str(p) for p in problems] == [
        f"templates/{override}:{blank_lines + 1}: {verb} 'missing-{name}', which does not exist;"
        f" create templates/missing-{name} or use the name of a theme template"]


def test_templates_that_exist_or_are_named_at_render_time_are_not_problems(tmp_path):
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates/page.html").write_text(
        '{% extends "base.html" %}{% block content %}{% include "own.html" %}'
        '{% include "gone.html" ignore missing %}{% include name_from_context %}{% endblock %}')
    (tmp_path / "templates/own.html").write_text("own")
    assert check_templates(tmp_path, make_environment(tmp_path)) == []


@pytest.mark.parametrize("body, expected", [
    ('{% extends "base.html" %}\n{% block content %}\n{% include "missing.html" %}\n{% endblock %}',
     "templates/page.html:3: includes 'missing.html', which does not exist"),
    ('{% extends "base.html" %}\n{% block content %}\n{% if %}\n{% endblock %}',
     "templates/page.html:3: template: Expected an expression"),
    ('{% extends "base.html" %}\n{% block content %}\n{{ no_such_name }}\n{% endblock %}',
     "templates/page.html:3: template error while making about/index.html: 'no_such_name' is undefined"),
    # What a template's own code raises, each a class of mistake: a value of the wrong kind given
    # to a function or an operator, a sum that cannot be done, a missing key or method.
    ('{% extends "base.html" %}\n{% block content %}\n{{ url(page.nothing or none) }}\n{% endblock %}',
     "templates/page.html:3: template error while making about/index.html: TypeError: url() takes an"
     " address as text, not NoneType"),
    ('{% extends "base.html" %}\n{% block content %}\n\n{{ "x" in 3 }}\n{% endblock %}',
     "templates/page.html:4: template error while making about/index.html: TypeError: "),
    ('{% extends "base.html" %}\n{% block content %}\n{{ 1 // 0 }}\n{% endblock %}',
     "templates/page.html:3: template error while making about/index.html: ZeroDivisionError: "),
    ('{% extends "base.html" %}\n{% block content %}\n{{ {"a": 1}.pop("b") }}\n{% endblock %}',
     "templates/page.html:3: template error while making about/index.html: KeyError: 'b'"),
    ('{% extends "base.html" %}\n{% block content %}\n{{ page.url.index("?") }}\n{% endblock %}',
     "templates/page.html:3: template error while making about/index.html: ValueError: substring not found"),
])
def test_template_mistakes_stop_the_build_with_a_location(make_site, body, expected):
    site = make_site("minimal")
    (site / "templates").mkdir()
    (site / "templates/page.html").write_text(body)
    result = sitegen(*build_args(site))
    _, err = result.communicate(timeout=60)
    assert result.returncode == 1 and err.startswith(expected), err
    assert "Traceback" not in err


# --- A: the disk --------------------------------------------------------------------------

def _limit_file_size(limit: int):
    def apply() -> None:
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))   # writes past it fail with EFBIG
    return apply


def assert_outside_failure(result: subprocess.Popen, err: str, where: str | tuple[str, ...]) -> None:
    assert result.returncode == 3, err
    assert "Traceback" not in err
    assert err.startswith(where) and "cannot write: " in err, err


def test_a_file_size_limit_mid_build_is_exit_3_and_keeps_the_previous_build(make_site):
    site = make_site("minimal")
    assert run_cli(*build_args(site)).exit_code == 0
    before = snapshot(site / "build")
    (site / "content/pages/about.md").write_text((site / "content/pages/about.md").read_text() + "\nMore.\n")
    result = sitegen(*build_args(site, "--clean"), preexec=_limit_file_size(2048), cwd=site)
    _, err = result.communicate(timeout=60)
    # Whichever comes first past 2 KB: a page being staged, or the area cache, saved as the pages render.
    assert_outside_failure(result, err, (".build.staging-", ".cache/build/areas/"))
    assert "no room left to write it" in err
    assert snapshot(site / "build") == before
    assert leftovers(site) == []


# Mounting needs root: CI and the project's machines run as root; elsewhere sudo, as the Makefile's apt step.
AS_ROOT = [] if os.geteuid() == 0 else ["sudo", "-n"]


def _mount(*args: str) -> None:
    result = subprocess.run([*AS_ROOT, "mount", *args], capture_output=True, text=True, check=False)
    assert result.returncode == 0, f"mount {' '.join(args)} failed (needs root or sudo): {result.stderr}"


@pytest.fixture
def small_disk(tmp_path):
    """A real 1 MiB tmpfs, so a build meets ENOSPC from the kernel itself."""
    disk = tmp_path / "disk"
    disk.mkdir()
    _mount("-t", "tmpfs", "-o", "size=1m", "tmpfs", str(disk))
    yield disk
    subprocess.run([*AS_ROOT, "umount", "-l", str(disk)], check=False)


def test_a_full_disk_mid_build_is_exit_3_and_keeps_the_previous_build(make_site, small_disk, tmp_path):
    site = make_site("minimal")
    out, state = small_disk / "build", tmp_path / "state"
    args = build_args(site, "--out", str(out), "--state", str(state))
    assert run_cli(*args).exit_code == 0
    before = snapshot(out)
    free = os.statvfs(small_disk)
    (small_disk / "filler").write_bytes(b"x" * (free.f_bavail * free.f_frsize - 64 * 1024))
    result = sitegen(*args, "--clean", cwd=tmp_path)
    _, err = result.communicate(timeout=60)
    assert_outside_failure(result, err, "disk/.build.staging-")   # relative to the current folder
    assert "no room left to write it" in err
    assert snapshot(out) == before
    assert leftovers(small_disk) == []


def test_a_read_only_disk_is_exit_3(make_site, small_disk, tmp_path):
    site = make_site("minimal")
    out = small_disk / "build"
    args = build_args(site, "--out", str(out), "--state", str(tmp_path / "state"))
    assert run_cli(*args).exit_code == 0
    before = snapshot(out)
    _mount("-o", "remount,ro", str(small_disk))
    result = sitegen(*args, "--clean", cwd=tmp_path)
    _, err = result.communicate(timeout=60)
    assert_outside_failure(result, err, "disk/")
    assert "the file system is read-only" in err
    assert snapshot(out) == before


# --- B: leftovers of dead builds, and builds at once -------------------------------------

def test_a_running_builds_staging_is_kept_and_a_dead_ones_is_removed(tmp_path):
    out = tmp_path / "build"
    out.mkdir()
    dead = [sibling(out, "staging", "4000000-dead"), sibling(out, "old", "4000001-dead")]
    for folder in dead:
        (folder / "areas").mkdir(parents=True)
    sibling(out, "lock", "4000000-dead").touch()          # a lock file nobody holds
    with staging(out) as running:
        (running / "index.html").write_text("being built")
        # Another build, in another process, stages beside this one while it runs.
        script = ("import sys; from pathlib import Path; from sitegen.build.staging import staging\n"
                  "with staging(Path(sys.argv[1])) as s: (s / 'x').write_text('x')")
        result = subprocess.run([sys.executable, "-c", script, str(out)],
                                capture_output=True, text=True, timeout=60, check=False)
        assert result.returncode == 0, result.stderr
        assert (running / "index.html").read_text() == "being built"
        assert not any(folder.exists() for folder in dead)
        assert sorted(leftovers(tmp_path)) == sorted([running.name, running.name.replace("staging", "lock")])
    assert leftovers(tmp_path) == []


def test_builds_at_once_all_finish_and_leave_one_whole_build(make_site, tmp_path):
    site = make_site("minimal")
    assert run_cli(*build_args(site)).exit_code == 0
    with Watcher(site / "build") as watcher:
        running = [sitegen(*build_args(site, "--clean")) for _ in range(2)]
        outcomes = [(process.wait(timeout=120), process.stderr.read()) for process in running]
    assert outcomes == [(0, "")] * 2 and watcher.gaps == 0
    clean = tmp_path / "clean"
    assert run_cli(*build_args(site, "--out", str(clean), "--state", str(tmp_path / "state"))).exit_code == 0
    assert snapshot(site / "build") == snapshot(clean)
    assert leftovers(site) == []


def test_a_build_with_nothing_to_do_still_clears_dead_builds_leftovers(make_site):
    site = make_site("minimal")
    assert run_cli(*build_args(site)).exit_code == 0
    for kind in ("staging", "old"):
        (sibling(site / "build", kind, "4200000-dead") / "areas").mkdir(parents=True)
    result = run_cli(*build_args(site))
    assert ", 0 rendered)" in result.output and leftovers(site) == []


@settings(max_examples=25, deadline=None)
@given(kinds=st.lists(st.sets(st.sampled_from(["staging", "old"]), min_size=1), min_size=1, max_size=4),
       with_lock=st.lists(st.booleans(), min_size=4, max_size=4), out_exists=st.booleans())
def test_clean_leftovers_removes_every_dead_build(tmp_path_factory, kinds, with_lock, out_exists):
    parent = tmp_path_factory.mktemp("p")
    out = parent / "build"
    if out_exists:
        (out / "current").mkdir(parents=True)
    for number, found in enumerate(kinds):
        token = f"{4100000 + number}-dead"
        for kind in found:
            (sibling(out, kind, token) / kind).mkdir(parents=True)
        if with_lock[number]:
            sibling(out, "lock", token).touch()
    clean_leftovers(out)
    assert leftovers(parent) == []
    olds = [n for n, found in enumerate(kinds) if "old" in found]
    if out_exists:
        assert (out / "current").is_dir()
    elif olds:    # a build killed between the two renames of the fallback swap: its old tree is put back
        assert (out / "old").is_dir()


def test_the_fallback_swap_killed_between_renames_is_put_right(tmp_path):
    out = tmp_path / "build"
    (out / "whole").mkdir(parents=True)
    # A build whose first rename of the fallback swap is its last act: it dies there.
    script = ("import os, sys; from pathlib import Path; from sitegen.build.staging import sibling, staging\n"
              "out = Path(sys.argv[1])\n"
              "with staging(out) as stage:\n"
              "    os.rename(out, sibling(out, 'old', stage.name.rsplit('staging-', 1)[1]))\n"
              "    os._exit(0)\n")
    subprocess.run([sys.executable, "-c", script, str(out)], check=True, timeout=60)
    assert not out.exists() and len(leftovers(tmp_path)) == 3     # staging, old and the lock
    clean_leftovers(out)
    assert (out / "whole").is_dir() and leftovers(tmp_path) == []


def test_swap_exchanges_whole_trees(tmp_path):
    out = tmp_path / "build"
    (out / "old.html").parent.mkdir()
    (out / "old.html").write_text("old")
    with staging(out) as stage:
        (stage / "new.html").write_text("new")
        swap_into_place(stage, out)
        assert sorted(os.listdir(out)) == [BUILD_MARKER, "new.html"]   # every stage starts marked as a build
    assert leftovers(tmp_path) == []


# --- E: killed builds -----------------------------------------------------------------------

class Watcher:
    """Checks, as often as it can while builds run, that build/ and its home page exist."""

    def __init__(self, out: Path):
        self.out, self.stop, self.gaps, self.looks = out, threading.Event(), 0, 0
        self.thread = threading.Thread(target=self.run, daemon=True)

    def run(self) -> None:
        while not self.stop.is_set():
            self.looks += 1
            if not os.path.isfile(os.path.join(self.out, "index.html")):
                self.gaps += 1
            time.sleep(0.0002)

    def __enter__(self) -> Watcher:
        self.thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.stop.set()
        self.thread.join()


def kill_at(args: list[str], seconds: float) -> int | None:
    """Start `sitegen ARGS`, SIGKILL it after SECONDS; its exit code if it finished first."""
    process = sitegen(*args)
    try:
        process.wait(timeout=seconds)
    except subprocess.TimeoutExpired:
        process.send_signal(signal.SIGKILL)
        process.wait()
        return None
    return process.returncode


@pytest.mark.parametrize("seed", [1, 2])
def test_killed_builds_always_leave_a_whole_build_and_a_rerun_converges(make_site, tmp_path, seed):
    chance = random.Random(seed)
    site = make_site("minimal")
    assert run_cli(*build_args(site)).exit_code == 0
    about = site / "content/pages/about.md"
    with Watcher(site / "build") as watcher:
        for step in range(3):
            about.write_text(about.read_text() + f"\nEdit {seed}-{step}.\n")
            extra = ("--clean",) if chance.random() < 0.5 else ()
            kill_at(build_args(site, *extra), chance.uniform(0.05, 1.0))
            assert (site / "build/index.html").is_file()
    assert watcher.gaps == 0 and watcher.looks > 100
    assert run_cli(*build_args(site)).exit_code == 0
    clean = tmp_path / "clean"
    assert run_cli(*build_args(site, "--out", str(clean), "--state", str(tmp_path / "clean-state"))).exit_code == 0
    assert snapshot(site / "build") == snapshot(clean)
    assert leftovers(site) == []


def test_killed_clean_builds_leave_the_previous_build_whole(make_site):
    """A cold build writes a whole new tree and exchanges it in: killed anywhere,
    build/ is the whole old build or the whole new one (the same, here)."""
    site = make_site("minimal")
    assert run_cli(*build_args(site)).exit_code == 0
    before = snapshot(site / "build")
    chance = random.Random(15)
    with Watcher(site / "build") as watcher:
        for _ in range(4):
            kill_at(build_args(site, "--clean"), chance.uniform(0.1, 1.0))
            assert snapshot(site / "build") == before
    assert watcher.gaps == 0
    assert run_cli(*build_args(site)).exit_code == 0
    assert leftovers(site) == []


@pytest.mark.parametrize("code", [errno.ENOSPC, errno.EDQUOT, errno.EFBIG, errno.EROFS, errno.EACCES, errno.EPERM,
                                  errno.EIO, errno.ENOTDIR, errno.EEXIST])
def test_every_file_system_failure_names_the_path_and_exits_3(code):
    error = file_system_failure(OSError(code, os.strerror(code), "/srv/site/build/index.html"))
    assert error.exit_code == 3
    [problem] = error.problems
    assert problem.path == "/srv/site/build/index.html"
    assert problem.message.endswith("then build again (the previous build is untouched)")
    if code in (errno.ENOSPC, errno.EDQUOT, errno.EFBIG):
        assert problem.message.startswith("cannot write: there is no room left")
