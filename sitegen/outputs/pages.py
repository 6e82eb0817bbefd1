"""HTML pages: home, borough, ward, ward news, site pages and 404."""
from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache, partial
from typing import TYPE_CHECKING, NamedTuple

import jinja2
from markupsafe import Markup

from ..build.sources import area_unit, feeds_unit, page_unit
from ..build.units import Unit, digest
from ..content.postcodes import has_lookup
from ..i18n import gettext
from ..maps import Polygon, Touching, boundary_digest, draw_areas, merged, neighbours
from ..model import (
    Area,
    Borough,
    Event,
    Listing,
    Listings,
    NewsItem,
    Page,
    Priority,
    Site,
    TeamMember,
    original_path,
    shared_names,
)
from ..security import content_security_policy
from .base import Output, RenderContext
from .locate import LOCATABLE, index_url

if TYPE_CHECKING:
    from ..feeds.view import FeedView

LISTING = Unit("listing")   # every area's listing: what the home page shows of the areas


def borough_listing(slug: str) -> Unit:
    """The listing of the borough SLUG: its name and its wards' names, which its page shows."""
    return Unit("listing", slug)


def same_name(name: str) -> Unit:
    """Whether more than one area bears NAME (any case): an area's pages, feed and
    calendar add its borough to its name when so (Site.full_name)."""
    return Unit("same-name", name.casefold())


def neighbours_unit(slug: str) -> Unit:
    """What the page of the area SLUG shows of its neighbours: their slugs and names."""
    return Unit("neighbours", slug)


OUTLINES = Unit("outlines")   # every area's boundary, slug and borough: the home page's map


def borough_outlines(slug: str) -> Unit:
    """The boundaries of the borough SLUG's wards, which its page's map shows."""
    return Unit("outlines", slug)


def map_units(site: Site) -> dict[Unit, str]:
    """The units of what the maps show of other areas: each area's neighbours (names, in
    every language, and addresses; Site.neighbours), and the outlines the home and borough
    maps draw."""
    shown = [site.in_language(code).neighbours for code in site.languages]
    units = {neighbours_unit(a.slug): digest(*(repr(named.get(a.slug, ())) for named in shown))
             for a in site.areas}
    units[OUTLINES] = digest(*(f"{a.slug}={a.borough}={boundary_digest(a.boundary)}" for a in site.areas))
    for borough in site.boroughs:
        units[borough_outlines(borough.slug)] = digest(*(f"{a.slug}={boundary_digest(a.boundary)}"
                                                        for a in borough.areas))
    return units


def named_neighbours(site: Site, touch: Touching | None = None) -> dict[str, tuple[tuple[str, str], ...]]:
    """Slug -> (slug, name) of each area of SITE whose boundary touches or overlaps its own,
    named as its page is titled (Site.full_name: 'Village, Barking and Dagenham' where
    another area bears the name).  TOUCH: maps.touching(site.areas), when the caller has it."""
    names = {a.slug: site.full_name(a) for a in site.areas}
    return {slug: tuple((other, names[other]) for other in others)
            for slug, others in neighbours(site.areas, touch).items()}


def plan_pages(site: Site) -> list[Output]:
    """The HTML pages of SITE but the areas' own (area_pages)."""
    # The home and borough pages show only names and addresses (see listing_units).
    # ... and whether the site publishes the location index (outputs/locate.py), for "Use my location".
    outputs = [page_output("index.html", "home", "", (LISTING, LOCATABLE, OUTLINES), "home.html")]
    outputs += [page_output(f"boroughs/{b.slug}/index.html", "borough", b.slug,
                            (borough_listing(b.slug), borough_outlines(b.slug)), "borough.html")
                for b in site.boroughs]
    for page in site.pages:
        path = "404.html" if page.slug == "404" else f"{page.slug}/index.html"
        template = "404.html" if page.slug == "404" else "page.html"
        outputs.append(page_output(path, "page", page.slug, (page_unit(page.slug),), template))
    if not site.page("404"):
        outputs.append(page_output("404.html", "not_found", "", (), "404.html"))
    return outputs


