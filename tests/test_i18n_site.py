"""A site's own words for the theme: locale/<ll>.po at the site root overrides the
theme's messages in a build, editing it rebuilds the pages that show them, and a
broken override is a located problem (exit 1), never a traceback."""
from __future__ import annotations

from pathlib import Path

from conftest import BUILD_DATE, run_cli


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
