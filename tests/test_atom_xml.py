"""Atom feeds and sitemap.xml are XML a strict parser reads, whatever text the
model holds, and links in a feed entry lead where the entry's page leads
(issue 14, classes 4 and 5)."""
from __future__ import annotations

import xml.dom.minidom
import xml.etree.ElementTree as ET
from datetime import date, datetime
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import build
from sitegen.config import SiteConfig
from sitegen.model import Area, NewsItem, Site
from sitegen.outputs.base import Output, RenderContext
from sitegen.outputs.catalogue import render
from sitegen.xmltext import escape, has_forbidden, quoteattr, xml_safe

BASE = "https://www.test.police.example/"
BUILD_DATE = date(2026, 12, 1)
A = "{http://www.w3.org/2005/Atom}"
SLUG = "test-ward"

# What XML 1.0 forbids, and what it must keep that looks like it might not.
FORBIDDEN = [chr(c) for c in [*range(0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0xFFFE, 0xFFFF, 0xD800, 0xDFFF]]
AWKWARD = list("<>&'\"\t\r\n]") + ["]]>", "\x7f", "\x85", "\u2028", "\ufffd", "\U0001f46e", "&amp;", "<![CDATA["]
any_text = st.lists(st.one_of(st.sampled_from(FORBIDDEN + AWKWARD), st.characters(),
                              st.integers(0xD800, 0xDFFF).map(chr)), max_size=30).map("".join)


def is_xml_char(char: str) -> bool:
    """XML 1.0's Char production, written out independently of sitegen.xmltext."""
    code = ord(char)
    return char in "\t\n\r" or 0x20 <= code <= 0xD7FF or 0xE000 <= code <= 0xFFFD or code >= 0x10000


@settings(max_examples=100, deadline=None)
@given(text=any_text)
def test_xml_safe_removes_exactly_what_xml_forbids(text):
    assert xml_safe(text) == "".join(c for c in text if is_xml_char(c))


@settings(max_examples=200, deadline=None)
@given(text=st.one_of(any_text, st.text(st.characters(max_codepoint=0x7F), max_size=40)))
def test_has_forbidden_finds_exactly_what_xml_forbids(text):
    # ASCII text takes a byte-wise path of its own: both paths are tried.
    assert has_forbidden(text) == any(not is_xml_char(c) for c in text)


@settings(max_examples=100, deadline=None)
@given(text=any_text)
def test_escaped_text_and_attributes_read_back_as_the_safe_text(text):
    document = f"<a b={quoteattr(text)}>{escape(text)}</a>".encode()
    element = ET.fromstring(document)
    assert (element.text or "", element.get("b")) == (xml_safe(text), xml_safe(text))


# -- the Atom feed of a model holding any text -------------------------------------------------------

def news_file(root: Path, slug: str, body: str) -> str:
    """Write a news item whose Markdown body is BODY; its path in the site."""
    source = f"content/areas/{SLUG}/news/{slug}.md"
    (root / source).parent.mkdir(parents=True, exist_ok=True)
    (root / source).write_text(f"---\ntitle: {slug}\ndate: 2026-11-02\n---\n{body}", encoding="utf-8")
    return source


def a_site(root: Path, news: list[tuple[str, str, str, str]], site_name: str = "Test Police",
           area_name: str = "Test Ward", base_url: str = BASE) -> Site:
    """A one-ward site whose news items are (slug, title, summary, body)."""
    items = tuple(NewsItem(slug, title, date(2026, 11, 2 + i), summary, news_file(root, slug, body), SLUG)
                  for i, (slug, title, summary, body) in enumerate(news))
    config = SiteConfig(root=root, name=site_name, base_url=base_url)
    area = Area(slug=SLUG, name=area_name, source=f"content/areas/{SLUG}/area.yaml", news=items)
    return Site(config=config, build_date=BUILD_DATE, areas=(area,), boroughs=(), pages=())


def render_output(site: Site, output: Output) -> bytes:
    return render(RenderContext(site=site, env=None, assets={}, frame={}), output)


def render_feed(site: Site) -> bytes:
    return render_output(site, Output(f"areas/{SLUG}/feed.xml", "atom", SLUG, ()))


def parse_atom(data: bytes) -> ET.Element:
    """FEED parsed by two strict parsers, with the structure RFC 4287 requires checked."""
    xml.dom.minidom.parseString(data)
    feed = ET.fromstring(data)
    assert feed.tag == f"{A}feed"
    assert_atom_parts(feed, rel="self")
    for entry in feed.findall(f"{A}entry"):
        assert_atom_parts(entry, rel="alternate")
        assert entry.find(f"{A}content").get("type") == "html"
    return feed


def assert_atom_parts(element: ET.Element, rel: str) -> None:
    """One id, title and updated (an RFC 3339 time), and a link of REL with an absolute href."""
    for name in ("id", "title", "updated"):
        assert len(element.findall(f"{A}{name}")) == 1, name
    assert datetime.fromisoformat(element.findtext(f"{A}updated")).tzinfo
    hrefs = [link.get("href") for link in element.findall(f"{A}link") if link.get("rel") == rel]
    assert len(hrefs) == 1 and hrefs[0].startswith(BASE)


# Bodies are read from their files when rendered, and reading refuses what XML forbids (the
# editor is told where); every other text in the model may hold anything.
file_text = any_text.map(lambda t: "".join(c for c in t if is_xml_char(c)))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=any_text, summary=any_text, site_name=any_text, area_name=any_text, body=file_text)
def test_feed_is_well_formed_atom_for_any_text(tmp_path, title, summary, site_name, area_name, body):
    site = a_site(tmp_path, [("story", title, summary, body)], site_name, area_name)
    feed = parse_atom(render_feed(site))
    assert feed.findtext(f"{A}title") == f"{xml_safe(area_name)} neighbourhood news - {xml_safe(site_name)}"
    assert feed.findtext(f"{A}author/{A}name") == xml_safe(site_name)
    [entry] = feed.findall(f"{A}entry")
    assert entry.findtext(f"{A}title") == xml_safe(title)
    assert (entry.findtext(f"{A}summary") or "") == (xml_safe(summary) if summary else "")


