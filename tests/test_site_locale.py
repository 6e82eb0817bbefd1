"""A site's own words for the theme, locale/<ll>.po, are checked like any editor input
(issue 20, item 4; sitegen/sitelocale.py): a msgid the theme does not have, words that
drop or add HTML tags or placeholders, a .po syntax error, a wrong Plural-Forms header or
plural forms, a message given twice, and a file no build reads are each a located
problem (exit 1, no traceback); a fuzzy message is left out with a warning (a msgid the theme
lacks is an error even there); a good override still changes the pages that show it; and words
the code or the scripts show as plain text (not the templates' HTML) show exactly as written."""
from __future__ import annotations

import json
import re
import shutil
import tempfile
from collections import Counter
from html import unescape as html_unescape
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import SITES, run_cli
from sitegen import i18n, sitelocale
from sitegen.errors import SitegenError
from sitegen.forms import rules

WELSH = i18n.Language("cy", "cy")
NOT_FOUND = 'Page not found. <a class="govuk-link" href="%(home)s">Go to the home page in English</a>.'
EMERGENCY = 'In an emergency, call <a class="govuk-link" href="%(tel)s">%(number)s</a>.'
WARDS = ("%(name)s has %(count)s ward, with its own neighbourhood policing team.",
         "%(name)s has %(count)s wards, each with its own neighbourhood policing team.")
WELSH_PLURALS = 'Plural-Forms: nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);'


def quoted(text: str) -> str:
    """TEXT as a .po string."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def entry(msgid: str, msgstr: str, *, context: str | None = None, flags: str = "") -> str:
    """One .po message (with a blank line after it)."""
    lines = [f"#, {flags}"] if flags else []
    lines += [f"msgctxt {quoted(context)}"] if context is not None else []
    return "\n".join([*lines, f"msgid {quoted(msgid)}", f"msgstr {quoted(msgstr)}", "", ""])


def write(root: Path, text: str | bytes, name: str = "cy.po") -> Path:
    po = root / "locale" / name
    po.parent.mkdir(parents=True, exist_ok=True)
    po.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return po


def problems(root: Path, code: str = "cy") -> list[str]:
    """What reading the site at ROOT's override for CODE says, each as printed."""
    try:
        i18n.catalogue(code, root)
    except SitegenError as error:
        return [str(problem) for problem in error.problems]
    return []


# 1. A msgid that is not a theme message ------------------------------------------------------

def test_a_msgid_the_theme_lacks_is_an_error_with_did_you_mean(tmp_path: Path):
    write(tmp_path, entry("Back", "Yn ôl") + entry("Find your locl team", "Dewch o hyd i'ch tîm"))
    assert problems(tmp_path) == [
        "locale/cy.po:4: 'Find your locl team' is not a message of the theme, so these words would show "
        "nowhere; copy its msgid exactly from sitegen/theme/locale/messages.pot, or remove the message; "
        "did you mean 'Find your local team'?"]


def test_a_msgid_without_its_context_is_named(tmp_path: Path):
    write(tmp_path, entry("midday", "canol dydd"))
    assert problems(tmp_path) == ["locale/cy.po:1: the theme has 'midday' only with msgctxt 'time of day'; "
                                  "write that msgctxt line just above its msgid"]


def test_an_empty_msgstr_is_no_override_and_not_checked(tmp_path: Path):
    write(tmp_path, entry("A message the theme never had", ""))
    assert problems(tmp_path) == []


# 2. Markup and placeholders -------------------------------------------------------------------

MARKUP = "must keep the theme's HTML tags and attributes as they are, and add none (only the words " \
         "between the tags may change): "


