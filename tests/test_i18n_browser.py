"""The theme's scripts in Welsh: the postcode finder and the name filter write the words the
page gives them (data-sitegen-words), and link within the Welsh pages."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from playwright.sync_api import expect

from browser import axe_violations, describe
from conftest import ROOT, run_cli


@pytest.fixture(scope="module")
def welsh_example(tmp_path_factory) -> Path:
    """The bundled example site in English and Welsh, built once."""
    root = tmp_path_factory.mktemp("welsh-example")
    site = root / "site"
    site.mkdir()
    shutil.copytree(ROOT / "content", site / "content")
    shutil.copytree(ROOT / "forms", site / "forms")
    config = (ROOT / "site.yaml").read_text(encoding="utf-8").splitlines()
    kept = [line for line in config if not line.startswith(("language:", "languages:"))]
    (site / "site.yaml").write_text("\n".join([*kept, "languages: [en-GB, cy]", ""]), encoding="utf-8")
    out = root / "build"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", "2026-11-28",
                     "--state", str(root / "state"))
    assert result.exit_code == 0, result.output
    return out


@pytest.mark.browser
def test_the_finder_and_the_filter_speak_welsh(welsh_example, serve_dir, page):
    base = serve_dir(welsh_example)
    page.goto(base + "/cy/find/")
    box = page.get_by_label("Eich cod post")
    result = page.locator("#postcode-result")
    box.fill("rm8 3hs")
    expect(result).to_contain_text("Mae RM8 3HS mewn 2 ward: Becontree a Valence.")
    expect(result.get_by_role("link", name="Becontree")).to_have_attribute("href", "/cy/areas/becontree/")
    box.fill("RM8 3H0")
    expect(result).to_contain_text("Mae gan godau post y llythyren O yno, nid sero. Ai RM8 3HO oeddech chi’n")
    box.fill("RM8 3ZZ")
    expect(result).to_contain_text("Ni allwn ddod o hyd i RM8 3ZZ.")
    expect(result.get_by_role("link")).to_have_attribute("href", "/cy/find/RM8/")
    assert describe(axe_violations(page)) == ""
    page.goto(base + "/cy/")
    page.get_by_label("Hidlo wardiau yn ôl enw").fill("zzqx")
    expect(page.locator("#area-filter-status")).to_have_text(
        'Nid oes ward yn cyfateb i "zzqx". Rhowch gynnig ar god post, neu porwch yn ôl bwrdeistref.')
    page.get_by_label("Hidlo wardiau yn ôl enw").fill("becon")
    expect(page.locator("#area-filter-status")).to_have_text('1 ward yn cyfateb i "becon"')
