"""Links are checked by the file or page they lead to, however the editor wrote
the address (issue 14, class 4): percent-escaped or not, relative or not, with a
query or fragment; a broken one is reported on the line that holds it, by the
full build's check and the area rebuild's alike."""
from __future__ import annotations

import re
import string
import unicodedata
import urllib.request
from datetime import date
from pathlib import Path
from urllib.parse import quote, unquote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from sitegen.build import Reporter, Selection, build
from sitegen.build.checks import load_and_check
from sitegen.content.context import LinkLines
from sitegen.errors import SitegenError
from sitegen.links import link_problems, site_path
from sitegen.model import Link

BUILD_DATE = date(2026, 12, 1)
NEWS = "content/areas/test-ward/news/leaflets.md"
FRONT = "---\ntitle: Leaflets to download\ndate: 2026-11-05\n---\n"   # the body starts on line 5

# Characters an office puts in file names, among them those a URL must escape.
NAME_CHARS = string.ascii_letters + string.digits + " -_.,()'&+=!@$;%#?~" + "éüßøçñ€—’日本語ąłż"
# Those that mean something else in a URL written as it is (`</media/a#b.pdf>` links to /media/a).
URL_MEANINGFUL = set("%#?")

names = st.text(NAME_CHARS, min_size=1, max_size=24).map(str.strip).filter(
    lambda n: n and not n.startswith(".") and n not in {".", ".."}).map(lambda n: n + ".pdf")
engines = st.sampled_from(["commonmark", "python-markdown"])


def write_site(root: Path, media: list[str], body: str, engine: str = "commonmark") -> None:
    """A one-ward site at ROOT with MEDIA files and one news item whose body is BODY,
    rendered by the Markdown ENGINE."""
    (root / "content/media").mkdir(parents=True, exist_ok=True)
    (root / "content/areas/test-ward/news").mkdir(parents=True, exist_ok=True)
    (root / "site.yaml").write_text(f"name: Test Police\nbase_url: https://www.test.police.example/\nmarkdown: {engine}\n")
    (root / "content/areas/test-ward/area.yaml").write_text("name: Test Ward\nborough: Testshire\n")
    for name in media:
        (root / "content/media" / name).write_bytes(b"%PDF-1.4 " + name.encode())
    (root / NEWS).write_text(FRONT + body, encoding="utf-8")


def problems(root: Path) -> list:
    try:
        load_and_check(root, BUILD_DATE)
    except SitegenError as exc:
        return list(exc.problems)
    return []


def written_ways(name: str) -> list[str]:
    """Markdown links to /media/NAME, as editors write them: escaped, and (where
    the name means the same in a URL as it is) between angle brackets."""
    ways = [f"[escaped](/media/{quote(name)})"]
    # Markdown reads '&lt;' in an address as '<' (a character reference), so only names without one are "as it is".
    if not URL_MEANINGFUL & set(name) and not re.search("&.*;", name):
        ways.append(f"[as it is](</media/{name}>)")
    return ways


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, filler=st.integers(0, 3), engine=engines)
def test_link_to_media_file_with_any_name_is_accepted_either_way(tmp_path_factory, name, filler, engine):
    root = tmp_path_factory.mktemp("site")
    write_site(root, [name], "Intro.\n" * filler + "\n".join(written_ways(name)) + "\n", engine)
    assert problems(root) == []


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=names, filler=st.integers(0, 4), engine=engines, data=st.data())
def test_link_to_missing_media_file_is_reported_on_its_line(tmp_path_factory, name, filler, engine, data):
    root = tmp_path_factory.mktemp("site")
    missing = "gone " + name
    link = data.draw(st.sampled_from(written_ways(missing)))
    # A good link to the file that exists comes first, so the bad one is not the body's first link.
    good = written_ways(name)[0]
    # Filler lines hold characters str.splitlines breaks at, which the file does not.
    write_site(root, [name], f"{good}\n" + "Intro\u2028 and\x85 more\u2029.\n" * filler + f"Download {link} today.\n",
               engine)
    found = problems(root)
    assert [(p.path, p.line) for p in found] == [(NEWS, 5 + 1 + filler)], found
    assert "does not exist" in found[0].message and "gone" in found[0].message


