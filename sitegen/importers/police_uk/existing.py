"""The area folders already in the site, and which neighbourhood each belongs to."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ...content.arealoader import area_folders
from ...content.areas import AREA, AREAS_DIR
from ...content.schema import Where
from ...content.yamlsource import as_written, load_yaml_file
from ...errors import Problem, Problems, SitegenError


@dataclass
class ExistingArea:
    """An area folder already in the site, with its area.yaml as plain data."""

    slug: str
    folder: Path
    data: dict


def scan_areas(root: Path) -> list[ExistingArea]:
    """Every area folder with a readable, valid area.yaml; raise with every problem found."""
    problems, found = Problems(), []
    for folder in area_folders(root):
        rel = f"{AREAS_DIR}/{folder.name}/area.yaml"
        if not (folder / "area.yaml").is_file():
            continue
        try:
            raw = load_yaml_file(folder / "area.yaml", rel)
        except SitegenError as exc:
            problems.extend(exc.problems)
            continue
        AREA.check(raw, Where(rel, (1, 1), ""), problems)
        if isinstance(raw, dict):
            found.append(ExistingArea(folder.name, folder, plain(raw)))
    if problems:
        problems.add("import-police-uk", 0, 0, "fix the area.yaml problems above before importing")
    problems.raise_if_any()
    return found


def plain(value: Any) -> Any:
    """YAML loaded with positions, as plain dicts and lists, each value the editor
    wrote unquoted kept as written where YAML 1.1 would change it (`02071234567`)."""
    return as_written(value)


def match_areas(ids: list[str], existing: list[ExistingArea], force: str) -> dict[str, ExistingArea]:
    """Which existing area each neighbourhood id belongs to.

    A stored police_uk_id (of this force) wins; then the ONS `code`, then
    `old_code` (Met ids come in both forms).  An area linked to another
    neighbourhood is only ever matched by its police_uk_id.
    """
    def linked(area: ExistingArea) -> bool:
        return "police_uk_id" in area.data

    tiers = [
        lambda a: a.data.get("police_uk_id") if a.data.get("police_uk_force", force) == force else None,
        lambda a: None if linked(a) else a.data.get("code"),
        lambda a: None if linked(a) else a.data.get("old_code"),
    ]
    matched: dict[str, ExistingArea] = {}
    for key_of in tiers:
        for nid in ids:
            if nid in matched:
                continue
            claimed = {id(a) for a in matched.values()}
            hits = [a for a in existing if id(a) not in claimed and _same_id(key_of(a), nid)]
            if len(hits) > 1:
                raise SitegenError([Problem(f"{AREAS_DIR}/{a.slug}/area.yaml", 0, 0,
                                            f"matches neighbourhood '{nid}' like {len(hits) - 1} "
                                            "other area(s); give each area its own police_uk_id")
                                    for a in hits])
            if hits:
                matched[nid] = hits[0]
    return matched


def _same_id(value: Any, nid: str) -> bool:
    return value is not None and str(value).strip().upper() == nid.strip().upper()
