"""How long rebuilding after a one-area edit takes, and where the time goes.

    .venv/bin/python bench/edit_bench.py [N] [--rounds K]     (default: 2000 wards, 7 rounds)

On a corpus of N wards (bench/corpus.py), after one cold build:
- K no-change and K one-area-edit rebuilds, each a `sitegen build` process
  (wall time, median and range);
- K one-area-edit rebuilds inside one process, as `sitegen serve` makes them
  (no start-up, nothing to import), split by phase (medians).
"""
from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import tool_env, write_corpus  # noqa: E402

SITEGEN = Path(sys.executable).parent / "sitegen"
DAY = "2026-11-28"
EDITED = "content/areas/ward-7/news/news-1.md"


def edit(site: Path) -> None:
    """What an editor does: one more line in one ward's news page."""
    with (site / EDITED).open("a") as handle:
        handle.write("\nOne more sentence from an editor.\n")


def process_build(site: Path) -> float:
    """Wall seconds of one `sitegen build` process."""
    started = time.perf_counter()
    subprocess.run([str(SITEGEN), "build", "--site", str(site), "--build-date", DAY],
                   check=True, stdout=subprocess.DEVNULL, env=tool_env())
    return time.perf_counter() - started


def in_process_rounds(site: Path, rounds: int) -> tuple[list[float], dict[str, list[float]]]:
    """One-area edits rebuilt in this process; total seconds and seconds by phase (as the
    build's Reporter times them), per round."""
    from sitegen.build import Reporter, build
    totals, phases = [], defaultdict(list)
    for _ in range(rounds):
        edit(site)
        reporter = Reporter()
        started = time.perf_counter()
        build(site, site / "build", date.fromisoformat(DAY), reporter=reporter)
        totals.append(time.perf_counter() - started)
        assert reporter.selection is not None and not reporter.selection.whole, "a one-area edit reads one area"
        for phase, seconds in reporter.phases.items():
            phases[phase].append(seconds)
    return totals, phases


def summary(values: list[float]) -> str:
    return f"{statistics.median(values):6.3f} s  (range {min(values):.3f}-{max(values):.3f})"


def main() -> None:
    """Print the figures for one corpus size."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wards", nargs="?", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        site = Path(tmp)
        write_corpus(site, args.wards)
        cold = process_build(site)
        same, edits = [], []
        for _ in range(args.rounds):
            same.append(process_build(site))
            edit(site)
            edits.append(process_build(site))
        totals, phases = in_process_rounds(site, args.rounds)
    print(f"{args.wards} wards; cold build {cold:.2f} s; medians of {args.rounds} rounds")
    print(f"  no-change rebuild, sitegen build process    {summary(same)}")
    print(f"  one-area edit, sitegen build process        {summary(edits)}")
    print(f"  one-area edit, in one process (as serve)    {summary(totals)}")
    for phase, seconds in phases.items():   # in the order the pipeline runs them
        print(f"    {phase:<52} {statistics.median(seconds):.3f} s")


if __name__ == "__main__":
    main()
