"""Loading every area, reusing unchanged ones from the build cache and spreading
the rest over worker processes."""
from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ..errors import Problem
from ..model import Area, Compact, Link
from ..parallel import Pickled, parallel_map
from ..sitefiles import name_fault
from .areas import AREAS_DIR, load_area
from .context import LoadContext
from .yamlmemo import ParseMemo, remembering


@dataclass(slots=True)
class AreaLoad(Compact):
    """What loading one area folder gave: the area (None if unusable), its
    Markdown links, and its problems; and the parse memo of its YAML, for the
    next time the folder is loaded (sitegen.content.yamlmemo)."""

    slug: str
    area: Area | None
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    translation_files: list[str] = field(default_factory=list)   # site paths of its translations
    parsed: dict[bytes, bytes] = field(default_factory=dict)     # ParseMemo.used


class AreaCache(Protocol):
    """Remembers loaded areas between builds, keyed by their files' hash."""

    def get(self, slug: str) -> AreaLoad | None:
        """The cached load of SLUG if its files are unchanged."""

    def put(self, load: AreaLoad, data: bytes | None = None) -> None:
        """Remember LOAD for the next build (DATA: LOAD pickled, when it already is)."""

    def parsed(self, slug: str) -> dict[bytes, bytes]:
        """The parse memo of SLUG's last load, changed files or not ({} if none)."""


def area_folders(root: Path) -> list[Path]:
    """The area folders of the site, sorted."""
    base = root / AREAS_DIR
    try:
        # A bad name is left to `check`, which reports it.
        names = sorted(e.name for e in os.scandir(base)
                       if e.is_dir() and not e.name.startswith(".") and not name_fault(e.name))
    except (FileNotFoundError, NotADirectoryError):
        return []
    return [base / name for name in names]


def load_area_folder(ctx: LoadContext, folder: Path, parsed: dict[bytes, bytes] | None = None) -> AreaLoad:
    """Load one folder with its own problem and link lists; PARSED: the parse memo of its
    last load (AreaCache.parsed), whose texts are not parsed again."""
    own = LoadContext(root=ctx.root, host=ctx.host, renderer=ctx.renderer, languages=ctx.languages)
    with remembering(ParseMemo(parsed)) as memo:
        area = load_area(own, folder)
    return AreaLoad(folder.name, area, own.links, list(own.problems), own.translation_files, memo.used)


def load_all_areas(ctx: LoadContext, cache: AreaCache | None = None, jobs: int = 1,
                   meanwhile: Callable[[], object] | None = None) -> list[Area]:
    """Every area, from CACHE where unchanged; problems and links go into CTX.  MEANWHILE
    is called once, here, while the workers load (parallel.parallel_map)."""
    folders = area_folders(ctx.root)
    cached = {f.name: cache.get(f.name) for f in folders} if cache else {}
    todo = [f for f in folders if cached.get(f.name) is None]
    fresh = _load_folders(ctx, todo, cache, jobs, meanwhile)
    areas = []
    for folder in folders:
        load = cached.get(folder.name) or fresh[folder.name]
        ctx.problems.extend(load.problems)
        ctx.links.extend(load.links)
        ctx.translation_files.extend(load.translation_files)
        if load.area is not None:
            areas.append(load.area)
    return areas


def _load_folders(ctx: LoadContext, folders: list[Path], cache: AreaCache | None, jobs: int,
                  meanwhile: Callable[[], object] | None) -> dict[str, AreaLoad]:
    """FOLDERS loaded (in JOBS processes), by slug; each put in CACHE, when given, as the
    pickle it came back from a worker as (parallel.Pickled: pickled once, not twice)."""
    if not cache:
        loads = parallel_map(lambda f: load_area_folder(ctx, f), folders, jobs, meanwhile=meanwhile)
        return {load.slug: load for load in loads}
    fresh = {}
    for made in parallel_map(lambda f: Pickled(load_area_folder(ctx, f, cache.parsed(f.name))), folders, jobs,
                             meanwhile=meanwhile):
        cache.put(made.value, made.data)
        fresh[made.value.slug] = made.value
    return fresh
