"""Parsing and sanitising feed bytes: pure functions, no network."""
from __future__ import annotations

from datetime import UTC, datetime

import pytest

from sitegen.feeds.addresses import is_public
from sitegen.feeds.parse import FeedParseError, parse_feed
from sitegen.feeds.sanitise import clean_html, html_to_text, safe_link, shorten

try:
    from feedserver import ATOM_TEXT_WITH_MARKUP, ENTITY_BOMB, HOSTILE_RSS, HTML_PAGE, INVALID_XML, rss
except ImportError:  # tests/ is a package
    from tests.feedserver import ATOM_TEXT_WITH_MARKUP, ENTITY_BOMB, HOSTILE_RSS, HTML_PAGE, INVALID_XML, rss

BASE = "https://news.example/abbey/feed.xml"


def test_keeps_the_newest_entries_newest_first():
    feed = parse_feed(rss(), BASE, 5)
    assert feed.title == "Abbey SNT"
    assert feed.link == "https://news.example/abbey"
    assert [p.title for p in feed.posts] == [f"Patrol update {n}" for n in (7, 6, 5, 4, 3)]
    first = feed.posts[0]
    assert first.link == "https://news.example/abbey/7"
    assert first.published == datetime(2026, 11, 7, 10, 0, tzinfo=UTC)
    assert first.summary_html == '<p class="govuk-body-s">Officers were out on patrol, day 7.</p>'


def test_undated_entries_come_after_dated_ones_in_document_order():
    items = [("Undated A", "https://n.example/a", "", "a"), ("Old", "https://n.example/o", "Mon, 02 Nov 2026 10:00:00 +0000", "o"),
             ("Undated B", "https://n.example/b", "", "b"), ("New", "https://n.example/n", "Tue, 03 Nov 2026 10:00:00 +0000", "n")]
    feed = parse_feed(rss(items=items), BASE, 10)
    assert [p.title for p in feed.posts] == ["New", "Old", "Undated A", "Undated B"]
    assert feed.posts[2].published is None


def test_hostile_markup_is_removed_and_only_http_links_survive():
    feed = parse_feed(HOSTILE_RSS, BASE, 5)
    assert feed.link is None                         # channel link was javascript:
    scripted, data_post = feed.posts
    assert scripted.title == "Scripted post"         # HTML-typed title reduced to text
    assert scripted.link is None and data_post.link is None
    html = scripted.summary_html.lower()
    for bad in ("<script", "<style", "<iframe", "<img", "<svg", "<object", "<form", "<input", "onclick",
                "onerror", "onload", "javascript:", "data:", "evil.example", "alert("):
        assert bad not in html, bad
    assert 'href="https://news.example/relative/ok"' in scripted.summary_html  # resolved against the feed
    assert 'rel="nofollow noopener noreferrer ugc"' in scripted.summary_html


def test_text_typed_fields_stay_literal_text():
    feed = parse_feed(ATOM_TEXT_WITH_MARKUP, BASE, 5)
    assert feed.title == "Abbey <i>team</i>"          # text, shown escaped
    post = feed.posts[0]
    assert post.title == '<script>alert("title")</script> Tips &amp; advice'
    assert post.summary_html == "Use &lt;b&gt;locks&lt;/b&gt; &amp; lights"  # escaped, not interpreted


def test_html_typed_title_loses_its_markup():
    atom = (b'<feed xmlns="http://www.w3.org/2005/Atom"><title>t</title><entry>'
            b'<title type="html">&lt;b&gt;Bold&lt;/b&gt; &amp;amp; &lt;script&gt;x()&lt;/script&gt;co</title>'
            b'<link href="/p/1"/><updated>2026-11-01T00:00:00Z</updated></entry></feed>')
    post = parse_feed(atom, BASE, 5).posts[0]
    assert post.title == "Bold & co"
    assert post.link == "https://news.example/p/1"


