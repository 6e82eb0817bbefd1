"""Load a whole site: config, areas, pages and media, validated together."""
from __future__ import annotations

from datetime import date
from pathlib import Path

from ..config import load_config
from ..errors import Problems
from ..forms.bundle import load_forms_bundle
from ..model import Area, Borough, Site
from . import MEDIA_DIR, slugify
from .arealoader import AreaCache, load_all_areas
from .context import load_context
from .pages import load_pages


def load_site(root: Path, build_date: date, cache: AreaCache | None = None,
              jobs: int = 1) -> tuple[Site, Problems]:
    """Read everything under ROOT.  Returns the site and every problem found.

    A broken site.yaml raises at once (nothing else can be read without it);
    problems in content are collected so the caller can report them all.
    CACHE lets unchanged areas be reused; JOBS processes load the others.
    """
    config = load_config(root)
    ctx = load_context(root, config)
    areas = load_all_areas(ctx, cache, jobs)
    pages = load_pages(ctx)
    forms = load_forms_bundle(ctx, config)
    boroughs = group_boroughs(areas, ctx.problems)
    site = Site(config=config, build_date=build_date, areas=tuple(areas), boroughs=boroughs,
                pages=tuple(pages), links=tuple(ctx.links), media=tuple(list_media(root)), forms=forms)
    return site, ctx.problems


def group_boroughs(areas: list[Area], problems: Problems) -> tuple[Borough, ...]:
    """Group areas by borough name, reporting two names that share one address."""
    by_name: dict[str, list[Area]] = {}
    for area in areas:
        if area.borough:
            by_name.setdefault(area.borough, []).append(area)
    boroughs, slugs = [], {}
    for name in sorted(by_name):
        slug = slugify(name)
        if slug in slugs:
            problems.add(by_name[name][0].source, 0, 0, f"borough '{name}' and '{slugs[slug]}' would share the"
                         f" address /boroughs/{slug}/; spell them the same way")
            continue
        slugs[slug] = name
        boroughs.append(Borough(slug, name, tuple(sorted(by_name[name], key=lambda a: a.name))))
    return tuple(boroughs)


def list_media(root: Path) -> list[str]:
    """Site paths of the files under content/media, copied as they are to /media/."""
    base = root / MEDIA_DIR
    if not base.is_dir():
        return []
    return sorted("/media/" + p.relative_to(base).as_posix() for p in base.rglob("*")
                  if p.is_file() and not p.name.startswith("."))
