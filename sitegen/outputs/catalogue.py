"""Every kind of output, listed in one place: what each planner makes, and
which function renders each kind.  A new kind of output is a planner and
renderers in its own module (beside which it declares the units its outputs
read), added here.

    plan(site)             every output of a site, sorted by path
    area_outputs(area)     the outputs one area's folder alone decides
    derived_units(...)     the units made from other outputs: listings, the plan
    render(ctx, output)    the bytes of one output
"""
from __future__ import annotations

from collections.abc import Callable, Sequence

from ..admin import outputs as admin
from ..build.sources import area_text_unit, translations_unit
from ..build.units import Unit
from ..i18n import Language, activate
from ..model import Area, Site
from . import calendar, finder, locate, pages, syndication
from .base import Output, RenderContext, Renderer


def _forms(name: str) -> Renderer:
    """The renderer NAME of sitegen/forms/outputs.py, imported when first called: a
    build that renders no form page (a one-area edit) need not import the forms
    machinery and JSON Schema (0.1 s)."""
    def render(ctx: RenderContext, key: str) -> bytes:
        from ..forms import outputs as forms
        renderer: Renderer = getattr(forms, name)
        return renderer(ctx, key)
    return render


RENDERERS: dict[str, Renderer] = {
    "home": pages.render_home,
    "borough": pages.render_borough,
    "area": pages.render_area,
    "news_index": pages.render_news_index,
    "news": pages.render_news,
    "page": pages.render_page,
    "not_found": pages.render_not_found,
    "atom": syndication.render_atom,
    "geojson": syndication.render_geojson,
    "sitemap": syndication.render_sitemap,
    "robots": syndication.render_robots,
    "ics": calendar.render_ics,
    "form": _forms("render_form"),
    "form_schema": _forms("render_form_schema"),
    "form_done": _forms("render_form_done"),
    "hosted_form": _forms("render_hosted_form"),
    "triage": _forms("render_triage"),
    "locate": locate.render_locate,
    "finder_index": finder.render_finder_index,
    "finder_district": finder.render_finder_district,
    "finder_json": finder.render_finder_json,
    "admin_page": admin.render_admin_page,
    "admin_config": admin.render_admin_config,
    "admin_file": admin.render_admin_file,
}


# The kinds made once in each of the site's languages (the others, once for the site: the
# sitemap lists every language's pages; a JSON Schema carries every language's words).
PER_LANGUAGE = frozenset({"home", "borough", "area", "news_index", "news", "page", "not_found", "atom", "ics",
                          "form", "form_done", "hosted_form", "triage", "finder_index", "finder_district"})


def in_languages(outputs: list[Output], languages: Sequence[Language]) -> list[Output]:
    """OUTPUTS (the default language's) and, for each of LANGUAGES but the first (the
    default), a copy of each of a PER_LANGUAGE kind under that language's path
    ('cy/areas/abbey/index.html', lang 'cy'), each reading its language's units
    (language_deps).  One language: OUTPUTS as they are."""
    if len(languages) < 2:
        return list(outputs)
    made = [o._replace(deps=language_deps(o.deps, "")) for o in outputs]
    for language in languages[1:]:
        made += [o._replace(path=f"{language.path}/{o.path}", lang=language.code,
                            deps=language_deps(o.deps, language.code))
                 for o in outputs if o.kind in PER_LANGUAGE]
    return made


def language_deps(deps: tuple[Unit, ...], lang: str) -> tuple[Unit, ...]:
    """DEPS as an output in the language LANG ("" the default) reads them on a site of
    several languages: an area's files but its translations, and, in another language,
    the translations of each area and page it reads too; so an edit to area.cy.yaml
    renders the Welsh pages alone."""
    swapped: list[Unit] = []
    for unit in deps:
        swapped.append(area_text_unit(unit.name) if unit.kind == "area" and unit.name else unit)
        if lang and unit.kind in ("area", "page") and unit.name:
            swapped.append(translations_unit(unit))
    return tuple(swapped)


def plan(site: Site) -> list[Output]:
    """Every output of SITE in each of its languages, sorted by path."""
    from ..forms import outputs as forms
    outputs = pages.plan_pages(site) + syndication.plan_syndication(site) + forms.plan_forms(site)
    outputs += locate.plan_locate(site)
    outputs += finder.plan_finder(site)
    outputs += admin.plan_admin(site)
    outputs = in_languages(outputs, site.config.languages)
    for area in site.areas:
        outputs += area_outputs(area, site.config.languages)
    return sorted(outputs, key=lambda o: o.path)


def area_outputs(area: Area, languages: Sequence[Language] = ()) -> list[Output]:
    """Every output of one area in each of LANGUAGES, and only its own: what its folder alone decides."""
    return in_languages(pages.area_pages(area) + syndication.area_syndication(area), languages)


def derived_units(site: Site, outputs: list[Output], templates: Callable[[str], str]) -> dict[Unit, str]:
    """The units SITE's outputs derive from others: what the home and borough
    pages show of the areas, the addresses the sitemap lists, the partials
    every page shows (TEMPLATES: name -> hash with its includes), and the wards'
    outlines the location index shows."""
    shown = {a.slug: pages.listings(a) for a in site.areas}
    return {**pages.listing_units(shown, site.boroughs), **syndication.plan_unit(outputs),
            **pages.chrome_units(templates), **pages.map_units(site), **locate.locate_units(site.areas),
            **finder.name_units(site)}


def render(ctx: RenderContext, output: Output) -> bytes:
    """The bytes of OUTPUT, in its language (KeyError for a kind no renderer is listed for)."""
    renderer = RENDERERS[output.kind]
    ctx = ctx.in_language(output.lang)
    with activate(ctx.language, ctx.site.config.root, ctx.translations):   # read once a build
        return renderer(ctx, output.key)
