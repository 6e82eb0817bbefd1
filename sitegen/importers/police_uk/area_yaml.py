"""An area's fields as the area.yaml text the import writes, checked as the build would check it."""
from __future__ import annotations

import yaml

from ...errors import Problem, Problems
from ..checked import area_yaml_problems

HEADER = """\
# Imported from data.police.uk (force '{force}', neighbourhood '{nid}') by `sitegen import-police-uk`.
# Each import refreshes name, description, population, team, contact, social, priorities, events
# and boundary.geojson, except the keys listed under `pinned:`; other keys are yours.
# See docs/police-uk.md.
"""


class _Dumper(yaml.SafeDumper):
    """Safe YAML with several-line text as literal blocks, easy for editors to change."""


def _represent_str(dumper: yaml.SafeDumper, value: str):
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _represent_str)


def area_yaml_text(fields: dict, force: str, nid: str) -> str:
    """FIELDS as area.yaml text, with a header saying where it came from."""
    return HEADER.format(force=force, nid=nid) + yaml_body(fields)


def yaml_body(fields: dict) -> str:
    """FIELDS (plain data) as YAML text, in the order given, several-line text as literal blocks."""
    return yaml.dump(fields, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100)


def check_area_yaml(data: bytes, rel: str, problems: Problems) -> None:
    """Add to PROBLEMS whatever in DATA (the area.yaml at REL) the build would refuse."""
    problems.extend(Problem(p.path, p.line, p.col, f"the import would write this invalid value: {p.message}")
                    for p in area_yaml_problems(data.decode("utf-8"), rel))
