"""No unmarked default-language words around records (issue 20, item 3; WCAG 3.1.2).

A Welsh page names other records than its own: the ward of a story in its breadcrumbs, the
wards in the home and borough lists and the finder, site.yaml's words in the header, footer
and report links.  Where such a record has no Welsh, its words are English: each must sit
inside an element marked with the default language's `lang`, so a screen reader speaks them
as English, and a translated record's words must not be marked.

The example site is copied with a fixed mix of records left untranslated (their *.cy.* files
and site.cy.yaml removed, or a name or title left out of one; their English names made
unmistakable) and built once; every /cy/ page is scanned (`unmarked`) for those records' words
outside a lang="en" element, and the Welsh Atom feeds and calendars for their xml:lang and
LANGUAGE.  The marking itself is checked at the unit level over random mixes with hypothesis
(wards untranslated or without a Welsh name; site.yaml's texts site.cy.yaml leaves out), and
the scripts' (Use my location, the postcode finder) in Chromium."""
from __future__ import annotations

import json
import re
import shutil
import xml.etree.ElementTree as ET
from dataclasses import replace
from datetime import date
from functools import partial
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from markupsafe import Markup
from playwright.sync_api import expect

from conftest import BUILD_DATE, ROOT, SITES, run_cli
from sitegen import i18n
from sitegen.content.site import group_boroughs, load_site
from sitegen.errors import Problems
from sitegen.feeds.view import FeedView
from sitegen.model import Area, Site
from sitegen.outputs import finder, pages
from sitegen.outputs.base import RenderContext
from sitegen.outputs.locate import render_locate
from sitegen.outputs.pages import written_lang
from sitegen.render import make_environment
from test_locate import located_in_any_language
from test_welsh_everywhere import welsh_example

VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
SPOKEN = ("aria-label", "title", "alt", "placeholder", "value")   # attributes a screen reader speaks
TEXT_ONLY = ("title", "desc")   # SVG elements that hold text only: no element inside marks a part


