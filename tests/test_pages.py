"""Properties every built page must have, checked over the whole example site,
and the machine-readable outputs (Atom, iCalendar, sitemap)."""
from __future__ import annotations

import re
import xml.etree.ElementTree as ET
from html.parser import HTMLParser
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen.telhref import tel_href

ATOM = "{http://www.w3.org/2005/Atom}"


class PageFacts(HTMLParser):
    """Collects the facts the tests assert from one HTML page."""

    def __init__(self):
        super().__init__()
        self.lang = None
        self.h1 = 0
        self.title = ""
        self.canonical = None
        self.skip_link = False
        self.breadcrumbs = False
        self.inline_scripts = 0
        self._in_title = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "html":
            self.lang = attrs.get("lang")
        elif tag == "h1":
            self.h1 += 1
        elif tag == "title":
            self._in_title = True
        elif tag == "link" and attrs.get("rel") == "canonical":
            self.canonical = attrs.get("href")
        elif tag == "a" and "govuk-skip-link" in (attrs.get("class") or ""):
            self.skip_link = attrs.get("href") == "#main-content"
        elif tag == "nav" and attrs.get("aria-label") in ("Breadcrumb", "Briwsion bara"):
            self.breadcrumbs = True
        elif tag == "script" and "src" not in attrs:
            self.inline_scripts += 1

    def handle_endtag(self, tag):
        if tag == "title":
            self._in_title = False

    def handle_data(self, data):
        if self._in_title:
            self.title += data


def html_pages(build: Path) -> list[Path]:
    """The public pages of BUILD (not the editors' admin: tests/test_admin_config.py)."""
    return sorted(p for p in build.rglob("*.html") if p.relative_to(build).parts[0] != "admin")


def facts(path: Path) -> tuple[PageFacts, str]:
    text = path.read_text(encoding="utf-8")
    parser = PageFacts()
    parser.feed(text)
    return parser, text


def test_every_page_has_the_essentials(example_build):
    pages = html_pages(example_build)
    assert len(pages) > 80
    for path in pages:
        rel = path.relative_to(example_build).as_posix()
        page, text = facts(path)
        welsh = rel.startswith("cy/")      # the example site is in English and Welsh
        assert page.lang == ("cy" if welsh else "en-GB"), rel
        assert page.h1 == 1, f"{rel} has {page.h1} h1 elements"
        assert page.skip_link, rel
        assert 'id="main-content"' in text, rel
        assert page.title.strip() and ("Heddlu Enghreifftiol" if welsh else "Example Police") in page.title, rel
        assert page.canonical and page.canonical.startswith("https://www.example.police.uk/"), rel
        assert 'href="tel:999"' in text and 'href="tel:101"' in text, rel
        assert page.inline_scripts == 0, rel
        if rel.removeprefix("cy/") not in ("index.html", "404.html"):
            assert page.breadcrumbs, rel


def test_canonical_urls_match_paths(example_build):
    page, _ = facts(example_build / "areas/alibon/news/winter-burglary-advice/index.html")
    assert page.canonical == "https://www.example.police.uk/areas/alibon/news/winter-burglary-advice/"


def test_past_events_drop_out_at_build_time(make_site, tmp_path):
    site = make_site("minimal")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "nov"), "--build-date", "2026-11-28")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "dec"), "--build-date", "2026-12-04")
    november = (tmp_path / "nov/areas/north-ward/index.html").read_text()
    december = (tmp_path / "dec/areas/north-ward/index.html").read_text()
    assert "Old hall" not in november
    assert ">3 December 2026, 7pm</time> to <time datetime=\"2026-12-03T20:30\">8:30pm<" in november
    assert "3 December 2026" not in december and ">10 January 2027, 11:30am<" in december
    assert "DTSTART;TZID=Europe/London:20261203T190000" not in (tmp_path / "dec/areas/north-ward/events.ics").read_text()


def test_untrusted_looking_content_is_escaped(example_build, make_site, tmp_path):
    site = make_site("minimal")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE)
    ward = (tmp_path / "b/areas/north-ward/index.html").read_text()
    assert "Bike theft &amp; &#34;vandalism&#34; &lt;near&gt; the station." in ward
    about = (tmp_path / "b/about/index.html").read_text()
    assert "<script>" not in about and "alert" not in about


