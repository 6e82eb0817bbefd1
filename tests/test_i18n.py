"""sitegen.i18n: catalogues (the theme's and a site's overrides), the active
language, url() per language, and dates and times in English and Welsh."""
from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest
from babel import Locale
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen import i18n
from sitegen.errors import SitegenError
from sitegen.render import make_environment
from sitegen.scriptwords import script_words

WELSH = i18n.Language("cy", "cy")
ENGLISH = i18n.Language("en-GB")


def test_language_prefix_and_locale():
    assert ENGLISH.prefix == "" and WELSH.prefix == "/cy"
    assert str(WELSH.babel_locale) == "cy" and str(ENGLISH.babel_locale) == "en_GB"
    assert ENGLISH.subtag == "en"


def test_theme_catalogue_loads_welsh():
    with i18n.activate(WELSH):
        assert i18n.pgettext("time of day", "midday") == "hanner dydd"
        assert i18n.gettext("A sentence nobody translated") == "A sentence nobody translated"
    assert i18n.pgettext("time of day", "midday") == "midday"


def test_site_override_wins_over_the_theme(tmp_path: Path):
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "cy.po").write_text(
        'msgctxt "time of day"\nmsgid "midday"\nmsgstr "canol dydd"\n\n'
        'msgid "Ignored"\nmsgstr ""\n', encoding="utf-8")
    with i18n.activate(WELSH, tmp_path):
        assert i18n.pgettext("time of day", "midday") == "canol dydd"
        assert i18n.pgettext("time of day", "midnight") == "hanner nos"   # the theme's, kept
        assert i18n.gettext("Ignored") == "Ignored"                         # empty: not an override


def test_site_override_of_english(tmp_path: Path):
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "en.po").write_text('msgctxt "time of day"\nmsgid "midday"\nmsgstr "noon"\n',
                                                encoding="utf-8")
    with i18n.activate(ENGLISH, tmp_path):
        assert i18n.time_of_day(datetime(2026, 1, 1, 12, 0)) == "noon"


def test_edited_override_is_read_again(tmp_path: Path):
    po = tmp_path / "locale" / "cy.po"
    po.parent.mkdir()
    po.write_text('msgctxt "time of day"\nmsgid "midday"\nmsgstr "un"\n', encoding="utf-8")
    assert i18n.catalogue("cy", tmp_path).pgettext("time of day", "midday") == "un"
    po.write_text('msgctxt "time of day"\nmsgid "midday"\nmsgstr "dau ddau"\n', encoding="utf-8")
    assert i18n.catalogue("cy", tmp_path).pgettext("time of day", "midday") == "dau ddau"


def test_broken_override_is_a_located_problem(tmp_path: Path):
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "cy.po").write_text('msgid "a"\nmsgstr "b"\nnonsense here\n', encoding="utf-8")
    with pytest.raises(SitegenError) as raised:
        i18n.catalogue("cy", tmp_path)
    assert str(raised.value).startswith("locale/cy.po:")


@pytest.mark.parametrize("words", ["Map of %(nme)s", "Map of %(name)s at 100%", "Map"])
def test_override_must_keep_placeholders(tmp_path: Path, words: str):
    """A changed placeholder would break every page showing the message: a located problem."""
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "cy.po").write_text(
        f'msgid "Back"\nmsgstr "Yn ôl"\n\nmsgid "Map of the area the %(name)s team covers"\nmsgstr "{words}"\n',
        encoding="utf-8")
    with pytest.raises(SitegenError) as raised:
        i18n.catalogue("cy", tmp_path)
    assert str(raised.value).startswith("locale/cy.po:4: ") and "%(name)s" in str(raised.value)


def test_override_may_write_percent_signs(tmp_path: Path):
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "en.po").write_text('msgid "Back"\nmsgstr "Back (100%%)"\n', encoding="utf-8")
    env = make_environment(tmp_path)
    with i18n.activate(ENGLISH, tmp_path):
        assert env.from_string('{{ _("Back") }}').render() == "Back (100%)"


def test_activate_nests_and_restores():
    assert i18n.active() == i18n.ENGLISH
    with i18n.activate(WELSH):
        with i18n.activate(ENGLISH):
            assert i18n.url("/find/") == "/find/"
        assert i18n.active() == WELSH and i18n.url("/find/") == "/cy/find/"
    assert i18n.active() == i18n.ENGLISH


@pytest.mark.parametrize("path, english, welsh", [
    ("/", "/", "/cy/"),
    ("/areas/abbey/", "/areas/abbey/", "/cy/areas/abbey/"),
    ("/find/?q=AB1#x", "/find/?q=AB1#x", "/cy/find/?q=AB1#x"),
    ("https://www.police.uk/", "https://www.police.uk/", "https://www.police.uk/"),
    ("//cdn.example/x.js", "//cdn.example/x.js", "//cdn.example/x.js"),
    ("mailto:team@example.org", "mailto:team@example.org", "mailto:team@example.org"),
    ("tel:101", "tel:101", "tel:101"),
    ("#main-content", "#main-content", "#main-content"),
    ("/cy/find/", "/cy/find/", "/cy/find/"),     # already Welsh: kept, never /cy/cy/
    ("/cymru/", "/cymru/", "/cy/cymru/"),
])
def test_url_in_each_language(path: str, english: str, welsh: str):
    with i18n.activate(ENGLISH):
        assert i18n.url(path) == english
    with i18n.activate(WELSH):
        assert i18n.url(path) == welsh


