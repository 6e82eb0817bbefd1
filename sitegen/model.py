"""The site as data: frozen dataclasses and named tuples, no I/O.

Loaders in `sitegen.content` build these from files; outputs in
`sitegen.outputs` turn them into pages.  Each value that came from a file keeps
`source` (the site-relative path) so later checks can name it.
"""
from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from functools import cached_property
from operator import attrgetter
from typing import TYPE_CHECKING, NamedTuple

if TYPE_CHECKING:  # the model itself needs no config code
    from .config import SiteConfig
    from .errors import Problem
    from .forms.model import FormsBundle
    from .maps import Boundary


class Compact:
    """Base of the slotted model classes: pickled as a tuple of field values,
    which is several times faster than dataclasses' own slot pickling (the
    build state holds tens of thousands of these)."""

    __slots__ = ()

    def __reduce__(self):
        cls = type(self)
        if cls not in _FIELD_GETTERS:
            names: tuple[str, ...] = cls.__slots__
            _FIELD_GETTERS[cls] = attrgetter(*names) if len(names) > 1 else _one_field_getter(names[0])
        return (cls, _FIELD_GETTERS[cls](self))


_FIELD_GETTERS: dict[type, Callable[[object], tuple]] = {}
_Day = date  # the type, for a field itself named 'date'


def _one_field_getter(name: str) -> Callable[[object], tuple]:
    """Like attrgetter(NAME) but giving a 1-tuple, as attrgetter does for several names."""
    return lambda obj: (getattr(obj, name),)


@dataclass(frozen=True, slots=True)
class TeamMember(Compact):
    """A member of a ward's neighbourhood team."""

    name: str
    role: str
    bio: str = ""


@dataclass(frozen=True, slots=True)
class Contact(Compact):
    """How to reach a ward team directly (never for emergencies)."""

    email: str = ""
    phone: str = ""
    address: str = ""


@dataclass(frozen=True, slots=True)
class Priority(Compact):
    """'You said, we did': an issue residents raised and what the team did."""

    issue: str
    date: _Day
    action: str = ""
    action_date: _Day | None = None


@dataclass(frozen=True, slots=True)
class Event(Compact):
    """A ward-panel meeting, street surgery or other event.

    START and END are aware datetimes in Europe/London (their `fold` tells the
    two readings of an hour the clocks go back apart): compare them as
    instants, through UTC.  UID comes from the event's `id:` in the source."""

    uid: str
    title: str
    start: datetime
    end: datetime | None = None
    location: str = ""
    description: str = ""

    def is_upcoming(self, today: date) -> bool:
        """True while the event has not finished by TODAY."""
        return (self.end or self.start).date() >= today

    @staticmethod
    def zone_if_repeated(value: datetime) -> str:
        """'BST' or 'GMT' when VALUE (aware) falls in the hour the clocks go back,
        which a page must name to say which of the two it means; else ''."""
        twin = value.replace(fold=1 - value.fold)
        return (value.tzname() or "") if twin.utcoffset() != value.utcoffset() else ""


@dataclass(frozen=True, slots=True)
class SocialLink(Compact):
    """A ward's account on a social network, with an optional feed to show."""

    network: str
    url: str
    feed: str = ""
    # line, column of 'feed:' in area.yaml, for messages (not part of what the link is)
    feed_at: tuple[int, int] = field(default=(0, 0), compare=False)


