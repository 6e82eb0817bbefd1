"""Machine-readable outputs: Atom feeds (RFC 4287), ward boundaries (GeoJSON),
sitemap.xml and robots.txt (iCalendar: sitegen.outputs.calendar).  All are
deterministic: every date comes from content or the injected build date,
never the clock."""
from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING

from ..build.sources import area_unit
from ..build.units import Unit, digest
from ..content.markup import absolute_urls
from ..i18n import gettext
from ..maps import feature_json
from ..model import Area, Site
from ..xmltext import escape, quoteattr
from .base import Output, RenderContext
from .pages import body_source, same_name, written_lang

if TYPE_CHECKING:
    from ..config import SiteConfig

PLAN = Unit("plan")   # the addresses of every page the site has: what the sitemap shows


def plan_syndication(site: Site) -> list[Output]:
    """The sitemap and robots.txt (each area's feed and calendar: area_syndication)."""
    # The sitemap lists what the plan makes, whatever the pages say.
    return [Output("sitemap.xml", "sitemap", "", deps=(PLAN,)), Output("robots.txt", "robots", "", deps=())]


def plan_unit(outputs: list[Output]) -> dict[Unit, str]:
    """PLAN: the addresses the sitemap lists, from every output of the site."""
    return {PLAN: digest(*sitemap_urls(outputs))}


def area_syndication(area: Area) -> list[Output]:
    """One ward's news feed, calendar and (if it has one) boundary."""
    unit = (area_unit(area.slug), same_name(area.name))
    # A feed with no entries is as new as the build (see render_atom), so it changes with the date.
    outputs = [Output(f"areas/{area.slug}/feed.xml", "atom", area.slug, deps=unit,
                      dated="" if area.news else area.slug),
               Output(f"areas/{area.slug}/events.ics", "ics", area.slug, deps=unit, dated=area.slug)]
    if area.boundary is not None:
        outputs.append(Output(f"areas/{area.slug}/boundary.geojson", "geojson", area.slug, deps=unit[:1]))
    return outputs


def _atom_time(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def render_atom(ctx: RenderContext, key: str) -> bytes:
    """An Atom feed of one ward's news, newest first.  Every text is made safe
    for XML (sitegen.xmltext); links in each entry's content are made absolute
    against that entry's page, so a feed reader follows them where the page's
    own links go.  A feed with no news was last updated when it was built.  In a
    language a story has no translation into, its entry is the default language's
    and says so (xml:lang)."""
    config = ctx.site.config
    area = ctx.site.area(key)
    updated = max((n.date for n in area.news), default=ctx.site.build_date)
    feed_url = config.url(ctx.address(f"{area.url}feed.xml"))
    # The feed's title names the ward and the site, in any language: proper names (WCAG 3.1.2), and
    # Atom's text constructs cannot mark a part's language.
    title = gettext("%(name)s neighbourhood news") % {"name": ctx.site.full_name(area)}
    # RFC 4287 allows xml:lang on the person, not on its name: where site.<code>.yaml leaves the
    # name out, the author is in the default's words
    author_lang = _xml_lang(written_lang(ctx, config, "name"))
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(title)} - {escape(config.name)}</title>",
        f"  <updated>{_atom_time(updated)}</updated>",
        f"  <author{author_lang}><name>{escape(config.name)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(config.url(ctx.address(area.url)))}/>',
    ]
    for item in area.news:
        url = config.url(ctx.address(item.url))
        # A story shown untranslated is in the default language, and so is a text its translation
        # leaves out: the entry, or that element, says so (xml:lang; '' where it is the feed's).
        whole = written_lang(ctx, item)
        lang = {name: "" if whole else _xml_lang(written_lang(ctx, item, name))
                for name in ("title", "summary", "body")}
        lines += [
            f"  <entry{_xml_lang(whole)}>",
            f"    <id>{escape(url)}</id>",
            f"    <title{lang['title']}>{escape(item.title)}</title>",
            f"    <updated>{_atom_time(item.date)}</updated>",
            f"    <published>{_atom_time(item.date)}</published>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
        ]
        if item.summary:
            lines.append(f"    <summary{lang['summary']}>{escape(item.summary)}</summary>")
        body = absolute_urls(ctx.body_html(body_source(ctx, item)), url)   # the original's, if left out
        lines += [f'    <content type="html"{lang["body"]}>{escape(body)}</content>', "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


def _xml_lang(tag: str) -> str:
    """' xml:lang="TAG"', to put in a start tag; '' for no TAG."""
    return f" xml:lang={quoteattr(tag)}" if tag else ""


def render_geojson(ctx: RenderContext, key: str) -> bytes:
    """One ward's boundary as a GeoJSON Feature (RFC 7946: longitude, latitude)."""
    area = ctx.site.area(key)
    if area.boundary is None:  # planned only for areas with a boundary
        raise KeyError(key)
    return feature_json(area.boundary.polygons, {"name": area.name, "url": ctx.site.config.url(area.url)})


# Kinds of page search engines should not list (form confirmations and the editors' admin carry
# noindex); 404.html neither.
NOT_IN_SITEMAP = {"form_done", "admin_page"}


def sitemap_urls(outputs: list[Output]) -> list[str]:
    """The site paths of the HTML pages in OUTPUTS that the sitemap lists, sorted."""
    return sorted(o.url for o in outputs if o.path.endswith(".html") and not o.path.endswith("404.html")
                  and o.kind not in NOT_IN_SITEMAP)


def render_sitemap(ctx: RenderContext, key: str) -> bytes:
    """sitemap.xml listing every HTML page but the 404, in every language; on a site of
    several languages each page names itself in every language and x-default (the
    default's) with xhtml:link alternates, as Google documents for sitemaps."""
    config = ctx.site.config
    urls = sitemap_urls(ctx.outputs)
    alternates = _alternates(ctx.outputs, config) if config.multilingual else {}
    xhtml = ' xmlns:xhtml="http://www.w3.org/1999/xhtml"' if alternates else ""
    body = "".join(_sitemap_entry(config.url(u), alternates.get(u, ())) for u in urls)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"{xhtml}>\n'
            f"{body}</urlset>\n").encode()


