"""What a build reads, as units with hashes, found before anything is parsed.

    site.yaml, site.<tag>.yaml (+ the       config
    environment it reads)
    content/media/                          media
    forms/                                  forms
    templates/ + the theme's templates      templates
    assets/ + the theme's static files      static
    locale/ + the theme's catalogues        catalogues (words on every page: in the frame)
    content/areas/<slug>/                   area:<slug>     (and 'areas': all of them)
    content/pages/<slug>.md                 page:<slug>     (and 'pages': all of them)
    content/postcodes/<DISTRICT>.csv        postcodes:<DISTRICT> (and 'postcodes': all of them)
    the feed cache's copies of a ward's     feeds:<slug>
    feeds

Planners (sitegen/outputs/, sitegen/forms/outputs.py) name these units as
what their outputs are made from.  File hashes come from a Hasher, which
reuses a file's hash while its size and modification time are unchanged.
"""
from __future__ import annotations

import os
from pathlib import Path

from .. import __version__
from ..configenv import config_environment
from ..postcodetext import DISTRICT
from .hashing import Hasher
from .units import Unit, digest

PACKAGE_DIR = Path(__file__).resolve().parent.parent
THEME_DIR = PACKAGE_DIR / "theme"

CONFIG = Unit("config")
MEDIA = Unit("media")
FORMS = Unit("forms")
TEMPLATES = Unit("templates")   # tells the selection that the theme moved; outputs hash their own templates
STATIC = Unit("static")
AREAS = Unit("areas")
PAGES = Unit("pages")
POSTCODES = Unit("postcodes")
CATALOGUES = Unit("catalogues")   # the theme's message catalogues and the site's locale/ overrides


def area_unit(slug: str) -> Unit:
    """The files of content/areas/SLUG/."""
    return Unit("area", slug)


def page_unit(slug: str) -> Unit:
    """content/pages/SLUG.md."""
    return Unit("page", slug)


def postcodes_unit(district: str) -> Unit:
    """content/postcodes/DISTRICT.csv: the postcode lookup of one district."""
    return Unit("postcodes", district)


def feeds_unit(slug: str) -> Unit:
    """The cached copies of the feeds the area SLUG shows."""
    return Unit("feeds", slug)


def code_hash(hasher: Hasher) -> str:
    """sitegen's version and its own Python code: a new sitegen rebuilds everything."""
    return digest(__version__, *(hasher.file(p) for p in sorted(PACKAGE_DIR.rglob("*.py"))))


def source_units(root: Path, hasher: Hasher) -> dict[Unit, str]:
    """Hashes of the site's source units (see the module docstring)."""
    units = {CONFIG: digest(hasher.file(root / "site.yaml"), *_site_translations(root, hasher),
                            *config_environment()),
             MEDIA: hasher.tree(root / "content" / "media"),
             FORMS: hasher.tree(root / "forms"),
             TEMPLATES: digest(hasher.tree(root / "templates"), hasher.tree(THEME_DIR / "templates"),
                               hasher.tree(_govuk_templates())),
             CATALOGUES: digest(hasher.tree(THEME_DIR / "locale"), hasher.tree(root / "locale")),
             STATIC: digest(hasher.tree(root / "assets"), hasher.tree(THEME_DIR / "static"),
                            hasher.tree(THEME_DIR / "vendor"))}
    areas = _folder_units(root / "content" / "areas", hasher)
    pages = _page_units(root / "content" / "pages", hasher)
    units.update(areas)
    units.update(pages)
    units[AREAS] = digest(*(f"{u}={v}" for u, v in areas.items()))
    units[PAGES] = digest(*(f"{u}={v}" for u, v in pages.items()))
    postcodes = _postcode_units(root, hasher)
    units.update(postcodes)
    units[POSTCODES] = hasher.tree(root / "content" / "postcodes")   # (the listing too: a new district)
    return units


