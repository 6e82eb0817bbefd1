"""The benchmark corpus written for Hugo and Pelican: the same wards, the same
news text, and a minimal layout equivalent to sitegen's (a ward page with team,
priorities and events; a news page; a ward news list)."""
from __future__ import annotations

import random
from pathlib import Path

from corpus import news_body

HUGO_CONFIG = """baseURL = "https://bench.example.org/"
title = "Bench Police"
disableKinds = ["taxonomy", "term", "sitemap", "robotsTXT", "404"]
[outputs]
home = ["html"]
section = ["html"]
page = ["html"]
[markup.goldmark.renderer]
unsafe = false
"""

# What sitegen makes for each ward besides its pages: a news feed with every story's
# content (sitegen's is Atom at feed.xml) and an iCalendar file of its events.  Hugo makes
# them as output formats of the ward's section (its _index.md asks for them), with
# templates as small as the pages'.  Without them Hugo writes 12,000 files to sitegen's
# 16,000, and on a disk where making a file is the wall that is most of a cold build.
HUGO_FEED_LAYOUTS = {
    "_default/list.rss.xml": """{{ printf "<?xml version=%q encoding=%q?>" "1.0" "utf-8" | safeHTML }}
<feed xmlns="http://www.w3.org/2005/Atom" xml:lang="en-GB"><id>{{ .Permalink }}index.xml</id>
<title>{{ .Title }} neighbourhood news - {{ site.Title }}</title>
<link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
{{ range .RegularPagesRecursive }}<entry><id>{{ .Permalink }}</id><title>{{ .Title }}</title>
<updated>{{ .Date.Format "2006-01-02T15:04:05Z" }}</updated><link rel="alternate" type="text/html" href="{{ .Permalink }}"/>
<content type="html">{{ .Content | transform.XMLEscape | safeHTML }}</content></entry>
{{ end }}</feed>
""",
    "_default/list.calendar.ics": """BEGIN:VCALENDAR
VERSION:2.0
PRODID:-//Bench Police//{{ .Title }}//EN
{{ range .Params.events }}BEGIN:VEVENT
UID:{{ .start }}-{{ $.File.Dir | urlize }}@bench.example.org
DTSTART;TZID=Europe/London:{{ replace (replace .start "-" "") ":" "" }}00
SUMMARY:{{ .title }}
END:VEVENT
{{ end }}END:VCALENDAR
""",
}

HUGO_LAYOUTS = {
    "_default/baseof.html": """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{{ .Title }} - {{ site.Title }}</title>
<link rel="canonical" href="{{ .Permalink }}"><link rel="stylesheet" href="/site.css"></head><body>
<a href="#main">Skip to main content</a><header><a href="/">{{ site.Title }}</a></header>
<p>In an emergency, call 999. Otherwise call 101.</p>
<nav aria-label="Breadcrumb"><ol>{{ range .Ancestors.Reverse }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}<li>{{ .Title }}</li></ol></nav>
<main id="main">{{ block "main" . }}{{ end }}</main><footer>Bench Police</footer></body></html>""",
    "_default/single.html": """{{ define "main" }}<h1>{{ .Title }}</h1><p>{{ .Date.Format "2 January 2006" }}</p>{{ .Content }}{{ end }}""",
    "_default/list.html": """{{ define "main" }}<h1>{{ .Title }}</h1>
{{ with .Params.team }}<h2>Your team</h2><ul>{{ range . }}<li>{{ .name }}, {{ .role }}</li>{{ end }}</ul>{{ end }}
{{ with .Params.priorities }}<h2>You said, we did</h2>{{ range . }}<p>{{ .issue }}</p><p>{{ .action }}</p>{{ end }}{{ end }}
{{ with .Params.events }}<h2>Events</h2><ul>{{ range . }}<li>{{ .title }} {{ .start }}</li>{{ end }}</ul>{{ end }}
<h2>News</h2><ul>{{ range .RegularPagesRecursive }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}</ul>{{ end }}""",
    "index.html": """{{ define "main" }}<h1>{{ site.Title }}</h1><ul>{{ range .Sections }}{{ range .Sections }}<li><a href="{{ .RelPermalink }}">{{ .Title }}</a></li>{{ end }}{{ end }}</ul>{{ end }}""",
}

PELICAN_CONF = """SITENAME = "Bench Police"
SITEURL = ""
PATH = "content"
TIMEZONE = "Europe/London"
DEFAULT_LANG = "en"
THEME = "theme"
FEED_ALL_ATOM = None
CATEGORY_FEED_ATOM = None
TRANSLATION_FEED_ATOM = None
AUTHOR_FEED_ATOM = None
AUTHOR_FEED_RSS = None
DEFAULT_PAGINATION = False
ARTICLE_URL = "areas/{category}/news/{slug}/"
ARTICLE_SAVE_AS = "areas/{category}/news/{slug}/index.html"
CATEGORY_URL = "areas/{slug}/"
CATEGORY_SAVE_AS = "areas/{slug}/index.html"
TAG_SAVE_AS = ""
TAGS_SAVE_AS = ""
AUTHOR_SAVE_AS = ""
AUTHORS_SAVE_AS = ""
ARCHIVES_SAVE_AS = ""
CATEGORIES_SAVE_AS = ""
DIRECT_TEMPLATES = ["index"]
CACHE_CONTENT = True
LOAD_CONTENT_CACHE = True
"""

