"""Content translations (content/translations.py): the overlay of a translation over its
original, its located problems, and the site as each language shows it (Site.in_language)."""
from __future__ import annotations

import shutil
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.schema import Date, Field, ListOf, Record, Slug, Str, Where
from sitegen.content.site import load_site
from sitegen.content.translations import Languages, overlay, sort_names, split_name
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import Problems
from sitegen.model import original_path, translation_path
from sitegen.sitefiles import bad_names, name_fault

SITES = Path(__file__).parent / "sites"
BUILD_DATE = date(2026, 11, 28)

PERSON = Record(name="person", fields=[
    Field("name", Str(), required=True),
    Field("role", Str(), translatable=True),
])
EVENT = Record(name="event", fields=[
    Field("id", Slug, required=True),
    Field("title", Str(), translatable=True),
    Field("day", Date()),
])
THING = Record(name="thing", fields=[
    Field("title", Str(), required=True, translatable=True),
    Field("code", Str()),
    Field("day", Date()),
    Field("tags", ListOf(Str()), translatable=True),
    Field("people", ListOf(PERSON)),
    Field("events", ListOf(EVENT, key="id")),
])

words = st.from_regex(r"[A-Za-z]{1,6}( [A-Za-z]{1,6}){0,2}", fullmatch=True)
days = st.dates(date(2000, 1, 1), date(2090, 12, 31)).map(date.isoformat)
people = st.lists(st.fixed_dictionaries({"name": words}, optional={"role": words}), max_size=3)
events = st.lists(st.fixed_dictionaries({"title": words}, optional={"day": days}), max_size=3).map(
    lambda items: [{"id": f"event-{n}", **item} for n, item in enumerate(items)])
originals = st.fixed_dictionaries({"title": words}, optional={
    "code": words, "day": days, "tags": st.lists(words, max_size=3), "people": people, "events": events})
# What a translation does with a value: leaves it out, copies it, or changes it.
CHOICES = st.sampled_from(["absent", "same", "changed"])


def changed(value: str) -> str:
    """VALUE, different: a date a day later, text with a word more."""
    try:
        return (date.fromisoformat(value) + timedelta(days=1)).isoformat()
    except ValueError:
        return value + " cy"


def located(data: dict, name: str):
    """DATA written as YAML and read back as the loaders read a file called NAME."""
    return parse_yaml(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), name)


@st.composite
def cases(draw):
    """(original, translation, the merged value expected, the names of the values a problem is about)."""
    original = draw(originals)
    translation: dict = {}
    expected = dict(original)
    wrong: list[str] = []
    for key in ("title", "code", "day"):
        choice = draw(CHOICES) if key in original else "absent"
        if choice == "absent":
            continue
        translation[key] = original[key] if choice == "same" else changed(original[key])
        if key == "title":
            expected[key] = translation[key]
        elif choice == "changed":
            wrong.append(key)
    if "tags" in original and draw(CHOICES) != "absent":
        tags = [changed(t) for t in original["tags"]] + (["extra"] if draw(st.booleans()) else [])
        translation["tags"] = tags
        expected["tags"] = tags   # plain words: the translation's whole list, of any length
    if "people" in original and draw(CHOICES) != "absent":
        translation["people"], merged = [], []
        for index, person in enumerate(original["people"], 1):
            name_choice, role_choice = draw(CHOICES), draw(CHOICES)
            item = {}
            if name_choice != "absent":
                item["name"] = person["name"] if name_choice == "same" else changed(person["name"])
                if name_choice == "changed":
                    wrong.append(f"people[{index}].name")
            if role_choice != "absent":
                item["role"] = changed(person.get("role", "officer"))
            translation["people"].append(item)
            merged.append({**person, **({"role": item["role"]} if "role" in item else {})})
        if translation["people"] and draw(st.booleans()):
            translation["people"].pop()
            wrong = [w for w in wrong if not w.startswith("people[")] + ["people"]
        else:
            expected["people"] = merged
    if "events" in original and draw(CHOICES) != "absent":
        chosen = draw(st.lists(st.sampled_from(original["events"]), unique_by=lambda e: e["id"])
                      if original["events"] else st.just([]))
        translated = [{"id": e["id"], "title": changed(e["title"])} for e in chosen]
        if draw(st.booleans()):
            translated.append({"id": "no-such-event", "title": "Dim"})
            wrong.append(f"events[{len(translated)}]")
        translation["events"] = translated
        titles = {e["id"]: e["title"] for e in translated}
        expected["events"] = [{**e, "title": titles.get(e["id"], e["title"])} for e in original["events"]]
    return original, translation, expected, wrong


