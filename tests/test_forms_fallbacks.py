"""A Welsh form's words that fall back to English (issue 20; reviewer findings 2, 3, 5, 6).

Each word a translation leaves out is shown as the original has it, in an element whose `lang`
is the default language's, wherever it is written: an option of any question type (an <option>
takes the lang itself: it holds text only), the 'Answer this only if ...' sentence's quoted
words, and what forms.js writes from the rules (error summary, inline error, check your
answers).  The scripts write no English of their own on a page in another language.
"""
from __future__ import annotations

import json
import re
import shutil
import subprocess
from html import unescape
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.forms.fields import field
from sitegen.forms.model import Option, Question
from sitegen.forms.rules import FORMS_JS_WORDS, script_words
from sitegen.i18n import Language, activate, catalogue
from sitegen.render import make_environment

HERE = Path(__file__).parent
MINIMAL = HERE / "sites" / "minimal"
ENV = make_environment(HERE / "sites" / "minimal")
QUESTION_FIELD = ENV.from_string('{% from "forms/questions.html" import question_field %}'
                                 "{{ question_field(f) }}")
WELSH = Language("cy", "cy")
CHOICE_TYPES = ("radios", "checkboxes", "select")
OTHER_TYPES = ("text", "email", "tel", "number", "textarea", "date", "declaration", "address")
OPTIONS = (Option("keys", "Keys", hint="House or car keys"), Option("phone", "Phone"),
           Option("bag", "Bag & purse"), Option("other", "Something else", exclusive=True))


