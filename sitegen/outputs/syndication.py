"""Machine-readable outputs: Atom feeds (RFC 4287), iCalendar (RFC 5545),
sitemap.xml and robots.txt.  All are deterministic: every date comes from
content or the injected build date, never the clock."""
from __future__ import annotations

from datetime import date, datetime, timezone
from zoneinfo import ZoneInfo

from ..maps import feature_json
from ..model import Site
from . import Output, RenderContext, renderer

LONDON = ZoneInfo("Europe/London")
EPOCH = date(1970, 1, 1)


def plan_syndication(site: Site) -> list[Output]:
    """The sitemap and robots.txt (each area's feed and calendar: area_syndication)."""
    # The sitemap lists what the plan makes ("plan": see sitegen.build), whatever the pages say.
    return [Output("sitemap.xml", "sitemap", deps=("plan",)), Output("robots.txt", "robots", deps=())]


def area_syndication(area) -> list[Output]:
    """One ward's news feed, calendar and (if it has one) boundary."""
    unit = (f"area:{area.slug}",)
    outputs = [Output(f"areas/{area.slug}/feed.xml", "atom", area.slug, deps=unit),
               Output(f"areas/{area.slug}/events.ics", "ics", area.slug, deps=unit, dated=area.slug)]
    if area.boundary is not None:
        outputs.append(Output(f"areas/{area.slug}/boundary.geojson", "geojson", area.slug, deps=unit))
    return outputs


def escape(text: str) -> str:
    """TEXT with XML's three special characters escaped (as xml.sax.saxutils.escape;
    that module would bring urllib.request and the rest of the HTTP stack with it)."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def quoteattr(value: str) -> str:
    """VALUE escaped and quoted as an XML attribute value (as xml.sax.saxutils.quoteattr)."""
    value = escape(value).replace("\n", "&#10;").replace("\r", "&#13;").replace("\t", "&#9;")
    if '"' not in value:
        return f'"{value}"'
    if "'" not in value:
        return f"'{value}'"
    return '"' + value.replace('"', "&quot;") + '"'


def _atom_time(day: date) -> str:
    return f"{day.isoformat()}T00:00:00Z"


def absolute_links(html: str, base_url: str) -> str:
    """Make site-relative href and src values absolute, as feed readers need."""
    root = base_url.rstrip("/") + "/"
    return html.replace('href="/', f'href="{root}').replace('src="/', f'src="{root}')


@renderer("atom")
def render_atom(ctx: RenderContext, key: str) -> bytes:
    """An Atom feed of one ward's news, newest first."""
    config = ctx.site.config
    area = ctx.site.area(key)
    updated = max((n.date for n in area.news), default=EPOCH)
    feed_url = config.url(f"{area.url}feed.xml")
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        f'<feed xmlns="http://www.w3.org/2005/Atom" xml:lang={quoteattr(config.language)}>',
        f"  <id>{escape(feed_url)}</id>",
        f"  <title>{escape(f'{area.name} neighbourhood news - {config.name}')}</title>",
        f"  <updated>{_atom_time(updated)}</updated>",
        f"  <author><name>{escape(config.name)}</name></author>",
        f'  <link rel="self" type="application/atom+xml" href={quoteattr(feed_url)}/>',
        f'  <link rel="alternate" type="text/html" href={quoteattr(config.url(area.url))}/>',
    ]
    for item in area.news:
        url = config.url(item.url)
        lines += [
            "  <entry>",
            f"    <id>{escape(url)}</id>",
            f"    <title>{escape(item.title)}</title>",
            f"    <updated>{_atom_time(item.date)}</updated>",
            f"    <published>{_atom_time(item.date)}</published>",
            f'    <link rel="alternate" type="text/html" href={quoteattr(url)}/>',
        ]
        if item.summary:
            lines.append(f"    <summary>{escape(item.summary)}</summary>")
        body = absolute_links(ctx.body_html(item.source), config.base_url)
        lines += [f'    <content type="html">{escape(body)}</content>', "  </entry>"]
    lines.append("</feed>")
    return ("\n".join(lines) + "\n").encode("utf-8")


