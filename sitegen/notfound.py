"""The 'page not found' page's lines for readers of the site's other languages.

A CDN serves one 404 page for every missing address (CloudFront's CustomErrorResponses: one
page per error code, docs/deploy.md), the default language's.  So on a site of several
languages the default's 404 page carries a line in each other language leading to that
language's home page, and a Welsh reader who mistypes a /cy/ address is not stranded on an English page."""
from __future__ import annotations

from pathlib import Path

from markupsafe import Markup

from . import i18n


def other_language_lines(site_root: Path, languages: tuple[i18n.Language, ...],
                         page_language: str) -> list[tuple[str, Markup]]:
    """(code, HTML) for each of LANGUAGES (the site's, the default first) but the default, where
    PAGE_LANGUAGE (a BCP 47 code) is the default: 'Page not found. Go to the home page in Welsh.'
    in that language, with the site's locale/ overrides from SITE_ROOT, linking to its home ("/cy/").
    [] for one language, and on another language's own 404 page (served under its folder).

    Raises SitegenError (located) for a site override that does not parse."""
    if not languages or page_language != languages[0].code:
        return []
    lines = []
    for language in languages[1:]:
        with i18n.activate(language, site_root):
            # Translators: "in English" names the language you translate into ("yr hafan Gymraeg").
            words = Markup(i18n.gettext(
                'Page not found. <a class="govuk-link" href="%(home)s">Go to the home page in English</a>.'))
            lines.append((language.code, words % {"home": i18n.url("/")}))
    return lines
