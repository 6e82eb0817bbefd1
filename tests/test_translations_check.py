"""Content translations through the build's area cache, and what `sitegen check` says of
what is not yet translated (text, GitHub annotations, JSON; required_languages)."""
from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from sitegen.build.areacache import AreaStore
from sitegen.build.hashing import Hasher
from sitegen.build.sources import source_units
from sitegen.config import load_config
from sitegen.content.arealoader import load_all_areas
from sitegen.content.context import load_context, loading_shape
from sitegen.model import Area
from test_partial_translations import complete_translations
from test_translations import bilingual

SITEGEN = str(Path(sys.executable).parent / "sitegen")
# north-ward's area.cy.yaml, bike-marking.cy.md, about.cy.md and site.cy.yaml leave words out: they count too
WARNING = ("Welsh (cy): not yet translated: 2 of 2 areas, 2 of 2 news stories, 1 of 1 page and site.yaml's"
           " words (content/areas/north-ward/area.yaml, content/areas/south-ward/area.yaml,"
           " content/areas/north-ward/news/bike-marking.md, content/areas/north-ward/news/speed-checks.md,"
           " content/pages/about.md and 1 more)")
PARTLY = ["content/areas/north-ward/area.cy.yaml", "content/areas/north-ward/news/bike-marking.cy.md",
          "content/pages/about.cy.md", "site.cy.yaml"]   # each named in a warning of its own


def cached_load(site: Path, state: Path) -> tuple[dict[str, Area], set[str]]:
    """The areas of SITE loaded through an area cache kept in STATE, and the slugs the cache gave."""
    config = load_config(site)
    store = AreaStore(state, "code", source_units(site, Hasher({})), loading_shape(config))
    hits = {slug for slug in ("north-ward", "south-ward") if store.get(slug) is not None}
    ctx = load_context(site, config)
    areas = load_all_areas(ctx, store)
    assert not ctx.problems, list(ctx.problems)
    store.save([a.slug for a in areas], None)
    return {a.slug: a for a in areas}, hits


def test_the_area_cache_keeps_translations_and_sees_an_edit_to_one(tmp_path):
    site, state = bilingual(tmp_path), tmp_path / "state"
    first, hits = cached_load(site, state)
    assert not hits and dict(first["north-ward"].translations)["cy"].name == "Ward y Gogledd"
    again, hits = cached_load(site, state)
    assert hits == {"north-ward", "south-ward"}
    assert dict(again["north-ward"].translations)["cy"] == dict(first["north-ward"].translations)["cy"]
    welsh = site / "content/areas/north-ward/area.cy.yaml"
    welsh.write_text(welsh.read_text().replace("Ward y Gogledd", "Gogledd"))
    edited, hits = cached_load(site, state)
    assert hits == {"south-ward"} and dict(edited["north-ward"].translations)["cy"].name == "Gogledd"
    (site / "content/areas/south-ward/area.cy.yaml").write_text("name: Ward y De\n")
    added, hits = cached_load(site, state)
    assert hits == {"north-ward"} and dict(added["south-ward"].translations)["cy"].name == "Ward y De"
    config = site / "site.yaml"   # other languages: other files are translations, so nothing is reused
    config.write_text(config.read_text().replace("languages: [en, cy]", "languages: [en, cy, pl]"))
    assert cached_load(site, state)[1] == set()


def check(site: Path, *options: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([SITEGEN, "check", "--site", str(site), "--build-date", "2026-11-28", *options],
                          cwd=site, capture_output=True, text=True, timeout=120)


def test_check_warns_of_what_is_not_yet_translated_in_text_github_and_json(tmp_path):
    site = bilingual(tmp_path)
    text, github, document = check(site), check(site, "--format", "github"), check(site, "--format", "json")
    assert text.returncode == github.returncode == document.returncode == 0, text.stderr
    assert text.stdout.startswith(f"site.yaml: warning: {WARNING}; their pages in this language show them in"
                                  " English (en), with a notice saying so.")
    assert text.stdout.splitlines()[-1].startswith("No problems found")
    assert github.stdout.startswith(f"::warning file=site.yaml,title=sitegen check::{WARNING}")
    found = json.loads(document.stdout)
    assert found["count"] == 0 and found["problems"] == []
    assert [(w["file"], w["line"], w["message"][:len(WARNING)]) for w in found["warnings"]][:1] == [
        ("site.yaml", 0, WARNING)]
    assert [w["file"] for w in found["warnings"]][1:] == PARTLY


def test_required_languages_make_each_missing_translation_an_error_at_its_original(tmp_path):
    site = bilingual(tmp_path, required=True)
    found = check(site)
    assert found.returncode == 1 and "warning" not in found.stderr + found.stdout
    lines = found.stderr.splitlines()
    assert sorted(line.split(":")[0] for line in lines if "leaves" in line) == sorted(PARTLY)
    assert [line for line in lines if "leaves" not in line] == [
        "content/areas/north-ward/news/speed-checks.md: has no Welsh (cy) translation, which"
        " 'required_languages' in site.yaml asks for; write speed-checks.cy.md beside it",
        "content/areas/south-ward/area.yaml: has no Welsh (cy) translation, which 'required_languages' in"
        " site.yaml asks for; write area.cy.yaml beside it",
        "6 problems found."]
    complete_translations(site)   # every word of every area, story and page
    complete = check(site)
    assert complete.returncode == 0 and complete.stdout.startswith("No problems found"), complete.stderr
    (site / "site.cy.yaml").unlink()
    assert check(site).stderr.splitlines() == [
        "site.yaml: has no Welsh (cy) translation, which 'required_languages' in site.yaml asks for; write"
        " site.cy.yaml beside it"]