def test_atom_feed_is_valid_rfc4287(example_build):
    feed = ET.parse(example_build / "areas/alibon/feed.xml").getroot()
    assert feed.tag == f"{ATOM}feed"
    for required in ("id", "title", "updated", "author"):
        assert feed.find(f"{ATOM}{required}") is not None, required
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == 3
    for entry in entries:
        for required in ("id", "title", "updated", "link", "content"):
            assert entry.find(f"{ATOM}{required}") is not None, required
        assert entry.find(f"{ATOM}id").text.startswith("https://www.example.police.uk/areas/alibon/news/")
    updated = [e.find(f"{ATOM}updated").text for e in entries]
    assert updated == sorted(updated, reverse=True)
    assert feed.find(f"{ATOM}updated").text == updated[0]
    content = entries[0].find(f"{ATOM}content").text
    assert 'href="https://www.example.police.uk/areas/alibon/' in content


def test_feed_parses_with_feedparser(example_build):
    import feedparser
    parsed = feedparser.parse((example_build / "areas/alibon/feed.xml").read_bytes())
    assert not parsed.bozo
    assert parsed.feed.title.startswith("Alibon")
    assert len(parsed.entries) == 3


def test_icalendar_is_valid_rfc5545(make_site, tmp_path):
    site = make_site("minimal")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE)
    raw = (tmp_path / "b/areas/north-ward/events.ics").read_bytes()
    lines = raw.split(b"\r\n")
    assert lines[-1] == b"" and b"\n" not in raw.replace(b"\r\n", b"")
    assert all(len(line) <= 75 for line in lines)
    text = raw.decode().replace("\r\n ", "")
    assert text.startswith("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:")
    assert text.count("BEGIN:VEVENT") == 2 and text.count("END:VEVENT") == 2
    assert "BEGIN:VTIMEZONE\r\nTZID:Europe/London" in text
    assert "LOCATION:Town hall\\, Room 1\\; entrance on North Street" in text
    assert "DESCRIPTION:Everyone welcome\\, step-free access. A long description that is long enough" in text
    for line in text.split("\r\n"):
        if line.startswith(("UID:", "DTSTAMP:", "DTSTART")):
            assert line.split(":", 1)[1], line


def test_event_uids_are_stable_when_other_events_change(make_site, tmp_path):
    site = make_site("minimal")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "a"), "--build-date", BUILD_DATE)
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("location: Library", "location: Library\n  - id: new-event\n    title: New event\n    start: 2026-12-20T10:00"))
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE)
    def uids(path):
        return {line for line in path.read_bytes().decode().split("\r\n") if line.startswith("UID:")}
    before, after = uids(tmp_path / "a/areas/north-ward/events.ics"), uids(tmp_path / "b/areas/north-ward/events.ics")
    assert before < after and len(after - before) == 1


def test_sitemap_and_robots(example_build):
    sitemap = ET.parse(example_build / "sitemap.xml").getroot()
    locs = [e.text for e in sitemap.iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert "https://www.example.police.uk/" in locs
    assert "https://www.example.police.uk/areas/alibon/" in locs
    assert not any("404" in loc for loc in locs)
    done_pages = [p for p in html_pages(example_build) if p.parent.name == "done"]
    assert done_pages and not any("/done/" in loc for loc in locs)
    not_found = [p for p in html_pages(example_build) if p.name == "404.html"]     # one a language
    assert len(locs) == len(set(locs)) == len(html_pages(example_build)) - len(not_found) - len(done_pages)
    robots = (example_build / "robots.txt").read_text()
    assert "Sitemap: https://www.example.police.uk/sitemap.xml" in robots


def test_assets_are_fingerprinted_and_no_gds_font_or_crown(example_build):
    names = [p.name for p in (example_build / "assets").iterdir()]
    assert any(n.startswith("govuk-frontend.min.") and n.endswith(".css") for n in names)
    css = next((example_build / "assets").glob("govuk-frontend.min.*.css")).read_text()
    assert "GDS Transport" not in css and "@font-face" not in css
    home = (example_build / "index.html").read_text()
    assert "govuk-header__logotype" not in home and "crown" not in home.lower()


def test_analytics_is_off_by_default_and_same_origin_when_set(make_site, tmp_path):
    site = make_site("minimal")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "a"), "--build-date", BUILD_DATE)
    assert "/stats/" not in (tmp_path / "a/index.html").read_text()
    config = site / "site.yaml"
    config.write_text(config.read_text() + "analytics:\n  script: /stats/script.js\n")
    run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE)
    assert '<script defer src="/stats/script.js"></script>' in (tmp_path / "b/index.html").read_text()


