"""What every loader shares while reading one site."""
from __future__ import annotations

import html
import os
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import unquote, urlsplit

from ..errors import Problems
from ..model import Link
from .markup import MarkdownRenderer, Rendered
from .translations import Languages, site_languages

if TYPE_CHECKING:
    from ..config import SiteConfig


def loading_shape(config: SiteConfig) -> tuple[str, str, str]:
    """What of CONFIG shapes a loaded area or page: the host (in event ids), the
    Markdown engine and the languages (which files are translations).  Areas
    loaded under other settings are loaded again."""
    return (urlsplit(config.base_url).hostname or "localhost", config.markdown,
            " ".join(site_languages(config).codes))


def load_context(root: Path, config: SiteConfig) -> LoadContext:
    """A fresh context for reading the site at ROOT with CONFIG."""
    return LoadContext(root=root, host=urlsplit(config.base_url).hostname or "localhost",
                       renderer=MarkdownRenderer(config.markdown), languages=site_languages(config))


@dataclass
class LoadContext:
    """The site root, one Markdown renderer, and the problems and links found so far."""

    root: Path
    host: str
    renderer: MarkdownRenderer = field(default_factory=MarkdownRenderer)
    problems: Problems = field(default_factory=Problems)
    links: list[Link] = field(default_factory=list)
    languages: Languages = field(default_factory=lambda: Languages(("en-GB",)))
    translation_files: list[str] = field(default_factory=list)   # site paths of translations read

    def rel(self, path: Path) -> str:
        """PATH relative to the site root, as errors print it."""
        # A loaded file's path is the root's joined with more parts, so its text starts with the
        # root's and a '/': cut that (pathlib's relative_to takes both apart, for each of 10,000 files).
        text, root = os.fspath(path), os.fspath(self.root).rstrip("/") + "/"
        if text.startswith(root) and len(text) > len(root):
            return text[len(root):]
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
        # As the file counts lines (splitlines would also break at U+2028 and others).
        lines = body.split("\n")
        if rendered.has_h1:
            line = next((i for i, text in enumerate(lines) if text.startswith("# ")), 0)
            self.problems.add(rel, body_line + line, 1,
                              "a '# ' heading would be a second page title; start headings at '## '")
        found = [(h, False) for h in rendered.links] + [(s, True) for s in rendered.images]
        finder = LinkLines(lines, [href for href, _ in found])
        alts = iter(rendered.image_alts)
        for href, is_image in found:
            line, col = finder.position_of(href)
            self.links.append(Link(href, rel, body_line + line, page_url, is_image, col))
            if is_image and not (next(alts, "x") or "").strip():
                self.problems.add(rel, body_line + line, col, NO_ALT_TEXT)
        for nth, shown in enumerate(rendered.unread_links):
            line, col, written = _position(lines, shown, rendered.unread_links[:nth].count(shown))
            self.problems.add(rel, body_line + line, col, unread_link_message(written))
        return rendered


NO_ALT_TEXT = ("this image has no alt text, so people who cannot see it do not know what it shows;"
               " describe the image in the square brackets: ![A police officer at a bike-marking stall](…)")


# A Markdown backslash escape: '\(' is written for '('.
_BACKSLASH_ESCAPE = re.compile(r"\\([!-/:-@\[-`{-~])")


