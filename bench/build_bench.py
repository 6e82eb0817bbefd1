"""Print how fast `sitegen build` is on generated corpora.

    .venv/bin/python bench/build_bench.py [N ...]     (default: 200 2000)

For each N: pages written, seconds, pages per second and peak RSS of a cold
build, run as a separate process so its memory is its own."""
from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from corpus import tool_env, write_corpus  # noqa: E402

SITEGEN = Path(sys.executable).parent / "sitegen"


def timed_build(site: Path) -> tuple[float, int, str]:
    """Run one build; return seconds, the child's peak RSS in KB and its output."""
    started = time.perf_counter()
    done = subprocess.run([str(SITEGEN), "build", "--site", str(site), "--build-date", "2026-11-28"],
                          capture_output=True, text=True, check=True, env=tool_env())
    seconds = time.perf_counter() - started
    return seconds, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss, done.stdout


def main(sizes: list[int]) -> None:
    """Build each corpus size once and print a table."""
    print(f"{'wards':>7} {'pages':>7} {'seconds':>8} {'pages/s':>8} {'peak RSS MB':>12}")
    for wards in sizes:
        with tempfile.TemporaryDirectory() as tmp:
            site = Path(tmp)
            write_corpus(site, wards)
            seconds, rss_kb, output = timed_build(site)
            pages = int(output.split()[1])
            print(f"{wards:>7} {pages:>7} {seconds:>8.2f} {pages / seconds:>8.0f} {rss_kb / 1024:>12.0f}")


if __name__ == "__main__":
    main([int(n) for n in sys.argv[1:]] or [200, 2000])