def _sitemap_entry(loc: str, alternates: Sequence[tuple[str, str]]) -> str:
    """One <url> of the sitemap: LOC, and its (hreflang, absolute URL) ALTERNATES."""
    if not alternates:
        return f"  <url><loc>{escape(loc)}</loc></url>\n"
    links = "".join(f'    <xhtml:link rel="alternate" hreflang={quoteattr(lang)} href={quoteattr(href)}/>\n'
                    for lang, href in alternates)
    return f"  <url>\n    <loc>{escape(loc)}</loc>\n{links}  </url>\n"


def _alternates(outputs: list[Output], config: SiteConfig) -> dict[str, list[tuple[str, str]]]:
    """Site path -> the (hreflang, absolute URL) of the same page in each of CONFIG's
    languages and x-default, for every page of OUTPUTS made in several languages."""
    versions: dict[tuple[str, str], dict[str, str]] = {}
    for o in outputs:
        if o.path.endswith(".html"):
            versions.setdefault((o.kind, o.key), {})[o.lang] = o.url
    found: dict[str, list[tuple[str, str]]] = {}
    for by_lang in versions.values():
        if len(by_lang) < 2:
            continue
        pairs = [(lang.code, config.url(by_lang[lang.code if i else ""]))
                 for i, lang in enumerate(config.languages) if (lang.code if i else "") in by_lang]
        pairs.append(("x-default", config.url(by_lang[""])))
        found.update((url, pairs) for url in by_lang.values())
    return found


def render_robots(ctx: RenderContext, key: str) -> bytes:
    """robots.txt: everything may be crawled but the editors' admin (when published); the
    sitemap is named.  A preview build's (the frame's `preview` label set) disallows everything
    and names no sitemap."""
    if ctx.frame.get("preview"):
        return b"User-agent: *\nDisallow: /\n"
    admin = "Disallow: /admin/\n" if ctx.site.config.admin.enabled else ""
    return f"User-agent: *\n{admin}Allow: /\n\nSitemap: {ctx.site.config.url('/sitemap.xml')}\n".encode()
