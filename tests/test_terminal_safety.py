"""Text from outside never drives the operator's terminal: control characters
from feed servers, feeds, URLs and file names are shown as escapes in every
message, log line and feed-cache entry (issue 15, class C)."""
from __future__ import annotations

import json
import tempfile
import unicodedata
from datetime import UTC, datetime
from itertools import count
from pathlib import Path

from click.testing import CliRunner
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.cli import main
from sitegen.feeds.cache import SUMMARY_FILE, feed_file, read_record
from sitegen.feeds.fetch import Limits
from sitegen.feeds.run import FeedJob, RunOptions, refresh_one
from sitegen.terminal import printable

try:
    from feedserver import rss
except ImportError:  # tests/ is a package
    from tests.feedserver import rss

BIDI = {0x061C, 0x200E, 0x200F, *range(0x202A, 0x202F), *range(0x2066, 0x206A)}
RETITLE, CLEAR, FAKE_LINE = "\x1b]0;owned\x07", "\x1b[2J", "\rFeeds: 3 checked: all good.\n"
ATTACKS = [RETITLE, CLEAR, FAKE_LINE, "\x9b2J", "\u202eevil", "\x85next line", "\x00\x7f"]


def dangerous(ch: str) -> bool:
    """What a terminal acts on: C0 but tab, DEL, C1, bidi controls, line and paragraph separators."""
    return (unicodedata.category(ch) in ("Cc", "Zl", "Zp") and ch != "\t") or ord(ch) in BIDI


def raw_controls(text: str) -> list[str]:
    return [ch for ch in text if dangerous(ch) and ch != "\n"]  # whole output: line ends are ours


def strings_in(value) -> list[str]:
    """Every string (keys too) inside parsed JSON VALUE."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in (k, *strings_in(v))]
    if isinstance(value, list):
        return [s for v in value for s in strings_in(v)]
    return []


controls = st.sampled_from([chr(c) for c in (*range(0x20), *range(0x7F, 0xA0), *BIDI, 0x2028, 0x2029)])
hostile_text = st.lists(st.one_of(controls, st.text(max_size=3), st.sampled_from(ATTACKS)), max_size=12).map("".join)


@given(hostile_text)
@settings(max_examples=100, deadline=None)
def test_printable_escapes_exactly_the_characters_a_terminal_acts_on(text):
    shown = printable(text)
    assert not any(dangerous(ch) for ch in shown)
    expected = "".join(ch.encode("unicode_escape").decode("ascii") if dangerous(ch) else ch for ch in text)
    assert shown == expected  # as Python writes them (\x1b, \n, \u202e); all other text untouched


def test_the_attacks_are_shown_as_text():
    assert printable(RETITLE + CLEAR + FAKE_LINE) == "\\x1b]0;owned\\x07\\x1b[2J\\rFeeds: 3 checked: all good.\\n"
    assert printable("Café – £5\tok \\x1b") == "Café – £5\tok \\x1b"


# --- the feed cache and `sitegen feeds` -------------------------------------------------------

AREA = """name: {name}
social:
  - network: web
    url: https://news.example/{slug}
    feed: {feed}
