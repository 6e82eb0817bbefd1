"""How quickly this disk makes a site's tree of files: the wall under every cold build.

    .venv/bin/python bench/disk_bench.py [N] [--rounds K] [--where FOLDER]

Writes the files a 2,000-ward sitegen build writes (N wards, default 2,000: a
ward page, a news index, four news pages, a feed and a calendar each, 12 KB
apiece, in the same folders), with one process and with two, K times each
(default 3), taking turns; prints each time and the medians.  No generator
runs: the figure is the file system's alone, to set beside bench/compare.py's.
"""
from __future__ import annotations

import argparse
import multiprocessing
import os
import shutil
import statistics
import tempfile
import time
from pathlib import Path

CONTENT = b"x" * 12_000


def site_paths(wards: int) -> list[str]:
    """The build paths of WARDS wards, as sitegen lays them out."""
    paths = []
    for ward in range(wards):
        base = f"areas/ward-{ward}"
        paths += [f"{base}/index.html", f"{base}/news/index.html", f"{base}/feed.xml", f"{base}/events.ics"]
        paths += [f"{base}/news/news-{n}/index.html" for n in range(4)]
    return paths


def write_all(target: str, paths: list[str]) -> None:
    """Write CONTENT at each of PATHS under TARGET, making each folder once."""
    made: set[str] = set()
    for path in paths:
        full = f"{target}/{path}"
        folder = os.path.dirname(full)
        if folder not in made:
            os.makedirs(folder, exist_ok=True)
            made.add(folder)
        handle = os.open(full, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        os.write(handle, CONTENT)
        os.close(handle)


def timed(target: Path, paths: list[str], writers: int) -> float:
    """Seconds to write PATHS under TARGET with WRITERS processes, synced to disk."""
    os.sync()
    time.sleep(1)
    started = time.perf_counter()
    if writers == 1:
        write_all(str(target), paths)
    else:
        size = -(-len(paths) // writers)
        context = multiprocessing.get_context("fork")
        workers = [context.Process(target=write_all, args=(str(target), paths[i * size:(i + 1) * size]))
                   for i in range(writers)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
    os.sync()
    seconds = time.perf_counter() - started
    shutil.rmtree(target)
    return seconds


def main() -> None:
    """Print the times for one and two writers."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("wards", nargs="?", type=int, default=2000)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--where", default=None, help="a folder on the disk to measure (default: the temp folder)")
    args = parser.parse_args()
    paths = site_paths(args.wards)
    times: dict[int, list[float]] = {1: [], 2: []}
    with tempfile.TemporaryDirectory(dir=args.where) as tmp:
        for _ in range(args.rounds):
            for writers in times:
                times[writers].append(timed(Path(tmp) / "tree", paths, writers))
    folders = len({os.path.dirname(p) for p in paths})
    print(f"{len(paths)} files in {folders} folders, 12 KB each; seconds including sync")
    for writers, found in times.items():
        print(f"  {writers} writer(s): {', '.join(f'{t:.2f}' for t in found)}  median {statistics.median(found):.2f}")


if __name__ == "__main__":
    main()
