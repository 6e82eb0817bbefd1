"""Forms in a second language (issue 20, part 4): forms/<form>.cy.yaml and forms/triage.cy.yaml
laid over the originals; the Welsh form, done and triage pages; the one schema.json carrying every
language's words (ajv still judges it); and every problem of a translation located in it."""
from __future__ import annotations

import json
import re
import shutil
from html import unescape
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.content.schema import Where
from sitegen.content.yamlsource import parse_yaml
from sitegen.errors import Problems
from sitegen.forms.messages import default_messages
from sitegen.forms.translation import overlay_form
from sitegen.i18n import Language, activate, catalogue
from test_schema_contract import ajv_verdicts

HERE = Path(__file__).parent
CY = catalogue("cy")
MINIMAL = HERE / "sites" / "minimal"
FORMS = HERE / "fixtures" / "forms_lang"
WELSH_WORDS = ("Pa fath o brawf oedd e?", "Prawf bach", "Ddim yn gwybod", "Dywedwch wrthym beth ddigwyddodd",
               "Dywedwch ble a phryd.", "Beth ddigwyddodd", "Anfon adroddiad", "Rhoi gwybod am brawf")
ENGLISH_WORDS = ("What kind of test was it?", "A small test", "Don't know", "Tell us what happened",
                 "Include where and when.", "What happened", "Report a test")