@pytest.mark.parametrize(("words", "fault"), [
    ("Tudalen heb ei chanfod. Ewch i’r hafan %(home)s.",
     MARKUP + '<a class="govuk-link" href="%(home)s"> is missing or changed'),
    ('Tudalen heb ei chanfod. <a class="govuk-button" href="%(home)s">Hafan</a>.',
     MARKUP + '<a class="govuk-link" href="%(home)s"> is missing or changed'),
    ('Tudalen heb ei chanfod. <a class="govuk-link" href="%(home)s" onclick="go()">Hafan</a>.',
     MARKUP + '<a class="govuk-link" href="%(home)s"> is missing or changed'),
    ('Tudalen heb ei chanfod. <a class="govuk-link" href="%(home)s">Hafan</a>.<script>go()</script>',
     MARKUP + "<script> is not in the theme's message"),
    ('<b>Tudalen</b> heb ei chanfod. <a class="govuk-link" href="%(home)s">Hafan</a>.',
     MARKUP + "<b> is not in the theme's message"),
    ('Tudalen heb ei chanfod. <a class="govuk-link" href="%(home)s">Hafan.',
     MARKUP + 'close <a class="govuk-link" href="%(home)s"> with its end tag'),
    ('Tudalen heb ei chanfod. <a class="govuk-link" href="%(home)s">Hafan</a></a>.',
     MARKUP + "</a> (closing nothing open) is not in the theme's message"),
    ('Tudalen <!-- x --> heb ei chanfod. <a class="govuk-link" href="%(home)s">Hafan</a>.',
     MARKUP + "an HTML comment is not in the theme's message"),
    ('Tudalen heb ei chanfod. <a class="govuk-link" href="%(home)s">Hafan</a>. <img src=x onerror=go()',
     "write a less-than sign as &lt; (a < starts an HTML tag)"),
    ('Tudalen "heb ei chanfod". <a class="govuk-link" href="%(home)s">Hafan</a>.',
     "write quotation marks as “ ” (or &quot;): a straight \" would end the HTML attribute these words "
     "may stand in"),
])
def test_words_that_change_the_markup_are_refused(tmp_path: Path, words: str, fault: str):
    write(tmp_path, entry(NOT_FOUND, words))
    assert problems(tmp_path) == [f"locale/cy.po:1: the words for {NOT_FOUND!r} {fault}"]


@pytest.mark.parametrize("words", [
    'Tudalen heb ei chanfod. <A HREF="%(home)s" class="govuk-link">Ewch i’r hafan</A>.',
    'Dim tudalen &lt;yma&gt; &amp; dim &quot;hafan&quot;: <a href=%(home)s class=govuk-link>ewch</a>.',
])
def test_attributes_in_any_order_and_new_words_are_accepted(tmp_path: Path, words: str):
    write(tmp_path, entry(NOT_FOUND, words))
    assert problems(tmp_path) == []