def checked(data: dict) -> dict:
    """DATA as THING checks it (dates read), with no problems."""
    problems = Problems()
    out = THING.check(located(data, "thing.yaml"), Where("thing.yaml", (1, 1), ""), problems)
    assert not problems, list(problems)
    return out


@settings(max_examples=50, deadline=None)
@given(cases())
def test_absent_keys_fall_back_translated_keys_win_and_shared_keys_must_match(case):
    original, translation, expected, wrong = case
    problems = Problems()
    merged = overlay(THING, checked(original), located(translation, "thing.cy.yaml"),
                     Where("thing.cy.yaml", (1, 1), ""), problems, "thing.yaml")
    assert sorted(p.message.split(":")[0] for p in problems) == sorted(wrong)
    assert all(p.path == "thing.cy.yaml" and p.line > 0 and "thing.yaml" in p.message for p in problems)
    assert merged == checked(expected)


@settings(max_examples=50, deadline=None)
@given(originals)
def test_an_empty_translation_or_a_copy_of_the_original_changes_nothing(original):
    for translation in ({}, original):
        problems = Problems()
        merged = overlay(THING, checked(original), located(translation, "t.yaml"), Where("t.yaml", (1, 1), ""),
                         problems, "thing.yaml")
        assert not problems and merged == checked(original)


@pytest.mark.parametrize(("name", "expected"), [
    ("story.cy.md", ("story.md", "cy")), ("area.en-GB.yaml", ("area.yaml", "en-GB")),
    ("story.md", None), ("2026.11.01.md", None), ("area.yaml", None), ("a.b.cy.md", ("a.b.md", "cy"))])
def test_translation_names(name, expected):
    assert split_name(name) == expected


def test_paths_of_translations_and_originals():
    assert translation_path("content/pages/about.md", "cy") == "content/pages/about.cy.md"
    assert original_path("content/pages/about.cy.md", ["cy"]) == "content/pages/about.md"
    assert original_path("content/pages/about.cy.md", ["pl"]) == "content/pages/about.cy.md"
    assert original_path("content/areas/a/area.yaml", ["cy"]) == "content/areas/a/area.yaml"


def test_names_tell_translations_from_ordinary_files():
    problems = Problems()
    names = ["st.ann.md", "story.md", "story.cy.md", "ghost.cy.md", "story.fr.md", "story.en.md", "news.old.md",
             "news.md", "ghost.pl.md", "story.cy.cy.md"]
    found = sort_names(names, "news", Languages(("en", "cy")), problems)
    assert found.originals == ["st.ann.md", "story.md", "news.old.md", "news.md", "ghost.pl.md"]
    assert found.translations == {"cy": {"story.md": "story.cy.md"}}
    messages = {p.path: p.message for p in problems}
    assert "ghost.md, which does not exist" in messages["news/ghost.cy.md"]
    assert "'fr', which this site does not have" in messages["news/story.fr.md"]
    assert "the site's default language" in messages["news/story.en.md"]
    assert "story.cy.md, which is itself a translation" in messages["news/story.cy.cy.md"]