class Scan(HTMLParser):
    """What a page says, as a screen reader meets it: each text node and spoken attribute as
    (text, marked: inside an element marked lang="en…", whole: the text must be marked whole,
    as an attribute or an SVG <title>/<desc> can only be, main: inside <main>).

    The document's <title> (no element can be marked inside it), <script>, <style> and
    <meta> (read by no one) are left out."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool]] = []   # (tag, marked English)
        self.texts: list[tuple[str, bool, bool, bool]] = []
        self.feed(html)
        self.close()

    def _inside(self, *tags: str) -> bool:
        return any(tag in tags for tag, _ in self.stack)

    def _english(self) -> bool:
        return any(english for _, english in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        found = {k: v or "" for k, v in attrs}
        lang = found.get("lang", found.get("xml:lang", ""))
        english = tag != "html" and lang.split("-")[0] == "en" and "hreflang" not in found
        if tag not in VOID:
            self.stack.append((tag, english))
        if self._inside("script", "style", "head"):
            return
        marked = english or self._english()
        self.texts += [(" ".join(found[name].split()), marked, True, self._inside("main"))
                       for name in SPOKEN if found.get(name)]

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in VOID and self.stack and self.stack[-1][0] == tag:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if data.strip() and not self._inside("script", "style", "head"):
            whole = self._inside("svg") and self._inside(*TEXT_ONLY)
            self.texts.append((" ".join(data.split()), self._english(), whole, self._inside("main")))


def _holds(text: str, words: str, whole: bool) -> bool:
    """Whether TEXT shows WORDS: all of it, when WHOLE (a sentence around a name in an
    attribute cannot mark the name: WCAG 3.1.2 lets a proper name be), else anywhere in it."""
    if whole:
        return text == words
    return bool(re.search(rf"(?<!\w){re.escape(words)}(?!\w)", text))


def unmarked(html: str, words: tuple[str, ...], main: bool = True) -> list[str]:
    """Those of WORDS (texts of untranslated records) that HTML shows outside lang="en"
    (inside <main> too, when MAIN)."""
    texts = [(text, whole) for text, english, whole, in_main in Scan(html).texts
             if not english and (main or not in_main)]
    return [w for w in words if any(_holds(text, w, whole) for text, whole in texts)]


def marked(html: str, words: tuple[str, ...]) -> list[str]:
    """Those of WORDS that HTML shows inside a lang="en" element."""
    texts = [text for text, english, _, _ in Scan(html).texts if english]
    return [w for w in words if any(_holds(text, w, False) for text in texts)]


# ---------------------------------------------------------------- the example, partly Welsh

UNTRANSLATED_AREAS = ("alibon", "river")              # area.cy.yaml removed (their stories' stay)
UNTRANSLATED_NAMES = ("valence",)                      # area.cy.yaml without its `name`
UNTRANSLATED_STORIES = (("heath", "*"),)              # every story of a translated ward left English
UNTRANSLATED_TITLES = (("gascoigne", "bike-marking-event"),)   # story.cy.md without its `title`
UNTRANSLATED_PAGES = ("about",)
# report-anti-social-behaviour has no done_title (its done page has the theme's); clares-law is hosted
UNTRANSLATED_FORMS = ("report-crime", "report-anti-social-behaviour", "clares-law")
SUFFIX = " Englishonly"   # added to each untranslated ward's name: words no Welsh text holds


def _set_name(area_yaml: Path) -> str:
    text = area_yaml.read_text(encoding="utf-8")
    name = re.search(r"^name: (.+)$", text, re.M)
    assert name
    new = name.group(1).strip().strip("\"'") + SUFFIX
    area_yaml.write_text(text.replace(name.group(0), f"name: {new}", 1), encoding="utf-8")
    return new


def _front(path: Path, key: str) -> str:
    """The one-line value of KEY in the YAML or front matter of PATH ('' if none)."""
    found = re.search(rf"^{key}: (.+)$", path.read_text(encoding="utf-8"), re.M)
    return found.group(1).strip().strip("\"'") if found else ""


def _leave_out(path: Path, key: str) -> None:
    """Take KEY's line out of the translation at PATH: its original's words fall back."""
    text = path.read_text(encoding="utf-8")
    path.write_text(re.sub(rf"^{key}: .*\n", "", text, flags=re.M), encoding="utf-8")


def partly_welsh(folder: Path) -> tuple[Path, dict[str, tuple[str, ...]]]:
    """The example copied into FOLDER with the mix above untranslated, and the words of each
    kind of untranslated record: 'areas' (names), 'stories' (titles), 'pages' (titles),
    'forms' (titles), 'config' (site.yaml's name, description and links' titles)."""
    site = welsh_example(folder)
    areas = site / "content" / "areas"
    words: dict[str, list[str]] = {"areas": [], "stories": [], "pages": [], "forms": [], "config": []}
    for slug in UNTRANSLATED_AREAS:
        (areas / slug / "area.cy.yaml").unlink()
        words["areas"].append(_set_name(areas / slug / "area.yaml"))
    for slug in UNTRANSLATED_NAMES:
        _leave_out(areas / slug / "area.cy.yaml", "name")
        words["areas"].append(_set_name(areas / slug / "area.yaml"))
    for slug, pattern in UNTRANSLATED_STORIES:
        for welsh in sorted((areas / slug / "news").glob(f"{pattern}.cy.md")):
            welsh.unlink()
            words["stories"].append(_front(welsh.with_name(welsh.name.replace(".cy.md", ".md")), "title"))
    for slug, story in UNTRANSLATED_TITLES:
        _leave_out(areas / slug / "news" / f"{story}.cy.md", "title")
        words["stories"].append(_front(areas / slug / "news" / f"{story}.md", "title"))
    for slug in UNTRANSLATED_PAGES:
        (site / "content" / "pages" / f"{slug}.cy.md").unlink()
        words["pages"].append(_front(site / "content" / "pages" / f"{slug}.md", "title"))
    for form in UNTRANSLATED_FORMS:
        (site / "forms" / f"{form}.cy.yaml").unlink()
        original = site / "forms" / f"{form}.yaml"
        words["forms"] += [found for key in ("title", "done_title") if (found := _front(original, key))]
    (site / "site.cy.yaml").unlink()
    config = yaml.safe_load((site / "site.yaml").read_text(encoding="utf-8"))
    words["config"] = [config["name"], config["description"],
                       *(link["title"] for key in ("report_actions", "services", "footer_links")
                         for link in config.get(key, []))]
    return site, {kind: tuple(found) for kind, found in words.items()}


@pytest.fixture(scope="module")
def example(tmp_path_factory) -> tuple[Path, dict[str, tuple[str, ...]]]:
    root = tmp_path_factory.mktemp("fallback")
    site, words = partly_welsh(root / "site")
    out = root / "build"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(root / "state"))
    assert result.exit_code == 0, result.output
    return out, words


def welsh_pages(out: Path) -> list[Path]:
    """OUT's Welsh HTML pages but the editors' admin (English, for staff)."""
    return sorted(p for p in (out / "cy").rglob("*.html") if p.relative_to(out / "cy").parts[0] != "admin")


def test_no_unmarked_words_of_untranslated_records_on_welsh_pages(example):
    """Every Welsh page, <main> too (a ward's neighbours, a news index's heading)."""
    out, words = example
    every = tuple(w for found in words.values() for w in found)
    found = {}
    for page in welsh_pages(out):
        missed = unmarked(page.read_text(encoding="utf-8"), every)
        if missed:
            found[page.relative_to(out).as_posix()] = missed
    assert found == {}


def test_translated_records_are_not_marked(example):
    """The scan is not blind, and marks only what it must: a translated ward's name, a
    translated story's title and the theme's Welsh stay unmarked; the untranslated are marked."""
    out, words = example
    home = (out / "cy/index.html").read_text(encoding="utf-8")
    assert marked(home, words["areas"]) == list(words["areas"])
    assert unmarked(home, ("Becontree", "Thames")) == ["Becontree", "Thames"]
    assert marked(home, ("Becontree", "Thames", "Dewch o hyd i'ch tîm lleol")) == []
    assert unmarked(home.replace("</main>", f"<p>{words['areas'][0]}</p></main>"), words["areas"]) \
        == [words["areas"][0]]
    # site.yaml's words have no Welsh: the home page, which shows them, says parts are in English;
    # a borough's page, which names untranslated wards only, does not
    assert "Nid yw rhannau o’r dudalen hon wedi’u cyfieithu eto" in home
    borough = (out / "cy/boroughs/barking-and-dagenham/index.html").read_text(encoding="utf-8")
    assert "wedi’u cyfieithu eto" not in borough and "wedi’i chyfieithu eto" not in borough
    story = (out / "cy/areas/alibon/news/speed-watch-results/index.html").read_text(encoding="utf-8")
    welsh_title = _front(out.parent / "site/content/areas/alibon/news/speed-watch-results.cy.md", "title")
    assert unmarked(story, (welsh_title,), main=False) == [welsh_title]     # its own title, in Welsh
    assert marked(story, (welsh_title,)) == []
    assert marked(story, words["areas"]) == ["Alibon" + SUFFIX]               # its ward's, in the crumbs
    done = (out / "cy/forms/report-anti-social-behaviour/done/index.html").read_text(encoding="utf-8")
    assert marked(done, ("Adroddiad wedi’i anfon",)) == []                   # the theme's done title, in Welsh
    assert unmarked(done, ("Adroddiad wedi’i anfon",)) == ["Adroddiad wedi’i anfon"]
    english_story = (out / "cy/areas/heath/news/speed-watch-results/index.html").read_text(encoding="utf-8")
    assert unmarked(english_story, ("Heath",), main=False) == ["Heath"]      # a translated ward's crumb
    assert unmarked(english_story, words["stories"], main=False) == []        # the crumb of its title


def test_feeds_and_calendars_say_what_is_english(example):
    """The Welsh Atom feed marks each untranslated story's entry xml:lang="en-GB" (and is still
    XML); the Welsh calendar of an untranslated ward gives its events' words LANGUAGE=en-GB."""
    out, _ = example
    atom = "{http://www.w3.org/2005/Atom}"
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    heath = ET.parse(out / "cy/areas/heath/feed.xml").getroot()
    alibon = ET.parse(out / "cy/areas/alibon/feed.xml").getroot()
    assert heath.get(lang) == "cy" and alibon.get(lang) == "cy"
    assert {e.get(lang) for e in heath.iter(f"{atom}entry")} == {"en-GB"}     # its stories have no Welsh
    assert {e.get(lang) for e in alibon.iter(f"{atom}entry")} == {None}       # its stories are Welsh
    gascoigne = ET.parse(out / "cy/areas/gascoigne/feed.xml").getroot()
    titles = {e.findtext(f"{atom}id").rstrip("/").rsplit("/", 1)[1]: e.find(f"{atom}title")
              for e in gascoigne.iter(f"{atom}entry")}
    assert titles["bike-marking-event"].get(lang) == "en-GB"                  # its translation has no title
    assert titles["bike-marking-event"].text == _front(out.parent / "site/content/areas/gascoigne/news/"
                                                       "bike-marking-event.md", "title")
    assert {t.get(lang) for slug, t in titles.items() if slug != "bike-marking-event"} == {None}
    assert "xml:lang" not in (out / "areas/heath/feed.xml").read_text(encoding="utf-8").split("<entry", 1)[1]
    for slug, language in (("alibon", "en-GB"), ("heath", "cy")):
        ics = (out / f"cy/areas/{slug}/events.ics").read_text(encoding="utf-8")
        summaries = re.findall(r"^SUMMARY;LANGUAGE=([\w-]+):", ics, re.M)
        assert summaries and set(summaries) == {language}, slug