"""


def make_site(root: Path, feeds: dict[str, str]) -> Path:
    (root / "site.yaml").write_text(
        "name: Example Police\nbase_url: https://police.example/\n"
        "feeds:\n  allow_private_hosts: true\n  connect_timeout: 1\n  read_timeout: 1\n", encoding="utf-8")
    for slug, feed in feeds.items():
        folder = root / "content" / "areas" / slug
        folder.mkdir(parents=True)
        (folder / "area.yaml").write_text(AREA.format(name=slug.title(), slug=slug, feed=feed), encoding="utf-8")
    return root


def hostile_routes(server) -> dict[str, str]:
    """Feeds whose status line, headers or title carry escape sequences, by area slug."""
    return {
        "status": server.add("/status.rss", status_line=f"HTTP/1.0 2{RETITLE}0 {CLEAR}{FAKE_LINE.rstrip()}"),
        "reason": server.add("/reason.rss", status=500, status_line=f"HTTP/1.0 500 {RETITLE}{FAKE_LINE.rstrip()}"),
        "encoding": server.add("/encoding.rss", body=rss(), headers={"Content-Encoding": f"br{RETITLE}{CLEAR}"}),
        "title": server.add("/title.rss", body=rss(title=f"Abbey{RETITLE}{CLEAR}")),
        "c1": server.add("/c1.rss", body=rss(title="Abbey\u009b2J\u0085")),
    }


def test_a_hostile_feed_server_reaches_neither_the_terminal_nor_the_cache_raw(feed_server, tmp_path):
    site = make_site(tmp_path, hostile_routes(feed_server))
    result = CliRunner().invoke(main, ["feeds", "--site", str(site)], catch_exceptions=False)
    assert result.exit_code == 0, result.output
    assert raw_controls(result.stdout) == [] and raw_controls(result.stderr) == []
    assert "1 fetched, 0 not modified, 4 failed" in result.stdout
    assert "\\x1b]0;owned\\x07" in result.stderr and "\\x1b[2J" in result.stderr
    assert "Feeds: 3 checked: all good" not in result.stdout
    for path in (site / ".cache" / "feeds").iterdir():
        assert raw_controls(path.read_text(encoding="utf-8")) == []  # what `cat` would show
        assert not any(raw_controls(s) for s in strings_in(json.loads(path.read_text(encoding="utf-8"))))
    summary = json.loads((site / ".cache" / "feeds" / SUMMARY_FILE).read_text(encoding="utf-8"))
    assert {p["url"].rsplit("/", 1)[1] for p in summary["problems"]} == {
        "status.rss", "reason.rss", "encoding.rss", "title.rss"}


def test_an_area_folder_named_with_escapes_is_printed_escaped(make_site):
    site = make_site()
    hostile = site / "content" / "areas" / f"north{CLEAR}{RETITLE}"
    hostile.mkdir()
    (hostile / "area.yaml").write_text("name: [unclosed\n", encoding="utf-8")
    result = CliRunner().invoke(main, ["check", "--site", str(site)], catch_exceptions=False)
    assert result.exit_code == 1
    assert raw_controls(result.stderr) == [] and raw_controls(result.stdout) == []
    assert "north\\x1b[2J\\x1b]0;owned\\x07" in result.stderr


_paths = count()


@given(payload=st.lists(st.one_of(controls.filter(lambda ch: ord(ch) < 0x100 and ch != "\n"), st.text(
    st.characters(min_codepoint=0x20, max_codepoint=0xFF), max_size=3)), min_size=1, max_size=10).map("".join),
    where=st.sampled_from(["status line", "header"]))
@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
def test_any_control_character_from_a_server_is_escaped_in_the_cache_and_the_summary(feed_server, payload, where):
    path = f"/feed-{next(_paths)}.rss"
    if where == "status line":
        url = feed_server.add(path, status_line=f"HTTP/1.0 2x0 {payload}")
    else:
        url = feed_server.add(path, body=rss(), headers={"Content-Encoding": f"br{payload.replace(chr(13), '')}"})
    with tempfile.TemporaryDirectory() as cache:
        options = RunOptions(Path(cache), "sitegen-test", limits=Limits(1, 1, allow_private=True),
                             clock=lambda: datetime(2026, 11, 28, tzinfo=UTC))
        outcome = refresh_one(FeedJob(url, ("content/areas/abbey/area.yaml",)), options)
        record = read_record(Path(cache), url)
        cached = feed_file(Path(cache), url).read_text(encoding="utf-8")
    assert outcome.kind == "failed"
    assert raw_controls(outcome.message) == [] and raw_controls(record.last_error) == []
    assert raw_controls(cached) == []
    assert "\n" not in outcome.message
