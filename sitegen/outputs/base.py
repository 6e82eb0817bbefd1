"""What every kind of output shares: the Output a planner lists, and the
RenderContext its renderer reads.  The kinds themselves are listed in
sitegen/outputs/catalogue.py."""
from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, NamedTuple

from ..assets import Asset
from ..build.units import Unit
from ..content.frontmatter import body_of
from ..content.markup import MarkdownRenderer
from ..content.yamlsource import read_text
from ..model import Site

if TYPE_CHECKING:
    import jinja2

    from ..build.eventledger import Published


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
            self._bodies[source] = self.markdown.page_html(body_of(text, source))
        return self._bodies[source]


Renderer = Callable[[RenderContext, str], bytes]   # (context, key) -> the output's bytes
