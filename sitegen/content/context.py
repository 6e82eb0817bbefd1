"""What every loader shares while reading one site."""
from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

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
        lines = body.splitlines()
        if rendered.has_h1:
            line = next((i for i, text in enumerate(lines) if text.startswith("# ")), 0)
            self.problems.add(rel, body_line + line, 1,
                              "a '# ' heading would be a second page title; start headings at '## '")
        for href, is_image in [(h, False) for h in rendered.links] + [(s, True) for s in rendered.images]:
            line = next((i for i, text in enumerate(lines) if href in text), 0)
            self.links.append(Link(href, rel, body_line + line, page_url, is_image))
        return rendered
