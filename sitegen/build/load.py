"""Loading and checking what a selection names: the whole site, or only some
areas with the rest as the last build left it.

For a few areas, each is read (from the area cache if its files are
unchanged) and checked as the whole build would check it: its own problems,
its links against the addresses the last build made, its feeds.  If one of
them has a problem, or gained or lost a page, or changed its name, borough,
places or boundary (what other pages show of it), nothing else can be known
unchanged: load() gives None and the pipeline reads the whole site instead,
which reports every problem in the same words.
"""
from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path

from ..assets import Asset, collect_assets
from ..config import SiteConfig, load_config
from ..content import slugify
from ..content.arealoader import AreaLoad, load_area_folder
from ..content.areas import AREAS_DIR
from ..content.context import LoadContext, load_context, loading_shape
from ..content.markup import MarkdownRenderer
from ..content.yamlmemo import remembering
from ..feeds.checks import area_feed_problems
from ..links import link_problems
from ..maps import boundary_digest
from ..model import Area, Borough, Site, shared_names
from ..outputs.base import Output, RenderContext
from ..outputs.catalogue import area_outputs
from ..outputs.pages import frame_values, listings
from ..render import TEMPLATE_CACHE, make_environment
from .areacache import AreaStore
from .facts import SiteFacts, area_facts, feed_urls
from .report import Selection
from .select import Scan
from .sitememo import keep_site_memo, read_site_memo
from .sources import feed_units
from .state import BuildState
from .units import Unit


@dataclass
class Loaded:
    """What a build read: CTX (ctx.site is the whole site, or only the selected
    areas; ctx.outputs the outputs of what was read), the site's FACTS (fresh
    for what was read, the last build's for the rest), the FEEDS units of the
    areas read, and the area CACHE to save."""

    selection: Selection
    ctx: RenderContext
    facts: SiteFacts
    feeds: dict[Unit, str]
    cache: AreaStore


def load(found: Scan, selection: Selection, root: Path, build_date: date, state_dir: Path,
         jobs: int) -> Loaded | None:
    """Load and check SELECTION of the site at ROOT; raise SitegenError with every
    problem (whole site), or None if a narrow selection reaches other pages."""
    config = _load_config(root, state_dir, found)
    cache = AreaStore(state_dir, found.code, found.sources, loading_shape(config), read=not found.state.empty)
    env = make_environment(root, state_dir / TEMPLATE_CACHE)
    if selection.areas is None:
        # Only here: a narrow build checks its areas alone, without the whole site's
        # checks and the forms machinery they read (40 ms of imports).
        from .checks import load_and_check
        site, outputs = load_and_check(root, build_date, cache, jobs, env, config)
        frame = frame_values(site)
        assets = collect_assets(site.config)
        facts = _whole_facts(site, outputs, frame, assets)
    else:
        loads = _load_areas(load_context(root, config), cache, selection.areas)
        narrow = _narrow_outputs(found.state, loads, config)
        if narrow is None:
            return None
        areas, outputs = narrow
        frame = found.state.site.page_frame
        assets = collect_assets(config)
        last = found.state.site
        facts = replace(last, areas={**last.areas, **{a.slug: area_facts(a) for a in areas}})
        site = _partial_site(config, build_date, areas, shared_names(f.name for f in facts.areas.values()))
        # Which of their texts are translated: the pages in other languages say so (Site.translated).
        translated = frozenset(path for slug in selection.areas for path in loads[slug].translation_files)
        site = replace(site, neighbours=_last_neighbours(facts.neighbours, areas),
                       neighbours_in={code: _last_neighbours(named, areas)
                                      for code, named in facts.neighbours_in.items()},
                       translation_files=translated)
    # What a link in a page's body may lead to (a narrow build plans only its areas' outputs).
    known = BuiltUrls(found.state).__contains__ if selection.areas is not None else \
        frozenset(o.url for o in outputs).__contains__
    ctx = RenderContext(site=site, env=env, assets=assets, frame=frame,
                        markdown=MarkdownRenderer(site.config.markdown), outputs=outputs, known=known)
    feeds = feed_units({a.slug: feed_urls(a) for a in site.areas}, Path(facts.feed_cache), found.hasher)
    return Loaded(selection, ctx, facts, feeds, cache)


def _load_config(root: Path, state_dir: Path, found: Scan) -> SiteConfig:
    """The settings of the site at ROOT, parsed afresh only where their files changed."""
    memo = read_site_memo(state_dir, found.code, read=not found.state.empty)
    with remembering(memo):
        config = load_config(root)
    keep_site_memo(state_dir, found.code, memo)
    return config


