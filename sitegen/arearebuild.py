"""Rebuilding after changes that stay inside a few area folders, without
reading the rest of the site.

Most changes between builds are to one ward: a news story, the team, a
meeting; or, overnight, a ward's cached feeds and the date.  When nothing else
changed (site.yaml, templates, forms, site pages, media, assets, sitegen) and
no changed area gained or lost a page, or changed its name or borough, every
other output is exactly as the last build left it: the home and borough pages
show only names and addresses, and every link still has the same targets.
Such a rebuild reads only the changed areas, checks them against the last
build's addresses, and renders only their outputs.  Anything else, and any
problem found, goes to the full rebuild (sitegen/build.py), which gives the
same files, hashes and messages.  (One thing it leaves to the others: a file
deleted from build/ by hand.  The next build with nothing to do, or the next
full rebuild, notices and makes it again; checking 16,000 files here would cost
as much as the rest of this rebuild.)

    scan ──► only areas changed? ──► load them ──► same pages, names, boroughs? ──► render theirs ──► move in
                    │ no                                  │ no, or a problem
                    └─────────────────────────────────────┴──► None: the caller builds in full
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from . import incremental as inc
from .areacache import AreaStore
from .assets import collect_assets
from .config import SiteConfig, load_config
from .content import slugify
from .content.arealoader import AreaLoad, load_area_folder
from .content.areas import AREAS_DIR
from .content.context import LoadContext, load_context
from .content.markup import MarkdownRenderer
from .feeds.checks import area_feed_problems
from .links import link_problems
from .model import Area, Borough, Site
from .outputs import Output, RenderContext, area_outputs
from .render import TEMPLATE_CACHE, make_environment
from .writeout import update_outputs

# Past this many changed areas the full rebuild, which loads in parallel, is as quick.
MOST_AREAS = 64


def rebuild_areas(found: inc.Scan, root: Path, out_dir: Path, build_date: date,
                  state_dir: Path) -> inc.BuildResult | None:
    """Rebuild OUT_DIR if only some areas changed since the build FOUND was
    scanned against; None (having written nothing) if the full rebuild must."""
    state = found.state
    if not state.outputs or state.code != found.code or found.hasher.links_out or found.hasher.bad_names \
            or not _only_areas_changed(found):
        return None   # (a link out of the site, or a bad file name: the full build names it)
    feeds = found.last_feeds(root)
    touched = _touched(found, feeds, build_date)
    if not touched or len(touched) > MOST_AREAS:
        return None
    config = load_config(root)
    cache = AreaStore(state_dir, found.code, found.units)
    loads = _load(load_context(root, config), cache, touched)
    outputs = _same_shape(state, loads, config.feeds.allow_private_hosts)
    if outputs is None:
        return None
    # _same_shape gave outputs, so every load has its area.
    areas = {slug: load.area for slug, load in loads.items() if load.area is not None}
    rendered = _render(found, config, areas, outputs, feeds,
                       build_date, out_dir, state_dir)
    cache.save_fresh()
    return inc.BuildResult(state.pages, len(state.outputs), rendered, out_dir)


def _render(found: inc.Scan, config: SiteConfig, areas: dict[str, Area], outputs: list[Output],
            feeds: dict[str, str], build_date: date, out_dir: Path, state_dir: Path) -> int:
    """Render those of OUTPUTS (all of AREAS) whose inputs changed, move them
    in and save the state; the number rendered."""
    state, root = found.state, config.root
    area_feeds = {slug: inc.feed_urls(area) for slug, area in areas.items()}
    units = {**found.units, **feeds, **inc.feed_units(area_feeds, root / config.feeds.cache_dir, found.hasher)}
    env = make_environment(root, state_dir / TEMPLATE_CACHE)
    hashes = inc.InputHashes(state.frame, {**state.hash_units, **units}, inc.TemplateHashes(env, state.templates),
                             build_date, lambda slug: inc.dated_facts(areas[slug]))
    wanted = {o.path: hashes(o) for o in outputs}
    todo = [o for o in outputs if state.outputs.get(o.path) != wanted[o.path]]
    ctx = RenderContext(site=_partial_site(config, build_date, areas), env=env, assets=collect_assets(config),
                        markdown=MarkdownRenderer(config.markdown), frame=state.page_frame)
    update_outputs(ctx, todo, set(), set(), out_dir, state_dir, jobs=1)
    state = replace(state, stamps=found.hasher.stamps, folders=found.hasher.folders, build_date=build_date,
                    units=units, hash_units={**state.hash_units, **units}, outputs={**state.outputs, **wanted},
                    feeds={**state.feeds, **area_feeds},
                    dated={**state.dated, **{slug: inc.dated_facts(area) for slug, area in areas.items()}},
                    templates=hashes.templates.memo)
    inc.save_state(state_dir, state)
    return len(todo)


def _only_areas_changed(found: inc.Scan) -> bool:
    """Whether the sources differ from the last build's in area folders only,
    with the same areas as then."""
    old = {k: v for k, v in found.state.units.items() if not k.startswith("feeds:")}
    if old.keys() != found.units.keys():
        return False
    return all(k.startswith("area:") or k == "areas" for k, v in found.units.items() if old[k] != v)


def _touched(found: inc.Scan, feeds: dict[str, str], build_date: date) -> set[str]:
    """Slugs of the areas whose outputs may change: files, cached feeds or what the date does to them."""
    state = found.state
    touched = {k[len("area:"):] for k, v in found.units.items() if k.startswith("area:") and state.units[k] != v}
    touched |= {k[len("feeds:"):] for k, v in feeds.items() if state.units.get(k) != v}
    return touched | inc.dated_changes(state, build_date)


def _load(ctx: LoadContext, cache: AreaStore, slugs: set[str]) -> dict[str, AreaLoad]:
    """The areas SLUGS: from the cache if their files are unchanged, else read afresh."""
    loads = {}
    for slug in sorted(slugs):
        load = cache.get(slug)
        if load is None:
            load = load_area_folder(ctx, ctx.root / AREAS_DIR / slug)
            cache.put(load)
        loads[slug] = load
    return loads


def _same_shape(state: inc.BuildState, loads: dict[str, AreaLoad], allow_private: bool) -> list[Output] | None:
    """The outputs of the areas LOADS, if they have no problems and the same
    pages, names and boroughs as in the last build (so no other output can
    change); else None."""
    built = _BuiltUrls(state)
    old_paths = _paths_by_area(state.outputs, loads.keys())
    outputs = []
    for slug, load in loads.items():
        area = load.area
        if area is None or load.problems or link_problems(load.links, built) \
                or area_feed_problems(area, allow_private) or state.listings.get(slug) != inc.listing(area):
            return None
        own = area_outputs(area)
        if {o.path for o in own} != old_paths.get(slug, set()):
            return None
        outputs += own
    return outputs


def _paths_by_area(outputs: dict[str, str], slugs) -> dict[str, set[str]]:
    """The build paths under areas/SLUG/ for each of SLUGS."""
    wanted = set(slugs)
    found: dict[str, set[str]] = {}
    for path in outputs:
        if path.startswith("areas/"):
            slug = path.split("/", 2)[1]
            if slug in wanted:
                found.setdefault(slug, set()).add(path)
    return found


class _BuiltUrls:
    """The site paths a link may lead to, as the full build's link check has
    them: each rendered output's address (the inverse of Output.url:
    '/areas/abbey/' for areas/abbey/index.html) and each media file's path;
    not the assets."""

    def __init__(self, state: inc.BuildState):
        self.outputs, self.assets, self.media = state.outputs, state.asset_paths, state.media_paths

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


def _partial_site(config: SiteConfig, build_date: date, areas: dict[str, Area]) -> Site:
    """A site holding only AREAS, with what their pages show of their boroughs."""
    names = sorted({a.borough for a in areas.values() if a.borough})
    return Site(config=config, build_date=build_date, areas=tuple(areas[s] for s in sorted(areas)),
                boroughs=tuple(Borough(slugify(name), name, ()) for name in names), pages=())
