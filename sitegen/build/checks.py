"""The build, in one screen: load, plan, check, render, write atomically.

    site.yaml + content/ ──► load_site ──► plan ──► check links ──► hash inputs
                         ──► render what changed ──► swap into build/

A build never touches the network (feeds come from their cache) and never reads
the clock (dates come from content or the injected build date), so the same
input always gives the same bytes.  A cold build writes a whole new tree beside
the output and swaps it in; a rebuild renders only outputs whose inputs changed
(sitegen/incremental.py) into a staging folder and moves them in.  When only a
few areas changed, sitegen/arearebuild.py does that without reading the rest of
the site.  Either way, nothing in build/ changes until every output has
rendered: a failed build leaves the previous one exactly as it was.
"""
from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date
from pathlib import Path

import jinja2
import jinja2.nodes

from . import incremental as inc
from .areacache import AreaStore
from .arearebuild import rebuild_areas
from .assets import collect_assets
from .collector import collector_paused
from .content.markup import MarkdownRenderer
from .content.medianames import media_file, media_name_clashes
from .content.site import load_site
from .errors import Problem
from .feeds.checks import feed_problems
from .incremental import BuildResult
from .links import check_links
from .model import Site
from .outputs import Output, RenderContext, plan
from .outputs.pages import frame_values
from .parallel import default_jobs
from .render import TEMPLATE_CACHE, make_environment
from .sitefiles import bad_names, outside_links, outside_target
from .staging import clean_leftovers, staging, swap_into_place
from .writeout import copy_static, render_into, update_outputs


def load_and_check(root: Path, build_date: date, cache=None, jobs: int = 1,
                   env: jinja2.Environment | None = None) -> tuple[Site, list[Output]]:
    """Load ROOT and check everything a build reads; raise with every problem.

    ENV is the build's template environment, when the caller has made it."""
    site, problems = load_site(root, build_date, cache, jobs)
    outputs = plan(site)
    urls = {o.url for o in outputs} | set(site.media)
    problems.extend(check_links(site, urls))
    problems.extend(feed_problems(site))
    problems.extend(check_templates(root, env or make_environment(root)))
    problems.extend(outside_links(root))
    problems.extend(bad_names(root))
    problems.extend(media_name_clashes(root))
    problems.raise_if_any()
    return site, outputs


def check_templates(root: Path, env: jinja2.Environment) -> list[Problem]:
    """Mistakes in the site's own template overrides, parsed by ENV: syntax
    errors, and templates extended, included or imported that do not exist.
    Overrides that are links out of the site are left to outside_links."""
    problems = []
    template_dir = root / "templates"
    for path in sorted(template_dir.rglob("*.html")) if template_dir.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if outside_target(root, path):
            continue
        try:
            tree = env.parse(path.read_text(encoding="utf-8-sig"), path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(rel, exc.lineno, 0, f"template: {exc.message}"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 0, 0, f"cannot be read ({exc}); save it as a UTF-8 text file"))
            continue
        problems.extend(_missing_templates(env, tree, rel))
    return problems


_Reference = jinja2.nodes.Extends | jinja2.nodes.Include | jinja2.nodes.Import | jinja2.nodes.FromImport
_REFERENCES: dict[type[_Reference], str] = {
    jinja2.nodes.Extends: "extends", jinja2.nodes.Include: "includes",
    jinja2.nodes.Import: "imports", jinja2.nodes.FromImport: "imports"}


def _missing_templates(env: jinja2.Environment, tree: jinja2.nodes.Template, rel: str) -> list[Problem]:
    """A problem for each template named in TREE (the file REL) that ENV cannot find.

    Names worked out while rendering, and `ignore missing` includes, are left alone."""
    assert env.loader is not None, "make_environment always gives a loader"
    problems = []
    for node in tree.find_all(tuple(_REFERENCES)):
        name = node.template.value if isinstance(node.template, jinja2.nodes.Const) else None
        if not isinstance(name, str) or getattr(node, "ignore_missing", False):
            continue
        try:
            env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            problems.append(Problem(rel, node.lineno, 0, f"{_REFERENCES[type(node)]} '{name}', which does not"
                                    f" exist; create templates/{name} or use the name of a theme template"))
    return problems