def test_the_theme_welsh_passes_the_checks_of_an_override():
    """Every Welsh message of the theme, written as a site's override, is accepted: the
    rules refuse nothing a careful translator writes."""
    welsh = i18n._read(i18n.LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po", Path("cy.po"))
    theme = sitelocale.Theme.of(i18n._template(), welsh, WELSH.babel_locale)
    assert [str(p) for m in welsh if m.id for p in sitelocale.message_problems(m, "cy.po", theme)] == []


def test_a_copy_of_the_theme_catalogue_or_template_is_a_valid_override(tmp_path: Path):
    """The two ways an editor starts a file: the theme's Welsh catalogue or its template, whole."""
    for source in (i18n.LOCALE_DIR / "cy" / "LC_MESSAGES" / "messages.po", i18n.LOCALE_DIR / "messages.pot"):
        write(tmp_path, source.read_bytes())
        assert problems(tmp_path) == [], source
        assert i18n.catalogue("cy", tmp_path).gettext("Breadcrumb") == "Briwsion bara"


@pytest.mark.parametrize("flags", ["", "python-format"])
@pytest.mark.parametrize(("words", "kept"), [
    ("Map o ardal y tîm", "%(name)s"),                         # dropped
    ("Map o ardal tîm %(enw)s", "%(name)s"),                   # renamed
    ("Map o ardal tîm %(name)s a %(tel)s", "%(name)s"),        # added
    ("Map o ardal tîm %(name)s (100%)", "%(name)s"),           # a lone percent sign
    ("Map o ardal tîm %s", "%(name)s"),                        # positional for named
])
def test_placeholders_must_be_kept_with_or_without_python_format(tmp_path: Path, flags: str, words: str,
                                                                  kept: str):
    msgid = "Map of the area the %(name)s team covers"
    write(tmp_path, entry(msgid, words, flags=flags))
    assert problems(tmp_path) == [f"locale/cy.po:{2 if flags else 1}: the words for {msgid!r} must keep its "
                                  f"placeholders ({kept}) and write a percent sign as %%"]


@pytest.mark.parametrize(("ids", "words", "ok"), [
    (("Page %s of %d",), "Tudalen %s o %d", True),
    (("Page %s of %d",), "Tudalen %d o %s", False),            # positional: the order is the meaning
    (("Page %s of %d",), "Tudalen %s", False),
    (("%{count} characters left",), "%{count} nod ar ôl", True),   # govuk-frontend's own placeholders
    (("%{count} characters left",), "nodau ar ôl", False),
    (("100%% sure",), "100%% yn siŵr", True),
    (WARDS, "Mae gan %(name)s un ward", True),                  # a plural form may drop the number
    (WARDS, "Mae gan %(name)s %(nifer)s ward", False),
])
def test_placeholder_rule(ids: tuple[str, ...], words: str, ok: bool):
    assert (sitelocale.placeholder_fault(ids, words, len(ids) > 1) is None) is ok


class Tags(HTMLParser):
    """The elements of rendered HTML: tag, attributes (a title's value left out) and end tags."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: Counter[tuple[object, ...]] = Counter()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.seen[(tag, tuple(sorted((n, "" if n == "title" else v) for n, v in attrs)))] += 1

    def handle_endtag(self, tag: str) -> None:
        self.seen[("/", tag)] += 1


def rendered(msgid: str, words: str) -> tuple[str, Counter[tuple[object, ...]]]:
    """WORDS for MSGID through Jinja's gettext as the theme uses it (element text and an
    attribute value), with a value that would break the page if it were not escaped."""
    env = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(lambda s: words, lambda s, p, n: words, newstyle=True)  # type: ignore[attr-defined]
    html = env.from_string('<p title="{{ _(m, home=h) }}">{{ _(m, home=h) }}</p>').render(
        m=msgid, h='/cy/?a="><b>')
    parser = Tags()
    parser.feed(html)
    parser.close()
    return html, parser.seen


LINK = '<a class="govuk-link" href="%(home)s">'
PIECES = ["</a>", '<a href="%(home)s">', "<b>", "</b>", "<br>", "<script>", " onclick=go()", "%(home)s",
          "%(other)s", "%", "%%", "%s", "<", ">", '"', "'", "&lt;", "&quot;", "&", "<!-- x -->", "</", "<a"]
SLOT = st.lists(st.one_of(st.text(alphabet="ab ŵâ.'>&;", max_size=5), st.text(alphabet="ab ŵâ.'>&;", max_size=5),
                          st.sampled_from(PIECES)), max_size=3).map("".join)


@settings(max_examples=50, deadline=None)
@given(SLOT, st.sampled_from([LINK] * 4 + [LINK.replace("govuk-link", "x"), LINK[:-1] + " onclick=go()>", ""]),
       SLOT, st.sampled_from(["</a>"] * 4 + ["", "</a></a>"]), SLOT)
def test_accepted_words_keep_the_page_markup_and_placeholders(before: str, link: str, inside: str, end: str,
                                                              after: str):
    """Whatever words are accepted for the 404 line (words, entities, percent signs and
    markup around and in its link) render, in text and in an attribute alike, with the
    theme message's elements exactly, and its placeholder filled in."""
    words = before + link + inside + end + after
    faults = (sitelocale.placeholder_fault((NOT_FOUND,), words, False), sitelocale.markup_fault(NOT_FOUND, words))
    if faults == (None, None):
        html, seen = rendered(NOT_FOUND, words)
        assert seen == rendered(NOT_FOUND, NOT_FOUND)[1], html
        assert "/cy/?a=&#34;&gt;&lt;b&gt;" in html


@settings(max_examples=50, deadline=None)
@given(st.lists(st.text(alphabet=st.characters(blacklist_characters='<"%\\', blacklist_categories=("Cs",)),
                        max_size=12), min_size=3, max_size=3))