def _description(html: str) -> str:
    """The <meta name="description"> element of HTML."""
    found = re.search(r'<meta name="description"[^>]*>', html)
    assert found, "no description"
    return found.group(0)


def test_descriptions_feed_authors_and_lookups_say_what_is_english(example):
    """<meta name="description"> carries lang="en-GB" where it shows an untranslated record's
    summary (or site.yaml's description, site.cy.yaml gone), not where the summary is Welsh; the
    Welsh feeds' <author> (site.yaml's name) xml:lang, not the English feeds'; find/wards.json
    gives a Welsh name only for a ward with its own Welsh file giving one (a ward whose stories
    alone are translated has none)."""
    out, words = example
    read = partial(Path.read_text, encoding="utf-8")
    for english in ("cy/about/index.html", "cy/areas/alibon/index.html", "cy/index.html",
                    "cy/areas/heath/news/speed-watch-results/index.html", "cy/forms/report-crime/index.html",
                    "cy/forms/clares-law/index.html"):
        assert 'lang="en-GB"' in _description(read(out / english)), english
    for welsh in ("cy/areas/becontree/index.html", "cy/areas/alibon/news/speed-watch-results/index.html",
                  "about/index.html", "areas/alibon/index.html", "cy/forms/report-lost-property/index.html",
                  "forms/report-crime/index.html"):
        assert " lang=" not in _description(read(out / welsh)), welsh
    lang = "{http://www.w3.org/XML/1998/namespace}lang"
    author = "{http://www.w3.org/2005/Atom}author"
    assert ET.parse(out / "cy/areas/becontree/feed.xml").getroot().find(author).get(lang) == "en-GB"
    assert ET.parse(out / "areas/becontree/feed.xml").getroot().find(author).get(lang) is None
    index = json.loads(read(out / "find/wards.json"))
    unnamed = {w["slug"] for w in index["wards"] if "names" not in w}
    assert unnamed >= {*UNTRANSLATED_AREAS, *UNTRANSLATED_NAMES}
    assert not unnamed & {"heath", "gascoigne", "becontree"}


