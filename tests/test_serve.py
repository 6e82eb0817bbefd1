"""`sitegen serve`: previews the build, rebuilds what an edit touched, and tells
open pages to reload."""
from __future__ import annotations

import time
import urllib.request
from datetime import date

from sitegen.serve import Preview


def fetch(url: str) -> str:
    with urllib.request.urlopen(url, timeout=10) as response:  # noqa: S310 - loopback only
        return response.read().decode()


def wait_for(condition, seconds: float = 20.0) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.1)
    return False


def test_preview_rebuilds_on_change_and_signals_reload(make_site):
    site = make_site("minimal")
    preview = Preview(site, site / "build", 0, date(2026, 11, 28))
    try:
        page = fetch(preview.url + "areas/north-ward/")
        assert "The north of the town." in page
        assert '<script src="/__sitegen/reload.js"></script></body>' in page
        assert "reload.js" not in (site / "build/areas/north-ward/index.html").read_text()
        version = fetch(preview.url + "__sitegen/version")
        area = site / "content/areas/north-ward/area.yaml"
        area.write_text(area.read_text().replace("The north of the town.", "Freshly edited."))
        assert wait_for(lambda: fetch(preview.url + "__sitegen/version") != version)
        assert "Freshly edited." in fetch(preview.url + "areas/north-ward/")
    finally:
        preview.stop()


def test_preview_keeps_last_good_build_when_an_edit_breaks_it(make_site, capfd):
    site = make_site("minimal")
    preview = Preview(site, site / "build", 0, date(2026, 11, 28))
    try:
        area = site / "content/areas/north-ward/area.yaml"
        area.write_text(area.read_text().replace("team:", "teem:"))
        assert wait_for(lambda: "unknown key 'teem'" in capfd.readouterr().err)
        assert "North Ward" in fetch(preview.url + "areas/north-ward/")
    finally:
        preview.stop()