def _site_translations(root: Path, hasher: Hasher) -> list[str]:
    """'name=hash' of each site.<tag>.yaml beside site.yaml: the site's words in another language."""
    return [f"{e.name}={hasher.file(e.path, e.stat())}" for e in _entries(root)
            if e.name.startswith("site.") and e.name.endswith(".yaml") and e.name != "site.yaml"
            and e.is_file()]


def _postcode_units(root: Path, hasher: Hasher) -> dict[Unit, str]:
    """A postcodes unit per district file of the lookup, found as content/postcodes.district_files
    finds them (a link out of the site stands for where it leads, as _page_units has it)."""
    units = {}
    for entry in _entries(root / "content" / "postcodes"):
        district = entry.name[:-4]
        if not (entry.name.endswith(".csv") and DISTRICT.fullmatch(district)):
            continue
        if entry.is_symlink() and (target := hasher.link_out(entry.path)):
            units[postcodes_unit(district)] = digest("link", target)
        elif entry.is_file():
            units[postcodes_unit(district)] = hasher.file(entry.path, entry.stat())
    return units


def _folder_units(folder: Path, hasher: Hasher) -> dict[Unit, str]:
    """An area unit per folder in FOLDER (a link out of the site stands for where it leads).

    A hidden folder ('.draft') is no area (arealoader.area_folders): it gets no
    unit, so editing it selects nothing; it is still walked, so a link out of
    the site or a bad name in it is noticed and the whole build reports it."""
    units = {}
    for entry in _entries(folder):
        if entry.name.startswith("."):
            _walk_hidden(entry, hasher)
        elif entry.is_symlink() and (target := hasher.link_out(entry.path)):
            units[area_unit(entry.name)] = digest("link", target)
        elif entry.is_dir():
            units[area_unit(entry.name)] = hasher.tree(entry.path)
    return units


def _walk_hidden(entry: os.DirEntry[str], hasher: Hasher) -> None:
    """Show the hasher's rules for links and names all that is in the hidden ENTRY (its hash is not kept)."""
    if entry.is_symlink() and hasher.link_out(entry.path):
        return
    if entry.is_dir():
        hasher.tree(entry.path)


def _page_units(folder: Path, hasher: Hasher) -> dict[Unit, str]:
    """A page unit per page in FOLDER: its Markdown file with its translations
    (<slug>.<tag>.md: a slug has no dot), so the page in every language reads the unit."""
    parts: dict[str, list[str]] = {}
    for entry in _entries(folder):
        slug = entry.name[:-3].split(".")[0]
        if entry.is_symlink() and (target := hasher.link_out(entry.path)):
            parts.setdefault(slug, []).append(digest("link", target))
        elif entry.name.endswith(".md") and entry.is_file():
            parts.setdefault(slug, []).append(f"{entry.name}={hasher.file(entry.path, entry.stat())}")
    # A page alone keeps the hash its file always had.
    return {page_unit(slug): found[0].split("=")[-1] if len(found) == 1 else digest(*found)
            for slug, found in parts.items()}


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of FOLDER sorted by name, or none if it is missing."""
    try:
        return sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return []


def _govuk_templates() -> str:
    """govuk-frontend-jinja's templates folder, found without importing it."""
    from importlib.util import find_spec
    spec = find_spec("govuk_frontend_jinja")
    return os.path.join(os.path.dirname(spec.origin), "templates") if spec and spec.origin else ""


def feed_units(feeds: dict[str, tuple[str, ...]], cache_dir: Path, hasher: Hasher) -> dict[Unit, str]:
    """A feeds unit per area in FEEDS (slug -> the URLs of the feeds it shows):
    the hashes of their cached copies in CACHE_DIR."""
    if any(feeds.values()):   # a site without feeds need not import the feed cache
        from ..feeds.cache import feed_file
    return {feeds_unit(slug): digest(*(hasher.file(feed_file(cache_dir, url)) for url in urls))
            for slug, urls in feeds.items()}