def area_pages(area: Area) -> list[Output]:
    """The pages of one ward: its own page, its news index and news."""
    unit = area_unit(area.slug)
    twins = same_name(area.name)
    outputs = [page_output(f"areas/{area.slug}/index.html", "area", area.slug,
                           (unit, feeds_unit(area.slug), twins, neighbours_unit(area.slug)), "area.html",
                           dated=area.slug)]
    if area.news:
        outputs.append(page_output(f"areas/{area.slug}/news/index.html", "news_index", area.slug,
                                   (unit, twins), "news_index.html"))
    outputs += [page_output(f"areas/{area.slug}/news/{n.slug}/index.html", "news", f"{area.slug}/{n.slug}",
                            (unit, twins), "news.html") for n in area.news]
    return outputs


def page_output(path: str, kind: str, key: str, deps: tuple[Unit, ...], template: str,
                dated: str = "") -> Output:
    """An HTML page made with page_html: it reads DEPS and, as every page does, the CHROME partials."""
    return Output(path, kind, key, deps=(*deps, CHROME_UNIT), template=template, dated=dated)


def listing(area: Area) -> Listing:
    """What pages other than AREA's own show of it, besides its slug: its name, borough
    and places (the name filter finds it by them; see Listed), in AREA's language."""
    return (area.name, area.borough, area.places)


def listings(area: Area) -> Listings:
    """AREA's listing, and (code, listing) in each language it is translated into (it has an
    area.<code>.yaml: a version made for its stories alone shows the original, as no entry
    does): what other pages show of it in every language, the marking included (translated_listing).
    A build of a few areas widens when this changes."""
    return listing(area), tuple((code, translated_listing(version)) for code, version in area.translations
                                if version.source != area.source)


def translated_listing(version: Area) -> Listing:
    """The listing of an area's translated VERSION in another language, its name '' where the
    translation leaves the name out (the default's shows there, marked): giving a name in the
    original's words, or taking the translation away, changes it, so the pages that mark the name
    are made again."""
    return ("" if "name" in version.fallbacks else version.name, version.borough, version.places)


def listing_units(shown: dict[str, Listings],
                  boroughs: tuple[Borough, ...]) -> dict[Unit, str]:
    """The units derived from what other pages show of the areas (SHOWN: slug -> listings()):
    LISTING (every area, for the home page) and a borough_listing per borough (its name and
    wards), each covering every language's names, so a translated name's edit reaches the
    pages of that language.  Editing a ward's news or team changes neither."""
    units = {LISTING: digest(*(f"{slug}={shown[slug]}" for slug in sorted(shown)))}
    for borough in boroughs:
        wards = (f"{a.slug}={shown[a.slug]}" for a in borough.areas)
        units[borough_listing(borough.slug)] = digest(borough.name, *wards)
    names = [own[0] for own, _ in shown.values()]
    shared = shared_names(names)
    for name in names:
        units[same_name(name)] = digest(str(name.casefold() in shared))
    return units


class TemplateValues(dict):
    """A dict, as templates have always been given `page`, its breadcrumbs and `chrome`
    (`page['url']`, `page.get(...)`, `'x' in page`, a loop over it, equality with a dict),
    whose keys are also attributes: Jinja reads `page.url` as an attribute first and tries the
    key only after that fails, an exception each time (0.6 us, twenty a page).  Each subclass
    names its keys in __slots__ (none may be a dict method's name); made once, never changed."""

    __slots__ = ()

    def __init__(self, **values: object) -> None:
        super().__init__(values)
        for name, value in values.items():
            setattr(self, name, value)

    def __init_subclass__(cls) -> None:
        super().__init_subclass__()
        clash: set[str] = set(cls.__slots__) & set(dir(dict))
        assert not clash, f"{cls.__name__}: {sorted(clash)} would hide a dict method"


class Chrome(TemplateValues):
    """The partials/<name>.html every page shows, rendered once a build and given to every page
    as `chrome` (`chrome.header`): not included by the page templates, so their hashes reach the
    pages through CHROME_UNIT."""

    __slots__ = ("skip_link", "header", "emergency", "footer")


CHROME = Chrome.__slots__
CHROME_UNIT = Unit("chrome")


def chrome_units(templates: Callable[[str], str]) -> dict[Unit, str]:
    """CHROME_UNIT: the hashes of the partials every page shows (TEMPLATES: name -> hash
    with its includes)."""
    return {CHROME_UNIT: digest(*(templates(f"partials/{name}.html") for name in CHROME))}


