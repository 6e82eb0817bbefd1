"""What a ward page shows: latest_posts (cache only) and the latest_posts.html partial."""
from __future__ import annotations

import json
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path

import jinja2
import pytest

from sitegen import i18n
from sitegen.config import FeedSettings, SiteConfig
from sitegen.feeds.cache import FeedRecord, feed_file, write_record
from sitegen.feeds.fetch import Limits
from sitegen.feeds.parse import Post
from sitegen.feeds.run import FeedJob, RunOptions, refresh_feeds
from sitegen.feeds.view import latest_posts
from sitegen.model import Area, SocialLink
from sitegen.render import NETWORK_NAMES, as_written, iso_date, long_date, network_name

try:
    from feedserver import ATOM_TEXT_WITH_MARKUP, HOSTILE_RSS
except ImportError:  # tests/ is a package
    from tests.feedserver import ATOM_TEXT_WITH_MARKUP, HOSTILE_RSS

TEMPLATES = Path(__file__).resolve().parent.parent / "sitegen" / "theme" / "templates"
FETCHED = datetime(2026, 11, 20, 3, 0, tzinfo=UTC)
FEED = "https://social.example/@abbey.rss"


@pytest.fixture
def config(tmp_path):
    return SiteConfig(root=tmp_path, name="Example Police", base_url="https://police.example/",
                      feeds=FeedSettings(cache_dir=".cache/feeds", stale_after_days=14, max_entries=5))


def area(*social: SocialLink) -> Area:
    return Area(slug="abbey", name="Abbey", source="content/areas/abbey/area.yaml", social=social)


MASTODON = SocialLink("mastodon", "https://social.example/@abbey", FEED)


def store(config: SiteConfig, **fields) -> FeedRecord:
    record = FeedRecord(**{"url": FEED, "title": "Abbey team", "fetched_at": FETCHED, "checked_at": FETCHED,
                           "posts": (Post("Out on patrol", "https://social.example/@abbey/1",
                                          datetime(2026, 11, 19, 23, 30, tzinfo=UTC),
                                          '<p class="govuk-body-s">Hello</p>'),), **fields})
    write_record(config.root / config.feeds.cache_dir, record)
    return record


def render(feeds, the_area: Area) -> str:
    env = jinja2.Environment(loader=jinja2.FileSystemLoader(str(TEMPLATES)), autoescape=True,
                             undefined=jinja2.StrictUndefined, trim_blocks=True, lstrip_blocks=True,
                             extensions=["jinja2.ext.i18n"])
    env.install_gettext_callables(i18n.gettext, i18n.ngettext, newstyle=True)  # type: ignore[attr-defined]
    env.policies["ext.i18n.trimmed"] = True
    env.filters.update(long_date=long_date, iso_date=iso_date, as_written=as_written)
    env.globals.update(network_names=NETWORK_NAMES, network_name=network_name)
    return env.get_template("partials/latest_posts.html").render(feeds=feeds, area=the_area)


def test_latest_posts_reads_the_cache(config):
    store(config)
    [feed] = latest_posts(config, area(MASTODON, SocialLink("x", "https://x.com/abbey")), date(2026, 11, 20))
    assert (feed.network, feed.title, feed.source, feed.account_url) == ("mastodon", "Abbey team", "Abbey team",
                                                                         "https://social.example/@abbey")
    assert feed.fetched == date(2026, 11, 20) and not feed.stale
    [post] = feed.posts
    assert post.title == "Out on patrol" and post.link == "https://social.example/@abbey/1"
    assert post.date == date(2026, 11, 19)  # 23:30 UTC is still the 19th in London in November
    assert post.summary_html == '<p class="govuk-body-s">Hello</p>'


@pytest.mark.parametrize("today, stale", [(date(2026, 12, 4), False), (date(2026, 12, 5), True)])
def test_a_feed_not_confirmed_for_too_long_is_stale(config, today, stale):
    store(config)
    assert latest_posts(config, area(MASTODON), today)[0].stale is stale


def test_a_304_keeps_the_feed_fresh(config):
    store(config, fetched_at=datetime(2026, 1, 1, tzinfo=UTC))
    assert latest_posts(config, area(MASTODON), date(2026, 11, 21))[0].stale is False


