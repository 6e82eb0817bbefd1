"""The Jinja2 environment: theme templates (a site's templates/ wins file by
file), govuk-frontend-jinja's component macros, and the filters pages use."""
from __future__ import annotations

import os
import re
from collections.abc import MutableMapping
from datetime import date, datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING
from weakref import WeakKeyDictionary

import govuk_frontend_jinja
import jinja2
import jinja2.runtime
from jinja2.loaders import split_template_path
from jinja2.nodes import EvalContext
from jinja2.utils import missing
from markupsafe import Markup, escape

from . import i18n
from .assets import THEME_DIR
from .notfound import other_language_lines
from .scriptwords import script_words
from .sitefiles import outside_target
from .telhref import tel_href, tel_links

if TYPE_CHECKING:
    from gettext import NullTranslations

GOVUK_TEMPLATES = Path(os.path.dirname(govuk_frontend_jinja.__file__)) / "templates"


def N_(message: str) -> str:
    """Marks MESSAGE for the catalogue (pybabel extract) where it is translated later."""
    return message


NETWORK_NAMES = {
    "x": "X (Twitter)", "facebook": "Facebook", "instagram": "Instagram", "mastodon": "Mastodon",
    "bluesky": "Bluesky", "youtube": "YouTube", "threads": "Threads", "tiktok": "TikTok",
    "linkedin": "LinkedIn", "nextdoor": "Nextdoor", "whatsapp": N_("WhatsApp channel"), "web": N_("Website"),
}


def network_name(network: str) -> str:
    """A social network's name as residents know it, in the active language (the key if unknown)."""
    return i18n.gettext(NETWORK_NAMES[network]) if network in NETWORK_NAMES else network


class NameStrictUndefined(jinja2.ChainableUndefined):
    """Undefined that fails loudly for a misspelt variable name, but lets a
    missing key of a dict be empty, as govuk-frontend-jinja's macros expect.

    Jinja gives names it made undefined itself (an absent `caller` in a macro)
    a hint; only a plain unknown name is an error."""

    __slots__ = ()

    def _is_name(self) -> bool:
        return self._undefined_obj is missing and self._undefined_hint is None

    def __str__(self) -> str:
        if self._is_name():
            self._fail_with_undefined_error()
        return ""

    def __bool__(self) -> bool:
        if self._is_name():
            self._fail_with_undefined_error()
        return False

    def __iter__(self):
        if self._is_name():
            self._fail_with_undefined_error()
        return iter(())


class SiteTemplateLoader(jinja2.FileSystemLoader):
    """The site's templates/ folder.  A template there that is a link leading
    outside the site is never read: the theme's template of that name is used
    instead, and `check` (so every build) reports the link."""

    def __init__(self, site_root: Path):
        super().__init__(str(site_root / "templates"), encoding="utf-8-sig")  # as editors save them
        self.site_root = site_root

    def get_source(self, environment: jinja2.Environment, template: str):
        candidate = os.path.join(self.searchpath[0], *split_template_path(template))
        if os.path.lexists(candidate) and outside_target(self.site_root, candidate):
            raise jinja2.TemplateNotFound(template)
        return super().get_source(environment, template)


class SiteEnvironment(jinja2.Environment):
    """Jinja's environment, but a template's globals are a dict, not a ChainMap over the
    environment's: Jinja copies them into every page's and every include's context, and a
    ChainMap is slow to copy (a few percent of rendering a large site).  So the environment's
    globals must be set before a template is loaded, as Jinja's documentation asks anyway
    (make_environment does; an environment is made per build)."""

    def make_globals(self, d: MutableMapping[str, object] | None) -> MutableMapping[str, object]:
        return {**self.globals, **(d or {})}


TEMPLATE_CACHE = "templates"   # where a build keeps compiled templates, inside its state folder


