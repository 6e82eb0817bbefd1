"""The build, in one screen.

    scan ──► select ──► load and check ──► hash ──► write ──► keep
    (stamps   (nothing,   (the selection;    (every    (a new tree, or  (state and
     and       some        widened to the     output's  changed files    area cache
     hashes)   areas, or   whole site if      input;    moved in)        for the
               the whole)  it reaches other   a first                    next build)
                           pages)             build's while
                                              its workers render)

One pipeline for every build: a first build, a no-change build, an edit to
one ward and a new template all go through these steps; only how much the
selection names differs.  A build never touches the network (feeds come from
their cache) and never reads the clock (dates come from content or the given
build date), so the same input always gives the same bytes.  Nothing in the
output folder changes until every output has rendered: a failed build leaves
the previous one exactly as it was, and a stopped one converges next time.
"""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from ..collector import collector_paused
from ..parallel import default_jobs
from ..sitefiles import folders_checked_once
from .report import WHOLE, BuildResult, Reporter, Selection
from .select import changed_since_scan, scan, select
from .staging import clean_leftovers
from .state import BuildState, default_state_dir, save_state

if TYPE_CHECKING:
    from collections.abc import Callable

    from .load import Loaded
    from .outputhashes import Hashed
    from .select import Scan


def build(root: Path, out_dir: Path, build_date: date, *, clean: bool = False, jobs: int | None = None,
          state_dir: Path | None = None, reporter: Reporter | None = None) -> BuildResult:
    """Build the site at ROOT into OUT_DIR as of BUILD_DATE, rendering only what
    changed since the last build unless CLEAN.  STATE_DIR keeps what the next
    build needs (default ROOT/.cache/build); JOBS worker processes (default:
    the cores); REPORTER is told what was selected, rendered and moved.
    Raises SitegenError with every problem found, and leaves OUT_DIR as it was."""
    reporter = reporter or Reporter()
    root, out_dir = root.absolute(), out_dir.absolute()   # the state names the output folder it vouches for
    state_dir = (state_dir or default_state_dir(root)).absolute()
    with collector_paused() as loaded_all, folders_checked_once():
        clean_leftovers(out_dir)   # every build, one with nothing to do too, clears what dead ones left
        with reporter.phase("scan"):
            found = scan(root, out_dir, state_dir, clean)
            selection = select(found, out_dir, build_date)
        if selection is None:
            return _unchanged(found, state_dir, out_dir)
        state, result = _make(found, selection, root, out_dir, state_dir, build_date, jobs or default_jobs(),
                              reporter, loaded_all)
        with reporter.phase("keep"):
            save_state(state_dir, state, since=found.state)
    return result


def _make(found: Scan, selection: Selection, root: Path, out_dir: Path, state_dir: Path, build_date: date,
          jobs: int, reporter: Reporter, loaded_all: Callable[[], None]) -> tuple[BuildState, BuildResult]:
    """Load, check, hash and write what SELECTION names; the state for the next build and
    what was made.  The model is let go as this returns, before the state is written, whose
    making then reuses its memory rather than adding to the build's peak (at 10,000 wards,
    30 MB of 270)."""
    # The generator proper (templates, Markdown, the model): not imported by a build with nothing to do.
    from ..outputs.calendar import publish_calendars
    from .load import load
    from .outputhashes import changes, input_hashes, needs_whole_tree
    from .writeout import write_changes, write_whole_tree
    with reporter.phase("load and check"):
        reporter.selected(selection)
        loaded = load(found, selection, root, build_date, state_dir, jobs)
        if loaded is None:   # the selected areas changed what other pages show of them
            reporter.selected(WHOLE)
            loaded = load(found, WHOLE, root, build_date, state_dir, jobs)
        assert loaded is not None, "the whole site always loads, or raises"
    loaded_all()
    whole_tree = needs_whole_tree(found)   # a first build: every output renders, into a new tree
    hashed: list[Hashed] = []

    def hash_inputs() -> None:
        with reporter.phase("hash"):
            hashed.append(input_hashes(found, loaded, build_date))
        if whole_tree:
            _keep_cache(found, loaded)

    if not whole_tree:
        hash_inputs()
        with reporter.phase("hash"):
            todo = changes(found, loaded, hashed[0].outputs, out_dir)
    with reporter.phase("write"):
        rendering = loaded.ctx.outputs if whole_tree else todo.render
        for lang in sorted({o.lang for o in rendering}):   # each language's view, before workers fork
            loaded.ctx.in_language(lang)
        ledger = publish_calendars(loaded.ctx, rendering)   # events' SEQUENCE, asked before rendering
        # The ledger is saved once the calendars have rendered, before they move in.
        if whole_tree:   # rendering needs no hashes: they are worked out while the workers render
            write_whole_tree(loaded.ctx, out_dir, jobs, reporter, ledger.save, meanwhile=hash_inputs)
        else:
            write_changes(loaded.ctx, todo, out_dir, state_dir, jobs, reporter, ledger.save)
    with reporter.phase("keep"):
        if not whole_tree:
            _keep_cache(found, loaded)
        state = _next_state(found, loaded, hashed[0], [o.path for o in rendering], root, out_dir, build_date)
    return state, BuildResult(loaded.facts.pages, len(hashed[0].outputs), len(rendering), out_dir)


def _keep_cache(found: Scan, loaded: Loaded) -> None:
    """Save the area cache for the next build: the areas loaded afresh."""
    state = found.state
    loaded.cache.save(loaded.facts.areas, None if state.empty else state.site.areas.keys())


def _next_state(found: Scan, loaded: Loaded, hashed: Hashed, rendered: list[str], root: Path, out_dir: Path,
                build_date: date) -> BuildState:
    """The state for the next build to start from (RENDERED: the build paths rendered)."""
    # The feeds of the areas not read are as the selection found them.
    feeds = {**found.last_feeds(), **loaded.feeds} if loaded.selection.areas is not None else loaded.feeds
    sources, outputs = {**found.sources, **feeds}, hashed.outputs
    if changed_since_scan(found, root, loaded.selection):
        # An editor saved while this build read the sources: what it rendered may hold
        # either version, so the next build reads the whole site and renders those again.
        sources = {}
        outputs = {**outputs, **dict.fromkeys(rendered, "")}
    return BuildState(code=found.code, out_dir=str(out_dir), build_date=build_date,
                      stamps=found.hasher.stamps, folders=found.hasher.folders, sources=sources,
                      units=hashed.units, outputs=outputs, frame=hashed.frame,
                      templates=hashed.templates.memo, site=loaded.facts)


def _unchanged(found: Scan, state_dir: Path, out_dir: Path) -> BuildResult:
    """The result of a build that found nothing to do.  Files it had to read again
    (saved too soon after the last build to trust their time, or touched without a
    change) have their stamps kept, or every build with nothing to do would read them."""
    state = found.state
    if found.hasher.fresh:
        kept = replace(state, stamps=found.hasher.stamps, folders=found.hasher.folders)
        save_state(state_dir, kept, since=state)
    return BuildResult(state.site.pages, len(state.outputs), 0, out_dir)
