"""What each neighbourhood's area folder should hold, worked out before anything is written."""
from __future__ import annotations

import re
from pathlib import Path

from ...content import slugify
from ...content.areas import AREAS_DIR, BOUNDARY_FILE
from ...errors import Problems
from ...maps import feature_json, parse_boundary, repaired
from .api import Neighbourhood
from .area_yaml import area_yaml_text, check_area_yaml
from .existing import ExistingArea, match_areas
from .mapping import area_fields, boundary_polygon
from .merge import merge, ordered
from .report import AreaChange, PoliceImportReport, area_change
from .text import one_line
from .translations import SiteLanguages, translation_files
from .writing import PlannedArea


def plan_import(root: Path, force: str, fetched: list[Neighbourhood], existing: list[ExistingArea],
                report: PoliceImportReport) -> list[PlannedArea]:
    """What to write for each neighbourhood; fills REPORT.  Writes nothing."""
    matched = match_areas([n.id for n in fetched], existing, force)
    taken = {a.slug for a in existing} | _folders(root)
    plans, problems = [], Problems()
    languages = SiteLanguages(root)
    for n in fetched:
        area = matched.get(n.id)
        slug = area.slug if area else _new_slug(n, taken)
        taken.add(slug)
        plan, change = _plan_area(root, force, n, slug, area, languages, report.notes, problems)
        plans.append(plan)
        report.changes.append(change)
    problems.raise_if_any()
    return plans


def _folders(root: Path) -> set[str]:
    base = root / AREAS_DIR
    return {p.name for p in base.iterdir()} if base.is_dir() else set()


def _new_slug(n: Neighbourhood, taken: set[str]) -> str:
    name = one_line(n.detail.get("name"))
    for candidate in (slugify(name), slugify(f"{name} {n.id}"), slugify(n.id)):
        if candidate and candidate not in taken:
            return candidate
    base, counter = slugify(n.id) or "area", 2
    while f"{base}-{counter}" in taken:
        counter += 1
    return f"{base}-{counter}"


def _plan_area(root: Path, force: str, n: Neighbourhood, slug: str, area: ExistingArea | None,
               languages: SiteLanguages, notes: list[str],
               problems: Problems) -> tuple[PlannedArea, AreaChange]:
    """The files area SLUG needs for N and how the report tells of it; invalid values go to PROBLEMS.
    LANGUAGES: the site's; the translations into those but the default follow a changed area.yaml."""
    folder = root / AREAS_DIR / slug
    old = area.data if area else {}
    new = _merged_fields(n, force, old, area is None, notes)
    files: dict[str, bytes] = {}
    changed = [k for k in ordered(old | new) if old.get(k) != new.get(k)]
    if changed:
        files["area.yaml"] = area_yaml_text(new, force, n.id).encode("utf-8")
        check_area_yaml(files["area.yaml"], f"{AREAS_DIR}/{slug}/area.yaml", problems)
        if area is not None:
            files |= translation_files(folder, f"{AREAS_DIR}/{slug}", old, files["area.yaml"], languages,
                                       n.id, notes, problems)
    boundary = _boundary_bytes(n, new, folder, notes)
    if boundary is not None:
        files[BOUNDARY_FILE] = boundary
        changed.append("boundary")
    action = "created" if area is None else ("updated" if files else "unchanged")
    return PlannedArea(slug, folder, area is None, files), area_change(slug, n.id, action, old, new, changed)


def _merged_fields(n: Neighbourhood, force: str, old: dict, is_new: bool, notes: list[str]) -> dict:
    """OLD refreshed from N; a new area named by an ONS ward id also gets it as its `code`."""
    new = merge(old, area_fields(n, force, notes))
    if is_new and re.fullmatch(r"E0[0-9]{7}", n.id):
        new = ordered(new | {"code": n.id})
    return new


def _boundary_bytes(n: Neighbourhood, fields: dict, folder: Path, notes: list[str]) -> bytes | None:
    """The new boundary.geojson, or None when it is pinned, absent, unusable or unchanged."""
    if "boundary" in fields.get("pinned", []) or not n.boundary:
        return None
    polygons = boundary_polygon(n.boundary, n.id, notes)
    if polygons is None:
        return None
    polygons, wrong = repaired(polygons)
    if wrong and not polygons:
        notes.append(f"{n.id}: the API's boundary is unusable ({wrong}); boundary left as it was")
        return None
    if wrong:
        notes.append(f"{n.id}: the API's boundary was repaired: {wrong}; check the ward's map")
    data = feature_json(polygons, {"name": fields.get("name", n.id), "source": "data.police.uk",
                                   "force": fields["police_uk_force"], "neighbourhood": n.id})
    found = Problems()
    if parse_boundary(data, BOUNDARY_FILE, found) is None:
        notes.append(f"{n.id}: the API's boundary is unusable ({'; '.join(p.message for p in found)})")
        return None
    current = folder / BOUNDARY_FILE
    if current.is_file() and current.read_bytes() == data:
        return None
    return data
