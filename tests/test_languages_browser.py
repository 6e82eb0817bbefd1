"""A resident switches language on a page and lands on the same page in the other
language; axe finds nothing on either (issue 20, tests/sites/bilingual)."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

import pytest

from browser import axe_violations, describe
from sitegen.build import build

SITES = Path(__file__).parent / "sites"


@pytest.mark.browser
def test_switching_language_lands_on_the_same_page_and_both_are_axe_clean(page, serve_dir, tmp_path):
    shutil.copytree(SITES / "bilingual", tmp_path / "site", ignore=shutil.ignore_patterns(".cache"))
    build(tmp_path / "site", tmp_path / "out", date(2026, 11, 20), state_dir=tmp_path / "state")
    base = serve_dir(tmp_path / "out")
    page.goto(f"{base}/areas/north-ward/news/speed-checks/")
    assert page.get_attribute("html", "lang") == "en"
    assert axe_violations(page) == [], describe(axe_violations(page))
    page.get_by_role("link", name="Cymraeg").click()
    page.wait_for_url(f"{base}/cy/areas/north-ward/news/speed-checks/")
    assert page.get_attribute("html", "lang") == "cy"
    violations = axe_violations(page)   # the untranslated story, marked lang="en", under a Welsh notice
    assert violations == [], describe(violations)
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{base}/areas/north-ward/news/speed-checks/")
    # The same page reads the same query in both languages (a done page's ?ref=): the switch keeps it.
    page.goto(f"{base}/cy/about/?ref=CR-2026-7K4M9Q2XW")
    page.get_by_role("link", name="English").click()
    page.wait_for_url(f"{base}/about/?ref=CR-2026-7K4M9Q2XW")
