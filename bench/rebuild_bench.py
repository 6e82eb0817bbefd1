"""Whole-site rebuilds with a previous build in place: how long `sitegen build`
takes when every page is re-rendered, and what it asks of the disk.

    .venv/bin/python bench/rebuild_bench.py [N] [--rounds K] [--baseline CHECKOUT]

On a corpus of N wards (bench/corpus.py; default 2,000), after a first build,
K rounds (default 3) of:
- "same bytes": an override of the theme's base template that differs only by a
  comment, so every page is re-rendered and comes out as it was (as after a
  sitegen upgrade);
- "new colour": a new brand colour, so the stylesheet and every page change.
Each build is a separate `sitegen build` process; figures are medians.  With
--baseline, another checkout's sitegen builds its own copy of the corpus too,
taking turns with this one (before and after under the same conditions).
"""
from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import tool_env, write_corpus  # noqa: E402

SITEGEN = Path(sys.executable).parent / "sitegen"
THEME_BASE = Path(__file__).resolve().parent.parent / "sitegen/theme/templates/base.html"


def timed_build(site: Path, python_path: str) -> float:
    """Wall seconds of one `sitegen build` of SITE (PYTHON_PATH: another checkout's code)."""
    os.sync()
    time.sleep(1)
    env = tool_env() | ({"PYTHONPATH": python_path} if python_path else {})
    started = time.perf_counter()
    subprocess.run([str(SITEGEN), "build", "--site", str(site), "--build-date", "2026-11-28"],
                   check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def same_bytes(site: Path, round_number: int) -> None:
    """Override base.html with the theme's own plus a comment: every page re-renders to the same bytes."""
    (site / "templates").mkdir(exist_ok=True)
    (site / "templates/base.html").write_text(f"{{# round {round_number} #}}" + THEME_BASE.read_text())


def new_colour(site: Path, round_number: int) -> None:
    """A new brand colour: the stylesheet and every page that links it change."""
    config = site / "site.yaml"
    text = config.read_text().split("\ncolours:\n")[0].rstrip("\n")
    config.write_text(f'{text}\ncolours:\n  brand: "#{0x204060 + 0x10101 * round_number:06x}"\n')


def main() -> None:
    """Print the medians for this checkout (and the baseline)."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wards", nargs="?", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--baseline", default="", metavar="CHECKOUT")
    args = parser.parse_args()
    variants = {"this checkout": ""} | ({f"baseline {args.baseline}": args.baseline} if args.baseline else {})
    times: dict[str, dict[str, list[float]]] = {v: {"first build": [], "same bytes": [], "new colour": []}
                                                for v in variants}
    with tempfile.TemporaryDirectory() as tmp:
        sites = {}
        for number, (name, path) in enumerate(variants.items()):
            sites[name] = Path(tmp) / f"site-{number}"
            write_corpus(sites[name], args.wards)
            times[name]["first build"].append(timed_build(sites[name], path))
        for round_number in range(1, args.rounds + 1):
            for name, path in variants.items():
                same_bytes(sites[name], round_number)
                times[name]["same bytes"].append(timed_build(sites[name], path))
                new_colour(sites[name], round_number)
                times[name]["new colour"].append(timed_build(sites[name], path))
    print(f"{args.wards} wards; seconds, medians of {args.rounds} rounds taking turns; {os.cpu_count()} cores")
    for name, kinds in times.items():
        cells = "  ".join(f"{kind} {statistics.median(found):6.2f}" for kind, found in kinds.items())
        print(f"  {name:<40} {cells}")


if __name__ == "__main__":
    main()