def bilingual(tmp_path: Path, required: bool = False) -> Path:
    """The minimal site in two languages, English and Welsh, with some Welsh translations."""
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    config = site / "site.yaml"
    extra = "languages: [en, cy]\n" + ("required_languages: [cy]\n" if required else "")
    config.write_text(config.read_text().replace("name: Test Police\n", "name: Test Police\n" + extra, 1))
    north = site / "content/areas/north-ward"
    (north / "area.cy.yaml").write_text(
        "name: Ward y Gogledd\n"
        "summary: Gogledd y dref.\n"
        "code: E05999001\n"
        "team:\n"
        "  - name: Ada Lovelace\n"
        "    role: Rhingyll\n"
        "  - name: Alan Turing\n"
        "    role: Cwnstabl\n"
        "events:\n"
        "  - id: street-surgery-2027-01-10\n"
        "    title: Cymhorthfa stryd\n")
    (north / "news/bike-marking.cy.md").write_text("---\ntitle: Marcio beiciau\n---\nCorff y stori.\n")
    (site / "content/pages/about.cy.md").write_text("---\ntitle: Amdanom ni\n---\nAm y wefan.\n")
    (site / "site.cy.yaml").write_text("name: Heddlu Prawf\n")
    return site


def test_the_site_in_a_language_has_the_translations_and_the_originals_elsewhere(tmp_path):
    site, problems = load_site(bilingual(tmp_path), BUILD_DATE)
    assert not problems, list(problems)
    welsh = site.in_language("cy")
    assert site.in_language("cy") is welsh and welsh.in_language("en") is site and site.in_language("en") is site
    north, south = welsh.area("north-ward"), welsh.area("south-ward")
    assert (north.name, north.summary, north.source) == (
        "Ward y Gogledd", "Gogledd y dref.", "content/areas/north-ward/area.cy.yaml")
    assert [(m.name, m.role) for m in north.team] == [("Ada Lovelace", "Rhingyll"), ("Alan Turing", "Cwnstabl")]
    assert north.contact == site.area("north-ward").contact   # shared, left out: the original's
    surgery = next(e for e in north.events if e.uid.startswith("north-ward.street-surgery"))
    assert surgery.title == "Cymhorthfa stryd"
    assert [e.uid for e in north.events] == [e.uid for e in site.area("north-ward").events]
    assert south is site.area("south-ward")
    assert [n.slug for n in north.news] == [n.slug for n in site.area("north-ward").news]   # no new story
    bike = next(n for n in north.news if n.slug == "bike-marking")
    assert (bike.title, bike.source, bike.url) == (
        "Marcio beiciau", "content/areas/north-ward/news/bike-marking.cy.md", "/areas/north-ward/news/bike-marking/")
    assert welsh.page("about").source == "content/pages/about.cy.md"
    assert welsh.boroughs[0].areas[0].name in {"Ward y Gogledd", "South Ward"}
    speed = next(n for n in site.area("north-ward").news if n.slug != "bike-marking")
    for record, expected in [(north, True), (site.area("north-ward"), True), (south, False), (bike, True),
                             (speed, False), (site.page("about"), True), (welsh.page("about"), True)]:
        assert site.translated(record, "cy") is expected and welsh.translated(record, "cy") is expected
        assert site.translated(record, "en")


def test_a_site_without_translations_loads_the_same_model(tmp_path):
    one, _ = load_site(SITES / "minimal", BUILD_DATE)
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("name: Test Police\n", "name: Test Police\nlanguages: [en, cy]\n"))
    two, problems = load_site(site, BUILD_DATE)
    assert not problems
    assert one.in_language(one.default_language) is one and not one.translation_files
    assert all(not a.translations for a in one.areas) and all(not p.translations for p in one.pages)
    assert two.areas == one.areas and two.pages == one.pages
    welsh = two.in_language("cy")
    assert welsh.areas == one.areas and welsh.pages == one.pages
    assert not any(two.translated(r, "cy") for r in (*two.areas, *two.pages, *two.areas[0].news))


def test_a_translation_on_a_site_of_one_language_is_a_problem(tmp_path):
    site = tmp_path / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    (site / "content/pages/about.cy.md").write_text("---\ntitle: Amdanom\n---\n")
    _, problems = load_site(site, BUILD_DATE)
    assert [str(p) for p in problems] == [
        "content/pages/about.cy.md: is a translation into 'cy', which this site does not have (languages:"
        " en-GB); add 'cy' to 'languages' in site.yaml, or remove the file"]


def problems_of(tmp_path: Path, files: dict[str, str]) -> list[str]:
    """The problems, as printed, of the bilingual site with FILES (site path: text) written in it."""
    site = bilingual(tmp_path)
    for rel, text in files.items():
        (site / rel).write_text(text)
    _, problems = load_site(site, BUILD_DATE)
    return [str(p) for p in problems]


