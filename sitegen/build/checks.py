"""Every check a build makes of the whole site, after loading it: links,
feeds, template overrides, links out of the site, file names.  `sitegen
check` and `sitegen publish` run the same checks without building."""
from __future__ import annotations

from collections.abc import Container, Iterable
from dataclasses import replace
from datetime import date
from pathlib import Path

import jinja2
import jinja2.nodes

from ..assets import fingerprint
from ..config import SITE_FILE, SiteConfig
from ..content.arealoader import AreaCache, area_folders
from ..content.medianames import media_name_clashes, media_url
from ..content.postcodes import lookup_problems
from ..content.site import load_site
from ..content.translations import required_languages, translation_errors
from ..errors import Problem
from ..feeds.checks import feed_problems
from ..forms.bundle import site_links
from ..i18n import catalogue_problems
from ..links import check_links, link_problems, site_path
from ..maps import boundary_problems, touching
from ..model import Link, Site
from ..outputs.base import Output
from ..outputs.catalogue import plan
from ..outputs.pages import named_neighbours
from ..render import make_environment
from ..sitefiles import bad_names, outside_links, outside_target


def load_and_check(root: Path, build_date: date, cache: AreaCache | None = None, jobs: int = 1,
                   env: jinja2.Environment | None = None,
                   config: SiteConfig | None = None) -> tuple[Site, list[Output]]:
    """Load ROOT and check everything a build reads; raise with every problem.  The
    site comes back with its areas' neighbours named (Site.neighbours).

    ENV is the build's template environment and CONFIG ROOT's settings, when the caller
    has made them."""
    walked: list[list[Problem]] = []

    def walk_sources() -> None:   # needs nothing loaded: done while the workers load the areas
        walked.append([*outside_links(root), *bad_names(root), *media_name_clashes(root)])

    site, problems = load_site(root, build_date, cache, jobs, meanwhile=walk_sources, config=config)
    outputs = plan(site)
    wards = [folder.name for folder in area_folders(root)]
    urls = Addresses({o.url for o in outputs} | set(site.media), unloaded_areas(site, wards))
    problems.extend(check_links(site, urls))
    problems.extend(config_link_problems(root, urls))
    problems.extend(page_name_problems(site, outputs))
    problems.extend(feed_problems(site))
    problems.extend(check_templates(root, env or make_environment(root)))
    if not walked:
        walk_sources()
    problems.extend(walked[0])
    touch = touching(site.areas)   # one look at which boundaries meet, for the check and the pages
    problems.extend(boundary_problems(site.areas, root, touch))
    problems.extend(lookup_problems(root, wards))   # a ward that failed to load: its own problem alone
    problems.extend(translation_errors(site, required_languages(site.config)))
    problems.extend(catalogue_problems(root, site.config.languages))
    warnings = problems.raise_if_errors()   # a translation whose original changed: told, not stopped for
    return replace(site, neighbours=named_neighbours(site, touch), warnings=tuple(warnings)), outputs


class Addresses(frozenset):
    """The site paths a build writes, and every path under the folder of an area that failed
    to load (its own problems are reported; links to it and postcodes of it are not also
    reported as leading nowhere), as links.link_problems asks: `path in addresses`."""

    prefixes: tuple[str, ...]

    def __new__(cls, paths: set[str], unloaded: Iterable[str]) -> Addresses:
        made = super().__new__(cls, paths)
        made.prefixes = tuple(f"/areas/{slug}/" for slug in unloaded)
        return made

    def __contains__(self, path: object) -> bool:
        return super().__contains__(path) or (isinstance(path, str) and path.startswith(self.prefixes))


def unloaded_areas(site: Site, folders: Iterable[str]) -> set[str]:
    """The area FOLDERS (names) that did not load into SITE: each has a problem of its own."""
    return set(folders) - {area.slug for area in site.areas}


