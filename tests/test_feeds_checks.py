"""Static checks of feed URLs, for `sitegen check`."""
from __future__ import annotations

import pytest

from sitegen.feeds.checks import area_feed_problems, url_problem
from sitegen.model import Area, SocialLink


@pytest.mark.parametrize("url, fragment", [
    ("https://user:pw@news.example/feed", "user name and password"),
    ("http://127.0.0.1:8000/feed", "private or local address"),
    ("http://[::1]/feed", "private or local address"),
    ("http://10.0.0.5/feed", "private or local address"),
    ("http://localhost/feed", "private or local address"),
    ("http://news.example:99999/feed", "not a valid URL"),
])
def test_feeds_that_would_be_refused_are_flagged(url, fragment):
    assert fragment in url_problem(url, allow_private=False)


@pytest.mark.parametrize("url", ["https://mastodon.example/@abbey.rss", "https://93.184.216.34/feed"])
def test_public_feeds_pass(url):
    assert url_problem(url, allow_private=False) == ""


def test_private_feeds_pass_when_the_site_allows_them():
    assert url_problem("http://127.0.0.1:8000/feed", allow_private=True) == ""


def test_a_feed_listed_twice_is_flagged_with_its_file():
    feed = "https://news.example/abbey.rss"
    area = Area(slug="abbey", name="Abbey", source="content/areas/abbey/area.yaml",
                social=(SocialLink("web", "https://news.example/", feed), SocialLink("x", "https://x.com/a"),
                        SocialLink("mastodon", "https://m.example/@a", feed)))
    [problem] = area_feed_problems(area, allow_private=False)
    assert str(problem) == ("content/areas/abbey/area.yaml: social link 3 (mastodon): "
                            "feed https://news.example/abbey.rss is listed twice; remove one")