@pytest.mark.parametrize("fields", [dict(posts=()), dict(gone=True), dict(checked_at=None)])
def test_nothing_is_shown_without_posts_or_for_a_gone_feed(config, fields):
    store(config, **fields)
    assert latest_posts(config, area(MASTODON), date(2026, 11, 20)) == []


def test_no_cache_and_no_feeds_show_nothing(config):
    assert latest_posts(config, area(MASTODON), date(2026, 11, 20)) == []
    assert latest_posts(config, area(SocialLink("facebook", "https://facebook.com/abbey")), date(2026, 11, 20)) == []
    assert render([], area(MASTODON)).strip() == ""


def test_a_tampered_cache_is_sanitised_again(config):
    store(config)
    path = feed_file(config.root / config.feeds.cache_dir, FEED)
    data = json.loads(path.read_text())
    data["posts"][0].update(link="javascript:alert(1)", summary_html='<img src=x onerror="alert(1)"><script>x()</script>Hi')
    path.write_text(json.dumps(data))
    [feed] = latest_posts(config, area(MASTODON), date(2026, 11, 20))
    assert feed.posts[0].link is None and feed.posts[0].summary_html == "Hi"


def test_the_view_is_deterministic_and_limited_to_max_entries(config):
    posts = tuple(Post(f"Post {n}", None, None, "") for n in range(9))
    store(config, posts=posts)
    first = latest_posts(config, area(MASTODON, MASTODON), date(2026, 11, 20))
    assert first == latest_posts(config, area(MASTODON, MASTODON), date(2026, 11, 20))
    assert len(first) == 1 and len(first[0].posts) == 5


def test_the_partial_renders_govuk_markup(config):
    store(config)
    html = render(latest_posts(config, area(MASTODON), date(2026, 12, 25)), area(MASTODON))
    assert '<h2 class="govuk-heading-m" id="latest-posts">Latest posts</h2>' in html
    assert '<h3 class="govuk-heading-s' in html and "Abbey team</h3>" in html
    assert '<strong class="govuk-tag govuk-tag--grey">May be out of date</strong>' in html
    assert '<a class="govuk-link" href="https://social.example/@abbey" rel="noopener">Mastodon' in html
    assert '<time datetime="2026-11-19">19 November 2026</time>' in html
    assert 'href="https://social.example/@abbey/1"' in html and "Out on patrol</a>" in html
    assert "May be out of date" not in render(latest_posts(config, area(MASTODON), date(2026, 11, 21)), area(MASTODON))


class _Markup(HTMLParser):
    """Every start tag and its attributes."""

    def __init__(self, html: str):
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.tags.append((tag, dict(attrs)))


def test_hostile_feeds_never_reach_the_page_as_markup(feed_server, config):
    hostile = feed_server.add("/hostile.rss", body=HOSTILE_RSS)
    atom = feed_server.add("/atom.xml", body=ATOM_TEXT_WITH_MARKUP)
    links = (SocialLink("web", "https://news.example/", hostile), SocialLink("youtube", "https://youtube.example/c", atom))
    options = RunOptions(cache_dir=config.root / config.feeds.cache_dir, user_agent="t",
                         limits=Limits(1, 1, allow_private=True), max_entries=5)
    summary = refresh_feeds([FeedJob(hostile), FeedJob(atom)], options)
    assert {o.kind for o in summary.outcomes} == {"fetched"}

    html = render(latest_posts(config, area(*links), date(2026, 11, 20)), area(*links))
    tags = _Markup(html).tags
    names = {tag for tag, _ in tags}
    assert not names & {"script", "style", "iframe", "img", "svg", "object", "embed", "form", "input", "link", "meta"}
    assert names <= {"section", "h2", "h3", "div", "p", "strong", "a", "span", "time", "ul", "li"}
    for tag, attrs in tags:
        assert not [name for name in attrs if name.startswith("on")], (tag, attrs)
        for name in ("href", "src", "action"):
            value = (attrs.get(name) or "").strip().lower()
            assert not value or value.startswith(("https://", "http://")), (tag, attrs)
    lowered = html.lower()
    assert "<script" not in lowered and "javascript:" not in lowered and "data:text" not in lowered
    assert "&lt;script&gt;alert(&#34;title&#34;)&lt;/script&gt; Tips &amp;amp; advice" in html  # text shown as text
    assert "Use &lt;b&gt;locks&lt;/b&gt; &amp; lights" in html
