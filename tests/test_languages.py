"""A site of several languages (issue 20, parts 1 and 5): every page at each language's
address, with lang, hreflang alternates that answer each other, a switcher to the same
page in the other language, a notice on what has no translation yet, the sitemap
listing both, and an Atom feed and calendar per language.  tests/sites/bilingual is
English and Welsh: north ward and one of its stories translated; south ward, the other
story and the about page not."""
from __future__ import annotations

import re
import shutil
import xml.etree.ElementTree as ET
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.build import Reporter
from sitegen.build import build as build_site
from sitegen.config import load_config
from sitegen.errors import SitegenError
from sitegen.outputs.base import localised_links

SITES = Path(__file__).parent / "sites"
BASE = "https://police.example.org"
DAY = date(2026, 11, 20)
SM = "{http://www.sitemaps.org/schemas/sitemap/0.9}"
XHTML = "{http://www.w3.org/1999/xhtml}"


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """tests/sites/bilingual, built once for the module."""
    tmp = tmp_path_factory.mktemp("bilingual")
    shutil.copytree(SITES / "bilingual", tmp / "site", ignore=shutil.ignore_patterns(".cache"))
    build_site(tmp / "site", tmp / "out", DAY, state_dir=tmp / "state")
    return tmp / "out"


class Page(HTMLParser):
    """What the tests read of a built page: <html lang>, the hreflang alternates in the
    head, the switcher's links, and the lang of each element that has one."""

    def __init__(self, text: str) -> None:
        super().__init__()
        self.lang = ""
        self.alternates: dict[str, str] = {}
        self.switch: list[dict[str, str]] = []
        self.langs: list[str] = []
        self.feed(text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = found.get("lang", "")
        elif tag == "link" and found.get("rel") == "alternate" and "hreflang" in found:
            self.alternates[found["hreflang"]] = found["href"]
        elif tag == "a" and "hreflang" in found:
            self.switch.append(found)
        elif "lang" in found:
            self.langs.append(found["lang"])


def pages(out: Path) -> dict[str, Page]:
    """Build path -> the page, for every HTML page of OUT."""
    return {p.relative_to(out).as_posix(): Page(p.read_text()) for p in sorted(out.rglob("*.html"))}


def built_path(url: str) -> str:
    """The build path of an absolute or site URL of a page."""
    path = url.removeprefix(BASE).lstrip("/")
    return path + "index.html" if path == "" or path.endswith("/") else path


def test_every_page_is_made_in_both_languages_and_says_which(built):
    found = pages(built)
    english = {p for p in found if not p.startswith("cy/")}
    assert {f"cy/{p}" for p in english} == set(found) - english
    assert len(english) == 11   # home, borough, 2 wards, news index, 2 stories, about, 404, find/, find/TS1/
    for path, page in found.items():
        assert page.lang == ("cy" if path.startswith("cy/") else "en"), path


def test_hreflang_alternates_answer_each_other(built):
    found = pages(built)
    for path, page in found.items():
        if path.endswith("404.html"):
            continue
        assert set(page.alternates) == {"en", "cy", "x-default"}, path
        assert page.alternates["x-default"] == page.alternates["en"]
        assert built_path(page.alternates["cy" if path.startswith("cy/") else "en"]) == path
        for lang, href in page.alternates.items():
            assert found[built_path(href)].alternates == page.alternates, f"{path} -> {lang}"


def test_the_switcher_on_every_page_leads_to_the_same_page_in_the_other_language(built):
    found = pages(built)
    for path, page in found.items():
        assert len(page.switch) == 1, path
        link = page.switch[0]
        other = "en" if path.startswith("cy/") else "cy"
        assert link["lang"] == link["hreflang"] == other
        target = built_path(link["href"])
        assert target in found and found[target].lang == other, path
        assert target.removeprefix("cy/") == path.removeprefix("cy/")
    welsh = (built / "index.html").read_text()
    assert '">Cymraeg</a>' in welsh and '">English</a>' in (built / "cy/index.html").read_text()


def test_untranslated_content_carries_a_notice_and_the_default_languages_lang(built):
    notice = "has not been translated yet"   # the catalogue's words, or their English
    untranslated = ["cy/areas/north-ward/news/speed-checks/index.html", "cy/about/index.html",
                    "cy/areas/south-ward/index.html"]
    for path in untranslated:
        text = (built / path).read_text()
        assert re.search(r'<h1 class="govuk-heading-xl" lang="en">', text), path   # the content's own
        assert "Saesneg" in text, path   # "English", in Welsh
    for path in ["cy/areas/north-ward/news/bike-marking/index.html", "cy/areas/north-ward/index.html",
                 "areas/north-ward/news/speed-checks/index.html", "about/index.html", "cy/index.html"]:
        text = (built / path).read_text()
        assert '<h1 class="govuk-heading-xl" lang="en">' not in text and notice not in text, path
        assert "Saesneg" not in text, path


def test_translated_words_and_links_in_the_body_follow_the_language(built):
    story = (built / "cy/areas/north-ward/news/bike-marking/index.html").read_text()
    assert "Diwrnod marcio beiciau" in story and "Heddlu Prawf" in story
    assert 'href="/cy/about/"' in story and 'href="/about/"' not in story
    about = (built / "cy/about/index.html").read_text()
    assert 'href="/cy/areas/north-ward/"' in about
    assert 'href="/areas/north-ward/"' in (built / "about/index.html").read_text()
    assert "Ward y Gogledd" in (built / "cy/areas/north-ward/index.html").read_text()
    assert "Ward y Gogledd" not in (built / "areas/north-ward/index.html").read_text()


def test_the_sitemap_lists_every_language_with_alternates(built):
    root = ET.fromstring((built / "sitemap.xml").read_bytes())
    entries = {u.findtext(f"{SM}loc"): {x.get("hreflang"): x.get("href") for x in u.iter(f"{XHTML}link")}
               for u in root.iter(f"{SM}url")}
    html = {p for p in pages(built) if not p.endswith("404.html")}
    assert {built_path(loc) for loc in entries} == html
    for loc, alternates in entries.items():
        assert set(alternates) == {"en", "cy", "x-default"} and loc in alternates.values()
        assert all(entries[href] == alternates for href in alternates.values())
    for link in root.iter(f"{XHTML}link"):
        assert link.get("rel") == "alternate"


def test_feeds_and_calendars_are_made_per_language(built):
    atom = "{http://www.w3.org/2005/Atom}"
    welsh = ET.fromstring((built / "cy/areas/north-ward/feed.xml").read_bytes())
    english = ET.fromstring((built / "areas/north-ward/feed.xml").read_bytes())
    assert welsh.get("{http://www.w3.org/XML/1998/namespace}lang") == "cy"
    assert english.get("{http://www.w3.org/XML/1998/namespace}lang") == "en"
    assert welsh.findtext(f"{atom}id") == f"{BASE}/cy/areas/north-ward/feed.xml"
    titles = [e.findtext(f"{atom}title") for e in welsh.iter(f"{atom}entry")]
    assert "Diwrnod marcio beiciau" in titles
    cy = (built / "cy/areas/north-ward/events.ics").read_text()
    en = (built / "areas/north-ward/events.ics").read_text()
    assert "SUMMARY;LANGUAGE=cy:Cyfarfod panel y ward" in cy and "X-WR-CALNAME;LANGUAGE=cy:" in cy
    assert "SUMMARY;LANGUAGE=en:Ward panel meeting" in en
    assert f"URL:{BASE}/cy/areas/north-ward/" in cy
    # The same event in both calendars: one UID.
    assert re.findall(r"^UID:.*$", cy, re.M) == re.findall(r"^UID:.*$", en, re.M) != []


def test_a_one_language_site_shows_no_language_machinery(make_site, tmp_path):
    site = make_site("minimal")
    build_site(site, tmp_path / "out", DAY, state_dir=tmp_path / "state")
    for path, page in pages(tmp_path / "out").items():
        assert page.alternates == {} and page.switch == [] and page.lang == "en-GB", path
    assert "xhtml" not in (tmp_path / "out/sitemap.xml").read_text()
    assert "LANGUAGE=" not in (tmp_path / "out/areas/north-ward/events.ics").read_text()


def test_an_edit_to_a_welsh_file_renders_only_welsh_pages(make_site, tmp_path):
    site = make_site("bilingual")
    build_site(site, tmp_path / "out", DAY, state_dir=tmp_path / "state")
    area = site / "content/areas/north-ward/area.cy.yaml"
    area.write_text(area.read_text().replace("Gogledd y dref.", "Rhan ogleddol y dref."))
    reporter = Reporter()
    build_site(site, tmp_path / "out", DAY, state_dir=tmp_path / "state", reporter=reporter)
    assert [s.areas for s in reporter.selections] == [frozenset({"north-ward"})]   # still a narrow build
    assert reporter.rendered and all(p.startswith("cy/areas/north-ward/") for p in reporter.rendered), \
        reporter.rendered
    assert "Rhan ogleddol y dref." in (tmp_path / "out/cy/areas/north-ward/index.html").read_text()
    (site / "content/pages/about.cy.md").write_text("---\ntitle: Amdanom ni\n---\nGan Heddlu Prawf.\n")
    reporter = Reporter()
    build_site(site, tmp_path / "out", DAY, state_dir=tmp_path / "state", reporter=reporter)
    assert set(reporter.rendered) == {"cy/about/index.html"}
    english = site / "content/areas/north-ward/area.yaml"
    english.write_text(english.read_text().replace("The north of the town.", "North."))
    reporter = Reporter()
    build_site(site, tmp_path / "out", DAY, state_dir=tmp_path / "state", reporter=reporter)
    assert {"areas/north-ward/index.html", "cy/areas/north-ward/index.html"} <= set(reporter.rendered)


def test_a_wards_welsh_name_reaches_every_welsh_page_that_names_it(make_site, tmp_path):
    """The home, borough and postcode pages and a neighbour's page name a ward by its Welsh name
    in Welsh, and a rename in area.cy.yaml reaches all of them (incremental as clean), not the
    English pages."""
    site = make_site("bilingual")
    out, state = tmp_path / "out", tmp_path / "state"
    naming = ["cy/index.html", "cy/boroughs/testshire/index.html", "cy/find/TS1/index.html",
              "cy/areas/south-ward/index.html"]
    build_site(site, out, DAY, state_dir=state)
    assert all("Ward y Gogledd" in (out / path).read_text() for path in naming)
    assert "Ward y Gogledd" not in (out / "areas/south-ward/index.html").read_text()
    area = site / "content/areas/north-ward/area.cy.yaml"
    area.write_text(area.read_text().replace("name: Ward y Gogledd", "name: Gogledd Newydd"))
    reporter = Reporter()
    build_site(site, out, DAY, state_dir=state, reporter=reporter)
    assert all("Gogledd Newydd" in (out / path).read_text() for path in naming)
    build_site(site, tmp_path / "clean", DAY)
    differ = [p for p in (tmp_path / "clean").rglob("*") if p.is_file()
              and p.read_bytes() != (out / p.relative_to(tmp_path / "clean")).read_bytes()]
    assert differ == []
    changed = set(reporter.rendered) - set(reporter.unchanged)
    # the location index and the postcode lookups are one for the site, and name each ward in every language
    assert changed and all(path.startswith("cy/") or path in ("find/wards.json", "find/TS1.json")
                           for path in changed), changed


# -- site.yaml -----------------------------------------------------------------------------------

def config_problems(tmp_path: Path, site_yaml: str, **others: str) -> list[str]:
    (tmp_path / "site.yaml").write_text("name: Test\nbase_url: https://example.org/\n" + site_yaml)
    for name, text in others.items():
        (tmp_path / f"site.{name}.yaml").write_text(text)
    try:
        load_config(tmp_path)
    except SitegenError as error:
        return [str(p) for p in error.problems]
    return []


@pytest.mark.parametrize("site_yaml, others, expected", [
    ("languages: [en, cy]\nlanguage: en\n", {}, "site.yaml:4:11: language: is given with 'languages'"),
    ("languages: [en, xx]\n", {}, "site.yaml:3:17: languages[2]: 'xx' is not a language tag"),
    ("languages: [en, cy]\nlanguage_paths:\n  cy: areas\n", {},
     "site.yaml:5:7: language_paths.cy: the pages in 'cy' would be under /areas/"),
    ("languages: [en, cy]\nlanguage_paths:\n  cy: Cy/\n", {}, "site.yaml:5:7: language_paths.cy: 'Cy/' is not"),
    ("languages: [en, cy]\nrequired_languages: [pl]\n", {}, "site.yaml:4:22: required_languages[1]: names 'pl'"),
    ("languages: [en, cy, CY]\n", {}, "site.yaml:3:21: languages[3]: names 'CY' twice"),
    ("languages: [en, cy]\n", {"pl": "name: Testu\n"}, "site.pl.yaml:1:1: is for the language 'pl'"),
    ("languages: [en, cy]\n", {"cy": "base_url: https://example.org/cy/\n"}, "site.cy.yaml:1:11: base_url:"),
])
def test_language_settings_that_cannot_work_are_located(tmp_path, site_yaml, others, expected):
    problems = config_problems(tmp_path, site_yaml, **others)
    assert any(p.startswith(expected) for p in problems), problems


def test_languages_paths_and_welsh_texts_are_read(tmp_path):
    (tmp_path / "site.yaml").write_text(
        "name: Test\nbase_url: https://example.org/\nlanguages: [en-GB, cy]\nlanguage_paths:\n  cy: cymraeg\n"
        "required_languages: [cy]\nservices:\n  - title: Lost property\n    url: /lost/\n")
    (tmp_path / "site.cy.yaml").write_text("name: Prawf\nservices:\n  - title: Eiddo coll\n")
    config = load_config(tmp_path)
    assert [(lang.code, lang.prefix) for lang in config.languages] == [("en-GB", ""), ("cy", "/cymraeg")]
    assert config.language == "en-GB" and config.required_languages == ("cy",) and config.multilingual
    welsh = config.in_language("cy")
    assert (welsh.name, welsh.language, welsh.services[0].title, welsh.services[0].url) == \
        ("Prawf", "cy", "Eiddo coll", "/lost/")
    (tmp_path / "site.cy.yaml").unlink()
    (tmp_path / "site.yaml").write_text("name: Test\nbase_url: https://example.org/\nlanguage: cy\n")
    config = load_config(tmp_path)
    assert [(lang.code, lang.path) for lang in config.languages] == [("cy", "")] and not config.multilingual


# -- links in a body ------------------------------------------------------------------------------

SEGMENT = st.text("abc-/", min_size=0, max_size=12)


@settings(max_examples=50, deadline=None)
@given(paths=st.lists(st.tuples(SEGMENT, st.sampled_from(["", "#top", "?q=1"]), st.booleans()), max_size=6))
def test_body_links_lead_to_the_languages_page_only_where_the_build_makes_one(paths):
    """A link to a site path goes under /cy exactly when /cy<path> is made; a link already
    under /cy, an outside link and one to a page not made in Welsh are left as written."""
    known = {f"/cy/{path}" for path, _, made in paths if made}
    html = "".join(f'<a href="/{path}{tail}">x</a><a href="https://example.org/{path}">y</a>'
                   for path, tail, _ in paths)
    out = localised_links(html, "/cy", known.__contains__)
    expected = "".join(
        f'<a href="{"/cy" if f"/cy/{path}" in known and not f"/{path}".startswith("/cy/") else ""}/{path}{tail}">x</a>'
        f'<a href="https://example.org/{path}">y</a>' for path, tail, _ in paths)
    assert out == expected
    assert localised_links(out, "/cy", known.__contains__) == out   # once is enough
