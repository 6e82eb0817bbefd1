"""The input hash of every output of the site, and from it what to change in
the output folder.

An output none of whose units, template or date signature changed since the
last build keeps the hash it had, without hashing it again; outputs of parts
of the site this build did not read keep theirs too.  Assets and media are
copied, not rendered: their hash is their content's.
"""
from __future__ import annotations

import hashlib
from datetime import date
from pathlib import Path
from typing import NamedTuple

from ..content.medianames import media_file
from ..outputs.base import Output, RenderContext
from ..outputs.catalogue import derived_units
from .facts import date_signature
from .hashing import InputHashes, TemplateHashes
from .load import Loaded
from .select import Scan, missing_outputs
from .sources import CATALOGUES, CONFIG, TEMPLATES
from .units import Unit, changed_units, digest
from .writeout import Changes, static_paths


class Hashed(NamedTuple):
    """Every unit's hash, the frame, the template hashes and the input hash of
    every output of the site (build path -> hash).  (A named tuple: a dataclass
    takes four times as long to define, on every build that imports this.)"""

    units: dict[Unit, str]
    frame: str
    templates: TemplateHashes
    outputs: dict[str, str]


def input_hashes(found: Scan, loaded: Loaded, build_date: date) -> Hashed:
    """The input hashes of the outputs LOADED read, with the last build's for the rest."""
    state, ctx = found.state, loaded.ctx
    same_templates = state.units.get(TEMPLATES) == found.sources[TEMPLATES]
    templates = TemplateHashes(ctx.env, state.templates if same_templates else {})
    if loaded.selection.areas is not None:   # what derives from the areas not read is as it was
        units = {**state.units, **found.sources, **loaded.feeds}
    else:
        units = {**found.sources, **loaded.feeds, **derived_units(ctx.site, ctx.outputs, templates)}
    frame = digest(found.code, units[CONFIG], units[CATALOGUES], *(a.url for a in ctx.assets.values()),
                   *(f"{k}={v}" for k, v in sorted(ctx.frame.items())))
    areas = loaded.facts.areas
    made = InputHashes(frame, units, templates, lambda slug: date_signature(areas[slug].dated, build_date))
    fresh = _reused_or_made(found, ctx.outputs, made, units, build_date)
    fresh.update(_static_hashes(ctx, found))
    # (Those of a narrow build over the last build's, in their order: see units.changed_entries.)
    return Hashed(units, frame, templates, fresh if loaded.selection.whole else {**state.outputs, **fresh})


def _reused_or_made(found: Scan, outputs: list[Output], made: InputHashes, units: dict[Unit, str],
                    build_date: date) -> dict[str, str]:
    """Path -> input hash of OUTPUTS: the last build's where nothing they read changed."""
    state = found.state
    if state.frame != made.frame:
        return {o.path: made(o) for o in outputs}
    changed = changed_units(state.units, units)
    moved = {t for t in {o.template for o in outputs} if state.templates.get(t, "") != made.templates(t)}
    same_day = state.build_date == build_date
    hashes = {}
    for o in outputs:
        kept = None
        if changed.isdisjoint(o.deps) and o.template not in moved and (same_day or not o.dated):
            kept = state.outputs.get(o.path)
        hashes[o.path] = kept or made(o)
    return hashes


def _static_hashes(ctx: RenderContext, found: Scan) -> dict[str, str]:
    """Build path -> content hash of every asset and media file CTX copies."""
    hashes = {a.path: hashlib.blake2b(a.content, digest_size=16).hexdigest() for a in ctx.assets.values()}
    for url in ctx.site.media:
        hashes[url.lstrip("/")] = found.hasher.file(media_file(ctx.site.config.root, url))
    return hashes


def changes(found: Scan, loaded: Loaded, wanted: dict[str, str], out_dir: Path) -> Changes:
    """What to render, copy and delete so that OUT_DIR holds WANTED (path -> input hash)."""
    ctx, old = loaded.ctx, found.state.outputs
    statics = static_paths(ctx)
    read = [o.path for o in ctx.outputs] + list(statics)
    # Someone may have deleted some of the last build's files by hand: those are made again.
    gone = set(missing_outputs(out_dir, (p for p in read if old.get(p) == wanted[p])))
    kept = {p: h for p, h in old.items() if p not in gone} if gone else old
    return Changes(render=[o for o in ctx.outputs if kept.get(o.path) != wanted[o.path]],
                   copy={p for p in statics if kept.get(p) != wanted[p]},
                   delete={p for p in kept if p not in wanted})   # (a look-up each, not two sets of all)


def needs_whole_tree(found: Scan) -> bool:
    """Whether the output folder must be made afresh as a whole new tree: when the
    state vouches for none of its files (a first build, --clean, a lost state).
    Otherwise moving in only the files whose bytes changed is quicker on every disk
    measured, even when most pages changed: a new tree means making every folder
    and file again and deleting the old ones (see docs/performance.md)."""
    return found.state.empty