def frame_values(site: Site) -> dict[str, str]:
    """What every page shows that comes from more than site.yaml: the forms'
    origins in the security policy, where 'report online' leads, and the postcode
    finder's address if the site has a postcode lookup ('' if not), and the label
    of a preview build ('' for the live site: SiteConfig.preview)."""
    has_triage = bool(site.forms and site.forms.triage)
    return {"report_url": "/report/" if has_triage else "/#report", "csp": content_security_policy(site),
            "postcode_url": "/find/" if has_lookup(site.config.root) else "", "preview": site.config.preview}


def site_values(ctx: RenderContext) -> dict:
    """What every page's template is given, the same on every page of the site.

    Worked out once per build (and per worker process), with the parts of the
    page frame that never change rendered once: partials/skip_link.html,
    header.html, emergency.html and footer.html, as `chrome.header` and so on."""
    if "site" not in ctx.shared:
        # No build date: only pages the incremental build knows to change with the
        # date (a ward's page and calendar) are given what depends on it.
        values = {"site": ctx.site.config, "assets": ctx.assets, **ctx.frame}
        # The chrome marks site.yaml's words as every page does (render.as_written asks `page`).
        chrome = {**values, "page": {"written": page_marking(ctx)}}
        partials = {name: ctx.env.get_template(f"partials/{name}.html") for name in CHROME}
        values["chrome"] = Chrome(**{name: Markup(made.render(chrome)) for name, made in partials.items()})
        ctx.shared.update(values)
    return ctx.shared


def page_html(ctx: RenderContext, template: str, url: str, title: str, crumbs: list, **values) -> bytes:
    """Render TEMPLATE as the page at URL (a site path in the default language: the page is
    at ctx.address(URL)), with breadcrumbs CRUMBS (title, url) pairs (a title may be Markup:
    `marked`).  VALUES may hold `translated=False`: the page shows content in the default
    language for want of a translation (a notice says so, and the content is marked with the
    default's lang); and `title_html`, TITLE as Markup with an untranslated record's words
    marked (`marked`, `marked_in`), for the page's heading and last breadcrumb (<title> cannot
    mark a part: it shows TITLE); `description` (site.yaml's when none) and `description_lang`,
    the default's tag when the description is a record's words shown for want of a translation
    (written_lang), for <meta name="description" lang>."""
    config = ctx.site.config
    translated = values.pop("translated", True)
    partly = values.pop("partly", False)   # what a translation leaves out shows (language_values)
    description, description_lang = values.pop("description", ""), values.pop("description_lang", "")
    if not description:
        description, description_lang = config.description, written_lang(ctx, config, "description")
    html = ctx.env.get_template(template).render(
        site_values(ctx),
        page=PageValues(url=url, canonical=config.url(ctx.address(url)), title=title,
                        title_html=values.pop("title_html", title),
                        description=description, description_lang=description_lang,
                        breadcrumbs=[Crumb(text=text, href=href) for text, href in crumbs],
                        **language_values(ctx, url, translated, partly)),
        **values)
    return html.encode("utf-8")


class Crumb(TemplateValues):
    """One breadcrumb above a page: `text` (Markup where a record's words are marked) and `href`,
    a site path in the default language (the template puts it in the page's with `url()`)."""

    __slots__ = ("text", "href")


class PageValues(TemplateValues):
    """What a page's template reads as `page` (see page_html and language_values): url,
    canonical, title, title_html, description, description_lang, breadcrumbs (Crumbs) and
    language_values' keys."""

    __slots__ = ("url", "canonical", "title", "title_html", "description", "description_lang", "breadcrumbs",
                 "lang", "alternates", "switch", "untranslated", "untranslated_name", "partly", "written")