def test_words_between_the_tags_may_change(words: list[str]):
    before, inside, after = words
    text = f'{before}<a class="govuk-link" href="%(home)s">{inside}</a>{after}'
    assert sitelocale.markup_fault(NOT_FOUND, text) is None
    assert sitelocale.placeholder_fault((NOT_FOUND,), text, False) is None


# 3. Syntax errors at their line ------------------------------------------------------------------

@pytest.mark.parametrize(("text", "problem"), [
    ('msgid "Back"\nmsgstr "Yn ôl"\nnonsense here\n',
     "locale/cy.po:3: this line is not .po syntax (Unknown or misformatted keyword); a message is msgid "
     '"..." then msgstr "...", and a comment starts with #'),
    ('msgid "Back"\nmsgstr "Yn ôl\n',
     'locale/cy.po:2:8: the words must be one text between double quotes; write \\" for a quotation mark '
     'inside, and end the line with the closing "'),
    ('msgid "Back"\nmsgstr "Yn\\ôl"\n',
     "locale/cy.po:2:11: this backslash starts no escape a .po file knows; write \\\\ for a backslash "
     '(\\n, \\t, \\" and \\\\ are the escapes)'),
    ('\nmsgid "Back"\n\nmsgid "Search"\nmsgstr "Chwilio"\n',
     'locale/cy.po:2: this msgid has no msgstr; write msgstr "..." on the line after it (msgstr "" keeps '
     "the theme's)"),
    ('msgid "Back"\nmsgstr "Yn ôl"\n'.encode() + b'msgid "Search"\nmsgstr "Chw\xeflio"\n',
     "locale/cy.po:4:12: is not UTF-8 text; save it as UTF-8 (a .po editor such as Poedit does)"),
])
def test_a_syntax_error_is_reported_at_its_line(tmp_path: Path, text: str | bytes, problem: str):
    write(tmp_path, text)
    assert problems(tmp_path) == [problem]


def test_a_message_given_twice_is_named(tmp_path: Path):
    write(tmp_path, entry("Back", "Yn ôl") + entry("Breadcrumb", "Llwybr") + entry("Back", "Nôl"))
    assert problems(tmp_path) == ["locale/cy.po:7: 'Back' is given again here (first on line 1), and only "
                                  "the first counts; keep one of them"]


# 4. Plural-Forms and plural messages ------------------------------------------------------------

def plural(forms: list[str], header: str = "") -> str:
    head = f'msgid ""\nmsgstr ""\n"{header}\\n"\n\n' if header else ""
    strings = "".join(f"msgstr[{n}] {quoted(form)}\n" for n, form in enumerate(forms))
    return f"{head}msgid {quoted(WARDS[0])}\nmsgid_plural {quoted(WARDS[1])}\n{strings}"


SIX = [f"Mae gan %(name)s {n} o wardiau (ffurf {n})." for n in range(6)]


@pytest.mark.parametrize("header", ["", WELSH_PLURALS, WELSH_PLURALS.replace(" ", "")])
def test_six_welsh_forms_with_the_theme_header_or_none_are_used(tmp_path: Path, header: str):
    write(tmp_path, plural(SIX, header))
    translations = i18n.catalogue("cy", tmp_path)
    shown = {n: translations.ngettext(*WARDS, n) for n in (0, 1, 2, 3, 6, 7)}
    assert shown == {0: SIX[0], 1: SIX[1], 2: SIX[2], 3: SIX[3], 6: SIX[4], 7: SIX[5]}


def test_a_plural_forms_header_not_the_languages_is_refused(tmp_path: Path):
    write(tmp_path, plural(SIX[:2], "Plural-Forms: nplurals=2; plural=(n != 1);"))
    assert problems(tmp_path) == [
        "locale/cy.po:3: Plural-Forms must be the language's, 'nplurals=6; plural=(n==0 ? 0 : n==1 ? 1 : "
        "n==2 ? 2 : n==3 ? 3 : n==6 ? 4 : 5);', as in the theme's catalogue; copy that, or remove the line "
        "(the theme's is then used)"]


