"""What a pull request's content check costs: `sitegen check --format github`, then a preview build.

    .venv/bin/python bench/pr_check_bench.py [--rounds K]

Times, as CI runs them on a fresh checkout (no .cache, no build/), the two steps the pull-request
workflows run after installing: the check that annotates the pull request's lines
(.github/workflows/content-check.yml) and the build of the preview
(`sitegen build --preview "pull request #1"`, .github/workflows/preview.yml; content-check.yml's
plain build costs the same). Two sites: the bundled example (a copy of this repository's site
files) and all 624 London wards, imported with `sitegen import-wards` and their boundaries from
data/london-wards.geojson as bench/finder_bench.py makes them. Each round starts cold (the copy's
.cache and the output folder removed), outputs on tmpfs; prints the median of K rounds (default 3)
of each step and of both together. Installing (pip, npm) is not timed: CI's caches decide it.
`--python-path DIR` runs the sitegen package found in DIR instead of this checkout's (a copy of a
commit, while others edit the working tree).
"""
from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from compare import BIN, timed  # noqa: E402
from finder_bench import make_site  # noqa: E402

SITE_PARTS = ("site.yaml", "content", "forms", "templates", "assets")   # what a build of the example reads
STEPS = ("check", "preview build")


def copy_example(folder: Path) -> None:
    """This repository's example site (its site files only, no .cache or build/) copied into FOLDER."""
    folder.mkdir(parents=True)
    for part in SITE_PARTS:
        source = ROOT / part
        if source.is_dir():
            shutil.copytree(source, folder / part)
        elif source.is_file():
            shutil.copy2(source, folder / part)


def commands(site: Path, out: Path) -> dict[str, list[str]]:
    """The workflow's two commands for SITE, the build writing into OUT."""
    sitegen = str(BIN / "sitegen")
    return {"check": [sitegen, "check", "--format", "github", "--site", str(site)],
            "preview build": [sitegen, "build", "--preview", "pull request #1", "--site", str(site),
                              "--out", str(out)]}


def one_round(site: Path, out: Path, python_path: str) -> dict[str, float]:
    """Seconds each step takes from cold: the site's .cache and OUT are removed first; PYTHON_PATH,
    when given, is put first on Python's path."""
    shutil.rmtree(site / ".cache", ignore_errors=True)
    shutil.rmtree(out, ignore_errors=True)
    return {step: timed(command, site, python_path).seconds for step, command in commands(site, out).items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--python-path", default="", help="a folder holding the sitegen package to time")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="pr-check-bench-"))
    outs = Path(tempfile.mkdtemp(prefix="pr-check-bench-", dir="/dev/shm"))
    try:
        sites = {"example site": work / "example", "624 London wards": work / "london"}
        copy_example(sites["example site"])
        make_site(sites["624 London wards"], boundaries=True)
        times: dict[str, dict[str, list[float]]] = {name: {s: [] for s in (*STEPS, "total")} for name in sites}
        for _ in range(args.rounds):
            for name, site in sites.items():
                found = one_round(site, outs / site.name, args.python_path)
                for step, seconds in found.items():
                    times[name][step].append(seconds)
                times[name]["total"].append(sum(found.values()))
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; cold (no .cache),"
              f" outputs on tmpfs; medians of {args.rounds}")
        for name, steps in times.items():
            print(f"  {name}")
            for step, found in steps.items():
                print(f"    {step:<14} {statistics.median(found):6.2f} s   ({', '.join(f'{t:.2f}' for t in found)})")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(outs, ignore_errors=True)


if __name__ == "__main__":
    main()
