"""What an importer writes into area.yaml, checked before anything is written with the schema
`sitegen check` uses (content.areas.AREA), by reading back the YAML text the importer writes.

So whatever an importer accepts, check accepts: a control character, an over-long name or a
population that is no whole number is refused at the importer's own input (a CSV line, an
option) instead of becoming a file that check then refuses.
"""
from __future__ import annotations

from dataclasses import replace
from typing import Any

from ..content.areas import AREA
from ..content.schema import Record, Where
from ..content.yamlsource import parse_yaml
from ..errors import Problem, Problems, SitegenError
from .scaffold import area_yaml


def area_yaml_problems(text: str, rel: str) -> list[Problem]:
    """What check would refuse in TEXT, the area.yaml at REL (site-relative): [] when it is valid."""
    try:
        data = parse_yaml(text, rel)
    except SitegenError as exc:
        return list(exc.problems)
    found = Problems()
    AREA.check(data, Where(rel, (1, 1), ""), found)
    return list(found)


def checked_value(key: str, value: Any) -> tuple[Any, list[str]]:
    """VALUE of area.yaml key KEY as check reads it back from the YAML scaffold.area_yaml writes.

    Returns (the value check reads, or None when it refuses it; check's messages about it,
    without file, position or key, like "is 400 characters long; keep it under 100").
    Raises KeyError for a key the area schema does not have.
    """
    field = {f.name: f for f in AREA.fields}[key]
    try:
        data = parse_yaml(area_yaml({key: value}), "area.yaml")
    except SitegenError as exc:
        return None, [p.message for p in exc.problems]
    found = Problems()
    one_key = Record(fields=[replace(field, required=False)], name=AREA.name)
    checked = one_key.check(data, Where("area.yaml", (1, 1), ""), found)
    prefix = f"{key}: "
    return (checked or {}).get(key), [p.message.removeprefix(prefix) for p in found]