AREA_CY = "content/areas/north-ward/area.cy.yaml"


@pytest.mark.parametrize(("files", "expected"), [
    ({AREA_CY: "name: Gogledd\ncontact:\n  phone: 020 7946 9999\n"},
     f"{AREA_CY}:3:10: contact.phone: is the same in every language, and differs from area.yaml; change it in"
     " area.yaml, or remove it here"),
    ({AREA_CY: "name: Gogledd\nteam:\n  - role: Rhingyll\n"},
     f"{AREA_CY}:3:5: team[1]: needs 'name': the name of the team member in area.yaml it translates, so its"
     " words stay with that team member"),
    ({AREA_CY: "name: Gogledd\nsumary: Gogledd y dref.\n"},
     f"{AREA_CY}:2:1: sumary: unknown key 'sumary' in area.yaml; did you mean 'summary'?"),
    ({AREA_CY: "name: Gogledd\npriorities:\n  - issue: Goryrru\n    date: 2026-9-01\n  - issue: Beiciau\n"},
     f"{AREA_CY}:4:11: priorities[1].date: expected a date written YYYY-MM-DD, found '2026-9-01'; write"
     " 2026-09-01"),
    ({AREA_CY: "events:\n  - id: no-such-event\n    title: Dim\n"},
     f"{AREA_CY}:2:5: warning: events[1]: there is no item with id 'no-such-event' in area.yaml, so its words"
     " are not shown; if it left area.yaml, remove it here, else write the id as it is there (the same in"
     " every language)"),
    ({"content/areas/north-ward/area.fr.yaml": "name: Nord\n"},
     "content/areas/north-ward/area.fr.yaml: is a translation into 'fr', which this site does not have"
     " (languages: en, cy); add 'fr' to 'languages' in site.yaml, or remove the file"),
    ({"content/areas/north-ward/news/ghost.cy.md": "---\ntitle: Ysbryd\n---\n"},
     "content/areas/north-ward/news/ghost.cy.md: translates ghost.md, which does not exist; name it after the"
     " file it translates (like 'story.cy.md' beside 'story.md'), or remove it"),
    ({"content/areas/north-ward/news/bike-marking.cy.md": "---\ntitle: Marcio\ndate: 2026-02-30\n---\n"},
     "content/areas/north-ward/news/bike-marking.cy.md:3:7: date: '2026-02-30' is not a real date; check the"
     " month (01-12) and the day (01 to the month's last day), written YYYY-MM-DD"),
    ({"content/areas/north-ward/news/bike-marking.cy.md": "---\ntitle: Marcio\nslug: other\n---\n"},
     "content/areas/north-ward/news/bike-marking.cy.md:3:7: slug: is the same in every language, and differs"
     " from bike-marking.md; change it in bike-marking.md, or remove it here"),
    ({"content/pages/about.cy.md": "---\ntitle: Amdanom\n---\n# Pennawd\n"},
     "content/pages/about.cy.md:4:1: a '# ' heading would be a second page title; start headings at '## '"),
])
def test_each_problem_is_located_in_the_translation(tmp_path, files, expected):
    assert expected in problems_of(tmp_path, files)


@pytest.mark.parametrize("name", ["story.cy.md", "area.cy.yaml", "about.en-GB.md", "site.cy.yaml"])
def test_the_name_checks_accept_translations_and_still_refuse_what_they_refused(name):
    assert name_fault(name) is None
    stem, _, rest = name.partition(".")
    for bad in (f"{stem}\u202e.{rest}", f" {name}", f"{stem}\t.{rest}", f"{stem}.{rest} "):
        assert name_fault(bad) is not None


def test_a_bilingual_site_has_no_bad_names(tmp_path):
    assert bad_names(bilingual(tmp_path)) == []


def test_an_empty_translation_translates_nothing_and_is_no_problem(tmp_path):
    assert problems_of(tmp_path, {AREA_CY: "", "content/pages/about.cy.md": "---\n---\n"}) == []
