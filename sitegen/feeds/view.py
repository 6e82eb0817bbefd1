"""What a ward page shows from its feeds: read from the cache only, never the network.

Deterministic: the same cache, area and `today` give the same result.  The
cached HTML is sanitised again on the way out (it is cheap, and it means a
tampered cache file or a stricter allow-list is applied on the next build).
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

# The cache's reader and the sanitiser (Python's HTML parser) are imported where a feed is read:
# a ward page of an area without feeds (every page of most sites) needs neither (4 ms of imports).
if TYPE_CHECKING:
    from ..config import SiteConfig
    from ..model import Area, SocialLink
    from .cache import FeedRecord
    from .post import Post

LOCAL_TIME = ZoneInfo("Europe/London")


@dataclass(frozen=True)
class PostView:
    """One post as a page shows it."""

    title: str              # plain text: the template escapes it
    link: str | None        # absolute http(s), or None
    date: date | None       # the day it was published, in London
    summary_html: str       # sanitised with nh3: safe to mark |safe


@dataclass(frozen=True)
class FeedView:
    """One feed's latest posts, with where they came from and how fresh they are."""

    network: str            # as in area.yaml: mastodon, bluesky, youtube, web...
    title: str              # the feed's own title (plain text), or the account address
    account_url: str        # the account's address from area.yaml
    feed_url: str
    fetched: date           # the last day the server confirmed these posts
    stale: bool             # fetched more than feeds.stale_after_days before today
    posts: tuple[PostView, ...]

    @property
    def source(self) -> str:
        """The source's name, for 'From ...' lines."""
        return self.title


def latest_posts(config: SiteConfig, area: Area, today: date) -> list[FeedView]:
    """The cached posts of each of AREA's feeds, in area.yaml order.

    Feeds with no cached posts, and feeds that are gone (HTTP 410), are left out.
    """
    views, seen = [], set()
    for link in area.social:
        if link.feed and link.feed not in seen:
            seen.add(link.feed)
            view = feed_view(_cached(config, link.feed), link, config, today)
            if view is not None:
                views.append(view)
    return views


def _cached(config: SiteConfig, feed: str) -> FeedRecord | None:
    """The cache's record of FEED (None if it has none)."""
    from .cache import read_record, site_cache_dir
    return read_record(site_cache_dir(config), feed)


def feed_view(record: FeedRecord | None, link: SocialLink, config: SiteConfig,
              today: date) -> FeedView | None:
    """LINK's feed as shown, from its cache RECORD; None when there is nothing to show."""
    if record is None or record.gone or not record.posts or record.checked_at is None:
        return None
    fetched = local_date(record.checked_at)
    posts = tuple(post_view(p) for p in record.posts[: config.feeds.max_entries])
    return FeedView(network=link.network, title=_title(record, link), account_url=link.url,
                    feed_url=link.feed, fetched=fetched, posts=posts,
                    stale=is_stale(fetched, today, config.feeds.stale_after_days))


def is_stale(fetched: date, today: date, stale_after_days: int) -> bool:
    """True when FETCHED is more than STALE_AFTER_DAYS days before TODAY."""
    return (today - fetched).days > stale_after_days


def post_view(post: Post) -> PostView:
    """A cached post, checked again: plain title, http(s) link, sanitised summary."""
    from .post import TITLE_MAX
    from .sanitise import clean_html, collapse, safe_link, shorten
    return PostView(title=shorten(collapse(post.title), TITLE_MAX), link=safe_link(post.link),
                    date=local_date(post.published) if post.published else None,
                    summary_html=clean_html(post.summary_html))


def local_date(moment: datetime) -> date:
    """The day MOMENT falls on in London."""
    return moment.astimezone(LOCAL_TIME).date()


def _title(record: FeedRecord, link: SocialLink) -> str:
    from .post import TITLE_MAX
    from .sanitise import collapse, shorten
    title = shorten(collapse(record.title), TITLE_MAX)
    if title:
        return title
    parts = urlsplit(link.url)
    return (parts.netloc + parts.path).rstrip("/")