# ---------------------------------------------------------------- any mix, at the unit level

@pytest.fixture(scope="module")
def model() -> tuple[Site, jinja2.Environment]:
    site, problems = load_site(ROOT, date.fromisoformat(BUILD_DATE))
    assert not [p for p in problems if p.level == "error"]
    return replace(site, neighbours=pages.named_neighbours(site)), make_environment(ROOT)


def without_welsh(site: Site, slugs: frozenset[str], nameless: frozenset[str] = frozenset()) -> Site:
    """SITE with the areas SLUGS (and their stories) left untranslated, and those NAMELESS
    translated but for their name (their translation leaves it out)."""
    def version(area: Area) -> Area:
        if area.slug in slugs:
            return replace(area, translations=())
        if area.slug in nameless:
            return replace(area, translations=tuple((code, replace(v, fallbacks=v.fallbacks | {"name"}))
                                                    for code, v in area.translations))
        return area
    areas = tuple(version(a) for a in site.areas)
    return replace(site, areas=areas, boroughs=group_boroughs(list(areas), Problems()))


SLUGS = sorted(p.parent.name for p in (ROOT / "content" / "areas").glob("*/area.yaml"))
WARD = '{% from "partials/area_filter.html" import ward with context %}{% for a in areas %}{{ ward(a) }}{% endfor %}'


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(untranslated=st.frozensets(st.sampled_from(SLUGS)), nameless=st.frozensets(st.sampled_from(SLUGS)))
def test_any_mix_of_wards_is_marked_exactly(model, untranslated, nameless):
    """Whichever wards have no Welsh, or a Welsh file without a name, the Welsh lists (home and
    borough: the ward macro), maps, breadcrumbs, finder and neighbours' lists mark exactly their
    names, and none of the others."""
    base, env = model
    site = without_welsh(base, untranslated, nameless)
    ctx = RenderContext(site=site, env=env, assets={}, frame={}).in_language("cy")
    page = {"written": partial(written_lang, ctx)}
    with i18n.activate(ctx.language):
        listed = env.from_string(WARD).render(areas=pages._listed(ctx, ctx.site.areas), page=page)
    for area in ctx.site.areas:
        english = area.slug in untranslated | nameless
        assert (f'href="/cy/areas/{area.slug}/" lang="en-GB">' in listed) == english, area.slug
        assert isinstance(pages._named_crumbs(ctx, area)[-1][0], Markup) == english, area.slug
        assert bool(pages._outlines(ctx, [area])[0][3]) == english, area.slug
        assert finder._ward(ctx, area.slug)["translated"] != english, area.slug
        for neighbour in pages._neighbours(ctx, area.slug):   # the list on each of its neighbours' pages
            assert neighbour.translated != (neighbour.slug in untranslated | nameless), (area.slug, neighbour)
            assert neighbour.name == (base.area(neighbour.slug).name if not neighbour.translated
                                      else ctx.site.full_name(ctx.site.area(neighbour.slug)))
    assert listed.count('lang="en-GB"') == len(untranslated | nameless)
    index = json.loads(render_locate(RenderContext(site=site, env=env, assets={}, frame={}), ""))
    assert {w["slug"] for w in index["wards"] if "names" not in w} == untranslated | nameless


