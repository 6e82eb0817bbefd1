"""Feeds end to end: `sitegen feeds` fetches hostile and good feeds from a real
local server into the cache, `sitegen build` shows them on the ward page, and
nothing executable reaches build/."""
from __future__ import annotations

import re

from conftest import BUILD_DATE, run_cli
from feedserver import ATOM_TEXT_WITH_MARKUP, HOSTILE_RSS


def add_feeds(site, hostile_url: str, atom_url: str) -> None:
    config = site / "site.yaml"
    config.write_text(config.read_text() + "feeds:\n  allow_private_hosts: true\n")
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace(
        "  - network: x\n    url: https://x.com/northward",
        "  - network: x\n    url: https://x.com/northward\n"
        f"  - network: web\n    url: https://news.example/\n    feed: {hostile_url}\n"
        f"  - network: youtube\n    url: https://youtube.example/c\n    feed: {atom_url}"))


def test_feeds_reach_the_ward_page_sanitised(feed_server, make_site, tmp_path):
    site = make_site("minimal")
    add_feeds(site, feed_server.add("/hostile.rss", body=HOSTILE_RSS), feed_server.add("/atom.xml", body=ATOM_TEXT_WITH_MARKUP))
    result = run_cli("feeds", "--site", str(site), "--quiet")
    assert result.exit_code == 0, result.output + result.stderr
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.stderr
    ward = (out / "areas/north-ward/index.html").read_text()
    assert "Tips &amp;amp; advice" in ward  # the Atom text title, shown as text
    for path in out.rglob("*.html"):
        text = path.read_text().lower()
        assert not re.search(r"<script(?![^>]*\bsrc=\"/assets/)", text), path
        assert "javascript:" not in text and "<iframe" not in text, path
        assert not re.search(r"<[^>]+\son[a-z]+=", text), path


def test_a_build_never_fetches(feed_server, make_site, tmp_path):
    site = make_site("minimal")
    add_feeds(site, feed_server.add("/hostile.rss", body=HOSTILE_RSS), feed_server.add("/atom.xml", body=ATOM_TEXT_WITH_MARKUP))
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "out"), "--build-date", BUILD_DATE)
    assert result.exit_code == 0
    assert feed_server.requests == []
    assert "Tips" not in (tmp_path / "out/areas/north-ward/index.html").read_text()


def test_new_posts_rebuild_only_the_ward_page(feed_server, make_site, tmp_path):
    site = make_site("minimal")
    atom = feed_server.add("/atom.xml", body=ATOM_TEXT_WITH_MARKUP)
    add_feeds(site, feed_server.add("/hostile.rss", body=HOSTILE_RSS), atom)
    out, state = ["--out", str(tmp_path / "out")], ["--state", str(tmp_path / "state")]
    assert run_cli("feeds", "--site", str(site), "--quiet").exit_code == 0
    assert run_cli("build", "--site", str(site), *out, *state, "--build-date", BUILD_DATE).exit_code == 0
    feed_server.add("/atom.xml", body=ATOM_TEXT_WITH_MARKUP.replace(b"Tips", b"Winter tips"))
    assert run_cli("feeds", "--site", str(site), "--quiet").exit_code == 0
    result = run_cli("build", "--site", str(site), *out, *state, "--build-date", BUILD_DATE)
    assert ", 1 rendered)" in result.output, result.output + result.stderr
    assert "Winter tips" in (tmp_path / "out/areas/north-ward/index.html").read_text()
    clean = run_cli("build", "--site", str(site), "--out", str(tmp_path / "clean"), "--build-date", BUILD_DATE)
    assert clean.exit_code == 0
    for page in (tmp_path / "clean").rglob("*"):
        if page.is_file():
            assert page.read_bytes() == (tmp_path / "out" / page.relative_to(tmp_path / "clean")).read_bytes(), page