@pytest.mark.parametrize("body, reason", [
    (ENTITY_BOMB, "declares XML entities"),
    (INVALID_XML, "not well-formed XML"),
    (HTML_PAGE, "HTML page"),
    (b"", "not an RSS or Atom feed"),
    (b'{"items": []}', "not an RSS or Atom feed"),
    (b"<<< not xml >>>", "not an RSS or Atom feed"),
])
def test_untrustworthy_bodies_are_refused(body, reason):
    with pytest.raises(FeedParseError, match=reason):
        parse_feed(body, BASE, 5)


def test_utf16_entity_declarations_are_refused_too():
    with pytest.raises(FeedParseError, match="entities"):
        parse_feed(ENTITY_BOMB.replace(b'<?xml version="1.0"?>', b"").decode().encode("utf-16"), BASE, 5)


def test_undeclared_html_entities_are_tolerated():
    body = (b'<rss version="2.0"><channel><title>Abbey&nbsp;SNT</title><item><title>Meet&nbsp;us</title>'
            b"<link>https://n.example/1</link></item></channel></rss>")
    feed = parse_feed(body, BASE, 5)
    assert feed.posts[0].title == "Meet us"


def test_a_valid_empty_feed_is_accepted():
    feed = parse_feed(rss(items=[]), BASE, 5)
    assert feed.title == "Abbey SNT" and feed.posts == ()


def test_untitled_posts_take_their_title_from_the_text():
    short = ("", "https://social.example/@abbey/1", "Mon, 02 Nov 2026 10:00:00 +0000", "&lt;p&gt;Out on patrol tonight.&lt;/p&gt;")
    long_text = "Residents told us about speeding on the high road. " * 6
    long = ("", "https://social.example/@abbey/2", "Tue, 03 Nov 2026 10:00:00 +0000", f"&lt;p&gt;{long_text}&lt;/p&gt;")
    newer, older = parse_feed(rss(items=[short, long]), BASE, 5).posts
    assert older.title == "Out on patrol tonight." and older.summary_html == ""
    assert newer.title.endswith("…") and len(newer.title) <= 100
    assert "speeding" in newer.summary_html


def test_long_summaries_become_shortened_text():
    words = "word " * 400
    item = ("Long", "https://n.example/l", "Mon, 02 Nov 2026 10:00:00 +0000", f"&lt;p&gt;&lt;b&gt;{words}&lt;/b&gt;&lt;/p&gt;")
    post = parse_feed(rss(items=[item]), BASE, 5).posts[0]
    assert "<" not in post.summary_html and post.summary_html.endswith("…") and len(post.summary_html) <= 600


@pytest.mark.parametrize("value, expected", [
    ("https://a.example/x?y=1", "https://a.example/x?y=1"),
    ("http://a.example", "http://a.example"),
    ("/rel", "https://news.example/rel"),
    ("//other.example/p", "https://other.example/p"),
    ("javascript:alert(1)", None),
    (" JaVaScRiPt:alert(1)", None),
    ("java\tscript:alert(1)", None),
    ("data:text/html,<script>", None),
    ("vbscript:x", None),
    ("ftp://a.example/f", None),
    ("https://", None),
    (None, None),
    (42, None),
])
def test_safe_link(value, expected):
    assert safe_link(value, BASE) == expected


def test_clean_html_is_idempotent():
    once = clean_html('<p onclick="x">Hi <a href="/a">there</a><img src="/i.png"></p><ul><li>one</li></ul>', BASE)
    assert clean_html(once) == once
    assert "<img" not in once and 'class="govuk-list govuk-list--bullet"' in once


def test_html_to_text_drops_scripts_and_separates_blocks():
    assert html_to_text("<p>One</p><p>Two<script>bad()</script></p><style>p{}</style>Three") == "One Two Three"


def test_shorten_cuts_at_a_word():
    assert shorten("one two three four", 12) == "one two…"
    assert shorten("short", 12) == "short"


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.16.0.1", "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0",
    "224.0.0.1", "255.255.255.255", "::1", "fe80::1", "fc00::1", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
    "2002:7f00:1::1", "fe80::1%eth0", "not-an-address",
])
def test_non_public_addresses_are_refused(address):
    assert not is_public(address)


@pytest.mark.parametrize("address", ["93.184.216.34", "1.1.1.1", "2606:4700:4700::1111"])
def test_public_addresses_are_allowed(address):
    assert is_public(address)
