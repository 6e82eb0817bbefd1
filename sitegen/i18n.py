"""The theme's words in each language: message catalogues, the active language,
site paths per language, and dates and times as residents read them.

The theme's English words are the message ids.  Each other language has a
catalogue `sitegen/theme/locale/<ll>/LC_MESSAGES/messages.po` (read with Babel,
no compiled .mo in the repository); a site may override any message, in any
language including English, with `locale/<ll>.po` at its root.

What is rendered inside `activate(language)` (templates through the gettext
callables installed in the Jinja environment, Python through `gettext`...)
is in that language.  Nothing active means English with no prefix, as a
one-language site and templates rendered in tests expect.
"""
from __future__ import annotations

import io
import os
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass
from datetime import date, datetime
from functools import lru_cache
from gettext import NullTranslations
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import Problem, SitegenError
from .sitefiles import is_hidden

if TYPE_CHECKING:
    import babel
    from babel.messages.catalog import Catalog

# sitegen.sitelocale (a site's own words: 5 ms of imports, with Python's HTML parser) and Babel
# (its catalogues, .po reader and .mo writer: 5 ms more; its locales and dates: 4 ms) are imported
# where a .po file is read or a locale's data asked for: a build of an English site without a
# locale/ folder reads none (its catalogue has no words: _no_words; its months are _MONTHS_WRITTEN),
# and says what is stray in locale/ (stray_files) without them.  A catalogue is typed as what
# every catalogue is, Python's gettext.NullTranslations (Babel's Translations is one).

# (The theme's folder found here, not through sitegen.assets: that reads sitegen.config, which reads this.)
LOCALE_DIR = Path(__file__).parent / "theme" / "locale"   # <ll>/LC_MESSAGES/messages.po, messages.pot
SITE_LOCALE_DIR = "locale"   # a site's overrides: locale/<ll>.po (read by sitegen.sitelocale)
DOMAIN = "messages"
EXTERNAL_SCHEMES = ("http:", "https:", "mailto:", "tel:", "sms:", "data:", "//")


@dataclass(frozen=True)
class Language:
    """One language of a site: CODE is a BCP 47 tag ("en-GB", "cy"); PATH is the
    folder its pages live under ("" for the site's default language, "cy")."""

    code: str
    path: str = ""

    @property
    def prefix(self) -> str:
        """"" for the default language, else "/cy": put before a site path."""
        return f"/{self.path}" if self.path else ""

    @property
    def babel_locale(self) -> babel.Locale:
        """Babel's locale for CODE (raises babel's errors for an unknown tag)."""
        return _locale(self.code)

    @property
    def subtag(self) -> str:
        """The language subtag, lower case: "en" for "en-GB"; names catalogue files."""
        return self.code.replace("_", "-").split("-")[0].lower()


ENGLISH = Language("en-GB")


@dataclass(frozen=True)
class _Active:
    language: Language
    translations: NullTranslations


_active: ContextVar[_Active | None] = ContextVar("sitegen_language", default=None)


@lru_cache(maxsize=64)
def _locale(code: str) -> babel.Locale:
    from babel import Locale
    return Locale.parse(code.replace("-", "_"))


@contextmanager
def activate(language: Language, site_root: Path | None = None,
             translations: NullTranslations | None = None) -> Iterator[Language]:
    """Within the block, words, dates and `url` are in LANGUAGE, with the
    overrides of the site at SITE_ROOT (none when None).  Blocks nest; the
    enclosing language comes back when the block ends.

    TRANSLATIONS: catalogue(LANGUAGE's code, SITE_ROOT), when the caller has read it already (a
    build reads it once per language, not once per page: RenderContext.translations)."""
    if translations is None:
        translations = catalogue(language.code, site_root)
    token = _active.set(_Active(language, translations))
    try:
        yield language
    finally:
        _active.reset(token)


def active() -> Language:
    """The language words are written in now (English when none is active)."""
    current = _active.get()
    return current.language if current else ENGLISH


def active_catalogue() -> NullTranslations:
    """The catalogue `gettext` reads now (the active language's; an empty one when none is).
    Never changed once read: a changed file is read into a new one (catalogue)."""
    current = _active.get()
    return current.translations if current else _empty()


@lru_cache(maxsize=1)
def _empty() -> NullTranslations:
    return _no_words()


