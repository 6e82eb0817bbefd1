"""Issue 20's "Done when": every page type, form step, error state and result page exists in
Welsh, with no English word of the theme left in it.

The example site is built once in English and Welsh (a copy: while its site.yaml names one
language, `languages: [en, cy]` is put in its place, so the theme's words are Welsh and the
content, untranslated, is shown in English and marked so).  Every /cy/ page is scanned for
the theme catalogue's English strings (the msgids whose Welsh differs) in its visible text
and its aria-label, title, alt, placeholder and value attributes, outside elements marked
lang="en" (content shown for want of a translation).  The receiver (moto's S3 over HTTP)
answers each form's no-JavaScript post with a missing answer by a Welsh error page that is
scanned the same way, and a Welsh report goes to the Welsh done page.

tests/sites/bilingual (one ward translated, one not) proves the marking is exact: every
lang="en" element on a Welsh page holds words of an untranslated record only."""
from __future__ import annotations

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlencode

import pytest
import yaml
from babel.messages.pofile import read_po

from conftest import BUILD_DATE, ROOT, run_cli
from sitegen.i18n import LOCALE_DIR
from test_intake_support import FORM, SITE_URL, VALID_PAIRS, call, make_app, submissions

WELSH_PO = LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po"
CHECKED_ATTRIBUTES = ("aria-label", "title", "alt", "placeholder", "value")
VOID = frozenset("area base br col embed hr img input link meta source track wbr".split())
PLACEHOLDER_OR_TAG = re.compile(r"%\(\w+\)s|%%|<[^>]*>")
WORD = re.compile(r"[A-Za-z][A-Za-z'’-]*")


# ---------------------------------------------------------------- the catalogue's English

def _catalogue() -> list[tuple[str, str]]:
    """(msgid, msgstr) of every Welsh message, each plural form paired with its own English."""
    with open(WELSH_PO, "rb") as handle:
        catalog = read_po(handle)
    pairs = []
    for message in catalog:
        if not message.id:
            continue
        ids = message.id if isinstance(message.id, (list, tuple)) else (message.id,)
        strings = message.string if isinstance(message.string, (list, tuple)) else (message.string,)
        pairs += [(english, welsh or "") for english in ids for welsh in strings[:1]]
    return pairs


def english_fragments() -> list[str]:
    """The English a Welsh page must not show: each msgid whose Welsh differs, cut at its
    placeholders and markup into pieces, keeping those of two words or more and a whole
    one-word message of four letters or more ("Continue"; shorter ones, "Back", "Day", may be
    a name or part of one); a piece the Welsh itself uses (a name, "Relay UK") is left out."""
    pairs = _catalogue()
    welsh_text = "\n".join(" ".join(welsh.split()) for _, welsh in pairs)
    found = set()
    for english, welsh in pairs:
        if not welsh or " ".join(english.split()) == " ".join(welsh.split()):
            continue
        pieces = [" ".join(piece.split()).strip(" .,:;()‘’'\"") for piece in PLACEHOLDER_OR_TAG.split(english)]
        for piece in pieces:
            words = WORD.findall(piece)
            wanted = len(words) >= 2 or (len(words) == 1 and piece == english.strip(" .:") and len(piece) >= 4)
            if wanted and not re.search(rf"(?<!\w){re.escape(piece)}(?!\w)", welsh_text):
                found.add(piece)
    return sorted(found, key=len, reverse=True)


ENGLISH = english_fragments()


# ---------------------------------------------------------------- what a page shows