def make_environment(site_root: Path, cache_dir: Path | None = None) -> jinja2.Environment:
    """An environment that looks in SITE/templates, then the built-in theme.

    With CACHE_DIR, compiled templates are kept there between builds (Jinja
    checks each against its source), which saves most of a small rebuild."""
    loader = jinja2.ChoiceLoader([
        SiteTemplateLoader(site_root),
        jinja2.FileSystemLoader(str(THEME_DIR / "templates")),
        jinja2.PrefixLoader({"govuk_frontend_jinja": jinja2.FileSystemLoader(str(GOVUK_TEMPLATES))}),
    ])
    # cache_size=-1: loaded templates are kept in a plain dict rather than Jinja's LRU cache, whose
    # lookup (a lock, and the name moved to the end of a queue) costs 2 us, and a page looks up its
    # template, base.html and each partial it includes.  A build's environment loads each of the
    # site's and theme's templates once at most, and is made anew for the next build.
    env = SiteEnvironment(loader=loader, autoescape=True, undefined=NameStrictUndefined,
                          trim_blocks=True, lstrip_blocks=True, auto_reload=False, cache_size=-1,
                          bytecode_cache=_bytecode_cache(cache_dir), extensions=["jinja2.ext.i18n"])
    # The words of the theme are the active language's (sitegen.i18n.activate); {% trans %}
    # blocks are trimmed so a message id does not depend on a template's indentation.
    env.install_gettext_callables(  # type: ignore[attr-defined]  # added by jinja2.ext.i18n
        i18n.gettext, i18n.ngettext, newstyle=True, pgettext=i18n.pgettext, npgettext=i18n.npgettext)
    env.globals.update(GETTEXT_CALLABLES)   # the same, called directly (see _gettext)
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(long_date=long_date, time_of_day=time_of_day, iso_date=iso_date, tel_href=tel_href,
                       tel_links=tel_links)
    env.filters["and_list"] = i18n.and_list
    env.filters.update(as_written=as_written, lang_of=lang_of)
    env.globals.update(url=i18n.url, script_words=script_words)
    env.globals["other_language_lines"] = (   # the 404 page's line per other language (notfound.py)
        lambda languages, page_language: other_language_lines(site_root, languages, page_language))
    env.globals.update(network_names=NETWORK_NAMES, network_name=network_name)
    # govuk-frontend-jinja's macros, ported from Nunjucks, use these as JavaScript does.
    # Hinted undefineds, so `x is undefined` style tests and optional attributes behave.
    env.globals.update(undefined=env.undefined(hint="JavaScript undefined"),
                       null=env.undefined(hint="JavaScript null"))
    return env


# Jinja's newstyle gettext callables (jinja2.ext._make_new_gettext...) pass each call through
# the template context three times (`_` looks up `gettext`, which calls ours); on a large site
# that is a tenth of rendering.  These do what they do, in one call: the message in the active
# language, Markup where autoescaping is on, filled with the keyword VARIABLES (escaped by
# Markup's %; `num` and `context` as Jinja gives them).  Their own parameters are positional-only,
# so a {% trans %} variable may bear any name.  install_gettext_callables still runs: it sets the
# environment's newstyle_gettext, which decides how {% trans %} compiles.

@jinja2.pass_eval_context
def _gettext(eval_ctx: EvalContext, message: str, /, **variables: object) -> str:
    if not variables and eval_ctx.autoescape:
        return _plain_message(eval_ctx, message)
    return _filled(eval_ctx, i18n.gettext(message), variables)


# Each catalogue's messages without variables as _gettext gives them (Markup): a page shows a dozen,
# the same on every page.  Keyed weakly on the catalogue object, which is never changed once read (a
# changed .po file is read into a new one: i18n.catalogue), so an entry cannot outlive its words.
_PLAIN_MESSAGES: WeakKeyDictionary[NullTranslations, dict[str, str]] = WeakKeyDictionary()


def _plain_message(eval_ctx: EvalContext, message: str) -> str:
    """_gettext of MESSAGE with no variables, autoescaping (EVAL_CTX): remembered per catalogue."""
    catalogue = i18n.active_catalogue()
    remembered = _PLAIN_MESSAGES.get(catalogue)
    if remembered is None:
        remembered = _PLAIN_MESSAGES[catalogue] = {}
    found = remembered.get(message)
    if found is None:
        found = remembered[message] = _filled(eval_ctx, catalogue.gettext(message), {})
    return found


@jinja2.pass_eval_context
def _ngettext(eval_ctx: EvalContext, singular: str, plural: str, num: int, /, **variables: object) -> str:
    variables.setdefault("num", num)
    return _filled(eval_ctx, i18n.ngettext(singular, plural, num), variables)


@jinja2.pass_eval_context
def _pgettext(eval_ctx: EvalContext, context: str, message: str, /, **variables: object) -> str:
    variables.setdefault("context", context)
    return _filled(eval_ctx, i18n.pgettext(context, message), variables)


@jinja2.pass_eval_context
def _npgettext(eval_ctx: EvalContext, context: str, singular: str, plural: str, num: int, /,
               **variables: object) -> str:
    variables.setdefault("context", context)
    variables.setdefault("num", num)
    return _filled(eval_ctx, i18n.npgettext(context, singular, plural, num), variables)