def test_english_plural_forms_are_babels(tmp_path: Path):
    write(tmp_path, plural(["one", "many"], "Plural-Forms: nplurals=6; plural=0;"), "en.po")
    assert problems(tmp_path, "en-GB") == [
        "locale/en.po:3: Plural-Forms must be the language's, 'nplurals=2; plural=(n != 1);', as in the "
        "theme's catalogue; copy that, or remove the line (the theme's is then used)"]


@pytest.mark.parametrize(("text", "problem"), [
    (plural(SIX[:2]), f"locale/cy.po:1: the words for {WARDS[0]!r} need all 6 plural forms of the language; "
                      "write msgstr[2], msgstr[3], msgstr[4], msgstr[5] (msgstr[0] to msgstr[5])"),
    (plural([*SIX, "seithfed"]), "locale/cy.po:1: this message has more plural forms than the language has "
                                 "(6: msgstr[0] to msgstr[5]); remove the others"),
    (entry(WARDS[0], "Mae gan %(name)s %(count)s ward."),
     f"locale/cy.po:1: {WARDS[0]!r} is a plural message; write msgid_plural {WARDS[1]!r} and msgstr[0] to "
     "msgstr[5]"),
])
def test_plural_messages_need_every_form(tmp_path: Path, text: str, problem: str):
    write(tmp_path, text)
    assert problems(tmp_path) == [problem]


# 5. Fuzzy messages: left out, with a warning --------------------------------------------------

def test_a_fuzzy_message_is_left_out_with_a_warning(tmp_path: Path):
    write(tmp_path, entry("Breadcrumb", "Llwybr", flags="fuzzy") + entry("Back", "Nôl"))
    with i18n.activate(WELSH, tmp_path):
        assert (i18n.gettext("Breadcrumb"), i18n.gettext("Back")) == ("Briwsion bara", "Nôl")
    assert [str(w) for w in i18n.catalogue_warnings(tmp_path, (i18n.ENGLISH, WELSH))] == [
        "locale/cy.po:2: warning: the words for 'Breadcrumb' are marked fuzzy (a draft), so the theme's words "
        "show instead; remove '#, fuzzy' above it once the words are right"]


def test_the_words_of_a_fuzzy_message_are_not_checked(tmp_path: Path):
    """A draft's words may be unfinished; they are not used, so they stop nothing."""
    write(tmp_path, entry(NOT_FOUND, "Tudalen <b>heb ei", flags="fuzzy") + entry(WARDS[0], "%(enw)s", flags="fuzzy"))
    assert problems(tmp_path) == []


def test_a_fuzzy_message_for_a_msgid_the_theme_lacks_is_an_error(tmp_path: Path):
    """A draft with a typo in its msgid would never show, even once '#, fuzzy' goes: said now,
    as for any message, with did-you-mean; and no 'remove #, fuzzy' warning for it."""
    write(tmp_path, entry("Find your locl team", "Dewch o hyd", flags="fuzzy")
          + entry("midday", "canol dydd", flags="fuzzy"))
    assert problems(tmp_path) == [
        "locale/cy.po:2: 'Find your locl team' is not a message of the theme, so these words would show "
        "nowhere (even once '#, fuzzy' is removed); copy its msgid exactly from "
        "sitegen/theme/locale/messages.pot, or remove the message; did you mean 'Find your local team'?",
        "locale/cy.po:6: the theme has 'midday' only with msgctxt 'time of day'; write that msgctxt line "
        "just above its msgid"]
    assert i18n.catalogue_warnings(tmp_path, (WELSH,)) == []


# 6. Files no build reads ---------------------------------------------------------------------

def test_files_in_locale_no_build_reads_are_named(tmp_path: Path):
    for name in ("cy.po", "fr.po", "cy_GB.po", "messages.pot", "README.md", ".cy.po.swp"):
        write(tmp_path, entry("Back", "Yn ôl"), name)
    (tmp_path / "locale" / "cy" / "LC_MESSAGES").mkdir(parents=True)
    assert [str(p) for p in i18n.catalogue_problems(tmp_path, (i18n.ENGLISH, WELSH))] == [
        "locale/cy: is a folder, which no build reads; a site's words are one file per language, "
        "locale/<language>.po (cy.po, en.po)",
        "locale/cy_GB.po: name the file cy.po: an override file is named by its language alone",
        "locale/fr.po: the site has no language 'fr' (languages: in site.yaml); name the file after one of "
        "its languages (cy.po, en.po) or remove it",
        "locale/messages.pot: is not read by any build: locale/ holds the site's words as .po files "
        "(cy.po, en.po); remove it"]


