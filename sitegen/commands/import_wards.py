"""sitegen import-wards"""
from __future__ import annotations

from pathlib import Path

import click

from ..importers.wards import import_wards
from . import site_option, site_root

DEFAULT_BOUNDARIES = Path("data/london-wards.geojson")


@click.command("import-wards")
@site_option
@click.argument("csv_path", metavar="CSV", type=click.Path(dir_okay=False, path_type=Path))
@click.option("--borough", default=None, help="Import only the wards of this borough.")
@click.option("--boundaries", "boundaries", default=None, metavar="FILE",
              type=click.Path(dir_okay=False, path_type=Path),
              help="GeoJSON of ward boundaries keyed by the property ons_code"
                   f" (default: {DEFAULT_BOUNDARIES} in the site folder, when there is one).")
def import_wards_command(site_dir: Path, csv_path: Path, borough: str | None,
                         boundaries: Path | None) -> None:
    """Create area folders from a CSV of wards, and give each ward without a boundary its
    own; existing areas and boundaries are kept as they are."""
    root = site_root(site_dir)
    if boundaries is None and (root / DEFAULT_BOUNDARIES).is_file():
        boundaries = root / DEFAULT_BOUNDARIES
    report = import_wards(root, csv_path, borough, boundaries)
    click.echo(f"Created {len(report.created)} areas; left {len(report.kept)} existing areas as they were.")
    if boundaries is not None:
        click.echo(f"Boundaries from {boundaries}: {len(report.bounded)} written, {len(report.boundary_kept)}"
                   f" already there and kept, {len(report.unbounded)} wards without one in the file"
                   + (f" ({', '.join(report.unbounded[:10])}{', ...' if len(report.unbounded) > 10 else ''})"
                      if report.unbounded else "") + ".")