def test_field_case_media_link_percent_encoded(tmp_path, serve_dir):
    """Field case media-link-percent-encoded (its input copied here): both ways of writing the
    link are accepted, the file is copied unchanged and the page's links lead to
    it over HTTP."""
    body = ("Download [the crime prevention leaflet](</media/crime prevention leaflet.pdf>),\n"
            "or [the same file written with %20](/media/crime%20prevention%20leaflet.pdf).\n")
    write_site(tmp_path, ["crime prevention leaflet.pdf"], body)
    assert problems(tmp_path) == []
    build(tmp_path, tmp_path / "build", BUILD_DATE, state_dir=tmp_path / "state")
    copied = tmp_path / "build/media/crime prevention leaflet.pdf"
    assert copied.read_bytes() == (tmp_path / "content/media/crime prevention leaflet.pdf").read_bytes()
    page = (tmp_path / "build/areas/test-ward/news/leaflets/index.html").read_text()
    hrefs = re.findall(r'href="(/media/[^"]*)"', page)
    assert hrefs == ["/media/crime%20prevention%20leaflet.pdf"] * 2
    with urllib.request.urlopen(serve_dir(tmp_path / "build") + hrefs[0], timeout=10) as response:
        assert response.read() == copied.read_bytes()


def test_field_case_broken_angle_link_is_reported_on_its_own_line(tmp_path):
    body = ("Download [the leaflet](</media/crime prevention leaflet.pdf>),\n"
            "or [the same file](/media/crime%20prevention%20leaflet.pdf).\n")
    write_site(tmp_path, [], body)
    assert [p.line for p in problems(tmp_path)] == [5, 6]


PAGE = "/areas/test-ward/news/here/"
SITE_PATHS = {"/", "/areas/test-ward/", "/areas/test-ward/news/here/", "/areas/test-ward/news/there/",
              "/areas/test-ward/feed.xml", "/media/a b.pdf", "/about/", "/media/100% sure.pdf"}


@pytest.mark.parametrize("href, path", [
    ("/areas/test-ward/", "/areas/test-ward/"),
    ("../there/", "/areas/test-ward/news/there/"),
    ("./", PAGE),
    ("../../", "/areas/test-ward/"),
    ("../../../../../about/", "/about/"),
    ("../there/?page=2#top", "/areas/test-ward/news/there/"),
    ("?page=2", PAGE),
    ("/about/#how", "/about/"),
    ("/media/a%20b.pdf", "/media/a b.pdf"),
    ("/media/a b.pdf", "/media/a b.pdf"),
    ("../../../../media/a%20b.pdf?download=1", "/media/a b.pdf"),
    ("/areas/test-ward/%2e%2e/test-ward/feed.xml", "/areas/test-ward/feed.xml"),
    ("/areas/test-ward/index.html", "/areas/test-ward/index.html"),
    ("#top", None), ("https://example.com/x", None), ("//example.com/x", None),
    ("mailto:team@example.com", None), ("tel:101", None),
])
def test_site_path_is_where_a_browser_goes(href, path):
    assert site_path(href, PAGE) == path


@pytest.mark.parametrize("href", ["../there/", "/areas/test-ward/index.html", "/media/a%20b.pdf#page=2",
                                  "./?x", "../../feed.xml", "/about/?q=1"])
def test_links_to_what_the_site_builds_are_accepted(href):
    assert link_problems([Link(href, NEWS, 7, PAGE)], SITE_PATHS) == []


@pytest.mark.parametrize("href, message", [
    ("/about", "needs a trailing slash: '/about/'"),
    ("../nowhere/", "points to an area or page that does not exist"),
    ("/media/a%2520b.pdf", "points to a page that does not exist (/media/a%20b.pdf)"),
    ("/media/100%%20sure.pdf", "has a '%' that starts no escape; write '%25'"),
    ("../100% sure/", "has a '%' that starts no escape"),
])
def test_links_to_what_the_site_does_not_build_are_reported(href, message):
    [problem] = link_problems([Link(href, NEWS, 7, PAGE)], SITE_PATHS)
    assert (problem.line, message in problem.message) == (7, True), problem


def test_link_lines_follow_what_the_editor_wrote():
    lines = ["[a](</x y.pdf>) and", "[b](/x%20y.pdf)", r"[c](/a\(1\).pdf) [d](/x&amp;y)", "", "[r]: </ref x/>",
             "[r][] [r][]"]
    finder = LinkLines(lines, ["/x%20y.pdf", "/x%20y.pdf", "/a(1).pdf", "/x&y", "/ref%20x/", "/ref%20x/"])
    assert [finder.line_of(h) for h in ["/x%20y.pdf", "/x%20y.pdf", "/a(1).pdf", "/x&y", "/ref%20x/",
                                        "/ref%20x/"]] == [0, 1, 2, 2, 4, 4]