def test_field_case_atom_control_characters(tmp_path):
    """Field case atom-control-characters (its input copied here): whatever check says of
    the editor's text, a model holding those characters (here the title a YAML
    escape made) makes a well-formed feed keeping the words around them."""
    site = a_site(tmp_path, [("escaped-title", "Street surgery\x1f results", "Held\x0c on\ufffe Monday",
                              "Results of the street surgery.\n")], site_name="Test\x00 Police")
    data = render_feed(site)
    assert all(is_xml_char(c) for c in data.decode("utf-8"))
    feed = parse_atom(data)
    [entry] = feed.findall(f"{A}entry")
    assert (entry.findtext(f"{A}title"), entry.findtext(f"{A}summary")) == ("Street surgery results", "Held on Monday")
    assert feed.findtext(f"{A}author/{A}name") == "Test Police"


def test_sitemap_is_well_formed_whatever_the_config_holds(tmp_path):
    site = a_site(tmp_path, [("story", "Story", "", "Body.\n")], base_url="https://www.test.police.example/\x0b&x/")
    outputs = [Output("index.html", "home", "", ()), Output(f"areas/{SLUG}/news/story/index.html", "news", "", ())]
    data = render(RenderContext(site=site, env=None, assets={}, frame={}, outputs=outputs),
                  Output("sitemap.xml", "sitemap", "", ()))
    xml.dom.minidom.parseString(data)
    locs = [e.text for e in ET.fromstring(data).iter("{http://www.sitemaps.org/schemas/sitemap/0.9}loc")]
    assert locs == ["https://www.test.police.example/&x/", "https://www.test.police.example/&x/areas/test-ward/news/story/"]


# -- links in entries ---------------------------------------------------------------------------------

class _Urls(HTMLParser):
    """Every href and src in a piece of HTML, as a browser reads them."""

    def __init__(self, markup: str) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.feed(markup)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.urls += [value for name, value in attrs if name in ("href", "src") and value is not None]