def language_values(ctx: RenderContext, url: str, translated: bool = True, partly: bool = False) -> dict:
    """What a page at the site path URL shows of the site's languages (nothing on a
    one-language site): `alternates`, the (hreflang, absolute URL) of the page in every
    language and x-default for the <head>; `switch`, the (code, site path, the language's
    own name) of the page in each other language, for partials/language_switcher.html (the
    paths are in their language already: not for `url()`); `untranslated`, the default
    language's tag when the page shows its content (TRANSLATED False), or some of it (PARTLY: its
    translation leaves words out), for want of a translation, else '' (the notice shows where it is
    set); `partly`, whether only some (partials/translation_notice.html words it so); `written`,
    written_lang for the page (render.as_written and lang_of mark each untranslated record's text;
    None where nothing is: page_marking)."""
    config = ctx.site.config
    languages = config.languages if config.multilingual else ()
    alternates = [(lang.code, config.url(lang.prefix + url)) for lang in languages]
    if alternates:
        alternates.append(("x-default", alternates[0][1]))
    switch = [(lang.code, lang.prefix + url, own_name(lang.code)) for lang in languages
              if lang.code != ctx.language.code]
    untranslated = languages[0].code if ctx.lang and (not translated or partly) else ""
    return {"lang": ctx.language.code, "alternates": alternates, "switch": switch,
            "untranslated": untranslated, "untranslated_name": _name_in(untranslated, ctx.language.code),
            "partly": bool(untranslated and translated and partly),
            "written": page_marking(ctx)}


def page_marking(ctx: RenderContext) -> Callable[..., str] | None:
    """`written` for a page of CTX: written_lang bound to CTX, or None in the default language,
    where nothing is marked (so render.as_written and lang_of, many a page, need not ask)."""
    return partial(written_lang, ctx) if ctx.lang else None


@lru_cache(maxsize=32)
def own_name(code: str) -> str:
    """The language of the tag CODE named in itself, as a language switcher shows it:
    'Cymraeg' for 'cy', 'English' for 'en-GB' (Babel's names, the first letter a capital)."""
    from babel import Locale  # (here: a page of a one-language site names no language)
    language = Locale.parse(code, sep="-").language
    name = Locale(language).get_display_name(language) or code
    return name[:1].upper() + name[1:]


def _name_in(code: str, language: str) -> str:
    """The language of the tag CODE as written in LANGUAGE ('Saesneg' for 'en' in 'cy'); '' for ''."""
    if not code:
        return ""
    from babel import Locale
    asked = Locale.parse(code, sep="-").language
    return Locale.parse(language, sep="-").languages.get(asked, code)


def is_translated(ctx: RenderContext, record: Area | NewsItem | Page) -> bool:
    """Whether RECORD has its own words in CTX's language (always, in the default language)."""
    return not ctx.lang or ctx.site.translated(record, ctx.lang)


def partly_translated(ctx: RenderContext, record: Area | NewsItem | Page, shown: Sequence[str] = ()) -> bool:
    """Whether RECORD's translation into CTX's language leaves out some of its words (any, or
    any under the paths SHOWN: what a page shows), so the page must say so (Site.fallbacks)."""
    if not ctx.lang:
        return False
    fallbacks = ctx.site.fallbacks(record, ctx.lang)
    return any(_fell_back(path, frozenset(shown)) for path in fallbacks) if shown else bool(fallbacks)


def written_lang(ctx: RenderContext, record: object, *path: object) -> str:
    """The default language's tag when RECORD's words on a page in CTX's language are the
    default's for want of a translation, else '' (always '' in the default language).  RECORD
    is an area, story or page (Site.translated), a bool (translated or not: a form's), or
    anything with a `translated` bool (a form, a triage tree).  PATH names one field of RECORD
    (field_path: 'summary'; a team member, priority or event of an area, then its field): its
    words are the default's too where RECORD's translation leaves that field out."""
    if not ctx.lang:
        return ""
    if isinstance(record, bool):
        translated = record
    elif isinstance(record, (Area, NewsItem, Page)):
        translated = ctx.site.translated(record, ctx.lang) and not (
            path and _fell_back(field_path(record, path), ctx.site.fallbacks(record, ctx.lang)))
    else:
        translated = bool(getattr(record, "translated", True)) and not (
            path and _fell_back(field_path(record, path), getattr(record, "fallbacks", frozenset())))
    return "" if translated else ctx.site.config.languages[0].code


def field_path(record: object, path: Sequence[object]) -> str:
    """The dotted path (as Site.fallbacks gives) of the field PATH names in RECORD: names as
    they are ('summary'), an area's team member, priority or event as its place in the area's
    list or its id ('team.2', 'priorities.0', 'events.<id>').  ValueError if RECORD has no such item."""
    parts = []
    for part in path:
        if isinstance(part, Event) and isinstance(record, Area):
            parts += ["events", part.uid[len(record.slug) + 1:].rpartition("@")[0]]
        elif isinstance(part, (TeamMember, Priority)) and isinstance(record, Area):
            items: Sequence[object] = record.team if isinstance(part, TeamMember) else record.priorities
            name = "team" if isinstance(part, TeamMember) else "priorities"
            index = next((i for i, item in enumerate(items) if item is part), None)
            parts += [name, str(items.index(part) if index is None else index)]
        else:
            parts.append(str(part))
    return ".".join(parts)


