"""Feed bytes → the feed's title and its newest posts, sanitised.  Pure: no I/O.

feedparser reads RSS and Atom; its own sanitiser and relative-URI rewriting
are turned off because `sanitise` does that job once, with our allow-list.
A body is refused when it is not a feed (an HTML page, JSON, nothing), when
it is not well-formed XML (a truncated download, garbage), or when it declares
entities (the "billion laughs" document).  Only the HTML named entities that
many feeds use without declaring (`&nbsp;`) are tolerated.

The bytes are decoded here, in the encoding the feed declares (see `charset`),
and handed to feedparser as UTF-8, so feedparser never falls back to another
encoding.  Dates are read from the text the feed wrote (see `dates`), never
from feedparser's guesses; a date too far in the future is no date.
"""
from __future__ import annotations

import re
import xml.sax
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pyexpat import ErrorString, errors

from .charset import UnknownEncoding, decode_feed
from .dates import read_date
from .post import TITLE_MAX, Post
from .sanitise import clean_html, collapse, html_to_text, safe_link, shorten, text_to_html

DERIVED_TITLE_MAX = 100
SUMMARY_TEXT_MAX = 600
UNTITLED = "Untitled post"
FUTURE_TOLERANCE = timedelta(days=1)  # clocks and time zones differ; beyond this a date is wrong
DATE_KEYS = ("published", "updated", "created")  # the dates as the feed wrote them, in this order
_AS_UTF8 = {"content-type": "application/xml; charset=utf-8"}  # RFC 7303: this charset wins
_ENTITY_DECLARATION = re.compile(rb"<\x00*!\x00*E\x00*N\x00*T\x00*I\x00*T\x00*Y", re.IGNORECASE)
_HTML_PAGE = re.compile(rb"^\s*(<!--.*?-->\s*)*<(!doctype\s+html|html)", re.IGNORECASE | re.DOTALL)
_TOLERATED_XML_ERRORS = frozenset({ErrorString(errors.codes[errors.XML_ERROR_UNDEFINED_ENTITY])})


class FeedParseError(ValueError):
    """The body is not a feed we can trust."""


@dataclass(frozen=True)
class ParsedFeed:
    """A feed's plain-text title, its site link and its newest posts, newest first."""

    title: str
    link: str | None
    posts: tuple[Post, ...]


def parse_feed(body: bytes, url: str, max_entries: int, *, content_type: str = "",
               now: datetime | None = None) -> ParsedFeed:
    """Parse BODY fetched from URL; keep the newest MAX_ENTRIES posts.

    CONTENT_TYPE is the response's Content-Type header (its charset counts);
    NOW is when the feed was fetched (default: the current time): a post dated
    more than FUTURE_TOLERANCE after it counts as undated.
    Raises FeedParseError when BODY is not a trustworthy RSS or Atom document.
    """
    try:
        body = decode_feed(body, content_type).encode("utf-8")
    except UnknownEncoding as exc:
        raise FeedParseError(str(exc)) from None
    if _ENTITY_DECLARATION.search(body):
        raise FeedParseError("refused: the document declares XML entities")
    # No base URL for feedparser (a quarter of its time goes on joining URLs): relative
    # links are resolved against URL by safe_link, once, for the posts we keep.
    import feedparser  # here, not at the top: builds read the cache (and Post) without it
    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False,
                              response_headers=_AS_UTF8)
    _check_parsed(parsed, body)
    feed = parsed.get("feed", {})
    title = _text(feed.get("title", ""), feed.get("title_detail"))
    latest = (now or datetime.now(UTC)) + FUTURE_TOLERANCE
    posts = tuple(_post(entry, url, latest)
                  for entry in newest(parsed.get("entries", []), max_entries, latest))
    return ParsedFeed(shorten(title, TITLE_MAX), safe_link(feed.get("link"), url), posts)


def _check_parsed(parsed, body: bytes) -> None:
    problem = parsed.get("bozo_exception")
    if not parsed.get("version"):
        if _HTML_PAGE.match(body[:4096]):
            raise FeedParseError("not an RSS or Atom feed: it is an HTML page")
        raise FeedParseError("not an RSS or Atom feed" + (f" ({_describe(problem)})" if problem else ""))
    if isinstance(problem, xml.sax.SAXParseException) and problem.getMessage() not in _TOLERATED_XML_ERRORS:
        raise FeedParseError(f"not well-formed XML ({_describe(problem)})")


def _describe(problem: Exception) -> str:
    if isinstance(problem, xml.sax.SAXParseException):
        return f"{problem.getMessage()} at line {problem.getLineNumber()}"
    return str(problem) or type(problem).__name__


def published(entry, latest: datetime | None = None) -> datetime | None:
    """When ENTRY was published (or else updated), in UTC, if the feed says so readably.

    Read from the text the feed wrote (see `dates.read_date`); a date after
    LATEST is not believed (None).
    """
    for key in DATE_KEYS:
        when = read_date(dict.get(entry, key))  # plain lookup: skips feedparser's deprecated key aliases
        if when is not None:
            return when if latest is None or when <= latest else None
    return None


def newest(entries: list, count: int, latest: datetime | None = None) -> list:
    """The COUNT newest entries; undated ones after dated ones, in document order."""
    dates = [published(entry, latest) for entry in entries]

    def order(index: int):
        when = dates[index]
        return (when is None, -when.timestamp() if when else 0.0, index)

    return [entries[i] for i in sorted(range(len(entries)), key=order)[:count]]


def _post(entry, base: str, latest: datetime) -> Post:
    title = shorten(_text(entry.get("title", ""), entry.get("title_detail")), TITLE_MAX)
    summary_html, summary_text = _summary(_summary_detail(entry), base)
    if not title:
        title = shorten(summary_text, DERIVED_TITLE_MAX) or UNTITLED
        if title == summary_text:
            summary_html = ""  # the whole summary is already the title
    return Post(title, safe_link(entry.get("link"), base), published(entry, latest), summary_html)


def _text(value: object, detail) -> str:
    """A text construct as plain text: HTML-typed ones lose their markup."""
    if not isinstance(value, str):
        return ""
    kind = (detail or {}).get("type", "text/plain") or "text/plain"
    return html_to_text(value) if "html" in kind else collapse(value)


def _summary_detail(entry) -> dict:
    detail = entry.get("summary_detail")
    if detail and detail.get("value"):
        return detail
    content = entry.get("content") or [{}]
    return content[0] or {}


def _summary(detail: dict, base: str) -> tuple[str, str]:
    """(sanitised HTML, plain text) of a summary; long ones become a shortened text."""
    value = detail.get("value", "")
    if not isinstance(value, str) or not value.strip():
        return "", ""
    if "html" not in (detail.get("type") or "text/html"):
        text = collapse(value)
        return text_to_html(shorten(text, SUMMARY_TEXT_MAX)), text
    cleaned = clean_html(value, detail.get("base") or base)
    text = html_to_text(cleaned)
    if not text:
        return "", ""
    if len(text) > SUMMARY_TEXT_MAX:
        return text_to_html(shorten(text, SUMMARY_TEXT_MAX)), text
    return cleaned, text