def test_a_locale_file_or_an_override_folder_is_a_problem_not_a_traceback(tmp_path: Path):
    (tmp_path / "locale").write_text("msgid", encoding="utf-8")
    assert problems(tmp_path) == []
    assert [str(p) for p in i18n.catalogue_problems(tmp_path, (WELSH,))] == [
        "locale: is a file; the site's words for the theme go in a folder locale/ of .po files (cy.po)"]
    (tmp_path / "locale").unlink()
    (tmp_path / "locale" / "cy.po").mkdir(parents=True)
    assert "locale/cy.po: cannot be read (Is a directory)" in problems(tmp_path)[0]


# Through the command line, on a site in English and Welsh -------------------------------------

@pytest.fixture
def site(tmp_path: Path) -> Path:
    target = tmp_path / "site"
    shutil.copytree(SITES / "bilingual", target, ignore=shutil.ignore_patterns(".cache"))
    return target


@pytest.mark.parametrize("command", ["check", "build"])
def test_check_and_build_name_every_fault_of_a_file_and_exit_1(site: Path, command: str):
    write(site, entry("Find your locl team", "Dewch o hyd") + entry(NOT_FOUND, "Tudalen heb ei chanfod."))
    result = run_cli(command, "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "locale/cy.po:1: 'Find your locl team' is not a message of the theme" in result.output
    assert f"locale/cy.po:4: the words for {NOT_FOUND!r} {MARKUP}" in result.output
    assert "Traceback" not in result.output and not (site / "build").exists()


def test_check_names_an_override_for_a_language_the_site_lacks(site: Path):
    write(site, entry("Back", "Retour"), "fr.po")
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 1, result.output
    assert "locale/fr.po: the site has no language 'fr' (languages: in site.yaml); name the file after one " \
           "of its languages (cy.po, en.po) or remove it" in result.output


def test_check_warns_of_a_fuzzy_message_and_passes(site: Path):
    write(site, entry("Breadcrumb", "Llwybr", flags="fuzzy"))
    result = run_cli("check", "--site", str(site))
    assert result.exit_code == 0, result.output
    assert "locale/cy.po:2: warning: the words for 'Breadcrumb' are marked fuzzy" in result.output


def test_a_good_override_changes_the_welsh_pages_and_an_edit_rebuilds_them(site: Path, tmp_path: Path):
    out = tmp_path / "out"

    def build(words: str) -> str:
        write(site, entry(EMERGENCY, words))
        result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", "2026-11-20",
                         "--state", str(tmp_path / "state"))
        assert result.exit_code == 0, result.output
        return (out / "cy" / "404.html").read_text(encoding="utf-8")

    first = build('Mewn argyfwng, ffoniwch <a href="%(tel)s" class="govuk-link">%(number)s</a> ar unwaith.')
    assert 'Mewn argyfwng, ffoniwch <a href="tel:999" class="govuk-link">999</a> ar unwaith.' in first
    assert "ar unwaith" not in (out / "404.html").read_text(encoding="utf-8")
    second = build('Os yw’n argyfwng, ffoniwch <a class="govuk-link" href="%(tel)s">%(number)s</a>.')
    assert "Os yw’n argyfwng, ffoniwch" in second and "ar unwaith" not in second


# 7. Words the code and the scripts show as plain text (reviewer finding 8) ---------------------

def theme_message(msgid: str, context: str | None = None):
    return sitelocale.Theme.of(i18n._template(), None, WELSH.babel_locale).messages[(msgid, context)]