def gettext(message: str) -> str:
    """MESSAGE (English, the message id) in the active language."""
    return active_catalogue().gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The form for N of SINGULAR/PLURAL in the active language (Welsh has six)."""
    return active_catalogue().ngettext(singular, plural, n)


def pgettext(context: str, message: str) -> str:
    """MESSAGE in the active language where CONTEXT tells two meanings apart."""
    return str(active_catalogue().pgettext(context, message))


def npgettext(context: str, singular: str, plural: str, n: int) -> str:
    """ngettext with a CONTEXT."""
    return active_catalogue().npgettext(context, singular, plural, n)


def url(path: str) -> str:
    """A site PATH ("/find/") in the active language ("/cy/find/"); external
    URLs (https:, mailto:, tel:...), fragments and relative paths as they are.
    A path already in the language ("/cy/find/") is kept, so a model's own language
    URLs may go through it too (a language's folder never clashes with a site path)."""
    if not isinstance(path, str):   # a template's url(area.missing): its author is told where
        raise TypeError(f"url() takes an address as text, not {type(path).__name__}")
    prefix = active().prefix
    if not prefix:   # the default language: every path as it is (most calls, on most sites)
        return path
    if not path.startswith("/") or path.startswith(EXTERNAL_SCHEMES):
        return path
    if path == prefix or path.startswith((prefix + "/", prefix + "?", prefix + "#")):
        return path
    return prefix + path


# Catalogues ---------------------------------------------------------------------------------

def catalogue(code: str, site_root: Path | None = None) -> NullTranslations:
    """The theme's catalogue for language CODE with the site's `locale/<ll>.po`
    merged over it.  Cached per process, and read again when either file changes.

    Raises SitegenError (located) for a site override that does not read or would not
    show as written (sitegen.sitelocale says which)."""
    theme, site = _catalogue_files(code, site_root)
    return _catalogue(code, theme, _stamp(theme), site, _stamp(site), site_root)


@lru_cache(maxsize=64)
def _catalogue_files(code: str, site_root: Path | None) -> tuple[Path, Path | None]:
    """The theme's and the site's catalogue files for CODE, worked out once: a build
    asks for them for every page it renders (the two stats stay, for changes)."""
    subtag = Language(code).subtag
    return (LOCALE_DIR / subtag / "LC_MESSAGES" / f"{DOMAIN}.po",
            site_root / SITE_LOCALE_DIR / f"{subtag}.po" if site_root else None)


def catalogue_problems(site_root: Path, languages: tuple[Language, ...]) -> list[Problem]:
    """What is wrong with the site's locale/<ll>.po files (for `check` and every build): one
    that does not read or whose words would not show as written, and any other file in
    locale/ (one for a language the site does not have, or not named `<ll>.po`)."""
    problems: list[Problem] = []
    for language in languages:
        try:
            catalogue(language.code, site_root)
        except SitegenError as error:
            problems.extend(error.problems)
    problems.extend(stray_files(site_root, (language.subtag for language in languages)))
    return problems


def stray_files(site_root: Path, subtags: Iterable[str]) -> list[Problem]:
    """A problem for each file or folder in the site's locale/ that no build reads as an
    override: anything but `<ll>.po` for a language of the site (SUBTAGS: "en", "cy").
    Hidden names (editors' own files) and README files are let be."""
    folder = site_root / SITE_LOCALE_DIR
    known = sorted(set(subtags))
    have = ", ".join(f"{s}.po" for s in known)
    if folder.exists() and not folder.is_dir():
        return [Problem(SITE_LOCALE_DIR, 0, 0, f"is a file; the site's words for the theme go in a folder "
                                               f"locale/ of .po files ({have})")]
    if not folder.is_dir():
        return []
    problems = []
    for entry in sorted(folder.iterdir()):
        shown = f"{SITE_LOCALE_DIR}/{entry.name}"
        if is_hidden(entry.name) or entry.name.upper().startswith("README") or \
                (entry.suffix == ".po" and entry.stem in known and entry.is_file()):
            continue
        problems.append(Problem(shown, 0, 0, _stray_fault(entry, known, have)))
    return problems


def _stray_fault(entry: Path, known: list[str], have: str) -> str:
    if entry.is_dir():
        return (f"is a folder, which no build reads; a site's words are one file per language, "
                f"locale/<language>.po ({have})")
    if entry.suffix == ".po":
        subtag = entry.stem.replace("_", "-").split("-")[0].lower()
        if subtag in known:
            return f"name the file {subtag}.po: an override file is named by its language alone"
        return (f"the site has no language '{entry.stem}' (languages: in site.yaml); "
                f"name the file after one of its languages ({have}) or remove it")
    return f"is not read by any build: locale/ holds the site's words as .po files ({have}); remove it"


def catalogue_warnings(site_root: Path, languages: tuple[Language, ...]) -> list[Problem]:
    """What `check` tells of the site's locale/<ll>.po files without failing: each message
    marked fuzzy (a draft: left out, as gettext tools do)."""
    from . import sitelocale
    warnings: list[Problem] = []
    for language in languages:
        po = site_root / SITE_LOCALE_DIR / f"{language.subtag}.po"
        if po.is_file():
            shown = f"{SITE_LOCALE_DIR}/{po.name}"
            theme = sitelocale.Theme.of(_template(), None, _locale(language.code))
            warnings.extend(sitelocale.fuzzy_warnings(po, shown, _locale(language.code), theme))
    return warnings


def _stamp(path: Path | None) -> tuple[int, int] | None:
    try:
        found = os.stat(path) if path else None
    except (FileNotFoundError, NotADirectoryError):   # (a site's locale/ may be a file: stray_files says)
        return None
    return (found.st_mtime_ns, found.st_size) if found else None


@lru_cache(maxsize=32)
def _catalogue(code: str, theme: Path, theme_stamp: object, site: Path | None, site_stamp: object,
               site_root: Path | None) -> NullTranslations:
    if not theme_stamp and not site_stamp:   # no file of words (English, unless locale/en.po)
        return _no_words()
    from babel.messages.catalog import Catalog
    merged = _read(theme, theme) if theme_stamp else Catalog(locale=_locale(code), domain=DOMAIN)
    if site is not None and site_stamp and site_root is not None:
        from . import sitelocale
        against = sitelocale.Theme.of(_template(), merged if theme_stamp else None, _locale(code))
        overrides = sitelocale.overrides(site, site.relative_to(site_root).as_posix(), _locale(code), against)
        for message in overrides:
            merged.delete(message.id, context=message.context)   # setting would only merge flags
            merged[message.id] = message
    return _to_translations(merged)


@lru_cache(maxsize=1)
def _template() -> Catalog:
    """The theme's messages.pot: every message a site may override."""
    path = LOCALE_DIR / f"{DOMAIN}.pot"
    return _read(path, path)


def _read(path: Path, shown: Path) -> Catalog:
    """The .po file at PATH (SHOWN in problems).  Raises SitegenError when it does not parse."""
    from babel.messages.pofile import PoFileError, read_po
    try:
        with open(path, "rb") as handle:
            return read_po(handle, domain=DOMAIN, abort_invalid=True)
    except (PoFileError, UnicodeDecodeError, ValueError) as error:
        line = getattr(error, "lineno", 0) or 0
        what = f"this message file cannot be read ({error}); write it as a .po file (msgid, then msgstr)"
        raise SitegenError([Problem(str(shown), line, 0, what)]) from None


def _to_translations(merged: Catalog) -> NullTranslations:
    from babel.messages.mofile import write_mo
    from babel.support import Translations
    buffer = io.BytesIO()
    write_mo(buffer, merged, use_fuzzy=False)
    buffer.seek(0)
    return Translations(buffer, domain=DOMAIN)


def _no_words() -> NullTranslations:
    """A catalogue without messages: each message is its own English id (the theme's English),
    as from a catalogue written without messages (_to_translations), but made without Babel.
    test_A_no_words compares the two over many messages."""
    return NullTranslations()


VOWELS = frozenset("aeiouáéíóúàèìòùâêîôûäëïöü")


def and_list(items: list[str]) -> str:
    """"A", "A and B", "A, B and C" in the active language (the last join is the catalogue's)."""
    if len(items) < 2:
        return "".join(items)
    last = items[-1]
    # Translators: the last item starts with a vowel (Welsh writes "ac" there, not "a").
    message = (pgettext("before a vowel", "%(first)s and %(last)s") if last[:1].lower() in VOWELS
               else gettext("%(first)s and %(last)s"))
    return message % {"first": ", ".join(items[:-1]), "last": last}


# Dates and times ----------------------------------------------------------------------------

def long_date(value: date | datetime) -> str:
    """3 December 2026, 3 Rhagfyr 2026 (GOV.UK style, month names from Babel)."""
    # (A datetime's own date, as Babel takes it: two equal datetimes may fall on different days.)
    return _long_date(value.date() if isinstance(value, datetime) else value, active().code)


@lru_cache(maxsize=4096)
def _long_date(day: date, code: str) -> str:
    """long_date of DAY in the language CODE (a site shows a few hundred dates, each on many pages)."""
    months = _MONTHS_WRITTEN.get(code)
    if months is not None:
        return f"{day.day} {months[day.month - 1]} {day.year}"
    return long_date_by_babel(day, code)


def long_date_by_babel(day: date, code: str) -> str:
    """DAY written 'd MMMM y' in the language CODE from Babel's CLDR data, so it never goes stale."""
    from babel.dates import format_date
    return format_date(day, "d MMMM y", locale=_locale(code))


# The month names of the languages most sites are in, as Babel's CLDR data has them for 'MMMM'
# (test_A_long_date compares _long_date with long_date_by_babel for each): the first date a
# build writes would load that data, 12 ms, for these twelve words.
_ENGLISH_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
                   "October", "November", "December")
_MONTHS_WRITTEN = {"en": _ENGLISH_MONTHS, "en-GB": _ENGLISH_MONTHS}


def time_of_day(value: datetime) -> str:
    """7pm, 7:30pm, midday, midnight (GOV.UK style); Welsh 7yh, 7:30yb, hanner dydd,
    hanner nos.  The words are the catalogue's (Welsh "yb"/"yh" are Babel's day periods)."""
    # Translators: GOV.UK style: "7pm", "7:30pm", "midday". Welsh: "7yh", "7:30yb", "hanner dydd",
    # "hanner nos" ("yb"/"yh" are the Welsh day periods of Babel's CLDR data).
    if value.hour == 12 and value.minute == 0:
        return pgettext("time of day", "midday")
    if value.hour == 0 and value.minute == 0:
        return pgettext("time of day", "midnight")
    hour = value.hour % 12 or 12
    minutes = f":{value.minute:02d}" if value.minute else ""
    period = pgettext("time of day", "am") if value.hour < 12 else pgettext("time of day", "pm")
    return f"{hour}{minutes}{period}"