def _whole_facts(site: Site, outputs: list[Output], frame: dict[str, str],
                 assets: dict[str, Asset]) -> SiteFacts:
    """The facts of the whole SITE, whose outputs are OUTPUTS and whose assets ASSETS."""
    config = site.config
    return SiteFacts(areas={a.slug: area_facts(a) for a in site.areas}, page_frame=frame,
                     asset_paths=frozenset(a.path for a in assets.values()),
                     media_paths=frozenset(url.lstrip("/") for url in site.media),
                     feed_cache=str(config.root / config.feeds.cache_dir),
                     pages=sum(1 for o in outputs if o.path.endswith(".html")),
                     neighbours=site.neighbours,
                     neighbours_in={code: site.in_language(code).neighbours for code in site.languages[1:]})


def _last_neighbours(named: dict[str, tuple[tuple[str, str], ...]],
                     areas: list[Area]) -> dict[str, tuple[tuple[str, str], ...]]:
    """The neighbours of AREAS as the last build found and NAMED them (in one language): a
    narrow build reads no other boundary, and widens when a name or one of AREAS' boundaries
    changed."""
    return {a.slug: named.get(a.slug, ()) for a in areas}


def _load_areas(ctx: LoadContext, cache: AreaStore, slugs: frozenset[str]) -> dict[str, AreaLoad]:
    """The areas SLUGS: from the cache if their files are unchanged, else read afresh."""
    loads = {}
    for slug in sorted(slugs):
        load = cache.get(slug)
        if load is None:
            load = load_area_folder(ctx, ctx.root / AREAS_DIR / slug, cache.parsed(slug))
            cache.put(load)
        loads[slug] = load
    return loads


def _narrow_outputs(state: BuildState, loads: dict[str, AreaLoad],
                    config: SiteConfig) -> tuple[list[Area], list[Output]] | None:
    """The areas LOADS and their outputs (in each of CONFIG's languages), if they have no
    problems and the same pages, names and boroughs as in the last build (so no other
    output can change); else None."""
    built = BuiltUrls(state)
    allow_private = config.feeds.allow_private_hosts
    old_paths = _paths_by_area(state.outputs, loads.keys(), [lang.path for lang in config.languages[1:]])
    areas, outputs = [], []
    for slug, load in loads.items():
        area = load.area
        last = state.site.areas[slug]
        if area is None or load.problems or link_problems(load.links, built) \
                or area_feed_problems(area, allow_private) or last.listings != listings(area) \
                or last.boundary != boundary_digest(area.boundary):
            return None
        own = area_outputs(area, config.languages)
        if {o.path for o in own} != old_paths.get(slug, set()):
            return None
        areas.append(area)
        outputs += own
    return areas, sorted(outputs, key=lambda o: o.path)


def _paths_by_area(outputs: dict[str, str], slugs: Iterable[str],
                   languages: Iterable[str] = ()) -> dict[str, set[str]]:
    """The build paths under areas/SLUG/, and under <path>/areas/SLUG/ for the path of
    each of the other LANGUAGES, for each of SLUGS."""
    wanted = set(slugs)
    prefixes = ("areas/", *(f"{lang}/areas/" for lang in languages))
    found: dict[str, set[str]] = {}
    if len(wanted) * len(prefixes) <= FEW_PREFIXES:
        # A one-area edit: each of the site's paths is matched once, in C, against its
        # areas' own folders, rather than split in two (16,000 paths at 2,000 wards).
        own = tuple(f"{prefix}{slug}/" for prefix in prefixes for slug in wanted)
        paths = [path for path in outputs if path.startswith(own)]
    else:
        paths = [path for path in outputs if path.startswith(prefixes)]
    for path in paths:
        parts = path.split("/", 3)
        slug = parts[1] if parts[0] == "areas" else parts[2]
        if slug in wanted:
            found.setdefault(slug, set()).add(path)
    return found


# Up to this many folders, _paths_by_area matches each path against the wanted folders themselves.
FEW_PREFIXES = 16


class BuiltUrls:
    """The site paths a link may lead to, as the whole build's link check has
    them: each rendered output's address (the inverse of Output.url:
    '/areas/abbey/' for areas/abbey/index.html) and each media file's path;
    not the assets."""

    def __init__(self, state: BuildState):
        self.outputs, self.assets, self.media = state.outputs, state.site.asset_paths, state.site.media_paths

    def __contains__(self, url: object) -> bool:
        if not isinstance(url, str) or not url.startswith("/"):
            return False
        path = url[1:]
        if path in self.media:
            return True
        if url.endswith("/"):
            path += "index.html"
        elif path.endswith("index.html"):
            return False
        return path in self.outputs and path not in self.assets and path not in self.media


def _partial_site(config: SiteConfig, build_date: date, areas: list[Area], shared: frozenset[str]) -> Site:
    """A site holding only AREAS, with what their pages show of their boroughs and of
    the other areas (SHARED: the names more than one area of the whole site bears)."""
    names = sorted({a.borough for a in areas if a.borough})
    return Site(config=config, build_date=build_date, areas=tuple(sorted(areas, key=lambda a: a.slug)),
                boroughs=tuple(Borough(slugify(name), name, ()) for name in names), pages=(),
                shared_names=shared)
