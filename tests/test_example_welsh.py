"""The bundled example site in Welsh (issue 20 part 6).

Every file of the example site that holds words (site.yaml, each ward's area.yaml and
news stories, the pages, the forms and the triage tree) has a Welsh translation beside
it, marked in its first line as machine-aided for a Welsh speaker to review, and the
Welsh pages of the built site show those Welsh words, not the English ones.
"""
from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
MARK = "# Cymraeg: cyfieithiad gyda chymorth peiriant"
CY = "cy"   # the example site's path for Welsh (its default, the language's own code)


def originals() -> list[Path]:
    """The example site's files with words in them (not translations)."""
    found = [ROOT / "site.yaml"]
    found += sorted((ROOT / "content" / "areas").glob("*/area.yaml"))
    found += sorted((ROOT / "content" / "areas").glob("*/news/*.md"))
    found += sorted((ROOT / "content" / "pages").glob("*.md"))
    found += sorted((ROOT / "forms").glob("*.yaml"))
    return [path for path in found if path.name.count(".") == 1]


def welsh_of(path: Path) -> Path:
    """The Welsh translation beside PATH: area.yaml -> area.cy.yaml."""
    return path.with_name(f"{path.stem}.{CY}{path.suffix}")


def first_line(path: Path) -> str:
    """PATH's first line; for Markdown, the front matter's first line."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return lines[1] if path.suffix == ".md" else lines[0]


def load(path: Path) -> dict:
    """A YAML file, or a Markdown file's front matter with its body as 'body'."""
    text = path.read_text(encoding="utf-8")
    if path.suffix != ".md":
        return yaml.safe_load(text)
    _, front, body = text.split("---\n", 2)
    return {**yaml.safe_load(front), "body": body}


def page_text(build: Path, rel: str) -> str:
    """The text of one built page, its markup removed and entities decoded, spaces collapsed."""
    raw = (build / rel / "index.html").read_text(encoding="utf-8")
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw)).split())


def words(text: str) -> str:
    """TEXT with its runs of white space made single spaces, as page_text gives it."""
    return " ".join(text.split())


def test_every_example_file_has_a_welsh_translation_marked_for_review():
    missing = [str(p.relative_to(ROOT)) for p in originals() if not welsh_of(p).is_file()]
    unmarked = [str(welsh_of(p).relative_to(ROOT)) for p in originals()
                if welsh_of(p).is_file() and not first_line(welsh_of(p)).startswith(MARK)]
    assert not missing, f"no Welsh translation beside: {missing}"
    assert not unmarked, f"not marked as machine-aided in the first line: {unmarked}"


def _area_pairs(area: dict, welsh: dict) -> list[tuple[str, str]]:
    """(English, Welsh) of what a ward page shows: its summary and priorities' issues."""
    pairs = [(area["summary"], welsh["summary"])]
    priorities = zip(area.get("priorities", []), welsh.get("priorities", []), strict=True)
    pairs += [(english["issue"], cy["issue"]) for english, cy in priorities]
    return pairs


@pytest.mark.parametrize("area_file", sorted((ROOT / "content" / "areas").glob("*/area.yaml")),
                         ids=lambda p: p.parent.name)
def test_welsh_ward_pages_and_stories_show_the_welsh(example_build, area_file):
    slug = area_file.parent.name
    text = page_text(example_build, f"{CY}/areas/{slug}")
    for english, welsh in _area_pairs(load(area_file), load(welsh_of(area_file))):
        assert words(welsh) in text
        assert words(english) not in text
    for story in sorted((area_file.parent / "news").glob("*.md")):
        if story.name.count(".") > 1:
            continue
        english, welsh = load(story), load(welsh_of(story))
        story_text = page_text(example_build, f"{CY}/areas/{slug}/news/{story.stem}")
        assert words(welsh["title"]) in story_text
        assert "What you can do" not in story_text and english["title"] not in story_text


def test_welsh_pages_home_forms_and_triage_show_the_welsh(example_build):
    site, site_cy = load(ROOT / "site.yaml"), load(ROOT / "site.cy.yaml")
    home = page_text(example_build, CY)
    for key in ("report_actions", "services"):
        for english, welsh in zip(site[key], site_cy[key]):
            assert words(welsh["title"]) in home
            assert words(english["title"]) not in home, english["title"]
    for page in sorted((ROOT / "content" / "pages").glob("*.md")):
        if page.name.count(".") == 1 and page.stem != "404":
            text = page_text(example_build, f"{CY}/{page.stem}")
            assert words(load(welsh_of(page))["title"]) in text
            first_english = next(line for line in load(page)["body"].splitlines() if line.strip())
            assert words(first_english)[:60] not in text
    for form in sorted((ROOT / "forms").glob("*.yaml")):
        if form.name.count(".") > 1 or form.stem == "triage":
            continue
        english, welsh = load(form), load(welsh_of(form))
        text = page_text(example_build, f"{CY}/forms/{form.stem}")
        assert words(welsh["title"]) in text
        assert words(english["summary"]) not in text
        for page, page_cy in zip(english.get("pages", []), welsh.get("pages", [])):
            cy_labels = {q["name"]: q.get("label") for q in page_cy.get("questions", [])}
            for question in page["questions"]:
                assert words(cy_labels[question["name"]]) in text
                assert words(question["label"]) not in text, question["label"]
    triage, triage_cy = load(ROOT / "forms" / "triage.yaml"), load(ROOT / "forms" / "triage.cy.yaml")
    start = page_text(example_build, f"{CY}/report")
    assert words(triage_cy["nodes"][triage["start"]]["question"]) in start
    assert words(triage["nodes"][triage["start"]]["question"]) not in start
