"""What every kind of output shares: the Output a planner lists, and the
RenderContext its renderer reads.  The kinds themselves are listed in
sitegen/outputs/catalogue.py."""
from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import TYPE_CHECKING, NamedTuple

from ..assets import Asset
from ..build.units import Unit
from ..content.frontmatter import body_of
from ..content.markup import MarkdownRenderer
from ..content.yamlsource import read_text
from ..i18n import catalogue
from ..model import Site

if TYPE_CHECKING:
    from gettext import NullTranslations

    import jinja2

    from ..build.eventledger import Published
    from ..i18n import Language


class Output(NamedTuple):
    """One file in the build: where it goes, how it is made, and from what.

    A named tuple rather than a frozen dataclass: a large site plans tens of
    thousands on every build, and a tuple is made three times faster."""

    path: str                # inside build/, like 'areas/abbey/index.html'
    kind: str                # a key of catalogue.RENDERERS
    key: str                 # which thing of that kind (an area slug, 'area/news-slug', ...)
    # What it is made from, for incremental builds (see sitegen/build/hashing.py):
    deps: tuple[Unit, ...]   # the units it reads (sitegen/build/sources.py, or derived beside its renderer)
    template: str = ""       # the template rendered, with all it includes
    dated: str = ""          # an area whose events or feeds change with the date
    lang: str = ""           # the language's tag for a page made in a language but the default; "" else

    @property
    def url(self) -> str:
        """The site path a link uses: '/areas/abbey/' for an index.html."""
        if self.path.endswith("index.html"):
            return "/" + self.path[: -len("index.html")]
        return "/" + self.path


@dataclass
class RenderContext:
    """What every renderer may read."""

    site: Site
    env: jinja2.Environment
    assets: dict[str, Asset]
    frame: dict[str, str]  # pages.frame_values(site), or the last build's when the site is partial
    markdown: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    outputs: list[Output] = field(default_factory=list)    # the plan, when the caller made it
    # area -> uid -> how the event is published (calendar.publish_calendars, before rendering)
    published: dict[str, dict[str, Published]] = field(default_factory=dict)
    _bodies: dict[str, str] = field(default_factory=dict, repr=False)
    shared: dict = field(default_factory=dict, repr=False)   # see pages.site_values
    # Whether a site path ('/cy/find/') is one the build makes: the plan's, or, in a narrow
    # build, the last build's (load.BuiltUrls); links in a page's body follow its language by it.
    known: Callable[[str], bool] = field(default=lambda url: False, repr=False)
    lang: str = ""   # the language this context renders in: "" for the default (see in_language)
    _languages: dict[str, RenderContext] = field(default_factory=dict, repr=False)

    @cached_property
    def language(self) -> Language:
        """The language of what this context renders (asked a few times a page: worked out once;
        `in_language` makes a new context, with its own)."""
        languages = self.site.config.languages
        return next((lang for lang in languages if lang.code == self.lang), languages[0])

    @cached_property
    def translations(self) -> NullTranslations:
        """The theme's words in this context's language, with the site's locale/<ll>.po over them
        (i18n.catalogue): read once per context, so once a build, not once a page; the next build
        (`sitegen serve`'s too) makes a new context and sees a changed file."""
        return catalogue(self.language.code, self.site.config.root)

    def address(self, url: str) -> str:
        """The site path URL ('/areas/abbey/') in this context's language ('/cy/areas/abbey/')."""
        return self.language.prefix + url

    def in_language(self, code: str) -> RenderContext:
        """This context for outputs in the language CODE ("" the default): the site as that
        language's pages show it (Site.in_language), with the partials every page shows and
        the bodies rendered anew.  Made once per language and process."""
        if not code:
            return self
        if code not in self._languages:
            self._languages[code] = replace(self, site=self.site.in_language(code), lang=code, _bodies={},
                                            shared={}, _languages={})
        return self._languages[code]

    def body_html(self, source: str) -> str:
        """The rendered Markdown body of the site file SOURCE (news or page).

        Bodies are rendered when a page is written rather than kept in the
        model, so memory stays flat however many pages a site has.  The last
        few are remembered: a ward's feed and its news pages are rendered
        one after the other and share them."""
        if source not in self._bodies:
            if len(self._bodies) >= 32:
                self._bodies.pop(next(iter(self._bodies)))
            text = read_text(self.site.config.root / source, source)
            html = self.markdown.page_html(body_of(text, source))
            if self.lang:
                html = localised_links(html, self.language.prefix, self.known)
            self._bodies[source] = html
        return self._bodies[source]


SITE_HREF = re.compile(r'href="(/[^"#?]*)')


def localised_links(html: str, prefix: str, known: Callable[[str], bool]) -> str:
    """HTML with each link to a site path ('/forms/report-crime/') led to the same path
    under PREFIX ('/cy') where the build makes a page there (KNOWN), so a resident reading
    in one language stays in it; other links as they are."""
    def swap(match: re.Match[str]) -> str:
        path = match.group(1)
        if path.startswith(prefix + "/") or not known(prefix + path):
            return match.group(0)
        return f'href="{prefix}{path}'
    return SITE_HREF.sub(swap, html)


Renderer = Callable[[RenderContext, str], bytes]   # (context, key) -> the output's bytes