# Europe/London since 1996: GMT in winter, BST from the last Sunday of March
# to the last Sunday of October (RFC 5545 section 3.6.5).
VTIMEZONE = [
    "BEGIN:VTIMEZONE", "TZID:Europe/London",
    "BEGIN:DAYLIGHT", "TZOFFSETFROM:+0000", "TZOFFSETTO:+0100", "TZNAME:BST",
    "DTSTART:19810329T010000", "RRULE:FREQ=YEARLY;BYMONTH=3;BYDAY=-1SU", "END:DAYLIGHT",
    "BEGIN:STANDARD", "TZOFFSETFROM:+0100", "TZOFFSETTO:+0000", "TZNAME:GMT",
    "DTSTART:19961027T020000", "RRULE:FREQ=YEARLY;BYMONTH=10;BYDAY=-1SU", "END:STANDARD",
    "END:VTIMEZONE",
]


def ics_text(value: str) -> str:
    """Escape TEXT for iCalendar: backslash, semicolon, comma and newlines."""
    return (value.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
            .replace("\r\n", "\\n").replace("\n", "\\n"))


def fold(line: str) -> str:
    """Fold a content line at 75 octets, continuation lines starting with a space."""
    data = line.encode("utf-8")
    if len(data) <= 75:
        return line
    parts, current, limit = [], b"", 75
    for char in line:
        encoded = char.encode("utf-8")
        if len(current) + len(encoded) > limit:
            parts.append(current.decode("utf-8"))
            current, limit = b"", 74
        current += encoded
    parts.append(current.decode("utf-8"))
    return "\r\n ".join(parts)


def _local(value: datetime) -> str:
    return f"{value:%Y%m%dT%H%M%S}"


def _utc(value: datetime) -> str:
    return f"{value.replace(tzinfo=LONDON).astimezone(timezone.utc):%Y%m%dT%H%M%SZ}"


@renderer("ics")
def render_ics(ctx: RenderContext, key: str) -> bytes:
    """An iCalendar file of one ward's upcoming events, in Europe/London time."""
    site = ctx.site
    area = site.area(key)
    lines = ["BEGIN:VCALENDAR", "VERSION:2.0", f"PRODID:-//sitegen//{ics_text(site.config.name)}//EN",
             "CALSCALE:GREGORIAN", "METHOD:PUBLISH",
             f"X-WR-CALNAME:{ics_text(area.name + ' police events')}", "X-WR-TIMEZONE:Europe/London"]
    lines += VTIMEZONE
    for event in area.upcoming_events(site.build_date):
        lines += ["BEGIN:VEVENT", f"UID:{event.uid}",
                  # DTSTAMP must not change between builds, so it is the event's own start.
                  f"DTSTAMP:{_utc(event.start)}",
                  f"DTSTART;TZID=Europe/London:{_local(event.start)}"]
        if event.end:
            lines.append(f"DTEND;TZID=Europe/London:{_local(event.end)}")
        lines.append(f"SUMMARY:{ics_text(event.title)}")
        if event.location:
            lines.append(f"LOCATION:{ics_text(event.location)}")
        if event.description:
            lines.append(f"DESCRIPTION:{ics_text(event.description)}")
        lines += [f"URL:{site.config.url(area.url)}", "END:VEVENT"]
    lines.append("END:VCALENDAR")
    return ("\r\n".join(fold(line) for line in lines) + "\r\n").encode("utf-8")


@renderer("geojson")
def render_geojson(ctx: RenderContext, key: str) -> bytes:
    """One ward's boundary as a GeoJSON Feature (RFC 7946: longitude, latitude)."""
    area = ctx.site.area(key)
    return feature_json(area.boundary.polygons, {"name": area.name, "url": ctx.site.config.url(area.url)})


# Kinds of page search engines should not list (form confirmations carry noindex); 404.html neither.
NOT_IN_SITEMAP = {"form_done"}


@renderer("sitemap")
def render_sitemap(ctx: RenderContext, key: str) -> bytes:
    """sitemap.xml listing every HTML page but the 404."""
    from . import plan
    urls = sorted(o.url for o in (ctx.outputs or plan(ctx.site)) if o.path.endswith(".html") and o.path != "404.html" and o.kind not in NOT_IN_SITEMAP)
    body = "".join(f"  <url><loc>{escape(ctx.site.config.url(u))}</loc></url>\n" for u in urls)
    return ('<?xml version="1.0" encoding="utf-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
            f"{body}</urlset>\n").encode("utf-8")


@renderer("robots")
def render_robots(ctx: RenderContext, key: str) -> bytes:
    """robots.txt: everything may be crawled; the sitemap is named."""
    return f"User-agent: *\nAllow: /\n\nSitemap: {ctx.site.config.url('/sitemap.xml')}\n".encode()
