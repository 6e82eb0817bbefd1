"""What finding a ward by location costs, for the 624 London wards of data/london-wards.geojson.

    .venv/bin/python bench/locate_bench.py [--no-browser]

Prints the index's size (raw and gzipped), the build time it adds (the derived units
every whole build hashes, and rendering the index when a boundary or name changed), and,
in Debian's Chromium, how long locate.js takes to find a ward (the first lookup decodes
the index)."""
from __future__ import annotations

import gzip
import http.server
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
sys.path.insert(0, str(ROOT))
from sitegen.errors import Problems  # noqa: E402
from sitegen.maps import parse_boundary  # noqa: E402
from sitegen.model import Area  # noqa: E402
from sitegen.outputs import locate  # noqa: E402

WARDS = ROOT / "data" / "london-wards.geojson"


def london_areas() -> list[Area]:
    """An Area with a checked boundary for each ward in WARDS."""
    areas = []
    for number, feature in enumerate(json.loads(WARDS.read_text())["features"]):
        problems = Problems()
        boundary = parse_boundary(json.dumps(feature), "x", problems)
        assert boundary is not None, list(problems)
        areas.append(Area(slug=f"ward-{number}", name=feature["properties"]["ward"], source="x",
                          borough=feature["properties"]["borough"], boundary=boundary))
    return areas


def timed(work, runs: int = 5) -> float:
    """The median seconds of RUNS calls of WORK."""
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def index_bytes(areas: list[Area]) -> bytes:
    """The index as render_locate writes it."""
    index = {"version": 1, "decimals": locate.DECIMALS, "tolerance_m": locate.TOLERANCE_M,
             "border_m": locate.BORDER_M, "wards": [locate.ward_entry(a) for a in areas]}
    return (json.dumps(index, ensure_ascii=False, separators=(",", ":")) + "\n").encode()


class Quiet(http.server.SimpleHTTPRequestHandler):
    """Serves a folder without logging each request."""

    def log_message(self, format, *args):  # noqa: A002
        pass


def browser_lookups(data: bytes, points: int = 1000) -> tuple[float, float]:
    """(ms for the first lookup, median ms of the next POINTS) in Chromium."""
    import functools
    import threading

    from playwright.sync_api import sync_playwright

    from browser import CHROMIUM, CHROMIUM_ARGS
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "locate.js").write_bytes((ROOT / "sitegen/theme/static/locate.js").read_bytes())
        (Path(folder) / "wards.json").write_bytes(data)
        (Path(folder) / "index.html").write_text("<!DOCTYPE html><title>bench</title>")
        handler = functools.partial(Quiet, directory=folder)
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        rng = random.Random(17)
        where = [(rng.uniform(-0.51, 0.33), rng.uniform(51.29, 51.69)) for _ in range(points)]
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = chromium.new_page()
            page.goto(f"http://127.0.0.1:{server.server_address[1]}/index.html")
            first, each = page.evaluate("""async (points) => {
                const { findWard } = await import('/locate.js');
                const index = await (await fetch('/wards.json')).json();
                let start = performance.now();
                findWard(index, points[0][0], points[0][1]);
                const first = performance.now() - start;
                const times = points.map(([lon, lat]) => {
                    start = performance.now(); findWard(index, lon, lat); return performance.now() - start; });
                times.sort((a, b) => a - b);
                return [first, times[Math.floor(times.length / 2)]];
            }""", where)
            chromium.close()
        server.shutdown()
    return first, each


def main(browser: bool) -> None:
    start = time.perf_counter()
    areas = london_areas()
    print(f"{len(areas)} wards read and checked in {time.perf_counter() - start:.2f} s (any build with boundaries)")
    data = index_bytes(areas)
    print(f"index: {len(data) / 1000:.0f} KB, gzipped {len(gzip.compress(data, 6)) / 1000:.0f} KB")
    print(f"derived units (every whole build): {timed(lambda: locate.locate_units(areas)) * 1000:.1f} ms")
    print(f"rendering the index (a boundary or name changed): {timed(lambda: index_bytes(areas)) * 1000:.0f} ms")
    if browser:
        first, each = browser_lookups(data)
        print(f"Chromium: first lookup {first:.1f} ms (decodes the index), then {each:.2f} ms a lookup")


if __name__ == "__main__":
    main(browser="--no-browser" not in sys.argv)