def build(root: Path, out_dir: Path, build_date: date, *, clean: bool = False, jobs: int | None = None,
          state_dir: Path | None = None, found: inc.Scan | None = None) -> BuildResult:
    """Build the site at ROOT into OUT_DIR, rendering only what changed unless CLEAN.

    FOUND is a scan the caller has already found out of date and not
    confined to some areas (the command line's quick checks, made before this
    module is imported)."""
    state_dir = state_dir or inc.default_state_dir(root)
    with collector_paused() as loaded:
        if found is None:
            clean_leftovers(out_dir)
            found = inc.scan(root, out_dir, state_dir, clean)
            done = inc.up_to_date(found, root, out_dir, build_date) or \
                rebuild_areas(found, root, out_dir, build_date, state_dir)
            if done:
                return done
        return _build_changes(root, out_dir, build_date, found, state_dir, jobs or default_jobs(), loaded)


def _build_changes(root: Path, out_dir: Path, build_date: date, found: inc.Scan, state_dir: Path,
                   jobs: int, loaded: Callable[[], None]) -> BuildResult:
    state, hasher, code, units = found.state, found.hasher, found.code, found.units
    cache = AreaStore(state_dir, code, units, read=bool(state.outputs))
    env = make_environment(root, state_dir / TEMPLATE_CACHE)
    site, outputs = load_and_check(root, build_date, cache, jobs, env)
    loaded()
    ctx = RenderContext(site=site, env=env, assets=collect_assets(site.config),
                        markdown=MarkdownRenderer(site.config.markdown), outputs=outputs, frame=frame_values(site))
    feeds = {a.slug: inc.feed_urls(a) for a in site.areas}
    units.update(inc.feed_units(feeds, root / site.config.feeds.cache_dir, hasher))
    # Units derived from others (names and boroughs of the areas; the plan itself), which the state need not keep.
    derived = {**inc.listing_units(site.areas, site.boroughs),
               "plan": inc.digest(*(f"{o.path} {o.kind}" for o in outputs))}
    hashes = _InputHashes(ctx, code, {**units, **derived}, state)
    wanted = hashes.all(outputs)
    wanted.update(_static_hashes(ctx, root, hasher))
    kept = _kept(state.outputs, wanted, out_dir)
    todo = [o for o in outputs if kept.get(o.path) != wanted[o.path]]
    # Moving changed files in costs a rename each; past a point a whole new tree is quicker.
    if state.outputs and len(todo) <= max(500, len(outputs) // 2):
        rendered = _update(ctx, outputs, todo, wanted, kept, out_dir, state_dir, jobs)
    else:
        rendered = _build_cold(ctx, outputs, root, out_dir, jobs)
    cache.save(a.slug for a in site.areas)
    state = _state_after(ctx, found, out_dir, feeds, wanted, hashes)
    inc.save_state(state_dir, state)
    return BuildResult(state.pages, len(wanted), rendered, out_dir)


def _state_after(ctx: RenderContext, found: inc.Scan, out_dir: Path, feeds: dict[str, tuple[str, ...]],
                 wanted: dict[str, str], hashes: _InputHashes) -> inc.BuildState:
    """What the next build needs to know of this one."""
    site, hasher = ctx.site, found.hasher
    return inc.BuildState(
        code=found.code, out_dir=str(out_dir), build_date=site.build_date, stamps=hasher.stamps,
        folders=hasher.folders, units=found.units, outputs=wanted, feeds=feeds,
        dated={a.slug: inc.dated_facts(a) for a in site.areas},
        pages=sum(1 for o in ctx.outputs if o.path.endswith(".html")),
        hash_units=hashes.units, frame=hashes.frame, templates=hashes.templates.memo, page_frame=ctx.frame,
        listings={a.slug: inc.listing(a) for a in site.areas},
        asset_paths=frozenset(a.path for a in ctx.assets.values()),
        media_paths=frozenset(url.lstrip("/") for url in site.media))


def _kept(old: dict[str, str], wanted: dict[str, str], out_dir: Path) -> dict[str, str]:
    """The hashes of the last build's files that are still in OUT_DIR (someone may
    have deleted some by hand); those WANTED as they are need not be made again."""
    gone = set(inc.missing_outputs(out_dir, (p for p, h in wanted.items() if old.get(p) == h)))
    return {p: h for p, h in old.items() if p not in gone} if gone else old


class _InputHashes:
    """The input hash of every output.  An output none of whose inputs changed
    since the last build keeps the hash it had, without hashing it again."""

    def __init__(self, ctx: RenderContext, code: str, units: dict[str, str], state: inc.BuildState):
        self.units, self.state = units, state
        # No template file changed: every template's hash with its includes is as it was.
        same_templates = state.hash_units.get("templates") == units["templates"]
        self.templates = inc.TemplateHashes(ctx.env, state.templates if same_templates else {})
        # Whatever every page shows: a change here remakes every output.
        self.frame = inc.digest(code, units["config"], *(a.url for a in ctx.assets.values()),
                                *(f"{k}={v}" for k, v in sorted(ctx.frame.items())))
        site = ctx.site
        self.made = inc.InputHashes(self.frame, units, self.templates, site.build_date,
                                    lambda slug: inc.dated_facts(site.area(slug)))
        self.changed = {k for k in units.keys() | state.hash_units.keys() if units.get(k) != state.hash_units.get(k)}
        if self.changed:
            self.changed.add("site")
        self.same_day = state.build_date == site.build_date

    def all(self, outputs: list[Output]) -> dict[str, str]:
        """Path -> input hash for OUTPUTS."""
        if self.state.frame != self.frame:
            return {o.path: self.made(o) for o in outputs}
        old, changed, same_day = self.state.outputs, self.changed, self.same_day
        moved = {t for t in {o.template for o in outputs} if self.state.templates.get(t, "") != self.templates(t)}
        hashes = {}
        for o in outputs:
            kept = None
            if changed.isdisjoint(o.deps) and o.template not in moved and (same_day or not o.dated):
                kept = old.get(o.path)
            hashes[o.path] = kept or self.made(o)
        return hashes


def _static_hashes(ctx: RenderContext, root: Path, hasher: inc.Hasher) -> dict[str, str]:
    """Assets and media are copied, not rendered: their hash is their content's."""
    hashes = {a.path: hashlib.blake2b(a.content, digest_size=16).hexdigest() for a in ctx.assets.values()}
    for url in ctx.site.media:
        hashes[url.lstrip("/")] = hasher.file(media_file(root, url))
    return hashes


def _build_cold(ctx: RenderContext, outputs: list[Output], root: Path, out_dir: Path, jobs: int) -> int:
    """Render everything into a new tree and swap it in."""
    with staging(out_dir) as stage:
        render_into(ctx, outputs, stage, jobs)
        copy_static(ctx, root, stage, set(ctx.assets) | set(ctx.site.media))
        swap_into_place(stage, out_dir)
    return len(outputs)


def _update(ctx: RenderContext, outputs: list[Output], todo: list[Output], wanted: dict[str, str],
            kept: dict[str, str], out_dir: Path, state_dir: Path, jobs: int) -> int:
    """Render the changed outputs TODO aside, then move them into OUT_DIR and delete
    stale files.  KEPT: the hashes of the last build's files still there."""
    rendered_paths = {o.path for o in outputs}
    static = {p for p in wanted if p not in rendered_paths and kept.get(p) != wanted[p]}
    update_outputs(ctx, todo, static, set(kept) - set(wanted), out_dir, state_dir, jobs)
    return len(todo)
