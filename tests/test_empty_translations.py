"""An empty translation of a story or page (a <story>.cy.md or <page>.cy.md of 0 bytes, or
only blank lines) is what an empty area.cy.yaml is: a translation of nothing, accepted, its
every word falling back to the original's (marked, and named by `check`), built byte for
byte as a translation with empty front matter.  A translation that is not empty but has no
front matter is refused without asking for `date:` (shared by every language: a
translation need not give it)."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SITES, run_cli

STORY = "content/areas/north-ward/news/bike-marking.cy.md"
PAGE = "content/pages/about.cy.md"
DAY = "2026-11-28"


@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "bilingual", target, ignore=shutil.ignore_patterns(".cache"))
    return target


def built(site: Path, out: Path) -> dict[str, bytes]:
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", DAY,
                     "--state", str(out.parent / f"{out.name}-state"))
    assert result.exit_code == 0, result.output
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in sorted(out.rglob("*")) if p.is_file()}


@pytest.mark.parametrize("text", ["", "\n", "  \n\n"])
@pytest.mark.parametrize("rel", [STORY, PAGE])
def test_an_empty_translation_is_accepted_and_check_names_what_it_leaves_out(site: Path, rel: str, text: str):
    (site / rel).write_text(text, encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert f"{rel}: warning: title" in result.output and "body are not translated into Welsh" in result.output
    assert "must start with front matter" not in result.output and "Traceback" not in result.output


def test_an_empty_translation_builds_as_one_with_empty_front_matter(site: Path, tmp_path: Path):
    """The same bytes as '---' twice: every word the original's, marked as English."""
    for rel in (STORY, PAGE):
        (site / rel).write_text("---\n---\n", encoding="utf-8")
    fenced = built(site, tmp_path / "fenced")
    for rel in (STORY, PAGE):
        (site / rel).write_bytes(b"")
    assert built(site, tmp_path / "empty") == fenced
    story = fenced["cy/areas/north-ward/news/bike-marking/index.html"].decode()
    assert "Bike marking day" in story and "Diwrnod marcio" not in story


def test_an_empty_translation_under_required_languages_is_an_error(site: Path):
    config = site / "site.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "required_languages: [cy]\n", encoding="utf-8")
    (site / STORY).write_bytes(b"")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert f"{STORY}:" in result.output and "must start with front matter" not in result.output


@pytest.mark.parametrize("rel", [STORY, PAGE])
def test_a_translation_without_front_matter_is_refused_without_asking_for_a_date(site: Path, rel: str):
    (site / rel).write_text("Fe wnaethon ni farcio 40 beic.\n", encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert f"{rel}:1:1: must start with front matter: a line '---', then the words it translates, like " \
           "'title:', then '---' (an empty file translates nothing: every word shows the original's)" \
           in result.output
    assert "'date:'" not in result.output


def test_an_original_page_without_front_matter_asks_for_its_title_only(site: Path):
    (site / "content/pages/about.md").write_text("About us.\n", encoding="utf-8")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "content/pages/about.md:1:1: must start with front matter: a line '---', then a 'title:' line, " \
           "then '---'" in result.output