def page_name_problems(site: Site, outputs: list[Output]) -> list[Problem]:
    """A problem for each of SITE's pages named for a top-level folder the build writes for
    something else (OUTPUTS, the plan: the admin, the finder, the forms, a language's path
    'cy'; and the assets and media): that folder's own index would win and the page be lost."""
    taken = built_folders(outputs)
    return [Problem(page.source, 0, 0, f"'{page.slug}' is a folder the site already uses (/{page.slug}/);"
                    f" rename the file, for example to '{page.slug}-information.md'")
            for page in site.pages if page.slug in taken]


def built_folders(outputs: list[Output]) -> set[str]:
    """The top-level folders of the build: of OUTPUTS but the pages' own (in every language,
    so a language's path is one), of the assets and of the media (where their URLs put them)."""
    paths = [o.path for o in outputs if o.kind != "page"]
    paths += [fingerprint("a.css", b"").lstrip("/"), media_url("a").lstrip("/")]
    return {path.split("/")[0] for path in paths if "/" in path}


def config_link_problems(root: Path, urls: Container[str]) -> list[Problem]:
    """Problems with the site paths in site.yaml's link lists (footer_links, report_actions,
    services) that lead nowhere URLS has (every path the build writes), each at its `url:`
    value, checked as Markdown's links are (links.link_problems).  Those into /forms/ and
    /report/ are left to the forms' check (forms.bundle.check_site_links), which names the
    form or triage node."""
    problems = []
    for name, url, item in site_links(root):
        if not url.startswith("/"):
            continue   # another site, mail, phone: nothing the build makes
        target = site_path(url, "/")
        if target is None or target.split("/")[1] in ("forms", "report"):
            continue
        line, col = item.value_where("url")
        problems += [replace(p, message=f"{name}: {p.message}")
                     for p in link_problems([Link(url, SITE_FILE, line, "/", False, col)], urls)]
    return problems


def check_templates(root: Path, env: jinja2.Environment) -> list[Problem]:
    """Mistakes in the site's own template overrides, parsed by ENV: syntax
    errors, and templates extended, included or imported that do not exist.
    Overrides that are links out of the site are left to outside_links."""
    problems = []
    template_dir = root / "templates"
    for path in sorted(template_dir.rglob("*.html")) if template_dir.is_dir() else []:
        rel = path.relative_to(root).as_posix()
        if outside_target(root, path):
            continue
        try:
            tree = env.parse(path.read_text(encoding="utf-8-sig"), path.name, str(path))
        except jinja2.TemplateSyntaxError as exc:
            problems.append(Problem(rel, exc.lineno, 0, f"template: {exc.message}"))
            continue
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(rel, 0, 0, f"cannot be read ({exc}); save it as a UTF-8 text file"))
            continue
        problems.extend(_missing_templates(env, tree, rel))
    return problems


_Reference = jinja2.nodes.Extends | jinja2.nodes.Include | jinja2.nodes.Import | jinja2.nodes.FromImport
_REFERENCES: dict[type[_Reference], str] = {
    jinja2.nodes.Extends: "extends", jinja2.nodes.Include: "includes",
    jinja2.nodes.Import: "imports", jinja2.nodes.FromImport: "imports"}


def _missing_templates(env: jinja2.Environment, tree: jinja2.nodes.Template, rel: str) -> list[Problem]:
    """A problem for each template named in TREE (the file REL) that ENV cannot find.

    Names worked out while rendering, and `ignore missing` includes, are left alone."""
    assert env.loader is not None, "make_environment always gives a loader"
    problems = []
    for node in tree.find_all(tuple(_REFERENCES)):
        name = node.template.value if isinstance(node.template, jinja2.nodes.Const) else None
        if not isinstance(name, str) or getattr(node, "ignore_missing", False):
            continue
        try:
            env.loader.get_source(env, name)
        except jinja2.TemplateNotFound:
            problems.append(Problem(rel, node.lineno, 0, f"{_REFERENCES[type(node)]} '{name}', which does not"
                                    f" exist; create templates/{name} or use the name of a theme template"))
    return problems
