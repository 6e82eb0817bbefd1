"""Load a whole site: config, areas, pages and media, validated together."""
from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from ..config import SiteConfig, load_config
from ..errors import Problems
from ..forms.bundle import load_forms_bundle
from ..model import Area, Borough, Site, shared_names
from ..sitefiles import is_hidden, name_fault, outside_target, stray_target
from . import MEDIA_DIR, slugify
from .arealoader import AreaCache, load_all_areas
from .context import load_context
from .medianames import media_url
from .pages import load_pages


def load_site(root: Path, build_date: date, cache: AreaCache | None = None,
              jobs: int = 1, meanwhile: Callable[[], object] | None = None,
              config: SiteConfig | None = None) -> tuple[Site, Problems]:
    """Read everything under ROOT.  Returns the site and every problem found.

    A broken site.yaml raises at once (nothing else can be read without it);
    problems in content are collected so the caller can report them all.
    CACHE lets unchanged areas be reused; JOBS processes load the others, while
    MEANWHILE (called once, unless site.yaml is broken) runs here.  CONFIG: ROOT's
    settings, when the caller has read them (a build has: they are not read twice).
    """
    config = config or load_config(root)
    ctx = load_context(root, config)
    areas = load_all_areas(ctx, cache, jobs, meanwhile)
    pages = load_pages(ctx)
    forms = load_forms_bundle(ctx, config)
    boroughs = group_boroughs(areas, ctx.problems)
    site = Site(config=config, build_date=build_date, areas=tuple(areas), boroughs=boroughs,
                pages=tuple(pages), links=tuple(ctx.links), media=tuple(list_media(root)), forms=forms,
                shared_names=shared_names(a.name for a in areas),
                translation_files=frozenset(ctx.translation_files))
    return site, ctx.problems


def group_boroughs(areas: list[Area], problems: Problems) -> tuple[Borough, ...]:
    """Group areas by borough name, one Borough per address /boroughs/<slug>/.

    Two spellings that give one address (`Barking & Dagenham` beside `Barking
    and Dagenham`) are a problem naming both places; so is a name that gives
    no address at all (the loader refuses those first).
    """
    by_name: dict[str, list[Area]] = {}
    for area in sorted(areas, key=lambda a: a.source):
        if area.borough:
            by_name.setdefault(area.borough, []).append(area)
    boroughs: list[Borough] = []
    first_by_slug: dict[str, Area] = {}
    for name in sorted(by_name):
        slug, first = slugify(name), by_name[name][0]
        if not slug:
            problems.add(first.source, *first.borough_at, f"borough '{name}' gives an empty address;"
                         " write it with letters or digits")
        elif slug in first_by_slug:
            problems.add(first.source, *first.borough_at, _clash(name, first_by_slug[slug], slug))
        else:
            first_by_slug[slug] = first
            boroughs.append(Borough(slug, name, tuple(sorted(by_name[name], key=lambda a: a.name))))
    return tuple(boroughs)


def _clash(name: str, other: Area, slug: str) -> str:
    line, col = other.borough_at
    where = other.source + (f":{line}:{col}" if line else "")
    return (f"borough '{name}' and '{other.borough}' at {where} would share the address /boroughs/{slug}/;"
            " spell the borough the same way in every area.yaml")


def list_media(root: Path) -> list[str]:
    """Site paths of the files under content/media (names in NFC), copied as they are to /media/.
    Hidden files, and files in hidden folders (a name starting with '.', at any
    depth: .DS_Store, .git/config), are never published.  Links leading outside
    the site or to what is not a source (sitefiles.stray_target), and names
    sitefiles.name_fault refuses, are left out: `check` reports them."""
    base = root / MEDIA_DIR
    if not base.is_dir() or outside_target(root, base):
        return []
    return sorted({media_url(rel) for p in base.rglob("*")     # NFC names: see content/medianames.py
                   if not is_hidden(rel := p.relative_to(base).as_posix()) and p.is_file()
                   and not outside_target(root, p) and not stray_target(root, p) and not name_fault(rel)})
