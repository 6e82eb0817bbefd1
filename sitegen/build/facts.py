"""What a build keeps of the site for the next one, besides hashes: enough to
rebuild a few areas without reading the rest, and to know which pages the
date changes.

Each area's facts are what other outputs show of it (its listing: name,
borough and places; its boundary's digest, for the location index), what the
build date does to its pages, and the feeds it shows.
"""
from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import date
from typing import TYPE_CHECKING, Any, NamedTuple

if TYPE_CHECKING:
    from ..model import Area, Listing, Listings

# Its events' last days (date.toordinal: the state keeps them as they are, and reads no dates
# back); whether it shows the date itself.
DatedFacts = tuple[tuple[int, ...], bool]


class AreaFacts(NamedTuple):
    """What the build keeps of one area."""

    name: str
    borough: str
    dated: DatedFacts
    feeds: tuple[str, ...]   # the URLs of the feeds it shows
    places: tuple[str, ...] = ()   # the place names the name filter finds it by
    boundary: str = ""             # maps.boundary_digest: its outline, which the maps and location index show
    # (code, its listing) per language translated into, its name '' where that one leaves it out
    # (outputs.pages.listings): whether other pages mark the name is part of what is compared
    translations: tuple[tuple[str, Listing], ...] = ()

    @property
    def listings(self) -> Listings:
        """What pages other than the area's own show of it in every language (outputs.pages.listings)."""
        return (self.name, self.borough, self.places), self.translations


def area_facts(area: Area) -> AreaFacts:
    """The facts of AREA."""
    from ..maps import boundary_digest  # not at the top: a build with nothing to do never needs maps.py
    from ..outputs.pages import listings
    return AreaFacts(area.name, area.borough, dated_facts(area), feed_urls(area), area.places,
                     boundary_digest(area.boundary), listings(area)[1])


def feed_urls(area: Area) -> tuple[str, ...]:
    """The feeds AREA shows."""
    return tuple(s.feed for s in area.social if s.feed)


def dated_facts(area: Area) -> DatedFacts:
    """What of AREA depends on the build date: its events' last days, and whether it
    shows the date itself (feeds' freshness; a news feed with no entries is dated the build date)."""
    last_days = tuple((e.end or e.start).date().toordinal() for e in area.events)
    return (last_days, any(s.feed for s in area.social) or not area.news)


def date_signature(facts: DatedFacts, today: date) -> str:
    """How TODAY changes a page: which events are still to come, and (for feeds) the date itself."""
    days, has_feeds = facts
    day = today.toordinal()
    return repr((tuple(last >= day for last in days), today if has_feeds else None))


@dataclass
class SiteFacts:
    """What the build keeps of the whole site."""

    areas: dict[str, AreaFacts] = field(default_factory=dict)
    page_frame: dict[str, str] = field(default_factory=dict)   # outputs.pages.frame_values
    asset_paths: frozenset[str] = frozenset()                   # outputs that are assets, not link targets
    media_paths: frozenset[str] = frozenset()                   # outputs copied from content/media
    feed_cache: str = ""                                        # the feed cache folder read
    pages: int = 0                                              # HTML pages built
    # slug -> (slug, name) of its neighbours, as its page names them (outputs.pages.named_neighbours)
    neighbours: dict[str, tuple[tuple[str, str], ...]] = field(default_factory=dict)
    # code -> the same as each other language names them (Site.neighbours_in)
    neighbours_in: dict[str, dict[str, tuple[tuple[str, str], ...]]] = field(default_factory=dict)

    def feeds(self) -> dict[str, tuple[str, ...]]:
        """Slug -> the feeds each area shows."""
        return {slug: facts.feeds for slug, facts in self.areas.items()}

    def dated_changes(self, since: date | None, today: date) -> set[str]:
        """Slugs of the areas whose pages differ when built on TODAY rather than SINCE
        (every area showing anything dated when SINCE is unknown)."""
        if since == today:
            return set()
        return {slug for slug, facts in self.areas.items()
                if since is None or date_signature(facts.dated, since) != date_signature(facts.dated, today)}


def plain_facts(facts: SiteFacts) -> tuple[object, ...]:
    """FACTS as the build state keeps them (marshal, which knows no named tuple or
    dataclass): its fields in order, each area's facts a plain tuple (plain_area).
    (Pickled, they took 4 ms to write at 2,000 wards; this, a tenth of that.)"""
    areas = {slug: plain_area(facts) for slug, facts in facts.areas.items()}
    return tuple(areas if f.name == "areas" else getattr(facts, f.name) for f in fields(SiteFacts))


def typed_facts(plain: tuple[object, ...]) -> SiteFacts:
    """The SiteFacts that plain_facts gave PLAIN of."""
    values = dict(zip([f.name for f in fields(SiteFacts)], plain, strict=True))
    values["areas"] = typed_areas(values["areas"])  # type: ignore[arg-type]
    return SiteFacts(**values)  # type: ignore[arg-type]


def plain_area(facts: AreaFacts) -> tuple[object, ...]:
    """FACTS as a plain tuple (its fields are plain values and tuples)."""
    return tuple(facts)


def typed_areas(plain: dict[str, tuple[Any, ...]]) -> dict[str, AreaFacts]:
    """The AreaFacts that plain_area gave each value of PLAIN of (slug -> facts).  Made with
    tuple.__new__, a fifth of calling AreaFacts, after checking each has all the fields
    (ValueError if not: facts another sitegen kept)."""
    if any(len(facts) != len(AreaFacts._fields) for facts in plain.values()):
        raise ValueError("area facts of another shape")
    make = tuple.__new__
    return {slug: make(AreaFacts, facts) for slug, facts in plain.items()}
