"""Feed text and dates arrive as the feed wrote them (issue 14, class 8).

Text: decoded in the encoding the feed declares; a bad byte becomes U+FFFD and
every good character survives; never text decoded with another encoding.
Dates: read from the string the feed wrote, accepted only when fully understood
(zone names included); anything else, or anything too far in the future, is no date.
"""
from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from xml.sax.saxutils import escape

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.feeds.cache import FeedRecord, read_record, write_record
from sitegen.feeds.dates import read_date
from sitegen.feeds.fetch import Limits
from sitegen.feeds.parse import FeedParseError, parse_feed
from sitegen.feeds.post import Post
from sitegen.feeds.run import FeedJob, RunOptions, refresh_one

BASE = "https://news.test.example/feed.xml"
UTF8 = "application/rss+xml; charset=utf-8"
FETCHED = datetime(2026, 12, 1, 6, 0, tzinfo=UTC)
UTC = UTC

# The field cases' feeds (feed-utf8-stray-byte and feed-nonstandard-date, copied here).
STRAY_BYTE_FEED = (
    '<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel><title>Café updates</title>'
    '<link>https://news.test.example/</link><item><title>Café meeting – £5 entry</title>'
    '<link>https://news.test.example/c1</link><pubDate>Mon, 01 Jun 2026 10:00:00 +0100</pubDate></item>'
    '<item><title>One stray byte STRAY here</title><link>https://news.test.example/c2</link>'
    '<pubDate>Mon, 01 Jun 2026 09:00:00 +0100</pubDate></item></channel></rss>').encode().replace(b"STRAY", b"\xff")