class NewsItem(NamedTuple):
    """A ward news page from content/areas/<slug>/news/<name>.md.

    Named tuples (this and Link) for the most numerous records: the build
    cache holds several per ward, and a tuple is several times quicker to make."""

    slug: str
    title: str
    date: date
    summary: str
    source: str
    area_slug: str

    @property
    def url(self) -> str:
        """Site path of the page."""
        return f"/areas/{self.area_slug}/news/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Area(Compact):
    """One ward: its team, contact, priorities, events, social links and news."""

    slug: str
    name: str
    source: str
    borough: str = ""
    code: str = ""
    population: int | None = None
    summary: str = ""
    places: tuple[str, ...] = ()    # place names residents know the ward by (the name filter finds them)
    example: bool = False
    team: tuple[TeamMember, ...] = ()
    contact: Contact = field(default_factory=Contact)
    priorities: tuple[Priority, ...] = ()
    events: tuple[Event, ...] = ()
    social: tuple[SocialLink, ...] = ()
    news: tuple[NewsItem, ...] = ()
    description: str = ""           # paragraphs separated by blank lines (plain text)
    boundary: Boundary | None = None  # from boundary.geojson
    borough_at: tuple[int, int] = (0, 0)   # line, column of 'borough:' in area.yaml, for messages
    # (language code, the area as that language shows it), for each language with an area.<code>.yaml
    # or a translated story: see Site.in_language
    translations: tuple[tuple[str, Area], ...] = field(default=(), compare=False)
    # A version's (see translations) words its translation leaves out, shown in the default language:
    # paths as content.translations.Overlaid.fallbacks ('summary', 'team.2.bio', 'priorities.0.action'
    # in the order of `priorities`, 'events.<id>.description'), and its stories' as 'news.<slug>.title'
    # ('.summary', '.body').  Ask Site.fallbacks.
    fallbacks: frozenset[str] = frozenset()

    @property
    def url(self) -> str:
        """Site path of the ward page."""
        return f"/areas/{self.slug}/"

    def upcoming_events(self, today: date) -> tuple[Event, ...]:
        """Events that have not finished by TODAY, soonest first."""
        return tuple(e for e in self.events if e.is_upcoming(today))


@dataclass(frozen=True, slots=True)
class Borough(Compact):
    """A group of wards (a London borough, a district)."""

    slug: str
    name: str
    areas: tuple[Area, ...]

    @property
    def url(self) -> str:
        """Site path of the borough page."""
        return f"/boroughs/{self.slug}/"


@dataclass(frozen=True, slots=True)
class Page(Compact):
    """A site-wide page from content/pages/<slug>.md (404.md becomes 404.html)."""

    slug: str
    title: str
    summary: str
    source: str
    # (language code, the page as that language shows it: its source is <slug>.<code>.md)
    translations: tuple[tuple[str, Page], ...] = field(default=(), compare=False)
    # A version's words its translation leaves out ('title', 'summary', 'body'): see Site.fallbacks
    fallbacks: frozenset[str] = frozenset()

    @property
    def url(self) -> str:
        """Site path of the page."""
        return "/404.html" if self.slug == "404" else f"/{self.slug}/"


class Link(NamedTuple):
    """A link found in Markdown, kept to check that its target exists."""

    href: str
    source: str
    line: int
    base_url: str
    is_image: bool = False
    col: int = 0   # where the address is written on LINE, from 1; 0 when not found


# What pages other than an area's own show of it: its name, borough and places
# (outputs.pages.listing), and the same in each language it is translated into, by code.
Listing = tuple[str, str, tuple[str, ...]]
Listings = tuple[Listing, tuple[tuple[str, Listing], ...]]


