"""Markdown to safe HTML styled with GOV.UK Frontend classes.

Editors write standard Markdown plus tables.  The output is passed through nh3
with the allow-list below, so raw HTML in Markdown can only produce these
elements and attributes (documented in docs/editing.md).  Links and images are
collected so the loader can check that their targets exist.
"""
from __future__ import annotations

import xml.etree.ElementTree as etree
from dataclasses import dataclass, field

import markdown
import nh3
from markdown.treeprocessors import Treeprocessor

CLASSES = {
    "p": "govuk-body",
    "h2": "govuk-heading-l",
    "h3": "govuk-heading-m",
    "h4": "govuk-heading-s",
    "h5": "govuk-heading-s",
    "h6": "govuk-heading-s",
    "ul": "govuk-list govuk-list--bullet",
    "ol": "govuk-list govuk-list--number",
    "a": "govuk-link",
    "blockquote": "govuk-inset-text",
    "table": "govuk-table",
    "thead": "govuk-table__head",
    "tbody": "govuk-table__body",
    "tr": "govuk-table__row",
    "th": "govuk-table__header",
    "td": "govuk-table__cell",
    "hr": "govuk-section-break govuk-section-break--m govuk-section-break--visible",
    "code": "sitegen-code",
}

ALLOWED_TAGS = set(CLASSES) | {"li", "strong", "em", "br", "img", "pre", "abbr", "caption"}
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title"},
    "img": {"src", "alt", "width", "height"},
    "abbr": {"title"},
    "th": {"scope", "colspan", "rowspan"},
    "td": {"colspan", "rowspan"},
}
ALLOWED_CLASSES = {tag: set(value.split()) for tag, value in CLASSES.items()}
URL_SCHEMES = {"http", "https", "mailto", "tel"}


@dataclass
class Rendered:
    """HTML from Markdown, plus what a check needs to know about it."""

    html: str
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    has_h1: bool = False


class _GovukTreeprocessor(Treeprocessor):
    """Adds GOV.UK classes and records links, images and level-1 headings."""

    def __init__(self, md, sink: list):
        super().__init__(md)
        self.sink = sink

    def run(self, root: etree.Element) -> None:
        found = Rendered("")
        for element in root.iter():
            if element.tag in CLASSES:
                element.set("class", CLASSES[element.tag])
            if element.tag == "a" and element.get("href"):
                found.links.append(element.get("href"))
            elif element.tag == "img" and element.get("src"):
                found.images.append(element.get("src"))
            elif element.tag == "h1":
                found.has_h1 = True
        self.sink.append(found)


class MarkdownRenderer:
    """A reusable Markdown converter (building one is slower than resetting it)."""

    def __init__(self) -> None:
        self._found: list[Rendered] = []
        self._md = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
        self._md.treeprocessors.register(_GovukTreeprocessor(self._md, self._found), "govuk", 1)

    def render(self, text: str) -> Rendered:
        """Convert Markdown TEXT to sanitised HTML and what it links to."""
        self._found.clear()
        raw = self._md.reset().convert(text)
        found = self._found[0] if self._found else Rendered("")
        found.html = sanitise(raw)
        return found


def sanitise(html: str) -> str:
    """Keep only the allow-listed elements, attributes, classes and URL schemes."""
    return nh3.clean(
        html,
        tags=ALLOWED_TAGS,
        attributes=ALLOWED_ATTRIBUTES,
        allowed_classes=ALLOWED_CLASSES,
        url_schemes=URL_SCHEMES,
        link_rel=None,
    )
