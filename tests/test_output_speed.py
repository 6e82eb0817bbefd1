"""The shortcuts taken for the speed of a cold build around the pages (feeds, the
whole-site checks) give what the plain way gives, and stay right in one long process."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.markup import MarkdownRenderer, absolute_urls, absolute_urls_by_parsing
from sitegen.outputs.calendar import fold, fold_by_octets

# Page URLs of every shape a site's url and a page's path can make, plain and not.
page_url = st.tuples(
    st.sampled_from(["https", "http", "HTTPS", " https", "feed", ""]),
    st.sampled_from(["police.example.org", "u:p@h.example:8443", "h.example", "[::1]", "h\texample", ""]),
    st.sampled_from(["/", "/areas/a/news/b/", "/x?y=1&z=2#f", "", "?q", "#f", "/a/b/../c/"]),
).map(lambda parts: f"{parts[0]}://{parts[1]}{parts[2]}" if parts[0] else f"//{parts[1]}{parts[2]}")

# Addresses starting with '/' (the remembered kind) and others, with dot segments and escapes.
address = st.lists(st.sampled_from(["/", "//", "a", "..", ".", "?", "#", "&", "%20", "é", ";p", "b/"]),
                   min_size=1, max_size=6).map("".join)


@settings(max_examples=50, deadline=None)
@given(pages=st.lists(page_url, min_size=1, max_size=4), links=st.lists(address, min_size=1, max_size=4))
def test_absolute_urls_resolve_as_parsing_against_each_page(pages, links):
    """Every relative address of an entry is made absolute exactly as parsing the entry
    again does (absolute_urls_by_parsing, which asks urljoin) against that entry's page,
    for many pages in one process: a path remembered for one origin is never given for
    another."""
    body = "\n\n".join(f"[link {n}](<{link}>)" for n, link in enumerate(links))
    markup = MarkdownRenderer().render(body).html
    for page in pages:
        assert absolute_urls(markup, page) == absolute_urls_by_parsing(markup, page)


def test_a_file_let_through_once_is_looked_at_again_in_the_next_run(tmp_path):
    """refuse_link_out remembers the files it let through for one run (a story is read
    twice in a build) and no longer: a file swapped for a link out of the site between
    two builds in one process (`sitegen serve`, the tests) is refused by the second."""
    from sitegen.errors import SitegenError
    from sitegen.sitefiles import folders_checked_once, refuse_link_out

    site, outside = tmp_path / "site", tmp_path / "secret.txt"
    story = site / "content" / "news.md"
    story.parent.mkdir(parents=True)
    story.write_text("plain\n")
    outside.write_text("not for the site\n")
    with folders_checked_once():
        refuse_link_out(story, "content/news.md")
        refuse_link_out(story, "content/news.md")   # the second read of the run: remembered
    story.unlink()
    story.symlink_to(outside)
    with folders_checked_once(), pytest.raises(SitegenError, match="outside the site"):
        refuse_link_out(story, "content/news.md")
    with pytest.raises(SitegenError, match="outside the site"):
        refuse_link_out(story, "content/news.md")   # outside a run: looked at every time


@settings(max_examples=300, deadline=None)
@given(line=st.text(alphabet=st.sampled_from("ab:;,\\ "), min_size=60, max_size=90)
       | st.text(alphabet=st.sampled_from("ab:;,\\ éŵ€😀"), min_size=10, max_size=90))
def test_fold_of_an_ascii_line_told_by_length_is_folds_by_octets(line: str):
    """calendar.fold answers a short ASCII line without encoding it: the same as counting octets."""
    assert fold(line) == fold_by_octets(line)
