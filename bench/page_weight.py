"""Print what each page type weighs over the wire, first and repeat view.

    .venv/bin/python bench/page_weight.py [BUILD_DIR]   (default: build/, from `make build`)

Served with gzip and the publish headers (tests/webserver.py), loaded in
Debian's Chromium; bytes are what the network layer received, headers
included.  Budget: 60 KB first view, 10 KB repeat view."""
from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "tests"))
from browser import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from test_resident_experience import PAGE_TYPES, page_weight  # noqa: E402
from webserver import serve_like_cdn  # noqa: E402


def main(build: Path) -> None:
    """Measure every page type of the site in BUILD."""
    from playwright.sync_api import sync_playwright
    url, server = serve_like_cdn(build)
    print(f"{'page':<12}{'first view KB':>15}{'repeat view KB':>16}")
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        for kind, path in PAGE_TYPES.items():
            first, repeat = page_weight(browser, url + path)
            print(f"{kind:<12}{first / 1024:>15.1f}{repeat / 1024:>16.1f}")
        browser.close()
    server.shutdown()


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build")