def test_link_positions_are_where_the_editor_wrote_each_link():
    lines = ["[a](</x y.pdf>) and", "[b](/x%20y.pdf)", r"[c](/a\(1\).pdf) [d](/x&amp;y)", "", "[r]: </ref x/>",
             "[r][] [r][]", "see ![pic [1]](/i.png) and <https://x.example/>", "  [q]: /q/"]
    hrefs = ["/x%20y.pdf", "/x%20y.pdf", "/a(1).pdf", "/x&y", "/ref%20x/", "/ref%20x/", "/i.png",
             "https://x.example/", "/q/"]
    finder = LinkLines(lines, hrefs)
    assert [finder.position_of(h) for h in hrefs] == [(0, 1), (1, 1), (2, 1), (2, 18), (4, 1), (4, 1), (6, 5),
                                                      (6, 29), (7, 3)]


link_texts = st.text(string.ascii_letters + " ", min_size=1, max_size=10).map(str.strip).filter(bool)


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(lead=st.text(string.ascii_letters + " .,", max_size=20), filler=st.integers(0, 3), text=link_texts,
       image=st.booleans(), escaped=st.booleans(), engine=engines)
def test_a_broken_link_is_reported_at_its_line_and_column(tmp_path_factory, lead, filler, text, image, escaped,
                                                          engine):
    """Field report: `links.md:8: link ...` had no column; the problem is at the link's '['
    (or an image's '!'), however its address is written."""
    root = tmp_path_factory.mktemp("site")
    address = "/media/gone%20away.pdf" if escaped else "</media/gone away.pdf>"
    written = f"{'!' if image else ''}[{text}]({address})"
    write_site(root, [], "Intro.\n\n" * filler + f"{lead}{written} here.\n", engine)
    [problem] = problems(root)
    assert (problem.path, problem.line, problem.col) == (NEWS, 5 + 2 * filler, len(lead) + 1), problem


# Names of each kind the generated tests range over, for the slower area-rebuild test.
TRICKY_NAMES = ["crime prevention leaflet.pdf", "café (1).pdf", "50% off.pdf", "what #1 is.pdf", "why? how.pdf",
                "it's.pdf", "a&b+c=d.pdf", "日本語 ’leaflet’.pdf", "%20.pdf"]


def test_area_rebuild_accepts_the_same_links_as_the_full_build(tmp_path):
    """The area rebuild checks links against the last build's paths: a link
    the full build accepts must not send it to the full rebuild, and a broken
    one must (which then reports it at its line)."""
    write_site(tmp_path, TRICKY_NAMES, "No links yet.\n")
    out, state = tmp_path / "build", tmp_path / "state"
    build(tmp_path, out, BUILD_DATE, state_dir=state)
    links = [way for name in TRICKY_NAMES for way in written_ways(name)] + [
        "[ward](/areas/test-ward/index.html)", "[ward](../../index.html#team)", "[news](../?page=1)"]
    (tmp_path / NEWS).write_text(FRONT + "\n".join(links) + "\n", encoding="utf-8")
    assert problems(tmp_path) == []
    reported = Reporter()
    build(tmp_path, out, BUILD_DATE, state_dir=state, reporter=reported)
    assert reported.selections == [Selection(frozenset({"test-ward"}))]
    page = (out / "areas/test-ward/news/leaflets/index.html").read_text()
    assert all(f'href="/media/{quote(name)}"' in page for name in TRICKY_NAMES)
    (tmp_path / NEWS).write_text(FRONT + "\n".join(links) + "\n[gone](</media/gone (2).pdf>)\n", encoding="utf-8")
    reported = Reporter()
    with pytest.raises(SitegenError) as raised:
        build(tmp_path, out, BUILD_DATE, state_dir=state, reporter=reported)
    assert reported.selections == [Selection(frozenset({"test-ward"})), Selection(None)]
    assert [p.line for p in raised.value.problems] == [5 + len(links)] == [p.line for p in problems(tmp_path)]


