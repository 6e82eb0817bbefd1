"""What a build reads, as units with hashes, found before anything is parsed.

    site.yaml, site.<tag>.yaml (+ the       config
    environment it reads)
    content/media/                          media
    forms/                                  forms
    templates/ + the theme's templates      templates
    assets/ + the theme's static files      static
    locale/ + the theme's catalogues        catalogues (words on every page: in the frame)
    content/areas/<slug>/                   area:<slug>     (and 'areas': all of them)
      ... but its translations (x.cy.md)    area-text:<slug>
      ... its translations only             area-translations:<slug>
    content/pages/<slug>.md                 page:<slug>     (and 'pages': all of them)
    content/pages/<slug>.<tag>.md           page-translations:<slug>
    content/postcodes/<DISTRICT>.csv        postcodes:<DISTRICT> (and 'postcodes': all of them)
    the feed cache's copies of a ward's     feeds:<slug>
    feeds

Planners (sitegen/outputs/, sitegen/forms/outputs.py) name these units as
what their outputs are made from.  File hashes come from a Hasher, which
reuses a file's hash while its size and modification time are unchanged.
"""
from __future__ import annotations

import os
import re
from collections.abc import Mapping
from operator import attrgetter
from pathlib import Path

from .. import __version__
from ..configenv import config_environment
from ..postcodetext import DISTRICT
from .hashing import Hasher
from .units import Unit, digest, units_of

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


def area_text_unit(slug: str) -> Unit:
    """The files of content/areas/SLUG/ but its translations (area.cy.yaml, news/x.cy.md):
    what the area's outputs in the default language read (see translations_unit)."""
    return Unit("area-text", slug)


def translations_unit(unit: Unit) -> Unit:
    """The translations among the files of the area or page UNIT: what its outputs in the
    other languages read besides its originals (one unit for all of them: an edit in one
    language renders the others' pages too, to the same bytes, which are then left alone)."""
    return Unit(f"{unit.kind}-translations", unit.name)


def area_units(slugs: list[str]) -> tuple[list[Unit], list[Unit], list[Unit]]:
    """The area_unit, area_text_unit and translations_unit(area_unit) of each of SLUGS, made
    in bulk (units_of), of the kinds those give."""
    sample = area_unit("")
    kinds = sample.kind, area_text_unit("").kind, translations_unit(sample).kind
    return units_of(kinds[0], slugs), units_of(kinds[1], slugs), units_of(kinds[2], slugs)


# name.<tag>.md / name.<tag>.yaml: a translation (content/translations.py), for the units above.
TRANSLATION_NAME = re.compile(r"\.[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8})*\.(?:md|yaml)\Z")


def postcodes_unit(district: str) -> Unit:
    """content/postcodes/DISTRICT.csv: the postcode lookup of one district."""
    return Unit("postcodes", district)


def feeds_unit(slug: str) -> Unit:
    """The cached copies of the feeds the area SLUG shows."""
    return Unit("feeds", slug)


def code_hash(hasher: Hasher) -> str:
    """sitegen's version and its own Python code: a new sitegen rebuilds everything."""
    return digest(__version__, *(hasher.file(path) for path in _python_files(PACKAGE_DIR)))


def _python_files(folder: Path) -> list[str]:
    """The .py files under FOLDER, in a fixed order (each folder's files by name, then its
    folders' by name): os.walk, a third of Path.rglob's time."""
    found: list[str] = []
    for parent, folders, names in os.walk(folder):
        folders.sort()
        found.extend(f"{parent}/{name}" for name in sorted(names) if name.endswith(".py"))
    return found


def source_units(root: Path, hasher: Hasher, last: Mapping[Unit, str] | None = None) -> dict[Unit, str]:
    """Hashes of the site's source units (see the module docstring).  LAST: the units
    of the last scan by this same code, whose hashes an area folder keeps while
    nothing in it changed (Hasher.unchanged_tree), unhashed."""
    units = {CONFIG: digest(hasher.file(root / "site.yaml"), *_site_translations(root, hasher),
                            *config_environment()),
             MEDIA: hasher.tree(root / "content" / "media"),
             FORMS: hasher.tree(root / "forms"),
             TEMPLATES: digest(hasher.tree(root / "templates"), hasher.tree(THEME_DIR / "templates"),
                               hasher.tree(_govuk_templates())),
             CATALOGUES: digest(hasher.tree(THEME_DIR / "locale"), hasher.tree(root / "locale")),
             STATIC: digest(hasher.tree(root / "assets"), hasher.tree(THEME_DIR / "static"),
                            hasher.tree(THEME_DIR / "vendor"))}
    areas, area_parts = _folder_units(root / "content" / "areas", hasher, last or {})
    pages, page_parts = _page_units(root / "content" / "pages", hasher)
    units.update(areas)
    units.update(pages)
    units[AREAS] = digest(*(f"{u}={v}" for u, v in areas.items()))
    units[PAGES] = digest(*(f"{u}={v}" for u, v in pages.items()))
    units.update(area_parts)
    units.update(page_parts)
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


