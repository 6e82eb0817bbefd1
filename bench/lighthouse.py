"""Lighthouse scores (performance, accessibility, best practices, SEO) for the
home page, a ward page and a form, with Debian's Chromium.

    make bench-lighthouse     (installs lighthouse 12.2.3 from npm into bench/out/, builds, runs this)
    .venv/bin/python bench/lighthouse.py [BUILD_DIR] [LIGHTHOUSE_BIN]

Targets: 100 on each.  Pages are served like the CDN (gzip, cache headers)."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from webserver import serve_like_cdn  # noqa: E402

PAGES = {"home": "/", "ward": "/areas/alibon/", "form": "/forms/report-crime/"}
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
DEFAULT_BIN = ROOT / "bench" / "out" / "lighthouse" / "node_modules" / ".bin" / "lighthouse"


def scores(lighthouse: Path, url: str) -> dict[str, int]:
    """Run Lighthouse on URL; its category scores out of 100."""
    flags = " ".join(["--headless=new", *CHROMIUM_ARGS])
    done = subprocess.run(
        [str(lighthouse), url, "--quiet", "--output=json", "--output-path=stdout",
         f"--only-categories={','.join(CATEGORIES)}", f"--chrome-flags={flags}", "--form-factor=mobile"],
        capture_output=True, text=True, env={**os.environ, "CHROME_PATH": CHROMIUM}, check=True)
    report = json.loads(done.stdout)
    return {c: round(report["categories"][c]["score"] * 100) for c in CATEGORIES}


def main(build: Path, lighthouse: Path) -> None:
    """Print a table of scores for each page."""
    url, server = serve_like_cdn(build)
    print(f"{'page':<8}" + "".join(f"{c:>16}" for c in CATEGORIES))
    try:
        for name, path in PAGES.items():
            row = scores(lighthouse, url + path)
            print(f"{name:<8}" + "".join(f"{row[c]:>16}" for c in CATEGORIES))
    finally:
        server.shutdown()


if __name__ == "__main__":
    args = sys.argv[1:]
    main(Path(args[0]) if args else ROOT / "build", Path(args[1]) if len(args) > 1 else DEFAULT_BIN)
