"""`sitegen feeds` on a small site whose feeds come from a server on 127.0.0.1."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from sitegen.cli import main
from sitegen.feeds.cache import SUMMARY_FILE, read_record

try:
    from feedserver import rss
except ImportError:  # tests/ is a package
    from tests.feedserver import rss

AREA = """name: {name}
social:
  - network: mastodon
    url: https://social.example/@{slug}
    feed: {feed}
  - network: x
    url: https://x.com/{slug}
"""


def make_site(root: Path, feeds: dict[str, str], allow_private: bool = True) -> Path:
    (root / "site.yaml").write_text(
        "name: Example Police\nbase_url: https://police.example/\n"
        f"feeds:\n  allow_private_hosts: {'true' if allow_private else 'false'}\n"
        "  connect_timeout: 1\n  read_timeout: 1\n", encoding="utf-8")
    for slug, feed in feeds.items():
        folder = root / "content" / "areas" / slug
        folder.mkdir(parents=True)
        (folder / "area.yaml").write_text(AREA.format(name=slug.title(), slug=slug, feed=feed), encoding="utf-8")
    return root


def invoke(*args: str):
    return CliRunner().invoke(main, ["feeds", *args], catch_exceptions=False)


def test_fetches_every_feed_and_exits_0_when_some_fail(feed_server, tmp_path):
    good = feed_server.add("/abbey.rss", body=rss(), etag='"v1"')
    broken = feed_server.add("/alibon.rss", status=500)
    site = make_site(tmp_path, {"abbey": good, "alibon": broken})
    result = invoke("--site", str(site))
    assert result.exit_code == 0, result.output
    assert "Feeds: 2 checked in" in result.stdout and "1 fetched, 0 not modified, 1 failed" in result.stdout
    assert f"content/areas/alibon/area.yaml:5:5: feed {broken}: HTTP 500 Internal Server Error" in result.stderr
    assert "Summary saved to .cache/feeds/run-summary.json." in result.stdout
    summary = json.loads((site / ".cache" / "feeds" / SUMMARY_FILE).read_text())
    assert summary["counts"]["fetched"] == 1 and summary["counts"]["failed"] == 1
    assert read_record(site / ".cache" / "feeds", good).posts
    assert feed_server.seen("/abbey.rss")[0].headers["user-agent"].endswith("(+https://police.example/; Example Police)")

    again = invoke("--site", str(site), "--quiet")
    assert again.exit_code == 0
    assert again.stdout.strip().endswith(": 0 fetched, 1 not modified, 1 failed, 0 gone, 0 backed off.")
    assert again.stderr == ""


def test_only_fetches_one_area(feed_server, tmp_path):
    site = make_site(tmp_path, {"abbey": feed_server.add("/abbey.rss", body=rss()),
                                "alibon": feed_server.add("/alibon.rss", body=rss())})
    result = invoke("--site", str(site), "--only", "alibon")
    assert result.exit_code == 0 and "Feeds: 1 checked" in result.stdout
    assert feed_server.seen("/abbey.rss") == [] and len(feed_server.seen("/alibon.rss")) == 1


def test_only_with_an_unknown_area_is_a_usage_error(feed_server, tmp_path):
    site = make_site(tmp_path, {"abbey": feed_server.add("/abbey.rss", body=rss())})
    result = invoke("--site", str(site), "--only", "abbee")
    assert result.exit_code == 2
    assert "content/areas: no area 'abbee'; did you mean 'abbey'?" in result.stderr
    assert feed_server.requests == []


def test_loopback_feeds_are_refused_unless_the_site_allows_them(feed_server, tmp_path):
    site = make_site(tmp_path, {"abbey": feed_server.add("/abbey.rss", body=rss())}, allow_private=False)
    result = invoke("--site", str(site))
    assert result.exit_code == 0
    assert "refused: 127.0.0.1 is a private, loopback or link-local address" in result.stderr
    assert feed_server.requests == []


def test_a_site_without_feeds_says_so(tmp_path):
    site = make_site(tmp_path, {})
    result = invoke("--site", str(site))
    assert result.exit_code == 0 and "Feeds: 0 checked" in result.stdout


def test_a_missing_site_is_an_input_error(tmp_path):
    result = invoke("--site", str(tmp_path / "nowhere"))
    assert result.exit_code == 1 and "site.yaml" in result.stderr


@pytest.mark.parametrize("quiet", [False, True])
def test_no_progress_bar_when_output_is_not_a_terminal(feed_server, tmp_path, quiet):
    site = make_site(tmp_path, {"abbey": feed_server.add("/abbey.rss", body=rss())})
    result = invoke("--site", str(site), *(["--quiet"] if quiet else []))
    assert "Fetching feeds" not in result.output