class Shown(HTMLParser):
    """The visible text of a page (with the CHECKED_ATTRIBUTES' values) outside elements
    marked lang="en" and outside <script> and <style>, as `text`; and the text inside each
    lang="en" element but the language switcher's links (hreflang), as `marked`."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.stack: list[tuple[str, bool, bool]] = []   # (tag, English, hidden from the scan)
        self.parts: list[str] = []
        self.marked: list[list[str]] = []
        self.lang = ""
        self.feed(html)
        self.close()

    @property
    def english(self) -> bool:
        return any(english for _, english, _ in self.stack)

    @property
    def skipped(self) -> bool:
        return any(skip for _, _, skip in self.stack)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "meta":   # not on the page (a description's lang: test_fallback_marking)
            return
        found = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = found.get("lang", "")
        english = (tag != "html" and found.get("lang", "").split("-")[0] == "en" and "hreflang" not in found)
        if english and not self.english:
            self.marked.append([])
        if tag not in VOID:
            # <title> cannot mark a part's language: a title of content not yet translated is English.
            self.stack.append((tag, english, tag in ("script", "style", "title")))
        if not self.skipped:   # a marked element's spoken attributes are its words too (a map's ward link)
            into = self.marked[-1] if self.english else self.parts
            into += [found[name] for name in CHECKED_ATTRIBUTES if found.get(name)]

    def handle_endtag(self, tag: str) -> None:
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self.skipped:
            return
        if self.english:
            self.marked[-1].append(data)
        else:
            self.parts.append(data)

    @property
    def text(self) -> str:
        return " ".join(" ".join(self.parts).split())


def english_in(html: str, content: tuple[str, ...] = ()) -> list[str]:
    """The catalogue's English strings HTML shows outside lang="en", once the words of
    CONTENT (untranslated_content) are taken out; a string found is taken out before the
    shorter ones are looked for ("Report something" is not also "Report")."""
    text = Shown(html).text
    for words in content:
        text = text.replace(words, " ¦ ")
    found = []
    for piece in ENGLISH:
        pattern = re.compile(rf"(?<!\w){re.escape(piece)}(?!\w)")
        if pattern.search(text):
            found.append(piece)
            text = pattern.sub(" ¦ ", text)
    return found


# ---------------------------------------------------------------- the example, in Welsh

def welsh_example(folder: Path) -> Path:
    """A copy of the example site with Welsh among its languages (its own site.yaml's when it
    has them)."""
    folder.mkdir(parents=True)
    for name in ("site.yaml", "content", "forms", "templates", "assets", "locale", "data"):
        source = ROOT / name
        if source.is_dir():
            shutil.copytree(source, folder / name, ignore=shutil.ignore_patterns(".cache"))
        elif source.is_file():
            shutil.copy(source, folder / name)
    for extra in ROOT.glob("site.*.yaml"):
        shutil.copy(extra, folder / extra.name)
    config = folder / "site.yaml"
    text = config.read_text(encoding="utf-8")
    if not re.search(r"^languages:", text, re.M):
        text = re.sub(r"^language: .*$", "languages: [en, cy]", text, count=1, flags=re.M)
        config.write_text(text, encoding="utf-8")
    return folder


def untranslated_content(site: Path) -> tuple[str, ...]:
    """The one-line texts of the site's forms without a Welsh file (forms/<id>.cy.yaml) and of
    site.yaml without site.cy.yaml, longest first: content not yet translated.  The theme marks
    such content lang="en" where it writes it, but not yet inside the GOV.UK components that
    show a form's questions (labels, hints, options, the send button), a form's title in the
    breadcrumbs and the report links, or site.yaml's words; the scan leaves these words out, so
    it looks for the theme's English only.  The example with its Welsh has none."""
    files = [f for f in sorted((site / "forms").glob("*.yaml")) if "." not in f.stem
             and not f.with_name(f"{f.stem}.cy.yaml").exists()]
    if not (site / "site.cy.yaml").exists():
        files.append(site / "site.yaml")
    found: set[str] = set()
    for path in files:
        found.update(_scalars(yaml.safe_load(path.read_text(encoding="utf-8"))))
    return tuple(sorted(found, key=len, reverse=True))


def _scalars(value: object) -> list[str]:
    """Every one-line string (two characters or more) in the YAML VALUE."""
    if isinstance(value, dict):
        return [text for item in value.values() for text in _scalars(item)]
    if isinstance(value, list):
        return [text for item in value for text in _scalars(item)]
    return [value.strip()] if isinstance(value, str) and "\n" not in value.strip() and len(value) > 1 else []