@dataclass(frozen=True)
class Site:
    """Everything a build reads, validated."""

    config: SiteConfig
    build_date: date
    areas: tuple[Area, ...]
    boroughs: tuple[Borough, ...]
    pages: tuple[Page, ...]
    links: tuple[Link, ...] = ()
    media: tuple[str, ...] = ()
    forms: FormsBundle | None = None   # the forms and the triage tree
    shared_names: frozenset[str] = frozenset()   # casefolded area names more than one area bears
    # slug -> (slug, name) of each area whose boundary touches its own (outputs.pages.named_neighbours)
    neighbours: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # code -> the neighbours as that language names them, given only to a build's partial site
    # (the last build's: it has not the other areas' names); in_language names them otherwise ('' where
    # that language has not an area's name)
    neighbours_in: dict[str, dict[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)
    # site paths of the content translations read (area.cy.yaml, news/x.cy.md, pages/about.cy.md)
    translation_files: frozenset[str] = frozenset()
    # what loading and checking found to tell but not to stop for (build.checks.load_and_check)
    warnings: tuple[Problem, ...] = field(default=(), compare=False)

    @property
    def languages(self) -> tuple[str, ...]:
        """The codes of the site's languages, the default first ('en-GB' alone on a one-language site)."""
        languages = getattr(self.config, "languages", ())
        found = tuple(getattr(language, "code", language) for language in languages)
        return found or (self.config.language,)

    @property
    def default_language(self) -> str:
        """The code of the site's default language, in which every original is written."""
        return self.languages[0]

    def in_language(self, code: str) -> Site:
        """The site as the pages of the language CODE show it: areas (with their news), pages,
        forms and site.yaml's texts translated where a translation exists, the original
        elsewhere.  Addresses, ids, dates and everything else shared stay as they are, so a
        record keeps its `url`; a translated story or page has its translation as `source`
        (RenderContext.body_html reads the translated body through it).  The default language
        gives the site itself; a view asked for another language gives that language's view.
        Built once per language and kept.  Ask `translated` whether a record is translated."""
        base: Site = self.__dict__.get("_base", self)
        if code == base.default_language:
            return base
        if code not in base._views:
            base._views[code] = base._view(code)
        return base._views[code]

    def translated(self, record: Area | NewsItem | Page, code: str) -> bool:
        """Whether RECORD (an area, a news story or a page, from this site or any language's view
        of it) has its own words in the language CODE: always True in the default language.
        False means its pages in CODE show it in the default language, and must say so
        (partials/translation_notice.html) and mark the block with the default's `lang`.
        An area counts as translated when it has an area.<code>.yaml (its stories are asked
        one by one).  Works as well on a build's partial site (only some areas loaded)."""
        if code == self.default_language or original_path(record.source, (code,)) != record.source:
            return True   # a translation's source is its own file (area.cy.yaml, story.cy.md)
        version = self._version(record, code)
        return version is not None and version.source != record.source

    def fallbacks(self, record: Area | NewsItem | Page, code: str) -> frozenset[str]:
        """The paths of RECORD's words that its translation into CODE leaves out, so that its pages
        in CODE show the default language's words there ('summary', 'team.2.bio', 'events.<id>.title';
        a story's or page's 'title', 'summary', 'body'): see Area.fallbacks.  Empty in the default
        language, for a record translated in full, and for one not translated at all (`translated`
        is False: all its words are the default's).  RECORD may be an original or a version."""
        if code == self.default_language:
            return frozenset()
        if isinstance(record, NewsItem):
            base: Site = self.__dict__.get("_base", self)
            area = base._areas_by_slug.get(record.area_slug)
            version = dict(area.translations).get(code) if area is not None else None
            prefix = f"news.{record.slug}."
            return frozenset(path.removeprefix(prefix) for path in (version.fallbacks if version else ())
                             if path.startswith(prefix))
        is_version = original_path(record.source, (code,)) != record.source
        found = record if is_version else self._version(record, code)
        if not isinstance(found, (Area, Page)):
            return frozenset()
        return frozenset(path for path in found.fallbacks if not path.startswith("news."))

    def _version(self, record: Area | NewsItem | Page, code: str) -> Area | NewsItem | Page | None:
        """RECORD (an original) as the language CODE shows it, if it has a version in CODE."""
        if isinstance(record, Area):
            return dict(record.translations).get(code)
        if isinstance(record, Page):
            return dict(record.translations).get(code)
        base: Site = self.__dict__.get("_base", self)
        area = base._areas_by_slug.get(record.area_slug)
        version = dict(area.translations).get(code) if area is not None else None
        return next((item for item in version.news if item.slug == record.slug), None) if version else None

    @cached_property
    def _views(self) -> dict[str, Site]:
        return {}

    def _view(self, code: str) -> Site:
        """The site in the language CODE (not the default), made afresh."""
        areas = tuple(dict(area.translations).get(code, area) for area in self.areas)
        by_slug = {area.slug: area for area in areas}
        boroughs = tuple(replace(borough, areas=tuple(sorted((by_slug[a.slug] for a in borough.areas),
                                                             key=lambda a: a.name)))
                         for borough in self.boroughs)
        pages = tuple(dict(page.translations).get(code, page) for page in self.pages)
        # Config and forms translate themselves, when they can (sitegen/config.py, sitegen/forms).
        config_in = getattr(self.config, "in_language", None)
        forms_in = getattr(self.forms, "in_language", None)
        config = config_in(code) if config_in else self.config
        forms = forms_in(code) if forms_in else self.forms
        # A translated name is shared if the original's is, or if two translated names are the same.
        shared = self.shared_names | shared_names(area.name for area in areas) | {
            version.name.casefold() for original, version in zip(self.areas, areas, strict=True)
            if original.name.casefold() in self.shared_names}
        view = replace(self, config=config, areas=areas, boroughs=boroughs, pages=pages, forms=forms,
                       shared_names=frozenset(shared))
        neighbours = self.neighbours_in.get(code)
        if neighbours is None:
            # '' for an area whose name CODE has not (untranslated, or its translation leaves the name
            # out): its neighbours' pages show the default's name, marked (outputs.pages.render_area)
            names = {area.slug: view.full_name(area) if self.translated(original, code)
                     and "name" not in self.fallbacks(original, code) else ""
                     for original, area in zip(self.areas, areas, strict=True)}
            neighbours = {slug: tuple((other, names.get(other, name)) for other, name in pairs)
                          for slug, pairs in self.neighbours.items()}
        object.__setattr__(view, "neighbours", neighbours)
        object.__setattr__(view, "_base", self)   # a frozen dataclass; the view's way back to the site
        return view

    def full_name(self, area: Area) -> str:
        """AREA's name as titles show it: with its borough when another area of the
        site bears the same name ('Abbey, Barking and Dagenham'), else its name alone."""
        if area.borough and area.name.casefold() in self.shared_names:
            return f"{area.name}, {area.borough}"
        return area.name

    def page(self, slug: str) -> Page | None:
        """The site page with SLUG, if there is one."""
        return next((p for p in self.pages if p.slug == slug), None)

    def area(self, slug: str) -> Area:
        """The area with SLUG."""
        return self._areas_by_slug[slug]

    def borough_of(self, area: Area) -> Borough | None:
        """The borough AREA belongs to, if any."""
        return self._boroughs_by_name.get(area.borough)

    @cached_property
    def _areas_by_slug(self) -> dict[str, Area]:
        return {a.slug: a for a in self.areas}

    @cached_property
    def _boroughs_by_name(self) -> dict[str, Borough]:
        return {b.name: b for b in self.boroughs}


# name.<code>.<ext>: a translation's file name; the code is a BCP 47 tag (see content/translations.py)
_TRANSLATION_NAME = re.compile(
    r"^(?P<stem>[^/]+)\.(?P<code>[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*)\.(?P<ext>md|yaml)\Z")


def split_name(name: str) -> tuple[str, str] | None:
    """('story.md', 'cy') for the file name 'story.cy.md': its original's name and the
    language code; None when NAME holds no code before its extension ('story.md')."""
    match = _TRANSLATION_NAME.match(name)
    return (f"{match['stem']}.{match['ext']}", match["code"]) if match else None


def translation_path(source: str, code: str) -> str:
    """The site path of SOURCE's translation into CODE:
    'content/pages/about.md', 'cy' -> 'content/pages/about.cy.md'."""
    folder, _, name = source.rpartition("/")
    stem, dot, ext = name.rpartition(".")
    translated = f"{stem}.{code}.{ext}" if dot else f"{name}.{code}"
    return f"{folder}/{translated}" if folder else translated


def original_path(source: str, codes: Iterable[str]) -> str:
    """SOURCE itself, or the original it translates when it is a translation into one of CODES:
    'content/pages/about.cy.md' -> 'content/pages/about.md'."""
    folder, _, name = source.rpartition("/")
    parts = split_name(name)
    if parts is None or parts[1] not in set(codes):
        return source
    return f"{folder}/{parts[0]}" if folder else parts[0]


def shared_names(names: Iterable[str]) -> frozenset[str]:
    """The casefolded NAMES that occur more than once ('Abbey' thrice -> {'abbey'})."""
    counts = Counter(name.casefold() for name in names)
    return frozenset(name for name, count in counts.items() if count > 1)