def test_every_page_carries_the_content_security_policy(example_build):
    import html
    for path in html_pages(example_build):
        text = html.unescape(path.read_text(encoding="utf-8"))
        assert "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'self'; script-src 'self'; style-src 'self';" in text, path
        assert " style=\"" not in text and " onclick=" not in text and " onload=" not in text, path


def test_csp_allows_each_forms_endpoint_and_nothing_else(make_site, tmp_path):
    site = make_site("minimal")
    (site / "forms").mkdir()
    form = (Path(__file__).resolve().parent.parent / "forms/report-lost-property.yaml").read_text()
    form = form.replace("/forms/report-crime/", "/about/")
    (site / "forms/report-lost-property.yaml").write_text(form + "endpoint: https://intake.example.org/submit/lost\n")
    config = site / "site.yaml"
    config.write_text(config.read_text() + "forms:\n  endpoint: https://receiver.example.net/submit\n")
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.stderr
    import html
    page = html.unescape((tmp_path / "b/index.html").read_text())
    assert ("form-action 'self' https://intake.example.org https://receiver.example.net;" in page)
    assert ("connect-src 'self' https://intake.example.org https://receiver.example.net;" in page)


# --- tel: links -----------------------------------------------------------------------------------

_separators = st.sampled_from(["", " ", "  ", "-", ".", "\u00a0"])


@st.composite
def written_phone_numbers(draw) -> tuple[str, str]:
    """(a phone number as an editor might write it, the digits it dials with a leading + if global):
    international with or without a '(0)' trunk prefix, national, or short like '9 9 9'."""
    groups = draw(st.lists(st.text("0123456789", min_size=1, max_size=4), min_size=1, max_size=4))
    written = "".join(draw(_separators) + group for group in groups).strip(" -.\u00a0")
    digits = "".join(groups)
    form = draw(st.sampled_from(["national", "global", "global-trunk"]))
    if form == "national":
        return written, digits
    country = draw(st.sampled_from(["44", "353", "1", "33"]))
    trunk = draw(st.sampled_from(["(0)", " (0) ", "(0) "])) if form == "global-trunk" else " "
    return f"+{country}{trunk}{written}", f"+{country}{digits}"


@settings(max_examples=100, deadline=None)
@given(number=written_phone_numbers())
def test_tel_hrefs_are_digits_and_a_leading_plus_dialling_the_same_number(number):
    written, dialled = number
    href = tel_href(written)
    assert re.fullmatch(r"tel:\+?[0-9]+", href), href
    assert href == f"tel:{dialled}"


def test_tel_links_keep_the_written_text_and_dial_the_right_number(make_site, tmp_path):
    """A reviewer's cases: '+44 (0)20 7946 0766' dials +442079460766 and '9 9 9' dials 999."""
    site = make_site("minimal")
    (site / "site.yaml").write_text((site / "site.yaml").read_text() + "phone:\n  emergency: 9 9 9\n")
    area = site / "content/areas/north-ward/area.yaml"
    area.write_text(area.read_text().replace("phone: 020 7946 0001", "phone: +44 (0)20 7946 0766"))
    result = run_cli("build", "--site", str(site), "--out", str(tmp_path / "b"), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    ward = (tmp_path / "b/areas/north-ward/index.html").read_text()
    assert 'href="tel:+442079460766">+44 (0)20 7946 0766</a>' in ward
    assert 'href="tel:999">9 9 9</a>' in ward
    assert not re.search(r'href="tel:(?![+]?[0-9]+")', ward)