# Names of two or more words, without the characters that end or escape a Markdown address.
spaced_names = st.lists(st.text(set(NAME_CHARS) - URL_MEANINGFUL - set(" ()&."), min_size=1, max_size=8),
                        min_size=2, max_size=4).map(lambda words: " ".join(words) + ".pdf")


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=spaced_names, filler=st.integers(0, 3), image=st.booleans())
def test_address_with_spaces_that_markdown_leaves_as_text_is_reported_with_the_fix(tmp_path_factory, name,
                                                                                    filler, image):
    """CommonMark reads `[text](/media/a b.pdf)` as plain text: the page would show
    the brackets and no link.  check says where, and its suggestion works."""
    root = tmp_path_factory.mktemp("site")
    written = f"{'!' if image else ''}[the leaflet](/media/{name})"
    write_site(root, [name], "Intro\u2028.\n" * filler + f"Get {written} here.\n")
    [problem] = problems(root)
    assert (problem.path, problem.line, problem.col) == (NEWS, 5 + filler, 5)
    assert f"'{written}' is not {'an image' if image else 'a link'}" in problem.message
    suggested = re.search(r"write it between angle brackets, '(.*)', or with", problem.message)[1]
    write_site(root, [name], "Intro\u2028.\n" * filler + f"Get {suggested} here.\n")
    assert problems(root) == []


def test_link_like_text_in_code_or_prose_is_not_reported(tmp_path):
    write_site(tmp_path, [], "Write `[text](/media/a b.pdf)` for a link.\n\n    [x](/media/a b.pdf)\n\n"
                             "The [sic](as written) text, and [a note](see below).\n")
    assert problems(tmp_path) == []


# ---- names in either Unicode normal form; addresses pages cannot have ----

ACCENTED = "éüßøçñÅåÉ ąłż日本語ḗ한"     # with NFD forms of one, two or more code points (and none: ß, 日)
accented_names = st.text(ACCENTED + "abc -_", min_size=1, max_size=12).map(str.strip).filter(
    lambda n: n and any(unicodedata.normalize("NFD", c) != c for c in n)).map(lambda n: n + ".pdf")
normal_forms = st.sampled_from(["NFC", "NFD"])


def _in(form: str, text: str) -> str:
    return unicodedata.normalize(form, text)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=accented_names, saved=normal_forms, typed=normal_forms, engine=engines, data=st.data())
def test_a_link_finds_its_file_whichever_normal_form_each_is_in(tmp_path_factory, name, saved, typed, engine, data):
    """A Mac saves names decomposed (NFD); editors type them composed (NFC): the check
    compares both in NFC, so any pairing is accepted, and a missing file is still reported."""
    root = tmp_path_factory.mktemp("site")
    link = data.draw(st.sampled_from(written_ways(_in(typed, name))))
    write_site(root, [_in(saved, name)], f"Get {link} here.\n[gone](/media/{quote(_in(typed, 'gone ' + name))})\n",
               engine)
    found = problems(root)
    assert [(p.line, "does not exist" in p.message) for p in found] == [(6, True)], found


@pytest.mark.parametrize("saved, typed", [("NFD", "NFC"), ("NFC", "NFD"), ("NFD", "NFD"), ("NFC", "NFC")])
@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_field_case_a_composed_link_to_a_decomposed_file_is_served(tmp_path, serve_dir, saved, typed, engine):
    """`café.pdf` saved by a Mac (NFD) and linked as typed (NFC), or the other way round: the
    file is published at the NFC name, every link is written to it, and it is fetched over HTTP."""
    name = "café leaflet.pdf"
    body = f"Get [the leaflet](</media/{_in(typed, name)}>) or ![its cover](/media/{quote(_in(typed, 'café.png'))}).\n"
    write_site(tmp_path, [_in(saved, name), _in(saved, "café.png")], body, engine)
    assert problems(tmp_path) == []
    build(tmp_path, tmp_path / "build", BUILD_DATE, state_dir=tmp_path / "state")
    assert sorted(p.name for p in (tmp_path / "build/media").iterdir()) == [_in("NFC", "café leaflet.pdf"),
                                                                         _in("NFC", "café.png")]
    page = (tmp_path / "build/areas/test-ward/news/leaflets/index.html").read_text()
    # Python-Markdown writes the name as it is, CommonMark escaped; a browser sends both escaped.
    addresses = [quote(unquote(a)) for a in re.findall(r'(?:href|src)="(/media/[^"]*)"', page)]
    assert addresses == ["/media/caf%C3%A9%20leaflet.pdf", "/media/caf%C3%A9.png"]
    for address, file in zip(addresses, [name, "café.png"]):
        with urllib.request.urlopen(serve_dir(tmp_path / "build") + address, timeout=10) as response:
            assert response.read() == b"%PDF-1.4 " + _in(saved, file).encode()


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(name=accented_names)
def test_two_media_files_named_alike_but_for_their_normal_form_are_reported(tmp_path_factory, name):
    """`café.pdf` saved twice, once composed and once decomposed: one address for both, so check
    names the second instead of publishing one in place of the other."""
    root = tmp_path_factory.mktemp("site")
    write_site(root, [_in("NFC", name), _in("NFD", name)], "No links.\n")
    later = sorted([_in("NFC", name), _in("NFD", name)])[1]
    assert [(p.path, "the same name as" in p.message) for p in problems(root)] == [(f"content/media/{later}", True)]


