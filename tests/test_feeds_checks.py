"""Static checks of feed URLs, for `sitegen check`, and where `sitegen feeds` reports a feed that failed."""
from __future__ import annotations

import pytest

from conftest import run_cli
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


# ---- `sitegen feeds`: a failed feed is reported at its 'feed:' line, with what to do ----

AREA_YAML = ("name: Abbey\nborough: Barking\nsocial:\n  - network: x\n    url: https://x.com/abbey\n"
             "  - network: web\n    url: https://news.example/\n    feed: {broken}\n"
             "  - network: mastodon\n    url: https://m.example/@abbey\n    feed: {gone}\n")


def _feed_site(root, broken: str, gone: str):
    (root / "content/areas/abbey").mkdir(parents=True)
    (root / "site.yaml").write_text("name: Test Police\nbase_url: https://www.test.police.example/\n"
                                    "feeds:\n  allow_private_hosts: true\n")
    (root / "content/areas/abbey/area.yaml").write_text(AREA_YAML.format(broken=broken, gone=gone))
    return root


def test_a_feed_that_fails_is_reported_at_its_line_with_what_to_do(feed_server, tmp_path):
    broken, gone = feed_server.add("/broken.rss", status=500), feed_server.add("/gone.rss", status=410)
    result = run_cli("feeds", "--site", str(_feed_site(tmp_path, broken, gone)))
    area = "content/areas/abbey/area.yaml"
    assert result.exit_code == 0, result.stderr
    lines = result.stderr.splitlines()
    assert (f"{area}:8:5: feed {broken}: HTTP 500 Internal Server Error; check that the address opens in a browser,"
            " and correct it if it has moved; it is tried again on the next run, and nothing is shown until it"
            " works") in lines, lines
    assert (f"{area}:11:5: feed {gone}: HTTP 410 Gone; the site says this feed is gone for good, so it is no longer"
            " shown; remove the 'feed:' line, or give the feed's new address") in lines, lines


def test_a_feed_check_would_refuse_is_reported_at_its_line(tmp_path):
    root = _feed_site(tmp_path, "https://user:pw@news.example/abbey.rss", "https://m.example/@abbey.rss")
    (root / "site.yaml").write_text("name: Test Police\nbase_url: https://www.test.police.example/\n")
    result = run_cli("check", "--site", str(root))
    assert result.exit_code == 1
    assert any(line.startswith("content/areas/abbey/area.yaml:8:5: social link 2 (web): feed https://user:pw@")
               for line in result.stderr.splitlines()), result.stderr