def _filled(eval_ctx: EvalContext, message: str, variables: dict[str, object]) -> str:
    """MESSAGE (Markup when autoescaping) % VARIABLES: always a format string, as Jinja's is.

    Markup's % wraps the mapping and each value it formats in helper objects (2.6 us for a
    message with no placeholder, 4 us for one with one); a message whose every conversion is a
    plain %(name)s (all of the theme's) is filled with str's % from the values escaped, which
    is what Markup's % gives (tests/test_render_speed.py compares them), in a third of that."""
    if not eval_ctx.autoescape:
        return message % variables
    names = plain_placeholders(message)
    if names is None:
        return Markup(message) % variables
    return Markup(message % {name: escape(variables[name]) for name in names})


# A conversion of a format string: '%%', a plain '%(name)s', or (group 2 None) anything else.
_CONVERSION = re.compile(r"%(?:(%)|\(([A-Za-z_][A-Za-z0-9_]*)\)s)?")


@lru_cache(maxsize=4096)
def plain_placeholders(message: str) -> tuple[str, ...] | None:
    """The names of MESSAGE's %(name)s placeholders, in order, when every conversion in it is
    one of those or '%%' (read left to right, as % reads it); None when any other is (%d,
    %(num)d, %s, a stray '%').  Cached: a function of the message alone, so never stale."""
    names = []
    for match in _CONVERSION.finditer(message):
        if match.group(1):
            continue
        if match.group(2) is None:
            return None
        names.append(match.group(2))
    return tuple(dict.fromkeys(names))


GETTEXT_CALLABLES = {"gettext": _gettext, "_": _gettext, "ngettext": _ngettext, "pgettext": _pgettext,
                     "npgettext": _npgettext}


def _bytecode_cache(folder: Path | None) -> jinja2.BytecodeCache | None:
    if folder is None:
        return None
    folder.mkdir(parents=True, exist_ok=True)
    return jinja2.FileSystemBytecodeCache(str(folder))


def _written_lang(context: jinja2.runtime.Context, record: object, path: tuple[object, ...] = ()) -> str:
    """The tag to mark RECORD's words (at PATH within it, if given) with on the page being
    rendered ('' for none): the page's `written` (outputs.pages.written_lang; `page` a
    pages.PageValues or the chrome's dict), or none for a template without it."""
    page = context.get("page")
    written = page.get("written") if isinstance(page, dict) else None
    return written(record, *path) if written else ""


@jinja2.pass_context
def as_written(context: jinja2.runtime.Context, value: object, record: object, *path: object,
               block: bool = False) -> object:
    """VALUE, a text of RECORD (an area, story, page, form...; a bool: translated or not), inside
    <span lang="en"> (a <div> when BLOCK: HTML of paragraphs, marked safe) where the page's
    language shows it in the default language, so screen readers speak it as written (WCAG 3.1.2);
    as it is elsewhere, so a one-language site's pages are unchanged.

    Without PATH, VALUE is marked when RECORD has no translation at all.  With PATH, the field
    VALUE is (`area.summary | as_written(area, "summary")`; a team member's, priority's or
    event's: `member.bio | as_written(area, member, "bio")`), it is marked too when RECORD's
    translation leaves that field out (Site.fallbacks)."""
    tag = _written_lang(context, record, path)
    if not tag or not value:
        return value
    return Markup('<div lang="{}">{}</div>' if block else '<span lang="{}">{}</span>').format(tag, value)


@jinja2.pass_context
def lang_of(context: jinja2.runtime.Context, record: object, *path: object) -> Markup:
    """' lang="en"', to put in the start tag of an element holding only RECORD's words (at
    PATH, as for as_written: `area | lang_of("summary")`, `area | lang_of(member, "bio")`)
    where the page's language shows them in the default language (a block: a body, a
    paragraph); '' elsewhere."""
    tag = _written_lang(context, record, path)
    return Markup(' lang="{}"').format(tag) if tag else _NO_LANG


_NO_LANG = Markup("")   # what lang_of gives where nothing is marked (a str: one serves every page)


long_date = i18n.long_date        # 3 December 2026 / 3 Rhagfyr 2026, in the active language
time_of_day = i18n.time_of_day    # 7pm, 7:30pm, midday / 7yh, hanner dydd


def iso_date(value: date | datetime) -> str:
    """2026-12-03 or 2026-12-03T19:00, for datetime attributes."""
    return value.isoformat(timespec="minutes") if isinstance(value, datetime) else value.isoformat()
