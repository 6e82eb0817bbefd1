"""What the postcode finder costs: the import of a whole ONSPD, and the build of a London-sized lookup.

    .venv/bin/python bench/postcodes_bench.py [--rows N] [--districts D] [--rounds K]

1. Writes an ONSPD-shaped CSV of N rows (default 2,700,000, ~1.2 GB, the full UK
   directory's size; the rows of data/example-onspd.csv repeated, one in 200 kept in
   the example site's wards) and times `sitegen import-postcodes` on a copy of the
   example site: rows per second, and the largest resident memory.
2. Makes a site of the 624 wards of data/london-wards.csv (names and codes only) with a
   made-up lookup of D districts (default 300) of ~600 postcodes each (~180,000, about
   London's count), and builds it cold K times (default 3) with and without the lookup,
   taking turns; prints the medians, the difference, and the bytes of /find/.

No real data is used.  Figures vary with the machine's load: run it on a quiet one."""
from __future__ import annotations

import argparse
import csv
import random
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SITEGEN = str(ROOT / ".venv" / "bin" / "sitegen")
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def onspd_file(path: Path, rows: int) -> None:
    """An ONSPD-shaped file of ROWS rows: the example's rows, 199 in 200 moved to other wards."""
    lines = (ROOT / "data" / "example-onspd.csv").read_text().splitlines()
    with open(path, "w") as out:
        out.write(lines[0] + "\n")
        for i in range(rows):
            line = lines[1 + i % (len(lines) - 1)]
            out.write((line if i % 200 == 0 else line.replace('"E05000', '"E05009', 1)) + "\n")


def time_import(folder: Path, rows: int) -> None:
    site = folder / "example"
    site.mkdir()
    shutil.copy(ROOT / "site.yaml", site)
    shutil.copytree(ROOT / "content", site / "content")
    big = folder / "onspd.csv"
    onspd_file(big, rows)
    started = time.perf_counter()
    result = subprocess.run([SITEGEN, "import-postcodes", "--site", str(site), str(big)],
                            capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - started
    peak = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    print(f"import: {rows:,} rows ({big.stat().st_size / 1e9:.2f} GB) in {seconds:.1f} s,"
          f" {rows / seconds:,.0f} rows/s, peak memory {peak:.0f} MB")
    print(f"  {result.stdout.strip()}")


def london_site(folder: Path, districts: int) -> Path:
    """The 624 London wards (name and code) and a made-up lookup of DISTRICTS districts."""
    site = folder / "london"
    shutil.copytree(ROOT / "forms", site / "forms")
    shutil.copy(ROOT / "site.yaml", site)
    slugs = []
    with open(ROOT / "data" / "london-wards.csv", encoding="utf-8-sig") as data:
        for row in csv.DictReader(data):
            slug = row["ons_code"].lower()
            (site / "content/areas" / slug).mkdir(parents=True)
            (site / "content/areas" / slug / "area.yaml").write_text(
                f"name: Ward {row['ons_code']}\nborough: {row['borough']}\ncode: {row['ons_code']}\n")
            slugs.append(slug)
    rng = random.Random(17)
    lookup = site / "content/postcodes"
    lookup.mkdir()
    areas = ["E", "N", "SE", "SW", "W", "NW", "EC", "WC", "IG", "RM", "BR", "CR", "DA", "EN", "HA", "KT"]
    for i in range(districts):
        district = f"{areas[i % len(areas)]}{i // len(areas) + 1}"
        wards = rng.sample(slugs, 6)
        rows = sorted({(f"{district} {rng.randint(0, 9)}{rng.choice(LETTERS)}{rng.choice(LETTERS)}",
                        rng.choice(wards)) for _ in range(620)})
        (lookup / f"{district}.csv").write_text("postcode,ward\n" + "".join(f"{p},{w}\n" for p, w in rows))
    return site


def cold_build(site: Path, out: Path) -> float:
    started = time.perf_counter()
    subprocess.run([SITEGEN, "build", "--site", str(site), "--out", str(out), "--state", str(out) + "-state",
                    "--build-date", "2026-11-28", "--clean"], capture_output=True, check=True)
    return time.perf_counter() - started


def time_builds(folder: Path, districts: int, rounds: int) -> None:
    site = london_site(folder, districts)
    without = folder / "without"
    shutil.copytree(site, without)
    shutil.rmtree(without / "content/postcodes")
    times: dict[str, list[float]] = {"with": [], "without": []}
    for _ in range(rounds):
        times["with"].append(cold_build(site, folder / "out-with"))
        times["without"].append(cold_build(without, folder / "out-without"))
    with_, without_ = statistics.median(times["with"]), statistics.median(times["without"])
    postcodes = sum(len(p.read_text().splitlines()) - 1 for p in (site / "content/postcodes").iterdir())
    find = folder / "out-with" / "find"
    files = sorted(find.glob("[A-Z]*.json"))
    sizes = sorted(p.stat().st_size for p in files)
    pages = sum(p.stat().st_size for p in find.rglob("*.html"))
    print(f"build, 624 wards, cold: {without_:.2f} s without a lookup, {with_:.2f} s with {districts} districts"
          f" ({postcodes:,} postcodes): +{with_ - without_:.2f} s (medians of {rounds})")
    print(f"  /find/<DISTRICT>.json: median {sizes[len(sizes) // 2]:,} bytes, largest {sizes[-1]:,};"
          f" finder pages {pages / 1e6:.1f} MB in all")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=2_700_000)
    parser.add_argument("--districts", type=int, default=300)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="postcodes-bench-") as folder:
        time_import(Path(folder), args.rows)
        time_builds(Path(folder), args.districts, args.rounds)


if __name__ == "__main__":
    sys.exit(main())