PELICAN_TEMPLATES = {
    "base.html": """<!DOCTYPE html><html lang="en-GB"><head><meta charset="utf-8"><title>{% block title %}{{ SITENAME }}{% endblock %}</title>
<link rel="stylesheet" href="/site.css"></head><body><a href="#main">Skip to main content</a><header><a href="/">{{ SITENAME }}</a></header>
<p>In an emergency, call 999. Otherwise call 101.</p><main id="main">{% block content %}{% endblock %}</main><footer>{{ SITENAME }}</footer></body></html>""",
    "article.html": """{% extends "base.html" %}{% block title %}{{ article.title }} - {{ SITENAME }}{% endblock %}{% block content %}
<nav aria-label="Breadcrumb"><a href="/">Home</a> <a href="/{{ article.category.url }}">{{ article.category }}</a></nav>
<h1>{{ article.title }}</h1><p>{{ article.locale_date }}</p>{{ article.content }}{% endblock %}""",
    "category.html": """{% extends "base.html" %}{% block content %}<h1>{{ category }}</h1><h2>News</h2>
<ul>{% for article in articles %}<li><a href="/{{ article.url }}">{{ article.title }}</a></li>{% endfor %}</ul>{% endblock %}""",
    "index.html": """{% extends "base.html" %}{% block content %}<h1>{{ SITENAME }}</h1>
<ul>{% for category, articles in categories %}<li><a href="/{{ category.url }}">{{ category }}</a></li>{% endfor %}</ul>{% endblock %}""",
    "page.html": """{% extends "base.html" %}{% block content %}<h1>{{ page.title }}</h1>{{ page.content }}{% endblock %}""",
    "tag.html": "", "tags.html": "", "author.html": "", "authors.html": "", "archives.html": "",
    "categories.html": "", "period_archives.html": "",
}


def _news(rng: random.Random, wards: int):
    """The same news text, in the same order, as bench/corpus.py writes."""
    for index in range(wards):
        slug, other = f"ward-{index}", f"ward-{(index + 1) % wards}"
        for number in range(4):
            yield index, slug, number, news_body(rng, slug, other)


def write_hugo(root: Path, wards: int, seed: int = 1) -> None:
    """A Hugo site with one section per ward, its four news pages, and (as sitegen
    makes) a news feed and a calendar of each ward."""
    _write_hugo(root, wards, seed, feeds=True)


def write_hugo_pages(root: Path, wards: int, seed: int = 1) -> None:
    """write_hugo without the wards' feeds and calendars: the pages alone (the
    benchmark's Hugo site until 2026-12-01)."""
    _write_hugo(root, wards, seed, feeds=False)


def _write_hugo(root: Path, wards: int, seed: int, feeds: bool) -> None:
    rng = random.Random(seed)
    (root / "hugo.toml").parent.mkdir(parents=True, exist_ok=True)
    (root / "hugo.toml").write_text(HUGO_CONFIG)
    outputs = "outputs: [html, rss, calendar]\n" if feeds else ""
    for name, text in (HUGO_LAYOUTS | (HUGO_FEED_LAYOUTS if feeds else {})).items():
        (root / "layouts" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "layouts" / name).write_text(text)
    (root / "content/areas").mkdir(parents=True, exist_ok=True)
    (root / "content/areas/_index.md").write_text("---\ntitle: Areas\n---\n")
    for index, slug, number, body in _news(rng, wards):
        folder = root / "content/areas" / slug
        if number == 0:
            (folder / "news").mkdir(parents=True, exist_ok=True)
            (folder / "_index.md").write_text(
                f"---\ntitle: Ward {index}\n{outputs}team:\n  - {{name: Officer {index}A, role: Police Sergeant}}\n"
                f"  - {{name: Officer {index}B, role: Police Constable}}\npriorities:\n"
                f"  - {{issue: Speeding on the main road., action: Weekly speed checks.}}\n"
                f"events:\n  - {{title: Ward panel meeting, start: '2027-01-{1 + index % 27:02d}T19:00'}}\n---\n")
            (folder / "news/_index.md").write_text(f"---\ntitle: News from ward {index}\n---\n")
        (folder / "news" / f"news-{number}.md").write_text(
            f"---\ntitle: News {number} from ward {index}\ndate: 2026-{1 + number * 3:02d}-15\n---\n{body}\n")


def write_pelican(root: Path, wards: int, seed: int = 1) -> None:
    """A Pelican site: each ward a category, its news the articles."""
    rng = random.Random(seed)
    root.mkdir(parents=True, exist_ok=True)
    (root / "pelicanconf.py").write_text(PELICAN_CONF)
    for name, text in PELICAN_TEMPLATES.items():
        (root / "theme/templates" / name).parent.mkdir(parents=True, exist_ok=True)
        (root / "theme/templates" / name).write_text(text)
    for index, slug, number, body in _news(rng, wards):
        folder = root / "content" / slug
        folder.mkdir(parents=True, exist_ok=True)
        (folder / f"news-{number}.md").write_text(
            f"Title: News {number} from ward {index}\nDate: 2026-{1 + number * 3:02d}-15\n"
            f"Category: {slug}\nSlug: news-{number}\n\n{body}\n")
