"""A page's `page`, its breadcrumbs and `chrome` are named tuples (outputs.pages.PageValues, Crumb,
Chrome: Jinja reads a dict's key by a dot only after an attribute lookup fails), yet a site's own
template may still read them as it could a dict's keys, by a dot or by brackets."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import BUILD_DATE, run_cli
from sitegen import i18n

CRUMBS = """\
<nav>{% for item in page.breadcrumbs %}<a href="{{ item['href'] }}">{{ item['text'] }}</a>|\
<a href="{{ item.href }}">{{ item.text }}</a>{% endfor %}\
<b>{{ page['title'] }}|{{ page.title }}|{{ page['url'] }}|{{ page.missing }}|{{ chrome['footer'] is string }}\
|{{ page.index }}{{ page.count }}{{ page.breadcrumbs[0].index }}</b></nav>
"""


def test_a_sites_templates_read_page_and_crumbs_by_key_or_by_dot(make_site, tmp_path):
    site = make_site("minimal")
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "breadcrumbs.html").write_text(CRUMBS)
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    html = (out / "areas" / "north-ward" / "news" / "index.html").read_text()
    crumbs = html[html.index("<nav>"):html.index("</nav>")]
    assert '<a href="/">Home</a>|<a href="/">Home</a>' in crumbs
    assert '<a href="/areas/north-ward/">' in crumbs
    # a name the page has not, `index` and `count` too (a tuple's methods), is empty, as a dict's missing key was
    assert "<b>News from North Ward|News from North Ward|/areas/north-ward/news/||True|</b>" in crumbs


@settings(max_examples=200, deadline=None)
@given(path=st.lists(st.sampled_from(["cy", "areas", "abbey", "news", "find", "c", "y"]), max_size=3)
       .map(lambda parts: "/" + "".join(f"{p}/" for p in parts)),
       language=st.sampled_from([i18n.ENGLISH, i18n.Language("cy", "cy")]))
def test_a_crumbs_href_in_the_language_goes_through_url_unchanged(path: str, language: i18n.Language):
    """pages.Crumb's href is i18n.url's already (the theme's breadcrumbs show it as it is); a
    site's own breadcrumbs.html that calls url() on it again gets the same address."""
    with i18n.activate(language):
        assert i18n.url(i18n.url(path)) == i18n.url(path)


@settings(max_examples=300, deadline=None)
@given(path=st.text(alphabet=st.sampled_from("/:#?.abcy-htps"), max_size=12))
def test_url_in_the_default_language_is_the_path_as_it_is(path: str):
    """i18n.url's quick answer for the default language (no prefix): any address, site path,
    external, relative or odd, as it is, as the rules for a language with a prefix leave it."""
    with i18n.activate(i18n.ENGLISH):
        assert i18n.url(path) == path
    assert i18n.url(path) == path   # nothing active: English
