"""A site page may not take a folder the build writes for something else (content/pages/
admin.md, find.md...): the build's own /admin/ or /find/ would win and the page be lost.
The names refused are the top-level folders of what the build plans, not a list kept by hand."""
from __future__ import annotations

import shutil
from datetime import date
from pathlib import Path

from sitegen.build.checks import built_folders
from sitegen.content.site import load_site
from sitegen.outputs.catalogue import plan
from tests.conftest import BUILD_DATE, ROOT, SITES, run_cli

PAGE = "---\ntitle: A page\n---\nText.\n"


def example_copy(tmp_path: Path) -> Path:
    site = tmp_path / "example"
    site.mkdir()
    shutil.copy(ROOT / "site.yaml", site / "site.yaml")
    for folder in ("content", "forms", "templates", "assets"):
        if (ROOT / folder).is_dir():
            shutil.copytree(ROOT / folder, site / folder)
    return site


def refused(stderr: str) -> set[str]:
    """The page names the check refused as folders the site uses."""
    return {line.split("content/pages/")[1].split(".md")[0] for line in stderr.splitlines()
            if line.startswith("content/pages/") and "a folder the site already uses" in line}


def test_every_top_level_folder_of_the_built_example_is_refused_as_a_page_name(example_build, tmp_path):
    folders = {p.name for p in example_build.iterdir() if p.is_dir()}
    assert {"admin", "find", "areas", "assets", "boroughs", "forms"} <= folders
    site = example_copy(tmp_path)
    kept = {p.stem for p in (site / "content/pages").glob("*.md")}
    kept.add("cy")   # the Welsh pages' folder: a page named so is refused as the next test shows
    for name in folders - kept:
        (site / "content/pages" / f"{name}.md").write_text(PAGE)
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    assert result.exit_code == 1
    assert refused(result.stderr) == folders - kept, result.stderr


def test_a_language_path_is_refused_as_a_page_name_and_plain_names_are_not(tmp_path):
    site = shutil.copytree(SITES / "bilingual", tmp_path / "site", ignore=shutil.ignore_patterns("expected", ".cache"))
    for name in ("feeds", "sitemap", "contact-us"):   # no folder of the build: pages may take them
        (site / "content/pages" / f"{name}.md").write_text(PAGE)
    assert run_cli("check", "--site", str(site), "--build-date", BUILD_DATE).exit_code == 0
    loaded, _ = load_site(site, date.fromisoformat(BUILD_DATE))
    assert {"cy", "areas", "boroughs", "assets"} <= built_folders(plan(loaded))   # from the plan
    (site / "content/pages/cy.md").write_text(PAGE)
    result = run_cli("check", "--site", str(site), "--build-date", BUILD_DATE)
    # site.yaml's check of language paths refuses the clash first (config.py), at site.yaml.
    assert result.exit_code == 1 and "the pages in 'cy' would be under /cy/" in result.stderr
