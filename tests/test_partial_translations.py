"""A translation that leaves words out is never a silent mix (issue 20): the overlay records
which translatable values fell back to the original (content/translations.overlay_parts), the
Welsh page marks exactly those with lang="en" and says so in its notice, and `check` names
them (warnings; errors under required_languages)."""
from __future__ import annotations

import re
import shutil
import subprocess
import sys
from collections import Counter
from dataclasses import dataclass, field
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import build as build_site
from sitegen.content.areas import AREA
from sitegen.content.schema import Where
from sitegen.content.site import load_site
from sitegen.content.translations import (
    Partial,
    fallen_back,
    overlay_parts,
    partly_translated,
    translation_warnings,
)
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import Problems
from sitegen.forms.translation import overlay_form
from test_forms_lang import bilingual_site

SITES = Path(__file__).parent / "sites"
SITEGEN = str(Path(sys.executable).parent / "sitegen")
DAY = date(2026, 11, 28)
NORTH = "content/areas/north-ward"
# Shown on the ward page (the 2026-10-01 meeting is over by DAY: not shown)
PAST_EVENT = "ward-panel-meeting-2026-10-01"


def original_area(site: Path, slug: str = "north-ward") -> dict:
    """The area.yaml of SLUG in SITE, checked."""
    rel = f"content/areas/{slug}/area.yaml"
    return AREA.check(parse_yaml((site / rel).read_text(), rel), Where(rel, (1, 1), ""), Problems())


def leaves(data: dict) -> list[str]:
    """Every translatable value of an area (DATA, checked), as paths in the file's order."""
    return sorted(fallen_back(AREA, data, None))


def welsh(text: str) -> str:
    return f"Cy {text}"


def translation_of(data: dict, chosen: set[str]) -> dict:
    """An area.cy.yaml giving Welsh words for the paths CHOSEN of the area DATA and no others;
    list items keep their shared keys (a member's name, a priority's date, an event's id), as
    import-police-uk writes a new item into a translation."""
    out: dict = {}
    for path in sorted(chosen):
        head, *rest = path.split(".")
        if not rest:
            out[head] = welsh(data[head]) if isinstance(data[head], str) else [welsh(x) for x in data[head]]
        elif head == "contact":
            out.setdefault("contact", {})[rest[0]] = welsh(data["contact"][rest[0]])
        elif head in ("team", "priorities"):
            shared = "name" if head == "team" else "date"
            items = out.setdefault(head, [{shared: item[shared]} for item in data[head]])
            items[int(rest[0])][rest[1]] = welsh(data[head][int(rest[0])][rest[1]])
        elif head == "events":
            events = out.setdefault("events", {})
            original = next(e for e in data["events"] if e["id"] == rest[0])
            events.setdefault(rest[0], {"id": rest[0]})[rest[1]] = welsh(original[rest[1]])
    if "events" in out:
        out["events"] = list(out["events"].values())
    for item in out.get("priorities", ()):
        item["date"] = item["date"].isoformat()
    return out


def write_yaml(path: Path, data: dict) -> None:
    path.write_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True) if data else "")


def complete_site_texts(site: Path) -> None:
    """A site.cy.yaml giving Welsh for every word of SITE's site.yaml."""
    data = yaml.safe_load((site / "site.yaml").read_text())
    texts = {key: welsh(data[key]) for key in ("name", "description") if key in data}
    for key in ("report_actions", "services", "footer_links"):
        if data.get(key):
            texts[key] = [{word: welsh(item[word]) for word in ("title", "description") if word in item}
                          for item in data[key]]
    write_yaml(site / "site.cy.yaml", texts)


def complete_translations(site: Path) -> None:
    """Give every area, story and page of SITE (the minimal site) and its site.yaml a translation
    of all its words."""
    complete_site_texts(site)
    for folder in (site / "content/areas").iterdir():
        data = original_area(site, folder.name)
        write_yaml(folder / "area.cy.yaml", translation_of(data, set(leaves(data))))
    for path in [*(site / "content/areas").glob("*/news/*.md"), *(site / "content/pages").glob("*.md")]:
        if path.stem.endswith(".cy"):
            continue
        _, front, _body = path.read_text().split("---\n", 2)
        meta = {key: welsh(value) for key, value in yaml.safe_load(front).items() if key in ("title", "summary")}
        path.with_suffix(".cy.md").write_text(
            "---\n" + yaml.safe_dump(meta, allow_unicode=True) + "---\nCorff y stori.\n")


