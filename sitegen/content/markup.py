"""Markdown to safe HTML styled with GOV.UK Frontend classes.

Editors write CommonMark plus tables, rendered by pyromark (pulldown-cmark,
compiled): profiling showed Python-Markdown took half of a cold build, and
pyromark is over 100 times faster on the same pages (docs/performance.md).  A
site may choose Python-Markdown instead with `markdown: python-markdown` in
site.yaml.  Either way the HTML then goes through nh3 with the allow-list
below, so raw HTML in Markdown can only produce these elements and
attributes, and only then are GOV.UK classes added, so every class on the page
is ours.  Links and images are collected so the loader can check their targets.
"""
from __future__ import annotations

import functools
import html
import re
import unicodedata
from dataclasses import dataclass, field
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

import nh3

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
    "th": {"scope", "colspan", "rowspan", "align"},
    "td": {"colspan", "rowspan", "align"},
    "ol": {"start"},
}
URL_SCHEMES = {"http", "https", "mailto", "tel"}
ENGINES = ("commonmark", "python-markdown")

_OPEN_TAG = re.compile(r"<(" + "|".join(CLASSES) + r")(?=[\s/>])")
_HREF = re.compile(r'<a\s[^>]*?href="([^"]*)"')
_SRC = re.compile(r'<img\s[^>]*?src="([^"]*)"')
_ALT = re.compile(r'<img\s[^>]*?alt="([^"]*)"')
_IMG = re.compile(r"<img\s[^>]*>")
_H1 = re.compile(r"<h1[\s>]")
# Text Markdown left as it was written, '[text](address)', because it could not
# read the address (CommonMark reads none with a space unless it is in <...>).
_UNREAD_LINK = re.compile(r"!?\[[^\]\n]*\]\(((?:/|\./|\.\./|#|https?:|mailto:|tel:)[^)\n]*)\)")
_CODE = re.compile(r"<(code|pre)[\s>].*?</\1>", re.DOTALL)
# '](', which text Markdown left as a link holds: looked for by pattern, which finds a rare ']'
# three times as fast as `in` (most bodies hold none, and each is looked through).
_LINK_TEXT_END = re.compile(r"\]\(")


@dataclass
class Rendered:
    """HTML from Markdown, plus what a check needs to know about it."""

    html: str
    links: list[str] = field(default_factory=list)
    images: list[str] = field(default_factory=list)
    image_alts: list[str | None] = field(default_factory=list)   # each image's alt text (None: none given)
    has_h1: bool = False
    unread_links: list[str] = field(default_factory=list)   # '[text](address)' left as text


class MarkdownRenderer:
    """Converts Markdown with the chosen engine; reuse one for many documents."""

    def __init__(self, engine: str = "commonmark") -> None:
        if engine == "python-markdown":
            import markdown
            converter = markdown.Markdown(extensions=["tables", "sane_lists"], output_format="html")
            self._to_html = lambda text: converter.reset().convert(text)
        else:
            import pyromark
            options = pyromark.Options.ENABLE_TABLES
            self._to_html = lambda text: pyromark.html(text, options=options)

    def survey(self, text: str) -> Rendered:
        """What TEXT links to and whether it has a level-1 heading, without the
        cost of sanitising: loading needs only that, and pages are rendered
        (and sanitised) when they are written."""
        raw = self._to_html(text)
        return _rendered("", raw, raw)

    def render(self, text: str) -> Rendered:
        """Convert Markdown TEXT to sanitised, GOV.UK-classed HTML and what it links to."""
        raw = self._to_html(text)
        clean = sanitise(raw)
        return _rendered(add_classes(clean), clean, raw)

    def page_html(self, text: str) -> str:
        """`render(TEXT).html`, without finding the links: a page being written
        had them checked when the site loaded."""
        return add_classes(sanitise(self._to_html(text)))


def _rendered(page_html: str, scanned: str, raw: str) -> Rendered:
    """PAGE_HTML with the links and images found in SCANNED, and whether RAW has an h1."""
    images = [(src[1], tag) for tag in _IMG.findall(scanned) if (src := _SRC.match(tag))]
    return Rendered(html=page_html, links=[html.unescape(h) for h in _HREF.findall(scanned)],
                    images=[html.unescape(src) for src, _ in images],
                    image_alts=[_alt_text(tag) for _, tag in images],
                    has_h1=bool(_H1.search(raw)), unread_links=_unread_links(scanned))


def _alt_text(tag: str) -> str | None:
    """The alt text of the <img> TAG, or None when it has no alt attribute."""
    return html.unescape(alt[1]) if (alt := _ALT.match(tag)) else None


# Emphasis Markdown found inside such text ('/media/0 _0_.pdf' shows as '0 <em>0</em>'): its
# markers are gone from the HTML, so the text is given without them (context finds it as written).
_EMPHASIS_TAG = re.compile(r"</?(?:em|strong|del|s)>")


def _unread_links(scanned: str) -> list[str]:
    """Each '[text](address)' in the text of SCANNED (outside code) that Markdown did not make a link,
    without the emphasis markers ('*', '_', '~') Markdown may have read in it."""
    if _LINK_TEXT_END.search(scanned) is None:
        return []
    return [html.unescape(_EMPHASIS_TAG.sub("", m[0])) for m in _UNREAD_LINK.finditer(_CODE.sub("", scanned))]