def _fell_back(path: str, fallbacks: frozenset[str]) -> bool:
    """Whether PATH, or a path holding it ('team.2' holds 'team.2.bio'), is among FALLBACKS."""
    parts = path.split(".")
    return any(".".join(parts[:end]) in fallbacks for end in range(1, len(parts) + 1))


def marked(ctx: RenderContext, text: str, record: object, *path: object) -> Markup | str:
    """TEXT, words of RECORD (its field PATH, if given: 'name'), inside <span lang="en"> where
    CTX's language shows them in the default language (written_lang), as render.as_written does
    in a template; else TEXT itself (a str: escaped where it is put), so a one-language site's
    pages are unchanged."""
    tag = written_lang(ctx, record, *path)
    return Markup('<span lang="{}">{}</span>').format(tag, text) if tag else text


def name_written(ctx: RenderContext, area: Area) -> bool:
    """Whether AREA's name is in CTX's language: the area is translated and its translation
    gives a name (the same words or not), so lists, maps and the finder do not mark it."""
    return not written_lang(ctx, area, "name")


def marked_in(message: str, **names: Markup | str) -> Markup | str:
    """MESSAGE (translated, with %(name)s placeholders) filled with NAMES, some of them
    `marked`: Markup when any is, else the plain str, as `message % names` gives it."""
    if not any(isinstance(value, Markup) for value in names.values()):
        return message % names
    return Markup.escape(message) % names


def _area_crumbs(site: Site, area) -> list:
    crumbs = [(gettext("Home"), "/")]
    borough = site.borough_of(area)
    if borough:
        crumbs.append((borough.name, borough.url))
    return crumbs


def _named_crumbs(ctx: RenderContext, area) -> list:
    """The breadcrumbs of a page under AREA's own: up to the area, by its full name (marked
    where AREA is not translated into CTX's language)."""
    return _area_crumbs(ctx.site, area) + [(marked(ctx, ctx.site.full_name(area), area, "name"), area.url)]


class Listed(NamedTuple):
    """An area as the home and borough pages list it: name, address and places.

    Those pages (and a site's own versions of their templates) are given only
    this, so that editing a ward's news, team or meetings leaves them as they
    are: their input hashes cover these fields (listing_units)."""

    slug: str
    name: str
    borough: str
    places: tuple[str, ...] = ()
    # whether the page's language has the area's own words (its name marked if not: `area | lang_of`)
    translated: bool = True

    @property
    def url(self) -> str:
        """Site path of the area's page."""
        return f"/areas/{self.slug}/"

    def __getattr__(self, name: str):
        _not_listed(name)


class ListedBorough(NamedTuple):
    """A borough as the home and borough pages show it: its name and its wards, listed."""

    slug: str
    name: str
    url: str
    areas: tuple[Listed, ...]

    def __getattr__(self, name: str):
        _not_listed(name)


def _not_listed(name: str):
    """A template asked a listed area or borough for NAME, which it does not have:
    an error that says so, rather than an empty value."""
    if name.startswith("__"):
        raise AttributeError(name)
    raise jinja2.UndefinedError(
        f"'{name}' is not given to the home and borough pages, which list each area's slug, name, borough,"
        " places and url only (so editing a ward does not rebuild them); show more on the area's own page")


def _listed(ctx: RenderContext, areas) -> tuple[Listed, ...]:
    return tuple(Listed(a.slug, *listing(a), name_written(ctx, a)) for a in areas)


def _listed_borough(ctx: RenderContext, borough) -> ListedBorough:
    return ListedBorough(borough.slug, borough.name, borough.url, _listed(ctx, borough.areas))


def render_home(ctx: RenderContext, key: str) -> bytes:
    """The home page: find your area, report, services."""
    site = ctx.site
    others = _listed(ctx, (a for a in site.areas if not a.borough))
    return page_html(ctx, "home.html", "/", site.config.name, [], partly=_site_words_left_out(ctx),
                     boroughs=tuple(_listed_borough(ctx, b) for b in site.boroughs),
                     other_areas=others, area_count=len(site.areas), locate_index=index_url(site),
                     area_map=_home_map(ctx))