def bilingual_site(target: Path) -> Path:
    """tests/sites/minimal with `languages: [en, cy]` and the fixture forms (English and Welsh)."""
    shutil.copytree(MINIMAL, target, ignore=shutil.ignore_patterns("expected"))
    shutil.copytree(FORMS, target / "forms")
    with (target / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("languages: [en, cy]\n")
    return target


@pytest.fixture(scope="module")
def built(tmp_path_factory) -> Path:
    """The bilingual site, built once for the module."""
    root = bilingual_site(tmp_path_factory.mktemp("forms-lang") / "site")
    out = root.parent / "build"
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    return out


def welsh_default(qtype: str, label: str, kind: str, **limits) -> str:
    """The catalogue's Welsh default message of KIND for a question of QTYPE labelled LABEL."""
    with activate(Language("cy", "cy")):
        return default_messages(qtype, label, **limits)[kind]


def main_text(path: Path) -> str:
    """The words of a page's <main>, tags removed."""
    html = path.read_text(encoding="utf-8")
    main = re.search(r"<main.*?</main>", html, re.S)
    assert main, path
    return re.sub(r"\s+", " ", unescape(re.sub(r"<[^>]+>", " ", main.group(0))))


def test_the_welsh_form_shows_every_label_hint_and_option_in_welsh(built):
    welsh = built / "cy" / "forms" / "report-test" / "index.html"
    text = main_text(welsh)
    for word in WELSH_WORDS:
        assert word in text, word
    for word in ENGLISH_WORDS:
        assert word not in text, word
    # the words written around the editor's: the optional mark, the character count's
    assert CY.gettext("%(label)s (optional)") % {"label": "Email address"} in text
    assert CY.gettext("You can enter up to %{count} characters").replace("%{count}", "500") in text
    assert "(optional)" not in text and "You can enter" not in text
    html = welsh.read_text(encoding="utf-8")
    assert '<input type="hidden" name="lang" value="cy">' in html
    assert 'href="/cy/report/">Start again</a>' in html   # the Markdown's link, in the page's language
    rules = json.loads(unescape(re.search(r"data-sitegen-rules='([^']*)'", html).group(1)))
    assert rules["words"]["change"] == "Newid" and rules["words"]["months"][5] == "Mehefin"
    details = next(q for q in rules["questions"] if q["name"] == "details")
    assert details["messages"]["required"] == "Dywedwch wrthym beth ddigwyddodd"   # the translation's own
    assert details["messages"]["too_long"] == welsh_default("textarea", "Dywedwch wrthym beth ddigwyddodd",
                                                            "too_long", max_length=500)   # the catalogue's
    kind = next(q for q in rules["questions"] if q["name"] == "kind")
    assert kind["messages"]["required"] == welsh_default("radios", "Pa fath o brawf oedd e?", "required")
    assert "Pa fath o brawf oedd e?" in kind["messages"]["required"] and "Select" not in kind["messages"]["required"]


def test_the_english_form_is_as_before(built):
    html = (built / "forms" / "report-test" / "index.html").read_text(encoding="utf-8")
    assert 'name="lang"' not in html and '"words"' not in html
    assert 'href="/report/">Start again</a>' in html
    for word in ("What kind of test was it?", "A small test", "Include where and when."):
        assert word in html


def test_welsh_done_and_triage_pages(built):
    done = main_text(built / "cy" / "forms" / "report-test" / "done" / "index.html")
    assert "Prawf wedi'i adrodd" in done and "Bydd swyddog yn darllen eich adroddiad." in done
    start = main_text(built / "cy" / "report" / "index.html")
    assert "A oes unrhyw un mewn perygl?" in start and "Oes" in start and "Nac oes" in start
    assert "Ffoniwch 999 nawr" in main_text(built / "cy" / "report" / "call-999" / "index.html")


def test_one_schema_carries_both_languages_and_ajv_still_judges_it(built):
    schema = json.loads((built / "forms" / "report-test" / "schema.json").read_text(encoding="utf-8"))
    assert not (built / "cy" / "forms" / "report-test" / "schema.json").exists()
    assert schema["x-sitegen-languages"] == {"en": "", "cy": "cy"}
    assert schema["properties"]["lang"]["enum"] == ["en", "cy"]
    welsh = schema["x-sitegen-translations"]["cy"]
    assert welsh["title"] == "Rhoi gwybod am brawf"
    assert welsh["properties"]["kind"]["title"] == "Pa fath o brawf oedd e?"
    assert welsh["receiver"]["Go back to the form"] == catalogue("cy").gettext("Go back to the form") != \
        "Go back to the form"   # the theme catalogue's Welsh, for the receiver, which has no catalogue
    answers = {"kind": "small", "details": "Rhywbeth", "website": ""}
    cases = [("t", answers), ("t", answers | {"lang": "cy"}), ("t", answers | {"lang": "fr"}),
             ("t", {"kind": "small", "lang": "cy"})]
    assert ajv_verdicts({"t": schema}, cases) == [True, True, False, False]


# ---- problems, each located in the translation ----

def check_output(root: Path) -> str:
    result = run_cli("check", "--site", str(root))
    assert result.exit_code == 1, result.output
    return result.output


def test_every_problem_of_a_translation_is_located(tmp_path):
    root = bilingual_site(tmp_path / "site")
    (root / "forms" / "report-test.cy.yaml").write_text(
        "title: Prawf\n"                                   # 1
        "category: other\n"                                # 2: shared, differs
        "colour: red\n"                                    # 3: unknown key
        "pages:\n"                                         # 4
        "  - id: what\n"                                   # 5
        "    questions:\n"                                 # 6
        "      - name: kind\n"                             # 7
        "        required: false\n"                        # 8: shared, differs
        "        options:\n"                               # 9
        "          - {value: large, label: Mawr}\n"        # 10: no such option
        "          - Don't know\n"                         # 11: the original's, copied: fine
        "          - Ddim yn gwybod\n"                     # 12: which option is it?
        "      - name: nothing\n"                          # 13: no such question
        "        label: Dim\n"                             # 14
        "  - id: elsewhere\n"                              # 15: no such page
        "    title: Rhywle\n"                              # 16
        "  - id: what\n"                                   # 17: twice
        "    title: Beth\n", encoding="utf-8")
    (root / "forms" / "report-test.fr.yaml").write_text("title: Test\n", encoding="utf-8")
    (root / "forms" / "report-nothing.cy.yaml").write_text("title: Dim\n", encoding="utf-8")
    (root / "forms" / "triage.cy.yaml").write_text(
        "nodes:\n  danger:\n    answers:\n      - label: Oes\n", encoding="utf-8")
    output = check_output(root)
    expected = [
        ("forms/report-test.cy.yaml:2:", "category: is the same in every language, and differs from"
                                         " forms/report-test.yaml; change it in forms/report-test.yaml"),
        ("forms/report-test.cy.yaml:3:", "unknown key 'colour'"),
        ("forms/report-test.cy.yaml:8:", "required: is the same in every language"),
        ("forms/report-test.cy.yaml:10:", "no item with value 'large' in forms/report-test.yaml"),
        ("forms/report-test.cy.yaml:12:", "an option is translated as a mapping of its value and its words"),
        ("forms/report-test.cy.yaml:13:", "no item with name 'nothing' in forms/report-test.yaml"),
        ("forms/report-test.cy.yaml:15:", "no item with id 'elsewhere' in forms/report-test.yaml"),
        ("forms/report-test.cy.yaml:17:", "id 'what' is translated twice"),
        ("forms/report-test.fr.yaml:1:1:", "is for the language 'fr'"),
        ("forms/report-nothing.cy.yaml:1:1:", "translates forms/report-nothing.yaml, which does not exist"),
        ("forms/triage.cy.yaml:3:", "nodes.danger.answers: has 1 item here but 2 items in forms/triage.yaml"),
    ]
    for where, message in expected:
        assert any(line.startswith(where) and message in line for line in output.splitlines()), \
            (where, message, output)
    assert "report-test.cy.yaml:11:" not in output


def test_a_translation_on_a_site_of_one_language_is_refused(tmp_path):
    root = tmp_path / "site"
    shutil.copytree(MINIMAL, root, ignore=shutil.ignore_patterns("expected"))
    shutil.copytree(FORMS, root / "forms")
    output = check_output(root)
    assert "forms/report-test.cy.yaml:1:1: is for the language 'cy'" in output
    assert "none: the site has one language" in output


ORIGINAL = parse_yaml((FORMS / "report-test.yaml").read_text(encoding="utf-8"), "forms/report-test.yaml")
SHARED = st.sampled_from([("type", "text"), ("required", "false"), ("max_length", "9"), ("rows", "3"),
                          ("show_when", "{field: kind, is: small}")])
WORDS = st.text(st.characters(categories=("L", "N", "Zs"), exclude_characters="\u2028\u2029\x85"),
                min_size=1, max_size=40).map(str.strip).filter(bool)


def overlay(text: str) -> tuple[object, list]:
    problems = Problems()
    raw = parse_yaml(text, "forms/report-test.cy.yaml")
    merged, _ = overlay_form(ORIGINAL, raw, Where("forms/report-test.cy.yaml", (1, 1), ""),
                             "forms/report-test.yaml", problems)
    return merged, list(problems)


@settings(max_examples=50, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(label=WORDS, line=st.integers(0, 6))
def test_any_label_is_taken_at_its_question(label, line):
    padding = "# a comment\n" * line
    merged, problems = overlay(f"{padding}pages:\n  - id: what\n    questions:\n"
                               f"      - name: details\n        label: {json.dumps(label, ensure_ascii=False)}\n")
    assert problems == []
    question = merged["pages"][0]["questions"][1]
    assert question["label"] == label and question["type"] == "textarea"   # the rest is the original's
    assert ORIGINAL["pages"][0]["questions"][1]["label"] == "Tell us what happened"   # never changed


@settings(max_examples=50, deadline=None)
@given(shared=SHARED, line=st.integers(0, 6))
def test_a_different_shared_value_is_located_where_it_is_written(shared, line):
    key, value = shared
    padding = "# a comment\n" * line
    _, problems = overlay(f"{padding}pages:\n  - id: what\n    questions:\n"
                          f"      - name: details\n        {key}: {value}\n")
    assert [(p.line, f"{key}: is the same in every language" in p.message) for p in problems] == \
        [(line + 5, True)]
    assert problems[0].col in (9, 9 + len(key) + 2)   # the key, or its value when that is a scalar


def test_check_names_an_untranslated_form_and_required_languages_refuse_it(tmp_path):
    root = bilingual_site(tmp_path / "site")
    (root / "forms" / "triage.cy.yaml").unlink()
    result = run_cli("check", "--site", str(root))
    assert result.exit_code == 0, result.output
    # report-test.cy.yaml leaves the email question's words out (a form translated in part counts too)
    assert "not yet translated:" in result.output and "2 of 2 forms" in result.output
    with (root / "site.yaml").open("a", encoding="utf-8") as handle:
        handle.write("required_languages: [cy]\n")
    output = check_output(root)
    assert "forms/triage.yaml:" in output and "write triage.cy.yaml beside it" in output
    assert "forms/report-test.yaml:" not in output


def test_the_markdown_of_a_translation_is_checked_where_it_is_written(tmp_path):
    root = bilingual_site(tmp_path / "site")
    with (root / "forms" / "report-test.cy.yaml").open("a", encoding="utf-8") as handle:
        handle.write("before_you_start: |\n  # Ail deitl\n\n  Gweler [y dudalen](/no-such-page/).\n")
    lines = (root / "forms" / "report-test.cy.yaml").read_text(encoding="utf-8").count("\n")
    output = check_output(root)
    assert f"forms/report-test.cy.yaml:{lines - 2}:1: a '# ' heading would be a second page title" in output
    assert any(line.startswith(f"forms/report-test.cy.yaml:{lines}:") and "/no-such-page/" in line
               for line in output.splitlines()), output


def test_an_untranslated_forms_messages_stay_whole_english_sentences(tmp_path):
    """A form with no Welsh translation keeps its questions' English error messages on its Welsh
    page (they quote its English labels), not a Welsh sentence around a lower-cased English label;
    the theme's own words around the form stay Welsh."""
    from datetime import date

    from sitegen.content.site import load_site
    root = bilingual_site(tmp_path / "site")
    (root / "forms" / "report-test.cy.yaml").unlink()
    site, problems = load_site(root, date(2026, 11, 20))
    english, welsh = site.forms.form("report-test"), site.forms.in_language("cy").form("report-test")
    assert not welsh.translated
    assert [q.messages for q in welsh.questions] == [q.messages for q in english.questions]
    assert any("Gwiriwch" in text for q in english.questions for text in q.messages.values()) is False
    assert any(q.messages for q in welsh.questions)
