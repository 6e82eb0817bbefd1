"""A page's `page`, its breadcrumbs and `chrome` are named tuples (outputs.pages.PageValues, Crumb,
Chrome: Jinja reads a dict's key by a dot only after an attribute lookup fails), yet a site's own
template may still read them as it could a dict's keys, by a dot or by brackets."""
from __future__ import annotations

from conftest import BUILD_DATE, run_cli

CRUMBS = """\
<nav>{% for item in page.breadcrumbs %}<a href="{{ item['href'] }}">{{ item['text'] }}</a>|\
<a href="{{ item.href }}">{{ item.text }}</a>{% endfor %}\
<b>{{ page['title'] }}|{{ page.title }}|{{ page['url'] }}|{{ page.missing }}|{{ chrome['footer'] is string }}</b></nav>
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
    assert "<b>News from North Ward|News from North Ward|/areas/north-ward/news/||True</b>" in crumbs
