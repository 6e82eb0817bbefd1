"""A language without a file of words (English, the theme's own; any language with neither a theme
catalogue nor a site's locale/<ll>.po) gets i18n._no_words(): Python's gettext.NullTranslations, made
without Babel, which an English build then never imports.  It must answer every lookup as the catalogue
written without messages (_to_translations of an empty Catalog, as built before) does, in the
languages whose plural rules differ.  (One lookup differs, and nothing asks it: gettext('') gives a
written catalogue's header, as gettext does.)"""
from __future__ import annotations

from pathlib import Path

import pytest
from babel.messages.catalog import Catalog
from hypothesis import given
from hypothesis import strategies as st

from sitegen.i18n import DOMAIN, _locale, _no_words, _to_translations, catalogue

CODES = ["en-GB", "en", "fr", "pl", "ar", "ja"]   # plural rules: n != 1, n > 1, three forms, six, one
messages = st.text(min_size=1)
counts = st.integers(min_value=-10**6, max_value=10**6)


def _written(code: str):
    return _to_translations(Catalog(locale=_locale(code), domain=DOMAIN))


WRITTEN = {code: _written(code) for code in CODES}


@pytest.mark.parametrize("code", CODES)
@given(context=messages, singular=messages, plural=messages, n=counts)
def test_no_words_answers_as_a_catalogue_written_without_messages(code, context, singular, plural, n):
    made, written = _no_words(), WRITTEN[code]
    assert made.gettext(singular) == written.gettext(singular) == singular
    assert made.ngettext(singular, plural, n) == written.ngettext(singular, plural, n)
    assert made.pgettext(context, singular) == written.pgettext(context, singular)
    assert made.npgettext(context, singular, plural, n) == written.npgettext(context, singular, plural, n)


def test_english_without_locale_has_no_words_and_welsh_has_the_themes(tmp_path: Path):
    english = catalogue("en-GB", tmp_path)
    assert not getattr(english, "_catalog", {}) and english.gettext("Town or city") == "Town or city"
    assert catalogue("cy", tmp_path).gettext("Town or city") == "Tref neu ddinas"


def test_a_sites_english_words_are_read(tmp_path: Path):
    (tmp_path / "locale").mkdir()
    (tmp_path / "locale" / "en.po").write_text('msgid ""\nmsgstr ""\n"Content-Type: text/plain; charset=UTF-8\\n"\n\n'
                                               'msgid "Town or city"\nmsgstr "Town"\n')
    assert catalogue("en-GB", tmp_path).gettext("Town or city") == "Town"
