"""The shortcuts taken for the speed of a cold build around the pages (feeds, the
whole-site checks) give what the plain way gives, and stay right in one long process."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from sitegen.content.markup import MarkdownRenderer, absolute_urls, absolute_urls_by_parsing

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