@pytest.mark.parametrize(("msgid", "use"), [
    ("Choose an option", sitelocale.Usage(html=False, text=True, doubled=False, as_written=True)),   # Python
    ("Change", sitelocale.Usage(html=False, text=True, doubled=False, as_written=True)),      # forms.js
    ("Map of the wards of %(name)s", sitelocale.Usage(html=False, text=True, doubled=True, as_written=False)),
    ("%(name)s ward", sitelocale.Usage(html=False, text=True, doubled=False, as_written=True)),   # locate.js
    ("There is a problem", sitelocale.Usage(html=True, text=True, doubled=True, as_written=True)),
    ("Breadcrumb", sitelocale.Usage(html=True, text=False, doubled=True, as_written=False)),  # a template
    (NOT_FOUND, sitelocale.Usage(html=True, text=False, doubled=True, as_written=False)),   # notfound.py's HTML
])
def test_a_messages_use_is_read_from_the_pot(msgid: str, use: sitelocale.Usage):
    assert sitelocale.usage(theme_message(msgid)) == use


PLAIN = ["%", "%%", "&", "<", ">", '"', "'", "&lt;", "&amp;", "&#60;", "100%", "%s", "% s", "a", "ŵ", " ",
         "%(name)s"]
WORDS = st.lists(st.one_of(st.text(alphabet="aŵ ’.&<%", max_size=4), st.sampled_from(PLAIN)),
                 min_size=1, max_size=5).map("".join).filter(str.strip)


def welsh_words(msgid: str, words: str) -> tuple[list[str], str | None]:
    """The problems of an override of MSGID with WORDS, and (when none) the words the Welsh
    catalogue then gives for it, each in a new site folder (the catalogue's cache keys on it)."""
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        write(root, entry(msgid, words))
        found = problems(root)
        if found:
            return found, None
        with i18n.activate(WELSH, root):
            return found, i18n.gettext(msgid)


def text_of(html: str) -> str:
    """What a resident reads of an HTML fragment (entities decoded, tags dropped)."""
    parser = HTMLParser(convert_charrefs=True)
    seen: list[str] = []
    parser.handle_data = seen.append  # type: ignore[method-assign]
    parser.feed(html)
    parser.close()
    return "".join(seen)


ESCAPING = jinja2.Environment(autoescape=True)


@settings(max_examples=50, deadline=None)
@given(st.sampled_from(["Choose an option", "Change", "Not given", "Home"]), WORDS)
def test_plain_text_words_show_exactly_as_written(msgid: str, words: str):
    """A message the code shows as plain text (the select's first option, the forms script's
    words, the crumbs' 'Home') takes <, &, " and a lone % as words, shown as written where
    it goes (escaped into the page, or as a script's textContent); only %% and an entity
    (which would show as written too, not as the sign the editor meant) are refused, and a
    placeholder the English has not."""
    found, given_words = welsh_words(msgid, words)
    refused = "%%" in words or sitelocale.entity(words) or "%(name)s" in words
    assert bool(found) == bool(refused), found
    if given_words is not None:
        assert given_words == words
        assert text_of(ESCAPING.from_string("<p>{{ w }}</p>").render(w=given_words)) == words
        if msgid in ("Change", "Not given"):
            with tempfile.TemporaryDirectory() as folder:
                write(Path(folder), entry(msgid, words))
                with i18n.activate(WELSH, Path(folder)):
                    said = rules.script_words()
            assert said["change" if msgid == "Change" else "notGiven"] == words


@settings(max_examples=50, deadline=None)
@given(WORDS)
def test_words_shown_as_html_and_as_text_show_the_same_in_both(words: str):
    """'There is a problem' heads the error summary in the template (HTML) and in forms.js and
    the receiver (text): whatever is accepted reads the same in all three; a percent sign,
    a <, a straight " or an entity, which one of them would read otherwise, is refused."""
    found, given_words = welsh_words("There is a problem", words)
    if given_words is None:
        assert found and all(": the words for 'There is a problem' " in f for f in found), found
        assert any(sign in words for sign in '%<"') or sitelocale.entity(words)
        return
    html = jinja2.Environment(autoescape=True, extensions=["jinja2.ext.i18n"])
    html.install_gettext_callables(lambda s: given_words, lambda s, p, n: given_words,  # type: ignore[attr-defined]
                                   newstyle=True)
    page = html.from_string('<h2>{{ _("There is a problem") }}</h2>').render()
    assert text_of(page) == given_words == words