SCHEMES_REFUSED = ["javascript:alert(1)", "JavaScript:alert(1)", "vbscript:msgbox(1)", "data:text/html,hi",
                   "file:///etc/passwd", "c:/Users/ann/leaflet.pdf", "ftp://files.example/leaflet.pdf",
                   "localhost:8000/about/"]


@pytest.mark.parametrize("href", SCHEMES_REFUSED)
@pytest.mark.parametrize("engine", ["commonmark", "python-markdown"])
def test_a_link_with_a_scheme_pages_cannot_have_is_reported_on_its_line(tmp_path, href, engine):
    write_site(tmp_path, [], f"[fine](https://www.gov.uk/) [mail](mailto:a@b.example) [call](tel:101)\n\n"
                             f"Click [here]({href}) now.\n", engine)
    [problem] = problems(tmp_path)
    scheme = href.split(":")[0].lower()
    assert (problem.path, problem.line) == (NEWS, 7)
    assert problem.message == (f"link '{href}' starts with '{scheme}:', which a page cannot link to;"
                               " links must start with https://, /, mailto: or tel:")


def test_an_image_with_a_scheme_pages_cannot_show_is_reported(tmp_path):
    write_site(tmp_path, [], "![x](javascript:alert(1))\n")
    [problem] = problems(tmp_path)
    assert problem.line == 5 and "starts with 'javascript:', which a page cannot show" in problem.message


@pytest.mark.parametrize("name", ["0 _0_.pdf", "a *b* c.pdf", "x __y__ z.pdf", "p **q** r.pdf", "_a b_.pdf"])
def test_an_unread_address_with_emphasis_markers_is_reported_as_written(tmp_path, name):
    """Markdown reads '_0_' in '[x](/media/0 _0_.pdf)' as emphasis: the message still quotes
    the link as written, at its column, and its suggestion works."""
    written = f"[the leaflet](/media/{name})"
    write_site(tmp_path, [name], f"Get {written} here.\n")
    [problem] = problems(tmp_path)
    assert (problem.line, problem.col) == (5, 5)
    assert problem.message.startswith(f"'{written}' is not a link"), problem.message
    suggested = re.search(r"write it between angle brackets, '(.*)', or with", problem.message)[1]
    write_site(tmp_path, [name], f"Get {suggested} here.\n")
    assert problems(tmp_path) == []


@settings(max_examples=200, deadline=None)
@given(lines=st.lists(st.text(alphabet="ab/(%.)", max_size=12), max_size=4),
       needle=st.text(alphabet="ab/(%.)", max_size=4))
def test_places_are_every_non_overlapping_occurrence(lines, needle):
    from sitegen.content.context import _places_holding
    expected = [(i, m.start() + 1) for i, text in enumerate(lines) if needle
                for m in re.finditer(re.escape(needle), text)]
    assert _places_holding(lines, needle) == expected


@settings(max_examples=100, deadline=None)
@given(text=st.lists(st.sampled_from(list("ab #*_[]()<>!/:.&\n|-`é") + ["https://x.example/"]),
                    max_size=60).map("".join))
def test_a_page_s_html_is_the_rendered_html(text):
    from sitegen.content.markup import MarkdownRenderer
    renderer = MarkdownRenderer()
    assert renderer.page_html(text) == renderer.render(text).html
