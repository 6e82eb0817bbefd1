"""A site's own words for the theme: locale/<ll>.po at the site root overrides the
theme's messages in a build, editing it rebuilds the pages that show them, and a
broken override is a located problem (exit 1), never a traceback."""
from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest

from conftest import BUILD_DATE, SITES, run_cli


def build(site: Path, out: Path):
    return run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                   "--state", str(out.parent / "state"))


def override(site: Path, words: str) -> None:
    (site / "locale").mkdir(exist_ok=True)
    (site / "locale" / "en.po").write_text(f'msgid "Find your local team"\nmsgstr "{words}"\n', encoding="utf-8")


def test_site_override_is_built_and_rebuilt_when_edited(make_site, tmp_path: Path):
    site = make_site("minimal")
    out = tmp_path / "out"
    override(site, "Find your neighbourhood officers")
    assert build(site, out).exit_code == 0
    home = (out / "index.html").read_text(encoding="utf-8")
    assert "Find your neighbourhood officers" in home and "Find your local team" not in home
    override(site, "Find your ward officers")
    assert build(site, out).exit_code == 0
    for page in ("index.html", "about/index.html"):
        assert "Find your ward officers" in (out / page).read_text(encoding="utf-8"), page


def test_broken_override_is_a_located_problem(make_site, tmp_path: Path):
    site = make_site("minimal")
    (site / "locale").mkdir()
    (site / "locale" / "en.po").write_text('msgid "Back to %(name)s"\nmsgstr "Return to %(place)s"\n',
                                           encoding="utf-8")
    result = build(site, tmp_path / "out")
    assert result.exit_code == 1
    assert "locale/en.po:1: the words for 'Back to %(name)s' must keep its placeholders" in result.output
    assert "Traceback" not in result.output


@pytest.fixture(scope="module")
def welsh_build(tmp_path_factory) -> Path:
    """tests/sites/minimal as a site in English and Welsh, built once."""
    root = tmp_path_factory.mktemp("welsh")
    site = root / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    config = site / "site.yaml"
    lines = [line for line in config.read_text(encoding="utf-8").splitlines() if not line.startswith("language:")]
    config.write_text("\n".join([*lines, "languages: [en-GB, cy]", ""]), encoding="utf-8")
    result = build(site, root / "out")
    assert result.exit_code == 0, result.output
    return root / "out"


def test_welsh_pages_speak_welsh(welsh_build: Path):
    home = (welsh_build / "cy" / "index.html").read_text(encoding="utf-8")
    assert "Dod o hyd i’ch tîm lleol" in home and "Neidio i’r prif gynnwys" in home
    assert "Mewn argyfwng, ffoniwch" in home and "In an emergency" not in home
    english = (welsh_build / "index.html").read_text(encoding="utf-8")
    assert "Find your local team" in english and "Dod o hyd" not in english


def test_welsh_pages_link_within_welsh(welsh_build: Path):
    """Every internal link of a Welsh page stays in Welsh, but the language switcher's."""
    strays = set()
    for page in (welsh_build / "cy").rglob("*.html"):
        for attributes in re.findall(r"<a\s([^>]*)>", page.read_text(encoding="utf-8")):
            found = re.search(r'href="(/[^"]*)"', attributes)
            href = found.group(1) if found and "hreflang=" not in attributes else "/cy/"
            if not href.startswith("/cy/") and not href.endswith(".geojson"):   # one boundary file
                strays.add((page.relative_to(welsh_build).as_posix(), href))
    assert not strays


def test_check_names_a_broken_override_and_one_for_a_language_the_site_lacks(make_site):
    site = make_site("minimal")
    (site / "locale").mkdir()
    (site / "locale" / "en.po").write_text('msgid "Back to %(name)s"\nmsgstr "Back"\n', encoding="utf-8")
    (site / "locale" / "fr.po").write_text('msgid "Back"\nmsgstr "Retour"\n', encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1
    assert "locale/en.po:1: the words for 'Back to %(name)s' must keep its placeholders" in result.output
    assert "locale/fr.po: the site has no language 'fr'" in result.output