NONSTANDARD_DATE_FEED = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0"><channel><title>Ward news</title><link>https://news.test.example/</link>
<item><title>Summer fete safety stall</title><link>https://news.test.example/fete</link><pubDate>2026/6/29 15:07:41</pubDate></item>
<item><title>Bike marking results</title><link>https://news.test.example/bikes</link><pubDate>Mon, 01 Jun 2026 10:00:00 +0100</pubDate></item>
</channel></rss>"""


def rss_bytes(items: list[tuple[str, str]], declaration: str = "utf-8", encoding: str = "utf-8") -> bytes:
    """An RSS feed of (title, pubDate) ITEMS, encoded with ENCODING and declaring DECLARATION (or none)."""
    head = f'<?xml version="1.0" encoding="{declaration}"?>' if declaration else '<?xml version="1.0"?>'
    body = "".join(f"<item><title>{escape(t)}</title><link>https://news.test.example/{n}</link>"
                   f"<pubDate>{escape(d)}</pubDate></item>" for n, (t, d) in enumerate(items))
    return (f'{head}<rss version="2.0"><channel><title>Ward news</title>{body}</channel></rss>').encode(encoding)


def titles_and_days(feed) -> list[tuple[str, str | None]]:
    return [(p.title, p.published.date().isoformat() if p.published else None) for p in feed.posts]


# --- text ---------------------------------------------------------------------------------------

def test_field_case_one_stray_byte_garbles_nothing_else(feed_server, tmp_path):
    url = feed_server.add("/news.xml", body=STRAY_BYTE_FEED, content_type=UTF8)
    options = RunOptions(tmp_path, "sitegen-test", limits=Limits(1, 1, allow_private=True), clock=lambda: FETCHED)
    assert refresh_one(FeedJob(url), options).kind == "fetched"
    record = read_record(tmp_path, url)
    assert record.title == "Café updates"
    assert [p.title for p in record.posts] == ["Café meeting – £5 entry", "One stray byte \ufffd here"]


def test_a_copy_an_older_parser_made_is_fetched_and_read_again(feed_server, tmp_path):
    url = feed_server.add("/news.xml", body=STRAY_BYTE_FEED, content_type=UTF8, etag='"v1"')
    garbled = FeedRecord(url=url, title="CafÃ© updates",
                         posts=(Post("CafÃ© meeting â€“ Â£5 entry", None, None, ""),),
                         etag='"v1"', content_hash="0" * 64, fetched_at=FETCHED, checked_at=FETCHED)
    write_record(tmp_path, garbled)
    options = RunOptions(tmp_path, "sitegen-test", limits=Limits(1, 1, allow_private=True), clock=lambda: FETCHED)
    assert refresh_one(FeedJob(url), options).kind == "fetched"
    assert read_record(tmp_path, url).posts[0].title == "Café meeting – £5 entry"
    assert refresh_one(FeedJob(url), options).kind == "not_modified"  # this parser's copy: a 304 as before
    assert feed_server.seen("/news.xml")[-1].headers["if-none-match"] == '"v1"'


@pytest.mark.parametrize("content_type, declaration", [
    (UTF8, "utf-8"), (UTF8, ""), ("application/rss+xml", "utf-8"), ("", "UTF-8"), ("text/xml", ""),
    ("application/xml; charset=UTF-8", "iso-8859-1")])  # RFC 7303: the HTTP charset wins over the declaration
def test_the_declared_utf8_is_kept_wherever_it_is_declared(content_type, declaration):
    body = rss_bytes([("Café – £5 \u2603 ⚠", "Mon, 01 Jun 2026 10:00:00 GMT")], declaration)
    body = body.replace("☃".encode(), b"\xfe")
    feed = parse_feed(body, BASE, 5, content_type=content_type, now=FETCHED)
    assert feed.posts[0].title == "Café – £5 \ufffd ⚠"


@pytest.mark.parametrize("encoding, content_type, declaration", [
    ("iso-8859-1", "", "ISO-8859-1"), ("windows-1252", "text/xml; charset=windows-1252", ""),
    ("utf-16", "", "utf-16"), ("utf-16-le", "application/rss+xml; charset=utf-16le", ""),
    ("utf-8-sig", "application/rss+xml; charset=iso-8859-1", "iso-8859-1"),  # a byte-order mark wins
    ("iso-8859-1", "text/xml; charset=x-bogus", "iso-8859-1")])  # an unusable HTTP charset gives way
def test_other_declared_encodings_are_read_as_declared(encoding, content_type, declaration):
    body = rss_bytes([("Café £5 entrée ½", "Mon, 01 Jun 2026 10:00:00 GMT")], declaration, encoding)
    assert parse_feed(body, BASE, 5, content_type=content_type, now=FETCHED).posts[0].title == "Café £5 entrée ½"


@pytest.mark.parametrize("declaration", ["x-no-such-charset", "unicode_escape", "utf-7"])
@pytest.mark.parametrize("content_type", ["", "text/xml; charset=x-bogus"])
def test_an_encoding_nobody_can_read_a_feed_with_is_refused(declaration, content_type):
    body = rss_bytes([("Café", "Mon, 01 Jun 2026 10:00:00 GMT")], declaration)
    with pytest.raises(FeedParseError, match="x-bogus" if content_type else f"'{declaration}'"):
        parse_feed(body, BASE, 5, content_type=content_type, now=FETCHED)


# Text feedparser keeps as it is: no markup characters, spaces or controls (those are collapsed or parsed).
title_text = st.text(st.characters(blacklist_categories=("Cc", "Cs", "Co", "Cn", "Zs", "Zl", "Zp"),
                                   blacklist_characters="<>&\ufffd"), min_size=1, max_size=40)
bad_bytes = st.sampled_from([b"\xff", b"\xfe", b"\x80", b"\xbf", b"\xc0", b"\xc3", b"\xe2\x80", b"\xf0\x9f\x98",
                             b"\xed\xa0\x80", b"\xf5", b"\xc1\xbf"])


@given(title=title_text, data=st.data(),
       where=st.sampled_from([(UTF8, "utf-8"), ("", "utf-8"), (UTF8, ""), ("", "")]))
@settings(max_examples=100, deadline=None)
def test_every_good_character_survives_bad_bytes(title, data, where):
    content_type, declaration = where
    # At most one bad run between two characters, so two of them cannot make a valid one together.
    damage = data.draw(st.lists(st.tuples(st.integers(0, len(title)), bad_bytes), min_size=1, max_size=4,
                                unique_by=lambda d: d[0]))
    pieces = [ch.encode() for ch in title]
    for position, bad in sorted(damage, reverse=True):
        pieces.insert(position, bad)
    marker = "\u2603"  # stands where the damaged title goes
    body = rss_bytes([(marker, "Mon, 01 Jun 2026 10:00:00 GMT")], declaration)
    body = body.replace(marker.encode(), b"".join(pieces))
    shown = parse_feed(body, BASE, 5, content_type=content_type, now=FETCHED).posts[0].title
    assert shown.replace("\ufffd", "") == title
    assert 1 <= shown.count("\ufffd") <= sum(len(bad) for _, bad in damage)


# --- dates --------------------------------------------------------------------------------------

def test_field_case_a_date_read_only_in_part_is_no_date_and_listed_last(feed_server, tmp_path):
    url = feed_server.add("/news.xml", body=NONSTANDARD_DATE_FEED, content_type=UTF8)
    options = RunOptions(tmp_path, "sitegen-test", limits=Limits(1, 1, allow_private=True), clock=lambda: FETCHED)
    assert refresh_one(FeedJob(url), options).kind == "fetched"
    posts = read_record(tmp_path, url).posts
    assert [(p.title, p.published) for p in posts] == [
        ("Bike marking results", datetime(2026, 6, 1, 9, 0, tzinfo=UTC)), ("Summer fete safety stall", None)]


@pytest.mark.parametrize("written, instant", [
    ("Mon, 29 Jun 2026 15:07:41 BST", datetime(2026, 6, 29, 14, 7, 41, tzinfo=UTC)),
    ("Mon, 29 Jun 2026 15:07:41 GMT", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("29 Jun 2026 15:07 UT", datetime(2026, 6, 29, 15, 7, tzinfo=UTC)),
    ("Mon, 29 Jun 2026 15:07:41 Z", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("Mon, 29 Jun 2026 10:07:41 EST", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("Mon, 29 Jun 2026 08:07:41 PDT", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("Mon, 29 Jun 2026 20:37:41 +0530", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("Tue, 30 Jun 2026 00:07:41 -0000", datetime(2026, 6, 30, 0, 7, 41, tzinfo=UTC)),
    ("Mon, 29 Jun 26 16:07:41 +0100", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("2026-06-29T16:07:41+01:00", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("2026-06-29t15:07:41.250z", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("2026/6/29 15:07:41", None), ("29/06/2026 15:07", None), ("2026-06-29", None),
    ("2026-06-29T15:07:41", None), ("Mon, 29 Jun 2026 15:07:41", None),
    ("Mon, 29 Jun 2026 15:07:41 A", None),  # RFC 822's military letters: their sign is unknowable
    ("Mon, 29 Jun 2026 15:07:41 CEST", None), ("Mon, 31 Jun 2026 15:07:41 GMT", None),
    ("Mon, 29 Jun 2026 24:00:00 GMT", None), ("June 29, 2026 3:07 PM", None), ("", None), ("yesterday", None),
    ("Monday, 29 Jun 2026 15:07:41 GMT", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
    ("Fri, 29 Jun 2026 15:07:41 GMT", None),  # 29 June 2026 is a Monday: which part is wrong?
    ("Sun, 28 Jun 2026 23:30:00 -0100", datetime(2026, 6, 29, 0, 30, tzinfo=UTC)),  # the written day's weekday
    ("Mon, 28 Jun 2026 23:30:00 -0100", None),  # ...not the UTC day's
    ("Thu, 01 Jan 1970 00:00:00 +0000", None), ("Mon, 01 Jan 0001 00:00:00 +0000", None),
    ("1970-01-01T00:00:00Z", None), ("0001-01-01T00:00:00Z", None), ("Sat, 31 Dec 1994 23:59:59 GMT", None),
    ("Sun, 01 Jan 1995 00:00:00 GMT", datetime(1995, 1, 1, tzinfo=UTC))])
def test_dates_as_written(written, instant):
    assert read_date(written) == instant
    feed = parse_feed(rss_bytes([("Dated", "Mon, 01 Jun 2026 10:00:00 GMT"), ("Post", written)]), BASE, 5,
                      now=FETCHED)
    assert [p.published for p in feed.posts if p.title == "Post"] == [instant]
    if instant is None:
        assert feed.posts[-1].title == "Post"  # undated posts come after dated ones


def test_atom_dates_are_read_from_published_then_updated():
    atom = b"""<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom"><title>T</title>
    <entry><title>A</title><id>urn:a</id><published>2026/6/29</published>
      <updated>2026-06-29T16:07:41+01:00</updated></entry>
    <entry><title>B</title><id>urn:b</id><updated>2026-07-01T10:00:00 BST</updated></entry></feed>"""
    posts = parse_feed(atom, BASE, 5, now=FETCHED).posts
    assert [(p.title, p.published) for p in posts] == [("A", datetime(2026, 6, 29, 15, 7, 41, tzinfo=UTC)),
                                                       ("B", None)]


@pytest.mark.parametrize("ahead, kept", [(timedelta(hours=20), True), (timedelta(days=1, minutes=1), False),
                                         (timedelta(days=300), False)])
def test_a_post_dated_beyond_a_day_after_the_fetch_is_undated(ahead, kept):
    when = FETCHED + ahead
    feed = parse_feed(rss_bytes([("Future", when.strftime("%d %b %Y %H:%M:%S +0000")),
                                 ("Past", "Mon, 01 Jun 2026 10:00:00 GMT")]), BASE, 5, now=FETCHED)
    assert titles_and_days(feed) == ([("Future", when.date().isoformat()), ("Past", "2026-06-01")] if kept
                                     else [("Past", "2026-06-01"), ("Future", None)])


# Every format a feed might use: (how to write an instant, whether it names one instant exactly).
WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]
MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]
LONG_MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
ZONE_NAMES = {"GMT": 0, "UT": 0, "UTC": 0, "Z": 0, "BST": 60, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
              "MST": -420, "MDT": -360, "PST": -480, "PDT": -420}


def offset_text(minutes: int, colon: bool) -> str:
    sign = "-" if minutes < 0 else "+"
    hours, mins = divmod(abs(minutes), 60)
    return f"{sign}{hours:02d}{':' if colon else ''}{mins:02d}"


def rfc822(local: datetime, zone: str, weekday: bool, seconds: bool, long_month: bool, short_year: bool,
           weekday_shift: int = 0) -> str:
    """LOCAL as RFC 822 writes it; WEEKDAY_SHIFT days off names a wrong weekday."""
    month = (LONG_MONTHS if long_month else MONTHS)[local.month - 1]
    year = f"{local.year % 100:02d}" if short_year else str(local.year)
    text = f"{local.day:02d} {month} {year} {local:%H:%M}" + (f":{local:%S}" if seconds else "") + f" {zone}"
    return f"{WEEKDAYS[(local.weekday() + weekday_shift) % 7]}, {text}" if weekday else text


def rfc3339(local: datetime, zone: str, separator: str, fraction: str) -> str:
    return f"{local:%Y-%m-%d}{separator}{local:%H:%M:%S}{fraction}{zone}"


UNREADABLE = [lambda d: f"{d.year}/{d.month}/{d.day} {d:%H:%M:%S}", lambda d: f"{d:%d/%m/%Y %H:%M}",
              lambda d: f"{d:%m/%d/%Y}", lambda d: f"{d:%Y-%m-%d}", lambda d: f"{d:%Y-%m-%dT%H:%M:%S}",
              lambda d: rfc822(d, "", True, True, False, False).strip(),
              lambda d: rfc822(d, "CEST", True, True, False, False), lambda d: rfc822(d, "B", True, True, False, False),
              lambda d: f"{LONG_MONTHS[d.month - 1]} {d.day}, {d.year}",
              lambda d: f"{d:%Y%m%d}", lambda d: f"{d:%H:%M:%S}"]


@st.composite
def written_dates(draw) -> tuple[str, datetime | None]:
    """(a date as some feed writes it, the instant it names exactly or None: none for a
    wrong weekday or a date before 1995, which no feed can truly have)."""
    instant = draw(st.datetimes(datetime(1951, 1, 1), datetime(2049, 12, 31))).replace(microsecond=0, tzinfo=UTC)
    kind = draw(st.sampled_from(["rfc822 name", "rfc822 offset", "rfc3339", "unreadable"]))
    if kind == "unreadable":
        return draw(st.sampled_from(UNREADABLE))(instant), None
    if kind == "rfc822 name":
        name = draw(st.sampled_from(sorted(ZONE_NAMES)))
        minutes, zone = ZONE_NAMES[name], name
    else:
        minutes = draw(st.integers(-23 * 60 - 59, 23 * 60 + 59))
        zone = "Z" if kind == "rfc3339" and draw(st.booleans()) else offset_text(minutes, draw(st.booleans()))
        minutes = 0 if zone == "Z" else minutes
    seconds = kind == "rfc3339" or draw(st.booleans())
    instant = instant if seconds else instant.replace(second=0)
    local = instant.astimezone(timezone(timedelta(minutes=minutes))).replace(tzinfo=None)
    if kind == "rfc3339":
        separator, fraction = draw(st.sampled_from(["T", "t", " "])), draw(st.sampled_from(["", ".5", ".123456"]))
        text = rfc3339(local, zone, separator, fraction)
    else:
        weekday, shift = draw(st.booleans()), draw(st.sampled_from([0, 0, 0, 1, 3, 6]))
        text = rfc822(local, zone, weekday, seconds, draw(st.booleans()),
                      draw(st.booleans()) and 1950 <= local.year <= 2049, shift)
        if weekday and shift:
            return text, None
    return text, instant if instant.year >= 1995 else None


@given(written_dates())
@settings(max_examples=100, deadline=None)
def test_a_shown_date_is_the_exact_instant_written_or_none(case):
    text, instant = case
    feed = parse_feed(rss_bytes([("Post", text)]), BASE, 5, now=datetime(2100, 1, 1, tzinfo=UTC))
    assert feed.posts[0].published == instant, text