@pytest.fixture(scope="module")
def bilingual(tmp_path_factory) -> Path:
    """The minimal site in English and Welsh, every record translated in full, north-ward with a
    description and a meeting place too (more words to leave out)."""
    tmp = tmp_path_factory.mktemp("partial")
    site = tmp / "site"
    shutil.copytree(SITES / "minimal", site, ignore=shutil.ignore_patterns("expected", ".cache"))
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("name: Test Police\n", "name: Test Police\nlanguages: [en, cy]\n"))
    area = site / NORTH / "area.yaml"
    area.write_text(area.read_text().replace("contact:\n", "description: |-\n  First part.\n\n  Second part.\n"
                                             "contact:\n  address: Town hall\n"))
    complete_translations(site)
    return site


@dataclass
class Element:
    """An element of a parsed page: its tag, attributes, children (elements and texts)."""

    tag: str
    attrs: dict[str, str]
    parent: Element | None = None
    children: list[Element | str] = field(default_factory=list)

    def text(self) -> str:
        """Its text, white space collapsed."""
        return " ".join("".join(c if isinstance(c, str) else c.text() for c in self.children).split())

    def iter(self):
        yield self
        for child in self.children:
            if isinstance(child, Element):
                yield from child.iter()

    def inside(self, tag: str, css_class: str) -> bool:
        """Whether an ancestor is a TAG of class CSS_CLASS."""
        up = self.parent
        while up is not None:
            if up.tag == tag and css_class in up.attrs.get("class", "").split():
                return True
            up = up.parent
        return False


VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class _Tree(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = self.at = Element("#document", {})

    def handle_starttag(self, tag, attrs):
        element = Element(tag, {k: v or "" for k, v in attrs}, self.at)
        self.at.children.append(element)
        if tag not in VOID:
            self.at = element

    def handle_endtag(self, tag):
        up = self.at
        while up is not None and up.tag != tag:
            up = up.parent
        if up is not None and up.parent is not None:
            self.at = up.parent

    def handle_data(self, data):
        self.at.children.append(data)


def parse(page: Path) -> Element:
    tree = _Tree()
    tree.feed(page.read_text())
    return tree.root


def marked(page: Path) -> Counter[str]:
    """The texts of the elements marked lang="en" in PAGE's main content, but for the ward's
    news list (its stories are records of their own)."""
    main = next(el for el in parse(page).iter() if el.attrs.get("id") == "main-content")
    return Counter(el.text() for el in main.iter()
                   if el.attrs.get("lang") == "en" and not el.inside("ul", "sitegen-news-list"))


def unmarked_name(page: Path, name: str) -> int:
    """How many texts in PAGE's main content show NAME (not its Welsh, 'Cy NAME') outside a
    lang="en" element: a ward's name in the theme's sentences ('About North Ward') too."""
    main = next(el for el in parse(page).iter() if el.attrs.get("id") == "main-content")
    found = 0
    for el in main.iter():
        english = el.attrs.get("lang") == "en" or _inside_lang(el)
        found += sum(len(re.findall(rf"(?<!Cy ){re.escape(name)}", child)) for child in el.children
                     if isinstance(child, str) and not english)
    return found


def _inside_lang(el: Element) -> bool:
    up = el.parent
    while up is not None:
        if up.attrs.get("lang") == "en":
            return True
        up = up.parent
    return False


def notice(page: Path) -> str:
    """The words of PAGE's translation notice ('' if it has none)."""
    return " ".join(el.text() for el in parse(page).iter() if "govuk-inset-text" in el.attrs.get("class", ""))


def shown_text(data: dict, path: str) -> list[str]:
    """The texts the ward page shows of the value at PATH of DATA (none for a past event's)."""
    head, *rest = path.split(".")
    if head == "events":
        return [] if rest[0] == PAST_EVENT else [next(e for e in data["events"] if e["id"] == rest[0])[rest[1]]]
    if head in ("team", "priorities"):
        return [data[head][int(rest[0])][rest[1]]]
    if head == "contact":
        return [data["contact"][rest[0]]]
    if head == "description":
        return data["description"].split("\n\n")
    return [data[head]]


def described(data: dict, path: str) -> str:
    """PATH as `check` names it to an editor."""
    head, *rest = path.split(".")
    if head == "team":
        return f"the {rest[1]} of team member {int(rest[0]) + 1}"
    if head == "priorities":
        return f"the {rest[1]} of the priority of {data['priorities'][int(rest[0])]['date'].isoformat()}"
    if head == "events":
        return f"the {rest[1]} of event '{rest[0]}'"
    return f"the contact {rest[0]}" if head == "contact" else head


def build(site: Path) -> Path:
    out = site.parent / "out"
    build_site(site, out, DAY, jobs=1, state_dir=site.parent / "state")
    return out


def test_a_fully_translated_site_marks_nothing_and_check_is_quiet(bilingual):
    out = build(bilingual)
    for page in ("cy/areas/north-ward/index.html", "cy/areas/north-ward/news/bike-marking/index.html",
                 "cy/about/index.html"):
        assert marked(out / page) == Counter() and notice(out / page) == "", page
    site, problems = load_site(bilingual, DAY)
    assert not problems and translation_warnings(site) == [] and partly_translated(site, "cy") == []


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_the_welsh_page_marks_exactly_what_the_translation_leaves_out(bilingual, data):
    original = original_area(bilingual)
    every = leaves(original)
    chosen = data.draw(st.sets(st.sampled_from(every)), label="translated")
    left_out = [path for path in every if path not in chosen]
    write_yaml(bilingual / NORTH / "area.cy.yaml", translation_of(original, chosen))
    try:
        out = build(bilingual)
        page = out / "cy/areas/north-ward/index.html"
        expected = Counter(text for path in left_out for text in shown_text(original, path))
        # the ward's name is marked in the theme's sentences too ('About North Ward'): counted apart
        assert marked(page) - Counter({"North Ward": 99}) == expected - Counter({"North Ward": 99})
        assert unmarked_name(page, "North Ward") == 0
        assert ("North Ward" in marked(page)) == ("name" in left_out)
        assert ("Nid yw rhannau" in notice(page)) == bool(expected)
        site, problems = load_site(bilingual, DAY)
        assert not problems
        partial = partly_translated(site, "cy")
        warnings = [w for w in translation_warnings(site) if w.path == f"{NORTH}/area.cy.yaml"]
        if not left_out:
            assert partial == [] and warnings == []
        else:
            (found,) = partial
            assert found.translation == f"{NORTH}/area.cy.yaml" and found.original == f"{NORTH}/area.yaml"
            assert sorted(found.words) == sorted(described(original, path) for path in left_out)
            (warning,) = warnings
            assert all(word in warning.message for word in found.words) and warning.level == "warning"
    finally:
        complete_translations(bilingual)


def _page_order(paths: list[str], data: dict) -> list[str]:
    """PATHS with each priority numbered as the page (and the model) orders them, newest first."""
    order = sorted(range(len(data["priorities"])), key=lambda i: data["priorities"][i]["date"], reverse=True)
    place = {str(index): str(at) for at, index in enumerate(order)}
    return [f"priorities.{place[p.split('.')[1]]}.{p.split('.')[2]}" if p.startswith("priorities.") else p
            for p in paths]


def test_an_empty_translation_leaves_every_word_out(bilingual):
    original = original_area(bilingual)
    (bilingual / NORTH / "area.cy.yaml").write_text("")
    try:
        page = build(bilingual) / "cy/areas/north-ward/index.html"
        every = Counter(text for path in leaves(original) for text in shown_text(original, path))
        assert marked(page) - Counter({"North Ward": 99}) == every - Counter({"North Ward": 99})
        assert unmarked_name(page, "North Ward") == 0
        assert "Nid yw rhannau" in notice(page)
        site, _ = load_site(bilingual, DAY)
        assert site.fallbacks(site.area("north-ward"), "cy") == frozenset(_page_order(leaves(original), original))
        assert site.translated(site.area("north-ward"), "cy")
    finally:
        complete_translations(bilingual)


def test_a_story_or_page_without_title_or_body_shows_the_originals_marked(bilingual):
    story = bilingual / NORTH / "news/bike-marking.cy.md"
    page = bilingual / "content/pages/about.cy.md"
    story.write_text("---\nsummary: Marcio beiciau am ddim.\n---\n")
    page.write_text("---\ntitle: Amdanom ni\nsummary: Pwy sy'n ei rhedeg.\n---\n\n")
    try:
        out = build(bilingual)
        news = out / "cy/areas/north-ward/news/bike-marking/index.html"
        assert marked(news) == Counter({"Bike marking day": 1, "We marked 40 bikes at the library. Next time Come to"
                                        " the meeting. See South Ward.": 1})
        assert "Nid yw rhannau" in notice(news)
        assert 'href="/cy/areas/north-ward/#events"' in news.read_text()   # the English body, its links in Welsh
        feed = (out / "cy/areas/north-ward/feed.xml").read_text()   # the feed's entry too, marked
        assert re.search(r'<content type="html" xml:lang="en">[^<]*We marked', feed), feed
        about = out / "cy/about/index.html"
        assert marked(about) == Counter({'Run by Test Police.': 1}) and "Nid yw rhannau" in notice(about)
        listed = parse(out / "cy/areas/north-ward/news/index.html")
        assert [a.attrs.get("lang") for a in listed.iter() if a.tag == "a" and a.inside("ul", "sitegen-news-list")
                ] == ["en", None]   # bike-marking (its title left out), speed-checks (translated)
        site, _ = load_site(bilingual, DAY)
        assert {p.translation: p.words for p in partly_translated(site, "cy")} == {
            f"{NORTH}/news/bike-marking.cy.md": ("title", "body"), "content/pages/about.cy.md": ("body",)}
    finally:
        complete_translations(bilingual)


def test_required_languages_make_each_word_left_out_an_error_at_the_translation(bilingual, tmp_path):
    site = tmp_path / "site"
    shutil.copytree(bilingual, site)
    config = site / "site.yaml"
    config.write_text(config.read_text().replace("languages: [en, cy]\n", "languages: [en, cy]\n"
                                                 "required_languages: [cy]\n"))
    ok = subprocess.run([SITEGEN, "check", "--site", str(site)], capture_output=True, text=True, timeout=120)
    assert ok.returncode == 0 and "warning" not in ok.stdout + ok.stderr, ok.stderr
    original = original_area(site)
    write_yaml(site / NORTH / "area.cy.yaml", translation_of(original, set(leaves(original)) - {
        "summary", "team.1.role", "events.street-surgery-2027-01-10.location"}))
    found = subprocess.run([SITEGEN, "check", "--site", str(site)], capture_output=True, text=True, timeout=120)
    assert found.returncode == 1
    assert [line for line in found.stderr.splitlines() if "problem" not in line] == [
        f"{NORTH}/area.cy.yaml: leaves summary, the role of team member 2 and the location of event"
        " 'street-surgery-2027-01-10' in English (en), and 'required_languages' in site.yaml asks for every"
        " word in Welsh (cy); write them in this file"]


def test_the_overlay_records_what_falls_back_not_what_is_the_same(bilingual):
    original = original_area(bilingual)
    raw = parse_yaml("name: North Ward\nteam:\n  - name: Ada Lovelace\n  - name: Alan Turing\n"
                     "    role: Cwnstabl\n", "area.cy.yaml")
    problems = Problems()
    overlaid = overlay_parts(AREA, original, raw, Where("area.cy.yaml", (1, 1), ""), problems, "area.yaml")
    assert not problems
    assert "name" not in overlaid.fallbacks   # the same words as the original's: given
    assert {"team.0.role", "team.0.bio", "summary"} <= overlaid.fallbacks
    assert "team.1.role" not in overlaid.fallbacks and overlaid.value["team"][1]["role"] == "Cwnstabl"


# Forms ----------------------------------------------------------------------------------------

def form_translation(original: dict, chosen: set[str]) -> dict:
    """A forms/<form>.cy.yaml giving Welsh for the word paths CHOSEN (as left_out names them) of
    the form ORIGINAL and no others; pages, questions and options keep their keys."""
    out: dict = {}
    for path in sorted(chosen):
        parts = path.split(".")
        target, source = out, original
        while len(parts) > 1:
            key, name, *parts = parts
            items = target.setdefault(key, [])
            match = {"pages": "id", "questions": "name", "options": "value"}[key]
            found = next((i for i in source[key] if isinstance(i, dict) and i.get(match) == name),
                         {"value": name, "label": name})   # an option written as text
            source = found
            target = next((i for i in items if i[match] == name), None) or items.append({match: name}) or items[-1]
        target[parts[0]] = welsh(source[parts[0]])
    return out


FORM_PATHS = (
    "title", "summary", "submit_label", "done_title", "before_you_start", "what_happens_next",
    "pages.what.title", "pages.what.questions.kind.label", "pages.what.questions.kind.options.small.label",
    "pages.what.questions.kind.options.don-t-know.label", "pages.what.questions.details.label",
    "pages.what.questions.details.hint", "pages.what.questions.email.label",
    "pages.what.questions.email.summary_label")   # every word of tests/fixtures/forms_lang/report-test.yaml


@settings(max_examples=30, deadline=None)
@given(chosen=st.sets(st.sampled_from(FORM_PATHS)))
def test_a_form_translation_leaves_out_exactly_the_words_it_does_not_give(chosen):
    source = Path(__file__).parent / "fixtures/forms_lang/report-test.yaml"
    original = parse_yaml(source.read_text(), "report-test.yaml")
    every = form_left_out(original, None)
    assert every == set(FORM_PATHS)
    text = parse_yaml(yaml.safe_dump(form_translation(original, chosen), allow_unicode=True), "x.cy.yaml")
    assert form_left_out(original, text) == every - chosen


def form_left_out(original: object, text: object) -> frozenset[str]:
    """The words of ORIGINAL (a form as parsed) that TEXT (its translation as parsed) leaves out."""
    problems = Problems()
    _, fallbacks = overlay_form(original, text, Where("x.cy.yaml", (1, 1), ""), "report-test.yaml", problems)
    assert not problems, list(problems)
    return fallbacks


def test_a_welsh_form_marks_the_words_its_translation_leaves_out_and_check_names_them(tmp_path):
    root = bilingual_site(tmp_path / "site")
    translation = root / "forms/report-test.cy.yaml"   # leaves the email question out
    translation.write_text(translation.read_text().replace("        hint: Dywedwch ble a phryd.\n", ""))
    triage = root / "forms/triage.cy.yaml"
    triage.write_text(triage.read_text().replace("    title: Ffoniwch 999 nawr\n", ""))
    out = tmp_path / "out"
    build_site(root, out, DAY, jobs=1, state_dir=tmp_path / "state")
    form = out / "cy/forms/report-test/index.html"
    assert marked(form) == Counter({"Not sure this is the right form? Start again.": 1,
                                    "Include where and when.": 1, "Email address": 1})
    assert "Nid yw rhannau" in notice(form)
    done = out / "cy/forms/report-test/done/index.html"
    assert marked(done) == Counter() and notice(done) == ""   # its words are all translated
    call = out / "cy/report/call-999/index.html"
    assert marked(call) == Counter({"Call 999 now": 1}) and "Nid yw rhannau" in notice(call)
    start = out / "cy/report/index.html"   # the tree's other node: translated in full
    assert marked(start) == Counter() and notice(start) == ""
    site, _ = load_site(root, DAY)
    found, tree = partly_translated(site, "cy")
    assert (tree.translation, tree.words) == ("forms/triage.cy.yaml", ("the title of node 'call-999'",))
    assert found.translation == "forms/report-test.cy.yaml" and found.words == (
        "before_you_start", "the hint of question 'details' of page 'what'",
        "the label of question 'email' of page 'what'", "the summary_label of question 'email' of page 'what'")
    assert site.forms is not None
    english, welsh_form = site.forms.form("report-test"), site.forms.in_language("cy").form("report-test")
    assert english is not None and welsh_form is not None
    # the email question's words are English: so are its messages, which quote them, whole
    assert welsh_form.question("email").messages == english.question("email").messages
    assert welsh_form.question("details").messages["required"] == "Dywedwch wrthym beth ddigwyddodd"
    assert site.forms.untranslated("cy") == (
        ["forms/report-test.yaml", "forms/triage.yaml"], 2)


def test_site_yaml_words_left_out_are_named_at_site_cy_yaml(bilingual):
    (bilingual / "site.cy.yaml").write_text("name: Heddlu Prawf\n")
    try:
        site, problems = load_site(bilingual, DAY)
        assert not problems
        assert partly_translated(site, "cy") == [Partial("site.yaml", "site.cy.yaml", (
            "description", "the title of footer_links 1", "the description of report_actions 1",
            "the title of report_actions 1"))]
        (warning,) = [w for w in translation_warnings(site) if w.path == "site.cy.yaml"]
        assert warning.message.startswith("description, the title of footer_links 1,")
    finally:
        complete_translations(bilingual)
