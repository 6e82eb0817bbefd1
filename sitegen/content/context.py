"""What every loader shares while reading one site."""
from __future__ import annotations

import html
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..errors import Problems
from ..model import Link
from .markup import MarkdownRenderer, Rendered

if TYPE_CHECKING:
    from ..config import SiteConfig


def load_context(root: Path, config: SiteConfig) -> LoadContext:
    """A fresh context for reading the site at ROOT with CONFIG."""
    return LoadContext(root=root, host=urlsplit(config.base_url).hostname or "localhost",
                       renderer=MarkdownRenderer(config.markdown))


@dataclass
class LoadContext:
    """The site root, one Markdown renderer, and the problems and links found so far."""

    root: Path
    host: str
    renderer: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    problems: Problems = field(default_factory=Problems)
    links: list[Link] = field(default_factory=list)

    def rel(self, path: Path) -> str:
        """PATH relative to the site root, as errors print it."""
        return path.relative_to(self.root).as_posix()

    def render_markdown(self, body: str, body_line: int, rel: str, page_url: str) -> Rendered:
        """Render BODY to safe HTML, recording its links and images for checking."""
        return self._record(self.renderer.render(body), body, body_line, rel, page_url)

    def survey_markdown(self, body: str, body_line: int, rel: str, page_url: str) -> Rendered:
        """Record BODY's links and images for checking, without keeping its HTML
        (news and pages are rendered again when written, to keep memory flat)."""
        return self._record(self.renderer.survey(body), body, body_line, rel, page_url)

    def _record(self, rendered: Rendered, body: str, body_line: int, rel: str, page_url: str) -> Rendered:
        """Note RENDERED's links, and report a '# ' heading (the page title is the only one)."""
        lines = body.split("\n")   # as the file counts lines (splitlines would also break at U+2028 and others)
        if rendered.has_h1:
            line = next((i for i, text in enumerate(lines) if text.startswith("# ")), 0)
            self.problems.add(rel, body_line + line, 1,
                              "a '# ' heading would be a second page title; start headings at '## '")
        found = [(h, False) for h in rendered.links] + [(s, True) for s in rendered.images]
        finder = LinkLines(lines, [href for href, _ in found])
        for href, is_image in found:
            self.links.append(Link(href, rel, body_line + finder.line_of(href), page_url, is_image))
        for nth, shown in enumerate(rendered.unread_links):
            line, col, written = _position(lines, shown, rendered.unread_links[:nth].count(shown))
            self.problems.add(rel, body_line + line, col, unread_link_message(written))
        return rendered


# A Markdown backslash escape: '\(' is written for '('.
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


class LinkLines:
    """Finds the line of a Markdown body on which each of its links is written.

    Markdown changes a link's address on its way to HTML (`</a b.pdf>` becomes
    `/a%20b.pdf`, `\\(` becomes `(`, `&amp;` becomes `&`), so when the address
    is not in the text as it is, the text and the address are compared as
    decoded (entities, backslash escapes and percent escapes undone)."""

    def __init__(self, lines: list[str], hrefs: list[str]) -> None:
        """LINES of a body whose links (in the order written) are HREFS."""
        self.lines = lines
        self._uses = Counter(hrefs)
        self._decoded: list[str] | None = None
        self._seen: Counter[str] = Counter()

    def line_of(self, href: str) -> int:
        """The 0-based line holding the next, in order, of the links to HREF
        (the last such line if it is used more often than written, as a
        reference link is; 0 if no line holds it)."""
        nth = self._seen[href]
        self._seen[href] += 1
        found = _lines_holding(self.lines, href)
        if len(found) < self._uses[href]:   # some written another way: compare decoded
            found = _lines_holding(self._decoded_lines(), unquote(href))
        return found[min(nth, len(found) - 1)] if found else 0

    def _decoded_lines(self) -> list[str]:
        if self._decoded is None:
            self._decoded = [unquote(html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", text))) for text in self.lines]
        return self._decoded


def unread_link_message(written: str) -> str:
    """What to do about WRITTEN, a '[text](address)' Markdown left as text."""
    text, _, address = written.partition("](")
    address = address[:-1].strip()
    what = "an image" if written.startswith("!") else "a link"
    if " " in address:
        return (f"'{written}' is not {what}: Markdown reads no address with a space in it; write it between"
                f" angle brackets, '{text}](<{address}>)', or with %20 for each space")
    return f"'{written}' is not {what}: Markdown could not read its address; check its brackets and quotes"


def _position(lines: list[str], shown: str, earlier: int) -> tuple[int, int, str]:
    """(0-based line, 1-based column, the text as written) of SHOWN in LINES after
    its first EARLIER times there, SHOWN being the text without any emphasis
    markers ('*', '_', '~') Markdown read in it; (0, 0, SHOWN) if it is not found
    on one line."""
    written = re.compile("[*_~]*".join(re.escape(char) for char in shown))
    for index, text in enumerate(lines):
        for found in written.finditer(text):
            if not earlier:
                return index, found.start() + 1, found[0]
            earlier -= 1
    return 0, 0, shown


def _lines_holding(lines: list[str], needle: str) -> list[int]:
    """Each index of LINES once for every time NEEDLE appears on it."""
    if not needle:
        return []
    return [i for i, text in enumerate(lines) for _ in range(text.count(needle))]
