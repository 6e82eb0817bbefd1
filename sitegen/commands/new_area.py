"""sitegen new-area"""
from __future__ import annotations

from pathlib import Path

import click

from ..content import MAX_SLUG, slugify
from ..content.areas import AREAS_DIR
from ..content.schema import SLUG_RE
from ..errors import Problem, SitegenError
from ..fileio import atomic_write
from ..importers.scaffold import area_yaml
from . import site_option, site_root


@click.command("new-area")
@site_option
@click.argument("slug")
@click.option("--name", required=True, help="The ward's name as residents know it.")
@click.option("--borough", default=None, help="The borough or district it belongs to.")
def new_area_command(site_dir: Path, slug: str, name: str, borough: str | None) -> None:
    """Scaffold content/areas/SLUG/ with an area.yaml that passes check."""
    root = site_root(site_dir)
    target = root / AREAS_DIR / slug / "area.yaml"
    if not SLUG_RE.match(slug) or len(slug) > MAX_SLUG:
        raise SitegenError([Problem(f"{AREAS_DIR}/{slug}", 0, 0, f"SLUG must be lowercase letters, digits and"
                                    f" hyphens, at most {MAX_SLUG} characters, like '{slugify(name) or 'abbey-road'}'")])
    if borough and not slugify(borough):
        raise SitegenError([Problem("--borough", 0, 0, f"borough '{borough}' gives an empty address;"
                                    " write it with letters or digits (any alphabet will do)")])
    if target.exists():
        raise SitegenError([Problem(target.relative_to(root).as_posix(), 0, 0,
                                    "already exists; choose another slug or edit the existing area")])
    fields = {"name": name.strip()}
    if borough:
        fields["borough"] = borough.strip()
    atomic_write(target, area_yaml(fields))
    (target.parent / "news").mkdir(exist_ok=True)
    click.echo(f"Created {target.relative_to(root)}. Fill it in, then run 'sitegen check'.")
