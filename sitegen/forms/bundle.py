"""Load every form and the triage tree of a site, and check what refers to them.

Links in Markdown are checked with the rest of the site's links; this module
checks the links in site.yaml (`report_actions`, `services`, `footer_links`)
that point into /forms/ or /report/, so a renamed form cannot leave the home
page pointing nowhere.
"""
from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from ..config import SITE_FILE, SiteConfig
from ..content.context import LoadContext
from ..content.schema import SLUG_RE
from ..content.yamlsource import LocatedDict, LocatedList, load_yaml_file
from ..errors import Problem, did_you_mean
from .loader import FORMS_DIR, TRIAGE_FILE, form_files, load_form
from .model import Form, FormsBundle, Triage, TriageNode
from .translation import translate_bundle
from .triage import TRIAGE_PATH, load_triage

LINK_LISTS = ("report_actions", "services", "footer_links")


def load_forms_bundle(ctx: LoadContext, config: SiteConfig) -> FormsBundle:
    """Load ROOT/forms/*.yaml and forms/triage.yaml; problems go into CTX.

    A file that exists but cannot be loaded is in the bundle as a stand-in
    (`stand_in=True`), so the triage tree, site.yaml and Markdown links that name
    it are not reported as leading nowhere: an editor sees only that file's own
    problems.  Stand-ins are never built, as a site with problems is not.
    """
    forms = [load_form(ctx, path, config.forms_endpoint, own_endpoint=not config.preview)
             or _stand_in_form(ctx, path)
             for path in form_files(ctx.root)]
    loaded = [form for form in forms if form]
    triage_path = ctx.root / FORMS_DIR / TRIAGE_FILE
    triage = None
    if triage_path.is_file():
        triage = load_triage(ctx, triage_path, {f.id for f in loaded}) or Triage(
            TRIAGE_PATH, STAND_IN_START, (TriageNode(STAND_IN_START),), stand_in=True)
    bundle = FormsBundle(tuple(loaded), triage)
    ctx.problems.extend(check_site_links(ctx.root, bundle))
    return translate_bundle(ctx, config, bundle)


STAND_IN_START = "start"


def _stand_in_form(ctx: LoadContext, path: Path) -> Form | None:
    """A stand-in for the form file at PATH, which could not be loaded; None when its
    name cannot be a form's address (load_form said so)."""
    if path.suffix != ".yaml" or not SLUG_RE.match(path.stem):
        return None
    return Form(id=path.stem, title=path.stem, source=ctx.rel(path), stand_in=True)


def site_links(root: Path) -> Iterator[tuple[str, str, LocatedDict]]:
    """Each `url:` string of site.yaml's link lists (LINK_LISTS) at ROOT: (its name for
    messages, like 'footer_links[2].url', the url, the item holding it, for locations)."""
    raw = load_yaml_file(root / SITE_FILE, SITE_FILE)
    for list_name in LINK_LISTS:
        items = raw.get(list_name) if isinstance(raw, LocatedDict) else None
        for index, item in enumerate(items if isinstance(items, LocatedList) else ()):
            url = item.get("url") if isinstance(item, LocatedDict) else None
            if isinstance(url, str):
                yield f"{list_name}[{index + 1}].url", url, item


def check_site_links(root: Path, bundle: FormsBundle) -> list[Problem]:
    """Problems for site.yaml links to forms or triage pages that will not exist."""
    problems = []
    for name, url, item in site_links(root):
        message = link_problem(url, bundle)
        if message:
            line, col = item.where("url")
            problems.append(Problem(SITE_FILE, line, col, f"{name}: {message}"))
    return problems


def link_problem(url: str, bundle: FormsBundle) -> str:
    """Why URL, a site path, points at a form or triage page that does not exist; '' if fine."""
    parts = [p for p in url.split("?")[0].split("#")[0].split("/") if p]
    if not parts or parts[0] not in ("forms", "report"):
        return ""
    if parts[0] == "forms" and len(parts) > 1:
        form_ids = [f.id for f in bundle.forms]
        if parts[1] not in form_ids:
            return (f"link '{url}' points to the form '{parts[1]}', which is not defined (there is no"
                    f" forms/{parts[1]}.yaml){did_you_mean(parts[1], form_ids)}")
    if parts[0] == "report":
        return _triage_link_problem(url, parts, bundle)
    return ""


def _triage_link_problem(url: str, parts: list[str], bundle: FormsBundle) -> str:
    if bundle.triage is None:
        return f"link '{url}' points to the triage pages, but there is no forms/triage.yaml"
    if bundle.triage.stand_in:
        return ""
    if len(parts) > 1:
        node_ids = [n.id for n in bundle.triage.nodes if n.id != bundle.triage.start]
        if parts[1] not in node_ids:
            return (f"link '{url}' points to a triage node that does not exist"
                    f"{did_you_mean(parts[1], node_ids)}")
    return ""