segment = st.text("abcxyz019-_.~é %()'", min_size=1, max_size=8).map(lambda s: s.replace("%", "%25"))
path = st.lists(segment, min_size=0, max_size=3).map("/".join)
suffix = st.sampled_from(["", "/", "?page=2", "#top", "?a=1&b=2#x", "/index.html"])
href = st.one_of(
    st.tuples(st.sampled_from(["", "./", "../", "../../", "../../../../", "/", "//other.example/",
                               "https://elsewhere.example/", "HTTP://Elsewhere.example/"]), path, suffix).map("".join),
    st.sampled_from(["#", "#top", "?q=a%20b", "", "mailto:team@example.com", "tel:+44101", "."]),
)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(links=st.lists(href, min_size=1, max_size=4), image=href)
def test_entry_links_lead_where_the_page_links_lead(tmp_path, links, image):
    body = " ".join(f"[link {i}](<{h}>)" for i, h in enumerate(links)) + f"\n\n![a picture](<{image}>)\n"
    site = a_site(tmp_path, [("story", "Story", "", body)])
    ctx = RenderContext(site=site, env=None, assets={}, frame={})
    page_url = site.config.url(site.areas[0].news[0].url)
    on_page = _Urls(ctx.body_html(site.areas[0].news[0].source)).urls
    [entry] = parse_atom(render_feed(site)).findall(f"{A}entry")
    in_feed = _Urls(entry.findtext(f"{A}content")).urls
    assert in_feed == [urljoin(page_url, url) for url in on_page]


def test_field_case_atom_relative_links(tmp_path):
    """Field case atom-relative-links (its input copied here)."""
    site = a_site(tmp_path, [
        ("first-story", "First story", "", "The first story.\n"),
        ("second-story", "Second story", "", "Read [the first story](../first-story/) and [our ward page](/areas/test-ward/).\n"),
    ])
    entries = parse_atom(render_feed(site)).findall(f"{A}entry")
    assert _Urls(entries[1].findtext(f"{A}content")).urls == [
        "https://www.test.police.example/areas/test-ward/news/first-story/",
        "https://www.test.police.example/areas/test-ward/"]


# -- a ward with no news ------------------------------------------------------------------------------

def test_feed_of_a_ward_without_news_is_updated_when_built(tmp_path):
    feed = parse_atom(render_feed(a_site(tmp_path, [])))
    assert feed.findtext(f"{A}updated") == "2026-12-01T00:00:00Z"


def test_rebuild_on_a_later_day_dates_the_empty_feed_that_day(tmp_path):
    """The incremental layer knows a feed without entries changes with the
    build date: a rebuild with only the date changed gives the clean build's feed."""
    site = tmp_path / "site"
    (site / f"content/areas/{SLUG}").mkdir(parents=True)
    (site / "site.yaml").write_text(f"name: Test Police\nbase_url: {BASE}\n")
    (site / f"content/areas/{SLUG}/area.yaml").write_text("name: Test Ward\nborough: Testshire\n")
    out, state = tmp_path / "out", tmp_path / "state"
    build(site, out, date(2026, 12, 1), state_dir=state)
    build(site, out, date(2026, 12, 2), state_dir=state)
    build(site, tmp_path / "clean", date(2026, 12, 2), state_dir=tmp_path / "clean-state")
    feed = (out / f"areas/{SLUG}/feed.xml").read_bytes()
    assert parse_atom(feed).findtext(f"{A}updated") == "2026-12-02T00:00:00Z"
    assert feed == (tmp_path / "clean" / f"areas/{SLUG}/feed.xml").read_bytes()


awkward_address = st.lists(st.sampled_from(list("aé/ ?#&\"'<>()%.:\xa0\t") + ["%20", "&amp;", "HTTP:", "mailto:",
                                                                              "//", "../", "&quot;"]),
                           max_size=12).map("".join)


@settings(max_examples=100, deadline=None)
@given(links=st.lists(st.one_of(href, awkward_address), min_size=1, max_size=4), image=st.one_of(href, awkward_address),
       engine=st.sampled_from(["commonmark", "python-markdown"]),
       page=st.sampled_from(["https://police.example.org/areas/a/news/b/", "https://h.example/x?y=1&z=2#f"]))
def test_addresses_are_made_absolute_as_parsing_the_entry_would(links, image, engine, page):
    """absolute_urls finds and rewrites addresses by pattern in nh3's writing; it must
    give exactly what parsing the entry with nh3 again gives, for any address an
    editor can write, in either Markdown engine, in links, images and raw HTML."""
    from sitegen.content.markup import MarkdownRenderer, absolute_urls, absolute_urls_by_parsing
    body = "\n\n".join([f"[link {n}]({link})" for n, link in enumerate(links)]
                       + [f"![picture](<{image}>)", f'<a href="{links[0]}" title="a > b">raw</a>',
                          f"<img src='{image}' alt='x'>"])
    markup = MarkdownRenderer(engine).render(body).html
    assert absolute_urls(markup, page) == absolute_urls_by_parsing(markup, page)
