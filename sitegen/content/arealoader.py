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
from ..parallel import parallel_map
from ..sitefiles import name_fault
from .areas import AREAS_DIR, load_area
from .context import LoadContext


@dataclass(slots=True)
class AreaLoad(Compact):
    """What loading one area folder gave: the area (None if unusable), its
    Markdown links, and its problems."""

    slug: str
    area: Area | None
    links: list[Link] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    translation_files: list[str] = field(default_factory=list)   # site paths of its translations


class AreaCache(Protocol):
    """Remembers loaded areas between builds, keyed by their files' hash."""

    def get(self, slug: str) -> AreaLoad | None:
        """The cached load of SLUG if its files are unchanged."""

    def put(self, load: AreaLoad) -> None:
        """Remember LOAD for the next build."""


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


def load_area_folder(ctx: LoadContext, folder: Path) -> AreaLoad:
    """Load one folder with its own problem and link lists."""
    own = LoadContext(root=ctx.root, host=ctx.host, renderer=ctx.renderer, languages=ctx.languages)
    area = load_area(own, folder)
    return AreaLoad(folder.name, area, own.links, list(own.problems), own.translation_files)


def load_all_areas(ctx: LoadContext, cache: AreaCache | None = None, jobs: int = 1,
                   meanwhile: Callable[[], object] | None = None) -> list[Area]:
    """Every area, from CACHE where unchanged; problems and links go into CTX.  MEANWHILE
    is called once, here, while the workers load (parallel.parallel_map)."""
    folders = area_folders(ctx.root)
    cached = {f.name: cache.get(f.name) for f in folders} if cache else {}
    todo = [f for f in folders if cached.get(f.name) is None]
    fresh = {load.slug: load
             for load in parallel_map(lambda f: load_area_folder(ctx, f), todo, jobs, meanwhile=meanwhile)}
    areas = []
    for folder in folders:
        load = cached.get(folder.name) or fresh[folder.name]
        if cache and folder.name in fresh:
            cache.put(load)
        ctx.problems.extend(load.problems)
        ctx.links.extend(load.links)
        ctx.translation_files.extend(load.translation_files)
        if load.area is not None:
            areas.append(load.area)
    return areas
