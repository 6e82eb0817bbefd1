"""What the finder costs a force's site: all 624 London wards, with and without boundaries.

    .venv/bin/python bench/finder_bench.py [--rounds K]

Makes a site of the 624 wards of data/london-wards.csv with `sitegen import-wards`
(which gives each its boundary from data/london-wards.geojson), and a copy without the
boundaries; builds each cold K times (default 3), taking turns, outputs on tmpfs so
that the figure is the generator's own work; prints the medians, the extra time the
boundaries cost (maps, neighbours, the location index and their checks), and the bytes
a resident downloads: the location index (raw and gzipped), the home, borough and ward
pages with their maps, and (when the site publishes postcode look-ups) the postcode
file of each district."""
from __future__ import annotations

import argparse
import gzip
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "bench"))
from compare import BIN, timed  # noqa: E402

SITE_YAML = "name: London Police\nbase_url: https://london.example.org/\n"


def make_site(folder: Path, boundaries: bool) -> None:
    """A site of every London ward in FOLDER, with each ward's boundary if BOUNDARIES."""
    folder.mkdir(parents=True)
    (folder / "site.yaml").write_text(SITE_YAML)
    command = [str(BIN / "sitegen"), "import-wards", str(ROOT / "data/london-wards.csv"), "--site", str(folder)]
    if boundaries:
        command += ["--boundaries", str(ROOT / "data/london-wards.geojson")]
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL)
    if not boundaries:
        for path in (folder / "content/areas").glob("*/boundary.geojson"):
            path.unlink()


def cold_build(site: Path, out: Path) -> float:
    """Seconds for a cold build of SITE into OUT (both emptied of earlier builds first), timed
    as bench/compare.py times every generator (compiled bytecode kept, the disk settled first)."""
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(site / ".cache", ignore_errors=True)
    return timed([str(BIN / "sitegen"), "build", "--site", str(site), "--out", str(out),
                  "--build-date", "2026-11-28"], site).seconds


def sizes(out: Path) -> list[tuple[str, int, int]]:
    """(what, raw bytes, gzipped bytes) of what a resident downloads to find a ward."""
    def row(what: str, paths: list[Path]) -> tuple[str, int, int]:
        raw = [p.read_bytes() for p in paths]
        if not raw:
            return what, 0, 0
        return (what, int(statistics.median(len(r) for r in raw)),
                int(statistics.median(len(gzip.compress(r, 6)) for r in raw)))
    index = out / "find/wards.json"
    return [row("location index find/wards.json", [index] if index.exists() else []),
            row("home page", [out / "index.html"]),
            row("borough page (median)", sorted(out.glob("boroughs/*/index.html"))),
            row("ward page (median)", sorted(out.glob("areas/*/index.html"))),
            row("postcode district file (median)", sorted(p for p in out.glob("find/*.json")
                                                          if p.name != "wards.json"))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="finder-bench-"))
    outs = Path(tempfile.mkdtemp(prefix="finder-bench-", dir="/dev/shm"))
    try:
        sites = {"with boundaries": work / "with", "without": work / "without"}
        for site, boundaries in zip(sites.values(), (True, False)):
            make_site(site, boundaries)
        times: dict[str, list[float]] = {name: [] for name in sites}
        for _ in range(args.rounds):
            for name, site in sites.items():
                times[name].append(cold_build(site, outs / name.replace(" ", "-")))
        print(f"machine: {os.cpu_count()} cores; python {sys.version.split()[0]}; 624 London wards;"
              f" cold builds, outputs on tmpfs, medians of {args.rounds}")
        for name, found in times.items():
            print(f"  {name:<16} {statistics.median(found):6.2f} s   ({', '.join(f'{t:.2f}' for t in found)})")
        extra = statistics.median(times["with boundaries"]) - statistics.median(times["without"])
        print(f"  boundaries add  {extra:6.2f} s (maps, neighbours, location index, boundary checks)")
        print("bytes a resident downloads (raw / gzipped):")
        for what, raw, zipped in sizes(outs / "with-boundaries"):
            if raw:
                print(f"  {what:<34} {raw:>9,} / {zipped:>8,}")
    finally:
        shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(outs, ignore_errors=True)


if __name__ == "__main__":
    main()