LATEST = '{% include "partials/latest_posts.html" %}'


def test_the_latest_posts_mark_an_untranslated_ward_s_name(model):
    """The line under a feed's title names the ward ('(Alibon team)', for a screen reader): marked
    where the ward has no Welsh, not where it has (the example's cache holds no posts: the scan
    above never meets this partial)."""
    base, env = model
    untranslated, translated = SLUGS[0], SLUGS[1]
    ctx = RenderContext(site=without_welsh(base, frozenset({untranslated})), env=env, assets={},
                        frame={}).in_language("cy")
    feed = FeedView("mastodon", "Posts", "https://social.example/@team", "https://social.example/@team.rss",
                    date(2026, 11, 1), False, ())
    with i18n.activate(ctx.language):
        for slug, english in ((untranslated, True), (translated, False)):
            area = ctx.site.area(slug)
            html = env.from_string(LATEST).render(feeds=[feed], area=area,
                                                  page={"written": partial(written_lang, ctx)})
            assert bool(marked(html, (area.name,))) == english, slug
            assert bool(unmarked(html, (area.name,))) != english, slug


# ---------------------------------------------------------------- names the scripts write

@pytest.fixture(scope="module")
def bilingual(bilingual_build: Path) -> Path:
    """tests/sites/bilingual built once for the session (conftest.bilingual_build)."""
    return bilingual_build


def test_the_scripts_lookups_say_which_names_are_translated(bilingual):
    """find/wards.json and find/<DISTRICT>.json (one for every language) give the language the
    wards' own names are written in, and each translated ward's name in the others."""
    index = json.loads((bilingual / "find/wards.json").read_text(encoding="utf-8"))
    assert index["language"] == "en"
    district = json.loads((bilingual / "find/TS1.json").read_text(encoding="utf-8"))
    assert district["language"] == "en"
    assert district["wards"] == {"north-ward": "North Ward", "south-ward": "South Ward"}
    assert district["names"] == {"north-ward": {"cy": "Ward y Gogledd"}}


def test_a_welsh_name_for_the_site_leaves_the_feed_s_author_unmarked(bilingual):
    """site.cy.yaml gives the site's name: the Welsh feed's <author> is Welsh, not marked."""
    feed = (bilingual / "cy/areas/north-ward/feed.xml").read_text(encoding="utf-8")
    assert "<author><name>Heddlu Prawf</name></author>" in feed