def _folder_units(folder: Path, hasher: Hasher,
                  last: Mapping[Unit, str]) -> tuple[dict[Unit, str], dict[Unit, str]]:
    """An area unit per folder in FOLDER (a link out of the site stands for where it leads),
    and its area_text_unit and translations_unit.

    A hidden folder ('.draft') is no area (arealoader.area_folders): it gets no
    unit, so editing it selects nothing; it is still walked, so a link out of
    the site or a bad name in it is noticed and the whole build reports it."""
    units: dict[Unit, str] = {}
    parts: dict[Unit, str] = {}
    entries = _entries(folder)
    for entry, unit, text_unit, translated_unit in zip(entries, *area_units([e.name for e in entries]),
                                                       strict=True):
        if entry.name.startswith("."):
            _walk_hidden(entry, hasher)
            continue
        # The common case: a stat a file, no hashing.
        was, was_text, was_translated = last.get(unit), last.get(text_unit), last.get(translated_unit)
        if was is not None and was_text is not None and was_translated is not None \
                and entry.is_dir(follow_symlinks=False) and hasher.unchanged_tree(entry.path):
            units[unit], parts[text_unit], parts[translated_unit] = was, was_text, was_translated
            continue
        if entry.is_symlink() and (target := hasher.link_out(entry.path)):
            found = [digest("link", target)]
        elif entry.is_dir():
            found = hasher.tree_entries(entry.path)
        else:
            continue
        units[unit] = digest(*found) if found else ""
        text, translated = _split(found)
        parts[text_unit] = digest(*text) if text else ""
        parts[translated_unit] = digest(*translated) if translated else ""
    return units, parts


def _split(found: list[str]) -> tuple[list[str], list[str]]:
    """FOUND ('name=hash' entries) as those of originals and those of translations."""
    text: list[str] = []
    translated: list[str] = []
    for item in found:
        name = item.split("=", 1)[0].split("->", 1)[0]
        (translated if TRANSLATION_NAME.search(name) else text).append(item)
    return text, translated


def _walk_hidden(entry: os.DirEntry[str], hasher: Hasher) -> None:
    """Show the hasher's rules for links and names all that is in the hidden ENTRY (its hash is not kept)."""
    if entry.is_symlink() and hasher.link_out(entry.path):
        return
    if entry.is_dir():
        hasher.tree(entry.path)


def _page_units(folder: Path, hasher: Hasher) -> tuple[dict[Unit, str], dict[Unit, str]]:
    """A page unit per Markdown file in FOLDER but the translations, and each page's
    translations_unit: its <slug>.<tag>.md files (a slug has no dot)."""
    units: dict[Unit, str] = {}
    translated: dict[str, list[str]] = {}
    for entry in _entries(folder):
        slug = entry.name[:-3].split(".")[0]
        if entry.is_symlink() and (target := hasher.link_out(entry.path)):
            value = digest("link", target)
        elif entry.name.endswith(".md") and entry.is_file():
            value = hasher.file(entry.path, entry.stat())
        else:
            continue
        if TRANSLATION_NAME.search(entry.name):
            translated.setdefault(slug, []).append(f"{entry.name}={value}")
        else:
            units[page_unit(entry.name[:-3])] = value
    parts = {translations_unit(unit): digest(*translated[unit.name]) if unit.name in translated else ""
             for unit in units}
    parts.update((translations_unit(page_unit(slug)), digest(*found)) for slug, found in translated.items()
                 if page_unit(slug) not in units)
    return units, parts


def _entries(folder: Path) -> list[os.DirEntry[str]]:
    """The entries of FOLDER sorted by name, or none if it is missing."""
    try:
        return sorted(os.scandir(folder), key=attrgetter("name"))
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
    units = units_of(feeds_unit("").kind, feeds)   # (feeds_unit of each, in bulk)
    if not any(feeds.values()):   # (a site without feeds need not import the feed cache)
        return dict.fromkeys(units, digest())
    from ..feeds.cache import feed_file
    return {unit: digest(*(hasher.file(feed_file(cache_dir, url)) for url in urls))
            for unit, urls in zip(units, feeds.values(), strict=True)}
