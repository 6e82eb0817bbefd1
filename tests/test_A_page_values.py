"""A page's `page`, its breadcrumbs and `chrome` are dicts whose keys are also attributes
(outputs.pages.TemplateValues: Jinja reads a dict's key by a dot only after an attribute lookup
fails): a site's own template reads them by a dot, by brackets, and as any dict."""
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


def nav_built_with(make_site, tmp_path, breadcrumbs: str, site_name: str = "minimal",
                   page: str = "areas/north-ward/news/index.html") -> str:
    """The <nav>...</nav> of PAGE of SITE_NAME built with BREADCRUMBS as its own partials/breadcrumbs.html."""
    site = make_site(site_name)
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "breadcrumbs.html").write_text(breadcrumbs)
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    html = (out / page).read_text()
    return html[html.index("<nav>"):html.index("</nav>")]


def test_a_sites_templates_read_page_and_crumbs_by_key_or_by_dot(make_site, tmp_path):
    crumbs = nav_built_with(make_site, tmp_path, CRUMBS)
    assert '<a href="/">Home</a>|<a href="/">Home</a>' in crumbs
    assert '<a href="/areas/north-ward/">' in crumbs
    # a name the page has not, `index` and `count` too (a tuple's methods), is empty, as a dict's missing key was
    assert "<b>News from North Ward|News from North Ward|/areas/north-ward/news/||True|</b>" in crumbs


AS_DICTS = """\
<nav>{{ page.get('url') }}|{{ 'untranslated' in page }}|{{ page|length > 5 }}|{{ page.keys()|list|length > 5 }}\
|{% for key in page %}{% if key == 'title' %}{{ key }}{% endif %}{% endfor %}|{{ dict(page)['title'] }}\
|{{ page.breadcrumbs[0] == {'text': 'Home', 'href': '/'} }}|{{ page.breadcrumbs[0].get('href') }}\
|{{ chrome.footer is string }}{{ chrome['footer'] is string }}|{{ page.items }}</nav>
"""


def test_a_sites_templates_use_page_and_crumbs_as_dicts(make_site, tmp_path):
    """Templates were given dicts: get, in, length, keys, a loop, dict(), equality with a dict."""
    nav = nav_built_with(make_site, tmp_path, AS_DICTS).removeprefix("<nav>")
    assert nav.startswith("/areas/north-ward/news/|True|True|True|title|News from North Ward|True|/|TrueTrue|")
    assert "built-in method items" in nav   # a dict's method, as it always was


def test_a_crumbs_href_is_the_default_languages_path_on_every_page(make_site, tmp_path):
    """A crumb's href is the site path in the default language; the template's url() puts it in the
    page's language (the theme's breadcrumbs do), so a site's own template comparing it sees '/'."""
    site = make_site("bilingual")
    (site / "templates" / "partials").mkdir(parents=True)
    (site / "templates" / "partials" / "breadcrumbs.html").write_text(
        "<nav>{% for c in page.breadcrumbs %}[{{ c.href }}|{{ url(c.href) }}]{% endfor %}</nav>")
    out = tmp_path / "out"
    result = run_cli("build", "--site", str(site), "--out", str(out), "--build-date", BUILD_DATE)
    assert result.exit_code == 0, result.output
    welsh = next(p for p in sorted((out / "cy").rglob("index.html")) if "<nav>[" in p.read_text())
    html = welsh.read_text()
    assert "<nav>[/|/cy/]" in html


@settings(max_examples=200, deadline=None)
@given(path=st.lists(st.sampled_from(["cy", "areas", "abbey", "news", "find", "c", "y"]), max_size=3)
       .map(lambda parts: "/" + "".join(f"{p}/" for p in parts)),
       language=st.sampled_from([i18n.ENGLISH, i18n.Language("cy", "cy")]))
def test_url_of_an_address_in_the_language_is_that_address(path: str, language: i18n.Language):
    """url() of an address already in the language gives it back unchanged (a model's own
    language URLs may go through it)."""
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