class Words(HTMLParser):
    """Each text of an HTML fragment, stripped, with the lang of its nearest element that has one."""

    VOID = {"input", "br", "img", "meta", "link", "hr"}

    def __init__(self) -> None:
        super().__init__()
        self.langs: list[str] = [""]
        self.found: list[tuple[str, str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in self.VOID:
            self.langs.append(dict(attrs).get("lang") or self.langs[-1])

    def handle_endtag(self, tag: str) -> None:
        if tag not in self.VOID and len(self.langs) > 1:
            self.langs.pop()

    def handle_data(self, data: str) -> None:
        if data.strip():
            self.found.append((" ".join(data.split()), self.langs[-1]))


def words_of(html: str) -> list[tuple[str, str]]:
    parser = Words()
    parser.feed(html)
    return parser.found


def rendered(question: Question, left_out: set[str]) -> str:
    """QUESTION drawn as a Welsh form draws it, with the words at LEFT_OUT's paths falling back."""
    with activate(WELSH):
        return QUESTION_FIELD.render(f=field(question, False, localised=True, written="en",
                                             left_out=lambda path: path in left_out))


def question_of(qtype: str, options: tuple[Option, ...]) -> Question:
    return Question(name="item", type=qtype, label="What did you lose?", page="lost", required=True,
                    hint="Tell us the main thing", summary_label="Item",
                    options=options if qtype in CHOICE_TYPES else ())


@pytest.mark.parametrize("qtype", CHOICE_TYPES + OTHER_TYPES)
@settings(max_examples=15, deadline=None)
@given(options=st.lists(st.sampled_from(OPTIONS), min_size=1, max_size=4, unique_by=lambda o: o.value),
       data=st.data())
def test_every_word_left_out_shows_and_is_marked_the_rest_not(qtype, options, data):
    """Finding 2: a select's option lost its words when marked.  Any question type, any subset of
    its words left out: each shows, in lang="en" exactly when left out."""
    question = question_of(qtype, tuple(options))
    paths = {"label": question.label, "hint": question.hint}
    for option in question.options:
        paths[f"options.{option.value}.label"] = option.label
        if option.hint and qtype != "select":   # an <option> has no hint
            paths[f"options.{option.value}.hint"] = option.hint
    left_out = data.draw(st.sets(st.sampled_from(sorted(paths))))
    found = words_of(rendered(question, left_out))
    for path, words in paths.items():
        langs = {lang for text, lang in found if text == words}
        assert langs, f"{qtype}: {path} ({words!r}) is not shown"
        assert langs == ({"en"} if path in left_out else {""}), (qtype, path, found)


# The built bilingual site -------------------------------------------------------------------

LOST = """\
title: Report lost property
summary: Tell us about something you lost.
pages:
  - id: lost
    title: What you lost
    questions:
      - name: item
        type: select
        label: What did you lose?
        summary_label: Item
        required: true
        options:
          - {value: keys, label: Keys}
          - {value: phone, label: Phone}
        messages:
          required: Select what you lost
      - name: contact
        type: radios
        label: Do you want us to contact you?
        required: true
        options:
          - {value: "yes", label: "Yes"}
          - {value: "no", label: "No"}
      - name: email
        type: email
        label: Email address
        show_when: {field: contact, is: "yes"}
  - id: more
    title: More about it
    skip_when: {field: contact, is: "no"}
    questions:
      - name: details
        type: textarea
        label: Tell us more
"""
# In part: the item's summary label, its 'keys' option and its required message are left out, and
# the 'yes' option the email question's condition quotes.
LOST_CY = """\
title: Rhoi gwybod am eiddo coll
pages:
  - id: lost
    title: Beth wnaethoch chi ei golli
    questions:
      - name: item
        label: Beth wnaethoch chi ei golli?
        options:
          - {value: phone, label: Ffôn}
      - name: contact
        label: Ydych chi eisiau i ni gysylltu â chi?
        options:
          - {value: "no", label: Nac ydw}
      - name: email
        label: Cyfeiriad e-bost
  - id: more
    title: Mwy amdano
    questions:
      - name: details
        label: Dywedwch fwy wrthym
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """tests/sites/minimal in English and Welsh with the form above (Welsh in part) and an
    untranslated copy of it, built once for the module."""
    root = tmp_path_factory.mktemp("forms-fallbacks") / "site"
    shutil.copytree(MINIMAL, root, ignore=shutil.ignore_patterns("expected", ".cache"))
    (root / "forms").mkdir()
    (root / "forms" / "report-lost.yaml").write_text(LOST, encoding="utf-8")
    (root / "forms" / "report-lost.cy.yaml").write_text(LOST_CY, encoding="utf-8")
    (root / "forms" / "report-untranslated.yaml").write_text(LOST, encoding="utf-8")
    with (root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("languages: [en, cy]\n")
    out = root.parent / "build"
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    return out


def rules_of(path: Path) -> dict:
    found = re.search(r"data-sitegen-rules='([^']*)'", path.read_text(encoding="utf-8"))
    assert found, path
    return json.loads(unescape(found.group(1)))


def test_the_welsh_dropdown_keeps_the_english_option_marked(built):
    html = (built / "cy" / "forms" / "report-lost" / "index.html").read_text(encoding="utf-8")
    assert '<option value="keys" lang="en">Keys</option>' in html
    assert '<option value="phone">Ffôn</option>' in html
    untranslated = (built / "cy" / "forms" / "report-untranslated" / "index.html").read_text(encoding="utf-8")
    assert '<option value="phone" lang="en">Phone</option>' in untranslated


def test_the_rules_say_which_words_the_script_writes_in_english(built):
    """Finding 5: the rules carry the lang of each word forms.js writes that falls back."""
    questions = {q["name"]: q for q in rules_of(built / "cy" / "forms" / "report-lost" / "index.html")["questions"]}
    item = questions["item"]   # its summary label left out: its messages, which quote it, stay English
    assert item["lang"] == {"label": "en", "options.keys": "en", **{f"messages.{kind}": "en" for kind in item["messages"]}}
    assert item["messages"]["required"] == "Select what you lost"
    assert questions["contact"]["lang"] == {"options.yes": "en"}
    assert "lang" not in questions["email"] and "lang" not in questions["details"]
    untranslated = rules_of(built / "cy" / "forms" / "report-untranslated" / "index.html")["questions"]
    item = next(q for q in untranslated if q["name"] == "item")
    assert item["lang"] == {"label": "en", "options.keys": "en", "options.phone": "en",
                            **{f"messages.{kind}": "en" for kind in item["messages"]}}
    english = rules_of(built / "forms" / "report-lost" / "index.html")
    assert not any("lang" in q for q in english["questions"]) and "words" not in english


def condition_words_of(html: str, marker: str) -> list[tuple[str, str]]:
    """The words (with their lang) of each element of HTML whose class includes 'sitegen-condition'
    and whose words include MARKER."""
    found = []
    for block in re.findall(r'<(?:p|span) class="[^"]*sitegen-condition[^"]*">.*?</(?:p|span)>\s*</', html,
                            re.S):
        words = words_of(block)
        if any(marker in text for text, _lang in words):
            found.append(words)
    assert found, marker
    return [item for words in found for item in words]


def test_a_welsh_condition_quotes_english_words_marked(built):
    """Finding 6: 'Answer this only if ...' in Welsh, the quoted words it leaves out marked."""
    welsh = catalogue("cy")
    answered = welsh.gettext("you answered %(options)s for ‘%(question)s’").split("%")[0].strip()
    html = (built / "cy" / "forms" / "report-lost" / "index.html").read_text(encoding="utf-8")
    words = condition_words_of(html, answered)
    assert ("Yes", "en") in words and ("Nac ydw", "") not in words
    assert all(lang == "" for text, lang in words if "Ydych chi eisiau" in text)
    assert not any(lang == "en" and text != "Yes" for text, lang in words)
    untranslated = (built / "cy" / "forms" / "report-untranslated" / "index.html").read_text(encoding="utf-8")
    words = condition_words_of(untranslated, answered)
    assert {("Yes", "en"), ("Do you want us to contact you?", "en"), ("No", "en")} <= set(words)
    assert all(lang == "" for text, lang in words if answered in text)
    english = (built / "forms" / "report-lost" / "index.html").read_text(encoding="utf-8")
    assert "Answer this only if you answered ‘Yes’ for ‘Do you want us to contact you?’." in english
    assert "Skip this section if you answered ‘No’ for ‘Do you want us to contact you?’." in english
    assert ' lang="en"' not in english.split("<main", 1)[1]


@pytest.mark.browser
def test_the_script_marks_the_english_words_it_writes_on_a_welsh_form(page, built, serve_dir):
    """Findings 3 and 5 in Chromium: on the Welsh form translated in part, the error summary, the
    inline error (after the hidden Welsh 'Gwall:') and check your answers give the words left out
    inside lang="en", and only those."""
    welsh = catalogue("cy")
    page.goto(f"{serve_dir(built)}/cy/forms/report-lost/")
    page.click("[data-sitegen-continue] button")
    assert page.title().startswith(welsh.gettext("Error:") + " ")
    summary = page.locator(".govuk-error-summary__list")
    assert summary.locator('[lang="en"]').all_inner_texts() == ["Select what you lost"]
    assert len(summary.locator("li").all()) == 2          # the radios' message is Welsh, unmarked
    inline = page.locator("#item-error")
    assert inline.locator(".govuk-visually-hidden").inner_text() == welsh.gettext("Error:") == "Gwall:"
    assert inline.locator('[lang="en"]').inner_text() == "Select what you lost"
    assert page.locator("#contact-error [lang]").count() == 0
    page.select_option("#item", "keys")
    page.check('input[name="contact"][value="no"]')
    page.click("[data-sitegen-continue] button")
    rows = page.locator("[data-sitegen-summary] .govuk-summary-list__row")
    assert rows.count() == 2
    item, contact = rows.nth(0), rows.nth(1)
    assert item.locator('.govuk-summary-list__key [lang="en"]').inner_text() == "Item"
    assert item.locator('.govuk-summary-list__value [lang="en"]').inner_text() == "Keys"
    assert item.locator('.govuk-summary-list__actions [lang="en"]').inner_text() == "Item"
    assert contact.locator("[lang]").count() == 0
    assert contact.locator(".govuk-summary-list__value").inner_text() == "Nac ydw"


# The scripts' own words --------------------------------------------------------------------

SCRIPTS = ("forms.js", "finder.js", "locate.js", "site.js")
STATIC = HERE.parent / "sitegen" / "theme" / "static"
# Every string and template literal of each script, by acorn's tokenizer (an ECMAScript parser).
LITERALS = """
import { tokenizer } from "acorn";
import { readFileSync } from "node:fs";
const out = {};
for (const file of JSON.parse(readFileSync(0, "utf8"))) {
  out[file] = [];
  for (const token of tokenizer(readFileSync(file, "utf8"), { ecmaVersion: "latest", sourceType: "module",
    locations: true })) {
    if (token.type.label === "string" || token.type.label === "template") {
      out[file].push([token.loc.start.line, token.value]);
    }
  }
}
process.stdout.write(JSON.stringify(out));
"""
# Words for people: one capitalised word ('Change', 'Error:'), or two words with a space between
# (not class names such as 'govuk-list govuk-list--bullet').
PEOPLES_WORDS = re.compile(r"^[A-Z][a-z]+|(?<![\w-])[A-Za-z]{2,} [A-Za-z]{2,}(?![\w-])")


def test_the_scripts_write_no_english_of_their_own():
    """Finding 3 as a class: the only words for people in the scripts are forms.js's defaults for a
    page in the default language (WORDS, MONTHS), each written once, and they are exactly the
    catalogue's messages that a page in another language replaces (rules.script_words); the other
    scripts take all their words from the page (data-sitegen-words)."""
    files = [str(STATIC / name) for name in SCRIPTS]
    done = subprocess.run(["node", "--input-type=module", "-e", LITERALS], input=json.dumps(files),
                          capture_output=True, text=True, check=True, cwd=HERE.parent, timeout=60)
    found = {Path(file).name: [(line, value) for line, value in literals if PEOPLES_WORDS.search(value)]
             for file, literals in json.loads(done.stdout).items()}
    assert {name: words for name, words in found.items() if name != "forms.js" and words} == {}
    with activate(Language("en", "")):
        assert script_words() == FORMS_JS_WORDS
    defaults = [value for key, value in FORMS_JS_WORDS.items() if key != "months"] + FORMS_JS_WORDS["months"]
    written = [value for _line, value in found["forms.js"]]
    assert sorted(written) == sorted(defaults), found["forms.js"]


def test_a_site_in_welsh_alone_gives_the_script_its_words(tmp_path):
    """forms.js's English defaults serve only pages whose words they are: a one-language site in
    another language (here `language: cy`) gives its words in the rules; an English one does not."""
    for language in ("cy", "en-GB"):
        root = tmp_path / language / "site"
        shutil.copytree(MINIMAL, root, ignore=shutil.ignore_patterns("expected", ".cache"))
        (root / "forms").mkdir()
        (root / "forms" / "report-lost.yaml").write_text(LOST, encoding="utf-8")
        with (root / "site.yaml").open("a", encoding="utf-8") as handle:
            handle.write(f"language: {language}\n")
        out = root.parent / "build"
        result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
        assert result.exit_code == 0, result.output
        rules = rules_of(out / "forms" / "report-lost" / "index.html")
        if language == "cy":
            with activate(WELSH):
                assert rules["words"] == script_words() and rules["words"]["error"] == "Gwall:"
        else:
            assert "words" not in rules