def _site_words_left_out(ctx: RenderContext) -> bool:
    """Whether the home page shows site.yaml's words (the site's name and description, the report
    and service links) in the default language for want of site.<code>.yaml's: its notice says
    parts are not translated.  A ward's name in the lists is a name, marked without a notice."""
    config = ctx.site.config
    if not ctx.lang:
        return False
    shown = ("name", "description", "report_actions", "services")
    if not config.translated:
        return any(getattr(config, key) for key in shown)
    return any(path.split(".")[0] in shown for path in config.fallbacks)


def render_borough(ctx: RenderContext, key: str) -> bytes:
    """A borough's page: its wards."""
    borough = next(b for b in ctx.site.boroughs if b.slug == key)
    named = {"name": borough.name}
    area_map = _links_map(gettext("Map of the wards of %(name)s") % named, _outlines(ctx, borough.areas))
    description = gettext("Find the neighbourhood policing team for your ward in %(name)s.") % named
    return page_html(ctx, "borough.html", borough.url, gettext("Police in %(name)s") % named,
                     [(gettext("Home"), "/")], borough=_listed_borough(ctx, borough), area_map=area_map,
                     description=description)


class LinksMap(NamedTuple):
    """A map whose areas are links (partials/links_map.html): its title, viewBox and
    each area's (url, name, SVG path data, lang: the default's tag where the name is shown
    untranslated, else ''); `caption`, the title with such words marked (Markup), if any:
    an attribute or an SVG <title> cannot mark a part of a sentence, the caption can."""

    title: str
    view_box: str
    links: tuple[tuple[str, str, str, str], ...]
    caption: Markup | str = ""


Shape = tuple[str, str, "tuple[Polygon, ...] | None", str]   # url, name, polygons, lang


def _links_map(title: str, shapes: Sequence[Shape], caption: Markup | str = "") -> LinksMap | None:
    """A LinksMap titled TITLE (CAPTION: the same with marked words) of SHAPES (url, name,
    polygons, lang), those without polygons left out; None when none has any."""
    drawn = [(url, name, polygons, lang) for url, name, polygons, lang in shapes if polygons]
    if not drawn:
        return None
    drawing = draw_areas([(url, polygons) for url, _, polygons, _ in drawn])
    return LinksMap(title, drawing.view_box,
                    tuple((url, name, path, lang)
                          for (url, name, _, lang), (_, path) in zip(drawn, drawing.paths, strict=True)
                          if path), caption if isinstance(caption, Markup) else "")


def _home_map(ctx: RenderContext) -> LinksMap | None:
    """The home page's map: the boroughs (each the union of its wards) once there are
    several, else every area."""
    site = ctx.site
    many = len(site.boroughs) > 1
    message = gettext("Map of the boroughs of %(name)s") if many else gettext("Map of the wards of %(name)s")
    title = message % {"name": site.config.name}
    caption = marked_in(message, name=marked(ctx, site.config.name, site.config, "name"))
    if many:
        return _links_map(title, [(b.url, b.name, merged([a.boundary.polygons for a in b.areas if a.boundary])
                                   if any(a.boundary for a in b.areas) else None, "") for b in site.boroughs],
                          caption)
    return _links_map(title, _outlines(ctx, site.areas), caption)


def _outlines(ctx: RenderContext, areas: Sequence[Area]) -> list[Shape]:
    """(url, name, polygons or None, lang) of each of AREAS, for a map whose areas are links."""
    return [(a.url, a.name, a.boundary.polygons if a.boundary else None, written_lang(ctx, a, "name"))
            for a in areas]


def render_area(ctx: RenderContext, key: str) -> bytes:
    """A ward page."""
    site = ctx.site
    area = site.area(key)
    message = gettext("%(name)s neighbourhood police")
    title = message % {"name": site.full_name(area)}
    return page_html(ctx, "area.html", area.url, title, _area_crumbs(site, area),
                     title_html=marked_in(message, name=marked(ctx, site.full_name(area), area, "name")),
                     area=area, events=area.upcoming_events(site.build_date),
                     neighbours=_neighbours(ctx, key),
                     feeds=_latest_posts(site, area),
                     translated=is_translated(ctx, area), partly=_area_partly(ctx, area),
                     description=area.summary or gettext("Your neighbourhood police team in %(name)s.") % {
                         "name": area.name},
                     description_lang=written_lang(ctx, area, "summary") if area.summary else "")