@pytest.fixture(scope="module")
def content(built) -> tuple[str, ...]:
    return untranslated_content(built.parent / "site")


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("welsh")
    site = welsh_example(root / "site")
    (site / "forms" / "report-crime.cy.yaml").unlink(missing_ok=True)   # one form left untranslated, marked
    out = root / "build"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE,
                     "--state", str(root / "state"))
    assert result.exit_code == 0, result.output
    return out


def html_pages(out: Path) -> list[str]:
    """The build paths of OUT's HTML pages but the editors' admin (English only, for staff)."""
    return sorted(p.relative_to(out).as_posix() for p in out.rglob("*.html")
                  if not p.relative_to(out).as_posix().startswith(("admin/", "cy/admin/")))


def test_the_catalogue_gives_english_to_look_for():
    assert len(ENGLISH) > 150
    assert "Report something" in ENGLISH and "There is a problem" in ENGLISH


def test_every_page_type_exists_in_welsh(built):
    pages = html_pages(built)
    english = [p for p in pages if not p.startswith("cy/")]
    welsh = {p.removeprefix("cy/") for p in pages if p.startswith("cy/")}
    assert english and set(english) == welsh
    kinds = ["index.html", "404.html", "boroughs/", "areas/", "/news/index.html", "/news/", "about/", "find/index.html", "find/", "forms/report-crime/index.html",
             "forms/report-crime/done/index.html", "report/"]
    for kind in kinds:
        assert any(kind in page for page in welsh), kind


def test_no_english_of_the_theme_on_any_welsh_page(built, content):
    found = {}
    for path in html_pages(built):
        if path.startswith("cy/"):
            page = (built / path).read_text(encoding="utf-8")
            assert Shown(page).lang == "cy", path
            english = english_in(page, content)
            if english:
                found[path] = english
    assert found == {}


def test_the_scan_finds_english(built, content):
    """The scan is not blind: the English pages are full of what it looks for, and a Welsh
    page with an English heading put in is caught, unless the heading is marked lang="en"."""
    assert len(english_in((built / "index.html").read_text(encoding="utf-8"))) > 10
    welsh = (built / "cy/index.html").read_text(encoding="utf-8")
    assert english_in(welsh.replace("</main>", "<h2>Report something</h2></main>"), content) \
        == ["Report something"]
    assert english_in(welsh.replace("</main>", '<h2 lang="en">Report something</h2></main>'), content) == []
    assert english_in(welsh.replace("</main>", '<a aria-label="Start again" href="/">x</a></main>'), content) \
        == ["Start again"]


def test_every_triage_question_and_outcome_is_in_welsh(built):
    """The tree's every page (each question and outcome) has its Welsh page (which the scan
    above reads), and the Welsh answers lead to Welsh pages."""
    steps = [p for p in html_pages(built) if p.startswith("report/")]
    assert len(steps) > 5
    for path in steps:
        welsh = (built / "cy" / path).read_text(encoding="utf-8")
        links = re.findall(r'class="govuk-link sitegen-choice__link" href="([^"]+)"', welsh)
        assert all(link.startswith("/cy/") or not link.startswith("/") for link in links), (path, links)


# ---------------------------------------------------------------- the receiver, in Welsh

@pytest.fixture
def schemas(built):
    """This module's built forms/ (overrides test_intake_support's example site)."""
    return built / "forms"


def native_forms(out: Path) -> list[str]:
    return sorted(p.parent.name for p in (out / "forms").glob("*/schema.json"))


