"""The postcode finder: what the site publishes from its postcode lookup
(content/postcodes/<DISTRICT>.csv, sitegen/content/postcodes.py).

    find/index.html            the form (finder.js answers it) and every postcode district, each a link
    find/<DISTRICT>/index.html  the district's sectors (RM8 3) and the wards each reaches, as links
    find/<DISTRICT>.json        what finder.js fetches for a postcode of the district:
                                {"postcodes": {"RM83HR": ["becontree"]}, "wards": {"becontree": "Becontree"}}
                                (and on a site of several languages "language": "en-GB" and
                                "names": {"becontree": {"cy": "Becontree"}}: render_finder_json)

A site without a lookup publishes none of these (and no page links to /find/).
The index reads the district list (POSTCODES); a district's page and file read
its own file and what they show of the areas, FINDER_NAMES (each area's name as
its own page titles it), so renaming a ward rewrites them, and editing its team
does not.
"""
from __future__ import annotations

import json
import re

from ..build.sources import POSTCODES, postcodes_unit
from ..build.units import Unit, digest
from ..content.postcodes import Row, district_files, district_lookup, read_district, sectors
from ..errors import SitegenError
from ..i18n import gettext as _
from ..model import Area, Site
from .base import Output, RenderContext
from .pages import name_written, page_html, page_output

FINDER_NAMES = Unit("finder-names")   # slug -> name of every area: what district pages and files show
PARTS = re.compile(r"([A-Z]+)([0-9]+)([A-Z]?)")


def plan_finder(site: Site) -> list[Output]:
    """The finder's outputs, if SITE has a postcode lookup (see the module docstring)."""
    districts = district_files(site.config.root)
    if not districts:
        return []
    outputs = [page_output("find/index.html", "finder_index", "", (POSTCODES,), "finder/index.html")]
    for district in districts:
        deps = (postcodes_unit(district), FINDER_NAMES)
        outputs.append(page_output(f"find/{district}/index.html", "finder_district", district, deps,
                                   "finder/district.html"))
        outputs.append(Output(f"find/{district}.json", "finder_json", district, deps=deps))
    return outputs


def name_units(site: Site) -> dict[Unit, str]:
    """FINDER_NAMES: every area's slug and (full) name, in every language, and whether that
    language has its name (an untranslated name is marked with the default's lang)."""
    views = [(code, site.in_language(code)) for code in site.languages]
    return {FINDER_NAMES: digest(*(f"{a.slug}={view.full_name(a)}={_has_name(site, a, code)}"
                                   for code, view in views
                                   for a in sorted(view.areas, key=lambda a: a.slug)))}


def district_order(district: str) -> tuple[str, int, str]:
    """How districts sort: by area letters, then number ('RM8' before 'RM10')."""
    match = PARTS.fullmatch(district)
    return (match[1], int(match[2]), match[3]) if match else (district, 0, "")


def _rows(ctx: RenderContext, district: str) -> tuple[Row, ...]:
    """The rows of DISTRICT's file (check has refused a build of a site whose lookup has problems)."""
    rows, problems = read_district(ctx.site.config.root, district)
    if problems:
        raise SitegenError(problems)
    return rows


def _ward(ctx: RenderContext, slug: str) -> dict[str, object]:
    """A ward as a district page lists it; `translated`: whether its name is in the page's
    language (else the template marks it: `ward.translated | lang_of`)."""
    area = ctx.site.area(slug)
    return {"slug": slug, "name": ctx.site.full_name(area), "url": area.url,
            "translated": name_written(ctx, area)}


def render_finder_index(ctx: RenderContext, key: str) -> bytes:
    """/find/: the postcode form and every district, grouped by postcode area (RM, IG)."""
    districts = sorted(district_files(ctx.site.config.root), key=district_order)
    groups: dict[str, list[str]] = {}
    for district in districts:
        groups.setdefault(district_order(district)[0], []).append(district)
    title = _("Find your local team by postcode")
    return page_html(ctx, "finder/index.html", "/find/", title, [(_("Home"), "/")], groups=groups,
                     example=districts[0] if districts else "",
                     description=_("Type your postcode, or choose its first part, to find your ward's team."))


def render_finder_district(ctx: RenderContext, key: str) -> bytes:
    """/find/<DISTRICT>/: its sectors and the wards each reaches; where a sector reaches several,
    which of its postcodes lie in each (in a details element, closed)."""
    listed = []
    for sector, wards in sectors(_rows(ctx, key)).items():
        shown = sorted(((_ward(ctx, slug), codes) for slug, codes in wards.items()),
                       key=lambda pair: str(pair[0]["name"]))
        listed.append((sector, [{**ward, "postcodes": codes} for ward, codes in shown]))
    named = {"district": key}
    title = _("Postcodes starting %(district)s") % named
    description = _("Find the neighbourhood policing team for a postcode starting %(district)s.") % named
    return page_html(ctx, "finder/district.html", f"/find/{key}/", title,
                     [(_("Home"), "/"), (_("Find by postcode"), "/find/")], district=key, sectors=listed,
                     description=description)


def render_finder_json(ctx: RenderContext, key: str) -> bytes:
    """/find/<DISTRICT>.json: postcode without its space -> ward slugs, and each ward's name; on a
    site of several languages (one file for all), `language`, the default's tag, which every name
    is written in, and `names`: slug -> {tag: name} in each other language a ward is translated
    into (finder.js shows that, or marks the name with `language`)."""
    lookup = district_lookup(_rows(ctx, key))
    slugs = sorted({slug for wards in lookup.values() for slug in wards})
    body: dict[str, object] = {"postcodes": lookup,
                               "wards": {slug: ctx.site.full_name(ctx.site.area(slug)) for slug in slugs}}
    if ctx.site.config.multilingual:
        body["language"] = ctx.site.default_language
        names = {slug: found for slug in slugs if (found := _translated_names(ctx.site, slug))}
        if names:
            body["names"] = names
    return (json.dumps(body, ensure_ascii=False, separators=(",", ":")) + "\n").encode("utf-8")


def _translated_names(site: Site, slug: str) -> dict[str, str]:
    """Tag -> the full name of the area SLUG in each language but the default that has its name."""
    area = site.area(slug)
    return {code: site.in_language(code).full_name(site.in_language(code).area(slug))
            for code in site.languages[1:] if _has_name(site, area, code)}


def _has_name(site: Site, area: Area, code: str) -> bool:
    """Whether the language CODE has AREA's name: AREA is translated, and its translation gives a name."""
    return site.translated(area, code) and "name" not in site.fallbacks(area, code)