@pytest.mark.parametrize("when, english, welsh", [
    (datetime(2026, 12, 3, 19, 0), "7pm", "7yh"),
    (datetime(2026, 12, 3, 19, 30), "7:30pm", "7:30yh"),
    (datetime(2026, 12, 3, 9, 5), "9:05am", "9:05yb"),
    (datetime(2026, 12, 3, 12, 0), "midday", "hanner dydd"),
    (datetime(2026, 12, 3, 0, 0), "midnight", "hanner nos"),
    (datetime(2026, 12, 3, 0, 30), "12:30am", "12:30yb"),
    (datetime(2026, 12, 3, 12, 15), "12:15pm", "12:15yh"),
])
def test_times_in_each_language(when: datetime, english: str, welsh: str):
    assert i18n.time_of_day(when) == english
    with i18n.activate(WELSH):
        assert i18n.time_of_day(when) == welsh


def test_welsh_day_periods_are_babels():
    wide = Locale.parse("cy").day_periods["format"]["wide"]
    with i18n.activate(WELSH):
        assert (i18n.pgettext("time of day", "am"), i18n.pgettext("time of day", "pm")) == (
            wide["am"], wide["pm"])


def test_dates_in_each_language():
    assert i18n.long_date(date(2026, 12, 3)) == "3 December 2026"
    with i18n.activate(WELSH):
        assert i18n.long_date(date(2026, 12, 3)) == "3 Rhagfyr 2026"
        assert i18n.long_date(datetime(2027, 6, 1, 9, 0)) == "1 Mehefin 2027"


@settings(max_examples=50, deadline=None)
@given(st.datetimes(min_value=datetime(1990, 1, 1), max_value=datetime(2100, 12, 31)))
def test_english_dates_and_times_unchanged(when: datetime):
    """The same words the theme wrote before Babel, for any moment."""
    assert i18n.long_date(when) == f"{when.day} {when:%B %Y}"
    if (when.hour, when.minute) == (12, 0):
        expected = "midday"
    elif (when.hour, when.minute) == (0, 0):
        expected = "midnight"
    else:
        minutes = f":{when.minute:02d}" if when.minute else ""
        expected = f"{when.hour % 12 or 12}{minutes}{'am' if when.hour < 12 else 'pm'}"
    assert i18n.time_of_day(when) == expected


def test_templates_translate_and_link_in_the_active_language(tmp_path: Path):
    env = make_environment(tmp_path)
    template = env.from_string(
        '<a href="{{ url("/find/") }}">{% trans %}\n  {{ when }}\n{% endtrans %}</a>'
        '{{ _("time of day") }}{{ pgettext("time of day", "midday") }} {{ day | long_date }}')
    values = {"when": "<b>", "day": date(2026, 12, 3)}
    assert template.render(values) == '<a href="/find/">&lt;b&gt;</a>time of daymidday 3 December 2026'
    with i18n.activate(WELSH):
        assert template.render(values) == (
            '<a href="/cy/find/">&lt;b&gt;</a>time of dayhanner dydd 3 Rhagfyr 2026')


STATIC = Path(__file__).resolve().parent.parent / "sitegen" / "theme" / "static"


@pytest.mark.parametrize("script, source", [("finder", "finder.js"), ("locate", "locate.js"),
                                            ("filter", "site.js")])
def test_every_word_a_script_asks_for_is_given(script: str, source: str):
    """The keys a script looks up (say("key"), text("key"), its FAILURES) are sitegen.scriptwords'."""
    code = (STATIC / source).read_text(encoding="utf-8")
    asked = {key for call in re.findall(r"\b(?:say|text)\(([^{)]*)", code) for key in re.findall(r'"(\w+)"', call)}
    failures = re.search(r"const FAILURES = \{([^}]*)\}", code)
    if failures:
        asked |= set(re.findall(r':\s*"(\w+)"', failures.group(1)))
    given = set(script_words(script)) - {"paths"}
    assert asked and asked <= given, asked - given
    with i18n.activate(WELSH):
        welsh = script_words(script)
    assert welsh["paths"] == {"home": "/cy/", "find": "/cy/find/", "areas": "/cy/areas/"}
    assert all(welsh[key] != value for key, value in script_words(script).items()
               if key not in ("paths", "km")), "a word the Welsh catalogue does not have"


def test_and_list_in_each_language():
    assert i18n.and_list([]) == "" and i18n.and_list(["Abbey"]) == "Abbey"
    assert i18n.and_list(["Abbey", "Valence", "Heath"]) == "Abbey, Valence and Heath"
    assert i18n.and_list(["Valence", "Abbey"]) == "Valence and Abbey"
    with i18n.activate(WELSH):
        assert i18n.and_list(["Abbey", "Valence", "Heath"]) == "Abbey, Valence a Heath"
        assert i18n.and_list(["Valence", "Abbey"]) == "Valence ac Abbey"
        assert i18n.and_list(["Valence", "Eastbury"]) == "Valence ac Eastbury"