def _latest_posts(site: Site, area: Area) -> list[FeedView]:
    """feeds.view.latest_posts of AREA: none for an area without a feed (most), whose page
    then needs no feed views (feeds.view, imported only for one that has: 1.6 ms)."""
    if not any(link.feed for link in area.social):
        return []
    from ..feeds.view import latest_posts
    return latest_posts(site.config, area, site.build_date)


def _neighbours(ctx: RenderContext, key: str) -> tuple[Listed, ...]:
    """The areas whose boundaries touch the area KEY's, as its page lists them in CTX's language:
    each by its name there, or (`translated` False: the template marks it) by the default's where
    that language has not its name (the view names it '': Site.in_language)."""
    shown = ctx.site.neighbours.get(key, ())
    default = dict(ctx.site.in_language(ctx.site.default_language).neighbours.get(key, ()))
    return tuple(Listed(slug, name or default.get(slug, ""), "", translated=bool(name))
                 for slug, name in shown)


def render_news_index(ctx: RenderContext, key: str) -> bytes:
    """All news of one ward."""
    site = ctx.site
    area = site.area(key)
    message = gettext("News from %(name)s")
    title = message % {"name": site.full_name(area)}
    return page_html(ctx, "news_index.html", f"{area.url}news/", title,
                     _named_crumbs(ctx, area), area=area, full_name=site.full_name(area),
                     title_html=marked_in(message, name=marked(ctx, site.full_name(area), area, "name")),
                     translated=all(is_translated(ctx, n) for n in area.news),
                     partly=any(partly_translated(ctx, n, ("title", "summary")) for n in area.news))


def render_news(ctx: RenderContext, key: str) -> bytes:
    """One ward news page."""
    site = ctx.site
    area_slug, slug = key.split("/")
    area = site.area(area_slug)
    item = next(n for n in area.news if n.slug == slug)
    crumbs = _named_crumbs(ctx, area) + [(gettext("News"), f"{area.url}news/")]
    return page_html(ctx, "news.html", item.url, item.title, crumbs, area=area,
                     title_html=marked(ctx, item.title, item, "title"),
                     full_name=site.full_name(area), item=item,
                     body_html=ctx.body_html(body_source(ctx, item)), description=item.summary,
                     description_lang=written_lang(ctx, item, "summary"),
                     translated=is_translated(ctx, item), partly=partly_translated(ctx, item))


def render_page(ctx: RenderContext, key: str) -> bytes:
    """A site page from content/pages/."""
    page = ctx.site.page(key)
    if page is None:
        raise KeyError(key)
    template = "404.html" if key == "404" else "page.html"
    return page_html(ctx, template, page.url, page.title, [(gettext("Home"), "/")], content=page,
                     title_html=marked(ctx, page.title, page, "title"),
                     body_html=ctx.body_html(body_source(ctx, page)), description=page.summary,
                     description_lang=written_lang(ctx, page, "summary"),
                     translated=is_translated(ctx, page), partly=partly_translated(ctx, page))


def _area_partly(ctx: RenderContext, area: Area) -> bool:
    """Whether the ward page of AREA shows words its translation leaves out: its own (but its
    places, which it does not show, and events past), or the title or summary of a story it lists."""
    upcoming = [field_path(area, [event]) for event in area.upcoming_events(ctx.site.build_date)]
    return partly_translated(ctx, area, ("name", "summary", "description", "team", "priorities", "contact",
                                         *upcoming)) or any(
        partly_translated(ctx, item, ("title", "summary")) for item in area.news[:3])


def body_source(ctx: RenderContext, record: NewsItem | Page) -> str:
    """The file whose body RECORD's page shows: its own, or its original's when its translation
    leaves the body out (empty)."""
    if ctx.lang and "body" in ctx.site.fallbacks(record, ctx.lang):
        return original_path(record.source, (ctx.lang,))
    return record.source


def render_not_found(ctx: RenderContext, key: str) -> bytes:
    """The built-in 'page not found' page, used when the site has no 404.md."""
    return page_html(ctx, "404.html", "/404.html", gettext("Page not found"), [(gettext("Home"), "/")],
                     content=None)
