"""What a resident's page may contain from someone else's feed.

HTML goes through nh3 with a short allow-list: paragraphs, lists, emphasis,
quotes and links.  No images, media, frames, forms, scripts, styles, event
handlers or classes from the feed (GOV.UK classes are set on links,
paragraphs and lists); links only to absolute http(s) addresses,
marked nofollow/ugc.  Text that is not HTML is kept as text and escaped where
it is shown.
"""
from __future__ import annotations

import html
import re
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import nh3

ALLOWED_TAGS = frozenset({"a", "abbr", "b", "blockquote", "br", "cite", "code", "em", "i", "li", "ol",
                          "p", "q", "s", "strong", "sub", "sup", "u", "ul"})
ALLOWED_ATTRIBUTES = {"a": {"href"}, "abbr": {"title"}}
DROPPED_WITH_CONTENT = frozenset({"script", "style", "iframe", "object", "embed", "svg", "math",
                                  "noscript", "template", "textarea", "select", "title", "head"})
LINK_REL = "nofollow noopener noreferrer ugc"
CLASSES = {"a": {"class": "govuk-link"}, "p": {"class": "govuk-body-s"},
           "ul": {"class": "govuk-list govuk-list--bullet"}, "ol": {"class": "govuk-list govuk-list--number"}}
_BLOCKS = frozenset({"p", "br", "div", "li", "ul", "ol", "blockquote", "pre", "tr", "td", "th",
                     "h1", "h2", "h3", "h4", "h5", "h6", "section", "article", "header", "footer"})
_UNSAFE = re.compile(r"[\x00-\x20\x7f]")  # control characters or spaces inside a URL
_SPACE = re.compile(r"\s+")
_LINK_WITHOUT_HREF = re.compile(r"<a(?=[\s>])(?![^>]*\bhref=)[^>]*>(.*?)</a>", re.DOTALL)
_EMPTY_PARAGRAPH = re.compile(r"<p[^>]*>\s*</p>")


def safe_link(value: object, base: str = "") -> str | None:
    """VALUE as an absolute http(s) URL (resolved against BASE), or None."""
    if not isinstance(value, str):
        return None
    candidate = value.strip()
    if _UNSAFE.search(candidate):
        return None
    try:
        own = urlsplit(candidate)
        parts = urlsplit(urljoin(base, candidate) if base and not own.scheme else candidate)
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        return None
    return parts.geturl()


def clean_html(value: str, base: str = "") -> str:
    """VALUE reduced to the allow-list; relative links resolved against BASE."""
    def keep(element: str, attribute: str, attr_value: str) -> str | None:
        if attribute == "href":
            return safe_link(attr_value, base)
        return attr_value

    cleaned = nh3.clean(value, tags=set(ALLOWED_TAGS), attributes=ALLOWED_ATTRIBUTES,
                        clean_content_tags=set(DROPPED_WITH_CONTENT), attribute_filter=keep,
                        url_schemes={"http", "https"}, link_rel=LINK_REL, strip_comments=True,
                        set_tag_attribute_values=CLASSES)
    return _tidy(cleaned)


def _tidy(cleaned: str) -> str:
    """nh3's output without links that lost their address, empty paragraphs or runs of spaces.

    Safe on nh3's output only: it quotes every attribute and never nests links.
    """
    cleaned = _LINK_WITHOUT_HREF.sub(r"\1", cleaned)
    cleaned = _EMPTY_PARAGRAPH.sub("", _SPACE.sub(" ", cleaned))
    return cleaned.strip()


def html_to_text(value: str) -> str:
    """The readable text of an HTML fragment, whitespace collapsed; scripts and styles dropped."""
    extractor = _TextExtractor()
    extractor.feed(value)
    extractor.close()
    return collapse(extractor.text())


def text_to_html(value: str) -> str:
    """Plain text as an HTML paragraph's content: escaped, nothing interpreted."""
    return html.escape(collapse(value), quote=True)


def collapse(value: str) -> str:
    """Runs of whitespace as single spaces, trimmed."""
    return _SPACE.sub(" ", value).strip()


def shorten(value: str, limit: int) -> str:
    """VALUE cut at a word boundary to at most LIMIT characters, with '…' when cut."""
    if len(value) <= limit:
        return value
    cut = value[: limit - 1]
    if " " in cut[limit // 2:]:
        cut = cut[: cut.rindex(" ")]
    return cut.rstrip(" ,.;:-") + "…"


class _TextExtractor(HTMLParser):
    """Collects text, skipping dropped elements, with spaces between blocks."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self._parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skipping += 1
        elif tag in _BLOCKS:
            self._parts.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in DROPPED_WITH_CONTENT:
            self._skipping = max(0, self._skipping - 1)
        elif tag in _BLOCKS:
            self._parts.append(" ")

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self._parts.append(data)

    def text(self) -> str:
        """Everything collected so far."""
        return "".join(self._parts)