@pytest.mark.browser
def test_the_scripts_mark_an_untranslated_ward_s_name(browser, bilingual, serve_dir):
    """On a Welsh page, "Use my location" and the postcode finder name a translated ward in Welsh
    and mark an untranslated ward's name with the site's default, lang="en" (the words around stay Welsh)."""
    base = serve_dir(bilingual)
    context = browser.new_context(permissions=["geolocation"])
    page = context.new_page()
    page.goto(base + "/cy/")
    result = located_in_any_language(page, -0.995, 54.005)   # in south-ward
    expect(result).to_have_attribute("data-state", re.compile(r"^(inside|border)$"))
    expect(result.locator('a[href="/cy/areas/south-ward/"] span[lang="en"]')).to_have_text("South Ward")
    page.goto(base + "/cy/find/")
    box = page.locator("#postcode")
    box.fill("TS1 1AB")
    answer = page.locator("#postcode-result")
    expect(answer.locator('a[href="/cy/areas/south-ward/"] span[lang="en"]')).to_have_text("South Ward")
    box.fill("TS1 1AA")
    expect(answer.get_by_role("link", name="Ward y Gogledd")).to_have_attribute("href", "/cy/areas/north-ward/")
    expect(answer.locator("[lang]")).to_have_count(0)
    context.close()


def _site_paths(config: object) -> list[tuple[str, str]]:
    """(path, Welsh words) of site.yaml's texts the header, footer and report links show."""
    paths = [("name", config.name)]
    for key, fields in (("report_actions", ("title", "description")), ("footer_links", ("title",))):
        for index, link in enumerate(getattr(config, key)):
            paths += [(f"{key}.{index}.{name}", getattr(link, name)) for name in fields if getattr(link, name)]
    return paths


CHROME = '{% include "partials/header.html" %}{% include "partials/footer.html" %}' \
         '{% include "partials/report_actions.html" %}'


@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_site_words_a_welsh_file_leaves_out_are_marked_exactly(model, data):
    """Whichever of site.yaml's texts site.cy.yaml leaves out, the header, footer and report
    links mark exactly those (the theme's words and the texts it gives stay unmarked)."""
    base, env = model
    paths = _site_paths(base.config.in_language("cy"))
    left_out = data.draw(st.frozensets(st.sampled_from([path for path, _ in paths])))
    config = replace(base.config, text_fallbacks={"cy": left_out})
    ctx = RenderContext(site=replace(base, config=config), env=env, assets={}, frame={}).in_language("cy")
    shown = ctx.site.config
    with i18n.activate(ctx.language):
        html = env.from_string(CHROME).render(site=shown, report_url="/report/",
                                              page={"written": partial(written_lang, ctx)})
    scan = Scan(html).texts
    for path, words in _site_paths(shown):
        words = " ".join(words.split())
        # a description's phone number is a link of its own (tel_links): its text before that counts
        inside = {english for text, english, _, _ in scan if text == words
                  or (path.endswith("description") and len(text) > 10 and words.startswith(text))
                  or (path == "name" and words in text)}
        assert inside == {path in left_out}, (path, words, inside)


def test_a_ward_s_welsh_file_reaches_every_mark_of_its_name(tmp_path):
    """An area.cy.yaml written for an untranslated ward, then its name given (the same words as the
    English), rebuilds what marked its name (lists, maps, crumbs, finder, lookups) exactly as a
    clean build makes them."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "bilingual", site, ignore=shutil.ignore_patterns(".cache"))
    build_cli = partial(run_cli, "build", "--site", str(site), "--build-date", BUILD_DATE)
    assert build_cli("--out", str(tmp_path / "out"), "--state", str(tmp_path / "state")).exit_code == 0
    home = tmp_path / "out/cy/index.html"
    assert marked(home.read_text(encoding="utf-8"), ("South Ward",)) == ["South Ward"]
    welsh = site / "content/areas/south-ward/area.cy.yaml"
    for text, still_marked in (("summary: De'r dref.\n", True), ("name: South Ward\nsummary: De'r dref.\n", False)):
        welsh.write_text(text, encoding="utf-8")
        assert build_cli("--out", str(tmp_path / "out"), "--state", str(tmp_path / "state")).exit_code == 0
        assert bool(marked(home.read_text(encoding="utf-8"), ("South Ward",))) == still_marked, text
        clean = tmp_path / f"clean-{still_marked}"
        assert build_cli("--out", str(clean), "--state", str(clean) + "-state").exit_code == 0
        differ = [p.relative_to(clean).as_posix() for p in clean.rglob("*") if p.is_file()
                  and p.read_bytes() != (tmp_path / "out" / p.relative_to(clean)).read_bytes()]
        assert differ == [], text