@pytest.mark.parametrize(("msgid", "words", "fault"), [
    ("Change", "Newid 100%%", "write a percent sign once, as %: these words are shown as written (not filled "
                              "in), so %% would show as %%"),
    ("Not given", "Dim &quot;ateb&quot;", 'are shown as written, not read as HTML, so &quot; would show as it '
                                          'is; write the character itself (")'),
    ("%(name)s ward", "ward %(enw)s", "must keep its placeholders (%(name)s)"),
    ("There is a problem", "Mae 100% problem", "must keep its placeholders and have no other percent sign: "
     "some pages fill these words in and others show them as written, so a percent sign cannot show the "
     "same in both; write the words 'per cent'"),
    ("There is a problem", "Mae &lt;problem&gt;", "show both in a page's HTML and as plain text, so an & with a "
     "name after it (like &amp;) reads differently in each; write the character itself, and & only before a "
     "space"),
    ("There is a problem", "Mae <problem>", "show both in a page's HTML and as plain text, so write no < (the "
     "HTML would read a tag, the text shows &lt; as it is)"),
])
def test_what_would_not_show_as_written_is_named(tmp_path: Path, msgid: str, words: str, fault: str):
    write(tmp_path, entry(msgid, words))
    assert problems(tmp_path) == [f"locale/cy.po:1: the words for {msgid!r} {fault}"]


@pytest.mark.parametrize(("msgid", "words"), [
    ("Map of the wards of %(name)s", "Map 100%% o wardiau %(name)s <i> & “x”"),   # Python %-formats it
    ("%(name)s ward", "Ward %(name)s (100%) & <b>"),                              # locate.js fills it in
    ("%(first)s and %(last)s", "%(first)s a %(last)s"),
    ("There is a problem", "Mae problem & ‘gwall’"),
])
def test_words_shown_as_written_are_accepted(tmp_path: Path, msgid: str, words: str):
    write(tmp_path, entry(msgid, words))
    assert problems(tmp_path) == []


@pytest.fixture(scope="module")
def overridden(tmp_path_factory) -> Path:
    """An English and Welsh site with a form, built once with overrides of plain-text words, a
    word used both ways and a template's."""
    from test_forms_lang import bilingual_site
    root = bilingual_site(tmp_path_factory.mktemp("plain-words") / "site")
    write(root, entry("Home", 'Hafan & <cartref> 100% "prif"') + entry("Change", "Newid <x> & 50%")
          + entry("Not given", "Dim & <ateb>") + entry("There is a problem", "Mae problem & ‘gwall’")
          + entry(EMERGENCY, 'Ffoniwch &lt;3 &amp; 100%% <a class="govuk-link" href="%(tel)s">%(number)s</a>.'))
    out = root.parent / "out"
    result = run_cli("build", "--site", str(root), "--out", str(out), "--build-date", "2026-11-20")
    assert result.exit_code == 0, result.output
    return out


def test_plain_words_show_on_the_built_pages_as_written(overridden: Path):
    page = (overridden / "cy" / "forms" / "report-test" / "index.html").read_text(encoding="utf-8")
    crumb = re.search(r'class="govuk-breadcrumbs__link" href="/cy/">(.*?)</a>', page)
    assert crumb and text_of(crumb.group(1)) == 'Hafan & <cartref> 100% "prif"'
    rules_json = re.search(r"data-sitegen-rules='([^']*)'", page)
    assert rules_json
    said = json.loads(html_unescape(rules_json.group(1)))["words"]
    assert (said["change"], said["notGiven"], said["problem"]) == ("Newid <x> & 50%", "Dim & <ateb>",
                                                                    "Mae problem & ‘gwall’")
    summary = re.search(r'<h2 class="govuk-error-summary__title">(.*?)</h2>', page)
    assert summary and text_of(summary.group(1)) == "Mae problem & ‘gwall’"
    not_found = (overridden / "cy" / "404.html").read_text(encoding="utf-8")
    assert "Ffoniwch <3 & 100% 999." in text_of(not_found)   # a template's words, as before