class LinkLines:
    """Finds the line and column of a Markdown body at which each of its links'
    addresses is written.

    Markdown changes a link's address on its way to HTML (`</a b.pdf>` becomes
    `/a%20b.pdf`, `\\(` becomes `(`, `&amp;` becomes `&`), so when the address
    is not in the text as it is, the text and the address are compared as
    decoded (entities, backslash escapes and percent escapes undone)."""

    def __init__(self, lines: list[str], hrefs: list[str]) -> None:
        """LINES of a body whose links (in the order written) are HREFS."""
        self.lines = lines
        self._text: str | None = None   # the lines joined again, searched whole (_places_in)
        self._uses = Counter(hrefs)
        self._decoded: list[str] | None = None
        self._seen: Counter[str] = Counter()

    def line_of(self, href: str) -> int:
        """The 0-based line of `position_of(HREF)`."""
        return self.position_of(href)[0]

    def position_of(self, href: str) -> tuple[int, int]:
        """(0-based line, 1-based column) where the next, in order, of the links to
        HREF is written: its '[' (or the '!' of an image, or the '[' of a reference
        definition), else its address (the last such place if it is used more often
        than written, as a reference link is; (0, 0) if no line holds it)."""
        nth = self._seen[href]
        self._seen[href] += 1
        if self._text is None:
            self._text = "\n".join(self.lines)
        found = _places_in(self._text, href)
        if len(found) < self._uses[href]:   # some written another way: compare decoded
            found = self._decoded_places(unquote(href))
        if not found:
            return 0, 0
        line, col = found[min(nth, len(found) - 1)]
        return line, _link_start(self.lines[line], col)

    def _decoded_places(self, needle: str) -> list[tuple[int, int]]:
        """Each (line, column in the line as written) where the decoded text starts with NEEDLE."""
        places = []
        for index, decoded in enumerate(self._decoded_lines()):
            if needle and needle in decoded:
                written = self.lines[index]
                places += [(index, col + 1) for col in range(len(written))
                           if _decoded(written[col:]).startswith(needle)]
        return places

    def _decoded_lines(self) -> list[str]:
        if self._decoded is None:
            self._decoded = [_decoded(text) for text in self.lines]
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


def _link_start(text: str, col: int) -> int:
    """The 1-based column of the '[' (or '![') opening the link whose address starts at
    COL in the line TEXT: `[text](address)` or a definition `[name]: address`; COL when
    the address is not written like that (an autolink `<https://...>`)."""
    before = text[:col - 1].removesuffix("<")
    if before.endswith("]("):
        close = len(before) - 2
        start = before.rfind("[", 0, close)
        if start >= 0 and "]" not in before[start + 1:close] and "\\" not in before[max(start - 1, 0):close]:
            # The usual link, '[text](', no bracket nor escape in its text: the walk ends at that '['.
            return start + (0 if start and before[start - 1] == "!" else 1)
    return walked_link_start(text, col)


def walked_link_start(text: str, col: int) -> int:
    """_link_start, walking back over the link's text a character at a time (brackets
    nested, escapes skipped): what its quick answer for the usual link gives."""
    before = text[:col - 1].removesuffix("<")
    if before.endswith("]("):
        depth, index = 0, len(before) - 2
        while index >= 0:
            depth += {"]": 1, "[": -1}.get(before[index], 0) if before[index - 1:index] != "\\" else 0
            if depth == 0:
                return index + (0 if index and before[index - 1] == "!" else 1)
            index -= 1
        return col
    definition = re.match(r"\s{0,3}\[[^\]]+\]:\s*$", before)
    return definition.end(0) - len(definition[0].lstrip()) + 1 if definition else col


def _decoded(text: str) -> str:
    """TEXT with entities, Markdown backslash escapes and percent escapes undone."""
    return unquote(html.unescape(_BACKSLASH_ESCAPE.sub(r"\1", text)))


def _places_in(text: str, needle: str) -> list[tuple[int, int]]:
    """_places_holding(TEXT.split("\\n"), NEEDLE), from one search of the whole TEXT: a needle
    holds no line end (none is on any line), so no place found spans two lines."""
    places: list[tuple[int, int]] = []
    if not needle or "\n" in needle:
        return places
    line, counted = 0, 0
    start = text.find(needle)
    while start >= 0:
        line += text.count("\n", counted, start)
        counted = start
        places.append((line, start - text.rfind("\n", 0, start)))
        start = text.find(needle, start + len(needle))
    return places


def _places_holding(lines: list[str], needle: str) -> list[tuple[int, int]]:
    """(0-based line, 1-based column) of each time NEEDLE appears in LINES."""
    places: list[tuple[int, int]] = []
    if not needle:
        return places
    for i, text in enumerate(lines):
        start = text.find(needle)
        while start >= 0:   # non-overlapping, as re.finditer would find them
            places.append((i, start + 1))
            start = text.find(needle, start + len(needle))
    return places