def sanitise(markup: str) -> str:
    """Keep only allow-listed elements, attributes and URL schemes (no classes),
    with every site address in NFC (nfc_href)."""
    return _CLEANER.clean(markup)


# Characters a path keeps as they are when its name is written again (RFC 3986 pchar and '/').
_PATH_SAFE = "/!$&'()*+,;=:@~"


def nfc_href(href: str) -> str:
    """HREF (a link or image address) with its path in Unicode NFC when it is a
    site address (no scheme, no host), so `cafe` + U+0301 (how a Mac names
    files, and so how a name copied from one is written) and `café` lead to the
    one address the site publishes (media names are NFC: content/site.list_media).
    Other addresses, and paths already in NFC, are returned unchanged.  The
    path is written percent-escaped: '/media/cafe%CC%81.pdf' -> '/media/caf%C3%A9.pdf'."""
    if href.isascii() and "%" not in href:
        return href
    try:
        parts = urlsplit(href)
    except ValueError:     # an unclosed '[' in the host: not a site address
        return href
    decoded = unquote(parts.path)
    if parts.scheme or parts.netloc or unicodedata.is_normalized("NFC", decoded):
        return href
    return urlunsplit(parts._replace(path=quote(unicodedata.normalize("NFC", decoded), safe=_PATH_SAFE)))


def _nfc_addresses(_element: str, attribute: str, value: str) -> str:
    return nfc_href(value) if attribute in ("href", "src") else value


# sanitise's settings, made once: nh3.clean would convert them from Python for every body.
_CLEANER = nh3.Cleaner(tags=ALLOWED_TAGS, attributes=ALLOWED_ATTRIBUTES, attribute_filter=_nfc_addresses,
                       url_schemes=URL_SCHEMES, link_rel=None)


def absolute_urls(markup: str, page_url: str) -> str:
    """MARKUP (from `MarkdownRenderer.render`) with every relative href and src
    made absolute against PAGE_URL (a full URL, 'https://host/areas/a/news/b/'),
    as a browser on that page resolves them: for copies of a page read
    elsewhere, such as a feed entry's content.  Absolute, mail and phone links
    are kept.

    MARKUP is nh3's writing, so every '<' in it opens an element and every
    attribute value is double-quoted with '&', '"', '<' and '>' escaped: its
    addresses are found by pattern and written back escaped the same way,
    giving what passing it through nh3 again would (absolute_urls_by_parsing,
    the reference the tests compare with) at a tenth of the cost."""
    origin = found[0] if (found := _ORIGIN.match(page_url)) else ""

    def resolved(match: re.Match[str]) -> str:
        value = html.unescape(match[2])
        if _ABSOLUTE.match(value):
            return match[0]
        if origin and value[:1] == "/" != value[1:2]:
            return f"{match[1]}{_rooted(origin, value)}{match[3]}"
        return f"{match[1]}{_escape_attribute(urljoin(page_url, value))}{match[3]}"
    return _ADDRESS.sub(resolved, markup)


@functools.lru_cache(maxsize=4096)
def _rooted(origin: str, path: str) -> str:
    """The site PATH ('/areas/a/', one '/' first) made absolute at ORIGIN ('https://host'),
    escaped: what urljoin gives against any page of that origin, since such a path
    replaces the page's path, query and fragment.  Remembered, because a feed's
    entries link to the same few pages (the same answer for the same arguments)."""
    return _escape_attribute(urljoin(origin, path))


def absolute_urls_by_parsing(markup: str, page_url: str) -> str:
    """absolute_urls, by parsing MARKUP with nh3 and writing it back."""
    return nh3.clean(markup, tags=ALLOWED_TAGS, attributes=_CLASSED_ATTRIBUTES, url_schemes=URL_SCHEMES,
                     link_rel=None, url_relative=lambda url: urljoin(page_url, url))


# The address of a link or image as nh3 writes it, in three parts (before, value, closing quote).
_ADDRESS = re.compile(r'(<(?:a|img)\s[^>]*?\b(?:href|src)=")([^"]*)(")')
# The scheme and host of a plain URL with a path ('https://host' of 'https://host/a/'), as urljoin
# reads them; a URL with spaces, controls or capitals in its scheme is left to urljoin itself.
_ORIGIN = re.compile(r"[a-z][a-z0-9+.\-]*://[^/?#\t\r\n]*(?=/)")
# An address with a scheme, after the spaces and controls a URL parser skips (WHATWG URL).
_ABSOLUTE = re.compile(r"[\x00-\x20]*[A-Za-z][A-Za-z0-9+.\-]*:")


def _escape_attribute(value: str) -> str:
    """VALUE escaped as nh3 (html5ever) writes an attribute value."""
    return (value.replace("&", "&amp;").replace('"', "&quot;").replace("\xa0", "&nbsp;")
            .replace("<", "&lt;").replace(">", "&gt;"))


# What `render` makes: the allow-list, and the classes it adds.
_CLASSED_ATTRIBUTES = {tag: ALLOWED_ATTRIBUTES.get(tag, set()) | {"class"} for tag in ALLOWED_TAGS}


def add_classes(markup: str) -> str:
    """Give each element its GOV.UK class.  MARKUP comes from nh3, which removed
    every class attribute, so no element ends up with two."""
    return _OPEN_TAG.sub(lambda m: f'<{m[1]} class="{CLASSES[m[1]]}"', markup)
