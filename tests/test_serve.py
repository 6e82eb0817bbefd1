"""`sitegen serve`: previews the build, rebuilds what an edit touched, and tells
open pages to reload."""
from __future__ import annotations

import json
import time
import urllib.request
from datetime import date

import pytest

from browser import axe_violations
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
        version = json.loads(fetch(preview.url + "__sitegen/status"))["version"]
        area = site / "content/areas/north-ward/area.yaml"
        area.write_text(area.read_text().replace("The north of the town.", "Freshly edited."))
        assert wait_for(lambda: json.loads(fetch(preview.url + "__sitegen/status"))["version"] != version)
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


@pytest.mark.browser
def test_a_failed_rebuild_shows_its_problems_on_the_open_page_until_a_good_one(make_site, page):
    site = make_site("minimal")
    preview = Preview(site, site / "build", 0, date(2026, 11, 28))
    try:
        page.goto(preview.url + "areas/north-ward/")
        area = site / "content/areas/north-ward/area.yaml"
        good = area.read_text()
        area.write_text(good.replace("team:", "teem:").replace("contact:", "con<b>tact</b>:"))
        overlay = page.locator("#sitegen-build-problems")
        overlay.wait_for(timeout=20_000)
        text = overlay.inner_text()
        assert "content/areas/north-ward/area.yaml:" in text and "did you mean 'team'" in text
        assert "con<b>tact</b>" in text
        assert overlay.get_attribute("role") == "alert"
        assert page.locator("#sitegen-build-problems b").count() == 0   # text, never markup
        assert axe_violations(page) == []
        area.write_text(good.replace("The north of the town.", "Mended."))
        page.get_by_text("Mended.").first.wait_for(timeout=20_000)   # the good build reloaded the page
        page.wait_for_timeout(1500)   # a poll after the reload: no problems, no overlay
        assert page.locator("#sitegen-build-problems").count() == 0
    finally:
        preview.stop()