def test_without_javascript_each_form_s_missing_answers_get_a_welsh_page(settings, s3, bucket, built, content):
    app = make_app(settings)
    forms = native_forms(built)
    assert len(forms) >= 5
    for form in forms:
        body = urlencode([("website", ""), ("client_token", ""), ("lang", "cy")]).encode("ascii")
        refused = call(app, path=f"/submit/{form}", body=body, content_type=FORM)
        assert refused.status == 422, (form, refused.status)
        page = refused.body.decode("utf-8")
        assert Shown(page).lang == "cy", form
        assert english_in(page, content) == [], form
        assert f'href="{SITE_URL}cy/forms/{form}/"' in page, form
    assert submissions(s3, bucket) == {}


def test_a_welsh_report_goes_to_the_welsh_done_page(settings, s3, bucket, built, content):
    body = urlencode([*VALID_PAIRS, ("lang", "cy")]).encode("ascii")
    answer = call(make_app(settings), path="/submit/report-crime", body=body, content_type=FORM)
    assert answer.status == 303
    assert re.fullmatch(re.escape(SITE_URL) + r"cy/forms/report-crime/done/\?ref=[A-Z]{2}-[0-9]{4}-\w+",
                        answer.headers["location"]), answer.headers["location"]
    done = (built / "cy/forms/report-crime/done/index.html").read_text(encoding="utf-8")
    assert Shown(done).lang == "cy" and english_in(done, content) == []
    assert len(submissions(s3, bucket)) == 1


# ---------------------------------------------------------------- lang="en" marks exactly

@pytest.fixture(scope="module")
def bilingual(bilingual_build: Path) -> Path:
    """tests/sites/bilingual built once for the session (conftest.bilingual_build)."""
    return bilingual_build


def welsh_words() -> list[str]:
    """The Welsh of every message of the theme of two words or more, cut at placeholders and markup."""
    found = set()
    for english, welsh in _catalogue():
        if welsh and " ".join(welsh.split()) != " ".join(english.split()):
            for piece in PLACEHOLDER_OR_TAG.split(welsh):
                piece = " ".join(piece.split()).strip(" .,:;()‘’'\"")
                if len(piece.split()) >= 2:
                    found.add(piece)
    return sorted(found)


def marked_texts(out: Path) -> set[str]:
    """The text of every lang="en" element of OUT's Welsh pages, each checked to be words the
    English page shows too (a record's, shown untranslated) and none of the theme's Welsh."""
    theme_welsh = [*welsh_words(), welsh_default_word()]
    found = set()
    for path in html_pages(out):
        if not path.startswith("cy/"):
            continue
        shown = Shown((out / path).read_text(encoding="utf-8"))
        english = Shown((out / path.removeprefix("cy/")).read_text(encoding="utf-8")).text
        for element in shown.marked:
            text = " ".join(" ".join(element).split())
            assert text and text in english, (path, text)
            assert not [w for w in theme_welsh if w in text], (path, text)
            found.add(text)
    return found


def welsh_default_word() -> str:
    """'(dewisol)': the Welsh the theme adds to an optional question's label."""
    welsh = dict(_catalogue())["%(label)s (optional)"]
    return welsh.replace("%(label)s", "").strip()


def test_an_untranslated_form_s_own_words_are_marked_and_the_theme_s_are_not(built):
    marked = marked_texts(built)
    assert {"What kind of crime was it?", "Theft", "Tell us what happened"} <= marked
    page = (built / "cy/forms/report-crime/index.html").read_text(encoding="utf-8")
    assert re.search(rf"</span> {re.escape(welsh_default_word())}\s*</(label|legend)>", page)


def test_only_untranslated_content_is_marked_english(bilingual):
    """On every Welsh page, each lang="en" element (the switcher's link aside) holds words of a
    record with no Welsh (they are on the English page too, and are not the Welsh version's),
    and none of the theme's Welsh; the untranslated story, page and ward are marked, the
    translated ward and story are not."""
    marked_somewhere = marked_texts(bilingual)
    assert {"Speed checks on Main Road", "About this site", "South Ward"} <= marked_somewhere
    assert "North Ward" not in marked_somewhere and not any("Gogledd" in text for text in marked_somewhere)
